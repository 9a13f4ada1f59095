// The editor a cph user switches to (issue 14), in a real VS Code: code-server with the packaged
// .vsix, driven by chromium. The Test Cases view (a webview: its content read from the DOM of its
// iframe), honest lenses and status bar per file, Stop from anywhere, a restart said once, Check
// Setup, the walkthrough on first install, the receiver's one-time question. Screenshots go to docs/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { RESULTS, ROOT, openFile, palette, skip, startCodeServer, verdictOutput, webview, type CodeServer } from './vscode-fixture';

let vscode: CodeServer | undefined;
let page: Page;
let workspace: string;

const FAST_CPP =
  '#include <cstdio>\nint main() {\n    long long a, b;\n    if (scanf("%lld %lld", &a, &b) == 2) printf("%lld\\n", a + b);\n}\n';

before(async () => {
  if (skip) return;
  const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
  const files: Record<string, string> = {
    // Right on tests 1 and 3, one too many on test 2 ("43" for "42": the difference is at column 2).
    'sum.py': 'a, b = map(int, input().split())\nprint(a + b + (1 if a == 20 else 0))\n',
    'sum.stdin': '1 1\n',
    'sum.tests/1.in': '1 2\n',
    'sum.tests/1.ans': '3\n',
    'sum.tests/2.in': '20 22\n',
    'sum.tests/2.ans': '42\n',
    'sum.tests/3.in': `5 6\n${long}\n`,
    'sum.tests/3.ans': '11\n',
    'hello.py': 'print("Hello from Verdict!")\n',
    'loop.py': 'print("looping", flush=True)\nwhile True:\n    pass\n',
    'fast.cpp': FAST_CPP,
    'echo.py':
      'while True:\n    try:\n        line = input()\n    except EOFError:\n        break\n    print("got", line, flush=True)\nprint("bye")\n',
  };
  for (let i = 1; i <= 5; i++) {
    files[`fast.tests/${i}.in`] = `${i} ${i * 10}\n`;
    files[`fast.tests/${i}.ans`] = `${i * 11}\n`;
  }
  vscode = await startCodeServer({ 'verdict.limits.timeMs': 10_000, 'verdict.run.input': 'file' }, files);
  ({ page, workspace } = vscode);
});

after(async () => {
  await vscode?.close();
});

async function failed<T>(name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    await page.screenshot({ path: path.join(RESULTS, `vscode-panel-${name}-failed.png`) });
    throw err;
  }
}

/**
 * Scrolls to an element of the panel for a screenshot. The panel renders again as news arrives (a
 * problem's tests, the languages that can run), which may replace the element while Playwright waits
 * for it to be stable: the locator is tried again, on the element there is then.
 */
async function scrollTo(locator: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await locator.scrollIntoViewIfNeeded({ timeout: 5000 });
      return;
    } catch (err) {
      if (attempt >= 5 || !/not attached|detached/.test((err as Error).message)) throw err;
    }
  }
}

const lens = (text: string) => page.locator('.codelens-decoration', { hasText: text }).first();
const statusBar = () => page.locator('.statusbar-item', { hasText: 'Verdict local' }).first();
const outputPanel = () => page.locator('.part.panel');

/** The Test Cases view, focused from the palette; its webview's document. */
async function showPanel(): Promise<FrameLocator> {
  await palette(page, 'Verdict: Show Test Cases');
  const frame = webview(page, 'Test Cases');
  await frame.locator('#root').waitFor({ timeout: 60_000 });
  return frame;
}

test('vscode panel: the walkthrough opens on the first start after install', { skip, timeout: 120_000 }, async () => {
  await failed('walkthrough', () => page.getByText('Get started with Verdict').first().waitFor({ timeout: 60_000 }));
  assert.ok(await page.getByText('Check your setup').first().isVisible());
});

test(
  "vscode panel: the active file's tests side by side; Run all marks pass/fail, time, memory and the first difference; long data folds",
  { skip, timeout: 300_000 },
  async () =>
    failed('tests', async () => {
      await openFile(page, 'sum.py');
      const frame = await showPanel();
      const card = (name: string) => frame.locator(`section.card[data-test="${name}"]`);
      await card('1').waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('section.card[data-test]').count(), 3);
      assert.match(await card('2').locator('pre[aria-label="Input"]').innerText(), /^20 22\s*$/);
      assert.match(await card('2').locator('pre[aria-label="Expected"]').innerText(), /^42\s*$/);
      // Long data is folded, with a way to see all of it.
      await card('3').getByRole('button', { name: 'Show all of Input' }).waitFor();
      assert.ok(!(await card('3').locator('pre[aria-label="Input"]').innerText()).includes('line 40'));
      await frame.getByRole('button', { name: 'Run all tests' }).click();
      await card('2').locator('.badge.fail', { hasText: '✘ Wrong Answer' }).waitFor({ timeout: 120_000 });
      await card('1').locator('.badge.pass', { hasText: '✔ Accepted' }).waitFor({ timeout: 30_000 });
      await card('3').locator('.badge.pass').waitFor({ timeout: 30_000 });
      // Received output, with the first difference marked from its column on.
      assert.match(await card('2').locator('pre[aria-label="Received"]').innerText(), /^43\s*$/);
      assert.equal(await card('2').locator('pre[aria-label="Received"] mark.diff').innerText(), '3');
      assert.match(await card('2').locator('.where').innerText(), /output line 1, col 2/);
      assert.match(await card('1').locator('.metric').first().innerText(), /^[\d.]+ ms$/);
      assert.match(await card('1').locator('.metric').nth(1).innerText(), /^([\d.]+ (KB|MB)|—)$/);
      await card('3').getByRole('button', { name: 'Show all of Input' }).click();
      assert.ok((await card('3').locator('pre[aria-label="Input"]').innerText()).includes('line 40'));
      await card('3').getByRole('button', { name: 'Fold Input' }).click();
      await lens('✘ Wrong Answer on test 2').waitFor({ timeout: 30_000 });
      await scrollTo(card('2'));
      await page.screenshot({ path: path.join(ROOT, 'docs', 'panel.png') });
    }),
);

test(
  'vscode panel: add, edit, duplicate and delete a case in place write the NAME.in/NAME.ans files the CLI reads',
  { skip, timeout: 300_000 },
  async () =>
    failed('edit', async () => {
      const frame = webview(page, 'Test Cases');
      const tests = path.join(workspace, 'sum.tests');
      const until = async (check: () => boolean, what: string) => {
        const deadline = Date.now() + 30_000;
        while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        assert.ok(check(), what);
      };
      await frame.getByRole('button', { name: 'Add a test case' }).click();
      await frame.getByLabel('Input of the new test').fill('7 8\n');
      await frame.getByLabel('Expected output of the new test').fill('15\n');
      await frame.getByRole('button', { name: 'Save (Ctrl+Enter)' }).click();
      await until(() => existsSync(path.join(tests, '4.ans')), 'the new case is 4.in/4.ans');
      assert.equal(readFileSync(path.join(tests, '4.in'), 'utf8'), '7 8\n');
      await frame.locator('section.card[data-test="4"]').waitFor({ timeout: 30_000 });
      // Edit in place, multi-line, saved with the keyboard.
      await frame.getByRole('button', { name: 'Edit test 4' }).click();
      const answer = frame.getByLabel('Expected output of test 4');
      await answer.fill('15\nsecond line\n');
      await answer.press('Control+Enter');
      await until(() => readFileSync(path.join(tests, '4.ans'), 'utf8') === '15\nsecond line\n', 'the edit is saved to 4.ans');
      await frame.getByRole('button', { name: 'Duplicate test 4' }).click();
      // The two files are written one after the other: both are waited for.
      await until(() => existsSync(path.join(tests, '5.in')) && existsSync(path.join(tests, '5.ans')), 'the duplicate is 5.in/5.ans');
      await until(() => readFileSync(path.join(tests, '5.ans'), 'utf8') === '15\nsecond line\n', 'the duplicate has 4.ans');
      await frame.locator('section.card[data-test="5"]').waitFor({ timeout: 30_000 });
      await frame.getByRole('button', { name: 'Delete test 5' }).click();
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Delete' }).first().click();
      await until(() => !existsSync(path.join(tests, '5.in')) && !existsSync(path.join(tests, '5.ans')), 'the deleted case is gone');
      await frame.locator('section.card[data-test="5"]').waitFor({ state: 'detached', timeout: 30_000 });
    }),
);

test('vscode panel: custom input runs the program on what was typed, without making a test', { skip, timeout: 300_000 }, async () =>
  failed('custom', async () => {
    const frame = webview(page, 'Test Cases');
    await frame.locator('textarea[aria-label="Custom input"]').fill('40 2\n');
    await frame.getByRole('button', { name: 'Run with this input (Ctrl+Enter)' }).click();
    await frame.locator('.custom-result pre[aria-label="Output"]', { hasText: '42' }).waitFor({ timeout: 120_000 });
    assert.match(await frame.locator('.custom-line').innerText(), /^✔ Ran · exit 0/);
    assert.ok(!existsSync(path.join(workspace, 'sum.tests', '5.in')), 'no test was made');
  }),
);

test(
  'vscode panel: Run after a failed Judge says "✔ Ran" (never Accepted) and keeps the judge\'s lens; the status bar is per file',
  { skip, timeout: 300_000 },
  async () =>
    failed('honest', async () => {
      await openFile(page, 'sum.py');
      await page.locator('.codelens-decoration a', { hasText: '⚖ Judge' }).first().click();
      await page.locator('.statusbar-item', { hasText: 'judging…' }).first().waitFor({ timeout: 30_000 });
      await page.locator('.statusbar-item', { hasText: '✘ Wrong Answer on test 2' }).first().waitFor({ timeout: 120_000 });
      await lens('✘ Wrong Answer on test 2').waitFor({ timeout: 30_000 });
      await page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first().click();
      await page.locator('.statusbar-item', { hasText: '✔ Ran · exit 0' }).first().waitFor({ timeout: 120_000 });
      await lens('✔ Ran · exit 0').waitFor({ timeout: 30_000 });
      assert.ok(await lens('✘ Wrong Answer on test 2').isVisible(), "the judge's verdict stays beside the run's");
      const bar = await statusBar().innerText();
      assert.match(bar, /✔ Ran · exit 0/);
      assert.doesNotMatch(bar, /Accepted/);
      // Another file: its own state (none yet), not sum.py's verdict.
      await openFile(page, 'hello.py');
      await page.waitForTimeout(500);
      assert.doesNotMatch(await statusBar().innerText(), /Ran|Wrong Answer/);
      await openFile(page, 'sum.py');
      await page.locator('.statusbar-item', { hasText: '✔ Ran' }).first().waitFor({ timeout: 10_000 });
    }),
);

test(
  'vscode panel: while running the lens says "■ Stop"; Run twice says the restart once; Stop works with the focus in the output',
  { skip, timeout: 300_000 },
  async () =>
    failed('stop', async () => {
      await openFile(page, 'loop.py');
      const run = page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
      await run.waitFor({ timeout: 120_000 });
      await run.click();
      await lens('■ Stop').waitFor({ timeout: 60_000 });
      await outputPanel().getByText('looping').first().waitFor({ timeout: 60_000 });
      await page.locator('.statusbar-item', { hasText: 'running…' }).first().waitFor({ timeout: 10_000 });
      // Again, from the palette: the first run is replaced, said once, with no "Stopped" for it.
      await palette(page, 'Verdict: Run');
      const log = async (text: string) => {
        const deadline = Date.now() + 30_000;
        while (!verdictOutput(vscode!.userData).includes(text) && Date.now() < deadline) await page.waitForTimeout(200);
        return verdictOutput(vscode!.userData);
      };
      assert.ok((await log('loop.py: what was running was stopped for this run.')).includes('loop.py: what was running was stopped'));
      await page.waitForTimeout(1000);
      // Stop with the focus in the output panel, not in the editor.
      await palette(page, 'Focus on Output View');
      await page.waitForTimeout(500);
      await page.keyboard.press('Control+Alt+S');
      await page.locator('.statusbar-item', { hasText: '■ Stopped' }).first().waitFor({ timeout: 30_000 });
      await page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first().waitFor({ timeout: 30_000 });
      const text = (await log('■ Stopped.')).slice(verdictOutput(vscode!.userData).indexOf('Run loop.py'));
      await page.waitForTimeout(1000);
      assert.equal(text.split('■ Stopped.').length - 1, 1, `one "■ Stopped." for two runs, one replaced: ${text}`);
      assert.equal(text.split('Run loop.py ·').length - 1, 2, text);
    }),
);

test('vscode panel: "Verdict: Check Setup" shows the checks of verdict doctor', { skip, timeout: 330_000 }, async () =>
  failed('setup', async () => {
    await palette(page, 'Verdict: Check Setup');
    const deadline = Date.now() + 280_000;
    while (!/[✔✘] \d+ checks? |✔ Ready|checks? failed/.test(verdictOutput(vscode!.userData)) && Date.now() < deadline)
      await page.waitForTimeout(500);
    const text = verdictOutput(vscode!.userData);
    assert.match(text, /✔ Docker +engine/);
    assert.match(text, /✔ language python3/);
    assert.match(text, /✔ Ready|check(s)? failed: see "fix:" above/);
  }),
);

test('vscode panel: verdict.runner.url shows no "URI expected" error on its empty default', { skip, timeout: 120_000 }, async () =>
  failed('settings', async () => {
    await palette(page, 'Preferences: Open Settings (UI)');
    const search = page.locator('.settings-editor .suggest-input-container textarea, .settings-editor .settings-header input').first();
    await search.waitFor({ timeout: 30_000 });
    await page.keyboard.type('verdict.runner.url');
    const item = page.locator('.settings-editor .setting-item', { hasText: 'URL of the remote Verdict service' }).first();
    await item.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    assert.doesNotMatch(await item.innerText(), /URI expected/i);
    await page.keyboard.press('Control+W');
  }),
);

test(
  'vscode panel: a problem from Competitive Companion (receiver off, no cph) asks once, then shows its name, limits and link in the panel',
  { skip, timeout: 300_000 },
  async () =>
    failed('companion', async () => {
      const payload = readFileSync(path.join(ROOT, 'test/fixtures/imports/companion-codeforces.json'));
      const status = await new Promise<number>((resolve) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: 27121, method: 'POST', path: '/', headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', () => resolve(0));
        req.end(payload);
      });
      assert.equal(status, 200, 'the extension listens on the usual port to ask');
      const enable = page.locator('.notifications-toasts .monaco-button', { hasText: 'Enable the receiver' }).first();
      await enable.waitFor({ timeout: 30_000 });
      await enable.click();
      await page.locator('.tabs-container .tab', { hasText: 'GCastleDefense.cpp' }).first().waitFor({ timeout: 60_000 });
      assert.ok(existsSync(path.join(workspace, 'GCastleDefense.tests', '3.ans')));
      const settings = readFileSync(path.join(vscode!.userData, 'User', 'settings.json'), 'utf8');
      assert.match(settings, /"verdict\.companion\.enabled": true/);
      const frame = await showPanel();
      const problem = frame.locator('.problem');
      await problem.waitFor({ timeout: 30_000 });
      assert.match(await problem.innerText(), /G\. Castle Defense/);
      assert.match(await problem.innerText(), /1500 ms · 256 MB/);
      await problem.getByRole('button', { name: 'Open https://codeforces.com/problemset/problem/954/G' }).waitFor();
      await frame.locator('section.card[data-test="3"]').waitFor({ timeout: 30_000 });
      await scrollTo(problem);
      await page.screenshot({ path: path.join(ROOT, 'docs', 'panel-companion.png') });
    }),
);

test(
  'vscode panel: figures — Run of a Python hello (click to output), Judge of C++ on 5 tests with the binary cached (click to verdict)',
  { skip, timeout: 300_000 },
  async () =>
    failed('figures', async () => {
      await openFile(page, 'hello.py');
      const run = page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
      await run.waitFor({ timeout: 60_000 });
      // Click to result (the status bar's "✔ Ran"), which follows the output; click-to-output itself is vscode.test.ts's.
      let clicked = Date.now();
      await run.click();
      await page.locator('.statusbar-item', { hasText: '✔ Ran · exit 0' }).first().waitFor({ timeout: 120_000 });
      const runMs = Date.now() - clicked;
      assert.ok(verdictOutput(vscode!.userData).includes('Hello from Verdict!'));
      await openFile(page, 'fast.cpp');
      const judge = () => page.locator('.codelens-decoration a', { hasText: '⚖ Judge (5 tests)' }).first();
      await judge().click();
      await lens('✔ Accepted 5/5').waitFor({ timeout: 180_000 });
      // Again, unchanged: the binary comes from the compile cache.
      await page.waitForTimeout(1000);
      clicked = Date.now();
      await judge().click();
      // The status bar says "judging…" from the click until the verdict: poll it for the verdict after that.
      let judging = false;
      let judgeMs = 0;
      while (Date.now() - clicked < 180_000) {
        const text = await statusBar().innerText();
        if (text.includes('judging…')) judging = true;
        else if (judging && text.includes('✔ Accepted 5/5')) {
          judgeMs = Date.now() - clicked;
          break;
        }
      }
      assert.ok(judgeMs > 0, 'the second judge ended with Accepted 5/5');
      console.log(`click-to-result for Run (Python hello): ${runMs} ms; click-to-verdict for Judge (C++, 5 tests, cached): ${judgeMs} ms`);
      writeFileSync(path.join(RESULTS, 'vscode-panel-figures.txt'), `run-python-hello-ms ${runMs}\njudge-cpp-5-cached-ms ${judgeMs}\n`);
    }),
);

test(
  'vscode panel: Run with Live Input (what ▶ Run does without NAME.stdin by default) runs in a terminal: each line reaches the program as it is typed, Ctrl-D ends the input',
  { skip, timeout: 300_000 },
  async () =>
    failed('live', async () => {
      await openFile(page, 'echo.py');
      await palette(page, 'Verdict: Run with Live Input');
      const terminal = page.locator('.part.panel .terminal-wrapper, .part.panel .xterm').first();
      await terminal.waitFor({ timeout: 60_000 });
      await page.waitForTimeout(1500);
      await terminal.click();
      const seen = async (text: string) => {
        const deadline = Date.now() + 60_000;
        while (!verdictOutput(vscode!.userData).includes(text) && Date.now() < deadline) await page.waitForTimeout(100);
        return verdictOutput(vscode!.userData).includes(text);
      };
      await page.keyboard.type('hello');
      await page.keyboard.press('Enter');
      // The program answers the first line while it waits for the next: input is live, not collected.
      assert.ok(await seen('got hello'), verdictOutput(vscode!.userData));
      assert.ok(!verdictOutput(vscode!.userData).includes('bye'), 'still running, waiting for input');
      await page.keyboard.type('world');
      await page.keyboard.press('Enter');
      assert.ok(await seen('got world'));
      await page.keyboard.press('Control+D');
      assert.ok(await seen('bye'), verdictOutput(vscode!.userData));
      assert.ok(await seen('✔ Ran · exit 0'));
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(ROOT, 'docs', 'panel-live-input.png') });
    }),
);
