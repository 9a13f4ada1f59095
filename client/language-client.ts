// Starts the Verdict language server (dist/server/server.js, over IPC) and turns what it says into
// VS Code events, so every part of the extension can listen: its notifications (output as it comes,
// each test as it ends, the runner's health, a remote run's place in the queue) and the result of
// every run or judge, which is the command's response (the server sends it once, as that response).
// The remote runner's token (from VS Code's SecretStorage) goes to the server in
// initializationOptions and, when it changes, as verdict/setToken.
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LSPErrorCodes,
  LanguageClient,
  ResponseError,
  TransportKind,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  AddStressTestRequest,
  CheckSetupRequest,
  LanguagesRequest,
  type LanguageStatus,
  Commands,
  CompanionProblemRequest,
  DeleteTestRequest,
  NewSourceTextRequest,
  SaveTestRequest,
  type CheckSetupResult,
  type SaveTestResult,
  StressRequest,
  type AddStressTestResult,
  type StressCase,
  type StressParams,
  type StressResult,
  OutputNotification,
  ProblemsRequest,
  QueueNotification,
  SetTokenNotification,
  StatusNotification,
  TestDataRequest,
  TestResultNotification,
  TestsRequest,
  type CompanionProblemParams,
  type CompanionProblemResult,
  type OutputParams,
  type QueueParams,
  type ResultParams,
  type StatusParams,
  type TestDataResult,
  type TestResultParams,
  type TestsResult,
} from '../protocol/lsp';
import type { ProblemInfo } from '../protocol/http';
import type { JudgeResult, RunResult } from '../protocol/results';
import { documentSelector } from './languages';
import { SECTION } from './settings';

/** The server's notifications, and the results of runs and judges, as events. */
export class VerdictEvents implements vscode.Disposable {
  private readonly output = new vscode.EventEmitter<OutputParams>();
  private readonly result = new vscode.EventEmitter<ResultParams>();
  private readonly testResult = new vscode.EventEmitter<TestResultParams>();
  private readonly status = new vscode.EventEmitter<StatusParams>();
  private readonly queue = new vscode.EventEmitter<QueueParams>();
  private readonly busy = new vscode.EventEmitter<BusyParams>();
  /** A run or judge of a file started (kind) or ended (kind undefined; stopped: it was stopped, not finished). */
  readonly onBusy = this.busy.event;
  readonly onOutput = this.output.event;
  readonly onResult = this.result.event;
  readonly onTestResult = this.testResult.event;
  readonly onStatus = this.status.event;
  /** A remote run's place in the server's queue (0: it no longer waits). */
  readonly onQueue = this.queue.event;

  listen(client: LanguageClient): vscode.Disposable[] {
    return [
      client.onNotification(OutputNotification, (p) => this.output.fire(p)),
      client.onNotification(TestResultNotification, (p) => this.testResult.fire(p)),
      client.onNotification(StatusNotification, (p) => this.status.fire(p)),
      client.onNotification(QueueNotification, (p) => this.queue.fire(p)),
    ];
  }

  /** A run or judge ended: its result, from the command's response. */
  resultOf(p: ResultParams): void {
    this.result.fire(p);
  }

  busyOf(p: BusyParams): void {
    this.busy.fire(p);
  }

  dispose(): void {
    for (const e of [this.output, this.result, this.testResult, this.status, this.queue, this.busy]) e.dispose();
  }
}

export interface BusyParams {
  uri: string;
  /** What started; undefined when it ended. */
  kind?: 'run' | 'judge';
  /** It ended because it was stopped (Stop, or replaced by a new run of the same file). */
  stopped?: boolean;
  /** It started while another run of the same file was in flight (which the server stopped). */
  restarted?: boolean;
}

/**
 * A run or judge that a new one of the same file replaced (the server stopped it): not an error, and
 * not a "Stopped" either, since the user asked for the new one; the new one's header says so.
 */
export class RunReplaced extends Error {
  override name = 'RunReplaced';
  constructor(readonly uri: string) {
    super('replaced by a new run of the same file');
  }
}

/** A cancellation as VS Code or the server says it. */
export function isCancellation(e: unknown): boolean {
  return e instanceof vscode.CancellationError || (e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
}

/** The server as the rest of the extension uses it. */
export class VerdictServer {
  /** Runs and judges in flight, by file: a generation number, so a replaced one knows it. */
  private readonly inFlight = new Map<string, number>();
  private generation = 0;

  constructor(
    readonly client: LanguageClient,
    private readonly events: VerdictEvents,
  ) {}

  /** Whether a run or judge of this file (or of any file) is in flight. */
  isBusy(uri?: string): boolean {
    return uri === undefined ? this.inFlight.size > 0 : this.inFlight.has(uri);
  }

  /** Runs `work` as the file's run or judge: busy events around it, and a replaced run's cancellation as RunReplaced. */
  private async track<T>(uri: vscode.Uri, kind: 'run' | 'judge', work: () => Promise<T>): Promise<T> {
    const key = uri.toString();
    const restarted = this.inFlight.has(key);
    const mine = ++this.generation;
    this.inFlight.set(key, mine);
    this.events.busyOf({ uri: key, kind, restarted });
    let stopped = false;
    try {
      return await work();
    } catch (e) {
      stopped = isCancellation(e);
      if (stopped && this.inFlight.get(key) !== mine) throw new RunReplaced(key);
      throw e;
    } finally {
      if (this.inFlight.get(key) === mine) {
        this.inFlight.delete(key);
        this.events.busyOf({ uri: key, stopped });
      }
    }
  }

  /** Whether a new run of this file would replace one in flight. */
  wouldRestart(uri: vscode.Uri): boolean {
    return this.inFlight.has(uri.toString());
  }

  /** Runs one of the server's commands (protocol/lsp.ts `Commands`) without any UI. */
  execute<T = unknown>(command: string, args: unknown[], token?: vscode.CancellationToken): Promise<T> {
    return this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token) as Promise<T>;
  }

  /** Runs a file; its result reaches every listener (output channel, status bar, lens) from here. */
  async run(
    uri: vscode.Uri,
    token?: vscode.CancellationToken,
    options?: { stdin?: string } | { live: true; runId: string },
  ): Promise<RunResult> {
    return this.track(uri, 'run', async () => {
      const result = await this.execute<RunResult>(Commands.run, options ? [uri.toString(), options] : [uri.toString()], token);
      this.events.resultOf({ uri: uri.toString(), kind: 'run', result });
      return result;
    });
  }

  /** Judges a file against its tests, or only the named ones. */
  async judge(uri: vscode.Uri, tests?: string[], token?: vscode.CancellationToken): Promise<JudgeResult> {
    return this.track(uri, 'judge', async () => {
      const result = await this.execute<JudgeResult>(Commands.judge, tests ? [uri.toString(), tests] : [uri.toString()], token);
      this.events.resultOf({ uri: uri.toString(), kind: 'judge', result });
      return result;
    });
  }

  /** Judges a file against a problem stored on the server (remote runner only). */
  async judgeProblem(uri: vscode.Uri, problem: string, token?: vscode.CancellationToken): Promise<JudgeResult> {
    return this.track(uri, 'judge', async () => {
      const result = await this.execute<JudgeResult>(Commands.judge, [uri.toString(), { problem }], token);
      this.events.resultOf({ uri: uri.toString(), kind: 'judge', result });
      return result;
    });
  }

  /** Stops the run or judge of a file (every one without a file). */
  stop(uri?: vscode.Uri): Promise<{ stopped: number }> {
    return this.execute(Commands.stop, uri ? [uri.toString()] : []);
  }

  /** Writes a test's input and answer (a new test without a name). */
  saveTest(uri: vscode.Uri, input: string, answer: string, name?: string): Promise<SaveTestResult> {
    return this.client.sendRequest(SaveTestRequest, { uri: uri.toString(), input, answer, ...(name !== undefined ? { name } : {}) });
  }

  deleteTest(uri: vscode.Uri, name: string): Promise<{ deleted: boolean }> {
    return this.client.sendRequest(DeleteTestRequest, { uri: uri.toString(), name });
  }

  /** The checks of `verdict doctor` for the runner in use. */
  checkSetup(token?: vscode.CancellationToken): Promise<CheckSetupResult> {
    return this.client.sendRequest(CheckSetupRequest, token);
  }

  /** Every language and whether it can run with the runner in use; `refresh` looks again (and refreshes the lenses). */
  languages(refresh = false): Promise<LanguageStatus[]> {
    return this.client.sendRequest(LanguagesRequest, { refresh });
  }

  /** The problems on the server (none with the local runner). */
  problems(): Promise<ProblemInfo[]> {
    return this.client.sendRequest(ProblemsRequest);
  }

  /** The remote runner's token changed ("" when signed out). */
  setToken(token: string): Promise<void> {
    return this.client.sendNotification(SetTokenNotification, { token });
  }

  tests(uri: vscode.Uri): Promise<TestsResult> {
    return this.client.sendRequest(TestsRequest, { uri: uri.toString() });
  }

  testData(uri: vscode.Uri, name: string): Promise<TestDataResult> {
    return this.client.sendRequest(TestDataRequest, { uri: uri.toString(), name });
  }

  /** A stress test of a file (the server shows its progress, cancellable there or with the token). */
  stress(params: StressParams, token?: vscode.CancellationToken): Promise<StressResult> {
    return this.client.sendRequest(StressRequest, params, token);
  }

  /** Saves a stress test's failing case as a test of the file (stress-N.in/.ans in its tests folder). */
  addStressTest(uri: vscode.Uri, failing: StressCase): Promise<AddStressTestResult> {
    return this.client.sendRequest(AddStressTestRequest, { uri: uri.toString(), failing });
  }

  companionProblem(params: CompanionProblemParams): Promise<CompanionProblemResult> {
    return this.client.sendRequest(CompanionProblemRequest, params);
  }

  /** The text a new, empty source file starts with (the user's template, filled); none when no template is set. */
  async newSourceText(uri: vscode.Uri): Promise<string | undefined> {
    return (await this.client.sendRequest(NewSourceTextRequest, { uri: uri.toString() })).text;
  }

  get running(): boolean {
    return this.client.isRunning();
  }
}

/** Same document whatever way each side spelled the URI (percent-encoding, drive letter case). */
export function sameUri(a: string, b: vscode.Uri): boolean {
  try {
    return vscode.Uri.parse(a).toString() === b.toString();
  } catch {
    return false;
  }
}

/**
 * The language client; `token` gives the remote runner's token at each start of the server (it may
 * restart after a crash, and the token may have changed since).
 */
export function createLanguageClient(context: vscode.ExtensionContext, middleware: Middleware, token: () => string): LanguageClient {
  const module = context.asAbsolutePath('dist/server/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  return new LanguageClient('verdict', 'Verdict Language Server', serverOptions, {
    documentSelector,
    synchronize: { configurationSection: SECTION },
    // This client shows program output from verdict/output; the server then keeps it out of the log.
    initializationOptions: () => ({ outputNotifications: true, token: token() }),
    middleware,
  });
}
