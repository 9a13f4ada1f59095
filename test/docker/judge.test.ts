// The judge against real Docker: test folders, every checker, a Kattis package in every language.
// Every fixture package, submission by submission, is judged in packages.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES, useRunner } from './fixture';
import type { JudgeRequest } from '../../protocol/judge';
import { discoverTests } from '../../runner/judge/testfolder';
import { allTests, loadProblemPackage } from '../../runner/judge/problem';
import { loadLanguages } from '../../runner/languages';
import { UsageError } from '../../runner/errors';

const runner = useRunner();

function folder(pairs: Record<string, [string, string]>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-tests-'));
  for (const [name, [input, answer]] of Object.entries(pairs)) {
    writeFileSync(path.join(dir, `${name}.in`), input);
    writeFileSync(path.join(dir, `${name}.ans`), answer);
  }
  return dir;
}

const APLUSB_TESTS = folder({ '1': ['1 2\n', '3\n'], '2': ['10 20\n', '30\n'], '10': ['-5 5\n', '0\n'] });
const CPP_APLUSB = '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n';
const CPP_WRONG_ON_10 =
  '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << (a < 0 ? 1 : a + b) << "\\n"; }\n';

function request(language: string, name: string, content: string, extra: Partial<JudgeRequest> = {}): JudgeRequest {
  return {
    language,
    files: [{ name, content }],
    tests: discoverTests(APLUSB_TESTS),
    checker: { kind: 'builtin', name: 'lines' },
    ...extra,
  };
}

test('judge: a correct solution is Accepted on every test, in natural order, streamed as they end', async () => {
  const streamed: string[] = [];
  const r = await runner().judge(request('cpp', 'a.cpp', CPP_APLUSB), { onTest: (t) => streamed.push(t.name) });
  assert.equal(r.status, 'Accepted', JSON.stringify(r));
  assert.deepEqual(
    r.tests.map((t) => t.name),
    ['1', '2', '10'],
  );
  assert.deepEqual(streamed, ['1', '2', '10']);
  assert.equal(r.compile?.status, 'OK');
  for (const t of r.tests) assert.ok(t.timeMs >= 0 && t.memoryKb > 0);
});

test('judge: wrong answer reports the first failing test and the first differing line and column', async () => {
  const r = await runner().judge(request('cpp', 'a.cpp', CPP_WRONG_ON_10));
  assert.equal(r.status, 'Wrong Answer');
  assert.deepEqual(
    r.tests.map((t) => t.status),
    ['Accepted', 'Accepted', 'Wrong Answer'],
  );
  const failed = r.tests[2]!;
  assert.equal(failed.diff?.line, 1);
  assert.equal(failed.diff?.column, 1);
  assert.match(failed.diff!.expected, /0/);
  assert.match(failed.diff!.actual, /1/);
});

test('judge: --stop-on-failure stops at the first failure; the default runs all', async () => {
  const python = 'a, b = map(int, input().split())\nprint(a + b + 1)\n';
  const all = await runner().judge(request('python3', 'a.py', python));
  assert.equal(all.tests.length, 3);
  const stopped = await runner().judge(request('python3', 'a.py', python, { stopOnFailure: true }));
  assert.equal(stopped.tests.length, 1);
  assert.equal(stopped.status, 'Wrong Answer');
});

test('judge: per-test limits — one slow test is Time Limit Exceeded, the others still pass', async () => {
  const tests = folder({ '1': ['1\n', '1\n'], '2': ['0\n', '0\n'], '3': ['3\n', '3\n'] });
  const r = await runner().judge({
    ...request('python3', 's.py', 'n = int(input())\nwhile n == 0:\n    pass\nprint(n)\n'),
    tests: discoverTests(tests),
    limits: { cpuMs: 500 },
  });
  assert.deepEqual(
    r.tests.map((t) => t.status),
    ['Accepted', 'Time Limit Exceeded', 'Accepted'],
  );
  assert.equal(r.status, 'Time Limit Exceeded');
});

test('judge: each test starts in a clean working directory with no process of the previous test', async () => {
  const tests = folder({ '1': ['1\n', 'clean\n'], '2': ['2\n', 'clean\n'] });
  const source = `import os, subprocess
print("clean" if not os.listdir(".") and sorted(p for p in os.listdir("/proc") if p.isdigit()) == ["1", "2"] else "dirty")
open("leftover", "w").write("x")
subprocess.Popen(["sleep", "100"], start_new_session=True)
`;
  const r = await runner().judge({ ...request('python3', 's.py', source), tests: discoverTests(tests) });
  assert.deepEqual(
    r.tests.map((t) => t.status),
    ['Accepted', 'Accepted'],
    JSON.stringify(r.tests),
  );
});

test('judge: a compile error stops before any test', async () => {
  const r = await runner().judge(request('cpp', 'a.cpp', 'int main( {'));
  assert.equal(r.status, 'Compile Error');
  assert.equal(r.tests.length, 0);
  assert.match(r.compile!.output, /error/);
});

const checkerCases: Array<{
  checker: 'exact' | 'lines' | 'tokens' | 'float';
  answer: string;
  accepted: Array<[string, string]>;
  rejected: Array<[string, string]>;
}> = [
  {
    checker: 'exact',
    answer: '1 2\n',
    accepted: [['python3', 'print("1 2")']],
    rejected: [
      ['python3', 'print("1 2 ")'],
      ['c', '#include <stdio.h>\nint main(void){printf("1 2");}'],
    ],
  },
  {
    checker: 'lines',
    answer: '1 2\n3\n',
    accepted: [
      ['python3', 'print("1 2   \\n3\\n\\n")'],
      ['ruby', 'puts "1 2"; puts "3"'],
    ],
    rejected: [
      ['python3', 'print("1  2\\n3")'],
      ['ruby', 'puts "1 2 3"'],
    ],
  },
  {
    checker: 'tokens',
    answer: '1 2\n3\n',
    accepted: [
      ['python3', 'print("1\\n2 3")'],
      ['javascript', 'console.log("  1 2    3")'],
    ],
    rejected: [['javascript', 'console.log("1 2")']],
  },
  {
    checker: 'float',
    answer: '0.333333333\n',
    accepted: [
      ['python3', 'print(1/3)'],
      ['c', '#include <stdio.h>\nint main(void){printf("%.7f\\n", 1.0/3);}'],
    ],
    rejected: [['python3', 'print(0.3334)']],
  },
];

for (const c of checkerCases)
  test(`judge: checker ${c.checker} accepts and rejects in several languages`, async () => {
    const tests = discoverTests(folder({ '1': ['', c.answer] }));
    for (const [language, source] of [...c.accepted, ...c.rejected]) {
      const r = await runner().judge({
        language,
        files: [{ name: `main`, content: source }],
        tests,
        checker: { kind: 'builtin', name: c.checker },
      });
      const expected = c.accepted.some(([, s]) => s === source) ? 'Accepted' : 'Wrong Answer';
      assert.equal(r.status, expected, `${c.checker} ${language} ${JSON.stringify(source)}: ${JSON.stringify(r.tests)}`);
    }
  });

test('judge: a testlib checker program decides, sandboxed (0 OK, 1 WA, 3 fail is Internal Error)', async () => {
  const checker = `import sys
inp, out, ans = (open(p).read().split() for p in sys.argv[1:4])
if out and out[0] == "boom":
    sys.exit(3)
sys.exit(0 if sorted(out) == sorted(ans) else 1)
`;
  const tests = discoverTests(folder({ '1': ['', '1 2 3\n'] }));
  const spec = {
    kind: 'program' as const,
    protocol: 'testlib' as const,
    language: 'python3',
    files: [{ name: 'check.py', content: checker }],
  };
  const verdicts = [];
  for (const out of ['3 2 1', '1 2', 'boom']) {
    const r = await runner().judge({ language: 'python3', files: [{ name: 's.py', content: `print("${out}")` }], tests, checker: spec });
    verdicts.push(r.status);
  }
  assert.deepEqual(verdicts, ['Accepted', 'Wrong Answer', 'Internal Error']);
});

test('judge: bad input is a clear error before anything runs', async () => {
  const orphan = mkdtempSync(path.join(tmpdir(), 'verdict-bad-'));
  writeFileSync(path.join(orphan, '1.in'), '1');
  assert.throws(
    () => discoverTests(orphan),
    (e: Error) => e instanceof UsageError && /1\.in/.test(e.message),
  );
  await assert.rejects(
    runner().judge(
      request('python3', 's.py', 'print(3)', {
        checker: { kind: 'program', protocol: 'testlib', language: 'cpp', files: [{ name: 'bad.cpp', content: 'int main( {' }] },
      }),
    ),
    (e: Error) => e instanceof UsageError && /bad\.cpp/.test(e.message) && /failed to compile/.test(e.message),
  );
});

// Problem packages: every submission in submissions/<verdict>/ is judged to that verdict in
// test/docker/packages.test.ts, with the package features one by one.
const problemsDir = path.join(FIXTURES, 'problems');

// A Kattis package judged in every language: each language's A+B is accepted, its hello world is not.
for (const lang of loadLanguages().values())
  test(`package aplusb: ${lang.id} A+B is Accepted and hello world is Wrong Answer`, async () => {
    const problem = loadProblemPackage(path.join(problemsDir, 'aplusb'));
    const tests = allTests(problem).map((t) => ({ ...t, validatorFlags: t.settings.outputValidatorFlags }));
    const own = readdirSync(path.join(FIXTURES, lang.id));
    const pick = (prefix: string) => own.find((f) => f.startsWith(prefix) || (prefix === 'hello' && f === 'Different.java'))!;
    const judgeFile = (file: string) =>
      runner().judge({
        language: lang.id,
        files: [{ name: file, content: readFileSync(path.join(FIXTURES, lang.id, file), 'utf8') }],
        tests,
        checker: { kind: 'builtin', name: 'kattis-default' },
      });
    const accepted = await judgeFile(pick('aplusb'));
    assert.equal(accepted.status, 'Accepted', JSON.stringify(accepted.tests));
    assert.equal(accepted.tests.length, 4);
    const wrong = await judgeFile(pick('hello'));
    assert.equal(wrong.status, 'Wrong Answer', JSON.stringify(wrong.tests));
  });
