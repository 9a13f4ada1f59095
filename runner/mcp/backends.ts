// Where the MCP tools' runs happen: a Runner on this machine (`verdict mcp`), or a classroom service's
// queue — a remote server through its HTTP client (`verdict mcp --server URL`) or the service itself
// (`verdict serve`'s /mcp), so quotas, fair queueing and hidden-test redaction apply as to any submit.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  RunCancelled,
  UsageError,
  judgingOfPackage,
  languageById,
  languageForFile,
  probeLanguages,
  stress,
  type JudgeRequest,
  type JudgeTest,
  type LanguageDefinition,
  type Runner,
} from '../index';
import type { JudgeResult, RunResult } from '../../protocol/results';
import type { StressResult } from '../../protocol/lsp';
import type { InlineTest, LanguageInfo, RunEvent, RunRecord, SubmitRequest } from '../../protocol/http';
import { inlineTest, type ServiceClient } from '../../protocol/service-client';
import type { LimitsInput, SourceFile } from '../../protocol/spec';
import type { BuiltinChecker } from '../../protocol/judge';
import { languageForRun } from '../../protocol/standards';
import type { LanguagesOutcome, Where } from './tools';

/** What a call may do while it runs: tell progress, and be cancelled. */
export interface CallContext {
  signal: AbortSignal;
  progress(update: { progress: number; total?: number; message: string }): void;
}

export interface RunCall {
  language: string;
  files: SourceFile[];
  stdin?: string;
  args?: string[];
  limits: LimitsInput;
}

export interface JudgeCall {
  language: string;
  files: SourceFile[];
  tests?: InlineTest[];
  testsDir?: string;
  problem?: string;
  checker?: BuiltinChecker;
  tolerance?: number;
  limits: LimitsInput;
  stopOnFailure?: boolean;
}

export interface JudgeDone {
  result: JudgeResult;
  /** Tests given (the judge may have stopped before the last). */
  total: number;
  /** The limits each test had, when known here (a stored problem's are the server's). */
  limits?: LimitsInput;
  /** A test's input, capped, for the first failure's report (local tests only: the agent may read them anyway). */
  inputOf?: (test: string) => string | undefined;
}

export interface StressCall {
  solution: { language: string; files: SourceFile[] };
  reference: { language: string; files: SourceFile[] };
  generator: { language: string; files: SourceFile[] };
  rounds: number;
  seed?: number;
  checker?: BuiltinChecker;
  tolerance?: number;
  shrink?: boolean;
  limits: LimitsInput;
}

export interface Backend {
  readonly where: Where;
  /** The language id for a call that named none: from the main file's name (and content, for shared extensions). */
  languageFor(file: SourceFile): Promise<string>;
  run(call: RunCall, ctx: CallContext): Promise<RunResult>;
  judge(call: JudgeCall, ctx: CallContext): Promise<JudgeDone>;
  languages(): Promise<LanguagesOutcome['languages']>;
  /** Stress tests: on this machine only (a classroom server has no stress API). */
  stress?(call: StressCall, ctx: CallContext): Promise<StressResult>;
}

const command = (argv: string[] | undefined) => argv?.join(' ');

function withCommands(info: LanguageInfo, defs: Map<string, LanguageDefinition> | undefined): LanguagesOutcome['languages'][number] {
  const def = defs?.get(info.id);
  const compile = command(def?.compile?.command);
  const run = command(def?.run.command);
  return { ...info, ...(compile ? { compile } : {}), ...(run ? { run } : {}) };
}

// ---- on this machine ----

export interface LocalHooks {
  /** The tests of a folder of NAME.in / NAME.ans pairs (the CLI's own reader, passed in). */
  testsOfFolder(dir: string): JudgeTest[];
}

export function localBackend(runner: Runner, hooks: LocalHooks): Backend {
  let probed: Promise<LanguagesOutcome['languages']> | undefined;
  return {
    where: 'local',
    async languageFor(file) {
      return languageForFile(runner.languages, file.name, file.content).id;
    },
    run(call, ctx) {
      ctx.progress({ progress: 0, message: 'running' });
      return runner.run(
        { language: call.language, files: call.files, stdin: call.stdin ?? '', args: call.args ?? [], limits: call.limits },
        { signal: ctx.signal },
      );
    },
    async judge(call, ctx) {
      // Inline tests given as bytes (base64) become files, so their bytes reach the judge exactly; removed after.
      let scratch: string | undefined;
      const bytesFile = (bytes: Buffer, name: string) => {
        scratch ??= mkdtempSync(path.join(tmpdir(), 'verdict-mcp-'));
        const file = path.join(scratch, name);
        writeFileSync(file, bytes);
        return { path: file };
      };
      try {
        const request = localJudgeRequest(runner, hooks, call, bytesFile);
        const total = request.tests.length;
        const result = await runner.judge(request, {
          signal: ctx.signal,
          onCompiled: (compile) => ctx.progress({ progress: 0, total, message: `compiled: ${compile?.status ?? 'OK'}` }),
          onTest: (test, index) => ctx.progress({ progress: index + 1, total, message: `test ${test.name}: ${test.status}` }),
        });
        const test = request.tests.find((t) => t.name === result.tests.find((r) => r.status !== 'Accepted')?.name);
        const input = test ? ('text' in test.input ? test.input.text : readHead(test.input.path)) : undefined;
        return { result, total, ...(request.limits ? { limits: request.limits } : {}), inputOf: () => input };
      } finally {
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }
    },
    stress(call, ctx) {
      const options =
        call.tolerance !== undefined ? { options: { absoluteTolerance: call.tolerance, relativeTolerance: call.tolerance } } : {};
      return stress(
        runner,
        {
          solution: call.solution,
          reference: call.reference,
          generator: call.generator,
          rounds: call.rounds,
          ...(call.seed !== undefined ? { seed: call.seed } : {}),
          checker: { name: call.checker ?? 'lines', ...options },
          limits: call.limits,
          ...(call.shrink !== undefined ? { shrink: call.shrink } : {}),
        },
        {
          signal: ctx.signal,
          onProgress: (p) => ctx.progress({ progress: p.done, total: p.rounds, message: `${p.phase}: ${p.done}/${p.rounds}` }),
        },
      );
    },
    languages() {
      probed ??= probeLanguages(runner, [...runner.languages.values()]).then((probes) =>
        probes
          .filter((p) => p.usable)
          .map((p) =>
            withCommands(
              { id: p.id, name: p.name, version: p.version ?? '', extensions: runner.languages.get(p.id)?.extensions ?? [] },
              runner.languages,
            ),
          ),
      );
      probed.catch(() => (probed = undefined));
      return probed;
    },
  };
}

/** The first 64 KiB of a test file (the report caps it further). */
function readHead(file: string): string {
  const data = readFileSync(file);
  return data.subarray(0, 64 * 1024).toString('utf8');
}

function localJudgeRequest(
  runner: Runner,
  hooks: LocalHooks,
  call: JudgeCall,
  bytesFile: (bytes: Buffer, name: string) => { path: string },
): JudgeRequest & { tests: JudgeTest[] } {
  const sources = [call.tests, call.testsDir, call.problem].filter((s) => s !== undefined).length;
  if (sources !== 1) throw new UsageError('Give the tests one way: tests (inline), testsDir (a folder) or problem (a package folder).');
  const options = call.tolerance !== undefined ? { options: { absoluteTolerance: call.tolerance, relativeTolerance: call.tolerance } } : {};
  const checker = { kind: 'builtin' as const, name: call.checker ?? 'lines', ...options };
  const base = { language: call.language, files: call.files, stopOnFailure: call.stopOnFailure ?? false };
  if (call.problem !== undefined) {
    const judging = judgingOfPackage(path.resolve(call.problem), runner.languages);
    return {
      ...base,
      language: languageForRun({ language: call.language }, judging.standards).language,
      tests: judging.tests,
      checker: call.checker ? checker : judging.checker,
      ...(judging.interactor ? { interactor: judging.interactor } : {}),
      ...(judging.scoring.length ? { scoring: judging.scoring } : {}),
      limits: { ...call.limits, ...judging.limits },
    };
  }
  const tests: JudgeTest[] =
    call.testsDir !== undefined
      ? hooksTests(call.testsDir)
      : call.tests!.map((t, i) => ({
          name: t.name,
          input: t.inputBase64 !== undefined ? bytesFile(Buffer.from(t.inputBase64, 'base64'), `${i}.in`) : { text: t.input ?? '' },
          answer: t.answerBase64 !== undefined ? bytesFile(Buffer.from(t.answerBase64, 'base64'), `${i}.ans`) : { text: t.answer ?? '' },
          group: [],
        }));
  return { ...base, tests, checker, limits: call.limits };

  function hooksTests(dir: string): JudgeTest[] {
    const tests = hooks.testsOfFolder(path.resolve(dir));
    if (tests.length === 0) throw new UsageError(`${dir}: no NAME.in / NAME.ans pairs there.`);
    return tests;
  }
}

// ---- this machine, through the user's background runner ----

/**
 * This machine's runs as the CLI and the editors make them: through this user's background runner
 * (runner/daemon/), one warm pool for all. Runs and judges of tests (inline, or a folder read here)
 * with a built-in checker go there; what it does not take — problem packages, tolerances, stress
 * tests — runs on a Runner of this process, made on first need.
 */
export function sharedBackend(daemon: Backend, local: () => Promise<Backend>, hooks: LocalHooks): Backend {
  return {
    where: 'local',
    languageFor: (file) => daemon.languageFor(file),
    run: (call, ctx) => daemon.run(call, ctx),
    async judge(call, ctx) {
      if (call.problem !== undefined || call.tolerance !== undefined || (call.tests === undefined) === (call.testsDir === undefined))
        return (await local()).judge(call, ctx);
      const tests = call.tests ?? (await Promise.all(hooks.testsOfFolder(path.resolve(call.testsDir!)).map(inlineTest)));
      if (tests.length === 0) throw new UsageError(`${call.testsDir}: no NAME.in / NAME.ans pairs there.`);
      const { testsDir: _, ...rest } = call;
      const done = await daemon.judge({ ...rest, tests }, ctx);
      const inputOf = (name: string) => {
        const test = tests.find((t) => t.name === name);
        const input = test?.inputBase64 !== undefined ? Buffer.from(test.inputBase64, 'base64').toString('utf8') : test?.input;
        return input?.slice(0, 64 * 1024);
      };
      return { ...done, inputOf };
    },
    languages: () => daemon.languages(),
    async stress(call, ctx) {
      return (await local()).stress!(call, ctx);
    },
  };
}

// ---- a classroom service's queue ----

/** A classroom service's queue as the tools use it: a remote server's HTTP API, or the service in process. */
export interface RunQueue {
  /** Validated and admitted (quotas) by the service; throws its refusal. Resolves with the run's id. */
  submit(body: SubmitRequest): Promise<string>;
  /** The run's events until it is done; resolves with its record. */
  follow(id: string, onEvent: (event: RunEvent) => void, signal: AbortSignal): Promise<RunRecord>;
  cancel(id: string): Promise<void>;
  languages(): Promise<LanguageInfo[]>;
  /** The service's language definitions, when in process (for detection by content and the commands). */
  definitions?: Map<string, LanguageDefinition>;
}

export function queueBackend(queue: RunQueue): Backend {
  /** Submits and follows a run; resolves with its record and the number of tests the judge said it had. */
  const carry = async (body: SubmitRequest, ctx: CallContext, total?: number): Promise<{ record: RunRecord; tests?: number }> => {
    const id = await queue.submit(body);
    let tests: number | undefined;
    const cancel = () => void queue.cancel(id).catch(() => undefined);
    ctx.signal.addEventListener('abort', cancel, { once: true });
    try {
      const record = await queue.follow(
        id,
        (event) => {
          if (event.type === 'queued')
            ctx.progress({ progress: 0, ...(total ? { total } : {}), message: `queued (position ${event.position})` });
          else if (event.type === 'started') ctx.progress({ progress: 0, ...(total ? { total } : {}), message: 'started' });
          else if (event.type === 'test') {
            tests = event.total;
            ctx.progress({ progress: event.index + 1, total: event.total, message: `test ${event.test.name}: ${event.test.status}` });
          }
        },
        ctx.signal,
      );
      if (record.state === 'cancelled' || !record.result) throw new RunCancelled();
      return { record, ...(tests !== undefined ? { tests } : {}) };
    } finally {
      ctx.signal.removeEventListener('abort', cancel);
    }
  };
  return {
    where: 'server',
    async languageFor(file) {
      if (queue.definitions) return languageForFile(queue.definitions, file.name, file.content).id;
      const ext = path.extname(file.name).toLowerCase();
      const known = await queue.languages();
      const found = known.find((l) => l.extensions.includes(ext));
      if (!found) throw new UsageError(`No language for "${file.name}" on the server: give "language" (the languages tool lists them).`);
      return found.id;
    },
    async run(call, ctx) {
      if (queue.definitions) languageById(queue.definitions, call.language);
      const body: SubmitRequest = {
        kind: 'run',
        language: call.language,
        files: call.files,
        ...(call.stdin !== undefined ? { stdin: call.stdin } : {}),
        ...(call.args ? { args: call.args } : {}),
        limits: call.limits as never,
      };
      return (await carry(body, ctx)).record.result as RunResult;
    },
    async judge(call, ctx) {
      if ((call.tests === undefined) === (call.problem === undefined))
        throw new UsageError('Give the tests one way: tests (inline) or problem (the id of a problem on the server).');
      const body: SubmitRequest = {
        kind: 'judge',
        language: call.language,
        files: call.files,
        ...(call.tests ? { tests: call.tests } : { problem: call.problem! }),
        ...(call.checker ? { checker: call.checker } : {}),
        limits: call.limits as never,
        ...(call.stopOnFailure !== undefined ? { stopOnFailure: call.stopOnFailure } : {}),
      };
      const { record, tests } = await carry(body, ctx, call.tests?.length);
      const result = record.result as JudgeResult;
      // A stored problem's limits are the problem's, not the call's.
      // A stored problem's number of tests is what its judge said (it may stop before the last).
      return { result, total: call.tests?.length ?? tests ?? result.tests.length, ...(call.tests ? { limits: call.limits } : {}) };
    },
    async languages() {
      return (await queue.languages()).map((l) => withCommands(l, queue.definitions));
    },
  };
}

/** A remote classroom server's queue, through its HTTP client (`verdict mcp --server URL`). */
export function remoteQueue(client: ServiceClient): RunQueue {
  let languages: Promise<LanguageInfo[]> | undefined;
  return {
    async submit(body) {
      return (await client.submit(body)).id;
    },
    follow: (id, onEvent, signal) => client.follow(id, onEvent, signal),
    async cancel(id) {
      await client.cancel(id);
    },
    languages() {
      languages ??= client.languages();
      languages.catch(() => (languages = undefined));
      return languages;
    },
  };
}
