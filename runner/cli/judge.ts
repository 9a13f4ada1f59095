// `verdict judge`: where the tests come from (a folder, a problem package, cph's file), which checker,
// then the judge, with each test printed as it ends.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Runner } from '../engine';
import { languageById, languageForFile, type LanguageDefinition } from '../languages';
import { MAX_SOURCE_BYTES, type SourceFile } from '../spec';
import { UsageError } from '../errors';
import type { CheckerSpec, JudgeRequest, JudgeResult, JudgeTest } from '../judge/judge';
import { BUILTIN_CHECKERS, type BuiltinChecker } from '../judge/types';
import { defaultTestsDir, discoverTests } from '../judge/testfolder';
import { findCphFile, readCphFile } from '../judge/importers';
import { allTests, loadProblemPackage } from '../judge/problem';
import { scoreGroups, type ScoreGroup } from '../judge/scoring';
import { readUserFile } from './files';
import { displayText } from '../../protocol/display';
import { judgeSummary, testRow } from '../../protocol/report';

export interface JudgeCliOptions {
  tests?: string;
  problem?: string;
  lang?: string;
  checker?: string;
  checkerProtocol: 'testlib' | 'kattis';
  timeLimit?: number;
  memoryLimit?: number;
  stopOnFailure?: boolean;
  json?: boolean;
}

/** The submission: files named on the command line, or every source file of a folder. */
function submissionFiles(
  args: string[],
  languages: Map<string, LanguageDefinition>,
  langId?: string,
): { language: LanguageDefinition; files: SourceFile[] } {
  const paths: string[] = [];
  for (const arg of args) {
    const isDir = (() => {
      try {
        return statSync(arg).isDirectory();
      } catch {
        return false;
      }
    })();
    if (isDir)
      paths.push(
        ...readdirSync(arg)
          .sort()
          .map((f) => path.join(arg, f))
          .filter((p) => statSync(p).isFile()),
      );
    else paths.push(arg);
  }
  if (paths.length === 0) throw new UsageError('No source files to judge.');
  const language = langId
    ? languageById(languages, langId)
    : languageForFile(languages, paths.find((p) => tryLanguage(languages, p)) ?? paths[0]!);
  // Every file goes into the box (headers, other classes); the main one, the language's file that
  // defines an entry point (or else the first), goes first and is compiled or run.
  const files = paths.map((p) => ({ path: p, name: path.basename(p), content: readUserFile(p, 'Source file', MAX_SOURCE_BYTES) }));
  const sources = files.filter((f) => language.extensions.includes(path.extname(f.path).toLowerCase()));
  const main = sources.find((f) => /\bmain\s*\(/.test(f.content)) ?? sources[0] ?? files[0]!;
  const ordered = [main, ...files.filter((f) => f !== main)];
  return { language, files: ordered.map(({ name, content }) => ({ name, content })) };
}

function tryLanguage(languages: Map<string, LanguageDefinition>, file: string): boolean {
  try {
    languageForFile(languages, file);
    return true;
  } catch {
    return false;
  }
}

function programFiles(dir: string, languages: Map<string, LanguageDefinition>): { language: string; files: SourceFile[] } {
  const { language, files } = submissionFiles([dir], languages);
  return { language: language.id, files };
}

/** Builds the judge request from the command line: tests, checker, limits. */
export function judgeRequest(args: string[], opts: JudgeCliOptions, runner: Runner): JudgeRequest {
  const { language, files } = submissionFiles(args, runner.languages, opts.lang);
  const limits = { ...(opts.timeLimit ? { cpuMs: opts.timeLimit } : {}), ...(opts.memoryLimit ? { memoryMb: opts.memoryLimit } : {}) };
  let tests: JudgeTest[];
  let checker: CheckerSpec = { kind: 'builtin', name: 'lines' };
  let interactor: JudgeRequest['interactor'];
  let scoring: ScoreGroup[] = [];
  if (opts.problem) {
    const problem = loadProblemPackage(opts.problem);
    scoring = scoreGroups(problem);
    tests = allTests(problem).map((t) => ({ ...t, validatorFlags: t.settings.outputValidatorFlags }));
    if (problem.timeLimitMs && !opts.timeLimit) Object.assign(limits, { cpuMs: problem.timeLimitMs });
    if (problem.memoryMb && !opts.memoryLimit) Object.assign(limits, { memoryMb: problem.memoryMb });
    if (problem.validation === 'custom' || problem.interactive) {
      if (!problem.outputValidator) throw new UsageError(`${opts.problem}: the problem needs a custom output validator, but it has none.`);
      const program = programFiles(problem.outputValidator.dir, runner.languages);
      if (problem.interactive) interactor = program;
      else checker = { kind: 'program', protocol: 'kattis', ...program };
    } else checker = { kind: 'builtin', name: 'kattis-default' };
  } else {
    const source = args[0]!;
    const dir = opts.tests ?? defaultTestsDir(source);
    if (dir) tests = discoverTests(dir);
    else {
      const cph = findCphFile(source);
      if (!cph)
        throw new UsageError(
          `No tests found for ${source}. Put NAME.in/NAME.ans pairs where \`verdict judge\` looks (see docs/judging.md), or pass --tests DIR or --problem DIR.`,
        );
      const imported = readCphFile(cph);
      tests = imported.tests;
      if (imported.timeLimitMs && !opts.timeLimit) Object.assign(limits, { cpuMs: imported.timeLimitMs });
    }
  }
  if (opts.checker) checker = checkerFromOption(opts.checker, opts.checkerProtocol, runner.languages);
  return {
    language: language.id,
    files,
    tests,
    checker,
    ...(interactor ? { interactor } : {}),
    ...(scoring.length ? { scoring } : {}),
    limits,
    stopOnFailure: Boolean(opts.stopOnFailure),
  };
}

function checkerFromOption(value: string, protocol: 'testlib' | 'kattis', languages: Map<string, LanguageDefinition>): CheckerSpec {
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
