// The status bar item: the runner (local, or the server's host when remote) and its health from
// verdict/status, a remote run's place in the server's queue while it waits (verdict/queue), and the
// active file's own state: running, stopped, or its last verdict (kept per file, so another file's
// verdict never shows here). Clicking it shows the output channel.
import * as vscode from 'vscode';
import type { QueueParams, StatusParams } from '../protocol/lsp';
import type { VerdictSettings } from '../protocol/settings';

export const SHOW_OUTPUT_COMMAND = 'verdict.showOutput';

/** The server's host (and port) as the status bar names it; the URL itself when it does not parse. */
export function serverHost(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

export class VerdictStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('verdict.status', vscode.StatusBarAlignment.Left, 10);
  private status?: StatusParams;
  /** Per file: its last verdict, or that it is running or was stopped. */
  private readonly files = new Map<string, { verdict?: string; running?: 'run' | 'judge'; stopped?: boolean }>();
  private readonly listeners: vscode.Disposable[] = [];
  private state: 'starting' | 'running' | 'stopped' = 'starting';
  /** Remote runs waiting in the server's queue: their place, by file. */
  private readonly queued = new Map<string, number>();

  constructor(private readonly runner: () => VerdictSettings['runner']) {
    this.item.name = 'Verdict';
    this.item.command = SHOW_OUTPUT_COMMAND;
    this.render();
    this.item.show();
    this.lastFile = this.fileOf(vscode.window.activeTextEditor);
    this.listeners.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        this.lastFile = this.fileOf(e) ?? this.lastFile;
        this.render();
      }),
    );
  }

  /** The last file editor that was active: the output channel or a panel taking the focus does not change it. */
  private lastFile?: string;

  private fileOf(editor: vscode.TextEditor | undefined): string | undefined {
    return editor?.document.uri.scheme === 'file' ? editor.document.uri.toString() : undefined;
  }

  /** The file the status bar speaks of: the active file editor's (kept while the focus is in a panel or the output). */
  private active(): string | undefined {
    return this.lastFile;
  }

  setStatus(status: StatusParams): void {
    this.status = status;
    this.render();
  }

  setVerdict(verdict: string, uri: string): void {
    this.files.set(uri, { verdict });
    this.queued.delete(uri);
    this.render();
  }

  /** A run or judge of a file started (kind) or ended (stopped: it did not finish; a finished one's verdict follows). */
  setBusy(uri: string, kind: 'run' | 'judge' | undefined, stopped = false): void {
    const file = this.files.get(uri) ?? {};
    if (kind) this.files.set(uri, { running: kind });
    else if (stopped) this.files.set(uri, { stopped: true });
    else this.files.set(uri, { ...file, running: undefined });
    this.render();
  }

  setQueue(p: QueueParams): void {
    if (p.position > 0) this.queued.set(p.uri, p.position);
    else this.queued.delete(p.uri);
    this.render();
  }

  setServerState(state: 'starting' | 'running' | 'stopped'): void {
    this.state = state;
    if (state !== 'running') this.queued.clear();
    this.render();
  }

  /** The settings changed (the runner's mode or URL, shown until the server's next status). */
  refresh(): void {
    this.render();
  }

  dispose(): void {
    this.item.dispose();
    for (const l of this.listeners) l.dispose();
  }

  private render(): void {
    const settings = this.runner();
    const runner = this.status?.runner ?? settings.mode;
    const host = runner === 'remote' && settings.url ? serverHost(settings.url) : undefined;
    const healthy = this.state === 'running' && (this.status?.healthy ?? true);
    const icon = this.state === 'starting' ? '$(sync~spin)' : healthy ? '$(beaker)' : '$(warning)';
    const active = this.active();
    const place = active !== undefined ? this.queued.get(active) : undefined;
    const file = active !== undefined ? this.files.get(active) : undefined;
    const lastVerdict = file?.verdict;
    const after =
      place !== undefined
        ? ` · queued #${place}`
        : file?.running
          ? ` · ${file.running === 'run' ? 'running' : 'judging'}…`
          : file?.stopped
            ? ' · ■ Stopped'
            : lastVerdict
              ? ` · ${lastVerdict}`
              : '';
    this.item.text = `${icon} Verdict ${host ?? runner}${after}`;
    this.item.backgroundColor = healthy || this.state === 'starting' ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown('**Verdict** — ');
    if (host) tooltip.appendText(`remote runner at ${settings.url}`);
    else tooltip.appendMarkdown(`${runner} runner`);
    if (this.state === 'stopped')
      tooltip.appendMarkdown('\n\nThe language server is not running: see the "Verdict Language Server" output.');
    else if (this.status?.message) tooltip.appendMarkdown(`\n\n${healthy ? '$(check)' : '$(warning)'} `).appendText(this.status.message);
    else if (this.state === 'starting') tooltip.appendMarkdown('\n\nStarting…');
    if (place !== undefined)
      tooltip.appendMarkdown(
        `\n\n$(watch) Waiting in the server's queue: #${place}${this.queued.size > 1 ? ` (${this.queued.size} runs waiting)` : ''}`,
      );
    if (lastVerdict) tooltip.appendMarkdown('\n\nLast verdict of this file: ').appendText(lastVerdict);
    tooltip.appendMarkdown('\n\nClick to show the output.');
    this.item.tooltip = tooltip;
  }
}
