// `verdict serve`: the classroom service on one machine — the runner with its warm pool, the store
// in --data, the HTTP app — and its orderly end on SIGTERM/SIGINT (stop accepting, let runs in flight
// finish within the grace period, leave the rest queued for the next start, remove the containers).
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Runner } from '../index';
import { buildApp } from './app';
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
}

export function defaultDataDir(): string {
  return process.env.VERDICT_DATA ?? path.join(os.homedir(), '.local', 'share', 'verdict');
}

export async function serve(options: ServeOptions): Promise<{ url: string; close: () => Promise<void> }> {
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
  const app = await buildApp(service, log);
  const url = await app.listen({ port: options.port, host: options.host });
  log.info({ url, dataDir: options.dataDir, concurrency }, 'listening');
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info('shutting down');
      await app.close();
      await service.shutdown(options.graceMs ?? 30_000);
      store.close();
      log.flush();
    })());
  return { url, close };
}
