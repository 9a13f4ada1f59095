// Compiler and runtime output → source diagnostics: strips colours and CRs, dispatches by language id
// to one parser per compiler family, then fixes up columns (tabs, bytes) and drops duplicates.
import { gccCompile, gccRuntime } from './gcc';
import { javacCompile } from './javac';
import { jvmRuntime } from './jvm-stack';
import { rustcCompile, rustRuntime } from './rustc';
import { goCompile, goRuntime } from './go';
import { tscCompile } from './tsc';
import { nodeRuntime } from './node';
import { pythonRuntime } from './python';
import { mcsCompile, monoRuntime } from './mcs';
import { fpcCompile, fpcRuntime } from './fpc';
import { rubyRuntime } from './ruby';
import { phpRuntime } from './php';
import { NO_COLUMN, genericParse } from './generic';

export interface SourceDiagnostic {
  /** The file name as the compiler/runtime printed it, reduced to its base name (e.g. "main.cpp", "Main.java"). */
  file: string;
  line: number; // 1-based
  column: number; // 1-based; 1 when the tool gives none
  /** 1-based and exclusive: the column just after the last character of the range. */
  endColumn?: number;
  severity: 'error' | 'warning' | 'info';
  message: string; // first line of the message; include notes/help lines only if short
  code?: string; // e.g. "E0425", "TS1005", "CS1002"
}

/**
 * Optional texts of the sources as they were sent to the sandbox, keyed by the name the compiler
 * sees ("main.cpp", "helper.h", "Main.java"). With them, columns become exact UTF-16 columns of the
 * text (gcc counts tabs as 8 display columns, go and fpc count bytes, Python tracebacks strip the
 * indentation), line-only diagnostics start at the line's first non-blank character, and node stack
 * lines in the compiled main.js are mapped back to main.ts where the thrown line is found verbatim.
 */
export type SourceTexts = Readonly<Record<string, string>>;

/** What a parser gets besides the text: the main source's name in the box, and the sources if known. */
export interface ParseContext {
  mainFile: string;
  sources: SourceTexts;
}

type Parser = (text: string, ctx: ParseContext) => SourceDiagnostic[];
type ColumnUnit = 'char' | 'display' | 'byte';

interface Family {
  mainFile: string;
  compile: Parser;
  runtime: Parser;
  /** How the compiler counts columns (runtime parsers already return character columns). */
  compileColumns: ColumnUnit;
}

const none: Parser = () => [];

const FAMILIES: Record<string, Family> = {
  c: { mainFile: 'main.c', compile: gccCompile, runtime: gccRuntime, compileColumns: 'display' },
  cpp: { mainFile: 'main.cpp', compile: gccCompile, runtime: gccRuntime, compileColumns: 'display' },
  // Python, JavaScript, Ruby and PHP have no compile step: their syntax errors come from the run.
  python3: { mainFile: 'main.py', compile: none, runtime: pythonRuntime, compileColumns: 'char' },
  java: { mainFile: 'Main.java', compile: javacCompile, runtime: jvmRuntime, compileColumns: 'char' },
  javascript: { mainFile: 'main.js', compile: none, runtime: nodeRuntime, compileColumns: 'char' },
  typescript: { mainFile: 'main.ts', compile: tscCompile, runtime: nodeRuntime, compileColumns: 'char' },
  go: { mainFile: 'main.go', compile: goCompile, runtime: goRuntime, compileColumns: 'byte' },
  rust: { mainFile: 'main.rs', compile: rustcCompile, runtime: rustRuntime, compileColumns: 'char' },
  csharp: { mainFile: 'main.cs', compile: mcsCompile, runtime: monoRuntime, compileColumns: 'char' },
  pascal: { mainFile: 'main.pas', compile: fpcCompile, runtime: fpcRuntime, compileColumns: 'byte' },
  ruby: { mainFile: 'main.rb', compile: none, runtime: rubyRuntime, compileColumns: 'char' },
  php: { mainFile: 'main.php', compile: none, runtime: phpRuntime, compileColumns: 'char' },
};

const GENERIC: Family = { mainFile: 'main', compile: genericParse, runtime: genericParse, compileColumns: 'char' };

/** Compiler output (stdout+stderr of the compile step) → diagnostics. */
export function compileDiagnostics(languageId: string, output: string, sources: SourceTexts = {}): SourceDiagnostic[] {
  const family = FAMILIES[languageId] ?? GENERIC;
  const found = family.compile(clean(output), { mainFile: family.mainFile, sources });
  return finish(found, sources, family.compileColumns);
}

/** A failed run's stderr (traceback, exception, panic, stack) → diagnostics at the innermost frame that is in the user's own source (files under /box or without a directory). */
export function runtimeDiagnostics(languageId: string, stderr: string, sources: SourceTexts = {}): SourceDiagnostic[] {
  const family = FAMILIES[languageId] ?? GENERIC;
  const found = family.runtime(clean(stderr), { mainFile: family.mainFile, sources });
  return finish(found, sources, 'char');
}

/** Drops ANSI colour codes (and gcc's OSC 8 links) and turns CRLF / lone CR into LF. */
function clean(text: string): string {
  return text
    .replace(/\x1b\]8;[^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\r\n?/g, '\n');
}

function finish(found: SourceDiagnostic[], sources: SourceTexts, unit: ColumnUnit): SourceDiagnostic[] {
  const seen = new Set<string>();
  const out: SourceDiagnostic[] = [];
  for (const d of found) {
    const text = sources[d.file];
    const lineText = text === undefined ? undefined : text.replace(/\r\n?/g, '\n').split('\n')[d.line - 1];
    const fixed: SourceDiagnostic = { ...d, line: Math.max(1, d.line) };
    if (d.column === NO_COLUMN || !(d.column >= 1)) {
      fixed.column = lineText === undefined ? 1 : lineText.length - lineText.trimStart().length + 1;
      delete fixed.endColumn;
    } else if (lineText !== undefined && unit !== 'char') {
      fixed.column = toCharColumn(lineText, d.column, unit);
      if (d.endColumn !== undefined) fixed.endColumn = toCharColumn(lineText, d.endColumn, unit);
    }
    if (fixed.endColumn !== undefined && fixed.endColumn <= fixed.column) delete fixed.endColumn;
    if (fixed.endColumn === undefined) delete fixed.endColumn;
    if (fixed.code === undefined) delete fixed.code;
    const key = `${fixed.file}\0${fixed.line}\0${fixed.column}\0${fixed.severity}\0${fixed.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fixed);
  }
  return out;
}

/** A gcc display column (tabs to the next multiple of 8, wide characters 2) or byte column → a UTF-16 column. */
function toCharColumn(line: string, column: number, unit: 'display' | 'byte'): number {
  let at = 1; // the tool's column of the character at `index`
  let index = 0;
  for (const ch of line) {
    if (at >= column) return index + 1;
    const cp = ch.codePointAt(0)!;
    if (unit === 'byte') at += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    else if (ch === '\t') at = Math.floor((at - 1) / 8 + 1) * 8 + 1;
    else at += isWide(cp) ? 2 : /\p{Mn}/u.test(ch) ? 0 : 1;
    index += ch.length;
  }
  return index + 1 + Math.max(0, column - at);
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
