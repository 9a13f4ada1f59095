// JVM uncaught exceptions (Java, Kotlin, Scala): `Exception in thread "main" X: msg` / `Caused by: …` sections of
// `\tat pkg.Class.method(File.java:N)` frames; the deepest cause's innermost frame in the user's classes wins.
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN } from './generic';

interface Section {
  message: string;
  frames: Array<{ file: string; line: number }>;
}

/** `\tat java.base/java.util.ArrayList.get(ArrayList.java:427)`, `\tat Main$Node.value(Main.java:7)` */
const FRAME = /^\s+at (\S+?)\(([^():]+\.(?:java|kt|scala)):(\d+)\)$/;
/** Classes of the language runtimes that ship without a module prefix. */
const LIBRARY = /^(?:kotlin|kotlinx|scala|java|javax|jdk|sun)\./;
const HEADER = /^(?:Exception in thread "[^"]*" |Caused by: )(.*)$/;
/** A bare `java.lang.IllegalStateException: msg` (printStackTrace) followed by frames. */
const BARE = /^((?:[a-zA-Z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)\b.*)$/;

export function jvmRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const sections: Section[] = [];
  let current: Section | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const header = HEADER.exec(text) ?? (/^\s+at /.test(lines[i + 1] ?? '') ? BARE.exec(text) : null);
    if (header) {
      current = { message: header[1]!.trim(), frames: [] };
      sections.push(current);
      continue;
    }
    if (/^\s+Suppressed: /.test(text)) {
      current = undefined; // suppressed exceptions are not what stopped the program
      continue;
    }
    const frame = FRAME.exec(text);
    // A module or class-loader prefix (`java.base/`) marks the JDK; the user's classes have none (or `app//`).
    // Kotlin's and Scala's own libraries have no prefix: their packages tell them apart.
    if (frame && current && (!frame[1]!.includes('/') || frame[1]!.startsWith('app//')) && !LIBRARY.test(frame[1]!))
      current.frames.push({ file: frame[2]!, line: Number(frame[3]) });
  }
  if (sections.length === 0) return [];
  const chosen = [...sections].reverse().find((s) => s.frames.length > 0);
  if (chosen) return [{ ...chosen.frames[0]!, column: NO_COLUMN, severity: 'error', message: chosen.message }];
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message: sections[sections.length - 1]!.message }];
}
