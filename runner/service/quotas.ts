// A class's limits, per token: requests per minute, runs in flight at once, CPU-seconds per day. A
// request over one is refused with 429, the limit it hit and when to try again (Retry-After). The
// per-minute window lives in memory (a restart forgives it); CPU-seconds are summed from the store.
import type { Metrics } from './metrics';
import type { Store, TokenRow } from './store';

/** A refusal with its HTTP status, a code, words, and for limits which one and when to retry. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { retryAfterSeconds?: number; limit?: string } = {},
  ) {
    super(message);
  }
}

const MINUTE_MS = 60_000;

export class Quotas {
  /** Request times of each token in the last minute. */
  private readonly recent = new Map<number, number[]>();

  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics,
  ) {}

  /** Admits one more run for a caller that has `inFlight` runs waiting or running, or throws 429. */
  admit(caller: TokenRow, inFlight: number): void {
    const limits = this.store.classLimits(caller.class);
    const now = Date.now();
    const times = (this.recent.get(caller.id) ?? []).filter((t) => now - t < MINUTE_MS);
    if (times.length >= limits.requestsPerMinute) {
      const wait = Math.ceil((MINUTE_MS - (now - times[0]!)) / 1000);
      this.refuse(
        'requests_per_minute',
        `You sent ${limits.requestsPerMinute} runs in the last minute, the limit of class ${caller.class}.`,
        wait,
      );
    }
    if (inFlight >= limits.concurrentRuns)
      this.refuse(
        'concurrent_runs',
        `You have ${inFlight} runs waiting or running, the limit of class ${caller.class}; wait for one to end.`,
        2,
      );
    const dayStart = new Date(now);
    dayStart.setUTCHours(0, 0, 0, 0);
    const used = this.store.cpuSecondsSince(caller.id, dayStart.toISOString());
    if (used >= limits.cpuSecondsPerDay) {
      const tomorrow = dayStart.getTime() + 86_400_000;
      this.refuse(
        'cpu_seconds_per_day',
        `You used ${used.toFixed(1)} CPU-seconds today, the daily limit of class ${caller.class} (${limits.cpuSecondsPerDay}).`,
        Math.ceil((tomorrow - now) / 1000),
      );
    }
    times.push(now);
    this.recent.set(caller.id, times);
  }

  private refuse(limit: string, message: string, retryAfterSeconds: number): never {
    this.metrics.quotaRejections.inc({ limit });
    throw new ServiceError(429, 'limit', `${message} Try again in ${retryAfterSeconds} s.`, { limit, retryAfterSeconds });
  }
}
