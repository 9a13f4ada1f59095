// Verdict's VS Code extension: starts the language server and wires its notifications to the
// output channel, status bar, tasks and Test Explorer; receives Competitive Companion problems;
// signs in to a Verdict server (the remote runner's token in SecretStorage).
// Every resource goes onto context.subscriptions, so deactivation disposes of all of it.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { VerdictCommands } from './commands';
import { CompanionReceiver } from './companion';
import { errorText } from './format';
import { verdictTitle } from '../protocol/report';
import { VerdictEvents, VerdictServer, createLanguageClient } from './language-client';
import { VerdictOutput } from './output-channel';
import { RemoteAccess } from './remote';
import { affectsSettings, readSettings, type Settings } from './settings';
import { VerdictStatusBar } from './status-bar';
import { TASK_TYPE, VerdictTaskProvider } from './tasks';
import { VerdictTests } from './test-controller';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = new VerdictOutput();
  const report = (message: string) => output.line(`✘ ${message}`);
  let settings: Settings = readSettings(report);

  const events = new VerdictEvents();
  const statusBar = new VerdictStatusBar(() => settings.server.runner);
  const commands = new VerdictCommands(output);
  let server: VerdictServer | undefined;
  const currentServer = () => server;
  const tests = new VerdictTests(currentServer, events);
  const companion = new CompanionReceiver(
    currentServer,
    () => settings,
    output,
    (uri) => void tests.discover(uri),
  );
  const remote = new RemoteAccess(context.secrets, currentServer, output);
  await remote.load();
  context.subscriptions.push(output, events, statusBar, tests, companion, remote, ...commands.register(), ...remote.register());

  context.subscriptions.push(
    events.onOutput((p) => output.output(p)),
    events.onTestResult((p) => output.testResult(p)),
    events.onResult((p) => {
      output.result(p);
      statusBar.setVerdict(verdictTitle(p), p.uri);
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
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  // The client is not on context.subscriptions: stopping it is asynchronous and must be awaited here.
  if (c?.isRunning()) await c.stop();
}
