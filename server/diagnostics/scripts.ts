// Interpreters whose errors name `file line N` in a single line: Perl (`… at /box/main.pl line 3.`),
// Bash (`/box/main.sh: line 3: …`) and Lua (`lua5.4: /box/main.lua:3: …` and its stack traceback).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

/** Every `… at FILE line N.` (or `, near "…"`) in the user's file: errors, but for Perl's warnings. */
export function perlRuntime(stderr: string, _ctx: ParseContext): SourceDiagnostic[] {
  const found: SourceDiagnostic[] = [];
  for (const l of stderr.split('\n')) {
    const m = /^(.*?) at (\S+) line (\d+)(?:, (?:near|at) .*|, <\w+> (?:line|chunk) \d+)?\.?$/.exec(l);
    if (!m || !isUserPath(m[2]!)) continue;
    const message = m[1]!.trim();
    const warning =
      /^(?:Use of uninitialized|Useless use|Name ".*" used only once|Argument ".*" isn't numeric|Scalar value .* better written|Found = in conditional|\S+ masks earlier declaration)/.test(
        message,
      );
    found.push({ file: baseName(m[2]!), line: Number(m[3]), column: NO_COLUMN, severity: warning ? 'warning' : 'error', message });
  }
  return found;
}

export function bashRuntime(stderr: string, _ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  for (const l of stderr.split('\n')) {
    const m = /^(\S+): line (\d+): (.*)$/.exec(l);
    // The second line of a syntax error repeats the code (`line 4: \`fi fi'`): not a diagnostic of its own.
    if (m && isUserPath(m[1]!) && !/^`.*'$/.test(m[3]!))
      out.push({ file: baseName(m[1]!), line: Number(m[2]), column: NO_COLUMN, severity: 'error', message: m[3]!.trim() });
  }
  return out;
}

export function luaRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const head = /^(?:lua[\d.]*: )?(.*\S.*)$/.exec(lines[0] ?? '');
  if (!head) return [];
  const at = /^(\S+?):(\d+): (.*)$/.exec(head[1]!);
  if (at && isUserPath(at[1]!))
    return [{ file: baseName(at[1]!), line: Number(at[2]), column: NO_COLUMN, severity: 'error', message: at[3]! }];
  // `error({})` or an error object without a position: the traceback's first frame in the user's file.
  for (const l of lines) {
    const frame = /^\s+(\S+?):(\d+): in /.exec(l);
    if (frame && isUserPath(frame[1]!))
      return [{ file: baseName(frame[1]!), line: Number(frame[2]), column: NO_COLUMN, severity: 'error', message: head[1]! }];
  }
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message: head[1]! }];
}
