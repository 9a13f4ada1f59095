#!/usr/bin/env node
// The `verdict` command: the bundled CLI when built, the TypeScript sources otherwise (a checkout).
const path = require('node:path');
const fs = require('node:fs');
const bundled = path.join(__dirname, '..', 'dist', 'runner', 'cli.js');
if (fs.existsSync(bundled)) require(bundled);
else {
  require('tsx/cjs');
  require('../runner/cli/entry.ts');
}
