// What the palette commands do on the client side. verdict.run/judge/stop/addTest are the server's
// commands: vscode-languageclient registers them from the server's executeCommandProvider, and
// this middleware fills in what a palette, keybinding, menu or CodeLens invocation lacks (the active
// file, the test's input and answer), runs them through VerdictServer (whose response carries the
// result to every view), and reports errors in words. verdict.showOutput and verdict.stress (a
// stress test: pick the reference and the generator, run it with the server's progress, offer to add
// the failing input as a test) are the client's own.
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, type Middleware } from 'vscode-languageclient/node';
import { Commands } from '../protocol/lsp';
import { errorText } from './format';
import { RunReplaced, isCancellation, type VerdictServer } from './language-client';
import { setupReport } from '../protocol/report';
import { runInTerminal } from './live-terminal';
import { buildImage } from './image-build';
import type { VerdictEvents } from './language-client';
import type { Settings } from './settings';
import { isSupported } from './languages';
import type { StressCase, StressResult } from '../protocol/lsp';
import type { VerdictOutput } from './output-channel';

const SERVER_COMMANDS = new Set<string>(Object.values(Commands));

/** The file a command is about: its argument (a URI string from a CodeLens, a Uri from a menu) or the active editor's. */
export function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  return editor && isSupported(editor.document.uri) ? editor.document.uri : undefined;
}

/** An input box's text as test data: `\n` and `\t` escapes (an input box has one line), and a final newline. */
export function unescapeTestData(text: string): string {
  const data = text.replace(/\\(n|t|\\)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
  return data === '' || data.endsWith('\n') ? data : `${data}\n`;
}

function escapeTestData(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n').replace(/\t/g, '\\t');
}

export class VerdictCommands {
  private server?: VerdictServer;
  private readonly testsChanged = new vscode.EventEmitter<vscode.Uri>();
  /** A test was added to this file's tests. */
  readonly onTestsChanged = this.testsChanged.event;

  readonly middleware: Middleware = {
    executeCommand: (command, args, next) => (SERVER_COMMANDS.has(command) ? this.serverCommand(command, args) : next(command, args)),
  };

  constructor(
    private readonly output: VerdictOutput,
    private readonly settings: () => Settings,
    private readonly events: VerdictEvents,
  ) {}

  /** "Verdict: Run with Live Input": the file in a terminal where its input is typed while it runs, whatever verdict.run.input says. */
  private async runLive(arg: unknown): Promise<void> {
    const server = this.server;
    const uri = targetUri(arg);
    if (!server || !uri) return void vscode.window.showWarningMessage('Verdict: open a source file (C, C++, Python, …) to run it.');
    if (this.settings().server.runner.mode === 'remote')
      return void vscode.window.showWarningMessage('Verdict: live input needs the local runner (a server takes input whole).');
    const { timeMs, memoryMb } = this.settings().server.limits;
    this.output.begin('run', uri, server.wouldRestart(uri));
    await runInTerminal(server, this.events, uri, `CPU ${timeMs / 1000} s, memory ${memoryMb} MB`);
  }

  /**
   * ▶ Run without NAME.stdin next to the source: its input as verdict.run.input says — typed live in a
   * terminal, or an input box — else undefined (the server's own rule: NAME.stdin, or none).
   */
  private async runWithoutFile(server: VerdictServer, uri: vscode.Uri): Promise<{ handled: boolean; result?: unknown }> {
    const settings = this.settings();
    const mode = settings.run.input;
    if (mode === 'file' || settings.server.runner.mode === 'remote') return { handled: false };
    const stdinFile = vscode.Uri.joinPath(
      uri,
      '..',
      `${uri.path
        .split('/')
        .pop()!
        .replace(/\.[^.]*$/, '')}.stdin`,
    );
    const exists = await vscode.workspace.fs.stat(stdinFile).then(
      () => true,
      () => false,
    );
    if (exists) return { handled: false };
    if (mode === 'terminal') {
      const { timeMs: cpuMs, memoryMb } = settings.server.limits;
      this.output.begin('run', uri, server.wouldRestart(uri));
      await runInTerminal(server, this.events, uri, `CPU ${cpuMs / 1000} s, memory ${memoryMb} MB`);
      return { handled: true };
    }
    const typed = await vscode.window.showInputBox({
      title: `Verdict: input for ${uri.path.split('/').pop()}`,
      prompt: 'What the program reads. Write \\n for a new line. (Put it in NAME.stdin next to the source to keep it.)',
      ignoreFocusOut: true,
    });
    if (typed === undefined) return { handled: true };
    this.output.begin('run', uri, server.wouldRestart(uri));
    this.output.show();
    return { handled: true, result: await server.run(uri, undefined, { stdin: unescapeTestData(typed) }) };
  }

  attach(server: VerdictServer): void {
    this.server = server;
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('verdict.showOutput', () => this.output.show(false)),
      vscode.commands.registerCommand('verdict.stress', (arg: unknown) => this.stress(arg)),
      vscode.commands.registerCommand('verdict.checkSetup', () => this.checkSetup()),
      vscode.commands.registerCommand('verdict.runLive', (arg: unknown) => this.runLive(arg)),
      vscode.commands.registerCommand('verdict.buildImage', (arg: unknown) => buildImage(this.server, arg)),
      this.testsChanged,
    ];
  }

  /** "Verdict: Check Setup": the checks of `verdict doctor` (Docker, images, languages, what to do), in the output and a notification. */
  private async checkSetup(): Promise<boolean | undefined> {
    const server = this.server;
    if (!server?.running) return void vscode.window.showErrorMessage('Verdict: the language server is not running.');
    this.output.line('── Verdict: Check Setup ' + '─'.repeat(40));
    this.output.show(false);
    try {
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Verdict: checking the setup (Docker, images, every language)…',
          cancellable: true,
        },
        (_, token) => server.checkSetup(token),
      );
      this.output.line(setupReport(result.checks));
      const failed = result.checks.filter((c) => c.state === 'fail');
      if (result.ok) {
        this.output.line(`✔ Ready: ${result.runner === 'local' ? 'Docker, the images and the languages work' : 'the server answers'}.`);
        void vscode.window.showInformationMessage(`Verdict: the setup is ready (${result.checks.length} checks passed or only warned).`);
      } else {
        this.output.line(`✘ ${failed.length} check${failed.length === 1 ? '' : 's'} failed: see "fix:" above.`);
        void vscode.window.showWarningMessage(
          `Verdict: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}${failed[0]?.fix ? ` — ${failed[0].fix}` : ''}`,
        );
      }
      return result.ok;
    } catch (e) {
      if (isCancellation(e)) return void this.output.line('■ Stopped.');
      this.output.line(`✘ ${errorText(e)}`);
      return false;
    }
  }

  /** The reference and generator last picked for a solution: offered first next time. */
  private readonly stressPicks = new Map<string, { reference: string; generator: string }>();

  /** "Verdict: Stress Test": the file against a reference picked from its folder, on a generator's inputs. */
  private async stress(arg: unknown): Promise<void> {
    const server = this.server;
    const uri = targetUri(arg);
    if (!server || !uri) return void vscode.window.showWarningMessage('Verdict: open the solution to stress-test (C, C++, Python, …).');
    const folder = vscode.Uri.joinPath(uri, '..');
    const names = (await vscode.workspace.fs.readDirectory(folder))
      .filter(([name, type]) => type === vscode.FileType.File && isSupported(vscode.Uri.joinPath(folder, name)))
      .map(([name]) => name)
      .filter((name) => name !== uri.path.split('/').pop())
      .sort();
    if (names.length === 0)
      return void vscode.window.showWarningMessage(
        'Verdict: a stress test needs a reference (a brute force) and a generator next to the solution, in its folder.',
      );
    const last = this.stressPicks.get(uri.toString());
    const pick = async (step: string, placeHolder: string, previous?: string) => {
      const items = names.map((label) => ({ label, ...(label === previous ? { description: 'last used' } : {}) }));
      items.sort((a, b) => Number(b.label === previous) - Number(a.label === previous));
      return (await vscode.window.showQuickPick(items, { title: `Verdict: Stress Test (${step})`, placeHolder, ignoreFocusOut: true }))
        ?.label;
    };
    const reference = await pick('1/2', 'The reference: a trusted (maybe slow) solution whose output is the answer', last?.reference);
    if (!reference) return;
    const generator = await pick(
      '2/2',
      'The generator: prints one input, called as `GEN seed` (and `GEN seed size` to shrink)',
      last?.generator,
    );
    if (!generator) return;
    this.stressPicks.set(uri.toString(), { reference, generator });
    const name = uri.path.split('/').pop()!;
    this.output.line(`▶ Stress test of ${name} against ${reference}, inputs from ${generator}`);
    let result: StressResult;
    try {
      result = await server.stress({
        uri: uri.toString(),
        reference: vscode.Uri.joinPath(folder, reference).toString(),
        generator: vscode.Uri.joinPath(folder, generator).toString(),
      });
    } catch (e) {
      if (e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled) return void this.output.line('■ Stopped.');
      this.output.line(`✘ ${errorText(e)}`);
      // The server shows its own errors; those of the connection are ours to show.
      if (!(e instanceof ResponseError)) void vscode.window.showErrorMessage(`Verdict: ${errorText(e)}`);
      return;
    }
    const rate = `seed ${result.seed}, ${result.roundsPerSecond} rounds/s`;
    if (result.status === 'passed') {
      this.output.line(`✔ No difference in ${result.rounds} rounds (${rate}).`);
      return void vscode.window.showInformationMessage(
        `Verdict: no difference between ${name} and ${reference} in ${result.rounds} rounds.`,
      );
    }
    if (result.status === 'cancelled') return void this.output.line(`■ Stopped after ${result.rounds} rounds: no difference so far.`);
    const failing = result.failing!;
    // Program output and messages arrive escaped from the server (displayText); the input is shown as an untitled document.
    this.output.line(`✘ Difference on round ${result.rounds} (${rate}): ${failing.message}`);
    if (result.shrink) this.output.line(`  shrinking: ${result.shrink}`);
    this.output.line(`  input from \`${generator} ${failing.generatorArgs.join(' ')}\`, ${failing.inputBytes} bytes`);
    this.output.show();
    await this.offerStressCase(server, uri, name, failing);
  }

  private async offerStressCase(server: VerdictServer, uri: vscode.Uri, name: string, failing: StressCase): Promise<void> {
    const add = 'Add as test case';
    const show = 'Show input';
    const choice = await vscode.window.showWarningMessage(
      `Verdict: ${name} differs from the reference on a ${failing.inputBytes}-byte input: ${failing.message}`,
      add,
      show,
    );
    if (choice === show) {
      const doc = await vscode.workspace.openTextDocument({ content: failing.input.text });
      await vscode.window.showTextDocument(doc, { preview: true });
      return this.offerStressCase(server, uri, name, failing);
    }
    if (choice !== add) return;
    try {
      const added = await server.addStressTest(uri, failing);
      this.testsChanged.fire(uri);
      this.output.line(
        `✚ Added test ${added.name} in ${vscode.workspace.asRelativePath(added.dir)} (the answer is the reference's output).`,
      );
      void vscode.window.showInformationMessage(`Verdict: added test ${added.name} in ${vscode.workspace.asRelativePath(added.dir)}.`);
    } catch (e) {
      this.output.line(`✘ ${errorText(e)}`);
    }
  }

  private async serverCommand(command: string, args: unknown[]): Promise<unknown> {
    const server = this.server;
    if (!server) return undefined;
    try {
      switch (command) {
        case Commands.run:
        case Commands.judge: {
          const uri = targetUri(args[0]);
          if (!uri)
            return void vscode.window.showWarningMessage('Verdict: open a source file (C, C++, Python, Java, …) to run or judge it.');
          if (command === Commands.run && args[1] === undefined) {
            const done = await this.runWithoutFile(server, uri);
            if (done.handled) return done.result;
          }
          this.output.begin(command === Commands.run ? 'run' : 'judge', uri, server.wouldRestart(uri));
          this.output.show();
          if (command === Commands.run) return await server.run(uri);
          // A problem stored on the server ("Verdict: Judge Against a Server Problem"), or the file's tests (all, or the named ones).
          const problem = (args[1] as { problem?: unknown } | undefined)?.problem;
          if (typeof problem === 'string') return await server.judgeProblem(uri, problem);
          return await server.judge(uri, Array.isArray(args[1]) ? (args[1] as string[]) : undefined);
        }
        case Commands.stop: {
          // From the lens or a menu: that file; from the keyboard or palette: the active file's run, else every run
          // (Stop works wherever the focus is: the output, the panel, a terminal).
          const uri = args[0] === undefined ? targetUri(undefined) : targetUri(args[0]);
          return await server.stop(uri && server.isBusy(uri.toString()) ? uri : undefined);
        }
        case Commands.addTest:
          return await this.addTest(server, args);
        default:
          return await server.execute(command, args);
      }
    } catch (e) {
      // Replaced by a new run of the same file: its header says so already.
      if (e instanceof RunReplaced) return undefined;
      if (isCancellation(e)) {
        this.output.line('■ Stopped.');
        return undefined;
      }
      this.output.line(`✘ ${errorText(e)}`);
      // The server shows its own errors; those of the connection are ours to show.
      if (!(e instanceof ResponseError)) void vscode.window.showErrorMessage(`Verdict: ${errorText(e)}`);
      return undefined;
    }
  }

  private async addTest(server: VerdictServer, args: unknown[]): Promise<unknown> {
    const uri = targetUri(args[0]);
    if (!uri) return void vscode.window.showWarningMessage('Verdict: open the source file to add a test case to.');
    let [input, answer] = [args[1], args[2]];
    if (typeof input !== 'string') {
      const editor = vscode.window.activeTextEditor;
      const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
      const typed = await vscode.window.showInputBox({
        title: 'Verdict: Add Test Case (1/2)',
        prompt: 'The input the program reads. Write \\n for a new line.',
        value: escapeTestData(selection),
        ignoreFocusOut: true,
      });
      if (typed === undefined) return undefined;
      input = unescapeTestData(typed);
    }
    if (typeof answer !== 'string') {
      const typed = await vscode.window.showInputBox({
        title: 'Verdict: Add Test Case (2/2)',
        prompt: 'The expected output. Write \\n for a new line.',
        ignoreFocusOut: true,
      });
      if (typed === undefined) return undefined;
      answer = unescapeTestData(typed);
    }
    const added = await server.execute<{ name: string; dir: string }>(Commands.addTest, [uri.toString(), input, answer]);
    this.testsChanged.fire(uri);
    if (added?.name)
      void vscode.window.showInformationMessage(`Verdict: added test ${added.name} in ${vscode.workspace.asRelativePath(added.dir)}.`);
    return added;
  }
}
