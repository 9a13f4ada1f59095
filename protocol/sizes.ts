// Size bounds of a request that callers check before anything is sent, kept apart from the zod
// schemas (spec.ts) so that a caller that only reads files (the CLI's quick path) loads no zod.

export const MiB = 1024 * 1024;

/** Sources larger than this are refused before anything runs. */
export const MAX_SOURCE_BYTES = 1 * MiB;
export const MAX_STDIN_BYTES = 256 * MiB;
