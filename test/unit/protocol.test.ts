import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDemuxer, MessageDecoder, encodeMessage } from '../../runner/sandbox/wire';

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

test("protocol: Docker's frames are taken apart however the socket cuts them", () => {
  const frame = (stream: number, payload: Buffer) => {
    const head = Buffer.alloc(8);
    head[0] = stream;
    head.writeUInt32BE(payload.length, 4);
    return Buffer.concat([head, payload]);
  };
  const big = Buffer.alloc(100_000, 7);
  const wire = Buffer.concat([
    frame(1, Buffer.from('status 2\nok')),
    frame(2, Buffer.from('a warning')),
    frame(1, big),
    frame(1, Buffer.alloc(0)),
  ]);
  for (const step of [1, 3, 8, 9, 4096, wire.length]) {
    const got: Array<[number, string]> = [];
    const demux = new FrameDemuxer((stream, payload) =>
      got.push([stream, payload.length > 100 ? `${payload.length}` : payload.toString()]),
    );
    for (let i = 0; i < wire.length; i += step) demux.push(wire.subarray(i, i + step));
    assert.deepEqual(
      got,
      [
        [1, 'status 2\nok'],
        [2, 'a warning'],
        [1, '100000'],
        [1, ''],
      ],
      `chunks of ${step}`,
    );
  }
});

test('protocol: text and byte fields, multi-byte text included, encode to what the decoder reads back', () => {
  const bytes = Buffer.from([0, 255, 10, 101, 110, 100]);
  const wire = encodeMessage([
    ['op', 'exec'],
    ['arg', 'héllo wörld'],
    ['data', bytes],
    ['n', 42],
    ['data', Buffer.alloc(0)],
    ['env', 'K=✓'],
  ]);
  const [m] = new MessageDecoder().push(wire);
  assert.deepEqual(
    m!.all.map(([k, v]) => [k, v.toString('hex')]),
    [
      ['op', Buffer.from('exec').toString('hex')],
      ['arg', Buffer.from('héllo wörld').toString('hex')],
      ['data', bytes.toString('hex')],
      ['n', Buffer.from('42').toString('hex')],
      ['data', ''],
      ['env', Buffer.from('K=✓').toString('hex')],
    ],
  );
});
