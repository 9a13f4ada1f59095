// The input of a live run (▶ Run in VS Code's pseudoterminal): bytes the user types arrive as
// verdict/input notifications and are handed to the runner as they come (RunOptions.liveInput), until
// the end of input (Ctrl-D) or the run ends. An async iterable over a queue: what arrives before the
// runner reads waits, and a reader waits for what has not arrived.
export class LiveInput implements AsyncIterable<Uint8Array> {
  private readonly queued: Uint8Array[] = [];
  private ended = false;
  private wake?: () => void;

  push(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    this.queued.push(bytes);
    this.wake?.();
  }

  /** No more input: the program reads end of file once the queued bytes are read. */
  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const next = this.queued.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
