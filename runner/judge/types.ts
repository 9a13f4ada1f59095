// Types shared by the judge's parts: test cases, checker outcomes, problem packages.
import type { Status } from '../spec';

/** Test data: a file on disk (read when needed) or text already in memory (imports). */
export type TestData = { path: string } | { text: string };

export interface TestCase {
  /** Unique, human-readable name: "1", "sample/1", "secret/group1/03-max". */
  name: string;
  input: TestData;
  answer: TestData;
  /** Group path inside a problem package (e.g. ["secret", "group1"]); [] for plain folders and imports. */
  group: string[];
}

/** Where checking a test's output went wrong, for the first failing test. */
export interface Diff {
  /** 1-based line and column of the first difference in the program's output; the column counts bytes. */
  line: number;
  column: number;
  /** Excerpts of the two lines there, for display (display.ts: controls and non-UTF-8 bytes escaped). */
  expected: string;
  actual: string;
}

export type CheckOutcome = { ok: true; message?: string } | { ok: false; message: string; diff?: Diff };

export const BUILTIN_CHECKERS = ['exact', 'lines', 'tokens', 'float', 'kattis-default'] as const;
export type BuiltinChecker = (typeof BUILTIN_CHECKERS)[number];

export interface CheckerOptions {
  /** float: accepted when |a-b| <= absolute or |a-b| <= relative * |expected|. */
  absoluteTolerance?: number;
  relativeTolerance?: number;
  /** Kattis default validator flags, e.g. ["case_sensitive", "float_tolerance", "1e-6"]. */
  validatorFlags?: string[];
}

/** Per-test result the judge reports (streamed as each test ends). */
export interface TestResult {
  name: string;
  status: Status;
  timeMs: number;
  memoryKb: number;
  /** For the first failing test: the difference, or the validator's feedback. */
  diff?: Diff;
  message?: string;
  /** Scoring problems: the test's score. */
  score?: number;
  /**
   * First failure only, capped, for display (an editor's diff view): the expected answer, the
   * program's output, its stderr, as displayText shows them (non-UTF-8 bytes as "\xNN", so
   * outputs that differ in bytes look different). Not exact data: checkers compare the bytes.
   */
  expected?: string;
  actual?: string;
  stderr?: string;
}
