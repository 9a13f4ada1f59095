// `verdict run|judge --server URL` as a student uses it: the real CLI against the real `verdict serve`
// on loopback, real Docker, tokens made with the real CLI. The same output as a local run (compared
// with one), --json's result object, judging by a folder and by a problem id, bytes that are not
// UTF-8, the queue notice, Ctrl-C cancelling on the server, and each way it fails (exit 2 or 3).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunResult } from '../../runner/spec';
import { CLI, cli as runCli, makeToken, startServer as startVerdictServer, type RunningServer } from './service-fixture';

const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-service-cli-'));
const data = path.join(scratch, 'data');

type Server = RunningServer;

/** The CLI as a user runs it, in the scratch folder, with `env` added to ours (VERDICT_TOKEN always set, '' for none). */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: { VERDICT_TOKEN: '', ...env }, cwd: scratch });
const token = (name: string, role: string, cls: string) => makeToken(data, name, role, cls);
const startServer = (extra: string[] = []) => startVerdictServer(data, extra, { logLevel: 'warn' });

function file(name: string, content: string | Buffer): string {
  const p = path.join(scratch, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

/** Numbers (times, memory) and the padding of their columns vary between runs; the words and lines must not. */
const shape = (s: string) => s.replace(/\d+(\.\d+)?/g, 'N').replace(/ +/g, ' ');

async function api(method: string, route: string, tokenValue: string, body?: unknown) {
  const res = await fetch(server.url + route, {
    method,
    headers: { authorization: `Bearer ${tokenValue}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any };
}

let server: Server;
let teacher: string;
let student: string;

const PY_SUM = 'a, b = map(int, input().split())\nprint(a + b)\n';

before(async () => {
  teacher = await token('tina', 'teacher', 'cli1');
  student = await token('sam', 'student', 'cli1');
  // One sandbox at a time, so a run can be made to wait in the queue.
  server = await startServer(['--concurrency', '1']);
  file('hello.py', 'import sys\nprint("hello")\nprint("to stderr", file=sys.stderr)\n');
  file('sum.py', PY_SUM);
  file('tests/1.in', '1 2\n');
  file('tests/1.ans', '3\n');
  file('tests/2.in', '2 2\n');
  file('tests/2.ans', '5\n'); // wrong on purpose
  file('tests/3.in', '20 22\n');
  file('tests/3.ans', '42\n');
});

after(async () => {
  await server?.stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
});

test('service cli: run --server prints the output and the same verdict line as a local run', async () => {
  const remote = await cli(['run', 'hello.py', '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(remote.exitCode, 0, remote.stderr);
  assert.equal(remote.stdout, 'hello\n');
  assert.match(remote.stderr, /^to stderr\n✔ Accepted · [\d.]+ ms CPU · [\d.]+ ms wall · [\d.]+ [KM]B\n$/);
  const local = await cli(['run', 'hello.py']);
  assert.equal(local.exitCode, 0, local.stderr);
  assert.equal(remote.stdout, local.stdout);
  assert.equal(shape(remote.stderr), shape(local.stderr));
  // A failing program: its verdict and reason read as locally, and the exit status is still 0.
  file('crash.py', 'print("partial")\nexit(3)\n');
  const crash = await cli(['run', 'crash.py', '--server', server.url], { VERDICT_TOKEN: student });
  const crashLocal = await cli(['run', 'crash.py']);
  assert.equal(crash.exitCode, 0, crash.stderr);
  assert.match(crash.stderr, /✘ Runtime Error/);
  assert.equal(shape(crash.stdout + crash.stderr), shape(crashLocal.stdout + crashLocal.stderr));
});

test('service cli: run --server --json prints exactly the result object', async () => {
  file('in.txt', '20 22\n');
  const r = await cli(['run', 'sum.py', '--stdin', 'in.txt', '--json', '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing but the result: no queue notice, no verdict line');
  const result = RunResult.strict().parse(JSON.parse(r.stdout));
  assert.equal(result.status, 'Accepted');
  assert.equal(result.stdout, '42\n');
  assert.equal(result.exitCode, 0);
  assert.ok(result.runId);
});

test('service cli: stdin that is not UTF-8 (Latin-1 and NUL) reaches the program byte for byte', async () => {
  const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x00, 0xff, 0x0a]); // "café" in Latin-1, NUL, 0xff
  file('latin1.in', bytes);
  file('echo.py', 'import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())\n');
  const r = await cli(['run', 'echo.py', '--stdin', 'latin1.in', '--json', '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(r.exitCode, 0, r.stderr);
  const result = RunResult.parse(JSON.parse(r.stdout));
  assert.equal(result.status, 'Accepted');
  assert.equal(result.stdoutBase64, bytes.toString('base64'));
  // Tests whose data is not UTF-8 go as base64 too: the answer must match exactly.
  file('bytes-tests/1.in', bytes);
  file('bytes-tests/1.ans', bytes);
  const judged = await cli(['judge', 'echo.py', '--tests', 'bytes-tests', '--checker', 'exact', '--json', '--server', server.url], {
    VERDICT_TOKEN: student,
  });
  assert.equal(judged.exitCode, 0, judged.stderr);
  assert.equal(JSON.parse(judged.stdout).status, 'Accepted', judged.stdout);
});

test('service cli: judge --server --tests DIR prints the test rows and the verdict as locally', async () => {
  const remote = await cli(['judge', 'sum.py', '--tests', 'tests', '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(remote.exitCode, 0, remote.stderr);
  const lines = remote.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^✔ 1 +Accepted +[\d.]+ ms +[\d.]+ [KM]B$/);
  assert.match(lines[1]!, /^✘ 2 +Wrong Answer +[\d.]+ ms/);
  assert.match(lines[2]!, /^✔ 3 +Accepted/);
  assert.match(remote.stdout, /first difference on test 2, line 1, column 1:\n {4}expected: 5\n {4}actual: {3}4\n/);
  assert.match(lines.at(-1)!, /^✘ Wrong Answer on test 2 · 2\/3 passed · max [\d.]+ ms · [\d.]+ [KM]B$/);
  const local = await cli(['judge', 'sum.py', '--tests', 'tests']);
  assert.equal(local.exitCode, 0, local.stderr);
  assert.equal(shape(remote.stdout), shape(local.stdout));
  // --json and --stop-on-failure are passed on.
  const json = await cli(['judge', 'sum.py', '--tests', 'tests', '--stop-on-failure', '--json', '--server', server.url], {
    VERDICT_TOKEN: student,
  });
  assert.equal(json.exitCode, 0, json.stderr);
  const result = JSON.parse(json.stdout);
  assert.equal(result.status, 'Wrong Answer');
  assert.deepEqual(
    result.tests.map((t: { name: string }) => t.name),
    ['1', '2'],
  );
});

test('service cli: judge --server --problem ID judges against a problem stored on the server', async () => {
  const pkg = path.join(scratch, 'sumcli');
  file('sumcli/problem.yaml', 'name: Sum for the CLI\n');
  file('sumcli/data/sample/1.in', '1 2\n');
  file('sumcli/data/sample/1.ans', '3\n');
  file('sumcli/data/secret/1.in', '100 200\n');
  file('sumcli/data/secret/1.ans', '300\n');
  file('sumcli/data/secret/2.in', '7 8\n');
  file('sumcli/data/secret/2.ans', '15\n');
  const pushed = await cli(['problem', 'push', pkg, '--server', server.url], { VERDICT_TOKEN: teacher });
  assert.equal(pushed.exitCode, 0, pushed.stderr);
  const r = await cli(['judge', 'sum.py', '--problem', 'sumcli', '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^✔ sample\/1 +Accepted/m);
  assert.match(r.stdout, /^✔ secret\/1 +Accepted/m);
  assert.match(r.stdout, /^✔ secret\/2 +Accepted/m);
  assert.match(r.stdout, /^✔ Accepted · 3\/3 passed/m);
  // A wrong one fails on the server's hidden test, which the student does not see the data of.
  file('off.py', 'a, b = map(int, input().split())\nprint(a + b + (1 if a > 50 else 0))\n');
  const off = await cli(['judge', 'off.py', '--problem', 'sumcli', '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(off.exitCode, 0, off.stderr);
  assert.match(off.stdout, /✘ Wrong Answer on test secret\/1/);
  assert.ok(!off.stdout.includes('300'), off.stdout);
  // A folder is not an id: the message says how to push it, or to judge it locally.
  const folder = await cli(['judge', 'sum.py', '--problem', pkg, '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(folder.exitCode, 2, folder.stderr);
  assert.match(folder.stderr, /verdict problem push/);
  const unknown = await cli(['judge', 'sum.py', '--problem', 'nosuch', '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(unknown.exitCode, 2, unknown.stderr);
  assert.match(unknown.stderr, /no problem "nosuch"/);
});

test('service cli: local-only options and a missing token are usage errors that name the alternative', async () => {
  const checker = await cli(['judge', 'sum.py', '--tests', 'tests', '--checker', 'hello.py', '--server', server.url], {
    VERDICT_TOKEN: student,
  });
  assert.equal(checker.exitCode, 2, checker.stderr);
  assert.match(checker.stderr, /runs only locally/);
  assert.match(checker.stderr, /--problem ID/);
  const none = await cli(['run', 'hello.py', '--server', server.url]);
  assert.equal(none.exitCode, 2, none.stderr);
  assert.match(none.stderr, /VERDICT_TOKEN/);
  assert.match(none.stderr, /verdict token create/);
  assert.equal(none.stdout, '');
});

test('service cli: a bad token exits 3 saying so', async () => {
  const r = await cli(['run', 'hello.py', '--server', server.url], { VERDICT_TOKEN: 'vt_nonsense' });
  assert.equal(r.exitCode, 3, r.stderr);
  assert.match(r.stderr, /did not accept your token/);
  assert.equal(r.stdout, '');
});

test('service cli: an unreachable server exits 3 saying so', async () => {
  // A port that was free a moment ago: nothing listens there.
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  const r = await cli(['run', 'hello.py', '--server', `http://127.0.0.1:${closed}`], { VERDICT_TOKEN: student });
  assert.equal(r.exitCode, 3, r.stderr);
  assert.match(r.stderr, /unreachable/);
});

test('service cli: a limit exits 3 with the wait', async () => {
  const t = await token('tq', 'teacher', 'cliquota');
  const s = await token('sq', 'student', 'cliquota');
  const set = await api('PUT', '/v1/classes/cliquota/limits', t, {
    requestsPerMinute: 1,
    concurrentRuns: 10,
    cpuSecondsPerDay: 1000,
    classConcurrentRuns: 10,
  });
  assert.equal(set.status, 200, JSON.stringify(set.json));
  assert.equal((await cli(['run', 'hello.py', '--server', server.url], { VERDICT_TOKEN: s })).exitCode, 0);
  const r = await cli(['run', 'hello.py', '--server', server.url], { VERDICT_TOKEN: s });
  assert.equal(r.exitCode, 3, r.stderr);
  assert.match(r.stderr, /Try again in \d+ s/);
});

test('service cli: a run that waits says its place in the queue; Ctrl-C cancels it on the server', async () => {
  // The one sandbox is busy with a slow run, so the next one waits.
  const slow = await api('POST', '/v1/runs', student, {
    kind: 'run',
    language: 'python3',
    files: [{ name: 'a.py', content: 'import time\ntime.sleep(3)' }],
  });
  assert.equal(slow.status, 202, JSON.stringify(slow.json));
  const waited = await cli(['run', 'hello.py', '--server', server.url], { VERDICT_TOKEN: student });
  assert.equal(waited.exitCode, 0, waited.stderr);
  assert.match(waited.stderr, /^queued \(position 1\)\n/);
  assert.equal(waited.stdout, 'hello\n');

  file('long.py', 'import time\nprint("started", flush=True)\ntime.sleep(60)\n');
  const { execa } = await import('execa'); // ESM only: imported when used (privatenumber/tsx#673)
  const child = execa(process.execPath, [CLI, 'run', 'long.py', '--server', server.url], {
    env: { VERDICT_TOKEN: student },
    cwd: scratch,
    reject: false,
    stdin: 'ignore',
  });
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('started')) resolve();
    });
  });
  child.kill('SIGINT');
  const r = await child;
  assert.equal(r.exitCode, 130, String(r.stderr));
  const id = /cancelled run (\S+) on the server/.exec(String(r.stderr))?.[1];
  assert.ok(id, String(r.stderr));
  const record = await api('GET', `/v1/runs/${id}`, student);
  assert.equal(record.json.state, 'cancelled');
});
