// What the service reports to Prometheus (GET /metrics, prom-client): runs by language and status,
// how long they took and waited, the queue, the warm pool, failures and quota refusals.
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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'verdict_process_' });
  }
}
