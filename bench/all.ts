// `npm run bench`: every benchmark, each against its baseline measured in the same run, then one
// table of target, measured, met.
import { runCost } from './run-cost';
import { judgeCost } from './judge-cost';
import { throughput } from './throughput';
import { caches } from './caches';
import { serverMemory } from './server-memory';
import { serviceLoad } from './service-load';
import { compat } from './compat';
import { mcpBench } from './mcp';
import { cliDaemon } from './cli-daemon';
import { cpuBreakdown } from './cpu-breakdown';
import { printTargets, type TargetRow } from './lib';

async function main(): Promise<void> {
  const rows: TargetRow[] = [];
  console.log('== run cost');
  rows.push(...(await runCost(30)));
  console.log('\n== judge cost');
  rows.push(...(await judgeCost(50)));
  console.log('\n== throughput');
  rows.push(...(await throughput(100)));
  console.log('\n== caches and footprint');
  rows.push(...(await caches(20)));
  console.log('\n== language server idle memory');
  rows.push(...(await serverMemory(5)));
  console.log('\n== classroom service under load');
  rows.push(...(await serviceLoad(500, 50)));
  console.log('\n== compatible APIs (Judge0, Piston)');
  rows.push(...(await compat(30)));
  rows.push(...(await mcpBench(30)));
  console.log('\n== one-shot CLI calls and the daemon');
  rows.push(...(await cliDaemon(10)));
  console.log('\n== CPU per distinct C submission');
  rows.push(...(await cpuBreakdown(20)));
  printTargets(rows);
}

void main();
