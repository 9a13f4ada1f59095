// The Verdict language-server protocol: command names, custom notifications and requests, and the
// settings schema. One module, imported by the server and by the VS Code client (and readable by
// any other editor's integration), so both sides agree by construction.
import { z } from 'zod';
import type { RunResult } from '../runner/spec';
import type { JudgeResult } from '../runner/judge/judge';
import type { TestResult } from '../runner/judge/types';

/** workspace/executeCommand names the server registers. */
export const Commands = {
  /** args: [uri: string] → RunResult */
  run: 'verdict.run',
  /** args: [uri: string] → JudgeResult */
  judge: 'verdict.judge',
  /** args: [uri?: string] — cancels the run or judge of that file (or every one) and kills its sandbox. */
  stop: 'verdict.stop',
  /** args: [uri: string, input: string, answer: string] → { name: string, dir: string } */
  addTest: 'verdict.addTest',
} as const;

/** Server → client: program output as it arrives (VS Code shows it in the output channel). */
export const OutputNotification = 'verdict/output';
export interface OutputParams {
  uri: string;
  runId: string;
  stream: 'stdout' | 'stderr' | 'info';
  /** Display text (runner/display.ts): the program's control sequences and non-UTF-8 bytes are escaped. */
  text: string;
}

/** Server → client: a run or judge finished. */
export const ResultNotification = 'verdict/result';
export type ResultParams = { uri: string; kind: 'run'; result: RunResult } | { uri: string; kind: 'judge'; result: JudgeResult };

/** Server → client: one test of a judge finished (Test Explorer updates as tests end). */
export const TestResultNotification = 'verdict/testResult';
export interface TestResultParams {
  uri: string;
  runId: string;
  index: number;
  total: number;
  test: TestResult;
  /** For a failure: the expected answer and the program's output, for VS Code's diff view. */
  expected?: string;
  actual?: string;
}

/** Server → client: runner mode and health, and the last verdict (the status bar). */
export const StatusNotification = 'verdict/status';
export interface StatusParams {
  runner: 'local' | 'remote';
  healthy: boolean;
  message: string;
  lastVerdict?: string;
}

/** Client → server: the tests the judge would use for a file (Test Explorer discovery). */
export const TestsRequest = 'verdict/tests';
export interface TestsParams {
  uri: string;
}
export interface TestsResult {
  /** Where the tests come from (a folder, a problem package, a cph file), or undefined when none. */
  source?: string;
  /** Input and answer are for display: their first 64 KiB, controls and non-UTF-8 bytes escaped. */
  tests: Array<{ name: string; input: string; answer: string }>;
}

/** The `verdict` settings section (workspace/configuration), with defaults in one place. */
export const VerdictSettings = z.object({
  runner: z
    .object({
      mode: z.enum(['local', 'remote']).default('local'),
      /** Remote: the classroom service's URL and the user's token. */
      url: z.string().default(''),
      token: z.string().default(''),
    })
    .default({ mode: 'local', url: '', token: '' }),
  limits: z
    .object({
      timeMs: z.number().int().positive().max(60_000).default(2000),
      memoryMb: z.number().int().positive().max(4096).default(256),
    })
    .default({ timeMs: 2000, memoryMb: 256 }),
  tests: z
    .object({
      /** A folder for a source's tests, with {dir} and {name} (file name without extension); empty = the default convention. */
      folder: z.string().default(''),
      checker: z.enum(['exact', 'lines', 'tokens', 'float']).default('lines'),
    })
    .default({ folder: '', checker: 'lines' }),
  /** Per-language overrides, by language id. */
  languages: z.record(z.string(), z.object({ timeMs: z.number().int().positive().max(60_000).optional(), memoryMb: z.number().int().positive().max(4096).optional() })).default({}),
});
export type VerdictSettings = z.infer<typeof VerdictSettings>;
