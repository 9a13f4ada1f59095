import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, parseNumber, parseValidatorFlags } from '../../runner/judge/checkers';
import { END_OF_OUTPUT, diffAt, excerpt, firstDifference } from '../../runner/judge/diff';
import { UsageError } from '../../runner/errors';
import type { BuiltinChecker, CheckerOptions, Diff } from '../../runner/judge/types';

interface Case {
  checker: BuiltinChecker;
  output: string;
  answer: string;
  ok: boolean;
  options?: CheckerOptions;
  /** For failures: the message must match, and the diff must have these fields. */
  message?: RegExp;
  diff?: Partial<Diff>;
}

const tol = (...validatorFlags: string[]): CheckerOptions => ({ validatorFlags });

const cases: Record<string, Case> = {
  // exact
  'exact: identical': { checker: 'exact', output: '1 2\n', answer: '1 2\n', ok: true },
  'exact: both empty': { checker: 'exact', output: '', answer: '', ok: true },
  'exact: missing final newline': {
    checker: 'exact',
    output: '42',
    answer: '42\n',
    ok: false,
    message: /^line 1, column 3: expected a line break, got end of output$/,
    diff: { line: 1, column: 3, expected: '42', actual: '42' },
  },
  'exact: trailing space': {
    checker: 'exact',
    output: '42 \n',
    answer: '42\n',
    ok: false,
    message: /column 3: expected a line break, got " "/,
  },
  'exact: CRLF': {
    checker: 'exact',
    output: '1\r\n',
    answer: '1\n',
    ok: false,
    message: /column 2: expected a line break, got a carriage return/,
  },
  'exact: different word': {
    checker: 'exact',
    output: '1 41\n',
    answer: '1 42\n',
    ok: false,
    message: /^line 1, column 4: expected "42", got "41"$/,
    diff: { line: 1, column: 4 },
  },
  'exact: empty output': {
    checker: 'exact',
    output: '',
    answer: '7\n',
    ok: false,
    message: /expected "7", got end of output/,
    diff: { line: 1, column: 1, expected: '7', actual: END_OF_OUTPUT },
  },

  // lines
  'lines: identical': { checker: 'lines', output: 'a b\nc\n', answer: 'a b\nc\n', ok: true },
  'lines: empty vs empty': { checker: 'lines', output: '', answer: '', ok: true },
  'lines: blank lines vs empty': { checker: 'lines', output: '\n\n  \n', answer: '', ok: true },
  'lines: missing final newline': { checker: 'lines', output: '1\n2', answer: '1\n2\n', ok: true },
  'lines: trailing spaces and tabs': { checker: 'lines', output: '1 2  \t\n3 \n', answer: '1 2\n3\n', ok: true },
  'lines: trailing blank lines': { checker: 'lines', output: '1\n\n\n', answer: '1\n', ok: true },
  'lines: CRLF vs LF': { checker: 'lines', output: '1 2\r\n3\r\n', answer: '1 2\n3\n', ok: true },
  'lines: leading space matters': {
    checker: 'lines',
    output: ' 1\n',
    answer: '1\n',
    ok: false,
    message: /^line 1, column 1: expected "1", got " 1"$/,
  },
  'lines: inner spaces matter': { checker: 'lines', output: '1  2\n', answer: '1 2\n', ok: false, message: /line 1, column 3/ },
  'lines: leading blank line matters': { checker: 'lines', output: '\n1\n', answer: '1\n', ok: false, diff: { line: 1 } },
  'lines: tokens split across lines': {
    checker: 'lines',
    output: '1\n2\n',
    answer: '1 2\n',
    ok: false,
    message: /^line 1, column 2: expected "1 2", got "1"$/,
  },
  'lines: wrong value on line 3': {
    checker: 'lines',
    output: '1\n2\n3 41\n',
    answer: '1\n2\n3 42\n',
    ok: false,
    message: /^line 3, column 4: expected "3 42", got "3 41"$/,
    diff: { line: 3, column: 4, expected: '3 42', actual: '3 41' },
  },
  'lines: output ended early': {
    checker: 'lines',
    output: '1\n',
    answer: '1\n7\n',
    ok: false,
    message: /^output ended early: expected "7" on line 2$/,
    diff: { line: 2, column: 1, expected: '7', actual: END_OF_OUTPUT },
  },
  'lines: extra output': {
    checker: 'lines',
    output: '1\nfoo\n',
    answer: '1\n',
    ok: false,
    message: /^line 2, column 1: expected end of output, got "foo"$/,
    diff: { line: 2, expected: END_OF_OUTPUT, actual: 'foo' },
  },
  'lines: empty output': { checker: 'lines', output: '', answer: '7\n', ok: false, message: /output ended early: expected "7" on line 1/ },
  'lines: case matters': { checker: 'lines', output: 'YES\n', answer: 'yes\n', ok: false },

  // tokens
  'tokens: any whitespace': { checker: 'tokens', output: '  1\t2\n\n3   ', answer: '1 2 3\n', ok: true },
  'tokens: empty vs whitespace': { checker: 'tokens', output: ' \n\t', answer: '', ok: true },
  'tokens: vertical tab and form feed': { checker: 'tokens', output: '1\v2\f3', answer: '1 2 3', ok: true },
  'tokens: wrong token': {
    checker: 'tokens',
    output: '1 2\n3 41\n',
    answer: '1 2 3 42',
    ok: false,
    message: /^line 2, column 3: expected "42", got "41"$/,
    diff: { line: 2, column: 3, expected: '1 2 3 42', actual: '3 41' },
  },
  'tokens: output ended early': {
    checker: 'tokens',
    output: '1\n',
    answer: '1\n7\n',
    ok: false,
    message: /^output ended early: expected "7" on line 2$/,
    diff: { line: 2, column: 1, actual: END_OF_OUTPUT },
  },
  'tokens: output ended early, no newline': {
    checker: 'tokens',
    output: '1',
    answer: '1 7',
    ok: false,
    diff: { line: 1, column: 2, actual: '1' },
  },
  'tokens: extra output': {
    checker: 'tokens',
    output: '1 2 extra\n',
    answer: '1 2\n',
    ok: false,
    message: /^line 1, column 5: expected end of output, got "extra"$/,
    diff: { column: 5, expected: END_OF_OUTPUT },
  },
  'tokens: case matters': { checker: 'tokens', output: 'Yes', answer: 'YES', ok: false },
  'tokens: numbers are text': { checker: 'tokens', output: '1.0', answer: '1', ok: false },
  'tokens: no-break space is not whitespace': { checker: 'tokens', output: '1\u00a02', answer: '1 2', ok: false },

  // float (defaults: absolute and relative 1e-6)
  'float: equal formatting': { checker: 'float', output: '1 1.0 1e0 100e-2 +1. .5 5.', answer: '1 1 1 1 1 0.5 5', ok: true },
  'float: -0 vs 0': { checker: 'float', output: '-0 -0.0', answer: '0 0', ok: true },
  'float: 1e-7 vs 0 within absolute': { checker: 'float', output: '1e-7', answer: '0', ok: true },
  'float: 1.0000001 vs 1': { checker: 'float', output: '1.0000001', answer: '1', ok: true },
  'float: 1.00001 vs 1 too far': {
    checker: 'float',
    output: '1.00001',
    answer: '1',
    ok: false,
    message: /^line 1, column 1: expected "1", got "1.00001" \(difference 1e-5, allowed absolute 1e-6 or relative 1e-6\)$/,
  },
  'float: relative tolerance on huge numbers': { checker: 'float', output: '1000000000001', answer: '1e12', ok: true },
  'float: huge numbers too far': { checker: 'float', output: '1.00001e300', answer: '1e300', ok: false },
  'float: identical overflowing numbers': { checker: 'float', output: '1e400', answer: '1e400', ok: true },
  'float: different overflowing numbers': { checker: 'float', output: '2e400', answer: '1e400', ok: false },
  'float: custom tolerance': {
    checker: 'float',
    output: '3.15',
    answer: '3.14159',
    ok: true,
    options: { absoluteTolerance: 0.01, relativeTolerance: 0 },
  },
  'float: zero tolerance': {
    checker: 'float',
    output: '1.0000001',
    answer: '1',
    ok: false,
    options: { absoluteTolerance: 0, relativeTolerance: 0 },
  },
  'float: text where a number is expected': {
    checker: 'float',
    output: 'abc',
    answer: '1.5',
    ok: false,
    message: /expected "1.5", got "abc" \(expected a number\)/,
  },
  'float: nan is text': { checker: 'float', output: 'nan', answer: 'nan', ok: true },
  'float: NaN is not nan': { checker: 'float', output: 'NaN', answer: 'nan', ok: false },
  'float: inf is not a number': { checker: 'float', output: '1e999', answer: 'inf', ok: false },
  'float: hex is not a number': { checker: 'float', output: '0x10', answer: '16', ok: false, message: /expected a number/ },
  'float: text tokens exact': { checker: 'float', output: 'Case #1: 2.5000001', answer: 'Case #1: 2.5', ok: true },
  'float: text case matters': { checker: 'float', output: 'case #1: 2.5', answer: 'Case #1: 2.5', ok: false },
  'float: number where text is expected': { checker: 'float', output: '1', answer: 'one', ok: false },
  'float: extra output': { checker: 'float', output: '1 2', answer: '1', ok: false, message: /expected end of output, got "2"/ },

  // kattis-default
  'kattis: case-insensitive by default': { checker: 'kattis-default', output: 'yes\nPossible', answer: 'YES POSSIBLE\n', ok: true },
  'kattis: case_sensitive': {
    checker: 'kattis-default',
    output: 'yes',
    answer: 'YES',
    ok: false,
    options: tol('case_sensitive'),
    message: /expected "YES", got "yes"/,
  },
  'kattis: only ASCII case folds': { checker: 'kattis-default', output: 'É', answer: 'é', ok: false },
  'kattis: whitespace lenient': { checker: 'kattis-default', output: '\t1   2\n\n', answer: '1 2', ok: true },
  'kattis: empty vs empty': { checker: 'kattis-default', output: '', answer: '', ok: true },
  'kattis: no tolerance compares numbers as text': { checker: 'kattis-default', output: '1.0', answer: '1', ok: false },
  'kattis: 1.0000001 vs 1 without tolerance': { checker: 'kattis-default', output: '1.0000001', answer: '1', ok: false },
  'kattis: 1.0000001 vs 1 with float_tolerance': {
    checker: 'kattis-default',
    output: '1.0000001',
    answer: '1',
    ok: true,
    options: tol('float_tolerance', '1e-6'),
  },
  'kattis: spec example 0.0314': {
    checker: 'kattis-default',
    output: '3.14000000e-2',
    answer: '0.0314',
    ok: true,
    options: tol('float_absolute_tolerance', '1e-9'),
  },
  'kattis: 1e-7 vs 0 absolute': {
    checker: 'kattis-default',
    output: '1e-7',
    answer: '0',
    ok: true,
    options: tol('float_absolute_tolerance', '1e-6'),
  },
  'kattis: 1e-7 vs 0 relative only': {
    checker: 'kattis-default',
    output: '1e-7',
    answer: '0',
    ok: false,
    options: tol('float_relative_tolerance', '1e-6'),
  },
  'kattis: relative': {
    checker: 'kattis-default',
    output: '1000.5',
    answer: '1000',
    ok: true,
    options: tol('float_relative_tolerance', '1e-3'),
  },
  'kattis: both tolerances, either suffices': {
    checker: 'kattis-default',
    output: '1000.5',
    answer: '1000',
    ok: true,
    options: tol('float_absolute_tolerance', '1e-9', 'float_relative_tolerance', '1e-3'),
  },
  'kattis: integers compared with tolerance too': {
    checker: 'kattis-default',
    output: '10',
    answer: '11',
    ok: true,
    options: tol('float_absolute_tolerance', '1'),
  },
  'kattis: text where a number is expected': {
    checker: 'kattis-default',
    output: 'x',
    answer: '1',
    ok: false,
    options: tol('float_tolerance', '1e-6'),
    message: /expected a number/,
  },
  'kattis: text tokens still case-insensitive with tolerance': {
    checker: 'kattis-default',
    output: 'CASE 1.0000001',
    answer: 'case 1',
    ok: true,
    options: tol('float_tolerance', '1e-6'),
  },
  'kattis: flags as one string': {
    checker: 'kattis-default',
    output: 'yes 1.0000001',
    answer: 'YES 1',
    ok: false,
    options: tol('case_sensitive float_tolerance 1e-6'),
    message: /expected "YES"/,
  },
  'kattis: space_change_sensitive equal': {
    checker: 'kattis-default',
    output: '1 2\n3\n',
    answer: '1 2\n3\n',
    ok: true,
    options: tol('space_change_sensitive'),
  },
  'kattis: space_change_sensitive amount': {
    checker: 'kattis-default',
    output: '1  2\n',
    answer: '1 2\n',
    ok: false,
    options: tol('space_change_sensitive'),
    message: /^line 1, column 3: expected whitespace " ", got "  "$/,
    diff: { line: 1, column: 3 },
  },
  'kattis: space_change_sensitive kind': {
    checker: 'kattis-default',
    output: '1\t2\n',
    answer: '1 2\n',
    ok: false,
    options: tol('space_change_sensitive'),
    message: /expected whitespace " ", got "\\t"/,
  },
  'kattis: space_change_sensitive trailing newline': {
    checker: 'kattis-default',
    output: '1 2',
    answer: '1 2\n',
    ok: false,
    options: tol('space_change_sensitive'),
    message: /expected whitespace "\\n", got ""/,
  },
  'kattis: space_change_sensitive leading': {
    checker: 'kattis-default',
    output: ' 1',
    answer: '1',
    ok: false,
    options: tol('space_change_sensitive'),
  },
  'kattis: space_change_sensitive CRLF': {
    checker: 'kattis-default',
    output: '1\r\n',
    answer: '1\n',
    ok: false,
    options: tol('space_change_sensitive'),
    diff: { line: 1, column: 2 },
  },
  'kattis: space_change_sensitive still reports a missing token': {
    checker: 'kattis-default',
    output: '1\n',
    answer: '1 2\n',
    ok: false,
    options: tol('space_change_sensitive'),
    message: /output ended early: expected "2" on line 1/,
  },
  'kattis: trailing output': {
    checker: 'kattis-default',
    output: '1 2',
    answer: '1',
    ok: false,
    message: /expected end of output, got "2"/,
  },
  'kattis: empty output': { checker: 'kattis-default', output: '', answer: '1', ok: false, message: /output ended early/ },
};

for (const [name, c] of Object.entries(cases)) {
  test(`check: ${name}`, () => {
    const r = check(c.checker, c.output, c.answer, c.options);
    assert.equal(r.ok, c.ok, r.ok ? 'accepted' : r.message);
    if (r.ok) return;
    assert.ok(r.message.length > 0);
    assert.ok(r.diff, 'a failure has a diff');
    if (c.message) assert.match(r.message, c.message);
    if (c.diff)
      for (const [k, v] of Object.entries(c.diff)) assert.equal(r.diff[k as keyof Diff], v, `diff.${k} in ${JSON.stringify(r.diff)}`);
  });
}

test('check: every checker accepts identical output and rejects a changed token', () => {
  const answer = '3\n1 2 3\nhello world\n0.5\n';
  for (const checker of ['exact', 'lines', 'tokens', 'float', 'kattis-default'] as const) {
    assert.equal(check(checker, answer, answer).ok, true, checker);
    const r = check(checker, answer.replace('hello', 'jello'), answer);
    assert.equal(r.ok, false, checker);
    assert.deepEqual(!r.ok && r.diff && [r.diff.line, r.diff.column], [3, 1], checker);
  }
});

test('check: bad options are usage errors naming the problem', () => {
  const bad: [CheckerOptions, RegExp][] = [
    [tol('case_insensitive'), /Unknown validator flag "case_insensitive"/],
    [tol('float_tolerance'), /"float_tolerance" needs a non-negative number after it, got nothing/],
    [tol('float_tolerance', 'abc'), /got "abc"/],
    [tol('float_absolute_tolerance', '-1'), /non-negative/],
    [tol('float_tolerance', '1e-6', 'float_absolute_tolerance', '1e-3'), /"float_absolute_tolerance" conflicts with "float_tolerance"/],
    [tol('float_relative_tolerance', '1e-6', 'float_relative_tolerance', '1e-3'), /conflicts/],
  ];
  for (const [options, message] of bad)
    assert.throws(
      () => check('kattis-default', '1', '1', options),
      (e: Error) => e instanceof UsageError && message.test(e.message),
      String(options.validatorFlags),
    );
  assert.throws(() => check('float', '1', '1', { absoluteTolerance: -1 }), /absoluteTolerance must be a non-negative number/);
});

test('parseValidatorFlags: defaults and float_tolerance setting both', () => {
  assert.deepEqual(parseValidatorFlags(), { caseSensitive: false, spaceChangeSensitive: false });
  assert.deepEqual(parseValidatorFlags(['float_tolerance', '1e-4', 'case_sensitive']), {
    caseSensitive: true,
    spaceChangeSensitive: false,
    absoluteTolerance: 1e-4,
    relativeTolerance: 1e-4,
  });
  assert.deepEqual(parseValidatorFlags(['float_absolute_tolerance 0.5  float_relative_tolerance 1e-9']), {
    caseSensitive: false,
    spaceChangeSensitive: false,
    absoluteTolerance: 0.5,
    relativeTolerance: 1e-9,
  });
});

test('parseNumber: the problem package float grammar', () => {
  const numbers: [string, number][] = [
    ['1', 1],
    ['-0.5', -0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e0', 1],
    ['+1E+05', 1e5],
    ['-0', -0],
    ['007', 7],
    ['1e400', Infinity],
  ];
  for (const [s, v] of numbers) assert.equal(parseNumber(s), v, s);
  for (const s of ['', '.', 'e5', '1e', '1e+', 'inf', 'nan', 'Infinity', '0x10', '1_000', '1,5', '--1', '1.2.3', ' 1'])
    assert.equal(parseNumber(s), undefined, s);
});

// How fast is for the benchmarks (a timed unit test fails on a busy machine); here, that large outputs are checked right.
test('check: a million tokens are checked right by every checker', () => {
  const n = 1_000_000;
  const answer = Array.from({ length: n }, (_, i) => String(i % 1000)).join(' ') + '\n';
  const reformatted = Array.from({ length: n }, (_, i) => `${i % 1000}.0`).join('\n');
  const words = Array.from({ length: n }, (_, i) => `w${i % 1000}`).join(' ') + '\n';
  const lines = Array.from(
    { length: n / 10 },
    (_, i) => `${i} ${i + 1} ${i + 2} ${i + 3} ${i + 4} ${i + 5} ${i + 6} ${i + 7} ${i + 8} ${i + 9}`,
  ).join('\n');
  const runs: [BuiltinChecker, string, string, CheckerOptions?][] = [
    ['exact', answer, answer.slice(0, -1) + ' '],
    ['lines', lines + '  \n', lines],
    ['tokens', answer.replaceAll(' ', '\n'), answer],
    ['float', reformatted, answer],
    ['kattis-default', reformatted, answer, tol('float_tolerance', '1e-6')],
    ['kattis-default', words.toUpperCase(), words, tol('space_change_sensitive')],
  ];
  for (const [checker, output, expected, options] of runs)
    assert.equal(check(checker, output, expected, options).ok, checker !== 'exact', checker);
});

test('diff: firstDifference finds the first differing line and column', () => {
  assert.equal(firstDifference('a\nb\n', 'a\nb\n'), undefined);
  assert.equal(firstDifference('a\nb\n', 'a\nb'), undefined, 'a final newline ends a line rather than starting one');
  assert.deepEqual(firstDifference('a\nbcd\n', 'a\nbxd\n'), { line: 2, column: 2, expected: 'bcd', actual: 'bxd' });
  assert.deepEqual(firstDifference('a\nb\n', 'a\n'), { line: 2, column: 1, expected: 'b', actual: END_OF_OUTPUT });
  assert.deepEqual(firstDifference('a\n', 'a\nb\n'), { line: 2, column: 1, expected: END_OF_OUTPUT, actual: 'b' });
  assert.deepEqual(firstDifference('abc', 'ab'), { line: 1, column: 3, expected: 'abc', actual: 'ab' });
  assert.equal(
    firstDifference('A\n', 'a\n', (e, a) => e.toLowerCase() === a.toLowerCase()),
    undefined,
  );
});

test('diff: long lines are cut to an excerpt around the column', () => {
  const line = 'x'.repeat(500) + 'Y' + 'x'.repeat(500);
  const e = excerpt(line, 501);
  assert.ok(e.startsWith('…') && e.endsWith('…'));
  assert.ok(e.includes('Y'));
  assert.ok(e.length <= 82);
  assert.equal(excerpt('short', 3), 'short');
  assert.equal(excerpt('y'.repeat(100), 1), 'y'.repeat(80) + '…');
  assert.equal(excerpt('y'.repeat(100), 100), '…' + 'y'.repeat(80));
  const d = firstDifference('a'.repeat(300), 'a'.repeat(299) + 'b');
  assert.equal(d?.column, 300);
  assert.ok(d!.actual.endsWith('b') && d!.actual.startsWith('…'));
});

test('diff: diffAt places the position in the output and centres each excerpt on its own offset', () => {
  assert.deepEqual(diffAt('1 2 3\n', 4, '1\n2\n4\n', 4), { line: 3, column: 1, expected: '1 2 3', actual: '4' });
  assert.deepEqual(diffAt('1\n', 2, '1\n2\n', 2), { line: 2, column: 1, expected: END_OF_OUTPUT, actual: '2' });
  assert.deepEqual(diffAt('', 0, '', 0), { line: 1, column: 1, expected: END_OF_OUTPUT, actual: END_OF_OUTPUT });
});

test('check: messages quote long lines and tokens around the difference', () => {
  const long = 'x'.repeat(200);
  for (const checker of ['exact', 'lines', 'tokens'] as const) {
    const r = check(checker, `${long}1\n`, `${long}2\n`);
    assert.ok(!r.ok && /expected "…x+2", got "…x+1"$/.test(r.message) && r.message.length < 200, `${checker}: ${!r.ok && r.message}`);
  }
});

// ---- bytes are bytes -----------------------------------------------------------------------------

const b = (...bytes: number[]) => Buffer.from(bytes);

test('check: \\xfe is not \\xff for any checker (bytes are compared, not decoded text)', () => {
  for (const checker of ['exact', 'lines', 'tokens', 'float', 'kattis-default'] as const) {
    const r = check(checker, b(0xfe, 0x0a), b(0xff, 0x0a));
    assert.equal(r.ok, false, checker);
    assert.ok(!r.ok && r.message.includes('\\xff') && r.message.includes('\\xfe'), `${checker}: ${!r.ok && r.message}`);
    assert.ok(check(checker, b(0xff, 0x0a), b(0xff, 0x0a)).ok, checker);
  }
  // Invalid UTF-8 next to valid: the first differing byte is found, its column counted in bytes.
  const r = check('exact', Buffer.from([0xc3, 0xa9, 0x41, 0xfe]), Buffer.from([0xc3, 0xa9, 0x41, 0xff]));
  assert.ok(!r.ok && r.diff);
  assert.deepEqual(!r.ok && r.diff && [r.diff.line, r.diff.column, r.diff.expected, r.diff.actual], [1, 4, 'éA\\xff', 'éA\\xfe']);
});

test('check: NUL bytes are ordinary bytes', () => {
  assert.ok(check('exact', b(0x61, 0x00, 0x62), b(0x61, 0x00, 0x62)).ok);
  const r = check('exact', b(0x61, 0x00, 0x62), b(0x61, 0x01, 0x62));
  assert.ok(!r.ok && r.diff?.column === 2 && /\\x01/.test(r.message) && /\\x00/.test(r.message), !r.ok ? r.message : '');
  assert.equal(check('exact', b(0x61), b(0x61, 0x00)).ok, false, 'a trailing NUL counts');
  // NUL is not whitespace: it is part of a token.
  assert.equal(check('tokens', b(0x31, 0x00, 0x32), Buffer.from('1 2')).ok, false);
  assert.ok(check('tokens', b(0x31, 0x00, 0x32, 0x0a), b(0x31, 0x00, 0x32)).ok);
});

test('check: Latin-1 bytes are compared as they are, never as U+FFFD', () => {
  const latin1 = Buffer.from('caf\xe9\n', 'latin1'); // "café" in ISO-8859-1: one byte, not UTF-8
  assert.ok(check('exact', latin1, Buffer.from(latin1)).ok);
  assert.equal(check('exact', latin1, Buffer.from('caf\xe8\n', 'latin1')).ok, false);
  assert.equal(check('lines', latin1, Buffer.from('café\n')).ok, false, 'Latin-1 é is not UTF-8 é');
  assert.equal(check('tokens', latin1, Buffer.from('caf\ufffd\n')).ok, false, 'nor the replacement character');
  // Case folds only ASCII letters: Latin-1 \xc9 (É) and \xe9 (é) differ.
  assert.equal(check('kattis-default', Buffer.from('\xc9', 'latin1'), Buffer.from('\xe9', 'latin1')).ok, false);
  assert.ok(check('kattis-default', Buffer.from('CAF\xe9', 'latin1'), Buffer.from('caf\xe9', 'latin1')).ok);
});

test('check: whitespace is ASCII whitespace only; numbers parse from the bytes', () => {
  assert.equal(check('tokens', Buffer.from('1\u00a02'), Buffer.from('1 2')).ok, false, 'UTF-8 no-break space');
  assert.equal(check('tokens', b(0x31, 0xa0, 0x32), Buffer.from('1 2')).ok, false, 'Latin-1 no-break space');
  assert.equal(check('tokens', b(0x31, 0x85, 0x32), Buffer.from('1 2')).ok, false, 'NEL is not whitespace');
  assert.ok(check('float', Buffer.from('1.0000001\r\n'), Buffer.from('1\n')).ok);
  assert.equal(check('float', b(0x31, 0xb2), Buffer.from('12')).ok, false, 'a Latin-1 superscript two is not a digit');
});

test('check: CRLF stays as documented (exact and space_change_sensitive see the \\r; lines, tokens ignore it)', () => {
  const crlf = Buffer.from('1 2\r\n3\r\n');
  const lf = Buffer.from('1 2\n3\n');
  assert.match((check('exact', crlf, lf) as { message: string }).message, /expected a line break, got a carriage return/);
  assert.ok(check('lines', crlf, lf).ok);
  assert.ok(check('tokens', crlf, lf).ok);
  assert.ok(check('float', crlf, lf).ok);
  assert.ok(check('kattis-default', crlf, lf).ok);
  assert.equal(check('kattis-default', crlf, lf, { validatorFlags: ['space_change_sensitive'] }).ok, false);
});

test('check: messages and diffs show control bytes escaped, never raw', () => {
  const r = check('lines', Buffer.from('\x1b[2J\x1b]52;c;ZXZpbA==\x07\n'), Buffer.from('ok\n'));
  assert.ok(!r.ok && r.diff);
  for (const text of [r.message, r.diff.actual]) {
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, text);
    assert.match(text, /\\x1b\[2J\\x1b\]52;c;ZXZpbA==\\x07/);
  }
});
