// Judging 50 tests of a C++ A+B solution (after compile) through Verdict's warm runner, next to the
// same 50 tests run bare on the host, to one `docker run --rm` per test, and to `oj t` and isolate
// on the same binary when scripts/bench-baselines.sh has installed them, all in this one process.
//   npx tsx bench/judge-cost.ts [tests]
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Runner } from '../runner/engine';
import type { JudgeTest } from '../runner/judge/judge';

import { baselineOnce, writeAplusbTests } from './baselines';
import { dockerRunArgs, type TargetRow } from './lib';

let N = 50;
const SOURCE = '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n';
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-judge-bench-'));
chmodSync(dir, 0o755); // the containers' unprivileged user reads the binary from it

const makeTests = (): JudgeTest[] =>
  Array.from({ length: N }, (_, i) => ({
    name: String(i + 1),
    input: { text: `${i} ${i * 7}\n` },
    answer: { text: `${i * 8}\n` },
    group: [],
  }));

let tests: JudgeTest[] = [];

/**
 * The bare baseline spawns with spawnSync, the cheapest way Node has to run a process, not with
 * execa as the rest of the bench does: execa costs about 2 ms more a process (2.2–2.6 ms for a
 * static binary, measured here), which would be counted to bare and use up most of the per-test
 * target's 2 ms.
 */
function runBare(binary: string): number {
  const t = performance.now();
  for (const test of tests) {
    const r = spawnSync(binary, [], { input: (test.input as { text: string }).text, encoding: 'utf8' });
    if (r.stdout !== (test.answer as { text: string }).text) throw new Error(`bare run gave ${r.stdout}`);
  }
  return performance.now() - t;
}

async function runDockerPerTest(): Promise<number> {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const t = performance.now();
  for (const test of tests) {
    const r = await execa(
      'docker',
      [...dockerRunArgs({ pids: 72, memory: '512m', stdin: true }), '-v', `${dir}:/box:ro`, 'verdict/gcc:latest', '/box/aplusb'],
      { input: (test.input as { text: string }).text, stripFinalNewline: false },
    );
    if (r.stdout !== (test.answer as { text: string }).text) throw new Error(`docker run gave ${r.stdout} ${r.stderr}`);
  }
  return performance.now() - t;
}

/** With docker false, the `docker run` per test baseline is left out (a quick comparison of two builds). */
export async function judgeCost(n: number, options: { docker?: boolean } = {}): Promise<TargetRow[]> {
  N = n;
  tests = makeTests();
  writeFileSync(path.join(dir, 'aplusb.cpp'), SOURCE);
  const { execa } = await import('execa');
  await execa('g++', ['-O2', '-std=gnu++17', '-static', '-o', path.join(dir, 'aplusb'), path.join(dir, 'aplusb.cpp')]);
  runBare(path.join(dir, 'aplusb')); // warm the page cache
  const bare = runBare(path.join(dir, 'aplusb'));

  const runner = await Runner.create({ pool: { idlePerShape: 1 } });
  try {
    // A first judge warms the pool, as a long-lived runner (language server, service) would be.
    await runner.judge({
      language: 'cpp',
      files: [{ name: 'a.cpp', content: SOURCE }],
      tests: tests.slice(0, 1),
      checker: { kind: 'builtin', name: 'lines' },
    });
    let compiledAt = 0;
    const started = performance.now();
    const result = await runner.judge(
      { language: 'cpp', files: [{ name: 'a.cpp', content: SOURCE }], tests, checker: { kind: 'builtin', name: 'lines' } },
      { onCompiled: () => (compiledAt = performance.now()) },
    );
    const ended = performance.now();
    if (result.status !== 'Accepted') throw new Error(`judge said ${result.status}: ${result.message}`);
    const judged = ended - compiledAt;
    // --no-docker: the quick comparison of two builds, without the baselines that take longest.
    const quick = options.docker === false;
    const docker = quick ? NaN : await runDockerPerTest();
    const folder = path.join(dir, 'tests');
    writeAplusbTests(folder, N);
    const baselines = quick ? [] : await baselineOnce(path.join(dir, 'aplusb'), folder);
    const rows: Array<[string, number]> = [
      [`bare host: ${N} runs of the static binary`, bare],
      [`verdict: judge ${N} tests after compile`, judged],
      [`verdict: compile (g++ -O2)`, compiledAt - started],
      [`docker run --rm per test (${N} containers)`, docker],
      ...baselines,
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [name, ms] of rows) console.log(`${name.padEnd(width)}  ${ms.toFixed(1).padStart(9)} ms  (${(ms / N).toFixed(2)} ms/test)`);
    console.log(
      `\nper test: verdict ${(judged / N).toFixed(2)} ms vs bare ${(bare / N).toFixed(2)} ms (+${((judged - bare) / N).toFixed(2)} ms); docker run per test / verdict = ${(docker / judged).toFixed(1)}x`,
    );
    return [
      {
        target: `Judge ${N} tests: per test ≤ bare + 2 ms`,
        measured: `${(judged / N).toFixed(2)} ms vs ${(bare / N).toFixed(2)} ms (+${((judged - bare) / N).toFixed(2)})`,
        met: judged / N <= bare / N + 2,
      },
      {
        target: `Judge ${N} tests ≥ 20× faster than docker run per test`,
        measured: `${(docker / judged).toFixed(1)}×`,
        met: docker / judged >= 20,
      },
    ];
  } finally {
    await runner.close();
  }
}

if (require.main === module) void judgeCost(Number(process.argv[2] ?? 50), { docker: process.argv[3] !== '--no-docker' });
