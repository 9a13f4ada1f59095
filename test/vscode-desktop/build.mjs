// Bundles the desktop-VS Code test (laptops only) next to its sources' names in dist/test/.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: ['test/vscode-desktop/run.ts'],
  outfile: 'dist/test/vscode-desktop/run.js',
  external: ['@vscode/test-electron'],
});
await build({
  ...common,
  entryPoints: ['test/vscode-desktop/suite.ts'],
  outfile: 'dist/test/vscode-desktop/suite.js',
  external: ['vscode'],
});
