// Verdict's extensions to the Language Server Protocol, each declared once as a typed
// RequestType / NotificationType object (as rust-analyzer's lsp_ext.ts does) and used by both sides:
// the language server registers handlers for them, the VS Code client sends and listens with the
// same objects, so a change of shape is a compile error on both sides. Any other editor reads this
// file as the specification. Depends only on the LSP's own types.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ProblemInfo } from './http';
import type { Diff, JudgeResult, RunResult, Status, TestResult } from './results';

/** workspace/executeCommand names the server registers (any LSP editor can call them). */
export const Commands = {
  /**
   * args: [uri: string, options?: { stdin?: string } | { live: true, runId: string }] → RunResult. Input:
   * options.stdin when given (the editor's custom input); live: what verdict/input sends for that run id
   * as it is typed, until its eof (the wall limit is then 180 s); else NAME.stdin next to the source, else none.
   */
  run: 'verdict.run',
  /**
   * args: [uri: string, tests?: string[]] → JudgeResult (only the named tests when given), or
   * [uri: string, { problem: string }] → JudgeResult against that problem stored on the server
   * (remote runner only; its tests, limits and checker are the server's).
   */
  judge: 'verdict.judge',
  /** args: [uri?: string] — cancels the run or judge of that file (or every one) and kills its sandbox. → { stopped: number } */
  stop: 'verdict.stop',
  /** args: [uri: string, input: string, answer: string] → { name: string, dir: string } */
  addTest: 'verdict.addTest',
} as const;

/** Server → client: program output as it arrives (VS Code shows it in the output channel). */
export interface OutputParams {
  uri: string;
  runId: string;
  stream: 'stdout' | 'stderr';
  /** Display text (protocol/display.ts): the program's control sequences and non-UTF-8 bytes are escaped. */
  text: string;
}
export const OutputNotification = new NotificationType<OutputParams>('verdict/output');

/** Client → server: bytes typed into a live run (base64), or the end of its input (Ctrl-D); the run is the one started with { live: true, runId }. */
export interface InputParams {
  runId: string;
  /** The bytes, base64. */
  data?: string;
  /** No more input: the program reads end of file once what was sent is read. */
  eof?: boolean;
}
export const InputNotification = new NotificationType<InputParams>('verdict/input');

/** Server → client: a run or judge finished (once per run: the client derives every view from it). */
export type ResultParams = { uri: string; kind: 'run'; result: RunResult } | { uri: string; kind: 'judge'; result: JudgeResult };
export const ResultNotification = new NotificationType<ResultParams>('verdict/result');

/** Server → client: one test of a judge finished (the Test Explorer updates as tests end). */
export interface TestResultParams {
  uri: string;
  runId: string;
  index: number;
  total: number;
  /** Its expected/actual (first failure only) are for VS Code's diff view. */
  test: TestResult;
}
export const TestResultNotification = new NotificationType<TestResultParams>('verdict/testResult');

/** Server → client: the runner's mode and health (the status bar). */
export interface StatusParams {
  runner: 'local' | 'remote';
  healthy: boolean;
  message: string;
}
export const StatusNotification = new NotificationType<StatusParams>('verdict/status');

/** Client → server: the tests the judge would use for a file (Test Explorer discovery): names only. */
export interface TestsParams {
  uri: string;
}
export interface TestsResult {
  /** Where the tests come from (a folder, a problem package, a cph file), or undefined when none. */
  source?: string;
  /** readOnly: the test is not a NAME.in/NAME.ans pair of the folder new tests go to (a cph file, a hidden or package group): shown, not edited. */
  tests: Array<{ name: string; readOnly?: boolean }>;
  /** The folder new tests are written to (Add Test Case, the panel). */
  dir?: string;
}
export const TestsRequest = new RequestType<TestsParams, TestsResult, void>('verdict/tests');

/** Client → server: one test's input and answer, for display (first 64 KiB each, escaped). */
export interface TestDataParams {
  uri: string;
  name: string;
}
export interface TestDataResult {
  input: string;
  answer: string;
}
export const TestDataRequest = new RequestType<TestDataParams, TestDataResult, void>('verdict/testData');

/**
 * Client → server: a problem received from Competitive Companion (its JSON as sent). The server
 * decides where the solution and its tests go (the one place that knows the tests convention),
 * writes them, and answers with what it made.
 */
export interface CompanionProblemParams {
  /** Competitive Companion's payload, parsed JSON but unchecked: the server validates it. */
  payload: unknown;
  /** The folder new problems go in (the workspace folder). */
  folder: string;
  /** The Verdict language id for the new source (its template is written when the file is new). */
  language: string;
  /** Replace tests already in the problem's tests folder (the user said so); otherwise nothing is written there. */
  replaceTests?: boolean;
}
export interface CompanionProblemResult {
  name: string;
  /** The contest or site, when Competitive Companion said. */
  group?: string;
  /** file: URI of the solution (created from the language's template, or kept as it was). */
  source: string;
  /** The tests folder, and how many tests the problem has. */
  testsDir: string;
  tests: number;
  /** False when the folder already held tests and replaceTests was not set: ask, then send again. */
  saved: boolean;
  /** The problem's limits as Competitive Companion gave them (shown; the judge uses the settings'). */
  timeLimitMs?: number;
  memoryLimitMb?: number;
  /** What to tell the user (interactive, file input/output). */
  notes: string[];
}
export const CompanionProblemRequest = new RequestType<CompanionProblemParams, CompanionProblemResult, void>('verdict/companionProblem');

/**
 * Client → server: the text a new, empty source file starts with: the user's template of its
 * language (verdict.languages.ID.template), {name} its file name without extension and the limits
 * the settings give that language; no text when no template is set (the file stays empty).
 */
export interface NewSourceTextParams {
  /** file: URI of the new file. */
  uri: string;
}
export interface NewSourceTextResult {
  text?: string;
}
export const NewSourceTextRequest = new RequestType<NewSourceTextParams, NewSourceTextResult, void>('verdict/newSourceText');

/** Client → server: the token for the remote runner (VS Code keeps it in its SecretStorage); "" = none, the `verdict.runner.token` setting then applies. */
export interface SetTokenParams {
  token: string;
}
export const SetTokenNotification = new NotificationType<SetTokenParams>('verdict/setToken');

/** Server → client: a remote run or judge waits in the server's queue (the status bar shows it). */
export interface QueueParams {
  uri: string;
  runId: string;
  /** Its place in the queue (1 = next); 0 once it no longer waits (started, ended or cancelled). */
  position: number;
}
export const QueueNotification = new NotificationType<QueueParams>('verdict/queue');

/** Client → server: the problems stored on the remote server that this token may judge against (empty for the local runner). */
export const ProblemsRequest = new RequestType0<ProblemInfo[], void>('verdict/problems');

// ---- stress testing (`verdict stress`, "Verdict: Stress Test"; docs/stress.md) -------------------------

/** Bytes as JSON carries them: the text (UTF-8), and the exact bytes in base64 when they are not valid UTF-8 (only then). */
export interface StressBytes {
  text: string;
  base64?: string;
}

/** What one program did on the failing input. */
export interface StressProgramRun {
  status: Status;
  /** Its standard output: for the reference, the answer the solution is checked against. */
  stdout: StressBytes;
  /** The first bytes of its standard error, as display text (protocol/display.ts). */
  stderr: string;
  stdoutTruncated: boolean;
  timeMs: number;
  memoryKb: number;
  message?: string;
}

/** An input on which the solution and the reference disagree. */
export interface StressCase {
  /** The generator's arguments that made it: [seed] in the rounds, [seed, size] while shrinking. */
  generatorArgs: string[];
  input: StressBytes;
  inputBytes: number;
  solution: StressProgramRun;
  reference: StressProgramRun;
  /** What differs, in words: the solution's verdict, or the checker's message. */
  message: string;
  /** The first difference between the outputs (checker), when the solution ran to the end. */
  diff?: Diff;
}

export interface StressResult {
  /** passed: no difference in `rounds` rounds; difference: `failing` holds it; cancelled: stopped by the caller. */
  status: 'passed' | 'difference' | 'cancelled';
  /** Rounds run (a failing round counts), shrinking not included. */
  rounds: number;
  /** The seed of the first round (round i gets seed + i). */
  seed: number;
  elapsedMs: number;
  roundsPerSecond: number;
  checker: string;
  /** The smallest failing case found (after shrinking). */
  failing?: StressCase;
  /** The case first found, when shrinking found a smaller one. */
  original?: StressCase;
  /** What shrinking did, in words (e.g. "size 3 (seed 17): 9 bytes instead of 4123, 23 inputs tried"). */
  shrink?: string;
}

/** Client → server: stress-test a source against a reference with a generator's inputs, with work-done progress (cancellable). */
export interface StressParams {
  /** The solution. */
  uri: string;
  reference: string;
  generator: string;
  rounds?: number;
  seed?: number;
}
export const StressRequest = new RequestType<StressParams, StressResult, void>('verdict/stress');

/** Client → server: save the failing case of a stress test as a test of the solution (STEM.in, STEM.ans = the reference's output). */
export interface AddStressTestParams {
  uri: string;
  failing: StressCase;
}
export interface AddStressTestResult {
  /** The test's name (stress-1, stress-2, …), its folder and its input file. */
  name: string;
  dir: string;
  input: string;
}
export const AddStressTestRequest = new RequestType<AddStressTestParams, AddStressTestResult, void>('verdict/addStressTest');

// ---- the test-case panel (VS Code's side bar) and setup checks -----------------------------------------

/** Client → server: writes a test's input and answer, replacing its files (a new test when `name` is absent). */
export interface SaveTestParams {
  uri: string;
  /** The test to overwrite; absent: a new test with the next free number. */
  name?: string;
  input: string;
  answer: string;
}
export interface SaveTestResult {
  name: string;
  dir: string;
}
export const SaveTestRequest = new RequestType<SaveTestParams, SaveTestResult, void>('verdict/saveTest');

/** Client → server: deletes a test (its NAME.in and NAME.ans). */
export interface DeleteTestParams {
  uri: string;
  name: string;
}
export const DeleteTestRequest = new RequestType<DeleteTestParams, { deleted: boolean }, void>('verdict/deleteTest');

/** One check of "Verdict: Check Setup" (the checks of `verdict doctor`). */
export interface SetupCheck {
  name: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do about it. */
  fix?: string;
}
export interface CheckSetupResult {
  /** Where the checks ran: this machine's Docker, or the remote runner (only its reachability is checked). */
  runner: 'local' | 'remote';
  checks: SetupCheck[];
  ok: boolean;
}
/** Client → server: the checks `verdict doctor` makes (Docker, cgroups, images, each language), for the runner in use. */
export const CheckSetupRequest = new RequestType0<CheckSetupResult, void>('verdict/checkSetup');

/** Whether a language can run with the runner in use; when it cannot, why and what makes it usable. */
export interface LanguageStatus {
  id: string;
  name: string;
  usable: boolean;
  /** Why not: its image is not built, Docker is not reachable, the server does not offer it. */
  problem?: string;
  /** A command for a terminal that makes it usable (`verdict images build cpp`); none when the user cannot fix it here. */
  fix?: string;
  /** The language id `fix` builds the image of (cpp for cpp20: one image serves the family). */
  build?: string;
}
export interface LanguagesParams {
  /** Look again (after an image build, or Docker was started) instead of answering from what was last found. */
  refresh?: boolean;
}
/**
 * Client → server: every language and whether it can run here. Local runner: its image is present in
 * Docker (checked over Docker's socket, without loading the runner); remote runner: the server's
 * GET /v1/languages lists it. The answer is kept until a refresh or a change of runner; a refresh also
 * refreshes the lenses.
 */
export const LanguagesRequest = new RequestType<LanguagesParams, LanguageStatus[], void>('verdict/languages');
