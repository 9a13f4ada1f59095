// D (GDC 12) at run time: an uncaught throwable `core.exception.ArrayIndexError@main.d(3): …` with
// a stack of `/box/main.d:5 void main.check(int) [0x…]` frames. Its compile errors are GCC's.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

export function dRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([\w.]+)@(\S+?)\((\d+)\): (.*)$/.exec(lines[i]!);
    if (!m) continue;
    const message = `${m[1]!.replace(/^.*\./, '')}: ${m[4]}`;
    if (isUserPath(m[2]!)) return [{ file: baseName(m[2]!), line: Number(m[3]), column: NO_COLUMN, severity: 'error', message }];
    // Thrown in the library (std.exception.enforce): the innermost frame in the user's file.
    for (const l of lines.slice(i + 1)) {
      const frame = /^(\S+\.d):(\d+) /.exec(l);
      if (frame && isUserPath(frame[1]!))
        return [{ file: baseName(frame[1]!), line: Number(frame[2]), column: NO_COLUMN, severity: 'error', message }];
    }
    return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
  }
  return [];
}
