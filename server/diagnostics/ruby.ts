// Ruby 3.1 stderr: syntax errors and warnings (`/box/main.rb:3: syntax error, …`, code + caret when
// given) and uncaught exceptions (`/box/main.rb:2:in `f': msg (Error)` + `\tfrom …` lines, error_highlight carets).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

/** `/box/main.rb:2:in `ratio': divided by 0 (ZeroDivisionError)` (Ruby 3.4 quotes 'ratio' instead). */
const RAISED = /^(.+?):(\d+):in [`'][^`']*'?: (.*)$/;
const FROM = /^\s+from (.+?):(\d+)(?::in .*)?$/;
const LOCATED = /^(.+?):(\d+): (syntax error|warning: )(.*)$/;

export function rubyRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const located = LOCATED.exec(text);
    if (located && isUserPath(located[1]!)) {
      const warning = located[3] === 'warning: ';
      const d: SourceDiagnostic = {
        file: baseName(located[1]!),
        line: Number(located[2]),
        column: NO_COLUMN,
        severity: warning ? 'warning' : 'error',
        message: warning ? located[4]! : located[3]! + located[4]!,
      };
      const marks = /^(\s*)(\^~*)\s*$/.exec(lines[i + 2] ?? '');
      if (!LOCATED.test(lines[i + 1] ?? '') && marks) {
        d.column = marks[1]!.length + 1;
        d.endColumn = d.column + marks[2]!.length;
        i += 2;
      }
      out.push(d);
      continue;
    }
    const raised = RAISED.exec(text);
    if (!raised) continue;
    // The raise site, then `\tfrom` lines outward: the first in the user's files is the innermost.
    const message = raised[3]!.trim();
    let site: SourceDiagnostic | undefined;
    if (isUserPath(raised[1]!)) {
      site = { file: baseName(raised[1]!), line: Number(raised[2]), column: NO_COLUMN, severity: 'error', message };
      // error_highlight: a blank line, the source line as written, `^^^^` under the failing call.
      const marks = /^(\s*)(\^+)\s*$/.exec(lines[i + 3] ?? '');
      if (lines[i + 1] === '' && marks) {
        site.column = marks[1]!.length + 1;
        site.endColumn = site.column + marks[2]!.length;
      }
    }
    for (let j = i + 1; !site && j < lines.length; j++) {
      const from = FROM.exec(lines[j]!);
      if (from && isUserPath(from[1]!))
        site = { file: baseName(from[1]!), line: Number(from[2]), column: NO_COLUMN, severity: 'error', message };
    }
    out.push(site ?? { file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message });
    break;
  }
  return out;
}
