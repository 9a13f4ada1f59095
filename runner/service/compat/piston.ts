// Piston's API v2 on the classroom service: POST /api/v2/execute (language by name or alias, a version
// selector, files in utf8/base64/hex, stdin, args, run limits) answered when the run ends, and GET
// /api/v2/runtimes (the languages usable here that the language definitions give a Piston name).
// Each execute is a run of this service: same queue, quotas and sandbox. Errors are Piston's
// {message} with a 4xx, before anything is stored; package management is refused (languages come
// with the server's images). docs/compat-piston.md lists what maps.
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS, sourceFileName } from '../../index';
import type { SubmitRequest } from '../../../protocol/http';
import type { RunResult } from '../../../protocol/results';
import type { Service } from '../service';
import { compatLanguages, type CompatLanguage } from './languages';
import type { Access } from './judge0';

/** An execute waits this long for its turn and its run (Piston has no asynchronous form). */
const MAX_WAIT_MS = 5 * 60_000;

class PistonError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Whether a Piston version selector ("*", "3", "3.x", "3.11", "3.11.2") takes this version. */
export function versionMatches(selector: string, version: string): boolean {
  const wanted = selector.trim().replace(/^[v=^~]/, '');
  if (wanted === '' || wanted === '*' || wanted === 'x' || wanted === 'latest') return true;
  const have = /(\d+(?:\.\d+)*)/.exec(version)?.[1]?.split('.') ?? [];
  const parts = wanted.split('.');
  return parts.every((p, i) => p === 'x' || p === '*' || p === have[i]);
}

export function registerPiston(app: FastifyInstance, service: Service, access: Access): void {
  void app.register(async (scope) => {
    scope.setErrorHandler((err: Error & { statusCode?: number; status?: number }, req, reply) => {
      const status = err.status ?? err.statusCode ?? 500;
      if (status >= 500) req.log.error({ err: err.message }, 'piston request failed');
      return reply.status(status).send({ message: status >= 500 ? `the server failed on this request (${err.message})` : err.message });
    });

    const runtimes = async (): Promise<CompatLanguage[]> =>
      (await compatLanguages(service)).filter((l) => l.definition.compat.piston.length);

    scope.get('/api/v2/runtimes', async (req) => {
      access.caller(req);
      return (await runtimes()).map((l) => {
        const [language, ...aliases] = l.definition.compat.piston;
        return { language, version: pistonVersion(l.info.version), aliases, runtime: l.definition.id };
      });
    });

    const packages = async () => {
      throw new PistonError(
        400,
        "package management is not supported: this server's languages come with its images (verdict images build)",
      );
    };
    scope.get('/api/v2/packages', packages);
    scope.post('/api/v2/packages', packages);
    scope.delete('/api/v2/packages', packages);

    scope.post('/api/v2/execute', async (req: FastifyRequest) => {
      const who = access.caller(req);
      const b = req.body as Record<string, unknown> | null;
      if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new PistonError(400, 'the body is a JSON object');
      const { language, version, files, stdin, args } = b;
      if (!language || typeof language !== 'string') throw new PistonError(400, 'language is required as a string');
      if (!version || typeof version !== 'string') throw new PistonError(400, 'version is required as a string');
      if (!Array.isArray(files) || files.length === 0) throw new PistonError(400, 'files is required as a non-empty array');
      const runtime = (await runtimes()).find(
        (l) => l.definition.compat.piston.includes(language.toLowerCase()) && versionMatches(version, l.info.version),
      );
      if (!runtime) throw new PistonError(400, `${language}-${version} runtime is unknown`);
      if (stdin !== undefined && typeof stdin !== 'string') throw new PistonError(400, 'stdin must be a string');
      if (args !== undefined && (!Array.isArray(args) || args.some((a) => typeof a !== 'string')))
        throw new PistonError(400, 'args must be an array of strings');
      const limit = (name: string, max: number, unit: string) => {
        const v = b[name];
        if (v === undefined || v === null || v === -1) return undefined;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new PistonError(400, `If specified, ${name} must be a number`);
        if (v < 0) throw new PistonError(400, `${name} must be non-negative`);
        if (v > max) throw new PistonError(400, `${name} cannot exceed the configured limit of ${max} (${unit})`);
        return v;
      };
      const runTimeout = limit('run_timeout', LIMITS.wallMs.max, 'ms');
      const runCpu = limit('run_cpu_time', LIMITS.cpuMs.max, 'ms');
      const runMemory = limit('run_memory_limit', LIMITS.memoryMb.max * 1024 * 1024, 'bytes');
      // Compile limits are the language's own here; still checked, so a wrong value is an error.
      limit('compile_timeout', 120_000, 'ms');
      limit('compile_cpu_time', 120_000, 'ms');
      limit('compile_memory_limit', 4096 * 1024 * 1024, 'bytes');
      const sources = files.map((f: unknown, i: number) => {
        const file = f as { name?: unknown; content?: unknown; encoding?: unknown };
        if (typeof file !== 'object' || file === null || typeof file.content !== 'string')
          throw new PistonError(400, `files[${i}].content is required as a string`);
        const encoding = file.encoding ?? 'utf8';
        if (encoding !== 'utf8' && encoding !== 'base64' && encoding !== 'hex')
          throw new PistonError(400, `files[${i}].encoding must be one of utf8, base64, hex`);
        const bytes = encoding === 'utf8' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content, encoding);
        if (encoding === 'base64' && !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(file.content))
          throw new PistonError(400, `files[${i}].content is not valid base64`);
        if (encoding === 'hex' && !/^([0-9a-fA-F]{2})*$/.test(file.content))
          throw new PistonError(400, `files[${i}].content is not valid hex`);
        if (!isUtf8(bytes)) throw new PistonError(400, `files[${i}]: source files must be UTF-8 text here`);
        const content = bytes.toString('utf8');
        if (file.name !== undefined && (typeof file.name !== 'string' || !/^[^/\\\0]+$/.test(file.name) || file.name === '..'))
          throw new PistonError(400, `files[${i}].name must be a plain file name, without directories`);
        // Piston runs the first file; here the first gets the language's own name for its main source.
        const name = typeof file.name === 'string' ? file.name : i === 0 ? sourceFileName(runtime.definition, content) : `file${i}`;
        return { name, content };
      });
      const limits = {
        ...(runCpu !== undefined
          ? { cpuMs: Math.max(1, Math.round(runCpu)) }
          : runTimeout !== undefined
            ? { cpuMs: Math.max(1, Math.round(runTimeout)) }
            : {}),
        ...(runTimeout !== undefined ? { wallMs: Math.max(1, Math.round(runTimeout)) } : {}),
        ...(runMemory !== undefined ? { memoryMb: Math.max(1, Math.ceil(runMemory / (1024 * 1024))) } : {}),
      };
      const body = {
        kind: 'run',
        language: runtime.definition.id,
        files: sources,
        ...(typeof stdin === 'string' && stdin ? { stdin } : {}),
        ...(Array.isArray(args) && args.length ? { args } : {}),
        ...(Object.keys(limits).length ? { limits } : {}),
      } as SubmitRequest;
      const row = service.submit(who, body, { client: { api: 'piston' } });
      const record = await service.waitFor(row.id, MAX_WAIT_MS);
      if (!record) throw new PistonError(503, 'the run did not end in time (the queue is long); try again later');
      const r = record.result as RunResult | undefined;
      if (!r) throw new PistonError(500, 'the run was cancelled');
      const [name] = runtime.definition.compat.piston;
      const run = stage(r);
      const compile = r.compile
        ? {
            stdout: '',
            stderr: r.compile.output,
            output: r.compile.output,
            code: r.compile.status === 'OK' ? 0 : 1,
            signal: null,
            message: r.compile.status === 'OK' ? null : r.compile.status,
            status: r.compile.status === 'OK' ? null : r.compile.status === 'Compile Error' ? 'RE' : 'XX',
          }
        : undefined;
      // As Piston does when the run stage never started, the compile stage stands in for it.
      return {
        language: name,
        version: pistonVersion(runtime.info.version),
        run: compile && r.compile?.status !== 'OK' ? compile : run,
        ...(compile ? { compile } : {}),
      };
    });
  });
}

/** The run stage as Piston reports it: output, exit code or signal, its status code and figures. */
function stage(r: RunResult) {
  const status =
    r.status === 'Time Limit Exceeded'
      ? 'TO'
      : r.status === 'Output Limit Exceeded'
        ? 'OL'
        : r.status === 'Internal Error'
          ? 'XX'
          : r.status === 'Runtime Error' || r.status === 'Memory Limit Exceeded'
            ? r.signal
              ? 'SG'
              : 'RE'
            : null;
  const killed = status === 'TO' || status === 'OL';
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    // Piston interleaves the two as they came; the sandbox keeps them apart, so stdout then stderr.
    output: r.stdout + r.stderr,
    code: r.signal || killed ? null : r.exitCode,
    signal: r.signal ?? (killed ? 'SIGKILL' : null),
    message: r.status === 'Accepted' ? null : (r.message ?? r.status),
    status,
    cpu_time: r.timeMs,
    wall_time: r.wallMs,
    memory: Math.round(r.memoryKb * 1024),
  };
}

/** A version as Piston shows one: the first dotted number in ours ("GCC 12.2.0" → "12.2.0"). */
function pistonVersion(version: string): string {
  return /(\d+(?:\.\d+)+|\d+)/.exec(version)?.[1] ?? (version || '0');
}
