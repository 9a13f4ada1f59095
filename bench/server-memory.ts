// The language server's idle footprint: the RSS of the bundled server (dist/server/server.js, as
// `npm run bench` has just built it) once it has answered `initialize` and settled, next to a bare
// `node` process measured the same way, and whether zod and dockerode (the runner) have run by then.
//   npx tsx bench/server-memory.ts [rounds]
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  ConfigurationRequest,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  ExitNotification,
} from 'vscode-languageserver-protocol/node';
import { stats, type TargetRow } from './lib';

const root = path.resolve(__dirname, '..');
const SERVER = path.join(root, 'dist/server/server.js');
/** How long the server is left alone after `initialized` before its RSS is read. */
const SETTLE_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Modules whose code must not run before the first Run, by the path their sources have in the bundle's source map. */
const HEAVY = { zod: /node_modules\/zod\//, dockerode: /node_modules\/(dockerode|docker-modem)\// };

/**
 * Preloaded (`node -r`) into the server in one extra round, never in the rounds whose RSS is
 * reported: on SIGUSR2 it writes V8's best-effort coverage of the bundle (which functions have run
 * so far) to the file named by VERDICT_BENCH_COVERAGE. The bundle is one file, so which modules are
 * loaded cannot be read from require.cache.
 */
const PROBE = `
process.on('SIGUSR2', () => {
  const fs = require('node:fs');
  const out = process.env.VERDICT_BENCH_COVERAGE;
  const session = new (require('node:inspector').Session)();
  session.connect();
  session.post('Profiler.getBestEffortCoverage', (err, res) => {
    const scripts = err ? [] : res.result.filter((s) => s.url.endsWith('/dist/server/server.js'));
    fs.writeFileSync(out + '.tmp', JSON.stringify({ error: err ? String(err) : undefined, scripts, zodGlobal: '__zod_globalConfig' in globalThis }));
    fs.renameSync(out + '.tmp', out);
    session.disconnect();
  });
});
`;

interface Coverage {
  error?: string;
  zodGlobal: boolean;
  scripts: { url: string; functions: { functionName: string; ranges: { startOffset: number; endOffset: number; count: number }[] }[] }[];
}

function vmRssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)));
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

/** A bare `node` that only waits, read the same way after the same settling time: what Node itself costs. */
async function bareNodeRssMb(): Promise<number> {
  const { execa } = await import('execa');
  const node = execa(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdin: 'ignore', reject: false });
  try {
    await sleep(SETTLE_MS);
    return vmRssMb(node.pid!);
  } finally {
    node.kill('SIGKILL');
    await node;
  }
}

/**
 * Starts the bundled server over stdio, initializes it as an editor with a workspace folder would,
 * lets it settle, calls `atIdle` with its pid, then shuts it down (`shutdown`, `exit`). The process is
 * killed on every path if it has not exited by then.
 */
async function idleServer<T>(nodeArgs: string[], env: Record<string, string>, atIdle: (pid: number) => Promise<T>): Promise<T> {
  const { execa } = await import('execa');
  const workspace = mkdtempSync(path.join(tmpdir(), 'verdict-bench-lsp-'));
  const server = execa(process.execPath, [...nodeArgs, SERVER, '--stdio'], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: { stdout: false },
    env,
    reject: false,
  });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  try {
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
    connection.onRequest(() => null); // anything else the server asks (none expected with these capabilities)
    connection.onNotification(() => {});
    connection.listen();
    const exited = server.then((r) =>
      Promise.reject(new Error(`the language server exited early (${r.exitCode ?? r.signal}): ${r.stderr}`)),
    );
    exited.catch(() => {}); // only the race below cares
    await Promise.race([
      withTimeout(
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: pathToFileURL(workspace).href,
          workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bench' }],
          capabilities: { workspace: { configuration: true } },
        }),
        10_000,
        'initialize',
      ),
      exited,
    ]);
    await connection.sendNotification(InitializedNotification.type, {});
    await sleep(SETTLE_MS);
    const value = await atIdle(server.pid!);
    await withTimeout(connection.sendRequest(ShutdownRequest.type), 5_000, 'shutdown');
    await connection.sendNotification(ExitNotification.type);
    const ended = await withTimeout(server, 5_000, 'exit').catch(() => undefined);
    if (ended?.exitCode !== 0)
      console.warn(
        `warning: the language server did not exit with 0 after shutdown and exit (${ended ? (ended.exitCode ?? ended.signal) : 'still running'})`,
      );
    return value;
  } finally {
    connection.dispose();
    server.kill('SIGKILL'); // a no-op once it has exited
    await server;
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Which of HEAVY have run in the idle server: its executed functions, mapped to their sources through the bundle's source map. */
async function heavyModulesRun(): Promise<Record<keyof typeof HEAVY, boolean> & { zodGlobal: boolean }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-probe-'));
  try {
    const probe = path.join(dir, 'probe.cjs');
    const out = path.join(dir, 'coverage.json');
    writeFileSync(probe, PROBE);
    const coverage = await idleServer(['-r', probe], { VERDICT_BENCH_COVERAGE: out }, async (pid) => {
      process.kill(pid, 'SIGUSR2');
      for (const until = Date.now() + 10_000; !existsSync(out); await sleep(50))
        if (Date.now() > until) throw new Error('the coverage probe wrote nothing');
      return JSON.parse(readFileSync(out, 'utf8')) as Coverage;
    });
    if (coverage.error) throw new Error(`coverage: ${coverage.error}`);
    const bundle = readFileSync(SERVER, 'utf8');
    const lineStarts = [0];
    for (let i = bundle.indexOf('\n'); i !== -1; i = bundle.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const map = new SourceMap(JSON.parse(readFileSync(`${SERVER}.map`, 'utf8')));
    const ran = new Set<string>();
    for (const script of coverage.scripts)
      for (const fn of script.functions) {
        const range = fn.ranges[0];
        if (!range || range.count === 0) continue;
        let line = lineStarts.length - 1;
        while (lineStarts[line]! > range.startOffset) line--;
        const source = (map.findEntry(line, range.startOffset - lineStarts[line]!) as { originalSource?: string }).originalSource;
        if (source) ran.add(source);
      }
    const any = (re: RegExp) => [...ran].some((s) => re.test(s));
    return { zod: any(HEAVY.zod), dockerode: any(HEAVY.dockerode), zodGlobal: coverage.zodGlobal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function serverMemory(rounds = 5): Promise<TargetRow[]> {
  if (!existsSync(SERVER)) {
    const { execa } = await import('execa');
    await execa(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  }
  const server: number[] = [];
  const bare: number[] = [];
  // Interleaved, so that whatever else the machine is doing weighs on both alike.
  for (let i = 0; i < rounds; i++) {
    bare.push(await bareNodeRssMb());
    server.push(await idleServer([], {}, async (pid) => vmRssMb(pid)));
  }
  const s = stats(server);
  const b = stats(bare);
  const heavy = await heavyModulesRun();
  const yesNo = (x: boolean) => (x ? 'yes' : 'no');
  const mb = (x: { median: number; min: number; max: number }) => `${x.median.toFixed(1)} MB (${x.min.toFixed(1)}–${x.max.toFixed(1)})`;
  console.log(`language server idle RSS (bundled, ${SETTLE_MS / 1000} s after initialized, ${rounds} rounds): ${mb(s)}`);
  console.log(`node itself: ${mb(b)}; the server's own: ${(s.median - b.median).toFixed(1)} MB`);
  console.log(
    `run by then: zod ${yesNo(heavy.zod)} (globalThis.__zod_globalConfig ${heavy.zodGlobal ? 'set' : 'unset'}), dockerode ${yesNo(heavy.dockerode)}`,
  );
  return [
    {
      target: 'language server idle RSS ≤ 60 MB',
      measured: `${s.median.toFixed(1)} MB (node itself ${b.median.toFixed(1)}; zod ${yesNo(heavy.zod)}, dockerode ${yesNo(heavy.dockerode)})`,
      met: s.median <= 60,
    },
  ];
}

if (require.main === module) void serverMemory(Number(process.argv[2] ?? 5));
