// The language server shares this user's background runner (runner/daemon/, docs/daemon.md) with the
// CLI and other editors: real server over JSON-RPC, real daemon on its unix socket, real Docker.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Commands } from '../../protocol/lsp';
import { startLanguageServer, type LanguageServer } from './lsp-fixture';

const BIN = path.resolve(__dirname, '../../bin/verdict.js');
const root = mkdtempSync(path.join(tmpdir(), 'verdict-lsp-daemon-'));
const servers: LanguageServer[] = [];
const folders: string[] = [];

async function verdict(args: string[], env: NodeJS.ProcessEnv) {
  const { execa } = await import('execa');
  return execa(process.execPath, [BIN, ...args], { env, reject: false, timeout: 120_000, stripFinalNewline: false });
}

async function daemonPid(dir: string): Promise<number | undefined> {
  const r = await verdict(['daemon', 'status', '--json'], { VERDICT_DAEMON_DIR: dir });
  return (JSON.parse(r.stdout) as { pid: number } | null)?.pid;
}

after(async () => {
  for (const s of servers) await s.stop();
  for (const dir of folders) if (existsSync(dir)) await verdict(['daemon', 'stop'], { VERDICT_DAEMON_DIR: dir });
});

async function serverWith(env: NodeJS.ProcessEnv, name: string): Promise<LanguageServer> {
  const workspace = path.join(root, name);
  const server = await startLanguageServer({ root: workspace, settings: { limits: { timeMs: 2000, memoryMb: 256 } }, env });
  servers.push(server);
  return server;
}

const run = (s: LanguageServer, uri: string) => s.command<{ status: string; stdout: string }>(Commands.run, uri);
const judge = (s: LanguageServer, uri: string) =>
  s.command<{ status: string; tests: { name: string; status: string }[] }>(Commands.judge, uri);

test('lsp + daemon: runs and judges go to the background runner, started on the first run and again after it ended', async () => {
  const dir = path.join(root, 'd1', 'verdict');
  folders.push(dir);
  const server = await serverWith({ VERDICT_DAEMON_DIR: dir }, 'w1');
  const text = 'a, b = map(int, input().split())\nprint(a + b)\n';
  const uri = server.file('sum.py', text);
  server.file('sum.stdin', '20 22\n');
  server.tests('sum.tests', [
    ['1 2\n', '3\n'],
    ['2 2\n', '5\n'],
  ]);
  server.open(uri, 'python', text);
  assert.equal(await daemonPid(dir), undefined, 'an idle editor starts no daemon');

  const first = await run(server, uri);
  assert.deepEqual([first.status, first.stdout], ['Accepted', '42\n']);
  const pid = await daemonPid(dir);
  assert.ok(pid, 'the first run started the daemon');
  const judged = await judge(server, uri);
  assert.deepEqual(
    judged.tests.map((t) => t.status),
    ['Accepted', 'Wrong Answer'],
  );
  assert.equal(await daemonPid(dir), pid, 'the judge went to the same daemon');

  // The daemon leaves (idle, or replaced): the next run starts one again, with nothing lost.
  await verdict(['daemon', 'stop'], { VERDICT_DAEMON_DIR: dir });
  assert.equal(await daemonPid(dir), undefined);
  const again = await run(server, uri);
  assert.deepEqual([again.status, again.stdout], ['Accepted', '42\n']);
  const next = await daemonPid(dir);
  assert.ok(next && next !== pid, 'a new daemon served the run');

  // The CLI attaches to the same one.
  const cli = await verdict(['run', path.join(root, 'w1', 'sum.py'), '--stdin', path.join(root, 'w1', 'sum.stdin')], {
    VERDICT_DAEMON_DIR: dir,
  });
  assert.equal(cli.stdout, '42\n');
  assert.equal(await daemonPid(dir), next);
});

test('lsp + daemon: with VERDICT_DAEMON=0 the server runs in its own process and starts none', async () => {
  const dir = path.join(root, 'd2', 'verdict');
  folders.push(dir);
  const server = await serverWith({ VERDICT_DAEMON_DIR: dir, VERDICT_DAEMON: '0' }, 'w2');
  const text = 'print("here")\n';
  const uri = server.file('here.py', text);
  server.open(uri, 'python', text);
  const result = await run(server, uri);
  assert.deepEqual([result.status, result.stdout], ['Accepted', 'here\n']);
  assert.equal(await daemonPid(dir), undefined);
  assert.equal(existsSync(path.join(dir, 'daemon.sock')), false);
});
