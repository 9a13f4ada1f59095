// A real VS Code for the extension's tests: code-server (VS Code in the browser) with the packaged
// .vsix installed, a workspace of the test's files, driven by playwright-core in Debian's chromium
// (scripts/install-code-server.sh installs code-server; browser downloads fail here).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type FrameLocator, type Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from './chromium';

export const ROOT = path.resolve(__dirname, '../..');
const CODE_SERVER = path.join(
  process.env.VERDICT_CODE_SERVER_DIR ?? path.join(homedir(), '.cache/verdict/code-server'),
  'node_modules/code-server/out/node/entry.js',
);
export const RESULTS = path.join(ROOT, 'test-results');
const available = existsSync(CODE_SERVER) && existsSync(CHROMIUM);
/** The tests' `skip` option: code-server or chromium missing (not in CI, where they must be there). */
export const skip = !available && !process.env.CI ? 'code-server or chromium not installed (scripts/install-code-server.sh)' : false;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  page: Page;
  workspace: string;
  userData: string;
  close(): Promise<void>;
}

/**
 * Packages the extension, installs it into a fresh code-server with these user settings, writes the
 * workspace's files and opens the workspace in chromium.
 */
export async function startCodeServer(settings: Record<string, unknown>, files: Record<string, string | Buffer>): Promise<CodeServer> {
  mkdirSync(RESULTS, { recursive: true });
  const pack = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr + pack.stdout);
  const vsix = readdirSync(ROOT).find((f) => f.endsWith('.vsix'));
  assert.ok(vsix, 'npm run package made a .vsix');

  const home = mkdtempSync(path.join(tmpdir(), 'verdict-code-server-'));
  const userData = path.join(home, 'user');
  const extensions = path.join(home, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'workbench.tips.enabled': false,
      ...settings,
    }),
  );
  const install = spawnSync(
    process.execPath,
    [CODE_SERVER, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', path.join(ROOT, vsix)],
    { encoding: 'utf8' },
  );
  assert.equal(install.status, 0, install.stderr + install.stdout);

  const workspace = path.join(home, 'work');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    writeFileSync(path.join(workspace, name), content);
  }
  mkdirSync(workspace, { recursive: true });

  const port = await freePort();
  const codeServer: ChildProcess = spawn(
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
    codeServer.stdout!.on('data', (d: Buffer) => {
      if (/HTTP server listening/.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const opened = browser;
    return {
      page,
      workspace,
      userData,
      close: async () => {
        await opened.close();
        codeServer.kill();
      },
    };
  } catch (err) {
    await browser?.close();
    codeServer.kill();
    throw err;
  }
}

/** Opens a workspace file from the Explorer, as a person would. */
export async function openFile(page: Page, name: string): Promise<void> {
  try {
    // The side bar may show another view (the Test Cases, the Test Explorer): the Explorer first.
    if (!(await page.locator('.explorer-folders-view').first().isVisible())) await page.keyboard.press('Control+Shift+E');
    const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ timeout: 30_000 });
  } catch (err) {
    await page.screenshot({ path: path.join(RESULTS, `vscode-open-${name}-failed.png`) });
    throw err;
  }
}

/** The text of the "Verdict" output channel so far, from its log file (the DOM shows only the lines in view). */
export function verdictOutput(userData: string): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/-Verdict\.log$/.test(entry.name)) found.push(full);
    }
  };
  if (existsSync(path.join(userData, 'logs'))) walk(path.join(userData, 'logs'));
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}

/** Runs a command from the Command Palette by its title. */
export async function palette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 30_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(300); // the list settles on the best match
  await page.keyboard.press('Enter');
}

/** The content of a webview view (VS Code puts it in an iframe in an iframe). */
export function webview(page: Page, title: string): FrameLocator {
  return page.frameLocator(`iframe.webview.ready[title="${title}"], iframe.webview.ready`).first().frameLocator('iframe#active-frame');
}
