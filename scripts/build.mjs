// Bundles the runner CLI and library (and, as they arrive, the server and the extension) with esbuild.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { generateLanguages } from './gen-languages.mjs';

// First, what is derived from languages/*.json: protocol/languages.generated.ts and package.json's language fields.
generateLanguages();

/**
 * Keeps the runner's footprint small: dockerode's BuildKit session support (gRPC + protobuf, ~14 MB
 * resident) is never used — images are built with the classic builder — and docker-modem's SSH
 * transport (ssh2) is loaded only if a DOCKER_HOST ssh:// URL asks for it.
 */
const lean = {
  name: 'lean-docker',
  setup(b) {
    b.onResolve({ filter: /^\.\/session$/ }, (args) =>
      args.importer.includes('dockerode') ? { path: 'dockerode-session', namespace: 'lean' } : undefined,
    );
    b.onResolve({ filter: /^\.\/ssh$/ }, (args) =>
      args.importer.includes('docker-modem') ? { path: 'docker-modem-ssh', namespace: 'lean' } : undefined,
    );
    b.onLoad({ filter: /^dockerode-session$/, namespace: 'lean' }, () => ({
      contents: "module.exports = function () { throw new Error('BuildKit sessions are not available in Verdict\\'s bundle'); };",
    }));
    b.onLoad({ filter: /^docker-modem-ssh$/, namespace: 'lean' }, () => ({
      contents: "module.exports = function (opt) { return require('docker-modem/lib/ssh.js')(opt); };",
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  // better-sqlite3 is a native addon: loaded from node_modules, never bundled.
  external: ['ssh2', 'cpu-features', 'docker-modem/lib/ssh.js', 'better-sqlite3'],
  plugins: [lean],
};
/**
 * The language server loads the runner through its front door on the first run: from the runner's
 * own bundle (dist/runner/index.js) rather than a copy inside the server's, so an idle server does
 * not even parse the Docker client (its idle memory is measured by `npm run bench`).
 */
const runnerDoorOutside = {
  name: 'runner-door-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/runner\/index$/ }, (args) =>
      args.importer.includes(`${'server'}`) ? { path: '../runner/index.js', external: true } : undefined,
    );
  },
};

const entries = [
  { entryPoints: ['runner/cli/entry.ts'], outfile: 'dist/runner/cli.js' },
  // `verdict run` through the daemon, without the full CLI (runner/cli/quick.ts): no zod, no commander.
  { entryPoints: ['runner/cli/quick.ts'], outfile: 'dist/runner/cli-quick.js' },
  { entryPoints: ['runner/index.ts'], outfile: 'dist/runner/index.js' },
  // The language server: in-process runner, stdio or IPC transport.
  { entryPoints: ['server/main.ts'], outfile: 'dist/server/server.js', plugins: [lean, runnerDoorOutside] },
  // The VS Code extension: `vscode` is provided by the editor.
  { entryPoints: ['client/extension.ts'], outfile: 'dist/client/extension.js', external: [...common.external, 'vscode'] },
].filter((e) => e.entryPoints.every((p) => existsSync(p)));
await Promise.all(entries.map((e) => build({ ...common, ...e })));

// The classroom service's web pages are static files read at run time: next to the bundle that serves them.
rmSync('dist/runner/web', { recursive: true, force: true });
if (existsSync('runner/service/web')) cpSync('runner/service/web', 'dist/runner/web', { recursive: true });

// The native `verdict` client (runner/cli/native/verdict.c): `run` and `judge` through the warm daemon
// without starting Node. Static when libc's archive is here (no dynamic loader at start), else
// dynamic; without a C compiler, bin/verdict runs the Node CLI for every command.
await buildNativeClient();

async function buildNativeClient() {
  const { execa } = await import('execa');
  const out = 'dist/bin/verdict';
  mkdirSync('dist/bin', { recursive: true });
  const cc = process.env.CC || 'cc';
  const flags = ['-O2', '-Wall', '-Wextra', '-o', out, 'runner/cli/native/verdict.c'];
  for (const extra of [['-static'], []]) {
    const r = await execa(cc, [...extra, ...flags], { reject: false });
    if (r.exitCode === 0) return;
    if (r.failed && r.code === 'ENOENT') break;
  }
  rmSync(out, { force: true });
  console.warn(
    `build: no native client (${cc} could not build runner/cli/native/verdict.c): \`verdict\` runs through Node. Install gcc for it.`,
  );
}
