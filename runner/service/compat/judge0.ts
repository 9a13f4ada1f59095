// Judge0 CE's submissions API on the classroom service, so that the clients, SDKs and tutorials
// written for Judge0 work by changing the URL: POST /submissions (?wait, ?base64_encoded, ?fields),
// GET /submissions/:token, POST and GET /submissions/batch, GET /languages (Judge0's ids for the
// languages usable here, from the language definitions), GET /languages/:id, GET /statuses,
// X-Auth-Token, callback_url (a signed webhook, PUT with Judge0's body). A submission is a run of
// this service — same queue, quotas, sandbox and store —; its token is the run's id. What Judge0
// has and this server does not (compiler options, additional files, network, stderr into stdout,
// several runs) is refused with Judge0's own error shapes (422 {field: [message]}, 400 {error}),
// before anything is stored. docs/compat-judge0.md lists every field.
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LIMITS, compileFlagRules, sourceFileName, type LanguageDefinition } from '../../index';
import type { RunRecord, SubmitRequest } from '../../../protocol/http';
import type { RunResult } from '../../../protocol/results';
import type { Service } from '../service';
import type { RunRow, TokenRow } from '../store';
import { compatLanguages } from './languages';
import { splitArguments } from './arguments';
import { compileFlagsProblem, splitCompileFlags } from '../../../protocol/compile-flags';

/** Judge0's statuses, by id. */
export const JUDGE0_STATUSES = [
  { id: 1, description: 'In Queue' },
  { id: 2, description: 'Processing' },
  { id: 3, description: 'Accepted' },
  { id: 4, description: 'Wrong Answer' },
  { id: 5, description: 'Time Limit Exceeded' },
  { id: 6, description: 'Compilation Error' },
  { id: 7, description: 'Runtime Error (SIGSEGV)' },
  { id: 8, description: 'Runtime Error (SIGXFSZ)' },
  { id: 9, description: 'Runtime Error (SIGFPE)' },
  { id: 10, description: 'Runtime Error (SIGABRT)' },
  { id: 11, description: 'Runtime Error (NZEC)' },
  { id: 12, description: 'Runtime Error (Other)' },
  { id: 13, description: 'Internal Error' },
  { id: 14, description: 'Exec Format Error' },
] as const;

/** A request's attributes that its answers echo back as they were given. */
const ECHOED = [
  'cpu_time_limit',
  'cpu_extra_time',
  'wall_time_limit',
  'memory_limit',
  'stack_limit',
  'max_processes_and_or_threads',
  'max_file_size',
  'command_line_arguments',
  'callback_url',
] as const;
/** Every attribute a submission has; `fields=` picks among them (`*`: all). */
const FIELDS = [
  'source_code',
  'language_id',
  'compiler_options',
  'stdin',
  'expected_output',
  ...ECHOED,
  'enable_per_process_and_thread_time_limit',
  'enable_per_process_and_thread_memory_limit',
  'redirect_stderr_to_stdout',
  'enable_network',
  'number_of_runs',
  'additional_files',
  'stdout',
  'stderr',
  'compile_output',
  'message',
  'exit_code',
  'exit_signal',
  'status',
  'status_id',
  'language',
  'created_at',
  'finished_at',
  'token',
  'time',
  'wall_time',
  'memory',
] as const;
type Field = (typeof FIELDS)[number];
const DEFAULT_FIELDS: Field[] = ['token', 'time', 'memory', 'stdout', 'stderr', 'compile_output', 'message', 'status'];
const MAX_BATCH = 20;
const MAX_WAIT_MS = 60_000;
const NOT_UTF8 = 'some attributes for this submission cannot be converted to UTF-8, use base64_encoded=true query parameter';

/** What the service keeps about a run that came through this API (runs.client). */
interface Judge0Client {
  api: 'judge0';
  languageId: number;
  /** Exact bytes, base64: the program's source, its input and the expected output (when given). */
  sourceBase64: string;
  stdinBase64: string;
  expectedBase64?: string;
  /** The request's own attributes, echoed back when asked for (limits as given, arguments). */
  echo: Record<string, unknown>;
}

/** A request refused the way Judge0 refuses it: 422 with {attribute: [messages]}, or 400 {error}. */
class Judge0Error extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(JSON.stringify(body));
  }
}
const invalid = (field: string, message: string) => new Judge0Error(422, { [field]: [message] });

export interface Access {
  caller(req: FastifyRequest): TokenRow;
  visibleRun(req: FastifyRequest, id: string): RunRow;
}

export function registerJudge0(app: FastifyInstance, service: Service, access: Access): void {
  service.webhookBodies.judge0 = (row) => ({
    method: 'PUT',
    body: JSON.stringify(serialize(service.record(row, false), clientOf(row), DEFAULT_FIELDS, true)),
  });

  void app.register(async (scope) => {
    scope.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
      if (err instanceof Judge0Error) return reply.status(err.status).send(err.body);
      const status = (err as { status?: number }).status ?? err.statusCode ?? 500;
      if (status >= 500) req.log.error({ err: err.message }, 'judge0 request failed');
      return reply.status(status).send({ error: status >= 500 ? `the server failed on this request (${err.message})` : err.message });
    });

    const byId = async (id: number) => {
      const all = await compatLanguages(service);
      return all.find((l) => l.definition.compat.judge0.includes(id));
    };

    /** A Judge0 submission's attributes → a run of this service, checked the way Judge0 checks them. */
    const toRun = async (raw: unknown, base64: boolean): Promise<{ body: SubmitRequest; client: Judge0Client }> => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Judge0Error(400, { error: 'the body is a JSON object' });
      const s = raw as Record<string, unknown>;
      const text = (field: string): Buffer | undefined => {
        const v = s[field];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== 'string') throw invalid(field, 'is not a string');
        if (!base64) return Buffer.from(v, 'utf8');
        if (!/^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/.test(v)) throw invalid(field, 'is not valid Base64 (base64_encoded=true)');
        return Buffer.from(v, 'base64');
      };
      const number = (field: string, min: number, max: number, unit: string): number | undefined => {
        const v = s[field];
        if (v === undefined || v === null) return undefined;
        const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(field, 'is not a number');
        if (n < min) throw invalid(field, `must be greater than or equal to ${min}`);
        if (n > max) throw invalid(field, `must be less than or equal to ${max} (${unit}, this server's ceiling)`);
        return n;
      };
      const refusedWhenTrue = (field: string, message: string) => {
        if (s[field] === true || s[field] === 'true') throw invalid(field, message);
      };
      if (s.language_id === undefined || s.language_id === null || s.language_id === '') throw invalid('language_id', "can't be blank");
      const languageId = Number(s.language_id);
      if (languageId === 89)
        throw invalid('language_id', 'multi-file programs (89) with compile and run scripts are not supported here; send one source_code');
      const language = Number.isInteger(languageId) ? await byId(languageId) : undefined;
      if (!language) throw invalid('language_id', `language with id ${String(s.language_id)} doesn't exist`);
      const source = text('source_code');
      if (source === undefined || source.length === 0) throw invalid('source_code', "can't be blank");
      if (!isUtf8(source)) throw invalid('source_code', 'is not UTF-8 text');
      const sourceText = source.toString('utf8');
      // Extra compiler flags, split on whitespace, each checked against the language's rules (docs/editor.md).
      const options = s.compiler_options;
      if (options !== undefined && options !== null && (typeof options !== 'string' || options.length > 512))
        throw invalid('compiler_options', 'is a string of at most 512 characters');
      const compileFlags = typeof options === 'string' ? splitCompileFlags(options) : [];
      const flagsProblem = compileFlagsProblem(language.definition, compileFlagRules(language.definition), compileFlags);
      if (flagsProblem) throw invalid('compiler_options', flagsProblem);
      if (s.additional_files) throw invalid('additional_files', 'additional files are not supported here');
      if (s.callback_url !== undefined && s.callback_url !== null && typeof s.callback_url !== 'string')
        throw invalid('callback_url', 'is not a string');
      refusedWhenTrue('enable_network', 'programs never have network access here');
      refusedWhenTrue('redirect_stderr_to_stdout', 'is not supported here: stdout and stderr are always kept apart');
      refusedWhenTrue('enable_per_process_and_thread_time_limit', 'this option cannot be enabled');
      refusedWhenTrue('enable_per_process_and_thread_memory_limit', 'this option cannot be enabled');
      const runs = number('number_of_runs', 1, 1, 'runs');
      const cpu = number('cpu_time_limit', 0, LIMITS.cpuMs.max / 1000, 'seconds');
      number('cpu_extra_time', 0, 5, 'seconds'); // accepted; a program is stopped at its limit
      const wall = number('wall_time_limit', 1, LIMITS.wallMs.max / 1000, 'seconds');
      const memory = number('memory_limit', 2048, LIMITS.memoryMb.max * 1024, 'kilobytes');
      number('stack_limit', 0, LIMITS.memoryMb.max * 1024, 'kilobytes'); // accepted; the stack counts in the memory limit
      const processes = number('max_processes_and_or_threads', 1, LIMITS.processes.max, 'processes');
      const fileSize = number('max_file_size', 0, LIMITS.diskMb.max * 1024, 'kilobytes');
      const args = s.command_line_arguments;
      if (args !== undefined && args !== null && (typeof args !== 'string' || args.length > 512))
        throw invalid('command_line_arguments', 'is a string of at most 512 characters');
      const stdin = text('stdin') ?? Buffer.alloc(0);
      const expected = text('expected_output');
      const limits = {
        ...(cpu !== undefined && cpu > 0 ? { cpuMs: Math.max(1, Math.round(cpu * 1000)) } : {}),
        ...(wall !== undefined ? { wallMs: Math.round(wall * 1000) } : {}),
        ...(memory !== undefined ? { memoryMb: Math.ceil(memory / 1024) } : {}),
        ...(processes !== undefined ? { processes: Math.round(processes) } : {}),
        ...(fileSize !== undefined && fileSize > 0 ? { diskMb: Math.ceil(fileSize / 1024) } : {}),
      };
      const body: SubmitRequest = {
        kind: 'run',
        language: language.definition.id,
        files: [{ name: sourceFileName(language.definition, sourceText), content: sourceText }],
        ...(stdin.length ? { stdinBase64: stdin.toString('base64') } : {}),
        ...(typeof args === 'string' && args.trim() ? { args: splitArguments(args) } : {}),
        ...(compileFlags.length ? { compileFlags } : {}),
        ...(Object.keys(limits).length ? { limits } : {}),
        ...(typeof s.callback_url === 'string' && s.callback_url ? { webhook: s.callback_url } : {}),
      } as SubmitRequest;
      const echo: Record<string, unknown> = {};
      for (const f of ECHOED) if (s[f] !== undefined) echo[f] = s[f];
      echo.number_of_runs = runs ?? 1;
      if (typeof options === 'string') echo.compiler_options = options;
      return {
        body,
        client: {
          api: 'judge0',
          languageId,
          sourceBase64: source.toString('base64'),
          stdinBase64: stdin.toString('base64'),
          ...(expected !== undefined ? { expectedBase64: expected.toString('base64') } : {}),
          echo,
        },
      };
    };

    const submitOne = async (req: FastifyRequest, raw: unknown, base64: boolean): Promise<RunRow> => {
      const { body, client } = await toRun(raw, base64);
      try {
        return service.submit(access.caller(req), body, { client, webhookFormat: 'judge0' });
      } catch (err) {
        // The service's own refusals (a webhook URL, a limit): Judge0's shape, the same status.
        const e = err as { status?: number; message: string; extra?: { retryAfterSeconds?: number } };
        if (e.status === 400 && /webhook/.test(e.message)) throw invalid('callback_url', e.message.replace(/^webhook: /, ''));
        throw err;
      }
    };

    const query = (req: FastifyRequest) => {
      const q = req.query as Record<string, string | undefined>;
      const fields = parseFields(q.fields);
      return { base64: q.base64_encoded === 'true', wait: q.wait === 'true', fields, tokens: q.tokens };
    };

    const show = (reply: FastifyReply, status: number, row: RunRow, fields: Field[], base64: boolean) => {
      const body = serialize(service.record(row, false), clientOf(row), fields, base64);
      if (body === undefined)
        return reply.status(status === 201 ? 201 : 400).send({ error: NOT_UTF8, ...(status === 201 ? { token: row.id } : {}) });
      return reply.status(status).send(body);
    };

    scope.post('/submissions', async (req, reply) => {
      const q = query(req);
      const row = await submitOne(req, req.body, q.base64);
      if (!q.wait) return reply.status(201).send({ token: row.id });
      await service.waitFor(row.id, MAX_WAIT_MS);
      return show(reply, 201, service.store.run(row.id)!, q.fields, q.base64);
    });

    scope.get('/submissions/batch', async (req, reply) => {
      const q = query(req);
      const tokens = (q.tokens ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      if (tokens.length === 0) throw new Judge0Error(400, { error: 'there should be at least one submission in a batch' });
      if (tokens.length > MAX_BATCH)
        throw new Judge0Error(400, { error: `number of submissions in a batch should be less than or equal to ${MAX_BATCH}` });
      const submissions = tokens.map((token) => {
        let row: RunRow;
        try {
          row = access.visibleRun(req, token);
        } catch {
          return null;
        }
        return serialize(service.record(row, false), clientOf(row), q.fields, q.base64);
      });
      if (submissions.includes(undefined))
        throw new Judge0Error(400, { error: NOT_UTF8.replace('this submission', 'one or more submissions') });
      return reply.send({ submissions });
    });

    scope.post('/submissions/batch', async (req, reply) => {
      const q = query(req);
      const list = (req.body as { submissions?: unknown } | null)?.submissions;
      if (!Array.isArray(list) || list.length === 0)
        throw new Judge0Error(400, { error: 'there should be at least one submission in a batch' });
      if (list.length > MAX_BATCH)
        throw new Judge0Error(400, { error: `number of submissions in a batch should be less than or equal to ${MAX_BATCH}` });
      const out: unknown[] = [];
      let accepted = 0;
      // Each is checked and stored on its own, as Judge0 does: a bad one does not stop the others.
      for (const item of list) {
        try {
          const row = await submitOne(req, item, q.base64);
          out.push({ token: row.id });
          accepted++;
        } catch (err) {
          if (!(err instanceof Judge0Error) || err.status !== 422) throw err;
          out.push(err.body);
        }
      }
      return reply.status(accepted ? 201 : 422).send(out);
    });

    scope.get('/submissions/:token', async (req, reply) => {
      const q = query(req);
      let row: RunRow;
      try {
        row = access.visibleRun(req, (req.params as { token: string }).token);
      } catch {
        throw new Judge0Error(404, { error: 'submission not found' });
      }
      if (q.wait) await service.waitFor(row.id, MAX_WAIT_MS);
      return show(reply, 200, service.store.run(row.id)!, q.fields, q.base64);
    });

    scope.get('/submissions', async () => {
      throw new Judge0Error(400, { error: 'listing submissions is not supported here; see GET /v1/submissions (the submissions log)' });
    });
    scope.delete('/submissions/:token', async () => {
      throw new Judge0Error(400, { error: 'delete not allowed' });
    });

    scope.get('/languages', async (req) => {
      access.caller(req);
      return (await compatLanguages(service))
        .filter((l) => l.definition.compat.judge0.length)
        .map((l) => ({ id: l.definition.compat.judge0[0]!, name: judge0Name(l.definition, l.info.version) }))
        .sort((a, b) => a.id - b.id);
    });
    scope.get('/languages/:id', async (req) => {
      access.caller(req);
      const id = Number((req.params as { id: string }).id);
      const language = Number.isInteger(id) ? await byId(id) : undefined;
      if (!language) throw new Judge0Error(404, { error: `language with id ${(req.params as { id: string }).id} doesn't exist` });
      const d = language.definition;
      return {
        id,
        name: judge0Name(d, language.info.version),
        is_archived: false,
        source_file: d.sourceFile,
        // {flags}: where compiler_options go (Judge0 writes %s there).
        compile_cmd: d.compile ? d.compile.command.map((a) => (a === '{flags}' ? '%s' : a)).join(' ') : null,
        run_cmd: d.run.command.join(' '),
      };
    });
    scope.get('/statuses', async () => JUDGE0_STATUSES);
  });
}

function judge0Name(d: LanguageDefinition, version: string): string {
  return version ? `${d.name} ${version}` : d.name;
}

function clientOf(row: RunRow): Judge0Client | undefined {
  if (!row.client) return undefined;
  const c = JSON.parse(row.client) as { api?: string };
  return c.api === 'judge0' ? (c as Judge0Client) : undefined;
}

function parseFields(raw: string | undefined): Field[] {
  if (!raw) return DEFAULT_FIELDS;
  const asked = raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const bad = asked.filter((f) => f !== '*' && !(FIELDS as readonly string[]).includes(f));
  if (bad.length) throw new Judge0Error(400, { error: `invalid fields: [${bad.join(', ')}]` });
  return asked.includes('*') ? [...FIELDS] : (asked as Field[]);
}

/** Judge0's rule for expected_output: each line's trailing whitespace and the trailing blank lines do not count. */
function judge0Strip(bytes: Buffer): Buffer {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++)
    if (i === bytes.length || bytes[i] === 0x0a) {
      let end = i;
      while (end > start && isSpace(bytes[end - 1]!)) end--;
      lines.push(bytes.subarray(start, end));
      start = i + 1;
    }
  let joined = Buffer.concat(lines.flatMap((l, i) => (i ? [Buffer.from('\n'), l] : [l])));
  let end = joined.length;
  while (end > 0 && isSpace(joined[end - 1]!)) end--;
  joined = joined.subarray(0, end);
  return joined;
}
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c || b === 0x00;

const SIGNAL_STATUS: Record<string, number> = { SIGSEGV: 7, SIGXFSZ: 8, SIGFPE: 9, SIGABRT: 10 };
const SIGNAL_NUMBER: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGXCPU: 24,
  SIGXFSZ: 25,
};

/** Judge0's status of a run: its queue state, or its verdict (Accepted/Wrong Answer against expected_output). */
export function judge0Status(record: RunRecord, client: Judge0Client | undefined): (typeof JUDGE0_STATUSES)[number] {
  const by = (id: number) => JUDGE0_STATUSES[id - 1]!;
  if (record.state === 'queued') return by(1);
  if (record.state === 'running') return by(2);
  const r = record.result as RunResult | undefined;
  if (record.state === 'cancelled' || !r) return by(13);
  if (r.compile?.status === 'Compile Error' || r.status === 'Compile Error') return by(6);
  switch (r.status) {
    case 'Time Limit Exceeded':
      return by(5);
    case 'Output Limit Exceeded':
      return by(8);
    case 'Memory Limit Exceeded':
      return by(12);
    case 'Internal Error':
      return by(13);
    case 'Runtime Error':
      return by(r.signal ? (SIGNAL_STATUS[r.signal] ?? 12) : 11);
  }
  if (client?.expectedBase64 === undefined) return by(3);
  return judge0Strip(outputBytes(r, 'stdout')).equals(judge0Strip(Buffer.from(client.expectedBase64, 'base64'))) ? by(3) : by(4);
}

function outputBytes(r: RunResult, stream: 'stdout' | 'stderr'): Buffer {
  const exact = stream === 'stdout' ? r.stdoutBase64 : r.stderrBase64;
  return exact !== undefined ? Buffer.from(exact, 'base64') : Buffer.from(r[stream], 'utf8');
}

/**
 * A run as Judge0 shows a submission, with only `fields`; data attributes base64 when asked. Undefined
 * when an attribute is not UTF-8 text and base64 was not asked for (Judge0 answers that with an error).
 */
export function serialize(
  record: RunRecord,
  client: Judge0Client | undefined,
  fields: Field[],
  base64: boolean,
): Record<string, unknown> | undefined {
  const r = record.state === 'done' ? (record.result as RunResult | undefined) : undefined;
  const status = judge0Status(record, client);
  const seconds = (ms: number | undefined) => (ms === undefined ? null : (ms / 1000).toFixed(3));
  const bytes: Partial<Record<Field, Buffer | null>> = {
    source_code: client ? Buffer.from(client.sourceBase64, 'base64') : null,
    stdin: client ? Buffer.from(client.stdinBase64, 'base64') : null,
    expected_output: client?.expectedBase64 !== undefined ? Buffer.from(client.expectedBase64, 'base64') : null,
    stdout: r ? nonEmpty(outputBytes(r, 'stdout')) : null,
    stderr: r ? nonEmpty(outputBytes(r, 'stderr')) : null,
    compile_output: r?.compile?.output ? Buffer.from(r.compile.output, 'utf8') : null,
    message: r?.message ? Buffer.from(r.message, 'utf8') : record.state === 'cancelled' ? Buffer.from('cancelled') : null,
  };
  const all: Record<Field, unknown> = {
    ...Object.fromEntries(FIELDS.map((f) => [f, null])),
    ...(client?.echo ?? {}),
    language_id: client?.languageId ?? null,
    compiler_options: client?.echo.compiler_options ?? null,
    redirect_stderr_to_stdout: false,
    enable_network: false,
    enable_per_process_and_thread_time_limit: false,
    enable_per_process_and_thread_memory_limit: false,
    exit_code: r ? r.exitCode : null,
    exit_signal: r?.signal ? (SIGNAL_NUMBER[r.signal] ?? null) : null,
    status: { id: status.id, description: status.description },
    status_id: status.id,
    language: client ? { id: client.languageId, name: record.language } : null,
    created_at: record.createdAt,
    finished_at: record.finishedAt ?? null,
    token: record.id,
    time: seconds(r?.timeMs),
    wall_time: seconds(r?.wallMs),
    memory: r ? Math.round(r.memoryKb) : null,
  } as Record<Field, unknown>;
  for (const [field, value] of Object.entries(bytes) as Array<[Field, Buffer | null]>) {
    if (value === null || value === undefined) {
      all[field] = null;
      continue;
    }
    if (base64) all[field] = value.toString('base64');
    else {
      if (fields.includes(field) && !isUtf8(value)) return undefined;
      all[field] = value.toString('utf8');
    }
  }
  return Object.fromEntries(fields.map((f) => [f, all[f]]));
}

function nonEmpty(b: Buffer): Buffer | null {
  return b.length ? b : null;
}
