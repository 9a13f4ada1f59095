// gcc/g++ 12 diagnostics (`main.cpp:8:16: error: …` with caret ranges, errors in system headers
// moved to the user's line that led there, ld's undefined references) and C/C++ runtime aborts.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

const DIAG = /^(.+?):(\d+):(?:(\d+):)? (error|warning|note|fatal error): (.*)$/;
/** `main.cpp:8:13:   required from here`, `main.cpp:5:14:   required from ‘void f()’`, `… in ‘constexpr’ expansion of …` */
const REQUIRED = /^(.+?):(\d+):(\d+):\s+(?:required|in ['‘].*['’] expansion) (?:from|of)\b/;
/** `In file included from main.cpp:2:` and its continuation lines `                 from main.cpp:1:` */
const INCLUDED = /^(?:In file included|\s+) from (.+?):(\d+)(?::(\d+))?[:,]$/;
/** `main.c:(.text.startup+0xc): undefined reference to `f'` (the file is missing for crt1.o's `main`). */
const LINKER = /^(?:([^\s:()]+):)?\([^)]*\): (.*\S)$/;

interface Place {
  file: string;
  line: number;
  column: number;
}

export function gccCompile(output: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = output.split('\n');
  const out: SourceDiagnostic[] = [];
  let required: Place | undefined; // the innermost user location of an instantiation chain
  let included: Place | undefined; // the innermost user file of an include chain
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const req = REQUIRED.exec(text);
    if (req) {
      if (!required && isUserPath(req[1]!)) required = { file: baseName(req[1]!), line: Number(req[2]), column: Number(req[3]) };
      continue;
    }
    const inc = INCLUDED.exec(text);
    if (inc) {
      if (!included && isUserPath(inc[1]!))
        included = { file: baseName(inc[1]!), line: Number(inc[2]), column: inc[3] ? Number(inc[3]) : NO_COLUMN };
      continue;
    }
    const m = DIAG.exec(text);
    if (m) {
      const [, path, line, column, kind, message] = m;
      const context = required ?? included;
      required = included = undefined;
      if (kind === 'note') continue; // notes point elsewhere ("candidate: …", "declared here"); the error says enough
      const severity = kind === 'warning' ? 'warning' : 'error';
      if (isUserPath(path!)) {
        const d: SourceDiagnostic = {
          file: baseName(path!),
          line: Number(line),
          column: column ? Number(column) : NO_COLUMN,
          severity,
          message: message!,
        };
        const end = caretEnd(lines, i, d.line, d.column);
        if (end !== undefined) d.endColumn = end;
        out.push(d);
      } else if (context) {
        // An error inside a system header: shown where the user's code instantiated or included it.
        out.push({ ...context, severity, message: message! });
      }
      continue;
    }
    const ld = LINKER.exec(text);
    if (ld && /undefined reference|multiple definition/.test(ld[2]!)) {
      const file = ld[1] && isUserPath(ld[1]) ? baseName(ld[1]) : ctx.mainFile;
      out.push({ ...findSymbol(ld[2]!, file, ctx), severity: 'error', message: ld[2]!.replace(/;\s.*$/, '') });
    }
  }
  return out;
}

/**
 * The end of the caret range under a diagnostic (`^~~~~` or `~~~^~~~`): gcc prints the source line as
 * `    8 |     string s = v;` and below it `      |                ^`, both in display columns.
 */
function caretEnd(lines: string[], i: number, line: number, column: number): number | undefined {
  const src = /^\s*(\d+) \|/.exec(lines[i + 1] ?? '');
  const caret = /^\s+\| (.*)$/.exec(lines[i + 2] ?? '');
  if (!src || Number(src[1]) !== line || !caret || column < 1) return undefined;
  const marks = caret[1]!;
  if (!/[~^]/.test(marks[column - 1] ?? '')) return undefined;
  let end = column - 1;
  while (end < marks.length && /[~^]/.test(marks[end]!)) end++;
  return end + 1;
}

/** ld gives no line: the line of the symbol's first mention in the source, when we have it. */
function findSymbol(message: string, file: string, ctx: ParseContext): Place {
  const symbol = /[`'‘]([^`'’]+)['’]/.exec(message)?.[1]?.replace(/\(.*$/, '').split('::').pop()?.trim();
  const lines = ctx.sources[file]?.replace(/\r\n?/g, '\n').split('\n') ?? [];
  if (symbol && /^[A-Za-z_]\w*$/.test(symbol)) {
    const word = new RegExp(`\\b${symbol}\\b`);
    for (let n = 0; n < lines.length; n++) {
      const at = lines[n]!.search(word);
      if (at >= 0) return { file, line: n + 1, column: at + 1 };
    }
  }
  return { file, line: 1, column: NO_COLUMN };
}

/** The few C/C++ runtime failures that say something on stderr: assert(), uncaught exceptions, glibc aborts. */
export function gccRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    // `main: main.cpp:5: int half(int): Assertion `v % 2 == 0' failed.`
    const assert = /^(?:\S+: )?(\S+?):(\d+): (?:(.*?): )?(Assertion .* failed\.)$/.exec(text);
    if (assert && isUserPath(assert[1]!)) {
      const where = assert[3] ? ` (in ${assert[3]})` : '';
      out.push({ file: baseName(assert[1]!), line: Number(assert[2]), column: NO_COLUMN, severity: 'error', message: assert[4]! + where });
      continue;
    }
    // `terminate called after throwing an instance of 'std::out_of_range'` + `  what():  …`
    const thrown = /^terminate called after throwing an instance of '(.+)'$/.exec(text);
    if (thrown) {
      const what = /^\s+what\(\):\s+(.*)$/.exec(lines[i + 1] ?? '');
      out.push({
        file: ctx.mainFile,
        line: 1,
        column: NO_COLUMN,
        severity: 'error',
        message: `uncaught exception ${thrown[1]}${what ? ': ' + what[1] : ''}`,
      });
      continue;
    }
    if (
      /^terminate called without an active exception$/.test(text) ||
      /^\*\*\* .+ \*\*\*/.test(text) ||
      /^(?:free|malloc|realloc|double free|corrupted)\b.*(?:\(\)|corruption|pointer|size)/.test(text)
    ) {
      out.push({ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message: text.trim() });
    }
  }
  return out;
}
