// Following a run that a service carries out — a classroom server (--server) or this user's
// background runner (runner/daemon/) — and printing it as the local command would. Kept light (no
// zod, no runner, no language definitions): the CLI's quick path (quick.ts) is built from it.
import path from 'node:path';
import type { RunEvent, RunRecord, RunRequest, JudgeRequestBody, SubmitRequest } from '../../protocol/http';
import { ServiceClient, ServiceClientError, bytesField, inlineTest } from '../../protocol/service-client';
import type { BuiltinChecker, TestData } from '../../protocol/judge';
import type { JudgeResult, RunResult } from '../../protocol/results';
import { displayText } from '../../protocol/display';
import { judgeSummary, outputBytes, runVerdictLine, testRow } from '../../protocol/report';
import type { z } from 'zod';
import { processIo, type CliIo } from './io';

export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;
const EXIT_INTERRUPTED = 130;

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
  private readonly tty: boolean;

  constructor(
    private readonly enabled: boolean,
    private readonly io: CliIo,
  ) {
    this.tty = io.stderrIsTTY;
  }

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
    this.io.err(this.tty ? `\r\x1b[Kqueued (position ${this.current})` : `queued (position ${this.current})\n`);
  }

  private erase(): void {
    if (this.tty && this.shown !== undefined) this.io.err('\r\x1b[K');
    this.shown = undefined;
  }
}

/**
 * Submits and follows a run to its end; Ctrl-C cancels it on the server first (a second Ctrl-C
 * leaves at once). Resolves with the final record, or undefined when interrupted.
 */
export async function carryOut(
  client: ServiceClient,
  body: z.input<typeof RunRequest> | z.input<typeof JudgeRequestBody>,
  human: boolean,
  onEvent: (event: RunEvent) => void,
  /** The local daemon: its build was checked on attaching (GET /daemon), no /healthz round trip. */
  daemon = false,
  io: CliIo = processIo,
): Promise<RunRecord | undefined> {
  const where = daemon ? 'in the background runner' : 'on the server';
  const notice = new QueueNotice(human, io);
  const following = new AbortController();
  let id: string | undefined;
  let interrupted = false;
  let cancelling: Promise<void> | undefined;
  const cancel = (): Promise<void> =>
    (cancelling ??= (async () => {
      try {
        const r = await client.cancel(id!);
        io.err(r.cancelled ? `verdict: cancelled run ${id} ${where}.\n` : `verdict: run ${id} had ended already.\n`);
      } catch (err) {
        io.err(`verdict: could not cancel run ${id} ${where}: ${displayText((err as Error).message)}\n`);
      }
      following.abort();
    })());
  const onSigint = () => {
    if (interrupted) return io.exitNow(EXIT_INTERRUPTED);
    interrupted = true;
    io.exitCode = EXIT_INTERRUPTED;
    notice.stop();
    if (id) void cancel();
  };
  const unsubscribe = io.onInterrupt(onSigint);
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
    unsubscribe();
  }
}

export function resultOf(record: RunRecord): RunResult | JudgeResult {
  if (!record.result)
    throw new ServiceClientError(
      `Run ${record.id} was ${record.state === 'cancelled' ? 'cancelled' : 'left'} on the server without a result.`,
      0,
    );
  return record.result;
}

/** --time-limit and --memory-limit as a request's limits: only those given (the runner fills in the rest). */
export function cliLimits(opts: { timeLimit?: number | undefined; memoryLimit?: number | undefined }): {
  cpuMs?: number;
  memoryMb?: number;
} {
  return { ...(opts.timeLimit ? { cpuMs: opts.timeLimit } : {}), ...(opts.memoryLimit ? { memoryMb: opts.memoryLimit } : {}) };
}

export interface RunRequestParts {
  file: string;
  content: string;
  language: string;
  stdin?: Buffer;
  args: string[];
  timeLimit?: number | undefined;
  memoryLimit?: number | undefined;
  compileFlags?: string[] | undefined;
}

/** The request of `verdict run FILE`: the file under its own name, limits only where given. */
export function runRequestBody(parts: RunRequestParts): z.input<typeof RunRequest> {
  const limits = cliLimits(parts);
  return {
    kind: 'run',
    language: parts.language,
    files: [{ name: path.basename(parts.file), content: parts.content }],
    ...(parts.stdin ? bytesField('stdin', parts.stdin) : {}),
    ...(parts.args.length ? { args: parts.args } : {}),
    ...(parts.compileFlags?.length ? { compileFlags: parts.compileFlags } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

/**
 * Submits a run, follows it and prints it with the local command's words: the program's output as
 * it arrives (escaped by the service, and again here: escaping is idempotent), compiler output, then
 * the verdict line; or the result as JSON. Resolves with the result, or undefined when interrupted.
 */
export async function followRun(
  client: ServiceClient,
  body: z.input<typeof RunRequest>,
  opts: { json?: boolean; daemon: boolean; io?: CliIo },
): Promise<RunResult | undefined> {
  const io = opts.io ?? processIo;
  const output = new RunOutput(io);
  const record = await carryOut(
    client,
    body,
    // The daemon's queue is this user's own: no "queued" notice there.
    !opts.json && !opts.daemon,
    (event) => {
      if (!opts.json && event.type === 'output') output.stream(event.stream, displayText(event.text));
    },
    opts.daemon,
    io,
  );
  if (!record) return undefined;
  const result = resultOf(record) as RunResult;
  if (opts.json) io.out(JSON.stringify(result, null, 2) + '\n');
  else output.end(result);
  return result;
}

/**
 * `verdict run`'s human output, wherever the run happens (in this process, in the daemon, on a
 * server): the program's output as it arrives, already made safe to show, then the compiler's
 * output, the program's output when none was streamed, the truncation notes and the verdict line.
 */
export class RunOutput {
  private streamed = false;
  private readonly atLineStart = { stdout: true, stderr: true };

  constructor(private readonly io: CliIo = processIo) {}

  /** Program output as it arrives (escaped for the terminal by the caller). */
  stream(stream: 'stdout' | 'stderr', text: string): void {
    this.streamed = true;
    this.write(stream, text);
  }

  /** The end of the run; `rest` is streamed output the caller still held (a character split across chunks). */
  end(result: RunResult, rest: { stdout: string; stderr: string } = { stdout: '', stderr: '' }): void {
    if (result.compile && result.compile.output.trim()) this.write('stderr', displayText(result.compile.output.replace(/\n?$/, '\n')));
    if (this.streamed) {
      this.write('stdout', rest.stdout);
      this.write('stderr', rest.stderr);
    } else {
      this.write('stdout', displayText(outputBytes(result, 'stdout')));
      this.write('stderr', displayText(outputBytes(result, 'stderr')));
    }
    if (result.stdoutTruncated) this.write('stdout', '\n[stdout truncated]\n');
    if (result.stderrTruncated) this.write('stderr', '\n[stderr truncated]\n');
    // The verdict starts a line of its own, whatever the program left on the line before.
    this.write('stderr', `${this.atLineStart.stderr ? '' : '\n'}${runVerdictLine(result)}\n`);
  }

  private write(stream: 'stdout' | 'stderr', text: string): void {
    if (!text) return;
    if (stream === 'stdout') this.io.out(text);
    else this.io.err(text);
    this.atLineStart[stream] = text.endsWith('\n');
  }
}

export interface JudgeTestsParts {
  language: string;
  files: { name: string; content: string }[];
  tests: { name: string; input: TestData; answer: TestData }[];
  checker?: BuiltinChecker;
  timeLimit?: number | undefined;
  memoryLimit?: number | undefined;
  compileFlags?: string[] | undefined;
  stopOnFailure: boolean;
}

/** The request of `verdict judge` with tests sent whole (their files read, each as text or base64). */
export async function judgeTestsBody(parts: JudgeTestsParts): Promise<z.input<typeof JudgeRequestBody>> {
  const limits = cliLimits(parts);
  return {
    kind: 'judge',
    language: parts.language,
    files: parts.files,
    tests: await Promise.all(parts.tests.map(inlineTest)),
    ...(parts.checker ? { checker: parts.checker } : {}),
    ...(parts.compileFlags?.length ? { compileFlags: parts.compileFlags } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
    stopOnFailure: parts.stopOnFailure,
  };
}

/** Submits a judge, follows it and prints each test as it ends, then the summary; or the result as JSON. */
export async function followJudge(
  client: ServiceClient,
  body: z.input<typeof JudgeRequestBody>,
  opts: { json?: boolean | undefined; daemon: boolean; io?: CliIo },
): Promise<JudgeResult | undefined> {
  const io = opts.io ?? processIo;
  const record = await carryOut(
    client,
    body,
    !opts.json && !opts.daemon,
    (event) => {
      if (!opts.json && event.type === 'test') io.out(testRow(event.test) + '\n');
    },
    opts.daemon,
    io,
  );
  if (!record) return undefined;
  const result = resultOf(record) as JudgeResult;
  if (opts.json) io.out(JSON.stringify(result, null, 2) + '\n');
  else {
    if (result.compile?.status === 'Compile Error') io.err(displayText(result.compile.output.replace(/\n?$/, '\n')));
    io.out(judgeSummary(result) + '\n');
  }
  return result;
}
