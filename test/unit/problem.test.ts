import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../runner/errors';
import { allTests, loadProblemPackage, type ProblemPackage, type TestGroup } from '../../runner/judge/problem';
import { naturalCompare } from '../../runner/judge/natural-sort';
import { computeScore, scoreGroups, testMaxScore } from '../../runner/judge/scoring';
import type { TestResult } from '../../runner/judge/types';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'problems');
const load = (name: string): ProblemPackage => loadProblemPackage(path.join(FIXTURES, name));
const names = (p: ProblemPackage): string[] => allTests(p).map((t) => t.name);
const pathOf = (d: unknown): string => (d as { path: string }).path;
const group = (p: ProblemPackage, name: string): TestGroup => {
  const find = (g: TestGroup): TestGroup | undefined => (g.name === name ? g : g.groups.map(find).find(Boolean));
  const g = find(p.data);
  assert.ok(g, `group ${name}`);
  return g;
};

// ---------------------------------------------------------------- temporary packages

const temps: string[] = [];
after(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

type Entry = string | { link: string };

/** Writes a package into a fresh temporary folder; `{ link }` entries become symlinks. */
function pkg(files: Record<string, Entry>): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-problem-'));
  temps.push(parent);
  const root = path.join(parent, 'pkg');
  fs.mkdirSync(root);
  for (const [rel, entry] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof entry === 'string') fs.writeFileSync(file, entry);
    else fs.symlinkSync(entry.link, file);
  }
  return root;
}

const SECRET = { 'data/secret/1.in': '1\n', 'data/secret/1.ans': '1\n' };
const legacy = (yaml: string, files: Record<string, Entry> = {}): string =>
  pkg({ 'problem.yaml': `name: T\n${yaml}`, ...SECRET, ...files });
const v2025 = (yaml: string, files: Record<string, Entry> = {}): string =>
  pkg({ 'problem.yaml': `problem_format_version: 2025-09\nname: T\nuuid: 1b2c\n${yaml}`, ...SECRET, ...files });

/** Asserts that loading fails with a UsageError whose message matches. */
function refuses(dir: string, message: RegExp | string): void {
  assert.throws(
    () => loadProblemPackage(dir),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, `expected a UsageError, got ${String(e)}`);
      if (typeof message === 'string') assert.equal(e.message, message);
      else assert.match(e.message, message);
      return true;
    },
  );
}

// ---------------------------------------------------------------- fixtures

describe('problem fixtures', () => {
  test('hello: legacy, default validation, limits from problem.yaml and .timelimit', () => {
    const p = load('hello');
    assert.equal(p.formatVersion, 'legacy');
    assert.equal(p.shortName, 'hello');
    assert.equal(p.name, 'Hello World!');
    assert.equal(p.root, fs.realpathSync(path.join(FIXTURES, 'hello')));
    assert.deepEqual([p.interactive, p.scoring, p.validation], [false, false, 'default']);
    assert.equal(p.outputValidator, undefined);
    assert.equal(p.timeLimitMs, 1500);
    assert.deepEqual([p.memoryMb, p.outputMb], [512, 8]);
    assert.deepEqual(names(p), ['sample/1', 'secret/1']);
    assert.deepEqual(
      p.data.groups.map((g) => [g.name, g.path]),
      [
        ['sample', ['sample']],
        ['secret', ['secret']],
      ],
    );
    const [sample] = allTests(p);
    assert.equal(pathOf(sample!.input), path.join(p.root, 'data/sample/1.in'));
    assert.equal(pathOf(sample!.answer), path.join(p.root, 'data/sample/1.ans'));
    assert.deepEqual(sample!.group, ['sample']);
    assert.deepEqual(sample!.settings, { outputValidatorFlags: [], onReject: 'break' });
  });

  test('different: 2023-07-draft with validator_flags, group flags appended, natural order 1, 2, 10', () => {
    const p = load('different');
    assert.equal(p.formatVersion, '2023-07-draft');
    assert.equal(p.name, 'The Difference', 'the English name is picked from the map');
    assert.deepEqual([p.validation, p.interactive, p.scoring, p.timeLimitMs, p.memoryMb], ['default', false, false, 2000, 256]);
    assert.deepEqual(names(p), ['sample/1', 'secret/1', 'secret/2', 'secret/10']);
    const flags = Object.fromEntries(allTests(p).map((t) => [t.name, t.settings.outputValidatorFlags]));
    assert.deepEqual(flags['sample/1'], ['float_relative_tolerance', '1e-6']);
    assert.deepEqual(flags['secret/10'], ['float_relative_tolerance', '1e-6', 'float_absolute_tolerance', '1e-6']);
  });

  test('guess: legacy interactive, the interactor in output_validators/<name>/', () => {
    const p = load('guess');
    assert.deepEqual([p.formatVersion, p.interactive, p.scoring, p.validation], ['legacy', true, false, 'custom']);
    assert.deepEqual(p.outputValidator, { dir: path.join(p.root, 'output_validators', 'guess_interactor'), files: ['interactor.cpp'] });
    assert.equal(p.timeLimitMs, undefined, 'no .timelimit and no time_limit: the judge default applies');
    assert.deepEqual(names(p), ['sample/1', ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `secret/0${i}`)]);
    // The .interaction sample is for display only; the judged sample is 1.in/1.ans.
    assert.equal(pathOf(allTests(p)[0]!.input), path.join(p.root, 'data/sample/1.in'));
  });

  test('scored: 2025-09 scoring, two groups with scores and aggregation from test_group.yaml', () => {
    const p = load('scored');
    assert.deepEqual([p.formatVersion, p.scoring, p.interactive, p.validation, p.timeLimitMs], ['2025-09', true, false, 'default', 1000]);
    const secret = group(p, 'secret');
    assert.deepEqual(secret.settings, { outputValidatorFlags: [], score: 100, aggregation: 'sum', onReject: 'continue' });
    assert.deepEqual(secret.tests, []);
    assert.deepEqual(
      secret.groups.map((g) => [g.name, g.path]),
      [
        ['secret/1-small', ['secret', '1-small']],
        ['secret/2-large', ['secret', '2-large']],
      ],
    );
    assert.deepEqual(group(p, 'secret/1-small').settings, {
      outputValidatorFlags: [],
      score: 30,
      aggregation: 'pass-fail',
      onReject: 'break',
    });
    assert.deepEqual(group(p, 'secret/2-large').settings, {
      outputValidatorFlags: ['case_sensitive'],
      score: 70,
      aggregation: 'sum',
      onReject: 'continue',
    });
    assert.deepEqual(
      group(p, 'sample').settings,
      { outputValidatorFlags: [], onReject: 'continue' },
      'samples never count towards the score',
    );
    const tests = allTests(p);
    assert.deepEqual(
      tests.map((t) => t.name),
      ['sample/1', 'secret/1-small/1', 'secret/1-small/2', 'secret/1-small/3', 'secret/2-large/1', 'secret/2-large/2', 'secret/2-large/3'],
    );
    assert.deepEqual(tests[4]!.group, ['secret', '2-large']);
    // 2-large/3.yaml replaces the group's output_validator_args for that test only.
    assert.deepEqual(tests[6]!.settings.outputValidatorFlags, ['case_sensitive', 'space_change_sensitive']);
    assert.equal(tests[6]!.settings.score, 70);
  });

  test('custom: 2025-09 custom validator in output_validator/', () => {
    const p = load('custom');
    assert.deepEqual([p.formatVersion, p.validation, p.interactive, p.scoring], ['2025-09', 'custom', false, false]);
    assert.deepEqual(p.outputValidator, { dir: path.join(p.root, 'output_validator'), files: ['validator.cpp'] });
    assert.deepEqual([p.timeLimitMs, p.memoryMb, p.outputMb], [2000, 256, 1]);
    assert.equal(names(p).length, 7);
  });

  test('shared: test files and a whole folder shared through symlinks resolve inside the package', () => {
    const p = load('shared');
    const tests = allTests(p);
    assert.deepEqual(
      tests.map((t) => t.name),
      ['sample/1', 'sample/2', 'secret/1', 'secret/2', 'secret/samples/1', 'secret/samples/2'],
    );
    const input = Object.fromEntries(tests.map((t) => [t.name, pathOf(t.input)]));
    assert.equal(input['secret/1'], path.join(p.root, 'data/sample/1.in'));
    assert.equal(input['secret/samples/2'], path.join(p.root, 'data/sample/2.in'));
    assert.equal(input['secret/2'], path.join(p.root, 'data/secret/2.in'));
    // 2025-09: a folder without test_group.yaml is not a group; its tests belong to secret.
    assert.deepEqual(tests[4]!.group, ['secret']);
    assert.deepEqual(group(p, 'secret').groups, []);
  });

  test('every fixture has accepted, wrong_answer, time_limit_exceeded and run_time_error submissions in C++ and Python', () => {
    for (const name of ['hello', 'different', 'guess', 'scored', 'custom', 'shared']) {
      for (const kind of ['accepted', 'wrong_answer', 'time_limit_exceeded', 'run_time_error']) {
        const files = fs.readdirSync(path.join(FIXTURES, name, 'submissions', kind));
        assert.ok(
          files.some((f) => /\.(cc|cpp)$/.test(f)),
          `${name}/${kind} C++`,
        );
        assert.ok(
          files.some((f) => f.endsWith('.py')),
          `${name}/${kind} Python`,
        );
        if (name === 'hello' || name === 'guess')
          assert.ok(
            files.some((f) => f.endsWith('.java')),
            `${name}/${kind} Java`,
          );
      }
    }
  });
});

// ---------------------------------------------------------------- order

describe('test order', () => {
  test('natural order compares digit runs by value', () => {
    const sorted = ['10', 'a10', '2', '1', 'a2', 'a', '02-x', '1b', 'b'].sort(naturalCompare);
    assert.deepEqual(sorted, ['1', '1b', '2', '02-x', '10', 'a', 'a2', 'a10', 'b']);
    assert.ok(naturalCompare('99999999999999999999', '100000000000000000000') < 0, 'long digit runs');
  });

  test('legacy: nested groups interleave with tests by name; sample comes before secret', () => {
    const dir = legacy('', {
      'data/sample/2.in': '',
      'data/sample/2.ans': '',
      'data/sample/10.in': '',
      'data/sample/10.ans': '',
      'data/secret/2/1.in': '',
      'data/secret/2/1.ans': '',
      'data/secret/3.in': '',
      'data/secret/3.ans': '',
      'data/secret/g10/x.in': '',
      'data/secret/g10/x.ans': '',
      'data/secret/g9/deep/y.in': '',
      'data/secret/g9/deep/y.ans': '',
    });
    const p = loadProblemPackage(dir);
    assert.deepEqual(names(p), ['sample/2', 'sample/10', 'secret/1', 'secret/2/1', 'secret/3', 'secret/g9/deep/y', 'secret/g10/x']);
    assert.deepEqual(allTests(p)[5]!.group, ['secret', 'g9', 'deep']);
    assert.deepEqual(
      group(p, 'secret/g9').groups.map((g) => g.name),
      ['secret/g9/deep'],
    );
  });

  test('2025-09: tests in plain subfolders join the enclosing group in natural order', () => {
    const dir = v2025('', { 'data/secret/b/1.in': '', 'data/secret/b/1.ans': '', 'data/secret/10.in': '', 'data/secret/10.ans': '' });
    assert.deepEqual(names(loadProblemPackage(dir)), ['secret/1', 'secret/10', 'secret/b/1']);
  });
});

// ---------------------------------------------------------------- versions and settings

describe('problem.yaml', () => {
  test('2025-09 type lists: scoring and interactive, with problemtools-style nested output_validator/<name>/', () => {
    const dir = v2025('type: [scoring, interactive]\n', {
      'output_validator/interactor/main.cpp': '',
      'output_validator/interactor/lib/util.h': '',
      'output_validator/interactor/.gitignore': '',
    });
    const p = loadProblemPackage(dir);
    assert.deepEqual([p.scoring, p.interactive, p.validation], [true, true, 'custom']);
    assert.deepEqual(p.outputValidator, { dir: path.join(p.root, 'output_validator', 'interactor'), files: ['lib/util.h', 'main.cpp'] });
  });

  test('2025-09 extras: languages, allow_file_writing, code limit, time_limit over .timelimit', () => {
    const dir = v2025('languages: [cpp, python3]\nallow_file_writing: true\nlimits:\n  time_limit: 0.5\n  code: 64\n', {
      '.timelimit': '7\n',
    });
    const p = loadProblemPackage(dir);
    assert.deepEqual([p.languages, p.allowFileWriting, p.codeKb, p.timeLimitMs], [['cpp', 'python3'], true, 64, 500]);
  });

  test('2023-07-draft: type interactive (later draft shape) and testdata.yaml output_validator_args', () => {
    const dir = pkg({
      'problem.yaml': 'problem_format_version: 2023-07-draft\nname: T\ntype: interactive\n',
      'output_validator/validate.py': '',
      'data/secret/testdata.yaml': 'output_validator_args: a b\n',
      'data/secret/2.in': '',
      'data/secret/2.ans': '',
      'data/secret/2.yaml': 'output_validator_args: c d\n',
      ...SECRET,
    });
    const p = loadProblemPackage(dir);
    assert.deepEqual([p.interactive, p.validation], [true, 'custom']);
    assert.deepEqual(
      allTests(p).map((t) => t.settings.outputValidatorFlags),
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    );
  });

  test('legacy scoring: testdata.yaml keys inherit key by key; grader flags choose the aggregation', () => {
    const dir = legacy('type: scoring\nvalidation: custom score\nvalidator_flags: p\n', {
      'output_validators/v.py': '',
      'data/testdata.yaml': 'on_reject: continue\naccept_score: 2\noutput_validator_flags: root\n',
      'data/secret/testdata.yaml': 'range: 0 100\ngrader_flags: first_error\n',
      'data/secret/g1/testdata.yaml': 'on_reject: break\ngrader_flags: min\nrange: 0 40\naccept_score: 40\n',
      'data/secret/g1/1.in': '',
      'data/secret/g1/1.ans': '',
      'data/secret/g2/1.in': '',
      'data/secret/g2/1.ans': '',
    });
    const p = loadProblemPackage(dir);
    assert.deepEqual([p.scoring, p.validation, p.outputValidator?.files], [true, 'custom', ['v.py']]);
    assert.deepEqual(group(p, 'secret/g1').settings, {
      outputValidatorFlags: ['p', 'root'],
      onReject: 'break',
      graderFlags: ['min'],
      acceptScore: 40,
      rejectScore: 0,
      range: [0, 40],
      aggregation: 'min',
      score: 40,
    });
    assert.deepEqual(group(p, 'secret/g2').settings, {
      outputValidatorFlags: ['p', 'root'],
      onReject: 'continue',
      graderFlags: ['first_error'],
      acceptScore: 2,
      rejectScore: 0,
      range: [0, 100],
      aggregation: 'sum',
      score: 100,
    });
    assert.deepEqual(p.data.settings.range, [-Infinity, Infinity], 'the default range');
  });

  test('2025-09 scoring: require_pass, unbounded secret, min aggregation', () => {
    const dir = v2025('type: scoring\n', {
      'data/sample/1.in': '',
      'data/sample/1.ans': '',
      'data/secret/test_group.yaml': 'max_score: unbounded\n',
      'data/secret/a/test_group.yaml': 'score_aggregation: min\n',
      'data/secret/a/1.in': '',
      'data/secret/a/1.ans': '',
      'data/secret/b/test_group.yaml': 'max_score: 5\nrequire_pass: [sample, secret/a]\n',
      'data/secret/b/1.in': '',
      'data/secret/b/1.ans': '',
      'data/secret/1.in': { link: 'a/1.in' },
      'data/secret/1.ans': { link: 'a/1.ans' },
    });
    // secret/1 is a test beside groups: refused, then fixed.
    refuses(dir, /data\/secret\/: has both test data groups \(a, b\) and tests/);
    fs.rmSync(path.join(dir, 'data/secret/1.in'));
    fs.rmSync(path.join(dir, 'data/secret/1.ans'));
    const p = loadProblemPackage(dir);
    assert.deepEqual(group(p, 'secret').settings, { outputValidatorFlags: [], aggregation: 'sum', onReject: 'continue' });
    assert.deepEqual(group(p, 'secret/a').settings, { outputValidatorFlags: [], aggregation: 'min', onReject: 'break' });
    assert.deepEqual(group(p, 'secret/b').settings.requirePass, ['sample', 'secret/a']);
  });
});

// ---------------------------------------------------------------- broken packages

describe('broken packages are refused with the file and the problem', () => {
  test('problem.yaml: wrong types, unknown keys, invalid YAML', () => {
    refuses(v2025('limits:\n  time_limit: fast\n'), "problem.yaml: limits.time_limit must be a number of seconds, got 'fast'");
    refuses(v2025('limits:\n  time_limit: -1\n'), 'problem.yaml: limits.time_limit must be a positive number of seconds, got -1');
    refuses(v2025('limits:\n  memory: 1.5\n'), 'problem.yaml: limits.memory must be a whole number of MiB, got 1.5');
    refuses(v2025('foo: 1\n'), "problem.yaml: unknown key 'foo'");
    refuses(v2025('type: [scoring, pass-fail]\n'), 'problem.yaml: type cannot be both pass-fail and scoring');
    refuses(
      v2025('type: fast\n'),
      /^problem\.yaml: type must be one of pass-fail, scoring, interactive, multi-pass, submit-answer, or a non-empty list of them, got 'fast'$/,
    );
    refuses(pkg({ 'problem.yaml': 'problem_format_version: 2025-09\nname: T\n', ...SECRET }), 'problem.yaml: uuid is required');
    refuses(
      legacy('validation: custom interactive\nlimits: [1]\n'),
      'problem.yaml: limits must be a mapping of keys to values, got a list',
    );
    refuses(legacy('name: again\n'), /^problem\.yaml: invalid YAML at line 2, column 1: Map keys must be unique/);
    refuses(legacy('limits: {memory: 1\n'), /^problem\.yaml: invalid YAML at line \d+, column \d+: /);
    refuses(pkg({ 'problem.yaml': '- a\n- b\n', ...SECRET }), 'problem.yaml: must be a mapping of keys to values, got a list');
    refuses(legacy('validation: strict\n'), "problem.yaml: validation must start with 'default' or 'custom', got 'strict'");
    refuses(
      legacy('validation: custom score\n', { 'output_validators/v.py': '' }),
      /validation 'custom score' is only for scoring problems/,
    );
  });

  test('unsupported versions and features say "not supported yet"', () => {
    refuses(
      pkg({ 'problem.yaml': 'problem_format_version: 2030-01\nname: T\n', ...SECRET }),
      /problem_format_version '2030-01' is not supported yet/,
    );
    refuses(v2025('type: submit-answer\n'), 'problem.yaml: submit-answer problems are not supported yet');
    refuses(
      legacy('', { 'output_validators/a.py': '', 'output_validators/b.py': '', 'problem.yaml': 'name: T\nvalidation: custom\n' }),
      /running several output validators is not supported yet/,
    );
    refuses(
      legacy('type: scoring\n', { 'data/secret/testdata.yaml': 'grading: custom\n' }),
      "data/secret/testdata.yaml: grading 'custom' (a custom grader program) is not supported yet",
    );
    refuses(
      legacy('type: scoring\n', { 'data/testdata.yaml': 'grader_flags: avg\n' }),
      /data\/testdata\.yaml: grader_flags 'avg' .* is not supported yet/,
    );
    refuses(
      v2025('type: scoring\n', { 'data/secret/test_group.yaml': 'static_validation_score: 10\n' }),
      'data/secret/test_group.yaml: static validation is not supported yet',
    );
    refuses(
      v2025('', { 'data/secret/1.files/input.txt': 'x' }),
      /data\/secret\/1\.files\/: test input files \(\.files\) are not supported yet/,
    );
  });

  test('validators: missing, in the wrong folder for the version, or unused', () => {
    refuses(legacy('validation: custom interactive\n'), "problem.yaml: validation is 'custom' but output_validators/ holds no validator");
    refuses(v2025('type: interactive\n'), /^output_validator\/: interactive problems need an interactor there/);
    refuses(
      v2025('', { 'output_validators/v/v.cpp': '' }),
      /^output_validators\/: this 2025-09 package must keep its output validator in output_validator\//,
    );
    refuses(
      legacy('', { 'output_validator/v.cpp': '' }),
      /^output_validator\/: this legacy package must keep its output validator in output_validators\//,
    );
    refuses(legacy('', { 'output_validators/v.cpp': '' }), /validation is 'default' but output_validators\/ holds a validator/);
  });

  test('test data: unpaired files, missing folders, misplaced tests', () => {
    refuses(legacy('', { 'data/secret/2.in': '' }), 'data/secret/2.in: has no answer file 2.ans beside it');
    refuses(legacy('', { 'data/sample/3.ans': '' }), 'data/sample/3.ans: has no input file 3.in beside it');
    refuses(pkg({ 'problem.yaml': 'name: T\n', 'data/secret/README': '' }), /^data\/: holds no tests in data\/sample\/ or data\/secret\//);
    refuses(
      legacy('', { 'data/extra/1.in': '', 'data/extra/1.ans': '' }),
      'data/extra/: unknown test data folder; tests go in data/sample/ or data/secret/',
    );
    refuses(
      legacy('', { 'data/secret/a b.in': '', 'data/secret/a b.ans': '' }),
      /data\/secret\/a b\.in: a test's file name must start with a letter, a digit or '_', then use only letters, digits, '_', '\.' and '-'/,
    );
    // '-' is allowed, but not first: the message says so, rather than "'-' is allowed".
    refuses(
      legacy('', { 'data/secret/-rf.in': '', 'data/secret/-rf.ans': '' }),
      /data\/secret\/-rf\.in: a test's file name must start with a letter, a digit or '_'/,
    );
    refuses(pkg({ 'problem.yaml': 'name: T\n' }), /^data\/: missing/);
    refuses(pkg({ 'data/secret/1.in': '' }), /not a problem package \(it has no problem\.yaml\)/);
  });

  test('symlinks: a dangling link is named with its target; a loop of folders is refused', () => {
    refuses(
      legacy('', { 'data/secret/2.in': { link: 'missing.in' }, 'data/secret/2.ans': '' }),
      'data/secret/2.in: the symlink is dangling: its target missing.in does not exist',
    );
    refuses(
      v2025('', { 'output_validator/v.py': { link: '/nonexistent/verdict/v.py' } }),
      'output_validator/v.py: the symlink is dangling: its target /nonexistent/verdict/v.py does not exist',
    );
    refuses(legacy('', { 'data/secret/loop': { link: '..' } }), /symlinks form a cycle/);
    // The whole package may itself be reached through a symlink.
    const real = legacy('');
    const alias = path.join(path.dirname(real), 'alias');
    fs.symlinkSync(real, alias);
    assert.equal(loadProblemPackage(alias).root, fs.realpathSync(real));
  });

  test('test data configuration files', () => {
    refuses(
      legacy('', { 'data/secret/testdata.yaml': 'on_reject: maybe\n' }),
      "data/secret/testdata.yaml: on_reject must be one of 'break', 'continue', got 'maybe'",
    );
    refuses(
      legacy('', { 'data/testdata.yaml': 'accept_score: 1\n' }),
      'data/testdata.yaml: accept_score is only for scoring problems (problem.yaml type: scoring)',
    );
    refuses(
      legacy('type: scoring\n', { 'data/secret/testdata.yaml': 'range: 10 0\n' }),
      "data/secret/testdata.yaml: range must be two numbers, minimum then maximum (such as '0 100'), got '10 0'",
    );
    refuses(legacy('', { 'data/secret/testdata.yaml': 'grader_flags: fastest\n' }), /unknown flag 'fastest'/);
    refuses(
      v2025('', { 'data/secret/testdata.yaml': 'on_reject: break\n' }),
      /data\/secret\/testdata\.yaml: 2025-09 renamed testdata\.yaml to test_group\.yaml/,
    );
    refuses(
      v2025('', { 'data/secret/test_group.yaml': 'max_score: 10\n' }),
      'data/secret/test_group.yaml: max_score is only for scoring problems (problem.yaml type: scoring)',
    );
    refuses(
      v2025('type: scoring\n', { 'data/sample/test_group.yaml': 'max_score: 10\n' }),
      'data/sample/test_group.yaml: max_score is not permitted in sample',
    );
    refuses(
      v2025('', { 'data/secret/test_group.yaml': 'output_validator_args: case_sensitive\n' }),
      "data/secret/test_group.yaml: output_validator_args must be a list of arguments, got 'case_sensitive'",
    );
    refuses(v2025('', { 'data/secret/1.yaml': 'hint: try 0\nfoo: 2\n' }), "data/secret/1.yaml: unknown key 'foo'");
    const groups = { 'data/secret/g/1.in': '', 'data/secret/g/1.ans': '' };
    const scoring2025 = (files: Record<string, Entry>): string =>
      pkg({ 'problem.yaml': 'problem_format_version: 2025-09\nname: T\nuuid: u\ntype: scoring\n', ...groups, ...files });
    refuses(
      scoring2025({ 'data/secret/g/test_group.yaml': 'score_aggregation: sum\n' }),
      'data/secret/g/test_group.yaml: max_score is required, because secret has a bounded max_score (100)',
    );
    refuses(
      scoring2025({
        'data/secret/g/test_group.yaml': 'max_score: 5\n',
        'data/secret/g/sub/test_group.yaml': '',
        'data/secret/g/sub/1.in': '',
        'data/secret/g/sub/1.ans': '',
      }),
      /do not nest/,
    );
    refuses(scoring2025({ 'data/secret/g/test_group.yaml': 'max_score: 5\nrequire_pass: secret/z\n' }), /require_pass names 'secret\/z'/);
    refuses(
      scoring2025({
        'data/secret/test_group.yaml': 'score_aggregation: pass-fail\n',
        'data/secret/g/test_group.yaml': 'max_score: 5\nscore_aggregation: sum\n',
      }),
      /must be 'pass-fail' because secret uses pass-fail/,
    );
  });

  test('.timelimit must hold a number of seconds', () => {
    refuses(legacy('', { '.timelimit': 'soon\n' }), ".timelimit: must be a positive number of seconds, got 'soon'");
    assert.equal(loadProblemPackage(legacy('', { '.timelimit': '3\n' })).timeLimitMs, 3000);
  });
});

// ---------------------------------------------------------------- packages as they are in the wild

describe('packages as they are in the wild', () => {
  test('samples only: data/secret/ empty or missing is judged on the samples', () => {
    assert.deepEqual(names(load('samples-only')), ['sample/1', 'sample/2']);
    assert.deepEqual(
      load('samples-only').data.groups.map((g) => g.name),
      ['sample'],
    );
    const missing = pkg({ 'problem.yaml': 'name: T\n', 'data/sample/1.in': '1\n', 'data/sample/1.ans': '1\n' });
    assert.deepEqual(names(loadProblemPackage(missing)), ['sample/1']);
    const modern = pkg({
      'problem.yaml': 'problem_format_version: 2025-09\nname: T\nuuid: 1b2c\n',
      'data/sample/1.in': '1\n',
      'data/sample/1.ans': '1\n',
    });
    assert.deepEqual(names(loadProblemPackage(modern)), ['sample/1']);
  });

  test('symlinks out of the package are followed to the files they name, on the user disk', () => {
    const p = load('linked');
    const big = allTests(p).find((t) => t.name === 'secret/2')!;
    assert.equal(pathOf(big.input), fs.realpathSync(path.join(FIXTURES, '_shared', 'linked', 'big.in')));
    assert.deepEqual(p.outputValidator?.files, ['validate.h', 'validator.cpp']);
    // A link made at run time, into a temporary folder, works the same.
    const outside = pkg({ 'shared.in': '5\n', 'shared.ans': '5\n' });
    const dir = legacy('', {
      'data/secret/2.in': { link: path.join(outside, 'shared.in') },
      'data/secret/2.ans': { link: path.join(outside, 'shared.ans') },
    });
    assert.equal(
      pathOf(allTests(loadProblemPackage(dir)).find((t) => t.name === 'secret/2')!.answer),
      path.join(fs.realpathSync(outside), 'shared.ans'),
    );
  });

  test('multi-pass: type multi-pass with limits.validation_passes (default 2), needs an output validator', () => {
    assert.equal(load('multipass').passes, 2);
    assert.equal(load('multipass-interactive').passes, 2);
    assert.equal(load('multipass-interactive').interactive, true);
    assert.equal(
      v2025('type: multi-pass\nlimits:\n  validation_passes: 5\n', { 'output_validator/v.py': '' }) &&
        loadProblemPackage(v2025('type: multi-pass\nlimits:\n  validation_passes: 5\n', { 'output_validator/v.py': '' })).passes,
      5,
    );
    refuses(v2025('type: multi-pass\n'), /^output_validator\/: multi-pass problems need an output validator there/);
    refuses(
      v2025('limits:\n  validation_passes: 3\n'),
      'problem.yaml: limits.validation_passes is only for multi-pass problems (type: multi-pass)',
    );
    assert.equal(load('custom').passes, undefined);
  });

  test('include/: one folder per language or default, each non-empty, files directly inside', () => {
    const p = load('include');
    assert.deepEqual(Object.keys(p.include ?? {}), ['cpp', 'default', 'python3']);
    assert.deepEqual(p.include!.cpp!.files, ['grader.h']);
    refuses(v2025('', { 'include/cpp/sub/x.h': '' }), 'include/cpp/sub/x.h: included files must sit directly in include/cpp/');
    refuses(v2025('', { include: '' }), /^include\/: must be a folder of folders/);
    assert.equal(load('custom').include, undefined);
  });

  test('constants: substituted in test_group.yaml and <case>.yaml; unknown names stay; bad names refused', () => {
    const p = load('constants');
    assert.deepEqual(p.constants, { max_value: { value: '1000' }, mode: { value: 'positive', tex: '\\textit{positive}' } });
    assert.deepEqual(group(p, 'secret').settings.outputValidatorFlags, ['positive']);
    const dir = v2025('constants:\n  eps: 0.001\n  big: {value: 10, tex: "10^1"}\n', {
      'data/secret/test_group.yaml': 'output_validator_args: [float_absolute_tolerance, "{{eps}}", "{{big.tex}}", "{{nope}}"]\n',
      'data/secret/1.yaml': 'output_validator_args: ["{{big}}"]\n',
    });
    const tests = allTests(loadProblemPackage(dir));
    assert.deepEqual(tests[0]!.settings.outputValidatorFlags, ['10']);
    assert.deepEqual(group(loadProblemPackage(dir), 'secret').settings.outputValidatorFlags, [
      'float_absolute_tolerance',
      '0.001',
      '10^1',
      '{{nope}}',
    ]);
    refuses(v2025('constants:\n  9lives: 1\n'), /problem\.yaml: constants: '9lives' is not a valid name/);
    refuses(
      v2025('constants:\n  k: {tex: "5"}\n'),
      "problem.yaml: constants.k must be a number or a string, or a mapping with a 'value' key",
    );
  });

  test('build/run scripts mark the validator as a program of its own kind', () => {
    const p = load('scripted');
    assert.equal(p.outputValidator?.scripts, true);
    assert.deepEqual(p.outputValidator?.files, ['build', 'interactor.c', 'run']);
    assert.equal(load('custom').outputValidator?.scripts, undefined);
  });

  test("args for submissions: nearest test_group.yaml, a test's own <case>.yaml, legacy testdata.yaml inherited", () => {
    const dir = v2025('', {
      'data/secret/test_group.yaml': 'args: [--group, 2]\n',
      'data/secret/2.in': '',
      'data/secret/2.ans': '',
      'data/secret/2.yaml': 'args: [--own]\n',
    });
    assert.deepEqual(
      allTests(loadProblemPackage(dir)).map((t) => [t.name, t.settings.args]),
      [
        ['secret/1', ['--group', '2']],
        ['secret/2', ['--own']],
      ],
    );
    const old = legacy('', { 'data/testdata.yaml': 'args: --fast 3\n' });
    assert.deepEqual(allTests(loadProblemPackage(old))[0]!.settings.args, ['--fast', '3']);
  });

  test('objective: min is kept (legacy grading, 2023-07-draft scoring)', () => {
    assert.equal(load('penalty').objective, 'min');
    assert.equal(load('scored').objective, 'max');
  });
});

// ---------------------------------------------------------------- scores as problemtools counts them

describe('scores', () => {
  const result = (name: string, status: TestResult['status'], score?: number): TestResult => ({
    name,
    status,
    timeMs: 1,
    memoryKb: 1,
    ...(score !== undefined ? { score } : {}),
  });
  const AC = 'Accepted';
  const WA = 'Wrong Answer';

  test('legacy: accept_score per test that ran, summed per group; a test that did not run counts nothing', () => {
    const groups = scoreGroups(load('breaking'));
    assert.deepEqual(
      groups.map((g) => [g.name, g.maxScore, g.acceptScore]),
      [
        ['sample', 0, 0],
        ['secret', 45, 1],
      ],
    );
    const r = computeScore(groups, [
      result('sample/1', AC),
      result('secret/group1/1', AC),
      result('secret/group1/2', WA),
      result('secret/group2/1', AC),
      result('secret/group2/2', WA),
      result('secret/group2/3', AC),
    ]);
    assert.equal(r.score, 20);
    assert.deepEqual(
      r.groups.find((g) => g.name === 'secret/group1'),
      { name: 'secret/group1', score: 10, maxScore: 30 },
    );
  });

  test('legacy: a validator score.txt replaces accept_score; ignore_sample drops the samples; range bounds the maximum', () => {
    const groups = scoreGroups(load('graded'));
    assert.deepEqual(
      groups.map((g) => [g.name, g.maxScore]),
      [['secret', 40]],
    );
    assert.equal(computeScore(groups, [result('sample/1', AC, 5), result('secret/1', AC, 7), result('secret/2', AC, 13)]).score, 20);
  });

  test('2025-09: a multiplier share of a sum group, require_pass groups that did not run score 0, objective min is reported', () => {
    const multiplied = scoreGroups(load('multiplied'));
    assert.equal(testMaxScore(multiplied, 'secret/1'), 50);
    assert.equal(computeScore(multiplied, [result('secret/1', AC, 25), result('secret/2', AC)]).score, 75);
    const required = scoreGroups(load('required'));
    const r = computeScore(required, [result('sample/1', AC), result('secret/1-easy/1', WA)]);
    assert.deepEqual(
      r.groups.map((g) => [g.name, g.score]),
      [
        ['secret', 0],
        ['secret/1-easy', 0],
        ['secret/2-hard', 0],
      ],
    );
    assert.equal(computeScore(scoreGroups(load('penalty')), [], 'min').objective, 'min');
  });
});
