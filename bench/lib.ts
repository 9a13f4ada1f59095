// Shared by the benchmarks: repeated timing with min/median/max, the table of targets, and where CPU
// is spent (Docker's daemons, the containers' cgroups, the kernel's own threads).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 1000 / 100; // USER_HZ
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

/** CPU ms of processes by name, from /proc (utime + stime, children not included). */
export function daemonsCpu(names: string[]): number {
  return procCpu((name) => names.some((n) => name.startsWith(n)));
}

/**
 * CPU ms of the kernel's own threads (children of kthreadd, pid 2): work the kernel defers to its
 * queues, such as tearing down a network namespace, which no process's rusage shows.
 */
export function kernelThreadsCpu(): number {
  return procCpu((_name, ppid) => ppid === '2');
}

function procCpu(pick: (name: string, ppid: string) => boolean): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (!pick(name, fields[1]!)) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // ended meanwhile
    }
  }
  return ticks * TICK_MS;
}

/** CPU ms of this runner's containers (cgroup v1 cpuacct or v2 cpu.stat), by the label with our pid. */
export function containersCpu(): Map<string, number> {
  const ids = execFileSync('docker', ['ps', '-q', '--no-trunc', '--filter', `label=verdict.pid=${process.pid}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const usage = new Map<string, number>();
  for (const id of ids) {
    for (const file of [`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`]) {
      try {
        const text = readFileSync(file, 'utf8');
        usage.set(id, file.endsWith('cpu.stat') ? Number(/usage_usec (\d+)/.exec(text)![1]) / 1000 : Number(text) / 1e6);
        break;
      } catch {
        // the other cgroup layout
      }
    }
  }
  return usage;
}
