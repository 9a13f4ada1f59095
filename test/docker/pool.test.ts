// The warm pool: sized by recent demand, waiting for containers being reset rather than creating
// new ones, and shrinking to zero when idle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRunner } from './fixture';

const hello = { language: 'python3', files: [{ name: 'a.py', content: 'print(1)' }] };

async function settle(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

test('pool: concurrent demand keeps as many containers warm as were busy at once', async () => {
  await withRunner({ pool: { idlePerShape: 1, maxBusy: 2, idleTimeoutMs: 0 } }, async (runner) => {
    await Promise.all([runner.run(hello), runner.run(hello)]);
    await settle(() => runner.pool.size.idle === 2, 5000);
    assert.equal(runner.pool.size.idle, 2, JSON.stringify(runner.pool.size));
    // A sequential stream reuses them: no container is created on the request path.
    const before = runner.pool.size.total;
    for (let i = 0; i < 5; i++) await runner.run(hello);
    assert.equal(runner.pool.size.total, before, JSON.stringify(runner.pool.size));
  });
});

test('pool: idle containers are removed after the idle timeout (a laptop is not taxed)', async () => {
  await withRunner({ pool: { idlePerShape: 1, idleTimeoutMs: 1000 } }, async (runner) => {
    await runner.run(hello);
    await settle(() => runner.pool.size.idle >= 1, 3000);
    assert.ok(runner.pool.size.total >= 1);
    await settle(() => runner.pool.size.total === 0, 5000);
    assert.equal(runner.pool.size.total, 0, JSON.stringify(runner.pool.size));
    const again = await runner.run(hello);
    assert.equal(again.stdout, '1\n', 'and the next run starts a fresh one');
  });
});
