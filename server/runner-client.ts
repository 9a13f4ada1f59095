// The one interface through which the language server reaches a runner: run, judge, cancel (through
// AbortSignal), health. The local implementation is the runner library in this process, loaded
// through its front door (runner/index.ts) on the first run, so an idle editor loads neither the
// Docker client nor zod; its warm pool then serves every later run. The remote one is a classroom
// service (`verdict serve`) reached with protocol/service-client.ts: the same requests, progress
// from its Server-Sent Events, cancellation as a DELETE. The rest of the server never knows which
// it talks to, except for what only a server has (its stored problems, its queue).
import { request } from 'node:http';
import type { ExecutionSpecInput } from '../protocol/spec';
import type { JudgeRequest } from '../protocol/judge';
import type { InlineTest, JudgeRequestBody, ProblemInfo, RunEvent, RunRecord, RunRequest, SubmitRequest } from '../protocol/http';
import type { CompileResult, JudgeResult, RunResult, TestResult } from '../protocol/results';
import type { SourceFile } from '../protocol/spec';
import { ServiceClient, bytesField, inlineTest } from '../protocol/service-client';
import type * as RunnerLibrary from '../runner/index';
import { daemonWanted } from '../protocol/daemon';
import type { LanguageStatus } from '../protocol/lsp';
import { LANGUAGES } from '../protocol/languages.generated';
import { IMAGE_NAMESPACE, imageBuildCommand, imageName } from '../protocol/images';

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
  /** Every language and whether it can run here (its image present; the server offers it), looked up now. */
  languageStatus(): Promise<LanguageStatus[]>;
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

  /**
   * A language can run when Docker answers and its image is there. Asked over Docker's socket without
   * loading the runner (an editor opening a file must not pay for the Docker client); through the
   * runner's Docker client only for a TCP or SSH DOCKER_HOST.
   */
  async languageStatus(): Promise<LanguageStatus[]> {
    const images = dockerSocket() ? await verdictImagesOverSocket() : await this.verdictImagesThroughRunner();
    return LANGUAGES.map((l): LanguageStatus => {
      const base = { id: l.id, name: l.name };
      if (typeof images === 'string')
        return {
          ...base,
          usable: false,
          problem: `Docker is not reachable (${images}): start it`,
          fix: 'verdict doctor',
        };
      if (images.has(imageName(l.image))) return { ...base, usable: true };
      const build = l.variantOf ?? l.id;
      return { ...base, usable: false, problem: `its image ${imageName(l.image)} is not built`, fix: imageBuildCommand(build), build };
    });
  }

  private async verdictImagesThroughRunner(): Promise<Set<string> | string> {
    try {
      const listed = await (await this.get()).docker.listImages({ filters: { reference: [`${IMAGE_NAMESPACE}/*`] } });
      return new Set(listed.flatMap((i) => i.RepoTags ?? []));
    } catch (err) {
      return (err as Error).message;
    }
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

/** After a daemon could not be had, the runs go on here; another attempt is made after this long. */
const DAEMON_RETRY_MS = 30_000;

/**
 * The local runner as every editor window, terminal and agent of this user shares it: what this
 * user's background runner (runner/daemon/, docs/daemon.md) can take — a run whose input is known, a
 * judge of tests with a built-in checker — goes there, to one warm pool for all; the rest (live
 * input, checker programs, interactive and scored packages) and everything when no daemon can be had
 * (VERDICT_DAEMON=0, Docker down) runs in this process, as LocalRunnerClient.
 */
export class SharedRunnerClient implements RunnerClient {
  readonly mode = 'local' as const;
  private readonly own = new LocalRunnerClient();
  private daemon: Promise<RemoteRunnerClient | undefined> | undefined;
  private lastFailure = 0;

  private attached(): Promise<RemoteRunnerClient | undefined> {
    if (!this.daemon && Date.now() - this.lastFailure > DAEMON_RETRY_MS)
      this.daemon = loadLibrary()
        .then((lib) => lib.attachDaemon())
        .then((client) => {
          if (!client) {
            this.lastFailure = Date.now();
            this.daemon = undefined;
            return undefined;
          }
          return new RemoteRunnerClient('http://localhost', 'local', { client, where: 'local runner (shared, in the background)' });
        });
    return this.daemon ?? Promise.resolve(undefined);
  }

  async run(
    spec: ExecutionSpecInput,
    signal: AbortSignal,
    onOutput?: (stream: 'stdout' | 'stderr', data: Buffer) => void,
    runId?: string,
    onQueue?: QueueListener,
    liveInput?: AsyncIterable<Uint8Array>,
  ): Promise<RunResult> {
    const daemon = liveInput ? undefined : await this.attached();
    return (daemon ?? this.own).run(spec, signal, onOutput, runId, onQueue, liveInput);
  }

  async judge(request: JudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult> {
    const daemonCan = request.checker.kind === 'builtin' && !request.interactor && !request.scoring;
    const daemon = daemonCan ? await this.attached() : undefined;
    return (daemon ?? this.own).judge(request, signal, callbacks);
  }

  judgeProblem(request: ProblemJudgeRequest): Promise<JudgeResult> {
    return this.own.judgeProblem(request);
  }

  async problems(): Promise<ProblemInfo[]> {
    return [];
  }

  /** The daemon keeps its own pool warm; a runner of this process is made only for what the daemon cannot take. */
  warm(languageId: string): void {
    if (!daemonWanted()) this.own.warm(languageId);
  }

  /** The daemon runs on this machine's Docker: what can run is what this machine's images allow. */
  languageStatus(): Promise<LanguageStatus[]> {
    return this.own.languageStatus();
  }

  language(id: string): Promise<LanguageDetails> {
    return languageDetails(id);
  }

  async health(): Promise<Health> {
    const daemon = await this.daemon?.catch(() => undefined);
    return (daemon ?? this.own).health();
  }

  async dispose(): Promise<void> {
    await this.own.dispose();
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

/** Docker's Unix socket, or undefined when DOCKER_HOST is TCP or SSH. */
function dockerSocket(): string | undefined {
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

/** A GET on Docker's socket without loading a Docker client: the status and body, or why there is none. */
function dockerGet(socketPath: string, apiPath: string): Promise<{ status: number; body: string } | string> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: apiPath, timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => resolve(err.message));
    });
    req.on('error', (err) => resolve(err.message));
    req.on('timeout', () => (req.destroy(), resolve('no answer')));
    req.end();
  });
}

/** GET /_ping on the Docker socket: true, or why not. */
async function dockerPing(): Promise<true | string> {
  const socket = dockerSocket();
  if (!socket) return true; // tcp/ssh: checked on the first run
  const answer = await dockerGet(socket, '/_ping');
  return typeof answer === 'string' ? answer : answer.status === 200 ? true : `HTTP ${answer.status}`;
}

/** The tags of Verdict's images (verdict/gcc:latest, …) in Docker, or why Docker did not say. */
async function verdictImagesOverSocket(): Promise<Set<string> | string> {
  const filters = encodeURIComponent(JSON.stringify({ reference: [`${IMAGE_NAMESPACE}/*`] }));
  const answer = await dockerGet(dockerSocket()!, `/images/json?filters=${filters}`);
  if (typeof answer === 'string') return answer;
  if (answer.status !== 200) return `HTTP ${answer.status}`;
  try {
    const images = JSON.parse(answer.body) as { RepoTags?: string[] | null }[];
    return new Set(images.flatMap((i) => i.RepoTags ?? []));
  } catch {
    return 'an answer that is not JSON';
  }
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
    /** A client made already (this user's background runner, on its unix socket) and how to name it. */
    shared?: { client: ServiceClient; where: string },
  ) {
    this.client = shared?.client ?? new ServiceClient(url, token);
    this.where = shared?.where ?? `remote runner ${url || '(no URL)'}`;
  }

  private readonly where: string;

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
    const tests: InlineTest[] = await Promise.all(request.tests.map(inlineTest));
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

  /** Usable: what the server's GET /v1/languages lists (its own probe of its images). */
  async languageStatus(): Promise<LanguageStatus[]> {
    this.requireConfigured();
    const offered = new Set((await this.client.languages()).map((l) => l.id));
    return LANGUAGES.map((l) =>
      offered.has(l.id)
        ? { id: l.id, name: l.name, usable: true }
        : { id: l.id, name: l.name, usable: false, problem: `the server ${this.url} does not offer it (ask its administrator)` },
    );
  }

  language(id: string): Promise<LanguageDetails> {
    return languageDetails(id);
  }

  async health(): Promise<Health> {
    const where = this.where;
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
