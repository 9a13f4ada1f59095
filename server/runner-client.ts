// The one interface through which the language server reaches a runner: run, judge, cancel (through
// AbortSignal), health. The local implementation is the runner library in this process, loaded
// through its front door (runner/index.ts) on the first run, so an idle editor loads neither the
// Docker client nor zod; its warm pool then serves every later run. The remote one is a classroom
// service (`verdict serve`) reached with protocol/service-client.ts: the same requests, progress
// from its Server-Sent Events, cancellation as a DELETE. The rest of the server never knows which
// it talks to, except for what only a server has (its stored problems, its queue).
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { ExecutionSpecInput } from '../protocol/spec';
import type { JudgeRequest, TestData } from '../protocol/judge';
import type { InlineTest, JudgeRequestBody, ProblemInfo, RunEvent, RunRecord, RunRequest, SubmitRequest } from '../protocol/http';
import type { CompileResult, JudgeResult, RunResult, TestResult } from '../protocol/results';
import type { SourceFile } from '../protocol/spec';
import { ServiceClient, bytesField } from '../protocol/service-client';
import type * as RunnerLibrary from '../runner/index';

/** A remote run's place in the server's queue while it waits (1 = next); 0 once it no longer waits. */
export type QueueListener = (position: number) => void;

export interface JudgeCallbacks {
  /** Labels the judge and everything streamed about it. */
  runId?: string;
  onCompiled?: (compile: CompileResult | undefined) => void;
  onTest?: (test: TestResult, index: number, total: number) => void;
  onQueue?: QueueListener;
}

/** A judge against a problem stored on the server: its tests, limits and checker are the server's. */
export interface ProblemJudgeRequest {
  language: string;
  files: SourceFile[];
  problem: string;
  /** Extra compiler flags for the submission (the problem's limits and tests stay the server's). */
  compileFlags?: string[];
}

export interface Health {
  healthy: boolean;
  message: string;
}

/** What a language definition says that the server needs after a run: the source's name in the sandbox, its template. */
export interface LanguageDetails {
  /** The name the sandbox gives this source (main.cpp, Main.java): compilers report it by that name. */
  sourceFileName(content: string): string;
  extensions: string[];
  template?: string;
}

export interface RunnerClient {
  readonly mode: 'local' | 'remote';
  /** onOutput receives the program's output as it is written. */
  run(
    spec: ExecutionSpecInput,
    signal: AbortSignal,
    onOutput?: (stream: 'stdout' | 'stderr', data: Buffer) => void,
    runId?: string,
    onQueue?: QueueListener,
    /** Input as it is typed (local runner only). */
    liveInput?: AsyncIterable<Uint8Array>,
  ): Promise<RunResult>;
  judge(request: JudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult>;
  /** Remote only: a judge against a problem stored on the server. */
  judgeProblem(request: ProblemJudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult>;
  /** The problems stored on the server (none for the local runner). */
  problems(): Promise<ProblemInfo[]>;
  /** Starts a container for a language in the background (a file of it was opened). */
  warm(languageId: string): void;
  language(id: string): Promise<LanguageDetails>;
  health(): Promise<Health>;
  dispose(): Promise<void>;
}

/** The runner library, loaded once, on first use. */
let library: Promise<typeof RunnerLibrary> | undefined;
function loadLibrary(): Promise<typeof RunnerLibrary> {
  library ??= import('../runner/index');
  return library;
}

/**
 * The runner library in this process, loaded on the first run (an idle editor does not pay for the
 * Docker client); its warm pool then serves every later run.
 */
export class LocalRunnerClient implements RunnerClient {
  readonly mode = 'local' as const;
  private runner: Promise<RunnerLibrary.Runner> | undefined;

  private get(): Promise<RunnerLibrary.Runner> {
    this.runner ??= loadLibrary()
      .then(({ Runner }) => Runner.create())
      .catch((err) => {
        this.runner = undefined; // try again next time: Docker may have been started meanwhile
        throw err;
      });
    return this.runner;
  }

  async run(
    spec: ExecutionSpecInput,
    signal: AbortSignal,
    onOutput?: (stream: 'stdout' | 'stderr', data: Buffer) => void,
    runId?: string,
    _onQueue?: QueueListener,
    liveInput?: AsyncIterable<Uint8Array>,
  ): Promise<RunResult> {
    return (await this.get()).run(spec, {
      signal,
      ...(onOutput ? { onOutput } : {}),
      ...(runId ? { runId } : {}),
      ...(liveInput ? { liveInput } : {}),
    });
  }

  async judge(request: JudgeRequest, signal: AbortSignal, { onQueue: _, ...callbacks }: JudgeCallbacks): Promise<JudgeResult> {
    return (await this.get()).judge(request, { signal, ...callbacks });
  }

  async judgeProblem(request: ProblemJudgeRequest): Promise<JudgeResult> {
    throw usageError(
      `Judging against a problem stored on a server ("${request.problem}") needs the remote runner: sign in to a server ("Verdict: Sign in to a Server") or set verdict.runner.mode to "remote" and verdict.runner.url.`,
    );
  }

  async problems(): Promise<ProblemInfo[]> {
    return [];
  }

  warm(languageId: string): void {
    this.get()
      .then((r) => r.warm(languageId))
      .catch(() => undefined); // health() reports why
  }

  async language(id: string): Promise<LanguageDetails> {
    return languageDetails(id);
  }

  async health(): Promise<Health> {
    if (!this.runner) {
      const reachable = await dockerPing();
      return reachable === true
        ? { healthy: true, message: 'local runner: Docker reachable (the runner starts on the first run)' }
        : { healthy: false, message: `local runner: Docker is not reachable (${reachable}); start it, or run \`verdict doctor\`` };
    }
    try {
      const runner = await this.get();
      await runner.docker.ping();
      const { total } = runner.pool.size;
      return { healthy: true, message: `local runner: Docker reachable, ${total} warm container${total === 1 ? '' : 's'}` };
    } catch (err) {
      return { healthy: false, message: (err as Error).message };
    }
  }

  async dispose(): Promise<void> {
    const runner = await this.runner?.catch(() => undefined);
    await runner?.close();
  }
}

/** A language's definition (languages/<id>.json), read through the runner library. */
async function languageDetails(id: string): Promise<LanguageDetails> {
  const lib = await loadLibrary();
  const language = lib.languageById(lib.loadLanguages(), id);
  return {
    sourceFileName: (content) => lib.sourceFileName(language, content),
    extensions: language.extensions,
    ...(language.template !== undefined ? { template: language.template } : {}),
  };
}

/** GET /_ping on the Docker socket without loading a Docker client: true, or why not. */
function dockerPing(): Promise<true | string> {
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (!host.startsWith('unix://')) return Promise.resolve(true); // tcp/ssh: checked on the first run
  return new Promise((resolve) => {
    const req = request({ socketPath: host.slice('unix://'.length), path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? true : `HTTP ${res.statusCode}`);
    });
    req.on('error', (err) => resolve(err.message));
    req.on('timeout', () => (req.destroy(), resolve('no answer')));
    req.end();
  });
}

/** An error in the user's hands (said as it is, never logged as a crash): server.ts's UsageError, by name. */
function usageError(message: string): Error {
  const err = new Error(message);
  err.name = 'UsageError';
  return err;
}

/** As the runner says a run was cancelled (server.ts answers the request as cancelled). */
function cancelled(): Error {
  const err = new Error('The run was cancelled on the server.');
  err.name = 'RunCancelled';
  return err;
}

/** A queued run is reported only when it is still waiting after this long (most start at once). */
const QUEUE_GRACE_MS = 300;

/**
 * A classroom service (`verdict serve`) through its HTTP API: a run or judge is submitted, its
 * Server-Sent Events followed (output, tests, its place in the queue), its record's result returned;
 * an abort cancels it on the server. Failures are ServiceClientError messages, which say what to do
 * (401, 403, 429 with the wait, unreachable, another API version). Language definitions are still
 * read locally: the diagnostics need the source's name in the sandbox.
 */
export class RemoteRunnerClient implements RunnerClient {
  readonly mode = 'remote' as const;
  private readonly client: ServiceClient;
  /** The server's API version, checked once (before the first submission). */
  private checked: Promise<void> | undefined;

  constructor(
    readonly url: string,
    private readonly token: string,
  ) {
    this.client = new ServiceClient(url, token);
  }

  async run(
    spec: ExecutionSpecInput,
    signal: AbortSignal,
    onOutput?: (stream: 'stdout' | 'stderr', data: Buffer) => void,
    runId?: string,
    onQueue?: QueueListener,
    liveInput?: AsyncIterable<Uint8Array>,
  ): Promise<RunResult> {
    if (liveInput)
      throw usageError(
        'A run on the server takes its input whole: put it in NAME.stdin, or set verdict.run.input to "inputBox" (live input needs the local runner).',
      );
    const stdin = spec.stdin === undefined ? undefined : typeof spec.stdin === 'string' ? Buffer.from(spec.stdin) : Buffer.from(spec.stdin);
    const body: RunRequest = {
      kind: 'run',
      language: spec.language,
      files: spec.files,
      ...(spec.stdinBase64 !== undefined ? { stdinBase64: spec.stdinBase64 } : stdin && stdin.length > 0 ? bytesField('stdin', stdin) : {}),
      ...(spec.args?.length ? { args: spec.args } : {}),
      ...(spec.compileFlags?.length ? { compileFlags: spec.compileFlags } : {}),
      ...(spec.limits ? { limits: spec.limits as RunRequest['limits'] } : {}),
    };
    const record = await this.submit(body, signal, onQueue, (event) => {
      if (event.type === 'output') onOutput?.(event.stream, Buffer.from(event.text));
    });
    return { ...(record.result as RunResult), runId: runId ?? record.result!.runId };
  }

  async judge(request: JudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult> {
    const checker = request.checker;
    if (checker.kind !== 'builtin')
      throw usageError('A checker program cannot be sent to the server: judge against a problem stored on it instead.');
    if (request.interactor || request.scoring)
      throw usageError('Interactive and scoring problems are judged on the server as its stored problems, not as tests sent to it.');
    const tests: InlineTest[] = await Promise.all(
      request.tests.map(
        async (t) => ({ name: t.name, ...(await inline('input', t.input)), ...(await inline('answer', t.answer)) }) as InlineTest,
      ),
    );
    const body: JudgeRequestBody = {
      kind: 'judge',
      language: request.language,
      files: request.files,
      tests,
      checker: checker.name,
      ...(request.limits ? { limits: request.limits as JudgeRequestBody['limits'] } : {}),
      ...(request.compileFlags?.length ? { compileFlags: request.compileFlags } : {}),
      ...(request.stopOnFailure !== undefined ? { stopOnFailure: request.stopOnFailure } : {}),
    };
    return this.submitJudge(body, signal, callbacks);
  }

  judgeProblem(request: ProblemJudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult> {
    return this.submitJudge(
      {
        kind: 'judge',
        language: request.language,
        files: request.files,
        problem: request.problem,
        ...(request.compileFlags?.length ? { compileFlags: request.compileFlags } : {}),
      },
      signal,
      callbacks,
    );
  }

  problems(): Promise<ProblemInfo[]> {
    this.requireConfigured();
    return this.client.problems();
  }

  warm(): void {}

  language(id: string): Promise<LanguageDetails> {
    return languageDetails(id);
  }

  async health(): Promise<Health> {
    const where = `remote runner ${this.url || '(no URL)'}`;
    try {
      this.requireConfigured();
      await this.client.check();
      const languages = await this.client.languages();
      return { healthy: true, message: `${where}: reachable, ${languages.length} language${languages.length === 1 ? '' : 's'}` };
    } catch (err) {
      return { healthy: false, message: `${where}: ${(err as Error).message}` };
    }
  }

  async dispose(): Promise<void> {}

  private requireConfigured(): void {
    if (!this.url)
      throw usageError('No server URL: sign in to a server ("Verdict: Sign in to a Server"), or set verdict.runner.url (and a token).');
    if (!/^https?:\/\//i.test(this.url)) throw usageError(`verdict.runner.url must be an http:// or https:// URL (it is "${this.url}").`);
    if (!this.token)
      throw usageError(
        `No token for ${this.url}: sign in to the server ("Verdict: Sign in to a Server"), or set verdict.runner.token to the token your teacher gave you.`,
      );
  }

  private async submitJudge(body: JudgeRequestBody, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult> {
    const record = await this.submit(body, signal, callbacks.onQueue, (event) => {
      if (event.type === 'compiled')
        callbacks.onCompiled?.(
          event.status === 'OK' ? undefined : { status: event.status as CompileResult['status'], output: '', timeMs: 0 },
        );
      else if (event.type === 'test') callbacks.onTest?.(event.test, event.index, event.total);
    });
    const result = record.result as JudgeResult;
    return { ...result, runId: callbacks.runId ?? result.runId };
  }

  /**
   * Submits, follows the events to the end and returns the record (with its result). An abort
   * cancels the run on the server (DELETE) and stops following; the run then ends as RunCancelled.
   */
  private async submit(
    body: SubmitRequest,
    signal: AbortSignal,
    onQueue: QueueListener | undefined,
    onEvent: (event: RunEvent) => void,
  ): Promise<RunRecord> {
    this.requireConfigured();
    this.checked ??= this.client.check().catch((err) => {
      this.checked = undefined; // asked again next time (the server may be started, or updated)
      throw err;
    });
    await this.checked;
    if (signal.aborted) throw cancelled();
    const { id } = await this.client.submit(body);
    const following = new AbortController();
    let cancelling: Promise<unknown> | undefined;
    const abort = () => {
      cancelling ??= this.client.cancel(id).catch(() => undefined);
      following.abort();
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });

    // The queue: reported when a run still waits after a moment, then as the server tells it moves.
    let waiting = false;
    let patient = false;
    let position = 0;
    let shown = 0;
    let timer: NodeJS.Timeout | undefined;
    const show = (p: number) => {
      if (p === shown) return;
      shown = p;
      onQueue?.(p);
    };
    try {
      const record = await this.client.follow(
        id,
        (event) => {
          if (event.type === 'queued') {
            position = event.position;
            if (patient) show(position);
            else if (!waiting)
              timer = setTimeout(() => {
                patient = true;
                if (waiting) show(position);
              }, QUEUE_GRACE_MS);
            waiting = true;
          } else if (event.type === 'started' || event.type === 'done') {
            waiting = false;
            clearTimeout(timer);
            show(0);
          }
          onEvent(event);
        },
        following.signal,
      );
      if (record.state === 'cancelled' || !record.result) throw cancelled();
      return record;
    } catch (err) {
      if (signal.aborted) {
        await cancelling;
        throw cancelled();
      }
      throw err;
    } finally {
      waiting = false;
      clearTimeout(timer);
      show(0);
      signal.removeEventListener('abort', abort);
    }
  }
}

/** Test data for a request: text, or base64 when its bytes are not UTF-8. */
async function inline(what: 'input' | 'answer', data: TestData): Promise<Partial<InlineTest>> {
  return 'text' in data ? { [what]: data.text } : bytesField(what, await readFile(data.path));
}
