// The compatible APIs and webhooks of the classroom service, against the real `verdict serve` on
// loopback with real Docker: Judge0 CE's submissions API (wait, base64 round trips, fields, batch,
// statuses, languages, its refusals in its own shapes), Piston's execute and runtimes, and signed
// webhooks retried with backoff on 5xx (a receiver of ours on loopback, allowed by the admin switch;
// a server without it refuses loopback targets before storing anything).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, makeToken, startServer, writeSumProblem, type RunningServer } from './service-fixture';

const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-compat-'));
const data = path.join(scratch, 'data');
let server: RunningServer;
let student: string;
let teacher: string;

before(async () => {
  teacher = await makeToken(data, 'tess', 'teacher', 'c1');
  student = await makeToken(data, 'stan', 'student', 'c1');
  server = await startServer(data, ['--concurrency', '2', '--allow-private-webhooks', '--webhook-backoff', '300'], { ready: true });
});

after(async () => {
  await server?.stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
});

async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = { 'x-auth-token': student }) {
  const res = await fetch(server.url + route, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const PY_ECHO = 'import sys\nprint("hello", sys.stdin.read().strip())\n';

// ---- Judge0 ----

test('judge0: POST /submissions?wait=true answers 201 with the default fields; time is seconds, memory KB', async () => {
  const r = await call('POST', '/submissions?wait=true', { source_code: PY_ECHO, language_id: 71, stdin: 'world' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(
    Object.keys(r.json).sort(),
    ['compile_output', 'memory', 'message', 'status', 'stderr', 'stdout', 'time', 'token'].sort(),
  );
  assert.deepEqual(r.json.status, { id: 3, description: 'Accepted' });
  assert.equal(r.json.stdout, 'hello world\n');
  assert.equal(r.json.stderr, null);
  assert.match(r.json.time, /^\d+\.\d{3}$/);
  assert.ok(Number.isInteger(r.json.memory) && r.json.memory > 0, String(r.json.memory));
});

test('judge0: without wait, 201 {token}; GET /submissions/:token gives In Queue/Processing, then the result', async () => {
  const r = await call('POST', '/submissions', { source_code: 'import time\ntime.sleep(0.5)\nprint(42)\n', language_id: 71 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json), ['token']);
  const seen = new Set<number>();
  for (let i = 0; i < 100; i++) {
    const g = await call('GET', `/submissions/${r.json.token}?fields=status_id,stdout,token`);
    assert.equal(g.status, 200, g.text);
    assert.deepEqual(Object.keys(g.json).sort(), ['status_id', 'stdout', 'token']);
    seen.add(g.json.status_id);
    if (g.json.status_id >= 3) {
      assert.equal(g.json.stdout, '42\n');
      break;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(seen.has(3), [...seen].join());
  assert.ok(seen.has(1) || seen.has(2), `queued or processing seen first: ${[...seen].join()}`);
  assert.equal((await call('GET', '/submissions/00000000-0000-0000-0000-000000000000')).status, 404);
});

test("judge0: base64 round trip of bytes that are not UTF-8; without base64 the answer is Judge0's 400", async () => {
  const source = 'import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read()[::-1])\n';
  const input = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0a]);
  const r = await call('POST', '/submissions?base64_encoded=true&wait=true&fields=*', {
    source_code: b64(source),
    language_id: 71,
    stdin: b64(input),
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Buffer.from(r.json.stdout, 'base64'), Buffer.from([...input].reverse()));
  assert.equal(Buffer.from(r.json.source_code, 'base64').toString(), source);
  assert.deepEqual(Buffer.from(r.json.stdin, 'base64'), input);
  const plain = await call('GET', `/submissions/${r.json.token}`);
  assert.equal(plain.status, 400);
  assert.match(plain.json.error, /cannot be converted to UTF-8, use base64_encoded=true/);
  // A field that is not asked for does not matter.
  assert.equal((await call('GET', `/submissions/${r.json.token}?fields=status,time`)).status, 200);
});

test('judge0: expected_output is compared as Judge0 does (trailing whitespace ignored): Accepted or Wrong Answer', async () => {
  const src = 'print("1 2 ")\nprint("3")\nprint()\n';
  const ok = await call('POST', '/submissions?wait=true', { source_code: src, language_id: 71, expected_output: '1 2\n3' });
  assert.deepEqual(ok.json.status, { id: 3, description: 'Accepted' });
  const wa = await call('POST', '/submissions?wait=true', { source_code: src, language_id: 71, expected_output: '1 2\n4\n' });
  assert.deepEqual(wa.json.status, { id: 4, description: 'Wrong Answer' });
});

test("judge0: statuses — compilation error, NZEC, SIGSEGV, TLE — with Judge0's ids and descriptions", async () => {
  const cases: Array<[string, number, string, number]> = [
    ['int main() { return }', 54, 'compile', 6],
    ['import sys\nsys.exit(3)\n', 71, 'nzec', 11],
    ['int main() { volatile int *p = 0; *p = 1; return 0; }', 54, 'segv', 7],
    ['while True: pass\n', 71, 'tle', 5],
  ];
  const results = await Promise.all(
    cases.map(([source_code, language_id, ,]) =>
      call('POST', '/submissions?wait=true&fields=status,compile_output,exit_code,exit_signal,time', {
        source_code,
        language_id,
        cpu_time_limit: 1,
      }),
    ),
  );
  results.forEach((r, i) => assert.equal(r.json.status.id, cases[i]![3], `${cases[i]![2]}: ${r.text}`));
  assert.match(results[0]!.json.compile_output, /error/);
  assert.equal(results[1]!.json.exit_code, 3);
  assert.equal(results[2]!.json.exit_signal, 11);
  const statuses = await call('GET', '/statuses');
  assert.equal(statuses.json.length, 14);
  assert.deepEqual(statuses.json[10], { id: 11, description: 'Runtime Error (NZEC)' });
});

test('judge0: fields=* gives every attribute; an unknown field is 400 "invalid fields"', async () => {
  const r = await call('POST', '/submissions?wait=true&fields=*', { source_code: 'print(1)', language_id: 71, cpu_time_limit: 2 });
  for (const f of [
    'source_code',
    'language_id',
    'stdin',
    'stdout',
    'status',
    'status_id',
    'created_at',
    'finished_at',
    'wall_time',
    'exit_code',
    'cpu_time_limit',
    'language',
  ])
    assert.ok(f in r.json, f);
  assert.equal(r.json.cpu_time_limit, 2);
  const bad = await call('GET', `/submissions/${r.json.token}?fields=stdout,nope`);
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json, { error: 'invalid fields: [nope]' });
});

test('judge0: compiler_options are compile flags (split on whitespace), echoed back; compile_cmd shows where they go', async () => {
  const source = '#include <cstdio>\nint main() {\n#ifdef LOCAL\n  std::puts("local");\n#else\n  std::puts("judge");\n#endif\n}\n';
  const r = await call('POST', '/submissions?wait=true&fields=stdout,compiler_options', {
    source_code: source,
    language_id: 54,
    compiler_options: ' -DLOCAL  -O2 ',
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, { stdout: 'local\n', compiler_options: ' -DLOCAL  -O2 ' });
  assert.match((await call('GET', '/languages/54')).json.compile_cmd, /-DONLINE_JUDGE %s -o main \{source\}$/);
});

test('judge0: batch — created one by one (a bad one is its errors, the rest run), read back by tokens', async () => {
  const r = await call('POST', '/submissions/batch', {
    submissions: [
      { source_code: 'print(1)', language_id: 71 },
      { source_code: 'print(2)', language_id: 99999 },
      { source_code: '#include <cstdio>\nint main() { std::puts("3"); }', language_id: 54 },
    ],
  });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json[0].token && r.json[2].token);
  assert.deepEqual(r.json[1], { language_id: ["language with id 99999 doesn't exist"] });
  const tokens = `${r.json[0].token},${r.json[2].token},nosuchtoken`;
  let got: any;
  for (let i = 0; i < 150; i++) {
    got = await call('GET', `/submissions/batch?tokens=${tokens}&fields=token,stdout,status_id`);
    assert.equal(got.status, 200, got.text);
    if (got.json.submissions[0]?.status_id >= 3 && got.json.submissions[1]?.status_id >= 3) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.deepEqual(
    got.json.submissions.map((s: any) => s && [s.stdout, s.status_id]),
    [['1\n', 3], ['3\n', 3], null],
  );
});

test('judge0: languages are the usable ones with Judge0 ids; GET /languages/:id; X-Auth-Token or Bearer; no token 401', async () => {
  const langs = await call('GET', '/languages');
  assert.equal(langs.status, 200);
  const ids = langs.json.map((l: { id: number }) => l.id);
  for (const id of [50, 54, 62, 63, 71]) assert.ok(ids.includes(id), `${id} in ${ids.join()}`);
  assert.match(langs.json.find((l: { id: number }) => l.id === 71).name, /Python/);
  const one = await call('GET', '/languages/54');
  assert.equal(one.json.source_file, 'main.cpp');
  assert.match(one.json.compile_cmd, /g\+\+/);
  assert.equal((await call('GET', '/languages/4242')).status, 404);
  assert.equal((await call('GET', '/languages', undefined, { authorization: `Bearer ${student}` })).status, 200);
  const none = await call('GET', '/languages', undefined, {});
  assert.equal(none.status, 401);
  assert.match(none.json.error, /token/);
});

test("judge0: what this server does not do is a 422 in Judge0's shape, before anything is stored", async () => {
  const before = (await call('GET', '/v1/submissions', undefined, { authorization: `Bearer ${teacher}` })).json.length;
  const refusals: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ source_code: 'x', language_id: 71, compiler_options: '-O3' }, 'compiler_options', /Python 3 \(CPython\) takes no compile flags/],
    [
      { source_code: 'x', language_id: 54, compiler_options: '-O2 -fplugin=x.so' },
      'compiler_options',
      /"-fplugin=x\.so" .* compiler plugin/,
    ],
    [{ source_code: 'x', language_id: 71, enable_network: true }, 'enable_network', /never/],
    [{ source_code: 'x', language_id: 71, additional_files: 'UEsDBA==' }, 'additional_files', /not supported/],
    [{ source_code: 'x', language_id: 71, redirect_stderr_to_stdout: true }, 'redirect_stderr_to_stdout', /not supported/],
    [{ source_code: 'x', language_id: 71, number_of_runs: 3 }, 'number_of_runs', /less than or equal to 1/],
    [{ source_code: 'x', language_id: 71, cpu_time_limit: 1000 }, 'cpu_time_limit', /less than or equal to 60/],
    [{ source_code: 'x', language_id: 89 }, 'language_id', /multi-file/],
    [{ language_id: 71 }, 'source_code', /blank/],
    [{ source_code: 'x', language_id: 71, callback_url: 'ftp://example.invalid/x' }, 'callback_url', /only http and https/],
  ];
  for (const [body, field, message] of refusals) {
    const r = await call('POST', '/submissions', body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.deepEqual(Object.keys(r.json), [field], r.text);
    assert.match(r.json[field][0], message);
  }
  const badBase64 = await call('POST', '/submissions?base64_encoded=true', { source_code: 'not base64!', language_id: 71 });
  assert.equal(badBase64.status, 422);
  assert.match(badBase64.json.source_code[0], /Base64/);
  assert.equal((await call('DELETE', '/submissions/x')).json.error, 'delete not allowed');
  const after = (await call('GET', '/v1/submissions', undefined, { authorization: `Bearer ${teacher}` })).json.length;
  assert.equal(after, before, 'nothing stored');
});

// ---- Piston ----

test('piston: runtimes list the usable languages with aliases; execute runs with stdin, args, files in base64 and hex', async () => {
  const rt = await call('GET', '/api/v2/runtimes');
  assert.equal(rt.status, 200);
  const python = rt.json.find((r: { language: string }) => r.language === 'python');
  assert.ok(python && python.aliases.includes('py') && /^\d+\.\d+/.test(python.version), JSON.stringify(python));
  const r = await call('POST', '/api/v2/execute', {
    language: 'py',
    version: '*',
    files: [
      { name: 'main.py', content: b64('import sys, helper\nprint(helper.X, sys.argv[1:], sys.stdin.read())\n'), encoding: 'base64' },
      { name: 'helper.py', content: Buffer.from('X = 7\n').toString('hex'), encoding: 'hex' },
    ],
    stdin: 'in',
    args: ['a', 'b c'],
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.language, 'python');
  assert.deepEqual(
    { stdout: r.json.run.stdout, code: r.json.run.code, signal: r.json.run.signal, status: r.json.run.status },
    { stdout: "7 ['a', 'b c'] in\n", code: 0, signal: null, status: null },
  );
  assert.equal(r.json.run.output, r.json.run.stdout);
  assert.ok(r.json.run.memory > 0 && r.json.run.cpu_time >= 0);
});

test('piston: a compile error stands in for the run stage; a TLE is TO/SIGKILL; a crash is SG', async () => {
  const ce = await call('POST', '/api/v2/execute', { language: 'c++', version: '*', files: [{ content: 'int main( {' }] });
  assert.equal(ce.status, 200, ce.text);
  assert.equal(ce.json.compile.code, 1);
  assert.match(ce.json.run.stderr, /error/);
  const tle = await call('POST', '/api/v2/execute', {
    language: 'python',
    version: '3',
    files: [{ content: 'while True: pass' }],
    run_timeout: 1000,
  });
  assert.deepEqual([tle.json.run.status, tle.json.run.signal, tle.json.run.code], ['TO', 'SIGKILL', null]);
  const sg = await call('POST', '/api/v2/execute', {
    language: 'c',
    version: '*',
    files: [{ content: 'int main(){ volatile int *p = 0; return *p; }' }],
  });
  assert.deepEqual([sg.json.run.status, sg.json.run.signal], ['SG', 'SIGSEGV']);
});

test("piston: bad requests are 400 {message} in Piston's words; packages are refused", async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ version: '*', files: [{ content: 'x' }] }, /language is required/],
    [{ language: 'cobol', version: '*', files: [{ content: 'x' }] }, /cobol-\* runtime is unknown/],
    [{ language: 'python', version: '2.7', files: [{ content: 'x' }] }, /python-2\.7 runtime is unknown/],
    [{ language: 'python', version: '*', files: [{ content: 'x', encoding: 'rot13' }] }, /encoding/],
    [{ language: 'python', version: '*', files: [{ content: '%%%', encoding: 'base64' }] }, /not valid base64/],
    [{ language: 'python', version: '*', files: [{ content: 'x', name: '../evil.py' }] }, /plain file name/],
    [{ language: 'python', version: '*', files: [{ content: 'x' }], run_timeout: 10_000_000 }, /cannot exceed/],
  ];
  for (const [body, message] of cases) {
    const r = await call('POST', '/api/v2/execute', body);
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.message, message);
  }
  assert.equal((await call('GET', '/api/v2/packages')).status, 400);
});

// ---- webhooks ----

/** A receiver on loopback: answers with the statuses given in turn (then 200), and keeps each request. */
async function receiver(statuses: number[]) {
  const got: Array<{ method: string; headers: http.IncomingHttpHeaders; body: string; at: number }> = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ method: req.method!, headers: req.headers, body, at: Date.now() });
      res.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/hook`;
  return { url, got, close: () => new Promise((r) => srv.close(r)) };
}

async function until<T>(what: string, get: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const v = await get();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('webhooks: signed, retried with backoff on 5xx, and every attempt in the run record', async () => {
  const hook = await receiver([500, 503]);
  try {
    const r = await call(
      'POST',
      '/v1/runs',
      { kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'print(5)' }], webhook: hook.url },
      { authorization: `Bearer ${student}` },
    );
    assert.equal(r.status, 202, r.text);
    await until('three deliveries', () => hook.got.length >= 3 || undefined);
    const secret = (await cli(['webhook-secret', '--data', data])).stdout.trim();
    assert.match(secret, /^whsec_[0-9a-f]{64}$/);
    for (const d of hook.got) {
      assert.equal(d.method, 'POST');
      const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(d.headers['verdict-signature']));
      assert.ok(sig, String(d.headers['verdict-signature']));
      const expected = createHmac('sha256', secret).update(`${sig[1]}.${d.body}`).digest('hex');
      assert.equal(sig[2], expected, 'the signature is the HMAC of "<t>.<body>" with the server secret');
      assert.ok(Math.abs(Number(sig[1]) - Date.now() / 1000) < 60);
      assert.equal(JSON.parse(d.body).result.stdout, '5\n');
    }
    // Backoff: 300 ms, then 600 ms.
    const gaps = [hook.got[1]!.at - hook.got[0]!.at, hook.got[2]!.at - hook.got[1]!.at];
    assert.ok(gaps[0]! >= 280 && gaps[1]! >= 580 && gaps[1]! > gaps[0]!, gaps.join(', '));
    const record = await until('the delivery recorded', async () => {
      const rec = (await call('GET', `/v1/runs/${r.json.id}`, undefined, { authorization: `Bearer ${student}` })).json;
      return rec.webhook?.state === 'delivered' ? rec : undefined;
    });
    assert.deepEqual(
      record.webhook.attempts.map((a: { attempt: number; status: number }) => [a.attempt, a.status]),
      [
        [1, 500],
        [2, 503],
        [3, 200],
      ],
    );
    assert.equal(record.webhook.url, hook.url);
  } finally {
    await hook.close();
  }
});

test("webhooks: Judge0's callback_url gets a PUT with Judge0's body (base64); a 4xx answer is not retried", async () => {
  const hook = await receiver([410]);
  try {
    const r = await call('POST', '/submissions', { source_code: 'print("cb")', language_id: 71, callback_url: hook.url });
    assert.equal(r.status, 201, r.text);
    await until('the callback', () => hook.got.length >= 1 || undefined);
    await new Promise((res) => setTimeout(res, 1000));
    assert.equal(hook.got.length, 1, 'a 410 is final');
    assert.equal(hook.got[0]!.method, 'PUT');
    const body = JSON.parse(hook.got[0]!.body);
    assert.equal(body.token, r.json.token);
    assert.equal(Buffer.from(body.stdout, 'base64').toString(), 'cb\n');
    assert.deepEqual(body.status, { id: 3, description: 'Accepted' });
    const rec = (await call('GET', `/v1/runs/${r.json.token}`, undefined, { authorization: `Bearer ${student}` })).json;
    assert.equal(rec.webhook.state, 'failed');
  } finally {
    await hook.close();
  }
});

test('webhooks: a judge against a hidden-test problem sends only what the student may see', async () => {
  const pkg = writeSumProblem(path.join(scratch, 'hid'), 'Hidden', [['737373737373737373 191919191919191919\n', '929292929292929292\n']]);
  const pushed = await cli(['problem', 'push', pkg, '--server', server.url], { env: { VERDICT_TOKEN: teacher } });
  assert.equal(pushed.exitCode, 0, pushed.stderr);
  const hook = await receiver([]);
  try {
    const sneaky = 'import sys\nline = input()\nprint(line, file=sys.stderr)\nprint(line)\n';
    const r = await call(
      'POST',
      '/v1/runs',
      {
        kind: 'judge',
        language: 'python3',
        problem: 'hid',
        files: [{ name: 's.py', content: sneaky }],
        stopOnFailure: false,
        webhook: hook.url,
      },
      { authorization: `Bearer ${student}` },
    );
    assert.equal(r.status, 202, r.text);
    await until('the webhook', () => hook.got.length >= 1 || undefined);
    const body = hook.got[0]!.body;
    assert.equal(JSON.parse(body).result.status, 'Wrong Answer');
    for (const secret of ['737373737373737373', '191919191919191919', '929292929292929292'])
      assert.ok(!body.includes(secret), `${secret} leaked`);
  } finally {
    await hook.close();
  }
});

test('webhooks: a server without --allow-private-webhooks refuses loopback and private targets before storing the run', async () => {
  const strictData = path.join(scratch, 'strict');
  const s = await makeToken(strictData, 'sid', 'student', 'c2');
  const strict = await startServer(strictData, ['--concurrency', '1']);
  try {
    for (const target of [
      'http://127.0.0.1:9/x',
      'http://[::1]/x',
      'http://10.1.2.3/x',
      'http://169.254.169.254/latest',
      'http://localhost/x',
    ]) {
      const res = await fetch(`${strict.url}/v1/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'run', language: 'python3', files: [{ name: 'a.py', content: 'print(1)' }], webhook: target }),
      });
      const json = (await res.json()) as { error: string; message: string };
      assert.equal(res.status, 400, target);
      assert.equal(json.error, 'bad_webhook');
      assert.match(json.message, /private or loopback/);
    }
    const log = await fetch(`${strict.url}/v1/submissions`, { headers: { authorization: `Bearer ${s}` } }).then((r) => r.json());
    assert.deepEqual(log, []);
  } finally {
    await strict.stop();
  }
});
