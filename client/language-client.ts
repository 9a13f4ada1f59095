// Starts the Verdict language server (dist/server/server.js, over IPC) and turns its custom
// notifications into VS Code events, so every part of the extension can listen to them: the
// client keeps one handler per notification method, and several parts need each one.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, TransportKind, type Middleware, type ServerOptions } from 'vscode-languageclient/node';
import {
  OutputNotification,
  ResultNotification,
  StatusNotification,
  TestResultNotification,
  TestsRequest,
  type OutputParams,
  type ResultParams,
  type StatusParams,
  type TestResultParams,
  type TestsParams,
  type TestsResult,
} from '../server/protocol';
import { documentSelector } from './languages';
import { SECTION } from './settings';

/** The server's notifications, as events. */
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
      client.onNotification(OutputNotification, (p: OutputParams) => this.output.fire(p)),
      client.onNotification(ResultNotification, (p: ResultParams) => this.result.fire(p)),
      client.onNotification(TestResultNotification, (p: TestResultParams) => this.testResult.fire(p)),
      client.onNotification(StatusNotification, (p: StatusParams) => this.status.fire(p)),
    ];
  }

  dispose(): void {
    for (const e of [this.output, this.result, this.testResult, this.status]) e.dispose();
  }
}

/** The server as the rest of the extension uses it. */
export class VerdictServer {
  constructor(readonly client: LanguageClient) {}

  /** Runs one of the server's commands (server/protocol.ts `Commands`) without any UI. */
  execute<T = unknown>(command: string, args: unknown[], token?: vscode.CancellationToken): Promise<T> {
    return this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token) as Promise<T>;
  }

  tests(uri: vscode.Uri): Promise<TestsResult> {
    const params: TestsParams = { uri: uri.toString() };
    return this.client.sendRequest<TestsResult>(TestsRequest, params);
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
  return new LanguageClient(
    'verdict',
    'Verdict Language Server',
    serverOptions,
    {
      documentSelector,
      synchronize: { configurationSection: SECTION },
      middleware,
    },
  );
}
