// From what the supervisor measured to exactly one status, with a sentence saying why.
import { constants } from 'node:os';
import type { Status } from './spec';

/** What the supervisor reports for one program execution. */
export interface Execution {
  exitCode: number | null;
  signal: string | null;
  cpuMs: number;
  wallMs: number;
  memoryKb: number;
  /** Which limit the supervisor enforced by killing the sandbox, if any. */
  limit: 'none' | 'cpu' | 'wall' | 'output';
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

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

export function signalName(n: number): string | null {
  return n > 0 ? (SIGNAL_NAMES.get(n) ?? `signal ${n}`) : null;
}

/** Order matters: a flood killed for output is OLE even though it also died of SIGKILL, and so on. */
export function classify(e: Execution, limits: ExecutionLimits): { status: Status; message?: string } {
  if (e.limit === 'output')
    return { status: 'Output Limit Exceeded', message: `The program wrote more than ${limits.outputBytes} bytes to stdout and stderr.` };
  if (e.oomKilled || e.memoryKb > limits.memoryMb * 1024)
    return { status: 'Memory Limit Exceeded', message: `The program used more than ${limits.memoryMb} MiB of memory.` };
  if (e.limit === 'cpu' || e.cpuMs > limits.cpuMs || e.signal === 'SIGXCPU')
    return { status: 'Time Limit Exceeded', message: `The program used more than ${limits.cpuMs} ms of CPU time.` };
  if (e.limit === 'wall')
    return { status: 'Time Limit Exceeded', message: `The program ran longer than ${limits.wallMs} ms of wall time (sleeping or waiting counts).` };
  if (e.signal) return { status: 'Runtime Error', message: `The program was killed by ${e.signal}.` };
  if (e.exitCode !== 0) return { status: 'Runtime Error', message: `The program exited with code ${e.exitCode}.` };
  return { status: 'Accepted' };
}
