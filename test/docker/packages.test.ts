// Problem packages as contest setters have them, judged against real Docker through the request the
// CLI builds (`verdict judge FILE --problem DIR`): every submission of every fixture package judged
// to its submissions/<verdict>/ folder (Kattis' examples and the packages written for issue 12), then
// each feature on its own — samples-only packages, symlinks out of the package, include/, constants,
// multi-pass, on_reject and require_pass, objective: min, build/run scripts, interactors in Python,
// and submissions that outlive their interactor.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FIXTURES, useRunner } from './fixture';
import { loadProblemPackage } from '../../runner/judge/problem';
import { judgeRequest } from '../../runner/cli/judge';
import { UsageError } from '../../runner/errors';
import type { JudgeResult } from '../../runner/judge/judge';
import type { TestResult } from '../../runner/judge/types';
import { judgeReport } from '../../protocol/report';

const runner = useRunner();
const PROBLEMS = path.join(FIXTURES, 'problems');

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A copy of a fixture package in a fresh temporary folder (symlinks copied as links). */
function copyOf(name: string): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'verdict-package-'));
  temps.push(parent);
  const dir = path.join(parent, name);
  cpSync(path.join(PROBLEMS, name), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Judges one file against a package as `verdict judge FILE --problem DIR` does. */
function judgeFile(file: string, dir: string, extra: { stopOnFailure?: boolean; timeLimit?: number } = {}): Promise<JudgeResult> {
  const problem = loadProblemPackage(dir);
  return runner().judge(
    judgeRequest(
      [file],
      {
        problem: dir,
        checkerProtocol: 'kattis',
        stopOnFailure: extra.stopOnFailure ?? false,
        ...(problem.timeLimitMs ? {} : { timeLimit: extra.timeLimit ?? 1000 }),
      },
      runner(),
    ),
  );
}

const submission = (pkg: string, rel: string) => path.join(PROBLEMS, pkg, 'submissions', rel);
const ran = (r: JudgeResult) => r.tests.map((t) => t.name);
const explain = (r: JudgeResult) =>
  JSON.stringify({ message: r.message, compile: r.compile, tests: r.tests.map((t: TestResult) => [t.name, t.status, t.message]) }, null, 1);

// ---------------------------------------------------------------- every submission to its folder's verdict

const EXPECTED: Record<string, string> = {
  accepted: 'Accepted',
  wrong_answer: 'Wrong Answer',
  time_limit_exceeded: 'Time Limit Exceeded',
  run_time_error: 'Runtime Error',
};
/** Kattis' example packages (as rewritten for the project); the rest were written for issue 12. */
const EXAMPLES = ['hello', 'different', 'guess', 'scored', 'shared', 'custom'];
const packages = readdirSync(PROBLEMS).filter((p) => statSync(path.join(PROBLEMS, p, 'problem.yaml'), { throwIfNoEntry: false }));
const judged = { packages: new Set<string>(), submissions: 0, examplePackages: new Set<string>(), exampleSubmissions: 0 };
/** Submissions in Kotlin, Haskell, OCaml, Scala, Lisp and Perl are judged by languages-kattis.test.ts (as `verdict judge` does): once is enough. */
const CONTEST_LANGUAGE_FILE = /\.(kt|hs|ml|scala|lisp|pl)$/;

for (const name of packages) {
  const dir = path.join(PROBLEMS, name);
  for (const [folder, status] of Object.entries(EXPECTED)) {
    let entries: string[] = [];
    try {
      entries = readdirSync(path.join(dir, 'submissions', folder));
    } catch {
      continue;
    }
    for (const entry of entries.filter((e) => !CONTEST_LANGUAGE_FILE.test(e)))
      test(`package ${name}: submissions/${folder}/${entry} is judged ${status}`, async () => {
        const problem = loadProblemPackage(dir);
        // Stopping at the first failure is what judges do for pass-fail problems; scores need every test.
        const r = await judgeFile(path.join(dir, 'submissions', folder, entry), dir, { stopOnFailure: !problem.scoring });
        const scores = expectedScores(dir);
        const score = scores[`${folder}/${entry}`] ?? scores[folder];
        if (score !== undefined) assert.equal(r.score?.score, score, JSON.stringify(r.score));
        assert.equal(r.status, status, explain(r));
        judged.packages.add(name);
        judged.submissions++;
        if (EXAMPLES.includes(name)) {
          judged.examplePackages.add(name);
          judged.exampleSubmissions++;
        }
      });
  }
}

test('packages: every fixture package and submission was judged to its expected verdict', (t) => {
  t.diagnostic(
    `example packages ${judged.examplePackages.size}/${EXAMPLES.length}, their submissions ${judged.exampleSubmissions}; all packages ${judged.packages.size}, submissions ${judged.submissions}`,
  );
  assert.deepEqual([...judged.examplePackages].sort(), [...EXAMPLES].sort());
  assert.ok(judged.packages.size >= 17, `only ${judged.packages.size} packages were judged`);
});

/** submissions/submissions.yaml: `folder` or `folder/file` → { score }. */
function expectedScores(dir: string): Record<string, number> {
  let doc: Record<string, { score?: number }> = {};
  try {
    doc = parseYaml(readFileSync(path.join(dir, 'submissions', 'submissions.yaml'), 'utf8')) ?? {};
  } catch {
    // no expected scores
  }
  return Object.fromEntries(Object.entries(doc).flatMap(([k, v]) => (typeof v?.score === 'number' ? [[k, v.score]] : [])));
}

// ---------------------------------------------------------------- samples only, symlinks

test('packages: a samples-only package is judged on its samples, and the result and report say only sample ran', async () => {
  const dir = path.join(PROBLEMS, 'samples-only');
  const r = await judgeFile(submission('samples-only', 'accepted/double.py'), dir);
  assert.equal(r.status, 'Accepted', explain(r));
  assert.deepEqual(ran(r), ['sample/1', 'sample/2']);
  assert.deepEqual(r.groups, ['sample']);
  assert.match(judgeReport(r), /groups judged: sample\n/);
  // data/secret/ missing altogether is the same.
  const copy = copyOf('samples-only');
  rmSync(path.join(copy, 'data', 'secret'), { recursive: true });
  const wrong = await judgeFile(submission('samples-only', 'wrong_answer/square.py'), copy);
  assert.equal(wrong.status, 'Wrong Answer');
  assert.deepEqual(wrong.groups, ['sample']);
});

test('packages: a symlink out of the package, made into a temporary folder, is followed; a dangling one names itself', async () => {
  const dir = copyOf('hello');
  const outside = mkdtempSync(path.join(tmpdir(), 'verdict-outside-'));
  temps.push(outside);
  // The linked answer decides the verdict: the file outside the package is what is read.
  writeFileSync(path.join(outside, 'right.ans'), readFileSync(path.join(dir, 'data', 'secret', '1.ans')));
  writeFileSync(path.join(outside, 'wrong.ans'), 'Goodbye!\n');
  const answer = path.join(dir, 'data', 'secret', '1.ans');
  const accepted = submission('hello', 'accepted/hello.py');
  unlinkSync(answer);
  symlinkSync(path.join(outside, 'right.ans'), answer);
  assert.equal((await judgeFile(accepted, dir)).status, 'Accepted');
  unlinkSync(answer);
  symlinkSync(path.join(outside, 'wrong.ans'), answer);
  const r = await judgeFile(accepted, dir);
  assert.equal(r.status, 'Wrong Answer', explain(r));
  assert.equal(r.tests.at(-1)?.name, 'secret/1');
  unlinkSync(answer);
  symlinkSync(path.join(outside, 'gone.ans'), answer);
  assert.throws(
    () => judgeRequest([accepted], { problem: dir, checkerProtocol: 'kattis' }, runner()),
    (e: Error) =>
      e instanceof UsageError &&
      e.message === `data/secret/1.ans: the symlink is dangling: its target ${path.join(outside, 'gone.ans')} does not exist`,
  );
});

test('packages: the validator header and a test linked from outside the package (committed links) are used', async () => {
  const dir = path.join(PROBLEMS, 'linked');
  const r = await judgeFile(submission('linked', 'wrong_answer/sum_int32.cpp'), dir);
  assert.equal(r.status, 'Wrong Answer', explain(r));
  assert.equal(r.tests.at(-1)?.name, 'secret/2');
  assert.equal(r.tests.at(-1)?.message, 'wrong sum');
});

// ---------------------------------------------------------------- include/, constants

test('packages: include/ gives C++ submissions the grader with main(), Python ones their helper; without it they fail', async () => {
  const dir = path.join(PROBLEMS, 'include');
  assert.equal((await judgeFile(submission('include', 'accepted/max.cpp'), dir)).status, 'Accepted');
  assert.equal((await judgeFile(submission('include', 'accepted/max.py'), dir)).status, 'Accepted');
  const bare = copyOf('include');
  rmSync(path.join(bare, 'include'), { recursive: true });
  assert.equal((await judgeFile(submission('include', 'accepted/max.cpp'), bare)).status, 'Compile Error');
  assert.equal((await judgeFile(submission('include', 'accepted/max.py'), bare)).status, 'Runtime Error');
});

test('packages: constants reach the Python validator source ({{max_value}}) and its arguments ({{mode}})', async () => {
  const dir = path.join(PROBLEMS, 'constants');
  const double = await judgeFile(submission('constants', 'wrong_answer/double.py'), dir);
  assert.equal(double.status, 'Wrong Answer');
  assert.equal(double.tests.find((t) => t.status !== 'Accepted')?.message, '1998 is larger than 1000');
  const zero = await judgeFile(submission('constants', 'wrong_answer/zero.py'), dir);
  assert.deepEqual(
    zero.tests.map((t) => [t.name, t.status, t.message]),
    [
      ['sample/1', 'Accepted', undefined],
      ['secret/1', 'Wrong Answer', '0 is not positive'],
    ],
  );
});

test('packages: problem.yaml languages, limits.code and limits.output hold for submissions', async () => {
  const dir = copyOf('custom');
  const yaml = path.join(dir, 'problem.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('  output: 1\n', '  output: 4\n  code: 1\nlanguages: [python3]\n'));
  assert.equal((await judgeFile(submission('custom', 'accepted/largest.py'), dir)).status, 'Accepted');
  await assert.rejects(
    judgeFile(submission('custom', 'accepted/smallest.cpp'), dir),
    (e: Error) => e instanceof UsageError && /takes submissions in python3 only \(problem\.yaml languages\), not cpp/.test(e.message),
  );
  const big = path.join(path.dirname(dir), 'big.py');
  writeFileSync(big, `${readFileSync(submission('custom', 'accepted/largest.py'), 'utf8')}\n# ${'x'.repeat(1100)}\n`);
  await assert.rejects(
    judgeFile(big, dir),
    (e: Error) => e instanceof UsageError && /at most 1 KiB \(problem\.yaml limits\.code\)/.test(e.message),
  );
  // The package allows 4 MiB of output (the default is 1 MiB): 2 MiB reaches the validator, which rejects it.
  const flood = path.join(path.dirname(dir), 'flood.py');
  writeFileSync(flood, "import sys\nsys.stdout.write('1' * (2 << 20))\n");
  const r = await judgeFile(flood, dir);
  assert.equal(r.status, 'Wrong Answer', explain(r));
});

test("packages: problem.yaml's verdict.standards compiles C++ as C++20; without the key, or with --std c++17, the same program is a Compile Error", async () => {
  const program = submission('standard', 'accepted/spaceship.cpp');
  const asPackageSays = await judgeFile(program, path.join(PROBLEMS, 'standard'));
  assert.equal(asPackageSays.status, 'Accepted', explain(asPackageSays));

  const plain = copyOf('standard');
  const yaml = path.join(plain, 'problem.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^verdict:\n(  .*\n)+/m, ''));
  assert.doesNotMatch(readFileSync(yaml, 'utf8'), /verdict:/);
  const byDefault = await judgeFile(program, plain);
  assert.equal(byDefault.status, 'Compile Error', explain(byDefault));
  assert.match(byDefault.compile?.output ?? '', /consteval|<=>|ranges/);

  // The run's own choice wins over the package's: --std c++17 (the family's default, named) and --lang cpp23.
  const dir = path.join(PROBLEMS, 'standard');
  const as = (opts: { lang?: string; std?: string }) =>
    runner().judge(judgeRequest([program], { problem: dir, checkerProtocol: 'kattis', stopOnFailure: true, ...opts }, runner()));
  const seventeen = await as({ lang: 'cpp', std: 'c++17' });
  assert.equal(seventeen.status, 'Compile Error', explain(seventeen));
  const twentyThree = await as({ lang: 'cpp23' });
  assert.equal(twentyThree.status, 'Accepted', explain(twentyThree));
});

test('packages: args from test_group.yaml and <case>.yaml reach the submission as command-line arguments', async () => {
  const dir = copyOf('samples-only');
  writeFileSync(path.join(dir, 'problem.yaml'), 'problem_format_version: 2025-09\nname: Times\nuuid: 4d2a\n');
  writeFileSync(path.join(dir, 'data', 'sample', 'test_group.yaml'), 'args: ["2"]\n');
  writeFileSync(path.join(dir, 'data', 'sample', '2.yaml'), 'args: ["2", "unused"]\n');
  const file = path.join(path.dirname(dir), 'times.py');
  writeFileSync(file, 'import sys\nprint(int(input()) * int(sys.argv[1]))\n');
  const r = await judgeFile(file, dir);
  assert.equal(r.status, 'Accepted', explain(r));
  writeFileSync(path.join(dir, 'data', 'sample', '2.yaml'), 'args: ["3"]\n');
  const other = await judgeFile(file, dir);
  assert.deepEqual(
    other.tests.map((t) => [t.name, t.status]),
    [
      ['sample/1', 'Accepted'],
      ['sample/2', 'Wrong Answer'],
    ],
  );
});

// ---------------------------------------------------------------- groups: on_reject, require_pass, scores

test('packages: on_reject break stops group1 at its first rejection, continue lets group2 go on; scored as problemtools counts', async () => {
  const r = await judgeFile(submission('breaking', 'wrong_answer/no_negatives.py'), path.join(PROBLEMS, 'breaking'));
  assert.deepEqual(ran(r), ['sample/1', 'secret/group1/1', 'secret/group1/2', 'secret/group2/1', 'secret/group2/2', 'secret/group2/3']);
  assert.deepEqual(r.score?.groups, [
    { name: 'sample', score: 0, maxScore: 0 },
    { name: 'secret', score: 20, maxScore: 45 },
    { name: 'secret/group1', score: 10, maxScore: 30 },
    { name: 'secret/group2', score: 10, maxScore: 15 },
  ]);
});

test("packages: a legacy verdict is the default grader's: worst_error over the tests that ran, first_error when the flags say so", async () => {
  const dir = copyOf('breaking');
  // Wrong on the sample, too slow on 4 (the first test of each group): TLE is worse than WA.
  const file = path.join(path.dirname(dir), 'slow_on_four.py');
  writeFileSync(file, 'n = int(input())\nwhile n == 4:\n    pass\nprint(n * n if n != 1 else 0)\n');
  const worst = await judgeFile(file, dir);
  assert.equal(worst.tests[0]?.status, 'Wrong Answer');
  assert.equal(worst.status, 'Time Limit Exceeded', explain(worst));
  assert.match(worst.message ?? '', /^Time Limit Exceeded on test secret\/group1\/1/);
  writeFileSync(path.join(dir, 'data', 'testdata.yaml'), 'on_reject: continue\ngrader_flags: first_error\n');
  const first = await judgeFile(file, dir);
  assert.equal(first.status, 'Wrong Answer', explain(first));
  // ignore_sample: the sample's verdict does not count either.
  writeFileSync(path.join(dir, 'data', 'testdata.yaml'), 'on_reject: continue\ngrader_flags: first_error ignore_sample\n');
  const noSample = await judgeFile(file, dir);
  assert.equal(noSample.status, 'Time Limit Exceeded', explain(noSample));
});

test('packages: a group whose require_pass is not met does not run, scores 0, and is not among the groups that ran', async () => {
  const r = await judgeFile(submission('required', 'wrong_answer/no_ones.py'), path.join(PROBLEMS, 'required'));
  // 1-easy is pass-fail: it stops at its first rejection too.
  assert.deepEqual(ran(r), ['sample/1', 'secret/1-easy/1']);
  assert.deepEqual(r.groups, ['sample', 'secret', 'secret/1-easy']);
  assert.equal(r.score?.score, 0);
  assert.equal(r.score?.groups.find((g) => g.name === 'secret/2-hard')?.score, 0);
});

test('packages: a pass-fail package stops at its first rejection (on_reject break), and the report names the groups that ran', async () => {
  const r = await judgeFile(submission('hello', 'wrong_answer/goodbye.py'), path.join(PROBLEMS, 'hello'));
  assert.deepEqual(ran(r), ['sample/1']);
  assert.deepEqual(r.groups, ['sample']);
});

test('packages: objective min is shown as lower is better', async () => {
  const r = await judgeFile(submission('penalty', 'wrong_answer/same.py'), path.join(PROBLEMS, 'penalty'));
  assert.equal(r.score?.objective, 'min');
  assert.match(judgeReport(r), /score 20\/60 \(lower is better\)/);
});

// ---------------------------------------------------------------- multi-pass

test('packages: multi-pass runs the submission again on nextpass.in, and a judge error is one when the validator breaks the rules', async () => {
  const dir = path.join(PROBLEMS, 'multipass');
  const wrong = await judgeFile(submission('multipass', 'wrong_answer/first_pass_only.py'), dir);
  assert.equal(wrong.status, 'Wrong Answer');
  // judgemessage.txt persists between passes: the validator appended to it.
  assert.equal(wrong.tests[0]?.message, 'pass 2: pass 1: ok\npass 2: expected 13, got 12');
  const crash = await judgeFile(submission('multipass', 'run_time_error/second_pass_crash.py'), dir);
  assert.match(crash.tests[0]?.message ?? '', /^pass 2: The program exited with code 3/);

  const greedy = copyOf('multipass');
  const source = path.join(greedy, 'output_validator', 'validate.py');
  writeFileSync(source, readFileSync(source, 'utf8').replace('if k == 1:', 'if True:'));
  const tooMany = await judgeFile(submission('multipass', 'accepted/add.py'), greedy);
  assert.equal(tooMany.status, 'Internal Error', explain(tooMany));
  assert.match(tooMany.tests[0]?.message ?? '', /asked for pass 3, but the problem allows 2 \(limits\.validation_passes\)/);

  writeFileSync(source, readFileSync(source, 'utf8').replace("verdict(42, f'pass {k}: ok')", "verdict(43, 'no')"));
  const rejectedWithNext = await judgeFile(submission('multipass', 'accepted/add.py'), greedy);
  assert.equal(rejectedWithNext.status, 'Internal Error');
  assert.match(rejectedWithNext.tests[0]?.message ?? '', /wrote nextpass\.in but did not accept/);
});

test('packages: interactive multi-pass gives the interactor nextpass.in as the next input', async () => {
  const dir = path.join(PROBLEMS, 'multipass-interactive');
  const r = await judgeFile(submission('multipass-interactive', 'wrong_answer/first_pass_only.py'), dir);
  assert.equal(r.status, 'Wrong Answer');
  assert.match(r.tests[0]?.message ?? '', /pass 2: expected 13, got 12/);
  // The transcript is the failing pass's: the interactor read "2 11" from nextpass.in.
  assert.equal(r.transcript, '< 2 11\n> 12\n');
});

// ---------------------------------------------------------------- interactors and build/run scripts

test('packages: a C interactor with DOMjudge build/run scripts is built and called as `run input answer feedback_dir`', async () => {
  const dir = path.join(PROBLEMS, 'scripted');
  const r = await judgeFile(submission('scripted', 'accepted/binary_search.py'), dir);
  assert.equal(r.status, 'Accepted', explain(r));
  const broken = copyOf('scripted');
  writeFileSync(path.join(broken, 'output_validators', 'guess', 'interactor.c'), 'int main( {');
  await assert.rejects(
    judgeFile(submission('scripted', 'accepted/binary_search.py'), broken),
    (e: Error) => e instanceof UsageError && /The interactor's build script failed/.test(e.message) && /interactor\.c/.test(e.message),
  );
});

test('packages: an output validator with build/run scripts is built once and run as `run input answer feedback_dir < output`', async () => {
  const dir = copyOf('custom');
  const v = path.join(dir, 'output_validator');
  writeFileSync(path.join(v, 'build'), '#!/bin/sh\nset -e\nc++ -O2 -o check validator.cpp\n');
  writeFileSync(path.join(v, 'run'), '#!/bin/sh\nexec "$(dirname "$0")/check" "$@"\n');
  assert.equal(loadProblemPackage(dir).outputValidator?.scripts, true);
  const accepted = await judgeFile(submission('custom', 'accepted/largest.py'), dir);
  assert.equal(accepted.status, 'Accepted', explain(accepted));
  const wrong = await judgeFile(submission('custom', 'wrong_answer/one.py'), dir);
  assert.equal(wrong.status, 'Wrong Answer', explain(wrong));
  // Without a run file after the build, the validator cannot start: a judge error, never a verdict on the submission.
  writeFileSync(path.join(v, 'build'), '#!/bin/sh\nset -e\nc++ -O2 -o check validator.cpp\nrm run\n');
  const broken = await judgeFile(submission('custom', 'accepted/largest.py'), dir);
  assert.equal(broken.status, 'Internal Error', explain(broken));
});

test('packages: a build/run validator is built once and then comes from the compile cache', async () => {
  const dir = copyOf('custom');
  const v = path.join(dir, 'output_validator');
  // The build stamps its result; the run script appends the stamp to the validator's message.
  writeFileSync(path.join(v, 'build'), '#!/bin/sh\nset -e\nc++ -O2 -o check validator.cpp\ndate +%s%N > stamp\n');
  writeFileSync(
    path.join(v, 'run'),
    '#!/bin/sh\nd=$(dirname "$0")\n"$d/check" "$@"\ncode=$?\ncat "$d/stamp" >> "$3judgemessage.txt"\nexit $code\n',
  );
  const first = await judgeFile(submission('custom', 'wrong_answer/one.py'), dir);
  const again = await judgeFile(submission('custom', 'wrong_answer/one.py'), dir);
  const stamp = (r: JudgeResult) =>
    r.tests
      .find((t) => t.status === 'Wrong Answer')
      ?.message?.split('\n')
      .at(-1);
  assert.match(stamp(first) ?? '', /^\d{19}$/, explain(first));
  assert.equal(stamp(again), stamp(first));
});

test('packages: a Python interactor judges Python and C++ submissions beside it, and Java ones across two containers (relayed)', async () => {
  const dir = path.join(PROBLEMS, 'pyguess');
  assert.equal((await judgeFile(submission('pyguess', 'accepted/binary_search.py'), dir)).status, 'Accepted');
  assert.equal((await judgeFile(submission('pyguess', 'accepted/binary_search.cc'), dir)).status, 'Accepted');
  // Java and Python share no image and the Java program is no static binary: two containers, the runner relaying.
  const cases: Array<[string, string]> = [
    ['accepted/Guess.java', 'Accepted'],
    ['wrong_answer/GuessZero.java', 'Wrong Answer'],
    ['run_time_error/GuessCrash.java', 'Runtime Error'],
    ['time_limit_exceeded/GuessSpin.java', 'Time Limit Exceeded'],
  ];
  for (const [file, status] of cases) {
    const r = await judgeFile(submission('guess', file), dir, { stopOnFailure: true });
    assert.equal(r.status, status, `${file}: ${explain(r)}`);
    // The conversation crossed the host and is kept for the failing test, as the supervisor keeps it.
    if (status === 'Wrong Answer') assert.match(r.transcript ?? '', /^> /m, `${file}: ${r.transcript}`);
  }
});

test('packages: a submission that keeps running, or closes its output and loops, after the interactor accepted is TLE, never RE', async () => {
  const dir = path.join(PROBLEMS, 'guess');
  // Spinning, they run into the CPU limit or are stopped after the interactor: TLE either way.
  for (const file of ['spin_after_correct.cc', 'close_then_spin.cc']) {
    const r = await judgeFile(submission('guess', `time_limit_exceeded/${file}`), dir, { stopOnFailure: true });
    assert.equal(r.status, 'Time Limit Exceeded', `${file}: ${explain(r)}`);
  }
  // Sleeping, it uses no CPU: the supervisor stops it a second after the interactor accepted.
  const py = await judgeFile(submission('pyguess', 'time_limit_exceeded/sleep_after_correct.py'), path.join(PROBLEMS, 'pyguess'), {
    stopOnFailure: true,
  });
  assert.equal(py.status, 'Time Limit Exceeded', explain(py));
  assert.match(py.tests[0]?.message ?? '', /kept running after the interactor ended \(it had accepted\)/);
  const closed = await judgeFile(submission('guess', 'time_limit_exceeded/close_then_wait.cc'), dir, { stopOnFailure: true });
  assert.equal(closed.status, 'Time Limit Exceeded', explain(closed));
  assert.match(closed.tests[0]?.message ?? '', /kept running after the interactor ended \(it had accepted\)/);
  // Interactor-first rejection still comes first: the program that died of the closed pipe is WA.
  const wrong = await judgeFile(submission('guess', 'wrong_answer/linear.cc'), dir, { stopOnFailure: true });
  assert.equal(wrong.status, 'Wrong Answer');
});
