// Which tests "Judge" uses for a source file: the folder named by the settings, else the default
// convention (docs/judging.md), else cph's file; and where "Add test case" writes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultTestsDir, discoverTests, preferredTestsDir } from '../runner/judge/testfolder';
import { findCphFile, readCphFile } from '../runner/judge/imports';
import type { TestCase } from '../runner/judge/types';
import type { VerdictSettings } from './protocol';

export interface FoundTests {
  /** The folder or file the tests come from. */
  source: string;
  tests: TestCase[];
  timeLimitMs?: number;
}

/** The folder the settings name for this source ({dir}, {name}), if any. */
function configuredDir(file: string, settings: VerdictSettings): string | undefined {
  if (!settings.tests.folder) return undefined;
  const name = path.basename(file, path.extname(file));
  return path.resolve(path.dirname(file), settings.tests.folder.replaceAll('{dir}', path.dirname(file)).replaceAll('{name}', name));
}

/** The tests for a file, or undefined when it has none. Broken test folders throw (UsageError). */
export function findTests(file: string, settings: VerdictSettings): FoundTests | undefined {
  const dir = configuredDir(file, settings) ?? defaultTestsDir(file);
  if (dir && existsSync(dir)) {
    const hasInputs = readdirSync(dir).some((f) => f.endsWith('.in'));
    if (hasInputs) return { source: dir, tests: discoverTests(dir) };
  }
  const cph = findCphFile(file);
  if (cph) {
    const imported = readCphFile(cph);
    return { source: cph, tests: imported.tests, ...(imported.timeLimitMs ? { timeLimitMs: imported.timeLimitMs } : {}) };
  }
  return undefined;
}

export function readTestData(data: TestCase['input']): string {
  return 'text' in data ? data.text : readFileSync(data.path, 'utf8');
}

/** Writes a new test (the next free number) where Judge will find it. */
export function addTest(file: string, settings: VerdictSettings, input: string, answer: string): { name: string; dir: string } {
  const dir = configuredDir(file, settings) ?? defaultTestsDir(file) ?? preferredTestsDir(file);
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
