// The web pages of `verdict serve`: a student page at / (pick a problem or run free code, submit,
// watch the verdict stream in) and a teacher page at /teacher (the submissions log, per-problem
// statistics, the live queue and the warm pool), with the statistics endpoint they read (stats.ts).
// Plain HTML, CSS and a small module script per page from runner/service/web/ — no build step; the
// bundle gets a copy next to it (scripts/build.mjs: dist/runner/web/). Only the files found there at
// start are served, by name. Every page carries a Content-Security-Policy that allows scripts from
// this server only (no inline script): what a program prints is text, never markup.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Service } from './service';
import { statsRoute } from './stats';
import type { TokenRow } from './store';

/** From the sources (runner/service/web) and from the bundle (dist/runner/web): the folder next to this code. */
const WEB_DIR = path.join(__dirname, 'web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGES: Record<string, string> = { '/': 'student.html', '/teacher': 'teacher.html' };

/** Registers the pages, their assets (/web/<file>) and GET /v1/stats. */
export function webRoutes(app: FastifyInstance, service: Service, caller: (req: FastifyRequest) => TokenRow): void {
  statsRoute(app, service, caller);
  const files = new Map<string, { body: Buffer; type: string }>();
  if (existsSync(WEB_DIR))
    for (const name of readdirSync(WEB_DIR)) {
      const type = TYPES[path.extname(name)];
      if (type) files.set(name, { body: readFileSync(path.join(WEB_DIR, name)), type });
    }
  const send = (name: string) => async (_req: FastifyRequest, reply: FastifyReply) => {
    const file = files.get(name);
    if (!file)
      return reply
        .status(404)
        .send({ error: 'not_found', message: `There is no page ${name} here (the web folder ${WEB_DIR} is missing).` });
    return reply
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .header('Cache-Control', 'no-cache')
      .type(file.type)
      .send(file.body);
  };
  for (const [route, name] of Object.entries(PAGES)) app.get(route, send(name));
  app.get('/web/:name', (req, reply) => {
    const name = (req.params as { name: string }).name;
    if (!files.has(name) || name.endsWith('.html'))
      return reply.status(404).send({ error: 'not_found', message: `There is no file ${name} here.` });
    return send(name)(req, reply);
  });
}
