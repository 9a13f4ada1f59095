// Node 18 uncaught errors: the `/box/main.js:3` header with the source line and a caret (all a
// SyntaxError has), the message, and `at f (/box/main.js:3:9)` frames. For TypeScript, see mapToTs.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

/** `    at f (/box/main.js:3:9)`, `    at /box/main.js:2:42`, `    at async g (file:///box/main.mjs:1:2)` */
const FRAME = /^\s+at (?:.* \()?(?:async )?(.+?):(\d+):(\d+)\)?$/;
/** `/box/main.js:3`, `undefined:1` (JSON.parse), `node:internal/process/promises:288` */
const HEADER = /^((?:\/|node:|file:|undefined\b|evalmachine)\S*|\S+\.[cm]?js):(\d+)$/;

export function nodeRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n').filter((l) => !/^\(node:\d+\) /.test(l));
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  const end = firstFrame < 0 ? lines.length : firstFrame;
  // The header: the last `path:line` before the stack (the program may have written to stderr before).
  let h = -1;
  for (let i = 0; i < end; i++) if (HEADER.test(lines[i]!) && i + 1 < lines.length) h = i;
  let message: string | undefined;
  let caret: number | undefined; // 0-based column of the header's caret
  if (h >= 0) {
    const marks = /^(\s*)\^/.exec(lines[h + 2] ?? '');
    if (marks) caret = marks[1]!.length;
    let m = marks ? h + 3 : h + 2;
    while (m < lines.length && lines[m]!.trim() === '') m++;
    message = lines[m];
  } else if (firstFrame > 0) {
    let m = firstFrame - 1;
    while (m > 0 && lines[m - 1]!.trim() !== '') m--;
    message = lines[m];
  }
  if (message === undefined || /^\s+at /.test(message) || /^Node\.js v/.test(message)) return [];
  message = message.trim();

  let found: SourceDiagnostic | undefined;
  for (let i = firstFrame; i >= 0 && i < lines.length && /^\s+at /.test(lines[i]!); i++) {
    const frame = FRAME.exec(lines[i]!);
    if (frame && isUserPath(frame[1]!)) {
      found = { file: baseName(frame[1]!), line: Number(frame[2]), column: Number(frame[3]), severity: 'error', message };
      break;
    }
  }
  const header = h >= 0 ? HEADER.exec(lines[h]!) : null;
  if (!found && header && isUserPath(header[1]!)) {
    found = {
      file: baseName(header[1]!),
      line: Number(header[2]),
      column: caret === undefined ? NO_COLUMN : caret + 1,
      severity: 'error',
      message,
    };
  }
  found ??= { file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message };
  if (ctx.mainFile.endsWith('.ts')) {
    const thrownLine = header && baseName(header[1]!) === found.file && Number(header[2]) === found.line ? lines[h + 1] : undefined;
    found = mapToTs(found, thrownLine, ctx);
  }
  return [found];
}

/**
 * tsc moves lines (`"use strict"`, erased types and imports), so a main.js position is not a main.ts
 * one. Without main.ts's text the diagnostic goes to main.ts line 1 with the JS position in the
 * message. With it, the line node printed under the header (the throwing line) is looked up in
 * main.ts: found verbatim exactly once, its line and column are used; found once when whitespace is
 * ignored, its line. Frames without a printed line (the error was thrown deeper) stay at line 1.
 */
function mapToTs(d: SourceDiagnostic, jsLine: string | undefined, ctx: ParseContext): SourceDiagnostic {
  const tsFile = ctx.mainFile;
  if (d.file !== tsFile.replace(/\.ts$/, '.js')) return d;
  const ts = ctx.sources[tsFile]?.replace(/\r\n?/g, '\n').split('\n');
  const code = jsLine?.trim() ?? '';
  if (ts && code.length >= 4) {
    const exact = ts.flatMap((l, i) => (l.includes(code) ? [i] : []));
    if (exact.length === 1) {
      const i = exact[0]!;
      const indent = jsLine!.length - jsLine!.trimStart().length;
      const column = d.column === NO_COLUMN ? NO_COLUMN : Math.max(1, ts[i]!.indexOf(code) + d.column - indent);
      return { ...d, file: tsFile, line: i + 1, column };
    }
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    const loose = ts.flatMap((l, i) => (squeeze(l).includes(squeeze(code)) ? [i] : []));
    if (loose.length === 1) return { ...d, file: tsFile, line: loose[0]! + 1, column: NO_COLUMN };
  }
  const where = d.column === NO_COLUMN ? `${d.line}` : `${d.line}:${d.column}`;
  return { ...d, file: tsFile, line: 1, column: NO_COLUMN, message: `${d.message} (at ${d.file}:${where} of the compiled JavaScript)` };
}
