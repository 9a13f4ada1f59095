// Two builds of the images side by side in one process, interleaved round by round so that both see
// the same machine: VERDICT_IMAGE_NAMESPACE's images ("new") against another namespace's ("old",
// tagged into this namespace as <recipe>-old). Per round: a judge of 50 C++ A+B tests on each (binary
// cached; wall per test next to bare spawnSync runs of the same binary) and distinct Python hellos on
// each (CPU per submission where it is spent).
//   VERDICT_IMAGE_NAMESPACE=verdict-h3 npx tsx bench/ab.ts verdict [rounds]
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { Runner } from '../runner/engine';
import { loadLanguages, type LanguageDefinition } from '../runner/languages';
import { imageName } from '../runner/images/names';
import type { JudgeTest } from '../runner/judge/judge';
import { daemonsCpu, kernelThreadsCpu, stats } from './lib';

const SOURCE = '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n';
const N = 50;
const tests: JudgeTest[] = Array.from({ length: N }, (_, i) => ({
  name: String(i + 1),
  input: { text: `${i} ${i * 7}\n` },
  answer: { text: `${i * 8}\n` },
  group: [],
}));

/** CPU ms of each of this process's containers, by image. */
function containersCpuByImage(): Map<string, number> {
  const lines = execFileSync(
    'docker',
    ['ps', '--no-trunc', '--filter', `label=verdict.pid=${process.pid}`, '--format', '{{.ID}} {{.Image}}'],
    {
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean);
  const byImage = new Map<string, number>();
  for (const line of lines) {
    const [id, image] = line.split(' ') as [string, string];
    try {
      const ms = Number(readFileSync(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, 'utf8')) / 1e6;
      byImage.set(image, (byImage.get(image) ?? 0) + ms);
    } catch {
      // gone meanwhile, or cgroup v2 (not measured here)
    }
  }
  return byImage;
}

async function main(): Promise<void> {
  const against = process.argv[2] ?? 'verdict';
  const rounds = Number(process.argv[3] ?? 8);
  const docker = new Docker();
  const languages = new Map(loadLanguages());
  for (const [id, recipe] of [
    ['cpp', 'gcc'],
    ['python3', 'python3'],
  ] as const) {
    const [repo] = imageName(`${recipe}-old`).split(':') as [string];
    await docker.getImage(`${against}/${recipe}:latest`).tag({ repo, tag: 'latest' });
    const own = languages.get(id)!;
    languages.set(`${id}-old`, { ...own, id: `${id}-old`, image: `${recipe}-old` } as LanguageDefinition);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-ab-'));
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, 'a.cpp'), SOURCE);
  execFileSync('g++', ['-O2', '-std=gnu++17', '-static', '-o', path.join(dir, 'a'), path.join(dir, 'a.cpp')]);

  const runner = await Runner.create({ languages, pool: { idlePerShape: 1, maxBusy: 2 } });
  const sides = ['new', 'old'] as const;
  const lang = (side: (typeof sides)[number], id: string) => (side === 'new' ? id : `${id}-old`);
  const perTest: Record<string, number[]> = { new: [], old: [], bare: [] };
  const cpu: Record<string, { containers: number; node: number; docker: number; kernel: number; n: number }> = {
    new: { containers: 0, node: 0, docker: 0, kernel: 0, n: 0 },
    old: { containers: 0, node: 0, docker: 0, kernel: 0, n: 0 },
  };
  let hello = 0;
  try {
    for (const side of sides) {
      // Warm: a container of each, the binary in the compile cache.
      await runner.judge({
        language: lang(side, 'cpp'),
        files: [{ name: 'a.cpp', content: SOURCE }],
        tests: tests.slice(0, 1),
        checker: { kind: 'builtin', name: 'lines' },
      });
      await runner.run({ language: lang(side, 'python3'), files: [{ name: 'm.py', content: 'print(0)\n' }] });
    }
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [...sides].reverse() : sides;
      const t = performance.now();
      for (const test of tests) spawnSync(path.join(dir, 'a'), [], { input: (test.input as { text: string }).text });
      perTest.bare!.push((performance.now() - t) / N);
      for (const side of order) {
        let compiledAt = 0;
        const result = await runner.judge(
          { language: lang(side, 'cpp'), files: [{ name: 'a.cpp', content: SOURCE }], tests, checker: { kind: 'builtin', name: 'lines' } },
          { onCompiled: () => (compiledAt = performance.now()) },
        );
        const ended = performance.now();
        if (result.status !== 'Accepted') throw new Error(`${side}: ${result.status}`);
        perTest[side]!.push((ended - compiledAt) / N);
      }
      for (const side of order) {
        const c = cpu[side]!;
        const before = containersCpuByImage();
        const d0 = daemonsCpu(['dockerd', 'containerd']);
        const k0 = kernelThreadsCpu();
        const n0 = process.cpuUsage();
        for (let i = 0; i < 10; i++) {
          const content = `print(${++hello})\n`;
          const res = await runner.run({ language: lang(side, 'python3'), files: [{ name: 'm.py', content }] });
          if (res.stdout !== `${hello}\n`) throw new Error(`${side} hello: ${res.status} ${res.message}`);
        }
        const nUsed = process.cpuUsage(n0);
        c.node += (nUsed.user + nUsed.system) / 1000;
        c.kernel += kernelThreadsCpu() - k0;
        c.docker += daemonsCpu(['dockerd', 'containerd']) - d0;
        const after = containersCpuByImage();
        const image = imageName(side === 'new' ? 'python3' : 'python3-old');
        c.containers += (after.get(image) ?? 0) - (before.get(image) ?? 0);
        c.n += 10;
      }
      console.log(`round ${r + 1}/${rounds} (load ${loadavg()[0]!.toFixed(2)})`);
    }
  } finally {
    await runner.close();
  }
  const med = (xs: number[]) => stats(xs).median.toFixed(2);
  console.log(
    `\nload average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${rounds} interleaved rounds`,
  );
  console.log(
    `judge ${N} C++ A+B tests, per test (median of rounds): bare ${med(perTest.bare!)} ms; new ${med(perTest.new!)} ms; old ${med(perTest.old!)} ms`,
  );
  console.log(
    `  all rounds: new ${perTest.new!.map((x) => x.toFixed(2)).join(' ')}; old ${perTest.old!.map((x) => x.toFixed(2)).join(' ')}; bare ${perTest.bare!.map((x) => x.toFixed(2)).join(' ')}`,
  );
  for (const side of sides) {
    const c = cpu[side]!;
    const per = (x: number) => x / c.n;
    const total = per(c.containers + c.node + c.docker);
    console.log(
      `Python hello (${side}): CPU per submission: container ${per(c.containers).toFixed(2)} + Node ${per(c.node).toFixed(2)} + Docker ${per(c.docker).toFixed(2)} (shared: upper bound) = ${total.toFixed(2)} ms; kernel threads ${per(c.kernel).toFixed(2)} ms (bare python3: bench/cpu-breakdown.ts 20 python)`,
    );
  }
}

void main();
