// Bytes that arrive while someone reads them: a queue as an async iterable that ends on end(). What
// arrives before the reader asks waits; a reader waits for what has not arrived. Live input (the
// editor's pseudoterminal → RunOptions.liveInput) and the judge's relay between an interactor and a
// submission in two containers both hand their bytes on this way.
export class ByteQueue implements AsyncIterable<Uint8Array> {
  private readonly queued: Uint8Array[] = [];
  private ended = false;
  private wake?: () => void;

  push(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    this.queued.push(bytes);
    this.wake?.();
  }

  /** No more bytes: the reader's iteration ends once the queued ones are read. */
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
