// The warm pool: language containers kept running so that no container is created on the
// request path. A container serves one submission at a time, is reset (its box emptied) before
// it serves another, and is destroyed after `maxUses` submissions or at once after any anomaly.
// The pool owns every container it made and removes them all on close(); at start it reaps
// containers left behind by runners that died.
import type Docker from 'dockerode';
import { SandboxContainer, LABEL_HOST, LABEL_OWNER, LABEL_PID, type ContainerShape } from './container';
import { hostname } from 'node:os';
import { isNotFound } from './docker';
import { log } from '../log';

export interface PoolSettings {
  /** Submissions a container serves before it is replaced. */
  maxUses: number;
  /** Containers running submissions at once (the rest wait). */
  maxBusy: number;
  /** Idle containers kept per shape once a shape has been used. */
  idlePerShape: number;
  /** Idle containers are removed after this long unused (0 = never). */
  idleTimeoutMs: number;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = { maxUses: 200, maxBusy: 2, idlePerShape: 1, idleTimeoutMs: 5 * 60_000 };

type ShapeRequest = Omit<ContainerShape, 'owner'>;

interface Idle {
  container: SandboxContainer;
  since: number;
}

export class ContainerPool {
  private readonly idle = new Map<string, Idle[]>();
  private readonly all = new Set<SandboxContainer>();
  private readonly warming = new Map<string, Promise<void>>();
  private busy = 0;
  private readonly waiters: Array<() => void> = [];
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly docker: Docker,
    readonly owner: string,
    private readonly settings: PoolSettings = DEFAULT_POOL_SETTINGS,
  ) {
    if (settings.idleTimeoutMs > 0) {
      this.sweeper = setInterval(() => void this.sweep(), Math.min(settings.idleTimeoutMs, 30_000));
      this.sweeper.unref();
    }
  }

  /** Takes a clean container of this shape, waiting for a free slot; creates one only if none is warm. */
  async acquire(shape: ShapeRequest): Promise<SandboxContainer> {
    await this.slot();
    try {
      const key = shapeKey(shape);
      const list = this.idle.get(key) ?? [];
      let entry: Idle | undefined;
      while ((entry = list.pop())) {
        if (entry.container.alive) break;
        this.forget(entry.container);
      }
      const container = entry?.container ?? (await this.create(shape));
      // Keep a spare warm for the next request, off this request's path.
      if (list.length < this.settings.idlePerShape) this.warm(shape);
      return container;
    } catch (err) {
      this.freeSlot();
      throw err;
    }
  }

  /** Gives a container back: reset and reused when healthy and not worn out, destroyed otherwise. */
  release(container: SandboxContainer, healthy: boolean): Promise<void> {
    this.freeSlot();
    container.uses++;
    if (!healthy || !container.alive || container.uses >= this.settings.maxUses || this.closed) {
      const reason = !healthy || !container.alive ? 'anomaly' : this.closed ? 'closing' : 'worn out';
      log.info({ container: container.id, language: container.shape.language, uses: container.uses, reason }, 'container retired');
      return this.discard(container);
    }
    return container
      .request([['op', 'reset']], 30_000)
      .then((m) => {
        if (m.text('status') !== 'ok' || this.closed) return this.discard(container);
        const key = shapeKey(container.shape);
        const list = this.idle.get(key) ?? [];
        if (list.length >= Math.max(1, this.settings.idlePerShape)) return this.discard(container);
        list.push({ container, since: Date.now() });
        this.idle.set(key, list);
      })
      .catch(() => this.discard(container));
  }

  /** Starts a container of this shape in the background, unless one is already warming. */
  warm(shape: ShapeRequest): void {
    const key = shapeKey(shape);
    if (this.warming.has(key) || this.closed) return;
    const job = this.create(shape)
      .then((c) => {
        if (this.closed) return this.discard(c);
        const list = this.idle.get(key) ?? [];
        list.push({ container: c, since: Date.now() });
        this.idle.set(key, list);
      })
      .catch(() => undefined)
      .finally(() => this.warming.delete(key));
    this.warming.set(key, job);
  }

  /** Removes every container this pool made. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.allSettled([...this.warming.values()]);
    await Promise.allSettled([...this.all].map((c) => this.discard(c)));
    this.idle.clear();
  }

  get size(): { total: number; idle: number; busy: number } {
    let idle = 0;
    for (const list of this.idle.values()) idle += list.length;
    return { total: this.all.size, idle, busy: this.busy };
  }

  /** Removes containers whose runner process is gone (it crashed), and those of this owner. */
  static async reapLeftovers(docker: Docker, ownOwner?: string): Promise<number> {
    const containers = await docker.listContainers({ all: true, filters: { label: [LABEL_OWNER] } });
    let reaped = 0;
    for (const info of containers) {
      const labels = info.Labels ?? {};
      const pid = Number(labels[LABEL_PID]);
      const sameHost = labels[LABEL_HOST] === hostname();
      const orphan = labels[LABEL_OWNER] === ownOwner || (sameHost && !processAlive(pid));
      if (!orphan) continue;
      log.info({ container: info.Id.slice(0, 12), owner: labels[LABEL_OWNER] }, 'reaping a leftover container');
      await docker
        .getContainer(info.Id)
        .remove({ force: true })
        .then(() => reaped++)
        .catch((err) => {
          if (!isNotFound(err)) throw err;
        });
    }
    return reaped;
  }

  private async create(shape: ShapeRequest): Promise<SandboxContainer> {
    const started = Date.now();
    const container = await SandboxContainer.start(this.docker, { ...shape, owner: this.owner });
    log.info({ container: container.id, language: shape.language, ms: Date.now() - started }, 'container started');
    if (this.closed) {
      await container.destroy();
      throw new Error('pool closed');
    }
    this.all.add(container);
    return container;
  }

  private async discard(container: SandboxContainer): Promise<void> {
    this.forget(container);
    await container.destroy().catch(() => undefined);
  }

  private forget(container: SandboxContainer): void {
    this.all.delete(container);
    for (const list of this.idle.values()) {
      const i = list.findIndex((e) => e.container === container);
      if (i >= 0) list.splice(i, 1);
    }
  }

  private async sweep(): Promise<void> {
    const cutoff = Date.now() - this.settings.idleTimeoutMs;
    for (const list of this.idle.values())
      for (const entry of [...list]) if (entry.since < cutoff || !entry.container.alive) await this.discard(entry.container);
  }

  private slot(): Promise<void> {
    if (this.busy < this.settings.maxBusy) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(() => (this.busy++, resolve())));
  }

  private freeSlot(): void {
    this.busy--;
    this.waiters.shift()?.();
  }
}

function shapeKey(s: ShapeRequest): string {
  return [s.image, s.memoryBytes, s.pids, s.tmpBytes, s.nanoCpus, s.runtime ?? '', s.seccompProfile ?? ''].join('|');
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
