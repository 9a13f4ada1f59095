// The extension in a real VS Code: code-server (VS Code in the browser) with the packaged .vsix,
// driven by playwright-core in Debian's chromium. Open a file, click "▶ Run", read the output
// channel; click "⚖ Judge", see the verdict in the lens and in the Test Explorer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeToken, startServer } from './service-fixture';

const ROOT = path.resolve(__dirname, '../..');
const CODE_SERVER = path.join(
  process.env.VERDICT_CODE_SERVER_DIR ?? path.join(homedir(), '.cache/verdict/code-server'),
  'node_modules/code-server/out/node/entry.js',
);
const CHROMIUM = '/usr/bin/chromium';
const RESULTS = path.join(ROOT, 'test-results');
const available = existsSync(CODE_SERVER) && existsSync(CHROMIUM);
const skip = !available && !process.env.CI ? 'code-server or chromium not installed (scripts/install-code-server.sh)' : false;

let codeServer: ChildProcess | undefined;
let companionPort = 0;
let browser: Browser | undefined;
let page: Page;
let workspace: string;
let userData: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  if (skip) return;
  mkdirSync(RESULTS, { recursive: true });
  const pack = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr + pack.stdout);
  const vsix = readdirSync(ROOT).find((f) => f.endsWith('.vsix'));
  assert.ok(vsix, 'npm run package made a .vsix');

  const home = mkdtempSync(path.join(tmpdir(), 'verdict-code-server-'));
  userData = path.join(home, 'user');
  const extensions = path.join(home, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  companionPort = await freePort();
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'workbench.tips.enabled': false,
      'verdict.companion.enabled': true,
      'verdict.companion.port': companionPort,
      'verdict.companion.language': 'cpp',
    }),
  );
  const install = spawnSync(
    process.execPath,
    [CODE_SERVER, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', path.join(ROOT, vsix)],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(install.status, 0, install.stderr + install.stdout);

  workspace = path.join(home, 'work');
  mkdirSync(path.join(workspace, 'sum.tests'), { recursive: true });
  writeFileSync(path.join(workspace, 'hello.py'), 'print("Hello from Verdict!")\n');
  writeFileSync(path.join(workspace, 'remote.py'), 'print("Hello from the server!")\n');
  writeFileSync(path.join(workspace, 'sum.py'), 'a, b = map(int, input().split())\nprint(a + b)\n');
  writeFileSync(path.join(workspace, 'sum.tests', '1.in'), '1 2\n');
  writeFileSync(path.join(workspace, 'sum.tests', '1.ans'), '3\n');
  writeFileSync(path.join(workspace, 'sum.tests', '2.in'), '20 22\n');
  writeFileSync(path.join(workspace, 'sum.tests', '2.ans'), '42\n');
  // A stress test's three programs, in a folder of their own (the quick picks list the solution's folder).
  mkdirSync(path.join(workspace, 'stress'));
  writeFileSync(
    path.join(workspace, 'stress', 'sol.py'),
    'n = int(input())\ns = sum(map(int, input().split()))\nprint(s + 1 if n >= 5 and s % 7 == 3 else s)\n',
  );
  writeFileSync(path.join(workspace, 'stress', 'brute.py'), 'n = int(input())\nprint(sum(map(int, input().split())))\n');
  writeFileSync(
    path.join(workspace, 'stress', 'gen.py'),
    'import random, sys\nrandom.seed(int(sys.argv[1]))\nn = random.randint(1, int(sys.argv[2]) if len(sys.argv) > 2 else 60)\nprint(n)\nprint(*[random.randint(-1000, 1000) for _ in range(n)])\n',
  );

  const port = await freePort();
  codeServer = spawn(
    process.execPath,
    [
      CODE_SERVER,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      workspace,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('code-server did not start')), 60_000);
    codeServer!.stdout!.on('data', (d: Buffer) => {
      if (/HTTP server listening/.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  codeServer?.kill();
});

/** Opens a workspace file from the Explorer, as a person would. */
async function openFile(name: string): Promise<void> {
  try {
    const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ timeout: 30_000 });
  } catch (err) {
    await page.screenshot({ path: path.join(RESULTS, `vscode-open-${name}-failed.png`) });
    throw err;
  }
}

test('vscode: Run from the CodeLens shows the program output in the Verdict output channel', { skip, timeout: 300_000 }, async () => {
  await openFile('hello.py');
  const run = page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
  await run.waitFor({ timeout: 120_000 });
  const clicked = Date.now();
  await run.click();
  await page.locator('.part.panel', { hasText: 'Hello from Verdict!' }).first().waitFor({ timeout: 120_000 });
  const ms = Date.now() - clicked;
  console.log(`click-to-output for Run (Python hello): ${ms} ms`);
  writeFileSync(path.join(RESULTS, 'vscode-run-ms.txt'), `${ms}\n`);
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
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'stress' }).first().click();
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
