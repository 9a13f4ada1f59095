// The runner's view of the protocol: the request schemas and result types (protocol/), and the
// budgets that only the runner decides.
import { MiB } from '../protocol/spec';

export * from '../protocol/spec';
export * from '../protocol/results';
export { formatMemory, outputBytes } from '../protocol/report';

/** Compilers get their own, larger budget unless the language definition says otherwise. */
export const COMPILE_LIMITS = { cpuMs: 10_000, memoryMb: 512, processes: 128, openFiles: 256, outputBytes: 1 * MiB, diskMb: 256 };
