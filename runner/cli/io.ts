// Where a CLI command's words go and its input comes from: this process's own streams, or — for the
// native client (runner/cli/native/verdict.c), whose command the daemon carries out for it — the
// client's, over its socket (runner/daemon/native-door.ts). The commands that run in both places
// (the quick path, and what it prints through follow.ts) take one of these instead of `process`.

export interface CliIo {
  /** The caller's working folder: relative paths in its arguments are relative to it. */
  readonly cwd: string;
  /** The caller's environment (VERDICT_DAEMON, and the settings a daemon must match). */
  readonly env: NodeJS.ProcessEnv;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  out(text: string): void;
  err(text: string): void;
  /** All of standard input, as bytes; rejects past `max` with `tooLong`'s error. */
  readInput(max: number, tooLong: () => Error): Promise<Buffer>;
  /** The exit status the command will end with (last set wins, as process.exitCode). */
  exitCode: number | undefined;
  /** Calls `handler` on each interrupt (Ctrl-C) until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** Ends the command at once (a second Ctrl-C). */
  exitNow(code: number): void;
}

/** This process's streams. */
export const processIo: CliIo = {
  get cwd() {
    return process.cwd();
  },
  get env() {
    return process.env;
  },
  get stdinIsTTY() {
    return Boolean(process.stdin.isTTY);
  },
  get stderrIsTTY() {
    return Boolean(process.stderr.isTTY);
  },
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  async readInput(max, tooLong) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw tooLong();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  },
  get exitCode() {
    return typeof process.exitCode === 'number' ? process.exitCode : undefined;
  },
  set exitCode(code) {
    process.exitCode = code;
  },
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    return () => void process.off('SIGINT', handler);
  },
  exitNow: (code) => process.exit(code),
};
