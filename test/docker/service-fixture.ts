// The real classroom service for tests and benchmarks: `verdict serve` as its own process on a free
// loopback port (so a test can kill -9 it), the `verdict` CLI as a user runs it, and tokens made with
// it. Whoever starts a server stops it (stop() kills it if SIGTERM does not end it in time).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'bin/verdict.js');

export interface RunningServer {
  url: string;
  pid: number;
  /** What it logged on stderr (the last 1 MiB). */
  log: () => string;
  /** Ends it (SIGTERM by default: a graceful stop) and waits for the process to be gone. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

async function execa() {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  return (await import('execa')).execa;
}

/** Runs the CLI; `env` is added to this process's environment. */
export async function cli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const run = await execa();
  const r = await run(process.execPath, [CLI, ...args], {
    env: options.env ?? {},
    ...(options.cwd ? { cwd: options.cwd } : {}),
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    timeout: 120_000,
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/** A token made with `verdict token create` on the server's data folder. */
export async function makeToken(dataDir: string, name: string, role: string, cls: string): Promise<string> {
  const r = await cli(['token', 'create', '--name', name, '--role', role, '--class', cls, '--data', dataDir]);
  if (r.exitCode !== 0) throw new Error(`verdict token create failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Starts `verdict serve --port 0 --data DIR [extra]` and resolves once it listens (and, with `ready`, answers /readyz). */
export async function startServer(
  dataDir: string,
  extra: string[] = [],
  options: { ready?: boolean; logLevel?: string } = {},
): Promise<RunningServer> {
  const run = await execa();
  // VERDICT_PROFILE_DIR=DIR: the server writes a CPU profile there when it stops (for the bench).
  const profile = process.env.VERDICT_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VERDICT_PROFILE_DIR}`] : [];
  const child = run(process.execPath, [...profile, CLI, 'serve', '--port', '0', '--data', dataDir, ...extra], {
    reject: false,
    stdin: 'ignore',
    env: { VERDICT_LOG_LEVEL: options.logLevel ?? 'debug' },
    buffer: false,
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-1024 * 1024)));
  let stopped: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    (stopped ??= (async () => {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
      await child;
      clearTimeout(timer);
    })());
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void child.then(() => reject(new Error(`verdict serve ended: ${log}`)));
    });
    if (options.ready)
      for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 100))) {
        const res = await fetch(`${url}/readyz`).catch(() => undefined);
        if (res?.ok) break;
        if (Date.now() > deadline) throw new Error(`verdict serve not ready in 60 s: ${res ? await res.text() : 'unreachable'}`);
      }
    return { url, pid: child.pid!, log: () => log, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * An a + b problem package in `dir`: one sample (1 2 → 3) and the hidden tests given as [input,
 * answer]. Tests that look for leaks give hidden data that is unmistakable: 18-digit numbers, longer
 * than any number a log line, a metric or an id holds, so a match can only be a leak.
 */
export function writeSumProblem(dir: string, name: string, hidden: Array<[string, string]>): string {
  mkdirSync(path.join(dir, 'data/sample'), { recursive: true });
  mkdirSync(path.join(dir, 'data/secret'), { recursive: true });
  writeFileSync(path.join(dir, 'problem.yaml'), `name: ${name}\n`);
  writeFileSync(path.join(dir, 'data/sample/1.in'), '1 2\n');
  writeFileSync(path.join(dir, 'data/sample/1.ans'), '3\n');
  hidden.forEach(([input, answer], i) => {
    writeFileSync(path.join(dir, `data/secret/${i + 1}.in`), input);
    writeFileSync(path.join(dir, `data/secret/${i + 1}.ans`), answer);
  });
  return dir;
}
