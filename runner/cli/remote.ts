// `verdict run|judge --server URL`: the same files the local commands read, sent to a classroom
// server (`verdict serve`, protocol/http.ts) as one request, then followed by its events and printed
// with the same words as a local run (protocol/report.ts). The token comes from VERDICT_TOKEN.
// Talks to the server only through protocol/service-client.ts; nothing here imports the service.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { InlineTest, JudgeRequestBody, RunEvent, RunRecord, RunRequest, SubmitRequest } from '../../protocol/http';
import { ServiceClient, ServiceClientError, bytesField } from '../../protocol/service-client';
import type { JudgeResult, RunResult } from '../../protocol/results';
import type { TestData } from '../../protocol/judge';
import { displayText } from '../../protocol/display';
import { judgeSummary, outputBytes, runVerdictLine, testRow } from '../../protocol/report';
import { languageById, languageForFile, loadLanguages } from '../languages';
import { BUILTIN_CHECKERS, type BuiltinChecker } from '../judge/types';
import { submissionFiles } from '../judge/package-judging';
import { MAX_SOURCE_BYTES, MAX_STDIN_BYTES } from '../spec';
import { UsageError } from '../errors';
import { readUserBytes, readUserFile } from './files';
import { testsOfSource, type JudgeCliOptions } from './judge';

const EXIT_USAGE = 2;
const EXIT_INTERNAL = 3;
const EXIT_INTERRUPTED = 130;
const PROBLEM_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface RemoteRunOptions {
  server?: string;
  /** A client made already: the local daemon's (runner/daemon/client.ts), instead of --server's. */
  client?: ServiceClient;
  /** The program's input as bytes (the daemon's calls), instead of the --stdin file. */
  stdinBytes?: Buffer;
  lang?: string;
  stdin?: string;
  timeLimit?: number;
  memoryLimit?: number;
  json?: boolean;
}

/** What a failure to talk to the server means for the user: its message and the exit status. */
export function remoteFailure(err: ServiceClientError): { message: string; exitCode: number } {
  let message = err.message;
  const wait = err.retryAfterSeconds;
  if ((err.status === 429 || err.status === 503) && wait !== undefined && !/try again/i.test(message))
    message += ` Try again in ${wait} s.`;
  // The server could not be reached or would not take the token, or a limit was hit, or it failed:
  // the run was not carried out, as when no sandbox could be made locally. A refused request is bad usage.
  const usage = err.status >= 400 && err.status < 500 && ![401, 403, 429].includes(err.status);
  return { message: displayText(message), exitCode: usage ? EXIT_USAGE : EXIT_INTERNAL };
}

function clientFor(server: string): ServiceClient {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server ${server} is not a URL: give the server's address, e.g. http://127.0.0.1:8080.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--server ${server}: the server's address starts with http:// or https://.`);
  const token = process.env.VERDICT_TOKEN?.trim();
  if (!token)
    throw new UsageError(
      '--server needs your token in the VERDICT_TOKEN environment variable (export VERDICT_TOKEN=vt_...): ask your teacher for one; whoever runs the server makes them with `verdict token create`.',
    );
  return new ServiceClient(server, token);
}

function bytesOf(data: TestData): Buffer {
  return 'path' in data ? readFileSync(data.path) : Buffer.from(data.text, 'utf8');
}

function inlineTest(test: { name: string; input: TestData; answer: TestData }): InlineTest {
  return { name: test.name, ...bytesField('input', bytesOf(test.input)), ...bytesField('answer', bytesOf(test.answer)) } as InlineTest;
}

/**
 * "queued (position N)" on stderr while the run waits (human output only): shown when it has waited
 * a moment, again when the position changes (the server's `queued` events, sent as it moves),
 * rewritten in place on a terminal and erased when the run starts.
 */
class QueueNotice {
  private current: number | undefined;
  private shown: number | undefined;
  private started = false;
  private armed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly enabled: boolean) {}

  watch(position: number | undefined): void {
    if (!this.enabled) return;
    this.current = position;
    this.timer = setTimeout(() => {
      this.armed = true;
      this.show();
    }, 500);
  }

  queued(position: number | undefined): void {
    if (position === undefined) return;
    this.started = false;
    this.current = position;
    this.show();
  }

  start(): void {
    this.started = true;
    this.erase();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.erase();
  }

  private show(): void {
    if (!this.enabled || !this.armed || this.started || this.current === undefined || this.current === this.shown) return;
    this.shown = this.current;
    process.stderr.write(this.tty ? `\r\x1b[Kqueued (position ${this.current})` : `queued (position ${this.current})\n`);
  }

  private erase(): void {
    if (this.tty && this.shown !== undefined) process.stderr.write('\r\x1b[K');
    this.shown = undefined;
  }
}

/**
 * Submits and follows a run to its end; Ctrl-C cancels it on the server first (a second Ctrl-C
 * leaves at once). Resolves with the final record, or undefined when interrupted.
 */
async function carryOut(
  client: ServiceClient,
  body: z.input<typeof RunRequest> | z.input<typeof JudgeRequestBody>,
  human: boolean,
  onEvent: (event: RunEvent) => void,
  /** The local daemon: its build was checked on attaching (GET /daemon), no /healthz round trip. */
  daemon = false,
): Promise<RunRecord | undefined> {
  const where = daemon ? 'in the background runner' : 'on the server';
  const notice = new QueueNotice(human);
  const following = new AbortController();
  let id: string | undefined;
  let interrupted = false;
  let cancelling: Promise<void> | undefined;
  const cancel = (): Promise<void> =>
    (cancelling ??= (async () => {
      try {
        const r = await client.cancel(id!);
        process.stderr.write(r.cancelled ? `verdict: cancelled run ${id} ${where}.\n` : `verdict: run ${id} had ended already.\n`);
      } catch (err) {
        process.stderr.write(`verdict: could not cancel run ${id} ${where}: ${displayText((err as Error).message)}\n`);
      }
      following.abort();
    })());
  const onSigint = () => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    process.exitCode = EXIT_INTERRUPTED;
    notice.stop();
    if (id) void cancel();
  };
  process.on('SIGINT', onSigint);
  try {
    if (!daemon) await client.check();
    // Limits may be partial: the server fills in the defaults (the schemas' input shape).
    const accepted = await client.submit(body as SubmitRequest);
    id = accepted.id;
    if (interrupted) {
      await cancel();
      return undefined;
    }
    if (accepted.state === 'queued') notice.watch(accepted.position);
    const record = await client.follow(
      id,
      (event) => {
        if (event.type === 'queued') notice.queued(event.position);
        else notice.start();
        if (!interrupted) onEvent(event);
      },
      following.signal,
    );
    if (interrupted) {
      await cancelling;
      return undefined;
    }
    return record;
  } catch (err) {
    if (interrupted) {
      await cancelling;
      return undefined;
    }
    throw err;
  } finally {
    notice.stop();
    process.off('SIGINT', onSigint);
  }
}

function resultOf(record: RunRecord): RunResult | JudgeResult {
  if (!record.result)
    throw new ServiceClientError(
      `Run ${record.id} was ${record.state === 'cancelled' ? 'cancelled' : 'left'} on the server without a result.`,
      0,
    );
  return record.result;
}

/**
 * `verdict run FILE --server URL`, or on the local daemon (opts.client): resolves with the result as
 * the local command has it, or undefined when interrupted. The daemon's queue is this user's own:
 * no "queued" notice there, so the output is the local command's.
 */
export async function remoteRun(file: string, args: string[], opts: RemoteRunOptions): Promise<RunResult | undefined> {
  const client = opts.client ?? clientFor(opts.server!);
  const languages = loadLanguages();
  const language = opts.lang ? languageById(languages, opts.lang) : languageForFile(languages, file);
  const content = readUserFile(file, 'Source file', MAX_SOURCE_BYTES);
  const limits = {
    ...(opts.timeLimit ? { cpuMs: opts.timeLimit } : {}),
    ...(opts.memoryLimit ? { memoryMb: opts.memoryLimit } : {}),
  };
  const body: z.input<typeof RunRequest> = {
    kind: 'run',
    language: language.id,
    files: [{ name: path.basename(file), content }],
    ...(opts.stdinBytes
      ? bytesField('stdin', opts.stdinBytes)
      : opts.stdin
        ? bytesField('stdin', readUserBytes(opts.stdin, 'Input file', MAX_STDIN_BYTES))
        : {}),
    ...(args.length ? { args } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };

  // Human output as the local command prints it: the program's output as it arrives (escaped by the
  // server, and again here: escaping is idempotent), compiler output, then the verdict line.
  let streamed = false;
  const atLineStart = { stdout: true, stderr: true };
  const write = (stream: 'stdout' | 'stderr', text: string) => {
    if (!text) return;
    (stream === 'stdout' ? process.stdout : process.stderr).write(text);
    atLineStart[stream] = text.endsWith('\n');
  };
  const record = await carryOut(
    client,
    body,
    !opts.json && !opts.client,
    (event) => {
      if (opts.json || event.type !== 'output') return;
      streamed = true;
      write(event.stream, displayText(event.text));
    },
    Boolean(opts.client),
  );
  if (!record) return undefined;
  const result = resultOf(record) as RunResult;
  if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    if (result.compile && result.compile.output.trim()) write('stderr', displayText(result.compile.output.replace(/\n?$/, '\n')));
    if (!streamed) {
      write('stdout', displayText(outputBytes(result, 'stdout')));
      write('stderr', displayText(outputBytes(result, 'stderr')));
    }
    if (result.stdoutTruncated) write('stdout', '\n[stdout truncated]\n');
    if (result.stderrTruncated) write('stderr', '\n[stderr truncated]\n');
    write('stderr', `${atLineStart.stderr ? '' : '\n'}${runVerdictLine(result)}\n`);
  }
  return result;
}

function builtinChecker(value: string): BuiltinChecker {
  if ((BUILTIN_CHECKERS as readonly string[]).includes(value)) return value as BuiltinChecker;
  if (statSync(value, { throwIfNoEntry: false })?.isFile())
    throw new UsageError(
      `A checker program (${value}) runs only locally. With --server use a built-in checker (${BUILTIN_CHECKERS.join(', ')}), or push a problem package with its output validator (\`verdict problem push DIR --server URL\`, a teacher's token) and judge with --problem ID; or judge here without --server.`,
    );
  throw new UsageError(`Unknown checker "${value}": with --server use one of ${BUILTIN_CHECKERS.join(', ')}.`);
}

/** `verdict judge FILES --server URL`: resolves with the result as the local command has it, or undefined when interrupted. */
export async function remoteJudge(
  args: string[],
  opts: JudgeCliOptions & { server?: string; client?: ServiceClient },
): Promise<JudgeResult | undefined> {
  const client = opts.client ?? clientFor(opts.server!);
  if (opts.tests && opts.problem) throw new UsageError('Give --tests DIR or --problem ID, not both.');
  const { language, files } = submissionFiles(args, loadLanguages(), opts.lang);
  let body: z.input<typeof JudgeRequestBody>;
  if (opts.problem) {
    if (!PROBLEM_ID.test(opts.problem))
      throw new UsageError(
        `With --server, --problem takes the id of a problem stored on the server (lower-case letters, digits, - and _), not a folder. Push a package first with \`verdict problem push ${opts.problem} --server URL\` (a teacher's token) and judge with its id, or judge it here without --server.`,
      );
    if (opts.checker)
      throw new UsageError(`--checker does not go with --problem on a server: the problem's own checker judges. Leave --checker out.`);
    if (opts.timeLimit || opts.memoryLimit)
      process.stderr.write("verdict: the problem's own limits apply on the server; --time-limit and --memory-limit are not used.\n");
    body = {
      kind: 'judge',
      language: language.id,
      files,
      problem: opts.problem,
      // --std named is the run's choice, over the problem's own standard (the language is already its variant).
      ...(opts.std !== undefined ? { standard: opts.std } : {}),
      // Left out, the server's rule for its problems applies (stop at the first failure unless scored).
      ...(opts.stopOnFailure ? { stopOnFailure: true } : {}),
    };
  } else {
    const checker = opts.checker ? builtinChecker(opts.checker) : undefined;
    const found = testsOfSource(args[0]!, opts.tests, opts.client ? undefined : '--problem ID (a problem on the server)');
    const limits = {
      ...(opts.timeLimit ? { cpuMs: opts.timeLimit } : found.timeLimitMs ? { cpuMs: found.timeLimitMs } : {}),
      ...(opts.memoryLimit ? { memoryMb: opts.memoryLimit } : {}),
    };
    body = {
      kind: 'judge',
      language: language.id,
      files,
      tests: found.tests.map(inlineTest),
      ...(checker ? { checker } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
      stopOnFailure: Boolean(opts.stopOnFailure),
    };
  }
  const record = await carryOut(
    client,
    body,
    !opts.json && !opts.client,
    (event) => {
      if (!opts.json && event.type === 'test') process.stdout.write(testRow(event.test) + '\n');
    },
    Boolean(opts.client),
  );
  if (!record) return undefined;
  const result = resultOf(record) as JudgeResult;
  if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    if (result.compile?.status === 'Compile Error') process.stderr.write(displayText(result.compile.output.replace(/\n?$/, '\n')));
    process.stdout.write(judgeSummary(result) + '\n');
  }
  return result;
}
