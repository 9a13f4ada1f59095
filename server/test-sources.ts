// Which tests "Judge" uses for a source file: the folder named by the settings, else the default
// convention (docs/judging.md), else cph's file; and where "Add test case" writes.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultTestsDir, discoverTests, preferredTestsDir } from '../runner/judge/testfolder';
import { findCphFile, readCphFile } from '../runner/judge/importers';
import type { TestCase } from '../runner/judge/types';
import type { VerdictSettings } from './protocol';
import { displayText, utf8Boundary } from '../protocol/display';

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

/** What the Test Explorer shows of a test file: its first bytes, as display text. */
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
