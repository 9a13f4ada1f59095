// An error's message, for a line of output or a notification. Every verdict, table and title comes
// from protocol/report.ts, the one report module the CLI and the language server print with too.
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
