// GET /v1/stats: what a teacher watches during a class — per problem, how many judges ended with each
// verdict and how many students solved it; the live queue (the class's runs waiting and running);
// the warm pool. A teacher sees their class, an admin any class or all; a student is refused (403).
// Counts and names only: no source, output or test data of any kind.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProblemInfo, ProblemStats, QueuedRunInfo, Stats } from '../../protocol/http';
import { requireRole } from './auth';
import type { Service } from './service';
import type { TokenRow } from './store';

export function statsOf(service: Service, cls: string | undefined): Stats {
  const { verdicts, totals } = service.store.problemStats(cls);
  const problems = new Map<string, ProblemStats>();
  for (const p of service.store.problems(cls)) {
    const info = JSON.parse(p.info) as ProblemInfo;
    problems.set(p.id, { problem: p.id, name: info.name, runs: 0, students: 0, solvedBy: 0, verdicts: {} });
  }
  // A problem removed or moved since keeps its history under its id.
  const entry = (id: string) => {
    let e = problems.get(id);
    if (!e) problems.set(id, (e = { problem: id, name: id, runs: 0, students: 0, solvedBy: 0, verdicts: {} }));
    return e;
  };
  for (const t of totals) Object.assign(entry(t.problem), { runs: t.runs, students: t.users });
  for (const v of verdicts) {
    const e = entry(v.problem);
    e.verdicts[v.status] = v.runs;
    if (v.status === 'Accepted') e.solvedBy = v.users;
  }
  const runs: QueuedRunInfo[] = service.store.activeRuns(cls).map((row) => {
    const record = service.record(row);
    return {
      id: row.id,
      user: row.user,
      class: row.class,
      kind: row.kind,
      language: row.language,
      ...(row.problem ? { problem: row.problem } : {}),
      state: row.state === 'running' ? 'running' : 'queued',
      ...(record.position !== undefined ? { position: record.position } : {}),
      createdAt: row.created_at,
      ...(row.started_at ? { startedAt: row.started_at } : {}),
    };
  });
  return {
    ...(cls ? { class: cls } : {}),
    at: new Date().toISOString(),
    problems: [...problems.values()].sort((a, b) => a.problem.localeCompare(b.problem)),
    queue: { queued: runs.filter((r) => r.state === 'queued').length, running: runs.filter((r) => r.state === 'running').length, runs },
    server: service.depth,
    pool: service.runner.pool.size,
  };
}

/** Registers GET /v1/stats (`?class=` for an admin; a teacher gets their own class). */
export function statsRoute(app: FastifyInstance, service: Service, caller: (req: FastifyRequest) => TokenRow): void {
  app.get('/v1/stats', async (req) => {
    const who = caller(req);
    const query = z.object({ class: z.string().optional() }).strict().parse(req.query);
    const cls = who.role === 'admin' ? query.class : (query.class ?? who.class);
    requireRole(who, 'teacher', cls);
    return statsOf(service, cls);
  });
}
