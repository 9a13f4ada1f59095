// Every language, for real: hello world, A+B from stdin, and a compile error where there is a compiler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, fixture, show, useRunner } from './fixture';
import { loadLanguages } from '../../runner/languages';

const runner = useRunner();
const languages = [...loadLanguages().values()];

for (const lang of languages) {
  const files = readdirSync(path.join(FIXTURES, lang.id));
  const hello = files.find((f) => f.startsWith('hello') || f === 'Different.java')!;
  const aplusb = files.find((f) => f.startsWith('aplusb'))!;

  test(`${lang.id}: hello world prints exactly "Hello, World!"`, async () => {
    const r = await runner().run({ language: lang.id, files: [fixture(lang.id, hello)] });
    assert.equal(r.status, 'Accepted', show(r));
    assert.equal(r.stdout, 'Hello, World!\n', show(r));
    assert.equal(r.exitCode, 0);
    assert.ok(r.memoryKb > 0, 'peak memory measured');
    assert.ok(r.wallMs > 0, 'wall time measured');
    assert.equal(Boolean(r.compile), Boolean(lang.compile));
  });

  test(`${lang.id}: A+B reads stdin`, async () => {
    const r = await runner().run({ language: lang.id, files: [fixture(lang.id, aplusb)], stdin: '2 3\n' });
    assert.equal(r.status, 'Accepted', show(r));
    assert.equal(r.stdout.trim(), '5', show(r));
  });

  if (lang.compile)
    test(`${lang.id}: a syntax error is a Compile Error naming line 3`, async () => {
      const file = files.find((f) => f.startsWith('compile-error'))!;
      const r = await runner().run({ language: lang.id, files: [fixture(lang.id, file)] });
      assert.equal(r.status, 'Compile Error', show(r));
      assert.equal(r.compile?.status, 'Compile Error');
      assert.match(r.compile!.output, /\b3\b/, show(r));
      assert.equal(r.stdout, '');
    });
}

test("java: Different.java holding `public class Main` compiles and runs (judges' convention)", async () => {
  const r = await runner().run({
    language: 'java',
    files: [
      { name: 'Different.java', content: 'public class Main { public static void main(String[] a) { System.out.println("ok"); } }\n' },
    ],
  });
  assert.equal(r.status, 'Accepted', show(r));
  assert.equal(r.stdout, 'ok\n');
});

test('java: a non-public class with main in any file name runs', async () => {
  const r = await runner().run({
    language: 'java',
    files: [
      {
        name: 'whatever.java',
        content:
          'import java.util.*;\nclass Solution {\n  public static void main(String[] a) { System.out.println(new Scanner(System.in).nextInt() * 2); }\n}\n',
      },
    ],
    stdin: '21',
  });
  assert.equal(r.status, 'Accepted', show(r));
  assert.equal(r.stdout.trim(), '42');
});
