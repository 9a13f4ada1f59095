/** Hashes values in order; strings and buffers are length-prefixed so no two inputs collide by concatenation. */
export declare function cacheKey(...parts: Array<string | Uint8Array | number | object>): string;
