// Asking the daemon who it is (GET /daemon): what every caller does before attaching, the CLI's
// quick path included, so it loads nothing but node:http.
import type { DaemonInfo } from './paths';
import { unixFetch } from './unix-fetch';

/** The daemon's own words about itself, or undefined when no one answers on the socket. */
export async function daemonInfo(socket: string, timeoutMs = 2000): Promise<DaemonInfo | undefined> {
  try {
    const res = await unixFetch(socket)('http://localhost/daemon', { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? ((await res.json()) as DaemonInfo) : undefined;
  } catch {
    return undefined;
  }
}
