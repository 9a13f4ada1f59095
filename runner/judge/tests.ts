// Where a source file's tests live, the one place that decides it (the language server, the CLI and
// a Competitive Companion problem all ask here): the folder the settings name ({dir}, {name}), else the
// default convention (docs/judging.md), else cph's .prob file. Also: reading a test for display,
// adding one, and saving a received problem. Light to load: the importers (and zod with them) load
// only when a cph or Competitive Companion file is actually read.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultTestsDir, discoverTests, preferredTestsDir } from './testfolder';
import type { TestCase } from './types';
import { displayText, utf8Boundary } from '../../protocol/display';
import type { CompanionProblemResult } from '../../protocol/lsp';

export interface FoundTests {
  /** The folder or file the tests come from. */
  source: string;
  tests: TestCase[];
  timeLimitMs?: number;
}

/** The folder the `verdict.tests.folder` setting names for this source ({dir}, {name}), if it names one. */
function configuredDir(file: string, folderSetting: string): string | undefined {
  if (!folderSetting.trim()) return undefined;
  const name = path.basename(file, path.extname(file));
  return path.resolve(path.dirname(file), folderSetting.replaceAll('{dir}', path.dirname(file)).replaceAll('{name}', name));
}

/** The folder a source's tests are written to: the setting's, an existing default one, else <name>.tests next to it. */
export function testsDirFor(file: string, folderSetting = ''): string {
  return configuredDir(file, folderSetting) ?? defaultTestsDir(file) ?? preferredTestsDir(file);
}

/** The tests for a file, or undefined when it has none. Broken test folders throw (UsageError). */
export async function findTests(file: string, folderSetting = ''): Promise<FoundTests | undefined> {
  const dir = configuredDir(file, folderSetting) ?? defaultTestsDir(file);
  if (dir && existsSync(dir)) {
    const hasInputs = readdirSync(dir).some((f) => f.endsWith('.in'));
    if (hasInputs) return { source: dir, tests: discoverTests(dir) };
  }
  const { findCphFile, readCphFile } = await import('./importers');
  const cph = findCphFile(file);
  if (cph) {
    const imported = readCphFile(cph);
    return { source: cph, tests: imported.tests, ...(imported.timeLimitMs ? { timeLimitMs: imported.timeLimitMs } : {}) };
  }
  return undefined;
}

/** What an editor shows of a test file: its first bytes, as display text. */
const SHOWN_BYTES = 64 * 1024;

/**
 * A test's input or answer for display (displayText: controls and non-UTF-8 bytes escaped),
 * capped at 64 KiB; the judge reads the exact bytes itself.
 */
export function readTestData(data: TestCase['input']): string {
  if ('text' in data) return displayText(data.text);
  const fd = openSync(data.path, 'r');
  try {
    const buffer = Buffer.alloc(SHOWN_BYTES + 1);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, Math.min(n, SHOWN_BYTES));
    return n > SHOWN_BYTES ? `${displayText(bytes.subarray(0, utf8Boundary(bytes, SHOWN_BYTES)))}\n[truncated]` : displayText(bytes);
  } finally {
    closeSync(fd);
  }
}

/** Writes a new test (the next free number) where Judge will find it. */
export function addTest(file: string, folderSetting: string, input: string, answer: string): { name: string; dir: string } {
  const dir = testsDirFor(file, folderSetting);
  mkdirSync(dir, { recursive: true });
  const taken = new Set(readdirSync(dir).map((f) => f.replace(/\.(in|ans|out)$/, '')));
  let n = 1;
  while (taken.has(String(n))) n++;
  const name = String(n);
  const withNewline = (s: string) => (s.endsWith('\n') || s === '' ? s : `${s}\n`);
  writeFileSync(path.join(dir, `${name}.in`), withNewline(input));
  writeFileSync(path.join(dir, `${name}.ans`), withNewline(answer));
  return { name, dir };
}

/** The file name for a problem: Competitive Companion's class-name-friendly `taskClass`, else the name made file-safe. */
export function problemFileBase(name: string, taskClass: unknown): string {
  const base = (typeof taskClass === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(taskClass) ? taskClass : name)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  if (base === '') return 'Problem';
  return /^[0-9-]/.test(base) ? `P${base}` : base;
}

/** What saving a problem made: as the editor protocol says it, with the source as a path (the server makes it a URI). */
export type SavedProblem = CompanionProblemResult;

/**
 * Saves a problem received from Competitive Companion into `folder`: its tests where Judge finds them
 * (testsDirFor), and a new source from the language's template named after the problem.
 */
export async function saveCompanionProblem(
  payload: unknown,
  folder: string,
  language: { id: string; extensions: string[]; template?: string },
  options: { folderSetting?: string; replaceTests?: boolean } = {},
): Promise<SavedProblem> {
  const { parseCompanionPayload, writeTestsFolder } = await import('./importers');
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const problem = parseCompanionPayload(body);
  const taskClass = (payload as { languages?: { java?: { taskClass?: unknown } } } | null)?.languages?.java?.taskClass;
  const base = problemFileBase(problem.name, taskClass);
  const source = path.join(folder, `${base}${language.extensions[0]}`);
  const testsDir = testsDirFor(source, options.folderSetting);
  const hasTests = existsSync(testsDir) && readdirSync(testsDir).some((n) => /\.(in|ans|out)$/.test(n));
  const saved = !hasTests || options.replaceTests === true;
  if (saved) writeTestsFolder(testsDir, problem.tests, { replace: hasTests });
  if (!existsSync(source)) {
    const text = language.template ?? '';
    // Java runs the public class whatever the file's name, but editors expect the file named after it.
    writeFileSync(source, language.id === 'java' ? text.replace(/\bpublic class Main\b/, `public class ${base}`) : text);
  }
  const notes = [
    problem.interactive ? 'interactive: judge it with its interactor (a problem package)' : undefined,
    problem.inputFile || problem.outputFile ? `reads ${problem.inputFile ?? 'stdin'}, writes ${problem.outputFile ?? 'stdout'}` : undefined,
  ].filter((n): n is string => n !== undefined);
  return {
    name: problem.name,
    ...(problem.group ? { group: problem.group } : {}),
    source,
    testsDir,
    tests: problem.tests.length,
    saved,
    ...(problem.timeLimitMs ? { timeLimitMs: problem.timeLimitMs } : {}),
    ...(problem.memoryMb ? { memoryLimitMb: problem.memoryMb } : {}),
    notes,
  };
}
