// CPython 3.11 stderr: tracebacks (`  File "/box/main.py", line 5, in ratio` + code + `~~^^~~`), startup
// SyntaxError/IndentationError (same entry without `in`), and `file:line: SyntaxWarning: …` warnings.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

interface Entry {
  path: string;
  line: number;
  code?: string;
  caret?: string;
}

const ENTRY = /^ {2}File "(.+)", line (\d+)(?:, in .*)?$/;

export function pythonRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const out: SourceDiagnostic[] = [];
  let entries: Entry[] = [];
  let exception: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const warning = /^(.+?):(\d+): (\w*Warning): (.*)$/.exec(text);
    if (warning && isUserPath(warning[1]!)) {
      out.push({
        file: baseName(warning[1]!),
        line: Number(warning[2]),
        column: NO_COLUMN,
        severity: 'warning',
        message: `${warning[3]}: ${warning[4]}`,
      });
      continue;
    }
    if (text === 'Traceback (most recent call last):') {
      entries = []; // a chained exception: only the last traceback is the one that ended the program
      exception = undefined;
      continue;
    }
    const entry = ENTRY.exec(text);
    if (entry) {
      const e: Entry = { path: entry[1]!, line: Number(entry[2]) };
      if (/^ {4}\S/.test(lines[i + 1] ?? '') && !ENTRY.test(lines[i + 1]!)) {
        e.code = lines[++i]!;
        if (/^\s*[~^]+\s*$/.test(lines[i + 1] ?? '')) e.caret = lines[++i]!;
      }
      if (exception === undefined) entries.push(e);
      continue;
    }
    // The first unindented line after the frames: `ZeroDivisionError: integer division or modulo by zero`.
    if (entries.length && exception === undefined && /^\S/.test(text)) exception = text.trim();
  }
  if (exception === undefined) return out;
  const user = [...entries].reverse().find((e) => isUserPath(e.path));
  if (!user) return [...out, { file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message: exception }];
  const d: SourceDiagnostic = { file: baseName(user.path), line: user.line, column: NO_COLUMN, severity: 'error', message: exception };
  // Python prints the line without its indentation, carets relative to that: the source gives it back.
  const source = ctx.sources[d.file]?.replace(/\r\n?/g, '\n').split('\n')[d.line - 1];
  if (user.code !== undefined && user.caret !== undefined && source !== undefined && source.trim() === user.code.trim()) {
    const shown = user.code.length - user.code.trimStart().length;
    const indent = source.length - source.trimStart().length;
    const start = user.caret.length - user.caret.trimStart().length - shown;
    const end = user.caret.trimEnd().length - shown;
    d.column = indent + start + 1;
    d.endColumn = indent + end + 1;
  }
  return [...out, d];
}
