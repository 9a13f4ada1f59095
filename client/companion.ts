// Receives problems from Competitive Companion (a browser extension that POSTs each problem as
// JSON to tools listening on localhost; https://github.com/jmerle/competitive-companion). Off by
// default. For each problem: the tests go to NAME.in/NAME.ans in the source's tests folder
// (<name>.tests/ unless verdict.tests.folder says otherwise), a new source file is made from the
// language's template (languages/<id>.json), and it is opened.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseCompanionPayload, writeTestsFolder, type ImportedProblem } from '../runner/judge/importers';
import { errorText } from './format';
import type { VerdictOutput } from './output-channel';
import type { Settings } from './settings';

const HOST = '127.0.0.1';
/** Far above any real problem's samples; a bigger body is refused rather than buffered. */
const MAX_BODY_BYTES = 16 << 20;

interface LanguageFile {
  id: string;
  extensions: string[];
  template?: string;
}

/** The file name for a problem: Competitive Companion's class-name-friendly `taskClass`, else the name made file-safe. */
export function problemFileBase(name: string, taskClass: unknown): string {
  const base = (typeof taskClass === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(taskClass) ? taskClass : name)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  if (base === '') return 'Problem';
  return /^[0-9-]/.test(base) ? `P${base}` : base;
}

/** The tests folder of a source file: verdict.tests.folder with {dir} and {name}, else <dir>/<name>.tests. */
export function testsFolderFor(source: string, pattern: string): string {
  const dir = path.dirname(source);
  const name = path.basename(source, path.extname(source));
  if (pattern.trim() === '') return path.join(dir, `${name}.tests`);
  return path.resolve(dir, pattern.replaceAll('{dir}', dir).replaceAll('{name}', name));
}

function taskClassOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { languages?: { java?: { taskClass?: unknown } } }).languages?.java?.taskClass;
  } catch {
    return undefined;
  }
}

export class CompanionReceiver implements vscode.Disposable {
  private server?: http.Server;
  private port?: number;
  /** Problems are handled one at a time: a contest arrives as a burst of POSTs, and each may ask a question. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly languagesDir: string,
    private readonly settings: () => Settings,
    private readonly output: VerdictOutput,
    private readonly onSaved: (source: vscode.Uri) => void,
  ) {}

  /** Starts, restarts or stops listening as the settings say. */
  apply(): void {
    const { enabled, port } = this.settings().companion;
    if (enabled && this.server && this.port === port) return;
    this.close();
    if (enabled) this.listen(port);
  }

  dispose(): void {
    this.close();
  }

  private listen(port: number): void {
    const server = http.createServer((req, res) => this.request(req, res));
    server.on('error', (e: NodeJS.ErrnoException) => {
      if (this.server !== server) return;
      this.close();
      const why =
        e.code === 'EADDRINUSE'
          ? `port ${port} is in use (cph or another tool may be listening on it). Choose a free port in the setting verdict.companion.port and add it to Competitive Companion's custom ports.`
          : errorText(e);
      this.output.line(`✘ Competitive Companion: cannot listen on ${HOST}:${port}: ${why}`);
      void vscode.window.showWarningMessage(`Verdict: cannot receive problems from Competitive Companion: ${why}`);
    });
    server.listen(port, HOST, () => this.output.line(`Competitive Companion: listening on http://${HOST}:${port}/`));
    this.server = server;
    this.port = port;
  }

  private close(): void {
    this.server?.close();
    this.server = undefined;
    this.port = undefined;
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
      this.queue = this.queue.then(() => this.receive(body));
    });
  }

  private async receive(body: string): Promise<void> {
    try {
      const problem = parseCompanionPayload(body);
      const settings = this.settings();
      const language = this.language(settings.companion.language);
      const folder = await this.folder();
      if (!folder) return;
      const base = problemFileBase(problem.name, taskClassOf(body));
      const source = path.join(folder, `${base}${language.extensions[0]}`);
      const testsDir = testsFolderFor(source, settings.server.tests.folder);
      const saved = await this.saveTests(problem, testsDir);
      if (!existsSync(source)) writeFileSync(source, this.template(language, base));
      const uri = vscode.Uri.file(source);
      await vscode.window.showTextDocument(uri, { preview: false });
      this.onSaved(uri);
      const notes = [
        problem.timeLimitMs ? `time limit ${problem.timeLimitMs} ms` : undefined,
        problem.memoryMb ? `memory limit ${problem.memoryMb} MB` : undefined,
        problem.interactive ? 'interactive: judge it with its interactor (a problem package)' : undefined,
        problem.inputFile || problem.outputFile ? `reads ${problem.inputFile ?? 'stdin'}, writes ${problem.outputFile ?? 'stdout'}` : undefined,
      ].filter((n) => n);
      this.output.line(
        `Competitive Companion: ${problem.name}${problem.group ? ` (${problem.group})` : ''} → ${vscode.workspace.asRelativePath(source)}` +
          (saved ? `, ${problem.tests.length} tests in ${vscode.workspace.asRelativePath(testsDir)}` : ', tests kept') +
          (notes.length ? ` · ${notes.join(' · ')}` : ''),
      );
    } catch (e) {
      this.output.line(`✘ Competitive Companion: ${errorText(e)}`);
      void vscode.window.showErrorMessage(`Verdict: could not save the problem from Competitive Companion: ${errorText(e)}`);
    }
  }

  private language(id: string): LanguageFile {
    const file = path.join(this.languagesDir, `${id}.json`);
    if (!/^[a-z][a-z0-9+-]*$/.test(id) || !existsSync(file)) {
      const known = readdirSync(this.languagesDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
      throw new Error(`Unknown language "${id}" in the setting verdict.companion.language. Known languages: ${known.join(', ')}.`);
    }
    return JSON.parse(readFileSync(file, 'utf8')) as LanguageFile;
  }

  private template(language: LanguageFile, base: string): string {
    const text = language.template ?? '';
    // Java runs the public class whatever the file's name, but editors expect the file named after it.
    return language.id === 'java' ? text.replace(/\bpublic class Main\b/, `public class ${base}`) : text;
  }

  /** The first workspace folder, or one the user picks when none is open. */
  private async folder(): Promise<string | undefined> {
    const open = vscode.workspace.workspaceFolders?.[0];
    if (open?.uri.scheme === 'file') return open.uri.fsPath;
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Save problems here', title: 'Verdict: where to save problems from Competitive Companion' });
    return picked?.[0]?.fsPath;
  }

  /** Writes the tests; a folder that already has tests is replaced only if the user says so. */
  private async saveTests(problem: ImportedProblem, dir: string): Promise<boolean> {
    const hasTests = existsSync(dir) && readdirSync(dir).some((n) => /\.(in|ans|out)$/.test(n));
    if (hasTests) {
      const answer = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(dir)} already holds tests. Replace them with the ${problem.tests.length} of "${problem.name}"?`,
        'Replace',
        'Keep',
      );
      if (answer !== 'Replace') return false;
    }
    writeTestsFolder(dir, problem.tests, { replace: hasTests });
    return true;
  }
}
