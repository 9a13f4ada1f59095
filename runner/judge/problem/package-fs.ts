// Reading a problem package's files from the user's own disk (the CLI, the editor): symlinks are
// followed wherever they lead, as contest repositories link shared headers and libraries from
// outside the package; the user can read those files anyway. A dangling link is an error naming it.
// Archives uploaded to a server never get here with links in them (runner/service/archive.ts
// refuses links when it unpacks).
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors';

/** Config files larger than this are refused: no real problem.yaml comes close, and parsing is not free. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Names the spec tells judging systems to ignore (".gitignore", ".timelimit", ".git/"). */
export const isHidden = (name: string): boolean => name.startsWith('.');

export class PackageFs {
  /** The package root with every symlink resolved; containment is checked against it. */
  readonly root: string;

  constructor(dir: string) {
    const abs = path.resolve(dir);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      throw new UsageError(`${abs}: no such problem package folder`);
    }
    if (!fs.statSync(real).isDirectory()) throw new UsageError(`${abs}: a problem package must be a folder`);
    this.root = real;
  }

  /** The path as shown in messages: relative to the package root, with "/" separators. */
  shown(rel: string): string {
    return rel.split(path.sep).join('/');
  }

  /**
   * The real path of `rel` (relative to the root), following symlinks wherever they lead. Returns
   * undefined when nothing is there; a dangling link is a UsageError naming it and its target.
   */
  resolve(rel: string): string | undefined {
    const abs = path.join(this.root, rel);
    let target: string | undefined;
    try {
      if (fs.lstatSync(abs).isSymbolicLink()) target = fs.readlinkSync(abs);
    } catch {
      // Nothing at `abs` itself; a parent may still be a dangling link, which realpath reports below.
    }
    try {
      return fs.realpathSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (target !== undefined) {
        throw new UsageError(
          `${this.shown(rel)}: the symlink is dangling: its target ${target} ${code === 'ELOOP' ? 'is a loop of links' : 'does not exist'}`,
        );
      }
      if (code === 'EACCES') throw new UsageError(`${this.shown(rel)}: cannot be read (permission denied)`);
      return undefined;
    }
  }

  /** What is at `rel` after resolving links: a file, a folder, or nothing. */
  kind(rel: string): 'file' | 'dir' | undefined {
    const real = this.resolve(rel);
    if (real === undefined) return undefined;
    const st = fs.statSync(real);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
  }

  /** The visible entries of folder `rel`, unsorted (callers impose their own order). */
  list(rel: string): string[] {
    const real = this.resolve(rel);
    if (real === undefined) return [];
    return fs.readdirSync(real).filter((n) => !isHidden(n));
  }

  /** Every visible file below folder `rel`, as paths relative to it. */
  listFilesDeep(rel: string, seen = new Set<string>()): string[] {
    const real = this.resolve(rel)!;
    if (seen.has(real)) throw new UsageError(`${this.shown(rel)}: symlinks form a cycle`);
    seen.add(real);
    const files: string[] = [];
    for (const name of this.list(rel).sort()) {
      const child = path.join(rel, name);
      const k = this.kind(child);
      if (k === 'file') files.push(name);
      else if (k === 'dir') for (const f of this.listFilesDeep(child, seen)) files.push(`${name}/${f}`);
    }
    seen.delete(real);
    return files;
  }

  /** The text of a small config file, or undefined when it does not exist. */
  readConfig(rel: string): string | undefined {
    const k = this.kind(rel);
    if (k === undefined) return undefined;
    if (k !== 'file') throw new UsageError(`${this.shown(rel)}: must be a file`);
    const real = this.resolve(rel)!;
    if (fs.statSync(real).size > MAX_CONFIG_BYTES)
      throw new UsageError(`${this.shown(rel)}: larger than ${MAX_CONFIG_BYTES / 1024} KiB; is it really a config file?`);
    return fs.readFileSync(real, 'utf8');
  }
}
