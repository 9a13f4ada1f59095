// Mono's mcs diagnostics (`main.cs(8,8): error CS1525: …`) and mono's `Unhandled Exception:` traces,
// which carry no line numbers without debug symbols: then line 1 of main.cs, naming the user's method.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

const DIAG = /^(.+?)\((\d+),(\d+)\): (error|warning) (CS\d+): (.*)$/;
/** `error CS5001: Program `main.exe' does not contain a static `Main' method …` (no location). */
const GLOBAL = /^(error|warning) (CS\d+): (.*)$/;

export function mcsCompile(output: string, ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  for (const text of output.split('\n')) {
    const m = DIAG.exec(text);
    if (m) {
      out.push({
        file: baseName(m[1]!),
        line: Number(m[2]),
        column: Number(m[3]),
        severity: m[4] === 'warning' ? 'warning' : 'error',
        message: m[6]!,
        code: m[5]!,
      });
      continue;
    }
    const g = GLOBAL.exec(text);
    if (g)
      out.push({ file: ctx.mainFile, line: 1, column: 1, severity: g[1] === 'warning' ? 'warning' : 'error', message: g[3]!, code: g[2]! });
  }
  return out;
}

/** `  at Program.Name (args) [0x00010] in <550cda77…>:0` or, with debug symbols, `… in /box/main.cs:12` */
const FRAME = /^\s+at (.+?) (?:\(.*?\) )?(?:\[0x[0-9a-f]+\] )?in (.+?):(\d+)\s*$/;

export function monoRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => /^Unhandled Exception:$/.test(l) || /^\[ERROR\] FATAL UNHANDLED EXCEPTION: /.test(l));
  if (start < 0) return [];
  const message = (
    /^Unhandled Exception:$/.test(lines[start]!)
      ? (lines[start + 1] ?? '')
      : lines[start]!.replace(/^\[ERROR\] FATAL UNHANDLED EXCEPTION: /, '')
  ).trim();
  if (!message) return [];
  let method: string | undefined;
  for (let i = start + 1; i < lines.length && !/^\[ERROR\]/.test(lines[i]!); i++) {
    const frame = FRAME.exec(lines[i]!);
    if (!frame || /^(?:System|Mono|Microsoft)\./.test(frame[1]!)) continue;
    if (isUserPath(frame[2]!) && Number(frame[3]) > 0)
      return [{ file: baseName(frame[2]!), line: Number(frame[3]), column: NO_COLUMN, severity: 'error', message }];
    method ??= frame[1]!;
  }
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message: method ? `${message} (in ${method})` : message }];
}
