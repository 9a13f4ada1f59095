// scalac 2.11: `Main.scala:3: error: type mismatch;`, indented detail lines, then the source line and a
// caret line whose `^` gives the column.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName } from './generic';

const HEADER = /^(\S+\.scala):(\d+): (error|warning): (.*)$/;

export function scalacCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]!);
    if (!m) continue;
    let column = NO_COLUMN;
    for (let j = i + 1; j < lines.length && !HEADER.test(lines[j]!); j++)
      if (/^\s*\^\s*$/.test(lines[j]!)) {
        column = lines[j]!.indexOf('^') + 1;
        break;
      }
    out.push({
      file: baseName(m[1]!),
      line: Number(m[2]),
      column,
      severity: m[3] === 'warning' ? 'warning' : 'error',
      message: m[4]!.trim(),
    });
  }
  return out;
}
