/** Names the spec tells judging systems to ignore (".gitignore", ".timelimit", ".git/"). */
export declare const isHidden: (name: string) => boolean;
export declare class PackageFs {
  /** The package root with every symlink resolved; containment is checked against it. */
  readonly root: string;
  constructor(dir: string);
  /** The path as shown in messages: relative to the package root, with "/" separators. */
  shown(rel: string): string;
  /**
   * The real path of `rel` (relative to the root), following symlinks but only to targets inside
   * the package. Returns undefined when nothing is there (and no dangling link either).
   */
  resolve(rel: string): string | undefined;
  /** What is at `rel` after resolving links: a file, a folder, or nothing. */
  kind(rel: string): 'file' | 'dir' | undefined;
  /** The visible entries of folder `rel`, unsorted (callers impose their own order). */
  list(rel: string): string[];
  /** Every visible file below folder `rel`, as paths relative to it. */
  listFilesDeep(rel: string, seen?: Set<string>): string[];
  /** The text of a small config file, or undefined when it does not exist. */
  readConfig(rel: string): string | undefined;
}
