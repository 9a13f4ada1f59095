import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { ArchiveRejected, extractArchive } from '../../runner/service/archive';

// Archives are built here, byte by byte where a real archiver would refuse to make the attack.

interface ZipMember {
  name: string | Buffer;
  data?: Buffer | string;
  deflate?: boolean;
  /** Unix st_mode, stored in the external attributes (0o100644 by default, 0o040755 for a name ending in /). */
  mode?: number;
  /** What the headers claim the unpacked size is (the truth by default). */
  declaredSize?: number;
}

/** A zip file: local headers and data, the central directory, the end record. UTF-8 names. */
function zip(members: ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.isBuffer(m.name) ? m.name : Buffer.from(m.name);
    const data = Buffer.from(m.data ?? '');
    const stored = m.deflate ? deflateRawSync(data, { level: 9 }) : data;
    const method = m.deflate ? 8 : 0;
    const usize = m.declaredSize ?? data.length;
    const mode = m.mode ?? (name.at(-1) === 0x2f ? 0o040755 : 0o100644);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold st_mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(usize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

interface TarMember {
  name: string;
  /** ustar type flag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' folder, '6' FIFO, 'x' pax. */
  type?: string;
  data?: Buffer | string;
  link?: string;
  mode?: number;
}

function tarHeader(m: TarMember, size: number): Buffer {
  const h = Buffer.alloc(512);
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0';
  h.write(m.name, 0, 100);
  h.write(octal(m.mode ?? 0o644, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136);
  h.write(m.type ?? '0', 156);
  h.write(m.link ?? '', 157, 100);
  h.write('ustar\u000000', 257);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** A tar stream (headers, data padded to 512, two zero blocks), gzipped. */
function tgz(members: TarMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    const data = Buffer.from(m.data ?? '');
    parts.push(tarHeader(m, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** A pax record ("LEN key=value\n", LEN counting itself). */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len++;
  return `${len}${body}`;
}

const temps: string[] = [];
const temp = () => {
  temps.push(mkdtempSync(path.join(tmpdir(), 'verdict-archive-')));
  return temps.at(-1)!;
};
after(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
const destIn = (dir: string) => path.join(dir, 'out');

const PACKAGE: Record<string, string> = {
  'problem.yaml': 'name: A plus B\n',
  'data/sample/1.in': '1 2\n',
  'data/sample/1.ans': '3\n',
  'data/secret/1.in': '40 2\n',
  'data/secret/1.ans': '42\n',
};
const PACKAGE_BYTES = Object.values(PACKAGE).reduce((n, s) => n + s.length, 0);

function assertPackage(root: string): void {
  for (const [name, content] of Object.entries(PACKAGE)) {
    assert.equal(readFileSync(path.join(root, name), 'utf8'), content, name);
  }
}

/** A tar.gz made by the tar package from a real folder holding PACKAGE (under `folder`, if given). */
async function realTgz(folder?: string): Promise<Buffer> {
  const src = temp();
  const base = folder ? path.join(src, folder) : src;
  for (const [name, content] of Object.entries(PACKAGE)) {
    mkdirSync(path.dirname(path.join(base, name)), { recursive: true });
    writeFileSync(path.join(base, name), content);
  }
  const file = path.join(temp(), 'p.tar.gz');
  await tar.c({ gzip: true, cwd: src, file }, folder ? [folder] : ['problem.yaml', 'data']);
  return readFileSync(file);
}

/** Expects a refusal whose message matches, and nothing left at dest. */
async function refused(archive: Buffer, message: RegExp, limits = {}): Promise<void> {
  const dest = destIn(temp());
  await assert.rejects(extractArchive(archive, dest, limits), (e: Error) => {
    assert.ok(e instanceof ArchiveRejected, `${e.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
  assert.equal(existsSync(dest), false, 'dest removed after the refusal');
}

test('archive: a package zip extracts with the right bytes, at dest', async () => {
  const dest = destIn(temp());
  const archive = zip([{ name: 'data/' }, ...Object.entries(PACKAGE).map(([name, data]) => ({ name, data, deflate: true }))]);
  const r = await extractArchive(archive, dest);
  assert.deepEqual(r, { files: 5, bytes: PACKAGE_BYTES, root: dest });
  assertPackage(dest);
  assert.equal(statSync(path.join(dest, 'problem.yaml')).mode & 0o777, 0o644);
});

test('archive: a package tar.gz made by tar extracts with the right bytes, at dest', async () => {
  const dest = destIn(temp());
  const r = await extractArchive(await realTgz(), dest);
  assert.deepEqual(r, { files: 5, bytes: PACKAGE_BYTES, root: dest });
  assertPackage(dest);
});

test('archive: a package archived with its folder has that folder as root (zip and tar.gz)', async () => {
  const fromTar = await extractArchive(await realTgz('aplusb'), destIn(temp()));
  assert.equal(path.basename(fromTar.root), 'aplusb');
  assertPackage(fromTar.root);
  const dest = destIn(temp());
  const fromZip = await extractArchive(zip(Object.entries(PACKAGE).map(([name, data]) => ({ name: `aplusb/${name}`, data }))), dest);
  assert.equal(fromZip.root, path.join(dest, 'aplusb'));
  assertPackage(fromZip.root);
});

test("archive: macOS's __MACOSX and ._ files are skipped, so the root is still the package's folder", async () => {
  const dest = destIn(temp());
  const archive = zip([
    { name: 'pkg/problem.yaml', data: 'name: x\n' },
    { name: '__MACOSX/pkg/._problem.yaml', data: 'resource fork' },
    { name: 'pkg/data/._1.in', data: 'resource fork' },
  ]);
  const r = await extractArchive(archive, dest);
  assert.deepEqual(readdirSync(dest), ['pkg']);
  assert.deepEqual(readdirSync(path.join(dest, 'pkg')), ['problem.yaml']);
  assert.equal(r.files, 1);
});

test('archive: paths that leave dest, absolute paths, backslashes, NUL and controls are refused (zip)', async () => {
  const cases: [string | Buffer, RegExp][] = [
    ['../evil', /^\.\.\/evil: a path that leaves the archive$/],
    ['data/../../etc/passwd', /^data\/\.\.\/\.\.\/etc\/passwd: a path that leaves the archive$/],
    ['a/../../b', /a path that leaves the archive/],
    ['/abs', /^\/abs: an absolute path$/],
    ['C:\\x', /an absolute path/],
    ['C:/x', /an absolute path/],
    ['\\\\server\\share\\x', /an absolute path/],
    ['a\\..\\..\\b', /^a\\\.\.\\\.\.\\b: a backslash in the name$/],
    ['a\0b', /^a\\x00b: a NUL byte in the name$/],
    ['a\x1b[2Jb', /^a\\x1b\[2Jb: a control character in the name$/],
    [Buffer.from([0x61, 0xff]), /not valid UTF-8/],
    ['x'.repeat(256), /a name segment over 255 bytes/],
    [('abcdefgh/'.repeat(120) + 'x').slice(0, 1030), /a name over 1024 bytes/],
    [Array.from({ length: 17 }, (_, i) => `d${i}`).join('/'), /more than 16 levels deep/],
  ];
  for (const [name, message] of cases) {
    // A good member first: what was written before the refusal must go too.
    await refused(
      zip([
        { name: 'problem.yaml', data: 'ok' },
        { name, data: 'evil' },
      ]),
      message,
    );
  }
});

test('archive: paths that leave dest, absolute paths and backslashes are refused (tar.gz)', async () => {
  const cases: [string, RegExp][] = [
    ['../evil', /^\.\.\/evil: a path that leaves the archive$/],
    ['./../evil', /a path that leaves the archive/],
    ['a/../../b', /a path that leaves the archive/],
    ['/abs', /^\/abs: an absolute path$/],
    ['a\\b', /a backslash in the name/],
    ['', /a truncated or corrupt tar archive/], // tar requires a path
  ];
  for (const [name, message] of cases) {
    await refused(
      tgz([
        { name: 'problem.yaml', data: 'ok' },
        { name, data: 'evil' },
      ]),
      message,
    );
  }
  // A pax record can give a name longer than the header's 100 bytes, and with `..` in it.
  const long = `${'d/'.repeat(60)}../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../x`;
  await refused(
    tgz([
      { name: 'PaxHeader', type: 'x', data: paxRecord('path', long) },
      { name: 'innocent', data: 'evil' },
    ]),
    /a path that leaves the archive/,
  );
});

test("archive: tar's parser cuts a name at NUL, so a NUL cannot reach a path (pax and header)", async () => {
  const dest = destIn(temp());
  await extractArchive(
    tgz([
      { name: 'PaxHeader', type: 'x', data: paxRecord('path', 'a\0/../../b') },
      { name: 'ignored', data: 'x' },
    ]),
    dest,
  );
  assert.deepEqual(readdirSync(dest), ['a']);
});

test('archive: symbolic links, hard links, devices and FIFOs are refused (tar.gz)', async () => {
  const cases: [TarMember, RegExp][] = [
    [{ name: 'link', type: '2', link: '/etc/passwd' }, /^link: a symbolic link \(only files and folders are allowed\)$/],
    [{ name: 'hard', type: '1', link: 'problem.yaml' }, /^hard: a hard link/],
    [{ name: 'tty', type: '3' }, /^tty: a device file/],
    [{ name: 'sda', type: '4' }, /^sda: a device file/],
    [{ name: 'pipe', type: '6' }, /^pipe: a FIFO/],
    [{ name: 'dump', type: 'D' }, /^dump: a member of type GNUDumpDir/],
    [{ name: 'weird', type: 'Z' }, /^weird: a member of type/],
  ];
  for (const [member, message] of cases) {
    await refused(tgz([{ name: 'problem.yaml', data: 'ok' }, member]), message);
  }
});

test('archive: symbolic links, devices and FIFOs are refused (zip, from the Unix mode)', async () => {
  const cases: [number, RegExp][] = [
    [0o120777, /^x: a symbolic link/],
    [0o020644, /^x: a device file/],
    [0o060644, /^x: a device file/],
    [0o010644, /^x: a FIFO/],
  ];
  for (const [mode, message] of cases) {
    await refused(
      zip([
        { name: 'problem.yaml', data: 'ok' },
        { name: 'x', data: '/etc/passwd', mode },
      ]),
      message,
    );
  }
});

test('archive: a file and a second member of the same name, or a file and a folder, are refused', async () => {
  await refused(
    zip([
      { name: 'a', data: '1' },
      { name: 'a', data: '2' },
    ]),
    /^a: a second member with the same name$/,
  );
  await refused(
    zip([
      { name: 'a/', data: '' },
      { name: './a', data: '2' },
    ]),
    /^\.\/a: a second member with the same name$/,
  );
  await refused(
    zip([
      { name: 'a', data: '1' },
      { name: 'a/b', data: '2' },
    ]),
    /^a\/b: a file and a folder of the same name$/,
  );
  await refused(
    tgz([
      { name: 'a/b', data: '1' },
      { name: 'a', data: '2' },
    ]),
    /^a: a file and a folder of the same name$/,
  );
});

test('archive: a zip bomb is refused by the compression ratio; a small repetitive file is not', async () => {
  const zeros = Buffer.alloc(16 * 1024 * 1024);
  await refused(
    zip([{ name: 'bomb', data: zeros, deflate: true }]),
    /^bomb: the archive unpacks to more than 200 times its size .*: a decompression bomb$/,
  );
  // The same bomb in a tar.gz: refused on the gunzipped stream.
  await refused(tgz([{ name: 'bomb', data: zeros }]), /the archive unpacks to more than 200 times its size/);
  // 1 MiB of zeros is ~1000×, but under the floor where the ratio is judged.
  const dest = destIn(temp());
  const r = await extractArchive(zip([{ name: 'big.in', data: zeros.subarray(0, 1024 * 1024), deflate: true }]), dest);
  assert.equal(r.bytes, 1024 * 1024);
  // With a looser ratio the bomb goes through (the cap is what refuses it above).
  const ok = await extractArchive(zip([{ name: 'bomb', data: zeros, deflate: true }]), destIn(temp()), { maxRatio: 2000 });
  assert.equal(ok.bytes, zeros.length);
});

test("archive: zeros past the tar's end are not inflated (a bomb hiding after the end blocks)", async () => {
  const tarStream = gunzipSync(tgz([{ name: 'problem.yaml', data: 'ok' }]));
  const padded = gzipSync(Buffer.concat([tarStream, Buffer.alloc(64 * 1024 * 1024)]), { level: 9 });
  const dest = destIn(temp());
  assert.deepEqual(await extractArchive(padded, dest), { files: 1, bytes: 2, root: dest });
});

test('archive: the tar stream itself is capped (pax records are unpacked but never written)', async () => {
  const pax = paxRecord('comment', 'c'.repeat(20_000));
  const archive = tgz([
    { name: 'PaxHeader', type: 'x', data: pax },
    { name: 'a', data: '1' },
  ]);
  await refused(archive, /^the archive unpacks to over 13288 bytes of tar stream$/, { maxFiles: 1, maxTotalBytes: 1000 });
  const tooBig = tgz([
    { name: 'PaxHeader', type: 'x', data: paxRecord('comment', 'c'.repeat(1.5 * 1024 * 1024)) },
    { name: 'a', data: '1' },
  ]);
  await refused(tooBig, /^PaxHeader: a header record \(ExtendedHeader\) over tar's cap of 1 MiB$/);
});

test('archive: too many members are refused (zip before reading one; tar.gz as they come)', async () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, data: '' }));
  await refused(zip(many(10_001)), /^the archive has 10001 members, more than 10000$/);
  await refused(zip(many(6)), /more than 5/, { maxFiles: 5 });
  await refused(tgz(many(6)), /^f5: more than 5 members in the archive$/, { maxFiles: 5 });
  const dest = destIn(temp());
  assert.equal((await extractArchive(tgz(many(5)), dest, { maxFiles: 5 })).files, 5);
});

test('archive: a member over the per-file cap is refused, on its header and on its bytes', async () => {
  const big = Buffer.alloc(1001, 'x');
  await refused(zip([{ name: 'big', data: big }]), /^big: a file over 1000 bytes, the cap per file$/, { maxFileBytes: 1000 });
  await refused(tgz([{ name: 'big', data: big }]), /^big: a file over 1000 bytes, the cap per file$/, { maxFileBytes: 1000 });
  // A header that lies: it claims 10 bytes, the deflated data holds 5000.
  await refused(
    zip([{ name: 'liar', data: Buffer.alloc(5000, 'y'), deflate: true, declaredSize: 10 }]),
    /^liar: more data than its header declares \(10 bytes\): a corrupt or forged archive$/,
    { maxFileBytes: 1000 },
  );
  // A header that claims more than there is.
  await refused(
    zip([{ name: 'short', data: 'abc', deflate: true, declaredSize: 100 }]),
    /^short: less data than its header declares \(100 bytes\)/,
  );
});

test('archive: a total over the cap is refused, counted on the bytes written', async () => {
  const k = Buffer.alloc(1000, 'z');
  const limits = { maxTotalBytes: 1500 };
  await refused(
    zip([
      { name: 'a', data: k },
      { name: 'b', data: k, deflate: true },
    ]),
    /^b: the archive unpacks to over 1500 bytes, the cap in all$/,
    limits,
  );
  await refused(
    tgz([
      { name: 'a', data: k },
      { name: 'b', data: k },
    ]),
    /^b: the archive unpacks to over 1500 bytes, the cap in all$/,
    limits,
  );
  const r = await extractArchive(
    zip([
      { name: 'a', data: k },
      { name: 'b', data: k.subarray(0, 500) },
    ]),
    destIn(temp()),
    limits,
  );
  assert.equal(r.bytes, 1500);
});

test('archive: input that is not a zip or a tar.gz is refused, whatever its name', async () => {
  const plainTar = Buffer.concat([tarHeader({ name: 'a' }, 0), Buffer.alloc(1024)]); // a tar, not gzipped
  for (const input of [Buffer.from('hello, world'), Buffer.alloc(0), plainTar, Buffer.from('PK')]) {
    await refused(input, /^not a zip or tar\.gz archive$/);
  }
  await refused(gzipSync('just some text, not a tar'), /^a truncated or corrupt tar archive/);
});

test('archive: a truncated archive is refused with a clear message', async () => {
  const z = zip(Object.entries(PACKAGE).map(([name, data]) => ({ name, data })));
  await refused(z.subarray(0, z.length - 30), /^a truncated or corrupt zip archive \(/);
  const t = await realTgz();
  await refused(t.subarray(0, t.length - 40), /^a truncated or corrupt (gzip stream|tar archive) \(/);
  // The gzip is whole but the tar inside stops in the middle of a member.
  const cut = gunzipPrefix(tgz([{ name: 'a', data: Buffer.alloc(3000, 'a') }]), 1024);
  await refused(cut, /^a truncated or corrupt tar archive \(.*Truncated input/);
});

/** The first n bytes of a tar.gz's tar stream, gzipped again. */
function gunzipPrefix(archive: Buffer, n: number): Buffer {
  return gzipSync(gunzipSync(archive).subarray(0, n));
}

test('archive: a corrupt tar header (bad checksum) is refused, not skipped', async () => {
  const parts = [tarHeader({ name: 'problem.yaml' }, 2), Buffer.from('ok'), Buffer.alloc(510)];
  const bad = tarHeader({ name: 'x' }, 0);
  bad[0] = 'y'.charCodeAt(0); // the checksum no longer matches
  await refused(gzipSync(Buffer.concat([...parts, bad, Buffer.alloc(1024)])), /^a truncated or corrupt tar archive \(.*checksum/);
});

test('archive: only the owner execute bit survives from a member mode (never setuid)', async () => {
  const dest = destIn(temp());
  await extractArchive(
    tgz([
      { name: 'run', data: '#!/bin/sh\n', mode: 0o4777 },
      { name: 'plain', data: 'x', mode: 0o666 },
    ]),
    dest,
  );
  assert.equal(statSync(path.join(dest, 'run')).mode & 0o7777, 0o755);
  assert.equal(statSync(path.join(dest, 'plain')).mode & 0o7777, 0o644);
  const fromZip = destIn(temp());
  await extractArchive(
    zip([
      { name: 'run', data: '#!/bin/sh\n', mode: 0o106777 },
      { name: 'plain', data: 'x', mode: 0o100666 },
    ]),
    fromZip,
  );
  assert.equal(statSync(path.join(fromZip, 'run')).mode & 0o7777, 0o755);
  assert.equal(statSync(path.join(fromZip, 'plain')).mode & 0o7777, 0o644);
});

test('archive: an existing empty dest is used and emptied on refusal; a non-empty one is not touched', async () => {
  const dest = temp();
  await assert.rejects(
    extractArchive(
      zip([
        { name: 'a', data: '1' },
        { name: '../b', data: '2' },
      ]),
      dest,
    ),
    ArchiveRejected,
  );
  assert.deepEqual(readdirSync(dest), []);
  writeFileSync(path.join(dest, 'keep'), 'mine');
  await assert.rejects(extractArchive(zip([{ name: 'a', data: '1' }]), dest), /must be an empty folder/);
  assert.deepEqual(readdirSync(dest), ['keep']);
});
