// Plain test folders: pairs NAME.in with NAME.ans (or NAME.out) in one folder, and finds a
// source file's tests folder with no configuration.
//
// A test folder is just the folder itself (sub-folders are not searched: groups are for problem
// packages). NAME.in takes NAME.ans as its answer, else NAME.out; when both exist .ans wins,
// because .ans is the package format's name for answers while .out files are often what a
// program last printed (`./sol < 1.in > 1.out`). A stray NAME.out is ignored for the same reason;
// a stray NAME.ans is an error, since it means a test that would silently never run.
//
// Default tests folder of path/to/sol.cpp, the first that applies:
//   1. path/to/sol.tests/   if it is a folder (where received problems are saved: preferredTestsDir)
//   2. path/to/tests/sol/   if it is a folder
//   3. path/to/tests/       if it directly holds *.in files (a folder per problem, tests apart)
//   4. path/to/             if it directly holds *.in files (a folder per problem, tests alongside)
// 1 and 2 win as soon as they exist, even empty, so the user gets "no tests in sol.tests/" rather
// than someone else's tests. Folders holding several problems should use 1 or 2.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import type { TestCase } from './types';
import { naturalCompare } from './natural-sort';

const INPUT = '.in';
const ANSWERS = ['.ans', '.out'] as const;

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Names of the regular files (or links to them) directly in a folder. */
function filesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => {
    try {
      return statSync(path.join(dir, name)).isFile();
    } catch {
      return false; // a dangling link is not a test file
    }
  });
}

function stem(file: string, ext: string): string | undefined {
  return file.endsWith(ext) && file.length > ext.length ? file.slice(0, -ext.length) : undefined;
}

/** The tests of a plain folder, in natural order of their names. Throws UsageError when there are none or one is incomplete. */
export function discoverTests(dir: string): TestCase[] {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw new UsageError(`The tests folder ${dir} does not exist.`);
  if (!isDirectory(root)) throw new UsageError(`${dir} is not a folder: give the folder that holds the NAME.in and NAME.ans files.`);
  const files = new Set(filesIn(root));
  const tests: TestCase[] = [];
  for (const file of files) {
    const name = stem(file, INPUT);
    if (name === undefined) continue;
    const answer = ANSWERS.map((ext) => name + ext).find((f) => files.has(f));
    if (!answer)
      throw new UsageError(`The test input ${path.join(dir, file)} has no answer: expected ${name}.ans (or ${name}.out) next to it.`);
    tests.push({ name, input: { path: path.join(root, file) }, answer: { path: path.join(root, answer) }, group: [] });
  }
  for (const file of files) {
    const name = stem(file, '.ans');
    if (name !== undefined && !files.has(name + INPUT))
      throw new UsageError(`The answer ${path.join(dir, file)} has no input: expected ${name}.in next to it (or remove the .ans file).`);
  }
  if (tests.length === 0)
    throw new UsageError(`No tests in ${dir}: expected pairs of files named like 1.in and 1.ans (or 1.out) directly in that folder.`);
  return tests.sort((a, b) => naturalCompare(a.name, b.name));
}

function holdsInputs(dir: string): boolean {
  return isDirectory(dir) && filesIn(dir).some((f) => stem(f, INPUT) !== undefined);
}

/** Where tests for a source file go when saved for it (e.g. from Competitive Companion): path/to/sol.tests. */
export function preferredTestsDir(sourceFile: string): string {
  const { dir, name } = path.parse(path.resolve(sourceFile));
  return path.join(dir, `${name}.tests`);
}

/** The tests folder of a source file by the convention in the header, or undefined when none applies. */
export function defaultTestsDir(sourceFile: string): string | undefined {
  const { dir, name } = path.parse(path.resolve(sourceFile));
  const own = [preferredTestsDir(sourceFile), path.join(dir, 'tests', name)].find(isDirectory);
  if (own) return own;
  return [path.join(dir, 'tests'), dir].find(holdsInputs);
}
