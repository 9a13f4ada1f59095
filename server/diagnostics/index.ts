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
import { kotlincCompile } from './kotlinc';
import { scalacCompile } from './scalac';
import { ghcCompile, ghcRuntime } from './ghc';
import { ocamlCompile, ocamlRuntime } from './ocaml';
import { sbclCompile, sbclRuntime } from './sbcl';
import { bashRuntime, luaRuntime, perlRuntime } from './scripts';
import { gfortranCompile, gfortranRuntime } from './gfortran';
import { dRuntime } from './gdc';
import { nimCompile, nimRuntime } from './nim';
import { elixirRuntime, erlangRuntime, erlcCompile } from './beam';
import { prologRuntime } from './swipl';
import { rRuntime } from './r';
import { NO_COLUMN, genericParse } from './generic';
import { LANGUAGES } from '../../protocol/languages.generated';

export type { ParseContext, SourceDiagnostic, SourceTexts } from './types';
import type { ParseContext, SourceDiagnostic, SourceTexts } from './types';

type Parser = (text: string, ctx: ParseContext) => SourceDiagnostic[];
type ColumnUnit = 'char' | 'display' | 'byte';

interface Family {
  compile: Parser;
  runtime: Parser;
  /** How the compiler counts columns (runtime parsers already return character columns). */
  compileColumns: ColumnUnit;
}

const none: Parser = () => [];

const FAMILIES: Record<string, Family> = {
  c: { compile: gccCompile, runtime: gccRuntime, compileColumns: 'display' },
  cpp: { compile: gccCompile, runtime: gccRuntime, compileColumns: 'display' },
  // Python, JavaScript, Ruby and PHP have no compile step: their syntax errors come from the run.
  python3: { compile: none, runtime: pythonRuntime, compileColumns: 'char' },
  java: { compile: javacCompile, runtime: jvmRuntime, compileColumns: 'char' },
  javascript: { compile: none, runtime: nodeRuntime, compileColumns: 'char' },
  typescript: { compile: tscCompile, runtime: nodeRuntime, compileColumns: 'char' },
  go: { compile: goCompile, runtime: goRuntime, compileColumns: 'byte' },
  rust: { compile: rustcCompile, runtime: rustRuntime, compileColumns: 'char' },
  csharp: { compile: mcsCompile, runtime: monoRuntime, compileColumns: 'char' },
  pascal: { compile: fpcCompile, runtime: fpcRuntime, compileColumns: 'byte' },
  ruby: { compile: none, runtime: rubyRuntime, compileColumns: 'char' },
  php: { compile: none, runtime: phpRuntime, compileColumns: 'char' },
  cpp20: { compile: gccCompile, runtime: gccRuntime, compileColumns: 'display' },
  cpp23: { compile: gccCompile, runtime: gccRuntime, compileColumns: 'display' },
  pypy3: { compile: none, runtime: pythonRuntime, compileColumns: 'char' },
  kotlin: { compile: kotlincCompile, runtime: jvmRuntime, compileColumns: 'char' },
  scala: { compile: scalacCompile, runtime: jvmRuntime, compileColumns: 'char' },
  haskell: { compile: ghcCompile, runtime: ghcRuntime, compileColumns: 'char' },
  ocaml: { compile: ocamlCompile, runtime: ocamlRuntime, compileColumns: 'byte' },
  lisp: { compile: sbclCompile, runtime: sbclRuntime, compileColumns: 'char' },
  fortran: { compile: gfortranCompile, runtime: gfortranRuntime, compileColumns: 'char' },
  d: { compile: gccCompile, runtime: dRuntime, compileColumns: 'display' },
  nim: { compile: nimCompile, runtime: nimRuntime, compileColumns: 'char' },
  erlang: { compile: erlcCompile, runtime: erlangRuntime, compileColumns: 'char' },
  // Perl, Bash, Lua, Elixir, Prolog and R run their sources as they are: syntax errors come from the run.
  perl: { compile: none, runtime: perlRuntime, compileColumns: 'char' },
  bash: { compile: none, runtime: bashRuntime, compileColumns: 'char' },
  lua: { compile: none, runtime: luaRuntime, compileColumns: 'char' },
  elixir: { compile: none, runtime: elixirRuntime, compileColumns: 'char' },
  prolog: { compile: none, runtime: prologRuntime, compileColumns: 'char' },
  r: { compile: none, runtime: rRuntime, compileColumns: 'char' },
};

const GENERIC: Family = { compile: genericParse, runtime: genericParse, compileColumns: 'char' };

/**
 * The main source's name in the sandbox, which compilers print: the first of the sources given (the
 * server names it as the runner does, e.g. Solution.java for `public class Solution`), else the
 * language definition's default (protocol/languages.generated.ts: main.cpp, Main.java).
 */
function mainFileOf(languageId: string, sources: SourceTexts): string {
  return Object.keys(sources)[0] ?? LANGUAGES.find((l) => l.id === languageId)?.mainFile ?? 'main';
}

/** Compiler output (stdout+stderr of the compile step) → diagnostics. */
export function compileDiagnostics(languageId: string, output: string, sources: SourceTexts = {}): SourceDiagnostic[] {
  const family = FAMILIES[languageId] ?? GENERIC;
  const found = family.compile(clean(output), { mainFile: mainFileOf(languageId, sources), sources });
  return finish(found, sources, family.compileColumns);
}

/** A failed run's stderr (traceback, exception, panic, stack) → diagnostics at the innermost frame that is in the user's own source (files under /box or without a directory). */
export function runtimeDiagnostics(languageId: string, stderr: string, sources: SourceTexts = {}): SourceDiagnostic[] {
  const family = FAMILIES[languageId] ?? GENERIC;
  const found = family.runtime(clean(stderr), { mainFile: mainFileOf(languageId, sources), sources });
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
