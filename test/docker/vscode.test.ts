// The extension in a real VS Code: code-server (VS Code in the browser) with the packaged .vsix,
// driven by playwright-core in Debian's chromium. Open a file, click "▶ Run", read the output
// channel; click "⚖ Judge", see the verdict in the lens and in the Test Explorer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { makeToken, startServer } from './service-fixture';
import { RESULTS, ROOT, freePort, openFile as openIn, skip, startCodeServer, type CodeServer } from './vscode-fixture';

let vscode: CodeServer | undefined;
let companionPort = 0;
let page: Page;
let workspace: string;
let userData: string;

before(async () => {
  if (skip) return;
  companionPort = await freePort();
  vscode = await startCodeServer(
    // Run's output in the output channel (no NAME.stdin: verdict.run.input "file"); the terminal's live input is vscode-panel.test.ts's.
    {
      'verdict.companion.enabled': true,
      'verdict.companion.port': companionPort,
      'verdict.companion.language': 'cpp',
      'verdict.run.input': 'file',
    },
    {
      'hello.py': 'print("Hello from Verdict!")\n',
      'remote.py': 'print("Hello from the server!")\n',
      'sum.py': 'a, b = map(int, input().split())\nprint(a + b)\n',
      'sum.tests/1.in': '1 2\n',
      'sum.tests/1.ans': '3\n',
      'sum.tests/2.in': '20 22\n',
      'sum.tests/2.ans': '42\n',
      // A stress test's three programs, in a folder of their own (the quick picks list the solution's folder).
      'stress/sol.py': 'n = int(input())\ns = sum(map(int, input().split()))\nprint(s + 1 if n >= 5 and s % 7 == 3 else s)\n',
      'stress/brute.py': 'n = int(input())\nprint(sum(map(int, input().split())))\n',
      'stress/gen.py':
        'import random, sys\nrandom.seed(int(sys.argv[1]))\nn = random.randint(1, int(sys.argv[2]) if len(sys.argv) > 2 else 60)\nprint(n)\nprint(*[random.randint(-1000, 1000) for _ in range(n)])\n',
    },
  );
  ({ page, workspace, userData } = vscode);
});

after(async () => {
  await vscode?.close();
});

/** Opens a workspace file from the Explorer, as a person would. */
function openFile(name: string): Promise<void> {
  return openIn(page, name);
}

test('vscode: Run from the CodeLens shows the program output in the Verdict output channel', { skip, timeout: 300_000 }, async () => {
  await openFile('hello.py');
  const run = page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
  await run.waitFor({ timeout: 120_000 });
  const clicked = Date.now();
  await run.click();
  await page.locator('.part.panel', { hasText: 'Hello from Verdict!' }).first().waitFor({ timeout: 120_000 });
  const ms = Date.now() - clicked;
  // Again, warm (the runner loaded, a container waiting): the second "Hello" line to appear.
  await page.waitForTimeout(2000);
  const hello = page.locator('.part.panel .view-line', { hasText: 'Hello from Verdict!' });
  const before = await hello.count();
  const again = Date.now();
  await page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first().click();
  while ((await hello.count()) <= before && Date.now() - again < 60_000) await page.waitForTimeout(10);
  const warm = Date.now() - again;
  assert.ok((await hello.count()) > before, 'the second run printed');
  console.log(`click-to-output for Run (Python hello): ${ms} ms (first run of the session), ${warm} ms (warm)`);
  writeFileSync(path.join(RESULTS, 'vscode-run-ms.txt'), `${ms}\n${warm}\n`);
  await page.screenshot({ path: path.join(RESULTS, 'vscode-run.png') });
});

test('vscode: Judge shows the verdict in the lens and each test in the Test Explorer', { skip, timeout: 300_000 }, async () => {
  await openFile('sum.py');
  const judge = page.locator('.codelens-decoration a', { hasText: '⚖ Judge (2 tests)' }).first();
  await judge.waitFor({ timeout: 60_000 });
  await judge.click();
  await page.locator('.codelens-decoration', { hasText: '✔ Accepted 2/2' }).first().waitFor({ timeout: 120_000 });
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('Testing: Focus on Test Explorer View');
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(2000);
  await page.screenshot({ path: path.join(RESULTS, 'vscode-judge.png') });
  const explorer = page.locator('.test-explorer');
  await explorer.waitFor({ timeout: 30_000 });
  const passed = explorer.locator('.codicon-testing-passed-icon');
  await passed.first().waitFor({ timeout: 30_000 });
  assert.ok((await passed.count()) >= 1);
});

test(
  'vscode: a Competitive Companion problem becomes a source file from the template and its tests',
  { skip, timeout: 120_000 },
  async () => {
    const payload = readFileSync(path.join(ROOT, 'test/fixtures/imports/companion-codeforces.json'));
    const until = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < until) {
      status = await new Promise<number>((resolve) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: companionPort, method: 'POST', path: '/', headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', () => resolve(0)); // the receiver starts with the extension
        req.end(payload);
      });
      if (status) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(status, 200);
    const source = path.join(workspace, 'GCastleDefense.cpp');
    const tests = path.join(workspace, 'GCastleDefense.tests');
    const deadline = Date.now() + 30_000;
    while (!(existsSync(source) && existsSync(path.join(tests, '3.ans'))) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    assert.ok(existsSync(source), 'the source file is created from the C++ template');
    assert.match(readFileSync(source, 'utf8'), /int main/);
    assert.deepEqual(readdirSync(tests).sort(), ['1.ans', '1.in', '2.ans', '2.in', '3.ans', '3.in']);
    await page.locator('.tabs-container .tab', { hasText: 'GCastleDefense.cpp' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.codelens-decoration a', { hasText: '⚖ Judge (3 tests)' }).first().waitFor({ timeout: 60_000 });
  },
);

test(
  'vscode: Stress Test from the palette (reference and generator picked), then Add as test case',
  { skip, timeout: 300_000 },
  async () => {
    try {
      await page.keyboard.press('Control+Shift+E');
      // The folder's row may move while the tree refreshes (a new problem's files): click until it is open.
      for (
        let i = 0;
        i < 5 && !(await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'sol.py' }).first().isVisible());
        i++
      ) {
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'stress' }).first().click();
        await page.waitForTimeout(1000);
      }
      await openFile('sol.py');
      const input = page.locator('.quick-input-widget input');
      await page.keyboard.press('Control+Shift+P');
      await page.keyboard.type('Verdict: Stress Test');
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: '(1/2)' }).waitFor({ timeout: 30_000 });
      await input.fill('brute.py');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: '(2/2)' }).waitFor({ timeout: 30_000 });
      await input.fill('gen.py');
      await page.keyboard.press('Enter');
      const add = page.locator('.notifications-toasts .monaco-button', { hasText: 'Add as test case' }).first();
      await add.waitFor({ timeout: 240_000 });
      await page.screenshot({ path: path.join(RESULTS, 'vscode-stress.png') });
      await add.click();
      const test = path.join(workspace, 'stress', 'sol.tests', 'stress-1.in');
      const deadline = Date.now() + 30_000;
      while (!existsSync(test) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const [first = '', second = ''] = readFileSync(test, 'utf8').split('\n');
      const sum = second.split(' ').reduce((a, b) => a + Number(b), 0);
      assert.ok(Number(first) >= 5 && ((sum % 7) + 7) % 7 === 3, 'the saved input shows the bug');
      assert.equal(readFileSync(path.join(workspace, 'stress', 'sol.tests', 'stress-1.ans'), 'utf8'), `${sum}\n`);
    } catch (err) {
      await page.screenshot({ path: path.join(RESULTS, 'vscode-stress-failed.png') });
      throw err;
    }
  },
);

test(
  'vscode: signed in to a classroom server (the palette, the token in secret storage), Run goes to the server and the status bar names it',
  { skip, timeout: 300_000 },
  async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'verdict-vscode-remote-'));
    const token = await makeToken(data, 'vera', 'student', 'vscode');
    const server = await startServer(data, [], { ready: true, logLevel: 'warn' });
    try {
      const input = page.locator('.quick-input-widget input');
      await page.keyboard.press('Control+Shift+P');
      await page.keyboard.type('Verdict: Sign in to a Server');
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      await input.waitFor({ timeout: 30_000 });
      await input.fill(server.url);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: '(2/2)' }).waitFor({ timeout: 30_000 });
      await input.fill(token);
      await page.keyboard.press('Enter');
      await page.locator('.statusbar-item', { hasText: 'Verdict 127.0.0.1' }).first().waitFor({ timeout: 60_000 });
      // Back to the Explorer (the side bar shows the Test Explorer now), then open the file as a person would.
      await page.keyboard.press('Control+Shift+E');
      await openFile('remote.py');
      const run = page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
      await run.waitFor({ timeout: 60_000 });
      await run.click();
      await page.locator('.part.panel', { hasText: 'Hello from the server!' }).first().waitFor({ timeout: 120_000 });
      await page.screenshot({ path: path.join(RESULTS, 'vscode-remote.png') });
      // It ran on the server, as that student.
      const log = (await (await fetch(`${server.url}/v1/submissions`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{
        user: string;
        status: string;
      }>;
      assert.deepEqual(
        log.map((e) => [e.user, e.status]),
        [['vera', 'Accepted']],
      );
      // The token is in secret storage, never in the settings file.
      const settingsFile = readFileSync(path.join(userData, 'User', 'settings.json'), 'utf8');
      assert.ok(!settingsFile.includes(token), 'the token is not in settings.json');
      assert.match(settingsFile, /"verdict\.runner\.mode": "remote"/);
    } finally {
      await server.stop();
      rmSync(data, { recursive: true, force: true });
    }
  },
);
