// What a run or a judge produced: the result types every part shares (the runner fills them; the CLI,
// the language server, the extension and the classroom service show or send them). Zod schemas, so
// the service can validate and document its answers; editors import only the types (erased at
// build), so a language server speaks of results without loading zod.
import { z } from 'zod';

export const STATUSES = [
  'Accepted',
  'Wrong Answer',
  'Compile Error',
  'Runtime Error',
  'Time Limit Exceeded',
  'Memory Limit Exceeded',
  'Output Limit Exceeded',
  'Internal Error',
] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

export const CompileResult = z.object({
  status: z.enum(['OK', 'Compile Error', 'Internal Error']),
  /** The compiler's output, as text. */
  output: z.string(),
  timeMs: z.number(),
  /** The artifacts came from the compile cache (timeMs is the original compile's). */
  cached: z.boolean().optional(),
});
export type CompileResult = z.infer<typeof CompileResult>;

export const RunResult = z.object({
  status: Status,
  exitCode: z.number().int().nullable(),
  /** Name of the signal that ended the program, e.g. "SIGSEGV". */
  signal: z.string().nullable(),
  /**
   * The program's output as text (UTF-8; a byte that is not UTF-8 reads as U+FFFD). When the output
   * is not valid UTF-8, its exact bytes are in stdoutBase64 / stderrBase64 too (only then).
   */
  stdout: z.string(),
  stderr: z.string(),
  stdoutBase64: z.string().optional(),
  stderrBase64: z.string().optional(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  /** CPU time (user + sys) of every process of the submission: the program, its threads and its children, reaped or not. */
  timeMs: z.number(),
  wallMs: z.number(),
  /**
   * Peak memory of the submission: the larger of its metered peak (anonymous + shared memory of all
   * its processes, tmpfs files, SysV segments, memfds) and the largest single-process peak RSS.
   * Measured for killed runs too. See docs/design.md, "What counts as memory".
   */
  memoryKb: z.number(),
  compile: CompileResult.optional(),
  /** Why, in words, for everything but a plain Accepted. */
  message: z.string().optional(),
  /** Answered from the result cache (the spec asked for it). */
  cached: z.boolean().optional(),
  runId: z.string(),
});
export type RunResult = z.infer<typeof RunResult>;

/** Where checking a test's output went wrong, for the first failing test. */
export const Diff = z.object({
  /** 1-based line and column of the first difference in the program's output; the column counts bytes. */
  line: z.number().int(),
  column: z.number().int(),
  /** Excerpts of the two lines there, for display (display.ts: controls and non-UTF-8 bytes escaped). */
  expected: z.string(),
  actual: z.string(),
});
export type Diff = z.infer<typeof Diff>;

/** Per-test result the judge reports (streamed as each test ends). */
export const TestResult = z.object({
  name: z.string(),
  status: Status,
  timeMs: z.number(),
  memoryKb: z.number(),
  /** For the first failing test: the difference, or the validator's feedback. */
  diff: Diff.optional(),
  message: z.string().optional(),
  /** Scoring problems: the test's score. */
  score: z.number().optional(),
  /**
   * First failure only, capped, for display (an editor's diff view): the expected answer, the
   * program's output, its stderr, as displayText shows them (non-UTF-8 bytes as "\xNN", so
   * outputs that differ in bytes look different). Not exact data: checkers compare the bytes.
   */
  expected: z.string().optional(),
  actual: z.string().optional(),
  stderr: z.string().optional(),
});
export type TestResult = z.infer<typeof TestResult>;

export const GroupScore = z.object({ name: z.string(), score: z.number(), maxScore: z.number() });
export type GroupScore = z.infer<typeof GroupScore>;

export const ScoreReport = z.object({
  score: z.number(),
  maxScore: z.number(),
  /** Every scored group, outermost first. */
  groups: z.array(GroupScore),
  /** Set when a lower score is better (a package's `objective: min`). */
  objective: z.enum(['min', 'max']).optional(),
});
export type ScoreReport = z.infer<typeof ScoreReport>;

export const JudgeResult = z.object({
  status: Status,
  compile: CompileResult.optional(),
  tests: z.array(TestResult),
  message: z.string().optional(),
  /** Capped interaction of the first failing test of an interactive problem. */
  transcript: z.string().optional(),
  /** Scoring problems: total and per-group scores. */
  score: ScoreReport.optional(),
  /**
   * Problem packages: the test groups that ran, in order ("sample", "secret", "secret/group1"): a
   * samples-only package ran only "sample"; a group stopped by on_reject or require_pass is missing.
   */
  groups: z.array(z.string()).optional(),
  /** Answered from the result cache (the request asked for it). */
  cached: z.boolean().optional(),
  runId: z.string(),
});
export type JudgeResult = z.infer<typeof JudgeResult>;
