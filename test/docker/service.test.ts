// The classroom service as a class uses it: the real `verdict serve` process on loopback, real
// Docker, real sandboxes, tokens made with the real CLI. Auth and roles, bad input, events, limits,
// hidden tests (asserted on every answer, event, log line and export), archive attacks, a kill -9
// in the middle of a queue.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import { cli as runCli, makeToken, startServer as startVerdictServer, writeSumProblem, type RunningServer } from './service-fixture';

const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-service-'));
const data = path.join(scratch, 'data');

type Server = RunningServer;

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });
const token = (name: string, role: string, cls: string) => makeToken(data, name, role, cls);
const startServer = (extra: string[] = []) => startVerdictServer(data, extra);

let server: Server;
let teacher: string;
let student: string;
let other: string;

async function api(
  method: string,
  route: string,
  opts: { token?: string; body?: unknown; raw?: Buffer; type?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined;
  if (opts.raw) ((body = opts.raw), (headers['content-type'] = opts.type ?? 'application/gzip'));
  else if (opts.body !== undefined)
    ((body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)), (headers['content-type'] = 'application/json'));
  const res = await fetch(server.url + route, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The whole event stream of a run (until `done`), as [id, type, data]. */
async function events(id: string, tokenValue: string, lastEventId?: number): Promise<Array<{ id: number; type: string; data: any }>> {
  const res = await fetch(`${server.url}/v1/runs/${id}/events`, {
    headers: { authorization: `Bearer ${tokenValue}`, ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}) },
  });
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('id:'))
    .map((block) => {
      const fields = Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
      return { id: Number(fields.id), type: fields.event!, data: JSON.parse(fields.data!) };
    });
}

const PY_SUM = 'a, b = map(int, input().split())\nprint(a + b)\n';

before(async () => {
  teacher = await token('tina', 'teacher', 'algo1');
  student = await token('sam', 'student', 'algo1');
  other = await token('olga', 'student', 'algo2');
  server = await startServer(['--concurrency', '2']);
});

after(async () => {
  await server?.stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
});

test('service: no token is 401, a student on a teacher endpoint 403, a revoked token 401', async () => {
  assert.equal((await api('GET', '/v1/languages')).status, 401);
  assert.equal((await api('GET', '/v1/languages', { token: 'vt_nonsense' })).status, 401);
  const limits = await api('PUT', '/v1/classes/algo1/limits', {
    token: student,
    body: { requestsPerMinute: 1, concurrentRuns: 1, cpuSecondsPerDay: 1, classConcurrentRuns: 1 },
  });
  assert.equal(limits.status, 403, limits.text);
  assert.match(limits.json.message, /teacher/);
  // A teacher acts in their own class only.
  assert.equal((await api('GET', '/v1/classes/algo2/limits', { token: teacher })).status, 403);
  const made = await api('POST', '/v1/tokens', { token: teacher, body: { name: 'temp' } });
  assert.equal(made.status, 201, made.text);
  assert.equal((await api('GET', '/v1/problems', { token: made.json.token })).status, 200);
  assert.equal((await api('DELETE', '/v1/tokens/algo1/temp', { token: teacher })).status, 200);
  const revoked = await api('GET', '/v1/problems', { token: made.json.token });
  assert.equal(revoked.status, 401);
  assert.match(revoked.json.message, /revoked/);
});

test('service: a run with ?wait=true answers its result; another student cannot see it', async () => {
  const r = await api('POST', '/v1/runs?wait=true', {
    token: student,
    body: { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: PY_SUM }], stdin: '2 40\n' },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'done');
  assert.equal(r.json.result.status, 'Accepted');
  assert.equal(r.json.result.stdout, '42\n');
  assert.equal((await api('GET', `/v1/runs/${r.json.id}`, { token: student })).json.result.stdout, '42\n');
  assert.equal((await api('GET', `/v1/runs/${r.json.id}`, { token: other })).status, 404);
  assert.equal((await api('GET', `/v1/runs/${r.json.id}`, { token: teacher })).status, 200);
  // The two-call alias.
  const alias = await api('POST', '/execute', {
    token: student,
    body: { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'print(1)' }] },
  });
  assert.equal(alias.status, 202, alias.text);
  assert.ok(alias.json.submission_id);
});

test('service: compileFlags reach the compiler of a run and of a judge', async () => {
  const source = '#include <cstdio>\nint main() {\n#ifdef LOCAL\n  puts("local");\n#else\n  puts("judge");\n#endif\n}\n';
  const files = [{ name: 'a.cpp', content: source }];
  const run = await api('POST', '/v1/runs?wait=true', {
    token: student,
    body: { kind: 'run', language: 'cpp', files, compileFlags: ['-DLOCAL'] },
  });
  assert.equal(run.status, 200, run.text);
  assert.equal(run.json.result.stdout, 'local\n', run.text);
  const judge = await api('POST', '/v1/runs?wait=true', {
    token: student,
    body: { kind: 'judge', language: 'cpp', files, tests: [{ name: '1', input: '', answer: 'local\n' }], compileFlags: ['-DLOCAL'] },
  });
  assert.equal(judge.status, 200, judge.text);
  assert.equal(judge.json.result.status, 'Accepted', judge.text);
});

test('service: bad input is a precise 4xx, before anything is stored', async () => {
  const before = (await api('GET', '/v1/submissions', { token: teacher })).json.length;
  const cases: Array<[unknown, number, RegExp]> = [
    ['{not json', 400, /JSON/i],
    [{ kind: 'run', language: 'python3', files: [{ name: 'a.py', content: '' }], extra: 1 }, 400, /extra|Unrecognized/],
    [{ kind: 'run', language: 'python3', files: [{ name: '../a.py', content: '' }] }, 400, /plain file name/],
    [{ kind: 'run', language: 'python3', files: [{ name: 'a\u0000.py', content: '' }] }, 400, /plain file name/],
    [{ kind: 'run', language: 'cobol', files: [{ name: 'a.cob', content: '' }] }, 400, /Unknown language "cobol"/],
    [{ kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'x'.repeat(1024 * 1024 + 1) }] }, 400, /1 MiB/],
    [{ kind: 'judge', language: 'python3', files: [{ name: 'a.py', content: '' }], problem: 'nope' }, 404, /no problem "nope"/],
    [{ kind: 'judge', language: 'python3', files: [{ name: 'a.py', content: '' }] }, 400, /tests or problem/],
    [
      { kind: 'run', language: 'cpp', files: [{ name: 'a.cpp', content: '' }], compileFlags: ['-B/tmp'] },
      400,
      /"-B\/tmp" is not allowed for C\+\+/,
    ],
    [{ kind: 'run', language: 'python3', files: [{ name: 'a.py', content: '' }], compileFlags: ['-O'] }, 400, /takes no compile flags/],
    [{ kind: 'run', language: 'cpp', files: [{ name: 'a.cpp', content: '' }], compileFlags: ['-DA\u0000'] }, 400, /NUL/],
    [
      {
        kind: 'judge',
        language: 'cpp',
        files: [{ name: 'a.cpp', content: '' }],
        tests: [{ name: '1', input: '', answer: '' }],
        compileFlags: ['@x'],
      },
      400,
      /"@x" .* response file/,
    ],
  ];
  for (const [body, status, message] of cases) {
    const r = await api('POST', '/v1/runs', { token: student, body });
    assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.match(r.json.message, message, r.text);
    assert.ok(r.json.requestId);
  }
  assert.equal((await api('GET', '/v1/submissions', { token: teacher })).json.length, before, 'nothing stored');
});

test('service: events arrive in order, each once, and resume from Last-Event-ID', async () => {
  const r = await api('POST', '/v1/runs', {
    token: student,
    body: {
      kind: 'judge',
      language: 'python3',
      files: [{ name: 'a.py', content: PY_SUM }],
      tests: [
        { name: '1', input: '1 2\n', answer: '3\n' },
        { name: '2', input: '2 2\n', answer: '4\n' },
        { name: '3', input: '5 5\n', answer: '11\n' },
      ],
    },
  });
  assert.equal(r.status, 202, r.text);
  const all = await events(r.json.id, student);
  assert.deepEqual(
    all.map((e) => e.id),
    all.map((_, i) => i + 1),
    'ids 1, 2, 3, …',
  );
  assert.deepEqual(
    all.map((e) => e.type),
    ['queued', 'started', 'compiled', 'test', 'test', 'test', 'done'],
  );
  assert.equal(all.at(-1)!.data.record.result.status, 'Wrong Answer');
  const resumed = await events(r.json.id, student, 4);
  assert.deepEqual(
    resumed.map((e) => e.id),
    [5, 6, 7],
  );
});

test('service: a waiting run hears its new place in the queue as it moves (live, no id), then starts', async () => {
  const run = (seconds: number) =>
    api('POST', '/v1/runs', {
      token: teacher,
      body: { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: `import time\ntime.sleep(${seconds})\nprint("ok")` }] },
    });
  // Both sandboxes busy (one for longer), then two runs wait: the second of them is 2nd in line, and
  // 1st from when the first of them starts (at ~1.5 s) until the long run ends (at 3.5 s).
  const busy = [await run(3.5), await run(1.5)];
  await new Promise((r) => setTimeout(r, 500));
  const first = await run(1.5);
  const second = await run(0);
  assert.equal(second.json.position, 2, second.text);
  const res = await fetch(`${server.url}/v1/runs/${second.json.id}/events`, { headers: { authorization: `Bearer ${teacher}` } });
  const blocks = (await res.text()).split('\n\n').filter((b) => b.includes('event: '));
  const seen = blocks.map((b) => {
    const id = /^id: (\d+)$/m.exec(b)?.[1];
    const type = /^event: (\w+)$/m.exec(b)![1];
    const data = JSON.parse(/^data: (.*)$/m.exec(b)![1]!);
    return `${id ?? '-'} ${type}${type === 'queued' ? ` ${data.position}` : ''}`;
  });
  // Stored: queued at 2, started, …, done; live only, without an id: its place once the first slot freed.
  assert.deepEqual(seen.slice(0, 3), ['1 queued 2', '- queued 1', '2 started'], seen.join(' | '));
  assert.equal(seen.at(-1)!.split(' ')[1], 'done');
  for (const r of [...busy, first]) assert.equal(r.status, 202);
});

test('service: each limit answers 429 with the limit and Retry-After', async () => {
  const cls = 'quota';
  const t = await token('teacher-q', 'teacher', cls);
  const s = await token('student-q', 'student', cls);
  const set = (limits: object) =>
    api('PUT', `/v1/classes/${cls}/limits`, {
      token: t,
      body: { requestsPerMinute: 100, concurrentRuns: 10, cpuSecondsPerDay: 1000, classConcurrentRuns: 10, ...limits },
    });
  const slow = { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'import time\ntime.sleep(2)' }] };
  const quick = { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'print(1)' }] };

  assert.equal((await set({ concurrentRuns: 1 })).status, 200);
  const first = await api('POST', '/v1/runs', { token: s, body: slow });
  assert.equal(first.status, 202);
  const second = await api('POST', '/v1/runs', { token: s, body: slow });
  assert.equal(second.status, 429, second.text);
  assert.equal(second.json.limit, 'concurrent_runs');
  assert.ok(Number(second.headers.get('retry-after')) > 0);
  await api('DELETE', `/v1/runs/${first.json.id}`, { token: s });

  await set({ requestsPerMinute: 2 });
  let last: Awaited<ReturnType<typeof api>> | undefined;
  for (let i = 0; i < 3; i++) last = await api('POST', '/v1/runs?wait=true', { token: s, body: quick });
  assert.equal(last!.status, 429, last!.text);
  assert.equal(last!.json.limit, 'requests_per_minute');
  assert.ok(Number(last!.headers.get('retry-after')) > 0);

  const s2 = await token('student-q2', 'student', cls);
  await set({ cpuSecondsPerDay: 0.01 });
  const burn = await api('POST', '/v1/runs?wait=true', {
    token: s2,
    body: { ...quick, files: [{ name: 'a.py', content: 'x = 0\nfor i in range(3000000): x += i' }] },
  });
  assert.equal(burn.status, 200, burn.text);
  const over = await api('POST', '/v1/runs', { token: s2, body: quick });
  assert.equal(over.status, 429, over.text);
  assert.equal(over.json.limit, 'cpu_seconds_per_day');
  assert.ok(Number(over.headers.get('retry-after')) > 0);
});

test("service: a problem's hidden tests never leave the server — answers, events, problem info, the log, the export, the server's log", async () => {
  const pkg = writeSumProblem(path.join(scratch, 'sumhidden'), 'Hidden sum', [
    ['424242424242424242 171717171717171717\n', '595959595959595959\n'],
    ['313131313131313131 282828282828282828\n', '595959595959595959\n'],
  ]);
  const pushed = await cli(['problem', 'push', pkg, '--server', server.url], { VERDICT_TOKEN: teacher });
  assert.equal(pushed.exitCode, 0, pushed.stderr);
  assert.match(pushed.stdout, /1 sample tests, 2 hidden/);
  // A students' solution that passes the sample and fails the hidden tests, and prints its input to stderr.
  const sneaky =
    'import sys\nline = input()\nprint(line, file=sys.stderr)\na, b = map(int, line.split())\nprint(a + b + (1 if a > 1000 else 0))\n';
  const r = await api('POST', '/v1/runs?wait=true', {
    token: student,
    body: { kind: 'judge', language: 'python3', files: [{ name: 's.py', content: sneaky }], problem: 'sumhidden' },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.result.status, 'Wrong Answer');
  assert.deepEqual(
    r.json.result.tests.map((t: { name: string; status: string }) => [t.name, t.status]),
    [
      ['sample/1', 'Accepted'],
      ['secret/1', 'Wrong Answer'],
    ],
  );
  const seen = [
    r.text,
    (await api('GET', `/v1/runs/${r.json.id}`, { token: student })).text,
    (await api('GET', `/v1/runs/${r.json.id}`, { token: teacher })).text,
    JSON.stringify(await events(r.json.id, student)),
    (await api('GET', '/v1/problems/sumhidden', { token: student })).text,
    (await api('GET', '/v1/problems', { token: student })).text,
    (await api('GET', '/v1/submissions', { token: teacher })).text,
    (await api('GET', '/v1/submissions?format=csv', { token: teacher })).text,
    (await api('GET', '/metrics')).text,
    server.log(),
  ].join('\n');
  for (const secret of [
    '424242424242424242',
    '171717171717171717',
    '595959595959595959',
    '595959595959595960',
    '313131313131313131',
    '282828282828282828',
  ])
    assert.ok(!seen.includes(secret), `"${secret}" leaked`);
  // The sample's data is the student's to see.
  assert.match((await api('GET', '/v1/problems/sumhidden', { token: student })).text, /"input":"1 2\\n"/);
});

test('service: archive attacks are refused with 400 and store nothing', async () => {
  const evil = path.join(scratch, 'evil');
  mkdirSync(path.join(evil, 'data/sample'), { recursive: true });
  writeFileSync(path.join(evil, 'problem.yaml'), 'name: Evil\n');
  symlinkSync('/etc/passwd', path.join(evil, 'data/sample/1.in'));
  writeFileSync(path.join(evil, 'data/sample/1.ans'), 'x\n');
  const chunks: Buffer[] = [];
  for await (const c of createTar({ gzip: true, cwd: evil, portable: true }, ['problem.yaml', 'data'])) chunks.push(c as Buffer);
  const r = await api('POST', '/v1/problems?id=evil', { token: teacher, raw: Buffer.concat(chunks) });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.message, /link/i);
  const notArchive = await api('POST', '/v1/problems?id=evil2', { token: teacher, raw: Buffer.from('hello, not an archive') });
  assert.equal(notArchive.status, 400, notArchive.text);
  assert.equal((await api('GET', '/v1/problems/evil', { token: teacher })).status, 404);
});

test('service: /openapi.json describes the API; /readyz checks Docker, images and the database', async () => {
  const doc = (await api('GET', '/openapi.json')).json;
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/v1/runs'].post.requestBody);
  const ready = await api('GET', '/readyz');
  assert.equal(ready.status, 200, ready.text);
  assert.deepEqual(ready.json.checks, { docker: 'ok', images: 'ok', database: 'ok' });
});

test('service: a kill -9 in the middle of a queue, then a restart, loses nothing and duplicates nothing', async () => {
  await server.stop();
  server = await startServer(['--concurrency', '1']);
  const s = await token('burst', 'student', 'algo1');
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await api('POST', '/v1/runs', {
      token: s,
      body: { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: `import time\ntime.sleep(0.4)\nprint(${i})` }] },
    });
    assert.equal(r.status, 202, r.text);
    ids.push(r.json.id);
  }
  // Kill it while the first is running and the others wait.
  await new Promise((r) => setTimeout(r, 300));
  await server.stop('SIGKILL');
  server = await startServer(['--concurrency', '2']);
  for (const [i, id] of ids.entries()) {
    const all = await events(id, s);
    const done = all.filter((e) => e.type === 'done');
    assert.equal(done.length, 1, `run ${i}: one result`);
    assert.equal(done[0]!.data.record.result.status, 'Accepted', JSON.stringify(done[0]!.data.record.result));
    assert.equal(done[0]!.data.record.result.stdout, `${i}\n`);
  }
  const log = (await api('GET', '/v1/submissions?user=burst', { token: teacher })).json as Array<{ id: string; state: string }>;
  assert.deepEqual(log.map((e) => e.id).sort(), [...ids].sort(), 'each run once in the log');
  assert.ok(log.every((e) => e.state === 'done'));
});

async function stateOf(id: string, tokenValue: string): Promise<string> {
  return (await api('GET', `/v1/runs/${id}`, { token: tokenValue })).json.state;
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('service: cancelling a running run kills its sandbox and ends it as cancelled', async () => {
  const s = await token('canceller', 'student', 'algo1');
  const r = await api('POST', '/v1/runs', {
    token: s,
    body: { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'while True: pass' }], limits: { cpuMs: 20_000 } },
  });
  await until('the run to start', async () => (await stateOf(r.json.id, s)) === 'running');
  const cancelled = await api('DELETE', `/v1/runs/${r.json.id}`, { token: s });
  assert.deepEqual(cancelled.json, { id: r.json.id, cancelled: true });
  await until('the run to end', async () => (await stateOf(r.json.id, s)) === 'cancelled', 5000);
  const done = (await events(r.json.id, s)).at(-1)!;
  assert.equal(done.type, 'done');
  assert.equal(done.data.record.state, 'cancelled');
});

test('service: /metrics counts runs by language and status, queue waits, and the containers started and retired (why)', async () => {
  const text = (await api('GET', '/metrics')).text;
  const value = (line: RegExp) => Number(new RegExp(`^${line.source} (\\d+(?:\\.\\d+)?)$`, 'm').exec(text)?.[1] ?? NaN);
  assert.ok(value(/verdict_runs_total\{language="python3",kind="run",status="Accepted"\}/) >= 1, text);
  assert.ok(value(/verdict_queue_wait_seconds_count/) >= 1, text);
  assert.ok(value(/verdict_containers_started_total/) >= 1, text);
  assert.equal(value(/verdict_container_failures_total/), 0);
  // The cancelled run's sandbox was killed: its container is not reused.
  assert.ok(value(/verdict_containers_retired_total\{reason="anomaly"\}/) >= 1, text);
  assert.match(text, /^verdict_containers_retired_total\{reason="worn out"\} 0$/m);
});

test('service: SIGTERM lets the run in flight finish, leaves the waiting one queued, and the next start carries it out', async () => {
  await server.stop();
  server = await startServer(['--concurrency', '1', '--grace', '20']);
  const s = await token('shutdown', 'student', 'algo1');
  const slow = await api('POST', '/v1/runs', {
    token: s,
    body: { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'import time\ntime.sleep(1.5)\nprint("slow")' }] },
  });
  const waiting = await api('POST', '/v1/runs', {
    token: s,
    body: { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'print("next")' }] },
  });
  await until('the slow run to start', async () => (await stateOf(slow.json.id, s)) === 'running');
  await server.stop('SIGTERM'); // returns when the process has ended
  const restartedAt = new Date().toISOString();
  server = await startServer(['--concurrency', '1']);
  const first = (await events(slow.json.id, s)).filter((e) => e.type === 'done');
  assert.equal(first.length, 1);
  assert.equal(first[0]!.data.record.result.stdout, 'slow\n', 'finished within the grace period, not started over');
  assert.equal((await api('GET', `/v1/runs/${slow.json.id}`, { token: s })).json.result.stdout, 'slow\n');
  const next = (await events(waiting.json.id, s)).filter((e) => e.type === 'done');
  assert.equal(next.length, 1);
  assert.equal(next[0]!.data.record.result.stdout, 'next\n');
  assert.ok(next[0]!.data.record.startedAt > restartedAt, 'the waiting run was left for the next start, not run during the grace period');
});
