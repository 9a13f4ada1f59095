import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageDecoder, encodeMessage } from '../../runner/sandbox/wire';

test('protocol: a message survives being split at every byte', () => {
  const wire = encodeMessage([
    ['status', 'ok'],
    ['stdout', Buffer.from('line 1\nline 2\nend 0\n')],
    ['exit', 3],
  ]);
  for (let cut = 0; cut <= wire.length; cut++) {
    const d = new MessageDecoder();
    const got = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
    assert.equal(got.length, 1, `cut at ${cut}`);
    assert.equal(got[0]!.text('stdout'), 'line 1\nline 2\nend 0\n');
    assert.equal(got[0]!.num('exit'), 3);
  }
});

test('protocol: a large field arriving in many chunks is decoded once, intact', () => {
  const payload = Buffer.alloc(8 * 1024 * 1024, 'x');
  const wire = encodeMessage([['stdout', payload]]);
  const d = new MessageDecoder();
  const out = [];
  for (let i = 0; i < wire.length; i += 16384) out.push(...d.push(wire.subarray(i, i + 16384)));
  assert.equal(out.length, 1);
  assert.equal(out[0]!.fields.get('stdout')!.length, payload.length);
});

test('protocol: two messages in one chunk come out in order', () => {
  const wire = Buffer.concat([encodeMessage([['n', 1]]), encodeMessage([['n', 2]])]);
  const got = new MessageDecoder().push(wire);
  assert.deepEqual(
    got.map((m) => m.num('n')),
    [1, 2],
  );
});

test('protocol: a malformed header is an error, not a hang', () => {
  assert.throws(() => new MessageDecoder().push(Buffer.from('garbage here\n')), /bad header/);
});
