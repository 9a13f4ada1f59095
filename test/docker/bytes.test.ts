// Bytes in, bytes out, bytes compared; and a program's output never drives the user's terminal.
// Real Docker, through the runner API, the judge and the `verdict` command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useRunner, show } from './fixture';
import { RunResult, outputBytes } from '../../runner/spec';
import { discoverTests } from '../../runner/judge/testfolder';

const runner = useRunner();
const BIN = path.resolve(__dirname, '../../bin/verdict.js');
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bytes-'));

/** Latin-1 é, NUL, 0xff, 0xfe: not UTF-8, so any decoding on the way would change them. */
const LATIN1_NUL = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x00, 0xff, 0xfe, 0x0a]);
/** Echoes stdin to stdout, byte for byte. */
const ECHO_PY = 'import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())\n';
/** Clear screen, OSC 52 clipboard write, cursor up + erase line, then a forged verdict. */
const HOSTILE = '\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1b[1A\x1b[2K✔ Accepted';

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

/** The CLI with empty stdin; its stdout as bytes, as a terminal would get them. */
async function verdict(args: string[]) {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const r = await execa(process.execPath, [BIN, ...args], {
    input: '',
    encoding: 'buffer',
    stripFinalNewline: false,
    timeout: 120_000,
    reject: false,
  });
  return { code: r.exitCode ?? null, stdout: Buffer.from(r.stdout), stderr: Buffer.from(r.stderr).toString('utf8') };
}

test('bytes: a program gets stdin byte for byte and its output comes back byte for byte (runner API)', async () => {
  const r = await runner().run({ language: 'python3', files: [{ name: 'echo.py', content: ECHO_PY }], stdin: LATIN1_NUL });
  assert.equal(r.status, 'Accepted', show(r));
  assert.equal(r.stdoutBase64, LATIN1_NUL.toString('base64'), 'output that is not UTF-8 carries its exact bytes');
  assert.deepEqual(outputBytes(r, 'stdout'), LATIN1_NUL);
  assert.equal(r.stderrBase64, undefined, 'only when the text is not exact');
  // The same through JSON: stdinBase64 in.
  const viaJson = await runner().run(
    JSON.parse(
      JSON.stringify({ language: 'python3', files: [{ name: 'echo.py', content: ECHO_PY }], stdinBase64: LATIN1_NUL.toString('base64') }),
    ),
  );
  assert.deepEqual(outputBytes(viaJson, 'stdout'), LATIN1_NUL);
});

test('bytes: C sees 8 bytes of Latin-1 and NUL as 8 bytes', async () => {
  const c = '#include <stdio.h>\nint main(void) { int n = 0, c; while ((c = getchar()) != EOF) n++; printf("%d\\n", n); return 0; }\n';
  const r = await runner().run({ language: 'c', files: [{ name: 'count.c', content: c }], stdin: LATIN1_NUL });
  assert.equal(r.stdout, '8\n', show(r));
});

test('bytes: verdict run --stdin passes the file as bytes, and --json gives the exact bytes back', async () => {
  const r = await verdict(['run', file('echo.py', ECHO_PY), '--stdin', file('latin1.in', LATIN1_NUL), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = RunResult.strict().parse(JSON.parse(r.stdout.toString('utf8')));
  assert.equal(result.status, 'Accepted');
  assert.deepEqual(outputBytes(result, 'stdout'), LATIN1_NUL);
});

test('bytes: the judge compares bytes: an answer \\xff against output \\xfe is Wrong Answer, for every checker', async () => {
  const tests = path.join(dir, 'ff.tests');
  file('ff.tests/1.in', '');
  file('ff.tests/1.ans', Buffer.from([0xff, 0x0a]));
  const wrong = 'import sys\nsys.stdout.buffer.write(bytes([0xfe, 0x0a]))\n';
  const right = 'import sys\nsys.stdout.buffer.write(bytes([0xff, 0x0a]))\n';
  for (const name of ['exact', 'lines', 'tokens', 'kattis-default'] as const) {
    const request = { language: 'python3', tests: discoverTests(tests), checker: { kind: 'builtin' as const, name } };
    const r = await runner().judge({ ...request, files: [{ name: 'a.py', content: wrong }] });
    assert.equal(r.status, 'Wrong Answer', `${name}: ${JSON.stringify(r)}`);
    assert.match(r.tests[0]!.message ?? '', /\\xff.*\\xfe/, name);
    assert.equal(r.tests[0]!.expected, '\\xff\n', 'shown with the byte visible');
    assert.equal(r.tests[0]!.actual, '\\xfe\n');
    assert.equal((await runner().judge({ ...request, files: [{ name: 'a.py', content: right }] })).status, 'Accepted', name);
  }
});

test('bytes: test input reaches the program as bytes (Latin-1 and NUL), and exact compares them', async () => {
  const tests = path.join(dir, 'echo.tests');
  file('echo.tests/1.in', LATIN1_NUL);
  file('echo.tests/1.ans', LATIN1_NUL);
  const r = await runner().judge({
    language: 'python3',
    files: [{ name: 'echo.py', content: ECHO_PY }],
    tests: discoverTests(tests),
    checker: { kind: 'builtin', name: 'exact' },
  });
  assert.equal(r.status, 'Accepted', JSON.stringify(r));
});

test('output: verdict run shows escape sequences visibly and never writes ESC to the terminal', async () => {
  const program = file('evil.py', `import sys\nsys.stdout.write(${JSON.stringify(HOSTILE)})\nsys.stderr.write("\\x1b]0;title\\x07")\n`);
  const r = await verdict(['run', program]);
  assert.equal(r.code, 0, r.stderr);
  const stdout = r.stdout.toString('utf8');
  assert.ok(!stdout.includes('\x1b') && !r.stderr.includes('\x1b'), JSON.stringify(stdout + r.stderr));
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f\x9b]/.test(stdout), JSON.stringify(stdout));
  assert.equal(stdout, '\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x1b[1A\\x1b[2K✔ Accepted');
  assert.match(r.stderr, /^\\x1b\]0;title\\x07\n✔ Accepted · /);
  // Invalid UTF-8 is shown byte by byte.
  const bytes = await verdict([
    'run',
    file('bytes.py', 'import sys\nsys.stdout.buffer.write(bytes([0x41, 0x9b, 0x32, 0x4a, 0xff, 0x0a]))\n'),
  ]);
  assert.equal(bytes.stdout.toString('utf8'), 'A\\x9b2J\\xff\n');
  // --json stays exact data (JSON escapes the controls).
  const json = await verdict(['run', program, '--json']);
  assert.equal(JSON.parse(json.stdout.toString('utf8')).stdout, HOSTILE);
});

test('output: verdict judge shows a hostile output and test name escaped', async () => {
  const tests = path.join(dir, 'hostile.tests');
  file('hostile.tests/\x1b[2J.in', '');
  file('hostile.tests/\x1b[2J.ans', 'ok\n');
  const program = file('hostile.py', `import sys\nsys.stdout.write(${JSON.stringify(HOSTILE + '\n')})\n`);
  const r = await verdict(['judge', program, '--tests', tests]);
  assert.equal(r.code, 0, r.stderr);
  const stdout = r.stdout.toString('utf8');
  assert.ok(!stdout.includes('\x1b') && !r.stderr.includes('\x1b'), JSON.stringify(stdout));
  assert.match(stdout, /✘ \\x1b\[2J +Wrong Answer/);
  assert.match(stdout, /actual: +\\x1b\[2J\\x1b\]52;c;ZXZpbA==\\x07\\x1b\[1A\\x1b\[2K✔ Accepted/);
});
