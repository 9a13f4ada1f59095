// The VS Code languages Verdict runs, and how their files are recognised: generated from
// languages/*.json (protocol/languages.generated.ts), so a new language needs no change here. The
// server picks the Verdict language from the file extension; this only tells VS Code which
// documents to hand to it.
import type { DocumentSelector } from 'vscode-languageclient/node';
import { EXTENSION_TO_LANGUAGE, VSCODE_LANGUAGES } from '../protocol/languages.generated';

/** By language id and, for files whose language VS Code does not know, by pattern. */
export const documentSelector: DocumentSelector = [
  ...Object.keys(VSCODE_LANGUAGES).map((language) => ({ scheme: 'file', language })),
  {
    scheme: 'file',
    pattern: `**/*.{${Object.keys(EXTENSION_TO_LANGUAGE)
      .map((e) => e.slice(1))
      .join(',')}}`,
  },
];

function extensionOf(fsPath: string): string {
  const dot = fsPath.lastIndexOf('.');
  return dot > fsPath.lastIndexOf('/') && dot > fsPath.lastIndexOf('\\') ? fsPath.slice(dot).toLowerCase() : '';
}

/** Whether Verdict runs this file: on disk, with one of the extensions (a C header is not run, whatever its language id). */
export function isSupported(uri: { scheme: string; fsPath: string }): boolean {
  return uri.scheme === 'file' && Object.hasOwn(EXTENSION_TO_LANGUAGE, extensionOf(uri.fsPath));
}
