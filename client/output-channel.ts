// The "Verdict" output channel: each run's stdout/stderr as it arrives (verdict/output), then its
// verdict line (from the result); for a judge, a table of tests growing as they end
// (verdict/testResult), then the summary. A header separates runs. Each fact arrives once: output
// that did not stream (a cached result) and compiler output are taken from the result itself.
import * as vscode from 'vscode';
import type { OutputParams, ResultParams, TestResultParams } from '../protocol/lsp';
import { outputBytes } from '../protocol/report';
import { judgeReport, judgeSummary, ranLine, testRow, testTableHeader } from '../protocol/report';
import { displayText } from '../protocol/display';

export class VerdictOutput implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Verdict');
  /** The run whose output the channel is showing (its id once a notification names it); none after its result. */
  private open?: { uri: string; runId?: string; rows: number; streamed?: boolean };
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
  begin(kind: 'run' | 'judge', uri: vscode.Uri, restarted = false): void {
    const name = vscode.workspace.asRelativePath(uri);
    if (restarted) this.line(`↻ ${name}: what was running was stopped for this ${kind}.`);
    this.header(`${kind === 'run' ? 'Run' : 'Judge'} ${name}`);
    this.open = { uri: uri.toString(), rows: 0 };
  }

  output(p: OutputParams): void {
    this.enter(p.runId, p.uri).streamed = true;
    this.write(p.text);
  }

  testResult(p: TestResultParams): void {
    const open = this.enter(p.runId, p.uri);
    if (open.rows++ === 0) this.line(testTableHeader());
    this.line(testRow(p.test));
  }

  result(p: ResultParams): void {
    const open = this.enter(p.result.runId, p.uri);
    if (p.result.compile?.status === 'Compile Error' && p.result.compile.output) this.write(p.result.compile.output);
    if (p.kind === 'run') {
      if (!open.streamed) for (const stream of ['stdout', 'stderr'] as const) this.write(displayText(outputBytes(p.result, stream)));
      this.line(ranLine(p.result));
    } else this.line(open.rows > 0 ? judgeSummary(p.result) : judgeReport(p.result));
    this.open = undefined;
  }

  dispose(): void {
    this.channel.dispose();
  }

  /** A notification of a run the channel is not showing (started from a task or the Test Explorer) starts with a header. */
  private enter(runId: string, uri: string): { rows: number; streamed?: boolean } {
    const open = this.open;
    if (open && open.uri === uri && (!runId || !open.runId || open.runId === runId)) {
      if (runId) open.runId = runId;
      return open;
    }
    this.header(vscode.workspace.asRelativePath(vscode.Uri.parse(uri)));
    this.open = { uri, rows: 0, ...(runId ? { runId } : {}) };
    return this.open;
  }

  private header(title: string): void {
    this.line(`── ${title} · ${new Date().toLocaleTimeString()} ${'─'.repeat(Math.max(4, 60 - title.length))}`);
  }

  /** Everything the channel shows goes through displayText: program output is shown, never obeyed (the server escapes it too). */
  private write(raw: string): void {
    const text = displayText(raw);
    if (text === '') return;
    this.channel.append(text);
    this.atLineStart = text.endsWith('\n');
  }
}
