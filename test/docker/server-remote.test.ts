// The language server's remote mode as an editor drives it: the real language server over JSON-RPC
// on stdio, in remote mode against the real `verdict serve` on loopback (real Docker behind it),
// tokens made with the real CLI, the token given as VS Code's extension gives it
// (initializationOptions.token, then verdict/setToken).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli as runCli, makeToken as makeServerToken, startServer, type RunningServer } from './service-fixture';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import {
  Commands,
  LanguagesRequest,
  OutputNotification,
  ProblemsRequest,
  QueueNotification,
  SetTokenNotification,
  StatusNotification,
  TestResultNotification,
  type OutputParams,
  type QueueParams,
  type StatusParams,
  type TestResultParams,
} from '../../protocol/lsp';
import type { JudgeResult, RunResult } from '../../protocol/results';
import { startLanguageServer, type LanguageServer } from './lsp-fixture';

const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-lsp-remote-'));
const data = path.join(scratch, 'data');
const work = path.join(scratch, 'work');

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });
const makeToken = (name: string, role: string, cls: string) => makeServerToken(data, name, role, cls);

let service: RunningServer;

/** `verdict serve` on a free loopback port, one sandbox at once (so a second run waits). */
const startService = () => startServer(data, ['--concurrency', '1'], { logLevel: 'warn' });

async function api(method: string, route: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(service.url + route, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

let teacher: string;
let student: string;
let lsp: LanguageServer;
const settings: { runner: { mode: string; url: string; token: string }; limits: { timeMs: number; memoryMb: number } } = {
  runner: { mode: 'remote', url: '', token: '' },
  limits: { timeMs: 2000, memoryMb: 256 },
};
const statuses: StatusParams[] = [];
let configurationReads = 0;

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Settings changed as an editor says so; resolves once the server has read them again (and had time to apply them). */
async function configure(change: () => void): Promise<void> {
  change();
  const before = configurationReads;
  await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await until('the server to read the settings', () => configurationReads > before, 10_000);
  await new Promise((r) => setTimeout(r, 200));
}

before(async () => {
  mkdirSync(work, { recursive: true });
  teacher = await makeToken('tara', 'teacher', 'lab');
  student = await makeToken('stu', 'student', 'lab');
  service = await startService();
  settings.runner.url = service.url;
  // A problem with a sample and a hidden test, pushed by the teacher with the real CLI.
  const pkg = path.join(scratch, 'addtwo');
  mkdirSync(path.join(pkg, 'data/sample'), { recursive: true });
  mkdirSync(path.join(pkg, 'data/secret'), { recursive: true });
  writeFileSync(path.join(pkg, 'problem.yaml'), 'name: Add two\n');
  writeFileSync(path.join(pkg, 'data/sample/1.in'), '1 2\n');
  writeFileSync(path.join(pkg, 'data/sample/1.ans'), '3\n');
  writeFileSync(path.join(pkg, 'data/secret/1.in'), '1000 2000\n');
  writeFileSync(path.join(pkg, 'data/secret/1.ans'), '3000\n');
  const pushed = await cli(['problem', 'push', pkg, '--server', service.url], { VERDICT_TOKEN: teacher });
  assert.equal(pushed.exitCode, 0, pushed.stderr);

  lsp = await startLanguageServer({
    root: work,
    settings: () => {
      configurationReads++;
      return settings;
    },
    // As the VS Code extension does: it gives the token it keeps in its SecretStorage.
    initializationOptions: { token: student },
    handlers: (c) => c.onNotification(StatusNotification, (p: StatusParams) => void statuses.push(p)),
  });
});

after(async () => {
  await lsp?.stop();
  await service?.stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
});

test('remote: the status says the server is reachable and how many languages it runs', async () => {
  await until('a status', () => statuses.some((s) => s.runner === 'remote'));
  const status = statuses.filter((s) => s.runner === 'remote').at(-1)!;
  assert.equal(status.healthy, true, status.message);
  assert.match(status.message, new RegExp(`^remote runner ${service.url}: reachable, \\d+ languages$`));
});

test('remote: Run of a Python file returns the result and streams verdict/output; its stdin file is sent, bytes and all', async () => {
  const text = 'import sys\ndata = sys.stdin.buffer.read()\nprint("got", len(data), flush=True)\nprint(data.hex())\n';
  const uri = lsp.file('hello.py', text);
  lsp.file('hello.stdin', Buffer.from([0x68, 0x69, 0xff, 0x0a])); // not UTF-8: sent as stdinBase64
  lsp.open(uri, 'python', text);
  const shown: OutputParams[] = [];
  const off = lsp.connection.onNotification(OutputNotification, (p: OutputParams) => void (p.uri === uri && shown.push(p)));
  const result = await lsp.command<RunResult>(Commands.run, uri);
  off.dispose();
  assert.equal(result.status, 'Accepted', JSON.stringify(result));
  assert.equal(result.stdout, 'got 4\n6869ff0a\n');
  assert.equal(
    shown
      .filter((p) => p.stream === 'stdout')
      .map((p) => p.text)
      .join(''),
    'got 4\n6869ff0a\n',
  );
  assert.ok(
    shown.every((p) => p.runId === result.runId),
    'streamed output carries the run id of the result',
  );
  const lenses = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  // A run has no expected output: its lens says it ran (issue 14), never Accepted.
  assert.match(lenses.at(-1)!.command!.title, /^✔ Ran · exit 0/);
});

test('remote: Judge with a tests folder streams verdict/testResult and the lens shows the verdict', async () => {
  const text = 'a, b = map(int, input().split())\nprint(a + b)\n';
  const uri = lsp.file('sum.py', text);
  lsp.tests('sum.tests', [
    ['1 2\n', '3\n'],
    ['5 5\n', '11\n'],
  ]);
  lsp.open(uri, 'python', text);
  const streamed: TestResultParams[] = [];
  const off = lsp.connection.onNotification(TestResultNotification, (p: TestResultParams) => void streamed.push(p));
  const result = await lsp.command<JudgeResult>(Commands.judge, uri);
  off.dispose();
  assert.equal(result.status, 'Wrong Answer', JSON.stringify(result));
  assert.deepEqual(
    streamed.map((s) => [s.index, s.total, s.test.name, s.test.status]),
    [
      [0, 2, '1', 'Accepted'],
      [1, 2, '2', 'Wrong Answer'],
    ],
  );
  assert.ok(
    streamed.every((s) => s.runId === result.runId && s.uri === uri),
    "streamed tests carry the judge's run id",
  );
  const lenses = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  assert.equal(lenses.at(-1)!.command!.title, '✘ Wrong Answer on test 2');
});

test('remote: verdict/problems lists the server problems; a judge against one by id uses its hidden tests too', async () => {
  const problems = await lsp.connection.sendRequest(ProblemsRequest);
  assert.deepEqual(
    problems.map((p) => [p.id, p.name, p.samples.length, p.hiddenTests]),
    [['addtwo', 'Add two', 1, 1]],
  );
  // Passes the sample, fails the hidden test.
  const text = 'a, b = map(int, input().split())\nprint(a + b if a < 100 else 0)\n';
  const uri = lsp.file('addtwo.py', text);
  lsp.open(uri, 'python', text);
  const streamed: TestResultParams[] = [];
  const off = lsp.connection.onNotification(TestResultNotification, (p: TestResultParams) => void streamed.push(p));
  const result = await lsp.command<JudgeResult>(Commands.judge, uri, { problem: 'addtwo' });
  off.dispose();
  assert.equal(result.status, 'Wrong Answer', JSON.stringify(result));
  assert.deepEqual(
    result.tests.map((t: { name: string; status: string }) => [t.name, t.status]),
    [
      ['sample/1', 'Accepted'],
      ['secret/1', 'Wrong Answer'],
    ],
  );
  assert.deepEqual(
    streamed.map((s) => s.test.name),
    ['sample/1', 'secret/1'],
  );
  await assert.rejects(lsp.command(Commands.judge, uri, { problem: 'nope' }), /no problem "nope"/);
});

test('remote: verdict/languages is what the server lists (GET /v1/languages): those run, the others say the server does not offer them', async () => {
  const offered = (await api('GET', '/v1/languages', student)).json as { id: string }[];
  const statuses = await lsp.connection.sendRequest(LanguagesRequest, { refresh: true });
  assert.deepEqual(
    statuses.filter((s) => s.usable).map((s) => s.id),
    offered.map((l) => l.id).sort(),
  );
  for (const s of statuses.filter((s) => !s.usable)) assert.match(s.problem!, /does not offer it/);
});

test("remote: a stored problem's verdict.standards (c++20) judges the editor's C++ file as C++20, over the settings' c++23", async () => {
  const fixture = path.resolve(__dirname, '../fixtures/problems/standard');
  const pushed = await cli(['problem', 'push', fixture, '--server', service.url], { VERDICT_TOKEN: teacher });
  assert.equal(pushed.exitCode, 0, pushed.stderr);
  const listed = (await lsp.connection.sendRequest(ProblemsRequest)).find((p) => p.id === 'standard');
  assert.deepEqual(listed?.standards, { cpp: 'c++20' });
  // C++20 only: consteval is new in C++20, and g++ 12 removed std::declare_reachable from C++23.
  const text =
    '#include <iostream>\n#include <memory>\nconsteval long long zero() { return 0; }\n' +
    'int main() {\n  long long sum = zero(), x;\n  std::declare_reachable(&sum);\n  while (std::cin >> x) sum += x;\n  std::cout << sum << "\\n";\n}\n';
  const uri = lsp.file('only20.cpp', text);
  lsp.open(uri, 'cpp', text);
  await configure(() => Object.assign(settings, { languages: { cpp: { standard: 'c++23' } } }));
  try {
    const judged = await lsp.command<JudgeResult>(Commands.judge, uri, { problem: 'standard' });
    assert.equal(judged.status, 'Accepted', JSON.stringify(judged));
    // The service applies it when a request names the family (cpp); a variant's id (cpp23) is the run's own choice.
    const submit = (language: string, extra: Record<string, string> = {}) =>
      api('POST', '/v1/runs?wait=true', student, {
        kind: 'judge',
        language,
        files: [{ name: 'a.cpp', content: text }],
        problem: 'standard',
        ...extra,
      });
    assert.equal((await submit('cpp')).json.result?.status, 'Accepted');
    assert.equal((await submit('cpp23')).json.result?.status, 'Compile Error');
    // `standard` (the CLI's --std) is the run's choice even when it names the family's default.
    assert.equal((await submit('cpp', { standard: 'c++17' })).json.result?.status, 'Compile Error');
    const unknown = await submit('cpp', { standard: 'c++26' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error, 'unknown_standard');
    assert.match(unknown.json.message, /cpp has no standard "c\+\+26"; use one of c\+\+17, c\+\+20, c\+\+23/);
  } finally {
    await configure(() => delete (settings as { languages?: unknown }).languages);
  }
});

test('remote: the local runner has no server problems: an empty list, and a judge by problem id is a clear error', async () => {
  const local = await startLanguageServer({ root: work, plain: true });
  try {
    assert.deepEqual(await local.connection.sendRequest(ProblemsRequest), []);
    const uri = local.file('local.py', 'print(1)\n');
    await assert.rejects(local.command(Commands.judge, uri, { problem: 'addtwo' }), /needs the remote runner/);
  } finally {
    await local.stop();
  }
});

test('remote: while a run waits in the server queue, verdict/queue says its place until it starts', async () => {
  const seen = new Map<string, number[]>();
  const off = lsp.connection.onNotification(QueueNotification, (p: QueueParams) => {
    seen.set(p.uri, [...(seen.get(p.uri) ?? []), p.position]);
  });
  const outputs = new Set<string>();
  const offOutput = lsp.connection.onNotification(OutputNotification, (p: OutputParams) => void outputs.add(p.uri));
  const slow = (name: string, seconds: number) => {
    const text = `import time\nprint("${name} started", flush=True)\ntime.sleep(${seconds})\nprint("${name} done")\n`;
    const uri = lsp.file(`${name}.py`, text);
    lsp.open(uri, 'python', text);
    return uri;
  };
  const a = slow('qa', 3);
  const b = slow('qb', 2);
  const c = slow('qc', 0);
  try {
    const runA = lsp.command<RunResult>(Commands.run, a);
    await until('the first run to start', () => outputs.has(a));
    const runB = lsp.command<RunResult>(Commands.run, b);
    await new Promise((r) => setTimeout(r, 200));
    const runC = lsp.command<RunResult>(Commands.run, c);
    const results = await Promise.all([runA, runB, runC]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['Accepted', 'Accepted', 'Accepted'],
    );
  } finally {
    off.dispose();
    offOutput.dispose();
  }
  assert.equal(seen.get(a), undefined, 'a run that starts at once is never shown as queued');
  assert.deepEqual(seen.get(b), [1, 0]);
  // Second in line, then first when the first run ends and the second starts, then started.
  assert.deepEqual(seen.get(c), [2, 1, 0]);
});

test('remote: a bad token fails the command with a message about the token; verdict/setToken replaces it', async () => {
  const uri = lsp.file('tok.py', 'print("ok")\n');
  await lsp.connection.sendNotification(SetTokenNotification, { token: 'vt_not_a_real_token' });
  await assert.rejects(lsp.command(Commands.run, uri), /did not accept your token.*Sign in again/s);
  await until('an unhealthy status', () => statuses.at(-1)?.healthy === false);
  assert.match(statuses.at(-1)!.message, /token/);
  await lsp.connection.sendNotification(SetTokenNotification, { token: student });
  assert.equal((await lsp.command<RunResult>(Commands.run, uri)).stdout, 'ok\n');
  await until('a healthy status', () => statuses.at(-1)?.healthy === true);
});

test('remote: a limit reached is a 429 message with the wait', async () => {
  const cls = 'tight';
  const t = await makeToken('tom', 'teacher', cls);
  const s = await makeToken('sue', 'student', cls);
  const set = await api('PUT', `/v1/classes/${cls}/limits`, t, {
    requestsPerMinute: 100,
    concurrentRuns: 1,
    cpuSecondsPerDay: 1000,
    classConcurrentRuns: 10,
  });
  assert.equal(set.status, 200, JSON.stringify(set.json));
  await lsp.connection.sendNotification(SetTokenNotification, { token: s });
  const text = 'import time\nprint("busy", flush=True)\ntime.sleep(2)\n';
  const busy = lsp.file('busy.py', text);
  const other = lsp.file('other.py', 'print(1)\n');
  const seen = new Set<string>();
  const off = lsp.connection.onNotification(OutputNotification, (p: OutputParams) => void seen.add(p.uri));
  try {
    const first = lsp.command<RunResult>(Commands.run, busy);
    await until('the first run to start', () => seen.has(busy));
    await assert.rejects(lsp.command(Commands.run, other), /Try again in \d+ s/);
    assert.equal((await first).status, 'Accepted');
  } finally {
    off.dispose();
    await lsp.connection.sendNotification(SetTokenNotification, { token: student });
  }
});

test('remote: a server on a closed port is "unreachable", in words', async () => {
  const closed = await new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
  const uri = lsp.file('far.py', 'print(1)\n');
  await configure(() => (settings.runner.url = `http://127.0.0.1:${closed}`));
  try {
    await assert.rejects(lsp.command(Commands.run, uri), /unreachable.*is the URL right, and is it running\?/s);
    await until('the status to say so', () => statuses.at(-1)?.healthy === false && /unreachable/.test(statuses.at(-1)!.message), 10_000);
  } finally {
    await configure(() => (settings.runner.url = service.url));
  }
});

test('remote: a server of another API version is named as such', async () => {
  const other = createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/healthz' ? JSON.stringify({ ok: true, version: '2' }) : '{}');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const uri = lsp.file('vers.py', 'print(1)\n');
  await configure(() => (settings.runner.url = `http://127.0.0.1:${(other.address() as { port: number }).port}`));
  try {
    await assert.rejects(lsp.command(Commands.run, uri), /speaks API version 2, this client 1/);
  } finally {
    other.close();
    await configure(() => (settings.runner.url = service.url));
  }
});

test('remote: Stop cancels the run on the server (its state becomes cancelled)', async () => {
  const text = 'print("spinning", flush=True)\nwhile True:\n    pass\n';
  const uri = lsp.file('spin.py', text);
  lsp.open(uri, 'python', text);
  await configure(() => (settings.limits.timeMs = 20_000)); // the limit must not be what stops it
  const seen = new Set<string>();
  const off = lsp.connection.onNotification(OutputNotification, (p: OutputParams) => void seen.add(p.uri));
  try {
    const pending = lsp.command(Commands.run, uri);
    await until('the loop to run', () => seen.has(uri));
    const running = (await api('GET', '/v1/submissions', student)).json as Array<{ id: string; state: string }>;
    const mine = running.find((r) => r.state === 'running');
    assert.ok(mine, JSON.stringify(running));
    const stopped = await lsp.command(Commands.stop, uri);
    assert.deepEqual(stopped, { stopped: 1 });
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    let state = '';
    for (const end = Date.now() + 10_000; Date.now() < end && state !== 'cancelled'; await new Promise((r) => setTimeout(r, 100)))
      state = (await api('GET', `/v1/runs/${mine.id}`, student)).json.state;
    assert.equal(state, 'cancelled');
  } finally {
    off.dispose();
    await configure(() => (settings.limits.timeMs = 2000));
  }
});
