// Unpacking a problem package a teacher uploads (a zip or a tar.gz) without believing it.
// An archive names its own members, their types and their sizes, and each is an attack when taken
// at its word: a name with `..` or an absolute path writes outside the folder ("zip slip"); a
// symbolic or hard link points at a file outside that a later member, or the judge, then reads or
// writes through; a device file or FIFO reads the host or blocks the reader; a bomb (a small
// archive that unpacks to gigabytes, or to millions of files) fills the disk; a header lies about
// a member's size. So no library writes anything here: the libraries only parse (yauzl for zip,
// tar's Parser for tar), each member is checked (name, type, count, depth, declared size), then
// written with `fs` as a new regular file (O_EXCL, O_NOFOLLOW, 0644) or folder (0755), counting the
// bytes actually written against the caps. Any refusal removes everything written and throws
// ArchiveRejected, whose message names the member and the rule, for the HTTP answer.

import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { displayText } from '../../protocol/display';
import { MiB } from '../../protocol/spec';

export interface ArchiveLimits {
  /** Members (files and folders) in the archive. */
  maxFiles: number;
  /** Bytes written in all, counted as they are written (not as headers claim). */
  maxTotalBytes: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Path segments in a member's name (`data/secret/1.in` is 3). */
  maxDepth: number;
  /** Bytes unpacked per byte of archive, over the whole archive (a bomb); none when undefined. */
  maxRatio?: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxFiles: 10_000,
  maxTotalBytes: 512 * MiB,
  maxFileBytes: 256 * MiB,
  maxDepth: 16,
  // Test data is text that deflates 2–10× (a package's worst single test, all one number, ~1000×,
  // is diluted by its other tests); zeros deflate ~1030×, so a bomb passes 200 well before the cap.
  maxRatio: 200,
};

/** The ratio is judged only past this many unpacked bytes: a small archive cannot hurt, and a
 *  small package whose only test is one repeated number would otherwise be refused. */
const RATIO_FLOOR = 8 * MiB;
/** Bytes a tar stream may spend per member on headers, pax records and padding (about 1.5 KiB). */
const TAR_OVERHEAD_PER_MEMBER = 4096;
const MAX_NAME_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;

/** The upload is refused; the message names the member (when there is one) and the rule it broke. */
export class ArchiveRejected extends Error {
  override name = 'ArchiveRejected';
  constructor(
    message: string,
    /** The member's name as the archive gives it (unescaped), when one member is at fault. */
    readonly member?: string,
  ) {
    super(message);
  }
}

/** A member's name made safe to show in a message (controls escaped, bounded length). */
function shown(name: string): string {
  const s = displayText(name, { oneLine: true });
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

function refuse(member: string, rule: string): never {
  throw new ArchiveRejected(`${shown(member)}: ${rule}`, member);
}

function size(n: number): string {
  return n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`;
}

/**
 * A member's name as a path relative to the destination ('' for the archive's own `./`), or a
 * refusal. Checked on the name as the archive spells it, before any normalising could hide a trick.
 */
function memberPath(name: string, maxDepth: number): string {
  if (name === '') refuse(name, 'an empty name');
  if (name.includes('\0')) refuse(name, 'a NUL byte in the name');
  if (/^([/\\]|[A-Za-z]:)/.test(name)) refuse(name, 'an absolute path');
  // A backslash is a separator on Windows and to some tools: `a\..\..\x` must not become a path.
  if (name.includes('\\')) refuse(name, 'a backslash in the name');
  // Control characters would forge lines in logs and messages; U+FFFD is what a name that is not
  // UTF-8 decodes to, and two such names could collide.
  if (/[\x00-\x1f\x7f]/.test(name)) refuse(name, 'a control character in the name');
  if (name.includes('\ufffd')) refuse(name, 'a name that is not valid UTF-8');
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) refuse(name, `a name over ${MAX_NAME_BYTES} bytes`);
  // Empty and `.` segments (`./a`, `a//b`, a folder's trailing `/`) are harmless and common.
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) refuse(name, 'a path that leaves the archive');
  if (segments.some((s) => Buffer.byteLength(s) > MAX_SEGMENT_BYTES)) refuse(name, `a name segment over ${MAX_SEGMENT_BYTES} bytes`);
  if (segments.length > maxDepth) refuse(name, `more than ${maxDepth} levels deep`);
  return segments.join('/');
}

/** macOS archivers add resource forks (`__MACOSX/`, `._name`); extracted, `._1.in` would look like a test. */
function isMacMetadata(rel: string): boolean {
  return rel === '__MACOSX' || rel.startsWith('__MACOSX/') || path.posix.basename(rel).startsWith('._');
}

/** Writes checked members into dest, counting against the limits; the one place that touches disk. */
class Extraction {
  files = 0;
  bytes = 0;
  private members = 0;
  private readonly names = new Set<string>();
  private fd: number | undefined;
  private member = '';
  private fileBytes = 0;

  constructor(
    readonly dest: string,
    readonly limits: ArchiveLimits,
    private readonly archiveBytes: number,
  ) {}

  /** Counts and checks a member; its relative path, or undefined when it is to be skipped. */
  private admit(name: string, isDir: boolean): string | undefined {
    const rel = memberPath(name, this.limits.maxDepth);
    if (++this.members > this.limits.maxFiles) refuse(name, `more than ${this.limits.maxFiles} members in the archive`);
    if (rel === '') {
      if (isDir) return undefined; // the archive's own `./`
      refuse(name, 'an empty name');
    }
    if (this.names.has(rel)) refuse(name, 'a second member with the same name');
    this.names.add(rel);
    return isMacMetadata(rel) ? undefined : rel;
  }

  directory(name: string): void {
    const rel = this.admit(name, true);
    if (rel === undefined) return;
    this.makeFolder(name, path.join(this.dest, rel));
  }

  /** Opens a new file for the member; false when the member is skipped (its data is then not wanted). */
  openFile(name: string, declaredBytes: number, executable: boolean): boolean {
    const rel = this.admit(name, false);
    if (rel === undefined) return false;
    // Refuse on the header's claim early; the bytes written are counted again in write().
    this.checkSizes(name, declaredBytes, this.bytes + declaredBytes);
    const file = path.join(this.dest, rel);
    this.makeFolder(name, path.dirname(file));
    try {
      // O_EXCL: never reuse or follow what is there; O_NOFOLLOW: defence in depth (none is made here).
      // Never setuid or world-writable: only the owner's execute bit survives, for validators' scripts.
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      this.fd = openSync(file, flags, executable ? 0o755 : 0o644);
    } catch (e) {
      refuse(name, clash(e));
    }
    this.files++;
    this.member = name;
    this.fileBytes = 0;
    return true;
  }

  write(chunk: Buffer): void {
    this.fileBytes += chunk.length;
    this.bytes += chunk.length;
    this.checkSizes(this.member, this.fileBytes, this.bytes);
    this.checkRatio(this.member, this.bytes);
    for (let off = 0; off < chunk.length;) off += writeSync(this.fd!, chunk, off);
  }

  closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Refuses when `unpacked` bytes (written, or of the decompressed stream) are too many for the archive's size. */
  checkRatio(member: string | undefined, unpacked: number): void {
    const { maxRatio } = this.limits;
    if (maxRatio === undefined || unpacked <= RATIO_FLOOR || unpacked / this.archiveBytes <= maxRatio) return;
    const rule = `the archive unpacks to more than ${maxRatio} times its size (${size(this.archiveBytes)}): a decompression bomb`;
    if (member) refuse(member, rule);
    throw new ArchiveRejected(rule);
  }

  private checkSizes(name: string, fileBytes: number, totalBytes: number): void {
    const { maxFileBytes, maxTotalBytes } = this.limits;
    if (fileBytes > maxFileBytes) refuse(name, `a file over ${size(maxFileBytes)}, the cap per file`);
    if (totalBytes > maxTotalBytes) refuse(name, `the archive unpacks to over ${size(maxTotalBytes)}, the cap in all`);
  }

  private makeFolder(name: string, folder: string): void {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o755 });
    } catch (e) {
      refuse(name, clash(e));
    }
  }
}

function clash(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') return 'a file and a folder of the same name';
  throw e; // the server's disk, not the archive: not the uploader's fault
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** zip: the Unix `st_mode` in the external attributes, when made on Unix or macOS (else 0: other
 *  systems put other things there, and a member is then a file, or a folder when its name ends in /). */
function zipMode(entry: Entry): number {
  const madeBy = entry.versionMadeBy >> 8;
  return madeBy === 3 || madeBy === 19 ? entry.externalFileAttributes >>> 16 : 0;
}

function zipKind(entry: Entry, name: string): 'file' | 'directory' {
  const type = zipMode(entry) & 0o170000;
  if (type === 0o120000) refuse(name, 'a symbolic link (only files and folders are allowed)');
  if (type === 0o020000 || type === 0o060000) refuse(name, 'a device file (only files and folders are allowed)');
  if (type === 0o010000) refuse(name, 'a FIFO (only files and folders are allowed)');
  if (type === 0o140000) refuse(name, 'a socket (only files and folders are allowed)');
  if (type !== 0 && type !== 0o100000 && type !== 0o040000) refuse(name, `an unknown file type ${type.toString(8)}`);
  return name.endsWith('/') || type === 0o040000 ? 'directory' : 'file';
}

async function extractZip(archive: Buffer, out: Extraction): Promise<void> {
  let zip: ZipFile;
  try {
    // Names undecoded: yauzl would turn `\` into `/` and refuse with its own words; memberPath decides.
    zip = await yauzl.fromBufferPromise(archive, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false, autoClose: false });
  } catch (e) {
    throw new ArchiveRejected(`a truncated or corrupt zip archive (${messageOf(e)})`);
  }
  try {
    // The central directory says how many members there are: refuse a million before reading one.
    if (zip.entryCount > out.limits.maxFiles) {
      throw new ArchiveRejected(`the archive has ${zip.entryCount} members, more than ${out.limits.maxFiles}`);
    }
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
      if (zipKind(entry, name) === 'directory') {
        if (entry.uncompressedSize > 0) refuse(name, 'a folder with data');
        out.directory(name);
        continue;
      }
      if (entry.isEncrypted()) refuse(name, 'an encrypted member');
      if (!entry.canDecodeFileData()) refuse(name, `compression method ${entry.compressionMethod} (only stored and deflate are read)`);
      const executable = (zipMode(entry) & 0o100) !== 0;
      if (!out.openFile(name, entry.uncompressedSize, executable)) continue;
      try {
        // Counted as they stream: the header's size is a claim (yauzl also refuses a stream longer
        // than it, validateEntrySizes), and the bytes written are what the caps are about.
        for await (const chunk of await zip.openReadStreamPromise(entry)) out.write(chunk as Buffer);
      } catch (e) {
        if (e instanceof ArchiveRejected) throw e;
        const m = messageOf(e);
        if (m.startsWith('too many bytes'))
          refuse(name, `more data than its header declares (${entry.uncompressedSize} bytes): a corrupt or forged archive`);
        if (m.startsWith('not enough bytes'))
          refuse(name, `less data than its header declares (${entry.uncompressedSize} bytes): a truncated or corrupt archive`);
        refuse(name, `corrupt data (${m})`);
      } finally {
        out.closeFile();
      }
    }
  } catch (e) {
    if (e instanceof ArchiveRejected) throw e;
    throw new ArchiveRejected(`a truncated or corrupt zip archive (${messageOf(e)})`);
  } finally {
    zip.close();
  }
}

const TAR_REFUSED: Record<string, string> = {
  SymbolicLink: 'a symbolic link',
  Link: 'a hard link',
  CharacterDevice: 'a device file',
  BlockDevice: 'a device file',
  FIFO: 'a FIFO',
};

/** tar.gz: gunzipped as a stream into tar's Parser; each entry is checked and written by hand. */
async function extractTarGz(archive: Buffer, out: Extraction): Promise<void> {
  // The gunzipped stream is bounded too: past the tar's end, or in pax records and padding, bytes
  // are not written, so the caps on writing would not stop them.
  const streamCap = out.limits.maxTotalBytes + (out.limits.maxFiles + 2) * TAR_OVERHEAD_PER_MEMBER;
  await new Promise<void>((resolve, reject) => {
    const gunzip = createGunzip();
    // strict: a bad checksum, a truncated entry or garbage is an error, not a warning to skip past.
    const parser = new Parser({ strict: true, brotli: false, zstd: false });
    let settled = false;
    let unpacked = 0;
    let tarEnded = false;
    let parserEnded = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      out.closeFile();
      reject(e);
    };
    const endParser = () => {
      if (parserEnded) return;
      parserEnded = true;
      try {
        parser.end();
      } catch (e) {
        fail(e);
      }
    };

    parser.on('entry', (entry: ReadEntry) => {
      const name = entry.path;
      const refused = TAR_REFUSED[entry.type];
      if (refused) refuse(name, `${refused} (only files and folders are allowed)`);
      if (entry.type === 'Directory') {
        out.directory(name);
        entry.resume();
      } else if (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile') {
        if (!out.openFile(name, entry.size, ((entry.mode ?? 0) & 0o100) !== 0)) return void entry.resume();
        // Written as the parser hands the data over, synchronously, so an error here stops the parse.
        // 'end' first: an empty entry ends as soon as it flows.
        entry.on('end', () => out.closeFile());
        entry.on('data', (chunk: Buffer) => out.write(chunk));
      } else refuse(name, `a member of type ${entry.type} (only files and folders are allowed)`);
    });
    // Types tar does not know, and pax records over its size cap, are "ignored": here, refused.
    parser.on('ignoredEntry', (entry: ReadEntry) => {
      const rule = entry.meta
        ? `a header record (${entry.type}) over tar's cap of 1 MiB`
        : `a member of type ${entry.type} (only files and folders are allowed)`;
      fail(new ArchiveRejected(`${shown(entry.path)}: ${rule}`, entry.path));
    });
    parser.on('eof', () => (tarEnded = true));
    parser.on('error', (e: Error) => fail(new ArchiveRejected(`a truncated or corrupt tar archive (${e.message})`)));
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      resolve();
    });

    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (tarEnded) {
        // After the end-of-archive blocks only padding (or a bomb of zeros): stop inflating.
        gunzip.destroy();
        return endParser();
      }
      unpacked += chunk.length;
      try {
        if (unpacked > streamCap) throw new ArchiveRejected(`the archive unpacks to over ${size(streamCap)} of tar stream`);
        out.checkRatio(undefined, unpacked);
        // Entries and their data are handled inside write(), synchronously: a refusal throws here.
        parser.write(chunk);
      } catch (e) {
        fail(e);
      }
    });
    gunzip.on('end', endParser);
    gunzip.on('error', (e) => fail(new ArchiveRejected(`a truncated or corrupt gzip stream (${e.message})`)));
    gunzip.end(archive);
  });
}

/**
 * Extracts a zip or tar.gz (detected by magic bytes, not by name) into dest (an empty directory it
 * creates; an existing empty one is used). Regular files and directories only. On any refusal
 * everything written is removed (dest too, when made here) and ArchiveRejected is thrown.
 * `root` is the one top-level folder when the package was archived with its folder, else dest.
 */
export async function extractArchive(
  archive: Buffer,
  dest: string,
  limits: Partial<ArchiveLimits> = {},
): Promise<{ files: number; bytes: number; root: string }> {
  const isZip = archive.length >= 4 && archive.readUInt32LE(0) === 0x04034b50; // PK\3\4
  const isEmptyZip = archive.length >= 4 && archive.readUInt32LE(0) === 0x06054b50; // PK\5\6
  const isGzip = archive.length >= 3 && archive[0] === 0x1f && archive[1] === 0x8b && archive[2] === 8;
  if (!isZip && !isEmptyZip && !isGzip) throw new ArchiveRejected('not a zip or tar.gz archive');

  const created = makeDest(dest);
  const out = new Extraction(dest, { ...DEFAULT_ARCHIVE_LIMITS, ...limits }, archive.length);
  try {
    if (isGzip) await extractTarGz(archive, out);
    else await extractZip(archive, out);
  } catch (e) {
    out.closeFile();
    if (created) rmSync(dest, { recursive: true, force: true });
    else for (const name of readdirSync(dest)) rmSync(path.join(dest, name), { recursive: true, force: true });
    throw e;
  }
  return { files: out.files, bytes: out.bytes, root: packageRoot(dest) };
}

/** Makes dest; true when made here, false when it was there already, empty. */
function makeDest(dest: string): boolean {
  mkdirSync(path.dirname(dest), { recursive: true });
  try {
    mkdirSync(dest, { mode: 0o755 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (!lstatSync(dest).isDirectory() || readdirSync(dest).length > 0) {
    throw new Error(`${dest} must be an empty folder (or not exist) to extract an archive into`);
  }
  return false;
}

/** The one top-level folder, when everything is in one (a package zipped with its folder). */
function packageRoot(dest: string): string {
  const top = readdirSync(dest, { withFileTypes: true });
  return top.length === 1 && top[0]!.isDirectory() ? path.join(dest, top[0]!.name) : dest;
}
