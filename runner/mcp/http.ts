// `verdict serve`'s /mcp: the same tools over MCP's streamable HTTP transport, behind the service's
// tokens. Each session belongs to the token that opened it (another token gets 404 for it); every
// request is authenticated again (a revoked token is refused at once); its runs go through the
// service's own submit, so roles, quotas, the fair queue and hidden-test redaction apply as to any
// run. Sessions left idle are closed; a token keeps a few at most.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { RunCancelled, type LanguageDefinition } from '../index';
import { SubmitRequest, type LanguageInfo, type RunEvent, type RunRecord } from '../../protocol/http';
import { queueBackend, type RunQueue } from './backends';
import { createMcpSession, DEFAULT_CPU_BUDGET_SECONDS } from './server';

const SESSION_IDLE_MS = 30 * 60_000;
const SESSIONS_PER_TOKEN = 8;

/** What /mcp needs of the classroom service (its Service satisfies it): submitting as a caller, following, cancelling. */
export interface McpServiceHost<Caller extends { id: number }, Row> {
  submit(caller: Caller, body: SubmitRequest): { id: string };
  follow(runId: string, after: number, send: (seq: number, event: RunEvent, json: string) => void): () => void;
  cancel(row: Row): boolean;
  record(row: Row): RunRecord;
  languages(): Promise<LanguageInfo[]>;
  readonly store: { run(id: string): Row | undefined };
  readonly runner: { readonly languages: Map<string, LanguageDefinition> };
}

export interface McpRouteOptions {
  /** CPU-seconds each session may use (the token's daily quota applies as well). */
  cpuBudgetSeconds?: number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  owner: number;
  lastUsed: number;
}

/** Registers POST/GET/DELETE /mcp on the service's app; `caller` is the app's own authentication (401 without a token). */
export function registerMcpRoutes<Caller extends { id: number }, Row>(
  app: FastifyInstance,
  host: McpServiceHost<Caller, Row>,
  caller: (req: FastifyRequest) => Caller,
  options: McpRouteOptions = {},
): void {
  const sessions = new Map<string, Session>();
  const refuse = (statusCode: number, code: string, message: string) => Object.assign(new Error(message), { statusCode, code });

  const open = async (who: Caller): Promise<Session> => {
    const mine = [...sessions.values()].filter((s) => s.owner === who.id).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const old of mine.slice(0, Math.max(0, mine.length - SESSIONS_PER_TOKEN + 1))) await old.transport.close();
    const session: Session = {
      owner: who.id,
      lastUsed: Date.now(),
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => void sessions.set(id, session),
      }),
    };
    session.transport.onclose = () => {
      if (session.transport.sessionId) sessions.delete(session.transport.sessionId);
    };
    const server = createMcpSession({
      backend: queueBackend(serviceQueue(host, who)),
      cpuBudgetSeconds: options.cpuBudgetSeconds ?? DEFAULT_CPU_BUDGET_SECONDS,
    });
    await server.connect(session.transport);
    return session;
  };

  const handle = async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const who = caller(req);
    const id = req.headers['mcp-session-id'];
    let session = typeof id === 'string' ? sessions.get(id) : undefined;
    if (id !== undefined && (!session || session.owner !== who.id))
      throw refuse(404, 'unknown_session', 'There is no such MCP session of yours (it ended or expired): start a new one.');
    if (!session) {
      if (req.method !== 'POST' || !isInitializeRequest(req.body))
        throw refuse(400, 'bad_request', 'Start an MCP session with an initialize request (POST /mcp without Mcp-Session-Id).');
      session = await open(who);
    }
    session.lastUsed = Date.now();
    reply.hijack();
    try {
      await session.transport.handleRequest(req.raw, reply.raw, req.body);
    } catch (err) {
      req.log.error({ err: (err as Error).message }, 'mcp request failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' });
      if (!reply.raw.writableEnded)
        reply.raw.end(JSON.stringify({ error: 'internal', message: `The server failed on this MCP request (${(err as Error).message}).` }));
    }
  };
  app.post('/mcp', handle);
  app.get('/mcp', handle);
  app.delete('/mcp', handle);

  const sweep = setInterval(() => {
    for (const s of sessions.values()) if (Date.now() - s.lastUsed > SESSION_IDLE_MS) void s.transport.close();
  }, 60_000).unref();
  // Before the server stops listening: an open session's event stream would otherwise hold the close up.
  app.addHook('preClose', async () => {
    clearInterval(sweep);
    await Promise.all([...sessions.values()].map((s) => s.transport.close()));
  });
}

/** The service's queue as the tools use it, as one caller: the same validation and submit as POST /v1/runs. */
function serviceQueue<Caller extends { id: number }, Row>(host: McpServiceHost<Caller, Row>, who: Caller): RunQueue {
  const row = (id: string) => {
    const r = host.store.run(id);
    if (!r) throw new Error(`Run ${id} is gone.`);
    return r;
  };
  return {
    definitions: host.runner.languages,
    async submit(body) {
      const parsed = SubmitRequest.safeParse(body);
      if (!parsed.success) throw new Error(`Invalid request: ${z.prettifyError(parsed.error)}`);
      return host.submit(who, parsed.data).id;
    },
    follow(id, onEvent, signal) {
      return new Promise<RunRecord>((resolve, reject) => {
        let stop: (() => void) | undefined;
        let ended = false;
        const end = () => {
          ended = true;
          stop?.();
          signal.removeEventListener('abort', abort);
        };
        const abort = () => (end(), reject(new RunCancelled()));
        if (signal.aborted) return abort();
        signal.addEventListener('abort', abort, { once: true });
        // Stored events are replayed at once (a run may be done before this follows it), then live ones.
        stop = host.follow(id, 0, (_seq, event) => {
          if (ended) return;
          if (event.type !== 'done') return onEvent(event);
          end();
          resolve(event.record);
        });
        if (ended) stop();
      });
    },
    async cancel(id) {
      host.cancel(row(id));
    },
    languages: () => host.languages(),
  };
}
