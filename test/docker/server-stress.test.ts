// "Verdict: Stress Test" as an editor drives it: the real language server over JSON-RPC stdio,
// verdict/stress with work-done progress (cancelled from the progress, as VS Code's Cancel button
// does), verdict/addStressTest writing the failing input where Judge reads it, real sandboxes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkDoneProgressCancelNotification } from 'vscode-languageserver-protocol/node';
import { AddStressTestRequest, Commands, StressRequest, TestsRequest, type StressResult } from '../../protocol/lsp';
import type { JudgeResult } from '../../protocol/results';
import { startLanguageServer, workspaceFile, type LanguageServer } from './lsp-fixture';

const dir = mkdtempSync(path.join(tmpdir(), 'verdict-lsp-stress-'));
let lsp: LanguageServer;
const file = (name: string, content: string) => workspaceFile(dir, name, content);

const SUM = (bug: string) => `#include <cstdio>
int main() {
  int n; long long s = 0, x;
  if (scanf("%d", &n) != 1) return 1;
  for (int i = 0; i < n; i++) { scanf("%lld", &x); s += x; }
  ${bug}
  printf("%lld\\n", s);
}
`;
const BUGGY = file('sol.cpp', SUM('if (n >= 5 && ((s % 7) + 7) % 7 == 3) s++;'));
const CORRECT = file('right.cpp', SUM(''));
const BRUTE = file('brute.py', 'n = int(input())\nprint(sum(map(int, input().split())))\n');
const GEN = file(
  'gen.py',
  `import random, sys
random.seed(int(sys.argv[1]))
n = random.randint(1, int(sys.argv[2]) if len(sys.argv) > 2 else 60)
print(n)
print(*[random.randint(-1000, 1000) for _ in range(n)])
`,
);

before(async () => {
  lsp = await startLanguageServer({ root: dir, settings: {} });
});

after(() => lsp.stop());

const containers = () =>
  execFileSync('docker', ['ps', '-aq', '--filter', `label=verdict.pid=${lsp.process.pid}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

test('lsp stress: Cancel on the progress stops the stress test, answers with what it did, and removes its containers', async () => {
  const before = new Set(lsp.progress.keys());
  const pending = lsp.connection.sendRequest(StressRequest, { uri: CORRECT, reference: BRUTE, generator: GEN, rounds: 100_000, seed: 3 });
  // Wait for rounds to be reported under a new progress token, then press its Cancel.
  let token: string | undefined;
  for (let i = 0; i < 1200 && !token; i++) {
    await new Promise((r) => setTimeout(r, 100));
    token = [...lsp.progress.entries()].find(
      ([t, reports]) => !before.has(t) && reports.some((r) => /^round [1-9]/.test(r.message ?? '')),
    )?.[0];
  }
  assert.ok(token, `no round reported: ${JSON.stringify([...lsp.progress.entries()])}`);
  assert.equal(lsp.progress.get(token)![0]!.kind, 'begin');
  assert.equal(containers().length, 3, 'generator, solution and reference each in a container while it runs');
  await lsp.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
  const result = await pending;
  assert.equal(result.status, 'cancelled');
  assert.ok(result.rounds >= 1);
  assert.equal(lsp.progress.get(token)!.at(-1)!.kind, 'end');
  assert.deepEqual(containers(), [], 'containers left behind');
});

test('lsp stress: finds the planted bug, "Add as test case" writes stress-1.in/.ans where Judge reads them, and Judge fails on it', async () => {
  const result: StressResult = await lsp.connection.sendRequest(StressRequest, {
    uri: BUGGY,
    reference: BRUTE,
    generator: GEN,
    rounds: 200,
    seed: 1,
  });
  assert.equal(result.status, 'difference', JSON.stringify(result));
  const failing = result.failing!;
  assert.equal(failing.solution.status, 'Wrong Answer');
  assert.equal(Number(failing.solution.stdout.text), Number(failing.reference.stdout.text) + 1);
  const added = await lsp.connection.sendRequest(AddStressTestRequest, { uri: BUGGY, failing });
  assert.equal(added.name, 'stress-1');
  assert.equal(added.dir, path.join(dir, 'sol.tests'));
  assert.equal(readFileSync(path.join(dir, 'sol.tests', 'stress-1.in'), 'utf8'), failing.input.text);
  assert.equal(readFileSync(path.join(dir, 'sol.tests', 'stress-1.ans'), 'utf8'), failing.reference.stdout.text);
  // A second one takes the next name.
  assert.equal((await lsp.connection.sendRequest(AddStressTestRequest, { uri: BUGGY, failing })).name, 'stress-2');
  const tests = await lsp.connection.sendRequest(TestsRequest, { uri: BUGGY });
  assert.deepEqual(
    tests.tests.map((t) => t.name),
    ['stress-1', 'stress-2'],
  );
  const judged = await lsp.command<JudgeResult>(Commands.judge, BUGGY);
  assert.equal(judged.status, 'Wrong Answer');
  assert.equal(judged.tests[0]!.name, 'stress-1');
  // The correct solution passes the same test: the answer is the reference's output.
  writeFileSync(path.join(dir, 'sol.cpp'), SUM(''));
  const fixed = await lsp.command<JudgeResult>(Commands.judge, BUGGY);
  assert.equal(fixed.status, 'Accepted');
});

test('lsp stress: a reference or generator that is not a source Verdict runs is refused in words', async () => {
  const notes = file('notes.txt', 'not a program\n');
  await assert.rejects(lsp.connection.sendRequest(StressRequest, { uri: BUGGY, reference: notes, generator: GEN }), (err: Error) =>
    /notes\.txt is not in a language Verdict knows/.test(err.message),
  );
});
