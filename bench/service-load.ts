// Service load (issue 11): the real `verdict serve` process on loopback, real Docker, `tokens`
// student tokens of one class submitting `total` distinct runs at once (mixed Python and C++, a
// tenth of them judges of Python A+B against three inline tests), next to the same work done
// through the runner library in this process with the same number of sandboxes. The clients run in
// a process of their own at nice 10 (bench/service-clients.ts): they stand for the students'
// machines, so their CPU should not count against the service on our two cores; the service's
// throughput is measured on the server's clock (to the last result it finished). Reports
// throughput, queue wait and latency p50/p95/p99, fairness between tokens (the spread of the times
// their last runs finished), lost or duplicated results (each submission must end exactly once,
// with what it printed), the server's idle RSS and the overhead of one warm Python run through it.
//   npx tsx bench/service-load.ts [total] [tokens]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Runner, type JudgeRequest } from '../runner/index';
import { ServiceClient } from '../protocol/service-client';
import { DEFAULT_CLASS_LIMITS, type ClassLimits, type RunRecord, type SubmitRequest } from '../protocol/http';
import type { JudgeResult, RunResult } from '../protocol/results';
import { printTargets, stats, type TargetRow } from './lib';
import { ROOT, makeToken, startServer, type RunningServer } from '../test/docker/service-fixture';
import { matches, type BurstInput, type BurstOutcome, type Kind, type Submission, type Timing } from './service-clients';

const CLASS = 'bench';
/** How long the server is left alone after it is ready (and the tokens are made) before its RSS is read. */
const SETTLE_MS = 1500;
const WARM_RUNS = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The burst: submission i belongs to token i mod `tokens`; in each round every token gets a
 * different place in a cycle of ten kinds (1 judge, 2 C++, 7 Python), so every token has the same
 * mix and so does every round. `base` makes the programs distinct from any earlier phase or run of
 * the benchmark (C++ would otherwise come from the compile cache on disk).
 */
function burst(total: number, tokens: number, base: number): Submission[] {
  return Array.from({ length: total }, (_, index) => {
    const token = index % tokens;
    const k = (Math.floor(index / tokens) + token) % 10;
    const kind: Kind = k === 0 ? 'judge' : k === 3 || k === 7 ? 'cpp' : 'python';
    const value = base + index;
    return { index, token, kind, value, body: request(kind, value) };
  });
}

function request(kind: Kind, value: number): SubmitRequest {
  if (kind === 'python') return { kind: 'run', language: 'python3', files: [{ name: 'main.py', content: `print(${value})\n` }] };
  if (kind === 'cpp')
    return {
      kind: 'run',
      language: 'cpp',
      files: [{ name: 'main.cpp', content: `#include <cstdio>\nint main() { std::printf("%lld\\n", ${value}LL); return 0; }\n` }],
    };
  return {
    kind: 'judge',
    language: 'python3',
    files: [{ name: 'main.py', content: `a, b = map(int, input().split())\nprint(a + b + ${value})\n` }],
    tests: [
      { name: '1', input: '1 2\n', answer: `${3 + value}\n` },
      { name: '2', input: '20 22\n', answer: `${42 + value}\n` },
      { name: '3', input: '-5 5\n', answer: `${value}\n` },
    ],
  };
}

/** The same submission through the runner library. */
function viaLibrary(runner: Runner, body: SubmitRequest): Promise<RunResult | JudgeResult> {
  if (body.kind === 'run') {
    const { kind: _kind, ...spec } = body;
    return runner.run(spec);
  }
  const judge: JudgeRequest = {
    language: body.language,
    files: body.files,
    tests: (body.tests ?? []).map((t) => ({ name: t.name, input: { text: t.input ?? '' }, answer: { text: t.answer ?? '' }, group: [] })),
    checker: { kind: 'builtin', name: body.checker ?? 'lines' },
    stopOnFailure: body.stopOnFailure ?? false,
  };
  return runner.judge(judge);
}

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

function pct(samples: number[], unit = 'ms', scale = 1, digits = 0): string {
  const f = (p: number) => (percentile(samples, p) * scale).toFixed(digits);
  return `p50 ${f(50)} / p95 ${f(95)} / p99 ${f(99)} ${unit} (max ${(Math.max(...samples) * scale).toFixed(digits)})`;
}

function vmStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

/** CPU-seconds a process has used (user + system), from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** CPU-seconds this process has used. */
const ownCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function api<T>(url: string, method: string, route: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(url + route, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

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

/** Our containers still there: those of the server (its pid) or of this process's runner. */
async function leftovers(pids: number[]): Promise<string[]> {
  const { execa } = await import('execa');
  const r = await execa('docker', ['ps', '-a', '--filter', 'label=verdict.owner', '--format', '{{.ID}} {{.Label "verdict.pid"}}'], {
    reject: false,
  });
  return String(r.stdout)
    .split('\n')
    .filter((l) => l && pids.includes(Number(l.split(' ')[1])));
}

export async function serviceLoad(total = 500, tokens = 50): Promise<TargetRow[]> {
  if (total >= 40_000) throw new Error('at most 40000 submissions');
  const concurrency = Math.max(1, os.availableParallelism());
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'verdict-bench-service-'));
  const data = path.join(scratch, 'data');
  const perToken = Math.ceil(total / tokens);
  // Each phase's programs differ from every other phase's and every earlier run's.
  const base = (Date.now() % 100_000) * 100_000;
  let server: RunningServer | undefined;
  let runner: Runner | undefined;
  try {
    // ---- the service: a teacher made with the CLI, the students by the teacher, limits for the burst ----
    const teacher = await makeToken(data, 'teacher', 'teacher', CLASS);
    server = await startServer(data, ['--concurrency', String(concurrency)], { ready: true, logLevel: 'warn' });
    const { url } = server;
    const limits: ClassLimits = {
      ...DEFAULT_CLASS_LIMITS,
      concurrentRuns: Math.max(DEFAULT_CLASS_LIMITS.concurrentRuns, perToken),
      requestsPerMinute: Math.max(DEFAULT_CLASS_LIMITS.requestsPerMinute, perToken, WARM_RUNS + 10),
    };
    await api(url, 'PUT', `/v1/classes/${CLASS}/limits`, teacher, limits);
    const student = async (name: string) => (await api<{ token: string }>(url, 'POST', '/v1/tokens', teacher, { name })).token;
    const students = await Promise.all(Array.from({ length: tokens }, (_, t) => student(`student${t}`)));
    const warmToken = await student('warm');
    const bundled = existsSync(path.join(ROOT, 'dist/runner/cli.js'));
    await sleep(SETTLE_MS);
    const idleRss = vmStatusMb(server.pid, 'VmRSS');
    // Other work on the machine makes every figure here noisier: say how busy it was.
    const load = os.loadavg()[0]!;
    console.log(
      `load average ${load.toFixed(2)} on ${os.cpus().length} CPUs; verdict serve (${bundled ? 'the bundle, dist/runner/cli.js' : 'the TypeScript sources through tsx: run `npm run build` first'}), --concurrency ${concurrency}: idle RSS ${idleRss.toFixed(1)} MB`,
    );

    runner = await Runner.create({ pool: { maxBusy: concurrency } });
    const lib = runner;

    // ---- one warm Python run: through the service (?wait=true) and the library, interleaved ----
    const warmClient = new ServiceClient(url, warmToken);
    const hello: SubmitRequest = { kind: 'run', language: 'python3', files: [{ name: 'main.py', content: 'print("hello")\n' }] };
    const viaService = async () => {
      const r = (await warmClient.submit(hello, 30_000)) as RunRecord;
      if (r.state !== 'done' || (r.result as RunResult | undefined)?.stdout !== 'hello\n')
        throw new Error(`service hello: ${JSON.stringify(r)}`);
    };
    const viaLib = async () => {
      const r = (await viaLibrary(lib, hello)) as RunResult;
      if (r.stdout !== 'hello\n') throw new Error(`library hello: ${r.status} ${r.message}`);
    };
    for (let i = 0; i < 3; i++) {
      // The first of each starts a container; then both are warm.
      await viaService();
      await viaLib();
    }
    const serviceMs: number[] = [];
    const libraryMs: number[] = [];
    const pair = [
      [viaService, serviceMs],
      [viaLib, libraryMs],
    ] as const;
    for (let i = 0; i < WARM_RUNS; i++) {
      for (const [fn, into] of i % 2 ? [...pair].reverse() : pair) {
        const t = performance.now();
        await fn();
        into.push(performance.now() - t);
      }
    }
    const s = stats(serviceMs);
    const l = stats(libraryMs);
    const overhead = s.median - l.median;
    console.log(
      `warm Python hello, ${WARM_RUNS} each, interleaved: service ${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)}), library ${l.median.toFixed(1)} ms (${l.min.toFixed(1)}–${l.max.toFixed(1)}): +${overhead.toFixed(1)} ms`,
    );

    // ---- warm-up of both for the burst's kinds (C++ and a judge), outside the measurement ----
    for (const kind of ['cpp', 'judge'] as const) {
      const body = request(kind, base + 99_000);
      await warmClient.submit(body, 60_000);
      await viaLibrary(lib, body);
    }

    // ---- the library: the same work, `concurrency` at a time; half before the service's burst, half
    // after, so that a change in the machine's load while it runs weighs on both alike ----
    const libWork = burst(total, tokens, base);
    const half = Math.floor(total / 2);
    let libMismatches = 0;
    let libOwnCpu = 0;
    const libTook: number[] = new Array<number>(total).fill(0);
    const libParts: number[] = [];
    const libraryPart = async (from: number, to: number) => {
      const cpu = ownCpuSeconds();
      libParts.push(
        await inParallel(to - from, concurrency, async (i) => {
          const sub = libWork[from + i]!;
          const t = performance.now();
          if (!matches(sub, await viaLibrary(lib, sub.body))) libMismatches++;
          libTook[from + i] = performance.now() - t;
        }),
      );
      libOwnCpu += ownCpuSeconds() - cpu;
    };
    await libraryPart(0, half);

    // ---- the service: everything submitted at once, each followed to its end, by clients in a
    // process of their own at a lower priority (they stand for the students' machines) ----
    const work = burst(total, tokens, base + 50_000);
    const cpuBefore = { server: cpuSeconds(server.pid) };
    const { execa } = await import('execa');
    const child = await execa('nice', ['-n', '10', process.execPath, '--import', 'tsx', path.join(__dirname, 'service-clients.ts')], {
      input: JSON.stringify({ url, tokens: students, work } satisfies BurstInput),
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const outcome = JSON.parse(String(child.stdout)) as BurstOutcome;
    const { burstStart, allAccepted, ids, matched, failures } = outcome;
    const timings = outcome.timings.map((t) => t ?? undefined);
    // Throughput is the server's: from the burst's start to the last result it finished (the clients,
    // at a lower priority, may hear of it later; their view is the latency below).
    const burstSeconds = (Math.max(...timings.map((t) => t?.finishAt ?? 0)) - burstStart) / 1000;
    const heardSeconds = (Math.max(...timings.map((t) => t?.doneAt ?? 0)) - burstStart) / 1000;
    const rate = total / burstSeconds;
    const burstCpu = { server: cpuSeconds(server.pid) - cpuBefore.server, clients: outcome.cpuSeconds };
    const peakRss = vmStatusMb(server.pid, 'VmHWM');
    const afterRss = vmStatusMb(server.pid, 'VmRSS');
    await libraryPart(half, total);
    const libSeconds = libParts[0]! + libParts[1]!;
    const libRate = total / libSeconds;

    // ---- lost or duplicated: the submissions log, then (the server stopped) each run's events ----
    const log = (await fetch(`${url}/v1/submissions?limit=100000`, { headers: { authorization: `Bearer ${teacher}` } }).then((r) =>
      r.json(),
    )) as Array<{ id: string; state: string; user: string }>;
    const burstIds = ids.filter((id): id is string => id !== null);
    const inLog = new Map<string, number>();
    for (const e of log) if (e.user.startsWith('student')) inLog.set(e.id, (inLog.get(e.id) ?? 0) + 1);
    await server.stop();
    const db = new Database(path.join(data, 'verdict.db'), { readonly: true });
    const doneEvents = new Map<string, number>();
    try {
      for (const row of db
        .prepare(`SELECT run_id AS id, COUNT(*) AS n FROM events WHERE data LIKE '{"type":"done"%' GROUP BY run_id`)
        .all() as Array<{ id: string; n: number }>)
        doneEvents.set(row.id, row.n);
    } finally {
      db.close();
    }
    // Lost: not accepted, not ended with its own result, absent from the log or without a done event.
    const lost = work.filter((w) => {
      const id = ids[w.index];
      return !id || !matched[w.index] || !inLog.get(id) || !doneEvents.get(id);
    }).length;
    // Duplicated: an id given twice, a run twice in the log or with two done events, a run nobody submitted.
    const duplicated =
      burstIds.length -
      new Set(burstIds).size +
      [...inLog.values()].reduce((n, c) => n + c - 1, 0) +
      burstIds.reduce((n, id) => n + Math.max(0, (doneEvents.get(id) ?? 0) - 1), 0) +
      [...inLog.keys()].filter((id) => !burstIds.includes(id)).length;

    // ---- figures ----
    const done = timings.filter((t): t is Timing => t !== undefined);
    const wait = done.map((t) => t.startAt - t.submitAt);
    const latency = done.map((t) => t.doneAt - t.submitAt);
    const lastDone = new Map<number, number>();
    for (const sub of work) {
      const t = timings[sub.index];
      if (t) lastDone.set(sub.token, Math.max(lastDone.get(sub.token) ?? 0, (t.doneAt - burstStart) / 1000));
    }
    const finishes = [...lastDone.values()];
    const mean = finishes.reduce((a, b) => a + b, 0) / finishes.length;
    const cv = Math.sqrt(finishes.reduce((a, b) => a + (b - mean) ** 2, 0) / finishes.length) / mean;
    const spread = Math.max(...finishes) - Math.min(...finishes);
    // How much of the burst's wall time the sandboxes were in use (runs started to finished, over the slots).
    const busy = done.reduce((n, t) => n + t.finishAt - t.startAt, 0) / (burstSeconds * 1000 * concurrency);
    const libBusy = libTook.reduce((n, t) => n + t, 0) / (libSeconds * 1000 * concurrency);
    const byKind = (k: Kind) => work.filter((w) => w.kind === k).length;
    console.log(
      `the burst: ${total} distinct submissions from ${tokens} tokens (${byKind('python')} Python, ${byKind('cpp')} C++, ${byKind('judge')} judges of 3 tests), ${concurrency} sandboxes`,
    );
    console.log(
      `library, ${concurrency} at a time: ${libSeconds.toFixed(2)} s = ${libRate.toFixed(1)}/s (halves before and after the burst: ${(half / libParts[0]!).toFixed(1)}/s, ${((total - half) / libParts[1]!).toFixed(1)}/s)${libMismatches ? ` (${libMismatches} wrong!)` : ''}; this process's CPU ${libOwnCpu.toFixed(2)} s`,
    );
    console.log(`service, all at once: ${burstSeconds.toFixed(2)} s = ${rate.toFixed(1)}/s = ${(rate / libRate).toFixed(2)}× the library`);
    console.log(
      `  all ${total} accepted after ${((allAccepted - burstStart) / 1000).toFixed(2)} s; the clients heard the last result after ${heardSeconds.toFixed(2)} s; CPU during the burst: server ${burstCpu.server.toFixed(2)} s, the clients (nice 10) ${burstCpu.clients.toFixed(2)} s`,
    );
    console.log(`  slots in use ${(busy * 100).toFixed(0)}% of the burst (library: ${(libBusy * 100).toFixed(0)}%)`);
    console.log(`  queue wait ${pct(wait, 's', 1 / 1000, 2)}`);
    console.log(`  latency    ${pct(latency, 's', 1 / 1000, 2)}`);
    for (const k of ['python', 'cpp', 'judge'] as const) {
      const of = work.filter((w) => w.kind === k && timings[w.index]).map((w) => timings[w.index]!.finishAt - timings[w.index]!.startAt);
      const inLib = libWork.filter((w) => w.kind === k).map((w) => libTook[w.index]!);
      if (of.length) console.log(`  each ${k.padEnd(6)} started to finished ${pct(of)}; library ${pct(inLib)}`);
    }
    console.log(
      `  fairness: each token's last result at ${Math.min(...finishes).toFixed(2)}–${Math.max(...finishes).toFixed(2)} s, spread ${spread.toFixed(2)} s, coefficient of variation ${cv.toFixed(3)}`,
    );
    console.log(`  lost ${lost}, duplicated ${duplicated} (each id once in the log, one done event, its own output)`);
    for (const f of failures) console.log(`  ${f}`);
    console.log(`  server RSS after the burst ${afterRss.toFixed(1)} MB (peak ${peakRss.toFixed(1)} MB)`);
    if (lost + duplicated > 0) console.log(server.log().split('\n').slice(-20).join('\n'));

    return [
      { target: 'service idle RSS ≤ 120 MB', measured: `${idleRss.toFixed(1)} MB`, met: idleRss <= 120 },
      {
        target: 'warm Python run through the service ≤ library + 15 ms',
        measured: `+${overhead.toFixed(1)} ms (${s.median.toFixed(1)} vs ${l.median.toFixed(1)})`,
        met: overhead <= 15,
      },
      {
        target: 'service throughput ≥ 0.85× library',
        // Rounded down, so that a miss never reads as the target itself.
        measured: `${(Math.floor((rate / libRate) * 100) / 100).toFixed(2)}× (${rate.toFixed(1)} vs ${libRate.toFixed(1)}/s)`,
        met: rate >= 0.85 * libRate,
      },
      {
        target: 'service burst: lost or duplicated results = 0',
        measured: `${lost} lost, ${duplicated} duplicated`,
        met: lost + duplicated === 0,
      },
    ];
  } finally {
    await runner?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
    const left = await leftovers([process.pid, ...(server ? [server.pid] : [])]);
    if (left.length) console.log(`containers left behind: ${left.join(', ')}`);
  }
}

if (require.main === module) void serviceLoad(Number(process.argv[2] ?? 500), Number(process.argv[3] ?? 50)).then(printTargets);
