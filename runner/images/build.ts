// Builds Verdict's images: the Debian root file system (pulled where a registry answers, otherwise
// made locally with debootstrap for air-gapped machines), the base with the supervisor, and one
// image per language recipe. Every image is labelled with a hash of its recipe and its parent's id,
// so a rebuild with nothing changed only inspects images and takes seconds.
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LanguageDefinition } from '../languages';
import { BASE_IMAGE, RECIPE_LABEL, ROOTFS_IMAGE, imageName } from './names';
import { describeDockerError, isNotFound } from '../sandbox/docker';

// Two levels up both from the sources (runner/images) and from the bundle (dist/runner).
export const REPO_ROOT = path.resolve(__dirname, '../..');
const RECIPES_DIR = path.join(REPO_ROOT, 'languages', 'images');
const BASE_RECIPE = 'runner/images/base.Dockerfile';
/** The supervisor's sources (C files and their header), part of the base image's content hash. */
function supervisorSources(): string[] {
  return readdirSync(path.join(REPO_ROOT, 'supervisor'))
    .filter((f) => /\.[ch]$/.test(f))
    .sort()
    .map((f) => `supervisor/${f}`);
}
const PULLED_BASE = 'debian:bookworm-slim';

export type RootfsSource = 'auto' | 'pull' | 'debootstrap';

/**
 * Images built at once. Most of a build is waiting for Debian's mirror and unpacking, not compiling:
 * three at a time keep two cores busy (docs/languages.md has the times).
 */
const DEFAULT_PARALLEL = 3;

export interface BuildOptions {
  rootfs?: RootfsSource;
  debianMirror?: string;
  /** Images built at once. */
  parallel?: number;
  /** Progress events, one line each; the CLI renders them. */
  onProgress?: (event: BuildEvent) => void;
}

export type BuildEvent =
  | { image: string; kind: 'start' | 'cached' }
  | { image: string; kind: 'step'; step: number; steps: number; text: string }
  | { image: string; kind: 'log'; text: string }
  | { image: string; kind: 'done'; seconds: number };

export interface BuiltImage {
  image: string;
  status: 'built' | 'cached';
  seconds: number;
}

export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

export async function buildImages(docker: Docker, languages: LanguageDefinition[], options: BuildOptions = {}): Promise<BuiltImage[]> {
  const emit = options.onProgress ?? (() => undefined);
  const results: BuiltImage[] = [];
  results.push(await ensureRootfs(docker, options, emit));

  const rootfsId = (await docker.getImage(ROOTFS_IMAGE).inspect()).Id;
  results.push(
    await buildRecipe(docker, {
      image: BASE_IMAGE,
      context: REPO_ROOT,
      dockerfile: BASE_RECIPE,
      files: [BASE_RECIPE, ...supervisorSources()],
      buildargs: { ROOTFS: ROOTFS_IMAGE },
      parentId: rootfsId,
      emit,
    }),
  );

  const baseId = (await docker.getImage(BASE_IMAGE).inspect()).Id;
  // A recipe waits for its parent (the base, or another language's image: Fortran's is GCC's), then
  // for one of `parallel` build slots; every image a selected one is built FROM is built too.
  const slots = new Slots(Math.max(1, options.parallel ?? DEFAULT_PARALLEL));
  const builds = new Map<string, Promise<void>>();
  const build = (recipe: string): Promise<void> => {
    let done = builds.get(recipe);
    if (done) return done;
    done = (async () => {
      const file = `${recipe}.Dockerfile`;
      if (!existsSync(path.join(RECIPES_DIR, file))) throw new ImageBuildError(`Missing image recipe languages/images/${file}.`);
      const parent = recipeParent(recipe);
      if (parent) await build(parent);
      const parentImage = parent ? imageName(parent) : BASE_IMAGE;
      const parentId = parent ? (await docker.getImage(parentImage).inspect()).Id : baseId;
      // Up to date: known from the recipe and the parent alone, without a slot or a build context.
      const image = imageName(recipe);
      if ((await labelOf(docker, image)) === recipeHash(RECIPES_DIR, [file], parentId)) {
        emit({ image, kind: 'cached' });
        results.push({ image, status: 'cached', seconds: 0 });
        return;
      }
      await slots.acquire();
      const context = languageContext(file);
      try {
        results.push(
          await buildRecipe(docker, {
            image,
            context,
            dockerfile: file,
            files: [file, EXTRA_CA_FILE],
            hashed: [file],
            buildargs: { BASE: parentImage, ROOT: BASE_IMAGE },
            parentId,
            emit,
          }),
        );
      } finally {
        rmSync(context, { recursive: true, force: true });
        slots.release();
      }
    })();
    builds.set(recipe, done);
    return done;
  };
  await Promise.all([...new Set(languages.map((l) => l.image))].map(build));
  return results;
}

/**
 * The language image a recipe is built FROM, when it is not the base: a recipe declares it as the
 * default of its BASE argument (`ARG BASE=verdict/gcc:latest`), and the builder passes the same
 * image. Such images share their parent's layers (C, C++, Fortran, D and Nim share GCC's).
 */
export function recipeParent(recipe: string): string | undefined {
  const text = readFileSync(path.join(RECIPES_DIR, `${recipe}.Dockerfile`), 'utf8');
  const parent = /^ARG BASE=verdict\/([a-z0-9-]+):latest\s*$/m.exec(text)?.[1];
  return parent === undefined || parent === 'base' ? undefined : parent;
}

/** At most n holders at once. */
class Slots {
  private readonly waiting: Array<() => void> = [];
  constructor(private free: number) {}
  async acquire(): Promise<void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/**
 * Behind a TLS-inspecting proxy, recipes that fetch over HTTPS (npm) need its CA. Every language
 * build context holds `extra-ca.pem`: the PEM file named by VERDICT_EXTRA_CA_CERTS or Node's own
 * NODE_EXTRA_CA_CERTS, else the host's CA bundle (which holds any CA the host was told to trust). Recipes may COPY it into a throw-away stage; it is not part
 * of the recipe hash (it changes where things are fetched from, not what is built).
 */
export const EXTRA_CA_FILE = 'extra-ca.pem';
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

function languageContext(recipe: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-build-'));
  copyFileSync(path.join(RECIPES_DIR, recipe), path.join(dir, recipe));
  const ca = process.env.VERDICT_EXTRA_CA_CERTS ?? process.env.NODE_EXTRA_CA_CERTS ?? HOST_CA_BUNDLE;
  writeFileSync(path.join(dir, EXTRA_CA_FILE), ca && existsSync(ca) ? readFileSync(ca) : '');
  return dir;
}

/** The hash an image is labelled with: its recipe files and its parent image. */
export function recipeHash(context: string, files: string[], parentId: string): string {
  const h = createHash('sha256');
  h.update(parentId);
  for (const f of files) h.update(`\0${f}\0`).update(readFileSync(path.join(context, f)));
  return h.digest('hex');
}

async function labelOf(docker: Docker, image: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(image).inspect()).Config?.Labels?.[RECIPE_LABEL];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

interface Recipe {
  image: string;
  context: string;
  dockerfile: string;
  files: string[];
  /** The files whose content names the image (default: all of `files`). */
  hashed?: string[];
  buildargs: Record<string, string>;
  parentId: string;
  emit: (e: BuildEvent) => void;
}

async function buildRecipe(docker: Docker, r: Recipe): Promise<BuiltImage> {
  const hash = recipeHash(r.context, r.hashed ?? r.files, r.parentId);
  if ((await labelOf(docker, r.image)) === hash) {
    r.emit({ image: r.image, kind: 'cached' });
    return { image: r.image, status: 'cached', seconds: 0 };
  }
  r.emit({ image: r.image, kind: 'start' });
  const started = Date.now();
  const stream = await docker.buildImage(
    { context: r.context, src: r.files },
    {
      t: r.image,
      dockerfile: r.dockerfile,
      buildargs: r.buildargs,
      labels: { [RECIPE_LABEL]: hash },
      networkmode: 'host',
      rm: true,
      forcerm: true,
    },
  );
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: { stream?: string; error?: string; errorDetail?: { message?: string } }) => {
        if (event.error) return reject(new ImageBuildError(`Building ${r.image} failed: ${event.error}\n${tail.join('')}`));
        const text = event.stream ?? '';
        if (!text.trim()) return;
        tail.push(text);
        if (tail.length > 30) tail.shift();
        const step = /^Step (\d+)\/(\d+) : (.*)/.exec(text);
        if (step) r.emit({ image: r.image, kind: 'step', step: Number(step[1]), steps: Number(step[2]), text: step[3]!.trim() });
        else r.emit({ image: r.image, kind: 'log', text: text.trimEnd() });
      },
    );
  }).catch((err) => {
    throw err instanceof ImageBuildError
      ? err
      : new ImageBuildError(`Building ${r.image} failed: ${describeDockerError(err)}\n${tail.join('')}`);
  });
  if ((await labelOf(docker, r.image)) !== hash) throw new ImageBuildError(`Building ${r.image} produced no image.\n${tail.join('')}`);
  const seconds = (Date.now() - started) / 1000;
  r.emit({ image: r.image, kind: 'done', seconds });
  return { image: r.image, status: 'built', seconds };
}

async function ensureRootfs(docker: Docker, options: BuildOptions, emit: (e: BuildEvent) => void): Promise<BuiltImage> {
  const image = ROOTFS_IMAGE;
  try {
    await docker.getImage(image).inspect();
    emit({ image, kind: 'cached' });
    return { image, status: 'cached', seconds: 0 };
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  emit({ image, kind: 'start' });
  const started = Date.now();
  const source = options.rootfs ?? 'auto';
  let pulled = false;
  if (source !== 'debootstrap') {
    try {
      await pull(docker, PULLED_BASE, (text) => emit({ image, kind: 'log', text }));
      const [repo, tag] = image.split(':');
      await docker.getImage(PULLED_BASE).tag({ repo: repo!, tag: tag! });
      pulled = true;
    } catch (err) {
      if (source === 'pull') throw new ImageBuildError(`Pulling ${PULLED_BASE} failed: ${describeDockerError(err)}`);
      emit({
        image,
        kind: 'log',
        text: `No registry answered (${describeDockerError(err)}); making the root file system with debootstrap.`,
      });
    }
  }
  if (!pulled)
    await debootstrap(docker, options.debianMirror ?? 'http://deb.debian.org/debian', (text) => emit({ image, kind: 'log', text }));
  const seconds = (Date.now() - started) / 1000;
  emit({ image, kind: 'done', seconds });
  return { image, status: 'built', seconds };
}

async function pull(docker: Docker, ref: string, log: (text: string) => void): Promise<void> {
  const stream = await docker.pull(ref);
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (e: { status?: string; id?: string }) => e.status && !e.id && log(e.status),
    ),
  );
}

/** debootstrap into a temporary folder, then `docker import` it. Needs root and Debian's debootstrap. */
async function debootstrap(docker: Docker, mirror: string, log: (text: string) => void): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new ImageBuildError(
      'Making the root file system with debootstrap needs root: run `sudo npx verdict images build`, or give Docker a registry to pull debian:bookworm-slim from.',
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-rootfs-'));
  try {
    await runLogged('debootstrap', ['--variant=minbase', 'bookworm', dir, mirror], log).catch((err: Error) => {
      throw new ImageBuildError(
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'debootstrap is not installed: `sudo apt-get install debootstrap` (or give Docker a registry to pull from).'
          : `debootstrap failed: ${err.message}`,
      );
    });
    log('Importing the root file system into Docker');
    const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = ROOTFS_IMAGE.split(':');
    const stream = await docker.importImage(tar.stdout as unknown as string, { repo, tag });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runLogged(cmd: string, args: string[], log: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-2000);
      for (const line of b.toString().split('\n')) if (line.trim()) log(line.trim());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${tail}`))));
  });
}
