// The typed model of a loaded ICPC/Kattis problem package: what the judge needs to run and grade
// submissions, independent of which version of the package format the files were written in.
import type { TestCase } from '../types';

export type FormatVersion = 'legacy' | '2023-07-draft' | '2025-09';

/** problem.yaml constants: name → variant ("value", "tex"...) → text. */
export type Constants = Record<string, Record<string, string>>;

export interface TestGroupSettings {
  /**
   * Arguments for the output validator (default or custom) on this group's tests. Legacy:
   * problem.yaml validator_flags followed by testdata.yaml output_validator_flags; 2025-09:
   * output_validator_args from the nearest test_group.yaml (or the test's own <case>.yaml).
   */
  outputValidatorFlags: string[];
  /** Scoring problems: the group's maximum score; undefined when unbounded or not scoring. */
  score?: number;
  /**
   * Scoring problems: how test and subgroup scores combine. "pass-fail" (2025-09): the group
   * earns `score` only when every test in it is accepted. Undefined for pass-fail problems and
   * for samples, which never count towards the score.
   */
  aggregation?: 'sum' | 'min' | 'pass-fail';
  /** Whether judging of this group stops at the first rejected test ("break") or goes on. */
  onReject: 'break' | 'continue';
  /** Legacy default grader (also read for 2023-07-draft): score of an accepted / rejected test. */
  acceptScore?: number;
  rejectScore?: number;
  /** Legacy: the group's score range, [min, max]; infinite bounds allowed. */
  range?: [number, number];
  /** Legacy: default grader flags as written (first_error, ignore_sample, accept_if_any_accepted...). */
  graderFlags?: string[];
  /** 2025-09: groups (or "sample") whose tests must all be accepted before this group is scored. */
  requirePass?: string[];
  /** Command-line arguments for the submission (`args`: testdata.yaml, test_group.yaml, <case>.yaml). */
  args?: string[];
}

/** A test case of a package, with the settings that apply to it. */
export interface ProblemTest extends TestCase {
  input: { path: string };
  answer: { path: string };
  settings: TestGroupSettings;
}

export interface TestGroup {
  /** The group's name: its path under data/ joined with "/" ("secret/group1"); "" for data/ itself. */
  name: string;
  path: string[];
  settings: TestGroupSettings;
  /** In natural order of name. */
  tests: ProblemTest[];
  /** In natural order of name. */
  groups: TestGroup[];
}

export interface OutputValidatorSource {
  /** Absolute path of the validator program's folder. */
  dir: string;
  /** Its files, relative to `dir` ("validate.cc", "lib/util.h"), sorted. */
  files: string[];
  /** The folder has `build` and/or `run` scripts (DOMjudge style): build once, then `run` is the program. */
  scripts?: boolean;
}

/** include/<language>/ or include/default/: files added to every submission of that language. */
export interface IncludedFiles {
  /** Absolute path of the folder. */
  dir: string;
  /** Its files, relative to `dir`, sorted. */
  files: string[];
}

export interface ProblemPackage {
  /** Absolute path of the package folder, symlinks resolved. */
  root: string;
  shortName: string;
  /** The English name when there is one, else the first given. */
  name?: string;
  formatVersion: FormatVersion;
  /**
   * Interactive: the custom output validator is the interactor. The submission reads only what the
   * interactor writes; the test's .in and .ans go to the interactor as its first two arguments.
   */
  interactive: boolean;
  scoring: boolean;
  /** Seconds → ms. From problem.yaml (limits.time_limit in 2023-07/2025-09) or a `.timelimit` file; undefined when the package sets none. */
  timeLimitMs?: number;
  memoryMb?: number;
  outputMb?: number;
  /** limits.code: the largest submission accepted, in KiB. */
  codeKb?: number;
  /** Whether submissions may create and change files in their working folder (2023-07 and later). */
  allowFileWriting: boolean;
  /** Language codes submissions are restricted to; undefined when all are allowed. */
  languages?: string[];
  /** "default" uses the built-in default validator (with flags); "custom" uses outputValidator. */
  validation: 'default' | 'custom';
  /** Sources of the custom output validator / interactor: its folder (output_validators/<name>/ or output_validator/) and its files. */
  outputValidator?: OutputValidatorSource;
  /** data/sample and data/secret (and deeper groups), in judging order (sample first, natural sort within). */
  data: TestGroup;
  /** include/: by language code ("cpp", "python3") or "default". */
  include?: Record<string, IncludedFiles>;
  /** Multi-pass problems: the most passes a test may take (limits.validation_passes). */
  passes?: number;
  /** Scoring problems: whether the score is maximised or minimised (legacy and 2023-07-draft `objective`). */
  objective: 'max' | 'min';
  /** problem.yaml constants, substituted into test_group.yaml, validators and included files. */
  constants: Constants;
  /**
   * Verdict's extension `verdict.standards` (docs/judging.md): a language family's id → the standard
   * its submissions compile with (`cpp: c++20`), unless the run chooses one (protocol/standards.ts).
   */
  standards: Record<string, string>;
}
