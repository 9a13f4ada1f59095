// The judge: compile once, run every test in the submission's warm container (each test in a fresh
// inner sandbox, so a test costs what the program costs), check each output (built-in checker,
// Kattis output validator or testlib checker, all sandboxed) or run it against an interactor, and
// stream each test's result as it ends. The overall status is the first failing test's, in order.
import { readFile, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ExecutionSpec,
  MAX_STDIN_BYTES,
  MiB,
  type CompileResult,
  type Limits,
  type LimitsInput,
  type SourceFile,
  type Status,
} from '../spec';
import type { Submission, ProgramStep } from '../submission';
import type { LanguageDefinition } from '../languages';
import type { CompileCache } from '../cache/compile-cache';
import type { LruCache } from '../cache/lru';
import { SandboxUnavailable, UsageError, RunCancelled } from '../errors';
import type { Execution } from '../verdicts';
import { check } from './checkers';
import { displayText, utf8Boundary } from '../../protocol/display';
import { cacheKey } from '../cache/key';
import { imageName } from '../images/names';
import { computeScore } from './scoring';
import type { TestData, TestResult } from './types';
import type { CheckerSpec, JudgeRequest, JudgeTest } from '../../protocol/judge';
import type { JudgeResult } from '../../protocol/results';

export type { CheckerSpec, JudgeRequest, JudgeTest } from '../../protocol/judge';
export type { JudgeResult } from '../../protocol/results';

export interface JudgeOptions {
  /** The run id to use (so a caller can label what it streams before the result arrives). */
  runId?: string;
  /** Called as each test ends (in order). */
  onTest?: (result: TestResult, index: number, total: number) => void;
  /** Called once compilation is done. */
  onCompiled?: (compile: CompileResult | undefined) => void;
  signal?: AbortSignal;
}

/** Validators and interactors are trusted more than submissions, but still sandboxed and bounded. */
const VALIDATOR_LIMITS: Limits = {
  cpuMs: 10_000,
  wallMs: 30_000,
  memoryMb: 1024,
  processes: 64,
  outputBytes: 1 << 20,
  diskMb: 256,
  openFiles: 64,
};
const FEEDBACK_BYTES = 4096;
const KATTIS_ACCEPT = 42;
const KATTIS_REJECT = 43;

/**
 * What the judge needs from the runner it runs on, and nothing more: the Runner implements it
 * (Runner.judge is the way in), so the judge never reaches into the runner's internals.
 */
export interface JudgeHost {
  /** Validates a spec (once) and finds its language; throws SpecInvalid / UsageError. */
  parseSpec(input: { language: string; files: SourceFile[]; limits: LimitsInput }): { spec: ExecutionSpec; language: LanguageDefinition };
  /** Leases a warm container for one submission; the caller releases it on every path. */
  open(
    spec: ExecutionSpec,
    language: LanguageDefinition,
    signal?: AbortSignal,
    room?: { memoryMb: number; processes: number },
    runId?: string,
  ): Promise<Submission>;
  readonly compileCache: CompileCache | undefined;
  readonly results: LruCache<object>;
  imageId(image: string): Promise<string>;
}

type Parsed = { spec: ExecutionSpec; language: LanguageDefinition };

export async function judge(runner: JudgeHost, request: JudgeRequest, options: JudgeOptions = {}): Promise<JudgeResult> {
  if (request.tests.length === 0) throw new UsageError('There are no tests to judge against.');
  // The spec is validated here, once, and the parsed form travels on.
  const parsed = runner.parseSpec({ language: request.language, files: request.files, limits: request.limits ?? {} });
  if (!request.cacheResults) return judgeUncached(runner, request, parsed, options);
  const { language } = parsed;
  const tests = await Promise.all(
    request.tests.map(async (t) => [
      t.name,
      await readData(t.input, t.name, 'input'),
      await readData(t.answer, t.name, 'answer'),
      t.validatorFlags ?? [],
    ]),
  );
  const { tests: _paths, cacheResults: _flag, ...rest } = request;
  const key = cacheKey('judge', await runner.imageId(imageName(language.image)), rest, tests);
  const hit = runner.results.get(key) as JudgeResult | undefined;
  if (hit) {
    hit.tests.forEach((t, i) => options.onTest?.(t, i, request.tests.length));
    return { ...hit, cached: true, runId: options.runId ?? randomUUID() };
  }
  const result = await judgeUncached(runner, request, parsed, options);
  if (result.status !== 'Internal Error') runner.results.set(key, result);
  return result;
}

async function judgeUncached(
  runner: JudgeHost,
  request: JudgeRequest,
  { spec, language }: Parsed,
  options: JudgeOptions,
): Promise<JudgeResult> {
  const runId = options.runId ?? randomUUID();
  const leases: Submission[] = [];
  try {
    // Validators first: one that does not compile is the problem's fault, reported before anything runs.
    const validator =
      request.checker.kind === 'program'
        ? await openCompiled(runner, request.checker, 'output validator', leases, options.signal)
        : undefined;
    const interactorBinary = request.interactor ? await compileInteractor(runner, request.interactor, leases, options.signal) : undefined;

    // An interactor runs in the submission's container: its cgroup must hold both.
    const room = interactorBinary ? { memoryMb: VALIDATOR_LIMITS.memoryMb, processes: VALIDATOR_LIMITS.processes } : undefined;
    const submission = await runner.open(spec, language, options.signal, room, runId);
    leases.push(submission);
    const compile = await submission.prepare(runner.compileCache);
    options.onCompiled?.(compile);
    if (compile?.status === 'Compile Error') return { status: 'Compile Error', compile, tests: [], message: 'Compilation failed.', runId };
    if (interactorBinary) await submission.put('vbox', [{ name: 'interactor', content: interactorBinary, mode: 0o755 }]);

    const results: TestResult[] = [];
    let firstFailure: { result: TestResult; transcript?: string } | undefined;
    for (const [index, test] of request.tests.entries()) {
      if (options.signal?.aborted) throw new RunCancelled();
      const [input, answer] = await Promise.all([readData(test.input, test.name, 'input'), readData(test.answer, test.name, 'answer')]);
      const outcome = interactorBinary
        ? await judgeInteractive(submission, spec.limits, test, input, answer)
        : await judgeBatch(submission, spec.limits, test, input, answer, request.checker, validator);
      const result: TestResult = { name: test.name, ...outcome.result };
      if (result.status !== 'Accepted' && !firstFailure)
        firstFailure = { result, ...(outcome.transcript !== undefined ? { transcript: outcome.transcript } : {}) };
      else {
        // Details are kept for the first failure only: the editor shows one diff.
        delete result.diff;
        delete result.expected;
        delete result.actual;
        delete result.stderr;
      }
      results.push(result);
      options.onTest?.(result, index, request.tests.length);
      if (firstFailure && request.stopOnFailure) break;
    }
    return {
      status: firstFailure?.result.status ?? 'Accepted',
      ...(compile ? { compile } : {}),
      tests: results,
      ...(firstFailure
        ? {
            message: `${firstFailure.result.status} on test ${firstFailure.result.name}${firstFailure.result.message ? `: ${firstFailure.result.message}` : ''}`,
          }
        : {}),
      ...(firstFailure?.transcript !== undefined ? { transcript: firstFailure.transcript } : {}),
      ...(request.scoring?.length ? { score: computeScore(request.scoring, results) } : {}),
      runId,
    };
  } catch (err) {
    if (!(err instanceof SandboxUnavailable)) throw err;
    return { status: 'Internal Error', tests: [], message: `${err.message} (run ${runId})`, runId };
  } finally {
    await Promise.all(leases.map((l) => l.release()));
  }
}

/** Test data files larger than this are refused: an input is the program's stdin, which has the same limit. */
export const MAX_TEST_DATA_BYTES = MAX_STDIN_BYTES;

/** A test's input or answer, as bytes: test data is never decoded. */
export async function readData(data: TestData, test: string, what: string): Promise<Buffer> {
  if ('text' in data) return Buffer.from(data.text, 'utf8');
  const problem = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  let size: number;
  try {
    size = (await stat(data.path)).size;
  } catch (err) {
    throw new UsageError(`Test ${test}: cannot read its ${what} ${data.path} (${problem(err)}).`);
  }
  if (size > MAX_TEST_DATA_BYTES)
    throw new UsageError(
      `Test ${test}: its ${what} ${data.path} is ${(size / MiB).toFixed(1)} MiB; test data files may be at most ${MAX_TEST_DATA_BYTES / MiB} MiB each.`,
    );
  try {
    return await readFile(data.path);
  } catch (err) {
    throw new UsageError(`Test ${test}: cannot read its ${what} ${data.path} (${problem(err)}).`);
  }
}

/** Opens and compiles a helper program (validator, interactor); a compile error is a UsageError naming it. */
async function openCompiled(
  runner: JudgeHost,
  program: { language: string; files: SourceFile[] },
  what: string,
  leases: Submission[],
  signal?: AbortSignal,
): Promise<Submission> {
  const parsed = ExecutionSpec.safeParse({ language: program.language, files: program.files, limits: {} });
  if (!parsed.success) throw new UsageError(`The ${what} is not valid: ${z.prettifyError(parsed.error)}`);
  const { spec, language } = runner.parseSpec({
    language: program.language,
    files: program.files,
    limits: { memoryMb: VALIDATOR_LIMITS.memoryMb },
  });
  const lease = await runner.open(spec, language, signal);
  leases.push(lease);
  const compile = await lease.prepare(runner.compileCache);
  if (compile?.status === 'Compile Error')
    throw new UsageError(`The ${what} (${program.files.map((f) => f.name).join(', ')}) failed to compile:\n${compile.output}`);
  return lease;
}

/** Interactors run beside the submission, in its container: they must be a static binary (C/C++). */
async function compileInteractor(
  runner: JudgeHost,
  interactor: { language: string; files: SourceFile[] },
  leases: Submission[],
  signal?: AbortSignal,
): Promise<Buffer> {
  if (interactor.language !== 'c' && interactor.language !== 'cpp')
    throw new UsageError(`Interactors must be written in C or C++ for now (got ${interactor.language}: ${interactor.files[0]?.name}).`);
  const lease = await openCompiled(runner, interactor, 'interactor', leases, signal);
  const binary = await lease.get('box', 'main', 64 << 20);
  if (!binary) throw new SandboxUnavailable('The compiled interactor could not be read back from its sandbox.');
  return binary;
}

interface Outcome {
  result: Omit<TestResult, 'name'>;
  transcript?: string;
}

/** Outputs kept on a failing test, for an editor's diff view and its diagnostics. */
const DETAIL_BYTES = 64 * 1024;
/** The first bytes of an output or answer, shown (displayText): for people, not for checking. */
function shown(bytes: Buffer, max = DETAIL_BYTES): string {
  if (bytes.length <= max) return displayText(bytes);
  return `${displayText(bytes.subarray(0, utf8Boundary(bytes, max)))}\n[truncated]`;
}

function runFailure(submission: Submission, exec: Execution, limits: Limits): Outcome | undefined {
  const verdict = submission.verdict(exec, limits);
  if (verdict.status === 'Accepted') return undefined;
  return {
    result: {
      status: verdict.status,
      timeMs: exec.cpuMs,
      memoryKb: exec.memoryKb,
      ...(verdict.message ? { message: verdict.message } : {}),
      ...(exec.stderr.length ? { stderr: shown(exec.stderr, 8192) } : {}),
    },
  };
}

async function judgeBatch(
  submission: Submission,
  limits: Limits,
  test: JudgeTest,
  input: Buffer,
  answer: Buffer,
  checker: CheckerSpec,
  validator: Submission | undefined,
): Promise<Outcome> {
  const exec = await submission.execute(submission.runStep(limits), input);
  const failed = runFailure(submission, exec, limits);
  if (failed) return failed;
  const measured = { timeMs: exec.cpuMs, memoryKb: exec.memoryKb };
  const output = exec.stdout;
  if (checker.kind === 'builtin') {
    const flags = [...(checker.options?.validatorFlags ?? []), ...(test.validatorFlags ?? [])];
    const outcome = check(checker.name, output, answer, { ...checker.options, ...(flags.length ? { validatorFlags: flags } : {}) });
    return outcome.ok
      ? { result: { status: 'Accepted', ...measured } }
      : {
          result: {
            status: 'Wrong Answer',
            ...measured,
            message: outcome.message,
            ...(outcome.diff ? { diff: outcome.diff } : {}),
            expected: shown(answer),
            actual: shown(output),
          },
        };
  }
  // No diff against the answer here: for a custom validator it is one valid answer among many.
  const verdict = await runChecker(validator!, checker.protocol, input, answer, output, test.validatorFlags ?? []);
  return { result: { ...verdict, ...measured } };
}

/** Runs a validator program on one output. Anything but its documented exit codes is an Internal Error. */
async function runChecker(
  validator: Submission,
  protocol: 'kattis' | 'testlib',
  input: Buffer,
  answer: Buffer,
  output: Buffer,
  flags: string[],
): Promise<{ status: Status; message?: string }> {
  await validator.put('box', [
    { name: 'test/input', content: input },
    { name: 'test/answer', content: answer },
    { name: 'test/output', content: output },
    { name: 'feedback/judgemessage.txt', content: '' },
  ]);
  const run = validator.runStep(VALIDATOR_LIMITS);
  const args =
    protocol === 'kattis'
      ? ['/box/test/input', '/box/test/answer', '/box/feedback/', ...flags]
      : ['/box/test/input', '/box/test/output', '/box/test/answer'];
  const step: ProgramStep = { ...run, argv: [...run.argv, ...args], limits: { ...VALIDATOR_LIMITS, boxWritable: true } };
  const exec = await validator.execute(step, protocol === 'kattis' ? output : '');
  const feedback =
    protocol === 'kattis'
      ? ((await validator.get('box', 'feedback/judgemessage.txt', FEEDBACK_BYTES)) ?? Buffer.alloc(0))
      : Buffer.alloc(0);
  // Feedback is shown to people: a validator's bytes are displayed, never obeyed by a terminal.
  const said = displayText([feedback, exec.stdout, exec.stderr].find((b) => b.length > 0)?.subarray(0, FEEDBACK_BYTES) ?? '').trim();
  const code = exec.exitCode;
  if (protocol === 'kattis') {
    if (code === KATTIS_ACCEPT) return { status: 'Accepted' };
    if (code === KATTIS_REJECT) return { status: 'Wrong Answer', message: said || 'rejected by the output validator' };
  } else {
    if (code === 0) return { status: 'Accepted' };
    if (code === 1) return { status: 'Wrong Answer', message: said || 'rejected by the checker' };
    if (code === 2) return { status: 'Wrong Answer', message: `presentation error: ${said}` };
  }
  const how = exec.signal ? `was killed by ${exec.signal}` : `exited with ${code}`;
  return {
    status: 'Internal Error',
    message: `The ${protocol === 'kattis' ? 'output validator' : 'checker'} ${how}${said ? `: ${said}` : ''}`,
  };
}

async function judgeInteractive(submission: Submission, limits: Limits, test: JudgeTest, input: Buffer, answer: Buffer): Promise<Outcome> {
  await submission.put('vbox', [
    { name: 'test/input', content: input },
    { name: 'test/answer', content: answer },
    { name: 'feedback/judgemessage.txt', content: '' },
  ]);
  const interactor: ProgramStep = {
    argv: ['/box/interactor', '/box/test/input', '/box/test/answer', '/box/feedback/', ...(test.validatorFlags ?? [])],
    env: { PATH: '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' },
    limits: { ...VALIDATOR_LIMITS, wallMs: Math.max(VALIDATOR_LIMITS.wallMs, limits.wallMs + 2000), boxWritable: true },
    box: 'vbox',
  };
  const interaction = await submission.interact(submission.runStep(limits), interactor);
  const { program, interactor: v, interactorFirst } = interaction;
  const transcript = displayText(interaction.transcript);
  const measured = { timeMs: program.cpuMs, memoryKb: program.memoryKb };
  const verdict = submission.verdict(program, limits);
  const feedback = displayText((await submission.get('vbox', 'feedback/judgemessage.txt', FEEDBACK_BYTES)) ?? '').trim();
  const rejected: Outcome = {
    result: { status: 'Wrong Answer', ...measured, message: feedback || 'rejected by the interactor' },
    transcript,
  };
  // As problemtools judges: an interactor that rejected before the program ended is believed (the
  // program may only have died of the closed pipe); otherwise the program's own failure comes first.
  if (v.exitCode === KATTIS_REJECT && interactorFirst) return rejected;
  if (verdict.status !== 'Accepted')
    return { result: { status: verdict.status, ...measured, ...(verdict.message ? { message: verdict.message } : {}) }, transcript };
  if (v.exitCode === KATTIS_REJECT) return rejected;
  if (v.exitCode === KATTIS_ACCEPT) return { result: { status: 'Accepted', ...measured } };
  const how = v.signal ? `was killed by ${v.signal}` : v.limit !== 'none' ? `hit its ${v.limit} limit` : `exited with ${v.exitCode}`;
  const said = (feedback || displayText(v.stderr.subarray(0, FEEDBACK_BYTES))).trim();
  return { result: { status: 'Internal Error', ...measured, message: `The interactor ${how}${said ? `: ${said}` : ''}` }, transcript };
}
