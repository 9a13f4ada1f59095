// The one interface through which the language server reaches a runner: run, judge, cancel (through
// AbortSignal), languages, health. The local implementation is the runner library in-process, so its
// warm pool serves every Run after the first; a remote one (the classroom service) comes later and
// the rest of the server never knows which it talks to.
import { Runner } from '../runner/runner';
import type { ExecutionSpecInput, RunResult } from '../runner/spec';
import { judge, type JudgeRequest, type JudgeResult } from '../runner/judge/judge';
import type { TestResult } from '../runner/judge/types';
import { probeLanguages, type LanguageProbe } from '../runner/probe';
import type { CompileResult } from '../runner/spec';
import type { LanguageDefinition } from '../runner/languages';
import { loadLanguages } from '../runner/languages';

export interface JudgeCallbacks {
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
  run(spec: ExecutionSpecInput, signal: AbortSignal): Promise<RunResult>;
  judge(request: JudgeRequest, signal: AbortSignal, callbacks: JudgeCallbacks): Promise<JudgeResult>;
  /** Starts a container for a language in the background (a file of it was opened). */
  warm(languageId: string): void;
  probeLanguages(): Promise<LanguageProbe[]>;
  health(): Promise<Health>;
  dispose(): Promise<void>;
}

/** The runner library in this process. Docker is reached lazily, on the first need. */
export class LocalRunnerClient implements RunnerClient {
  readonly mode = 'local' as const;
  readonly languages = loadLanguages();
  private runner: Promise<Runner> | undefined;

  private get(): Promise<Runner> {
    this.runner ??= Runner.create({ languages: this.languages }).catch((err) => {
      this.runner = undefined; // try again next time: Docker may have been started meanwhile
      throw err;
    });
    return this.runner;
  }

  async run(spec: ExecutionSpecInput, signal: AbortSignal): Promise<RunResult> {
    return (await this.get()).run(spec, { signal });
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
    return probeLanguages(await this.get(), [...this.languages.values()]);
  }

  async health(): Promise<Health> {
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
