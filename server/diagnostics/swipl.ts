// SWI-Prolog 9: load errors and warnings `ERROR: /box/main.pl:3:12: Syntax error: …` (`Warning:
// /box/main.pl:3:` with the message on the next `Warning:` line); an uncaught error of the goal, `ERROR:
// -g main: Arithmetic: evaluation error: …`, with a backtrace (library(prolog_stack)) whose frames name
// `main at /box/main.pl:3`.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

export function prologRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const load = /^(ERROR|Warning): (\S+?):(\d+):(?:(\d+):)?\s*(.*)$/.exec(lines[i]!);
    if (load && isUserPath(load[2]!)) {
      const message = load[5]!.trim() || (lines[i + 1] ?? '').replace(/^(?:ERROR|Warning):\s*/, '').trim();
      out.push({
        file: baseName(load[2]!),
        line: Number(load[3]),
        column: load[4] ? Number(load[4]) + 1 : NO_COLUMN,
        severity: load[1] === 'ERROR' ? 'error' : 'warning',
        message,
      });
      continue;
    }
    const goal =
      /^(?:ERROR|Warning): -g \S+: (.*)$/.exec(lines[i]!) ?? /^Warning: .*[Gg]oal \(\w+\) (failed|raised exception:.*)$/.exec(lines[i]!);
    if (!goal) continue;
    // A goal that failed for a load error above is that error's consequence.
    if (out.some((d) => d.severity === 'error')) return out;
    let where: SourceDiagnostic | undefined;
    for (const l of lines.slice(i + 1)) {
      const frame = /^ERROR:\s+\[\d+\] .* at (\S+):(\d+)$/.exec(l);
      if (frame && isUserPath(frame[1]!)) {
        where = { file: baseName(frame[1]!), line: Number(frame[2]), column: NO_COLUMN, severity: 'error', message: goal[1]!.trim() };
        break;
      }
    }
    out.push(where ?? { file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message: goal[1]!.trim() });
    return out;
  }
  return out;
}
