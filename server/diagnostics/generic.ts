// The fallback parser for unknown languages (`file:line:col: message`, `file:line: message`), and
// the path rules every parser shares: which paths are the user's own, and their base names.
import type { ParseContext, SourceDiagnostic } from './types';

/** Parsers report this column when the tool gives none; it becomes the first non-blank column (or 1). */
export const NO_COLUMN = 0;

/** `/box/sub/main.py`, `./main.go`, `main.cpp` → the base name. */
export function baseName(path: string): string {
  const trimmed = path.trim().replace(/^file:\/\//, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
}

/**
 * The user's own files: under /box, or printed without a directory (`main.cpp`, `./Helper.java`).
 * Library paths (/usr/include/…, java.base/…, node:internal/…) and pseudo-files (`<anonymous>`,
 * `undefined`, `<internal:kernel>`) are not.
 */
export function isUserPath(path: string): boolean {
  const p = path.trim().replace(/^file:\/\//, '');
  const inBox = p.startsWith('/box/') || p.startsWith('./') || !/[/\\]/.test(p);
  return inBox && /^[^<>():\s]+\.[A-Za-z0-9]+$/.test(baseName(p)) && !p.includes('/../');
}

const SEVERITY: Record<string, SourceDiagnostic['severity']> = {
  error: 'error',
  'fatal error': 'error',
  fatal: 'error',
  warning: 'warning',
  note: 'info',
  info: 'info',
};

/** `file:line:col: [severity:] message` and `file:line: [severity:] message`, for tools we do not know. */
export function genericParse(text: string, _ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  for (const raw of text.split('\n')) {
    // The location may follow a tool's name (`lua: main.lua:3: attempt to …`).
    const m = /(?:^|\s)([^\s:]+\.[A-Za-z0-9]+):(\d+)(?::(\d+))?:\s*(?:(error|fatal error|fatal|warning|note|info)\s*:\s*)?(.*\S.*)$/i.exec(
      raw,
    );
    if (!m) continue;
    out.push({
      file: baseName(m[1]!),
      line: Number(m[2]),
      column: m[3] ? Number(m[3]) : NO_COLUMN,
      severity: SEVERITY[(m[4] ?? 'error').toLowerCase()] ?? 'error',
      message: m[5]!.trim(),
    });
  }
  return out;
}
