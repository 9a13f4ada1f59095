// The "Test Cases" view in Verdict's side bar (a webview), for the active source file, as cph users
// expect: every test with its input, expected answer and the last received output side by side,
// pass/fail, time and memory, the first difference marked; add, edit, duplicate and delete cases
// (saved by the server to the same NAME.in/NAME.ans files the CLI reads; hidden, package and cph
// tests read-only); run one, run all, stop; a custom input run; the Competitive Companion problem the
// file came from; a stress-test entry. The webview (media/panel.js) gets data as messages and shows
// every piece of it with textContent: program output and test data are shown, never obeyed.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TestResult } from '../protocol/results';
import { formatMemory, ranLine } from '../protocol/report';
import { errorText } from './format';
import { RunReplaced, isCancellation, sameUri, type VerdictEvents, type VerdictServer } from './language-client';
import { isSupported } from './languages';

export const PANEL_VIEW = 'verdict.testCases';

/** What Competitive Companion said about a problem, shown above its tests. */
export interface ProblemInfo {
  name: string;
  group?: string;
  url?: string;
  timeLimitMs?: number;
  memoryLimitMb?: number;
}

/** A test as the webview shows it. */
interface PanelTest {
  name: string;
  readOnly: boolean;
  input: string;
  answer: string;
  result?: { status: string; passed: boolean; time: string; memory: string; received?: string; diff?: { line: number; column: number } };
}

/** Messages from the webview. */
type FromPanel =
  | { type: 'ready' }
  | { type: 'runAll' }
  | { type: 'runOne'; name: string }
  | { type: 'stop' }
  | { type: 'save'; name?: string; input: string; answer: string }
  | { type: 'delete'; name: string }
  | { type: 'custom'; input: string }
  | { type: 'stress' }
  | { type: 'openLink'; url: string };

const PROBLEMS_KEY = 'verdict.companionProblems';

export class VerdictPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  /** The source file the panel shows (the last active supported editor). */
  private uri?: vscode.Uri;
  /** The last result of each test, by file then test name. */
  private readonly results = new Map<string, Map<string, TestResult>>();
  /** The last custom-input run, by file. */
  private readonly custom = new Map<string, { input: string; line: string; stdout: string; stderr: string }>();
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: () => VerdictServer | undefined,
    events: VerdictEvents,
    private readonly onTestsChanged: (uri: vscode.Uri) => void,
  ) {
    const editor = vscode.window.activeTextEditor;
    if (editor && isSupported(editor.document.uri)) this.uri = editor.document.uri;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && isSupported(e.document.uri) && e.document.uri.toString() !== this.uri?.toString()) {
          this.uri = e.document.uri;
          this.refreshSoon();
        }
      }),
      events.onTestResult((p) => {
        this.resultsOf(p.uri).set(p.test.name, p.test);
        if (this.isShown(p.uri)) this.refreshSoon(50);
      }),
      events.onResult((p) => {
        if (p.kind === 'judge') {
          // The whole result carries the first failure's received output and difference.
          const map = this.resultsOf(p.uri);
          for (const t of p.result.tests) map.set(t.name, t);
          if (p.result.status === 'Compile Error') this.custom.delete(p.uri);
        }
        if (this.isShown(p.uri)) this.refreshSoon(50);
      }),
      events.onBusy((p) => {
        if (this.isShown(p.uri)) this.post({ type: 'busy', busy: Boolean(p.kind) });
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{in,ans,prob}');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.refreshSoon()),
      watcher.onDidChange(() => this.refreshSoon()),
      watcher.onDidDelete(() => this.refreshSoon()),
    );
  }

  /** A Competitive Companion problem was saved as this source: shown above its tests, kept across sessions. */
  setProblem(source: vscode.Uri, problem: ProblemInfo): void {
    const all = this.context.workspaceState.get<Record<string, ProblemInfo>>(PROBLEMS_KEY, {});
    void this.context.workspaceState.update(PROBLEMS_KEY, { ...all, [source.toString()]: problem });
    if (this.isShown(source.toString())) this.refreshSoon();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    const nonce = randomBytes(16).toString('base64');
    const csp = [
      "default-src 'none'",
      `style-src ${view.webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `font-src ${view.webview.cspSource}`,
    ].join('; ');
    const script = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.js'));
    const style = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css'));
    view.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${style.toString()}">
<title>Verdict: Test Cases</title></head>
<body><main id="root" aria-live="polite"></main><script nonce="${nonce}" src="${script.toString()}"></script></body></html>`;
    this.disposables.push(
      view.webview.onDidReceiveMessage((m: FromPanel) => void this.receive(m)),
      view.onDidChangeVisibility(() => {
        if (view.visible) this.refreshSoon();
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }

  private resultsOf(uri: string): Map<string, TestResult> {
    let map = this.results.get(uri);
    if (!map) this.results.set(uri, (map = new Map()));
    return map;
  }

  private isShown(uri: string): boolean {
    return this.uri !== undefined && sameUri(uri, this.uri);
  }

  private post(message: unknown): void {
    void this.view?.webview.postMessage(message);
  }

  private refreshSoon(ms = 150): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), ms);
  }

  /** Sends the webview everything it shows for the current file. */
  private async refresh(): Promise<void> {
    const server = this.server();
    if (!this.view) return;
    const uri = this.uri;
    if (!uri || !server?.running) return this.post({ type: 'state', file: undefined });
    const key = uri.toString();
    let tests: PanelTest[] = [];
    let source: string | undefined;
    let error: string | undefined;
    try {
      const found = await server.tests(uri);
      source = found.source
        ? vscode.workspace.asRelativePath(found.source)
        : found.dir
          ? vscode.workspace.asRelativePath(found.dir)
          : undefined;
      const results = this.resultsOf(key);
      tests = await Promise.all(
        found.tests.map(async (t) => {
          const data = await server.testData(uri, t.name).catch(() => ({ input: '', answer: '' }));
          const r = results.get(t.name);
          return {
            name: t.name,
            readOnly: t.readOnly === true,
            input: data.input,
            answer: data.answer,
            ...(r ? { result: panelResult(r) } : {}),
          };
        }),
      );
    } catch (e) {
      error = errorText(e);
    }
    if (this.uri?.toString() !== key) return; // the user moved on meanwhile
    const problems = this.context.workspaceState.get<Record<string, ProblemInfo>>(PROBLEMS_KEY, {});
    this.post({
      type: 'state',
      file: vscode.workspace.asRelativePath(uri),
      source,
      error,
      tests,
      busy: server.isBusy(key),
      problem: problems[key],
      custom: this.custom.get(key),
    });
  }

  private async receive(m: FromPanel): Promise<void> {
    const server = this.server();
    const uri = this.uri;
    if (m.type === 'ready') return this.refresh();
    if (m.type === 'openLink') {
      // Only the problem's own http(s) link, as Competitive Companion sent it.
      if (/^https?:\/\//.test(m.url)) void vscode.env.openExternal(vscode.Uri.parse(m.url));
      return;
    }
    if (!server || !uri) return;
    try {
      switch (m.type) {
        case 'runAll':
          await vscode.commands.executeCommand('verdict.judge', uri);
          break;
        case 'runOne':
          await vscode.commands.executeCommand('verdict.judge', uri, [m.name]);
          break;
        case 'stop':
          await server.stop(uri);
          break;
        case 'save': {
          const saved = await server.saveTest(uri, String(m.input), String(m.answer), m.name);
          if (m.name !== undefined) this.resultsOf(uri.toString()).delete(m.name);
          this.onTestsChanged(uri);
          this.post({ type: 'saved', name: saved.name });
          break;
        }
        case 'delete': {
          const answer = await vscode.window.showWarningMessage(
            `Delete test ${m.name} (its .in and .ans files)?`,
            { modal: true },
            'Delete',
          );
          if (answer !== 'Delete') return;
          await server.deleteTest(uri, m.name);
          this.resultsOf(uri.toString()).delete(m.name);
          this.onTestsChanged(uri);
          break;
        }
        case 'custom': {
          this.custom.set(uri.toString(), { input: m.input, line: 'running…', stdout: '', stderr: '' });
          await this.refresh();
          const result = await server.run(uri, undefined, { stdin: String(m.input) });
          this.custom.set(uri.toString(), { input: m.input, line: ranLine(result), stdout: result.stdout, stderr: result.stderr });
          break;
        }
        case 'stress':
          await vscode.commands.executeCommand('verdict.stress', uri);
          break;
      }
    } catch (e) {
      if (e instanceof RunReplaced) return;
      if (isCancellation(e)) {
        if (m.type === 'custom') this.custom.set(uri.toString(), { input: m.input, line: '■ Stopped.', stdout: '', stderr: '' });
      } else {
        if (m.type === 'custom') this.custom.delete(uri.toString());
        void vscode.window.showErrorMessage(`Verdict: ${errorText(e)}`);
      }
    }
    await this.refresh();
  }
}

function panelResult(t: TestResult): NonNullable<PanelTest['result']> {
  const passed = t.status === 'Accepted';
  return {
    status: t.status,
    passed,
    time: `${t.timeMs} ms`,
    memory: formatMemory(t.memoryKb),
    // The judge gives the received output of the first failure (capped); a passing test's output matched.
    ...(t.actual !== undefined ? { received: t.actual } : {}),
    ...(t.diff ? { diff: { line: t.diff.line, column: t.diff.column } } : {}),
  };
}
