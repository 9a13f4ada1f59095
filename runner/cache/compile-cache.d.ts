import type { CompileResult } from '../spec';
/** A file of a box, with its mode: what a compile leaves (binaries, classes) and the cache restores. */
export interface BoxFile {
  name: string;
  mode: number;
  content: Buffer;
}
export interface CompiledArtifacts {
  compile: CompileResult;
  files: BoxFile[];
}
export interface CompileCacheOptions {
  /** Folder of the disk cache; undefined keeps the cache in memory only. */
  dir?: string;
  maxDiskBytes?: number;
  maxMemoryBytes?: number;
}
export declare function defaultCacheDir(): string;
export declare class CompileCache {
  private readonly memory;
  private readonly dir?;
  private readonly maxDiskBytes;
  private diskBytes;
  constructor(options?: CompileCacheOptions);
  get(key: string): CompiledArtifacts | undefined;
  set(key: string, artifacts: CompiledArtifacts): void;
  private measureDisk;
  private diskFiles;
  /** Removes the least recently used files until the cache is at 80 % of its bound. */
  private evictDisk;
}
