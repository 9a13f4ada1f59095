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

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

export function signalName(n: number): string | null {
  return n > 0 ? (SIGNAL_NAMES.get(n) ?? `signal ${n}`) : null;
}

/** How a language's runtime meets the memory limit (from its definition). */
export interface MemoryRules {
  /** Granted on top of the limit for the runtime's own memory, and named in the message. */
  runtimeMb: number;
  runtimeName: string;
  /** The runtime's out-of-memory messages on stderr. */
  outOfMemory: RegExp[];
}

/** How much of stderr's end is searched for an out-of-memory message (runtimes print it last). */
const OOM_TAIL_BYTES = 16 * 1024;

/**
 * Order matters: a flood stopped for output is OLE even though it also died of SIGKILL; a program
 * that went over its memory limit is MLE whatever it did after (spin, sleep, crash); a signal is TLE
 * only when the limit was reached (a program may raise SIGXCPU itself).
 */
export function classify(e: Execution, limits: ExecutionLimits, memory?: MemoryRules): { status: Status; message?: string } {
  if (e.limit === 'output')
    return { status: 'Output Limit Exceeded', message: `The program wrote more than ${limits.outputBytes} bytes to stdout and stderr.` };
  const allowanceMb = memory?.runtimeMb ?? 0;
  const failed = e.signal !== null || e.exitCode !== 0;
  const tail = failed && memory?.outOfMemory.length ? e.stderr.subarray(-OOM_TAIL_BYTES).toString('latin1') : '';
  const runtimeSaid = tail !== '' && memory!.outOfMemory.some((re) => re.test(tail));
  if (e.limit === 'memory' || e.oomKilled || e.memoryKb > (limits.memoryMb + allowanceMb) * 1024 || runtimeSaid) {
    const allowance = allowanceMb ? ` (+${allowanceMb} MiB for the ${memory!.runtimeName} runtime)` : '';
    const why = runtimeSaid && e.limit !== 'memory' && !e.oomKilled ? ': the runtime ran out of memory' : '';
    return { status: 'Memory Limit Exceeded', message: `The program used more than ${limits.memoryMb} MiB of memory${allowance}${why}.` };
  }
  if (e.limit === 'cpu' || e.cpuMs > limits.cpuMs)
    return { status: 'Time Limit Exceeded', message: `The program used more than ${limits.cpuMs} ms of CPU time.` };
  if (e.limit === 'wall')
    return {
      status: 'Time Limit Exceeded',
      message: `The program ran longer than ${limits.wallMs} ms of wall time (sleeping or waiting counts).`,
    };
  if (e.signal) return { status: 'Runtime Error', message: `The program was killed by ${e.signal}.` };
  if (e.exitCode !== 0) return { status: 'Runtime Error', message: `The program exited with code ${e.exitCode}.` };
  return { status: 'Accepted' };
}
