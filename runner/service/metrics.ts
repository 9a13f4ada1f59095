// What the service reports to Prometheus (GET /metrics, prom-client): runs by language and status,
// how long they took and waited, the queue, the warm pool (containers started, failed, retired and
// why: anomalies among them), failures and quota refusals.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly runs = new Counter({
    name: 'verdict_runs_total',
    help: 'Runs and judges finished, by language, kind and status',
    labelNames: ['language', 'kind', 'status'],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'verdict_run_duration_seconds',
    help: 'Time from start to result of a run or judge',
    labelNames: ['kind'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180],
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: 'verdict_queue_wait_seconds',
    help: 'Time a run waited in the queue before it started',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({ name: 'verdict_queue_depth', help: 'Runs waiting to start', registers: [this.registry] });
  readonly running = new Gauge({ name: 'verdict_running', help: 'Runs in their sandboxes now', registers: [this.registry] });
  readonly warmContainers = new Gauge({ name: 'verdict_warm_containers', help: 'Containers the pool holds', registers: [this.registry] });
  readonly failures = new Counter({
    name: 'verdict_internal_errors_total',
    help: 'Runs that ended in Internal Error (no sandbox, a container lost)',
    registers: [this.registry],
  });
  readonly requeued = new Counter({
    name: 'verdict_requeued_total',
    help: 'Runs started over after the service stopped while they ran',
    registers: [this.registry],
  });
  readonly quotaRejections = new Counter({
    name: 'verdict_quota_rejections_total',
    help: 'Requests refused by a limit (429/503), by limit',
    labelNames: ['limit'],
    registers: [this.registry],
  });

  /** The warm pool's own counts (the runner keeps them), read when metrics are scraped. */
  private poolCounts: () => PoolCounts = () => ({ started: 0, startFailures: 0, retired: {} });
  readonly containersStarted: Counter = new Counter({
    name: 'verdict_containers_started_total',
    help: 'Sandbox containers the warm pool started',
    registers: [this.registry],
    collect: (): void => setCounter(this.containersStarted, [[{}, this.poolCounts().started]]),
  });
  readonly containerFailures: Counter = new Counter({
    name: 'verdict_container_failures_total',
    help: 'Sandbox containers that could not be started (each such run is an Internal Error)',
    registers: [this.registry],
    collect: (): void => setCounter(this.containerFailures, [[{}, this.poolCounts().startFailures]]),
  });
  readonly containersRetired: Counter<'reason'> = new Counter({
    name: 'verdict_containers_retired_total',
    help: 'Sandbox containers removed, by reason: anomaly (a sandbox misbehaved or died), reset failed, worn out (replaced after its uses), surplus, idle, closing',
    labelNames: ['reason'],
    registers: [this.registry],
    collect: (): void =>
      setCounter(
        this.containersRetired,
        Object.entries(this.poolCounts().retired).map(([reason, n]) => [{ reason }, n]),
      ),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'verdict_process_' });
  }

  watchPool(counts: () => PoolCounts): void {
    this.poolCounts = counts;
  }
}

/** The pool's counts, in the shape it keeps them (runner/sandbox/pool.ts). */
interface PoolCounts {
  started: number;
  startFailures: number;
  retired: Record<string, number>;
}

/** A counter whose values are kept elsewhere: set to them at each scrape (they only ever grow there). */
function setCounter<L extends string>(counter: Counter<L>, values: Array<[Partial<Record<L, string>>, number]>): void {
  counter.reset();
  for (const [labels, value] of values) counter.inc(labels, value);
}
