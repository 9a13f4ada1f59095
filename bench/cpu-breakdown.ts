// Where the CPU of one distinct C submission goes: bare gcc on the host split into compile+assemble
// and the static link (with BFD ld, and gold for comparison), the program; then the same submissions
// through the runner, its CPU counted where it is spent — the containers' cgroups (gcc, the program,
// the supervisor), this Node process (the runner), and Docker's daemons (dockerd, containerd, shims:
// shared with anyone else using Docker here, so an upper bound). The CPU-bound limit of the issue is
// cores ÷ bare CPU per submission.
//   npx tsx bench/cpu-breakdown.ts [submissions]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Runner } from '../runner/engine';
import { containersCpu, daemonsCpu, type TargetRow } from './lib';

const dir = mkdtempSync(path.join(tmpdir(), 'verdict-cpu-bench-'));
const source = (i: number) => `#include <stdio.h>\nint main(void) { printf("%d\\n", ${i}); return 0; }\n// ${Date.now()}\n`;
const cppSource = (i: number) => `#include <iostream>\nint main() { std::cout << ${i} << "\\n"; }\n// ${Date.now()}\n`;
const pySource = (i: number) => `print(${i})\n# ${Date.now()}\n`;

/** CPU ms (user + system) of a command and its children, from bash's `times` (getrusage, ms precision; /usr/bin/time rounds to 10 ms). */
function cpuOf(cmd: string, args: string[]): number {
  const r = spawnSync('bash', ['-c', '"$@" > /dev/null || exit 1; times', '_', cmd, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  // The second line is the children's: "0m0.012s 0m0.004s".
  const children = r.stdout.trim().split('\n').at(-1)!.split(' ');
  return children.reduce((sum, t) => {
    const [, m, sec] = /^(\d+)m([\d.]+)s$/.exec(t)!;
    return sum + (Number(m) * 60 + Number(sec)) * 1000;
  }, 0);
}

export async function cpuBreakdown(N: number): Promise<TargetRow[]> {
  console.log(`load average at start: ${loadavg()[0]!.toFixed(2)}; ${N} distinct submissions each way`);
  // Bare, on the host: the image's gcc is Debian 12's, as the host's.
  let compile = 0;
  let link = 0;
  let gold = 0;
  let full = 0;
  let fullGold = 0;
  let run = 0;
  for (let i = 0; i < N; i++) {
    const c = path.join(dir, `m${i}.c`);
    writeFileSync(c, source(i));
    full += cpuOf('gcc', ['-O2', '-std=gnu17', '-static', '-DONLINE_JUDGE', '-o', path.join(dir, 'full'), c, '-lm']);
    fullGold += cpuOf('gcc', ['-O2', '-std=gnu17', '-static', '-fuse-ld=gold', '-DONLINE_JUDGE', '-o', path.join(dir, 'fullg'), c, '-lm']);
    compile += cpuOf('gcc', ['-O2', '-std=gnu17', '-DONLINE_JUDGE', '-c', '-o', path.join(dir, 'm.o'), c]);
    link += cpuOf('gcc', ['-static', '-o', path.join(dir, 'm'), path.join(dir, 'm.o'), '-lm']);
    gold += cpuOf('gcc', ['-static', '-fuse-ld=gold', '-o', path.join(dir, 'mg'), path.join(dir, 'm.o'), '-lm']);
    run += cpuOf(path.join(dir, 'm'), []);
  }
  const bare = (full + run) / N;
  const c = await verdictCpu(N, 'c', 'm.c', source);
  const cores = availableParallelism();
  const rows: Array<[string, number]> = [
    ['C: bare gcc -O2 -static (compile, assemble, link)', full / N],
    ['  of which compile + assemble (gcc -c)', compile / N],
    ['  of which the static link, BFD ld', link / N],
    ['  (the static link with gold instead)', gold / N],
    ['C: bare gcc -O2 -static -fuse-ld=gold (as languages/c.json)', fullGold / N],
    ['C: bare, the program', run / N],
    ['C: verdict in its containers (gcc, program, supervisor)', c.containers],
    ['C: verdict, the runner (this Node process)', c.node],
    ['C: verdict, dockerd + containerd + shims (upper bound: shared)', c.docker],
    ['C: verdict total', c.total],
  ];

  // C++ and Python: bare (the flags, BFD ld for C++) against Verdict's total.
  let cppBare = 0;
  let pyBare = 0;
  for (let i = 0; i < N; i++) {
    const cc = path.join(dir, `m${i}.cpp`);
    writeFileSync(cc, cppSource(i));
    cppBare += cpuOf('g++', ['-O2', '-std=gnu++17', '-static', '-DONLINE_JUDGE', '-o', path.join(dir, 'cxx'), cc]);
    cppBare += cpuOf(path.join(dir, 'cxx'), []);
  }
  // Python's submissions are cheap: five times as many, so that Docker's daemons (read in 10 ms
  // clock ticks) and the sandbox's spread are measured over ~1.5 s of work, not ~0.3 s.
  const pyN = N * 5;
  for (let i = 0; i < pyN; i++) {
    const py = path.join(dir, `m${i}.py`);
    writeFileSync(py, pySource(i));
    pyBare += cpuOf('/usr/bin/python3', [py]);
  }
  const cpp = await verdictCpu(N, 'cpp', 'm.cpp', cppSource);
  const python = await verdictCpu(pyN, 'python3', 'm.py', pySource);
  rows.push(
    ['C++: bare g++ -O2 -static + the program', cppBare / N],
    ['C++: verdict total (containers / Node / Docker)', cpp.total],
    ['Python: bare python3 (the program)', pyBare / pyN],
    ['Python: verdict total (containers / Node / Docker)', python.total],
  );
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, ms] of rows) console.log(`${name.padEnd(width)}  ${ms.toFixed(1).padStart(7)} ms CPU / submission`);
  for (const [name, v] of [
    ['C++', cpp],
    ['Python', python],
  ] as const)
    console.log(`${name}: verdict ${v.containers.toFixed(1)} in containers, ${v.node.toFixed(1)} Node, ${v.docker.toFixed(1)} Docker`);
  const limit = (name: string, bareMs: number, total: number): TargetRow => {
    console.log(
      `${name}: CPU-bound limit ${cores} cores ÷ ${bareMs.toFixed(1)} ms = ${((cores * 1000) / bareMs).toFixed(1)}/s; at Verdict's CPU ${((cores * 1000) / total).toFixed(1)}/s (${(bareMs / total).toFixed(2)}× the limit)`,
    );
    return {
      target: `${name}: CPU per distinct submission ≤ 1.25× bare (≥ 0.8× the CPU-bound limit)`,
      measured: `${total.toFixed(1)} ms vs bare ${bareMs.toFixed(1)} (${(bareMs / total).toFixed(2)}× the limit)`,
      met: total <= 1.25 * bareMs,
    };
  };
  console.log(`C against bare with the same linker (gold): ${(c.total / ((fullGold + run) / N)).toFixed(2)}×`);
  const targets = [limit('C', bare, c.total), limit('C++', cppBare / N, cpp.total), limit('Python', pyBare / pyN, python.total)];
  console.log(`load average at end: ${loadavg()[0]!.toFixed(2)}`);
  return targets;
}

/** Verdict's CPU per distinct submission of `language`, where it is spent. */
async function verdictCpu(N: number, language: string, name: string, sourceOf: (i: number) => string) {
  const runner = await Runner.create({ compileCache: false });
  try {
    await runner.run({ language, files: [{ name, content: sourceOf(-1) }] }); // the first container
    const before = containersCpu();
    const dockerBefore = daemonsCpu(['dockerd', 'containerd']);
    const nodeBefore = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const r = await runner.run({ language, files: [{ name, content: sourceOf(i) }] });
      if (r.status !== 'Accepted') throw new Error(`${language} submission ${i}: ${r.status} ${r.message}`);
    }
    const nodeUsed = process.cpuUsage(nodeBefore);
    const node = (nodeUsed.user + nodeUsed.system) / 1000 / N;
    const docker = (daemonsCpu(['dockerd', 'containerd']) - dockerBefore) / N;
    const after = containersCpu();
    const containers = [...after].reduce((sum, [id, ms]) => sum + ms - (before.get(id) ?? 0), 0) / N;
    return { node, docker, containers, total: node + containers + docker };
  } finally {
    await runner.close();
  }
}

/**
 * Python alone (`npx tsx bench/cpu-breakdown.ts 20 python`): bare python3 against Verdict's total,
 * interleaved in rounds so that both see the same load; the quick check of the per-execution floor's
 * share, where the program's own CPU is small.
 */
export async function pythonBreakdown(N: number, rounds = 3): Promise<void> {
  const cores = availableParallelism();
  let bare = 0;
  const verdict = { node: 0, containers: 0, docker: 0, total: 0 };
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < N; i++) {
      const py = path.join(dir, `p${r}-${i}.py`);
      writeFileSync(py, pySource(i));
      bare += cpuOf('/usr/bin/python3', [py]) / (N * rounds);
    }
    const v = await verdictCpu(N, 'python3', 'm.py', pySource);
    for (const k of ['node', 'containers', 'docker', 'total'] as const) verdict[k] += v[k] / rounds;
  }
  console.log(
    `Python (load ${loadavg()[0]!.toFixed(2)}): bare ${bare.toFixed(1)} ms CPU; verdict ${verdict.total.toFixed(1)} ms (containers ${verdict.containers.toFixed(1)}, Node ${verdict.node.toFixed(1)}, Docker ${verdict.docker.toFixed(1)}); ${(bare / verdict.total).toFixed(2)}× the CPU-bound limit of ${((cores * 1000) / bare).toFixed(1)}/s`,
  );
}

if (require.main === module) {
  if (process.argv[3] === 'python') void pythonBreakdown(Number(process.argv[2] ?? 20));
  else void cpuBreakdown(Number(process.argv[2] ?? 20));
}
