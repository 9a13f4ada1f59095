// Tasks of type "verdict": "verdict: run" and "verdict: judge" for the active file. Each is a
// pseudoterminal that asks the server to run or judge, shows the program's output as it arrives and
// then the verdict; the task fails (exit 1) unless the verdict is Accepted. Closing the terminal
// stops the run.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../protocol/lsp';
import { outputBytes } from '../protocol/report';
import { displayText } from '../protocol/display';
import { errorText } from './format';
import { judgeReport, judgeSummary, runVerdictLine, testRow, testTableHeader } from '../protocol/report';
import { sameUri, type VerdictEvents, type VerdictServer } from './language-client';
import { isSupported } from './languages';

export const TASK_TYPE = 'verdict';

interface VerdictTaskDefinition extends vscode.TaskDefinition {
  command: 'run' | 'judge';
  /** The source file; the active editor's when omitted. */
  file?: string;
}

function isDefinition(d: vscode.TaskDefinition): d is VerdictTaskDefinition {
  return d.type === TASK_TYPE && (d.command === 'run' || d.command === 'judge') && (d.file === undefined || typeof d.file === 'string');
}

/**
 * Text for the task's terminal, which obeys escape sequences: shown with displayText (a program's
 * output cannot clear it or forge a verdict line), with CRLF line ends as terminals want. Our own
 * colours are added around it, never inside.
 */
function crlf(text: string): string {
  return displayText(text).replace(/\r?\n/g, '\r\n');
}

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

class VerdictTaskTerminal implements vscode.Pseudoterminal {
  private readonly write = new vscode.EventEmitter<string>();
  private readonly done = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.done.event;
  private uri?: vscode.Uri;
  private finished = false;
  private subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly definition: VerdictTaskDefinition,
    private readonly folder: vscode.WorkspaceFolder | undefined,
    private readonly server: () => VerdictServer | undefined,
    private readonly events: VerdictEvents,
  ) {}

  open(): void {
    void this.start();
  }

  close(): void {
    if (!this.finished && this.uri)
      void this.server()
        ?.execute(Commands.stop, [this.uri.toString()])
        .catch(() => undefined);
    this.cleanup();
  }

  private async start(): Promise<void> {
    const server = this.server();
    const file = this.definition.file;
    const uri = file
      ? vscode.Uri.file(path.resolve((this.folder ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath ?? '', file))
      : vscode.window.activeTextEditor?.document.uri;
    if (!server?.running) return this.end('The Verdict language server is not running.', 2, RED);
    if (!uri || !isSupported(uri))
      return this.end(`No source file to ${this.definition.command}: open one, or set "file" in the task.`, 2, RED);
    this.uri = uri;
    this.write.fire(`${DIM}verdict ${this.definition.command} ${crlf(vscode.workspace.asRelativePath(uri))}${RESET}\r\n`);
    // As in the output channel: stdout/stderr as they come, test rows as tests end, then the result.
    let rows = 0;
    let streamed = false;
    this.subscriptions = [
      this.events.onOutput((p) => {
        if (!sameUri(p.uri, uri)) return;
        streamed = true;
        this.write.fire(p.stream === 'stderr' ? `${RED}${crlf(p.text)}${RESET}` : crlf(p.text));
      }),
      this.events.onTestResult((p) => {
        if (!sameUri(p.uri, uri)) return;
        if (rows++ === 0) this.write.fire(`${DIM}${testTableHeader()}${RESET}\r\n`);
        this.write.fire(`${crlf(testRow(p.test))}\r\n`);
      }),
    ];
    try {
      if (this.definition.command === 'run') {
        const result = await server.run(uri);
        if (result.compile?.status === 'Compile Error') this.write.fire(`${RED}${crlf(result.compile.output)}${RESET}`);
        if (!streamed)
          this.write.fire(
            crlf(displayText(outputBytes(result, 'stdout'))) + `${RED}${crlf(displayText(outputBytes(result, 'stderr')))}${RESET}`,
          );
        this.end(runVerdictLine(result), result.status === 'Accepted' ? 0 : 1);
      } else {
        const result = await server.judge(uri);
        if (result.compile?.status === 'Compile Error') this.write.fire(`${RED}${crlf(result.compile.output)}${RESET}`);
        this.end(rows > 0 ? judgeSummary(result) : judgeReport(result), result.status === 'Accepted' ? 0 : 1);
      }
    } catch (e) {
      this.end(errorText(e), 2, RED);
    }
  }

  private end(text: string, code: number, style = ''): void {
    if (this.finished) return;
    this.finished = true;
    this.cleanup();
    this.write.fire(`\r\n${style}${crlf(text)}${style ? RESET : ''}\r\n`);
    this.done.fire(code);
  }

  private cleanup(): void {
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions = [];
  }
}

export class VerdictTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly server: () => VerdictServer | undefined,
    private readonly events: VerdictEvents,
  ) {}

  provideTasks(): vscode.Task[] {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isSupported(doc.uri)) return [];
    return (['run', 'judge'] as const).map((command) =>
      this.task({ type: TASK_TYPE, command }, vscode.workspace.getWorkspaceFolder(doc.uri)),
    );
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (!isDefinition(task.definition)) return undefined;
    const scope = task.scope && typeof task.scope === 'object' ? task.scope : undefined;
    return this.task(task.definition, scope);
  }

  private task(definition: VerdictTaskDefinition, folder: vscode.WorkspaceFolder | undefined): vscode.Task {
    const task = new vscode.Task(
      definition,
      folder ?? vscode.TaskScope.Workspace,
      definition.command,
      TASK_TYPE,
      new vscode.CustomExecution(
        async (resolved) => new VerdictTaskTerminal(isDefinition(resolved) ? resolved : definition, folder, this.server, this.events),
      ),
    );
    if (definition.command === 'judge') task.group = vscode.TaskGroup.Test;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    task.detail = definition.command === 'run' ? 'Run the active file in the sandbox' : 'Judge the active file against its tests';
    return task;
  }
}
