// What to run: the execution spec and its limits, as zod schemas (the runner validates every request
// once with them; the classroom service derives its HTTP schemas from them). Results: results.ts.
import { z } from 'zod';
import { MAX_SOURCE_BYTES, MAX_STDIN_BYTES, MiB } from './sizes';
import { MAX_COMPILE_FLAGS, MAX_COMPILE_FLAG_LENGTH } from './compile-flags';

export { MAX_SOURCE_BYTES, MAX_STDIN_BYTES, MiB } from './sizes';

/** Defaults and hard ceilings of every limit. Ceilings cannot be raised by a request. */
export const LIMITS = {
  cpuMs: { default: 2000, max: 60_000 },
  /** Wall default is derived: 3 x CPU + 1 s. */
  wallMs: { max: 180_000 },
  memoryMb: { default: 256, max: 4096 },
  processes: { default: 64, max: 1024 },
  outputBytes: { default: 1 * MiB, max: 64 * MiB },
  diskMb: { default: 64, max: 1024 },
  openFiles: { default: 64, max: 4096 },
} as const;

const bounded = (max: number) => z.number().int().positive().max(max);

export const Limits = z
  .object({
    cpuMs: bounded(LIMITS.cpuMs.max).default(LIMITS.cpuMs.default),
    wallMs: bounded(LIMITS.wallMs.max).optional(),
    memoryMb: bounded(LIMITS.memoryMb.max).default(LIMITS.memoryMb.default),
    processes: bounded(LIMITS.processes.max).default(LIMITS.processes.default),
    outputBytes: bounded(LIMITS.outputBytes.max).default(LIMITS.outputBytes.default),
    diskMb: bounded(LIMITS.diskMb.max).default(LIMITS.diskMb.default),
    openFiles: bounded(LIMITS.openFiles.max).default(LIMITS.openFiles.default),
  })
  .strict()
  .transform((l) => ({ ...l, wallMs: l.wallMs ?? Math.min(LIMITS.wallMs.max, 3 * l.cpuMs + 1000) }));
export type Limits = z.output<typeof Limits>;
export type LimitsInput = z.input<typeof Limits>;

/** Bytes given in process (a Buffer or any Uint8Array). */
const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes (a Uint8Array) or a string');

/** Text as its UTF-8 bytes, bytes as a Buffer (without copying). */
export function asBuffer(data: string | Uint8Array): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export const SourceFile = z
  .object({
    name: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\\0]+$/, 'a plain file name, without directories')
      .refine((n) => n !== '.' && n !== '..', 'a plain file name'),
    content: z.string().refine((c) => Buffer.byteLength(c) <= MAX_SOURCE_BYTES, `at most ${MAX_SOURCE_BYTES / MiB} MiB`),
  })
  .strict();
export type SourceFile = z.infer<typeof SourceFile>;

/**
 * Extra compiler flags ("-DLOCAL", "-O3"), bounded here and checked against the language's rules
 * (compile-flags.ts) by the runner before anything runs.
 */
export const CompileFlags = z
  .array(
    z
      .string()
      .min(1)
      .max(MAX_COMPILE_FLAG_LENGTH)
      .refine((f) => !f.includes('\0'), 'no NUL'),
  )
  .max(MAX_COMPILE_FLAGS);

export const ExecutionSpec = z
  .object({
    language: z.string().min(1),
    /** The first file is the main one. */
    files: z.array(SourceFile).min(1).max(64),
    /**
     * The program's standard input, as bytes. In process: a string (sent as UTF-8) or bytes; in
     * JSON: a string, or any bytes as `stdinBase64` (one of the two). Parsed, it is always a Buffer.
     */
    stdin: z.union([z.string(), Bytes]).optional(),
    stdinBase64: z.base64().optional(),
    args: z.array(z.string().max(4096)).max(64).default([]),
    /** Extra compiler flags, where the language's compile command has `{flags}` (compile-flags.ts says which). */
    compileFlags: CompileFlags.default([]),
    limits: Limits.default(Limits.parse({})),
    /**
     * Answer an identical earlier run (same language, image, sources, stdin, args, compile flags, limits) from the
     * result cache. Opt-in: whether a program is deterministic cannot be known.
     */
    cache: z.boolean().default(false),
  })
  .strict()
  .transform(({ stdin, stdinBase64, ...spec }, ctx) => {
    if (stdin !== undefined && stdinBase64 !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stdinBase64'], message: 'give stdin or stdinBase64, not both' });
      return z.NEVER;
    }
    const bytes = stdinBase64 !== undefined ? Buffer.from(stdinBase64, 'base64') : asBuffer(stdin ?? '');
    if (bytes.length > MAX_STDIN_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['stdin'],
        message: `stdin at most ${MAX_STDIN_BYTES / MiB} MiB (got ${(bytes.length / MiB).toFixed(1)} MiB)`,
      });
      return z.NEVER;
    }
    return { ...spec, stdin: bytes };
  });
export type ExecutionSpec = z.output<typeof ExecutionSpec>;
export type ExecutionSpecInput = z.input<typeof ExecutionSpec>;
