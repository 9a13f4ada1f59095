// Reading the user's files for the CLI: a missing, odd or oversized file is a usage error that says so.
import { readFileSync, statSync } from 'node:fs';
import { MiB } from '../spec';
import { UsageError } from '../errors';

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
