// kotlinc 2.x: `main.kt:3:16: error: syntax error: Expecting an element.` then the line and a caret.
import type { ParseContext, SourceDiagnostic } from './types';
import { baseName } from './generic';

const SEVERITY: Record<string, SourceDiagnostic['severity']> = { error: 'error', warning: 'warning', info: 'info' };

export function kotlincCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\S+\.kts?):(\d+):(\d+): (error|warning|info): (.*)$/.exec(line);
    if (m) out.push({ file: baseName(m[1]!), line: Number(m[2]), column: Number(m[3]), severity: SEVERITY[m[4]!]!, message: m[5]!.trim() });
  }
  return out;
}
