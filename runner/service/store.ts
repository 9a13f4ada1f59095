// The classroom service's durable state, in one SQLite file (better-sqlite3, WAL): classes and their
// limits, tokens (only their hashes), problems, runs with their requests and results, and each run's
// events (for Server-Sent Events resume), webhooks and their delivery attempts. Everything the service must not lose across a restart or a
// kill -9 is written here before it is acknowledged. Schema changes are numbered migrations.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CLASS_LIMITS, type ClassLimits, type Role, type RunState } from '../../protocol/http';

const MIGRATIONS: string[] = [
  `CREATE TABLE classes (name TEXT PRIMARY KEY, limits TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE tokens (
     id INTEGER PRIMARY KEY, name TEXT NOT NULL, class TEXT NOT NULL, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT, UNIQUE (class, name));
   CREATE TABLE problems (
     id TEXT PRIMARY KEY, class TEXT NOT NULL, name TEXT NOT NULL, dir TEXT NOT NULL, info TEXT NOT NULL,
     created_by TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE runs (
     id TEXT PRIMARY KEY, token_id INTEGER NOT NULL, user TEXT NOT NULL, class TEXT NOT NULL, kind TEXT NOT NULL,
     language TEXT NOT NULL, problem TEXT, request TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, status TEXT, score REAL, cpu_ms REAL NOT NULL DEFAULT 0,
     result TEXT);
   CREATE INDEX runs_by_state ON runs (state, created_at);
   CREATE INDEX runs_by_token ON runs (token_id, finished_at);
   CREATE TABLE events (run_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (run_id, seq));`,
  // Webhooks and runs that came through a compatible API (Judge0's, Piston's): what that API needs to answer.
  `ALTER TABLE runs ADD COLUMN client TEXT;
   CREATE TABLE webhooks (
     run_id TEXT PRIMARY KEY, url TEXT NOT NULL, format TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX webhooks_pending ON webhooks (state);
   CREATE TABLE webhook_attempts (
     run_id TEXT NOT NULL, attempt INTEGER NOT NULL, at TEXT NOT NULL, ms REAL NOT NULL, status INTEGER, error TEXT,
     PRIMARY KEY (run_id, attempt));`,
];

export interface TokenRow {
  id: number;
  name: string;
  class: string;
  role: Role;
  hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface RunRow {
  id: string;
  token_id: number;
  user: string;
  class: string;
  kind: 'run' | 'judge';
  language: string;
  problem: string | null;
  request: string;
  state: RunState;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  status: string | null;
  score: number | null;
  cpu_ms: number;
  result: string | null;
  /** For a run through a compatible API: what that API needs to answer about it (JSON). */
  client: string | null;
}

export interface WebhookRow {
  run_id: string;
  url: string;
  /** Which body it gets: 'native' (the run's record) or a compatible API's ('judge0'). */
  format: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
}

export interface ProblemRow {
  id: string;
  class: string;
  name: string;
  dir: string;
  info: string;
  created_by: string;
  created_at: string;
}

const now = () => new Date().toISOString();

export class Store {
  readonly db: Database.Database;

  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(path.join(dataDir, 'verdict.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
    const at = row ? Number(row.value) : 0;
    for (let v = at; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db
          .prepare("INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .run(String(v + 1));
      })();
    }
  }

  /** Prepared statements, compiled once each (every statement after the migrations): a submission runs a dozen of them. */
  private readonly statements = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  /** Whether the database takes writes (for /readyz). */
  writable(): boolean {
    try {
      this.stmt("INSERT INTO meta (key, value) VALUES ('ready', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(now());
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.db.close();
  }

  // ---- classes and tokens ----

  /** Class limits are read for every submission and every start: kept here, written through. */
  private readonly limitsCache = new Map<string, ClassLimits>();

  classLimits(name: string): ClassLimits {
    const known = this.limitsCache.get(name);
    if (known) return known;
    const row = this.stmt('SELECT limits FROM classes WHERE name = ?').get(name) as { limits: string } | undefined;
    const limits = row ? { ...DEFAULT_CLASS_LIMITS, ...(JSON.parse(row.limits) as Partial<ClassLimits>) } : DEFAULT_CLASS_LIMITS;
    this.limitsCache.set(name, limits);
    return limits;
  }

  setClassLimits(name: string, limits: ClassLimits): void {
    this.limitsCache.set(name, limits);
    this.stmt(
      'INSERT INTO classes (name, limits, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET limits = excluded.limits',
    ).run(name, JSON.stringify(limits), now());
  }

  ensureClass(name: string): void {
    this.stmt('INSERT OR IGNORE INTO classes (name, limits, created_at) VALUES (?, ?, ?)').run(
      name,
      JSON.stringify(DEFAULT_CLASS_LIMITS),
      now(),
    );
  }

  addToken(t: { name: string; class: string; role: Role; hash: string; expiresAt?: string }): void {
    this.ensureClass(t.class);
    this.stmt('INSERT INTO tokens (name, class, role, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      t.name,
      t.class,
      t.role,
      t.hash,
      now(),
      t.expiresAt ?? null,
    );
  }

  tokenByHash(hash: string): TokenRow | undefined {
    return this.stmt('SELECT * FROM tokens WHERE hash = ?').get(hash) as TokenRow | undefined;
  }

  tokenByName(cls: string, name: string): TokenRow | undefined {
    return this.stmt('SELECT * FROM tokens WHERE class = ? AND name = ?').get(cls, name) as TokenRow | undefined;
  }

  revokeToken(id: number): void {
    this.stmt('UPDATE tokens SET revoked_at = ? WHERE id = ?').run(now(), id);
  }

  // ---- problems ----

  putProblem(p: Omit<ProblemRow, 'created_at'>): void {
    this.stmt(
      `INSERT INTO problems (id, class, name, dir, info, created_by, created_at) VALUES (@id, @class, @name, @dir, @info, @created_by, @created_at)
         ON CONFLICT (id) DO UPDATE SET class = excluded.class, name = excluded.name, dir = excluded.dir, info = excluded.info,
           created_by = excluded.created_by, created_at = excluded.created_at`,
    ).run({ ...p, created_at: now() });
  }

  problem(id: string): ProblemRow | undefined {
    return this.stmt('SELECT * FROM problems WHERE id = ?').get(id) as ProblemRow | undefined;
  }

  problems(cls?: string): ProblemRow[] {
    return (
      cls ? this.stmt('SELECT * FROM problems WHERE class = ? ORDER BY id').all(cls) : this.stmt('SELECT * FROM problems ORDER BY id').all()
    ) as ProblemRow[];
  }

  // ---- runs ----

  /** A new run, and its webhook if it asked for one: one transaction, so neither is stored without the other. */
  addRun(
    r: Pick<RunRow, 'id' | 'token_id' | 'user' | 'class' | 'kind' | 'language' | 'problem' | 'request'> & { client?: string | null },
    webhook?: { url: string; format: string },
  ): RunRow {
    const row: RunRow = {
      ...r,
      client: r.client ?? null,
      state: 'queued',
      attempts: 0,
      created_at: now(),
      started_at: null,
      finished_at: null,
      status: null,
      score: null,
      cpu_ms: 0,
      result: null,
    };
    this.db.transaction(() => {
      this.stmt(
        `INSERT INTO runs (id, token_id, user, class, kind, language, problem, request, state, attempts, created_at, client)
           VALUES (@id, @token_id, @user, @class, @kind, @language, @problem, @request, @state, @attempts, @created_at, @client)`,
      ).run(row);
      if (webhook)
        this.stmt("INSERT INTO webhooks (run_id, url, format, state) VALUES (?, ?, ?, 'pending')").run(row.id, webhook.url, webhook.format);
    })();
    return row;
  }

  run(id: string): RunRow | undefined {
    return this.stmt('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  }

  /** Runs not yet done, oldest first: what a (re)started service must carry out. */
  unfinishedRuns(): RunRow[] {
    return this.stmt("SELECT * FROM runs WHERE state IN ('queued', 'running') ORDER BY created_at, rowid").all() as RunRow[];
  }

  startRun(id: string): void {
    this.stmt("UPDATE runs SET state = 'running', started_at = ?, attempts = attempts + 1 WHERE id = ?").run(now(), id);
  }

  requeueRun(id: string): void {
    this.stmt("UPDATE runs SET state = 'queued', started_at = NULL WHERE id = ?").run(id);
  }

  finishRun(id: string, state: 'done' | 'cancelled', out: { status: string; score?: number; cpuMs: number; result: string }): void {
    this.stmt('UPDATE runs SET state = ?, finished_at = ?, status = ?, score = ?, cpu_ms = ?, result = ? WHERE id = ?').run(
      state,
      now(),
      out.status,
      out.score ?? null,
      out.cpuMs,
      out.result,
      id,
    );
  }

  /** CPU seconds a token's runs used since a time (its daily budget). */
  cpuSecondsSince(tokenId: number, since: string): number {
    const row = this.stmt('SELECT COALESCE(SUM(cpu_ms), 0) AS ms FROM runs WHERE token_id = ? AND finished_at >= ?').get(
      tokenId,
      since,
    ) as { ms: number };
    return row.ms / 1000;
  }

  /** The submissions log, newest first, filtered. */
  submissions(filter: { class?: string; user?: string; problem?: string; limit: number }): RunRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.class) (where.push('class = ?'), args.push(filter.class));
    if (filter.user) (where.push('user = ?'), args.push(filter.user));
    if (filter.problem) (where.push('problem = ?'), args.push(filter.problem));
    const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return this.stmt(sql).all(...args, filter.limit) as RunRow[];
  }

  /**
   * Finished judges of stored problems, per problem and verdict and per problem in all, with how many
   * students (class/name) each counts: the teacher page's statistics. All classes when `cls` is not given.
   */
  problemStats(cls?: string): {
    verdicts: Array<{ problem: string; status: string; runs: number; users: number }>;
    totals: Array<{ problem: string; runs: number; users: number }>;
  } {
    const where = `WHERE problem IS NOT NULL AND status IS NOT NULL ${cls ? 'AND class = ?' : ''}`;
    const args = cls ? [cls] : [];
    const users = "COUNT(DISTINCT class || '/' || user)";
    return {
      verdicts: this.stmt(`SELECT problem, status, COUNT(*) AS runs, ${users} AS users FROM runs ${where} GROUP BY problem, status`).all(
        ...args,
      ) as Array<{ problem: string; status: string; runs: number; users: number }>,
      totals: this.stmt(`SELECT problem, COUNT(*) AS runs, ${users} AS users FROM runs ${where} GROUP BY problem ORDER BY problem`).all(
        ...args,
      ) as Array<{ problem: string; runs: number; users: number }>,
    };
  }

  /** Runs waiting or running, oldest first, without their request or result (the live queue on the teacher page). */
  activeRuns(cls?: string): RunRow[] {
    const sql = `SELECT id, token_id, user, class, kind, language, problem, '' AS request, state, attempts, created_at, started_at,
      finished_at, status, score, cpu_ms, NULL AS result, client FROM runs WHERE state IN ('queued', 'running') ${cls ? 'AND class = ?' : ''}
      ORDER BY created_at, rowid`;
    return this.stmt(sql).all(...(cls ? [cls] : [])) as RunRow[];
  }

  // ---- webhooks ----

  webhook(runId: string): WebhookRow | undefined {
    return this.stmt('SELECT * FROM webhooks WHERE run_id = ?').get(runId) as WebhookRow | undefined;
  }

  /** Webhooks of ended runs not yet delivered (nor given up): what a restarted server sends. */
  pendingWebhooks(): WebhookRow[] {
    return this.stmt(
      "SELECT w.* FROM webhooks w JOIN runs r ON r.id = w.run_id WHERE w.state = 'pending' AND r.state IN ('done', 'cancelled')",
    ).all() as WebhookRow[];
  }

  addWebhookAttempt(
    runId: string,
    a: { attempt: number; at: string; ms: number; status?: number | undefined; error?: string | undefined },
  ): void {
    this.db.transaction(() => {
      this.stmt('INSERT INTO webhook_attempts (run_id, attempt, at, ms, status, error) VALUES (?, ?, ?, ?, ?, ?)').run(
        runId,
        a.attempt,
        a.at,
        a.ms,
        a.status ?? null,
        a.error ?? null,
      );
      this.stmt('UPDATE webhooks SET attempts = ? WHERE run_id = ?').run(a.attempt, runId);
    })();
  }

  endWebhook(runId: string, state: 'delivered' | 'failed'): void {
    this.stmt('UPDATE webhooks SET state = ? WHERE run_id = ?').run(state, runId);
  }

  webhookAttempts(runId: string): Array<{ attempt: number; at: string; ms: number; status?: number; error?: string }> {
    const rows = this.stmt('SELECT attempt, at, ms, status, error FROM webhook_attempts WHERE run_id = ? ORDER BY attempt').all(
      runId,
    ) as Array<{
      attempt: number;
      at: string;
      ms: number;
      status: number | null;
      error: string | null;
    }>;
    return rows.map((r) => ({
      attempt: r.attempt,
      at: r.at,
      ms: r.ms,
      ...(r.status !== null ? { status: r.status } : {}),
      ...(r.error !== null ? { error: r.error } : {}),
    }));
  }

  /** The server's webhook signing secret: made on first use, kept in the database. */
  webhookSecret(): string {
    const row = this.stmt("SELECT value FROM meta WHERE key = 'webhook_secret'").get() as { value: string } | undefined;
    if (row) return row.value;
    const secret = `whsec_${randomBytes(32).toString('hex')}`;
    this.stmt("INSERT OR IGNORE INTO meta (key, value) VALUES ('webhook_secret', ?)").run(secret);
    return (this.stmt("SELECT value FROM meta WHERE key = 'webhook_secret'").get() as { value: string }).value;
  }

  // ---- events ----

  addEvent(runId: string, seq: number, data: string): void {
    this.stmt('INSERT INTO events (run_id, seq, data) VALUES (?, ?, ?)').run(runId, seq, data);
  }

  events(runId: string, after: number): Array<{ seq: number; data: string }> {
    return this.stmt('SELECT seq, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq').all(runId, after) as Array<{
      seq: number;
      data: string;
    }>;
  }

  lastEventSeq(runId: string): number {
    const row = this.stmt('SELECT MAX(seq) AS seq FROM events WHERE run_id = ?').get(runId) as { seq: number | null };
    return row.seq ?? 0;
  }

  /** A run started over: its events of the failed attempt go (the new attempt writes its own). */
  clearEvents(runId: string, after: number): void {
    this.stmt('DELETE FROM events WHERE run_id = ? AND seq > ?').run(runId, after);
  }
}
