// What every diagnostics parser produces and gets: shared by the parsers and their index.

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
