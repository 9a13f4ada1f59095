// The runner: validates a spec, takes a warm sandbox container from the pool, compiles and runs the
// program in fresh inner sandboxes, and turns what happened into a RunResult. Every path ends in a
// result with one of the statuses; failures of the sandbox itself are "Internal Error" (fail closed).
import type Docker from 'dockerode';
import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { ExecutionSpec, MiB, type ExecutionSpecInput, type RunResult } from './spec';
import { compileFlagRules, languageById, loadLanguages, type LanguageDefinition } from './languages';
import { compileFlagsProblem } from '../protocol/compile-flags';
import { ContainerPool, DEFAULT_POOL_SETTINGS, type PoolSettings } from './sandbox/pool';
import { connectDocker, assertDockerReachable } from './sandbox/docker';
import { SandboxUnavailable, SpecInvalid } from './errors';
import { classify, type Execution } from './verdicts';
import { Submission, compileLimits, type OutputListener } from './submission';
import { imageName } from './images/names';
import { settingsFromEnv } from './settings';
import { log } from './log';
import path from 'node:path';
import { CompileCache, defaultCacheDir } from './cache/compile-cache';
import { LruCache } from './cache/lru';
import { cacheKey } from './cache/key';
import { judge, type JudgeOptions, type JudgeRequest, type JudgeResult } from './judge/judge';

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
  /** The compile cache to use; false disables it (default: memory + ~/.cache/verdict/compile). */
  compileCache?: CompileCache | false;
}

const IMAGE_ID_TTL_MS = 5000;

export interface RunOptions {
  signal?: AbortSignal;
  /** The program's stdout and stderr as they are written (the result still holds all of it). */
  onOutput?: OutputListener;
  /** The run id to use (so a caller can label what it streams before the result arrives). */
  runId?: string;
  /**
   * The program's input as it comes — a terminal, an editor's pseudoterminal — instead of the spec's
   * stdin (which must then be empty); its end is the program's EOF. The limits hold as ever: give a
   * wall limit long enough for a person typing.
   */
  liveInput?: AsyncIterable<Uint8Array>;
}

/** Room for the supervisor, init and the inner sandbox's own mounts inside the container's cgroup. */
const CONTAINER_OVERHEAD_MB = 128;
const CONTAINER_TMP_BYTES = 2048 * MiB;

export class Runner {
  readonly languages: Map<string, LanguageDefinition>;
  readonly pool: ContainerPool;
  private readonly runtime?: string;
  private readonly nanoCpus: number;
  private readonly seccompProfile?: string;
  private readonly imageIds = new Map<string, { id: string; at: number }>();
  /** Compiled artifacts by content (memory and disk). */
  readonly compileCache: CompileCache | undefined;
  /** Results of runs and judges that asked to be cached, by content. */
  readonly results = new LruCache<object>(64 * MiB, (v) => JSON.stringify(v).length);

  private constructor(
    readonly docker: Docker,
    options: RunnerOptions,
  ) {
    const settings = settingsFromEnv();
    this.languages = options.languages ?? loadLanguages();
    this.runtime = options.runtime ?? settings.runtime;
    this.seccompProfile = options.seccompProfile;
    this.compileCache =
      options.compileCache === false || (options.compileCache === undefined && !settings.compileCache)
        ? undefined
        : (options.compileCache ?? new CompileCache({ dir: path.join(defaultCacheDir(), 'compile') }));
    this.nanoCpus = Math.round((options.cpus ?? settings.cpus) * 1e9);
    this.pool = new ContainerPool(docker, `runner-${process.pid}-${randomUUID().slice(0, 8)}`, {
      ...DEFAULT_POOL_SETTINGS,
      maxBusy: settings.maxBusy,
      maxUses: settings.maxUses,
      idleTimeoutMs: settings.idleTimeoutMs,
      idlePerShape: settings.warm,
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

  /**
   * Validates the spec, its compile flags against its language's rules included; throws SpecInvalid
   * or UsageError (unknown language) before anything runs.
   */
  parseSpec(input: ExecutionSpecInput): { spec: ExecutionSpec; language: LanguageDefinition } {
    const parsed = ExecutionSpec.safeParse(input);
    if (!parsed.success) throw new SpecInvalid(`Invalid execution spec: ${z.prettifyError(parsed.error)}`);
    const language = languageById(this.languages, parsed.data.language);
    const problem = compileFlagsProblem(language, compileFlagRules(language), parsed.data.compileFlags);
    if (problem) throw new SpecInvalid(problem);
    return { spec: parsed.data, language };
  }

  /** Starts a container for this language in the background so the next run finds it warm. */
  warm(languageId: string, limits: ExecutionSpecInput['limits'] = {}): void {
    const { spec, language } = this.parseSpec({ language: languageId, files: [{ name: 'x', content: '' }], limits });
    this.pool.warm(this.shapeFor(language, spec));
  }

  async run(input: ExecutionSpecInput, options: RunOptions = {}): Promise<RunResult> {
    const { spec, language } = this.parseSpec(input);
    const key = spec.cache
      ? cacheKey('run', await this.imageId(imageName(language.image)), language.id, { ...spec, cache: true })
      : undefined;
    if (options.liveInput && spec.stdin.length) throw new SpecInvalid('Give the program its input as stdin or as live input, not both.');
    const hit = key && !options.liveInput ? this.results.get(key) : undefined;
    if (hit) return { ...(hit as RunResult), cached: true, runId: options.runId ?? randomUUID() };
    const result = await this.withSubmission(language, spec, options.signal, options.runId, async (submission) => {
      // One execution: the sources go with it (interpreted languages), and the box is emptied before
      // its answer, so the container needs no reset afterwards (a round trip each, through Docker).
      const compile = await submission.prepare(this.compileCache, { single: true });
      if (compile?.status === 'Compile Error')
        return { ...emptyResult(submission.runId), status: 'Compile Error', compile, message: 'Compilation failed.' };
      const exec = await submission.execute(submission.runStep(spec.limits, spec.args), spec.stdin, options.onOutput, options.liveInput, {
        last: true,
      });
      return { ...resultOf(submission.runId, exec, submission.verdict(exec, spec.limits)), ...(compile ? { compile } : {}) };
    });
    if (key && !options.liveInput && result.status !== 'Internal Error') this.results.set(key, result);
    return result;
  }

  /**
   * Judges a submission against its tests (compile once, each test in a fresh sandbox of the same
   * warm container), streaming each test's result; see runner/judge/judge.ts.
   */
  judge(request: JudgeRequest, options: JudgeOptions = {}): Promise<JudgeResult> {
    return judge(this, request, options);
  }

  /**
   * The id of a language image, for cache keys. Looked up at most every few seconds, so a cache hit
   * costs no Docker call; a rebuilt image gets new keys within that time.
   */
  async imageId(image: string): Promise<string> {
    const known = this.imageIds.get(image);
    if (known && Date.now() - known.at < IMAGE_ID_TTL_MS) return known.id;
    const id = (
      await this.docker
        .getImage(image)
        .inspect()
        .catch(() => ({ Id: 'missing' }))
    ).Id;
    this.imageIds.set(image, { id, at: Date.now() });
    return id;
  }

  /** Runs one command (e.g. a version probe) in a fresh sandbox of the language's image, without sources. */
  async runCommand(language: LanguageDefinition, argv: string[], limits: ExecutionSpecInput['limits'] = {}): Promise<RunResult> {
    const { spec } = this.parseSpec({ language: language.id, files: [{ name: 'none', content: '' }], limits });
    return this.withSubmission(language, spec, undefined, undefined, async (submission) => {
      const exec = await submission.execute(submission.step(argv, { ...spec.limits, boxWritable: false }), '', undefined, undefined, {
        last: true,
      });
      return resultOf(submission.runId, exec, classify(exec, spec.limits));
    });
  }

  /**
   * Leases a warm container for one submission. Throws SandboxUnavailable (fail closed) when none can
   * be had; the caller must release() the submission on every path.
   */
  async open(
    spec: ExecutionSpec,
    language: LanguageDefinition,
    signal?: AbortSignal,
    room?: { memoryMb: number; processes: number },
    runId: string = randomUUID(),
  ): Promise<Submission> {
    const container = await this.pool.acquire(this.shapeFor(language, spec, room));
    return new Submission(
      runId,
      language,
      container,
      spec.files,
      spec.limits,
      (c, healthy) => this.pool.release(c, healthy),
      signal,
      spec.compileFlags,
    );
  }

  /** Runs body with a leased submission; sandbox failures become an Internal Error result carrying the run id. */
  private async withSubmission(
    language: LanguageDefinition,
    spec: ExecutionSpec,
    signal: AbortSignal | undefined,
    runId: string | undefined,
    body: (submission: Submission) => Promise<RunResult>,
  ): Promise<RunResult> {
    let submission: Submission | undefined;
    try {
      submission = await this.open(spec, language, signal, undefined, runId);
      return await body(submission);
    } catch (err) {
      if (!(err instanceof SandboxUnavailable)) throw err;
      const id = submission?.runId ?? runId ?? randomUUID();
      log.error({ runId: id, language: language.id, err: err.message }, 'internal error');
      return internalError(id, err.message);
    } finally {
      void submission?.release();
    }
  }

  /** The container a spec needs: its cgroup is the hard backstop above the per-program limits. */
  private shapeFor(language: LanguageDefinition, spec: ExecutionSpec, room = { memoryMb: 0, processes: 0 }) {
    const compile = language.compile ? compileLimits(language) : undefined;
    const memoryMb =
      Math.max(spec.limits.memoryMb + room.memoryMb, compile?.memoryMb ?? 0) +
      Math.max(spec.limits.diskMb, compile?.diskMb ?? 0) +
      CONTAINER_OVERHEAD_MB +
      // stdin lives in the container's tmpfs, which its memory cgroup pays for: round up to 64 MiB steps.
      Math.ceil(spec.stdin.length / (64 * MiB)) * 64;
    return {
      image: imageName(language.image),
      language: language.id,
      memoryBytes: memoryMb * MiB,
      pids: Math.max(spec.limits.processes + room.processes, compile?.processes ?? 0) + 8,
      tmpBytes: CONTAINER_TMP_BYTES,
      nanoCpus: this.nanoCpus,
      ...(this.runtime ? { runtime: this.runtime } : {}),
      ...(this.seccompProfile ? { seccompProfile: this.seccompProfile } : {}),
    };
  }
}

function resultOf(runId: string, exec: Execution, verdict: ReturnType<typeof classify>): RunResult {
  return {
    status: verdict.status,
    exitCode: exec.exitCode,
    signal: exec.signal,
    ...outputFields(exec.stdout, exec.stderr),
    stdoutTruncated: exec.stdoutTruncated,
    stderrTruncated: exec.stderrTruncated,
    timeMs: exec.cpuMs,
    wallMs: exec.wallMs,
    memoryKb: exec.memoryKb,
    ...(verdict.message ? { message: verdict.message } : {}),
    runId,
  };
}

/** Output as text, plus its exact bytes (base64) when the text cannot hold them: not valid UTF-8. */
function outputFields(stdout: Buffer, stderr: Buffer): Pick<RunResult, 'stdout' | 'stderr' | 'stdoutBase64' | 'stderrBase64'> {
  return {
    stdout: stdout.toString('utf8'),
    stderr: stderr.toString('utf8'),
    ...(isUtf8(stdout) ? {} : { stdoutBase64: stdout.toString('base64') }),
    ...(isUtf8(stderr) ? {} : { stderrBase64: stderr.toString('base64') }),
  };
}

export function emptyResult(runId: string): RunResult {
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
