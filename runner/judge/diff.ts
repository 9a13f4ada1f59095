// Where a program's output first differs from the answer: a 1-based position in the output plus
// short excerpts of the two lines there, so a UI can say "line 3, column 5: expected X, got Y".
//
// Texts here are byte strings (see checkers.ts: one char per byte), so lines, columns and
// comparisons are of bytes: column 3 is the third byte of the line. Only the excerpts are text, made
// for display with displayText (UTF-8 where it is, "\xNN" for other bytes, controls escaped).
import { displayText, utf8Boundary } from '../../protocol/display';
import type { Diff } from './types';

/** Stands in for a line that does not exist because the text ended before it. */
export const END_OF_OUTPUT = '<end of output>';

/** Excerpts longer than this are cut around the column, so one huge line cannot flood a UI. */
const EXCERPT_WIDTH = 80;
const ELLIPSIS = '…';

/** Decides whether two lines count as equal (e.g. ignoring trailing spaces). */
export type LineComparison = (expectedLine: string, actualLine: string) => boolean;

/** The first pair of lines that differ; a line is undefined when its text ended before it. */
export interface LineDifference {
  line: number;
  column: number;
  expectedLine?: string;
  actualLine?: string;
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

function firstDifferentColumn(expected: string, actual: string): number {
  const n = Math.min(expected.length, actual.length);
  let i = 0;
  while (i < n && expected.charCodeAt(i) === actual.charCodeAt(i)) i++;
  return i + 1;
}

/**
 * Walks both texts line by line. A final "\n" ends the last line instead of starting an empty one,
 * so "1\n" and "1" have the same lines: byte-level differences are the exact checker's business.
 */
export function firstDifferentLine(
  expected: string,
  actual: string,
  compare: LineComparison = (a, b) => a === b,
): LineDifference | undefined {
  let e = 0;
  let a = 0;
  for (let line = 1; ; line++) {
    const eDone = e >= expected.length;
    const aDone = a >= actual.length;
    if (eDone && aDone) return undefined;
    const eEnd = lineEnd(expected, e);
    const aEnd = lineEnd(actual, a);
    const expectedLine = eDone ? undefined : expected.slice(e, eEnd);
    const actualLine = aDone ? undefined : actual.slice(a, aEnd);
    if (expectedLine === undefined || actualLine === undefined) return { line, column: 1, expectedLine, actualLine };
    if (!compare(expectedLine, actualLine))
      return { line, column: firstDifferentColumn(expectedLine, actualLine), expectedLine, actualLine };
    e = eEnd + 1;
    a = aEnd + 1;
  }
}

/** A byte string (one char per byte) as the bytes it stands for. */
export const bytesOf = (s: string): Buffer => Buffer.from(s, 'latin1');

/**
 * At most `width` bytes of a line (a byte string), centred on the (1-based) byte column, cut
 * between UTF-8 characters, with ellipses where cut; shown on one line with displayText.
 */
export function excerpt(line: string, column: number, width = EXCERPT_WIDTH): string {
  const bytes = bytesOf(line);
  if (bytes.length <= width) return displayText(bytes, { oneLine: true });
  const start = utf8Boundary(bytes, Math.max(0, Math.min(column - 1 - Math.floor(width / 2), bytes.length - width)));
  const end = utf8Boundary(bytes, start + width);
  return (start > 0 ? ELLIPSIS : '') + displayText(bytes.subarray(start, end), { oneLine: true }) + (end < bytes.length ? ELLIPSIS : '');
}

/** A Diff from the first different pair of lines. */
export function lineDiff(d: LineDifference): Diff {
  return {
    line: d.line,
    column: d.column,
    expected: d.expectedLine === undefined ? END_OF_OUTPUT : excerpt(d.expectedLine, d.column),
    actual: d.actualLine === undefined ? END_OF_OUTPUT : excerpt(d.actualLine, d.column),
  };
}

/** The first line where the texts differ (per `compare`), or undefined when every line matches. */
export function firstDifference(expected: string, actual: string, compare?: LineComparison): Diff | undefined {
  const d = firstDifferentLine(expected, actual, compare);
  return d && lineDiff(d);
}

/** 1-based line and (byte) column of a byte offset; the offset may be text.length (end of text). */
export function positionOf(text: string, offset: number): { line: number; column: number; lineStart: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1, lineStart };
}

function excerptAt(text: string, offset: number): { line: number; column: number; excerpt: string } {
  const { line, column, lineStart } = positionOf(text, offset);
  // At the very end, after a final newline (or in an empty text), there is no line to show.
  if (lineStart >= text.length) return { line, column, excerpt: END_OF_OUTPUT };
  return { line, column, excerpt: excerpt(text.slice(lineStart, lineEnd(text, lineStart)), column) };
}

/**
 * A Diff when the checker already knows where the texts part: byte offsets into each
 * (e.g. the starts of the first differing tokens). The position is the output's; each excerpt is
 * centred on its own offset, since token checkers let the two sides be laid out differently.
 */
export function diffAt(expected: string, expectedOffset: number, actual: string, actualOffset: number): Diff {
  const got = excerptAt(actual, actualOffset);
  return { line: got.line, column: got.column, expected: excerptAt(expected, expectedOffset).excerpt, actual: got.excerpt };
}
