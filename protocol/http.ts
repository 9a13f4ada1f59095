// The classroom service's HTTP API (`verdict serve`): what a request may say and what an answer
// says, as zod schemas. The service validates every request with them and publishes them as its
// OpenAPI document (/openapi.json); the CLI's and the language server's remote modes send and read
// the same shapes. Results are results.ts's; a hidden test's data never appears in any of them.
import { z } from 'zod';
import { JudgeResult, RunResult, TestResult } from './results';
import { CompileFlags, Limits, SourceFile, MAX_STDIN_BYTES, MiB } from './spec';

/** Test data inline in a request: text, or any bytes as base64. */
export const InlineTest = z
  .object({
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^/\\\0]+$/, 'a plain test name, without / \\ or NUL'),
    input: z.string().optional(),
    inputBase64: z.base64().optional(),
    answer: z.string().optional(),
    answerBase64: z.base64().optional(),
  })
  .strict()
  .refine((t) => (t.input === undefined) !== (t.inputBase64 === undefined), 'give input or inputBase64 (one of them)')
  .refine((t) => (t.answer === undefined) !== (t.answerBase64 === undefined), 'give answer or answerBase64 (one of them)');
export type InlineTest = z.infer<typeof InlineTest>;

export const BuiltinCheckerName = z.enum(['exact', 'lines', 'tokens', 'float', 'kattis-default']);

/** A run: the execution spec (language, files, stdin or stdinBase64, args, compileFlags, limits). */
export const RunRequest = z
  .object({
    kind: z.literal('run'),
    language: z.string().min(1).max(40),
    files: z.array(SourceFile).min(1).max(64),
    stdin: z.string().optional(),
    stdinBase64: z.base64().optional(),
    args: z.array(z.string().max(4096)).max(64).optional(),
    /** Extra compiler flags, checked against the language's rules (a refused one is a 400 that names it). */
    compileFlags: CompileFlags.optional(),
    limits: Limits.optional(),
    /** An http(s) URL called with the run's record when it ends (signed; docs/service.md, "Webhooks"). */
    webhook: z.string().max(2048).optional(),
  })
  .strict()
  .refine((r) => r.stdin === undefined || r.stdinBase64 === undefined, 'give stdin or stdinBase64, not both')
  .refine((r) => Buffer.byteLength(r.stdin ?? '') <= MAX_STDIN_BYTES && (r.stdinBase64?.length ?? 0) <= (MAX_STDIN_BYTES / 3) * 4 + 4, {
    message: `stdin at most ${MAX_STDIN_BYTES / MiB} MiB`,
  });
export type RunRequest = z.infer<typeof RunRequest>;

/** A judge: against inline tests, or a problem stored on the server (its tests, limits, validator). */
export const JudgeRequestBody = z
  .object({
    kind: z.literal('judge'),
    language: z.string().min(1).max(40),
    files: z.array(SourceFile).min(1).max(64),
    tests: z.array(InlineTest).min(1).max(1000).optional(),
    problem: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a problem id: lower-case letters, digits, - and _')
      .optional(),
    checker: BuiltinCheckerName.optional(),
    /**
     * The standard the run chose for the language's family (c++17, c++20, c++23; the CLI's --std): it wins
     * over a stored problem's own (problem.yaml `verdict.standards`). Without it, a variant's id (cpp20)
     * chooses; the family's (cpp) takes the problem's standard, else the default.
     */
    standard: z.string().min(1).max(20).optional(),
    limits: Limits.optional(),
    /** Extra compiler flags for the submission, as a run's. */
    compileFlags: CompileFlags.optional(),
    stopOnFailure: z.boolean().optional(),
    /** An http(s) URL called with the run's record when it ends (signed; docs/service.md, "Webhooks"). */
    webhook: z.string().max(2048).optional(),
  })
  .strict()
  .refine((r) => (r.tests === undefined) !== (r.problem === undefined), 'give tests or problem (one of them)');
export type JudgeRequestBody = z.infer<typeof JudgeRequestBody>;

export const SubmitRequest = z.union([RunRequest, JudgeRequestBody]);
export type SubmitRequest = z.infer<typeof SubmitRequest>;

export const RunState = z.enum(['queued', 'running', 'done', 'cancelled']);
export type RunState = z.infer<typeof RunState>;

/** POST /v1/runs → 202 (or 200 with ?wait=true when it ended in time). */
export const Accepted = z.object({ id: z.string(), state: RunState, position: z.number().int().optional() });
export type Accepted = z.infer<typeof Accepted>;

/** A run's webhook: where its result goes when it ends, and each attempt to deliver it. */
export const WebhookInfo = z.object({
  url: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.string(),
      ms: z.number(),
      /** The receiver's HTTP status; absent when it could not be reached. */
      status: z.number().int().optional(),
      error: z.string().optional(),
    }),
  ),
});
export type WebhookInfo = z.infer<typeof WebhookInfo>;

/** GET /v1/runs/:id: a run as the service keeps it. For a problem's hidden tests, status, time and memory only. */
export const RunRecord = z.object({
  id: z.string(),
  kind: z.enum(['run', 'judge']),
  state: RunState,
  /** Place in the queue (1 = next), while queued. */
  position: z.number().int().optional(),
  language: z.string(),
  problem: z.string().optional(),
  /** Who submitted it (the token's name) and their class. */
  user: z.string(),
  class: z.string(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  result: z.union([RunResult, JudgeResult]).optional(),
  webhook: WebhookInfo.optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/**
 * Server-Sent Events of a run, in order; each has an id (its sequence number) for Last-Event-ID —
 * except a waiting run's new place in the queue: `queued` again, sent live when it changes (at most
 * once a second), with no id and not replayed (the run's record has the current place).
 */
export const RunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queued'), position: z.number().int() }),
  z.object({ type: z.literal('started') }),
  z.object({ type: z.literal('compiled'), status: z.string() }),
  z.object({ type: z.literal('output'), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  z.object({ type: z.literal('test'), index: z.number().int(), total: z.number().int(), test: TestResult }),
  z.object({ type: z.literal('done'), record: RunRecord }),
]);
export type RunEvent = z.infer<typeof RunEvent>;

/** Any 4xx/5xx answer: what went wrong, in words, and for 429 which limit and when to retry. */
export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  limit: z.string().optional(),
  retryAfterSeconds: z.number().optional(),
  requestId: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Role = z.enum(['admin', 'teacher', 'student']);
export type Role = z.infer<typeof Role>;

/** A class's limits, set by its teacher; each is per token unless it says class. */
export const ClassLimits = z
  .object({
    requestsPerMinute: z.number().int().positive().max(100_000),
    concurrentRuns: z.number().int().positive().max(1000),
    cpuSecondsPerDay: z.number().positive().max(1e7),
    classConcurrentRuns: z.number().int().positive().max(10_000),
  })
  .strict();
export type ClassLimits = z.infer<typeof ClassLimits>;

/** Until a teacher says otherwise: a burst of ten runs per student is queued, not refused. */
export const DEFAULT_CLASS_LIMITS: ClassLimits = {
  requestsPerMinute: 120,
  concurrentRuns: 10,
  cpuSecondsPerDay: 3600,
  classConcurrentRuns: 64,
};

export const LanguageInfo = z.object({ id: z.string(), name: z.string(), version: z.string(), extensions: z.array(z.string()) });
export type LanguageInfo = z.infer<typeof LanguageInfo>;

/** A problem as students see it: its limits and sample tests; hidden tests only counted. */
export const ProblemInfo = z.object({
  id: z.string(),
  name: z.string(),
  timeLimitMs: z.number().optional(),
  memoryLimitMb: z.number().optional(),
  samples: z.array(z.object({ name: z.string(), input: z.string(), answer: z.string() })),
  hiddenTests: z.number().int(),
  interactive: z.boolean(),
  scoring: z.boolean(),
  /** The standard each language family compiles with, when the package says (problem.yaml `verdict.standards`, e.g. { cpp: "c++20" }). */
  standards: z.record(z.string(), z.string()).optional(),
});
export type ProblemInfo = z.infer<typeof ProblemInfo>;

/** GET /v1/stats, per problem: finished judges by verdict, and how many students sent them and solved it. */
export const ProblemStats = z.object({
  problem: z.string(),
  name: z.string(),
  /** Finished judges against it, and how many students sent them. */
  runs: z.number().int(),
  students: z.number().int(),
  /** Students with at least one Accepted. */
  solvedBy: z.number().int(),
  /** Finished judges by verdict ("Accepted", "Wrong Answer", …, "Cancelled"). */
  verdicts: z.record(z.string(), z.number().int()),
});
export type ProblemStats = z.infer<typeof ProblemStats>;

/** A run waiting or running, as the teacher page's live queue shows it (no source, no data). */
export const QueuedRunInfo = z.object({
  id: z.string(),
  user: z.string(),
  class: z.string(),
  kind: z.enum(['run', 'judge']),
  language: z.string(),
  problem: z.string().optional(),
  state: z.enum(['queued', 'running']),
  /** Place in the server's queue (1 = next), while queued. */
  position: z.number().int().optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
});
export type QueuedRunInfo = z.infer<typeof QueuedRunInfo>;

/** GET /v1/stats: what a teacher watches during a class (counts and names only). */
export const Stats = z.object({
  /** The class these are for; absent when an admin asked for every class. */
  class: z.string().optional(),
  at: z.string(),
  problems: z.array(ProblemStats),
  /** The class's runs waiting and running, oldest first. */
  queue: z.object({ queued: z.number().int(), running: z.number().int(), runs: z.array(QueuedRunInfo) }),
  /** Everyone's, for scale: how busy the server is. */
  server: z.object({ queued: z.number().int(), running: z.number().int() }),
  /** The warm pool's containers: ready (idle) and carrying out a run (busy). */
  pool: z.object({ total: z.number().int(), idle: z.number().int(), busy: z.number().int() }),
});
export type Stats = z.infer<typeof Stats>;
