// The Verdict language server: CodeLens (Run, Judge, the last verdict), run/judge/stop/add-test
// commands with progress and cancellation, diagnostics for compile and runtime errors and failed
// judges, and configuration. It reaches the runner only through RunnerClient.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeLens,
  DiagnosticSeverity,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type InitializeResult,
  type WorkDoneProgressServerReporter,
  CodeLensRefreshRequest,
  MessageType,
  ShowMessageNotification,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { expand, languageForFile, resolveVariables, type LanguageDefinition } from '../runner/languages';
import { RunCancelled, UsageError } from '../runner/errors';
import { outputBytes, type RunResult } from '../runner/spec';
import { DisplayStream, displayText } from '../protocol/display';
import { testRow, verdictTitle } from '../protocol/report';
import type { JudgeResult } from '../runner/judge/judge';
import { compileDiagnostics, runtimeDiagnostics, type SourceDiagnostic } from './diagnostics';
import {
  Commands,
  OutputNotification,
  ResultNotification,
  StatusNotification,
  TestResultNotification,
  TestsRequest,
  VerdictSettings,
  type OutputParams,
  type ResultParams,
  type StatusParams,
  type TestResultParams,
  type TestsParams,
  type TestsResult,
} from './protocol';
import { LocalRunnerClient, UnavailableRemoteRunner, type RunnerClient } from './runner-client';
import { addTest, findTests, readTestData } from './test-sources';

interface FileState {
  /** The run or judge in flight, cancelled by Stop, a new run, or the request's cancellation. */
  inFlight?: AbortController;
  last?: { kind: 'run'; result: RunResult } | { kind: 'judge'; result: JudgeResult };
}

export class VerdictServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly files = new Map<string, FileState>();
  private settings: VerdictSettings = VerdictSettings.parse({});
  private runner: RunnerClient = new LocalRunnerClient();
  private canRefreshLenses = false;
  private hasConfiguration = false;

  constructor(private readonly connection: Connection) {
    connection.onInitialize((params): InitializeResult => {
      this.canRefreshLenses = Boolean(params.capabilities.workspace?.codeLens?.refreshSupport);
      this.hasConfiguration = Boolean(params.capabilities.workspace?.configuration);
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          codeLensProvider: { resolveProvider: false },
          executeCommandProvider: { commands: Object.values(Commands) },
        },
        serverInfo: { name: 'verdict-language-server', version: '0.1.0' },
      };
    });
    connection.onInitialized(() => void this.reloadSettings().then(() => this.sendStatus()));
    connection.onDidChangeConfiguration(() => void this.reloadSettings().then(() => this.sendStatus()));
    connection.onCodeLens((params) => this.codeLenses(params.textDocument.uri));
    connection.onExecuteCommand((params, token) => this.execute(params.command, params.arguments ?? [], token));
    connection.onRequest(TestsRequest, (params: TestsParams): TestsResult => this.testsOf(params.uri));
    connection.onShutdown(() => this.runner.dispose());

    this.documents.onDidOpen((e) => {
      const language = this.languageOf(e.document.uri);
      if (language) this.runner.warm(language.id);
    });
    this.documents.onDidChangeContent((e) => {
      // An edit makes the last verdict and its diagnostics stale.
      const state = this.files.get(e.document.uri);
      if (state?.last) {
        delete state.last;
        this.clearDiagnostics(e.document.uri);
        this.refreshLenses();
      }
    });
    this.documents.listen(connection);
  }

  listen(): void {
    this.connection.listen();
  }

  private async reloadSettings(): Promise<void> {
    if (!this.hasConfiguration) return;
    const raw = await this.connection.workspace.getConfiguration('verdict').catch(() => ({}));
    const parsed = VerdictSettings.safeParse(raw ?? {});
    if (!parsed.success)
      this.showMessage(MessageType.Warning, `Verdict: invalid settings, using defaults: ${parsed.error.issues[0]?.message}`);
    const next = parsed.success ? parsed.data : VerdictSettings.parse({});
    if (next.runner.mode !== this.settings.runner.mode || next.runner.url !== this.settings.runner.url) {
      await this.runner.dispose();
      this.runner = next.runner.mode === 'remote' ? new UnavailableRemoteRunner(next.runner.url) : new LocalRunnerClient();
    }
    this.settings = next;
  }

  /**
   * window/showMessage, a notification: this library's showErrorMessage sends a request, which a
   * client without window/showMessageRequest answers with an error.
   */
  private showMessage(type: MessageType, message: string): void {
    // Messages may quote file names and tools' output: shown, not obeyed (see runner/display.ts).
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message: displayText(message) });
  }

  private async sendStatus(lastVerdict?: string): Promise<void> {
    const health = await this.runner.health();
    const params: StatusParams = { runner: this.runner.mode, healthy: health.healthy, message: health.message, ...(lastVerdict ? { lastVerdict } : {}) };
    void this.connection.sendNotification(StatusNotification, params);
  }

  private state(uri: string): FileState {
    let s = this.files.get(uri);
    if (!s) this.files.set(uri, (s = {}));
    return s;
  }

  private languageOf(uri: string): LanguageDefinition | undefined {
    try {
      return languageForFile(this.runner.languages, fileURLToPath(uri));
    } catch {
      return undefined;
    }
  }

  // ---- CodeLens --------------------------------------------------------------------------------

  private codeLenses(uri: string): CodeLens[] {
    if (!uri.startsWith('file:') || !this.languageOf(uri)) return [];
    const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const lenses: CodeLens[] = [CodeLens.create(top, undefined)];
    lenses[0]!.command = { title: '▶ Run', command: Commands.run, arguments: [uri] };
    let tests: number | string = 0;
    try {
      tests = findTests(fileURLToPath(uri), this.settings)?.tests.length ?? 0;
    } catch (err) {
      tests = (err as Error).message;
    }
    if (typeof tests === 'string') lenses.push({ range: top, command: { title: `⚠ Tests: ${displayText(tests.slice(0, 80), { oneLine: true })}`, command: '' } });
    else if (tests > 0) lenses.push({ range: top, command: { title: `⚖ Judge (${tests} test${tests === 1 ? '' : 's'})`, command: Commands.judge, arguments: [uri] } });
    const last = this.files.get(uri)?.last;
    if (last) lenses.push({ range: top, command: { title: verdictTitle(last), command: 'verdict.showOutput', arguments: [uri] } });
    return lenses;
  }

  private refreshLenses(): void {
    if (this.canRefreshLenses) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  // ---- commands ----------------------------------------------------------------------------------

  private async execute(command: string, args: unknown[], token: CancellationToken): Promise<unknown> {
    const uri = typeof args[0] === 'string' ? args[0] : undefined;
    try {
      switch (command) {
        case Commands.run:
          return await this.run(this.requireUri(uri), token);
        case Commands.judge:
          return await this.judge(this.requireUri(uri), token);
        case Commands.stop:
          return this.stop(uri);
        case Commands.addTest:
          return addTest(fileURLToPath(this.requireUri(uri)), this.settings, String(args[1] ?? ''), String(args[2] ?? ''));
        default:
          throw new ResponseError(LSPErrorCodes.RequestFailed, `Unknown command ${command}`);
      }
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      if (err instanceof RunCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The run was cancelled and its sandbox removed.');
      const message = (err as Error).message;
      if (!(err instanceof UsageError)) this.connection.console.error(`verdict: ${(err as Error).stack ?? message}`);
      this.showMessage(MessageType.Error, `Verdict: ${message}`);
      throw new ResponseError(LSPErrorCodes.RequestFailed, message);
    }
  }

  private requireUri(uri: string | undefined): string {
    if (!uri || !uri.startsWith('file:')) throw new UsageError('Verdict commands need the URI of a file on disk as their first argument.');
    if (!this.languageOf(uri)) throw new UsageError(`${path.basename(fileURLToPath(uri))} is not in a language Verdict knows (${[...this.runner.languages.keys()].join(', ')}).`);
    return uri;
  }

  private stop(uri: string | undefined): { stopped: number } {
    let stopped = 0;
    for (const [u, s] of this.files)
      if ((!uri || u === uri) && s.inFlight) {
        s.inFlight.abort();
        stopped++;
      }
    return { stopped };
  }

  /** The editor's text when the file is open (unsaved edits run too), else the file on disk. */
  private source(uri: string): { file: string; name: string; content: string } {
    const file = fileURLToPath(uri);
    const content = this.documents.get(uri)?.getText() ?? readFileSync(file, 'utf8');
    return { file, name: path.basename(file), content };
  }

  private begin(uri: string, token: CancellationToken): AbortController {
    const state = this.state(uri);
    state.inFlight?.abort(); // a new run replaces the one in flight
    const controller = new AbortController();
    state.inFlight = controller;
    token.onCancellationRequested(() => controller.abort());
    delete state.last;
    this.clearDiagnostics(uri);
    this.refreshLenses();
    return controller;
  }

  private limitsFor(language: LanguageDefinition): { cpuMs: number; memoryMb: number } {
    const own = this.settings.languages[language.id] ?? {};
    return { cpuMs: own.timeMs ?? this.settings.limits.timeMs, memoryMb: own.memoryMb ?? this.settings.limits.memoryMb };
  }

  private async run(uri: string, token: CancellationToken): Promise<RunResult> {
    const language = this.languageOf(uri)!;
    const { file, name, content } = this.source(uri);
    const controller = this.begin(uri, token);
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin(`Verdict: running ${name}`, undefined, language.compile ? 'compiling' : 'running', true);
    progress.token.onCancellationRequested(() => controller.abort());
    try {
      // Input for Run: NAME.stdin next to the source, when there is one.
      const stdinFile = path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.stdin`);
      // Its bytes, as they are: input is never decoded.
      const stdin = existsSync(stdinFile) ? readFileSync(stdinFile) : Buffer.alloc(0);
      let streamed = false;
      const runId = randomUUID();
      // Chunks may split a UTF-8 character or a \r\n: each stream is shown through its own DisplayStream.
      const shown = { stdout: new DisplayStream(), stderr: new DisplayStream() };
      const result = await this.runner.run(
        { language: language.id, files: [{ name, content }], stdin, limits: this.limitsFor(language) },
        controller.signal,
        (stream, data) => {
          streamed = true;
          this.output(uri, runId, stream, shown[stream].write(data));
        },
        runId,
      );
      if (result.compile?.status === 'Compile Error') this.output(uri, result.runId, 'stderr', result.compile.output);
      if (streamed) {
        this.output(uri, result.runId, 'stdout', shown.stdout.end());
        this.output(uri, result.runId, 'stderr', shown.stderr.end());
      } else {
        // Nothing came while it ran (a cached result, or no output until the end).
        this.output(uri, result.runId, 'stdout', displayText(outputBytes(result, 'stdout')));
        this.output(uri, result.runId, 'stderr', displayText(outputBytes(result, 'stderr')));
      }
      this.output(uri, result.runId, 'info', `${verdictTitle({ kind: 'run', result })}${result.message && result.status !== 'Accepted' ? ` — ${result.message}` : ''}\n`);
      const sources = { [boxNameOf(language, content)]: content };
      const diagnostics =
        result.status === 'Compile Error'
          ? compileDiagnostics(language.id, result.compile?.output ?? '', sources)
          : result.status === 'Runtime Error'
            ? runtimeDiagnostics(language.id, result.stderr, sources)
            : [];
      this.publish(uri, language, content, diagnostics, []);
      this.finish(uri, { kind: 'run', result });
      return result;
    } finally {
      progress.done();
      this.settle(uri, controller);
    }
  }

  private async judge(uri: string, token: CancellationToken): Promise<JudgeResult> {
    const language = this.languageOf(uri)!;
    const { file, name, content } = this.source(uri);
    const found = findTests(file, this.settings);
    if (!found)
      throw new UsageError(`No tests found for ${name}: put NAME.in/NAME.ans pairs in ${path.basename(file, path.extname(file))}.tests/ next to it (or add one with "Verdict: Add Test Case").`);
    const controller = this.begin(uri, token);
    const progress: WorkDoneProgressServerReporter = await this.connection.window.createWorkDoneProgress();
    progress.begin(`Verdict: judging ${name}`, 0, language.compile ? 'compiling' : `test 1 of ${found.tests.length}`, true);
    progress.token.onCancellationRequested(() => controller.abort());
    const limits = { ...this.limitsFor(language), ...(found.timeLimitMs ? { cpuMs: found.timeLimitMs } : {}) };
    const runId = randomUUID();
    try {
      const result = await this.runner.judge(
        { language: language.id, files: [{ name, content }], tests: found.tests, checker: { kind: 'builtin', name: this.settings.tests.checker }, limits },
        controller.signal,
        {
          runId,
          onCompiled: () => progress.report(0, `test 1 of ${found.tests.length}`),
          onTest: (test, index, total) => {
            progress.report(Math.round(((index + 1) / total) * 100), `test ${Math.min(index + 2, total)} of ${total}`);
            const params: TestResultParams = {
              uri,
              runId,
              index,
              total,
              test,
              ...(test.expected !== undefined ? { expected: test.expected } : {}),
              ...(test.actual !== undefined ? { actual: test.actual } : {}),
            };
            void this.connection.sendNotification(TestResultNotification, params);
            this.output(uri, runId, 'info', `${testRow(test)}\n`);
          },
        },
      );
      this.output(uri, result.runId, 'info', `${verdictTitle({ kind: 'judge', result })}${result.message ? ` — ${result.message}` : ''}\n`);
      const failed = result.tests.find((t) => t.status !== 'Accepted');
      const sources = { [boxNameOf(language, content)]: content };
      const diagnostics =
        result.status === 'Compile Error'
          ? compileDiagnostics(language.id, result.compile?.output ?? '', sources)
          : failed?.status === 'Runtime Error' && failed.stderr
            ? runtimeDiagnostics(language.id, failed.stderr, sources)
            : [];
      const verdictDiagnostic: Diagnostic[] = failed
        ? [
            {
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              severity: DiagnosticSeverity.Warning,
              source: 'verdict',
              message: displayText(`${failed.status} on test ${failed.name}${failed.diff ? `: line ${failed.diff.line}, column ${failed.diff.column}: expected ${failed.diff.expected}, got ${failed.diff.actual}` : failed.message ? `: ${failed.message}` : ''}`),
            },
          ]
        : [];
      this.publish(uri, language, content, diagnostics, verdictDiagnostic);
      this.finish(uri, { kind: 'judge', result });
      return result;
    } finally {
      progress.done();
      this.settle(uri, controller);
    }
  }

  private settle(uri: string, controller: AbortController): void {
    const state = this.state(uri);
    if (state.inFlight === controller) delete state.inFlight;
  }

  private finish(uri: string, last: NonNullable<FileState['last']>): void {
    this.state(uri).last = last;
    this.refreshLenses();
    const params: ResultParams = { uri, ...last } as ResultParams;
    void this.connection.sendNotification(ResultNotification, params);
    void this.sendStatus(verdictTitle(last));
  }

  /**
   * Output for the VS Code client (a notification) and for any other editor (window/logMessage),
   * shown with displayText: it quotes the program, whose escape sequences must not reach a terminal
   * (Neovim's, a task's) or a UI. Escaping twice changes nothing, so callers may pass shown text.
   */
  private output(uri: string, runId: string, stream: OutputParams['stream'], raw: string): void {
    const text = displayText(raw);
    if (!text) return;
    const params: OutputParams = { uri, runId, stream, text };
    void this.connection.sendNotification(OutputNotification, params);
    this.connection.console.log(`[${path.basename(fileURLToPath(uri))} ${stream}] ${text.replace(/\n$/, '')}`);
  }

  // ---- diagnostics -------------------------------------------------------------------------------

  private clearDiagnostics(uri: string): void {
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /**
   * Puts each diagnostic on the user's file: the compiler knows the source by its name in the
   * sandbox (main.cpp, Main.java), other names are files next to it (headers, other classes).
   */
  private publish(uri: string, language: LanguageDefinition, content: string, found: SourceDiagnostic[], extra: Diagnostic[]): void {
    const file = fileURLToPath(uri);
    const boxName = boxNameOf(language, content);
    const byUri = new Map<string, Diagnostic[]>([[uri, [...extra]]]);
    for (const d of found) {
      const target = d.file === boxName || d.file === path.basename(file) ? uri : pathToFileURL(path.join(path.dirname(file), d.file)).href;
      if (target !== uri && !existsSync(fileURLToPath(target))) continue;
      const line = Math.max(0, d.line - 1);
      const character = Math.max(0, d.column - 1);
      const list = byUri.get(target) ?? [];
      list.push({
        range: { start: { line, character }, end: { line, character: d.endColumn ? d.endColumn - 1 : character + 1 } },
        severity: d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
        source: 'verdict',
        // Parsed from compiler or program output: shown, not obeyed.
        message: displayText(d.message),
        ...(d.code ? { code: displayText(d.code, { oneLine: true }) } : {}),
      });
      byUri.set(target, list);
    }
    for (const [u, diagnostics] of byUri) void this.connection.sendDiagnostics({ uri: u, diagnostics });
  }

  // ---- tests for the Test Explorer ------------------------------------------------------------------

  private testsOf(uri: string): TestsResult {
    try {
      const found = findTests(fileURLToPath(uri), this.settings);
      if (!found) return { tests: [] };
      return { source: found.source, tests: found.tests.map((t) => ({ name: t.name, input: readTestData(t.input), answer: readTestData(t.answer) })) };
    } catch (err) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, (err as Error).message);
    }
  }
}

/** The name the sandbox gives the source (main.cpp, Main.java): compilers report that name. */
function boxNameOf(language: LanguageDefinition, content: string): string {
  return expand(language.sourceFile, { ...resolveVariables(language, content), memoryMb: '0' });
}
