import type { ProblemPackage } from './problem';
import type { TestResult } from './types';
import type { ScoreReport } from '../../protocol/results';
import type { ScoreGroup } from '../../protocol/judge';
export type { GroupScore, ScoreReport } from '../../protocol/results';
export type { ScoreGroup } from '../../protocol/judge';
/** The scored groups of a package (secret and its groups); empty for pass-fail problems. */
export declare function scoreGroups(problem: ProblemPackage): ScoreGroup[];
export declare function computeScore(groups: ScoreGroup[], results: TestResult[]): ScoreReport;
