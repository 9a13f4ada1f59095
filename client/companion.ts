// Receives problems from Competitive Companion (a browser extension that POSTs each problem as
// JSON to tools listening on localhost; https://github.com/jmerle/competitive-companion). Off by
// default. Each problem goes to the language server (verdict/companionProblem), which decides where
// its tests live and writes them with a new source from the language's template; here it is
// opened, and the user is asked before tests already there are replaced.
//
// Off, and with cph (the other editor tool that listens on Competitive Companion's port) not
// installed, it listens on that port anyway until the first problem arrives, then asks once whether
// to turn the receiver on (and keeps that problem when the answer is yes).
import * as http from 'node:http';
import * as vscode from 'vscode';
import { displayText } from '../protocol/display';
import { errorText } from './format';
import type { VerdictServer } from './language-client';
import { buildImage } from './image-build';
import type { VerdictOutput } from './output-channel';
import { COMPANION_DEFAULT_PORT, SECTION, type Settings } from './settings';
import type { ProblemInfo } from './test-panel';

/** cph, "Competitive Programming Helper": when it is installed it owns Competitive Companion's port. */
const CPH_EXTENSION = 'DivyanshuAgrawal.competitive-programming-helper';
/** The user answered the one-time question (either way). */
const ASKED_KEY = 'verdict.companion.asked';

const HOST = '127.0.0.1';
/** Far above any real problem's samples; a bigger body is refused rather than buffered. */
const MAX_BODY_BYTES = 16 << 20;

export class CompanionReceiver implements vscode.Disposable {
  private server?: http.Server;
  private port?: number;
  /** Listening only to ask (the receiver is off): the first problem asks whether to turn it on. */
  private asking = false;
  /** Problems are handled one at a time: a contest arrives as a burst of POSTs, and each may ask a question. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly verdictServer: () => VerdictServer | undefined,
    private readonly settings: () => Settings,
    private readonly output: VerdictOutput,
    private readonly onSaved: (source: vscode.Uri, problem: ProblemInfo) => void,
    private readonly memento?: vscode.Memento,
  ) {}

  /** Starts, restarts or stops listening as the settings say (or, off and never asked, only to ask). */
  apply(): void {
    const { enabled, port } = this.settings().companion;
    if (enabled && this.server && this.port === port && !this.asking) return;
    this.close();
    if (enabled) this.listen(port);
    else if (this.memento && !this.memento.get<boolean>(ASKED_KEY) && !vscode.extensions.getExtension(CPH_EXTENSION)) {
      this.asking = true;
      this.listen(COMPANION_DEFAULT_PORT, true);
    }
  }

  dispose(): void {
    this.close();
  }

  private listen(port: number, quiet = false): void {
    const server = http.createServer((req, res) => this.request(req, res));
    server.on('error', (e: NodeJS.ErrnoException) => {
      if (this.server !== server) return;
      this.close();
      if (quiet) return; // only listening to ask: another tool has the port, nothing to say
      const why =
        e.code === 'EADDRINUSE'
          ? `port ${port} is in use (cph or another tool may be listening on it). Choose a free port in the setting verdict.companion.port and add it to Competitive Companion's custom ports.`
          : errorText(e);
      this.output.line(`✘ Competitive Companion: cannot listen on ${HOST}:${port}: ${why}`);
      void vscode.window.showWarningMessage(`Verdict: cannot receive problems from Competitive Companion: ${why}`);
    });
    server.listen(port, HOST, () => {
      if (!quiet) this.output.line(`Competitive Companion: listening on http://${HOST}:${port}/`);
    });
    this.server = server;
    this.port = port;
  }

  private close(): void {
    this.server?.close();
    this.server = undefined;
    this.port = undefined;
    this.asking = false;
  }

  /** The receiver is off and a problem arrived: ask once whether to turn it on; the problem is kept when it is turned on. */
  private async ask(body: string): Promise<boolean> {
    if (!this.asking) return true;
    await this.memento?.update(ASKED_KEY, true);
    let name = 'a problem';
    try {
      const parsed = JSON.parse(body) as { name?: unknown };
      if (typeof parsed.name === 'string') name = `"${displayText(parsed.name, { oneLine: true })}"`;
    } catch {
      // not JSON: still worth the question, the answer is about the receiver
    }
    const enable = 'Enable the receiver';
    const answer = await vscode.window.showInformationMessage(
      `Competitive Companion sent ${name} to port ${COMPANION_DEFAULT_PORT}. Enable Verdict's receiver, so problems become a source file and its tests?`,
      enable,
      'No',
    );
    if (answer !== enable) {
      this.close();
      return false;
    }
    await vscode.workspace.getConfiguration(SECTION).update('companion.enabled', true, vscode.ConfigurationTarget.Global);
    this.asking = false;
    return true;
  }

  private request(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      res.writeHead(200).end();
      const body = Buffer.concat(chunks).toString('utf8');
      this.queue = this.queue.then(async () => {
        if (await this.ask(body)) await this.receive(body);
      });
    });
  }

  private async receive(body: string): Promise<void> {
    try {
      const server = this.verdictServer();
      if (!server?.running) throw new Error('the Verdict language server is not running');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        throw new Error('what arrived is not JSON (is something other than Competitive Companion sending to this port?)');
      }
      const folder = await this.folder();
      if (!folder) return;
      const request = { payload, folder, language: this.settings().companion.language };
      let made = await server.companionProblem(request);
      if (!made.saved) {
        const answer = await vscode.window.showWarningMessage(
          `${vscode.workspace.asRelativePath(made.testsDir)} already holds tests. Replace them with the ${made.tests} of "${made.name}"?`,
          'Replace',
          'Keep',
        );
        if (answer === 'Replace') made = await server.companionProblem({ ...request, replaceTests: true });
      }
      const uri = vscode.Uri.parse(made.source);
      await vscode.window.showTextDocument(uri, { preview: false });
      this.offerBuild(server, request.language);
      const url = (payload as { url?: unknown }).url;
      this.onSaved(uri, {
        name: made.name,
        ...(made.group ? { group: made.group } : {}),
        ...(typeof url === 'string' && /^https?:\/\//.test(url) ? { url } : {}),
        ...(made.timeLimitMs ? { timeLimitMs: made.timeLimitMs } : {}),
        ...(made.memoryLimitMb ? { memoryLimitMb: made.memoryLimitMb } : {}),
      });
      const notes = [
        made.timeLimitMs ? `time limit ${made.timeLimitMs} ms` : undefined,
        made.memoryLimitMb ? `memory limit ${made.memoryLimitMb} MB` : undefined,
        ...made.notes,
      ].filter((n) => n);
      this.output.line(
        displayText(
          `Competitive Companion: ${made.name}${made.group ? ` (${made.group})` : ''} → ${vscode.workspace.asRelativePath(uri)}` +
            (made.saved ? `, ${made.tests} tests in ${vscode.workspace.asRelativePath(made.testsDir)}` : ', tests kept') +
            (notes.length ? ` · ${notes.join(' · ')}` : ''),
        ),
      );
    } catch (e) {
      this.output.line(`✘ Competitive Companion: ${displayText(errorText(e))}`);
      void vscode.window.showErrorMessage(`Verdict: could not save the problem from Competitive Companion: ${displayText(errorText(e))}`);
    }
  }

  /** The new source's language cannot run here (its image missing): say so, and offer the build. */
  private offerBuild(server: VerdictServer, language: string): void {
    void server.languages().then(
      async (statuses) => {
        const status = statuses.find((l) => l.id === language);
        if (!status || status.usable) return;
        const build = status.build;
        const answer = await vscode.window.showWarningMessage(
          `Verdict: ${status.name} cannot run here yet: ${status.problem}.`,
          ...(build ? ['Build it'] : []),
        );
        if (answer === 'Build it' && build) await buildImage(server, build);
      },
      () => undefined,
    );
  }

  /** The first workspace folder, or one the user picks when none is open. */
  private async folder(): Promise<string | undefined> {
    const open = vscode.workspace.workspaceFolders?.[0];
    if (open?.uri.scheme === 'file') return open.uri.fsPath;
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Save problems here',
      title: 'Verdict: where to save problems from Competitive Companion',
    });
    return picked?.[0]?.fsPath;
  }
}
