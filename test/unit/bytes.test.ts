// Bytes in, bytes out: stdin, test data and cache keys carry exact bytes, never decoded text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExecutionSpec, outputBytes } from '../../runner/spec';
import { cacheKey } from '../../runner/cache/key';
import { MAX_TEST_DATA_BYTES, readData } from '../../runner/judge/judge';
import { readTestData } from '../../runner/judge/tests';
import { readUserBytes } from '../../runner/cli/files';
import { UsageError } from '../../runner/errors';

const file = { name: 'a.py', content: 'print(1)' };
/** Latin-1 and NUL: not UTF-8, so any decoding would change it (8 bytes in, 14 out with U+FFFD). */
const LATIN1_NUL = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x00, 0xff, 0xfe, 0x0a]);

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'verdict-bytes-'));
}

test('spec: stdin is bytes: a Buffer, a Uint8Array, a string (as UTF-8) or stdinBase64', () => {
  const parse = (extra: object) => ExecutionSpec.parse({ language: 'c', files: [file], ...extra }).stdin;
  assert.deepEqual(parse({ stdin: LATIN1_NUL }), LATIN1_NUL);
  assert.deepEqual(parse({ stdin: new Uint8Array(LATIN1_NUL) }), LATIN1_NUL);
  assert.deepEqual(parse({ stdinBase64: LATIN1_NUL.toString('base64') }), LATIN1_NUL);
  assert.deepEqual(parse({ stdin: 'é\n' }), Buffer.from([0xc3, 0xa9, 0x0a]));
  assert.deepEqual(parse({}), Buffer.alloc(0));
  assert.ok(Buffer.isBuffer(parse({ stdin: new Uint8Array(2) })));
  // Exactly one of the two, and base64 must be base64.
  assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [file], stdin: 'a', stdinBase64: 'YQ==' }).success, false);
  assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [file], stdinBase64: 'not base64!' }).success, false);
  assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [file], stdin: 42 }).success, false);
});

test('result: outputBytes gives the exact bytes from stdoutBase64, else the text as UTF-8', () => {
  const result = { stdout: LATIN1_NUL.toString('utf8'), stderr: 'ok\n', stdoutBase64: LATIN1_NUL.toString('base64') };
  assert.deepEqual(outputBytes(result, 'stdout'), LATIN1_NUL);
  assert.deepEqual(outputBytes(result, 'stderr'), Buffer.from('ok\n'));
  assert.equal(Buffer.byteLength(result.stdout), 14, 'the text alone is lossy: 8 bytes read as 14 (three U+FFFD)');
});

test('cache keys hash bytes: inputs that decode to the same text get different keys', () => {
  const spec = (stdin: Buffer) => ExecutionSpec.parse({ language: 'c', files: [file], stdin });
  const [fe, ff] = [spec(Buffer.from([0xfe])), spec(Buffer.from([0xff]))];
  assert.equal(fe.stdin.toString('utf8'), ff.stdin.toString('utf8'), 'as text both are U+FFFD');
  assert.notEqual(cacheKey('run', 'image', fe), cacheKey('run', 'image', ff));
  assert.equal(cacheKey('run', 'image', fe), cacheKey('run', 'image', spec(Buffer.from([0xfe]))));
  // Test data nested in arrays, as the judge's key has it.
  assert.notEqual(
    cacheKey('judge', [['1', Buffer.from([0xfe]), Buffer.from('a')]]),
    cacheKey('judge', [['1', Buffer.from([0xff]), Buffer.from('a')]]),
  );
  // A key over a big input is quick: bytes are hashed, not spelled out as JSON numbers.
  const big = spec(Buffer.alloc(64 << 20, 0xe9));
  const start = performance.now();
  cacheKey('run', 'image', big);
  assert.ok(performance.now() - start < 2000);
});

test('judge: test data is read as bytes', async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, '1.in'), LATIN1_NUL);
    assert.deepEqual(await readData({ path: path.join(dir, '1.in') }, '1', 'input'), LATIN1_NUL);
    assert.deepEqual(await readData({ text: 'é' }, '1', 'input'), Buffer.from('é'));
    // Shown in the Test Explorer: as display text, the bytes visible.
    assert.equal(readTestData({ path: path.join(dir, '1.in') }), 'caf\\xe9\\x00\\xff\\xfe\n');
    assert.deepEqual(readUserBytes(path.join(dir, '1.in'), 'Input file', 1024), LATIN1_NUL);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('judge: a 600 MB answer is refused with its name, its size and the limit (not "(undefined)")', async () => {
  const dir = tempDir();
  try {
    const big = path.join(dir, '1.ans');
    writeFileSync(big, '');
    truncateSync(big, 600 << 20); // sparse: nothing is written
    await assert.rejects(readData({ path: big }, '1', 'answer'), (err: Error) => {
      assert.ok(err instanceof UsageError);
      assert.equal(
        err.message,
        `Test 1: its answer ${big} is 600.0 MiB; test data files may be at most ${MAX_TEST_DATA_BYTES / (1 << 20)} MiB each.`,
      );
      return true;
    });
    // The Test Explorer shows its first bytes only.
    assert.ok(readTestData({ path: big }).endsWith('[truncated]'));
    await assert.rejects(
      readData({ path: path.join(dir, 'missing.ans') }, '1', 'answer'),
      /Test 1: cannot read its answer .*missing\.ans \(ENOENT\)\./,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bytes: a request field carries them as text when that is no larger in JSON than base64, else as base64, and both give back the same bytes', async () => {
  const { bytesField } = await import('../../protocol/service-client');
  const back = (f: Record<string, string>) =>
    f.stdin !== undefined ? Buffer.from(f.stdin, 'utf8') : Buffer.from(f.stdinBase64!, 'base64');
  const cases: Array<[string, Buffer, 'stdin' | 'stdinBase64']> = [
    ['text with lines, a tab, quotes, a backslash', Buffer.from('5 7\n1 2 3 4 5\tsix "seven" \\ ü€\r\n'), 'stdin'],
    // Every byte escaped (2 in JSON, 1.33 in base64): base64 keeps the request within its bound.
    ['nothing but line ends', Buffer.from('\n'.repeat(300)), 'stdinBase64'],
    ['text with a few NULs', Buffer.from('a\0b\0' + 'c'.repeat(40)), 'stdin'],
    ['not UTF-8', LATIN1_NUL, 'stdinBase64'],
    // 6 bytes each as JSON text (\u0000), 1.33 in base64: a large input of NULs would pass a body limit as text.
    ['mostly NULs', Buffer.alloc(3000), 'stdinBase64'],
    ['mostly control bytes', Buffer.from(Array.from({ length: 300 }, (_, i) => i % 32)), 'stdinBase64'],
  ];
  for (const [what, bytes, field] of cases) {
    const f = bytesField('stdin', bytes);
    assert.deepEqual(Object.keys(f), [field], what);
    assert.ok(back(f).equals(bytes), what);
    assert.ok(Buffer.byteLength(JSON.stringify(f)) <= Math.ceil(bytes.length / 3) * 4 + 20, `${what}: no larger than base64`);
  }
});
