import type { Diff } from './types';
/** Stands in for a line that does not exist because the text ended before it. */
export declare const END_OF_OUTPUT = '<end of output>';
/** Decides whether two lines count as equal (e.g. ignoring trailing spaces). */
export type LineComparison = (expectedLine: string, actualLine: string) => boolean;
/** The first pair of lines that differ; a line is undefined when its text ended before it. */
export interface LineDifference {
  line: number;
  column: number;
  expectedLine?: string;
  actualLine?: string;
}
/**
 * Walks both texts line by line. A final "\n" ends the last line instead of starting an empty one,
 * so "1\n" and "1" have the same lines: byte-level differences are the exact checker's business.
 */
export declare function firstDifferentLine(expected: string, actual: string, compare?: LineComparison): LineDifference | undefined;
/** A byte string (one char per byte) as the bytes it stands for. */
export declare const bytesOf: (s: string) => Buffer;
/**
 * At most `width` bytes of a line (a byte string), centred on the (1-based) byte column, cut
 * between UTF-8 characters, with ellipses where cut; shown on one line with displayText.
 */
export declare function excerpt(line: string, column: number, width?: number): string;
/** A Diff from the first different pair of lines. */
export declare function lineDiff(d: LineDifference): Diff;
/** The first line where the texts differ (per `compare`), or undefined when every line matches. */
export declare function firstDifference(expected: string, actual: string, compare?: LineComparison): Diff | undefined;
/** 1-based line and (byte) column of a byte offset; the offset may be text.length (end of text). */
export declare function positionOf(
  text: string,
  offset: number,
): {
  line: number;
  column: number;
  lineStart: number;
};
/**
 * A Diff when the checker already knows where the texts part: byte offsets into each
 * (e.g. the starts of the first differing tokens). The position is the output's; each excerpt is
 * centred on its own offset, since token checkers let the two sides be laid out differently.
 */
export declare function diffAt(expected: string, expectedOffset: number, actual: string, actualOffset: number): Diff;
