// The remote runner from VS Code: "Verdict: Sign in to a Server" (the server's URL into the user
// settings, the token into VS Code's SecretStorage, never into settings.json), "Verdict: Sign out",
// the token handed to the language server (initializationOptions, then verdict/setToken), and
// "Verdict: Judge Against a Server Problem" (a quick pick of the server's stored problems). Other
// editors give the token in the verdict.runner.token setting instead.
import * as vscode from 'vscode';
import { Commands } from '../protocol/lsp';
import { displayText } from '../protocol/display';
import { ServiceClient } from '../protocol/service-client';
import { targetUri } from './commands';
import { errorText } from './format';
import type { VerdictServer } from './language-client';
import type { VerdictOutput } from './output-channel';
import { SECTION, readSettings } from './settings';
import { serverHost } from './status-bar';

/** The SecretStorage key of the remote runner's token. */
export const TOKEN_SECRET = 'verdict.runner.token';

export const SIGN_IN_COMMAND = 'verdict.signIn';
export const SIGN_OUT_COMMAND = 'verdict.signOut';
export const JUDGE_PROBLEM_COMMAND = 'verdict.judgeProblem';

function isServerUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export class RemoteAccess implements vscode.Disposable {
  private token = '';
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly server: () => VerdictServer | undefined,
    private readonly output: VerdictOutput,
  ) {
    this.subscriptions.push(
      secrets.onDidChange((e) => {
        // A server not running yet is given the token when it starts (initializationOptions).
        if (e.key === TOKEN_SECRET)
          void this.load()
            .then(() => (this.server()?.running ? this.server()!.setToken(this.token) : undefined))
            .catch(() => undefined);
      }),
    );
  }

  /** Reads the stored token (before the language server starts). */
  async load(): Promise<void> {
    this.token = (await this.secrets.get(TOKEN_SECRET).then(undefined, () => undefined)) ?? '';
  }

  /** The token the language server is given when it starts. */
  current(): string {
    return this.token;
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(SIGN_IN_COMMAND, () => this.signIn()),
      vscode.commands.registerCommand(SIGN_OUT_COMMAND, () => this.signOut()),
      vscode.commands.registerCommand(JUDGE_PROBLEM_COMMAND, (arg?: unknown) => this.judgeProblem(arg)),
    ];
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  private async signIn(): Promise<void> {
    const current = readSettings().server.runner.url;
    const url = (
      await vscode.window.showInputBox({
        title: 'Verdict: Sign in to a Server (1/2)',
        prompt: "The Verdict server's URL, as your teacher gave it.",
        placeHolder: 'https://verdict.example.edu',
        value: current,
        ignoreFocusOut: true,
        validateInput: (v) => (isServerUrl(v) ? undefined : 'An http:// or https:// URL'),
      })
    )?.trim();
    if (url === undefined) return;
    const host = serverHost(url);
    const token = (
      await vscode.window.showInputBox({
        title: 'Verdict: Sign in to a Server (2/2)',
        prompt: `Your token for ${host} (kept in VS Code's secret storage, not in the settings).`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'The token your teacher gave you'),
      })
    )?.trim();
    if (token === undefined) return;
    // Checked before it is saved: the server's version, and the token (listing problems needs one).
    const problem = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Verdict: checking ${host}…` },
      async () => {
        try {
          const client = new ServiceClient(url, token);
          await client.check();
          await client.problems();
          return undefined;
        } catch (e) {
          return errorText(e);
        }
      },
    );
    if (problem !== undefined) {
      const choice = await vscode.window.showWarningMessage(`Verdict: ${problem}`, { modal: false }, 'Save Anyway');
      if (choice !== 'Save Anyway') return;
    }
    await this.secrets.store(TOKEN_SECRET, token);
    const config = vscode.workspace.getConfiguration(SECTION);
    await config.update('runner.url', url, vscode.ConfigurationTarget.Global);
    await config.update('runner.mode', 'remote', vscode.ConfigurationTarget.Global);
    // A workspace's own runner settings win over the user's: say so rather than leave it puzzling.
    const mode = config.inspect<string>('runner.mode');
    const overridden = [mode?.workspaceValue, mode?.workspaceFolderValue].some((v) => v !== undefined && v !== 'remote');
    this.output.line(`Signed in to ${url}.`);
    void vscode.window.showInformationMessage(
      overridden
        ? `Verdict: signed in to ${host}, but this workspace sets verdict.runner.mode to "local": change it there to run on the server.`
        : `Verdict: signed in to ${host}; runs and judges go there now.`,
    );
  }

  private async signOut(): Promise<void> {
    await this.secrets.delete(TOKEN_SECRET);
    const settingToken = readSettings().server.runner.token;
    void vscode.window.showInformationMessage(
      settingToken
        ? 'Verdict: signed out (the token is removed from secret storage); the verdict.runner.token setting still holds one.'
        : 'Verdict: signed out; the token is removed from secret storage.',
    );
  }

  private async judgeProblem(arg: unknown): Promise<unknown> {
    const uri = targetUri(arg);
    if (!uri) return void vscode.window.showWarningMessage('Verdict: open a source file to judge it against a server problem.');
    const server = this.server();
    if (!server?.running) return void vscode.window.showErrorMessage('Verdict: the language server is not running.');
    const runner = readSettings().server.runner;
    if (runner.mode !== 'remote') {
      const choice = await vscode.window.showWarningMessage(
        'Verdict: problems are stored on a Verdict server; sign in to one to judge against them.',
        'Sign in to a Server',
      );
      if (choice) await vscode.commands.executeCommand(SIGN_IN_COMMAND);
      return undefined;
    }
    let problems;
    try {
      problems = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Verdict: problems on ${serverHost(runner.url)}` },
        () => server.problems(),
      );
    } catch (e) {
      this.output.line(`✘ ${errorText(e)}`);
      return void vscode.window.showErrorMessage(`Verdict: ${errorText(e)}`);
    }
    if (problems.length === 0)
      return void vscode.window.showInformationMessage(`Verdict: ${serverHost(runner.url)} has no problems for your class yet.`);
    // Names and ids are the server's: shown as text, one line each.
    const shown = (s: string) => displayText(s, { oneLine: true });
    const picked = await vscode.window.showQuickPick(
      problems.map((p) => ({
        label: shown(p.name),
        description: shown(p.id),
        detail: [
          `${p.samples.length} sample${p.samples.length === 1 ? '' : 's'}, ${p.hiddenTests} hidden test${p.hiddenTests === 1 ? '' : 's'}`,
          p.timeLimitMs ? `${p.timeLimitMs / 1000} s` : undefined,
          p.memoryLimitMb ? `${p.memoryLimitMb} MB` : undefined,
          p.interactive ? 'interactive' : undefined,
          p.scoring ? 'scored' : undefined,
        ]
          .filter((x) => x)
          .join(' · '),
        id: p.id,
      })),
      {
        title: 'Verdict: Judge Against a Server Problem',
        placeHolder: `Judge ${vscode.workspace.asRelativePath(uri)} against…`,
        matchOnDescription: true,
      },
    );
    if (!picked) return undefined;
    // Through the server's judge command, so the output channel, status bar and errors are as for any judge.
    return vscode.commands.executeCommand(Commands.judge, uri.toString(), { problem: picked.id });
  }
}
