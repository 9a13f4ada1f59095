// The execution spec (what to run) and the run result (what happened): the runner's protocol
// types, defined once as zod schemas and shared by the CLI, the language server and the service.
import { z } from 'zod';

export const MiB = 1024 * 1024;

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

/** Compilers get their own, larger budget unless the language definition says otherwise. */
export const COMPILE_LIMITS = { cpuMs: 10_000, memoryMb: 512, processes: 128, openFiles: 256, outputBytes: 1 * MiB, diskMb: 256 };

/** Sources larger than this are refused before anything runs. */
export const MAX_SOURCE_BYTES = 1 * MiB;
export const MAX_STDIN_BYTES = 256 * MiB;

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
    limits: Limits.default(Limits.parse({})),
    /**
     * Answer an identical earlier run (same language, image, sources, stdin, args, limits) from the
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
      ctx.addIssue({ code: 'custom', path: ['stdin'], message: `stdin at most ${MAX_STDIN_BYTES / MiB} MiB (got ${(bytes.length / MiB).toFixed(1)} MiB)` });
      return z.NEVER;
    }
    return { ...spec, stdin: bytes };
  });
export type ExecutionSpec = z.output<typeof ExecutionSpec>;
export type ExecutionSpecInput = z.input<typeof ExecutionSpec>;

export const STATUSES = [
  'Accepted',
  'Wrong Answer',
  'Compile Error',
  'Runtime Error',
  'Time Limit Exceeded',
  'Memory Limit Exceeded',
  'Output Limit Exceeded',
  'Internal Error',
] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

export const CompileResult = z.object({
  status: z.enum(['OK', 'Compile Error', 'Internal Error']),
  output: z.string(),
  timeMs: z.number(),
  /** The artifacts came from the compile cache (timeMs is the original compile's). */
  cached: z.boolean().optional(),
});
export type CompileResult = z.infer<typeof CompileResult>;

export const RunResult = z.object({
  status: Status,
  exitCode: z.number().int().nullable(),
  /** Name of the signal that ended the program, e.g. "SIGSEGV". */
  signal: z.string().nullable(),
  /**
   * The program's output as text (UTF-8; a byte that is not UTF-8 reads as U+FFFD). When the output
   * is not valid UTF-8, its exact bytes are in stdoutBase64 / stderrBase64 too (only then).
   */
  stdout: z.string(),
  stderr: z.string(),
  stdoutBase64: z.string().optional(),
  stderrBase64: z.string().optional(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  /** CPU time (user + sys) of every process of the submission: the program, its threads and its children, reaped or not. */
  timeMs: z.number(),
  wallMs: z.number(),
  /**
   * Peak memory of the submission: the larger of its metered peak (anonymous + shared memory of all
   * its processes, tmpfs files, SysV segments, memfds) and the largest single-process peak RSS.
   * Measured for killed runs too. See docs/design.md, "What counts as memory".
   */
  memoryKb: z.number(),
  compile: CompileResult.optional(),
  /** Why, in words, for everything but a plain Accepted. */
  message: z.string().optional(),
  /** Answered from the result cache (the spec asked for it). */
  cached: z.boolean().optional(),
  runId: z.string(),
});
export type RunResult = z.infer<typeof RunResult>;

/** The exact bytes of a result's stdout or stderr (from the base64 field when the text is not exact). */
export function outputBytes(result: Pick<RunResult, 'stdout' | 'stderr' | 'stdoutBase64' | 'stderrBase64'>, stream: 'stdout' | 'stderr'): Buffer {
  const base64 = stream === 'stdout' ? result.stdoutBase64 : result.stderrBase64;
  return base64 !== undefined ? Buffer.from(base64, 'base64') : Buffer.from(result[stream], 'utf8');
}

/** How a result's memoryKb is shown everywhere (CLI, language server, extension): "548 KB", "3.1 MB". */
export function formatMemory(kb: number): string {
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} KB`;
}
