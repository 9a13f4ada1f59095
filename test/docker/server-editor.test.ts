// The language server's editor behaviour (issue 14), as an editor drives it: a real process, real
// JSON-RPC over stdio, real sandboxes. Runs never say "Accepted" nor hide a judge's verdict; a wrong
// answer is an output position on the `main` line; "■ Stop" while running; compiler messages and
// tracebacks name the user's file; the test-case panel's requests (save, delete, read-only, custom
// input); Check Setup's checks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeLensRequest, type CodeLens, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import {
  CheckSetupRequest,
  Commands,
  CompanionProblemRequest,
  DeleteTestRequest,
  InputNotification,
  NewSourceTextRequest,
  OutputNotification,
  SaveTestRequest,
  TestsRequest,
  type OutputParams,
} from '../../protocol/lsp';
import type { JudgeResult, RunResult } from '../../protocol/results';
import { formatMemory, testRow } from '../../protocol/report';
import { startLanguageServer, type LanguageServer } from './lsp-fixture';

const dir = mkdtempSync(path.join(tmpdir(), 'verdict-lsp-editor-'));
let lsp: LanguageServer;
const settings = { limits: { timeMs: 1000, memoryMb: 256 } };

async function lensTitles(uri: string): Promise<string[]> {
  const lenses = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  return lenses.map((l) => l.command?.title ?? '');
}

/** The diagnostics the editor shows now for a file (the last publication). */
function current(uri: string): PublishDiagnosticsParams['diagnostics'] {
  return lsp.diagnostics.get(uri)?.at(-1)?.diagnostics ?? [];
}

before(async () => {
  lsp = await startLanguageServer({ root: dir, settings });
});

after(() => lsp.stop());

test('lsp editor: a Run after a failed Judge says what the run did (never "Accepted") and keeps the judge\'s verdict and diagnostic', async () => {
  // Right on test 1, wrong on test 2; run without input it prints something of its own.
  const text = 'import sys\ndata = sys.stdin.read().split()\nprint(int(data[0]) * 2 if data else 43)\n';
  const uri = lsp.file('twice.py', text);
  lsp.tests('twice.tests', [
    ['2\n', '4\n'],
    ['21\n', '43\n'],
  ]);
  lsp.open(uri, 'python', text);
  const judged = await lsp.command<JudgeResult>(Commands.judge, uri);
  assert.equal(judged.status, 'Wrong Answer');
  assert.ok(
    current(uri).some((d) => /^Wrong Answer on test 2/.test(String(d.message))),
    JSON.stringify(current(uri)),
  );
  const ran = await lsp.command<RunResult>(Commands.run, uri);
  assert.equal(ran.stdout, '43\n');
  const titles = await lensTitles(uri);
  assert.ok(titles.includes('✘ Wrong Answer on test 2'), `the judge's verdict stays: ${JSON.stringify(titles)}`);
  const run = titles.find((t) => t.startsWith('✔ Ran'));
  assert.match(run ?? '', /^✔ Ran · exit 0 · [\d.]+ ms · ([\d.]+ (KB|MB)|—)$/, JSON.stringify(titles));
  assert.ok(!titles.some((t) => /Accepted/.test(t)), JSON.stringify(titles));
  assert.ok(
    current(uri).some((d) => /^Wrong Answer on test 2/.test(String(d.message))),
    `the judge's diagnostic stays after the run: ${JSON.stringify(current(uri))}`,
  );
  // A failing run says so, with its exit code.
  const failing = 'import sys\nsys.exit(3)\n';
  const failUri = lsp.file('exit3.py', failing);
  lsp.open(failUri, 'python', failing);
  await lsp.command<RunResult>(Commands.run, failUri);
  assert.ok(
    (await lensTitles(failUri)).some((t) => /^✘ Runtime Error \(exit 3\) · [\d.]+ ms · /.test(t)),
    JSON.stringify(await lensTitles(failUri)),
  );
});

test('lsp editor: a TLE shows the memory it used; nothing measured reads "—", never "0 KB"', async () => {
  assert.equal(formatMemory(0), '—');
  assert.equal(formatMemory(undefined), '—');
  const text = 'x = [1] * 5_000_000\nwhile True:\n    pass\n';
  const uri = lsp.file('spin.py', text);
  lsp.tests('spin.tests', [['', '1\n']]);
  lsp.open(uri, 'python', text);
  const judged = await lsp.command<JudgeResult>(Commands.judge, uri);
  const tle = judged.tests[0]!;
  assert.equal(tle.status, 'Time Limit Exceeded');
  assert.ok(tle.memoryKb > 10_000, `a list of 5 million references is measured: ${tle.memoryKb} KB`);
  assert.ok(!/ 0 KB/.test(testRow(tle)), testRow(tle));
});

test('lsp editor: a wrong answer is an output position ("output line 1, col 2") on the main line, not at source Ln 1 Col 1', async () => {
  const text = '#include <cstdio>\n\nint main() {\n    std::puts("43");\n}\n';
  const uri = lsp.file('fortytwo.cpp', text);
  lsp.tests('fortytwo.tests', [['', '42\n']]);
  lsp.open(uri, 'cpp', text);
  const judged = await lsp.command<JudgeResult>(Commands.judge, uri);
  assert.equal(judged.status, 'Wrong Answer');
  const d = current(uri).find((x) => /^Wrong Answer on test 1/.test(String(x.message)));
  assert.ok(d, JSON.stringify(current(uri)));
  assert.match(String(d.message), /^Wrong Answer on test 1: output line 1, col 2: expected .*42.*, got .*43/);
  assert.deepEqual(d.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 'int main() {'.length } });
});

test('lsp editor: while a run is in flight the first lens is "■ Stop" (it stops the run), then "▶ Run" again', async () => {
  const text = 'while True:\n    pass\n';
  const uri = lsp.file('loop.py', text);
  lsp.open(uri, 'python', text);
  settings.limits.timeMs = 20_000;
  await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await new Promise((r) => setTimeout(r, 300));
  try {
    const pending = lsp.command<RunResult>(Commands.run, uri);
    await new Promise((r) => setTimeout(r, 300));
    const lenses = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses[0]!.command!.title, '■ Stop');
    assert.equal(lenses[0]!.command!.command, Commands.stop);
    await lsp.command(lenses[0]!.command!.command, ...(lenses[0]!.command!.arguments ?? []));
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    assert.equal((await lensTitles(uri))[0], '▶ Run');
  } finally {
    settings.limits.timeMs = 1000;
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await new Promise((r) => setTimeout(r, 300));
  }
});

test("lsp editor: compiler messages and tracebacks name the user's file, not main.cpp or /box/main.py", async () => {
  const cpp = '#include <cstdio>\nint main() {\n    int x = 1\n    return x;\n}\n';
  const cppUri = lsp.file('typo.cpp', cpp);
  lsp.open(cppUri, 'cpp', cpp);
  const compiled = await lsp.command<RunResult>(Commands.run, cppUri);
  assert.equal(compiled.status, 'Compile Error');
  assert.match(compiled.compile!.output, /typo\.cpp:4:5: error/);
  assert.doesNotMatch(compiled.compile!.output, /main\.cpp/);

  const py = 'def f(x):\n    return 10 // x\n\nprint(f(0))\n';
  const pyUri = lsp.file('crash.py', py);
  lsp.open(pyUri, 'python', py);
  const streamed: string[] = [];
  const off = lsp.connection.onNotification(OutputNotification, (p: OutputParams) => {
    if (p.uri === pyUri && p.stream === 'stderr') streamed.push(p.text);
  });
  const crashed = await lsp.command<RunResult>(Commands.run, pyUri);
  off.dispose();
  assert.equal(crashed.status, 'Runtime Error');
  const file_ = fileURLToPath(pyUri);
  for (const shown of [crashed.stderr, streamed.join('')]) {
    assert.ok(shown.includes(`File "${file_}", line 2`), shown);
    assert.doesNotMatch(shown, /\/box\/main\.py/);
  }
  // The diagnostics still land on the user's line.
  assert.ok(current(pyUri).some((d) => d.range.start.line === 1 && /ZeroDivisionError/.test(String(d.message))));
});

test('lsp editor: the panel saves, edits and deletes tests in the files the CLI reads; cph tests are read-only; custom input runs without a test', async () => {
  const text = 'a, b = map(int, input().split())\nprint(a + b)\n';
  const uri = lsp.file('add.py', text);
  lsp.open(uri, 'python', text);
  const added = await lsp.connection.sendRequest(SaveTestRequest, { uri, input: '1 2\n', answer: '3\n' });
  assert.equal(added.name, '1');
  assert.equal(readFileSync(path.join(added.dir, '1.in'), 'utf8'), '1 2\n');
  const second = await lsp.connection.sendRequest(SaveTestRequest, { uri, input: '1 2\n', answer: '3\n' }); // a duplicate
  assert.equal(second.name, '2');
  await lsp.connection.sendRequest(SaveTestRequest, { uri, name: '2', input: '20 22\n', answer: '42\n' });
  assert.equal(readFileSync(path.join(added.dir, '2.ans'), 'utf8'), '42\n');
  const listed = await lsp.connection.sendRequest(TestsRequest, { uri });
  assert.deepEqual(listed.tests, [{ name: '1' }, { name: '2' }]);
  assert.equal(listed.dir, path.join(dir, 'add.tests'));
  const judged = await lsp.command<JudgeResult>(Commands.judge, uri);
  assert.equal(judged.status, 'Accepted');
  assert.deepEqual(await lsp.connection.sendRequest(DeleteTestRequest, { uri, name: '1' }), { deleted: true });
  assert.ok(!existsSync(path.join(added.dir, '1.in')) && !existsSync(path.join(added.dir, '1.ans')));
  // Custom input: the run gets it, and no test is made.
  const ran = await lsp.command<RunResult>(Commands.run, uri, { stdin: '40 2\n' });
  assert.equal(ran.stdout, '42\n');
  assert.deepEqual((await lsp.connection.sendRequest(TestsRequest, { uri })).tests, [{ name: '2' }]);

  // cph's tests (in .cph/.NAME.py_HASH.prob) are shown read-only: saving over one is refused.
  const cphText = 'print(input())\n';
  const cphUri = lsp.file('echo.py', cphText);
  lsp.file(
    '.cph/.echo.py_0123456789abcdef0123456789abcdef.prob',
    JSON.stringify({ name: 'echo', srcPath: fileURLToPath(cphUri), timeLimit: 1000, tests: [{ id: 1, input: 'hi\n', output: 'hi\n' }] }),
  );
  lsp.open(cphUri, 'python', cphText);
  const cph = await lsp.connection.sendRequest(TestsRequest, { uri: cphUri });
  assert.equal(cph.tests.length, 1);
  assert.equal(cph.tests[0]!.readOnly, true, JSON.stringify(cph));
  await assert.rejects(
    lsp.connection.sendRequest(SaveTestRequest, { uri: cphUri, name: cph.tests[0]!.name, input: 'x\n', answer: 'x\n' }),
    /read-only/,
  );
});

test('lsp editor: Check Setup runs the checks of `verdict doctor` (Docker, images, languages)', { timeout: 300_000 }, async () => {
  const result = await lsp.connection.sendRequest(CheckSetupRequest);
  assert.equal(result.runner, 'local');
  const docker = result.checks.find((c) => c.name === 'Docker');
  assert.equal(docker?.state, 'ok', JSON.stringify(docker));
  assert.ok(
    result.checks.some((c) => c.name === 'language python3' && c.state === 'ok'),
    JSON.stringify(result.checks.map((c) => [c.name, c.state])),
  );
  assert.equal(
    result.ok,
    result.checks.every((c) => c.state !== 'fail'),
  );
});

test('lsp editor: a live run reads what verdict/input sends as it is typed, answers before the next line, ends at eof', async () => {
  const text =
    'while True:\n    try:\n        line = input()\n    except EOFError:\n        break\n    print("got", line, flush=True)\nprint("bye")\n';
  const uri = lsp.file('live.py', text);
  lsp.open(uri, 'python', text);
  const runId = 'live-test-1';
  const out: string[] = [];
  const off = lsp.connection.onNotification(OutputNotification, (p: OutputParams) => {
    if (p.runId === runId && p.stream === 'stdout') out.push(p.text);
  });
  const waitFor = async (s: string) => {
    const until = Date.now() + 30_000;
    while (!out.join('').includes(s) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return out.join('');
  };
  try {
    const pending = lsp.command<RunResult>(Commands.run, uri, { live: true, runId });
    const send = (s: string) => lsp.connection.sendNotification(InputNotification, { runId, data: Buffer.from(s).toString('base64') });
    await send('first\n');
    assert.match(await waitFor('got first'), /got first\n/);
    assert.ok(!out.join('').includes('bye'), 'still waiting for input');
    await send('sec');
    await send('ond\n');
    assert.match(await waitFor('got second'), /got second\n/);
    await lsp.connection.sendNotification(InputNotification, { runId, eof: true });
    const result = await pending;
    assert.equal(result.status, 'Accepted');
    assert.equal(result.stdout, 'got first\ngot second\nbye\n');
  } finally {
    off.dispose();
  }
});

test('lsp editor: per-language run arguments reach the program; a user template (with placeholders) starts a Companion problem; invalid ones are named', async () => {
  const template = path.join(dir, 'my-template.py');
  writeFileSync(template, '# {name} ({group}) {url}\n# limits: {timeLimitMs} ms, {memoryLimitMb} MB\n');
  const own = settings as Record<string, unknown>;
  own.languages = { python3: { args: ['--fast', 'two words'], template } };
  await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await new Promise((r) => setTimeout(r, 300));
  try {
    const text = 'import sys\nprint(sys.argv[1:])\n';
    const uri = lsp.file('argv.py', text);
    lsp.open(uri, 'python', text);
    const ran = await lsp.command<RunResult>(Commands.run, uri);
    assert.equal(ran.stdout, "['--fast', 'two words']\n");
    const payload = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/imports/companion-codeforces.json'), 'utf8')) as object;
    const folder = path.join(dir, 'contest');
    mkdirSync(folder, { recursive: true });
    const made = await lsp.connection.sendRequest(CompanionProblemRequest, { payload, folder, language: 'python3' });
    assert.equal(
      readFileSync(fileURLToPath(made.source), 'utf8'),
      '# G. Castle Defense (Codeforces - Educational Codeforces Round 40 (Rated for Div. 2)) https://codeforces.com/problemset/problem/954/G\n# limits: 1500 ms, 256 MB\n',
    );
  } finally {
    delete own.languages;
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await new Promise((r) => setTimeout(r, 300));
  }
});

test("lsp editor: compileFlags reach the compiler for Run and Judge (a variant takes its base's); a refused flag is an error naming it; a new file starts from the template", async () => {
  const template = path.join(dir, 'new-template.cpp');
  writeFileSync(template, '// {name}: {timeLimitMs} ms, {memoryLimitMb} MB\n');
  const own = settings as Record<string, unknown>;
  own.languages = { cpp: { compileFlags: '-DLOCAL -O2', standard: 'c++20', template, timeMs: 1500 } };
  await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await new Promise((r) => setTimeout(r, 300));
  try {
    const text = '#include <cstdio>\nint main() {\n#ifdef LOCAL\n  puts("local");\n#else\n  puts("judge");\n#endif\n}\n';
    const uri = lsp.file('flags/a.cpp', text);
    lsp.file('flags/a.tests/1.in', '');
    lsp.file('flags/a.tests/1.ans', 'local\n');
    lsp.open(uri, 'cpp', text);
    const ran = await lsp.command<RunResult>(Commands.run, uri);
    assert.equal(ran.stdout, 'local\n', JSON.stringify(ran));
    const judged = await lsp.command<JudgeResult>(Commands.judge, uri);
    assert.equal(judged.status, 'Accepted', JSON.stringify(judged));
    own.languages = { cpp: { compileFlags: ['-O2', '-fplugin=/tmp/evil.so'] } };
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(lsp.command(Commands.run, uri), /The compile flag "-fplugin=\/tmp\/evil\.so" is not allowed for C\+\+ .*plugin/);
    own.languages = { cpp: { template, timeMs: 1500 } };
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await new Promise((r) => setTimeout(r, 300));
    const fresh = await lsp.connection.sendRequest(NewSourceTextRequest, { uri: lsp.file('flags/B2.cpp', '') });
    assert.equal(fresh.text, '// B2: 1500 ms, 256 MB\n');
    const untemplated = await lsp.connection.sendRequest(NewSourceTextRequest, { uri: lsp.file('flags/c.py', '') });
    assert.equal(untemplated.text, undefined, 'no template for the language: the file stays empty');
  } finally {
    delete own.languages;
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await new Promise((r) => setTimeout(r, 300));
  }
});
