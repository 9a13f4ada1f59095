// The `verdict` command as a user runs it: a real process, real Docker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunResult } from '../../runner/spec';

const BIN = path.resolve(__dirname, '../../bin/verdict.js');
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-cli-'));

/** The CLI with empty stdin and `env` added to ours; exit code and output as the user sees them. */
async function verdict(args: string[], env: NodeJS.ProcessEnv = {}) {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const r = await execa(process.execPath, [BIN, ...args], { input: '', env, stripFinalNewline: false, timeout: 120_000, reject: false });
  return { code: r.exitCode ?? null, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

test('cli: run --json prints exactly the result object, and exits 0 whatever the verdict', async () => {
  const r = await verdict([
    'run',
    file('sum.py', 'a, b = map(int, input().split())\nprint(a + b)\nexit(4)\n'),
    '--stdin',
    file('in.txt', '20 22\n'),
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const result = RunResult.strict().parse(JSON.parse(r.stdout));
  assert.equal(result.status, 'Runtime Error');
  assert.equal(result.stdout, '42\n');
  assert.equal(result.exitCode, 4);
});

test('cli: human output is the program output, then a verdict line with time and memory', async () => {
  const r = await verdict([
    'run',
    file('hello.c', '#include <stdio.h>\nint main(void) { puts("hi"); fputs("warn\\n", stderr); return 0; }\n'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hi\n');
  assert.match(r.stderr, /^warn\n✔ Accepted · [\d.]+ ms CPU · [\d.]+ ms wall · [\d.]+ [KM]B\n$/);
});

test('cli: --lang, --time-limit and --memory-limit are applied', async () => {
  const r = await verdict([
    'run',
    file('loop.txt', 'while True: pass\n'),
    '--lang',
    'python3',
    '--time-limit',
    '300',
    '--memory-limit',
    '64',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).status, 'Time Limit Exceeded');
});

test('cli: an unknown language is a usage error listing the known ones', async () => {
  const r = await verdict(['run', file('x.cob', 'DISPLAY "HI".'), '--lang', 'cobol']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown language "cobol"\. Known languages: .*python3/);
  const byExt = await verdict(['run', file('x.zzz', '')]);
  assert.equal(byExt.code, 2);
  assert.match(byExt.stderr, /extension "\.zzz".*--lang/);
});

test('cli: a missing file and an oversized source are usage errors', async () => {
  const missing = await verdict(['run', path.join(dir, 'nope.py')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.py does not exist/);
  const big = await verdict(['run', file('big.py', '#'.repeat(2 * 1024 * 1024))]);
  assert.equal(big.code, 2);
  assert.match(big.stderr, /big\.py is 2\.0 MiB; the limit is 1 MiB/);
});

test('cli: Docker not running is a clear error with exit status 3', async () => {
  const r = await verdict(['run', file('a.py', 'print(1)')], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /Docker is not reachable at unix:\/\/\/nonexistent\/docker.sock.*verdict doctor/);
});

test('cli: languages lists every language as usable, with a version', async () => {
  const r = await verdict(['languages', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const probes = JSON.parse(r.stdout) as Array<{ id: string; usable: boolean; version?: string }>;
  assert.ok(probes.length >= 12);
  for (const p of probes) {
    assert.ok(p.usable, `${p.id}: ${JSON.stringify(p)}`);
    assert.match(p.version ?? '', /\d+\.\d+/, p.id);
  }
});

test('cli: doctor passes on this machine and names each check', async () => {
  const r = await verdict(['doctor']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const name of ['Docker', 'cgroups', 'seccomp', 'runtime', 'user namespaces', 'images', 'language python3'])
    assert.match(r.stdout, new RegExp(`✔ ${name}`));
});

test('cli: images build with nothing changed is a cache hit for every image', async () => {
  const r = await verdict(['images', 'build']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Images ready: \d+ \(0 built, \d+ cached\)/);
});

test('cli: judge finds the tests next to the source and prints a table, then the verdict', async () => {
  const r = await verdict(['judge', path.resolve(__dirname, '../../examples/aplusb.cpp')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^✔ 1 +Accepted/m);
  assert.match(r.stdout, /^✔ 10 +Accepted/m);
  assert.ok(r.stdout.indexOf('✔ 2 ') < r.stdout.indexOf('✔ 10 '), 'natural order');
  assert.match(r.stdout, /^✔ Accepted · 3\/3 passed/m);
});

test('cli: judge --json prints {status, compile, tests}; an unknown checker is a usage error', async () => {
  const tests = path.join(dir, 'judge-tests');
  mkdirSync(tests, { recursive: true });
  writeFileSync(path.join(tests, '1.in'), '2 2\n');
  writeFileSync(path.join(tests, '1.ans'), '4\n');
  const source = file('wrong.py', 'print(5)\n');
  const r = await verdict(['judge', source, '--tests', tests, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.status, 'Wrong Answer');
  assert.equal(result.tests[0].diff.line, 1);
  const bad = await verdict(['judge', source, '--tests', tests, '--checker', 'nonsense']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown checker "nonsense": use one of exact, lines/);
});

test('cli: judge takes a submission of several files (a folder), as contest systems do', async () => {
  const sub = path.join(dir, 'multi');
  mkdirSync(sub, { recursive: true });
  writeFileSync(path.join(sub, 'add.h'), 'inline long long add(long long a, long long b) { return a + b; }\n');
  writeFileSync(
    path.join(sub, 'main.cpp'),
    '#include <iostream>\n#include "add.h"\nint main() { long long a, b; std::cin >> a >> b; std::cout << add(a, b) << "\\n"; }\n',
  );
  const r = await verdict(['judge', sub, '--lang', 'cpp', '--tests', path.resolve(__dirname, '../../examples/aplusb.tests'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).status, 'Accepted', r.stdout);
});

test('cli: judge --problem judges against a Kattis package with its time limit and validator', async () => {
  const pkg = path.resolve(__dirname, '../fixtures/problems/custom');
  const accepted = readdirSync(path.join(pkg, 'submissions', 'accepted')).find((f) => f.endsWith('.py'))!;
  const r = await verdict(['judge', path.join(pkg, 'submissions', 'accepted', accepted), '--problem', pkg]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^✔ Accepted · \d+\/\d+ passed/m);
});
