// Starts the Verdict language server (dist/server/server.js, over IPC) and turns what it says into
// VS Code events, so every part of the extension can listen: its notifications (output as it comes,
// each test as it ends, the runner's health) and the result of every run or judge, which is the
// command's response (the server sends it once, as that response).
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, TransportKind, type Middleware, type ServerOptions } from 'vscode-languageclient/node';
import {
  Commands,
  CompanionProblemRequest,
  OutputNotification,
  StatusNotification,
  TestDataRequest,
  TestResultNotification,
  TestsRequest,
  type CompanionProblemParams,
  type CompanionProblemResult,
  type OutputParams,
  type ResultParams,
  type StatusParams,
  type TestDataResult,
  type TestResultParams,
  type TestsResult,
} from '../protocol/lsp';
import type { JudgeResult, RunResult } from '../protocol/results';
import { documentSelector } from './languages';
import { SECTION } from './settings';

/** The server's notifications, and the results of runs and judges, as events. */
export class VerdictEvents implements vscode.Disposable {
  private readonly output = new vscode.EventEmitter<OutputParams>();
  private readonly result = new vscode.EventEmitter<ResultParams>();
  private readonly testResult = new vscode.EventEmitter<TestResultParams>();
  private readonly status = new vscode.EventEmitter<StatusParams>();
  readonly onOutput = this.output.event;
  readonly onResult = this.result.event;
  readonly onTestResult = this.testResult.event;
  readonly onStatus = this.status.event;

  listen(client: LanguageClient): vscode.Disposable[] {
    return [
      client.onNotification(OutputNotification, (p) => this.output.fire(p)),
      client.onNotification(TestResultNotification, (p) => this.testResult.fire(p)),
      client.onNotification(StatusNotification, (p) => this.status.fire(p)),
    ];
  }

  /** A run or judge ended: its result, from the command's response. */
  resultOf(p: ResultParams): void {
    this.result.fire(p);
  }

  dispose(): void {
    for (const e of [this.output, this.result, this.testResult, this.status]) e.dispose();
  }
}

/** The server as the rest of the extension uses it. */
export class VerdictServer {
  constructor(
    readonly client: LanguageClient,
    private readonly events: VerdictEvents,
  ) {}

  /** Runs one of the server's commands (protocol/lsp.ts `Commands`) without any UI. */
  execute<T = unknown>(command: string, args: unknown[], token?: vscode.CancellationToken): Promise<T> {
    return this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token) as Promise<T>;
  }

  /** Runs a file; its result reaches every listener (output channel, status bar, lens) from here. */
  async run(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<RunResult> {
    const result = await this.execute<RunResult>(Commands.run, [uri.toString()], token);
    this.events.resultOf({ uri: uri.toString(), kind: 'run', result });
    return result;
  }

  /** Judges a file against its tests, or only the named ones. */
  async judge(uri: vscode.Uri, tests?: string[], token?: vscode.CancellationToken): Promise<JudgeResult> {
    const result = await this.execute<JudgeResult>(Commands.judge, tests ? [uri.toString(), tests] : [uri.toString()], token);
    this.events.resultOf({ uri: uri.toString(), kind: 'judge', result });
    return result;
  }

  tests(uri: vscode.Uri): Promise<TestsResult> {
    return this.client.sendRequest(TestsRequest, { uri: uri.toString() });
  }

  testData(uri: vscode.Uri, name: string): Promise<TestDataResult> {
    return this.client.sendRequest(TestDataRequest, { uri: uri.toString(), name });
  }

  companionProblem(params: CompanionProblemParams): Promise<CompanionProblemResult> {
    return this.client.sendRequest(CompanionProblemRequest, params);
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

export function createLanguageClient(context: vscode.ExtensionContext, middleware: Middleware): LanguageClient {
  const module = context.asAbsolutePath('dist/server/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  return new LanguageClient('verdict', 'Verdict Language Server', serverOptions, {
    documentSelector,
    synchronize: { configurationSection: SECTION },
    // This client shows program output from verdict/output; the server then keeps it out of the log.
    initializationOptions: { outputNotifications: true },
    middleware,
  });
}
