// The text of results, as the output channel and task terminals show it: one verdict line for a
// run; for a judge a table of tests (name, status, time, memory) and then the verdict line. Mirrors
// the CLI's wording (runner/cli), without importing the runner into the extension bundle.
import { formatMemory, type RunResult } from '../runner/spec';
import type { JudgeResult } from '../runner/judge/judge';
import type { TestResult } from '../runner/judge/types';

/** An error's message, for a line of output or a notification. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}


function mark(status: string): string {
  return status === 'Accepted' ? '✔' : '✘';
}

export function runVerdict(r: RunResult): string {
  // A run's compiler output reaches the user with the program's (verdict/output, stderr).
  const lines: string[] = [];
  if (r.stdoutTruncated || r.stderrTruncated) lines.push('(output truncated)');
  if (r.status === 'Compile Error') lines.push(`${mark(r.status)} ${r.status}${r.compile ? ` · ${r.compile.timeMs} ms` : ''}`);
  else if (r.status === 'Internal Error') lines.push(`${mark(r.status)} ${r.status}: ${r.message ?? ''}`);
  else {
    lines.push([`${mark(r.status)} ${r.status}`, `${r.timeMs} ms CPU`, `${r.wallMs} ms wall`, formatMemory(r.memoryKb)].join(' · ') + (r.cached ? ' (cached)' : ''));
    if (r.status !== 'Accepted' && r.message) lines.push(`  ${r.message}`);
  }
  return lines.join('\n');
}

const COLUMNS = { name: 24, status: 22, time: 10, memory: 9 };

export function tableHeader(): string {
  return `  ${'test'.padEnd(COLUMNS.name)} ${'status'.padEnd(COLUMNS.status)} ${'time'.padStart(COLUMNS.time)} ${'memory'.padStart(COLUMNS.memory)}`;
}

export function testRow(t: TestResult): string {
  return `${mark(t.status)} ${t.name.padEnd(COLUMNS.name)} ${t.status.padEnd(COLUMNS.status)} ${`${t.timeMs} ms`.padStart(COLUMNS.time)} ${formatMemory(t.memoryKb).padStart(COLUMNS.memory)}`;
}

/** The verdict line of a judge (with the first difference or message of the first failing test before it, and a compile error's output). */
export function judgeSummary(r: JudgeResult): string {
  const lines: string[] = [];
  if (r.compile && r.compile.status !== 'OK' && r.compile.output) lines.push(r.compile.output.replace(/\n$/, ''));
  const failed = r.tests.find((t) => t.status !== 'Accepted');
  if (failed?.diff)
    lines.push(
      `  first difference on test ${failed.name}, line ${failed.diff.line}, column ${failed.diff.column}:`,
      `    expected: ${failed.diff.expected}`,
      `    actual:   ${failed.diff.actual}`,
    );
  else if (failed?.message) lines.push(`  ${failed.message}`);
  if (r.score) lines.push(`  score ${r.score.score}/${r.score.maxScore}: ${r.score.groups.map((g) => `${g.name} ${g.score}/${g.maxScore}`).join(', ')}`);
  if (r.transcript) lines.push('  interaction (capped):', ...r.transcript.split('\n').slice(0, 20).map((l) => `    ${l}`));
  const passed = r.tests.filter((t) => t.status === 'Accepted').length;
  const maxTime = Math.max(0, ...r.tests.map((t) => t.timeMs));
  const maxMemory = Math.max(0, ...r.tests.map((t) => t.memoryKb));
  lines.push(
    r.status === 'Compile Error' || r.status === 'Internal Error'
      ? `${mark(r.status)} ${r.status}${r.message ? `: ${r.message}` : ''}`
      : `${mark(r.status)} ${r.status}${failed ? ` on test ${failed.name}` : ''} · ${passed}/${r.tests.length} passed · max ${maxTime} ms · ${formatMemory(maxMemory)}${r.cached ? ' (cached)' : ''}`,
  );
  return lines.join('\n');
}

/** The table of tests, then the verdict. */
export function judgeTable(r: JudgeResult): string {
  const lines: string[] = [];
  if (r.tests.length > 0) {
    lines.push(tableHeader());
    lines.push(...r.tests.map(testRow));
  }
  lines.push(judgeSummary(r));
  return lines.join('\n');
}

/** The short form for the status bar: "✔ Accepted", "✘ Wrong Answer on test 3". */
export function shortVerdict(kind: 'run' | 'judge', r: RunResult | JudgeResult): string {
  if (kind === 'judge') {
    const failed = (r as JudgeResult).tests.find((t) => t.status !== 'Accepted');
    return `${mark(r.status)} ${r.status}${failed && r.status !== 'Compile Error' ? ` on test ${failed.name}` : ''}`;
  }
  return `${mark(r.status)} ${r.status}`;
}
