// The compile cache: what a compile left in the box (binary, classes, and its own sources) plus the
// compiler's verdict and output, keyed by content (image id, language, command, environment,
// sources). Kept outside any sandbox — in memory and on disk, so a CLI process per command profits
// too — bounded in size with least-recently-used eviction. The image id in the key means artifacts
// are never shared between differently built images.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { encodeMessage, MessageDecoder, type Field } from '../sandbox/wire';
import type { CompileResult } from '../spec';
import { LruCache } from './lru';
import { log } from '../log';

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

export function defaultCacheDir(): string {
  return process.env.VERDICT_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'verdict');
}

const sizeOf = (a: CompiledArtifacts) => a.files.reduce((s, f) => s + f.content.length + f.name.length, 0) + a.compile.output.length + 64;

export class CompileCache {
  private readonly memory: LruCache<CompiledArtifacts>;
  private readonly dir?: string;
  private readonly maxDiskBytes: number;
  private diskBytes: number | undefined;

  constructor(options: CompileCacheOptions = {}) {
    this.memory = new LruCache(options.maxMemoryBytes ?? 128 * 1024 * 1024, sizeOf);
    this.dir = options.dir;
    this.maxDiskBytes = options.maxDiskBytes ?? 512 * 1024 * 1024;
  }

  get(key: string): CompiledArtifacts | undefined {
    const hit = this.memory.get(key);
    if (hit || !this.dir) return hit;
    const file = path.join(this.dir, `${key}.bin`);
    try {
      const artifacts = decode(readFileSync(file));
      const now = new Date();
      utimesSync(file, now, now); // recency for eviction
      this.memory.set(key, artifacts);
      return artifacts;
    } catch {
      return undefined;
    }
  }

  set(key: string, artifacts: CompiledArtifacts): void {
    this.memory.set(key, artifacts);
    if (!this.dir) return;
    const file = path.join(this.dir, `${key}.bin`);
    const partial = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      const data = encode(artifacts);
      writeFileSync(partial, data);
      renameSync(partial, file); // atomic: concurrent runners never read half a file
      this.diskBytes = (this.diskBytes ?? this.measureDisk()) + data.length;
      if (this.diskBytes > this.maxDiskBytes) this.evictDisk();
    } catch (err) {
      rmSync(partial, { force: true }); // a full disk leaves no half-written file behind
      log.warn({ err: (err as Error).message, dir: this.dir }, 'compile cache: cannot write to disk');
    }
  }

  private measureDisk(): number {
    return this.diskFiles().reduce((s, f) => s + f.size, 0);
  }

  private diskFiles(): Array<{ file: string; size: number; used: number }> {
    if (!this.dir) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.bin'))
      .flatMap((f) => {
        try {
          const st = statSync(path.join(this.dir!, f));
          return [{ file: path.join(this.dir!, f), size: st.size, used: st.mtimeMs }];
        } catch {
          return [];
        }
      });
  }

  /** Removes the least recently used files until the cache is at 80 % of its bound. */
  private evictDisk(): void {
    const files = this.diskFiles().sort((a, b) => a.used - b.used);
    let total = files.reduce((s, f) => s + f.size, 0);
    for (const f of files) {
      if (total <= this.maxDiskBytes * 0.8) break;
      rmSync(f.file, { force: true });
      total -= f.size;
    }
    this.diskBytes = total;
  }
}

function encode(a: CompiledArtifacts): Buffer {
  const fields: Field[] = [
    ['status', a.compile.status],
    ['output', a.compile.output],
    ['time_ms', a.compile.timeMs],
  ];
  for (const f of a.files) fields.push(['path', f.name], ['mode', f.mode.toString(8)], ['data', f.content]);
  return encodeMessage(fields);
}

function decode(data: Buffer): CompiledArtifacts {
  const [message] = new MessageDecoder().push(data);
  if (!message) throw new Error('truncated cache entry');
  const files: BoxFile[] = [];
  let name = '';
  let mode = 0o644;
  for (const [key, value] of message.all) {
    if (key === 'path') name = value.toString('utf8');
    if (key === 'mode') mode = parseInt(value.toString(), 8);
    if (key === 'data') files.push({ name, mode, content: value });
  }
  const status = message.text('status');
  if (status !== 'OK' && status !== 'Compile Error') throw new Error('bad cache entry');
  return { compile: { status, output: message.text('output'), timeMs: message.num('time_ms') }, files };
}
