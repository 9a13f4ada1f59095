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
  /** Command-line arguments for the submission on this test (problem packages' `args`). */
  args?: string[];
  /**
   * The rules of the problem package the test comes from (one object shared by all its tests):
   * they travel with the tests because every caller that judges a package passes its tests on.
   */
  problem?: ProblemRules;
}

/** How a problem package wants its submissions judged, beyond tests, checker and scores. */
export interface ProblemRules {
  /** include/: files added to every submission, by language id ("cpp", "python3") or "default". */
  include?: Record<string, SourceFile[]>;
  /** Multi-pass problems: the most passes a test may take (limits.validation_passes, at least 2). */
  passes?: number;
  /**
   * Every test group by name ("" for data/, "sample", "secret/group1"): whether judging of the group
   * stops at its first rejected test (on_reject), and the groups whose tests must all be accepted
   * before it runs at all (require_pass).
   */
  groups?: Record<string, { onReject: 'break' | 'continue'; requirePass?: string[]; grader?: GraderRule }>;
  /** Scoring problems whose score is minimised (legacy and 2023-07-draft `objective: min`). */
  objective?: 'min' | 'max';
  /** problem.yaml `languages`: the language ids submissions may use; undefined when all may. */
  languages?: string[];
  /** limits.code: the largest submission, in KiB (its own files, before include/). */
  codeKb?: number;
  /** limits.output: the most a submission may write, in MiB (when the request sets no output limit). */
  outputMb?: number;
}

/**
 * Legacy and 2023-07-draft default grader (problemtools): how a group's verdict comes from its tests'
 * and sub-groups' verdicts (grader_flags worst_error — the default —, first_error, always_accept,
 * accept_if_any_accepted), and at data/ whether the samples count (ignore_sample).
 */
export interface GraderRule {
  verdict: 'worst_error' | 'first_error' | 'always_accept';
  acceptIfAnyAccepted?: boolean;
  ignoreSample?: boolean;
}

/**
 * A validator's or interactor's program. With `build`, the files (paths relative to the program's
 * folder, "/"-separated) hold a `build` and/or `run` script, DOMjudge style: build is run once,
 * then `run` is the program; `language` is then the image to build in.
 */
export interface ProgramSource {
  language: string;
  files: SourceFile[];
  build?: boolean;
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
  | ({ kind: 'program'; protocol: 'kattis' | 'testlib' } & ProgramSource);

/** A scored group of a scoring problem, with its tests and sub-groups. */
export interface ScoreGroup {
  name: string;
  maxScore: number;
  aggregation: 'sum' | 'min' | 'pass-fail';
  /** Names of the tests directly in the group. */
  tests: string[];
  groups: ScoreGroup[];
  /**
   * Legacy and 2023-07-draft default grader: the score of an accepted / rejected test; the group's
   * score is then the sum (or min) of its tests' and sub-groups' scores, as problemtools counts.
   */
  acceptScore?: number;
  rejectScore?: number;
}

export interface JudgeRequest {
  language: string;
  files: SourceFile[];
  tests: JudgeTest[];
  checker: CheckerSpec;
  /** Interactive problems: the interactor (Kattis protocol), in any language (or built with build/run scripts). */
  interactor?: ProgramSource;
  limits?: LimitsInput;
  /** Extra compiler flags for the submission (not its validator's or interactor's), checked as a run's are. */
  compileFlags?: string[];
  stopOnFailure?: boolean;
  /** Scoring problems: the scored groups; the result then carries the score. */
  scoring?: ScoreGroup[];
  /** Answer an identical earlier judge (same code, tests, checker, limits, image) from the result cache. */
  cacheResults?: boolean;
}
