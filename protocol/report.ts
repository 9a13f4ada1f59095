// The one place a result becomes words: the verdict line of a run, a judge's test table and summary,
// the CodeLens and status-bar titles. The CLI, the language server, the extension and the classroom
// service all print these, so a verdict reads the same everywhere (as DMOJ keeps its result codes in
// one module). Everything a submission can influence (test names, messages, diffs, compiler output)
// goes through displayText: shown, never obeyed. Loads nothing but display.ts.
import { displayText } from './display';
import type { JudgeResult, RunResult, TestResult } from './results';

/** How memory is shown everywhere: "548 KB", "3.1 MB"; "—" when nothing was measured (0 or absent). */
export function formatMemory(kb: number | undefined): string {
  if (!kb) return '—';
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} KB`;
}

/** Where a checker's difference is, said as a place in the program's output (never a source position): "output line 1, col 2". */
export function diffWhere(diff: { line: number; column: number }): string {
  return `output line ${diff.line}, col ${diff.column}`;
}

/**
 * What a run in the editor did, in words that never say "Accepted" (a run has no expected output):
 * "✔ Ran · exit 0", "✘ Runtime Error (exit 3)", "✘ Runtime Error (SIGSEGV)", "✘ Time Limit Exceeded".
 */
function ranText(r: RunResult): string {
  if (r.status === 'Accepted') return `✔ Ran · exit ${r.exitCode ?? 0}`;
  if (r.status === 'Compile Error' || r.status === 'Internal Error') return `✘ ${r.status}`;
  return `✘ ${r.status}${r.signal ? ` (${r.signal})` : r.exitCode ? ` (exit ${r.exitCode})` : ''}`;
}

/** An editor run's line for an output channel or log: "✔ Ran · exit 0 · 11 ms CPU · 14 ms wall · 9.1 MB", the reason below when it failed. */
export function ranLine(r: RunResult): string {
  if (r.status === 'Compile Error') return `✘ Compile Error${r.compile ? ` · ${r.compile.timeMs} ms` : ''}`;
  if (r.status === 'Internal Error') return displayText(`✘ Internal Error: ${r.message ?? ''}`);
  const line =
    [ranText(r), `${r.timeMs} ms CPU`, `${r.wallMs} ms wall`, formatMemory(r.memoryKb)].join(' · ') + (r.cached ? ' (cached)' : '');
  const truncated = r.stdoutTruncated || r.stderrTruncated ? '\n  (output truncated)' : '';
  return displayText(line + truncated + (r.status !== 'Accepted' && r.message ? `\n  ${r.message}` : ''));
}

/** The exact bytes of a result's stdout or stderr (from the base64 field when the text is not exact). */
export function outputBytes(
  result: Pick<RunResult, 'stdout' | 'stderr' | 'stdoutBase64' | 'stderrBase64'>,
  stream: 'stdout' | 'stderr',
): Buffer {
  const base64 = stream === 'stdout' ? result.stdoutBase64 : result.stderrBase64;
  return base64 !== undefined ? Buffer.from(base64, 'base64') : Buffer.from(result[stream], 'utf8');
}

function mark(status: string): string {
  return status === 'Accepted' ? '✔' : '✘';
}

/** "✔ Accepted · 11.2 ms CPU · 14.9 ms wall · 9.1 MB", with the reason on a second line when it is not Accepted. */
export function runVerdictLine(r: RunResult): string {
  const m = mark(r.status);
  if (r.status === 'Compile Error') return `${m} ${r.status}${r.compile ? ` · ${r.compile.timeMs} ms` : ''}`;
  if (r.status === 'Internal Error') return displayText(`${m} ${r.status}: ${r.message ?? ''}`);
  const line =
    [`${m} ${r.status}`, `${r.timeMs} ms CPU`, `${r.wallMs} ms wall`, formatMemory(r.memoryKb)].join(' · ') + (r.cached ? ' (cached)' : '');
  const truncated = r.stdoutTruncated || r.stderrTruncated ? '\n  (output truncated)' : '';
  return displayText(line + truncated + (r.status !== 'Accepted' && r.message ? `\n  ${r.message}` : ''));
}

const COLUMNS = { name: 24, status: 22, time: 10, memory: 9 };

/** The header of the test table. */
export function testTableHeader(): string {
  return `  ${'test'.padEnd(COLUMNS.name)} ${'status'.padEnd(COLUMNS.status)} ${'time'.padStart(COLUMNS.time)} ${'memory'.padStart(COLUMNS.memory)}`;
}

/** One row of the test table: "✔ sample/1   Accepted   12 ms   3.1 MB". */
export function testRow(t: TestResult): string {
  return `${mark(t.status)} ${displayText(t.name, { oneLine: true }).padEnd(COLUMNS.name)} ${t.status.padEnd(COLUMNS.status)} ${`${t.timeMs} ms`.padStart(COLUMNS.time)} ${formatMemory(t.memoryKb).padStart(COLUMNS.memory)}`;
}

/** The first failing test, if any. */
export function firstFailure(r: JudgeResult): TestResult | undefined {
  return r.tests.find((t) => t.status !== 'Accepted');
}

/**
 * What ends a judge's output: the first difference (or the failing test's message), the score, the
 * interaction, then the verdict line "✘ Wrong Answer on test 3 · 2/5 passed · max 12 ms · 3.1 MB".
 */
export function judgeSummary(r: JudgeResult): string {
  const lines: string[] = [];
  const failed = firstFailure(r);
  if (failed?.diff)
    lines.push(
      `  first difference on test ${failed.name}, line ${failed.diff.line}, column ${failed.diff.column}:`,
      `    expected: ${failed.diff.expected}`,
      `    actual:   ${failed.diff.actual}`,
    );
  else if (failed?.message) lines.push(`  ${failed.message}`);
  if (r.score)
    lines.push(
      `  score ${r.score.score}/${r.score.maxScore}${r.score.objective === 'min' ? ' (lower is better)' : ''}: ${r.score.groups.map((g) => `${g.name} ${g.score}/${g.maxScore}`).join(', ')}`,
    );
  if (r.groups) lines.push(`  groups judged: ${r.groups.length ? r.groups.join(', ') : 'none'}`);
  if (r.transcript)
    lines.push(
      '  interaction (capped):',
      ...r.transcript
        .split('\n')
        .slice(0, 20)
        .map((l) => `    ${l}`),
    );
  const passed = r.tests.filter((t) => t.status === 'Accepted').length;
  const maxTime = Math.max(0, ...r.tests.map((t) => t.timeMs));
  const maxMemory = Math.max(0, ...r.tests.map((t) => t.memoryKb));
  lines.push(
    r.status === 'Compile Error' || r.status === 'Internal Error'
      ? `${mark(r.status)} ${r.status}${r.message ? `: ${r.message}` : ''}`
      : `${mark(r.status)} ${r.status}${failed ? ` on test ${failed.name}` : ''} · ${passed}/${r.tests.length} passed · max ${maxTime} ms · ${formatMemory(maxMemory)}${r.cached ? ' (cached)' : ''}`,
  );
  return displayText(lines.join('\n'));
}

/** The whole judge report: the table of tests, then the summary. */
export function judgeReport(r: JudgeResult): string {
  const lines: string[] = [];
  if (r.tests.length > 0) lines.push(testTableHeader(), ...r.tests.map(testRow));
  lines.push(judgeSummary(r));
  return lines.join('\n');
}

/** A result as one line for a CodeLens or the status bar: "✔ Accepted 5/5 · 42 ms · 3.1 MB", "✘ Wrong Answer on test 3". */
export function verdictTitle(last: { kind: 'run'; result: RunResult } | { kind: 'judge'; result: JudgeResult }): string {
  return displayText(titleText(last), { oneLine: true });
}

function titleText(last: { kind: 'run'; result: RunResult } | { kind: 'judge'; result: JudgeResult }): string {
  if (last.kind === 'run') {
    const r = last.result;
    // A run has no expected output: what happened, never "Accepted".
    if (r.status === 'Compile Error' || r.status === 'Internal Error') return ranText(r);
    return `${ranText(r)} · ${r.timeMs} ms · ${formatMemory(r.memoryKb)}`;
  }
  const r = last.result;
  const failed = firstFailure(r);
  if (r.status === 'Accepted') {
    const time = Math.max(0, ...r.tests.map((t) => t.timeMs));
    const memory = Math.max(0, ...r.tests.map((t) => t.memoryKb));
    return `✔ Accepted ${r.tests.length}/${r.tests.length} · ${time} ms · ${formatMemory(memory)}`;
  }
  return failed && r.status !== 'Compile Error' ? `✘ ${failed.status} on test ${failed.name}` : `✘ ${r.status}`;
}

/** The checks of `verdict doctor` / "Verdict: Check Setup" as lines: "✔ Docker   engine 20.10 …", with "fix: …" under a failure. */
export function setupReport(checks: Array<{ name: string; state: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }>): string {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${c.state === 'ok' ? '✔' : c.state === 'warn' ? '!' : '✘'} ${c.name.padEnd(20)} ${c.detail}`);
    if (c.fix) lines.push(`  ${''.padEnd(20)} fix: ${c.fix}`);
  }
  return displayText(lines.join('\n'));
}
