// What to judge: a submission, its tests and how their outputs are checked. Plain types (the judge
// validates a request's spec part with spec.ts); the result is JudgeResult in results.ts.
import type { LimitsInput, SourceFile } from './spec';

/** Test data: a file on disk (read when needed) or text already in memory (imports, requests). */
export type TestData = { path: string } | { text: string };

export interface TestCase {
  /** Unique, human-readable name: "1", "sample/1", "secret/group1/03-max". */
  name: string;
  input: TestData;
  answer: TestData;
  /** Group path inside a problem package (e.g. ["secret", "group1"]); [] for plain folders and imports. */
  group: string[];
}

export interface JudgeTest extends TestCase {
  /** Extra output-validator flags for this test (problem packages). */
  validatorFlags?: string[];
}

export const BUILTIN_CHECKERS = ['exact', 'lines', 'tokens', 'float', 'kattis-default'] as const;
export type BuiltinChecker = (typeof BUILTIN_CHECKERS)[number];

export interface CheckerOptions {
  /** float: accepted when |a-b| <= absolute or |a-b| <= relative * |expected|. */
  absoluteTolerance?: number;
  relativeTolerance?: number;
  /** Kattis default validator flags, e.g. ["case_sensitive", "float_tolerance", "1e-6"]. */
  validatorFlags?: string[];
}

/** How outputs are checked. */
export type CheckerSpec =
  | { kind: 'builtin'; name: BuiltinChecker; options?: CheckerOptions }
  /** A program: Kattis output validator (`v input answer feedback_dir [flags] < output`, 42/43) or testlib (`c input output answer`, 0/1/2/3). */
  | { kind: 'program'; protocol: 'kattis' | 'testlib'; language: string; files: SourceFile[] };

/** A scored group of a scoring problem, with its tests and sub-groups. */
export interface ScoreGroup {
  name: string;
  maxScore: number;
  aggregation: 'sum' | 'min' | 'pass-fail';
  /** Names of the tests directly in the group. */
  tests: string[];
  groups: ScoreGroup[];
}

export interface JudgeRequest {
  language: string;
  files: SourceFile[];
  tests: JudgeTest[];
  checker: CheckerSpec;
  /** Interactive problems: the interactor (Kattis protocol), compiled to a static binary (C or C++). */
  interactor?: { language: string; files: SourceFile[] };
  limits?: LimitsInput;
  stopOnFailure?: boolean;
  /** Scoring problems: the scored groups; the result then carries the score. */
  scoring?: ScoreGroup[];
  /** Answer an identical earlier judge (same code, tests, checker, limits, image) from the result cache. */
  cacheResults?: boolean;
}
