// `verdict run`'s standard input as users give it: piped, redirected from a file, `--stdin -`, typed in
// a terminal (a real pseudo-terminal, through script(1)), bytes that are not text. Real Docker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunResult } from '../../runner/spec';

const BIN = path.resolve(__dirname, '../../bin/verdict.js');
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-stdin-'));

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Echoes its input byte for byte, and says on stderr how many bytes it read. */
const ECHO = file(
  'echo.py',
  'import sys\ndata = sys.stdin.buffer.read()\nsys.stdout.buffer.write(data)\nprint(len(data), "bytes", file=sys.stderr)\n',
);
const SUM = file('sum.py', 'a, b = map(int, input().split())\nprint(a + b)\n');

type Stdin = { input: string | Buffer } | { inputFile: string } | { stdin: 'ignore' };

async function verdict(args: string[], stdin: Stdin) {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const r = await execa(process.execPath, [BIN, ...args], {
    ...stdin,
    encoding: 'buffer',
    stripFinalNewline: false,
    timeout: 120_000,
    reject: false,
  });
  return { code: r.exitCode, stdout: Buffer.from(r.stdout), stderr: Buffer.from(r.stderr).toString() };
}

test('stdin: piped input reaches the program when no --stdin is given (echo 3 4 | verdict run sum.py)', async () => {
  const r = await verdict(['run', SUM], { input: '3 4\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), '7\n');
  assert.match(r.stderr, /Accepted/);
});

test('stdin: a redirected file is the input (verdict run echo.py < in.txt)', async () => {
  const text = 'line one\nline two\n'.repeat(1000);
  const r = await verdict(['run', ECHO], { inputFile: file('in.txt', text) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), text);
  assert.match(r.stderr, new RegExp(`${Buffer.byteLength(text)} bytes`));
});

test("stdin: --stdin - reads verdict's own standard input, and bytes stay bytes (NUL, 0xff, a lone \\r) through --json", async () => {
  const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x41, 0x80, 0x0a, 0x00]);
  const r = await verdict(['run', ECHO, '--stdin', '-', '--json'], { input: bytes });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout.toString()) as RunResult;
  assert.equal(result.status, 'Accepted');
  assert.deepEqual(Buffer.from(result.stdoutBase64!, 'base64'), bytes);
  assert.match(result.stderr, /^8 bytes/);
});

test('stdin: --stdin FILE still wins over piped input; with no input at all (/dev/null) the program reads nothing', async () => {
  const fromFile = await verdict(['run', SUM, '--stdin', file('pair.txt', '20 22\n')], { input: '1 1\n' });
  assert.equal(fromFile.stdout.toString(), '42\n');
  const none = await verdict(['run', ECHO], { stdin: 'ignore' });
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout.length, 0);
  assert.match(none.stderr, /^0 bytes/);
  assert.doesNotMatch(none.stderr, /Ctrl-D/, 'not a terminal: nothing to type');
});

test('stdin: in a terminal, the program reads what is typed as it is typed (live), until Ctrl-D', async () => {
  // script(1) gives the CLI a pseudo-terminal as stdin; what we write to script is typed into it.
  const live = file(
    'live.py',
    'import sys\nprint("ready", flush=True)\nfor line in sys.stdin:\n    a, b = map(int, line.split())\n    print("sum", a + b, flush=True)\nprint("bye")\n',
  );
  const { execa } = await import('execa');
  const child = execa('script', ['-qec', `${process.execPath} ${BIN} run ${live}`, '/dev/null'], {
    stdin: 'pipe',
    reject: false,
    timeout: 120_000,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const until = async (what: RegExp) => {
    for (const end = Date.now() + 60_000; !what.test(out); await new Promise((r) => setTimeout(r, 50)))
      if (Date.now() > end) throw new Error(`no ${what} in: ${out}`);
  };
  await until(/ready/);
  child.stdin!.write('3 4\n');
  await until(/sum 7/); // answered while the terminal is still open: the input is live
  child.stdin!.write('5 6\n');
  await until(/sum 11/);
  child.stdin!.write('\x04');
  await child;
  assert.match(out, /bye/);
  assert.match(out, /Accepted/);
  assert.doesNotMatch(out, /then Ctrl-D on an empty line/);
});
