// Cache keys: SHA-256 over a canonical encoding of everything that decides the outcome.
import { createHash } from 'node:crypto';

/** Hashes values in order; strings and buffers are length-prefixed so no two inputs collide by concatenation. */
export function cacheKey(...parts: Array<string | Buffer | number | object>): string {
  const h = createHash('sha256');
  for (const part of parts) {
    const bytes = Buffer.isBuffer(part) ? part : Buffer.from(typeof part === 'string' ? part : JSON.stringify(part));
    h.update(`${bytes.length}:`).update(bytes);
  }
  return h.digest('hex');
}
