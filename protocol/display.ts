// Untrusted text on its way to a human: a program's output, compiler output, checker feedback, test
// names. A terminal obeys the control sequences in what it prints (clear the screen, set the window
// title, write the clipboard with OSC 52, move the cursor up and erase a line to forge "Accepted"),
// so everything a submission can influence is shown through displayText before it meets a terminal
// or a UI: controls are shown escaped, never obeyed. Exact data (`--json`, results) is not escaped.
//
// What is escaped, and how:
//   - C0 controls except \n and \t, and DEL: "\x1b", "\x07", "\x00", "\x7f"; a \r is kept only
//     right before \n (a CRLF line end is harmless), else shown as "\r";
//   - C1 controls (U+0080–U+009F; some terminals obey U+009B as CSI) and the characters that
//     reorder or break lines out of sight (bidi overrides and isolates, U+2028/U+2029): "\u009b";
//   - bytes that are not UTF-8 (a Latin-1 é, a lone 0x9b): "\xe9", one per byte, so two outputs
//     that differ in bytes still look different; decoding as UTF-8 otherwise (never lossy).
// Backslashes are not doubled, so a program printing the four characters "\x1b" looks the same
// as one printing ESC: readable output matters more here, and `--json` has the exact bytes.
// Escaping is idempotent: displayText(displayText(x)) === displayText(x).
// A pure module (no Node imports), shared by the runner, the language server and the extension.

/** Controls and invisible reordering characters; a \r is fine only as part of \r\n. */
const UNSAFE =
  /\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The same in one-line form (quotes in messages, excerpts): \n, \t and every \r escaped too. */
const UNSAFE_ONE_LINE =
  /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\r') return '\\r';
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  return code < 0x80 ? `\\x${hex2(code)}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface DisplayOptions {
  /** Escape line breaks and tabs too, for text shown inside one line (a quoted token, an excerpt). */
  oneLine?: boolean;
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Length of the UTF-8 sequence starting at i, or 0 when the bytes there are not UTF-8 (RFC 3629: no overlongs, no surrogates). */
function sequenceAt(b: Uint8Array, i: number): number {
  const x = b[i]!;
  if (x < 0x80) return 1;
  const y = i + 1 < b.length ? b[i + 1]! : -1;
  if (x >= 0xc2 && x <= 0xdf) return (y & 0xc0) === 0x80 ? 2 : 0;
  const z = i + 2 < b.length ? b[i + 2]! : -1;
  if (x >= 0xe0 && x <= 0xef) {
    const lo = x === 0xe0 ? 0xa0 : 0x80;
    const hi = x === 0xed ? 0x9f : 0xbf;
    return y >= lo && y <= hi && (z & 0xc0) === 0x80 ? 3 : 0;
  }
  if (x >= 0xf0 && x <= 0xf4) {
    const lo = x === 0xf0 ? 0x90 : 0x80;
    const hi = x === 0xf4 ? 0x8f : 0xbf;
    const w = i + 3 < b.length ? b[i + 3]! : -1;
    return y >= lo && y <= hi && (z & 0xc0) === 0x80 && (w & 0xc0) === 0x80 ? 4 : 0;
  }
  return 0;
}

const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });

/** Decodes UTF-8, showing each byte that is not part of a valid sequence as "\xNN". */
function decodeShowingBadBytes(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Slow path, only for output that is not UTF-8: decoded by hand into UTF-16 code units.
  }
  const out = new Uint16Array(bytes.length * 4); // at most four units ("\xNN") per byte
  let o = 0;
  for (let i = 0; i < bytes.length;) {
    const x = bytes[i]!;
    const n = sequenceAt(bytes, i);
    if (n === 1) out[o++] = x;
    else if (n === 2) out[o++] = ((x & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
    else if (n === 3) out[o++] = ((x & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
    else if (n === 4) {
      const cp = (((x & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f)) - 0x10000;
      out[o++] = 0xd800 + (cp >> 10);
      out[o++] = 0xdc00 + (cp & 0x3ff);
    } else {
      out[o++] = 0x5c; // \
      out[o++] = 0x78; // x
      out[o++] = HEX[x >> 4]!;
      out[o++] = HEX[x & 15]!;
      i++;
      continue;
    }
    i += n;
  }
  return utf16.decode(out.subarray(0, o));
}

/**
 * Untrusted text or bytes as safe, visible text (see the header). Bytes are decoded as UTF-8, with
 * any byte that is not UTF-8 shown as "\xNN"; a string is taken as it is.
 */
export function displayText(input: string | Uint8Array, options: DisplayOptions = {}): string {
  const text = typeof input === 'string' ? input : decodeShowingBadBytes(input);
  return text.replace(options.oneLine ? UNSAFE_ONE_LINE : UNSAFE, escapeChar);
}

/** The largest offset <= i that does not split a UTF-8 sequence of `bytes` (for cutting output to show). */
export function utf8Boundary(bytes: Uint8Array, i: number): number {
  if (i >= bytes.length) return bytes.length;
  let j = i;
  // At most 3 continuation bytes precede the byte a cut may land on.
  while (j > 0 && i - j < 3 && (bytes[j]! & 0xc0) === 0x80) j--;
  return j < i && sequenceAt(bytes, j) > i - j ? j : i;
}

/**
 * displayText for output that arrives in chunks (streamed stdout/stderr): a UTF-8 sequence or a
 * \r\n split between chunks is held back until the next chunk, so it is shown as the whole output
 * would be. One instance per stream.
 */
export class DisplayStream {
  private pending: Uint8Array = new Uint8Array(0);

  write(chunk: Uint8Array | string): string {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    const all = this.pending.length ? concat(this.pending, bytes) : bytes;
    let cut = all.length;
    if (cut > 0 && all[cut - 1] === 0x0d)
      cut--; // a \r that may be the start of \r\n
    else {
      // An unfinished UTF-8 sequence at the end: its lead byte is among the last three.
      for (let j = cut - 1; j >= 0 && j >= cut - 3; j--) {
        const x = all[j]!;
        if ((x & 0xc0) === 0x80) continue;
        const want = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 1;
        if (want > cut - j) cut = j;
        break;
      }
    }
    this.pending = all.slice(cut);
    return displayText(all.subarray(0, cut));
  }

  /** What is still held back, shown as it is (the output ended there). */
  end(): string {
    const rest = this.pending;
    this.pending = new Uint8Array(0);
    return displayText(rest);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
