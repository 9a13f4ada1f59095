// Free Pascal diagnostics (`main.pas(6,3) Fatal: Syntax error, …`, byte columns) and run-time errors
// (`Runtime error 200 at $…`: a line only if the binary has line info, else line 1 with the meaning).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

const DIAG = /^(.+?)\((\d+)(?:,(\d+))?\) (Error|Fatal|Warning|Note|Hint): (.*)$/;
const UNLOCATED = /^(Error|Fatal): (.*)$/;

const SEVERITY: Record<string, SourceDiagnostic['severity']> = {
  Error: 'error',
  Fatal: 'error',
  Warning: 'warning',
  Note: 'info',
  Hint: 'info',
};

export function fpcCompile(output: string, ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  for (const text of output.split('\n')) {
    const m = DIAG.exec(text);
    if (m) {
      // `main.pas(10) Fatal: There were 3 errors compiling module, stopping` only counts the others.
      if (/^There were \d+ errors? compiling module/.test(m[5]!)) continue;
      out.push({
        file: baseName(m[1]!),
        line: Number(m[2]),
        column: m[3] ? Number(m[3]) : NO_COLUMN,
        severity: SEVERITY[m[4]!]!,
        message: m[5]!,
      });
      continue;
    }
    // `Fatal: Compilation aborted` and `Error: /usr/bin/ppcx64 returned an error exitcode` are summaries.
    const u = UNLOCATED.exec(text);
    if (u && !/^Compilation aborted|returned an error exitcode/.test(u[2]!))
      out.push({ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message: u[2]! });
  }
  return out;
}

/** The run-time error numbers a judged program meets (the RTL's table). */
const RUNTIME_ERRORS: Record<number, string> = {
  2: 'file not found',
  3: 'path not found',
  4: 'too many open files',
  5: 'file access denied',
  100: 'disk read error',
  101: 'disk write error',
  102: 'file not assigned',
  103: 'file not open',
  104: 'file not open for input',
  105: 'file not open for output',
  106: 'invalid numeric format',
  200: 'division by zero',
  201: 'range check error',
  202: 'stack overflow',
  203: 'heap overflow',
  204: 'invalid pointer operation',
  205: 'floating point overflow',
  206: 'floating point underflow',
  207: 'invalid floating point operation',
  210: 'object not initialized',
  211: 'call to abstract method',
  215: 'arithmetic overflow',
  216: 'general protection fault',
  217: 'unhandled exception',
  219: 'invalid typecast',
  222: 'variant dispatch error',
  227: 'assertion failed',
};

export function fpcRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const m = /^Runtime error (\d+) at \$[0-9A-Fa-f]+$/m.exec(stderr);
  // `An unhandled exception occurred at $…:` + `EDivByZero: Division by zero` (when SysUtils is used).
  const unhandled = /^An unhandled exception occurred at \$[0-9A-Fa-f]+:\n(.*)$/m.exec(stderr);
  if (!m && !unhandled) return [];
  const code = m ? Number(m[1]) : 217;
  const meaning = RUNTIME_ERRORS[code];
  const message = unhandled ? unhandled[1]!.trim() : `Runtime error ${code}${meaning ? ` (${meaning})` : ''}`;
  // With -gl the addresses are followed by `  DIVIDE,  line 5 of main.pas`: the first user line.
  const frame = /line (\d+) of (\S+)/g;
  for (let f = frame.exec(stderr); f; f = frame.exec(stderr)) {
    if (isUserPath(f[2]!)) return [{ file: baseName(f[2]!), line: Number(f[1]), column: NO_COLUMN, severity: 'error', message }];
  }
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
}
