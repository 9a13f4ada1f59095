// The judge: compile once, run every test in the submission's warm container (each test in a fresh
// inner sandbox, so a test costs what the program costs), check each output (built-in checker,
// Kattis output validator or testlib checker, all sandboxed) or run it against an interactor, and
// stream each test's result as it ends. The overall status is the first failing test's, in order.
import { readFile, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ExecutionSpec,
  LIMITS,
  MAX_STDIN_BYTES,
  MiB,
  type CompileResult,
  type Limits,
  type LimitsInput,
  type SourceFile,
  type Status,
} from '../spec';
import { BASE_ENV, compileLimits, type BoxFile, type Interaction, type Submission, type ProgramStep } from '../submission';
import type { LanguageDefinition } from '../languages';
import type { CompileCache } from '../cache/compile-cache';
import type { LruCache } from '../cache/lru';
import { SandboxUnavailable, UsageError, RunCancelled } from '../errors';
import { classify } from '../verdicts';
import type { Execution } from '../verdicts';
import { check } from './checkers';
import { displayText, utf8Boundary } from '../../protocol/display';
import { cacheKey } from '../cache/key';
import { imageName } from '../images/names';
import { computeScore, testMaxScore } from './scoring';
import { relayInteraction } from './relay';
import type { TestData, TestResult } from './types';
import type { CheckerSpec, JudgeRequest, JudgeTest, ProblemRules, ProgramSource } from '../../protocol/judge';
import type { JudgeResult } from '../../protocol/results';
import { familyOf } from '../../protocol/standards';

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
  parseSpec(input: { language: string; files: SourceFile[]; limits: LimitsInput; compileFlags?: string[] }): {
    spec: ExecutionSpec;
    language: LanguageDefinition;
  };
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
  // A package's include/ files join the submission before anything else sees it (spec 2025-09).
  const rules = request.tests[0]!.problem;
  if (rules) request = underRules(request, rules);
  // The spec is validated here, once, and the parsed form travels on.
  const parsed = runner.parseSpec({
    language: request.language,
    files: request.files,
    limits: request.limits ?? {},
    ...(request.compileFlags ? { compileFlags: request.compileFlags } : {}),
  });
  if (!request.cacheResults) return judgeUncached(runner, request, parsed, options);
  const { language } = parsed;
  const tests = await Promise.all(
    request.tests.map(async (t) => [
      t.name,
      await readData(t.input, t.name, 'input'),
      await readData(t.answer, t.name, 'answer'),
      t.validatorFlags ?? [],
      t.args ?? [],
    ]),
  );
  const { tests: _paths, cacheResults: _flag, ...rest } = request;
  const key = cacheKey('judge', await runner.imageId(imageName(language.image)), rest, tests, rules ?? {});
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
  const rules = request.tests[0]!.problem;
  const passes = rules?.passes;
  const leases: Submission[] = [];
  try {
    // Validators first: one that does not compile is the problem's fault, reported before anything runs.
    const validator =
      request.checker.kind === 'program'
        ? await openHelper(runner, request.checker, 'output validator', leases, options.signal)
        : undefined;
    if (passes && !validator && !request.interactor)
      throw new UsageError('A multi-pass problem needs a custom output validator (it writes nextpass.in).');
    const interactor = request.interactor ? await openHelper(runner, request.interactor, 'interactor', leases, options.signal) : undefined;
    // Scoring problems read the validator's score.txt / score_multiplier.txt; pass-fail ones ignore them.
    for (const helper of [validator, interactor]) if (helper) helper.scores = Boolean(request.scoring?.length);

    // An interactor runs in the submission's container: its cgroup must hold both.
    const room = interactor ? { memoryMb: VALIDATOR_LIMITS.memoryMb, processes: VALIDATOR_LIMITS.processes } : undefined;
    const submission = await runner.open(spec, language, options.signal, room, runId);
    leases.push(submission);
    const compile = await submission.prepare(runner.compileCache);
    options.onCompiled?.(compile);
    if (compile?.status === 'Compile Error') return { status: 'Compile Error', compile, tests: [], message: 'Compilation failed.', runId };
    const place = interactor ? await interactionHost(runner, request, submission, interactor, leases, options.signal, runId) : undefined;

    const results: TestResult[] = [];
    const gate = new GroupGate(rules?.groups);
    const groupsRun: string[] = [];
    let firstFailure: { result: TestResult; transcript?: string } | undefined;
    for (const [index, test] of request.tests.entries()) {
      if (options.signal?.aborted) throw new RunCancelled();
      if (gate.skips(test)) continue;
      for (let i = 1; i <= test.group.length; i++) {
        const name = test.group.slice(0, i).join('/');
        if (!groupsRun.includes(name)) groupsRun.push(name);
      }
      const [input, answer] = await Promise.all([readData(test.input, test.name, 'input'), readData(test.answer, test.name, 'answer')]);
      const outcome = place
        ? await judgeInteractive(submission, place, interactor!, spec.limits, test, input, answer, passes)
        : await judgeBatch(submission, spec.limits, test, input, answer, request.checker, validator, passes);
      const result: TestResult = { name: test.name, ...outcome.result };
      if (outcome.multiplier !== undefined && request.scoring) {
        const most = testMaxScore(request.scoring, test.name);
        if (most !== undefined) result.score = Math.round(outcome.multiplier * most * 1e6) / 1e6;
      }
      gate.record(test, result.status === 'Accepted');
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
    // Legacy packages: the verdict the default grader gives (worst_error unless the flags say otherwise).
    const graded = rules?.groups ? gradedVerdict(rules.groups, request.tests, results) : undefined;
    if (graded !== undefined) {
      const failure = results.find((r) => r.status === graded);
      firstFailure = failure && {
        result: failure,
        ...(firstFailure?.result === failure && firstFailure.transcript ? { transcript: firstFailure.transcript } : {}),
      };
      if (graded === 'Accepted') firstFailure = undefined;
    }
    return {
      status: graded ?? firstFailure?.result.status ?? 'Accepted',
      ...(compile ? { compile } : {}),
      tests: results,
      ...(firstFailure
        ? {
            message: `${firstFailure.result.status} on test ${firstFailure.result.name}${firstFailure.result.message ? `: ${firstFailure.result.message}` : ''}`,
          }
        : {}),
      ...(firstFailure?.transcript !== undefined ? { transcript: firstFailure.transcript } : {}),
      ...(request.scoring?.length ? { score: computeScore(request.scoring, results, rules?.objective) } : {}),
      ...(request.tests.some((t) => t.group.length > 0) ? { groups: groupsRun } : {}),
      runId,
    };
  } catch (err) {
    if (!(err instanceof SandboxUnavailable)) throw err;
    return { status: 'Internal Error', tests: [], message: `${err.message} (run ${runId})`, runId };
  } finally {
    await Promise.all(leases.map((l) => l.release()));
  }
}

/** problemtools' default grader's order of verdicts, worst first (JE, RTE, MLE, TLE, OLE, WA, AC). */
const WORST_FIRST: Status[] = [
  'Internal Error',
  'Compile Error',
  'Runtime Error',
  'Memory Limit Exceeded',
  'Time Limit Exceeded',
  'Output Limit Exceeded',
  'Wrong Answer',
  'Accepted',
];

/**
 * The verdict of data/ as problemtools' default grader gives it, from the tests that ran: each group
 * aggregates its tests' and sub-groups' verdicts in order by its flags; undefined without grader rules.
 */
function gradedVerdict(groups: NonNullable<ProblemRules['groups']>, tests: JudgeTest[], results: TestResult[]): Status | undefined {
  if (!groups['']?.grader) return undefined;
  const byName = new Map(tests.map((t) => [t.name, t]));
  const status = new Map(results.map((r) => [r.name, r.status]));
  const chain = (t: JudgeTest) => ['', ...t.group.map((_, i) => t.group.slice(0, i + 1).join('/'))];
  const verdictOf = (g: string): Status | undefined => {
    const keys: string[] = [];
    for (const r of results) {
      const c = chain(byName.get(r.name)!);
      const i = c.indexOf(g);
      const key = i < 0 ? undefined : (c[i + 1] ?? r.name);
      if (key !== undefined && !keys.includes(key)) keys.push(key);
    }
    const rule = groups[g]?.grader ?? { verdict: 'worst_error' };
    const verdicts = keys
      .filter((k) => !(rule.ignoreSample && k === 'sample'))
      .map((k) => status.get(k) ?? verdictOf(k))
      .filter((v): v is Status => v !== undefined);
    if (verdicts.length === 0) return undefined;
    if (rule.verdict === 'always_accept' || (rule.acceptIfAnyAccepted && verdicts.includes('Accepted'))) return 'Accepted';
    if (rule.verdict === 'first_error') return verdicts.find((v) => v !== 'Accepted') ?? 'Accepted';
    return verdicts.reduce((a, b) => (WORST_FIRST.indexOf(a) <= WORST_FIRST.indexOf(b) ? a : b));
  };
  return verdictOf('');
}

/**
 * What a package's problem.yaml asks of a submission before it is built: an allowed language, a
 * size within limits.code (spec: checked before include/ is added), its output limit; then the
 * include/ files join it.
 */
function underRules(request: JudgeRequest, rules: ProblemRules): JudgeRequest {
  // Packages name language families (cpp), as the spec's language codes do: cpp20 is C++.
  const family = familyOf(request.language);
  if (rules.languages && !rules.languages.includes(request.language) && !rules.languages.includes(family))
    throw new UsageError(
      `This problem takes submissions in ${rules.languages.join(', ')} only (problem.yaml languages), not ${request.language}.`,
    );
  const bytes = request.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  if (rules.codeKb !== undefined && bytes > rules.codeKb * 1024)
    throw new UsageError(
      `The submission is ${(bytes / 1024).toFixed(1)} KiB; this problem takes at most ${rules.codeKb} KiB (problem.yaml limits.code).`,
    );
  let out = request;
  if (rules.outputMb !== undefined && request.limits?.outputBytes === undefined)
    out = { ...out, limits: { ...out.limits, outputBytes: Math.min(rules.outputMb * MiB, LIMITS.outputBytes.max) } };
  if (rules.include) out = { ...out, files: withIncluded(out.files, out.language, rules.include) };
  return out;
}

/** The submission's files with the package's include/ files for its language (or default/), which win on a name clash. */
function withIncluded(files: SourceFile[], language: string, include: NonNullable<ProblemRules['include']>): SourceFile[] {
  const added = include[language] ?? include[familyOf(language)] ?? include.default ?? [];
  if (added.length === 0) return files;
  const names = new Set(added.map((f) => f.name));
  return [...files.filter((f) => !names.has(f.name)), ...added];
}

/**
 * Which tests run, as a package's groups say (problemtools' order): a rejected test stops every
 * enclosing group whose on_reject is break, after the part of it that holds the test; a group whose
 * require_pass names a group with a test not accepted (or not run) does not run at all.
 */
class GroupGate {
  /** A stopped group → the child (sub-group or test name) whose rejection stopped it. */
  private readonly stoppedAt = new Map<string, string>();
  /** Groups with a test that was not accepted or did not run. */
  private readonly failed = new Set<string>();

  constructor(private readonly groups: ProblemRules['groups']) {}

  /** "", "secret", "secret/group1": the groups around a test, outermost first. */
  private chain(test: JudgeTest): string[] {
    return ['', ...test.group.map((_, i) => test.group.slice(0, i + 1).join('/'))];
  }

  skips(test: JudgeTest): boolean {
    if (!this.groups) return false;
    const chain = this.chain(test);
    const stopped = chain.some((g, i) => {
      const at = this.stoppedAt.get(g);
      return at !== undefined && at !== (chain[i + 1] ?? test.name);
    });
    const blocked = chain.some((g) => (this.groups![g]?.requirePass ?? []).some((r) => this.failed.has(r)));
    if (stopped || blocked) for (const g of chain) this.failed.add(g);
    return stopped || blocked;
  }

  record(test: JudgeTest, accepted: boolean): void {
    if (accepted || !this.groups) return;
    const chain = this.chain(test);
    chain.forEach((g, i) => {
      this.failed.add(g);
      if (this.groups![g]?.onReject === 'break' && !this.stoppedAt.has(g)) this.stoppedAt.set(g, chain[i + 1] ?? test.name);
    });
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

/** A validator or interactor, built in its own container: its lease, how to start it, and its files. */
interface Helper {
  lease: Submission;
  argv: string[];
  env: Record<string, string>;
  /** The image its language runs in ("gcc", "python3"). */
  image: string;
  /** A program that runs in any image: a static binary (C, C++), or built by build/run scripts. */
  portable: boolean;
  /** Scoring problems: its score.txt / score_multiplier.txt are read. */
  scores?: boolean;
}

/**
 * Opens a helper program in a container of its language and builds it once: compiled like a
 * submission (through the compile cache), or, with build/run scripts, `build` run in the box (its
 * result cached the same way) and `run` as the program. A build that fails is a UsageError naming it.
 */
async function openHelper(
  runner: JudgeHost,
  program: ProgramSource,
  what: string,
  leases: Submission[],
  signal?: AbortSignal,
  limits: LimitsInput = { memoryMb: VALIDATOR_LIMITS.memoryMb },
): Promise<Helper> {
  const topLevel = program.build ? program.files.filter((f) => !f.name.includes('/')) : program.files;
  const parsed = ExecutionSpec.safeParse({ language: program.language, files: topLevel, limits: {} });
  if (!parsed.success) throw new UsageError(`The ${what} is not valid: ${z.prettifyError(parsed.error)}`);
  const { spec, language } = runner.parseSpec({ language: program.language, files: topLevel, limits });
  const lease = await runner.open(spec, language, signal);
  leases.push(lease);
  if (!program.build) {
    const compile = await lease.prepare(runner.compileCache);
    if (compile?.status === 'Compile Error')
      throw new UsageError(`The ${what} (${program.files.map((f) => f.name).join(', ')}) failed to compile:\n${compile.output}`);
    const run = lease.runStep(VALIDATOR_LIMITS);
    const isStatic = language.compile?.command.includes('-static') === true && run.argv[0]!.startsWith('/box/');
    return { lease, argv: run.argv, env: run.env, image: language.image, portable: isStatic };
  }
  // DOMjudge style: `build` once in the box (cwd /box), then `run` is the program.
  const files = program.files.map((f) => ({
    name: f.name,
    content: f.content,
    mode: f.name === 'build' || f.name === 'run' ? 0o755 : 0o644,
  }));
  const step = lease.step(['/bin/sh', '/box/build'], compileLimits(language));
  const key =
    runner.compileCache && cacheKey('build', await runner.imageId(imageName(language.image)), step.argv, step.env, step.limits, files);
  const hit = key ? runner.compileCache!.get(key) : undefined;
  if (hit) await lease.put('box', hit.files);
  else {
    await lease.put('box', files);
    if (files.some((f) => f.name === 'build')) {
      const exec = await lease.execute(step, '');
      const verdict = classify(exec, step.limits);
      if (verdict.status !== 'Accepted')
        throw new UsageError(
          `The ${what}'s build script failed (${verdict.message ?? verdict.status}):\n${displayText(Buffer.concat([exec.stdout, exec.stderr]).subarray(0, 8192))}`,
        );
    }
    if (key) runner.compileCache!.set(key, { compile: { status: 'OK', output: '', timeMs: 0 }, files: await lease.snapshot('box') });
  }
  return { lease, argv: ['/box/run'], env: { ...BASE_ENV }, image: language.image, portable: true };
}

/**
 * Where an interaction runs. In one container when it can (the supervisor relays the pipes there,
 * fastest): the submission's, with the interactor's files in its vbox, when the interactor runs
 * there (same image, a static binary, or built by scripts); else a fresh container of the
 * interactor's image with the submission's built program in its box, when that is a static binary.
 * Otherwise (two interpreted languages of different images) in two containers — the interactor
 * keeps its own, its files in its vbox — with the runner relaying the conversation (relay.ts).
 */
async function interactionHost(
  runner: JudgeHost,
  request: JudgeRequest,
  submission: Submission,
  interactor: Helper,
  leases: Submission[],
  signal: AbortSignal | undefined,
  runId: string,
): Promise<{ host: Submission; relay: boolean }> {
  const files = await interactor.lease.snapshot('box');
  const subRun = submission.runStep();
  const submissionStatic = submission.language.compile?.command.includes('-static') === true && subRun.argv[0]!.startsWith('/box/');
  if (!interactor.portable && interactor.image !== submission.language.image && !submissionStatic) {
    await interactor.lease.put('vbox', files);
    return { host: interactor.lease, relay: true };
  }
  // Its files are all the interactor needs from now on: its container goes back to the pool (which
  // may have as few free places as the machine has cores).
  await interactor.lease.release();
  if (interactor.portable || interactor.image === submission.language.image) {
    await submission.put('vbox', files);
    return { host: submission, relay: false };
  }
  // The submission is a static binary: it runs in a container of the interactor's image instead
  // (its own container is given back first; its lease still classifies its runs).
  const built = await submission.snapshot('box');
  await submission.release();
  const { spec, language } = runner.parseSpec({
    language: interactor.lease.language.id,
    files: [{ name: 'placeholder', content: '' }],
    limits: request.limits ?? {},
  });
  const host = await runner.open(
    spec,
    language,
    signal,
    { memoryMb: VALIDATOR_LIMITS.memoryMb + 256, processes: VALIDATOR_LIMITS.processes },
    runId,
  );
  leases.push(host);
  await host.put('box', built);
  await host.put('vbox', files);
  return { host, relay: false };
}

interface Outcome {
  result: Omit<TestResult, 'name'>;
  transcript?: string;
  /** score_multiplier.txt of an accepted test: its share of the test's maximum score. */
  multiplier?: number;
}

/** A validator's judgement: a status, why, and the score files it wrote when it accepted. */
interface Judgement {
  status: Status;
  message?: string;
  score?: number;
  multiplier?: number;
}

/**
 * score.txt / score_multiplier.txt in a feedback folder (spec 2025-09, "Scoring test cases"; legacy
 * custom score validators write score.txt): only with an acceptance, never both, a non-negative
 * number (a multiplier at most 1). Breaking a rule is a judge error.
 */
async function scoreFiles(lease: Submission, box: 'box' | 'vbox', dir: string, verdict: Judgement): Promise<Judgement> {
  // One request at a time per container.
  const score = await lease.get(box, `${dir}score.txt`, FEEDBACK_BYTES);
  const multiplier = await lease.get(box, `${dir}score_multiplier.txt`, FEEDBACK_BYTES);
  if (score === undefined && multiplier === undefined) return verdict;
  const judgeError = (why: string): Judgement => ({ status: 'Internal Error', message: `The output validator ${why}` });
  if (verdict.status !== 'Accepted') return verdict.status === 'Wrong Answer' ? judgeError('wrote a score for a rejected output') : verdict;
  if (score !== undefined && multiplier !== undefined) return judgeError('wrote both score.txt and score_multiplier.txt');
  const text = (score ?? multiplier)!.toString('latin1').trim();
  const value = Number(text);
  if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(value) || (multiplier !== undefined && value > 1))
    return judgeError(
      `wrote ${score !== undefined ? 'score.txt' : 'score_multiplier.txt'} with ${JSON.stringify(text.slice(0, 40))}, not a ${multiplier !== undefined ? 'number from 0 to 1' : 'non-negative number'}`,
    );
  return score !== undefined ? { ...verdict, score: value } : { ...verdict, multiplier: value };
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

/** Each validator run gets a feedback folder of its own, so no file of an earlier test is seen. */
let feedbackRuns = 0;
const feedbackDir = (): string => `feedback/${++feedbackRuns}/`;

/** The files a validator left in its feedback folder, but nextpass.in: what persists into the next pass. */
async function feedbackFiles(lease: Submission, box: 'box' | 'vbox', dir: string): Promise<BoxFile[]> {
  return (await lease.snapshot(box))
    .filter((f) => f.name.startsWith(dir) && f.name !== `${dir}nextpass.in`)
    .map((f) => ({ ...f, name: f.name.slice(dir.length) }));
}

function passNote(pass: number, outcome: Outcome): Outcome {
  if (pass === 1) return outcome;
  const message = outcome.result.message ? `pass ${pass}: ${outcome.result.message}` : `in pass ${pass}`;
  return { ...outcome, result: { ...outcome.result, message } };
}

async function judgeBatch(
  submission: Submission,
  limits: Limits,
  test: JudgeTest,
  input: Buffer,
  answer: Buffer,
  checker: CheckerSpec,
  validator: Helper | undefined,
  passes: number | undefined,
): Promise<Outcome> {
  // Multi-pass (spec 2025-09): the validator accepts and writes nextpass.in for another pass, whose
  // input it is; its other feedback files persist. Time and memory are each pass's own; the worst shows.
  let carried: BoxFile[] = [{ name: 'judgemessage.txt', mode: 0o644, content: Buffer.alloc(0) }];
  let worst = { timeMs: 0, memoryKb: 0 };
  for (let pass = 1; ; pass++) {
    const exec = await submission.execute(submission.runStep(limits, test.args), input);
    worst = { timeMs: Math.max(worst.timeMs, exec.cpuMs), memoryKb: Math.max(worst.memoryKb, exec.memoryKb) };
    const failed = runFailure(submission, exec, limits);
    if (failed) return passNote(pass, { result: { ...failed.result, ...worst } });
    const output = exec.stdout;
    if (checker.kind === 'builtin') {
      const flags = [...(checker.options?.validatorFlags ?? []), ...(test.validatorFlags ?? [])];
      const outcome = check(checker.name, output, answer, { ...checker.options, ...(flags.length ? { validatorFlags: flags } : {}) });
      return outcome.ok
        ? { result: { status: 'Accepted', ...worst } }
        : {
            result: {
              status: 'Wrong Answer',
              ...worst,
              message: outcome.message,
              ...(outcome.diff ? { diff: outcome.diff } : {}),
              expected: shown(answer),
              actual: shown(output),
            },
          };
    }
    // No diff against the answer here: for a custom validator it is one valid answer among many.
    const dir = feedbackDir();
    const verdict = await runChecker(validator!, checker.protocol, input, answer, output, test.validatorFlags ?? [], dir, carried);
    if (!passes) return judged(verdict, worst);
    const next = await validator!.lease.get('box', `${dir}nextpass.in`, MAX_TEST_DATA_BYTES);
    const outcome = nextPass(verdict, next, pass, passes);
    if (outcome) return passNote(pass, judged(outcome, worst));
    input = next!;
    carried = await feedbackFiles(validator!.lease, 'box', dir);
  }
}

/** A validator's judgement as a test's outcome: a score.txt is the test's score; a multiplier waits for its maximum. */
function judged(
  { status, message, score, multiplier }: Judgement,
  measured: { timeMs: number; memoryKb: number },
  transcript?: string,
): Outcome {
  return {
    result: { status, ...measured, ...(message !== undefined ? { message } : {}), ...(score !== undefined ? { score } : {}) },
    ...(transcript !== undefined ? { transcript } : {}),
    ...(multiplier !== undefined ? { multiplier } : {}),
  };
}

/** After one pass of a multi-pass test: its final verdict, or undefined when another pass follows. */
function nextPass(verdict: Judgement, next: Buffer | undefined, pass: number, passes: number): Judgement | undefined {
  if (verdict.status !== 'Accepted') {
    if (next === undefined) return verdict;
    return { status: 'Internal Error', message: `The output validator wrote nextpass.in but did not accept (${verdict.status})` };
  }
  if (next === undefined) return verdict;
  if (pass >= passes)
    return {
      status: 'Internal Error',
      message: `The output validator asked for pass ${pass + 1}, but the problem allows ${passes} (limits.validation_passes)`,
    };
  return undefined;
}

/** A checker program built once in its own container, for callers other than the judge (stress tests). */
export interface CheckerProgram {
  /** Accepted, Wrong Answer, or Internal Error when the checker itself failed, as the judge says it. */
  check(input: Buffer, answer: Buffer, output: Buffer): Promise<{ status: Status; message?: string }>;
  release(): Promise<void>;
}

export async function openCheckerProgram(
  runner: JudgeHost,
  program: ProgramSource & { protocol: 'kattis' | 'testlib' },
  signal?: AbortSignal,
): Promise<CheckerProgram> {
  const leases: Submission[] = [];
  const release = async () => void (await Promise.all(leases.map((l) => l.release())));
  try {
    const helper = await openHelper(runner, program, program.protocol === 'kattis' ? 'output validator' : 'checker', leases, signal);
    return {
      check: async (input, answer, output) => {
        const { status, message } = await runChecker(helper, program.protocol, input, answer, output, [], feedbackDir(), []);
        return { status, ...(message ? { message } : {}) };
      },
      release,
    };
  } catch (err) {
    await release();
    throw err;
  }
}

/** Runs a validator program on one output. Anything but its documented exit codes is an Internal Error. */
async function runChecker(
  validator: Helper,
  protocol: 'kattis' | 'testlib',
  input: Buffer,
  answer: Buffer,
  output: Buffer,
  flags: string[],
  dir: string,
  feedback: BoxFile[],
): Promise<Judgement> {
  const { lease } = validator;
  await lease.put('box', [
    { name: 'test/input', content: input },
    { name: 'test/answer', content: answer },
    { name: 'test/output', content: output },
    ...feedback.map((f) => ({ ...f, name: dir + f.name })),
  ]);
  const args =
    protocol === 'kattis'
      ? ['/box/test/input', '/box/test/answer', `/box/${dir}`, ...flags]
      : ['/box/test/input', '/box/test/output', '/box/test/answer'];
  const step: ProgramStep = {
    argv: [...validator.argv, ...args],
    env: validator.env,
    limits: { ...VALIDATOR_LIMITS, boxWritable: true },
    box: 'box',
  };
  const exec = await lease.execute(step, protocol === 'kattis' ? output : '');
  const message =
    protocol === 'kattis' ? ((await lease.get('box', `${dir}judgemessage.txt`, FEEDBACK_BYTES)) ?? Buffer.alloc(0)) : Buffer.alloc(0);
  // Feedback is shown to people: a validator's bytes are displayed, never obeyed by a terminal.
  const said = displayText([message, exec.stdout, exec.stderr].find((b) => b.length > 0)?.subarray(0, FEEDBACK_BYTES) ?? '').trim();
  const code = exec.exitCode;
  if (protocol === 'kattis') {
    const scored = (j: Judgement) => (validator.scores ? scoreFiles(lease, 'box', dir, j) : j);
    if (code === KATTIS_ACCEPT) return scored({ status: 'Accepted' });
    if (code === KATTIS_REJECT) return scored({ status: 'Wrong Answer', message: said || 'rejected by the output validator' });
  } else {
    if (code === 0) return { status: 'Accepted' };
    if (code === 1) return { status: 'Wrong Answer', message: said || 'rejected by the checker' };
    if (code === 2) return { status: 'Wrong Answer', message: `presentation error: ${said}` };
  }
  const how = exec.signal ? `was killed by ${exec.signal}` : exec.limit !== 'none' ? `hit its ${exec.limit} limit` : `exited with ${code}`;
  return {
    status: 'Internal Error',
    message: `The ${protocol === 'kattis' ? 'output validator' : 'checker'} ${how}${said ? `: ${said}` : ''}`,
  };
}

/**
 * One interactive test (every pass of it, for multi-pass problems) in the host container: the
 * submission in the box, the interactor in the vbox. Verdicts as problemtools and DOMjudge give them.
 */
async function judgeInteractive(
  submission: Submission,
  { host, relay }: { host: Submission; relay: boolean },
  interactor: Helper,
  limits: Limits,
  test: JudgeTest,
  input: Buffer,
  answer: Buffer,
  passes: number | undefined,
): Promise<Outcome> {
  let carried: BoxFile[] = [{ name: 'judgemessage.txt', mode: 0o644, content: Buffer.alloc(0) }];
  let worst = { timeMs: 0, memoryKb: 0 };
  for (let pass = 1; ; pass++) {
    const dir = feedbackDir();
    await host.put('vbox', [
      { name: 'test/input', content: input },
      { name: 'test/answer', content: answer },
      ...carried.map((f) => ({ ...f, name: dir + f.name })),
    ]);
    const step: ProgramStep = {
      argv: [...interactor.argv, '/box/test/input', '/box/test/answer', `/box/${dir}`, ...(test.validatorFlags ?? [])],
      env: interactor.env,
      limits: { ...VALIDATOR_LIMITS, wallMs: Math.max(VALIDATOR_LIMITS.wallMs, limits.wallMs + 2000), boxWritable: true },
      box: 'vbox',
    };
    const programStep = submission.runStep(limits, test.args);
    const interaction = relay
      ? // Everything the two say crosses the host: their output budgets are the conversation's.
        await relayInteraction(
          { on: submission, step: { ...programStep, limits: { ...programStep.limits, outputBytes: LIMITS.outputBytes.max } } },
          { on: host, step: { ...step, limits: { ...step.limits, outputBytes: LIMITS.outputBytes.max } } },
        )
      : await host.interact(programStep, step);
    const { program, interactor: v } = interaction;
    worst = { timeMs: Math.max(worst.timeMs, program.cpuMs), memoryKb: Math.max(worst.memoryKb, program.memoryKb) };
    const transcript = displayText(interaction.transcript);
    const feedback = displayText((await host.get('vbox', `${dir}judgemessage.txt`, FEEDBACK_BYTES)) ?? '').trim();
    const verdict = interactiveVerdict(submission, interaction, limits, feedback);
    const outcome = interactor.scores ? await scoreFiles(host, 'vbox', dir, verdict) : verdict;
    const done = (o: Judgement): Outcome => passNote(pass, judged(o, worst, transcript));
    if (!passes) return done(outcome);
    const next =
      v.exitCode === KATTIS_ACCEPT || v.exitCode === KATTIS_REJECT
        ? await host.get('vbox', `${dir}nextpass.in`, MAX_TEST_DATA_BYTES)
        : undefined;
    const final = nextPass(outcome, next, pass, passes);
    if (final) return done(final);
    input = next!;
    carried = await feedbackFiles(host, 'vbox', dir);
  }
}

/**
 * As problemtools judges: an interactor that rejected before the program ended is believed (the
 * program may only have died of the closed pipe); otherwise the program's own failure comes first,
 * then the interactor's 43 or 42. A program still running once the interactor has ended (it kept
 * computing, or closed its output and looped) is stopped by the supervisor a second later: that is
 * Time Limit Exceeded, as it would have run into the limit, never Runtime Error.
 */
function interactiveVerdict(
  submission: Submission,
  { program, interactor: v, interactorFirst }: Interaction,
  limits: Limits,
  feedback: string,
): { status: Status; message?: string } {
  if (v.exitCode === KATTIS_REJECT && interactorFirst) return { status: 'Wrong Answer', message: feedback || 'rejected by the interactor' };
  // The supervisor's stop after the interactor ended is a SIGKILL with no limit, a second or more after it.
  const outlived = program.signal === 'SIGKILL' && program.limit === 'none' && program.wallMs >= v.wallMs + 500;
  const verdict = outlived
    ? {
        status: 'Time Limit Exceeded' as const,
        message: `The program kept running after the interactor ended (${v.exitCode === KATTIS_ACCEPT ? 'it had accepted' : `exit ${v.exitCode}`}) and was stopped.`,
      }
    : submission.verdict(program, limits);
  if (verdict.status !== 'Accepted') return { status: verdict.status, ...(verdict.message ? { message: verdict.message } : {}) };
  if (v.exitCode === KATTIS_REJECT) return { status: 'Wrong Answer', message: feedback || 'rejected by the interactor' };
  if (v.exitCode === KATTIS_ACCEPT) return { status: 'Accepted' };
  const how = v.signal ? `was killed by ${v.signal}` : v.limit !== 'none' ? `hit its ${v.limit} limit` : `exited with ${v.exitCode}`;
  const said = (feedback || displayText(v.stderr.subarray(0, FEEDBACK_BYTES))).trim();
  return { status: 'Internal Error', message: `The interactor ${how}${said ? `: ${said}` : ''}` };
}
