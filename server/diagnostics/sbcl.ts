// SBCL 2.2: compile-file's `; caught ERROR:` / `; caught WARNING:` blocks (a reader error names
// `Line: 3, Column: 8` or `line: 1, column: 0`; other conditions name only the top-level form, `; in:
// DEFUN MAIN`, which is found in the source), and at run time `Unhandled X …:` with a backtrace of
// frames `1: (MAIN)` whose innermost function defined in the source gives the line of its definition
// (SBCL's backtraces carry no line numbers).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN } from './generic';

/** `end of file on #<SB-SYS:FD-STREAM for "standard input" {1001344293}>` → `end of file on standard input`. */
const tidy = (text: string): string =>
  text
    .replace(/#<[\w:-]+ for "(?:file )?([^"]+)" \{[0-9A-F]+\}>/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();

/** The line of `(defun NAME` (or defmacro, defmethod) in the source, if it is there. */
function definitionLine(source: string | undefined, name: string): number | undefined {
  if (source === undefined) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*\\((?:defun|defmacro|defmethod|defgeneric)\\s+${escaped}(?=[\\s()])`, 'im');
  const m = re.exec(source);
  return m ? source.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0) : undefined;
}

export function sbclCompile(output: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n').map((l) => l.replace(/^; ?/, ''));
  const source = ctx.sources[ctx.mainFile];
  const out: SourceDiagnostic[] = [];
  let form: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const inForm = /^in: (?:DEFUN|DEFMACRO|DEFMETHOD) (\S+)/.exec(lines[i]!);
    if (inForm) form = inForm[1];
    const caught = /^caught (ERROR|WARNING|STYLE-WARNING):$/.exec(lines[i]!);
    if (!caught) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]!); j++) if (lines[j]!.trim()) body.push(lines[j]!.trim());
    const at = body.map((b) => /\bline: (\d+), column: (\d+)/i.exec(b)).find(Boolean);
    const message =
      body.filter((b) => !/^(?:Stream: |\(in form starting|Line: )/i.test(b) && !/^READ error during/.test(b)).join(' ') ||
      body[0] ||
      caught[1]!;
    const line = at ? Number(at[1]) : ((form !== undefined ? definitionLine(source, form) : undefined) ?? 1);
    out.push({
      file: ctx.mainFile,
      line,
      column: at ? Number(at[2]) + 1 : NO_COLUMN,
      severity: caught[1] === 'ERROR' ? 'error' : 'warning',
      message: tidy(message).slice(0, 300),
    });
  }
  return out;
}

export function sbclRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => /^Unhandled \S+/.test(l));
  if (start < 0) return [];
  // `Unhandled DIVISION-BY-ZERO in thread #<…>:` then the condition's report, indented.
  let k = start + 1;
  while (k < lines.length && !/^\s+\S/.test(lines[k]!.replace(/^\s+\{[0-9A-F]+\}>:\s*$/, ''))) k++;
  while (k < lines.length && /^\s+\{[0-9A-F]+\}>:$/.test(lines[k]!)) k++;
  const condition = /^Unhandled (\S+)/.exec(lines[start]!)![1]!;
  const report = (lines[k] ?? '').trim();
  const message = tidy(report || condition);
  const source = ctx.sources[ctx.mainFile];
  for (const l of lines) {
    const frame = /^\d+: \(\(?(?:LAMBDA|FLET|LABELS)?\s*([^\s()]+)/.exec(l);
    if (!frame) continue;
    const line = definitionLine(source, frame[1]!);
    if (line) return [{ file: ctx.mainFile, line, column: NO_COLUMN, severity: 'error', message }];
  }
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
}
