// Imports problems from other tools — cph's .prob files and Competitive Companion's payloads —
// and saves tests as a plain NAME.in/NAME.ans folder.
//
// cph ("Competitive Programming Helper", VS Code) keeps a problem per source file in
// <source folder>/.cph/.<source file name>_<md5 of the source's absolute path>.prob, one JSON
// object: name, url, group, interactive, memoryLimit (MB), timeLimit (ms), srcPath and
// tests: [{ input, output, id }]. Some versions wrote the name without the leading dot; both are
// looked for. cph's "save location" setting can put the files elsewhere: those are not found.
// Competitive Companion POSTs one JSON object per problem: name, group, url, interactive,
// memoryLimit (MB), timeLimit (ms), tests: [{ input, output }], testType, input/output
// ({ type: stdin | file | regex, fileName?, pattern? }), languages and batch. cph saves that same
// object (plus srcPath and test ids), so both parse to one shape. Imported tests are named 1, 2, ...
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors';
import type { TestCase, TestData } from './types';

/** A problem brought in from another tool. */
export interface ImportedProblem {
  name: string;
  url?: string;
  group?: string;
  timeLimitMs?: number;
  memoryMb?: number;
  interactive: boolean;
  /** Set when the program must read its input from / write its output to a named file instead of stdin/stdout. */
  inputFile?: string;
  outputFile?: string;
  tests: TestCase[];
}

const Test = z.object({ input: z.string(), output: z.string() });
// 0 is accepted for a limit and read as "unknown": some judges' pages do not state one.
const Limit = z.number().nonnegative();

const CompanionPayload = z.object({
  name: z.string(),
  group: z.string().optional(),
  url: z.string().optional(),
  interactive: z.boolean().optional(),
  memoryLimit: Limit.optional(),
  timeLimit: Limit.optional(),
  tests: z.array(Test),
  testType: z.enum(['single', 'multiNumber', 'multiEOF']).optional(),
  input: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('stdin') }),
      z.object({ type: z.literal('file'), fileName: z.string().min(1) }),
      z.object({ type: z.literal('regex'), pattern: z.string() }),
    ])
    .optional(),
  output: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('stdout') }),
      z.object({ type: z.literal('file'), fileName: z.string().min(1) }),
    ])
    .optional(),
  languages: z.record(z.string(), z.unknown()).optional(),
  batch: z.object({ id: z.string(), size: z.number().int().positive() }).optional(),
});

const CphProblem = z.object({
  name: z.string(),
  url: z.string().optional(),
  group: z.string().optional(),
  interactive: z.boolean().optional(),
  memoryLimit: Limit.optional(),
  timeLimit: Limit.optional(),
  tests: z.array(Test.extend({ id: z.number().optional() })),
  srcPath: z.string().optional(),
  // cph copies Competitive Companion's fields through; checked loosely since cph does not use them.
  input: z.object({ type: z.string(), fileName: z.string().optional() }).optional(),
  output: z.object({ type: z.string(), fileName: z.string().optional() }).optional(),
});

function parseJson<T>(text: string, schema: z.ZodType<T>, source: string, what: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`${source} is not valid JSON (${(e as Error).message}); expected ${what}.`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UsageError(`${source} is not ${what}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

function textTests(tests: readonly { input: string; output: string }[]): TestCase[] {
  return tests.map((t, i) => ({ name: String(i + 1), input: { text: t.input }, answer: { text: t.output }, group: [] }));
}

function limit(value: number | undefined): number | undefined {
  return value ? value : undefined;
}

/** Drops undefined fields, so results compare cleanly and print without noise. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---- Competitive Companion ---------------------------------------------------------------------

/** Parses a Competitive Companion payload; `source` names where it came from, for errors. */
export function parseCompanionPayload(json: string, source = 'The Competitive Companion payload'): ImportedProblem {
  return imported(parseJson(json, CompanionPayload, source, 'a Competitive Companion problem'));
}

export function readCompanionFile(file: string): ImportedProblem {
  return parseCompanionPayload(readText(file, 'the Competitive Companion payload'), file);
}

// ---- cph ---------------------------------------------------------------------------------------

/** Parses the text of a cph .prob file; `source` names the file, for errors. */
export function parseCphProblem(json: string, source = 'The cph problem file'): ImportedProblem {
  return imported(parseJson(json, CphProblem, source, 'a cph problem file (.prob)'));
}

/** cph stores Competitive Companion's fields (and writes "" for what a hand-made problem lacks). */
function imported(p: z.infer<typeof CompanionPayload> | z.infer<typeof CphProblem>): ImportedProblem {
  return defined({
    name: p.name,
    url: p.url || undefined,
    group: p.group || undefined,
    timeLimitMs: limit(p.timeLimit),
    memoryMb: limit(p.memoryLimit),
    interactive: p.interactive ?? false,
    inputFile: p.input?.type === 'file' ? p.input.fileName : undefined,
    outputFile: p.output?.type === 'file' ? p.output.fileName : undefined,
    tests: textTests(p.tests),
  });
}

export function readCphFile(file: string): ImportedProblem {
  return parseCphProblem(readText(file, 'the cph problem file'), file);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The cph .prob file of a source file, or undefined. First the exact name cph computes from the
 * absolute path; failing that (the folder was moved or copied, or the editor spelled the path
 * differently, so the hash differs) the only — or else the most recently written — .prob file
 * in .cph/ for a source of the same file name.
 */
export function findCphFile(sourceFile: string): string | undefined {
  const source = path.resolve(sourceFile);
  const base = path.basename(source);
  const cphDir = path.join(path.dirname(source), '.cph');
  const hash = createHash('md5').update(source).digest('hex');
  for (const name of [`.${base}_${hash}.prob`, `${base}_${hash}.prob`]) {
    const file = path.join(cphDir, name);
    if (existsSync(file)) return file;
  }
  let names: string[];
  try {
    names = readdirSync(cphDir);
  } catch {
    return undefined;
  }
  const pattern = new RegExp(`^\\.?${escapeRegExp(base)}_[0-9a-f]{32}\\.prob$`);
  const candidates = names.filter((n) => pattern.test(n)).map((n) => path.join(cphDir, n));
  return candidates.map((file) => ({ file, mtime: statSync(file).mtimeMs })).sort((a, b) => b.mtime - a.mtime)[0]?.file;
}

// ---- saving tests ------------------------------------------------------------------------------

const TEST_FILE = /\.(in|ans|out)$/;

function isSafeName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

function writeData(data: TestData, file: string): void {
  if ('text' in data) writeFileSync(file, data.text);
  else copyFileSync(data.path, file);
}

/**
 * Writes tests as NAME.in/NAME.ans pairs into `dir` (created if needed) and returns them as read
 * from there. A folder that already holds test files (.in/.ans/.out) is refused unless `replace`,
 * which first deletes those files: mixing old and new tests would judge against stale answers.
 */
export function writeTestsFolder(dir: string, tests: readonly TestCase[], options: { replace?: boolean } = {}): TestCase[] {
  const seen = new Set<string>();
  for (const t of tests) {
    if (!isSafeName(t.name))
      throw new UsageError(`Cannot save the test "${t.name}": a test name must be a plain file name, without / or \\.`);
    if (seen.has(t.name)) throw new UsageError(`Cannot save two tests named "${t.name}" in ${dir}.`);
    seen.add(t.name);
  }
  const root = path.resolve(dir);
  for (const t of tests)
    for (const data of [t.input, t.answer])
      if ('path' in data && path.dirname(path.resolve(data.path)) === root)
        throw new UsageError(`Cannot save tests into ${dir}, the folder they are read from.`);
  mkdirSync(root, { recursive: true });
  const old = readdirSync(root).filter((n) => TEST_FILE.test(n));
  if (old.length > 0) {
    if (!options.replace)
      throw new UsageError(
        `${dir} already holds tests (${old.slice(0, 3).join(', ')}${old.length > 3 ? ', ...' : ''}): remove them or choose another folder.`,
      );
    for (const n of old) unlinkSync(path.join(root, n));
  }
  return tests.map((t) => {
    const input = path.join(root, `${t.name}.in`);
    const answer = path.join(root, `${t.name}.ans`);
    writeData(t.input, input);
    writeData(t.answer, answer);
    return { name: t.name, input: { path: input }, answer: { path: answer }, group: [] };
  });
}
