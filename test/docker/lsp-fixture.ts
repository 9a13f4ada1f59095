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
  ExecuteCommandRequest,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  WorkDoneProgressCreateRequest,
  ShutdownRequest,
  ExitNotification,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve(__dirname, '../../bin/verdict-language-server.js');

/** What the server reported under one work-done progress token. */
export interface ProgressReport {
  kind: string;
  message?: string;
  percentage?: number;
}

export interface LanguageServer {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** The server's answer to initialize (its capabilities). */
  initializeResult: InitializeResult;
  /** Every publication of diagnostics, by document URI. */
  diagnostics: Map<string, PublishDiagnosticsParams[]>;
  /** Each work-done progress token the server created, in order. */
  progressTokens: string[];
  /** What was reported under each token, from its creation on. */
  progress: Map<string, ProgressReport[]>;
  /** Methods of the notifications no handler took. */
  notified: string[];
  /** Writes a file under the workspace folder; answers its URI. */
  file(name: string, content: string | Buffer): string;
  /** Writes tests 1, 2 … (N.in, N.ans) into a folder under the workspace, as Judge reads NAME.tests/. */
  tests(folder: string, cases: Array<[input: string, answer: string]>): void;
  open(uri: string, languageId: string, text: string): void;
  /** workspace/executeCommand, as a lens or the command palette sends it. */
  command<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

/** Writes a file under a workspace folder; answers its URI. */
export function workspaceFile(root: string, name: string, content: string | Buffer): string {
  const p = path.join(root, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return pathToFileURL(p).href;
}

export type LanguageServerOptions = {
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Handlers set before the connection listens, so that nothing the server sends at start-up is missed. */
  handlers?: (connection: ProtocolConnection) => void;
} & (
  | {
      /**
       * What workspace/configuration answers for the `verdict` section: an object (changed in place by a
       * test, then workspace/didChangeConfiguration), or a function called once for each request.
       */
      settings: object | (() => object);
      initializationOptions?: Record<string, unknown>;
      plain?: false;
    }
  | {
      /**
       * An editor without Verdict's client: no client capabilities, no initialization options, no
       * workspace folders, and no answer to the requests such an editor does not support.
       */
      plain: true;
    }
);

export async function startLanguageServer(options: LanguageServerOptions): Promise<LanguageServer> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  const progressTokens: string[] = [];
  const progress = new Map<string, ProgressReport[]>();
  const notified: string[] = [];
  connection.onNotification(PublishDiagnosticsNotification.method, (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, [...(diagnostics.get(p.uri) ?? []), p]);
  });
  connection.onRequest(WorkDoneProgressCreateRequest.method, (p: { token: string | number }) => {
    progressTokens.push(String(p.token));
    progress.set(String(p.token), []);
    return null;
  });
  connection.onNotification('$/progress', (p: { token: string | number; value: ProgressReport }) => {
    progress.get(String(p.token))?.push(p.value);
  });
  if (!options.plain) {
    const settings = options.settings;
    connection.onRequest(ConfigurationRequest.type, (p) => {
      const verdict = typeof settings === 'function' ? settings() : settings;
      return p.items.map((i) => (i.section === 'verdict' ? verdict : null));
    });
    connection.onRequest('workspace/codeLens/refresh', () => null);
  }
  connection.onUnhandledNotification((n) => void notified.push(n.method));
  options.handlers?.(connection);
  connection.listen();
  const rootUri = pathToFileURL(options.root).href;
  let initializeResult: InitializeResult;
  try {
    initializeResult = await connection.sendRequest(
      InitializeRequest.type,
      options.plain
        ? { processId: process.pid, rootUri, capabilities: {} }
        : {
            processId: process.pid,
            rootUri,
            // As the VS Code extension does: it shows verdict/output itself, so output stays out of the log.
            initializationOptions: { outputNotifications: true, ...options.initializationOptions },
            capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, codeLens: { refreshSupport: true } } },
            workspaceFolders: [{ uri: rootUri, name: 'w' }],
          },
    );
    await connection.sendNotification(InitializedNotification.type, {});
  } catch (e) {
    connection.dispose();
    child.kill();
    throw e;
  }
  return {
    connection,
    process: child,
    initializeResult,
    diagnostics,
    progressTokens,
    progress,
    notified,
    file: (name, content) => workspaceFile(options.root, name, content),
    tests(folder, cases) {
      cases.forEach(([input, answer], i) => {
        workspaceFile(options.root, `${folder}/${i + 1}.in`, input);
        workspaceFile(options.root, `${folder}/${i + 1}.ans`, answer);
      });
    },
    open(uri, languageId, text) {
      void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    },
    command: <T>(name: string, ...args: unknown[]) =>
      connection.sendRequest(ExecuteCommandRequest.type, { command: name, arguments: args }) as Promise<T>,
    async stop() {
      await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await connection.sendNotification(ExitNotification.type).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      child.kill();
    },
  };
}
