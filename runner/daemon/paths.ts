// Where this user's background runner lives (a private folder holding its unix socket, its record and
// its log), whether it is wanted, and which build it must be. Loaded by every CLI call: nothing heavy.
import { lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** What a running daemon says of itself (GET /daemon). */
export interface DaemonInfo {
  pid: number;
  build: string;
  startedAt: string;
  idleMs: number;
  rssBytes: number;
}

export const DEFAULT_IDLE_MS = 15 * 60_000;

export { daemonWanted } from '../../protocol/daemon';

export function idleMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.VERDICT_DAEMON_IDLE_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_IDLE_MS;
}

function uid(): number {
  return process.getuid?.() ?? 0;
}

/**
 * The daemon's folder: VERDICT_DAEMON_DIR, else $XDG_RUNTIME_DIR/verdict (a per-user tmpfs that only
 * its owner may enter), else /tmp/verdict-UID. Made 0700; refused if another user owns it or others
 * may enter it (anyone who can reach the socket can run code as this user, in the sandbox).
 */
export function daemonDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VERDICT_DAEMON_DIR) return path.resolve(env.VERDICT_DAEMON_DIR);
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && statSync(runtime, { throwIfNoEntry: false })?.uid === uid()) return path.join(runtime, 'verdict');
  return path.join(os.tmpdir(), `verdict-${uid()}`);
}

export class DaemonDirUnsafe extends Error {
  override name = 'DaemonDirUnsafe';
}

/** Makes the folder (0700) or checks the one there: ours, a real folder (not a symlink), closed to others. */
export function ensureDaemonDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid() || (st.mode & 0o077) !== 0)
    throw new DaemonDirUnsafe(
      `${dir} is not a private folder of this user (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)}): remove it, or set VERDICT_DAEMON_DIR, or run with --no-daemon.`,
    );
  return dir;
}

export const socketPath = (dir: string) => path.join(dir, 'daemon.sock');
/** The native client's door (runner/daemon/native-door.ts). */
export const nativeSocketPath = (dir: string) => path.join(dir, 'cli.sock');
export const logPath = (dir: string) => path.join(dir, 'daemon.log');
export const lockPath = (dir: string) => path.join(dir, 'start.lock');

/**
 * This build's identity: VERDICT_BUILD_ID when set (tests), else the version and the size and time of
 * the CLI bundle (rebuilt on every change; every bundle that attaches — the quick path's, the
 * language server's — names the same one), or of this file in a checkout without bundles. A daemon
 * of another build is replaced by the first call that sees it.
 */
export function buildId(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VERDICT_BUILD_ID) return env.VERDICT_BUILD_ID;
  const st = statSync(path.join(packageRoot(), 'dist', 'runner', 'cli.js'), { throwIfNoEntry: false }) ?? statSync(__filename);
  return `${packageVersion()}+${st.size.toString(36)}.${Math.round(st.mtimeMs).toString(36)}`;
}

/** Environment a runner reads (Docker's address, the VERDICT_ settings): a daemon serves callers of its own. */
const NOT_THE_RUNNERS = new Set([
  'VERDICT_DAEMON',
  'VERDICT_DAEMON_DIR',
  'VERDICT_DAEMON_IDLE_MS',
  'VERDICT_BUILD_ID',
  'VERDICT_LOG_LEVEL',
  'VERDICT_TOKEN',
]);

/**
 * What a daemon must match to serve a call: this build, and the environment its runner would read
 * (DOCKER_*, XDG_CACHE_HOME, VERDICT_* settings). Another key is replaced by the next call, as a new build is.
 */
export function daemonKey(env: NodeJS.ProcessEnv = process.env): string {
  const relevant = Object.keys(env)
    .filter((k) => (k.startsWith('VERDICT_') && !NOT_THE_RUNNERS.has(k)) || k.startsWith('DOCKER_') || k === 'XDG_CACHE_HOME')
    .sort()
    .map((k) => `${k}=${env[k]}`)
    .join('\0');
  return relevant ? `${buildId(env)}/${createHash('sha256').update(relevant).digest('hex').slice(0, 12)}` : buildId(env);
}

/** The version in package.json (read, not bundled), '0' for a bundle outside its package. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0';
  }
}

/** The package's root: two folders above this file, as source (runner/daemon/) or bundled (dist/runner/). */
export function packageRoot(): string {
  return path.resolve(__dirname, '..', '..');
}

/** The `verdict` command's script, to start the daemon with the same Node. */
export function verdictBin(): string {
  return path.join(packageRoot(), 'bin', 'verdict.js');
}
