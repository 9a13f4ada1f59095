// rustc 1.63 human-format diagnostics (`error[E0425]: …` then ` --> main.rs:7:20`, `^^^` under the
// span) and panics (`thread 'main' panicked at 'msg', main.rs:2:5`, and the newer two-line form).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

const HEADER = /^(error|warning)(?:\[(E\d+)\])?: (.*)$/;
const ARROW = /^\s*--> (.+?):(\d+):(\d+)$/;

export function rustcCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = HEADER.exec(lines[i]!);
    // Summaries ("aborting due to …", "3 warnings emitted") have no location line: skipped.
    const arrow = head && ARROW.exec(lines[i + 1] ?? '');
    if (!head || !arrow) continue;
    const d: SourceDiagnostic = {
      file: baseName(arrow[1]!),
      line: Number(arrow[2]),
      column: Number(arrow[3]),
      severity: head[1] === 'warning' ? 'warning' : 'error',
      message: head[3]!,
    };
    if (head[2]) d.code = head[2];
    const helps: string[] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j] !== '' && !HEADER.test(lines[j]!); j++) {
      const text = lines[j]!;
      const src = /^(\s*(\d+) \| ?)/.exec(text);
      if (src && Number(src[2]) === d.line && d.endColumn === undefined)
        d.endColumn = spanEnd(src[1]!.length, lines[j + 1] ?? '', d.column);
      const help = /^\s*= help: (.*)$/.exec(text);
      if (help && help[1]!.length <= 100) helps.push(help[1]!);
    }
    if (helps.length) d.message += '\nhelp: ' + helps[0];
    out.push(d);
    i = j - 1;
  }
  return out;
}

/**
 * The end of the primary span from the marks under its source line (`7 |     let mut x` then
 * `  |         ----^`, where a secondary `-` span may cover the start of the `^` one). Tabs are shown
 * as 4 spaces, so when the marks do not start at the column, only the `^` run's length is used.
 */
function spanEnd(gutter: number, marksLine: string, column: number): number | undefined {
  if (!/^\s*\|/.test(marksLine)) return undefined;
  const start = gutter + column - 1;
  if (/[-^]/.test(marksLine[start] ?? '')) {
    let last = -1;
    for (let k = start; k < marksLine.length && /[-^]/.test(marksLine[k]!); k++) if (marksLine[k] === '^') last = k;
    if (last >= 0) return column + last + 1 - start;
  }
  const run = /^\s*\|[ \-|]*?(\^+)/.exec(marksLine);
  return run ? column + run[1]!.length : undefined;
}

export function rustRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  // 1.63: `thread 'main' panicked at 'msg', main.rs:2:5` (msg may span lines);
  // 1.73+: `thread 'main' panicked at main.rs:2:5:` then the message on the next line.
  const old = /^thread '([^']*)' panicked at '([\s\S]*?)', (\S+?):(\d+):(\d+)$/m.exec(stderr);
  const recent = /^thread '([^']*)' panicked at (\S+?):(\d+):(\d+):\n(.*)$/m.exec(stderr);
  const panic = old
    ? { message: old[2]!, file: old[3]!, line: Number(old[4]), column: Number(old[5]) }
    : recent
      ? { message: recent[5]!, file: recent[2]!, line: Number(recent[3]), column: Number(recent[4]) }
      : undefined;
  if (panic) {
    const message = panic.message.split('\n')[0]!;
    if (isUserPath(panic.file)) return [{ file: baseName(panic.file), line: panic.line, column: panic.column, severity: 'error', message }];
    // Panicked inside std: with RUST_BACKTRACE the frames say `at ./main.rs:2:5`; the first user one.
    const frame = /^\s+at (\S+?):(\d+):(\d+)$/gm;
    for (let f = frame.exec(stderr); f; f = frame.exec(stderr)) {
      if (isUserPath(f[1]!)) return [{ file: baseName(f[1]!), line: Number(f[2]), column: Number(f[3]), severity: 'error', message }];
    }
    return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
  }
  const overflow = /^thread '[^']*' has overflowed its stack$/m.exec(stderr);
  if (overflow) return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message: overflow[0] }];
  return [];
}
