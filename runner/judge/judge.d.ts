import { ExecutionSpec, type CompileResult, type LimitsInput, type SourceFile } from '../spec';
import type { Submission } from '../submission';
import type { LanguageDefinition } from '../languages';
import type { CompileCache } from '../cache/compile-cache';
import type { LruCache } from '../cache/lru';
import type { TestData, TestResult } from './types';
import type { JudgeRequest } from '../../protocol/judge';
import type { JudgeResult } from '../../protocol/results';
export type { CheckerSpec, JudgeRequest, JudgeTest } from '../../protocol/judge';
export type { JudgeResult } from '../../protocol/results';
export interface JudgeOptions {
  /** The run id to use (so a caller can label what it streams before the result arrives). */
  runId?: string;
  /** Called as each test ends (in order). */
  onTest?: (result: TestResult, index: number, total: number) => void;
  /** Called once compilation is done. */
  onCompiled?: (compile: CompileResult | undefined) => void;
  signal?: AbortSignal;
}
/**
 * What the judge needs from the runner it runs on, and nothing more: the Runner implements it
 * (Runner.judge is the way in), so the judge never reaches into the runner's internals.
 */
export interface JudgeHost {
  /** Validates a spec (once) and finds its language; throws SpecInvalid / UsageError. */
  parseSpec(input: { language: string; files: SourceFile[]; limits: LimitsInput }): {
    spec: ExecutionSpec;
    language: LanguageDefinition;
  };
  /** Leases a warm container for one submission; the caller releases it on every path. */
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
  readonly compileCache: CompileCache | undefined;
  readonly results: LruCache<object>;
  imageId(image: string): Promise<string>;
}
export declare function judge(runner: JudgeHost, request: JudgeRequest, options?: JudgeOptions): Promise<JudgeResult>;
/** Test data files larger than this are refused: an input is the program's stdin, which has the same limit. */
export declare const MAX_TEST_DATA_BYTES: number;
/** A test's input or answer, as bytes: test data is never decoded. */
export declare function readData(data: TestData, test: string, what: string): Promise<Buffer>;
