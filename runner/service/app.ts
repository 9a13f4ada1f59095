// The classroom service's HTTP layer (fastify): routes, authentication and roles, validation with the
// protocol's zod schemas (protocol/http.ts, also the OpenAPI document), errors as precise 4xx/5xx
// bodies, Server-Sent Events, metrics. Everything it does is the Service's (service.ts); a request
// is validated in full before anything is made or stored.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z, ZodError } from 'zod';
import type { Logger } from 'pino';
import {
  Accepted,
  ClassLimits,
  ErrorBody,
  LanguageInfo,
  ProblemInfo,
  Role,
  RunEvent,
  RunRecord,
  Stats,
  SubmitRequest,
} from '../../protocol/http';
import { AuthError, authenticate, createToken, requireRole } from './auth';
import { ServiceError } from './quotas';
import type { Service } from './service';
import type { RunRow, TokenRow } from './store';
import { PROBLEM_ID, storeProblem } from './problems';
import { registerMcpRoutes } from '../mcp/http';
import { webRoutes } from './web';
import { registerJudge0 } from './compat/judge0';
import { registerPiston } from './compat/piston';

export const API_VERSION = '1';
/** Request bodies: a run's stdin may be 256 MiB (base64 grows it by a third), an archive as much. */
const BODY_LIMIT = 400 * 1024 * 1024;
const MAX_WAIT_MS = 60_000;
const ARCHIVE_TYPES = ['application/zip', 'application/gzip', 'application/x-gzip', 'application/x-tar', 'application/octet-stream'];

declare module 'fastify' {
  interface FastifyRequest {
    caller?: TokenRow;
  }
}

export interface AppOptions {
  /**
   * Local mode (the user's daemon on a unix socket, runner/daemon/): every caller is this token's
   * owner, with no token asked: whoever can open the socket is the user (docs/daemon.md).
   */
  localOwner?: TokenRow;
}

export async function buildApp(service: Service, log: Logger, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdLogLabel: 'requestId',
    disableRequestLogging: false,
  });
  for (const type of ARCHIVE_TYPES)
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const body = (status: number, error: string, message: string, extra: { retryAfterSeconds?: number; limit?: string } = {}) => {
      if (extra.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(extra.retryAfterSeconds));
      const payload: ErrorBody = { error, message, ...extra, requestId: req.id };
      return reply.status(status).send(payload);
    };
    if (err instanceof ZodError) return body(400, 'bad_request', z.prettifyError(err));
    if (err instanceof AuthError) return body(err.status, err.code, err.message);
    if (err instanceof ServiceError) return body(err.status, err.code, err.message, err.extra);
    if (err.name === 'UsageError' || err.name === 'SpecInvalid') return body(400, 'bad_request', err.message);
    if (err.statusCode && err.statusCode < 500) return body(err.statusCode, err.code ?? 'bad_request', err.message);
    req.log.error({ err: err.message }, 'request failed');
    return body(500, 'internal', `The server failed on this request (${err.message}).`);
  });

  /** The caller of a request, or 401; logs carry their name and class (never the token). */
  const caller = (req: FastifyRequest): TokenRow => {
    if (req.caller) return req.caller;
    if (options.localOwner) return (req.caller = options.localOwner);
    const header = req.headers.authorization ?? (req.headers['x-auth-token'] as string | undefined);
    const row = authenticate(service.store, header);
    req.caller = row;
    req.log = req.log.child({ user: row.name, class: row.class });
    return row;
  };

  /** A run the caller may see: their own; a teacher, their class's; an admin, any. Else 404 (its existence is not told). */
  const visibleRun = (req: FastifyRequest, id: string): RunRow => {
    const who = caller(req);
    const row = service.store.run(id);
    const allowed = row && (row.token_id === who.id || who.role === 'admin' || (who.role === 'teacher' && who.class === row.class));
    if (!row || !allowed) throw new ServiceError(404, 'unknown_run', `There is no run ${id} that you may see.`);
    return row;
  };

  // ---- the compatible APIs (Judge0's, Piston's): each in its own scope, with its own error shapes ----
  registerJudge0(app, service, { caller, visibleRun });
  registerPiston(app, service, { caller, visibleRun });

  // ---- health ----
  app.get('/healthz', async () => ({ ok: true, version: API_VERSION }));
  app.get('/readyz', async (_req, reply) => {
    const r = await service.readiness();
    return reply.status(r.ready ? 200 : 503).send(r);
  });
  app.get('/metrics', async (_req, reply) => {
    service.metrics.warmContainers.set(service.runner.pool.size.total);
    return reply.type(service.metrics.registry.contentType).send(await service.metrics.registry.metrics());
  });
  app.get('/openapi.json', async () => openApiDocument());
  app.get('/docs', async (_req, reply) => reply.type('text/html').send(DOCS_PAGE));

  // ---- runs ----
  const submit = async (req: FastifyRequest, reply: FastifyReply, alias = false) => {
    const who = caller(req);
    const body = SubmitRequest.parse(req.body);
    const row = service.submit(who, body);
    const query = z
      .object({ wait: z.enum(['true', 'false']).optional(), timeout: z.coerce.number().int().min(0).max(MAX_WAIT_MS).optional() })
      .parse(req.query);
    if (query.wait === 'true') {
      const record = await service.waitFor(row.id, query.timeout ?? 30_000);
      if (record) return reply.status(200).send(alias ? { submission_id: row.id, ...record } : record);
    }
    const current = service.record(service.store.run(row.id)!);
    const accepted: Accepted = {
      id: row.id,
      state: current.state,
      ...(current.position !== undefined ? { position: current.position } : {}),
    };
    return reply.status(202).send(alias ? { submission_id: row.id, ...accepted } : accepted);
  };
  app.post('/v1/runs', (req, reply) => submit(req, reply));
  app.get('/v1/runs/:id', async (req) => service.record(visibleRun(req, (req.params as { id: string }).id)));
  app.delete('/v1/runs/:id', async (req) => {
    const row = visibleRun(req, (req.params as { id: string }).id);
    return { id: row.id, cancelled: service.cancel(row) };
  });
  app.get('/v1/runs/:id/events', async (req, reply) => {
    const row = visibleRun(req, (req.params as { id: string }).id);
    const from = Number(req.headers['last-event-id'] ?? (req.query as { lastEventId?: string }).lastEventId ?? 0) || 0;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    let stop = () => undefined as void;
    const end = () => {
      clearInterval(heartbeat);
      stop();
      res.end();
    };
    req.raw.on('close', end);
    // The event as stored: written once as JSON, sent to every follower as it is.
    stop = service.follow(row.id, from, (seq, event: RunEvent, json) => {
      // A live-only event (seq 0, a new place in the queue) has no id: Last-Event-ID never points at it.
      res.write(`${seq ? `id: ${seq}\n` : ''}event: ${event.type}\ndata: ${json}\n\n`);
      if (event.type === 'done') end();
    });
  });
  // The two-call shape many execution services document.
  app.post('/execute', (req, reply) => submit(req, reply, true));
  app.get('/result/:id', async (req) => {
    const record = service.record(visibleRun(req, (req.params as { id: string }).id));
    return { submission_id: record.id, ...record };
  });

  app.get('/v1/languages', async (req) => {
    caller(req);
    return service.languages();
  });

  // ---- classes, tokens, limits ----
  app.post('/v1/tokens', async (req, reply) => {
    const who = caller(req);
    const body = z
      .object({
        name: z.string(),
        role: Role.default('student'),
        class: z.string().optional(),
        expiresDays: z.number().int().positive().max(3650).optional(),
      })
      .strict()
      .parse(req.body);
    const cls = body.class ?? who.class;
    requireRole(who, body.role === 'student' ? 'teacher' : 'admin', cls);
    const token = createToken(service.store, {
      name: body.name,
      class: cls,
      role: body.role,
      ...(body.expiresDays ? { expiresDays: body.expiresDays } : {}),
    });
    req.log.info({ token: body.name, role: body.role, forClass: cls }, 'token created');
    return reply.status(201).send({ name: body.name, class: cls, role: body.role, token });
  });
  app.delete('/v1/tokens/:class/:name', async (req) => {
    const who = caller(req);
    const { class: cls, name } = req.params as { class: string; name: string };
    requireRole(who, 'teacher', cls);
    const row = service.store.tokenByName(cls, name);
    if (!row) throw new ServiceError(404, 'unknown_token', `There is no token ${name} in class ${cls}.`);
    if (row.role !== 'student') requireRole(who, 'admin');
    service.store.revokeToken(row.id);
    return { name, class: cls, revoked: true };
  });
  app.get('/v1/classes/:class/limits', async (req) => {
    const cls = (req.params as { class: string }).class;
    requireRole(caller(req), 'student', cls);
    return service.store.classLimits(cls);
  });
  app.put('/v1/classes/:class/limits', async (req) => {
    const cls = (req.params as { class: string }).class;
    requireRole(caller(req), 'teacher', cls);
    const limits = ClassLimits.parse(req.body);
    service.store.setClassLimits(cls, limits);
    return limits;
  });

  // ---- problems ----
  app.post('/v1/problems', async (req, reply) => {
    const who = caller(req);
    const query = z
      .object({ id: z.string().regex(PROBLEM_ID, 'a problem id: lower-case letters, digits, - and _'), class: z.string().optional() })
      .parse(req.query);
    const cls = query.class ?? who.class;
    requireRole(who, 'teacher', cls);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0)
      throw new ServiceError(
        400,
        'bad_archive',
        `Send the package as the request body, a zip or tar.gz (Content-Type: ${ARCHIVE_TYPES.slice(0, 2).join(' or ')}).`,
      );
    const existing = service.store.problem(query.id);
    if (existing && existing.class !== cls) requireRole(who, 'admin');
    const info = await storeProblem(service.store, service.runner, { id: query.id, class: cls, archive: req.body, by: who.name });
    req.log.info({ problem: query.id, hiddenTests: info.hiddenTests }, 'problem stored');
    return reply.status(201).send(info);
  });
  app.get('/v1/problems', async (req) => {
    const who = caller(req);
    return service.store.problems(who.role === 'admin' ? undefined : who.class).map((p) => JSON.parse(p.info) as ProblemInfo);
  });
  app.get('/v1/problems/:id', async (req) => {
    const who = caller(req);
    const p = service.store.problem((req.params as { id: string }).id);
    if (!p || (who.role !== 'admin' && p.class !== who.class))
      throw new ServiceError(404, 'unknown_problem', 'There is no such problem that you may see.');
    return JSON.parse(p.info) as ProblemInfo;
  });

  // ---- MCP for AI agents: the same tools as `verdict mcp`, as this caller, through submit (runner/mcp/http.ts) ----
  registerMcpRoutes(app, service, caller);

  // ---- the submissions log ----
  app.get('/v1/submissions', async (req, reply) => {
    const who = caller(req);
    const q = z
      .object({
        class: z.string().optional(),
        user: z.string().optional(),
        problem: z.string().optional(),
        format: z.enum(['json', 'csv']).default('json'),
        limit: z.coerce.number().int().min(1).max(100_000).default(1000),
      })
      .parse(req.query);
    // Students see only their own; teachers their class; admins anything.
    const filter =
      who.role === 'student'
        ? { class: who.class, user: who.name, limit: q.limit, ...(q.problem ? { problem: q.problem } : {}) }
        : {
            class: who.role === 'admin' ? q.class : who.class,
            limit: q.limit,
            ...(q.user ? { user: q.user } : {}),
            ...(q.problem ? { problem: q.problem } : {}),
          };
    const rows = service.store.submissions(filter).map(logEntry);
    if (q.format === 'json') return rows;
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="submissions.csv"').send(toCsv(rows));
  });

  // ---- the web pages for students and teachers, and the statistics they show ----
  webRoutes(app, service, caller);

  return app;
}

/** A submissions-log line: who ran what, when, with what verdict and score (no test data of any kind). */
function logEntry(r: RunRow) {
  return {
    id: r.id,
    createdAt: r.created_at,
    user: r.user,
    class: r.class,
    kind: r.kind,
    language: r.language,
    problem: r.problem ?? '',
    state: r.state,
    status: r.status ?? '',
    score: r.score ?? '',
    cpuMs: r.cpu_ms,
  };
}

/** CSV for spreadsheets: quoted fields, and a cell that a spreadsheet would run as a formula is defused. */
function toCsv(rows: Array<Record<string, string | number>>): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const header = rows[0]
    ? Object.keys(rows[0])
    : ['id', 'createdAt', 'user', 'class', 'kind', 'language', 'problem', 'state', 'status', 'score', 'cpuMs'];
  return [header.join(','), ...rows.map((r) => header.map((k) => cell(r[k] ?? '')).join(','))].join('\r\n') + '\r\n';
}

/** The OpenAPI 3.1 document, from the protocol's zod schemas. */
function openApiDocument(): object {
  const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });
  const json = (s: z.ZodType, io: 'input' | 'output' = 'output') => ({ content: { 'application/json': { schema: schema(s, io) } } });
  const errors = { '4XX': { description: 'What was wrong, in words', ...json(ErrorBody) } };
  const auth = [{ bearer: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Verdict classroom service',
      version: API_VERSION,
      description: 'Run and judge code in hardened sandboxes. Results never carry hidden test data.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/v1/runs': {
        post: {
          summary: 'Submit a run or a judge',
          security: auth,
          parameters: [
            { name: 'wait', in: 'query', schema: { type: 'boolean' } },
            { name: 'timeout', in: 'query', schema: { type: 'integer', maximum: MAX_WAIT_MS } },
          ],
          requestBody: { required: true, ...json(SubmitRequest, 'input') },
          responses: {
            '202': { description: 'Queued', ...json(Accepted) },
            '200': { description: 'Done (with wait=true)', ...json(RunRecord) },
            ...errors,
          },
        },
      },
      '/v1/runs/{id}': {
        get: {
          summary: 'A run and its result',
          security: auth,
          responses: { '200': { description: 'The run', ...json(RunRecord) }, ...errors },
        },
        delete: {
          summary: 'Cancel a run (its sandbox is killed)',
          security: auth,
          responses: { '200': { description: 'Cancelled' }, ...errors },
        },
      },
      '/v1/runs/{id}/events': {
        get: {
          summary: 'Server-Sent Events of a run, in order, resumable with Last-Event-ID',
          security: auth,
          responses: {
            '200': { description: 'text/event-stream of RunEvent', content: { 'text/event-stream': { schema: schema(RunEvent) } } },
            ...errors,
          },
        },
      },
      '/execute': {
        post: {
          summary: 'Alias of POST /v1/runs answering {submission_id}',
          security: auth,
          requestBody: json(SubmitRequest, 'input'),
          responses: errors,
        },
      },
      '/result/{id}': { get: { summary: 'Alias of GET /v1/runs/{id}', security: auth, responses: errors } },
      '/v1/languages': {
        get: {
          summary: 'Languages usable here, with versions',
          security: auth,
          responses: { '200': { description: 'Languages', ...json(z.array(LanguageInfo)) } },
        },
      },
      '/v1/problems': {
        post: {
          summary: 'Upload a problem package (zip or tar.gz) as ?id=',
          security: auth,
          responses: { '201': { description: 'Stored', ...json(ProblemInfo) }, ...errors },
        },
        get: {
          summary: 'Problems of your class',
          security: auth,
          responses: { '200': { description: 'Problems', ...json(z.array(ProblemInfo)) } },
        },
      },
      '/v1/tokens': { post: { summary: 'Create a token (teachers: students of their class)', security: auth, responses: errors } },
      '/v1/classes/{class}/limits': {
        get: { summary: "A class's limits", security: auth, responses: { '200': { description: 'Limits', ...json(ClassLimits) } } },
        put: { summary: "Set a class's limits (teachers)", security: auth, requestBody: json(ClassLimits, 'input'), responses: errors },
      },
      '/v1/submissions': { get: { summary: 'The submissions log (format=csv to export)', security: auth, responses: errors } },
      '/v1/stats': {
        get: {
          summary: 'Verdicts per problem, the live queue and the warm pool (teachers: their class; admins: ?class= or all)',
          security: auth,
          responses: { '200': { description: 'The statistics', ...json(Stats) }, ...errors },
        },
      },
      '/healthz': { get: { summary: 'Alive' } },
      '/readyz': { get: { summary: 'Docker reachable, images present, database writable' } },
      '/metrics': { get: { summary: 'Prometheus metrics' } },
    },
  };
}

/** Browsable docs without a build step or the internet: the OpenAPI document rendered by a small script. */
const DOCS_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Verdict API</title>
<style>body{font:15px system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code,pre{background:#f4f4f4;padding:.1rem .3rem}pre{padding:.6rem;overflow:auto}h2{margin-top:2rem}</style>
</head><body><h1>Verdict classroom service</h1><p>The API as <a href="/openapi.json">OpenAPI 3.1</a>. Send <code>Authorization: Bearer &lt;token&gt;</code>.</p><div id="paths"></div>
<script>
fetch('/openapi.json').then(r => r.json()).then(doc => {
  const root = document.getElementById('paths');
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    const h = document.createElement('h2'); h.textContent = method.toUpperCase() + ' ' + path; root.append(h);
    const p = document.createElement('p'); p.textContent = op.summary || ''; root.append(p);
    const body = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
    if (body) { const pre = document.createElement('pre'); pre.textContent = JSON.stringify(body.schema, null, 2); root.append(pre); }
  }
});
</script></body></html>`;
