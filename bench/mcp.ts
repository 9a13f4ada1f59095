// Verdict for AI agents (issue 16): the round trip of a warm `run` tool call (Python hello) through
// `verdict mcp` with the MCP SDK's real client over stdio, next to the same run through the CLI
// (`node bin/verdict.js run hello.py`, a process per run, as an agent without MCP would call it),
// both measured in this one run, taken in turns, and their ratio; and the same run through the
// runner library in this process, to show what the protocol and the process hop add.
//   npx tsx bench/mcp.ts [repetitions]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Runner } from '../runner/index';
import { fmt, stats, type TargetRow } from './lib';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin/verdict.js');
const PY = 'print("Hello, World!")\n';

export async function mcpBench(N: number): Promise<TargetRow[]> {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-mcp-'));
  const hello = path.join(dir, 'hello.py');
  writeFileSync(hello, PY);
  const runner = await Runner.create({ pool: { idlePerShape: 1 } });
  const client = new Client({ name: 'verdict-bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], stderr: 'ignore' }));
  try {
    const tool = async () => {
      const r = (await client.callTool({ name: 'run', arguments: { files: [{ name: 'hello.py', content: PY }] } })) as CallToolResult;
      const out = r.structuredContent as { status: string; stdout: string } | undefined;
      if (out?.stdout !== 'Hello, World!\n') throw new Error(`unexpected tool result: ${JSON.stringify(r)}`);
    };
    const library = async () => {
      const r = await runner.run({ language: 'python3', files: [{ name: 'hello.py', content: PY }] });
      if (r.stdout !== 'Hello, World!\n') throw new Error(`unexpected library result: ${JSON.stringify(r)}`);
    };
    const cli = async () => {
      const r = await execa(process.execPath, [CLI, 'run', hello], { stdin: 'ignore', reject: false });
      if (r.stdout !== 'Hello, World!') throw new Error(`unexpected CLI output: ${r.stdout} ${r.stderr}`);
    };
    console.log('\n== MCP for AI agents: a warm run tool call next to the CLI');
    // Warmed up once each (the MCP server's pool then holds a warm Python container), then taken in
    // turns, so a change in the machine's load falls on all three alike.
    await tool();
    await cli();
    await library();
    const samples = { tool: [] as number[], cli: [] as number[], library: [] as number[] };
    for (let i = 0; i < N; i++)
      for (const [which, fn] of [
        ['tool', tool],
        ['cli', cli],
        ['library', library],
      ] as const) {
        const t = performance.now();
        await fn();
        samples[which].push(performance.now() - t);
      }
    const viaTool = stats(samples.tool);
    const viaCli = stats(samples.cli);
    const viaLibrary = stats(samples.library);
    const ratio = viaTool.median / viaCli.median;
    console.log(`MCP run tool, Python hello, warm (stdio, SDK client): ${fmt(viaTool)}`);
    console.log(`verdict run hello.py (CLI, a process per run):        ${fmt(viaCli)}`);
    console.log(`the same run through the library (Runner.run, in process): ${fmt(viaLibrary)}`);
    console.log(`ratio MCP / CLI: ${ratio.toFixed(3)} (${(viaCli.median / viaTool.median).toFixed(1)}× faster)`);
    return [
      {
        target: 'MCP run tool, Python hello, warm: faster than `verdict run` (CLI)',
        measured: `${viaTool.median.toFixed(1)} ms vs CLI ${viaCli.median.toFixed(0)} ms (${ratio.toFixed(3)}×; library ${viaLibrary.median.toFixed(1)} ms)`,
        met: viaTool.median < viaCli.median,
      },
    ];
  } finally {
    await client.close();
    await runner.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void mcpBench(Number(process.argv[2] ?? 15));
