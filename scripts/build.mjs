// Bundles the runner CLI (and, as they arrive, the server and the extension) with esbuild.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const entries = [
  { entryPoints: ['runner/cli/entry.ts'], outfile: 'dist/runner/cli.js', external: ['ssh2', 'cpu-features'] },
  { entryPoints: ['runner/index.ts'], outfile: 'dist/runner/index.js', external: ['ssh2', 'cpu-features'] },
].filter((e) => e.entryPoints.every((p) => existsSync(p)));
await Promise.all(entries.map((e) => build({ ...common, ...e })));
