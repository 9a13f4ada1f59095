// `verdict serve`: the classroom service on one machine — the runner with its warm pool, the store
// in --data, the HTTP app — and its orderly end on SIGTERM/SIGINT (stop accepting, let runs in flight
// finish within the grace period, leave the rest queued for the next start, remove the containers).
import os from 'node:os';
import path from 'node:path';
import { chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { Runner } from '../index';
import { buildApp } from './app';
import { hashToken } from './auth';
import { Metrics } from './metrics';
import { Service } from './service';
import { Store } from './store';
import type { WebhookOptions } from './webhooks';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  /** Sandboxes at once (default: the CPU count). */
  concurrency?: number;
  queueDepth?: number;
  /** How long runs in flight may take to finish on SIGTERM. */
  graceMs?: number;
  webhooks?: Partial<WebhookOptions>;
  /**
   * Local mode (the user's daemon, runner/daemon/): listen on this unix socket (made 0600) instead of
   * a port, and take every caller as the local owner, with no token (docs/daemon.md).
   */
  socketPath?: string;
  /** Routes of the caller's own, added before listening (the daemon's GET /daemon). */
  routes?: (app: FastifyInstance) => void;
}

/** The local owner's class: no quota a single user could hit by themselves. */
const LOCAL_CLASS = 'local';
const LOCAL_LIMITS = { requestsPerMinute: 100_000, concurrentRuns: 1000, cpuSecondsPerDay: 1e7, classConcurrentRuns: 10_000 };
/** Local mode keeps a finished run this long (its caller has printed it): the store stays small however long the daemon lives. */
const LOCAL_KEEP_MS = 10 * 60_000;

/** Removes the local store's runs that finished before `before` (ISO time), with their events and webhook rows. */
function pruneLocalRuns(store: Store, before: string): void {
  const old = 'SELECT id FROM runs WHERE finished_at IS NOT NULL AND finished_at < ?';
  store.db.transaction(() => {
    for (const table of ['events', 'webhook_attempts', 'webhooks'])
      store.db.prepare(`DELETE FROM ${table} WHERE run_id IN (${old})`).run(before);
    store.db.prepare(`DELETE FROM runs WHERE id IN (${old})`).run(before);
  })();
}

export function defaultDataDir(): string {
  return process.env.VERDICT_DATA ?? path.join(os.homedir(), '.local', 'share', 'verdict');
}

export async function serve(
  options: ServeOptions,
): Promise<{ url: string; app: FastifyInstance; service: Service; close: () => Promise<void> }> {
  const log = pino(
    { name: 'verdict-serve', level: process.env.VERDICT_LOG_LEVEL ?? 'info', base: { pid: process.pid } },
    pino.destination({ dest: 2, sync: false }),
  );
  const concurrency = options.concurrency ?? Math.max(1, os.availableParallelism());
  const store = new Store(options.dataDir);
  const runner = await Runner.create({ pool: { maxBusy: concurrency } });
  const metrics = new Metrics();
  metrics.watchPool(() => runner.pool.counts);
  const service = new Service(runner, store, metrics, log, {
    concurrency,
    queueDepth: options.queueDepth ?? 1000,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  });
  let localOwner;
  if (options.socketPath) {
    store.setClassLimits(LOCAL_CLASS, LOCAL_LIMITS);
    // A token no one holds (its hash is of random bytes): the owner's runs are kept under this row.
    if (!store.tokenByName(LOCAL_CLASS, 'owner'))
      store.addToken({ name: 'owner', class: LOCAL_CLASS, role: 'admin', hash: hashToken(randomBytes(32).toString('hex')) });
    localOwner = store.tokenByName(LOCAL_CLASS, 'owner')!;
  }
  const app = await buildApp(service, log, localOwner ? { localOwner } : {});
  options.routes?.(app);
  let url: string;
  if (options.socketPath) {
    // Created 0600 (umask), in a folder that is 0700 already: no moment when another user could connect.
    const umask = process.umask(0o177);
    try {
      await app.listen({ path: options.socketPath });
    } finally {
      process.umask(umask);
    }
    chmodSync(options.socketPath, 0o600);
    url = `unix:${options.socketPath}`;
  } else url = await app.listen({ port: options.port, host: options.host });
  log.info({ url, dataDir: options.dataDir, concurrency }, 'listening');
  const pruning = options.socketPath
    ? setInterval(() => pruneLocalRuns(store, new Date(Date.now() - LOCAL_KEEP_MS).toISOString()), 60_000).unref()
    : undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info('shutting down');
      clearInterval(pruning);
      await app.close();
      await service.shutdown(options.graceMs ?? 30_000);
      store.close();
      log.flush();
    })());
  return { url, app, service, close };
}
