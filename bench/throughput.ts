// Throughput: distinct trivial C submissions (compile + run, each in its own fresh sandbox) through
// the runner library with its default pool, against a container-per-submission runner (one
// `docker run --rm` that compiles and runs), both with the same concurrency, in this one process.
//   npx tsx bench/throughput.ts [submissions]
import { Runner } from '../runner/engine';
import { dockerRunArgs, type TargetRow } from './lib';

const source = (i: number) => `#include <stdio.h>\nint main(void) { printf("%d\\n", ${i}); return 0; }\n`;

async function inParallel(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i; (i = next++) < count;) await job(i);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function dockerRun(i: number): Promise<void> {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const r = await execa(
    'docker',
    [
      ...dockerRunArgs({ pids: 136, memory: '768m', tmpfs: true, stdin: true }),
      '-w',
      '/tmp',
      'verdict/gcc:latest',
      'sh',
      '-c',
      'cat > m.c && gcc -O2 -std=gnu17 -static -o m m.c -lm && ./m',
    ],
    { input: source(i) },
  );
  if (r.stdout.trim() !== String(i)) throw new Error(`docker run ${i}: ${r.stdout}`);
}

export async function throughput(count: number): Promise<TargetRow[]> {
  const runner = await Runner.create({ compileCache: false });
  const concurrency = 4; // more than the pool's busy slots, as a burst would be
  const salt = Date.now();
  let verdictSeconds: number;
  let runOnlySeconds: number;
  try {
    await runner.run({ language: 'c', files: [{ name: 'w.c', content: source(-1) }] }); // the first container
    verdictSeconds = await inParallel(count, concurrency, async (i) => {
      const r = await runner.run({ language: 'c', files: [{ name: 'm.c', content: source(i) + `// ${salt}\n` }] });
      if (r.status !== 'Accepted' || r.stdout.trim() !== String(i)) throw new Error(`submission ${i}: ${r.status} ${r.message}`);
    });
  } finally {
    await runner.close();
  }
  // The runner's own capacity, without gcc: one C program, distinct inputs, artifacts from the compile cache.
  const cached = await Runner.create({});
  try {
    const echo = '#include <stdio.h>\nint main(void) { int x; scanf("%d", &x); printf("%d\\n", x); return 0; }\n';
    await cached.run({ language: 'c', files: [{ name: 'e.c', content: echo }], stdin: '0' });
    runOnlySeconds = await inParallel(count, concurrency, async (i) => {
      const r = await cached.run({ language: 'c', files: [{ name: 'e.c', content: echo }], stdin: String(i) });
      if (r.stdout.trim() !== String(i)) throw new Error(`run ${i}: ${r.status}`);
    });
  } finally {
    await cached.close();
  }
  const baselineCount = Math.min(count, 40);
  const dockerSeconds = await inParallel(baselineCount, concurrency, dockerRun);
  const rate = count / verdictSeconds;
  const baseline = baselineCount / dockerSeconds;
  console.log(
    `verdict: ${count} distinct C submissions in ${verdictSeconds.toFixed(2)} s = ${rate.toFixed(1)}/s (pool: ${2} busy slots, concurrency ${concurrency})`,
  );
  console.log(`container per submission: ${baselineCount} in ${dockerSeconds.toFixed(2)} s = ${baseline.toFixed(1)}/s`);
  console.log(`(for scale: the same C program with distinct inputs, compile cache hits: ${(count / runOnlySeconds).toFixed(1)}/s)`);
  return [
    { target: 'throughput ≥ 40 distinct C submissions/s', measured: `${rate.toFixed(1)}/s`, met: rate >= 40 },
    {
      target: 'throughput ≥ 5× container per submission',
      measured: `${(rate / baseline).toFixed(1)}× (${baseline.toFixed(1)}/s)`,
      met: rate >= 5 * baseline,
    },
  ];
}

if (require.main === module) void throughput(Number(process.argv[2] ?? 100));
