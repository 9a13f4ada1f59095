import type Docker from 'dockerode';
import { ExecutionSpec, type ExecutionSpecInput, type RunResult } from './spec';
import { type LanguageDefinition } from './languages';
import { ContainerPool, type PoolSettings } from './sandbox/pool';
import { Submission, type OutputListener } from './submission';
import { CompileCache } from './cache/compile-cache';
import { LruCache } from './cache/lru';
import { type JudgeOptions, type JudgeRequest, type JudgeResult } from './judge/judge';
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
export interface RunOptions {
  signal?: AbortSignal;
  /** The program's stdout and stderr as they are written (the result still holds all of it). */
  onOutput?: OutputListener;
  /** The run id to use (so a caller can label what it streams before the result arrives). */
  runId?: string;
}
export declare class Runner {
  readonly docker: Docker;
  readonly languages: Map<string, LanguageDefinition>;
  readonly pool: ContainerPool;
  private readonly runtime?;
  private readonly nanoCpus;
  private readonly seccompProfile?;
  private readonly imageIds;
  /** Compiled artifacts by content (memory and disk). */
  readonly compileCache: CompileCache | undefined;
  /** Results of runs and judges that asked to be cached, by content. */
  readonly results: LruCache<object>;
  private constructor();
  /** Connects to Docker (failing with a clear SandboxUnavailable) and reaps containers of dead runners. */
  static create(options?: RunnerOptions): Promise<Runner>;
  close(): Promise<void>;
  /** Validates the spec; throws SpecInvalid or UsageError (unknown language) before anything runs. */
  parseSpec(input: ExecutionSpecInput): {
    spec: ExecutionSpec;
    language: LanguageDefinition;
  };
  /** Starts a container for this language in the background so the next run finds it warm. */
  warm(languageId: string, limits?: ExecutionSpecInput['limits']): void;
  run(input: ExecutionSpecInput, options?: RunOptions): Promise<RunResult>;
  /**
   * Judges a submission against its tests (compile once, each test in a fresh sandbox of the same
   * warm container), streaming each test's result; see runner/judge/judge.ts.
   */
  judge(request: JudgeRequest, options?: JudgeOptions): Promise<JudgeResult>;
  /**
   * The id of a language image, for cache keys. Looked up at most every few seconds, so a cache hit
   * costs no Docker call; a rebuilt image gets new keys within that time.
   */
  imageId(image: string): Promise<string>;
  /** Runs one command (e.g. a version probe) in a fresh sandbox of the language's image, without sources. */
  runCommand(language: LanguageDefinition, argv: string[], limits?: ExecutionSpecInput['limits']): Promise<RunResult>;
  /**
   * Leases a warm container for one submission. Throws SandboxUnavailable (fail closed) when none can
   * be had; the caller must release() the submission on every path.
   */
  open(
    spec: ExecutionSpec,
    language: LanguageDefinition,
    signal?: AbortSignal,
    room?: {
      memoryMb: number;
      processes: number;
    },
    runId?: string,
  ): Promise<Submission>;
  /** Runs body with a leased submission; sandbox failures become an Internal Error result carrying the run id. */
  private withSubmission;
  /** The container a spec needs: its cgroup is the hard backstop above the per-program limits. */
  private shapeFor;
}
export declare function emptyResult(runId: string): RunResult;
export declare function internalError(runId: string, message: string): RunResult;
