// Nim 1.6: `/box/main.nim(3, 10) Error: undeclared identifier: 'c'` (and `Warning:`/`Hint:`); at run
// time (--stackTrace:on --lineTrace:on) frames `main.nim(3)   check`, outermost first, then
// `Error: unhandled exception: too large [ValueError]`.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

export function nimCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  for (const l of output.split('\n')) {
    const m = /^(\S+\.nim)\((\d+), (\d+)\) (Error|Warning|Hint): (.*)$/.exec(l);
    if (m && isUserPath(m[1]!))
      out.push({
        file: baseName(m[1]!),
        line: Number(m[2]),
        column: Number(m[3]),
        severity: m[4] === 'Error' ? 'error' : m[4] === 'Warning' ? 'warning' : 'info',
        message: m[5]!.trim(),
      });
  }
  return out;
}

export function nimRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const error = lines.find((l) => /^Error: /.test(l));
  if (!error) return [];
  const message = error.replace(/^Error: /, '');
  // The standard library's frames name no directory either (`fatal.nim(54) sysFatal`): with the sources
  // known, only theirs count.
  const known = Object.keys(ctx.sources).length > 0;
  const frames = lines
    .map((l) => /^(\S+\.nim)\((\d+)\)\s+\S+/.exec(l))
    .filter((m) => m && isUserPath(m[1]!) && (!known || ctx.sources[baseName(m[1]!)] !== undefined));
  const innermost = frames.at(-1);
  if (innermost) return [{ file: baseName(innermost[1]!), line: Number(innermost[2]), column: NO_COLUMN, severity: 'error', message }];
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
}
