// R 4.2 under Verdict's runner (languages/r.json): a parse error `/box/main.R:3:8: unexpected symbol`
// in source()'s message; a run-time error `Error in g(v * 2) : too big` after the runner's own lines
// `  at /box/main.R:2`, innermost call first (from the calls' source references).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

export function rRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  for (const l of lines) {
    const parse = /^\s*(\S+\.[Rr]):(\d+):(\d+): (.*)$/.exec(l);
    if (parse && isUserPath(parse[1]!))
      return [
        { file: baseName(parse[1]!), line: Number(parse[2]), column: Number(parse[3]), severity: 'error', message: parse[4]!.trim() },
      ];
  }
  const index = lines.findIndex((l) => /^Error\b/.test(l));
  if (index < 0) return [];
  // `Error in f(1) : boom`, or `Error in f(1) :` with the message on the next line, or `Error: boom`.
  let message = lines[index]!.replace(/^Error(?: in .*?)?\s*:\s*/, '').trim();
  if (!message) message = (lines[index + 1] ?? '').trim();
  const at = lines.map((l) => /^ {2}at (\S+):(\d+)$/.exec(l)).find((m) => m && isUserPath(m[1]!));
  if (at) return [{ file: baseName(at[1]!), line: Number(at[2]), column: NO_COLUMN, severity: 'error', message }];
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
}
