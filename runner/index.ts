// The runner's front door: what the CLI, the language server and the classroom service use, and the
// only module of the runner they import (runner/judge/tests.ts is the light side door for where tests
// live, which an editor needs before any run). Judging is a Runner method; a spec is validated once,
// in the Runner. Loading this module loads the Docker client: editors import it lazily, on the first
// run. The request and result types are the protocol's (protocol/), re-exported here.
import { expand, resolveVariables, type LanguageDefinition } from './languages';

export { Runner, internalError, type RunnerOptions, type RunOptions } from './engine';
export type { JudgeOptions } from './judge/judge';
export * from './spec';
export * from './errors';
export type { CheckerSpec, JudgeRequest, JudgeTest, ScoreGroup } from '../protocol/judge';
export { displayText, DisplayStream, type DisplayOptions } from '../protocol/display';
export { loadLanguages, languageForFile, languageById, compileFlagRules, type LanguageDefinition } from './languages';
export { probeLanguages, type LanguageProbe } from './probe';
export { buildImages, type BuildEvent, type BuiltImage } from './images/build';
export type { OutputListener } from './submission';

/** The name a source gets in the sandbox (main.cpp, Main.java, Solution.java): compilers report it by that name. */
export function sourceFileName(language: LanguageDefinition, content: string): string {
  return expand(language.sourceFile, { ...resolveVariables(language, content), memoryMb: '0' });
}
export { judgingOfPackage, submissionFiles, type PackageJudging } from './judge/package-judging';
export { imageName } from './images/names';
export {
  stress,
  StressProgramFailed,
  DEFAULT_ROUNDS,
  stressPoolSize,
  type StressRequest,
  type StressProgram,
  type StressProgress,
  type StressOptions,
} from './stress/stress';
export { writeStressCase, addStressTest, describeCase } from './stress/case-files';
export { collectChecks } from './cli/doctor';
export { attachDaemon } from './daemon/client';
