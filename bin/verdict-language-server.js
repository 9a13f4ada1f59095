#!/usr/bin/env node
// `verdict-language-server --stdio`: the bundled server when built, the TypeScript sources otherwise.
const path = require('node:path');
const fs = require('node:fs');
const bundled = path.join(__dirname, '..', 'dist', 'server', 'server.js');
if (fs.existsSync(bundled)) require(bundled);
else {
  require('tsx/cjs');
  require('../server/main.ts');
}
