// The built-in checkers: decide whether a program's output matches the answer (exactly, by lines,
// by tokens, with float tolerance, or like the Kattis/ICPC default output validator) and say where not.
//
// Conventions shared by the token checkers (tokens, float, kattis-default):
// - Whitespace is exactly space, \t, \n, \v, \f and \r: the set the problem package format names.
//   Anything else (a no-break space, say) is part of a token.
// - A number is what the problem package format's float grammar accepts (2025-09, "General
//   requirements"): [+-]? (digits? "." digits | digits "." | digits) ([eE] [+-]? digits)?
//   So 1, -0.5, .5, 5., 1e0 and +1E+05 are numbers; inf, nan, 0x10 and 1_000 are not, and are
//   compared as plain tokens: "nan" matches only "nan", "inf" only "inf".
//   Values beyond double range parse to ±Infinity and then only match an identical token.
// - Identical tokens always match, before any parsing.
//
// Bytes, not text: the output and the answer are compared as bytes, as judges do. Each side is
// turned once into a "byte string", a JS string with one char per byte (latin1 decoding, a
// bijection between bytes and the chars U+0000–U+00FF), so every comparison, offset, line and
// column below is of bytes; \xfe never equals \xff, NUL is an ordinary byte, and nothing is decoded
// as UTF-8 to decide a verdict. Whitespace and numbers are ASCII, so tokens and floats parse from
// the bytes directly. Only messages and diffs show text, through displayText (display.ts).
//
// kattis-default follows the 2025-09 spec's "Default output validator specification" (checked
// against problemtools' default_validator.cc): tokens are compared case-insensitively (ASCII A-Z
// only) unless case_sensitive; with no tolerance flag every token, numeric or not, is compared as
// a string; once any tolerance is given, each answer token that is a number is compared
// numerically, the output token must then be a number, and it is accepted within either tolerance
// (|out-ans| <= abs, or |out-ans| <= rel*|ans|), integers included. space_change_sensitive requires
// every whitespace run (leading and trailing too) to be identical. Giving a tolerance flag twice,
// or float_tolerance alongside another tolerance flag, is an error, as the spec says.
import { UsageError } from '../errors';
import { asBuffer } from '../spec';
import { diffAt, excerpt, firstDifferentLine, lineDiff, positionOf } from './diff';
import type { BuiltinChecker, CheckerOptions, CheckOutcome } from './types';

const DEFAULT_TOLERANCE = 1e-6;
const NUMBER = /^[+-]?(?:\d*\.\d+|\d+\.?)(?:[eE][+-]?\d+)?$/;
/** Text quoted in messages is cut to this length around the difference; the Diff carries more context. */
const QUOTE_LIMIT = 60;

const ACCEPTED: CheckOutcome = { ok: true };

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Quotes a byte string for a message, shown on one line, cut around a (1-based) column when long. */
function quote(s: string, column = 1): string {
  return `"${excerpt(s, column, QUOTE_LIMIT)}"`;
}

/** Bytes (or text, as UTF-8) as a byte string: one char per byte. */
function byteString(data: Uint8Array | string): string {
  return asBuffer(data).toString('latin1');
}

/** Parses a token as a number per the float grammar above, or undefined. */
export function parseNumber(token: string): number | undefined {
  return NUMBER.test(token) ? Number(token) : undefined;
}

// ---- exact -------------------------------------------------------------------------------------

/** What sits at an offset, in words: the whitespace-delimited word, a line break, or the end. */
function describeAt(text: string, i: number): string {
  if (i >= text.length) return 'end of output';
  const c = text.charCodeAt(i);
  if (c === 10) return 'a line break';
  if (c === 13) return 'a carriage return ("\\r")';
  if (isSpace(c)) return quote(text[i]!);
  let start = i;
  let end = i;
  while (start > 0 && !isSpace(text.charCodeAt(start - 1))) start--;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  return quote(text.slice(start, end), i - start + 1);
}

function checkExact(output: string, answer: string): CheckOutcome {
  if (output === answer) return ACCEPTED;
  const n = Math.min(output.length, answer.length);
  let i = 0;
  while (i < n && output.charCodeAt(i) === answer.charCodeAt(i)) i++;
  const diff = diffAt(answer, i, output, i);
  return {
    ok: false,
    message: `line ${diff.line}, column ${diff.column}: expected ${describeAt(answer, i)}, got ${describeAt(output, i)}`,
    diff,
  };
}

// ---- lines -------------------------------------------------------------------------------------

/** Length of the line without trailing whitespace (which includes the \r of a CRLF). */
function trimmedLength(line: string): number {
  let n = line.length;
  while (n > 0 && isSpace(line.charCodeAt(n - 1))) n--;
  return n;
}

function sameIgnoringTrailingSpace(expected: string, actual: string): boolean {
  const n = trimmedLength(expected);
  if (n !== trimmedLength(actual)) return false;
  for (let i = 0; i < n; i++) if (expected.charCodeAt(i) !== actual.charCodeAt(i)) return false;
  return true;
}

/** The text without its trailing whitespace, so trailing blank lines and a missing final newline do not matter. */
function withoutTrailingSpace(text: string): string {
  return text.slice(0, trimmedLength(text));
}

function checkLines(output: string, answer: string): CheckOutcome {
  if (output === answer) return ACCEPTED;
  const d = firstDifferentLine(withoutTrailingSpace(answer), withoutTrailingSpace(output), sameIgnoringTrailingSpace);
  if (!d) return ACCEPTED;
  const diff = lineDiff(d);
  if (d.actualLine === undefined)
    return { ok: false, message: `output ended early: expected ${quote(d.expectedLine!)} on line ${d.line}`, diff };
  if (d.expectedLine === undefined)
    return { ok: false, message: `line ${d.line}, column 1: expected end of output, got ${quote(d.actualLine)}`, diff };
  return {
    ok: false,
    message: `line ${d.line}, column ${d.column}: expected ${quote(d.expectedLine, d.column)}, got ${quote(d.actualLine, d.column)}`,
    diff,
  };
}

// ---- token checkers ----------------------------------------------------------------------------

/** Walks the tokens of a text without copying it; also knows the whitespace run before each token. */
class Tokens {
  /** The whitespace run before the current token is [spaceStart, start); the token is [start, end). */
  spaceStart = 0;
  start = 0;
  end = 0;
  constructor(readonly text: string) {}

  /** Moves to the next token; false when there is none (then [spaceStart, start) is the trailing whitespace). */
  next(): boolean {
    const { text } = this;
    let i = this.end;
    this.spaceStart = i;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    this.start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    this.end = i;
    return this.end > this.start;
  }

  token(): string {
    return this.text.slice(this.start, this.end);
  }
}

function sameSpan(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  return true;
}

/** Compares two tokens that are not identical: null when they still match, else why not ('' for plainly different). */
type TokenMatcher = (expected: string, actual: string) => string | null;

function compareTokens(output: string, answer: string, match: TokenMatcher, spaceSensitive: boolean): CheckOutcome {
  if (output === answer) return ACCEPTED;
  const exp = new Tokens(answer);
  const got = new Tokens(output);
  for (;;) {
    const expHas = exp.next();
    const gotHas = got.next();
    // Whitespace runs are compared only when both sides agree on whether a token follows, so that
    // a missing or extra token is reported as such rather than as a whitespace change.
    if (spaceSensitive && expHas === gotHas && !sameSpan(answer, exp.spaceStart, exp.start, output, got.spaceStart, got.start)) {
      let k = 0;
      while (
        exp.spaceStart + k < exp.start &&
        got.spaceStart + k < got.start &&
        answer.charCodeAt(exp.spaceStart + k) === output.charCodeAt(got.spaceStart + k)
      )
        k++;
      const diff = diffAt(answer, exp.spaceStart + k, output, got.spaceStart + k);
      const expSpace = answer.slice(exp.spaceStart, exp.start);
      const gotSpace = output.slice(got.spaceStart, got.start);
      return {
        ok: false,
        message: `line ${diff.line}, column ${diff.column}: expected whitespace ${quote(expSpace)}, got ${quote(gotSpace)}`,
        diff,
      };
    }
    if (!expHas && !gotHas) return ACCEPTED;
    if (!expHas) {
      const diff = diffAt(answer, answer.length, output, got.start);
      return { ok: false, message: `line ${diff.line}, column ${diff.column}: expected end of output, got ${quote(got.token())}`, diff };
    }
    if (!gotHas) {
      const diff = diffAt(answer, exp.start, output, output.length);
      return {
        ok: false,
        message: `output ended early: expected ${quote(exp.token())} on line ${positionOf(answer, exp.start).line}`,
        diff,
      };
    }
    if (sameSpan(answer, exp.start, exp.end, output, got.start, got.end)) continue;
    const expected = exp.token();
    const actual = got.token();
    const why = match(expected, actual);
    if (why !== null) {
      const diff = diffAt(answer, exp.start, output, got.start);
      // A long token is quoted around where it first differs, not just its start.
      let k = 0;
      while (k < expected.length && expected.charCodeAt(k) === actual.charCodeAt(k)) k++;
      return {
        ok: false,
        message: `line ${diff.line}, column ${diff.column}: expected ${quote(expected, k + 1)}, got ${quote(actual, k + 1)}${why}`,
        diff,
      };
    }
  }
}

/** Short and readable: 3 significant digits, exponent form for very small or large magnitudes. */
function formatNumber(x: number): string {
  const m = Math.abs(x);
  if (m !== 0 && Number.isFinite(m) && (m < 1e-3 || m >= 1e6)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(3)));
}

interface Tolerance {
  absolute?: number;
  relative?: number;
}

function describeTolerance(t: Tolerance): string {
  return [
    t.absolute !== undefined && `absolute ${formatNumber(t.absolute)}`,
    t.relative !== undefined && `relative ${formatNumber(t.relative)}`,
  ]
    .filter(Boolean)
    .join(' or ');
}

/** Numeric comparison of an expected number; null when accepted, else why not. */
function matchNumber(expected: number, actual: string, t: Tolerance): string | null {
  const value = parseNumber(actual);
  if (value === undefined) return ' (expected a number)';
  const error = Math.abs(value - expected);
  if (t.absolute !== undefined && error <= t.absolute) return null;
  if (t.relative !== undefined && error <= t.relative * Math.abs(expected)) return null;
  return ` (difference ${formatNumber(error)}, allowed ${describeTolerance(t)})`;
}

function tolerance(value: number | undefined, name: string): number {
  if (value === undefined) return DEFAULT_TOLERANCE;
  if (!(value >= 0) || !Number.isFinite(value))
    throw new UsageError(`The float checker's ${name} must be a non-negative number, not ${value}.`);
  return value;
}

function floatMatcher(options: CheckerOptions): TokenMatcher {
  const t = {
    absolute: tolerance(options.absoluteTolerance, 'absoluteTolerance'),
    relative: tolerance(options.relativeTolerance, 'relativeTolerance'),
  };
  return (expected, actual) => {
    const e = parseNumber(expected);
    return e === undefined ? '' : matchNumber(e, actual, t);
  };
}

// ---- kattis-default ----------------------------------------------------------------------------

export interface ValidatorFlags {
  caseSensitive: boolean;
  spaceChangeSensitive: boolean;
  absoluteTolerance?: number;
  relativeTolerance?: number;
}

const TOLERANCE_FLAGS = ['float_tolerance', 'float_absolute_tolerance', 'float_relative_tolerance'];

/** Parses validator_flags; a flag may also be a whole "a b c" string as problem.yaml writes them. */
export function parseValidatorFlags(flags: readonly string[] = []): ValidatorFlags {
  const words = flags.flatMap((f) => f.split(/\s+/)).filter((w) => w !== '');
  const parsed: ValidatorFlags = { caseSensitive: false, spaceChangeSensitive: false };
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const flag = words[i]!;
    if (flag === 'case_sensitive') parsed.caseSensitive = true;
    else if (flag === 'space_change_sensitive') parsed.spaceChangeSensitive = true;
    else if (TOLERANCE_FLAGS.includes(flag)) {
      const other = TOLERANCE_FLAGS.find((f) => seen.has(f) && (f === flag || f === 'float_tolerance' || flag === 'float_tolerance'));
      if (other)
        throw new UsageError(
          `Validator flag "${flag}" conflicts with "${other}" given before: set each tolerance once, and float_tolerance only on its own.`,
        );
      seen.add(flag);
      const value = parseNumber(words[i + 1] ?? '');
      if (value === undefined || value < 0 || !Number.isFinite(value))
        throw new UsageError(
          `Validator flag "${flag}" needs a non-negative number after it, got ${words[i + 1] === undefined ? 'nothing' : `"${words[i + 1]}"`}.`,
        );
      i++;
      if (flag !== 'float_relative_tolerance') parsed.absoluteTolerance = value;
      if (flag !== 'float_absolute_tolerance') parsed.relativeTolerance = value;
    } else
      throw new UsageError(
        `Unknown validator flag "${flag}". The default output validator knows: case_sensitive, space_change_sensitive, ${TOLERANCE_FLAGS.map((f) => `${f} ε`).join(', ')}.`,
      );
  }
  return parsed;
}

function equalIgnoringAsciiCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

function kattisMatcher(flags: ValidatorFlags): TokenMatcher {
  const t: Tolerance = { absolute: flags.absoluteTolerance, relative: flags.relativeTolerance };
  const useFloats = t.absolute !== undefined || t.relative !== undefined;
  return (expected, actual) => {
    const e = useFloats ? parseNumber(expected) : undefined;
    if (e !== undefined) return matchNumber(e, actual, t);
    if (flags.caseSensitive) return '';
    return equalIgnoringAsciiCase(expected, actual) ? null : '';
  };
}

// ---- entry point -------------------------------------------------------------------------------

/**
 * Judges one output against its answer with a built-in checker, on bytes (a string is taken as
 * its UTF-8 bytes). Throws UsageError on bad options.
 */
export function check(
  checker: BuiltinChecker,
  outputData: Uint8Array | string,
  answerData: Uint8Array | string,
  options: CheckerOptions = {},
): CheckOutcome {
  const output = byteString(outputData);
  const answer = byteString(answerData);
  switch (checker) {
    case 'exact':
      return checkExact(output, answer);
    case 'lines':
      return checkLines(output, answer);
    case 'tokens':
      return compareTokens(output, answer, () => '', false);
    case 'float':
      return compareTokens(output, answer, floatMatcher(options), false);
    case 'kattis-default': {
      const flags = parseValidatorFlags(options.validatorFlags);
      return compareTokens(output, answer, kattisMatcher(flags), flags.spaceChangeSensitive);
    }
  }
}
