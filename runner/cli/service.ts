// The CLI's side of the classroom service: `verdict serve`, `verdict token create|revoke` (on the
// server's own store, for whoever runs the server), and `verdict problem push DIR --server URL`
// (a teacher's upload, with the token from VERDICT_TOKEN).
import { Command, InvalidArgumentError, Option } from 'commander';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { create as createTar } from 'tar';
import { UsageError } from '../errors';
import { Role } from '../../protocol/http';
import { displayText } from '../../protocol/display';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port from 0 to 65535');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number above 0');
  return n;
}

export function addServiceCommands(program: Command): void {
  program
    .command('serve')
    .description('Run the classroom service: an HTTP API for runs, judges and problems, with tokens, quotas and a durable queue.')
    .option('--port <n>', 'port (0: any free one)', port, 8080)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'where the database and problems live (default ~/.local/share/verdict, or VERDICT_DATA)')
    .option('--concurrency <n>', 'sandboxes at once (default: the CPU count)', positive)
    .option('--queue-depth <n>', 'runs that may wait before new ones are refused (503)', positive, 1000)
    .option('--grace <seconds>', 'on SIGTERM, how long runs in flight may take to finish', positive, 30)
    .option('--allow-private-webhooks', 'let webhooks call private and loopback addresses (a server inside a trusted network)')
    .option('--webhook-attempts <n>', 'attempts to deliver a webhook, the first included', positive, 6)
    .option('--webhook-backoff <ms>', 'wait before the first retry of a webhook, doubled for each next one', positive, 1000)
    .action(
      async (opts: {
        port: number;
        host: string;
        data?: string;
        concurrency?: number;
        queueDepth: number;
        grace: number;
        allowPrivateWebhooks?: boolean;
        webhookAttempts: number;
        webhookBackoff: number;
      }) => {
        const { serve, defaultDataDir } = await import('../service/serve');
        const server = await serve({
          port: opts.port,
          host: opts.host,
          dataDir: opts.data ?? defaultDataDir(),
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          queueDepth: opts.queueDepth,
          graceMs: opts.grace * 1000,
          webhooks: { allowPrivate: Boolean(opts.allowPrivateWebhooks), attempts: opts.webhookAttempts, backoffMs: opts.webhookBackoff },
        });
        process.stdout.write(`verdict serve: listening on ${server.url}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => void server.close().then(resolve);
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        });
      },
    );

  program
    .command('webhook-secret')
    .description(
      'Print the secret the server signs webhooks with (give it to whoever receives them, to check the Verdict-Signature header).',
    )
    .option('--data <dir>', 'the server data folder (default ~/.local/share/verdict, or VERDICT_DATA)')
    .action(async (opts: { data?: string }) => {
      const { Store } = await import('../service/store');
      const { defaultDataDir } = await import('../service/serve');
      const store = new Store(opts.data ?? defaultDataDir());
      try {
        process.stdout.write(`${store.webhookSecret()}\n`);
      } finally {
        store.close();
      }
    });

  const token = program.command('token').description("Tokens of the classroom service (on this machine's server data).");
  token
    .command('create')
    .description('Create a token and print it once (only its hash is kept).')
    .requiredOption('--name <name>', 'who it is for')
    .addOption(new Option('--role <role>', 'what it may do').choices(Role.options).default('student'))
    .option('--class <class>', 'the class it belongs to', 'default')
    .option('--expires <days>', 'expire after this many days', positive)
    .option('--data <dir>', 'the server data folder (default ~/.local/share/verdict, or VERDICT_DATA)')
    .action(async (opts: { name: string; role: Role; class: string; expires?: number; data?: string }) => {
      const { Store } = await import('../service/store');
      const { createToken, AuthError } = await import('../service/auth');
      const { defaultDataDir } = await import('../service/serve');
      const store = new Store(opts.data ?? defaultDataDir());
      try {
        const value = createToken(store, {
          name: opts.name,
          class: opts.class,
          role: opts.role,
          ...(opts.expires ? { expiresDays: opts.expires } : {}),
        });
        process.stdout.write(`${value}\n`);
        process.stderr.write(`Token for ${opts.name} (${opts.role}, class ${opts.class}). It is shown only now: keep it.\n`);
      } catch (err) {
        if (err instanceof AuthError) throw new UsageError(err.message);
        throw err;
      } finally {
        store.close();
      }
    });
  token
    .command('revoke')
    .description('Revoke a token.')
    .requiredOption('--name <name>', 'whose token')
    .option('--class <class>', 'its class', 'default')
    .option('--data <dir>', 'the server data folder')
    .action(async (opts: { name: string; class: string; data?: string }) => {
      const { Store } = await import('../service/store');
      const { defaultDataDir } = await import('../service/serve');
      const store = new Store(opts.data ?? defaultDataDir());
      try {
        const row = store.tokenByName(opts.class, opts.name);
        if (!row) throw new UsageError(`There is no token ${opts.name} in class ${opts.class}.`);
        store.revokeToken(row.id);
        process.stderr.write(`Revoked the token of ${opts.name} (class ${opts.class}).\n`);
      } finally {
        store.close();
      }
    });

  program
    .command('problem')
    .description('Problems on a classroom server.')
    .command('push')
    .description('Upload a problem package folder to a server (token from VERDICT_TOKEN).')
    .argument('<dir>', 'the ICPC/Kattis package folder')
    .requiredOption('--server <url>', 'the server, e.g. http://127.0.0.1:8080')
    .option('--id <id>', 'the problem id on the server (default: the folder name)')
    .option('--class <class>', "the class it is for (default: your token's)")
    .action(async (dir: string, opts: { server: string; id?: string; class?: string }) => {
      if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dir} is not a folder.`);
      const tokenValue = process.env.VERDICT_TOKEN;
      if (!tokenValue) throw new UsageError('Set VERDICT_TOKEN to your teacher token.');
      const id = (opts.id ?? path.basename(path.resolve(dir))).toLowerCase();
      const chunks: Buffer[] = [];
      const stream = createTar({ gzip: true, cwd: dir, portable: true, follow: true }, readdirSync(dir));
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const url = new URL(
        `/v1/problems?id=${encodeURIComponent(id)}${opts.class ? `&class=${encodeURIComponent(opts.class)}` : ''}`,
        opts.server,
      );
      const res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokenValue}`, 'Content-Type': 'application/gzip' },
        body: Buffer.concat(chunks),
      });
      const text = await res.text();
      if (!res.ok) throw new UsageError(`The server refused the problem (HTTP ${res.status}): ${displayText(safeMessage(text))}`);
      const info = JSON.parse(text) as { id: string; name: string; samples: unknown[]; hiddenTests: number };
      process.stdout.write(
        `${displayText(`Pushed ${info.id} (${info.name}): ${info.samples.length} sample tests, ${info.hiddenTests} hidden.`)}\n`,
      );
    });
}

function safeMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body;
  } catch {
    return body.slice(0, 500);
  }
}
