// GHC 9.0: `main.hs:3:15: error:` (or `main.hs:3:15-20:`, `main.hs:(3,1)-(4,5):`) with the message on
// the indented lines after it (`• No instance for …`); at run time `error` calls' call stacks
// (`error, called at main.hs:3:8 in main:Main`) and pattern-match failures that name their span.
import type { ParseContext, SourceDiagnostic } from './types';
import { baseName, isUserPath } from './generic';

const HEADER = /^(\S+\.l?hs):(?:(\d+):(\d+)(?:-(\d+))?|\((\d+),(\d+)\)-\(\d+,\d+\)): (error|warning)(?::?\s*(.*))?$/;

export function ghcCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]!);
    if (!m) continue;
    // The message: the rest of the header line (`[-Wunused-matches]`), else the first detail line.
    let message = (m[8] ?? '').replace(/^\[[^\]]*\]\s*/, '').trim();
    const detail = lines[i + 1] ?? '';
    if (/^\s+\S/.test(detail) && !/^\s+\|/.test(detail)) message = detail.trim().replace(/^•\s*/, '');
    const line = Number(m[2] ?? m[5]);
    const column = Number(m[3] ?? m[6]);
    const d: SourceDiagnostic = { file: baseName(m[1]!), line, column, severity: m[7] === 'warning' ? 'warning' : 'error', message };
    if (m[4]) d.endColumn = Number(m[4]) + 1;
    out.push(d);
  }
  return out;
}

export function ghcRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n').filter((l) => l.trim());
  if (lines.length === 0) return [];
  // `main: boom` — the program's name, then the message.
  const first = lines[0]!.replace(/^[^\s:]+: /, '');
  // `main: main.hs:2:1-11: Non-exhaustive patterns in function f`
  const span = /^(\S+\.hs):(?:(\d+):(\d+)(?:-\d+)?|\((\d+),(\d+)\)-\(\d+,\d+\)): (.*)$/.exec(first);
  if (span && isUserPath(span[1]!))
    return [
      {
        file: baseName(span[1]!),
        line: Number(span[2] ?? span[4]),
        column: Number(span[3] ?? span[5]),
        severity: 'error',
        message: span[6]!,
      },
    ];
  for (const l of lines) {
    const called = /^\s+\w+, called at (\S+\.hs):(\d+):(\d+) in /.exec(l);
    if (called && isUserPath(called[1]!))
      return [{ file: baseName(called[1]!), line: Number(called[2]), column: Number(called[3]), severity: 'error', message: first }];
  }
  return [{ file: ctx.mainFile, line: 1, column: 0, severity: 'error', message: first }];
}
