import type { Diff } from '../../protocol/results';
export type { Diff, TestResult } from '../../protocol/results';
export { BUILTIN_CHECKERS } from '../../protocol/judge';
export type { BuiltinChecker, CheckerOptions, TestCase, TestData } from '../../protocol/judge';
export type CheckOutcome =
  | {
      ok: true;
      message?: string;
    }
  | {
      ok: false;
      message: string;
      diff?: Diff;
    };
