// The framed protocol spoken with verdict-supervisor over the container's stdin/stdout
// (docs/protocol.md): a message is a list of fields `KEY LENGTH\n<LENGTH bytes>`, ended by `end 0\n`.
// Length-prefixed raw bytes, so program output needs no escaping and is never re-parsed.

export type Field = [key: string, value: string | Buffer | number];

export function encodeMessage(fields: Field[]): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of fields) {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
    parts.push(Buffer.from(`${key} ${bytes.length}\n`), bytes);
  }
  parts.push(Buffer.from('end 0\n'));
  return Buffer.concat(parts);
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

/**
 * Incremental decoder: feed it chunks as they arrive, get whole messages out. Chunks of a large
 * field are collected and joined once, so a flood of output costs linear, not quadratic, copying.
 */
export class MessageDecoder {
  private chunks: Buffer[] = [];
  private length = 0;
  private pending: { key: string; len: number } | null = null;
  private fields = new Map<string, Buffer>();
  private ordered: Array<[string, Buffer]> = [];

  constructor(private readonly maxField = 1024 * 1024 * 1024) {}

  push(chunk: Buffer): Message[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const out: Message[] = [];
    for (;;) {
      if (!this.pending) {
        const head = this.take(0);
        const nl = head.indexOf(10);
        if (nl < 0) {
          if (head.length > 256) throw new Error('supervisor protocol: header line too long');
          return out;
        }
        const header = head.subarray(0, nl).toString('latin1');
        const match = /^([A-Za-z0-9_.-]{1,31}) (\d{1,12})$/.exec(header);
        if (!match) throw new Error(`supervisor protocol: bad header ${JSON.stringify(header.slice(0, 80))}`);
        const len = Number(match[2]);
        if (len > this.maxField) throw new Error('supervisor protocol: field too large');
        this.pending = { key: match[1]!, len };
        this.consume(nl + 1);
      }
      const { key, len } = this.pending;
      if (this.length < len) return out;
      const value = Buffer.from(this.take(len).subarray(0, len));
      this.consume(len);
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
  }

  /** All buffered bytes as one buffer (joined only when more than `atLeast` are needed across chunks). */
  private take(atLeast: number): Buffer {
    if (this.chunks.length > 1 && (atLeast === 0 || this.chunks[0]!.length < atLeast)) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(n: number): void {
    const first = this.take(n);
    const rest = first.subarray(n);
    this.chunks = rest.length ? [rest, ...this.chunks.slice(1)] : this.chunks.slice(1);
    this.length -= n;
  }
}
