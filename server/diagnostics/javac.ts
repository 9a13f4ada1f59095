// javac 17 diagnostics: `Main.java:3: error: ';' expected`, the source line, and a caret line whose
// position is the column (tabs kept as tabs); short detail lines (`symbol: …`) join the message.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName } from './generic';

const DIAG = /^(.+?\.java):(\d+): (error|warning): (.*)$/;
/** `Note: Main.java uses unchecked or unsafe operations.` */
const NOTE = /^Note: (?:Some input files|(\S+\.java)) (.*)$/;

export function javacCompile(output: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = DIAG.exec(lines[i]!);
    if (m) {
      const d: SourceDiagnostic = {
        file: baseName(m[1]!),
        line: Number(m[2]),
        column: NO_COLUMN,
        severity: m[3] === 'warning' ? 'warning' : 'error',
        message: m[4]!,
      };
      // The source line, then spaces (or the source's own tabs) and a caret.
      const caret = /^([ \t]*)\^\s*$/.exec(lines[i + 2] ?? '');
      const details: string[] = [];
      if (caret) d.column = caret[1]!.length + 1;
      // Detail lines (`  symbol:   variable y`) follow the caret; without one we cannot tell them from source.
      for (let next = i + 3; caret && next < lines.length && /^ {2}\S/.test(lines[next]!) && details.length < 2; next++) {
        const detail = lines[next]!.trim().replace(/\s+/g, ' ');
        if (detail.length <= 80) details.push(detail);
      }
      if (details.length) d.message += '\n' + details.join('\n');
      out.push(d);
      continue;
    }
    const note = NOTE.exec(lines[i]!);
    if (note)
      out.push({
        file: note[1] ? baseName(note[1]) : ctx.mainFile,
        line: 1,
        column: 1,
        severity: 'info',
        message: (note[1] ? `${baseName(note[1])} ` : 'Some input files ') + note[2],
      });
  }
  return out;
}
