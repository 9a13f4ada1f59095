// The runner: validates a spec, takes a warm sandbox container from the pool, compiles and runs the
// program in fresh inner sandboxes, and turns what happened into a RunResult. Every path ends in a
// result with one of the statuses; failures of the sandbox itself are "Internal Error" (fail closed).
import type Docker from 'dockerode';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { COMPILE_LIMITS, ExecutionSpec, MiB, type ExecutionSpecInput, type Limits, type RunResult } from './spec';
import { expand, languageById, loadLanguages, resolveVariables, type LanguageDefinition } from './languages';
import { ContainerPool, DEFAULT_POOL_SETTINGS, type PoolSettings } from './sandbox/pool';
import { connectDocker, assertDockerReachable } from './sandbox/docker';
import type { SandboxContainer } from './sandbox/container';
import type { Field, Message } from './sandbox/protocol';
import { SandboxUnavailable, SpecInvalid } from './errors';
import { classify, signalName, type Execution } from './verdicts';
import { imageName } from './images/names';
import { settingsFromEnv } from './settings';
import { log } from './log';

export interface RunnerOptions {
  docker?: Docker;
  languages?: Map<string, LanguageDefinition>;
  pool?: Partial<PoolSettings>;
  /** OCI runtime passed through to Docker, e.g. "runsc" for gVisor. */
  runtime?: string;
  /** CPUs each sandbox container may use. */
  cpus?: number;
  /** Replaces Verdict's container seccomp profile (JSON text). For hardened deployments and tests. */
  seccompProfile?: string;
}

export interface RunOptions {
  signal?: AbortSignal;
}

const BASE_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/tmp',
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
};
/** Room for the supervisor, init and the inner sandbox's own mounts inside the container's cgroup. */
const CONTAINER_OVERHEAD_MB = 128;
const CONTAINER_TMP_BYTES = 2048 * MiB;
/** How long past the program's wall limit the runner waits for the supervisor before condemning it. */
const SUPERVISOR_GRACE_MS = 15_000;

interface StepLimits extends Limits {
  /** Whether /box is writable (compile) or read-only (run). */
  boxWritable: boolean;
}

export class Runner {
  readonly languages: Map<string, LanguageDefinition>;
  readonly pool: ContainerPool;
  private readonly runtime?: string;
  private readonly nanoCpus: number;
  private readonly seccompProfile?: string;

  private constructor(readonly docker: Docker, options: RunnerOptions) {
    const settings = settingsFromEnv();
    this.languages = options.languages ?? loadLanguages();
    this.runtime = options.runtime ?? settings.runtime;
    this.seccompProfile = options.seccompProfile;
    this.nanoCpus = Math.round((options.cpus ?? settings.cpus) * 1e9);
    this.pool = new ContainerPool(docker, `runner-${process.pid}-${randomUUID().slice(0, 8)}`, {
      ...DEFAULT_POOL_SETTINGS,
      maxBusy: settings.maxBusy,
      maxUses: settings.maxUses,
      ...options.pool,
    });
  }

  /** Connects to Docker (failing with a clear SandboxUnavailable) and reaps containers of dead runners. */
  static async create(options: RunnerOptions = {}): Promise<Runner> {
    const docker = options.docker ?? connectDocker();
    await assertDockerReachable(docker);
    await ContainerPool.reapLeftovers(docker);
    return new Runner(docker, options);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Validates the spec; throws SpecInvalid or UsageError (unknown language) before anything runs. */
  parseSpec(input: ExecutionSpecInput): { spec: ExecutionSpec; language: LanguageDefinition } {
    const parsed = ExecutionSpec.safeParse(input);
    if (!parsed.success) throw new SpecInvalid(`Invalid execution spec: ${z.prettifyError(parsed.error)}`);
    return { spec: parsed.data, language: languageById(this.languages, parsed.data.language) };
  }

  /** Starts a container for this language in the background so the next run finds it warm. */
  warm(languageId: string, limits: ExecutionSpecInput['limits'] = {}): void {
    const { spec, language } = this.parseSpec({ language: languageId, files: [{ name: 'x', content: '' }], limits });
    this.pool.warm(this.shapeFor(language, spec));
  }

  async run(input: ExecutionSpecInput, options: RunOptions = {}): Promise<RunResult> {
    const { spec, language } = this.parseSpec(input);
    return this.withContainer(language, spec, (container, runId) => this.runIn(container, runId, spec, language, options.signal));
  }

  /** Runs one command (e.g. a version probe) in a fresh sandbox of the language's image, without sources. */
  async runCommand(language: LanguageDefinition, argv: string[], limits: ExecutionSpecInput['limits'] = {}): Promise<RunResult> {
    const { spec } = this.parseSpec({ language: language.id, files: [{ name: 'none', content: '' }], limits });
    return this.withContainer(language, spec, async (container, runId) => {
      const exec = await this.exec(container, argv, '', language, { ...spec.limits, boxWritable: false });
      return resultOf(runId, exec, classify(exec, spec.limits));
    });
  }

  /** Leases a container for one submission; sandbox failures become an Internal Error result. */
  private async withContainer(
    language: LanguageDefinition,
    spec: ExecutionSpec,
    body: (container: SandboxContainer, runId: string) => Promise<RunResult>,
  ): Promise<RunResult> {
    const runId = randomUUID();
    let container: SandboxContainer | undefined;
    let healthy = false;
    try {
      container = await this.pool.acquire(this.shapeFor(language, spec));
      const result = await body(container, runId);
      healthy = true;
      return result;
    } catch (err) {
      if (!(err instanceof SandboxUnavailable)) throw err;
      log.error({ runId, language: language.id, err: err.message }, 'internal error');
      return internalError(runId, err.message);
    } finally {
      if (container) void this.pool.release(container, healthy);
    }
  }

  private async runIn(
    container: SandboxContainer,
    runId: string,
    spec: ExecutionSpec,
    language: LanguageDefinition,
    signal?: AbortSignal,
  ): Promise<RunResult> {
    const main = spec.files[0]!;
    const values = {
      ...resolveVariables(language, main.content),
      memoryMb: String(spec.limits.memoryMb),
    };
    const sourceName = expand(language.sourceFile, values);
    const placeholders = { ...values, source: sourceName };
    const put: Field[] = [['op', 'put']];
    for (const [i, file] of spec.files.entries()) put.push(['path', i === 0 ? sourceName : file.name], ['data', Buffer.from(file.content)]);
    expectOk(await container.request(put, 30_000, signal), 'write the sources');

    let compile: RunResult['compile'];
    if (language.compile) {
      const limits = compileLimits(language);
      const exec = await this.exec(container, language.compile.command.map((a) => expand(a, placeholders)), '', language, limits, signal);
      const output = Buffer.concat([exec.stdout, exec.stderr]).toString('utf8');
      const verdict = classify(exec, limits);
      if (verdict.status !== 'Accepted') {
        const why = verdict.status === 'Runtime Error' ? '' : ` (the compiler: ${verdict.status}: ${verdict.message})`;
        compile = { status: 'Compile Error', output: output + why, timeMs: exec.cpuMs };
        return {
          ...emptyResult(runId),
          status: 'Compile Error',
          compile,
          message: `Compilation failed${why}.`,
        };
      }
      compile = { status: 'OK', output, timeMs: exec.cpuMs };
    }

    const argv = [...language.run.command.map((a) => expand(a, placeholders)), ...spec.args];
    const exec = await this.exec(container, argv, spec.stdin, language, { ...spec.limits, boxWritable: false }, signal);
    return { ...resultOf(runId, exec, classify(exec, spec.limits)), ...(compile ? { compile } : {}) };
  }

  private async exec(
    container: SandboxContainer,
    argv: string[],
    stdin: string,
    language: LanguageDefinition,
    limits: StepLimits,
    signal?: AbortSignal,
  ): Promise<Execution> {
    const env = { ...language.env, ...BASE_ENV };
    const fields: Field[] = [
      ['op', 'exec'],
      ...argv.map((a): Field => ['arg', a]),
      ...Object.entries(env).map(([k, v]): Field => ['env', `${k}=${v}`]),
      ['box', limits.boxWritable ? 'rw' : 'ro'],
      ['cwd', limits.boxWritable ? '/box' : '/tmp'],
      ['stdin', Buffer.from(stdin)],
      ['cpu_ms', limits.cpuMs],
      ['wall_ms', limits.wallMs],
      ['mem_kb', limits.memoryMb * 1024],
      ['nproc', limits.processes],
      ['nofile', limits.openFiles],
      ['fsize', limits.diskMb * MiB],
      ['output', limits.outputBytes],
      ['tmp_kb', limits.diskMb * 1024],
    ];
    const reply = await container.request(fields, limits.wallMs + SUPERVISOR_GRACE_MS, signal);
    expectOk(reply, 'run the program');
    const cpuUs = reply.num('cpu_us');
    const rssKb = reply.num('rss_kb');
    const exit = reply.num('exit');
    return {
      exitCode: exit >= 0 && reply.num('signal') === 0 ? exit : null,
      signal: signalName(reply.num('signal')),
      cpuMs: cpuUs >= 0 ? Math.round(cpuUs / 100) / 10 : 0,
      wallMs: Math.round(reply.num('wall_us') / 100) / 10,
      memoryKb: rssKb >= 0 ? rssKb : 0,
      limit: parseLimit(reply.text('limit')),
      oomKilled: reply.num('oom') === 1,
      stdout: reply.fields.get('stdout') ?? Buffer.alloc(0),
      stderr: reply.fields.get('stderr') ?? Buffer.alloc(0),
      stdoutTruncated: reply.num('stdout_truncated') === 1,
      stderrTruncated: reply.num('stderr_truncated') === 1,
    };
  }

  /** The container a spec needs: its cgroup is the hard backstop above the per-program limits. */
  private shapeFor(language: LanguageDefinition, spec: ExecutionSpec) {
    const compile = language.compile ? compileLimits(language) : undefined;
    const memoryMb =
      Math.max(spec.limits.memoryMb, compile?.memoryMb ?? 0) +
      Math.max(spec.limits.diskMb, compile?.diskMb ?? 0) +
      CONTAINER_OVERHEAD_MB +
      // stdin lives in the container's tmpfs, which its memory cgroup pays for: round up to 64 MiB steps.
      Math.ceil(Buffer.byteLength(spec.stdin) / (64 * MiB)) * 64;
    return {
      image: imageName(language.image),
      language: language.id,
      memoryBytes: memoryMb * MiB,
      pids: Math.max(spec.limits.processes, compile?.processes ?? 0) + 8,
      tmpBytes: CONTAINER_TMP_BYTES,
      nanoCpus: this.nanoCpus,
      ...(this.runtime ? { runtime: this.runtime } : {}),
      ...(this.seccompProfile ? { seccompProfile: this.seccompProfile } : {}),
    };
  }
}

function compileLimits(language: LanguageDefinition): StepLimits {
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

function resultOf(runId: string, exec: Execution, verdict: ReturnType<typeof classify>): RunResult {
  return {
    status: verdict.status,
    exitCode: exec.exitCode,
    signal: exec.signal,
    stdout: exec.stdout.toString('utf8'),
    stderr: exec.stderr.toString('utf8'),
    stdoutTruncated: exec.stdoutTruncated,
    stderrTruncated: exec.stderrTruncated,
    timeMs: exec.cpuMs,
    wallMs: exec.wallMs,
    memoryKb: exec.memoryKb,
    ...(verdict.message ? { message: verdict.message } : {}),
    runId,
  };
}

function parseLimit(text: string): Execution['limit'] {
  return text === 'cpu' || text === 'wall' || text === 'output' ? text : 'none';
}

function expectOk(reply: Message, what: string): void {
  if (reply.text('status') !== 'ok') throw new SandboxUnavailable(`The sandbox could not ${what}: ${reply.text('message') || 'no reason given'}.`);
}

function emptyResult(runId: string): RunResult {
  return {
    status: 'Internal Error',
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    timeMs: 0,
    wallMs: 0,
    memoryKb: 0,
    runId,
  };
}

export function internalError(runId: string, message: string): RunResult {
  return { ...emptyResult(runId), message: `${message} (run ${runId})` };
}
