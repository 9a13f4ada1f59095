// `verdict judge`: where the tests come from (a folder, a problem package, cph's file), which checker,
// then the judge, with each test printed as it ends.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Runner } from '../engine';
import { languageForFile, type LanguageDefinition } from '../languages';
import { MAX_SOURCE_BYTES } from '../spec';
import { UsageError } from '../errors';
import type { CheckerSpec, JudgeRequest, JudgeResult, JudgeTest } from '../judge/judge';
import { BUILTIN_CHECKERS, type BuiltinChecker } from '../judge/types';
import { defaultTestsDir, discoverTests } from '../judge/testfolder';
import { findCphFile, readCphFile } from '../judge/importers';
import { judgingOfPackage, submissionFiles } from '../judge/package-judging';
import type { ScoreGroup } from '../judge/scoring';
import { readUserFile } from './files';
import { cliLimits } from './follow';
import { displayText } from '../../protocol/display';
import { judgeSummary, testRow } from '../../protocol/report';
import { languageForRun } from '../../protocol/standards';

export interface JudgeCliOptions {
  tests?: string;
  problem?: string;
  lang?: string;
  /** --std as given (the language is already its variant): an explicit standard wins over the problem's. */
  std?: string;
  checker?: string;
  checkerProtocol: 'testlib' | 'kattis';
  timeLimit?: number;
  memoryLimit?: number;
  stopOnFailure?: boolean;
  /** Extra compiler flags for the submission (--compile-flags, split on whitespace). */
  compileFlags?: string[];
  json?: boolean;
  /** Judge on a classroom server instead (runner/cli/remote.ts). */
  server?: string;
}

/** Builds the judge request from the command line: tests, checker, limits. */
export function judgeRequest(args: string[], opts: JudgeCliOptions, runner: Runner): JudgeRequest {
  const submission = submissionFiles(args, runner.languages, opts.lang);
  const { files } = submission;
  let language = submission.language.id;
  const limits = cliLimits(opts);
  let tests: JudgeTest[];
  let checker: CheckerSpec = { kind: 'builtin', name: 'lines' };
  let interactor: JudgeRequest['interactor'];
  let scoring: ScoreGroup[] = [];
  if (opts.problem) {
    const judging = judgingOfPackage(opts.problem, runner.languages);
    ({ tests, checker, scoring } = judging);
    language = languageForRun({ language, ...(opts.std !== undefined ? { standard: opts.std } : {}) }, judging.standards).language;
    interactor = judging.interactor;
    if (judging.limits.cpuMs && !opts.timeLimit) Object.assign(limits, { cpuMs: judging.limits.cpuMs });
    if (judging.limits.memoryMb && !opts.memoryLimit) Object.assign(limits, { memoryMb: judging.limits.memoryMb });
  } else {
    const found = testsOfSource(args[0]!, opts.tests);
    tests = found.tests;
    if (found.timeLimitMs && !opts.timeLimit) Object.assign(limits, { cpuMs: found.timeLimitMs });
  }
  if (opts.checker) checker = checkerFromOption(opts.checker, opts.checkerProtocol, runner.languages);
  return {
    language,
    files,
    tests,
    checker,
    ...(interactor ? { interactor } : {}),
    ...(scoring.length ? { scoring } : {}),
    limits,
    ...(opts.compileFlags?.length ? { compileFlags: opts.compileFlags } : {}),
    stopOnFailure: Boolean(opts.stopOnFailure),
  };
}

/**
 * The tests of a source file without a problem package: the --tests folder, else the folder where
 * `verdict judge` looks, else cph's file (with its time limit). Used by local and remote judging.
 */
export function testsOfSource(
  source: string,
  testsDir?: string,
  problemOption = '--problem DIR',
): { tests: JudgeTest[]; timeLimitMs?: number } {
  const dir = testsDir ?? defaultTestsDir(source);
  if (dir) return { tests: discoverTests(dir) };
  const cph = findCphFile(source);
  if (!cph)
    throw new UsageError(
      `No tests found for ${source}. Put NAME.in/NAME.ans pairs where \`verdict judge\` looks (see docs/judging.md), or pass --tests DIR or ${problemOption}.`,
    );
  const imported = readCphFile(cph);
  return { tests: imported.tests, ...(imported.timeLimitMs ? { timeLimitMs: imported.timeLimitMs } : {}) };
}

export function checkerFromOption(value: string, protocol: 'testlib' | 'kattis', languages: Map<string, LanguageDefinition>): CheckerSpec {
  if ((BUILTIN_CHECKERS as readonly string[]).includes(value)) return { kind: 'builtin', name: value as BuiltinChecker };
  let isFile = false;
  try {
    isFile = statSync(value).isFile();
  } catch {
    // neither a checker name nor a file
  }
  if (!isFile)
    throw new UsageError(`Unknown checker "${value}": use one of ${BUILTIN_CHECKERS.join(', ')}, or the path of a checker program.`);
  const language = languageForFile(languages, value);
  return {
    kind: 'program',
    protocol,
    language: language.id,
    files: [{ name: path.basename(value), content: readUserFile(value, 'Checker', MAX_SOURCE_BYTES) }],
  };
}

export async function runJudgeCommand(runner: Runner, args: string[], opts: JudgeCliOptions): Promise<JudgeResult> {
  const request = judgeRequest(args, opts, runner);
  const result = await runner.judge(request, {
    onTest: (t) => {
      if (!opts.json) process.stdout.write(testRow(t) + '\n');
    },
  });
  if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    if (result.compile?.status === 'Compile Error') process.stderr.write(displayText(result.compile.output.replace(/\n?$/, '\n')));
    process.stdout.write(judgeSummary(result) + '\n');
  }
  return result;
}
