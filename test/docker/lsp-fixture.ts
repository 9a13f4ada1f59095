// A language server as an editor drives it, for the tests: a real process (bin/verdict-language-server.js),
// real JSON-RPC over stdio, what it publishes recorded. Each test file starts its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  WorkDoneProgressCreateRequest,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve(__dirname, '../../bin/verdict-language-server.js');

export interface LanguageServer {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** Every publication of diagnostics, by document URI. */
  diagnostics: Map<string, PublishDiagnosticsParams[]>;
  progressTokens: string[];
  /** Methods of the notifications no handler took. */
  notified: string[];
  /** Writes a file under the workspace folder; answers its URI. */
  file(name: string, content: string | Buffer): string;
  open(uri: string, languageId: string, text: string): void;
  stop(): Promise<void>;
}

export async function startLanguageServer(options: {
  root: string;
  settings: unknown;
  env?: NodeJS.ProcessEnv;
  initializationOptions?: Record<string, unknown>;
}): Promise<LanguageServer> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  const progressTokens: string[] = [];
  const notified: string[] = [];
  connection.onNotification(PublishDiagnosticsNotification.method, (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, [...(diagnostics.get(p.uri) ?? []), p]);
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'verdict' ? options.settings : null)));
  connection.onRequest(WorkDoneProgressCreateRequest.method, (p: { token: string | number }) => {
    progressTokens.push(String(p.token));
    return null;
  });
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.onUnhandledNotification((n) => void notified.push(n.method));
  connection.listen();
  const rootUri = pathToFileURL(options.root).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    // As the VS Code extension does: it shows verdict/output itself, so output stays out of the log.
    initializationOptions: { outputNotifications: true, ...options.initializationOptions },
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, codeLens: { refreshSupport: true } } },
    workspaceFolders: [{ uri: rootUri, name: 'w' }],
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    process: child,
    diagnostics,
    progressTokens,
    notified,
    file(name, content) {
      const p = path.join(options.root, name);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
      return pathToFileURL(p).href;
    },
    open(uri, languageId, text) {
      void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    },
    async stop() {
      await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await connection.sendNotification(ExitNotification.type).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      child.kill();
    },
  };
}
