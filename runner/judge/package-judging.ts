// A problem package as the judge takes it (the CLI's `--problem DIR` and the classroom service's
// stored problems alike): its tests with their validator flags, the checker (the Kattis default
// validator, or the package's own output validator), the interactor, the scored groups and limits;
// and a program (submission, validator) from the files of a folder.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { languageById, languageForFile, type LanguageDefinition } from '../languages';
import { MAX_SOURCE_BYTES, type SourceFile } from '../spec';
import { UsageError } from '../errors';
import { readUserFile } from '../cli/files';
import type { CheckerSpec, GraderRule, JudgeRequest, JudgeTest, ProblemRules, ProgramSource, ScoreGroup } from '../../protocol/judge';
import { allTests, loadProblemPackage, type OutputValidatorSource, type ProblemPackage, type TestGroup } from './problem';
import { substituteConstants } from './problem/metadata';
import type { Constants } from './problem/model';
import { scoreGroups } from './scoring';
import type { ProblemStandards } from '../../protocol/standards';

export interface PackageJudging {
  problem: ProblemPackage;
  tests: JudgeTest[];
  checker: CheckerSpec;
  interactor?: JudgeRequest['interactor'];
  scoring: ScoreGroup[];
  /** The package's own limits, when it sets them. */
  limits: { cpuMs?: number; memoryMb?: number };
  /** problem.yaml `verdict.standards` (a family → its standard): pass to languageForRun (protocol/standards.ts). */
  standards: ProblemStandards;
}

/** Everything the judge needs from a problem package folder, but the submission. */
export function judgingOfPackage(dir: string, languages: Map<string, LanguageDefinition>): PackageJudging {
  const problem = loadProblemPackage(dir);
  const rules = problemRules(problem);
  const tests = allTests(problem).map((t) => ({
    ...t,
    validatorFlags: t.settings.outputValidatorFlags,
    ...(t.settings.args ? { args: t.settings.args } : {}),
    problem: rules,
  }));
  const limits = {
    ...(problem.timeLimitMs ? { cpuMs: problem.timeLimitMs } : {}),
    ...(problem.memoryMb ? { memoryMb: problem.memoryMb } : {}),
  };
  let checker: CheckerSpec = { kind: 'builtin', name: 'kattis-default' };
  let interactor: JudgeRequest['interactor'];
  if (problem.validation === 'custom' || problem.interactive) {
    if (!problem.outputValidator) throw new UsageError(`${dir}: the problem needs a custom output validator, but it has none.`);
    const program = validatorProgram(problem.outputValidator, problem.constants, languages);
    if (problem.interactive) interactor = program;
    else checker = { kind: 'program', protocol: 'kattis', ...program };
  }
  return {
    problem,
    tests,
    checker,
    ...(interactor ? { interactor } : {}),
    scoring: scoreGroups(problem),
    limits,
    standards: problem.standards,
  };
}

/** The submission: files named on the command line, or every source file of a folder. */
export function submissionFiles(
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

/** What judging a package needs beyond its tests, checker and scores: include/, passes, group rules, objective. */
function problemRules(problem: ProblemPackage): ProblemRules {
  const groups: NonNullable<ProblemRules['groups']> = {};
  const walk = (g: TestGroup): void => {
    groups[g.name] = {
      onReject: g.settings.onReject,
      ...(g.settings.requirePass ? { requirePass: g.settings.requirePass } : {}),
      ...(problem.formatVersion !== '2025-09' ? { grader: graderRule(g.settings.graderFlags ?? [], g.path.length === 0) } : {}),
    };
    g.groups.forEach(walk);
  };
  walk(problem.data);
  const rules: ProblemRules = { groups };
  if (problem.include) {
    rules.include = Object.fromEntries(
      Object.entries(problem.include).map(([lang, inc]) => [
        lang,
        inc.files.map((name) => ({ name, content: substituteConstants(readSource(path.join(inc.dir, name)), problem.constants) })),
      ]),
    );
  }
  if (problem.passes !== undefined) rules.passes = problem.passes;
  if (problem.scoring && problem.objective === 'min') rules.objective = 'min';
  if (problem.languages) rules.languages = problem.languages;
  if (problem.codeKb !== undefined) rules.codeKb = problem.codeKb;
  if (problem.outputMb !== undefined) rules.outputMb = problem.outputMb;
  return rules;
}

/** problemtools' default grader: the last verdict flag given wins (worst_error by default). */
function graderRule(flags: string[], root: boolean): GraderRule {
  const verdict = flags.filter((f): f is GraderRule['verdict'] => ['worst_error', 'first_error', 'always_accept'].includes(f)).pop();
  return {
    verdict: verdict ?? 'worst_error',
    ...(flags.includes('accept_if_any_accepted') ? { acceptIfAnyAccepted: true } : {}),
    ...(root && flags.includes('ignore_sample') ? { ignoreSample: true } : {}),
  };
}

/**
 * The output validator or interactor as a program: a folder with build/run scripts is built as it
 * says (in the C/C++ image, or Python's when it holds only Python); otherwise the language comes from
 * the files' extensions. The package's constants are substituted into its sources.
 */
function validatorProgram(v: OutputValidatorSource, constants: Constants, languages: Map<string, LanguageDefinition>): ProgramSource {
  const substituted = (files: SourceFile[]) => files.map((f) => ({ ...f, content: substituteConstants(f.content, constants) }));
  if (v.scripts) {
    const files = v.files.map((name) => ({ name, content: readSource(path.join(v.dir, name)) }));
    const onlyPython = v.files.some((f) => f.endsWith('.py')) && !v.files.some((f) => /\.(c|cc|cpp|cxx|c\+\+|h|hpp)$/.test(f));
    return { language: onlyPython ? 'python3' : 'cpp', files: substituted(files), build: true };
  }
  const { language, files } = submissionFiles([v.dir], languages);
  return { language: language.id, files: substituted(files) };
}

function readSource(file: string): string {
  if (statSync(file).size > MAX_SOURCE_BYTES) throw new UsageError(`${file}: larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`);
  return readFileSync(file, 'utf8');
}
