import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DisplayStream, displayText, utf8Boundary } from '../../protocol/display';

const bytes = (...b: number[]) => Uint8Array.from(b);

test('display: terminal attacks are shown, not obeyed', () => {
  const cases: [string, string][] = [
    ['\x1b[2J', '\\x1b[2J'], // clear screen
    ['\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'], // window title
    ['\x1b]52;c;ZXZpbA==\x07', '\\x1b]52;c;ZXZpbA==\\x07'], // OSC 52 clipboard write
    ['\x1b[1A\x1b[2K✔ Accepted', '\\x1b[1A\\x1b[2K✔ Accepted'], // cursor up, erase line: a forged verdict
    ['Wrong\r✔ Accepted', 'Wrong\\r✔ Accepted'], // a lone \r overwrites the line
    ['\x9b2J', '\\u009b2J'], // C1 CSI as a character
    ['a\x00b\x7f', 'a\\x00b\\x7f'],
    ['\u202eevil', '\\u202eevil'], // right-to-left override
    ['x\u2028y', 'x\\u2028y'],
  ];
  for (const [input, shown] of cases) {
    assert.equal(displayText(input), shown, JSON.stringify(input));
    assert.equal(displayText(Buffer.from(input, 'utf8')), shown, `${JSON.stringify(input)} as bytes`);
    assert.doesNotMatch(displayText(input), /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  }
});

test('display: ordinary text, line ends and tabs are kept', () => {
  for (const text of ['', 'hello\n', 'a\tb\n', '1\r\n2\r\n', 'héllo wörld ✔ 日本 😀\n']) {
    assert.equal(displayText(text), text);
    assert.equal(displayText(Buffer.from(text)), text);
  }
  assert.equal(displayText('a\r'), 'a\\r', 'a \\r not followed by \\n is escaped');
});

test('display: bytes that are not UTF-8 are shown one by one as \\xNN', () => {
  assert.equal(displayText(bytes(0x41, 0xe9, 0x42)), 'A\\xe9B'); // Latin-1 é
  assert.equal(displayText(bytes(0x9b, 0x32, 0x4a)), '\\x9b2J'); // C1 CSI as a raw byte
  assert.equal(displayText(bytes(0xfe)), '\\xfe');
  assert.notEqual(displayText(bytes(0xfe)), displayText(bytes(0xff)));
  assert.equal(displayText(bytes(0xc3)), '\\xc3', 'a truncated sequence');
  assert.equal(displayText(bytes(0xc0, 0xaf)), '\\xc0\\xaf', 'an overlong "/"');
  assert.equal(displayText(bytes(0xed, 0xa0, 0x80)), '\\xed\\xa0\\x80', 'an encoded surrogate');
  assert.equal(displayText(bytes(0xc3, 0xa9, 0xff, 0xc3, 0xa9)), 'é\\xffé', 'valid text around a bad byte is kept');
  assert.equal(displayText(bytes(0xef, 0xbb, 0xbf, 0x41)), '\ufeffA', 'a BOM is kept, not dropped');
});

test('display: one-line form escapes line breaks and tabs too', () => {
  assert.equal(displayText('a\tb\r\nc', { oneLine: true }), 'a\\tb\\r\\nc');
});

test('display: escaping twice changes nothing', () => {
  const nasty = Buffer.concat([Buffer.from('\x1b[2J\r\n\x9b\u202e'), bytes(0xff, 0x00, 0x0d)]);
  const once = displayText(nasty);
  assert.equal(displayText(once), once);
  assert.equal(displayText(displayText(nasty, { oneLine: true }), { oneLine: true }), displayText(nasty, { oneLine: true }));
});

test('display: a stream shows chunks as the whole output would be shown', () => {
  const whole = Buffer.from('é\r\n😀 \x1b[2J ok\r\nend\r');
  const expected = displayText(whole);
  // Every way of cutting it in two, and byte by byte.
  for (let cut = 0; cut <= whole.length; cut++) {
    const s = new DisplayStream();
    assert.equal(s.write(whole.subarray(0, cut)) + s.write(whole.subarray(cut)) + s.end(), expected, `cut at ${cut}`);
  }
  const s = new DisplayStream();
  let out = '';
  for (const b of whole) out += s.write(bytes(b));
  assert.equal(out + s.end(), expected);
  const bad = new DisplayStream();
  assert.equal(bad.write(bytes(0x41, 0xc3)) + bad.end(), 'A\\xc3', 'an unfinished sequence at the end is shown as bytes');
});

test('display: utf8Boundary never cuts a character', () => {
  const b = Buffer.from('aé😀b');
  assert.equal(utf8Boundary(b, 1), 1);
  assert.equal(utf8Boundary(b, 2), 1);
  assert.equal(utf8Boundary(b, 3), 3);
  for (const i of [4, 5, 6]) assert.equal(utf8Boundary(b, i), 3);
  assert.equal(utf8Boundary(b, 7), 7);
  assert.equal(utf8Boundary(b, 99), b.length);
  assert.equal(utf8Boundary(bytes(0x80, 0x80, 0x80, 0x80), 2), 2, 'stray continuation bytes are cut anywhere');
});

test('display: bytes decode as a strict UTF-8 decoder reads them, sequence by sequence (random inputs)', () => {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Reference: the shortest 1–4 byte slice that decodes to one character is one; else the byte is bad. */
  const reference = (b: Uint8Array): string => {
    let out = '';
    for (let i = 0; i < b.length;) {
      let n = 0;
      for (let k = 1; k <= 4 && i + k <= b.length && !n; k++) {
        try {
          if ([...strict.decode(b.subarray(i, i + k))].length === 1) n = k;
        } catch {
          // not yet a whole character
        }
      }
      out += n ? strict.decode(b.subarray(i, i + n)) : `\\x${b[i]!.toString(16).padStart(2, '0')}`;
      i += n || 1;
    }
    return displayText(out);
  };
  const interesting = [
    0x00, 0x0a, 0x0d, 0x1b, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9b, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0,
    0xf4, 0xf5, 0xfe, 0xff,
  ];
  let seed = 42;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (let round = 0; round < 3000; round++) {
    const b = Uint8Array.from({ length: random(24) }, () => (random(3) ? interesting[random(interesting.length)]! : random(256)));
    assert.equal(displayText(b), reference(b), Buffer.from(b).toString('hex'));
  }
});
