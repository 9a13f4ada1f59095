// The outside tools a 50-test judge is compared with, as scripts/bench-baselines.sh installs them
// from their sources: online-judge-tools' `oj t` (no sandbox) and ioi/isolate (one box reused, or a
// fresh box per test as CMS uses it). A tool that is absent or cannot run is skipped with the reason.
import { accessSync, constants, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const TOOLS_DIR = process.env.VERDICT_BENCH_TOOLS ?? path.join(homedir(), '.cache/verdict/bench-tools');
const HOW = 'run scripts/bench-baselines.sh (README, Performance)';
const ISOLATE_JUDGE = path.resolve(__dirname, 'isolate-judge.sh');

export type Found<T> = { ok: true; tool: T } | { ok: false; reason: string };

export interface Baseline {
  /** One line naming the tool, its version and how it is run here. */
  label: string;
  /** Judges the folder once (every test run, its output compared); resolves to the wall time in ms. */
  judge(): Promise<number>;
}

// Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
const execa = async () => (await import('execa')).execa;

/** The tool in the cache folder, else on PATH. */
function locate(name: string): string | undefined {
  for (const dir of [path.join(TOOLS_DIR, 'bin'), ...(process.env.PATH ?? '').split(path.delimiter)]) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** One folder of NAME.in / NAME.out tests that Verdict (`--tests`), `oj t` and isolate-judge.sh all read. */
export function writeAplusbTests(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    writeFileSync(path.join(dir, `${i}.in`), `${i} ${i * 7}\n`);
    writeFileSync(path.join(dir, `${i}.out`), `${i * 8}\n`);
  }
}

export interface OjBaselines {
  version: string;
  /** `oj t` with its defaults. */
  byDefault: Baseline;
  /** `oj t --gnu-time /bin/false`: its check of GNU time fails, so it runs each test without it. */
  withoutGnuTime: Baseline;
}

/**
 * `oj t -c ./BINARY -d TESTS` in the binary's folder, as a user runs it after `oj d`: its exact
 * comparison, its own time measurement and, as it does by default on Linux, GNU time around each
 * test for the memory figure when /usr/bin/time exists (an exec more per test: measured without too,
 * for reference). Exit 0 and "test success" mean every test passed.
 */
export async function findOj(binary: string, tests: string): Promise<Found<OjBaselines>> {
  const oj = locate('oj');
  if (!oj) return { ok: false, reason: `oj not found in ${TOOLS_DIR}/bin or on PATH: ${HOW}` };
  const run = await execa();
  // The first call after an install checks PyPI for updates (then caches the answer for 8 hours).
  const version = await run(oj, ['--version'], { reject: false });
  if (version.exitCode !== 0) return { ok: false, reason: `${oj} --version failed: ${version.stderr || version.stdout}` };
  const timed = (extra: string[]) => async () => {
    const t = performance.now();
    const r = await run(oj, ['t', '-c', `./${path.basename(binary)}`, '-d', tests, ...extra], { cwd: path.dirname(binary), reject: false });
    const ms = performance.now() - t;
    if (r.exitCode !== 0 || !String(r.stdout).includes('test success')) throw new Error(`oj t failed (${r.exitCode}): ${r.stdout}`);
    return ms;
  };
  const gnuTime = locate('time') ? 'GNU time per test' : 'no GNU time here';
  return {
    ok: true,
    tool: {
      version: `${String(version.stdout).split('\n').at(-1)} (${oj})`,
      byDefault: { label: `oj t (defaults: ${gnuTime})`, judge: timed([]) },
      withoutGnuTime: { label: 'oj t --gnu-time /bin/false (no GNU time)', judge: timed(['--gnu-time', '/bin/false']) },
    },
  };
}

export interface IsolateBaselines {
  version: string;
  oneBox: Baseline;
  freshBox: Baseline;
  /** Removes both boxes. */
  cleanup(): Promise<void>;
}

/**
 * isolate as bench/isolate-judge.sh drives it, with limits (time, wall time, memory as address space,
 * one process, file size) and a meta file, without control groups (--cg needs a cgroup v2 hierarchy
 * with the memory, pids and cpu controllers, which this host's hybrid v1 set-up does not give).
 * The reused box is initialised and given the binary once, here, outside the timed judges.
 */
export async function findIsolate(binary: string, tests: string): Promise<Found<IsolateBaselines>> {
  const isolate = locate('isolate');
  if (!isolate) return { ok: false, reason: `isolate not found in ${TOOLS_DIR}/bin or on PATH: ${HOW}` };
  const run = await execa();
  const version = await run(isolate, ['--version'], { reject: false });
  // Box ids from the pid, so two benchmarks at once do not share a box.
  const one = 100 + (process.pid % 400) * 2;
  const fresh = one + 1;
  const init = await run(isolate, [`--box-id=${one}`, '--init'], { reject: false });
  if (init.exitCode !== 0) {
    return { ok: false, reason: `${isolate} --init failed (${init.stderr.trim()}): it must run as root or be setuid root` };
  }
  copyFileSync(binary, path.join(init.stdout.trim(), 'box', 'sol'));
  const lines = String(version.stdout).split('\n');
  const timed = (args: string[]) => async () => {
    const t = performance.now();
    const r = await run(ISOLATE_JUDGE, [isolate, ...args], { reject: false });
    const ms = performance.now() - t;
    if (r.exitCode !== 0) throw new Error(`isolate-judge.sh ${args.join(' ')} failed: ${r.stderr}`);
    return ms;
  };
  return {
    ok: true,
    tool: {
      version: `${lines[0]}, ${lines.find((l) => l.startsWith('Built')) ?? ''} (${isolate}; no --cg)`,
      oneBox: { label: `isolate, one box (id ${one}) reused for every test`, judge: timed([String(one), tests]) },
      freshBox: { label: `isolate, a fresh box per test (--init, copy, run, --cleanup)`, judge: timed([String(fresh), tests, binary]) },
      async cleanup() {
        for (const id of [one, fresh]) await run(isolate, [`--box-id=${id}`, '--cleanup'], { reject: false });
      },
    },
  };
}

/**
 * Each baseline present judging the folder once after a warm-up call: [label, ms] rows for a
 * per-test table (bench/judge-cost.ts). Absent tools are printed with the reason and left out.
 */
export async function baselineOnce(binary: string, tests: string): Promise<Array<[string, number]>> {
  const rows: Array<[string, number]> = [];
  const oj = await findOj(binary, tests);
  if (oj.ok) {
    await oj.tool.byDefault.judge();
    rows.push(['oj t over the folder (no sandbox; its start included)', await oj.tool.byDefault.judge()]);
  } else console.log(`oj t: not measured — ${oj.reason}`);
  const isolate = await findIsolate(binary, tests);
  if (!isolate.ok) {
    console.log(`isolate: not measured — ${isolate.reason}`);
    return rows;
  }
  try {
    for (const [name, b] of [
      ['isolate-judge.sh, one box reused (no --cg)', isolate.tool.oneBox],
      ['isolate-judge.sh, a fresh box per test (no --cg)', isolate.tool.freshBox],
    ] as const) {
      await b.judge();
      rows.push([name, await b.judge()]);
    }
  } finally {
    await isolate.tool.cleanup();
  }
  return rows;
}
