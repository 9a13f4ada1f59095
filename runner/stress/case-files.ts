// A stress test's failing case on disk, as exact bytes: in the CLI's output folder (failing.in, the
// reference's output as failing.ans, the solution's as failing.out, the difference in diff.txt: a
// tests folder `verdict judge --tests` reads as it is), or as a new test of the solution (stress-N).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bytesFrom } from './stress';
import type { StressCase, StressResult } from '../../protocol/lsp';

/** What a case's files say about the difference, for people: the generator's call, the verdicts, the checker's words. */
export function describeCase(c: StressCase, generator: string): string {
  const lines = [
    `input: \`${generator} ${c.generatorArgs.join(' ')}\` (${c.inputBytes} bytes)`,
    `solution: ${c.solution.status}${c.solution.message ? ` (${c.solution.message})` : ''}, ${c.solution.timeMs} ms`,
    `reference: ${c.reference.status}, ${c.reference.timeMs} ms`,
    `difference: ${c.message}`,
  ];
  if (c.solution.stderr) lines.push('solution stderr:', c.solution.stderr.replace(/\n$/, ''));
  return lines.join('\n') + '\n';
}

/** Writes the failing case (and the unshrunk one, as original.*) into dir; returns the files written. */
export function writeStressCase(dir: string, result: StressResult, generator: string): string[] {
  if (!result.failing) return [];
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, data: Buffer | string) => {
    writeFileSync(path.join(dir, name), data);
    written.push(path.join(dir, name));
  };
  const cases: Array<[string, StressCase]> = [['failing', result.failing]];
  if (result.original) cases.push(['original', result.original]);
  for (const [stem, c] of cases) {
    put(`${stem}.in`, bytesFrom(c.input));
    put(`${stem}.ans`, bytesFrom(c.reference.stdout));
    put(`${stem}.out`, bytesFrom(c.solution.stdout));
  }
  put('diff.txt', describeCase(result.failing, generator) + (result.shrink ? `shrinking: ${result.shrink}\n` : ''));
  return written;
}

/** Adds a failing case to a tests folder as stress-N.in / stress-N.ans (the reference's output), the next free N. */
export function addStressTest(testsDir: string, failing: StressCase): { name: string; dir: string; input: string } {
  mkdirSync(testsDir, { recursive: true });
  const taken = new Set(readdirSync(testsDir));
  let n = 1;
  while (['in', 'ans', 'out'].some((ext) => taken.has(`stress-${n}.${ext}`))) n++;
  const name = `stress-${n}`;
  const input = path.join(testsDir, `${name}.in`);
  writeFileSync(input, bytesFrom(failing.input));
  writeFileSync(path.join(testsDir, `${name}.ans`), bytesFrom(failing.reference.stdout));
  return { name, dir: testsDir, input };
}
