// Shared by the benchmarks: repeated timing with min/median/max, and the table of targets.
export interface Stats {
  min: number;
  median: number;
  max: number;
}

export interface TargetRow {
  target: string;
  measured: string;
  /** null: not measured in this run (a baseline tool is absent); printed as such, never as met. */
  met: boolean | null;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
}

/** Runs fn once to warm up, then n times; returns the spread of wall times in ms. */
export async function time(n: number, fn: () => unknown): Promise<Stats> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

export function fmt(s: Stats): string {
  return `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
}

export function printTargets(rows: TargetRow[]): void {
  const w0 = Math.max(6, ...rows.map((r) => r.target.length));
  const w1 = Math.max(8, ...rows.map((r) => r.measured.length));
  console.log(`\n${'target'.padEnd(w0)}  ${'measured'.padEnd(w1)}  met`);
  for (const r of rows)
    console.log(`${r.target.padEnd(w0)}  ${r.measured.padEnd(w1)}  ${r.met === null ? 'not measured' : r.met ? 'yes' : 'NO'}`);
}

/**
 * `docker run` with the limits Verdict's containers get (network none, read-only root, uid 10001,
 * no capabilities, no-new-privileges, pids, memory = memory + swap, one CPU, an init): the
 * container-per-submission baseline the benchmarks compare against.
 */
export function dockerRunArgs(options: { pids: number; memory: string; tmpfs?: boolean; stdin?: boolean }): string[] {
  return [
    'run',
    '--rm',
    ...(options.stdin ? ['-i'] : []),
    '--network',
    'none',
    '--read-only',
    ...(options.tmpfs ? ['--tmpfs', '/tmp:rw,exec,size=65536k'] : []),
    '--user',
    '10001:10001',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--pids-limit',
    String(options.pids),
    '--memory',
    options.memory,
    '--memory-swap',
    options.memory,
    '--cpus',
    '1',
    '--init',
  ];
}
