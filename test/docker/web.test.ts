// The web pages of `verdict serve` in a real browser: the real server on loopback with real Docker,
// driven by playwright-core in Debian's chromium. A student signs in, picks a pushed problem, pastes
// a solution and watches the tests arrive and the verdict; program output with markup and ANSI
// escapes stays text; a hidden test's data never reaches the page; the teacher's log, statistics,
// queue and pool update live. Screenshots go to test-results/ (and to docs/ with
// VERDICT_UPDATE_SCREENSHOTS=1: docs/web-student.png, docs/web-teacher.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from './chromium';
import { cli, makeToken, startServer, ROOT, type RunningServer } from './service-fixture';

// Callbacks given to page.evaluate run in the browser, with its globals: declared here, untyped (the project has no DOM lib).
declare const document: any, window: any, MutationObserver: any;

const RESULTS = path.join(ROOT, 'test-results');
const skip = !existsSync(CHROMIUM) && !process.env.CI ? 'chromium is not installed (scripts/install-code-server.sh installs it)' : false;

const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-web-'));
const data = path.join(scratch, 'data');
/** The hidden tests' data: 18-digit numbers no id, time or count on a page can hold, so a match is a leak. */
const SECRETS = [
  '424242424242424242',
  '171717171717171717',
  '595959595959595959',
  '595959595959595960',
  '313131313131313131',
  '282828282828282828',
];

let server: RunningServer;
let teacher: string;
let student: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  if (skip) return;
  mkdirSync(RESULTS, { recursive: true });
  server = await startServer(data, ['--concurrency', '2'], { logLevel: 'info' });
  teacher = await makeToken(data, 'tina', 'teacher', 'web1');
  student = await makeToken(data, 'sam', 'student', 'web1');
  const pkg = path.join(scratch, 'sum');
  mkdirSync(path.join(pkg, 'data/sample'), { recursive: true });
  mkdirSync(path.join(pkg, 'data/secret'), { recursive: true });
  writeFileSync(
    path.join(pkg, 'problem.yaml'),
    'problem_format_version: 2025-09\nname: Sum of two\nuuid: 5d1e2f9c-6f6b-4a44-9f0e-2f1b7e9b0a11\nlimits:\n  time_limit: 2\n  memory: 256\n',
  );
  writeFileSync(path.join(pkg, 'data/sample/1.in'), '1 2\n');
  writeFileSync(path.join(pkg, 'data/sample/1.ans'), '3\n');
  writeFileSync(path.join(pkg, 'data/secret/1.in'), '424242424242424242 171717171717171717\n');
  writeFileSync(path.join(pkg, 'data/secret/1.ans'), '595959595959595959\n');
  writeFileSync(path.join(pkg, 'data/secret/2.in'), '313131313131313131 282828282828282828\n');
  writeFileSync(path.join(pkg, 'data/secret/2.ans'), '595959595959595959\n');
  const pushed = await cli(['problem', 'push', pkg, '--server', server.url], { env: { VERDICT_TOKEN: teacher } });
  assert.equal(pushed.exitCode, 0, pushed.stderr);
  browser = await launchChromium();
});

after(async () => {
  if (skip) return;
  await browser?.close();
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * A fresh browser profile's page (its own localStorage) that records every dialog, and every script
 * error and policy violation (a page that broke its own CSP would do so silently otherwise).
 */
async function newPage(width = 1280, height = 900): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
  });
  return { page, dialogs, errors };
}

/** Signs in as a person does: types the token and presses Enter. */
async function signIn(page: Page, route: string, tokenValue: string): Promise<void> {
  await page.goto(server.url + route);
  await page.locator('#token').fill(tokenValue);
  await page.locator('#token').press('Enter');
  await page.locator('#app').waitFor({ state: 'visible', timeout: 120_000 });
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(RESULTS, name), fullPage: true });
  if (process.env.VERDICT_UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(ROOT, 'docs', name), fullPage: true });
}

/** Everything the page holds: its markup, its text and the values of its fields. */
const pageText = (page: Page) =>
  page.evaluate(() =>
    [
      document.documentElement.outerHTML,
      document.body.innerText,
      ...[...document.querySelectorAll('input, textarea, select')].map((e) => e.value),
    ].join('\n'),
  );

async function submitAndWait(page: Page, source: string, via: 'click' | 'keyboard' = 'click'): Promise<string> {
  await page.locator('#source').fill(source);
  if (via === 'keyboard') await page.locator('#source').press('Control+Enter');
  else await page.locator('#submit').click();
  const status = page.locator('#verdict-status');
  await status.waitFor({ timeout: 180_000 });
  return (await status.textContent()) ?? '';
}

const rows = (page: Page) =>
  page.$$eval('#tests tbody tr', (trs) =>
    trs.map((tr) => ({
      name: tr.getAttribute('data-test'),
      status: tr.querySelector('.badge')?.textContent,
      hidden: Boolean(tr.querySelector('.tag')),
    })),
  );

test('web: a student signs in, picks a problem, pastes a solution and watches each test arrive, then the verdict', { skip }, async () => {
  const { page, dialogs, errors } = await newPage();
  await signIn(page, '/', student);
  await page.locator('#problem').selectOption('sum');
  const info = (await page.locator('#problem-info').innerText()).replace(/\s+/g, ' ');
  assert.match(info, /Sum of two/);
  assert.match(info, /Time limit 2 s · memory limit 256 MB · 1 sample test · 2 hidden/);
  assert.match(info, /sample\/1 Input 1 2 Answer 3/i);
  assert.equal(await page.locator('#stdin-field').isHidden(), true, 'a judge has no stdin box');
  await page.locator('#language').selectOption('python3');
  // What the page shows as the events come, recorded at each change of the result.
  await page.evaluate(() => {
    const w = window as unknown as { seen: Array<{ rows: number; verdict: boolean; state: string }> };
    w.seen = [];
    const result = document.querySelector('#result')!;
    new MutationObserver(() =>
      w.seen.push({
        rows: document.querySelectorAll('#tests tbody tr').length,
        verdict: !document.querySelector('#verdict').hidden,
        state: document.querySelector('#state')!.textContent ?? '',
      }),
    ).observe(result, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const verdict = await submitAndWait(page, 'import time\na, b = map(int, input().split())\ntime.sleep(0.5)\nprint(a + b)\n');
  assert.equal(verdict, 'Accepted');
  assert.deepEqual(await rows(page), [
    { name: 'sample/1', status: 'Accepted', hidden: false },
    { name: 'secret/1', status: 'Accepted', hidden: true },
    { name: 'secret/2', status: 'Accepted', hidden: true },
  ]);
  const figures = await page.locator('#verdict').innerText();
  assert.match(figures, /3\/3 tests · time \d+ ms · memory [\d.]+ MB/);
  const seen = await page.evaluate(() => (window as unknown as { seen: Array<{ rows: number; verdict: boolean; state: string }> }).seen);
  // The tests arrived one by one, shown before the verdict was (the last test and the verdict may come in one read).
  for (const n of [1, 2])
    assert.ok(
      seen.some((s) => s.rows === n && !s.verdict),
      `the page showed ${n} test(s) before the verdict`,
    );
  assert.ok(
    seen.some((s) => /Test 1 of 3: Accepted/.test(s.state)),
    `each test's arrival was told: ${seen.map((s) => s.state).join(' | ')}`,
  );
  assert.ok(
    seen.some((s) => /Waiting in the queue|Judging|Compiled/.test(s.state)),
    'the queue and start were told',
  );
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, [], 'no script error or policy violation');
  await screenshot(page, 'web-student.png');
});

test('web: a wrong answer on a sample shows where the output differs, with both texts', { skip }, async () => {
  const { page } = await newPage();
  await signIn(page, '/', student);
  await page.locator('#problem').selectOption('sum');
  await page.locator('#language').selectOption('python3');
  // Submitted from the keyboard: Ctrl+Enter in the source.
  assert.equal(await submitAndWait(page, 'a, b = map(int, input().split())\nprint(a * 10)\n', 'keyboard'), 'Wrong Answer');
  const failure = page.locator('#failure');
  await failure.waitFor();
  assert.match(await failure.innerText(), /sample\/1:\s*Wrong Answer/);
  assert.match(await failure.locator('.diff-where').innerText(), /line 1, column 1: expected 3, got 10/);
  assert.equal((await failure.locator('pre.expected').innerText()).trim(), '3');
  assert.equal((await failure.locator('pre.actual').innerText()).trim(), '10');
});

test("web: a hidden test's data never appears in the page, even from a program that prints its input", { skip }, async () => {
  const { page } = await newPage();
  await signIn(page, '/', student);
  await page.locator('#problem').selectOption('sum');
  await page.locator('#language').selectOption('python3');
  const sneaky =
    'import sys\nline = input()\nprint(line, file=sys.stderr)\nprint(line)\na, b = map(int, line.split())\nprint(a + b + (1 if a > 1000 else 0))\n';
  // Fails sample/1 (it prints its input first): the page shows the sample's data, which is the student's to see.
  assert.equal(await submitAndWait(page, sneaky), 'Wrong Answer');
  assert.match(await page.locator('#failure').innerText(), /1 2/);
  // Passes the sample, fails the first hidden test: only its verdict, time and memory.
  const quiet =
    'import sys\nline = input()\nprint(line, file=sys.stderr)\na, b = map(int, line.split())\nprint(a + b + (1 if a > 1000 else 0))\n';
  assert.equal(await submitAndWait(page, quiet), 'Wrong Answer');
  assert.deepEqual(await rows(page), [
    { name: 'sample/1', status: 'Accepted', hidden: false },
    { name: 'secret/1', status: 'Wrong Answer', hidden: true },
  ]);
  assert.match(await page.locator('#failure').innerText(), /secret\/1.*a hidden test: only its verdict, time and memory are shown/s);
  const text = await pageText(page);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `"${secret}" reached the student's page`);
});

test('web: program output is text — markup and ANSI escapes are neither run nor obeyed', { skip }, async () => {
  const { page, dialogs, errors } = await newPage();
  await signIn(page, '/', student);
  await page.locator('#problem').selectOption('');
  await page.locator('#language').selectOption('python3');
  const before = await page.evaluate(() => ({
    scripts: document.scripts.length,
    images: document.images.length,
    elements: document.querySelectorAll('*').length,
  }));
  const hostile = [
    'import sys',
    "print('<script>alert(1)</script>')",
    "print('<img src=x onerror=alert(2)>')",
    "print('\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07')",
    "print('<b>bold</b>', file=sys.stderr)",
  ].join('\n');
  assert.equal(await submitAndWait(page, hostile + '\n'), 'Accepted');
  const stdout = page.locator('#stdout');
  const out = (await stdout.textContent()) ?? '';
  assert.ok(out.includes('<script>alert(1)</script>'), out);
  assert.ok(out.includes('<img src=x onerror=alert(2)>'), out);
  assert.ok(out.includes('\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07'), `the escape shows as text: ${JSON.stringify(out)}`);
  assert.ok(!out.includes('\x1b'), 'no raw ESC in the page');
  assert.equal(await stdout.evaluate((e) => e.childElementCount), 0, 'the output is one text, no elements');
  assert.ok(((await page.locator('#stderr').textContent()) ?? '').includes('<b>bold</b>'));
  assert.equal(await page.locator('#stderr').evaluate((e) => e.childElementCount), 0);
  const afterwards = await page.evaluate(() => ({ scripts: document.scripts.length, images: document.images.length }));
  assert.equal(afterwards.scripts, before.scripts, 'no script element was added');
  assert.equal(afterwards.images, before.images, 'no image element was added');
  await page.waitForTimeout(500);
  assert.deepEqual(dialogs, [], 'no dialog fired');
  assert.deepEqual(errors, [], 'no script error or policy violation');
});

test("web: the teacher's queue, pool, log and statistics update live while a student submits", { skip }, async () => {
  const { page, errors } = await newPage(1280, 1000);
  await signIn(page, '/teacher', teacher);
  assert.match(await page.locator('#class-title').innerText(), /Class web1/);
  const problem = page.locator('#stats tbody tr[data-problem="sum"]');
  await problem.waitFor();
  const cell = async (sel: string) => Number(await problem.locator(sel).innerText());
  const accepted = await cell('[data-verdict="Accepted"]');
  const judged = await cell('[data-col="runs"]');
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

  // A student submits from elsewhere (the API); the page is not reloaded.
  const slow = 'import time\na, b = map(int, input().split())\ntime.sleep(1.5)\nprint(a + b)\n';
  const res = await fetch(`${server.url}/v1/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${student}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'judge', language: 'python3', files: [{ name: 'sum.py', content: slow }], problem: 'sum' }),
  });
  assert.equal(res.status, 202);
  const { id } = (await res.json()) as { id: string };
  await page.locator(`#queue tbody tr[data-run="${id}"]`).waitFor({ timeout: 30_000 });
  await page.locator(`#log tbody tr[data-run="${id}"]`).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => Number(document.querySelector('#pool-busy')?.textContent) >= 1, undefined, { timeout: 30_000 });
  await screenshot(page, 'web-teacher.png');
  await page.locator(`#log tbody tr[data-run="${id}"] .badge.status-accepted`).waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    (n) => Number(document.querySelector('#stats tr[data-problem="sum"] [data-verdict="Accepted"]')?.textContent) === n,
    accepted + 1,
    { timeout: 30_000 },
  );
  assert.equal(await cell('[data-col="runs"]'), judged + 1);
  assert.equal(await cell('[data-col="solved"]'), 1, 'one student solved it');
  assert.equal(await cell('[data-col="students"]'), 1);
  await page.locator(`#queue tbody tr[data-run="${id}"]`).waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'updated in place, not reloaded');
  assert.equal(await page.locator('#log tbody tr').first().getAttribute('data-run'), id, 'newest first');

  // The filters and the CSV export (fetched with the token).
  await page.locator('#filter-user').fill('nobody');
  await page.locator('#log-empty').waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator('#filter-user').fill('sam');
  await page.locator(`#log tbody tr[data-run="${id}"]`).waitFor({ timeout: 10_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  assert.match(csv.split('\r\n')[0]!, /^id,createdAt,user,class/);
  assert.ok(csv.includes(id), 'the export has the new run');

  const text = await pageText(page);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `"${secret}" reached the teacher's page`);
  assert.deepEqual(errors, [], 'no script error or policy violation');
});

test(
  'web: pages allow scripts from the server only; /v1/stats is for teachers; both pages work by keyboard and on a phone',
  { skip },
  async () => {
    for (const route of ['/', '/teacher']) {
      const res = await fetch(server.url + route);
      assert.equal(res.status, 200);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      const html = await res.text();
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\ssrc="\/web\/[a-z-]+\.js"/, `an inline script: ${tag}`);
      assert.doesNotMatch(html, /\son[a-z]+=|javascript:/i, 'no inline handlers');
    }
    assert.equal((await fetch(`${server.url}/web/store.ts`)).status, 404);
    assert.equal((await fetch(`${server.url}/web/..%2Fstore.ts`)).status, 404);
    assert.equal((await fetch(`${server.url}/v1/stats`)).status, 401);
    const stats = (t: string, q = '') => fetch(`${server.url}/v1/stats${q}`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal((await stats(student)).status, 403);
    const other = await makeToken(data, 'otto', 'teacher', 'web2');
    assert.equal((await stats(other, '?class=web1')).status, 403);
    const mine = (await (await stats(teacher)).json()) as { class: string; problems: Array<{ problem: string }> };
    assert.equal(mine.class, 'web1');
    assert.deepEqual(
      mine.problems.map((p) => p.problem),
      ['sum'],
    );
    assert.deepEqual(
      ((await (await stats(other)).json()) as { problems: unknown[] }).problems,
      [],
      "another class's teacher sees none of it",
    );

    for (const [route, tokenValue] of [
      ['/', student],
      ['/teacher', teacher],
    ] as const) {
      const { page } = await newPage(360, 740);
      await page.goto(server.url + route);
      // The token field is reached with Tab from the top of the page.
      let reached = false;
      for (let i = 0; i < 12 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.id === 'token');
      }
      assert.ok(reached, `${route}: the token field is reachable with Tab`);
      await page.keyboard.type(tokenValue);
      await page.keyboard.press('Enter');
      await page.locator('#app').waitFor({ state: 'visible', timeout: 120_000 });
      await page.waitForTimeout(500);
      const layout = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        unlabelled: [...document.querySelectorAll('input, select, textarea')]
          .filter((e) => e.labels?.length === 0 && !e.closest('[hidden]'))
          .map((e) => e.id),
      }));
      assert.ok(layout.overflow <= 0, `${route} fits 360 px (${layout.overflow} px too wide)`);
      assert.deepEqual(layout.unlabelled, [], `${route}: every field has a label`);
    }
  },
);
