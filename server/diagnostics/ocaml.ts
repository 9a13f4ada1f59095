// OCaml 4.13: `File "main.ml", line 3, characters 17-20:` then the source excerpt and `Error: …` or
// `Warning 26 [unused-var]: …`; at run time (OCAMLRUNPARAM=b) `Fatal error: exception X` and frames
// `Raised at … in file "main.ml", line 3, characters 12-41` / `Called from …`, innermost first.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

const LOCATION = /^File "([^"]+)", lines? (\d+)(?:-\d+)?, characters (\d+)-(\d+):$/;

export function ocamlCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = LOCATION.exec(lines[i]!);
    if (!m) continue;
    for (let j = i + 1; j < lines.length && !LOCATION.test(lines[j]!); j++) {
      const e = /^(Error|Warning \d+(?: \[[\w-]+\])?|Alert [\w-]+)(?: \(\w+\))?: ?(.*)$/.exec(lines[j]!);
      if (!e) continue;
      // The message may go on over indented lines (`… of type\n         int`).
      let message = e[2]!.trim();
      for (let k = j + 1; k < lines.length && /^\s+\S/.test(lines[k]!) && message.length < 200; k++) message += ' ' + lines[k]!.trim();
      if (!message && lines[j + 1]) message = lines[j + 1]!.trim();
      const start = Number(m[3]) + 1;
      const multiLine = /^File "[^"]+", lines /.test(lines[i]!);
      const d: SourceDiagnostic = {
        file: baseName(m[1]!),
        line: Number(m[2]),
        column: start,
        severity: e[1]!.startsWith('Error') ? 'error' : 'warning',
        message: e[1]!.startsWith('Error') ? message : `${e[1]}: ${message}`,
      };
      if (!multiLine) d.endColumn = Number(m[4]) + 1;
      out.push(d);
      break;
    }
  }
  return out;
}

export function ocamlRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const fatal = lines.find((l) => l.startsWith('Fatal error: '));
  if (!fatal) return [];
  const message = fatal.replace(/^Fatal error: /, '');
  for (const l of lines) {
    const f =
      /^(?:Raised at|Re-raised at|Raised by primitive operation at|Called from) .*?in file "([^"]+)"(?: \(inlined\))?, line (\d+), characters (\d+)-(\d+)/.exec(
        l,
      );
    // The standard library's frames (`Raised at Stdlib__List.assoc in file "list.ml"`) name no directory either.
    if (f && isUserPath(f[1]!) && !/ at (?:Stdlib|Camlinternal|Str\b|Unix\b)/.test(l))
      return [
        { file: baseName(f[1]!), line: Number(f[2]), column: Number(f[3]) + 1, endColumn: Number(f[4]) + 1, severity: 'error', message },
      ];
  }
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
}
