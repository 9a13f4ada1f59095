// The warm pool: language containers kept running so that no container is created on the
// request path. A container serves one submission at a time, is reset (its box emptied) before
// it serves another, and is destroyed after `maxUses` submissions or at once after any anomaly.
// The pool owns every container it made and removes them all on close(); at start it reaps
// containers left behind by runners that died.
import type Docker from 'dockerode';
import { SandboxContainer, LABEL_HOST, LABEL_OWNER, LABEL_PID, type ContainerShape, type SandboxFeatures } from './container';
import { hostname } from 'node:os';
import { isNotFound } from './docker';
import { log } from '../log';

export interface PoolSettings {
  /** Submissions a container serves before it is replaced. */
  maxUses: number;
  /** Containers running submissions at once (the rest wait). */
  maxBusy: number;
  /** Idle containers kept per shape at least, once a shape has been used; recent demand may keep more (up to maxBusy). */
  idlePerShape: number;
  /** Idle containers are removed after this long unused (0 = never). */
  idleTimeoutMs: number;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = { maxUses: 200, maxBusy: 2, idlePerShape: 1, idleTimeoutMs: 5 * 60_000 };

type ShapeRequest = Omit<ContainerShape, 'owner'>;

/** Why a container was removed: after an anomaly, a failed reset, worn out, not needed, idle too long, or the pool closing. */
export type RetireReason = 'anomaly' | 'reset failed' | 'worn out' | 'surplus' | 'idle' | 'closing';

/** What the pool has done since it began (the service's metrics read it). */
export interface PoolCounts {
  started: number;
  startFailures: number;
  retired: Record<RetireReason, number>;
}

interface Idle {
  container: SandboxContainer;
  since: number;
}

export class ContainerPool {
  private readonly idle = new Map<string, Idle[]>();
  private readonly all = new Set<SandboxContainer>();
  private readonly warming = new Map<string, Promise<void>>();
  /** Removals under way (a container discarded after a release, a worn-out one). */
  private readonly removing = new Set<Promise<void>>();
  /** Per shape: containers in use now and the peak in the current window (sizes the warm pool). */
  private readonly demand = new Map<string, { busy: number; peak: number; since: number }>();
  /** Per shape: containers being reset after use, and acquirers waiting for one of them. */
  private readonly returning = new Map<string, number>();
  private readonly arrivalWaiters = new Map<string, Array<() => void>>();
  private busy = 0;
  /** What the last container started could build (see SandboxFeatures). */
  features: SandboxFeatures | undefined;
  private readonly waiters: Array<() => void> = [];
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;
  readonly counts: PoolCounts = {
    started: 0,
    startFailures: 0,
    retired: { anomaly: 0, 'reset failed': 0, 'worn out': 0, surplus: 0, idle: 0, closing: 0 },
  };

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

  /**
   * Takes a clean container of this shape, waiting for a free slot. A container being reset is waited
   * for rather than a new one created; only when none is idle or coming back is one created here.
   */
  async acquire(shape: ShapeRequest): Promise<SandboxContainer> {
    await this.slot();
    try {
      const key = shapeKey(shape);
      const demand = this.demandOf(key);
      demand.busy++;
      demand.peak = Math.max(demand.peak, demand.busy);
      for (;;) {
        const list = this.idle.get(key) ?? [];
        let entry: Idle | undefined;
        while ((entry = list.pop())) {
          if (entry.container.alive) break;
          void this.discard(entry.container, 'anomaly');
        }
        if (entry) {
          // Keep as many warm as recent demand asks for, refilled off this request's path.
          if (list.length + this.returningCount(key) < this.target(key) - demand.busy) this.warm(shape);
          return entry.container;
        }
        if (this.returningCount(key) === 0) break;
        await new Promise<void>((resolve) => this.arrivals(key).push(resolve));
      }
      return await this.create(shape);
    } catch (err) {
      this.demandOf(shapeKey(shape)).busy--;
      this.freeSlot();
      throw err;
    }
  }

  /**
   * Gives a container back: reset and reused when healthy and not worn out, destroyed otherwise. The
   * reset (a round trip) is skipped only when the supervisor's last answer said both boxes are empty.
   */
  release(container: SandboxContainer, healthy: boolean): Promise<void> {
    const key = shapeKey(container.shape);
    this.demandOf(key).busy--;
    this.freeSlot();
    container.uses++;
    if (!healthy || !container.alive || container.uses >= this.settings.maxUses || this.closed) {
      const reason = !healthy || !container.alive ? 'anomaly' : this.closed ? 'closing' : 'worn out';
      log.info({ container: container.id, language: container.shape.language, uses: container.uses, reason }, 'container retired');
      return this.discard(container, reason);
    }
    this.returning.set(key, this.returningCount(key) + 1);
    const reset = container.boxesEmpty
      ? Promise.resolve(true)
      : container.request([['op', 'reset']], 30_000).then((m) => m.text('status') === 'ok');
    return reset
      .then((ok) => {
        if (this.closed) return this.discard(container, 'closing');
        if (!ok) return this.discard(container, 'reset failed');
        const list = this.idle.get(key) ?? [];
        if (list.length >= this.target(key)) return this.discard(container, 'surplus');
        list.push({ container, since: Date.now() });
        this.idle.set(key, list);
      })
      .catch(() => this.discard(container, 'reset failed'))
      .finally(() => {
        this.returning.set(key, this.returningCount(key) - 1);
        // Wake one waiter per container that came back; when none is coming any more, all of them.
        const waiting = this.arrivals(key);
        if (this.returningCount(key) === 0) waiting.splice(0).forEach((wake) => wake());
        else waiting.shift()?.();
      });
  }

  /** Idle containers wanted for a shape: the configured floor, or the recent peak of concurrent use. */
  private target(key: string): number {
    const demand = this.demand.get(key);
    if (!demand) return this.settings.idlePerShape;
    if (Date.now() - demand.since > Math.max(this.settings.idleTimeoutMs, 60_000)) {
      // A new window: demand is measured again from what is busy now.
      demand.peak = demand.busy;
      demand.since = Date.now();
    }
    return Math.min(this.settings.maxBusy, Math.max(this.settings.idlePerShape, demand.peak));
  }

  private demandOf(key: string): { busy: number; peak: number; since: number } {
    let d = this.demand.get(key);
    if (!d) this.demand.set(key, (d = { busy: 0, peak: 0, since: Date.now() }));
    return d;
  }

  private returningCount(key: string): number {
    return this.returning.get(key) ?? 0;
  }

  private arrivals(key: string): Array<() => void> {
    let list = this.arrivalWaiters.get(key);
    if (!list) this.arrivalWaiters.set(key, (list = []));
    return list;
  }

  /** Starts a container of this shape in the background, unless one is already warming. */
  warm(shape: ShapeRequest): void {
    const key = shapeKey(shape);
    if (this.warming.has(key) || this.closed) return;
    const job = this.create(shape)
      .then((c) => {
        if (this.closed) return this.discard(c, 'closing');
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
    await Promise.allSettled([...this.all].map((c) => this.discard(c, 'closing')));
    await Promise.allSettled([...this.removing]);
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
          // Gone already, or another runner starting at the same moment is removing it (409).
          if (!isNotFound(err) && (err as { statusCode?: number }).statusCode !== 409) throw err;
        });
    }
    return reaped;
  }

  private async create(shape: ShapeRequest): Promise<SandboxContainer> {
    const started = Date.now();
    const container = await SandboxContainer.start(this.docker, { ...shape, owner: this.owner }).catch((err: Error) => {
      this.counts.startFailures++;
      throw err;
    });
    this.counts.started++;
    log.info({ container: container.id, language: shape.language, ms: Date.now() - started }, 'container started');
    if (this.closed) {
      await container.destroy();
      throw new Error('pool closed');
    }
    this.all.add(container);
    this.features = container.features;
    return container;
  }

  private async discard(container: SandboxContainer, reason: RetireReason): Promise<void> {
    if (this.all.has(container)) this.counts.retired[reason]++;
    this.forget(container);
    // Tracked until the container is gone, so close() waits for removals already under way too.
    const removal = container.destroy().catch(() => undefined);
    this.removing.add(removal);
    await removal.finally(() => this.removing.delete(removal));
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
      for (const entry of [...list])
        if (!entry.container.alive) await this.discard(entry.container, 'anomaly');
        else if (entry.since < cutoff) await this.discard(entry.container, 'idle');
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
