import type { ProblemPackage, ProblemTest } from './model';
export type { FormatVersion, OutputValidatorSource, ProblemPackage, ProblemTest, TestGroup, TestGroupSettings } from './model';
export declare function loadProblemPackage(dir: string): ProblemPackage;
/** Every test of the package in judging order, each with the settings that apply to it. */
export declare function allTests(p: ProblemPackage): ProblemTest[];
