// The "Verdict" output channel: each run's output as it arrives (verdict/output), then the verdict
// line or, for a judge, the table of tests (verdict/result). A header separates runs.
import * as vscode from 'vscode';
import type { OutputParams, ResultParams } from '../server/protocol';
import { judgeTable, runVerdict } from './format';

export class VerdictOutput implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Verdict');
  /** The run whose output the channel is showing (its id once a notification names it); none after its result. */
  private open?: { uri: string; runId?: string };
  /** Whether the channel's text ends at the start of a line (program output may not end with \n). */
  private atLineStart = true;

  show(preserveFocus = true): void {
    this.channel.show(preserveFocus);
  }

  /** A line of the extension's own (errors, Competitive Companion). */
  line(text: string): void {
    if (!this.atLineStart) this.write('\n');
    this.write(`${text}\n`);
  }

  /** A run or judge was asked for: its header, before the server's first notification about it. */
  begin(kind: 'run' | 'judge', uri: vscode.Uri): void {
    this.header(`${kind === 'run' ? 'Run' : 'Judge'} ${vscode.workspace.asRelativePath(uri)}`);
    this.open = { uri: uri.toString() };
  }

  output(p: OutputParams): void {
    this.enter(p.runId, p.uri);
    if (p.stream === 'info') this.line(`» ${p.text.replace(/\n$/, '')}`);
    else this.write(p.text);
  }

  result(p: ResultParams): void {
    this.enter(p.result.runId, p.uri);
    this.line(p.kind === 'run' ? runVerdict(p.result) : judgeTable(p.result));
    this.open = undefined;
  }

  dispose(): void {
    this.channel.dispose();
  }

  /** A notification of a run the channel is not showing (started from a task or the Test Explorer) starts with a header. */
  private enter(runId: string, uri: string): void {
    const open = this.open;
    if (open && open.uri === uri && (!runId || !open.runId || open.runId === runId)) {
      if (runId) open.runId = runId;
      return;
    }
    this.header(vscode.workspace.asRelativePath(vscode.Uri.parse(uri)));
    this.open = { uri, ...(runId ? { runId } : {}) };
  }

  private header(title: string): void {
    this.line(`── ${title} · ${new Date().toLocaleTimeString()} ${'─'.repeat(Math.max(4, 60 - title.length))}`);
  }

  private write(text: string): void {
    if (text === '') return;
    this.channel.append(text);
    this.atLineStart = text.endsWith('\n');
  }
}
