// The status bar item: the runner (local or remote) and its health from verdict/status, and the
// last verdict (from the last result). Clicking it shows the output channel.
import * as vscode from 'vscode';
import type { StatusParams } from '../protocol/lsp';

export const SHOW_OUTPUT_COMMAND = 'verdict.showOutput';

export class VerdictStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('verdict.status', vscode.StatusBarAlignment.Left, 10);
  private status?: StatusParams;
  private lastVerdict?: string;
  private state: 'starting' | 'running' | 'stopped' = 'starting';

  constructor(private readonly mode: () => 'local' | 'remote') {
    this.item.name = 'Verdict';
    this.item.command = SHOW_OUTPUT_COMMAND;
    this.render();
    this.item.show();
  }

  setStatus(status: StatusParams): void {
    this.status = status;
    this.render();
  }

  setVerdict(verdict: string): void {
    this.lastVerdict = verdict;
    this.render();
  }

  setServerState(state: 'starting' | 'running' | 'stopped'): void {
    this.state = state;
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const runner = this.status?.runner ?? this.mode();
    const healthy = this.state === 'running' && (this.status?.healthy ?? true);
    const icon = this.state === 'starting' ? '$(sync~spin)' : healthy ? '$(beaker)' : '$(warning)';
    this.item.text = `${icon} Verdict ${runner}${this.lastVerdict ? ` · ${this.lastVerdict}` : ''}`;
    this.item.backgroundColor = healthy || this.state === 'starting' ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Verdict** — ${runner} runner`);
    if (this.state === 'stopped')
      tooltip.appendMarkdown('\n\nThe language server is not running: see the "Verdict Language Server" output.');
    else if (this.status?.message) tooltip.appendMarkdown(`\n\n${healthy ? '$(check)' : '$(warning)'} `).appendText(this.status.message);
    else if (this.state === 'starting') tooltip.appendMarkdown('\n\nStarting…');
    if (this.lastVerdict) tooltip.appendMarkdown('\n\nLast verdict: ').appendText(this.lastVerdict);
    tooltip.appendMarkdown('\n\nClick to show the output.');
    this.item.tooltip = tooltip;
  }
}
