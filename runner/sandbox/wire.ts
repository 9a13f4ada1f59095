// The framed protocol spoken with verdict-supervisor over the container's stdin/stdout
// (docs/protocol.md): a message is a list of fields `KEY LENGTH\n<LENGTH bytes>`, ended by `end 0\n`.
// Length-prefixed raw bytes, so program output needs no escaping and is never re-parsed.

export type Field = [key: string, value: string | Buffer | number];

export function encodeMessage(fields: Field[]): Buffer {
  // Text fields are joined as one string and encoded once; only byte values are buffers of their own.
  const parts: Buffer[] = [];
  let text = '';
  for (const [key, value] of fields) {
    if (Buffer.isBuffer(value)) {
      parts.push(Buffer.from(`${text}${key} ${value.length}\n`), value);
      text = '';
    } else {
      const s = String(value);
      text += `${key} ${Buffer.byteLength(s)}\n${s}`;
    }
  }
  parts.push(Buffer.from(`${text}end 0\n`));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** A decoded message: the last value of each key, as raw bytes, and every field in order (repeated keys). */
export class Message {
  constructor(
    readonly fields: Map<string, Buffer>,
    readonly all: ReadonlyArray<readonly [string, Buffer]> = [...fields],
  ) {}
  text(key: string): string {
    return this.fields.get(key)?.toString('utf8') ?? '';
  }
  num(key: string): number {
    const v = this.fields.get(key);
    return v === undefined ? NaN : Number(v.toString());
  }
}

const HEADER = /^([A-Za-z0-9_.-]{1,31}) (\d{1,12})$/;

/**
 * Incremental decoder: feed it chunks as they arrive, get whole messages out. Chunks are joined only
 * once what is waited for has arrived (a large field's chunks once, when it is whole), so a flood of
 * output costs linear, not quadratic, copying; a field's value is a copy of its bytes, never a view.
 */
export class MessageDecoder {
  private parts: Buffer[] = [];
  private have = 0;
  private pending: { key: string; len: number } | null = null;
  private fields = new Map<string, Buffer>();
  private ordered: Array<[string, Buffer]> = [];

  constructor(private readonly maxField = 1024 * 1024 * 1024) {}

  push(chunk: Buffer): Message[] {
    const out: Message[] = [];
    this.parts.push(chunk);
    this.have += chunk.length;
    if (this.pending && this.have < this.pending.len) return out;
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.have);
    let off = 0;
    for (;;) {
      if (!this.pending) {
        const nl = buf.indexOf(10, off);
        if (nl < 0) {
          if (buf.length - off > 256) throw new Error('supervisor protocol: header line too long');
          break;
        }
        const header = buf.toString('latin1', off, nl);
        const match = HEADER.exec(header);
        if (!match) throw new Error(`supervisor protocol: bad header ${JSON.stringify(header.slice(0, 80))}`);
        const len = Number(match[2]);
        if (len > this.maxField) throw new Error('supervisor protocol: field too large');
        this.pending = { key: match[1]!, len };
        off = nl + 1;
      }
      const { key, len } = this.pending;
      if (buf.length - off < len) break;
      const value = Buffer.from(buf.subarray(off, off + len));
      off += len;
      this.pending = null;
      if (key === 'end') {
        out.push(new Message(this.fields, this.ordered));
        this.fields = new Map();
        this.ordered = [];
      } else {
        this.fields.set(key, value);
        this.ordered.push([key, value]);
      }
    }
    const rest = buf.subarray(off);
    this.parts = rest.length ? [rest] : [];
    this.have = rest.length;
    return out;
  }
}

/**
 * Docker's multiplexed attach stream (no TTY): frames of an 8-byte header — the stream (1 stdout,
 * 2 stderr), three zero bytes, the payload's length (32 bits, big-endian) — and the payload. Feed it
 * the socket's chunks; each whole frame's payload (a view into the chunk) goes to onFrame.
 */
export class FrameDemuxer {
  private parts: Buffer[] = [];
  private have = 0;
  private need = 8;

  constructor(private readonly onFrame: (stream: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.parts.push(chunk);
    this.have += chunk.length;
    if (this.have < this.need) return;
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.have);
    let off = 0;
    for (;;) {
      if (buf.length - off < 8) {
        this.need = 8;
        break;
      }
      const len = buf.readUInt32BE(off + 4);
      if (buf.length - off - 8 < len) {
        this.need = 8 + len;
        break;
      }
      const stream = buf[off]!;
      const payload = buf.subarray(off + 8, off + 8 + len);
      off += 8 + len;
      this.onFrame(stream, payload);
    }
    const rest = buf.subarray(off);
    this.parts = rest.length ? [rest] : [];
    this.have = rest.length;
  }
}
