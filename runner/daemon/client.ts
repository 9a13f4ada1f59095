// A CLI call's way to the user's background runner: attach to the daemon on its socket when it is of
// this build, else replace it or start one (detached, so it outlives this call), or say why not and
// let the caller run in its own process. Kept light: the runner is never loaded here.
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { ServiceClient } from '../../protocol/service-client';
import {
  buildId,
  daemonKey,
  daemonDir,
  daemonWanted,
  ensureDaemonDir,
  lockPath,
  logPath,
  socketPath,
  verdictBin,
  type DaemonInfo,
} from './paths';
import { unixFetch } from './unix-fetch';
import { daemonInfo } from './info';

export { daemonInfo } from './info';

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;
/** A stopping daemon's runs end within their wall limit (180 s at most), then it exits. */
const EXIT_TIMEOUT_MS = 190_000;

/**
 * Asks the daemon to stop. It closes its socket at once (a successor may start), lets the runs whose
 * callers still follow them end within their limits, then removes its containers and exits. With
 * `waitForExit` (verdict daemon stop) this waits for that exit, else only for the socket to close.
 */
export async function stopDaemon(socket: string, waitForExit = false): Promise<boolean> {
  const info = await daemonInfo(socket);
  if (!info) return false;
  try {
    await unixFetch(socket)('http://localhost/daemon/stop', { method: 'POST', signal: AbortSignal.timeout(2000) });
  } catch {
    // it may close the connection as it goes
  }
  const until = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < until && (await daemonInfo(socket, 500))) await sleep(25);
  if (await daemonInfo(socket, 500)) {
    // Deaf to a stop for 15 s: stuck. Its containers are reaped by the next runner's start (labelled).
    process.kill(info.pid, 'SIGKILL');
    rmSync(socket, { force: true });
  }
  const exit = Date.now() + EXIT_TIMEOUT_MS;
  while (waitForExit && Date.now() < exit && alive(info.pid)) await sleep(50);
  return true;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One daemon starts at a time: the first caller takes start.lock (O_EXCL), the others wait for the
 * socket to answer. A lock older than the start time-out is a crashed starter's, taken over.
 */
function takeLock(file: string): boolean {
  try {
    closeSync(openSync(file, 'wx', 0o600));
    return true;
  } catch {
    const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (age < START_TIMEOUT_MS) return false;
    rmSync(file, { force: true });
    return takeLock(file);
  }
}

async function startDaemon(dir: string): Promise<DaemonInfo> {
  const socket = socketPath(dir);
  const build = buildId();
  let exited: string | undefined;
  const lock = lockPath(dir);
  const mine = takeLock(lock);
  try {
    if (mine) {
      const { execa } = await import('execa');
      const log = openSync(logPath(dir), 'w', 0o600);
      try {
        // Detached, in its own session, with nothing of this call's terminal: it outlives this process.
        const spawnOptions: import('execa').Options = {
          detached: true,
          cleanup: false,
          stdin: 'ignore',
          // A file descriptor, handed to the child as is (execa's types know only 0-2 by name).
          stdout: log as unknown as 'ignore',
          stderr: log as unknown as 'ignore',
          env: { ...process.env, VERDICT_BUILD_ID: build },
          reject: false,
        };
        // Node itself: an editor's language server may run in Electron's (its ABI is not the native
        // SQLite module's), so the daemon is then started with the `node` on PATH, as the CLI is.
        const node = process.versions.electron ? 'node' : process.execPath;
        const child = execa(node, [verdictBin(), 'daemon', 'start', '--foreground'], spawnOptions);
        child.unref();
        // A daemon that cannot start (no Docker) ends at once: say why, with its last words.
        void child.then((r) => {
          const said = readFileSync(logPath(dir), 'utf8')
            .trim()
            .split('\n')
            .filter((l) => !/Deprecation|trace-warnings/.test(l))
            .at(-1);
          exited = `it exited (${r.exitCode ?? r.signal})${said ? `: ${said}` : ''}`;
        });
      } finally {
        closeSync(log);
      }
    }
    const until = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < until) {
      const info = await daemonInfo(socket, 1000);
      if (info) return info;
      if (exited) throw new Error(exited);
      await sleep(25);
    }
    throw new Error(`it did not answer on ${socket} within ${START_TIMEOUT_MS / 1000} s (its log: ${logPath(dir)})`);
  } finally {
    if (mine) rmSync(lock, { force: true });
  }
}

/** A daemon of this build and settings answering on the folder's socket: another is replaced, none is started. */
async function ensureDaemon(dir: string): Promise<void> {
  const socket = socketPath(dir);
  const build = daemonKey();
  let info = await daemonInfo(socket);
  if (info && info.build !== build) {
    await stopDaemon(socket);
    info = undefined;
  }
  if (!info) info = await startDaemon(dir);
  if (info.build !== build) throw new Error(`a daemon of another build (${info.build}) answers on ${socket}`);
}

/**
 * fetch on the daemon's socket that outlasts the daemon: long-lived callers (the language server,
 * `verdict mcp`) outlive its idle time-out, and a new build replaces it. When no one takes the
 * connection, the daemon is started again and the request sent once more: nothing reached the old
 * one, so nothing is carried out twice.
 */
function reattachingFetch(socket: string, ensure: () => Promise<void>): typeof fetch {
  const plain = unixFetch(socket);
  return (async (input: string | URL, init?: RequestInit) => {
    try {
      return await plain(input, init);
    } catch (err) {
      const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code !== 'ECONNREFUSED' && code !== 'ENOENT') throw err;
      await ensure();
      return plain(input, init);
    }
  }) as typeof fetch;
}

/**
 * A client of this user's daemon, started or replaced as needed; undefined when the daemon is not
 * wanted (--no-daemon, VERDICT_DAEMON=0) or could not be had (said on stderr: the caller runs in its
 * own process).
 */
export async function attachDaemon(options: { daemon?: boolean } = {}): Promise<ServiceClient | undefined> {
  if (options.daemon === false || !daemonWanted()) return undefined;
  // A copy without the CLI (the extension's .vsix) has no daemon to start: its callers run in process.
  if (!existsSync(verdictBin())) return undefined;
  try {
    const dir = ensureDaemonDir(daemonDir());
    await ensureDaemon(dir);
    return new ServiceClient(
      'http://localhost',
      'local',
      reattachingFetch(socketPath(dir), () => ensureDaemon(dir)),
      true,
    );
  } catch (err) {
    process.stderr.write(`verdict: the background runner could not be used (${(err as Error).message}); running in this process.\n`);
    return undefined;
  }
}
