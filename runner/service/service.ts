// The classroom service's core, under its HTTP layer (app.ts): accepts runs and judges, keeps them
// in the store before it answers, queues them with a fair share between tokens in front of a fixed
// number of sandboxes, carries them out on the runner (through its front door), streams their events
// and keeps their results. A run in flight when the service stopped is started over (at most
// MAX_ATTEMPTS times, then Internal Error with the reason): nothing is lost or left pending.
//
// Hidden tests never leave the server: a judge against a stored problem is redacted as it happens —
// each test event and the stored result carry a hidden test's status, time, memory and score only.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import {
  DisplayStream,
  Runner,
  internalError as runInternalError,
  judgingOfPackage,
  probeLanguages,
  imageName,
  compileFlagRules,
  type JudgeRequest,
  type JudgeTest,
  type PackageJudging,
} from '../index';
import type { JudgeResult, RunResult, TestResult } from '../../protocol/results';
import { languageForRun } from '../../protocol/standards';
import { standardsOf, variantFor } from '../../protocol/settings';
import { type JudgeRequestBody, type LanguageInfo, type RunEvent, type RunRecord, type SubmitRequest } from '../../protocol/http';
import type { Store, ProblemRow, RunRow, TokenRow } from './store';
import { FairQueue } from './fair-queue';
import type { Metrics } from './metrics';
import { ServiceError, Quotas } from './quotas';
import { DEFAULT_WEBHOOK_OPTIONS, Webhooks, checkWebhookUrl, webhookInfo, type WebhookBody, type WebhookOptions } from './webhooks';
import { compileFlagsProblem } from '../../protocol/compile-flags';

export const MAX_ATTEMPTS = 3;

/** How often a waiting run's followers hear its new place in the queue (when it changed). */
const POSITION_INTERVAL_MS = 1000;

export interface ServiceOptions {
  /** Sandboxes at once. */
  concurrency: number;
  /** Runs that may wait; past it, 503. */
  queueDepth: number;
  webhooks?: Partial<WebhookOptions>;
}

/** How a run came in, when not through the native API: what its API needs to answer, and its webhook's body. */
export interface SubmitVia {
  /** Kept with the run (JSON), e.g. Judge0's expected_output and base64 choice. */
  client?: unknown;
  /** The body its webhook gets: a key of Service.webhookBodies ('native' by default). */
  webhookFormat?: string;
}

interface QueuedRun {
  id: string;
  owner: string;
  class: string;
  queuedAt: number;
}

interface Running {
  controller: AbortController;
  /** Why it is being stopped: the caller cancelled it, or the service is shutting down (it will run again). */
  stopping?: 'cancel' | 'shutdown';
  promise: Promise<void>;
  class: string;
  owner: string;
}

/** What a judge against a stored problem keeps private. */
const HIDDEN = '(a hidden test: only its status, time and memory are shown)';

export class Service {
  private readonly queue = new FairQueue<QueuedRun>();
  private readonly running = new Map<string, Running>();
  private readonly live = new EventEmitter();
  private readonly quotas: Quotas;
  private languagesCache?: Promise<LanguageInfo[]>;
  private accepting = true;
  /** What a webhook sends, by format: the native one is the run's record; compatible APIs add theirs. */
  readonly webhookBodies: Record<string, WebhookBody> = {
    native: (row) => ({ method: 'POST', body: JSON.stringify(this.record(row, false)) }),
  };
  private readonly webhooks: Webhooks;
  readonly webhookOptions: WebhookOptions;

  constructor(
    readonly runner: Runner,
    readonly store: Store,
    readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly options: ServiceOptions,
  ) {
    this.live.setMaxListeners(0);
    this.quotas = new Quotas(store, metrics);
    this.webhookOptions = { ...DEFAULT_WEBHOOK_OPTIONS, ...options.webhooks };
    this.webhooks = new Webhooks(store, this.webhookBodies, log, this.webhookOptions);
    this.recover();
    this.positionTimer = setInterval(() => this.tellPositions(), POSITION_INTERVAL_MS).unref();
  }

  // ---- submitting ----

  /** Validates, checks limits, stores and queues a run or judge; its row is durable when this returns. */
  submit(caller: TokenRow, body: SubmitRequest, via: SubmitVia = {}): RunRow {
    if (!this.accepting) throw new ServiceError(503, 'shutting_down', 'The server is shutting down; try again in a moment.');
    if (!this.runner.languages.has(body.language))
      throw new ServiceError(
        400,
        'unknown_language',
        `Unknown language "${body.language}". Known: ${[...this.runner.languages.keys()].join(', ')}.`,
      );
    if (body.kind === 'judge' && body.standard !== undefined && !variantFor(body.language, body.standard))
      throw new ServiceError(
        400,
        'unknown_standard',
        `${body.language} has no standard "${body.standard}"${standardsOf(body.language).length ? `; use one of ${standardsOf(body.language).join(', ')}` : ' to choose from'}.`,
      );
    // Refused flags are refused now, as the runner would refuse them later (protocol/compile-flags.ts).
    const language = this.runner.languages.get(body.language)!;
    const flagsProblem = compileFlagsProblem(language, compileFlagRules(language), body.compileFlags ?? []);
    if (flagsProblem) throw new ServiceError(400, 'bad_request', flagsProblem);
    if (body.kind === 'judge' && body.problem && !this.store.problem(body.problem))
      throw new ServiceError(404, 'unknown_problem', `There is no problem "${body.problem}" on this server.`);
    if (this.queue.size >= this.options.queueDepth) {
      this.metrics.quotaRejections.inc({ limit: 'queue_depth' });
      throw new ServiceError(503, 'queue_full', `The queue is full (${this.options.queueDepth} runs waiting); try again shortly.`, {
        retryAfterSeconds: 5,
        limit: 'queue_depth',
      });
    }
    const webhook =
      body.webhook !== undefined
        ? { url: checkWebhookUrl(body.webhook, this.webhookOptions.allowPrivate), format: via.webhookFormat ?? 'native' }
        : undefined;
    this.quotas.admit(
      caller,
      this.inFlight((r) => r.owner === String(caller.id)),
    );
    const row = this.store.addRun(
      {
        id: randomUUID(),
        token_id: caller.id,
        user: caller.name,
        class: caller.class,
        kind: body.kind,
        language: body.language,
        problem: body.kind === 'judge' ? (body.problem ?? null) : null,
        request: JSON.stringify(body),
        ...(via.client !== undefined ? { client: JSON.stringify(via.client) } : {}),
      },
      webhook,
    );
    this.enqueue(row);
    return row;
  }

  /** Runs waiting or running that match (a token's runs in flight). */
  private inFlight(match: (r: { owner: string; class: string }) => boolean): number {
    return count(this.running.values(), match) + count(this.queuedById.values(), match);
  }

  /** The queued runs by id (the queue keeps them in its own fair order). */
  private readonly queuedById = new Map<string, QueuedRun>();

  private enqueue(row: RunRow): void {
    const item: QueuedRun = { id: row.id, owner: String(row.token_id), class: row.class, queuedAt: Date.now() };
    this.queue.add(item);
    this.queuedById.set(row.id, item);
    const position = this.queue.position(row.id) ?? 1;
    this.toldPositions.set(row.id, position);
    this.emit(row.id, { type: 'queued', position });
    this.metrics.queueDepth.set(this.queue.size);
    setImmediate(() => this.pump());
  }

  /** Starts what may start: up to `concurrency` at once, a class's running limit respected, in fair order. */
  private pump(): void {
    while (this.accepting && this.running.size < this.options.concurrency) {
      const item = this.queue.next((q) => this.inRunning((r) => r.class === q.class) < this.store.classLimits(q.class).classConcurrentRuns);
      if (!item) break;
      this.queuedById.delete(item.id);
      this.toldPositions.delete(item.id);
      this.metrics.queueDepth.set(this.queue.size);
      this.metrics.queueWait.observe((Date.now() - item.queuedAt) / 1000);
      this.start(item);
    }
  }

  private inRunning(match: (r: Running) => boolean): number {
    return count(this.running.values(), match);
  }

  // ---- carrying out ----

  private start(item: QueuedRun): void {
    const row = this.store.run(item.id);
    if (!row || row.state === 'done' || row.state === 'cancelled') return;
    this.store.startRun(row.id);
    const controller = new AbortController();
    const entry: Running = { controller, class: row.class, owner: item.owner, promise: Promise.resolve() };
    this.running.set(row.id, entry);
    this.metrics.running.set(this.running.size);
    this.emit(row.id, { type: 'started' });
    this.log.info(
      { runId: row.id, user: row.user, class: row.class, kind: row.kind, language: row.language, attempt: row.attempts + 1 },
      'run started',
    );
    entry.promise = this.carryOut(row, controller.signal)
      .then((result) => this.finish(row, result))
      .catch((err: Error) => {
        if (entry.stopping === 'shutdown') return; // started over when the service comes back
        if (entry.stopping === 'cancel' || err.name === 'RunCancelled') return this.finish(row, undefined, 'cancelled');
        this.log.error({ runId: row.id, err: err.message }, 'run failed');
        return this.finish(row, internalError(row, err.message));
      })
      .finally(() => {
        this.running.delete(row.id);
        this.metrics.running.set(this.running.size);
        this.metrics.warmContainers.set(this.runner.pool.size.total);
        this.pump();
      });
  }

  private async carryOut(row: RunRow, signal: AbortSignal): Promise<RunResult | JudgeResult> {
    const started = Date.now();
    const body = JSON.parse(row.request) as SubmitRequest;
    try {
      if (body.kind === 'run') {
        const shown = { stdout: new DisplayStream(), stderr: new DisplayStream() };
        const { kind: _kind, webhook: _webhook, ...spec } = body;
        const result = await this.runner.run(spec, {
          signal,
          runId: row.id,
          onOutput: (stream, data) => {
            const text = shown[stream].write(data);
            if (text) this.emit(row.id, { type: 'output', stream, text });
          },
        });
        for (const stream of ['stdout', 'stderr'] as const) {
          const text = shown[stream].end();
          if (text) this.emit(row.id, { type: 'output', stream, text });
        }
        return result;
      }
      return await this.judge(row, body, signal);
    } finally {
      this.metrics.duration.observe({ kind: row.kind }, (Date.now() - started) / 1000);
    }
  }

  private async judge(row: RunRow, body: JudgeRequestBody, signal: AbortSignal): Promise<JudgeResult> {
    // Inline tests become files, so their bytes reach the judge exactly; removed when the judge ends.
    const scratch = path.join(this.store.dataDir, 'scratch', row.id);
    const hidden = new Set<string>();
    let request: JudgeRequest;
    try {
      if (body.problem) {
        const problem = this.store.problem(body.problem);
        if (!problem) throw new ServiceError(404, 'unknown_problem', `There is no problem "${body.problem}" on this server.`);
        const judging = this.judgingOf(problem);
        for (const t of judging.tests) if (t.group[0] !== 'sample') hidden.add(t.name);
        request = {
          // The request's standard or a variant's id (cpp20) is the run's choice; the family's (cpp) takes the problem's.
          language: languageForRun({ language: body.language, ...(body.standard ? { standard: body.standard } : {}) }, judging.standards)
            .language,
          files: body.files,
          tests: judging.tests,
          checker: judging.checker,
          ...(judging.interactor ? { interactor: judging.interactor } : {}),
          ...(judging.scoring.length ? { scoring: judging.scoring } : {}),
          // The problem's limits are the problem's: a request does not change them.
          limits: judging.limits,
          ...(body.compileFlags ? { compileFlags: body.compileFlags } : {}),
          stopOnFailure: body.stopOnFailure ?? judging.scoring.length === 0,
        };
      } else {
        // Written off the event loop: a slow disk must not stall every other run and request.
        await mkdir(scratch, { recursive: true });
        const tests: JudgeTest[] = await Promise.all(
          (body.tests ?? []).map(async (t, i) => {
            const base = path.join(scratch, String(i));
            await writeFile(`${base}.in`, t.inputBase64 !== undefined ? Buffer.from(t.inputBase64, 'base64') : (t.input ?? ''));
            await writeFile(`${base}.ans`, t.answerBase64 !== undefined ? Buffer.from(t.answerBase64, 'base64') : (t.answer ?? ''));
            return { name: t.name, input: { path: `${base}.in` }, answer: { path: `${base}.ans` }, group: [] };
          }),
        );
        request = {
          language: languageForRun({ language: body.language, ...(body.standard ? { standard: body.standard } : {}) }).language,
          files: body.files,
          tests,
          checker: { kind: 'builtin', name: body.checker ?? 'lines' },
          ...(body.limits ? { limits: body.limits } : {}),
          ...(body.compileFlags ? { compileFlags: body.compileFlags } : {}),
          stopOnFailure: body.stopOnFailure ?? false,
        };
      }
      const result = await this.runner.judge(request, {
        signal,
        runId: row.id,
        onCompiled: (compile) => this.emit(row.id, { type: 'compiled', status: compile?.status ?? 'OK' }),
        onTest: (test, index, total) =>
          this.emit(row.id, { type: 'test', index, total, test: hidden.has(test.name) ? redact(test) : test }),
      });
      return hidden.size ? redactResult(result, hidden) : result;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Each stored problem read from disk once per version (a push replaces it and changes created_at). */
  private readonly judgings = new Map<string, { version: string; judging: PackageJudging }>();
  private judgingOf(problem: ProblemRow): PackageJudging {
    const version = `${problem.dir}\n${problem.created_at}`;
    const cached = this.judgings.get(problem.id);
    if (cached?.version === version) return cached.judging;
    const judging = judgingOfPackage(problem.dir, this.runner.languages);
    this.judgings.set(problem.id, { version, judging });
    return judging;
  }

  private finish(row: RunRow, result: RunResult | JudgeResult | undefined, state: 'done' | 'cancelled' = 'done'): void {
    const status = result?.status ?? 'Cancelled';
    const cpuMs = !result ? 0 : 'tests' in result ? result.tests.reduce((s, t) => s + t.timeMs, 0) : result.timeMs;
    const score = result && 'score' in result && result.score ? result.score.score : undefined;
    this.store.finishRun(row.id, state, {
      status,
      cpuMs,
      ...(score !== undefined ? { score } : {}),
      result: result ? JSON.stringify(result) : '',
    });
    this.metrics.runs.inc({ language: row.language, kind: row.kind, status });
    // The verdict and figures only: a result's data (and a hidden test's) stays out of the log.
    this.log.info(
      { runId: row.id, user: row.user, class: row.class, kind: row.kind, language: row.language, state, status, cpuMs },
      'run finished',
    );
    if (status === 'Internal Error') this.metrics.failures.inc();
    this.emit(row.id, { type: 'done', record: this.record(this.store.run(row.id)!) });
    this.webhooks.runEnded(row.id);
  }

  // ---- events ----

  /** Each waiting run's place in the queue as its followers last heard it. */
  private readonly toldPositions = new Map<string, number>();
  private readonly positionTimer: NodeJS.Timeout;

  /**
   * Tells the followers of each waiting run its new place in the queue, when it changed: a `queued`
   * event sent live but not stored (no event id; a follower who comes back gets the current place in
   * the run's record), so that clients need not ask for it, and a long queue adds no rows.
   */
  private tellPositions(): void {
    for (const id of this.queuedById.keys()) {
      if (this.live.listenerCount(id) === 0) continue;
      const position = this.queue.position(id);
      if (position === undefined || position === this.toldPositions.get(id)) continue;
      this.toldPositions.set(id, position);
      const event: RunEvent = { type: 'queued', position };
      this.live.emit(id, 0, event, JSON.stringify(event));
    }
  }

  /** Each run's last event number, kept here so an event costs one insert (read from the store once). */
  private readonly seqs = new Map<string, number>();

  private emit(runId: string, event: RunEvent): void {
    const seq = (this.seqs.get(runId) ?? this.store.lastEventSeq(runId)) + 1;
    if (event.type === 'done') this.seqs.delete(runId);
    else this.seqs.set(runId, seq);
    const json = JSON.stringify(event);
    this.store.addEvent(runId, seq, json);
    this.live.emit(runId, seq, event, json);
  }

  /**
   * A run's events after `after` (Last-Event-ID), then live ones until `done`. Returns a function
   * that stops listening. An event with seq 0 is live only (a new place in the queue): never stored.
   */
  follow(runId: string, after: number, send: (seq: number, event: RunEvent, json: string) => void): () => void {
    let last = after;
    const deliver = (seq: number, event: RunEvent, json: string) => {
      if (seq === 0) return send(seq, event, json);
      if (seq <= last) return;
      last = seq;
      send(seq, event, json);
    };
    this.live.on(runId, deliver);
    for (const e of this.store.events(runId, after)) deliver(e.seq, JSON.parse(e.data) as RunEvent, e.data);
    return () => this.live.off(runId, deliver);
  }

  /** Resolves when the run is done (or after `timeoutMs`, with undefined). */
  waitFor(runId: string, timeoutMs: number): Promise<RunRecord | undefined> {
    return new Promise((resolve) => {
      const row = this.store.run(runId);
      if (row && (row.state === 'done' || row.state === 'cancelled')) return resolve(this.record(row));
      let stop = () => undefined as void;
      const timer = setTimeout(() => (stop(), resolve(undefined)), timeoutMs);
      stop = this.follow(runId, this.store.lastEventSeq(runId), (_seq, event) => {
        if (event.type !== 'done') return;
        clearTimeout(timer);
        stop();
        resolve(event.record);
      });
    });
  }

  // ---- reading ----

  /** A run as its record shows it; `withWebhook` adds its webhook's attempts (not in the webhook's own body). */
  record(row: RunRow, withWebhook = true): RunRecord {
    const position = row.state === 'queued' ? this.queue.position(row.id) : undefined;
    const hook = withWebhook ? this.store.webhook(row.id) : undefined;
    return {
      id: row.id,
      kind: row.kind,
      state: row.state,
      ...(position !== undefined ? { position } : {}),
      language: row.language,
      ...(row.problem ? { problem: row.problem } : {}),
      user: row.user,
      class: row.class,
      createdAt: row.created_at,
      ...(row.started_at ? { startedAt: row.started_at } : {}),
      ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
      ...(row.result ? { result: JSON.parse(row.result) as RunResult | JudgeResult } : {}),
      ...(hook ? { webhook: webhookInfo(hook, this.store.webhookAttempts(row.id)) } : {}),
    };
  }

  /** Cancels a waiting or running run; the sandbox is killed. False when it had already ended. */
  cancel(row: RunRow): boolean {
    if (this.queue.remove(row.id)) {
      this.queuedById.delete(row.id);
      this.toldPositions.delete(row.id);
      this.metrics.queueDepth.set(this.queue.size);
      this.finish(row, undefined, 'cancelled');
      return true;
    }
    const running = this.running.get(row.id);
    if (!running) return false;
    running.stopping = 'cancel';
    running.controller.abort();
    return true;
  }

  /** The languages usable here, with versions from the real images (probed once). */
  languages(): Promise<LanguageInfo[]> {
    this.languagesCache ??= probeLanguages(this.runner, [...this.runner.languages.values()]).then((probes) =>
      probes
        .filter((p) => p.usable)
        .map((p) => ({ id: p.id, name: p.name, version: p.version ?? '', extensions: this.runner.languages.get(p.id)?.extensions ?? [] })),
    );
    this.languagesCache.catch(() => (this.languagesCache = undefined));
    return this.languagesCache;
  }

  /** Whether the service can work: Docker reachable, the images present, the database writable. */
  async readiness(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    try {
      await this.runner.docker.ping();
      checks.docker = 'ok';
    } catch (err) {
      checks.docker = `unreachable: ${(err as Error).message}`;
    }
    if (checks.docker === 'ok') {
      const images = [...new Set([...this.runner.languages.values()].map((l) => imageName(l.image)))];
      const missing: string[] = [];
      for (const image of images) if ((await this.runner.imageId(image)) === 'missing') missing.push(image);
      checks.images = missing.length ? `missing: ${missing.join(', ')} (run \`verdict images build\`)` : 'ok';
    }
    checks.database = this.store.writable() ? 'ok' : 'not writable';
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  }

  get depth(): { queued: number; running: number } {
    return { queued: this.queue.size, running: this.running.size };
  }

  // ---- start and stop ----

  /** What the last process left: waiting runs queue again, runs it was carrying out start over. */
  private recover(): void {
    for (const row of this.store.unfinishedRuns()) {
      if (row.state === 'running' && row.attempts >= MAX_ATTEMPTS) {
        this.finish(row, internalError(row, `The server stopped ${row.attempts} times while carrying this out; it was not tried again.`));
        continue;
      }
      if (row.state === 'running') {
        this.store.requeueRun(row.id);
        this.metrics.requeued.inc();
      }
      this.enqueue({ ...row, state: 'queued' });
    }
    this.webhooks.resume();
  }

  /**
   * Stops accepting, lets the runs in flight finish within `graceMs`, then stops the rest and leaves
   * them queued (they start over when the service comes back), and closes the runner.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.accepting = false;
    clearInterval(this.positionTimer);
    const inFlight = [...this.running.values()];
    const timer = new Promise((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.all(inFlight.map((r) => r.promise)), timer]);
    for (const [id, r] of this.running) {
      r.stopping = 'shutdown';
      r.controller.abort();
      this.store.requeueRun(id);
    }
    await Promise.all([...this.running.values()].map((r) => r.promise.catch(() => undefined)));
    // Deliveries not yet made stay pending in the store: the next start sends them.
    this.webhooks.close();
    await this.runner.close();
  }
}

function internalError(row: RunRow, message: string): RunResult | JudgeResult {
  if (row.kind === 'judge') return { status: 'Internal Error', tests: [], message: `${message} (run ${row.id})`, runId: row.id };
  return runInternalError(row.id, message);
}

/** A hidden test as a student may see it: status, time, memory, score. */
function redact(t: TestResult): TestResult {
  return {
    name: t.name,
    status: t.status,
    timeMs: t.timeMs,
    memoryKb: t.memoryKb,
    ...(t.score !== undefined ? { score: t.score } : {}),
    ...(t.status !== 'Accepted' ? { message: HIDDEN } : {}),
  };
}

function redactResult(r: JudgeResult, hidden: Set<string>): JudgeResult {
  const tests = r.tests.map((t) => (hidden.has(t.name) ? redact(t) : t));
  const failed = r.tests.find((t) => t.status !== 'Accepted');
  if (!failed || !hidden.has(failed.name)) return { ...r, tests };
  const { transcript: _transcript, ...rest } = r;
  return { ...rest, tests, message: `${failed.status} on test ${failed.name} ${HIDDEN}` };
}

function count<T>(items: Iterable<T>, match: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (match(item)) n++;
  return n;
}
