import type { Status } from './spec';
/** What the supervisor reports for one program execution. */
export interface Execution {
  exitCode: number | null;
  signal: string | null;
  cpuMs: number;
  wallMs: number;
  memoryKb: number;
  /** Which limit the supervisor enforced by stopping the sandbox, if any. */
  limit: 'none' | 'cpu' | 'wall' | 'output' | 'memory';
  /** The container's cgroup OOM-killed something during this execution. */
  oomKilled: boolean;
  stdout: Buffer;
  stderr: Buffer;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}
export interface ExecutionLimits {
  cpuMs: number;
  wallMs: number;
  memoryMb: number;
  outputBytes: number;
}
export declare function signalName(n: number): string | null;
/** How a language's runtime meets the memory limit (from its definition). */
export interface MemoryRules {
  /** Granted on top of the limit for the runtime's own memory, and named in the message. */
  runtimeMb: number;
  runtimeName: string;
  /** The runtime's out-of-memory messages on stderr. */
  outOfMemory: RegExp[];
}
/**
 * Order matters: a flood stopped for output is OLE even though it also died of SIGKILL; a program
 * that went over its memory limit is MLE whatever it did after (spin, sleep, crash); a signal is TLE
 * only when the limit was reached (a program may raise SIGXCPU itself).
 */
export declare function classify(
  e: Execution,
  limits: ExecutionLimits,
  memory?: MemoryRules,
): {
  status: Status;
  message?: string;
};
