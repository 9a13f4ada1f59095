// PHP 8 stderr: `PHP Parse error:  … in /box/main.php on line 3`, warnings and notices, and
// `PHP Fatal error:  Uncaught X: msg in /box/main.php:3` with its `#0 /box/main.php(5): f()` stack.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

const LINE =
  /^(?:PHP )?(Parse error|Fatal error|Recoverable fatal error|Warning|Notice|Deprecated|Strict Standards):\s+(.*) in (.+?)(?: on line |:)(\d+)$/;

const SEVERITY: Record<string, SourceDiagnostic['severity']> = {
  'Parse error': 'error',
  'Fatal error': 'error',
  'Recoverable fatal error': 'error',
  Warning: 'warning',
  Notice: 'info',
  Deprecated: 'info',
  'Strict Standards': 'info',
};

export function phpRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = LINE.exec(lines[i]!);
    if (!m) continue;
    // PHP names files in full inside messages too ("called in /box/main.php on line 10").
    const message = m[2]!.replace(/\/box\/(?:[^\s/]+\/)*/g, '');
    let file = m[3]!;
    let line = Number(m[4]);
    if (!isUserPath(file)) {
      // Thrown inside a library file: the first `#N /box/x.php(L): f()` frame of the stack trace.
      for (let j = i + 1; j < lines.length && /^(?:#\d|Stack trace:)/.test(lines[j]!); j++) {
        const frame = /^#\d+ (.+?)\((\d+)\): /.exec(lines[j]!);
        if (frame && isUserPath(frame[1]!)) {
          file = frame[1]!;
          line = Number(frame[2]);
          break;
        }
      }
    }
    out.push(
      isUserPath(file)
        ? { file: baseName(file), line, column: NO_COLUMN, severity: SEVERITY[m[1]!]!, message }
        : { file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: SEVERITY[m[1]!]!, message },
    );
  }
  return out;
}
