// Every language, for real: hello world, A+B from stdin, and a compile error where there is a compiler,
// shown as a diagnostic on its line; where the language has them (test/fixtures/<id>/runtime-error.*,
// tle.*), a runtime error traced to its line, a time limit, and the aplusb package judged Accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, fixture, show, useRunner } from './fixture';
import { loadLanguages } from '../../runner/languages';
import { sourceFileName } from '../../runner/index';
import { allTests, loadProblemPackage } from '../../runner/judge/problem';
import { compileDiagnostics, runtimeDiagnostics, type SourceDiagnostic } from '../../server/diagnostics/index';

/** The diagnostics as the language server shows them: the source under the name it has in the box. */
const sourcesOf = (language: string, file: { content: string }) => ({
  [sourceFileName(
    languages.find((l) => l.id === language)!,
    file.content,
  )]: file.content,
});
const errorsOn = (diagnostics: SourceDiagnostic[], line: number) => diagnostics.filter((d) => d.severity === 'error' && d.line === line);
const APLUSB = path.join(FIXTURES, 'problems', 'aplusb');

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

  if (lang.template)
    test(`${lang.id}: its template (what the editor starts a new solution with) solves A+B`, async () => {
      const r = await runner().run({
        language: lang.id,
        files: [{ name: sourceFileName(lang, lang.template!), content: lang.template! }],
        stdin: '2 3\n',
      });
      assert.equal(r.status, 'Accepted', show(r));
      assert.equal(r.stdout.trim(), '5', show(r));
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
      const diagnostics = compileDiagnostics(lang.id, r.compile!.output, sourcesOf(lang.id, fixture(lang.id, file)));
      assert.ok(errorsOn(diagnostics, 3).length > 0, `a diagnostic on line 3: ${JSON.stringify(diagnostics)}\n${r.compile!.output}`);
    });

  const runtimeError = files.find((f) => f.startsWith('runtime-error'));
  if (runtimeError)
    test(`${lang.id}: a runtime error is traced to its line (3)`, async () => {
      const source = fixture(lang.id, runtimeError);
      const r = await runner().run({ language: lang.id, files: [source] });
      assert.equal(r.status, 'Runtime Error', show(r));
      const diagnostics = runtimeDiagnostics(lang.id, r.stderr, sourcesOf(lang.id, source));
      assert.ok(errorsOn(diagnostics, 3).length > 0, `a diagnostic on line 3: ${JSON.stringify(diagnostics)}\n${r.stderr}`);
    });

  const tle = files.find((f) => f.startsWith('tle'));
  if (tle)
    test(`${lang.id}: an endless loop is a Time Limit Exceeded at the limit`, async () => {
      const r = await runner().run({ language: lang.id, files: [fixture(lang.id, tle)], limits: { cpuMs: 1000 } });
      assert.equal(r.status, 'Time Limit Exceeded', show(r));
      // Stopped at the limit, not long after (the CPU counter's backstop may stop it a few ms before the sandbox's own sum does);
      // on a machine too busy to give it its CPU, at the wall limit (3 × CPU + 1 s) instead — never later.
      const atCpu = r.timeMs >= 900 && r.timeMs < 1300;
      const atWall = r.wallMs >= 3900 && r.wallMs < 4500 && r.timeMs < 1300;
      assert.ok(atCpu || atWall, show(r));
    });

  // The languages added with their runtime-error fixtures; judge.test.ts judges the package in every language too.
  if (runtimeError)
    test(`${lang.id}: the aplusb package is Accepted (compiled once, every test)`, async () => {
      const problem = loadProblemPackage(APLUSB);
      const tests = allTests(problem).map((t) => ({ ...t, validatorFlags: t.settings.outputValidatorFlags }));
      const r = await runner().judge({
        language: lang.id,
        files: [fixture(lang.id, aplusb)],
        tests,
        checker: { kind: 'builtin', name: 'kattis-default' },
      });
      assert.equal(r.status, 'Accepted', JSON.stringify(r.tests));
      assert.equal(r.tests.length, 4);
    });
}

test('python3: NumPy is there, as on contest judges', async () => {
  const r = await runner().run({
    language: 'python3',
    files: [
      { name: 'np.py', content: 'import sys\nimport numpy as np\nprint(int(np.array(sys.stdin.read().split(), dtype=np.int64).sum()))\n' },
    ],
    stdin: '1 2 3 4\n',
    // Presence, not speed: the first import after an image build reads ~30 MB from a cold disk (7 s of
    // wall with 0.07 s of CPU once, in a CI run under load).
    limits: { wallMs: 60_000 },
  });
  assert.equal(r.status, 'Accepted', show(r));
  assert.equal(r.stdout, '10\n');
});

test('cpp20 and cpp23: the same source compiles only with its standard (C++17 stays the default)', async () => {
  const contains = fixture('cpp23', 'hello.cpp');
  const as = (language: string) => runner().run({ language, files: [contains] });
  assert.equal((await as('cpp23')).status, 'Accepted');
  assert.equal((await as('cpp20')).status, 'Compile Error');
  assert.equal((await as('cpp')).status, 'Compile Error');
  const spaceship = await runner().run({ language: 'cpp', files: [fixture('cpp20', 'hello.cpp')] });
  assert.equal(spaceship.status, 'Compile Error', show(spaceship));
});

test('kotlin: a multi-file submission compiles together; Scala finds its main object in any file name', async () => {
  const kt = await runner().run({
    language: 'kotlin',
    files: [
      { name: 'solution.kt', content: 'fun main() {\n    println(twice(21))\n}\n' },
      { name: 'helper.kt', content: 'fun twice(x: Int) = x * 2\n' },
    ],
  });
  assert.equal(kt.status, 'Accepted', show(kt));
  assert.equal(kt.stdout, '42\n');
  const scala = await runner().run({
    language: 'scala',
    files: [
      {
        name: 'whatever.scala',
        content: 'object Helper { val x = 21 }\nobject Sol {\n  def main(args: Array[String]): Unit = println(Helper.x * 2)\n}\n',
      },
    ],
  });
  assert.equal(scala.status, 'Accepted', show(scala));
  assert.equal(scala.stdout, '42\n');
});

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
