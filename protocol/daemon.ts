// Whether this user's background runner (runner/daemon/, docs/daemon.md) is wanted: one rule for the
// CLI, the language server and `verdict mcp`, which all attach to it.

/** The daemon is on unless VERDICT_DAEMON=0 (or false/off/no). */
export function daemonWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !/^(0|false|off|no)$/i.test(env.VERDICT_DAEMON ?? '');
}
