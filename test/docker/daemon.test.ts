// The user's background runner (runner/daemon/, docs/daemon.md) as the CLI uses it: real processes,
// a real unix socket, real Docker. Each test has its own daemon folder (VERDICT_DAEMON_DIR), and every
// daemon a test started is stopped in after(), killed if it will not stop.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const BIN = path.resolve(__dirname, '../../bin/verdict.js');
const root = mkdtempSync(path.join(tmpdir(), 'verdict-daemon-test-'));
const started = new Set<number>();
const folders: string[] = [];

interface Info {
  pid: number;
  build: string;
  rssBytes: number;
}

/** A fresh daemon folder (not made yet: the CLI makes it). */
function daemonFolder(): string {
  const d = path.join(root, `d${folders.length}`, 'verdict');
  folders.push(d);
  return d;
}

function file(name: string, content: string): string {
  const p = path.join(root, name);
  writeFileSync(p, content);
  return p;
}

/** A folder of tests 1.in/1.ans, 2.in/2.ans… from [input, answer] pairs. */
function testFolder(name: string, pairs: [string, string][]): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  pairs.forEach(([input, answer], i) => {
    writeFileSync(path.join(dir, `${i + 1}.in`), input);
    writeFileSync(path.join(dir, `${i + 1}.ans`), answer);
  });
  return dir;
}

async function verdict(args: string[], env: NodeJS.ProcessEnv, input: string | Uint8Array = '') {
  const { execa } = await import('execa');
  const r = await execa(process.execPath, [BIN, ...args], { input, env, stripFinalNewline: false, timeout: 120_000, reject: false });
  return { code: r.exitCode ?? null, stdout: r.stdout, stderr: r.stderr };
}

async function status(dir: string): Promise<Info | null> {
  const r = await verdict(['daemon', 'status', '--json'], { VERDICT_DAEMON_DIR: dir });
  const info = JSON.parse(r.stdout) as Info | null;
  if (info) started.add(info.pid);
  return info;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}: not within ${ms} ms`);
}

/** The figures (times, memory, and the padding that aligns them) differ between runs; the words must not. */
const words = (text: string) => text.replace(/[\d.]+ (ms|MB|KB|kB|s)\b/g, 'N $1').replace(/ +/g, ' ');

after(async () => {
  for (const dir of folders) if (existsSync(dir)) await verdict(['daemon', 'stop'], { VERDICT_DAEMON_DIR: dir });
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

const hello = file('hello.py', 'import sys\nprint("hello", input())\nsys.stderr.write("to stderr")\n');

test('daemon: the first run starts it, later runs reuse it (same pid, warm), with the output of a run in this process', async () => {
  const dir = daemonFolder();
  const env = { VERDICT_DAEMON_DIR: dir };
  assert.equal(await status(dir), null);
  const first = await verdict(['run', hello], env, 'you\n');
  assert.equal(first.code, 0, first.stderr);
  const info = await status(dir);
  assert.ok(info, 'a daemon answers after the first run');
  const t0 = Date.now();
  const second = await verdict(['run', hello], env, 'you\n');
  const secondMs = Date.now() - t0;
  assert.equal(second.code, 0, second.stderr);
  assert.equal((await status(dir))?.pid, info.pid, 'the same daemon served the second run');
  const local = await verdict(['run', '--no-daemon', hello], env, 'you\n');
  assert.equal(second.stdout, 'hello you\n');
  assert.equal(second.stdout, local.stdout);
  assert.equal(words(second.stderr), words(local.stderr));
  assert.match(second.stderr, /^to stderr\n✔ Accepted/);
  // Warm: no container or runner to build (a loaded 2-core machine still answers well within this).
  assert.ok(secondMs < 5000, `the attached run took ${secondMs} ms`);

  // A compile error and a judge read the same through the daemon.
  const bad = file('bad.c', 'int main(void) { return x; }\n');
  const [viaDaemon, here] = [await verdict(['run', bad], env), await verdict(['run', '--no-daemon', bad], env)];
  assert.equal(viaDaemon.stdout, here.stdout);
  assert.equal(words(viaDaemon.stderr), words(here.stderr));
  assert.match(viaDaemon.stderr, /Compile Error/);
  const tests = testFolder('tests', [
    ['2 3\n', '5\n'],
    ['2 2\n', '5\n'],
  ]);
  const sum = file('sum.py', 'a, b = map(int, input().split())\nprint(a + b)\n');
  const judged = await verdict(['judge', sum, '--tests', tests], env);
  const judgedHere = await verdict(['judge', sum, '--tests', tests], { ...env, VERDICT_DAEMON: '0' });
  assert.equal(words(judged.stdout), words(judgedHere.stdout));
  assert.match(judged.stdout, /Wrong Answer on test 2/);
  assert.equal((await status(dir))?.pid, info.pid);
});

test('daemon: VERDICT_DAEMON=0 and --no-daemon run in this process and start none', async () => {
  const dir = daemonFolder();
  const r = await verdict(['run', hello], { VERDICT_DAEMON_DIR: dir, VERDICT_DAEMON: '0' }, 'x\n');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello x\n');
  const r2 = await verdict(['run', '--no-daemon', hello], { VERDICT_DAEMON_DIR: dir }, 'y\n');
  assert.equal(r2.stdout, 'hello y\n');
  assert.equal(existsSync(path.join(dir, 'daemon.sock')), false);
  assert.equal(await status(dir), null);
});

test('daemon: its folder is 0700 and its socket 0600, both this user’s', async () => {
  const dir = daemonFolder();
  const r = await verdict(['run', hello], { VERDICT_DAEMON_DIR: dir }, '\n');
  assert.equal(r.code, 0, r.stderr);
  await status(dir);
  const folder = statSync(dir);
  const socket = statSync(path.join(dir, 'daemon.sock'));
  assert.ok(socket.isSocket());
  assert.equal(folder.mode & 0o777, 0o700);
  assert.equal(socket.mode & 0o777, 0o600);
  assert.equal(folder.uid, process.getuid!());
  assert.equal(socket.uid, process.getuid!());
});

test('daemon: a folder others may enter is refused, and the run is done in this process', async () => {
  const dir = daemonFolder();
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const r = await verdict(['run', hello], { VERDICT_DAEMON_DIR: dir }, 'z\n');
  assert.equal(r.stdout, 'hello z\n');
  assert.match(r.stderr, /not a private folder.*running in this process/s);
  assert.equal(existsSync(path.join(dir, 'daemon.sock')), false);
});

test('daemon: one of another build is replaced by the next call', async () => {
  const dir = daemonFolder();
  const old = await verdict(['daemon', 'start'], { VERDICT_DAEMON_DIR: dir, VERDICT_BUILD_ID: 'an-older-build' });
  assert.equal(old.code, 0, old.stderr);
  const before = await status(dir);
  assert.equal(before?.build, 'an-older-build');
  const r = await verdict(['run', hello], { VERDICT_DAEMON_DIR: dir }, 'new\n');
  assert.equal(r.stdout, 'hello new\n');
  const now = await status(dir);
  assert.ok(now && now.pid !== before.pid && now.build !== 'an-older-build', JSON.stringify(now));
  await until('the old daemon exits', () => !alive(before.pid), 30_000);
});

test('daemon: it leaves after its idle time, and takes its containers and socket with it', async () => {
  const dir = daemonFolder();
  const env = { VERDICT_DAEMON_DIR: dir, VERDICT_DAEMON_IDLE_MS: '2000' };
  const r = await verdict(['run', hello], env, '\n');
  assert.equal(r.code, 0, r.stderr);
  const info = await status(dir);
  assert.ok(info);
  await until('the idle daemon exits', () => !alive(info.pid), 30_000);
  assert.equal(existsSync(path.join(dir, 'daemon.sock')), false);
  await until(
    'its containers are removed',
    () => execFileSync('docker', ['ps', '-aq', '--filter', `label=verdict.pid=${info.pid}`], { encoding: 'utf8' }).trim() === '',
    30_000,
  );
});

/** Whether one of the daemon's containers runs a Python program (python3 /box/main.py) now. */
function spinning(daemonPid: number): boolean {
  return execFileSync('docker', ['ps', '-q', '--filter', `label=verdict.pid=${daemonPid}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .some((id) => {
      try {
        return execFileSync('docker', ['top', id, '-eo', 'pid,args'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(
          'python3 /box/',
        );
      } catch {
        return false; // removed between the two calls
      }
    });
}

test('daemon: a client killed mid-run (SIGKILL) leaves it healthy, and the run’s program is stopped', async () => {
  const dir = daemonFolder();
  const env = { VERDICT_DAEMON_DIR: dir };
  assert.equal((await verdict(['run', hello], env, '\n')).code, 0);
  const info = (await status(dir))!;
  const { execa } = await import('execa');
  const spin = file('spin.py', 'print("spinning", flush=True)\nwhile True:\n    pass\n');
  const child = execa(process.execPath, [BIN, 'run', spin, '--time-limit', '2000'], { input: '', env, reject: false, buffer: false });
  let seen = '';
  child.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
  await until('the program runs', () => seen.includes('spinning'), 60_000);
  assert.ok(spinning(info.pid), 'the program is seen in its container');
  child.kill('SIGKILL');
  await child;
  await until('the killed client’s program ends at its limit', () => !spinning(info.pid), 30_000);
  const r = await verdict(['run', hello], env, 'after\n');
  assert.equal(r.stdout, 'hello after\n');
  assert.equal((await status(dir))?.pid, info.pid, 'the same daemon, still serving');
});

test('daemon: two calls at once, with no daemon yet, both run (one daemon is started)', async () => {
  const dir = daemonFolder();
  const env = { VERDICT_DAEMON_DIR: dir };
  const [a, b] = await Promise.all([verdict(['run', hello], env, 'a\n'), verdict(['run', hello], env, 'b\n')]);
  assert.equal(a.stdout, 'hello a\n', a.stderr);
  assert.equal(b.stdout, 'hello b\n', b.stderr);
  assert.doesNotMatch(a.stderr + b.stderr, /could not be used/);
  assert.ok(await status(dir));
});

test('daemon: a call with another Docker address or Verdict setting is not served by a daemon of other settings', async () => {
  const dir = daemonFolder();
  assert.equal((await verdict(['run', hello], { VERDICT_DAEMON_DIR: dir }, '\n')).code, 0);
  const before = (await status(dir))!;
  const r = await verdict(['run', hello], { VERDICT_DAEMON_DIR: dir, DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, '\n');
  assert.equal(r.code, 3);
  assert.match(r.stderr, /Docker is not reachable at unix:\/\/\/nonexistent\/docker.sock/);
  const other = await verdict(['run', hello], { VERDICT_DAEMON_DIR: dir, VERDICT_MAX_USES: '50' }, 'set\n');
  assert.equal(other.stdout, 'hello set\n', other.stderr);
  const now = await status(dir);
  assert.notEqual(now?.pid, before.pid, 'a daemon with the new setting replaced the old one');
});

/**
 * Which of the CLI's bundles a call loaded: a preload script records require.cache at exit (the full
 * CLI enters it too when loaded from V8's code cache, bin/verdict.js).
 */
async function bundlesLoaded(args: string[], env: NodeJS.ProcessEnv, input = '') {
  const log = path.join(root, `loaded-${Math.random().toString(36).slice(2)}.json`);
  const hook = file(
    'record-bundles.cjs',
    "process.on('exit', () => require('fs').writeFileSync(process.env.RECORD_TO, JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('dist')))));\n",
  );
  const r = await verdict(args, { ...env, NODE_OPTIONS: `--require ${hook}`, RECORD_TO: log }, input);
  const loaded = (JSON.parse(readFileSync(log, 'utf8')) as string[]).map((f) => path.basename(f));
  return { ...r, quick: loaded.includes('cli-quick.js'), full: loaded.includes('cli.js') };
}

test('daemon: a plain run or judge through a warm daemon takes the quick path (the full CLI is not loaded) and prints the same', async () => {
  const dir = daemonFolder();
  const env = { VERDICT_DAEMON_DIR: dir };
  // No daemon yet: the quick path declines, the full CLI starts one.
  const first = await bundlesLoaded(['run', hello], env, 'a\n');
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.full, true);
  await status(dir);
  const quick = await bundlesLoaded(['run', hello, '--time-limit', '1500'], env, 'b\n');
  assert.equal(quick.code, 0, quick.stderr);
  assert.deepEqual([quick.quick, quick.full], [true, false]);
  const here = await verdict(['run', '--no-daemon', hello, '--time-limit', '1500'], env, 'b\n');
  assert.equal(quick.stdout, here.stdout);
  assert.equal(words(quick.stderr), words(here.stderr));
  // --stdin FILE, program arguments and --json go the quick way too, with the full command's answer.
  const input = file('in.txt', 'c\n');
  const args = file('args.py', 'import sys\nprint(sys.argv[1:], input())\n');
  const json = await bundlesLoaded(['run', args, 'x', 'y z', '--stdin', input, '--json'], env);
  assert.deepEqual([json.quick, json.full], [true, false]);
  assert.equal((JSON.parse(json.stdout) as { stdout: string }).stdout, "['x', 'y z'] c\n");
  // What only the full CLI does declines, before anything is read or sent: its answer is the full one.
  const std = await bundlesLoaded(['run', '--std', 'c++20', hello], env);
  assert.equal(std.full, true);
  assert.match(std.stderr, /standard/i);
  const missing = await bundlesLoaded(['run', path.join(root, 'nope.py')], env);
  assert.deepEqual([missing.full, missing.code], [true, 2]);
  assert.match(missing.stderr, /nope\.py does not exist/);
  const unknown = await bundlesLoaded(['run', hello, '--frobnicate'], env, 'x\n');
  assert.deepEqual([unknown.full, unknown.code], [true, 2]);
  assert.match(unknown.stderr, /unknown option '--frobnicate'/);
  // A judge of a test folder with a built-in checker goes the quick way; a checker program does not.
  testFolder('quick.tests', [
    ['4\n', '8\n'],
    ['5\n', '11\n'],
  ]);
  const double = file('quick.py', 'print(2 * int(input()))\n');
  const judged = await bundlesLoaded(['judge', double, '--checker', 'tokens'], env);
  assert.deepEqual([judged.quick, judged.full], [true, false]);
  const judgedHere = await verdict(['judge', double, '--checker', 'tokens', '--no-daemon'], env);
  assert.equal(words(judged.stdout), words(judgedHere.stdout));
  assert.match(judged.stdout, /Wrong Answer on test 2/);
  const checkerProgram = file('check.py', 'import sys\nsys.exit(0)\n');
  const withProgram = await bundlesLoaded(['judge', double, '--checker', checkerProgram], env);
  assert.deepEqual([withProgram.quick, withProgram.full], [true, true], 'the quick path declined a checker program');
  const noDaemon = await bundlesLoaded(['run', hello], { ...env, VERDICT_DAEMON: '0' }, 'd\n');
  assert.deepEqual([noDaemon.quick && !noDaemon.full, noDaemon.stdout], [false, 'hello d\n']);
});

const NATIVE = path.resolve(__dirname, '../../bin/verdict');

/** A call of `verdict` as on PATH (bin/verdict: the native client when built); `node` tells whether Node started at all. */
async function nativeCall(args: string[], env: NodeJS.ProcessEnv, input: string | Uint8Array = '', cwd = root) {
  const log = path.join(root, `node-${Math.random().toString(36).slice(2)}.json`);
  const hook = file('record-node.cjs', "process.on('exit', () => require('fs').writeFileSync(process.env.RECORD_TO, '1'));\n");
  const { execa } = await import('execa');
  const r = await execa(NATIVE, args, {
    input,
    cwd,
    env: { ...env, NODE_OPTIONS: `--require ${hook}`, RECORD_TO: log },
    stripFinalNewline: false,
    timeout: 120_000,
    reject: false,
  });
  return { code: r.exitCode ?? null, stdout: r.stdout, stderr: r.stderr, node: existsSync(log) };
}

test('daemon: the native client serves a plain run or judge from the daemon without starting Node, and hands every other call to the Node CLI', async () => {
  assert.ok(
    existsSync(path.resolve(__dirname, '../../dist/bin/verdict')),
    'dist/bin/verdict is built (scripts/build.mjs, with a C compiler)',
  );
  const dir = daemonFolder();
  const env = { VERDICT_DAEMON_DIR: dir };
  // No daemon yet: handed to Node, which starts one.
  const first = await nativeCall(['run', hello], env, 'a\n');
  assert.deepEqual([first.code, first.stdout, first.node], [0, 'hello a\n', true], first.stderr);
  const info = (await status(dir))!;
  assert.equal(statSync(path.join(dir, 'cli.sock')).mode & 0o777, 0o600);

  // The same words as a run in a process of its own; relative paths are the caller's.
  const warm = await nativeCall(['run', 'hello.py', '--time-limit', '1500'], env, 'b\n');
  assert.deepEqual([warm.code, warm.stdout, warm.node], [0, 'hello b\n', false], warm.stderr);
  const here = await verdict(['run', '--no-daemon', hello, '--time-limit', '1500'], env, 'b\n');
  assert.equal(words(warm.stderr), words(here.stderr));
  // Input as bytes (a NUL, a byte that is no UTF-8) and the exit status of a failing program.
  const count = file('count.py', 'import sys\nd = sys.stdin.buffer.read()\nprint(len(d), d.count(0), d.count(255))\nsys.exit(4)\n');
  const bytes = await nativeCall(['run', count], env, Buffer.from([0, 0xff, 10]));
  const bytesHere = await verdict(['run', '--no-daemon', count], env, Buffer.from([0, 0xff, 10]));
  assert.deepEqual([bytes.code, bytes.stdout, bytes.node], [bytesHere.code, bytesHere.stdout, false], bytes.stderr);
  assert.equal(bytes.stdout, '3 1 1\n');
  assert.equal(words(bytes.stderr), words(bytesHere.stderr));
  assert.match(bytes.stderr, /Runtime Error/);
  // A judge of a test folder, found next to the source.
  testFolder('native.tests', [
    ['4\n', '8\n'],
    ['5\n', '11\n'],
  ]);
  const double = file('native.py', 'print(2 * int(input()))\n');
  const judged = await nativeCall(['judge', 'native.py'], env);
  const judgedHere = await verdict(['judge', double, '--no-daemon'], env);
  assert.equal(judged.node, false);
  assert.deepEqual([judged.code, words(judged.stdout)], [judgedHere.code, words(judgedHere.stdout)]);
  assert.match(judged.stdout, /Wrong Answer on test 2/);

  // Declined or not for the door: the Node CLI answers, with its words.
  const std = await nativeCall(['run', '--std', 'c++20', hello], env);
  assert.equal(std.node, true);
  assert.match(std.stderr, /standard/i);
  const missing = await nativeCall(['run', 'nope.py'], env);
  assert.deepEqual([missing.node, missing.code], [true, 2]);
  assert.match(missing.stderr, /nope\.py does not exist/);
  const off = await nativeCall(['run', hello], { ...env, VERDICT_DAEMON: '0' }, 'c\n');
  assert.deepEqual([off.node, off.stdout], [true, 'hello c\n']);
  const other = await nativeCall(['daemon', 'status', '--json'], env);
  assert.deepEqual([other.node, (JSON.parse(other.stdout) as Info).pid], [true, info.pid]);
  const otherSettings = await nativeCall(['run', hello], { ...env, VERDICT_BUILD_ID: 'another-build' }, 'd\n');
  assert.deepEqual([otherSettings.node, otherSettings.stdout], [true, 'hello d\n'], 'a daemon of other settings does not serve it');

  // Ctrl-C cancels the run in the daemon and ends with 130.
  const { execa } = await import('execa');
  const spin = file('spin2.py', 'print("spinning", flush=True)\nwhile True:\n    pass\n');
  await nativeCall(['run', hello], env, 'e\n'); // the daemon of this build again
  const child = execa(NATIVE, ['run', spin, '--time-limit', '20000'], { input: '', env, reject: false, buffer: false, cwd: root });
  let seen = '';
  let said = '';
  child.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (said += d.toString()));
  await until('the program runs', () => seen.includes('spinning'), 60_000);
  child.kill('SIGINT');
  const ended = await child;
  assert.equal(ended.exitCode, 130);
  assert.match(said, /cancelled run \S+ in the background runner/);

  // A client killed mid-run (SIGKILL) closes its connection: the daemon cancels the run at once,
  // long before the program's 20 s limit, and goes on serving.
  const daemonPid = (await status(dir))!.pid;
  const killed = execa(NATIVE, ['run', spin, '--time-limit', '20000'], { input: '', env, reject: false, buffer: false, cwd: root });
  let killedSeen = '';
  killed.stdout!.on('data', (d: Buffer) => (killedSeen += d.toString()));
  await until('the program runs', () => killedSeen.includes('spinning') && spinning(daemonPid), 60_000);
  killed.kill('SIGKILL');
  await killed;
  await until('the killed client’s program is stopped', () => !spinning(daemonPid), 10_000);
  const after = await nativeCall(['run', hello], env, 'f\n');
  assert.deepEqual([after.stdout, after.node], ['hello f\n', false]);
});
