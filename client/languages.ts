// The VS Code languages Verdict runs, and how their files are recognised. The server picks the
// Verdict language (languages/<id>.json) from the file extension; this list only tells VS Code
// which documents to hand to it.
import type { DocumentSelector } from 'vscode-languageclient/node';

/** VS Code language id → file extensions Verdict runs. */
export const SUPPORTED: Readonly<Record<string, readonly string[]>> = {
  c: ['.c'],
  cpp: ['.cpp', '.cc', '.cxx'],
  python: ['.py'],
  java: ['.java'],
  javascript: ['.js'],
  typescript: ['.ts'],
  go: ['.go'],
  rust: ['.rs'],
  csharp: ['.cs'],
  pascal: ['.pas'],
  ruby: ['.rb'],
  php: ['.php'],
};

const EXTENSIONS = new Set(Object.values(SUPPORTED).flat());

/** By language id and, for files whose language VS Code does not know (no Pascal extension), by pattern. */
export const documentSelector: DocumentSelector = [
  ...Object.keys(SUPPORTED).map((language) => ({ scheme: 'file', language })),
  { scheme: 'file', pattern: `**/*.{${[...EXTENSIONS].map((e) => e.slice(1)).join(',')}}` },
];

function extensionOf(fsPath: string): string {
  const dot = fsPath.lastIndexOf('.');
  return dot > fsPath.lastIndexOf('/') && dot > fsPath.lastIndexOf('\\') ? fsPath.slice(dot).toLowerCase() : '';
}

/** Whether Verdict runs this file: on disk, with one of the extensions (a C header is not run, whatever its language id). */
export function isSupported(uri: { scheme: string; fsPath: string }): boolean {
  return uri.scheme === 'file' && EXTENSIONS.has(extensionOf(uri.fsPath));
}
