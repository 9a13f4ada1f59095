export * from '../protocol/spec';
export * from '../protocol/results';
export { formatMemory, outputBytes } from '../protocol/report';
/** Compilers get their own, larger budget unless the language definition says otherwise. */
export declare const COMPILE_LIMITS: {
  cpuMs: number;
  memoryMb: number;
  processes: number;
  openFiles: number;
  outputBytes: number;
  diskMb: number;
};
