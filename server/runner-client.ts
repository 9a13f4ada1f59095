// The one interface through which the language server reaches a runner: run, judge, cancel (through
// AbortSignal), health. The local implementation is the runner library in this process, loaded
// through its front door (runner/index.ts) on the first run, so an idle editor loads neither the
// Docker client nor zod; its warm pool then serves every later run. A remote one (the classroom
// service) comes later, and the rest of the server never knows which it talks to.
import { request } from 'node:http';
import type { ExecutionSpecInput } from '../protocol/spec';
import type { JudgeRequest } from '../protocol/judge';
import type { CompileResult, JudgeResult, RunResult, TestResult } from '../protocol/results';
import type * as RunnerLibrary from '../runner/index';

export interface JudgeCallbacks {
  /** Labels the judge and everything streamed about it. */
  runId?: string;
  onCompiled?: (compile: CompileResult | undefined) => void;
  onTest?: (test: TestResult, index: number, total: number) => void;
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
  ): Promise<RunResult>;
  judge(request: JudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult>;
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
  ): Promise<RunResult> {
    return (await this.get()).run(spec, { signal, ...(onOutput ? { onOutput } : {}), ...(runId ? { runId } : {}) });
  }

  async judge(request: JudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult> {
    return (await this.get()).judge(request, { signal, ...callbacks });
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

/** Placeholder until the classroom service exists: says so instead of failing obscurely. */
export class UnavailableRemoteRunner implements RunnerClient {
  readonly mode = 'remote' as const;
  constructor(private readonly url: string) {}
  private fail(): never {
    throw new Error(
      `The remote runner at ${this.url || '(no URL set)'} is not supported by this version yet; set verdict.runner.mode to "local".`,
    );
  }
  async run(): Promise<RunResult> {
    return this.fail();
  }
  async judge(): Promise<JudgeResult> {
    return this.fail();
  }
  warm(): void {}
  language(id: string): Promise<LanguageDetails> {
    return languageDetails(id);
  }
  health(): Promise<Health> {
    return Promise.resolve({ healthy: false, message: `remote runner ${this.url || '(no URL)'}: not supported by this version yet` });
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
