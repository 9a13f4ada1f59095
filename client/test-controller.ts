// Test Explorer: a TestController "verdict" with, for each open source file that has tests, one
// item per test case (from the server's verdict/tests). Running judges the file and updates the
// items from verdict/testResult as each test ends; a failure carries the expected and actual
// output, so VS Code offers its diff view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestResult } from '../protocol/results';
import { Commands, type TestResultParams, type TestsResult } from '../protocol/lsp';
import { errorText } from './format';
import { judgeSummary, testRow } from '../protocol/report';
import { displayText } from '../protocol/display';
import { sameUri, type VerdictEvents, type VerdictServer } from './language-client';
import { isSupported } from './languages';

const REDISCOVER_DELAY_MS = 300;

/** The tests of one file a run asked for; `whole` when the file itself was asked for. */
interface Selection {
  tests: Set<vscode.TestItem>;
  whole: boolean;
}

function testId(file: vscode.Uri, name: string): string {
  // VS Code reserves \0 (and \u0001) in test ids; file URIs encode '#', so it cannot clash.
  return `${file.toString()}#${name}`;
}

/** Text for the test run's output, a terminal: shown with displayText (never obeyed), with CRLF line ends. */
function crlf(text: string): string {
  return displayText(text).replace(/\r?\n/g, '\r\n');
}

export class VerdictTests implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController('verdict', 'Verdict');
  private readonly disposables: vscode.Disposable[] = [this.controller];
  private rediscoverTimer?: NodeJS.Timeout;
  /** Files being judged from the Test Explorer itself (their runs report their own results). */
  private readonly judging = new Set<string>();
  /** Judges started elsewhere (CodeLens, palette, task), mirrored into Test Explorer runs. */
  private readonly mirrored = new Map<string, vscode.TestRun>();

  constructor(
    private readonly server: () => VerdictServer | undefined,
    private readonly events: VerdictEvents,
  ) {
    this.controller.refreshHandler = () => this.discoverOpen();
    this.controller.createRunProfile('Judge', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{in,ans,out,prob}');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.rediscoverSoon()),
      watcher.onDidChange(() => this.rediscoverSoon()),
      watcher.onDidDelete(() => this.rediscoverSoon()),
      vscode.workspace.onDidOpenTextDocument((doc) => void this.discover(doc.uri)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.controller.items.delete(doc.uri.toString())),
      events.onTestResult((p) => this.mirror(p)),
      events.onResult((p) => {
        if (p.kind !== 'judge') return;
        this.mirrored.get(p.uri)?.end();
        this.mirrored.delete(p.uri);
      }),
    );
  }

  /** A judge from the CodeLens or the palette shows in the Test Explorer too, test by test. */
  private mirror(p: TestResultParams): void {
    if (this.judging.has(p.uri)) return;
    const uri = vscode.Uri.parse(p.uri);
    const file = this.controller.items.get(uri.toString());
    if (!file) return;
    let run = this.mirrored.get(p.uri);
    if (!run) {
      run = this.controller.createTestRun(new vscode.TestRunRequest([file]), `Judge ${path.basename(uri.fsPath)}`, false);
      this.mirrored.set(p.uri, run);
    }
    let item = file.children.get(testId(uri, p.test.name));
    if (!item) {
      item = this.controller.createTestItem(testId(uri, p.test.name), p.test.name, uri);
      file.children.add(item);
    }
    this.report(run, item, uri, p);
  }

  /** Finds the tests of every open source file (after the server starts, and on refresh). */
  async discoverOpen(): Promise<void> {
    await Promise.all(vscode.workspace.textDocuments.map((doc) => this.discover(doc.uri)));
  }

  /** Finds a file's tests: one item for the file, one child per test; no item when it has none. */
  async discover(uri: vscode.Uri): Promise<void> {
    const server = this.server();
    if (!isSupported(uri) || !server?.running) return;
    let found: TestsResult | undefined;
    let error: string | undefined;
    try {
      found = await server.tests(uri);
    } catch (e) {
      error = errorText(e); // a broken tests folder (an input without an answer): shown on the file's item
    }
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return; // closed meanwhile
    if (!error && !found?.tests.length) {
      this.controller.items.delete(uri.toString());
      return;
    }
    const file =
      this.controller.items.get(uri.toString()) ?? this.controller.createTestItem(uri.toString(), path.basename(uri.fsPath), uri);
    this.controller.items.add(file);
    file.error = error;
    if (!found) return;
    file.description = found.source ? vscode.workspace.asRelativePath(found.source) : undefined;
    file.children.replace(
      found.tests.map((t, i) => {
        const item = file.children.get(testId(uri, t.name)) ?? this.controller.createTestItem(testId(uri, t.name), t.name, uri);
        item.sortText = String(i).padStart(6, '0'); // the server's (natural) order: 1, 2, 10
        return item;
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.rediscoverTimer);
    for (const d of this.disposables) d.dispose();
  }

  private rediscoverSoon(): void {
    clearTimeout(this.rediscoverTimer);
    this.rediscoverTimer = setTimeout(() => void this.discoverOpen(), REDISCOVER_DELAY_MS);
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    // Judging is per file: group what was asked for by file.
    const files = new Map<vscode.TestItem, Selection>();
    const excluded = new Set(request.exclude ?? []);
    const requested = request.include ?? [...iterate(this.controller.items)];
    for (const item of requested) {
      if (excluded.has(item)) continue;
      const file = item.parent ?? item;
      const selection = files.get(file) ?? { tests: new Set<vscode.TestItem>(), whole: false };
      files.set(file, selection);
      if (item.parent) selection.tests.add(item);
      else {
        selection.whole = true;
        for (const t of iterate(item.children)) if (!excluded.has(t)) selection.tests.add(t);
      }
    }

    const run = this.controller.createTestRun(request);
    for (const { tests } of files.values()) for (const t of tests) run.enqueued(t);
    try {
      for (const [file, selection] of files) {
        if (token.isCancellationRequested) break;
        await this.judgeFile(run, file, selection, token);
      }
    } finally {
      run.end();
    }
  }

  private async judgeFile(
    run: vscode.TestRun,
    file: vscode.TestItem,
    { tests, whole }: Selection,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const uri = file.uri!;
    const server = this.server();
    const reported = new Set<vscode.TestItem>();
    this.judging.add(uri.toString());
    for (const t of tests) run.started(t);
    const subscription = this.events.onTestResult((p) => {
      if (!sameUri(p.uri, uri)) return;
      run.appendOutput(`${crlf(testRow(p.test))}\r\n`, undefined, file);
      let item = file.children.get(testId(uri, p.test.name));
      if (!item) {
        // A test added since discovery: show it, and report it when the whole file was asked for.
        item = this.controller.createTestItem(testId(uri, p.test.name), p.test.name, uri);
        file.children.add(item);
        if (whole) tests.add(item);
      }
      if (!tests.has(item)) return;
      reported.add(item);
      this.report(run, item, uri, p);
    });
    const cancel = token.onCancellationRequested(() => void server?.execute(Commands.stop, [uri.toString()]).catch(() => undefined));
    try {
      if (!server?.running) throw new Error('The Verdict language server is not running.');
      // Only the tests asked for run, unless the whole file was.
      const result = await server.judge(uri, whole ? undefined : [...tests].map((t) => t.label), token);
      run.appendOutput(`${crlf(judgeSummary(result))}\r\n`, undefined, file);
      for (const t of tests) {
        if (reported.has(t)) continue;
        if (token.isCancellationRequested) run.skipped(t);
        else if (result.status === 'Compile Error' || result.status === 'Internal Error') {
          const message = new vscode.TestMessage(
            displayText(
              `${result.status}${result.message ? `: ${result.message}` : ''}${result.compile?.output ? `\n\n${result.compile.output}` : ''}`,
            ),
          );
          message.location = new vscode.Location(uri, new vscode.Position(0, 0));
          run.errored(t, message);
        } else run.skipped(t);
      }
    } catch (e) {
      for (const t of tests) {
        if (reported.has(t)) continue;
        if (token.isCancellationRequested) run.skipped(t);
        else run.errored(t, new vscode.TestMessage(errorText(e)));
      }
    } finally {
      this.judging.delete(uri.toString());
      subscription.dispose();
      cancel.dispose();
    }
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, uri: vscode.Uri, p: TestResultParams): void {
    const t: TestResult = p.test;
    if (t.status === 'Accepted') return run.passed(item, t.timeMs);
    const lines = [
      `${t.status} on test ${t.name} (${t.timeMs} ms)`,
      t.message,
      t.diff
        ? `First difference at line ${t.diff.line}, column ${t.diff.column}: expected ${t.diff.expected}, got ${t.diff.actual}`
        : undefined,
      t.stderr ? `stderr:\n${t.stderr}` : undefined,
    ]
      .filter((l) => l)
      .join('\n');
    const text = displayText(lines);
    const expected = t.expected;
    const actual = t.actual;
    const message =
      expected !== undefined && actual !== undefined ? vscode.TestMessage.diff(text, expected, actual) : new vscode.TestMessage(text);
    message.location = new vscode.Location(uri, new vscode.Position(0, 0));
    if (t.status === 'Internal Error') run.errored(item, message, t.timeMs);
    else run.failed(item, message, t.timeMs);
  }
}

function* iterate(collection: vscode.TestItemCollection): Generator<vscode.TestItem> {
  for (const [, item] of collection) yield item;
}
