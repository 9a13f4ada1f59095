// Verdict for AI agents, with the MCP SDK's real client: over stdio against `verdict mcp` (its own
// process, real Docker sandboxes), and over streamable HTTP against a real `verdict serve` (tokens,
// quotas, hidden tests), and `verdict mcp --server URL` forwarding to it. No mocks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI, cli, makeToken, startServer, type RunningServer } from './service-fixture';

const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-mcp-'));
const data = path.join(scratch, 'data');

interface Stdio {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
}

/** `node bin/verdict.js mcp [args]` with the SDK's stdio client, connected. */
async function stdioClient(args: string[] = [], env: Record<string, string> = {}): Promise<Stdio> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const client = new Client({ name: 'verdict-test', version: '1' });
  await client.connect(transport);
  return { client, transport, stderr: () => log };
}

async function httpClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'verdict-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

/** A tool call's structured result (the SDK client has checked it against the tool's output schema). */
async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options: { onprogress?: (p: { progress: number; total?: number; message?: string }) => void; signal?: AbortSignal } = {},
): Promise<{ result: CallToolResult; out: any }> {
  const result = (await client.callTool({ name, arguments: args }, undefined, {
    ...options,
    ...(options.onprogress ? { resetTimeoutOnProgress: true } : {}),
    timeout: 180_000,
  })) as CallToolResult;
  return { result, out: result.structuredContent };
}

const py = (content: string, name = 'main.py') => [{ name, content }];
const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

async function docker(args: string[]): Promise<{ stdout: string; exitCode: number }> {
  const { execa } = await import('execa');
  const r = await execa('docker', args, { reject: false });
  return { stdout: String(r.stdout), exitCode: r.exitCode ?? -1 };
}

let local: Stdio;
let server: RunningServer;
let teacher: string;
let student: string;

/** The background runner `verdict mcp` attaches to (runner/daemon/): this file's own. */
const daemonDir = path.join(scratch, 'daemon');

async function daemonPid(): Promise<number | undefined> {
  const { execa } = await import('execa');
  const r = await execa(process.execPath, [CLI, 'daemon', 'status', '--json'], { env: { VERDICT_DAEMON_DIR: daemonDir } });
  return (JSON.parse(r.stdout) as { pid: number } | null)?.pid;
}

before(async () => {
  local = await stdioClient([], { VERDICT_DAEMON_DIR: daemonDir });
});

after(async () => {
  await local?.client.close();
  const { execa } = await import('execa');
  await execa(process.execPath, [CLI, 'daemon', 'stop'], { env: { VERDICT_DAEMON_DIR: daemonDir }, reject: false });
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('mcp stdio: lists run, judge, stress and languages, with JSON schemas from the protocol and descriptions for a model', async () => {
  const { tools } = await local.client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), ['judge', 'languages', 'run', 'stress']);
  const run = tools.find((t) => t.name === 'run')!;
  const props = run.inputSchema.properties as Record<string, any>;
  // SourceFile's own rules (protocol/spec.ts) and every limit of LIMITS, with its ceiling in words.
  assert.equal(props.files.items.properties.name.pattern, '^[^/\\\\\\0]+$');
  assert.deepEqual(run.inputSchema.required, ['files']);
  assert.deepEqual(Object.keys(props.limits.properties).sort(), [
    'cpuMs',
    'diskMb',
    'memoryMb',
    'openFiles',
    'outputBytes',
    'processes',
    'wallMs',
  ]);
  assert.match(props.limits.properties.cpuMs.description, /at most 60000/);
  assert.match(run.description!, /16384 characters/);
  assert.ok((run.outputSchema!.properties as Record<string, unknown>).stdoutTruncated);
  const judge = tools.find((t) => t.name === 'judge')!;
  assert.ok((judge.inputSchema.properties as Record<string, unknown>).testsDir, 'local judge takes a tests folder');
  assert.deepEqual((judge.inputSchema.properties as any).checker.enum, ['exact', 'lines', 'tokens', 'float', 'kattis-default']);
});

test('mcp stdio: runs Python (control characters escaped, limits clamped to the ceilings, output capped with a flag) and C++ with stdin', async () => {
  const hello = await call(local.client, 'run', {
    files: py('import sys\nprint("Hello\\x1b[2J")\nsys.stdout.write("x" * 100000)\n'),
    limits: { memoryMb: 999_999 },
  });
  assert.equal(hello.out.status, 'Accepted', text(hello.result));
  assert.equal(hello.out.exitCode, 0);
  assert.ok(hello.out.stdout.startsWith('Hello\\x1b[2J\nxxx'), hello.out.stdout.slice(0, 40));
  assert.ok(!hello.out.stdout.includes('\x1b'), 'no raw escape reaches the agent');
  assert.equal(hello.out.stdoutTruncated, true);
  assert.ok(hello.out.stdout.length < 17_000, `stdout capped: ${hello.out.stdout.length}`);
  assert.equal(hello.out.limits.memoryMb, 4096);
  assert.deepEqual(hello.out.clamped, ['memoryMb: asked 999999, ceiling 4096']);
  assert.ok(hello.out.memoryKb > 0 && hello.out.wallMs > 0);
  assert.equal(hello.result.isError, undefined);
  // The text block carries the same result, for clients that show only text.
  assert.equal(JSON.parse(text(hello.result)).runId, hello.out.runId);

  const cpp = await call(local.client, 'run', {
    language: 'cpp',
    files: [{ name: 'sum.cpp', content: '#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<"\\n";}\n' }],
    stdin: '40 2\n',
  });
  assert.equal(cpp.out.status, 'Accepted', text(cpp.result));
  assert.equal(cpp.out.stdout, '42\n');
});

test('mcp stdio: a compile error carries the compiler output; a time limit is a TLE', async () => {
  const ce = await call(local.client, 'run', { files: [{ name: 'bad.cpp', content: 'int main() { return nope; }\n' }] });
  assert.equal(ce.out.status, 'Compile Error');
  assert.match(ce.out.compileOutput, /nope/);
  assert.match(ce.out.compileOutput, /error/);

  const tle = await call(local.client, 'run', { files: py('while True:\n    pass\n'), limits: { cpuMs: 500, wallMs: 30_000 } });
  assert.equal(tle.out.status, 'Time Limit Exceeded');
  assert.ok(tle.out.timeMs >= 450, `${tle.out.timeMs} ms`);
  assert.equal(tle.out.limits.cpuMs, 500);
});

test('mcp stdio: a judge with one failing test reports the verdict, each test, the diff, and progress as tests end', async () => {
  const progress: Array<{ progress: number; total?: number; message?: string }> = [];
  const { out } = await call(
    local.client,
    'judge',
    {
      files: py('a, b = map(int, input().split())\nprint(a + b if a < 5 else a * b)\n', 'sum.py'),
      tests: [
        { name: 'small', input: '1 2\n', answer: '3\n' },
        { name: 'big', input: '7 2\n', answer: '9\n' },
        { name: 'zero', input: '0 0\n', answer: '0\n' },
      ],
    },
    { onprogress: (p) => progress.push(p) },
  );
  assert.equal(out.status, 'Wrong Answer');
  assert.equal(out.passed, 2);
  assert.equal(out.total, 3);
  assert.deepEqual(
    out.tests.map((t: { name: string; status: string }) => [t.name, t.status]),
    [
      ['small', 'Accepted'],
      ['big', 'Wrong Answer'],
      ['zero', 'Accepted'],
    ],
  );
  assert.equal(out.firstFailure.name, 'big');
  assert.deepEqual(out.firstFailure.diff, { line: 1, column: 1, expected: '9', actual: '14' });
  assert.equal(out.firstFailure.input, '7 2\n');
  const ended = progress.filter((p) => p.total === 3 && p.progress > 0).map((p) => p.progress);
  assert.deepEqual(ended, [1, 2, 3], JSON.stringify(progress));
  assert.ok(progress.some((p) => p.message === 'test big: Wrong Answer'));
});

test('mcp stdio: a judge takes a tests folder on this machine, and inline tests as exact bytes (base64)', async () => {
  const dir = path.join(scratch, 'double.tests');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '1.in'), '2\n');
  writeFileSync(path.join(dir, '1.ans'), '4\n');
  writeFileSync(path.join(dir, '2.in'), '21\n');
  writeFileSync(path.join(dir, '2.ans'), '42\n');
  const folder = await call(local.client, 'judge', { files: py('print(2 * int(input()))\n'), testsDir: dir });
  assert.equal(folder.out.status, 'Accepted', text(folder.result));
  assert.deepEqual(
    folder.out.tests.map((t: { name: string }) => t.name),
    ['1', '2'],
  );
  // A Latin-1 byte: as text it would not survive; as base64 it reaches the checker exactly.
  const bytes = await call(local.client, 'judge', {
    files: py('import sys\nsys.stdout.buffer.write(bytes([0xff, 10]))\n'),
    tests: [{ name: 'latin1', input: '', answerBase64: Buffer.from([0xff, 10]).toString('base64') }],
    checker: 'exact',
  });
  assert.equal(bytes.out.status, 'Accepted', text(bytes.result));
});

test('mcp stdio: languages lists what runs here, with versions probed in the images and the compile and run commands', async () => {
  const { out } = await call(local.client, 'languages', {});
  const python = out.languages.find((l: { id: string }) => l.id === 'python3');
  assert.match(python.version, /^3\.\d+/);
  assert.equal(python.run, 'python3 /box/main.py');
  assert.deepEqual(python.extensions, ['.py', '.py3']);
  const cpp = out.languages.find((l: { id: string }) => l.id === 'cpp');
  assert.match(cpp.compile, /^g\+\+ .*-std=gnu\+\+17/);
});

test('mcp stdio: cancelling a call kills its sandbox (the container is gone) and the session goes on', async () => {
  // Runs go to this user's background runner, shared with the CLI and editors: its containers bear its pid.
  const pid = await daemonPid();
  assert.ok(pid, 'verdict mcp attached to a daemon');
  const controller = new AbortController();
  const pending = call(
    local.client,
    'run',
    { files: py('while True:\n    pass\n', 'spin.py'), limits: { cpuMs: 30_000 } },
    { signal: controller.signal },
  );
  let settled: unknown;
  pending.then(
    (r) => (settled = r.out ?? r.result),
    (err: Error) => (settled = err.message),
  );
  // The daemon's container whose sandbox runs spin.py (the program is /box/main.py in it).
  let running: string | undefined;
  for (
    const deadline = Date.now() + 20_000;
    !running && settled === undefined && Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 100))
  ) {
    const ids = (await docker(['ps', '-q', '--filter', `label=verdict.pid=${pid}`])).stdout.split('\n').filter(Boolean);
    for (const id of ids) if ((await docker(['top', id, '-o', 'pid,args'])).stdout.includes('main.py')) running = id;
  }
  assert.ok(running, `the program was not seen running; the call ended with ${JSON.stringify(settled)}`);
  const cancelledAt = Date.now();
  controller.abort();
  await assert.rejects(pending);
  let gone = false;
  for (const deadline = Date.now() + 30_000; !gone && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100)))
    gone = (await docker(['inspect', running])).exitCode !== 0;
  assert.ok(gone, `container ${running} still there ${Date.now() - cancelledAt} ms after the cancel`);
  console.log(`# the container was gone ${Date.now() - cancelledAt} ms after the cancel`);
  const next = await call(local.client, 'run', { files: py('print("still here")\n') });
  assert.equal(next.out.stdout, 'still here\n');
});

test('mcp stdio: stress finds the smallest input where a solution differs from the brute force', async () => {
  const progress: number[] = [];
  const { result, out } = await call(
    local.client,
    'stress',
    {
      solution: { files: py('a, b = map(int, input().split())\nprint(0 if a == b else a + b)\n', 'sol.py') },
      reference: { files: py('a, b = map(int, input().split())\nprint(a + b)\n', 'brute.py') },
      generator: {
        files: py(
          'import random, sys\nrandom.seed(int(sys.argv[1]))\nn = int(sys.argv[2]) if len(sys.argv) > 2 else 6\nprint(random.randint(1, n), random.randint(1, n))\n',
          'gen.py',
        ),
      },
      rounds: 200,
      seed: 1,
    },
    { onprogress: (p) => progress.push(p.progress) },
  );
  assert.equal(out?.status, 'difference', JSON.stringify(out ?? result));
  assert.equal(out.failing.input, '1 1\n');
  assert.equal(out.failing.solution.stdout, '0\n');
  assert.equal(out.failing.reference.stdout, '2\n');
  assert.ok(progress.length > 0);
});

test('mcp stdio: a session has a CPU-seconds budget; asks are lowered to what is left, then refused', async () => {
  const small = await stdioClient(['--cpu-budget', '1']);
  try {
    const spin = await call(small.client, 'run', { files: py('while True:\n    pass\n'), limits: { cpuMs: 5000 } });
    assert.equal(spin.out.status, 'Time Limit Exceeded');
    assert.equal(spin.out.limits.cpuMs, 1000);
    assert.match(spin.out.clamped.join(' '), /CPU budget/);
    // On a busy machine the wall limit may stop a spin before its CPU time is used: spin until refused.
    let used = spin.out.timeMs;
    let refused: CallToolResult | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const next = await call(small.client, 'run', { files: py('while True:\n    pass\n') });
      if (next.result.isError) refused = next.result;
      else {
        assert.ok(next.out.limits.cpuMs <= 1000 - used + 1, `asked within what is left: ${next.out.limits.cpuMs} after ${used}`);
        used += next.out.timeMs;
      }
    }
    assert.ok(refused, `never refused after ${used} ms of CPU`);
    assert.match(text(refused), /used its CPU budget/);
    assert.ok(used <= 1100, `${used} ms of CPU used on a budget of 1000`);
  } finally {
    await small.client.close();
  }
});

// ---- over HTTP, on a real `verdict serve` ----

test('mcp http: /mcp on verdict serve refuses a request without a token (401) and serves one with a token', async () => {
  mkdirSync(data, { recursive: true });
  teacher = await makeToken(data, 'tina', 'teacher', 'algo');
  student = await makeToken(data, 'sam', 'student', 'algo');
  server = await startServer(data, ['--concurrency', '2'], { ready: true, logLevel: 'info' });

  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
  };
  const raw = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify(initialize),
  });
  assert.equal(raw.status, 401);
  assert.equal(((await raw.json()) as { error: string }).error, 'unauthenticated');
  const anonymous = new Client({ name: 'anonymous', version: '1' });
  await assert.rejects(anonymous.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.url))), /unauthenticated/);

  const client = await httpClient(server.url, student);
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['judge', 'languages', 'run']);
    const run = await call(client, 'run', { files: py('print("over http")\n') });
    assert.equal(run.out.status, 'Accepted', text(run.result));
    assert.equal(run.out.stdout, 'over http\n');
    // It went through the service's submit: it is in the submissions log, as the student's.
    const log = await fetch(`${server.url}/v1/submissions`, { headers: { authorization: `Bearer ${teacher}` } });
    const rows = (await log.json()) as Array<{ id: string; user: string }>;
    assert.ok(rows.some((r) => r.id === run.out.runId && r.user === 'sam'));
    // A session is its token's: another token presenting its id is told it does not exist.
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    const stolen = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${teacher}`,
        'mcp-session-id': sessionId,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(stolen.status, 404);
  } finally {
    await client.close();
  }
});

test("mcp http: a judge against a stored problem's hidden tests never leaks their data through a tool result, its progress or the log", async () => {
  // One sample and two hidden tests whose data is unmistakable (18-digit numbers), as in service.test.ts.
  const pkg = path.join(scratch, 'sumhidden');
  mkdirSync(path.join(pkg, 'data/sample'), { recursive: true });
  mkdirSync(path.join(pkg, 'data/secret'), { recursive: true });
  writeFileSync(path.join(pkg, 'problem.yaml'), 'name: Hidden sum\n');
  writeFileSync(path.join(pkg, 'data/sample/1.in'), '1 2\n');
  writeFileSync(path.join(pkg, 'data/sample/1.ans'), '3\n');
  writeFileSync(path.join(pkg, 'data/secret/1.in'), '424242424242424242 171717171717171717\n');
  writeFileSync(path.join(pkg, 'data/secret/1.ans'), '595959595959595959\n');
  writeFileSync(path.join(pkg, 'data/secret/2.in'), '313131313131313131 282828282828282828\n');
  writeFileSync(path.join(pkg, 'data/secret/2.ans'), '595959595959595959\n');
  const pushed = await cli(['problem', 'push', pkg, '--server', server.url], { env: { VERDICT_TOKEN: teacher } });
  assert.equal(pushed.exitCode, 0, pushed.stderr);

  // Passes the sample, fails the hidden tests, and prints its input to stderr.
  const sneaky =
    'import sys\nline = input()\nprint(line, file=sys.stderr)\na, b = map(int, line.split())\nprint(a + b + (1 if a > 1000 else 0))\n';
  const client = await httpClient(server.url, student);
  const seen: string[] = [];
  try {
    const { result, out } = await call(
      client,
      'judge',
      { files: py(sneaky, 's.py'), problem: 'sumhidden' },
      { onprogress: (p) => seen.push(JSON.stringify(p)) },
    );
    seen.push(JSON.stringify(result));
    assert.equal(out.status, 'Wrong Answer', text(result));
    assert.deepEqual(
      out.tests.map((t: { name: string; status: string }) => [t.name, t.status]),
      [
        ['sample/1', 'Accepted'],
        ['secret/1', 'Wrong Answer'],
      ],
    );
    assert.equal(out.total, 3, 'the problem has three tests, though the judge stopped at the first failure');
    // The hidden failure: its name and status only.
    assert.deepEqual(Object.keys(out.firstFailure).sort(), ['message', 'name', 'status']);
    assert.ok(
      seen.some((s) => s.includes('test sample/1: Accepted')),
      'progress was sent',
    );
  } finally {
    await client.close();
  }
  seen.push(server.log());
  const all = seen.join('\n');
  for (const secret of [
    '424242424242424242',
    '171717171717171717',
    '595959595959595959',
    '595959595959595960',
    '313131313131313131',
    '282828282828282828',
  ])
    assert.ok(!all.includes(secret), `"${secret}" leaked`);
});

test('mcp http: cancelling a tool call cancels the run on the server', async () => {
  const client = await httpClient(server.url, student);
  try {
    const controller = new AbortController();
    const progress: string[] = [];
    const pending = call(
      client,
      'run',
      { files: py('while True:\n    pass\n', 'spin.py'), limits: { cpuMs: 30_000 } },
      { signal: controller.signal, onprogress: (p) => progress.push(p.message ?? '') },
    );
    pending.catch(() => undefined);
    for (const deadline = Date.now() + 20_000; !progress.includes('started') && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(progress.includes('started'), JSON.stringify(progress));
    await new Promise((r) => setTimeout(r, 300));
    const cancelledAt = Date.now();
    controller.abort();
    await assert.rejects(pending);
    let state = '';
    for (
      const deadline = Date.now() + 15_000;
      state !== 'cancelled' && Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 100))
    ) {
      const rows = (await (
        await fetch(`${server.url}/v1/submissions`, { headers: { authorization: `Bearer ${student}` } })
      ).json()) as Array<{
        state: string;
        language: string;
      }>;
      state = rows.find((r) => r.language === 'python3' && r.state !== 'done')?.state ?? state;
    }
    assert.equal(state, 'cancelled', `the run was not cancelled ${Date.now() - cancelledAt} ms after the call was`);
  } finally {
    await client.close();
  }
});

test('mcp stdio --server: `verdict mcp --server URL` forwards to the classroom server with VERDICT_TOKEN', async () => {
  const remote = await stdioClient(['--server', server.url], { VERDICT_TOKEN: student });
  try {
    const { tools } = await remote.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['judge', 'languages', 'run']);
    const run = await call(remote.client, 'run', { files: py('print(6 * 7)\n') });
    assert.equal(run.out.stdout, '42\n', text(run.result));
    const rows = (await (
      await fetch(`${server.url}/v1/submissions`, { headers: { authorization: `Bearer ${teacher}` } })
    ).json()) as Array<{
      id: string;
      user: string;
    }>;
    assert.ok(
      rows.some((r) => r.id === run.out.runId && r.user === 'sam'),
      "the run was the server's, as the student",
    );

    // Cancelling the call cancels the run on the server (DELETE /v1/runs/:id).
    const states = async () =>
      (
        (await (await fetch(`${server.url}/v1/submissions`, { headers: { authorization: `Bearer ${student}` } })).json()) as Array<{
          state: string;
        }>
      ).map((r) => r.state);
    const cancelledBefore = (await states()).filter((s) => s === 'cancelled').length;
    const controller = new AbortController();
    const progress: string[] = [];
    const pending = call(
      remote.client,
      'run',
      { files: py('while True:\n    pass\n', 'spin.py'), limits: { cpuMs: 30_000 } },
      { signal: controller.signal, onprogress: (p) => progress.push(p.message ?? '') },
    );
    pending.catch(() => undefined);
    for (const deadline = Date.now() + 20_000; !progress.includes('started') && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(progress.includes('started'), JSON.stringify(progress));
    controller.abort();
    await assert.rejects(pending);
    let now: string[] = [];
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      now = await states();
      if (now.filter((s) => s === 'cancelled').length > cancelledBefore) break;
    }
    assert.equal(now.filter((s) => s === 'cancelled').length, cancelledBefore + 1, JSON.stringify(now));
    assert.ok(!now.includes('running'), JSON.stringify(now));
  } finally {
    await remote.client.close();
  }
  const noToken = await cli(['mcp', '--server', server.url], { env: {} });
  assert.equal(noToken.exitCode, 2);
  assert.match(noToken.stderr, /VERDICT_TOKEN/);
});

test('mcp http: verdict serve stops at once with an MCP session open (its event stream does not hold the shutdown)', async () => {
  const client = await httpClient(server.url, student);
  await client.listTools();
  await new Promise((r) => setTimeout(r, 500)); // the client's standalone event stream (GET /mcp) is open by now
  const stopping = Date.now();
  await server.stop();
  const took = Date.now() - stopping;
  await client.close().catch(() => undefined);
  assert.ok(took < 3000, `stopped in ${took} ms`);
});
