// The one interface through which the language server reaches a runner: run, judge, cancel (through
// AbortSignal), languages, health. The local implementation is the runner library in-process, so its
// warm pool serves every Run after the first; a remote one (the classroom service) comes later and
// the rest of the server never knows which it talks to.
import type { Runner } from '../runner/engine';
import { request } from 'node:http';
import type { ExecutionSpecInput, RunResult } from '../runner/spec';
import { judge, type JudgeRequest, type JudgeResult } from '../runner/judge/judge';
import type { TestResult } from '../runner/judge/types';
import type { LanguageProbe } from '../runner/probe';
import type { CompileResult } from '../runner/spec';
import type { LanguageDefinition } from '../runner/languages';
import { loadLanguages } from '../runner/languages';
import type { OutputListener } from '../runner/submission';

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

export interface RunnerClient {
  readonly mode: 'local' | 'remote';
  readonly languages: Map<string, LanguageDefinition>;
  /** onOutput receives the program's output as it is written. */
  run(spec: ExecutionSpecInput, signal: AbortSignal, onOutput?: OutputListener, runId?: string): Promise<RunResult>;
  judge(request: JudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult>;
  /** Starts a container for a language in the background (a file of it was opened). */
  warm(languageId: string): void;
  probeLanguages(): Promise<LanguageProbe[]>;
  health(): Promise<Health>;
  dispose(): Promise<void>;
}

/**
 * The runner library in this process, loaded on the first run (an idle editor does not pay for the
 * Docker client); its warm pool then serves every later run.
 */
export class LocalRunnerClient implements RunnerClient {
  readonly mode = 'local' as const;
  readonly languages = loadLanguages();
  private runner: Promise<Runner> | undefined;

  private get(): Promise<Runner> {
    this.runner ??= import('../runner/engine')
      .then(({ Runner }) => Runner.create({ languages: this.languages }))
      .catch((err) => {
        this.runner = undefined; // try again next time: Docker may have been started meanwhile
        throw err;
      });
    return this.runner;
  }

  async run(spec: ExecutionSpecInput, signal: AbortSignal, onOutput?: OutputListener, runId?: string): Promise<RunResult> {
    return (await this.get()).run(spec, { signal, ...(onOutput ? { onOutput } : {}), ...(runId ? { runId } : {}) });
  }

  async judge(request: JudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult> {
    return judge(await this.get(), request, { signal, ...callbacks });
  }

  warm(languageId: string): void {
    this.get()
      .then((r) => r.warm(languageId))
      .catch(() => undefined); // health() reports why
  }

  async probeLanguages(): Promise<LanguageProbe[]> {
    const { probeLanguages } = await import('../runner/probe');
    return probeLanguages(await this.get(), [...this.languages.values()]);
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
  readonly languages = loadLanguages();
  constructor(private readonly url: string) {}
  private fail(): never {
    throw new Error(`The remote runner at ${this.url || '(no URL set)'} is not supported by this version yet; set verdict.runner.mode to "local".`);
  }
  async run(): Promise<RunResult> {
    return this.fail();
  }
  async judge(): Promise<JudgeResult> {
    return this.fail();
  }
  warm(): void {}
  probeLanguages(): Promise<LanguageProbe[]> {
    return Promise.resolve([]);
  }
  health(): Promise<Health> {
    return Promise.resolve({ healthy: false, message: `remote runner ${this.url || '(no URL)'}: not supported by this version yet` });
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
