// One submission in one leased container: its sources are put in the box once, compiled once, and
// then executed as often as needed (a run, or every test of a judge), each execution in a fresh inner
// sandbox. The Submission owns its lease and gives the container back (or condemns it) on release().
import { COMPILE_LIMITS, MiB, type CompileResult, type Limits, type SourceFile } from './spec';
import { expand, resolveVariables, type LanguageDefinition } from './languages';
import type { SandboxContainer } from './sandbox/container';
import type { Field, Message } from './sandbox/wire';
import { SandboxUnavailable } from './errors';
import type { BoxFile, CompileCache } from './cache/compile-cache';

export type { BoxFile } from './cache/compile-cache';
import { cacheKey } from './cache/key';
import { classify, signalName, type Execution, type MemoryRules } from './verdicts';

export const BASE_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/tmp',
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
};
/** How long past a program's wall limit the runner waits for the supervisor before condemning it. */
const SUPERVISOR_GRACE_MS = 15_000;

/** Which of the container's two boxes: the submission's, or the validator's (never visible to the submission). */
export type Box = 'box' | 'vbox';

export interface StepLimits extends Limits {
  /** Whether /box is writable (compile, validators) or read-only (runs). */
  boxWritable: boolean;
}

/** A program to start in a sandbox: its command, environment and limits. */
export interface ProgramStep {
  argv: string[];
  env: Record<string, string>;
  limits: StepLimits;
  box: Box;
}

/** Receives a program's output while it runs. */
export type OutputListener = (stream: 'stdout' | 'stderr', data: Buffer) => void;

export interface Interaction {
  program: Execution;
  interactor: Execution;
  /** The conversation, capped: lines of "> " (program to interactor) and "< " (interactor to program). */
  transcript: string;
  /** Whether the interactor ended before the program did. */
  interactorFirst: boolean;
}

export function compileLimits(language: LanguageDefinition): StepLimits {
  const own = language.compile?.limits ?? {};
  const cpuMs = own.timeMs ?? COMPILE_LIMITS.cpuMs;
  return {
    cpuMs,
    wallMs: 3 * cpuMs + 1000,
    memoryMb: own.memoryMb ?? COMPILE_LIMITS.memoryMb,
    processes: own.processes ?? COMPILE_LIMITS.processes,
    outputBytes: COMPILE_LIMITS.outputBytes,
    diskMb: COMPILE_LIMITS.diskMb,
    openFiles: COMPILE_LIMITS.openFiles,
    boxWritable: true,
  };
}

/** How an execution relates to the submission's box (see Submission.prepare and execute). */
export interface ExecuteOptions {
  /**
   * The submission's last execution: the supervisor empties the box before it answers, whatever
   * happened, so the container needs no reset before the next submission. Nothing may follow.
   */
  last?: boolean;
}

export class Submission {
  private healthy = true;
  private released = false;
  /** Sources not yet in the box: they go with the next execution of a step in the box (one message, not two). */
  private pending: Array<{ name: string; content: string | Buffer; mode?: number }> | undefined;
  /** The box was emptied after the last execution: nothing more may run in this submission. */
  private emptied = false;
  private readonly placeholders: Record<string, string>;
  private readonly sourceName: string;

  constructor(
    readonly runId: string,
    readonly language: LanguageDefinition,
    private readonly container: SandboxContainer,
    private readonly files: SourceFile[],
    private readonly limits: Limits,
    private readonly giveBack: (container: SandboxContainer, healthy: boolean) => Promise<void>,
    private readonly signal?: AbortSignal,
    /** Extra compiler flags, already checked against the language's rules (Runner.parseSpec). */
    private readonly compileFlags: readonly string[] = [],
  ) {
    const values = { ...resolveVariables(language, files[0]!.content), memoryMb: String(limits.memoryMb) };
    this.sourceName = expand(language.sourceFile, values);
    this.placeholders = { ...values, source: this.sourceName };
  }

  /**
   * Writes the sources into the box and compiles them; undefined for interpreted languages. With a
   * cache, an identical earlier compile (same image, command with its flags, environment and
   * sources) is restored instead of run.
   */
  async prepare(cache?: CompileCache, options: { single?: boolean } = {}): Promise<CompileResult | undefined> {
    const sources = this.files.map((f, i) => ({ name: i === 0 ? this.sourceName : f.name, content: f.content }));
    if (!this.language.compile) {
      // One execution to come (a run): the sources go with it, in the same message.
      if (options.single && this.container.features.execFiles) this.pending = sources;
      else await this.put('box', sources);
      return undefined;
    }
    const limits = compileLimits(this.language);
    const step = this.step(this.language.compile.command, limits);
    const key = cache && cacheKey('compile', this.container.imageId, this.language.id, step.argv, step.env, limits, sources);
    const hit = key ? cache!.get(key) : undefined;
    if (hit) {
      await this.put('box', hit.files);
      return { ...hit.compile, cached: true };
    }
    await this.put('box', sources);
    const exec = await this.execute(step, '');
    const output = Buffer.concat([exec.stdout, exec.stderr]).toString('utf8');
    const verdict = classify(exec, limits);
    let result: CompileResult;
    if (verdict.status === 'Accepted') result = { status: 'OK', output, timeMs: exec.cpuMs };
    else if (verdict.status === 'Runtime Error') result = { status: 'Compile Error', output, timeMs: exec.cpuMs };
    // A compiler stopped by a limit may pass next time (a busy machine): such a result is not cached.
    else return { status: 'Compile Error', output: `${output}\n(the compiler: ${verdict.status}: ${verdict.message})`, timeMs: exec.cpuMs };
    if (key) cache!.set(key, { compile: result, files: result.status === 'OK' ? await this.snapshot('box') : [] });
    return result;
  }

  /**
   * The run step of this language with these limits (box read-only, a fresh /tmp as working
   * directory). The sandbox's memory budget includes the runtime's allowance; {memoryMb} does not.
   */
  runStep(limits: Limits = this.limits, args: string[] = []): ProgramStep {
    const budget = {
      ...limits,
      memoryMb: limits.memoryMb + this.language.memory.runtimeMb,
      // A runtime that needs more descriptors than the limit to start at all (R refuses fewer than 100).
      openFiles: Math.max(limits.openFiles, this.language.run.openFiles ?? 0),
      boxWritable: false,
    };
    return { ...this.step(this.language.run.command, budget), argv: [...this.command(this.language.run.command), ...args] };
  }

  /** The verdict on a run of this submission's program under the caller's limits. */
  verdict(exec: Execution, limits: Limits): ReturnType<typeof classify> {
    return classify(exec, limits, this.memoryRules);
  }

  private get memoryRules(): MemoryRules {
    const m = this.language.memory;
    return { runtimeMb: m.runtimeMb, runtimeName: this.language.name, outOfMemory: m.outOfMemory.map((p) => new RegExp(p)) };
  }

  /** A step with this language's environment and the given command (placeholders expanded). */
  step(command: string[], limits: StepLimits, box: Box = 'box'): ProgramStep {
    return { argv: this.command(command), env: { ...this.language.env, ...BASE_ENV }, limits, box };
  }

  /** A command with its placeholders expanded; the element `{flags}` becomes the extra compile flags (zero or more). */
  private command(command: string[]): string[] {
    return command.flatMap((a) => (a === '{flags}' ? this.compileFlags : [expand(a, this.placeholders)]));
  }

  async put(box: Box, files: ReadonlyArray<{ name: string; content: string | Buffer; mode?: number }>): Promise<void> {
    this.assertNotEmptied();
    expectOk(await this.request([['op', 'put'], ['boxdir', box], ...fileFields(files)], 30_000), 'write files into the sandbox');
  }

  private assertNotEmptied(): void {
    if (this.emptied) throw new Error('Submission: its last execution emptied the box; nothing more can run in it.');
  }

  /** Reads a file a program left in a box (e.g. a compiled binary, a validator's feedback); undefined if absent. */
  async get(box: Box, path: string, maxBytes = 16 * MiB): Promise<Buffer | undefined> {
    const reply = await this.request(
      [
        ['op', 'get'],
        ['boxdir', box],
        ['path', path],
        ['max', maxBytes],
      ],
      30_000,
    );
    return reply.text('status') === 'ok' ? (reply.fields.get('data') ?? Buffer.alloc(0)) : undefined;
  }

  /** Every regular file of a box (e.g. a compile's artifacts), with its mode. */
  async snapshot(box: Box = 'box', maxBytes = 256 * MiB): Promise<BoxFile[]> {
    const reply = await this.request(
      [
        ['op', 'snapshot'],
        ['boxdir', box],
        ['max', maxBytes],
      ],
      60_000,
    );
    if (reply.text('status') !== 'ok') throw new SandboxUnavailable(`The sandbox could not list its files: ${reply.text('message')}`);
    const files: BoxFile[] = [];
    let current: Partial<BoxFile> = {};
    for (const [key, value] of reply.all) {
      if (key === 'path') current = { name: value.toString('utf8') };
      if (key === 'mode') current.mode = parseInt(value.toString(), 8);
      if (key === 'data' && current.name) files.push({ name: current.name, mode: current.mode ?? 0o644, content: value });
    }
    return files;
  }

  /**
   * Runs a step in a fresh sandbox; with onOutput, what the program writes is passed on as it arrives.
   * Its input is `stdin`, or with `liveInput` what that yields as it comes (its end is the program's EOF).
   */
  async execute(
    step: ProgramStep,
    stdin: string | Buffer,
    onOutput?: OutputListener,
    liveInput?: AsyncIterable<Uint8Array>,
    options: ExecuteOptions = {},
  ): Promise<Execution> {
    if (liveInput && !this.container.features.liveInput)
      throw new SandboxUnavailable("This image's sandbox supervisor cannot take live input: rebuild the images (`verdict images build`).");
    this.assertNotEmptied();
    let files = this.pending;
    this.pending = undefined;
    if (files && step.box !== 'box') {
      await this.put('box', files);
      files = undefined;
    }
    const emptyAfter = options.last === true && this.container.features.execFiles;
    if (emptyAfter) this.emptied = true;
    const reply = this.request(
      [
        ['op', 'exec'],
        ...stepFields('', step),
        ...(liveInput ? ([['stdin_stream', 1]] as Field[]) : ([['stdin', Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin)]] as Field[])),
        ...(onOutput ? ([['stream', 1]] as Field[]) : []),
        // The sources, put in the box (emptied first) before the program starts.
        ...(files ? fileFields(files) : []),
        ...(emptyAfter ? ([['empty_after', 1]] as Field[]) : []),
      ],
      step.limits.wallMs + SUPERVISOR_GRACE_MS,
      onOutput && ((m) => onOutput(m.text('stream') === 'stderr' ? 'stderr' : 'stdout', m.fields.get('data') ?? Buffer.alloc(0))),
    );
    if (liveInput) void this.feed(liveInput, reply);
    const answer = await reply;
    expectOk(answer, 'run the program');
    return executionOf(answer, '', answer.fields.get('stdout'), answer.fields.get('stderr'));
  }

  /**
   * Passes live input on to the running program until the input ends (EOF) or the run does; then the
   * input is let go (its iterator returned: a terminal's stream is released, so the process can exit).
   */
  private async feed(input: AsyncIterable<Uint8Array>, ended: Promise<unknown>): Promise<void> {
    const chunks = input[Symbol.asyncIterator]();
    let over = false;
    const stop = () => {
      over = true;
      void chunks.return?.();
    };
    void ended.then(stop, stop);
    try {
      for (let next = await chunks.next(); !next.done && !over; next = await chunks.next())
        if (next.value.length)
          await this.container.send([
            ['op', 'stdin'],
            ['data', Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength)],
          ]);
    } catch {
      // An input that fails ends the program's input, as its end would.
    }
    if (!over) await this.container.send([['op', 'stdin_eof']]).catch(() => undefined);
  }

  /** Runs the program and an interactor at once, stdin to stdout both ways, each in its own sandbox. */
  async interact(program: ProgramStep, interactor: ProgramStep, transcriptBytes = 64 * 1024): Promise<Interaction> {
    const reply = await this.request(
      [['op', 'interact'], ...stepFields('p.', program), ...stepFields('v.', interactor), ['transcript', transcriptBytes]],
      Math.max(program.limits.wallMs, interactor.limits.wallMs) + SUPERVISOR_GRACE_MS,
    );
    expectOk(reply, 'run the interaction');
    const interactorExec = executionOf(reply, 'v.', undefined, reply.fields.get('v.stderr'), -1);
    // The memory meter sees both sandboxes (one container): the program's share is what the interactor did not hold.
    const programExec = executionOf(
      reply,
      'p.',
      undefined,
      reply.fields.get('p.stderr'),
      reply.num('mem_peak_kb') - interactorExec.memoryKb,
    );
    return {
      program: programExec,
      interactor: interactorExec,
      transcript: reply.text('transcript'),
      interactorFirst: reply.text('first') === 'v',
    };
  }

  /** Gives the container back to the pool: reset and reused, or destroyed after an anomaly. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.giveBack(this.container, this.healthy);
  }

  private async request(fields: Field[], timeoutMs: number, onChunk?: (m: Message) => void): Promise<Message> {
    try {
      return await this.container.request(fields, timeoutMs, this.signal, onChunk);
    } catch (err) {
      this.healthy = false;
      throw err;
    }
  }
}

/** Files for the box, as `put` and `exec` take them: path, optional mode (octal), data. */
function fileFields(files: ReadonlyArray<{ name: string; content: string | Buffer; mode?: number }>): Field[] {
  const fields: Field[] = [];
  for (const f of files) {
    if (f.mode !== undefined) fields.push(['mode', f.mode.toString(8)]);
    fields.push(['path', f.name], ['data', Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content)]);
  }
  return fields;
}

function stepFields(prefix: string, step: ProgramStep): Field[] {
  const l = step.limits;
  const f = (key: string, value: string | number): Field => [prefix + key, value];
  return [
    ...step.argv.map((a) => f('arg', a)),
    ...Object.entries(step.env).map(([k, v]) => f('env', `${k}=${v}`)),
    f('boxdir', step.box),
    f('box', l.boxWritable ? 'rw' : 'ro'),
    f('cwd', l.boxWritable ? '/box' : '/tmp'),
    f('cpu_ms', l.cpuMs),
    f('wall_ms', l.wallMs),
    f('mem_kb', l.memoryMb * 1024),
    f('nproc', l.processes),
    f('nofile', l.openFiles),
    f('fsize', l.diskMb * MiB),
    f('output', l.outputBytes),
    f('tmp_kb', l.diskMb * 1024),
  ];
}

/**
 * An execution from the supervisor's reply. Memory is the larger of the biggest process's peak RSS
 * and the submission's peak on the container's meter (all processes, shared memory, tmpfs files);
 * meterKb overrides the reply's meter (interactive runs share it).
 */
function executionOf(
  reply: Message,
  prefix: string,
  stdout: Buffer | undefined,
  stderr: Buffer | undefined,
  meterKb = reply.num('mem_peak_kb'),
): Execution {
  const num = (k: string) => reply.num(prefix + k);
  const cpuUs = num('cpu_us');
  const rssKb = Math.max(num('rss_kb'), Number.isFinite(meterKb) ? meterKb : -1);
  const exit = num('exit');
  const limit = reply.text(prefix + 'limit');
  return {
    exitCode: exit >= 0 && num('signal') === 0 ? exit : null,
    signal: signalName(num('signal')),
    cpuMs: cpuUs >= 0 ? Math.round(cpuUs / 100) / 10 : 0,
    wallMs: Math.round(num('wall_us') / 100) / 10,
    memoryKb: rssKb >= 0 ? rssKb : 0,
    limit: limit === 'cpu' || limit === 'wall' || limit === 'output' || limit === 'memory' ? limit : 'none',
    oomKilled: reply.num('oom') === 1,
    stdout: stdout ?? Buffer.alloc(0),
    stderr: stderr ?? Buffer.alloc(0),
    stdoutTruncated: reply.num(prefix + 'stdout_truncated') === 1,
    stderrTruncated: reply.num(prefix + 'stderr_truncated') === 1,
  };
}

function expectOk(reply: Message, what: string): void {
  if (reply.text('status') !== 'ok')
    throw new SandboxUnavailable(`The sandbox could not ${what}: ${reply.text('message') || 'no reason given'}.`);
}
