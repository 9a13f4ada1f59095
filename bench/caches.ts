// Cache hits and footprint: the compile step with a compile-cache hit, an identical run answered
// from the result cache, and the runner's idle memory.
//   npx tsx bench/caches.ts [repetitions]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Runner } from '../runner/engine';
import { CompileCache } from '../runner/cache/compile-cache';
import { fmt, stats, time, type TargetRow } from './lib';

const C = '#include <stdio.h>\nint main(void) { puts("cached"); return 0; }\n';

/**
 * The runner as shipped (the esbuild bundle, not this tsx process) in a process of its own: RSS once
 * idle after some runs, with its pool warm and its caches in use.
 */
async function idleRunnerRssMb(): Promise<number> {
  const bundle = path.resolve(__dirname, '../dist/runner/index.js');
  const script = `
    const { Runner } = require(${JSON.stringify(bundle)});
    (async () => {
      const r = await Runner.create({});
      for (let i = 0; i < 20; i++) await r.run({ language: 'python3', files: [{ name: 'a.py', content: 'print(' + i + ')' }] });
      await r.run({ language: 'c', files: [{ name: 'a.c', content: 'int main(void){return 0;}' }] });
      await new Promise((res) => setTimeout(res, 1000));
      global.gc();
      process.stdout.write(String(process.memoryUsage().rss));
      await r.close();
    })();`;
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const { stdout } = await execa(process.execPath, ['--expose-gc', '-e', script]);
  return Number(stdout) / 1024 / 1024;
}

export async function caches(n: number): Promise<TargetRow[]> {
  const runner = await Runner.create({ compileCache: new CompileCache({ dir: mkdtempSync(path.join(tmpdir(), 'verdict-bench-cc-')) }) });
  try {
    const { spec, language } = runner.parseSpec({ language: 'c', files: [{ name: 'a.c', content: C }] });
    // The compile step alone (prepare), on a warm container, with the artifacts in the cache.
    await runner.run({ language: 'c', files: [{ name: 'a.c', content: C }] });
    const prepareTimes: number[] = [];
    for (let i = 0; i < n; i++) {
      const submission = await runner.open(spec, language);
      try {
        const t = performance.now();
        const compile = await submission.prepare(runner.compileCache);
        prepareTimes.push(performance.now() - t);
        if (!compile?.cached) throw new Error('expected a compile cache hit');
      } finally {
        await submission.release();
      }
    }
    const compileHit = stats(prepareTimes);

    const run = { language: 'python3', files: [{ name: 'a.py', content: 'print(42)' }], cache: true };
    await runner.run(run);
    const resultHit = await time(n, async () => {
      const r = await runner.run(run);
      if (!r.cached) throw new Error('expected a result cache hit');
    });

    const rssMb = await idleRunnerRssMb();
    console.log(`compile step with a cache hit: ${fmt(compileHit)}`);
    console.log(`identical run from the result cache: ${fmt(resultHit)}`);
    console.log(`runner idle RSS (the bundled library, after 20 runs, pool warm): ${rssMb.toFixed(1)} MB`);
    return [
      { target: 'compile cache hit: compile step ≤ 5 ms', measured: `${compileHit.median.toFixed(2)} ms`, met: compileHit.median <= 5 },
      { target: 'result cache hit ≤ 5 ms', measured: `${resultHit.median.toFixed(2)} ms`, met: resultHit.median <= 5 },
      { target: 'runner idle RSS ≤ 80 MB', measured: `${rssMb.toFixed(1)} MB`, met: rssMb <= 80 },
    ];
  } finally {
    await runner.close();
  }
}

if (require.main === module) void caches(Number(process.argv[2] ?? 20));
