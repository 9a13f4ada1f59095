import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../../runner/errors';
import { defaultTestsDir, discoverTests, preferredTestsDir } from '../../runner/judge/testfolder';
import { naturalCompare } from '../../runner/judge/natural-sort';

/** A temporary folder holding the given files (name → content; a trailing / makes a folder). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'verdict-tests-'));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(root, name);
    if (name.endsWith('/')) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
  return root;
}

const usage = (pattern: RegExp) => (e: Error) => e instanceof UsageError && pattern.test(e.message);

test('naturalCompare: numbers inside names sort by value', () => {
  const cases: [string[], string[]][] = [
    [
      ['10', '2', '1'],
      ['1', '2', '10'],
    ],
    [
      ['a10', 'a2', 'b1', 'a1'],
      ['a1', 'a2', 'a10', 'b1'],
    ],
    [
      ['sample-10', 'sample-9', 'secret-1'],
      ['sample-9', 'sample-10', 'secret-1'],
    ],
    [
      ['01', '1', '002', '3'],
      ['01', '1', '002', '3'],
    ],
    [
      ['1b', '1a', '1'],
      ['1', '1a', '1b'],
    ],
    [
      ['99999999999999999999', '100000000000000000000', '7'],
      ['7', '99999999999999999999', '100000000000000000000'],
    ],
    [
      ['x', '', 'X'],
      ['', 'X', 'x'],
    ],
  ];
  for (const [input, sorted] of cases) assert.deepEqual([...input].sort(naturalCompare), sorted, input.join(' '));
});

test('discoverTests: pairs NAME.in with NAME.ans or NAME.out in natural order', () => {
  const dir = tree({
    '10.in': '',
    '10.ans': '',
    '2.in': '',
    '2.out': '',
    '1.in': 'x',
    '1.ans': 'y',
    'notes.txt': '',
    'sub/3.in': '',
    'sub/3.ans': '',
  });
  const tests = discoverTests(dir);
  assert.deepEqual(
    tests.map((t) => t.name),
    ['1', '2', '10'],
  );
  assert.deepEqual(tests[0], { name: '1', input: { path: path.join(dir, '1.in') }, answer: { path: path.join(dir, '1.ans') }, group: [] });
  assert.deepEqual(tests[1]!.answer, { path: path.join(dir, '2.out') });
});

test('discoverTests: .ans wins over .out; a stray .out is ignored', () => {
  const dir = tree({ 'a.in': '', 'a.ans': '', 'a.out': '', 'b.out': '' });
  const tests = discoverTests(dir);
  assert.deepEqual(
    tests.map((t) => [t.name, path.basename((t.answer as { path: string }).path)]),
    [['a', 'a.ans']],
  );
});

test('discoverTests: a relative folder gives absolute paths; links to files count', () => {
  const dir = tree({ 'data/1.in': '', 'data/1.ans': '' });
  symlinkSync(path.join(dir, 'data/1.in'), path.join(dir, 'data/2.in'));
  symlinkSync(path.join(dir, 'data/1.ans'), path.join(dir, 'data/2.ans'));
  const tests = discoverTests(path.relative(process.cwd(), path.join(dir, 'data')));
  assert.deepEqual(
    tests.map((t) => t.name),
    ['1', '2'],
  );
  assert.ok(tests.every((t) => 'path' in t.input && path.isAbsolute(t.input.path)));
});

test('discoverTests: problems are usage errors that name the file and what is expected', () => {
  const errors: [Record<string, string>, RegExp][] = [
    [{ '1.in': '', '1.ans': '', '2.in': '' }, /2\.in has no answer: expected 2\.ans \(or 2\.out\)/],
    [{ '1.in': '', '1.ans': '', '3.ans': '' }, /3\.ans has no input: expected 3\.in/],
    [{ 'readme.md': '', '1.out': '' }, /No tests in .*: expected pairs of files named like 1\.in and 1\.ans/],
    [{ 'sub/1.in': '', 'sub/1.ans': '' }, /No tests in/],
  ];
  for (const [files, message] of errors) assert.throws(() => discoverTests(tree(files)), usage(message), message.source);
  assert.throws(() => discoverTests(tree({ 'empty/': '' }) + '/missing'), usage(/missing does not exist/));
  const file = path.join(tree({ 'x.in': '' }), 'x.in');
  assert.throws(() => discoverTests(file), usage(/is not a folder/));
});

test('defaultTestsDir: the first folder of the convention that applies', () => {
  const cases: [string, Record<string, string>, string | undefined][] = [
    ['sol.tests wins', { 'sol.cpp': '', 'sol.tests/1.in': '', 'tests/sol/1.in': '', 'tests/1.in': '', '1.in': '' }, 'sol.tests'],
    ['an empty sol.tests still wins', { 'sol.cpp': '', 'sol.tests/': '', '1.in': '' }, 'sol.tests'],
    ['tests/sol next', { 'sol.cpp': '', 'tests/sol/1.in': '', 'tests/1.in': '' }, 'tests/sol'],
    ['tests/ when it holds .in files', { 'sol.cpp': '', 'tests/1.in': '', 'tests/1.ans': '' }, 'tests'],
    ['tests/ without .in files is skipped', { 'sol.cpp': '', 'tests/other/1.in': '', '1.in': '' }, '.'],
    ['the source folder when it holds .in files', { 'sol.cpp': '', 'sample1.in': '' }, '.'],
    ['other sources tests are not ours', { 'sol.cpp': '', 'other.tests/1.in': '', 'tests/other/1.in': '' }, undefined],
    ['nothing', { 'sol.cpp': '' }, undefined],
  ];
  for (const [what, files, expected] of cases) {
    const root = tree(files);
    assert.equal(defaultTestsDir(path.join(root, 'sol.cpp')), expected && path.join(root, expected), what);
  }
});

test('defaultTestsDir: the stem drops only the last extension; preferredTestsDir matches rule 1', () => {
  const root = tree({ 'a.b.py': '', 'a.b.tests/1.in': '' });
  assert.equal(defaultTestsDir(path.join(root, 'a.b.py')), path.join(root, 'a.b.tests'));
  assert.equal(preferredTestsDir(path.join(root, 'a.b.py')), path.join(root, 'a.b.tests'));
});
