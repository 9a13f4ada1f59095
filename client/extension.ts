// Verdict's VS Code extension: starts the language server and wires its notifications to the
// output channel, status bar, tasks and Test Explorer; receives Competitive Companion problems;
// starts new source files from the user's templates;
// signs in to a Verdict server (the remote runner's token in SecretStorage).
// Every resource goes onto context.subscriptions, so deactivation disposes of all of it.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { VerdictCommands } from './commands';
import { CompanionReceiver } from './companion';
import { errorText } from './format';
import { verdictTitle } from '../protocol/report';
import { VerdictEvents, VerdictServer, createLanguageClient } from './language-client';
import { NewFileTemplates } from './new-file-template';
import { VerdictOutput } from './output-channel';
import { RemoteAccess } from './remote';
import { affectsSettings, readSettings, type Settings } from './settings';
import { VerdictStatusBar } from './status-bar';
import { TASK_TYPE, VerdictTaskProvider } from './tasks';
import { VerdictTests } from './test-controller';
import { PANEL_VIEW, VerdictPanel } from './test-panel';

/** The walkthrough, opened once, on the first activation after install. */
const WALKTHROUGH = 'verdict.verdict#verdict.gettingStarted';
const WALKTHROUGH_SHOWN = 'verdict.walkthroughShown';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = new VerdictOutput();
  const report = (message: string) => output.line(`✘ ${message}`);
  let settings: Settings = readSettings(report);

  const events = new VerdictEvents();
  const statusBar = new VerdictStatusBar(() => settings.server.runner);
  const commands = new VerdictCommands(output, () => settings, events);
  let server: VerdictServer | undefined;
  const currentServer = () => server;
  const tests = new VerdictTests(currentServer, events);
  const panel = new VerdictPanel(context, currentServer, events, (uri) => void tests.discover(uri));
  const companion = new CompanionReceiver(
    currentServer,
    () => settings,
    output,
    (uri, problem) => {
      void tests.discover(uri);
      panel.setProblem(uri, problem);
    },
    context.globalState,
  );
  const remote = new RemoteAccess(context.secrets, currentServer, output);
  await remote.load();
  context.subscriptions.push(
    output,
    events,
    statusBar,
    tests,
    panel,
    companion,
    remote,
    new NewFileTemplates(currentServer, output),
    ...commands.register(),
    ...remote.register(),
    vscode.window.registerWebviewViewProvider(PANEL_VIEW, panel, { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.commands.registerCommand('verdict.showPanel', () => vscode.commands.executeCommand(`${PANEL_VIEW}.focus`)),
  );

  context.subscriptions.push(
    events.onOutput((p) => output.output(p)),
    events.onTestResult((p) => output.testResult(p)),
    events.onResult((p) => {
      output.result(p);
      statusBar.setVerdict(verdictTitle(p), p.uri);
    }),
    events.onBusy((p) => {
      statusBar.setBusy(p.uri, p.kind, p.stopped);
      // Stop's keybinding works wherever the focus is while something runs.
      void vscode.commands.executeCommand('setContext', 'verdict.running', server?.isBusy() ?? false);
    }),
    events.onStatus((p) => statusBar.setStatus(p)),
    events.onQueue((p) => statusBar.setQueue(p)),
    commands.onTestsChanged((uri) => void tests.discover(uri)),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new VerdictTaskProvider(currentServer, events)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      settings = readSettings(report);
      if (affectsSettings(e, 'runner')) statusBar.refresh();
      if (affectsSettings(e, 'companion')) companion.apply();
      if (affectsSettings(e, 'tests')) void tests.discoverOpen();
    }),
  );
  companion.apply();

  client = createLanguageClient(context, commands.middleware, () => remote.current());
  context.subscriptions.push(
    ...events.listen(client),
    client.onDidChangeState((e) =>
      statusBar.setServerState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped'),
    ),
  );
  server = new VerdictServer(client, events);
  commands.attach(server);
  try {
    // Awaited, so the server's commands are registered before a palette command that activated us runs.
    await client.start();
    statusBar.setServerState('running');
  } catch (e) {
    statusBar.setServerState('stopped');
    report(`The Verdict language server did not start: ${errorText(e)}`);
    void vscode.window.showErrorMessage(`Verdict: the language server did not start: ${errorText(e)}`);
    return;
  }
  await tests.discoverOpen().catch((e) => report(`Verdict could not list the tests of the open files: ${errorText(e)}`));
  if (!context.globalState.get<boolean>(WALKTHROUGH_SHOWN)) {
    await context.globalState.update(WALKTHROUGH_SHOWN, true);
    // Beside the file the user already opened, if any, so it never covers it.
    void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, vscode.window.activeTextEditor !== undefined);
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  // The client is not on context.subscriptions: stopping it is asynchronous and must be awaited here.
  if (c?.isRunning()) await c.stop();
}
