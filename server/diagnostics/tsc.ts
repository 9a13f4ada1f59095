// tsc diagnostics: `main.ts(10,7): error TS2322: …` (--pretty false; the pretty `main.ts:10:7 - error`
// form too), indented continuation lines (one joins the message if short), and option errors.
import type { ParseContext, SourceDiagnostic } from './types';
import { baseName } from './generic';

const PLAIN = /^(.+?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;
const PRETTY = /^(.+?):(\d+):(\d+) - (error|warning|message) (TS\d+): (.*)$/;
const GLOBAL = /^(error|warning) (TS\d+): (.*)$/;

export function tscCompile(output: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = PLAIN.exec(lines[i]!) ?? PRETTY.exec(lines[i]!);
    const g = m ? null : GLOBAL.exec(lines[i]!);
    if (!m && !g) continue;
    const d: SourceDiagnostic = m
      ? { file: baseName(m[1]!), line: Number(m[2]), column: Number(m[3]), severity: severity(m[4]!), message: m[6]!, code: m[5]! }
      : { file: ctx.mainFile, line: 1, column: 1, severity: severity(g![1]!), message: g![3]!, code: g![2]! };
    // `  Property 'y' is missing in type …` (the elaboration of the line above).
    const more = /^ {2}\s*(\S.*)$/.exec(lines[i + 1] ?? '');
    if (more && more[1]!.length <= 120) d.message += '\n' + more[1];
    out.push(d);
  }
  return out;
}

function severity(kind: string): SourceDiagnostic['severity'] {
  return kind === 'error' ? 'error' : kind === 'warning' ? 'warning' : 'info';
}
