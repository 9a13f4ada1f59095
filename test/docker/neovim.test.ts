// Another editor's own LSP client: Debian's Neovim drives verdict-language-server headless.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });

test(
  'neovim: CodeLens listed, Run executed, a compile error shown on its line',
  { skip: nvim.status !== 0 && !process.env.CI ? 'nvim not installed' : false },
  () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-nvim-'));
    const source = path.join(dir, 'broken.cpp');
    writeFileSync(source, '#include <cstdio>\nint main() {\n    printf("%d\\n", undefined_name);\n}\n');
    const out = path.join(dir, 'report.json');
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-c', `luafile ${path.resolve(__dirname, '../editors/neovim-lsp.lua')}`], {
      encoding: 'utf8',
      timeout: 180_000,
      env: {
        ...process.env,
        VERDICT_SERVER: path.resolve(__dirname, '../../bin/verdict-language-server.js'),
        VERDICT_SOURCE: source,
        VERDICT_NVIM_OUT: out,
      },
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      lenses: string[];
      status: string;
      diagnostics: Array<{ line: number; col: number; severity: number; message: string }>;
      errors: string[];
    };
    assert.deepEqual(report.errors, [], r.stderr);
    assert.deepEqual(report.lenses, ['▶ Run']);
    assert.equal(report.status, 'Compile Error');
    const error = report.diagnostics.find((d) => d.severity === 1);
    assert.ok(error, JSON.stringify(report));
    assert.equal(error.line, 2, 'line 3 (0-based 2) holds the undeclared name');
    assert.match(error.message, /undefined_name/);
  },
);
