// `verdict stress` as a user runs it: a real process, real Docker, a C++ solution with a planted bug
// against a Python brute force, inputs from a Python generator with fixed seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StressResult } from '../../protocol/lsp';

const BIN = path.resolve(__dirname, '../../bin/verdict.js');
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-stress-'));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Sums n numbers, wrongly when n >= 5 and the sum is 3 mod 7 (a bug only some inputs show, and only large enough ones). */
const BUGGY_CPP = file(
  'sum.cpp',
  `#include <cstdio>
int main() {
  int n; long long s = 0, x;
  if (scanf("%d", &n) != 1) return 1;
  for (int i = 0; i < n; i++) { scanf("%lld", &x); s += x; }
  if (n >= 5 && ((s % 7) + 7) % 7 == 3) s++;
  printf("%lld\\n", s);
}
`,
);
const CORRECT_CPP = file(
  'right.cpp',
  `#include <cstdio>
int main() {
  int n; long long s = 0, x;
  if (scanf("%d", &n) != 1) return 1;
  for (int i = 0; i < n; i++) { scanf("%lld", &x); s += x; }
  printf("%lld\\n", s);
}
`,
);
const BRUTE_PY = file('brute.py', 'n = int(input())\nprint(sum(map(int, input().split())))\n');
/** `gen.py seed [size]`: n in 1..size (default 60) and n numbers. */
const GEN_PY = file(
  'gen.py',
  `import random, sys
seed = int(sys.argv[1])
size = int(sys.argv[2]) if len(sys.argv) > 2 else 60
random.seed(seed)
n = random.randint(1, size)
print(n)
print(*[random.randint(-1000, 1000) for _ in range(n)])
`,
);

/** What the planted bug does to an input: the right answer, and whether the solution gets it wrong. */
function judgeInput(input: string): { sum: number; buggy: boolean } {
  const [first, second = ''] = input.split('\n');
  const n = Number(first);
  const sum = second
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .reduce((a, b) => a + Number(b), 0);
  return { sum, buggy: n >= 5 && ((sum % 7) + 7) % 7 === 3 };
}

async function verdict(args: string[]) {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const r = await execa(process.execPath, [BIN, ...args], { input: '', stripFinalNewline: false, timeout: 300_000, reject: false });
  return { code: r.exitCode ?? null, stdout: r.stdout, stderr: r.stderr };
}

test('stress: finds the planted bug with a fixed seed, prints and saves the failing input, the outputs and the diff', async () => {
  const out = path.join(dir, 'found');
  const r = await verdict([
    'stress',
    BUGGY_CPP,
    '--reference',
    BRUTE_PY,
    '--generator',
    GEN_PY,
    '--seed',
    '1',
    '--rounds',
    '200',
    '--out',
    out,
  ]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✘ Difference on round \d+ \(seed 1, [\d.]+ rounds\/s\): line 1, column \d+: expected "-?\d+", got "-?\d+"/);
  const input = readFileSync(path.join(out, 'failing.in'), 'utf8');
  const { sum, buggy } = judgeInput(input);
  assert.ok(buggy, `the saved input does not show the bug: ${input}`);
  assert.equal(readFileSync(path.join(out, 'failing.ans'), 'utf8'), `${sum}\n`, "failing.ans is the reference's output");
  assert.equal(readFileSync(path.join(out, 'failing.out'), 'utf8'), `${sum + 1}\n`, "failing.out is the solution's output");
  assert.match(readFileSync(path.join(out, 'diff.txt'), 'utf8'), /difference: line 1/);
  // What was printed is what was saved.
  assert.ok(r.stdout.includes(input.trimEnd()), r.stdout);
  assert.ok(r.stdout.includes(`Reference's output (${Buffer.byteLength(`${sum}\n`)} bytes):\n${sum}\n`), r.stdout);
  // The saved folder is a tests folder: judging the solution against it fails, on that input.
  const judged = await verdict(['judge', BUGGY_CPP, '--tests', out, '--json']);
  assert.equal((JSON.parse(judged.stdout) as { status: string }).status, 'Wrong Answer');
});

test('stress: shrinking gives a smaller failing input, made with GEN seed size, and --json carries the case', async () => {
  const r = await verdict([
    'stress',
    BUGGY_CPP,
    '--reference',
    BRUTE_PY,
    '--generator',
    GEN_PY,
    '--seed',
    '1',
    '--rounds',
    '200',
    '--json',
    '--out',
    path.join(dir, 'json'),
  ]);
  assert.equal(r.code, 1, r.stderr);
  const result = JSON.parse(r.stdout) as StressResult & { saved: string[] };
  assert.equal(result.status, 'difference');
  assert.equal(result.seed, 1);
  assert.ok(result.roundsPerSecond > 0);
  const failing = result.failing!;
  const original = result.original!;
  assert.ok(original, `not shrunk: ${result.shrink}`);
  // The first difference came from `gen.py seed` in the rounds, the smaller one from `gen.py seed size`.
  assert.equal(original.generatorArgs.length, 1);
  assert.equal(Number(original.generatorArgs[0]), result.seed + result.rounds - 1);
  assert.equal(failing.generatorArgs.length, 2);
  assert.ok(failing.inputBytes < original.inputBytes, `${failing.inputBytes} >= ${original.inputBytes}`);
  assert.equal(failing.inputBytes, Buffer.byteLength(failing.input.text));
  const { sum, buggy } = judgeInput(failing.input.text);
  assert.ok(buggy, failing.input.text);
  // The case as the generator makes it again: the same bytes from the same arguments.
  assert.equal(execFileSync('python3', [GEN_PY, ...failing.generatorArgs], { encoding: 'utf8' }), failing.input.text);
  assert.equal(failing.reference.stdout.text, `${sum}\n`);
  assert.equal(failing.reference.status, 'Accepted');
  assert.equal(failing.solution.stdout.text, `${sum + 1}\n`);
  assert.equal(failing.solution.status, 'Wrong Answer');
  assert.match(failing.message, /expected/);
  assert.equal(failing.diff?.line, 1);
  assert.ok(result.saved.some((f) => f.endsWith('failing.in')));
});

test('stress: no difference within N rounds exits 0, with the rate of each language', async (t) => {
  const cpp = await verdict([
    'stress',
    CORRECT_CPP,
    '--reference',
    BRUTE_PY,
    '--generator',
    GEN_PY,
    '--seed',
    '7',
    '--rounds',
    '30',
    '--json',
  ]);
  assert.equal(cpp.code, 0, cpp.stderr);
  const result = JSON.parse(cpp.stdout) as StressResult;
  assert.equal(result.status, 'passed');
  assert.equal(result.rounds, 30);
  assert.equal(result.failing, undefined);
  assert.equal(existsSync(path.join(dir, 'right.stress')), false, 'nothing saved when nothing failed');
  // The brute force as the solution too: Python against Python.
  const py = await verdict(['stress', BRUTE_PY, '--reference', BRUTE_PY, '--generator', GEN_PY, '--seed', '7', '--rounds', '30', '--json']);
  assert.equal(py.code, 0, py.stderr);
  t.diagnostic(
    `rounds/s: C++ solution ${result.roundsPerSecond}, Python solution ${(JSON.parse(py.stdout) as StressResult).roundsPerSecond}`,
  );
});

test('stress: a reference that fails is an error that says so (exit 2), not a difference; so is a generator that fails', async () => {
  const crashing = file('crash.py', 'import sys\ninput()\nsys.exit(3)\n');
  const r = await verdict(['stress', CORRECT_CPP, '--reference', crashing, '--generator', GEN_PY, '--seed', '1', '--rounds', '50']);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /The reference \(crash\.py\) failed on the input of `1\d*` .*Runtime Error/);
  assert.match(r.stderr, /reference-failed\.in/);
  assert.doesNotMatch(r.stdout, /Difference/);
  const badGen = file('badgen.py', 'import sys\nprint("broken", file=sys.stderr)\nsys.exit(5)\n');
  const g = await verdict(['stress', CORRECT_CPP, '--reference', BRUTE_PY, '--generator', badGen, '--rounds', '5']);
  assert.equal(g.code, 2, g.stdout + g.stderr);
  assert.match(g.stderr, /The generator \(badgen\.py\) failed when called with \d+: Runtime Error.*\n[\s\S]*broken/);
});

test('stress: Ctrl-C (SIGINT) mid-run stops, prints what it has and leaves no container behind', async () => {
  const { execa } = await import('execa');
  const child = execa(
    process.execPath,
    [BIN, 'stress', CORRECT_CPP, '--reference', BRUTE_PY, '--generator', GEN_PY, '--rounds', '100000'],
    {
      input: '',
      reject: false,
      timeout: 300_000,
    },
  );
  const pid = child.pid!;
  // Wait until rounds are running (progress lines on stderr, every 2 s off a terminal).
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (/round [1-9]\d*\//.test(seen)) resolve();
    });
    void child.then(() => reject(new Error(`ended before any round: ${seen}`)));
  });
  const containers = () =>
    execFileSync('docker', ['ps', '-aq', '--filter', `label=verdict.pid=${pid}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  assert.equal(containers().length, 3, 'generator, solution and reference each in a container while it runs');
  child.kill('SIGINT');
  const r = await child;
  assert.equal(r.exitCode, 130, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /■ Stopped after \d+ rounds .*no difference found so far/);
  assert.deepEqual(containers(), [], 'containers left behind');
});

test('stress: Ctrl-C while shrinking keeps the difference found (exit 1, saved) and leaves no container behind', async () => {
  const { execa } = await import('execa');
  const out = path.join(dir, 'interrupted');
  const child = execa(
    process.execPath,
    [BIN, 'stress', BUGGY_CPP, '--reference', BRUTE_PY, '--generator', GEN_PY, '--seed', '1', '--rounds', '200', '--json', '--out', out],
    { input: '', reject: false, timeout: 300_000 },
  );
  const pid = child.pid!;
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (/shrinking: [1-9]/.test(seen)) resolve();
    });
    void child.then(() => reject(new Error(`ended before shrinking: ${seen}`)));
  });
  child.kill('SIGINT');
  const r = await child;
  assert.equal(r.exitCode, 1, `${r.stdout}\n${r.stderr}`);
  const result = JSON.parse(r.stdout) as StressResult;
  assert.equal(result.status, 'difference');
  assert.match(result.shrink ?? '', /stopped while shrinking/);
  assert.ok(judgeInput(result.failing!.input.text).buggy);
  assert.equal(readFileSync(path.join(out, 'failing.in'), 'utf8'), result.failing!.input.text);
  const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=verdict.pid=${pid}`], { encoding: 'utf8' }).trim();
  assert.equal(left, '', 'containers left behind');
});

test('stress: inputs and outputs are bytes: a binary input is saved byte for byte and carried in base64 by --json', async () => {
  const binGen = file('bingen.py', 'import sys\nsys.stdout.buffer.write(bytes([0, 255, 254, 13, 10, int(sys.argv[1]) % 256]))\n');
  const echo = file('echo.py', 'import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())\n');
  // Drops the NUL byte: a difference on every input, found by the exact checker.
  const lossy = file('lossy.py', 'import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read().replace(bytes([0]), b""))\n');
  const out = path.join(dir, 'binary');
  const r = await verdict([
    'stress',
    lossy,
    '--reference',
    echo,
    '--generator',
    binGen,
    '--seed',
    '7',
    '--checker',
    'exact',
    '--no-shrink',
    '--json',
    '--out',
    out,
  ]);
  assert.equal(r.code, 1, r.stderr);
  const result = JSON.parse(r.stdout) as StressResult;
  const expected = Buffer.from([0, 255, 254, 13, 10, 7]);
  assert.deepEqual(Buffer.from(result.failing!.input.base64!, 'base64'), expected);
  assert.deepEqual(Buffer.from(result.failing!.reference.stdout.base64!, 'base64'), expected);
  assert.deepEqual(Buffer.from(result.failing!.solution.stdout.base64!, 'base64'), expected.subarray(1));
  assert.deepEqual(readFileSync(path.join(out, 'failing.in')), expected);
  assert.deepEqual(readFileSync(path.join(out, 'failing.ans')), expected);
  assert.deepEqual(readFileSync(path.join(out, 'failing.out')), expected.subarray(1));
  assert.equal(result.original, undefined, '--no-shrink');
});

test('stress: a checker program decides (testlib protocol; the reference output is its answer); one that fails is exit 2', async () => {
  // Accepts an answer off by at most one: the planted bug (sum + 1) passes it, so no difference in these rounds.
  const nearly = file(
    'near.py',
    'import sys\nout = int(open(sys.argv[2]).read())\nans = int(open(sys.argv[3]).read())\nsys.exit(0 if abs(out - ans) <= 1 else 1)\n',
  );
  const lenient = await verdict([
    'stress',
    BUGGY_CPP,
    '--reference',
    BRUTE_PY,
    '--generator',
    GEN_PY,
    '--rounds',
    '40',
    '--seed',
    '1',
    '--checker',
    nearly,
    '--json',
  ]);
  assert.equal(lenient.code, 0, lenient.stderr);
  const passed = JSON.parse(lenient.stdout) as StressResult;
  assert.equal(passed.status, 'passed');
  assert.match(passed.checker, /near\.py \(testlib\)/);
  // The same rounds with the default checker find the bug: the checker program was what let them pass.
  const strict = await verdict([
    'stress',
    BUGGY_CPP,
    '--reference',
    BRUTE_PY,
    '--generator',
    GEN_PY,
    '--rounds',
    '40',
    '--seed',
    '1',
    '--no-shrink',
    '--json',
  ]);
  assert.equal(strict.code, 1, strict.stderr);
  const broken = file('broken.py', 'import sys\nsys.exit(7)\n');
  const failing = await verdict([
    'stress',
    CORRECT_CPP,
    '--reference',
    BRUTE_PY,
    '--generator',
    GEN_PY,
    '--rounds',
    '3',
    '--checker',
    broken,
  ]);
  assert.equal(failing.code, 2, failing.stderr);
  assert.match(failing.stderr, /checker failed/);
});
