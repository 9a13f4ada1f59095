// GNU Fortran 12: `main.f90:3:17:` (or `3:17-20:`) alone on a line, the source excerpt, then `Error: …`
// / `Warning: …`; at run time `At line 3 of file main.f90` + `Fortran runtime error: …`, or a signal
// with a backtrace (`#7 0x… in MAIN__` + `\tat /box/main.f90:6`, with -g).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

const LOCATION = /^(\S+\.(?:f|for|f90|f95|f03|f08|F|F90)):(\d+):(\d+)(?:-(\d+))?:$/;

export function gfortranCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = LOCATION.exec(lines[i]!);
    if (!m) continue;
    for (let j = i + 1; j < lines.length && !LOCATION.test(lines[j]!); j++) {
      const e = /^(Error|Fatal Error|Warning): (.*)$/.exec(lines[j]!);
      if (!e) continue;
      const d: SourceDiagnostic = {
        file: baseName(m[1]!),
        line: Number(m[2]),
        column: Number(m[3]),
        severity: e[1] === 'Warning' ? 'warning' : 'error',
        message: e[2]!.replace(/ at \(1\)/, '').trim(),
      };
      if (m[4]) d.endColumn = Number(m[4]) + 1;
      out.push(d);
      break;
    }
  }
  return out;
}

export function gfortranRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const at = /^At line (\d+) of file (\S+)/.exec(lines[i]!);
    if (at && isUserPath(at[2]!)) {
      const message = (lines.slice(i + 1).find((l) => /^Fortran runtime (?:error|warning): /.test(l)) ?? 'Fortran runtime error').replace(
        /^Fortran /,
        '',
      );
      return [{ file: baseName(at[2]!), line: Number(at[1]), column: NO_COLUMN, severity: 'error', message }];
    }
  }
  const signal = lines.find((l) => /^Program received signal /.test(l));
  const stop = lines.find((l) => /^(?:ERROR STOP|STOP)\b/.test(l.trim()));
  const message = signal?.replace(/^Program received /, '') ?? stop?.trim();
  if (!message) return [];
  for (const l of lines) {
    const frame = /^\s+at (\S+):(\d+)$/.exec(l);
    if (frame && isUserPath(frame[1]!))
      return [{ file: baseName(frame[1]!), line: Number(frame[2]), column: NO_COLUMN, severity: 'error', message }];
  }
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
}
