// The language server as an editor drives it: a real process, real JSON-RPC over stdio, a real
// runner and real sandboxes behind it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DidChangeTextDocumentNotification,
  CodeLensRequest,
  type CodeLens,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import {
  Commands,
  OutputNotification,
  TestDataRequest,
  TestResultNotification,
  TestsRequest,
  type OutputParams,
  type TestResultParams,
} from '../../protocol/lsp';
import { startLanguageServer, type LanguageServer } from './lsp-fixture';

const dir = mkdtempSync(path.join(tmpdir(), 'verdict-lsp-'));
let lsp: LanguageServer;
const settings = { limits: { timeMs: 1000, memoryMb: 256 } };

/** The next diagnostics published for a file after `since` (a count of earlier publications). */
async function nextDiagnostics(uri: string, since: number, ms = 30_000): Promise<PublishDiagnosticsParams> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const list = lsp.diagnostics.get(uri) ?? [];
    const fresh = list.slice(since).find((d) => d.diagnostics.length > 0);
    if (fresh) return fresh;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no diagnostics for ${uri}`);
}

before(async () => {
  lsp = await startLanguageServer({ root: dir, settings });
  const init = lsp.initializeResult;
  assert.ok(init.capabilities.codeLensProvider);
  assert.deepEqual(init.capabilities.executeCommandProvider?.commands.sort(), Object.values(Commands).sort());
});

after(() => lsp.stop());

test('lsp: a C++ syntax error becomes a diagnostic at its line and column', async () => {
  const text = '#include <cstdio>\nint main() {\n    int x = 1\n    return x;\n}\n';
  const uri = lsp.file('broken.cpp', text);
  lsp.open(uri, 'cpp', text);
  const since = lsp.diagnostics.get(uri)?.length ?? 0;
  const result = await lsp.command(Commands.run, uri);
  assert.equal((result as { status: string }).status, 'Compile Error');
  const published = await nextDiagnostics(uri, since);
  const error = published.diagnostics.find((d) => d.severity === 1)!;
  assert.ok(error, JSON.stringify(published));
  // g++ 12: "main.cpp:4:5: error: expected ',' or ';' before 'return'" — line 4 (0-based 3), column 5.
  assert.equal(error.range.start.line, 3, JSON.stringify(error));
  assert.equal(error.range.start.character, 4, JSON.stringify(error));
  assert.match(String(error.message), /expected/);
});

test('lsp: CodeLens offers Run and Judge (N tests), and shows the verdict after a judge', async () => {
  const text = 'a, b = map(int, input().split())\nprint(a + b)\n';
  const uri = lsp.file('sum.py', text);
  lsp.tests('sum.tests', [
    ['1 2\n', '3\n'],
    ['5 5\n', '10\n'],
  ]);
  lsp.open(uri, 'python', text);
  const before = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  assert.deepEqual(
    before.map((l) => l.command?.title),
    ['▶ Run', '⚖ Judge (2 tests)'],
  );
  const streamed: TestResultParams[] = [];
  const off = lsp.connection.onNotification(TestResultNotification, (p: TestResultParams) => {
    streamed.push(p);
  });
  const tokensBefore = lsp.progressTokens.length;
  const notifiedBefore = lsp.notified.length;
  const result = await lsp.command<{ status: string; runId: string }>(Commands.judge, uri);
  off.dispose();
  assert.equal(result.status, 'Accepted');
  assert.ok(
    streamed.every((s) => s.runId === result.runId),
    "streamed results carry the judge's run id",
  );
  assert.deepEqual(
    streamed.map((s) => [s.index, s.test.name, s.test.status]),
    [
      [0, '1', 'Accepted'],
      [1, '2', 'Accepted'],
    ],
  );
  // One result, one message: the response is the result; no notification repeats it or the test rows.
  // (verdict/status, the runner's health, may change after any run: the first one attaches the daemon.)
  assert.deepEqual(
    lsp.notified.slice(notifiedBefore).filter((m) => (m.startsWith('verdict/') && m !== 'verdict/status') || m === 'window/logMessage'),
    [],
  );
  assert.ok(lsp.progressTokens.length > tokensBefore, 'the judge reported work-done progress');
  const lenses = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  assert.match(lenses[2]!.command!.title, /^✔ Accepted 2\/2 · [\d.]+ ms · [\d.]+ [KM]B$/);
  // Discovery lists names; a test's data is asked for when it is shown.
  const tests = await lsp.connection.sendRequest(TestsRequest, { uri });
  assert.deepEqual(tests.tests, [{ name: '1' }, { name: '2' }]);
  assert.deepEqual(await lsp.connection.sendRequest(TestDataRequest, { uri, name: '2' }), { input: '5 5\n', answer: '10\n' });
});

test('lsp: a judge of selected tests runs only those; an unknown name is a clear error', async () => {
  const text = 'a, b = map(int, input().split())\nprint(a + b)\n';
  const uri = lsp.file('pick.py', text);
  for (const n of [1, 2, 3]) {
    lsp.file(`pick.tests/${n}.in`, `${n} ${n}\n`);
    lsp.file(`pick.tests/${n}.ans`, `${2 * n}\n`);
  }
  lsp.open(uri, 'python', text);
  const result = await lsp.command<{ tests: Array<{ name: string }> }>(Commands.judge, uri, ['3', '1']);
  assert.deepEqual(
    result.tests.map((t) => t.name),
    ['1', '3'],
  );
  await assert.rejects(lsp.command(Commands.judge, uri, ['9']), /no test named "9"/);
});

test('lsp: a failed judge is a diagnostic naming the test with a short diff, and the lens says so', async () => {
  const text = 'a, b = map(int, input().split())\nprint(a * b)\n';
  const uri = lsp.file('mul.py', text);
  lsp.tests('mul.tests', [
    ['2 2\n', '4\n'],
    ['1 2\n', '3\n'],
  ]);
  lsp.open(uri, 'python', text);
  const since = lsp.diagnostics.get(uri)?.length ?? 0;
  const result = await lsp.command<{ status: string }>(Commands.judge, uri);
  assert.equal(result.status, 'Wrong Answer');
  const published = await nextDiagnostics(uri, since);
  assert.match(String(published.diagnostics[0]!.message), /^Wrong Answer on test 2: output line 1, col 1: expected .*3.*, got .*2/);
  const lenses = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  assert.equal(lenses.at(-1)!.command!.title, '✘ Wrong Answer on test 2');
  // Editing the file clears the stale verdict and its diagnostics.
  void lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: text + '\n' }],
  });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(lsp.diagnostics.get(uri)!.at(-1)!.diagnostics, []);
});

test('lsp: a Python runtime error is put on the line of the user code', async () => {
  const text = 'def f(x):\n    return 10 // x\n\nprint(f(0))\n';
  const uri = lsp.file('div.py', text);
  lsp.open(uri, 'python', text);
  const since = lsp.diagnostics.get(uri)?.length ?? 0;
  const result = await lsp.command<{ status: string }>(Commands.run, uri);
  assert.equal(result.status, 'Runtime Error');
  const published = await nextDiagnostics(uri, since);
  assert.ok(
    published.diagnostics.some((d) => d.range.start.line === 1 && /ZeroDivisionError/.test(String(d.message))),
    JSON.stringify(published),
  );
});

function sandboxProcesses(): string[] {
  try {
    return execFileSync('ps', ['-o', 'args=', '-u', '10001'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes('python3'));
  } catch {
    return [];
  }
}

test('lsp: cancelling a run of an infinite loop removes its sandbox and every process in it within a second', async () => {
  const text = 'while True:\n    pass\n';
  const uri = lsp.file('spin.py', text);
  lsp.open(uri, 'python', text);
  settings.limits.timeMs = 20_000; // the limit must not be what stops it
  await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await new Promise((r) => setTimeout(r, 300));
  const pending = lsp.command(Commands.run, uri);
  const until = Date.now() + 15_000;
  while (sandboxProcesses().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.ok(sandboxProcesses().length > 0, 'the loop is running in its sandbox');
  const stoppedAt = Date.now();
  await lsp.command(Commands.stop, uri);
  await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
  while (sandboxProcesses().length > 0 && Date.now() - stoppedAt < 5000) await new Promise((r) => setTimeout(r, 20));
  const gone = Date.now() - stoppedAt;
  assert.deepEqual(sandboxProcesses(), []);
  assert.ok(gone < 1000, `processes gone after ${gone} ms`);
  settings.limits.timeMs = 1000;
});

test('lsp: Add Test Case writes the next test where Judge finds it', async () => {
  const uri = lsp.file('add.py', 'print(input())\n');
  const added = await lsp.command<{ name: string; dir: string }>(Commands.addTest, uri, 'hi', 'hi');
  assert.equal(added.name, '1');
  assert.equal(readFileSync(path.join(added.dir, '1.in'), 'utf8'), 'hi\n');
  const lenses = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  assert.equal(lenses[1]!.command!.title, '⚖ Judge (1 test)');
});

test('lsp: an unknown file type is a clear error, not a crash', async () => {
  const uri = lsp.file('notes.txt', 'hello');
  await assert.rejects(lsp.command(Commands.run, uri), /not in a language Verdict knows/);
});

test('lsp: program output is streamed as it is produced, before the run ends', async () => {
  const text = 'import time\nprint("first", flush=True)\ntime.sleep(1.5)\nprint("second", flush=True)\n';
  const uri = lsp.file('slow.py', text);
  lsp.open(uri, 'python', text);
  const seen: Array<{ text: string; at: number }> = [];
  const off = lsp.connection.onNotification(OutputNotification, (p: OutputParams) => {
    if (p.uri === uri && p.stream === 'stdout') seen.push({ text: p.text, at: Date.now() });
  });
  const result = await lsp.command<{ stdout: string }>(Commands.run, uri);
  const endedAt = Date.now();
  off.dispose();
  assert.equal(result.stdout, 'first\nsecond\n');
  assert.equal(seen.map((s) => s.text).join(''), 'first\nsecond\n', 'streamed once, not repeated at the end');
  assert.ok(endedAt - seen[0]!.at >= 1000, `"first" arrived ${endedAt - seen[0]!.at} ms before the end`);
});

test('lsp: NAME.stdin reaches the program as bytes; output, log messages and diagnostics show its escape sequences, never obey them', async () => {
  const input = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x00, 0xff, 0xfe, 0x0a]); // Latin-1 é, NUL, 0xff, 0xfe: not UTF-8
  const text =
    'import sys\n' +
    'sys.stdout.buffer.write(sys.stdin.buffer.read() + b"\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07")\n' +
    'sys.stdout.flush()\n' +
    'raise ValueError("\\x1b[1A\\x1b[2K\\u2714 Accepted")\n';
  const uri = lsp.file('echo.py', text);
  lsp.file('echo.stdin', input);
  lsp.open(uri, 'python', text);
  const shown: string[] = [];
  const logged: string[] = [];
  const offOutput = lsp.connection.onNotification(OutputNotification, (p: OutputParams) => {
    if (p.uri === uri) shown.push(`${p.stream}:${p.text}`);
  });
  const offLog = lsp.connection.onNotification('window/logMessage', (p: { message: string }) => {
    logged.push(p.message);
  });
  const since = lsp.diagnostics.get(uri)?.length ?? 0;
  const result = await lsp.command<{ status: string; stdoutBase64?: string }>(Commands.run, uri);
  const published = await nextDiagnostics(uri, since);
  offOutput.dispose();
  offLog.dispose();
  assert.equal(result.status, 'Runtime Error');
  // The result is exact data: the bytes in, then the escape sequence, byte for byte.
  assert.deepEqual(Buffer.from(result.stdoutBase64 ?? '', 'base64'), Buffer.concat([input, Buffer.from('\x1b[2J\x1b]52;c;ZXZpbA==\x07')]));
  // What people see is escaped.
  const stdout = shown
    .filter((s) => s.startsWith('stdout:'))
    .map((s) => s.slice(7))
    .join('');
  assert.equal(stdout, 'caf\\xe9\\x00\\xff\\xfe\n\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07');
  for (const t of [...shown, ...logged, ...published.diagnostics.map((d) => String(d.message))])
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(t), JSON.stringify(t));
  // (The diagnostics parsers drop ANSI sequences, as compilers colour their output; nothing raw is left.)
  assert.ok(
    published.diagnostics.some((d) => /^ValueError: .*✔ Accepted$/.test(String(d.message))),
    JSON.stringify(published),
  );
});

test("lsp: an editor without Verdict's client gets the output and the verdict once, as window/logMessage, escaped", async () => {
  const logged: string[] = [];
  const plain = await startLanguageServer({
    root: dir,
    plain: true,
    handlers: (c) => c.onNotification('window/logMessage', (p: { message: string }) => void logged.push(p.message)),
  });
  try {
    const text = 'print("hello\\x1b[2J")\nprint(6 * 7)\n';
    const uri = plain.file('plain.py', text);
    plain.tests('plain.tests', [['', 'hello\n42\n']]);
    const run = await plain.command<{ status: string }>(Commands.run, uri);
    assert.equal(run.status, 'Accepted');
    const judged = await plain.command<{ status: string }>(Commands.judge, uri);
    assert.equal(judged.status, 'Wrong Answer');
    await new Promise((r) => setTimeout(r, 200));
    const lines = logged.filter((l) => l.startsWith('[plain.py '));
    assert.equal(lines.filter((l) => l.startsWith('[plain.py stdout]')).join('\n'), '[plain.py stdout] hello\\x1b[2J\n42');
    assert.ok(
      lines.some((l) => /^\[plain\.py verdict\] ✔ Ran · exit 0 · /.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^\[plain\.py test\] ✘ 1 +Wrong Answer/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^\[plain\.py verdict\] .*✘ Wrong Answer on test 1/s.test(l)),
      lines.join('\n'),
    );
    assert.deepEqual(
      plain.notified.filter((m) => m === 'verdict/output' || m === 'verdict/testResult'),
      [],
      'no Verdict-only notifications to a plain editor',
    );
    for (const l of logged) assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(l), JSON.stringify(l));
  } finally {
    await plain.stop();
  }
});
