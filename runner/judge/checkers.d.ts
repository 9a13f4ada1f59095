import type { BuiltinChecker, CheckerOptions, CheckOutcome } from './types';
/** Parses a token as a number per the float grammar above, or undefined. */
export declare function parseNumber(token: string): number | undefined;
export interface ValidatorFlags {
  caseSensitive: boolean;
  spaceChangeSensitive: boolean;
  absoluteTolerance?: number;
  relativeTolerance?: number;
}
/** Parses validator_flags; a flag may also be a whole "a b c" string as problem.yaml writes them. */
export declare function parseValidatorFlags(flags?: readonly string[]): ValidatorFlags;
/**
 * Judges one output against its answer with a built-in checker, on bytes (a string is taken as
 * its UTF-8 bytes). Throws UsageError on bad options.
 */
export declare function check(
  checker: BuiltinChecker,
  outputData: Uint8Array | string,
  answerData: Uint8Array | string,
  options?: CheckerOptions,
): CheckOutcome;
