import { type CompileResult, type Limits, type SourceFile } from './spec';
import { type LanguageDefinition } from './languages';
import type { SandboxContainer } from './sandbox/container';
import type { BoxFile, CompileCache } from './cache/compile-cache';
export type { BoxFile } from './cache/compile-cache';
import { classify, type Execution } from './verdicts';
export declare const BASE_ENV: {
  PATH: string;
  HOME: string;
  TMPDIR: string;
  LANG: string;
};
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
export declare function compileLimits(language: LanguageDefinition): StepLimits;
export declare class Submission {
  readonly runId: string;
  readonly language: LanguageDefinition;
  private readonly container;
  private readonly files;
  private readonly limits;
  private readonly giveBack;
  private readonly signal?;
  private healthy;
  private released;
  private readonly placeholders;
  private readonly sourceName;
  constructor(
    runId: string,
    language: LanguageDefinition,
    container: SandboxContainer,
    files: SourceFile[],
    limits: Limits,
    giveBack: (container: SandboxContainer, healthy: boolean) => Promise<void>,
    signal?: AbortSignal | undefined,
  );
  /**
   * Writes the sources into the box and compiles them; undefined for interpreted languages. With a
   * cache, an identical earlier compile (same image, command, environment and sources) is restored
   * instead of run.
   */
  prepare(cache?: CompileCache): Promise<CompileResult | undefined>;
  /**
   * The run step of this language with these limits (box read-only, a fresh /tmp as working
   * directory). The sandbox's memory budget includes the runtime's allowance; {memoryMb} does not.
   */
  runStep(limits?: Limits, args?: string[]): ProgramStep;
  /** The verdict on a run of this submission's program under the caller's limits. */
  verdict(exec: Execution, limits: Limits): ReturnType<typeof classify>;
  private get memoryRules();
  /** A step with this language's environment and the given command (placeholders expanded). */
  step(command: string[], limits: StepLimits, box?: Box): ProgramStep;
  private command;
  put(
    box: Box,
    files: ReadonlyArray<{
      name: string;
      content: string | Buffer;
      mode?: number;
    }>,
  ): Promise<void>;
  /** Reads a file a program left in a box (e.g. a compiled binary, a validator's feedback); undefined if absent. */
  get(box: Box, path: string, maxBytes?: number): Promise<Buffer | undefined>;
  /** Every regular file of a box (e.g. a compile's artifacts), with its mode. */
  snapshot(box?: Box, maxBytes?: number): Promise<BoxFile[]>;
  /** Runs a step in a fresh sandbox; with onOutput, what the program writes is passed on as it arrives. */
  execute(step: ProgramStep, stdin: string | Buffer, onOutput?: OutputListener): Promise<Execution>;
  /** Runs the program and an interactor at once, stdin to stdout both ways, each in its own sandbox. */
  interact(program: ProgramStep, interactor: ProgramStep, transcriptBytes?: number): Promise<Interaction>;
  /** Gives the container back to the pool: reset and reused, or destroyed after an anomaly. */
  release(): Promise<void>;
  private request;
}
