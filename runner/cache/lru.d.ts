export declare class LruCache<V> {
  private readonly maxBytes;
  private readonly sizeOf;
  private readonly entries;
  private bytes;
  constructor(maxBytes: number, sizeOf: (value: V) => number);
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  get size(): {
    entries: number;
    bytes: number;
  };
}
