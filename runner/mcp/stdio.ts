// `verdict mcp`: one MCP session over stdin/stdout for one agent (its client starts this process).
// Stdout is the protocol's alone: logs go to stderr. Ends when the client closes stdin or on SIGTERM.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpSession, type McpSessionOptions } from './server';

/** Serves until the client goes away; resolves after the session is closed (the caller then closes its runner). */
export async function serveStdio(options: McpSessionOptions): Promise<void> {
  const server = createMcpSession(options);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
    const close = () => void server.close();
    process.stdin.once('end', close);
    process.stdin.once('close', close);
    process.once('SIGTERM', close);
    process.once('SIGINT', close);
  });
  await server.connect(new StdioServerTransport());
  await closed;
}
