// The service's queue: each token gets its turn, so one burst cannot starve the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FairQueue } from '../../runner/service/fair-queue';

test('fair queue: a burst of one token waits behind its own runs; others are served in turn', () => {
  const q = new FairQueue<{ id: string; owner: string }>();
  for (let i = 1; i <= 5; i++) q.add({ id: `a${i}`, owner: 'a' });
  q.add({ id: 'b1', owner: 'b' });
  q.add({ id: 'c1', owner: 'c' });
  q.add({ id: 'b2', owner: 'b' });
  assert.equal(q.position('b1'), 2, 'b1 right after the first of the burst');
  assert.equal(q.position('c1'), 3);
  assert.equal(q.position('a5'), 8);
  const order: string[] = [];
  for (let item = q.next(); item; item = q.next()) order.push(item.id);
  assert.deepEqual(order, ['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4', 'a5']);
  assert.equal(q.size, 0);
});

test('fair queue: an item that may not start keeps its place; removed items are gone', () => {
  const q = new FairQueue<{ id: string; owner: string; cls: string }>();
  q.add({ id: 'x1', owner: 'x', cls: 'full' });
  q.add({ id: 'y1', owner: 'y', cls: 'free' });
  q.add({ id: 'y2', owner: 'y', cls: 'free' });
  assert.equal(q.next((i) => i.cls !== 'full')?.id, 'y1');
  assert.equal(q.remove('y2'), true);
  assert.equal(q.remove('nope'), false);
  assert.equal(
    q.next((i) => i.cls !== 'full'),
    undefined,
  );
  assert.equal(q.next()?.id, 'x1');
  assert.equal(q.position('x1'), undefined);
});
