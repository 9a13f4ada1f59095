// Reading the user's files for the CLI: a missing, odd or oversized file is a usage error that says so.
import { readFileSync, statSync } from 'node:fs';
import { MAX_STDIN_BYTES, MiB } from '../../protocol/sizes';
import { UsageError } from '../errors';
import { processIo, type CliIo } from './io';

/** A source file (text, UTF-8). */
export function readUserFile(file: string, what: string, max: number): string {
  checkUserFile(file, what, max);
  return readFileSync(file, 'utf8');
}

/** A data file (e.g. --stdin), as its exact bytes. */
export function readUserBytes(file: string, what: string, max: number): Buffer {
  checkUserFile(file, what, max);
  return readFileSync(file);
}

function checkUserFile(file: string, what: string, max: number): void {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`${what} ${file} is not a file.`);
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${what} ${file} does not exist (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}).`);
  }
  if (size > max) throw new UsageError(`${what} ${file} is ${(size / MiB).toFixed(1)} MiB; the limit is ${max / MiB} MiB.`);
}

/**
 * The program's input: --stdin FILE; --stdin - or, without --stdin, the caller's own standard input
 * when it is piped or redirected, read whole as bytes (never decoded), refused past the limit. (A
 * terminal is live input instead: see `run`.)
 */
export async function programInput(option: string | undefined, io: CliIo = processIo): Promise<Buffer> {
  if (option !== undefined && option !== '-') return readUserBytes(option, 'Input file', MAX_STDIN_BYTES);
  if (io.stdinIsTTY) io.err("verdict: type the program's input, then Ctrl-D on an empty line (it is sent when you end it).\n");
  return io.readInput(
    MAX_STDIN_BYTES,
    () => new UsageError(`Standard input is over ${MAX_STDIN_BYTES / MiB} MiB, the limit of a program's input.`),
  );
}
