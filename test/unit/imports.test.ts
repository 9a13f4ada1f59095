import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../../runner/errors';
import {
  findCphFile,
  parseCompanionPayload,
  parseCphProblem,
  readCompanionFile,
  readCphFile,
  writeTestsFolder,
} from '../../runner/judge/importers';
import { discoverTests } from '../../runner/judge/testfolder';
import type { TestCase } from '../../runner/judge/types';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/imports');
const CPH_FIXTURE = path.join(FIXTURES, '.cph/.castle.cpp_246a35cbdb4f3c6b27b329f42cb6fa80.prob');

const castleTests: TestCase[] = [
  { name: '1', input: { text: '5 0 6\n5 4 3 4 9\n' }, answer: { text: '5\n' }, group: [] },
  { name: '2', input: { text: '4 2 0\n1 2 3 4\n' }, answer: { text: '6\n' }, group: [] },
  { name: '3', input: { text: '5 1 1\n2 1 2 1 2\n' }, answer: { text: '3\n' }, group: [] },
];
const castle = {
  name: 'G. Castle Defense',
  url: 'https://codeforces.com/problemset/problem/954/G',
  group: 'Codeforces - Educational Codeforces Round 40 (Rated for Div. 2)',
  timeLimitMs: 1500,
  memoryMb: 256,
  interactive: false,
  tests: castleTests,
};

const usage = (pattern: RegExp) => (e: Error) => e instanceof UsageError && pattern.test(e.message);
const tmp = () => mkdtempSync(path.join(tmpdir(), 'verdict-imports-'));

test('imports: a Competitive Companion payload', () => {
  assert.deepEqual(readCompanionFile(path.join(FIXTURES, 'companion-codeforces.json')), castle);
});

test('imports: a Competitive Companion payload with file input and output', () => {
  const p = readCompanionFile(path.join(FIXTURES, 'companion-usaco-fileio.json'));
  assert.equal(p.inputFile, 'mixmilk.in');
  assert.equal(p.outputFile, 'mixmilk.out');
  assert.equal(p.timeLimitMs, 4000);
  assert.deepEqual(p.tests, [{ name: '1', input: { text: '10 3\n11 4\n12 5\n' }, answer: { text: '0\n10\n2\n' }, group: [] }]);
});

test('imports: a minimal payload; a zero limit means unknown', () => {
  const p = parseCompanionPayload(JSON.stringify({ name: 'X', memoryLimit: 0, timeLimit: 0, interactive: true, tests: [] }));
  assert.deepEqual(p, { name: 'X', interactive: true, tests: [] });
});

test('imports: a cph .prob file', () => {
  assert.deepEqual(readCphFile(CPH_FIXTURE), castle);
});

test('imports: a cph problem made by hand (empty url and group)', () => {
  const prob = {
    name: 'Local: a',
    url: '',
    interactive: false,
    memoryLimit: 1024,
    timeLimit: 3000,
    group: 'local',
    tests: [{ id: 1, input: '1', output: '1' }],
    local: true,
    srcPath: '/x/a.py',
  };
  assert.deepEqual(parseCphProblem(JSON.stringify(prob)), {
    name: 'Local: a',
    group: 'local',
    timeLimitMs: 3000,
    memoryMb: 1024,
    interactive: false,
    tests: [{ name: '1', input: { text: '1' }, answer: { text: '1' }, group: [] }],
  });
});

test('imports: bad payloads are usage errors naming the source and the problem', () => {
  const bad: [string, RegExp][] = [
    ['{"name": "x", "tests": [', /^where is not valid JSON \(.*\); expected a Competitive Companion problem\.$/],
    ['[]', /^where is not a Competitive Companion problem:/],
    ['{"name": "x"}', /tests/],
    ['{"name": "x", "tests": [{"input": "1"}]}', /tests\[0\]\.output|tests\.0\.output/],
    ['{"name": "x", "tests": [], "timeLimit": -5}', /timeLimit/],
    ['{"name": "x", "tests": [], "input": {"type": "file"}}', /input\.fileName|fileName/],
    ['{"name": "x", "tests": [], "input": {"type": "socket"}}', /input/],
  ];
  for (const [json, message] of bad) assert.throws(() => parseCompanionPayload(json, 'where'), usage(message), json);
  const missing = path.join(FIXTURES, 'companion-missing-tests.json');
  assert.throws(
    () => readCompanionFile(missing),
    usage(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a Competitive Companion problem:[^]*output`)),
  );
  assert.throws(() => readCphFile(path.join(FIXTURES, 'nope.prob')), usage(/Cannot read the cph problem file .*nope\.prob/));
  assert.throws(
    () => parseCphProblem('{"name": 1, "tests": []}', 'f.prob'),
    usage(/^f\.prob is not a cph problem file \(\.prob\):[^]*name/),
  );
});

test('imports: a byte-order mark does not break parsing', () => {
  assert.equal(parseCompanionPayload('\uFEFF{"name": "x", "tests": []}').name, 'x');
});

test('findCphFile: the name cph computes from the absolute path, dotted or not', () => {
  for (const dotted of [true, false]) {
    const dir = tmp();
    const source = path.join(dir, 'a.cpp');
    const hash = createHash('md5').update(source).digest('hex');
    mkdirSync(path.join(dir, '.cph'));
    const file = path.join(dir, '.cph', `${dotted ? '.' : ''}a.cpp_${hash}.prob`);
    writeFileSync(file, '{}');
    // Another source's file and a near miss must not be taken.
    writeFileSync(path.join(dir, '.cph', `.b.cpp_${hash}.prob`), '{}');
    writeFileSync(path.join(dir, '.cph', `.xa.cpp_${hash}.prob`), '{}');
    assert.equal(findCphFile(path.relative(process.cwd(), source)), file);
  }
});

test('findCphFile: after a move the hash differs; the newest file for that name is taken', () => {
  // The fixture was written for /home/alex/cp/cf954/castle.cpp.
  assert.equal(findCphFile(path.join(FIXTURES, 'castle.cpp')), CPH_FIXTURE);
  assert.equal(findCphFile(path.join(FIXTURES, 'other.cpp')), undefined);
  const dir = tmp();
  mkdirSync(path.join(dir, '.cph'));
  const older = path.join(dir, '.cph', `.s.py_${'a'.repeat(32)}.prob`);
  const newer = path.join(dir, '.cph', `.s.py_${'b'.repeat(32)}.prob`);
  writeFileSync(older, '{}');
  writeFileSync(newer, '{}');
  utimesSync(older, new Date(2000, 1, 1), new Date(2000, 1, 1));
  assert.equal(findCphFile(path.join(dir, 's.py')), newer);
  assert.equal(findCphFile(path.join(tmp(), 's.py')), undefined, 'no .cph folder');
});

test('writeTestsFolder: writes NAME.in/NAME.ans pairs that discoverTests reads back', () => {
  const dir = path.join(tmp(), 'castle.tests');
  const written = writeTestsFolder(dir, castleTests);
  assert.deepEqual(readdirSync(dir).sort(), ['1.ans', '1.in', '2.ans', '2.in', '3.ans', '3.in']);
  assert.equal(readFileSync(path.join(dir, '2.in'), 'utf8'), '4 2 0\n1 2 3 4\n');
  assert.deepEqual(discoverTests(dir), written);
  // Tests read from files are copied.
  const copy = writeTestsFolder(path.join(tmp(), 'copy'), written);
  assert.equal(readFileSync((copy[2]!.answer as { path: string }).path, 'utf8'), '3\n');
});

test('writeTestsFolder: refuses to mix with existing tests unless asked to replace them', () => {
  const dir = tmp();
  writeFileSync(path.join(dir, '9.in'), '');
  writeFileSync(path.join(dir, 'notes.txt'), 'keep');
  assert.throws(() => writeTestsFolder(dir, castleTests), usage(/already holds tests \(9\.in\)/));
  writeTestsFolder(dir, castleTests, { replace: true });
  assert.deepEqual(readdirSync(dir).sort(), ['1.ans', '1.in', '2.ans', '2.in', '3.ans', '3.in', 'notes.txt']);
  const read = discoverTests(dir);
  assert.throws(() => writeTestsFolder(dir, read, { replace: true }), usage(/the folder they are read from/));
});

test('writeTestsFolder: test names must be plain, unique file names', () => {
  const t = (name: string): TestCase => ({ name, input: { text: '' }, answer: { text: '' }, group: [] });
  for (const name of ['../x', 'a/b', 'a\\b', '', '..'])
    assert.throws(() => writeTestsFolder(tmp(), [t(name)]), usage(/plain file name/), name);
  assert.throws(() => writeTestsFolder(tmp(), [t('1'), t('1')]), usage(/two tests named "1"/));
});
