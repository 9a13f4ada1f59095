// The cost of one run through Verdict's warm runner, next to bare execution on the host and to a
// container per run (`docker run --rm` with the same limits), all measured in this one process.
//   npx tsx bench/run-cost.ts [repetitions]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Runner } from '../runner/engine';
import { dockerRunArgs, stats, time, type Stats, type TargetRow } from './lib';

const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-'));
const PY = 'print("Hello, World!")\n';
const C = '#include <stdio.h>\nint main(void) { puts("Hello, World!"); return 0; }\n';

/**
 * The bare baseline spawns with spawnSync, the cheapest way Node has to run a process, not with
 * execa as the rest of the bench does: execa costs about 2 ms more a process (2.2–2.6 ms for a
 * static binary, measured here), which would be counted to bare and loosen the target by as much.
 */
function bare(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

const DOCKER_LIMITS = dockerRunArgs({ pids: 72, memory: '512m', tmpfs: true });

export async function runCost(N: number): Promise<TargetRow[]> {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  writeFileSync(path.join(dir, 'hello.py'), PY);
  writeFileSync(path.join(dir, 'hello.c'), C);
  await execa('gcc', ['-O2', '-static', '-o', path.join(dir, 'hello'), path.join(dir, 'hello.c')]);

  const rows: Array<[string, Stats]> = [];
  // Debian's python3, the same build the image has (a pyenv python first on PATH may start 5x slower).
  rows.push(['bare host: /usr/bin/python3 hello.py', await time(N, () => bare('/usr/bin/python3', [path.join(dir, 'hello.py')]))]);
  rows.push(['bare host: static C hello', await time(N, () => bare(path.join(dir, 'hello'), []))]);
  rows.push([
    'docker run --rm (python3 image): python3 -c',
    await time(Math.min(N, 10), () =>
      execa('docker', [...DOCKER_LIMITS, 'verdict/python3:latest', 'python3', '-c', PY], { stdin: 'ignore' }),
    ),
  ]);

  const runner = await Runner.create({ pool: { idlePerShape: 1 } });
  try {
    const py = () => runner.run({ language: 'python3', files: [{ name: 'hello.py', content: PY }] });
    const c = () => runner.run({ language: 'c', files: [{ name: 'hello.c', content: C }] });
    const cold = performance.now();
    const first = await py();
    const coldMs = performance.now() - cold;
    if (first.stdout !== 'Hello, World!\n') throw new Error(`unexpected output: ${JSON.stringify(first)}`);
    let inner: number[] = [];
    rows.push(['verdict warm: python3 hello (submission)', await time(N, async () => inner.push((await py()).wallMs))]);
    rows.push(['  of which the program in its sandbox (wallMs)', stats(inner)]);
    inner = [];
    let compile: number[] = [];
    rows.push([
      'verdict warm: C hello (compile + run)',
      await time(N, async () => {
        const r = await c();
        inner.push(r.wallMs);
        compile.push(r.compile!.timeMs);
      }),
    ]);
    rows.push(['  of which the program in its sandbox (wallMs)', stats(inner)]);
    rows.push(['  of which gcc CPU time (compile.timeMs)', stats(compile)]);
    compile = [];
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`${'measure'.padEnd(width)}  ${'min'.padStart(8)} ${'median'.padStart(8)} ${'max'.padStart(8)}  (ms, ${N} runs)`);
    for (const [name, s] of rows)
      console.log(
        `${name.padEnd(width)}  ${s.min.toFixed(1).padStart(8)} ${s.median.toFixed(1).padStart(8)} ${s.max.toFixed(1).padStart(8)}`,
      );
    const bare = rows[0]![1].median;
    const docker = rows[2]![1].median;
    const warm = rows[3]![1].median;
    console.log(`\ncold start (first run, no warm container): ${coldMs.toFixed(0)} ms`);
    console.log(
      `python hello: verdict warm − bare = ${(warm - bare).toFixed(1)} ms; verdict / docker run --rm = ${(warm / docker).toFixed(3)}`,
    );
    return [
      {
        target: 'Run Python hello warm ≤ bare + 30 ms',
        measured: `${warm.toFixed(1)} ms vs bare ${bare.toFixed(1)} (+${(warm - bare).toFixed(1)})`,
        met: warm <= bare + 30,
      },
      {
        target: 'Run Python hello warm ≤ 0.25× docker run --rm',
        measured: `${(warm / docker).toFixed(3)}× (${docker.toFixed(0)} ms)`,
        met: warm <= 0.25 * docker,
      },
      { target: 'cold start (first Run, no warm container) ≤ 1.5 s', measured: `${coldMs.toFixed(0)} ms`, met: coldMs <= 1500 },
    ];
  } finally {
    await runner.close();
  }
}

if (require.main === module) void runCost(Number(process.argv[2] ?? 20));
