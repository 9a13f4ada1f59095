// One-shot CLI calls as a user types them (`verdict ...`: bin/verdict, which `npm link` puts on PATH —
// the native client for run and judge, the Node CLI otherwise — and, for comparison, `node
// bin/verdict.js ...`, a new Node process each time) with this user's daemon warm, next to bare python3 on the host and to `docker run --rm`; the first
// call (which starts the daemon); the CLI's own start-up; a 50-test C++ judge from the CLI in rounds
// interleaved with `oj t` and isolate on the same tests and binary (bench/baselines.ts); and the
// sandbox floor per test on this kernel (new namespaces + exec + wait, no container), all in this run.
//   npx tsx bench/cli-daemon.ts [repetitions]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Runner } from '../runner/engine';
import { findIsolate, findOj, writeAplusbTests, type Baseline } from './baselines';
import { dockerRunArgs, fmt, printTargets, stats, type Stats, type TargetRow } from './lib';

/** The command on PATH (bin/verdict: the native client when built) and the Node CLI. */
const CMD = path.resolve(__dirname, '../bin/verdict');
const BIN = path.resolve(__dirname, '../bin/verdict.js');
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-cli-bench-'));
const daemonDir = path.join(dir, 'daemon');
const PY = 'print("Hello, World!")\n';
const CPP = '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n';

/** Wall time of one process to its end, spawned the cheapest way Node has (as run-cost.ts's bare baseline). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, {
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    input,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function repeat(n: number, fn: () => number): Stats {
  fn();
  return stats(Array.from({ length: n }, fn));
}

const verdict = (args: string[], env: NodeJS.ProcessEnv = {}) => timed(CMD, args, { VERDICT_DAEMON_DIR: daemonDir, ...env });
const throughNode = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  timed(process.execPath, [BIN, ...args], { VERDICT_DAEMON_DIR: daemonDir, ...env });

/**
 * `verdict judge` from the CLI (a new Node process, daemon warm, binary cached), `oj t` and isolate
 * (one reused box; a fresh box per test for reference) judging the same 50 tests, the same source
 * and, for the baselines, the same binary: round 0 warms each, then `rounds` rounds, each running
 * every tool once in an order rotated by round, so load changes on this shared machine fall on all
 * of them alike. Every call is spawned with execa and checked (all tests passed); absent tools are skipped.
 */
async function judgeRounds(rounds: number, cpp: string, binary: string, tests: string): Promise<{ verdict: Stats; targets: TargetRow[] }> {
  const { execa } = await import('execa');
  const verdictJudge: Baseline = {
    label: 'verdict judge a+b.cpp --tests DIR (bin/verdict, daemon warm, binary cached)',
    async judge() {
      const t = performance.now();
      const r = await execa(CMD, ['judge', cpp, '--tests', tests], { env: { VERDICT_DAEMON_DIR: daemonDir } });
      const ms = performance.now() - t;
      if (!String(r.stdout).includes('Accepted · 50/50 passed')) throw new Error(`verdict judge did not accept: ${r.stdout}`);
      return ms;
    },
  };
  type Contender = Baseline & { samples: number[] };
  const contender = (b: Baseline): Contender => ({ ...b, samples: [] });
  const v = contender(verdictJudge);
  const oj = await findOj(binary, tests);
  const isolate = await findIsolate(binary, tests);
  const ojRun = oj.ok ? contender(oj.tool.byDefault) : undefined;
  const ojNoTime = oj.ok ? contender(oj.tool.withoutGnuTime) : undefined;
  const oneBox = isolate.ok ? contender(isolate.tool.oneBox) : undefined;
  const freshBox = isolate.ok ? contender(isolate.tool.freshBox) : undefined;
  console.log(oj.ok ? `oj: ${oj.tool.version}` : `oj t: not measured — ${oj.reason}`);
  console.log(isolate.ok ? `isolate: ${isolate.tool.version}` : `isolate: not measured — ${isolate.reason}`);
  const contenders = [v, ojRun, ojNoTime, oneBox, freshBox].filter((c): c is Contender => c !== undefined);
  const loadAt = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const loadBefore = loadAt();
  try {
    for (let round = 0; round <= rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(k + round) % contenders.length]!;
        const ms = await c.judge();
        if (round > 0) c.samples.push(ms);
      }
    }
  } finally {
    if (isolate.ok) await isolate.tool.cleanup();
  }
  console.log(`\n50-test judge, ${rounds} interleaved rounds (load average 1/5/15 min: ${loadBefore} before, ${loadAt()} after):`);
  const width = Math.max(...contenders.map((c) => c.label.length));
  for (const c of contenders) {
    const s = stats(c.samples);
    console.log(`${c.label.padEnd(width)}  ${fmt(s)}  ${(s.median / 50).toFixed(2)} ms/test`);
  }
  const median = (c: { samples: number[] }) => stats(c.samples).median;
  const vm = median(v);
  // Each round ran every tool once, so a ratio per round pairs samples taken under the same load.
  const paired = (a: { samples: number[] }, b: { samples: number[] }) => stats(a.samples.map((x, i) => x / b.samples[i]!));
  const ratio = (a: { samples: number[] }, b: { samples: number[] }) => {
    const p = paired(a, b);
    const fastest = stats(a.samples).min / stats(b.samples).min;
    return `${(median(a) / median(b)).toFixed(2)} (per round: median ${p.median.toFixed(2)}, ${p.min.toFixed(2)}–${p.max.toFixed(2)}; fastest of each: ${fastest.toFixed(2)})`;
  };
  const ratios = [
    ojRun && `verdict / oj t = ${ratio(v, ojRun)}`,
    ojNoTime && `verdict / oj t without GNU time = ${ratio(v, ojNoTime)}`,
    oneBox && `verdict / isolate one box = ${ratio(v, oneBox)}`,
    oneBox && freshBox && `isolate fresh box / one box = ${ratio(freshBox, oneBox)}`,
  ].filter(Boolean);
  if (ratios.length) console.log(ratios.join('\n'));
  return {
    verdict: stats(v.samples),
    targets: [
      {
        target: 'CLI judge 50 C++ tests, daemon warm, binary cached: faster than oj t (same run)',
        measured: ojRun
          ? `${vm.toFixed(0)} ms vs oj t ${median(ojRun).toFixed(0)} ms (${(vm / median(ojRun)).toFixed(2)}×; per round ${paired(v, ojRun).median.toFixed(2)}×)`
          : `oj absent: ${oj.ok ? '' : oj.reason}`,
        met: ojRun ? vm < median(ojRun) : null,
      },
      {
        target: 'CLI judge 50 C++ tests, daemon warm, binary cached: ≤ 2× isolate one box (same run)',
        measured: oneBox
          ? `${vm.toFixed(0)} ms vs isolate ${median(oneBox).toFixed(0)} ms (${(vm / median(oneBox)).toFixed(2)}×; per round ${paired(v, oneBox).median.toFixed(2)}×)`
          : `isolate absent: ${isolate.ok ? '' : isolate.reason}`,
        met: oneBox ? vm <= 2 * median(oneBox) : null,
      },
    ],
  };
}

/** The daemon's resident memory, as it says itself. */
function daemonRss(): number {
  const status = spawnSync(process.execPath, [BIN, 'daemon', 'status', '--json'], {
    env: { ...process.env, VERDICT_DAEMON_DIR: daemonDir },
  });
  return (JSON.parse(status.stdout.toString()) as { rssBytes: number }).rssBytes;
}

export async function cliDaemon(N: number): Promise<TargetRow[]> {
  const hello = path.join(dir, 'hello.py');
  writeFileSync(hello, PY);
  const tests = path.join(dir, 'tests');
  writeAplusbTests(tests, 50);
  const cpp = path.join(dir, 'aplusb.cpp');
  writeFileSync(cpp, CPP);
  const binary = path.join(dir, 'aplusb');
  spawnSync('g++', ['-O2', '-static', '-o', binary, cpp]);
  const load = () => loadavg()[0]!.toFixed(2);
  console.log(`load average at start: ${load()} (${N} repetitions)`);

  const rows: Array<[string, Stats]> = [];
  const bare = repeat(N, () => timed('/usr/bin/python3', [hello]));
  rows.push(['bare host: /usr/bin/python3 hello.py', bare]);
  const docker = repeat(Math.min(N, 10), () =>
    timed('docker', [...dockerRunArgs({ pids: 72, memory: '512m', tmpfs: true }), 'verdict/python3:latest', 'python3', '-c', PY]),
  );
  rows.push(['docker run --rm (python3 image): python3 -c', docker]);
  const node = repeat(N, () => timed(process.execPath, ['-e', '0']));
  rows.push(['node -e 0 (the floor of any Node CLI)', node]);
  const version = repeat(N, () => verdict(['--version']));
  rows.push(['verdict --version', version]);

  // The first call: no daemon, so it starts one, then runs.
  const firsts: number[] = [];
  for (let i = 0; i < 3; i++) {
    verdict(['daemon', 'stop']);
    firsts.push(verdict(['run', hello]));
  }
  const first = stats(firsts);
  const idleRss = daemonRss();
  rows.push(['verdict run hello.py, first call (starts the daemon)', first]);
  const attached = repeat(N, () => verdict(['run', hello]));
  rows.push(['verdict run hello.py, daemon warm (bin/verdict: native client)', attached]);
  const attachedNode = repeat(N, () => throughNode(['run', hello]));
  rows.push(['node bin/verdict.js run hello.py, daemon warm (quick path)', attachedNode]);
  const inProcess = repeat(Math.min(N, 10), () => verdict(['run', '--no-daemon', hello]));
  rows.push(['verdict run hello.py --no-daemon', inProcess]);

  // 50 tests, the binary cached (round 0 compiles it), in rounds interleaved with the baselines.
  const rounds = await judgeRounds(N, cpp, binary, tests);
  const judge = rounds.verdict;
  rows.push(['verdict judge a+b.cpp, 50 tests, daemon warm, binary cached', judge]);
  const judgeNode = repeat(Math.min(N, 10), () => throughNode(['judge', cpp, '--tests', tests]));
  rows.push(['node bin/verdict.js judge, same, daemon warm (quick path)', judgeNode]);
  const judgeHere = repeat(Math.min(N, 5), () => verdict(['judge', '--no-daemon', cpp, '--tests', tests]));
  rows.push(['verdict judge a+b.cpp, 50 tests, --no-daemon', judgeHere]);
  const rss = daemonRss();
  verdict(['daemon', 'stop']);

  // Per test: bare spawn, the floor (user, pid, mount, net, ipc, uts namespaces + exec + wait), Verdict's warm judge.
  const bareTest = repeat(N * 5, () => timed(binary, [], {}, '1 2\n'));
  rows.push(['per test: bare spawn of the static a+b', bareTest]);
  const floor = repeat(N * 5, () =>
    timed('unshare', ['--user', '--map-root-user', '--pid', '--fork', '--mount', '--net', '--ipc', '--uts', binary], {}, '1 2\n'),
  );
  rows.push(['per test: unshare (6 namespaces) + exec + wait', floor]);
  const runner = await Runner.create({ pool: { idlePerShape: 1 } });
  let perTest: number;
  try {
    const judgeTests = Array.from({ length: 50 }, (_, i) => ({
      name: String(i),
      input: { text: `${i} ${i * 7}\n` },
      answer: { text: `${i * 8}\n` },
      group: [],
    }));
    const request = {
      language: 'cpp',
      files: [{ name: 'a.cpp', content: CPP }],
      tests: judgeTests,
      checker: { kind: 'builtin' as const, name: 'lines' as const },
    };
    await runner.judge(request);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      let compiledAt = 0;
      await runner.judge(request, { onCompiled: () => (compiledAt = performance.now()) });
      samples.push((performance.now() - compiledAt) / 50);
    }
    perTest = stats(samples).median;
  } finally {
    await runner.close();
  }

  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, s] of rows) console.log(`${name.padEnd(width)}  ${fmt(s)}`);
  console.log(`per test: verdict warm judge (in process, after compile): ${perTest.toFixed(2)} ms`);
  console.log(
    `daemon resident memory: ${(idleRss / 2 ** 20).toFixed(0)} MiB idle after its first run, ${(rss / 2 ** 20).toFixed(0)} MiB after the runs; load average at end: ${load()}`,
  );
  const b = bare.median;
  const a = attached.median;
  const floorOver = floor.median - bareTest.median;
  console.log(
    `run: daemon − bare = ${(a - b).toFixed(1)} ms (node's own start ${node.median.toFixed(1)} ms); daemon / docker run = ${(a / docker.median).toFixed(3)}; judge per test over the floor: ${(perTest - floor.median).toFixed(2)} ms (floor is bare + ${floorOver.toFixed(2)} ms)`,
  );
  return [
    {
      target: 'CLI run Python hello, daemon warm ≤ bare + 40 ms',
      measured: `${a.toFixed(1)} ms vs bare ${b.toFixed(1)} (+${(a - b).toFixed(1)})`,
      met: a <= b + 40,
    },
    {
      target: 'CLI run Python hello, daemon warm ≤ 0.25× docker run --rm',
      measured: `${(a / docker.median).toFixed(3)}× (${docker.median.toFixed(0)} ms)`,
      met: a <= 0.25 * docker.median,
    },
    { target: 'CLI first call (starts the daemon) ≤ 1.5 s', measured: `${first.median.toFixed(0)} ms`, met: first.median <= 1500 },
    ...rounds.targets,
    {
      target: 'Judge per test ≤ bare + 2 ms',
      measured: `${perTest.toFixed(2)} ms vs bare ${bareTest.median.toFixed(2)} (+${(perTest - bareTest.median).toFixed(2)}; floor ${floor.median.toFixed(2)})`,
      met: perTest <= bareTest.median + 2,
    },
  ];
}

if (require.main === module) void cliDaemon(Number(process.argv[2] ?? 10)).then(printTargets);
