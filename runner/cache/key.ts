// Cache keys: SHA-256 over a canonical encoding of everything that decides the outcome.
import { createHash } from 'node:crypto';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The value with every byte array (stdin, test data) replaced by the hash of its bytes, for JSON:
 * exact (two inputs that differ in one byte get different keys) and cheap for big inputs (JSON of
 * a Buffer would spell out every byte as a number).
 */
function hashingBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return { sha256: sha256(value) };
  if (Array.isArray(value)) return value.map(hashingBytes);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hashingBytes(v)]));
  return value;
}

/** Hashes values in order; strings and buffers are length-prefixed so no two inputs collide by concatenation. */
export function cacheKey(...parts: Array<string | Uint8Array | number | object>): string {
  const h = createHash('sha256');
  for (const part of parts) {
    const bytes =
      part instanceof Uint8Array
        ? part
        : Buffer.from(typeof part === 'string' ? part : typeof part === 'number' ? String(part) : JSON.stringify(hashingBytes(part)));
    h.update(`${bytes.length}:`).update(bytes);
  }
  return h.digest('hex');
}
