// The daemon's door for the native client (runner/cli/native/verdict.c): a second unix socket,
// cli.sock, next to daemon.sock in the same private folder. The client sends its arguments, working
// folder, terminals and settings; the daemon plans the CLI's quick path for them (runner/cli/quick.ts)
// and either declines — the client then execs the Node CLI, nothing consumed — or carries it out,
// reading the caller's files itself (it runs as the same user) and sending back the words to print
// and the exit status. The frames and their kinds are described in verdict.c.
import { createServer, type Server, type Socket } from 'node:net';
import { realpathSync, rmSync } from 'node:fs';
import { carryOutQuickCall, planQuickCall } from '../cli/quick';
import type { CliIo } from '../cli/io';
import { daemonKey, packageRoot } from './paths';

const HELLO_TIMEOUT_MS = 5000;
const MAX_HELLO_BYTES = 1 << 20;

/** Frames of one connection, as they arrive. */
class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onFrame: (kind: string, payload: Buffer) => void,
    private readonly maxFrame: () => number,
    private readonly onMalformed: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 5) {
      const length = this.pending.readUInt32BE(1);
      if (length > this.maxFrame()) return this.onMalformed();
      if (this.pending.length < 5 + length) return;
      const kind = String.fromCharCode(this.pending[0]!);
      const payload = this.pending.subarray(5, 5 + length);
      this.pending = this.pending.subarray(5 + length);
      this.onFrame(kind, payload);
    }
  }
}

function frame(kind: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(kind, 0, 'latin1');
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

interface Hello {
  root: string;
  cwd: string;
  ttys: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
}

function parseHello(payload: Buffer): Hello | undefined {
  const hello: Hello = { root: '', cwd: '', ttys: '000', argv: [], env: {} };
  let version = '';
  for (const entry of payload.toString('utf8').split('\0').slice(0, -1)) {
    const value = entry.slice(1);
    switch (entry[0]) {
      case 'v':
        version = value;
        break;
      case 'r':
        hello.root = value;
        break;
      case 'c':
        hello.cwd = value;
        break;
      case 't':
        hello.ttys = value;
        break;
      case 'a':
        hello.argv.push(value);
        break;
      case 'e': {
        const eq = value.indexOf('=');
        if (eq > 0) hello.env[value.slice(0, eq)] = value.slice(eq + 1);
        break;
      }
    }
  }
  return version === '1' && hello.root && hello.cwd.startsWith('/') ? hello : undefined;
}

function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A connection's CliIo: words as frames, standard input asked for when needed, Ctrl-C as an interrupt. */
class DoorIo implements CliIo {
  exitCode: number | undefined;
  private readonly interruptHandlers = new Set<() => void>();
  private input:
    | { chunks: Buffer[]; size: number; max: number; tooLong: () => Error; resolve: (b: Buffer) => void; reject: (e: Error) => void }
    | undefined;
  private ended = false;
  private interruptedEarly = false;

  constructor(
    private readonly conn: Socket,
    private readonly hello: Hello,
  ) {}

  get cwd() {
    return this.hello.cwd;
  }
  get env() {
    return this.hello.env;
  }
  get stdinIsTTY() {
    return this.hello.ttys[0] === '1';
  }
  get stderrIsTTY() {
    return this.hello.ttys[2] === '1';
  }

  out(text: string): void {
    this.send('O', Buffer.from(text, 'utf8'));
  }
  err(text: string): void {
    this.send('E', Buffer.from(text, 'utf8'));
  }

  readInput(max: number, tooLong: () => Error): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.input = { chunks: [], size: 0, max, tooLong, resolve, reject };
      this.send('R', Buffer.alloc(0));
    });
  }

  /** A frame from the client. */
  received(kind: string, payload: Buffer): void {
    if (kind === 'C') this.interrupt();
    else if (kind === 'I' && this.input) {
      const input = this.input;
      if (payload.length === 0) {
        this.input = undefined;
        input.resolve(Buffer.concat(input.chunks));
      } else if ((input.size += payload.length) > input.max) {
        this.input = undefined;
        input.reject(input.tooLong());
      } else input.chunks.push(Buffer.from(payload));
    }
  }

  /** The client left: a run under way is cancelled, as on Ctrl-C. */
  gone(): void {
    if (this.ended) return;
    this.ended = true;
    this.input?.reject(new Error('the client left'));
    this.interrupt();
  }

  onInterrupt(handler: () => void): () => void {
    this.interruptHandlers.add(handler);
    // A Ctrl-C that came before the run was submitted still cancels it.
    if (this.interruptedEarly) {
      this.interruptedEarly = false;
      queueMicrotask(handler);
    }
    return () => void this.interruptHandlers.delete(handler);
  }

  /** Not this door's call: the client hands it to the Node CLI, having consumed nothing. */
  decline(): void {
    this.finish('D', Buffer.alloc(0));
  }

  exitNow(code: number): void {
    this.end(code);
  }

  end(code: number): void {
    const status = Buffer.alloc(4);
    status.writeUInt32BE(code >>> 0);
    this.finish('X', status);
  }

  /** The last frame of the connection, then its end. */
  private finish(kind: 'D' | 'X', payload: Buffer): void {
    this.send(kind, payload);
    this.ended = true;
    this.conn.end();
  }

  private interrupt(): void {
    if (this.interruptHandlers.size === 0) this.interruptedEarly = true;
    for (const handler of [...this.interruptHandlers]) handler();
  }

  private send(kind: string, payload: Buffer): void {
    if (!this.ended && !this.conn.destroyed) this.conn.write(frame(kind, payload));
  }
}

/**
 * Opens cli.sock (mode 0600: made under a 0177 umask, in the daemon's 0700 folder) for the native
 * client; calls are carried out through `daemonSocket`, the daemon's own HTTP door. `track` sees
 * every connection (the daemon's idle clock).
 */
export async function openNativeDoor(opts: {
  socket: string;
  daemonSocket: string;
  build: string;
  track: (conn: Socket) => void;
}): Promise<Server> {
  rmSync(opts.socket, { force: true });
  const server = createServer((conn) => {
    opts.track(conn);
    let io: DoorIo | undefined;
    const timer = setTimeout(() => conn.destroy(), HELLO_TIMEOUT_MS);
    const reader = new FrameReader(
      (kind, payload) => {
        if (io) return io.received(kind, payload);
        clearTimeout(timer);
        const hello = kind === 'H' ? parseHello(payload) : undefined;
        if (!hello) return void conn.destroy();
        io = new DoorIo(conn, hello);
        void serveCall(io, hello, opts);
      },
      () => (io ? 1 << 20 : MAX_HELLO_BYTES),
      () => conn.destroy(),
    );
    conn.on('data', (chunk: Buffer) => reader.push(chunk));
    conn.on('error', () => undefined);
    conn.on('close', () => {
      clearTimeout(timer);
      io?.gone();
    });
  });
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.socket, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  return server;
}

async function serveCall(io: DoorIo, hello: Hello, opts: { daemonSocket: string; build: string }): Promise<void> {
  // Only a client of this checkout, with this daemon's settings, is served: any other is declined
  // and its Node CLI replaces the daemon, as the Node quick path does.
  const plan = sameFolder(hello.root, packageRoot()) && daemonKey(hello.env) === opts.build ? safePlan(hello, io) : undefined;
  if (!plan) return io.decline();
  await carryOutQuickCall(plan, opts.daemonSocket, io);
  io.end(io.exitCode ?? 0);
}

function safePlan(hello: Hello, io: DoorIo) {
  try {
    return planQuickCall(hello.argv, io);
  } catch {
    return undefined; // a file that changed under us: the full CLI says what is wrong
  }
}
