// `verdict mcp`: Verdict for AI coding agents — an MCP server on stdio with the tools run, judge and
// languages (runner/mcp/), running in this machine's sandboxes, or with --server URL forwarding every
// call to a classroom server with the token in VERDICT_TOKEN (its quotas and hidden tests apply).
import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../errors';

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number of seconds above 0');
  return n;
}

export function addMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Serve an AI agent over MCP (stdio): tools run, judge, stress (local only) and languages, each call in a fresh sandbox.')
    .option('--server <url>', 'forward every call to a classroom server (`verdict serve`), with the token in VERDICT_TOKEN')
    .option('--cpu-budget <seconds>', 'CPU-seconds the session may use in all', seconds, 600)
    .action(async (opts: { server?: string; cpuBudget: number }) => {
      const { serveStdio } = await import('../mcp/stdio');
      const { localBackend, queueBackend, remoteQueue } = await import('../mcp/backends');
      if (opts.server) {
        const { ServiceClient } = await import('../../protocol/service-client');
        const token = process.env.VERDICT_TOKEN?.trim();
        if (!token)
          throw new UsageError(
            '--server needs the token in the VERDICT_TOKEN environment variable (in the MCP client\'s "env" for this server).',
          );
        const client = new ServiceClient(opts.server, token);
        await client.check();
        await serveStdio({ backend: queueBackend(remoteQueue(client)), cpuBudgetSeconds: opts.cpuBudget });
        return;
      }
      const { Runner } = await import('../engine');
      const { discoverTests } = await import('../judge/testfolder');
      const { stressPoolSize } = await import('../stress/stress');
      const hooks = { testsOfFolder: discoverTests };
      // A long-lived session: the pool keeps a warm container per language used, like the language
      // server's, and may hold the three containers of a stress test.
      let runner: Promise<import('../engine').Runner> | undefined;
      const ownRunner = () => (runner ??= createRunner(() => Runner.create({ pool: { maxBusy: stressPoolSize() } })));
      // This user's background runner serves what it can (shared with the CLI and the editors).
      const { attachDaemon } = await import('../daemon/client');
      const daemon = await attachDaemon();
      try {
        if (daemon) {
          const { sharedBackend } = await import('../mcp/backends');
          const { loadLanguages } = await import('../languages');
          const viaDaemon = queueBackend({ ...remoteQueue(daemon), definitions: loadLanguages() });
          const backend = sharedBackend(viaDaemon, async () => localBackend(await ownRunner(), hooks), hooks);
          await serveStdio({ backend, cpuBudgetSeconds: opts.cpuBudget });
        } else await serveStdio({ backend: localBackend(await ownRunner(), hooks), cpuBudgetSeconds: opts.cpuBudget });
      } finally {
        await (await runner?.catch(() => undefined))?.close();
      }
    });
}

/**
 * Runner.create, tried again when its reaping of leftovers meets a container whose removal another
 * process has begun (Docker's 409 "removal … already in progress"): an agent's client starts this
 * server once and shows a failed start as a dead server, so a race that harms nothing must not end it.
 */
async function createRunner<T>(create: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (err) {
      if (attempt >= 5 || !/already in progress/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}
