// The language server offers only what can run here: a real server over JSON-RPC stdio, with its
// images under a scratch namespace (VERDICT_IMAGE_NAMESPACE) where only Python's is tagged, so C++'s
// image is missing without touching the real verdict/* images; then C++'s is tagged ("built") and a
// refresh brings its Run lens back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  CodeLensRequest,
  ConfigurationRequest,
  WorkDoneProgressCreateRequest,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { Commands, LanguagesRequest } from '../../protocol/lsp';

const SERVER = path.resolve(__dirname, '../../bin/verdict-language-server.js');
/** A namespace of this test's own: its tags are removed at the end (the images stay, under verdict/). */
const NAMESPACE = `verdict-lens-${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-lsp-languages-'));
let server: ChildProcess;
let connection: ProtocolConnection;
const tagged: string[] = [];

function tag(recipe: string): void {
  const target = `${NAMESPACE}/${recipe}:latest`;
  execFileSync('docker', ['tag', `verdict/${recipe}:latest`, target]);
  tagged.push(target);
}

function source(name: string, languageId: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  return uri;
}

async function lenses(uri: string) {
  return ((await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []).map((l) => l.command!);
}

before(async () => {
  tag('python3');
  server = spawn(process.execPath, [SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, VERDICT_IMAGE_NAMESPACE: NAMESPACE },
  });
  connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => ({ limits: { timeMs: 2000, memoryMb: 256 } })));
  connection.onRequest(WorkDoneProgressCreateRequest.method, () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    initializationOptions: { outputNotifications: true },
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, codeLens: { refreshSupport: true } } },
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }],
  });
  await connection.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
  await connection.sendNotification(ExitNotification.type).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  server.kill();
  for (const t of tagged) execFileSync('docker', ['rmi', t]); // the tag only: the image keeps its verdict/ name
  rmSync(dir, { recursive: true, force: true });
});

test('lsp languages: with its image missing, a C++ file gets one lens saying so with the command that builds it', async () => {
  const uri = source('sum.cpp', 'cpp', '#include <cstdio>\nint main() { puts("hi"); }\n');
  const shown = await lenses(uri);
  assert.deepEqual(
    shown.map((c) => [c.title, c.command, c.arguments]),
    [['⚠ C++: image missing — build it (verdict images build cpp)', 'verdict.buildImage', ['cpp']]],
  );
  // A Python file, whose image is there, keeps its Run lens.
  const py = source('hi.py', 'python', 'print("hi")\n');
  assert.deepEqual(
    (await lenses(py)).map((c) => c.title),
    ['▶ Run'],
  );
});

test('lsp languages: Run of a language without its image answers the fix, before anything starts', async () => {
  const uri = source('run.cpp', 'cpp', 'int main() { return 0; }\n');
  await assert.rejects(connection.sendRequest(ExecuteCommandRequest.type, { command: Commands.run, arguments: [uri] }), (e: Error) => {
    assert.match(
      e.message,
      new RegExp(`^C\\+\\+ \\(GCC, GNU\\+\\+17\\) cannot run here: its image ${NAMESPACE}/gcc:latest is not built\\.`),
    );
    assert.match(e.message, /Run `verdict images build cpp` in a terminal/);
    return true;
  });
  // The language that is there runs.
  const py = source('ok.py', 'python', 'print("ok")\n');
  const ran = (await connection.sendRequest(ExecuteCommandRequest.type, { command: Commands.run, arguments: [py] })) as {
    exitCode: number;
  };
  assert.equal(ran.exitCode, 0, JSON.stringify(ran));
});

test('lsp languages: verdict/languages lists what can run here; once the image is there, a refresh brings Run back', async () => {
  const statuses = await connection.sendRequest(LanguagesRequest, {});
  const byId = new Map(statuses.map((s) => [s.id, s]));
  assert.equal(byId.get('python3')?.usable, true);
  assert.deepEqual(byId.get('cpp20'), {
    id: 'cpp20',
    name: 'C++ (GCC, GNU++20)',
    usable: false,
    problem: `its image ${NAMESPACE}/gcc:latest is not built`,
    fix: 'verdict images build cpp',
    build: 'cpp',
  });
  assert.deepEqual(
    statuses.filter((s) => s.usable).map((s) => s.id),
    ['python3'],
  );

  tag('gcc'); // as `verdict images build cpp` would leave it
  const uri = source('after.cpp', 'cpp', 'int main() { return 0; }\n');
  assert.match((await lenses(uri))[0]!.title, /^⚠ C\+\+: image missing/, 'answered from what was found, until a refresh');
  const refreshed = await connection.sendRequest(LanguagesRequest, { refresh: true });
  assert.deepEqual(
    refreshed.filter((s) => s.usable).map((s) => s.id),
    ['c', 'cpp', 'cpp20', 'cpp23', 'python3'], // C shares C++'s image
  );
  assert.deepEqual(
    (await lenses(uri)).map((c) => c.title),
    ['▶ Run'],
  );
});

test('lsp languages: with Docker unreachable, the lens says so and Run answers what to do', async () => {
  const lonely = spawn(process.execPath, [SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, DOCKER_HOST: `unix://${path.join(dir, 'no-docker.sock')}` },
  });
  const c = createProtocolConnection(new StreamMessageReader(lonely.stdout!), new StreamMessageWriter(lonely.stdin!));
  c.onRequest(WorkDoneProgressCreateRequest.method, () => null);
  c.listen();
  try {
    await c.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
    await c.sendNotification(InitializedNotification.type, {});
    const file = path.join(dir, 'lonely.py');
    writeFileSync(file, 'print(1)\n');
    const uri = pathToFileURL(file).href;
    await c.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text: 'print(1)\n' },
    });
    const [lens, ...rest] = (await c.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    assert.equal(rest.length, 0);
    assert.match(lens!.command!.title, /^⚠ Python 3: Docker is not reachable \(.*\): start it — then `verdict doctor`$/);
    await assert.rejects(c.sendRequest(ExecuteCommandRequest.type, { command: Commands.run, arguments: [uri] }), (e: Error) => {
      assert.match(
        e.message,
        /^Python 3 \(CPython\) cannot run here: Docker is not reachable \(.*\): start it\. Run `verdict doctor` in a terminal, then try again\.$/,
      );
      return true;
    });
  } finally {
    await c.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await c.sendNotification(ExitNotification.type).catch(() => undefined);
    lonely.kill();
  }
});
