// go build errors (`./main.go:13:17: undefined: y`, byte columns) and runtime panics / fatal errors
// (`panic: …` then `goroutine 1 [running]:` frames of `\t/box/main.go:6 +0x1d`).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

export function goCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  for (const text of output.split('\n')) {
    const m = /^(.+?\.go):(\d+)(?::(\d+))?: (.*)$/.exec(text);
    if (!m || m[4] === 'too many errors') continue;
    out.push({ file: baseName(m[1]!), line: Number(m[2]), column: m[3] ? Number(m[3]) : NO_COLUMN, severity: 'error', message: m[4]! });
  }
  return out;
}

export function goRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => /^(?:panic|fatal error): /.test(l));
  if (start < 0) return [];
  // `panic: msg [recovered]` may be followed by a re-panic; the last `panic:` line is what killed the program.
  let last = start;
  for (let i = start + 1; i < lines.length && !/^goroutine \d+ \[/.test(lines[i]!); i++) if (/^\s*panic: /.test(lines[i]!)) last = i;
  const message = lines[last]!.trim();
  // The first goroutine printed is the one that failed; its first frame in the user's files wins.
  const first = lines.findIndex((l, i) => i > start && /^goroutine \d+ \[/.test(l));
  for (let i = first + 1; first >= 0 && i < lines.length && lines[i] !== ''; i++) {
    const frame = /^\t(.+?\.go):(\d+)(?: \+0x[0-9a-f]+)?$/.exec(lines[i]!);
    if (frame && isUserPath(frame[1]!))
      return [{ file: baseName(frame[1]!), line: Number(frame[2]), column: NO_COLUMN, severity: 'error', message }];
  }
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
}
