import type { FormatVersion } from './model';
export interface Metadata {
  formatVersion: FormatVersion;
  name?: string;
  interactive: boolean;
  scoring: boolean;
  timeLimitSeconds?: number;
  memoryMb?: number;
  outputMb?: number;
  codeKb?: number;
  allowFileWriting: boolean;
  languages?: string[];
  /** Set when problem.yaml says it (legacy, early 2023-07-draft); otherwise the folder decides. */
  validation?: 'default' | 'custom';
  /** problem.yaml validator_flags (legacy, early 2023-07-draft), split into arguments. */
  validatorFlags: string[];
}
export declare function parseMetadata(raw: unknown): Metadata;
export declare const words: (s: string | undefined) => string[];
