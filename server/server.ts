// The Verdict language server: CodeLens (Run, Judge, the last verdict), run/judge/stop/add-test
// commands with progress and cancellation, stress tests (verdict/stress), diagnostics for compile and runtime errors and failed
// judges, the tests of a file, Competitive Companion problems, and configuration. It speaks the
// protocol of protocol/lsp.ts and reaches the runner only through RunnerClient (and
// runner/judge/tests.ts for where tests live).
//
// The runner is local (Docker on this machine) or remote (a classroom service at verdict.runner.url,
// with the token VS Code keeps in its SecretStorage and sends as initializationOptions.token and
// verdict/setToken, or else the verdict.runner.token setting); only the remote one has stored
// problems (verdict/problems, the judge command's { problem } form) and a queue (verdict/queue).
//
// One result, one message: a run's or judge's result is the command's response, and nothing else
// repeats it. Program output streams as verdict/output to a client that asked for it
// (initializationOptions.outputNotifications, the VS Code extension), and as window/logMessage to
// any other editor, which also gets the verdict there since it has no view of its own.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
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
import type { JudgeResult, RunResult } from '../protocol/results';
import { DisplayStream, displayText } from '../protocol/display';
import { diffWhere, judgeSummary, outputBytes, ranLine, testRow, verdictTitle } from '../protocol/report';
import { LANGUAGES, languageOfSource, type LanguageFacts } from '../protocol/languages.generated';
import { languageForRun } from '../protocol/standards';
import { fillTemplate, type TemplateValues } from '../protocol/template';
import {
  DEFAULT_SETTINGS,
  languageUnderSettings,
  readVerdictSettings,
  type LanguageLimits,
  type VerdictSettings,
} from '../protocol/settings';
import {
  AddStressTestRequest,
  CheckSetupRequest,
  Commands,
  CompanionProblemRequest,
  NewSourceTextRequest,
  DeleteTestRequest,
  InputNotification,
  LanguagesRequest,
  SaveTestRequest,
  StressRequest,
  type CheckSetupResult,
  type DeleteTestParams,
  type SaveTestParams,
  type SaveTestResult,
  type AddStressTestParams,
  type AddStressTestResult,
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
  type NewSourceTextParams,
  type NewSourceTextResult,
  type CompanionProblemResult,
  type LanguageStatus,
  type OutputParams,
  type QueueParams,
  type StatusParams,
  type TestDataParams,
  type TestDataResult,
  type TestResultParams,
  type TestsResult,
} from '../protocol/lsp';
import { addTest, findTests, readTestData, saveCompanionProblem, testsDirFor } from '../runner/judge/tests';
import type * as RunnerLibrary from '../runner/index';
import { ByteQueue } from '../protocol/byte-queue';
import { compileDiagnostics, runtimeDiagnostics, type SourceDiagnostic } from './diagnostics';
import type { ProblemInfo } from '../protocol/http';
import { RemoteRunnerClient, SharedRunnerClient, type JudgeCallbacks, type QueueListener, type RunnerClient } from './runner-client';

/**
 * What the server knows of one file. A run and a judge are kept apart: a run has no expected output,
 * so it never replaces (or clears) the judge's verdict and diagnostics; an edit makes both stale.
 */
interface FileState {
  /** The run or judge in flight, cancelled by Stop, a new run, or the request's cancellation. */
  inFlight?: AbortController;
  judge?: JudgeResult;
  run?: RunResult;
  /** Diagnostics by target URI (the file, headers next to it), from the last judge and the last run. */
  diagnostics: { judge: Map<string, Diagnostic[]>; run: Map<string, Diagnostic[]> };
}

/** Errors by name, not by class: the runner's classes load with the runner, on the first run. */
function isError(err: unknown, ...names: string[]): boolean {
  return err instanceof Error && names.includes(err.name);
}

/** A caller's mistake (bad usage, a broken tests folder): said in words, never logged as a crash. */
class UsageError extends Error {
  override name = 'UsageError';
}

export class VerdictServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly files = new Map<string, FileState>();
  /** The input of live runs, by the run id the client chose. */
  private readonly liveInputs = new Map<string, ByteQueue>();
  private settings: VerdictSettings = DEFAULT_SETTINGS;
  private runner: RunnerClient = new SharedRunnerClient();
  private canRefreshLenses = false;
  private hasConfiguration = false;
  /** The client shows verdict/output itself (the VS Code extension); others get window/logMessage. */
  private outputNotifications = false;
  private lastStatus = '';
  /** The token the client keeps for the remote runner (VS Code's SecretStorage); "" = the verdict.runner.token setting's. */
  private clientToken = '';
  /** What the current runner was made from (mode, URL, token). */
  private runnerKey = JSON.stringify(['local']);
  /** Which languages can run with the current runner, as last looked up (kept until a refresh or another runner). */
  private languageStatuses: Promise<Map<string, LanguageStatus>> | undefined;

  constructor(private readonly connection: Connection) {
    connection.onInitialize((params): InitializeResult => {
      this.canRefreshLenses = Boolean(params.capabilities.workspace?.codeLens?.refreshSupport);
      this.hasConfiguration = Boolean(params.capabilities.workspace?.configuration);
      const options = params.initializationOptions as { outputNotifications?: unknown; token?: unknown } | undefined;
      this.outputNotifications = options?.outputNotifications === true;
      if (typeof options?.token === 'string') this.clientToken = options.token;
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
    connection.onRequest(TestsRequest, (params) => this.testsOf(params.uri));
    connection.onRequest(TestDataRequest, (params) => this.testData(params));
    connection.onRequest(CompanionProblemRequest, (params) => this.companionProblem(params));
    connection.onRequest(NewSourceTextRequest, (params) => this.newSourceText(params));
    connection.onRequest(ProblemsRequest, () => this.problems());
    connection.onRequest(StressRequest, (params, token) => this.stress(params, token));
    connection.onRequest(AddStressTestRequest, (params) => this.addStressTest(params));
    connection.onRequest(SaveTestRequest, (params) => this.saveTest(params));
    connection.onRequest(DeleteTestRequest, (params) => this.deleteTest(params));
    connection.onRequest(CheckSetupRequest, () => this.checkSetup());
    connection.onRequest(LanguagesRequest, (params) => this.languages(params?.refresh === true));
    connection.onNotification(InputNotification, (params) => {
      const input = typeof params?.runId === 'string' ? this.liveInputs.get(params.runId) : undefined;
      if (!input) return; // the run ended (or never was): nothing reads it
      if (typeof params.data === 'string') input.push(Buffer.from(params.data, 'base64'));
      if (params.eof === true) input.end();
    });
    connection.onNotification(SetTokenNotification, (params) => {
      this.clientToken = typeof params?.token === 'string' ? params.token : '';
      void this.applyRunner().then(() => this.sendStatus());
    });
    connection.onShutdown(() => this.runner.dispose());

    this.documents.onDidOpen((e) => {
      const language = this.languageOf(e.document.uri);
      if (language) this.runner.warm(language.id);
    });
    this.documents.onDidChangeContent((e) => {
      // An edit makes the last verdict and its diagnostics stale.
      const state = this.files.get(e.document.uri);
      if (state && (state.judge || state.run)) {
        delete state.judge;
        delete state.run;
        this.setDiagnostics(e.document.uri, 'judge', new Map());
        this.setDiagnostics(e.document.uri, 'run', new Map());
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
    const { settings: next, problems } = readVerdictSettings(raw ?? {});
    if (problems.length) this.showMessage(MessageType.Warning, `Verdict: invalid settings, defaults used instead: ${problems.join('; ')}`);
    this.settings = next;
    await this.applyRunner();
  }

  /** A new runner when its mode, URL or token changed: the local runner, or the server's with the client's token (else the setting's). */
  private async applyRunner(): Promise<void> {
    const { mode, url, token } = this.settings.runner;
    const effective = this.clientToken || token;
    const key = JSON.stringify(mode === 'remote' ? [mode, url, effective] : [mode]);
    if (key === this.runnerKey) return;
    this.runnerKey = key;
    const old = this.runner;
    this.runner = mode === 'remote' ? new RemoteRunnerClient(url.trim(), effective.trim()) : new SharedRunnerClient();
    this.languageStatuses = undefined;
    this.refreshLenses();
    await old.dispose();
  }

  /**
   * window/showMessage, a notification: this library's showErrorMessage sends a request, which a
   * client without window/showMessageRequest answers with an error.
   */
  private showMessage(type: MessageType, message: string): void {
    // Messages may quote file names and tools' output: shown, not obeyed (see protocol/display.ts).
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message: displayText(message) });
  }

  /** The runner's mode and health, sent when they change. */
  private async sendStatus(): Promise<void> {
    const health = await this.runner.health();
    const params: StatusParams = { runner: this.runner.mode, healthy: health.healthy, message: health.message };
    const key = JSON.stringify(params);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(StatusNotification, params);
  }

  private state(uri: string): FileState {
    let s = this.files.get(uri);
    if (!s) this.files.set(uri, (s = { diagnostics: { judge: new Map(), run: new Map() } }));
    return s;
  }

  /**
   * The language of a file: by its extension, by its text when the extension is shared (`.pl`: Perl or
   * Prolog), and the variant the settings' standard names (C++20) (protocol/languages.generated.ts).
   */
  private languageOf(uri: string): LanguageFacts | undefined {
    const language = this.familyLanguageOf(uri);
    return language && languageUnderSettings(language, this.settings);
  }

  /** The language of a file before the settings choose a standard: cpp for any C++ file. */
  private familyLanguageOf(uri: string): LanguageFacts | undefined {
    if (!uri.startsWith('file:')) return undefined;
    return languageOfSource(fileURLToPath(uri), this.documents.get(uri)?.getText());
  }

  // ---- CodeLens --------------------------------------------------------------------------------

  private async codeLenses(uri: string): Promise<CodeLens[]> {
    const language = this.languageOf(uri);
    if (!language) return [];
    const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const state = this.files.get(uri);
    // A language that cannot run here gets one lens instead of Run and Judge: why, and the fix.
    const status = (await this.languageStatus()).get(language.id);
    if (status && !status.usable && !state?.inFlight) return [{ range: top, command: unusableLens(status) }];
    // While a run or judge of this file is in flight, the first lens stops it.
    const lenses: CodeLens[] = [
      state?.inFlight
        ? { range: top, command: { title: '■ Stop', command: Commands.stop, arguments: [uri] } }
        : { range: top, command: { title: '▶ Run', command: Commands.run, arguments: [uri] } },
    ];
    let tests: number | string = 0;
    try {
      tests = (await findTests(fileURLToPath(uri), this.settings.tests.folder))?.tests.length ?? 0;
    } catch (err) {
      tests = (err as Error).message;
    }
    if (typeof tests === 'string')
      lenses.push({ range: top, command: { title: `⚠ Tests: ${displayText(tests.slice(0, 80), { oneLine: true })}`, command: '' } });
    else if (tests > 0)
      lenses.push({
        range: top,
        command: { title: `⚖ Judge (${tests} test${tests === 1 ? '' : 's'})`, command: Commands.judge, arguments: [uri] },
      });
    if (state?.judge)
      lenses.push({
        range: top,
        command: { title: verdictTitle({ kind: 'judge', result: state.judge }), command: 'verdict.showOutput', arguments: [uri] },
      });
    if (state?.run)
      lenses.push({
        range: top,
        command: { title: verdictTitle({ kind: 'run', result: state.run }), command: 'verdict.showOutput', arguments: [uri] },
      });
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
          return await this.run(await this.requireUsable(this.requireUri(uri)), runOptions(args[1]), token);
        case Commands.judge:
          return await this.judge(await this.requireUsable(this.requireUri(uri)), judgeTarget(args[1]), token);
        case Commands.stop:
          return this.stop(uri);
        case Commands.addTest:
          return addTest(fileURLToPath(this.requireUri(uri)), this.settings.tests.folder, String(args[1] ?? ''), String(args[2] ?? ''));
        default:
          throw new ResponseError(LSPErrorCodes.RequestFailed, `Unknown command ${command}`);
      }
    } catch (err) {
      // A failed command may say the runner is gone (unreachable, a refused token): the status bar says so too.
      void this.sendStatus();
      throw this.responseError(err);
    }
  }

  /** An error as the client gets it: cancellation as such, a usage error in words, anything else logged too. */
  private responseError(err: unknown): ResponseError<void> {
    if (err instanceof ResponseError) return err;
    if (isError(err, 'RunCancelled'))
      return new ResponseError(LSPErrorCodes.RequestCancelled, 'The run was cancelled and its sandbox removed.');
    const message = (err as Error).message;
    // A server's answer (401, 403, 429, unreachable, another version) says what to do: not a crash either.
    if (!isError(err, 'UsageError', 'SpecInvalid', 'ServiceClientError'))
      this.connection.console.error(`verdict: ${(err as Error).stack ?? message}`);
    this.showMessage(MessageType.Error, `Verdict: ${message}`);
    return new ResponseError(LSPErrorCodes.RequestFailed, message);
  }

  private requireUri(uri: string | undefined): string {
    if (!uri || !uri.startsWith('file:')) throw new UsageError('Verdict commands need the URI of a file on disk as their first argument.');
    if (!this.languageOf(uri))
      throw new UsageError(
        `${path.basename(fileURLToPath(uri))} is not in a language Verdict knows (${LANGUAGES.map((l) => l.id).join(', ')}).`,
      );
    return uri;
  }

  /**
   * Refuses, with the fix, a run of a language that cannot run here (its image missing, Docker down, not
   * offered by the server) before anything starts. Looked up again first: it may have been fixed since.
   */
  private async requireUsable(uri: string): Promise<string> {
    const language = this.languageOf(uri)!;
    if ((await this.languageStatus()).get(language.id)?.usable !== false) return uri;
    const status = (await this.languageStatus(true)).get(language.id);
    if (!status || status.usable) return uri;
    throw new UsageError(
      `${language.name} cannot run here: ${status.problem}.${status.fix ? ` Run \`${status.fix}\` in a terminal${status.build ? ' (the lens "build it" does)' : ''}, then try again.` : ''}`,
    );
  }

  /** Every language's status for the current runner: looked up once, again when `refresh` (then the lenses change too). */
  private languageStatus(refresh = false): Promise<Map<string, LanguageStatus>> {
    if (refresh || !this.languageStatuses) {
      const runner = this.runner;
      const lookup = runner
        .languageStatus()
        .then((list) => new Map(list.map((l) => [l.id, l])))
        // Not known (a server that does not answer): nothing is refused on a guess; the run says what is wrong.
        .catch(() => new Map<string, LanguageStatus>());
      const previous = this.languageStatuses;
      this.languageStatuses = lookup;
      if (refresh && previous) void lookup.then(() => this.refreshLenses());
    }
    return this.languageStatuses!;
  }

  /** verdict/languages: every language and whether it can run here. */
  private async languages(refresh: boolean): Promise<LanguageStatus[]> {
    return [...(await this.languageStatus(refresh)).values()];
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

  /** A run or judge starts: it replaces the one in flight; a judge clears the file's last results, a run only the last run's. */
  private begin(uri: string, token: CancellationToken, kind: 'run' | 'judge'): AbortController {
    const state = this.state(uri);
    state.inFlight?.abort(); // a new run replaces the one in flight
    const controller = new AbortController();
    state.inFlight = controller;
    token.onCancellationRequested(() => controller.abort());
    delete state.run;
    this.setDiagnostics(uri, 'run', new Map());
    if (kind === 'judge') {
      delete state.judge;
      this.setDiagnostics(uri, 'judge', new Map());
    }
    this.refreshLenses();
    return controller;
  }

  /** The run arguments the settings give this language (its own, else its base's: cpp20 takes cpp's). */
  private runArgs(language: LanguageFacts): string[] {
    return this.languageSetting(language, 'args') ?? [];
  }

  /** The extra compile flags the settings give this language for Run and Judge (its own, else its base's); the runner checks them. */
  private compileFlags(language: LanguageFacts): { compileFlags?: string[] } {
    const flags = this.languageSetting(language, 'compileFlags');
    return flags?.length ? { compileFlags: flags } : {};
  }

  /** A per-language setting of this language, else of the language it is a variant of (cpp20 → cpp). */
  private languageSetting<K extends 'args' | 'compileFlags'>(language: LanguageFacts, key: K): LanguageLimits[K] | undefined {
    return (
      this.settings.languages[language.id]?.[key] ?? (language.variantOf ? this.settings.languages[language.variantOf]?.[key] : undefined)
    );
  }

  private limitsFor(language: LanguageFacts): { cpuMs: number; memoryMb: number } {
    const own = this.settings.languages[language.id] ?? {};
    return { cpuMs: own.timeMs ?? this.settings.limits.timeMs, memoryMb: own.memoryMb ?? this.settings.limits.memoryMb };
  }

  private async run(uri: string, options: RunOptions, token: CancellationToken): Promise<RunResult> {
    const language = this.languageOf(uri)!;
    const { file, name, content } = this.source(uri);
    // Registered before anything is awaited: the client's first verdict/input follows this request.
    const live = options.liveRunId !== undefined ? new ByteQueue() : undefined;
    if (live) this.liveInputs.set(options.liveRunId!, live);
    const controller = this.begin(uri, token, 'run');
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin(`Verdict: running ${name}`, undefined, language.compiled ? 'compiling' : 'running', true);
    progress.token.onCancellationRequested(() => controller.abort());
    try {
      // Input for Run: NAME.stdin next to the source, when there is one. Its bytes, as they are.
      // The editor's custom input wins (the test-case panel's box).
      const stdinFile = path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.stdin`);
      const stdin =
        live || options.stdin === undefined
          ? live || !existsSync(stdinFile)
            ? Buffer.alloc(0)
            : readFileSync(stdinFile)
          : Buffer.from(options.stdin, 'utf8');
      const mainFile = (await this.runner.language(language.id)).sourceFileName(content);
      const runId = options.liveRunId ?? randomUUID();
      let streamed = false;
      // Chunks may split a UTF-8 character or a \r\n: each stream is shown through its own DisplayStream.
      const shown = { stdout: new DisplayStream(), stderr: new DisplayStream() };
      const result = await this.runner.run(
        // A person types a live run's input: the wall limit is the longest there is (CPU and memory as ever).
        {
          language: language.id,
          files: [{ name, content }],
          stdin,
          limits: { ...this.limitsFor(language), ...(live ? { wallMs: LIVE_WALL_MS } : {}) },
          ...(this.runArgs(language).length ? { args: this.runArgs(language) } : {}),
          ...this.compileFlags(language),
        },
        controller.signal,
        (stream, data) => {
          streamed = true;
          const text = shown[stream].write(data);
          this.output(uri, runId, stream, stream === 'stderr' ? userFileNames(text, mainFile, file) : text);
        },
        runId,
        this.queue(uri, runId, progress, language.compiled ? 'compiling' : 'running'),
        live,
      );
      if (streamed)
        for (const stream of ['stdout', 'stderr'] as const) {
          const text = shown[stream].end();
          this.output(uri, result.runId, stream, stream === 'stderr' ? userFileNames(text, mainFile, file) : text);
        }
      const shownResult = withUserFileNames(result, mainFile, file);
      if (!this.outputNotifications) {
        // An editor without Verdict's client sees the run in its log: the output (when it did not stream), then the verdict.
        if (result.compile?.status === 'Compile Error') this.log(uri, 'compile', shownResult.compile!.output);
        if (!streamed)
          for (const stream of ['stdout', 'stderr'] as const) this.log(uri, stream, displayText(outputBytes(shownResult, stream)));
        this.log(uri, 'verdict', ranLine(result));
      }
      const diagnostics =
        result.status === 'Compile Error'
          ? compileDiagnostics(language.id, result.compile?.output ?? '', { [mainFile]: content })
          : result.status === 'Runtime Error'
            ? runtimeDiagnostics(language.id, result.stderr, { [mainFile]: content })
            : [];
      this.publish(uri, 'run', mainFile, diagnostics, []);
      this.state(uri).run = shownResult;
      this.finish(uri);
      return shownResult;
    } finally {
      progress.done();
      this.settle(uri, controller);
      if (live) {
        live.end();
        this.liveInputs.delete(options.liveRunId!);
      }
    }
  }

  private async judge(uri: string, target: JudgeTarget, token: CancellationToken): Promise<JudgeResult> {
    const language = this.languageOf(uri)!;
    const { file, name, content } = this.source(uri);
    if (target && 'problem' in target) {
      // A problem stored on the server: its tests, limits and checker are the server's.
      if (this.runner.mode !== 'remote')
        throw new UsageError(
          `Judging against a problem stored on a server ("${displayText(target.problem, { oneLine: true })}") needs the remote runner: sign in to a server ("Verdict: Sign in to a Server"), or set verdict.runner.mode to "remote" with verdict.runner.url.`,
        );
      // The problem's standard (its problem.yaml `verdict.standards`) wins over the settings' (protocol/standards.ts).
      const family = this.familyLanguageOf(uri)!;
      const standards = (await this.runner.problems()).find((p) => p.id === target.problem)?.standards;
      const judged = languageForRun({ language: family.id, settingsStandard: this.settings.languages[family.id]?.standard }, standards);
      return this.judgeWith(
        uri,
        token,
        language,
        content,
        `Verdict: judging ${name} against ${target.problem}`,
        undefined,
        (signal, callbacks) =>
          this.runner.judgeProblem(
            { language: judged.language, files: [{ name, content }], problem: target.problem, ...this.compileFlags(language) },
            signal,
            callbacks,
          ),
      );
    }
    const only = target?.tests;
    const found = await findTests(file, this.settings.tests.folder);
    if (!found)
      throw new UsageError(
        `No tests found for ${name}: put NAME.in/NAME.ans pairs in ${path.basename(file, path.extname(file))}.tests/ next to it (or add one with "Verdict: Add Test Case").`,
      );
    // Selected tests run alone (the Test Explorer's choice); unknown names are a mistake, said as such.
    const tests = only ? found.tests.filter((t) => only.includes(t.name)) : found.tests;
    const unknown = only?.filter((n) => !found.tests.some((t) => t.name === n)) ?? [];
    if (unknown.length)
      throw new UsageError(`${name} has no test named ${unknown.map((n) => `"${displayText(n, { oneLine: true })}"`).join(', ')}.`);
    const limits = { ...this.limitsFor(language), ...(found.timeLimitMs ? { cpuMs: found.timeLimitMs } : {}) };
    return this.judgeWith(uri, token, language, content, `Verdict: judging ${name}`, tests.length, (signal, callbacks) =>
      this.runner.judge(
        {
          language: language.id,
          files: [{ name, content }],
          tests,
          checker: { kind: 'builtin', name: this.settings.tests.checker },
          limits,
          ...this.compileFlags(language),
        },
        signal,
        callbacks,
      ),
    );
  }

  /** A judge with its progress, streamed tests, diagnostics and lens; `count` is the number of tests when known. */
  private async judgeWith(
    uri: string,
    token: CancellationToken,
    language: LanguageFacts,
    content: string,
    title: string,
    count: number | undefined,
    judge: (signal: AbortSignal, callbacks: JudgeCallbacks) => Promise<JudgeResult>,
  ): Promise<JudgeResult> {
    const controller = this.begin(uri, token, 'judge');
    const progress: WorkDoneProgressServerReporter = await this.connection.window.createWorkDoneProgress();
    const of = (n: number) => (count === undefined ? `test ${n}` : `test ${n} of ${count}`);
    progress.begin(title, 0, language.compiled ? 'compiling' : of(1), true);
    progress.token.onCancellationRequested(() => controller.abort());
    const runId = randomUUID();
    try {
      const result = await judge(controller.signal, {
        runId,
        onCompiled: () => progress.report(0, of(1)),
        onTest: (test, index, total) => {
          progress.report(Math.round(((index + 1) / total) * 100), `test ${Math.min(index + 2, total)} of ${total}`);
          if (this.outputNotifications) {
            const params: TestResultParams = { uri, runId, index, total, test };
            void this.connection.sendNotification(TestResultNotification, params);
          } else this.log(uri, 'test', testRow(test));
        },
        onQueue: this.queue(uri, runId, progress, language.compiled ? 'compiling' : of(1)),
      });
      const mainFile = (await this.runner.language(language.id)).sourceFileName(content);
      const file = fileURLToPath(uri);
      const shownResult = withUserFileNames(result, mainFile, file);
      if (!this.outputNotifications) {
        if (result.compile?.status === 'Compile Error') this.log(uri, 'compile', shownResult.compile!.output);
        this.log(uri, 'verdict', judgeSummary(shownResult));
      }
      const failed = result.tests.find((t) => t.status !== 'Accepted');
      const sources = { [mainFile]: content };
      const diagnostics =
        result.status === 'Compile Error'
          ? compileDiagnostics(language.id, result.compile?.output ?? '', sources)
          : failed?.status === 'Runtime Error' && failed.stderr
            ? runtimeDiagnostics(language.id, failed.stderr, sources)
            : [];
      // A failed test is about the program's output, not a place in the source: the diagnostic sits on the
      // whole `main` line (else the first line) and names the output's line and column as such.
      const verdictDiagnostic: Diagnostic[] = failed
        ? [
            {
              range: verdictRange(content),
              severity: DiagnosticSeverity.Warning,
              source: 'verdict',
              message: displayText(
                `${failed.status} on test ${failed.name}${failed.diff ? `: ${diffWhere(failed.diff)}: expected ${failed.diff.expected}, got ${failed.diff.actual}` : failed.message ? `: ${failed.message}` : ''}`,
              ),
            },
          ]
        : [];
      this.publish(uri, 'judge', mainFile, diagnostics, verdictDiagnostic);
      this.state(uri).judge = shownResult;
      this.finish(uri);
      return shownResult;
    } finally {
      progress.done();
      this.settle(uri, controller);
    }
  }

  /**
   * A remote run's place in the server's queue: in the progress, and as verdict/queue for Verdict's
   * client (its status bar), until it starts (position 0).
   */
  private queue(uri: string, runId: string, progress: WorkDoneProgressServerReporter, next: string): QueueListener {
    return (position) => {
      progress.report(position > 0 ? `waiting in the server's queue: #${position}` : next);
      if (!this.outputNotifications) return;
      const params: QueueParams = { uri, runId, position };
      void this.connection.sendNotification(QueueNotification, params);
    };
  }

  private settle(uri: string, controller: AbortController): void {
    const state = this.state(uri);
    if (state.inFlight === controller) {
      delete state.inFlight;
      this.refreshLenses(); // ■ Stop becomes ▶ Run again
    }
  }

  /** The verdict becomes the file's lens; the runner's health may have changed (the first run starts it). */
  private finish(_uri: string): void {
    this.refreshLenses();
    void this.sendStatus();
  }

  /**
   * Program output as it arrives, shown with displayText (it quotes the program, whose escape
   * sequences must not reach a terminal or a UI): a verdict/output notification for Verdict's
   * client, window/logMessage for any other editor. Escaping twice changes nothing.
   */
  private output(uri: string, runId: string, stream: OutputParams['stream'], raw: string): void {
    const text = displayText(raw);
    if (!text) return;
    if (this.outputNotifications) {
      const params: OutputParams = { uri, runId, stream, text };
      void this.connection.sendNotification(OutputNotification, params);
    } else this.log(uri, stream, text);
  }

  /** A line of an editor's log (window/logMessage), for editors without Verdict's own client. */
  private log(uri: string, what: string, raw: string): void {
    const text = displayText(raw).replace(/\n$/, '');
    if (text) this.connection.console.log(`[${path.basename(fileURLToPath(uri))} ${what}] ${text}`);
  }

  // ---- diagnostics -------------------------------------------------------------------------------

  /** Replaces the judge's or the run's diagnostics of a file and publishes both together for every URI either touches. */
  private setDiagnostics(uri: string, kind: 'judge' | 'run', next: Map<string, Diagnostic[]>): void {
    const state = this.state(uri);
    const old = state.diagnostics[kind];
    state.diagnostics[kind] = next;
    const targets = new Set([...old.keys(), ...next.keys()]);
    for (const target of targets)
      void this.connection.sendDiagnostics({
        uri: target,
        diagnostics: [...(state.diagnostics.judge.get(target) ?? []), ...(state.diagnostics.run.get(target) ?? [])],
      });
  }

  /**
   * Puts each diagnostic on the user's file: the compiler knows the source by its name in the
   * sandbox (mainFile: main.cpp, Main.java), other names are files next to it (headers, other classes).
   */
  private publish(uri: string, kind: 'judge' | 'run', mainFile: string, found: SourceDiagnostic[], extra: Diagnostic[]): void {
    const file = fileURLToPath(uri);
    const byUri = new Map<string, Diagnostic[]>([[uri, [...extra]]]);
    for (const d of found) {
      const target =
        d.file === mainFile || d.file === path.basename(file) ? uri : pathToFileURL(path.join(path.dirname(file), d.file)).href;
      if (target !== uri && !existsSync(fileURLToPath(target))) continue;
      const line = Math.max(0, d.line - 1);
      const character = Math.max(0, d.column - 1);
      const list = byUri.get(target) ?? [];
      list.push({
        range: { start: { line, character }, end: { line, character: d.endColumn ? d.endColumn - 1 : character + 1 } },
        severity:
          d.severity === 'error'
            ? DiagnosticSeverity.Error
            : d.severity === 'warning'
              ? DiagnosticSeverity.Warning
              : DiagnosticSeverity.Information,
        source: 'verdict',
        // Parsed from compiler or program output: shown, not obeyed.
        message: displayText(d.message),
        ...(d.code ? { code: displayText(d.code, { oneLine: true }) } : {}),
      });
      byUri.set(target, list);
    }
    this.setDiagnostics(uri, kind, byUri);
  }

  // ---- tests ---------------------------------------------------------------------------------------

  private async testsOf(uri: string): Promise<TestsResult> {
    try {
      const file = fileURLToPath(uri);
      const dir = testsDirFor(file, this.settings.tests.folder);
      const found = await findTests(file, this.settings.tests.folder);
      if (!found) return { tests: [], dir };
      return {
        source: found.source,
        dir,
        tests: found.tests.map((t) => (editableTest(t, dir) ? { name: t.name } : { name: t.name, readOnly: true })),
      };
    } catch (err) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, (err as Error).message);
    }
  }

  /**
   * Writes a test's input and answer (the panel's edit, add and duplicate): NAME.in and NAME.ans in the
   * folder Judge reads, the same files the CLI reads. Only a plain pair of that folder is overwritten.
   */
  private async saveTest(params: SaveTestParams): Promise<SaveTestResult> {
    try {
      const file = fileURLToPath(this.requireUri(params.uri));
      if (typeof params.input !== 'string' || typeof params.answer !== 'string')
        throw new UsageError('verdict/saveTest needs the input and the answer as text.');
      if (params.name === undefined) return addTest(file, this.settings.tests.folder, params.input, params.answer);
      const dir = testsDirFor(file, this.settings.tests.folder);
      const test = (await findTests(file, this.settings.tests.folder))?.tests.find((t) => t.name === params.name);
      if (!test || !editableTest(test, dir))
        throw new UsageError(
          `Test "${displayText(params.name, { oneLine: true })}" is not a NAME.in/NAME.ans pair in ${dir}: it is shown, not edited (hidden, package and cph tests are read-only).`,
        );
      writeFileSync(path.join(dir, `${test.name}.in`), params.input);
      writeFileSync(path.join(dir, `${test.name}.ans`), params.answer);
      return { name: test.name, dir };
    } catch (err) {
      throw this.responseError(err);
    }
  }

  private async deleteTest(params: DeleteTestParams): Promise<{ deleted: boolean }> {
    try {
      const file = fileURLToPath(this.requireUri(params.uri));
      const dir = testsDirFor(file, this.settings.tests.folder);
      const test = (await findTests(file, this.settings.tests.folder))?.tests.find((t) => t.name === params.name);
      if (!test) return { deleted: false };
      if (!editableTest(test, dir))
        throw new UsageError(`Test "${displayText(params.name, { oneLine: true })}" is read-only (hidden, package or cph tests).`);
      for (const ext of ['.in', '.ans']) rmSync(path.join(dir, `${test.name}${ext}`), { force: true });
      return { deleted: true };
    } catch (err) {
      throw this.responseError(err);
    }
  }

  /** "Verdict: Check Setup": the checks of `verdict doctor` (local runner), or whether the server answers (remote). */
  private async checkSetup(): Promise<CheckSetupResult> {
    // Whatever it finds, the lenses then say what can run now (an image built outside the editor).
    void this.languageStatus(true);
    try {
      if (this.runner.mode === 'remote') {
        const health = await this.runner.health();
        const checks = [
          {
            name: 'server',
            state: health.healthy ? ('ok' as const) : ('fail' as const),
            detail: health.message,
            ...(health.healthy ? {} : { fix: 'Check verdict.runner.url, or sign in again ("Verdict: Sign in to a Server").' }),
          },
        ];
        return { runner: 'remote', checks, ok: health.healthy };
      }
      const lib: typeof RunnerLibrary = await import('../runner/index');
      const checks = await lib.collectChecks();
      void this.sendStatus();
      return { runner: 'local', checks, ok: checks.every((c) => c.state !== 'fail') };
    } catch (err) {
      throw this.responseError(err);
    }
  }

  private async testData(params: TestDataParams): Promise<TestDataResult> {
    try {
      const test = (await findTests(fileURLToPath(params.uri), this.settings.tests.folder))?.tests.find((t) => t.name === params.name);
      if (!test)
        throw new UsageError(
          `No test named "${displayText(params.name, { oneLine: true })}" for ${path.basename(fileURLToPath(params.uri))}.`,
        );
      return { input: readTestData(test.input), answer: readTestData(test.answer) };
    } catch (err) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, (err as Error).message);
    }
  }

  /** A Competitive Companion problem: its tests where Judge finds them, a new source from the template. */
  private async companionProblem(params: CompanionProblemParams): Promise<CompanionProblemResult> {
    try {
      if (!this.languageOfId(params.language))
        throw new UsageError(
          `Unknown language "${params.language}" for new problems. Known languages: ${LANGUAGES.map((l) => l.id).join(', ')}.`,
        );
      const language = await this.runner.language(params.language);
      const p = (typeof params.payload === 'object' && params.payload !== null ? params.payload : {}) as Record<string, unknown>;
      const field = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
      const limit = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
      const template = this.userTemplate(this.languageOfId(params.language)!, {
        name: field(p.name),
        group: field(p.group),
        url: field(p.url),
        ...(limit(p.timeLimit) !== undefined ? { timeLimitMs: limit(p.timeLimit) } : {}),
        ...(limit(p.memoryLimit) !== undefined ? { memoryLimitMb: limit(p.memoryLimit) } : {}),
      });
      const saved = await saveCompanionProblem(
        params.payload,
        params.folder,
        { id: params.language, ...language, ...(template !== undefined ? { template } : {}) },
        { folderSetting: this.settings.tests.folder, replaceTests: params.replaceTests === true },
      );
      const status = (await this.languageStatus()).get(params.language);
      const notes =
        status && !status.usable
          ? [...saved.notes, `${status.name} cannot run here yet: ${status.problem}${status.fix ? ` — run \`${status.fix}\`` : ''}`]
          : saved.notes;
      return { ...saved, notes, source: pathToFileURL(saved.source).href };
    } catch (err) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, (err as Error).message);
    }
  }

  /**
   * The user's template for new sources of a language (verdict.languages.ID.template, else its
   * base's: a file, ~ and relative paths from the home folder), filled (protocol/template.ts);
   * undefined: none is set.
   */
  private userTemplate(language: LanguageFacts, values: TemplateValues): string | undefined {
    const setting = (id: string) => this.settings.languages[id]?.template;
    const id = setting(language.id) ? language.id : language.variantOf;
    const file = id && setting(id);
    if (!file) return undefined;
    const resolved = path.resolve(homedir(), file.replace(/^~(?=$|[\\/])/, homedir()));
    let text: string;
    try {
      text = readFileSync(resolved, 'utf8');
    } catch (err) {
      throw new UsageError(`The template in verdict.languages.${id}.template cannot be read (${resolved}): ${(err as Error).message}`);
    }
    return fillTemplate(text, values);
  }

  /** A new, empty file the user made: its language's template, {name} its name and the limits the settings give the language. */
  private newSourceText(params: NewSourceTextParams): NewSourceTextResult {
    try {
      const language = this.languageOf(params.uri);
      if (!language) return {};
      const file = fileURLToPath(params.uri);
      const limits = this.limitsFor(language);
      const text = this.userTemplate(language, {
        name: path.basename(file, path.extname(file)),
        timeLimitMs: limits.cpuMs,
        memoryLimitMb: limits.memoryMb,
      });
      return text === undefined ? {} : { text };
    } catch (err) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, (err as Error).message);
    }
  }

  /** The problems on the server this token may judge against; none with the local runner. */
  private async problems(): Promise<ProblemInfo[]> {
    try {
      return await this.runner.problems();
    } catch (err) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, (err as Error).message);
    }
  }

  // ---- stress testing --------------------------------------------------------------------------------

  /**
   * A stress test of a file against a reference on a generator's inputs (runner/stress/), with
   * cancellable work-done progress; Stop stops it too. It runs on this machine's Docker, in a runner of
   * its own (three containers at once: see stressPoolSize), closed (its containers removed) at the end.
   */
  private async stress(params: StressParams, token: CancellationToken): Promise<StressResult> {
    try {
      const uri = this.requireUri(params.uri);
      const [reference, generator] = [this.requireUri(params.reference), this.requireUri(params.generator)];
      if (this.runner.mode === 'remote')
        throw new UsageError(
          'Stress tests run on this machine\'s Docker: set verdict.runner.mode to "local" to run one (the remote runner does not take them).',
        );
      if (params.rounds !== undefined && !(Number.isSafeInteger(params.rounds) && params.rounds > 0))
        throw new UsageError(`verdict/stress: rounds must be a whole number above 0 (got ${JSON.stringify(params.rounds)}).`);
      if (params.seed !== undefined && !(Number.isSafeInteger(params.seed) && params.seed >= 0))
        throw new UsageError(`verdict/stress: seed must be a whole number, 0 or more (got ${JSON.stringify(params.seed)}).`);
      for (const u of [uri, reference, generator]) await this.requireUsable(u);
      const program = (u: string) => {
        const { name, content } = this.source(u);
        return { language: this.languageOf(u)!.id, files: [{ name, content }] };
      };
      const request = {
        solution: program(uri),
        reference: program(reference),
        generator: program(generator),
        ...(params.rounds !== undefined ? { rounds: params.rounds } : {}),
        ...(params.seed !== undefined ? { seed: params.seed } : {}),
        checker: { name: this.settings.tests.checker },
        limits: this.limitsFor(this.languageOf(uri)!),
      };
      const state = this.state(uri);
      state.inFlight?.abort();
      const controller = new AbortController();
      state.inFlight = controller;
      token.onCancellationRequested(() => controller.abort());
      const progress = await this.connection.window.createWorkDoneProgress();
      progress.begin(`Verdict: stress testing ${request.solution.files[0]!.name}`, 0, 'compiling', true);
      progress.token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      try {
        const lib: typeof RunnerLibrary = await import('../runner/index');
        const runner = await lib.Runner.create({ pool: { maxBusy: lib.stressPoolSize(), idlePerShape: 0, idleTimeoutMs: 0 } });
        try {
          return await lib.stress(runner, request, {
            signal: controller.signal,
            onProgress: (p) => {
              if (Date.now() - reported < 200 && p.done !== p.rounds) return;
              reported = Date.now();
              if (p.phase === 'testing')
                progress.report(
                  Math.floor((p.done / p.rounds) * 100),
                  `round ${p.done} of ${p.rounds}, ${p.roundsPerSecond.toFixed(1)} rounds/s`,
                );
              else progress.report(p.phase === 'compiling' ? 'compiling' : `a difference: shrinking it (${p.done} smaller inputs tried)`);
            },
          });
        } finally {
          await runner.close();
        }
      } finally {
        progress.done();
        this.settle(uri, controller);
      }
    } catch (err) {
      throw this.responseError(err);
    }
  }

  /** Saves a stress test's failing case as a test of the file: stress-N.in and stress-N.ans (the reference's output) where Judge reads them. */
  private async addStressTest(params: AddStressTestParams): Promise<AddStressTestResult> {
    try {
      const uri = this.requireUri(params.uri);
      const failing = params.failing as Partial<AddStressTestParams['failing']> | undefined;
      if (typeof failing?.input?.text !== 'string' || typeof failing.reference?.stdout?.text !== 'string')
        throw new UsageError('verdict/addStressTest needs the failing case of a stress test (its input and the reference output).');
      const lib: typeof RunnerLibrary = await import('../runner/index');
      return lib.addStressTest(testsDirFor(fileURLToPath(uri), this.settings.tests.folder), params.failing);
    } catch (err) {
      throw this.responseError(err);
    }
  }

  private languageOfId(id: string): LanguageFacts | undefined {
    return LANGUAGES.find((l) => l.id === id);
  }
}

/**
 * The lens of a language that cannot run here: why, and the fix — `verdict.buildImage` (the VS Code
 * client's command: the build in a terminal, then a refresh); the title carries the command for any other editor.
 */
function unusableLens(status: LanguageStatus): { title: string; command: string; arguments?: unknown[]; tooltip?: string } {
  const name = status.name.replace(/\s*\(.*$/, '');
  if (status.build)
    return {
      title: `⚠ ${name}: image missing — build it (${status.fix})`,
      command: 'verdict.buildImage',
      arguments: [status.build],
      tooltip: `${status.name}: ${status.problem}. Runs \`${status.fix}\` in a terminal.`,
    };
  if (status.fix)
    return { title: `⚠ ${name}: ${status.problem} — then \`${status.fix}\``, command: 'verdict.checkSetup', tooltip: status.problem };
  return { title: `⚠ ${name}: ${status.problem}`, command: '' };
}

/** What a judge is against: the file's tests (all, or only the named ones), or a problem stored on the server. */
type JudgeTarget = { tests: string[] } | { problem: string } | undefined;

/** The judge command's optional second argument: the names of the tests to run, or { problem: ID }. */
function judgeTarget(arg: unknown): JudgeTarget {
  if (arg === undefined || arg === null) return undefined;
  if (Array.isArray(arg) && arg.every((n) => typeof n === 'string')) return { tests: arg };
  const problem = typeof arg === 'object' && !Array.isArray(arg) ? (arg as { problem?: unknown }).problem : undefined;
  if (typeof problem === 'string' && problem !== '') return { problem };
  throw new UsageError(
    'The judge command takes the file URI and, optionally, a list of test names or { problem: ID } (a problem stored on the server).',
  );
}

/** The wall limit of a live run (the runner's ceiling): a person is typing its input. */
const LIVE_WALL_MS = 180_000;

/** The run command's optional second argument: { stdin } (the editor's custom input) or { live: true, runId } (verdict/input). */
interface RunOptions {
  stdin?: string;
  liveRunId?: string;
}

function runOptions(arg: unknown): RunOptions {
  if (arg === undefined || arg === null) return {};
  const o = typeof arg === 'object' && !Array.isArray(arg) ? (arg as { stdin?: unknown; live?: unknown; runId?: unknown }) : undefined;
  if (o?.live === true && typeof o.runId === 'string' && /^[\w-]{1,64}$/.test(o.runId)) return { liveRunId: o.runId };
  if (o && o.live === undefined && (o.stdin === undefined || typeof o.stdin === 'string'))
    return o.stdin === undefined ? {} : { stdin: o.stdin };
  throw new UsageError(
    'The run command takes the file URI and, optionally, { stdin: TEXT } (the input to give the program) or { live: true, runId: ID } (input from verdict/input).',
  );
}

/** A test the editor may change: a plain NAME.in/NAME.ans pair at the top of the folder new tests go to. */
function editableTest(test: { name: string; input: unknown; answer: unknown; group: string[] }, dir: string): boolean {
  const at = (data: unknown, ext: string) =>
    typeof data === 'object' &&
    data !== null &&
    'path' in data &&
    path.resolve(String((data as { path: string }).path)) === path.join(path.resolve(dir), `${test.name}${ext}`);
  return test.group.length === 0 && !test.name.includes('/') && at(test.input, '.in') && at(test.answer, '.ans');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiler messages and tracebacks name the source as the sandbox knows it (main.cpp, /box/main.py):
 * shown to the user, they name the user's own file (its path for an absolute sandbox path, its name otherwise).
 */
export function userFileNames(text: string, mainFile: string, file: string): string {
  if (!text || path.basename(file) === mainFile) return text.replace(new RegExp(`/box/${escapeRegExp(mainFile)}\\b`, 'g'), file);
  return text
    .replace(new RegExp(`/box/${escapeRegExp(mainFile)}\\b`, 'g'), file)
    .replace(new RegExp(`(?<![\\w./-])${escapeRegExp(mainFile)}(?![\\w-])`, 'g'), path.basename(file));
}

/** A result with its compiler output, stderr and failed tests' stderr naming the user's file. */
function withUserFileNames<T extends RunResult | JudgeResult>(result: T, mainFile: string, file: string): T {
  const out: T = { ...result };
  if (result.compile) out.compile = { ...result.compile, output: userFileNames(result.compile.output, mainFile, file) };
  if ('stderr' in out && typeof out.stderr === 'string' && out.stderrBase64 === undefined)
    (out as RunResult).stderr = userFileNames(out.stderr, mainFile, file);
  if ('tests' in out)
    (out as JudgeResult).tests = (out as JudgeResult).tests.map((t) =>
      t.stderr ? { ...t, stderr: userFileNames(t.stderr, mainFile, file) } : t,
    );
  return out;
}

/** Where a failed test's diagnostic sits: the whole line of `main` (C, C++, Java, Go, Rust, …), else the first line. */
function verdictRange(content: string): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const lines = content.split('\n');
  let line = lines.findIndex((l) => /\bmain\s*\(/.test(l) || /^\s*if\s+__name__\s*==/.test(l));
  if (line < 0) line = 0;
  const text = (lines[line] ?? '').replace(/\r$/, '');
  const start = text.length - text.trimStart().length;
  return { start: { line, character: start }, end: { line, character: Math.max(start, text.length) } };
}
