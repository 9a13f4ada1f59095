// The compatible APIs' cost (issue 15): one warm Python hello through Judge0's `POST /submissions?wait=true`
// and Piston's `POST /api/v2/execute`, next to the native `POST /v1/runs?wait=true`, interleaved on
// the real `verdict serve` on loopback, in one run. The target: a compatible call costs no more than
// a few ms over the native one (they are the same run underneath).
//   npx tsx bench/compat.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, printTargets, stats, type TargetRow } from './lib';
import { makeToken, startServer } from '../test/docker/service-fixture';

const HELLO = 'print("hello")\n';

export async function compat(rounds = 30): Promise<TargetRow[]> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'verdict-bench-compat-'));
  const data = path.join(scratch, 'data');
  const token = await makeToken(data, 'bench', 'teacher', 'bench');
  const server = await startServer(data, ['--concurrency', '1'], { ready: true, logLevel: 'warn' });
  try {
    const post = async (route: string, body: unknown, check: (json: any) => boolean) => {
      const res = await fetch(server.url + route, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = await res.json();
      if (!check(json)) throw new Error(`${route}: ${JSON.stringify(json)}`);
    };
    const calls = {
      native: () =>
        post(
          '/v1/runs?wait=true',
          { kind: 'run', language: 'python3', files: [{ name: 'main.py', content: HELLO }] },
          (j) => j.result?.stdout === 'hello\n',
        ),
      judge0: () =>
        post('/submissions?wait=true', { source_code: HELLO, language_id: 71 }, (j) => j.stdout === 'hello\n' && j.status?.id === 3),
      piston: () =>
        post('/api/v2/execute', { language: 'python', version: '*', files: [{ content: HELLO }] }, (j) => j.run?.stdout === 'hello\n'),
    };
    const samples: Record<keyof typeof calls, number[]> = { native: [], judge0: [], piston: [] };
    const order = Object.keys(calls) as Array<keyof typeof calls>;
    for (const name of order) for (let i = 0; i < 3; i++) await calls[name](); // warm: containers, language probe
    for (let i = 0; i < rounds; i++)
      for (const name of i % 2 ? [...order].reverse() : order) {
        const t = performance.now();
        await calls[name]();
        samples[name].push(performance.now() - t);
      }
    const s = { native: stats(samples.native), judge0: stats(samples.judge0), piston: stats(samples.piston) };
    console.log(`warm Python hello, ${rounds} rounds interleaved, one sandbox:`);
    for (const name of order) console.log(`  ${name.padEnd(6)} ${fmt(s[name])}`);
    const over = (name: 'judge0' | 'piston') => s[name].median - s.native.median;
    return (['judge0', 'piston'] as const).map((name) => ({
      target: `${name === 'judge0' ? 'Judge0 ?wait=true' : 'Piston execute'} round trip ≤ native + 5 ms`,
      measured: `${s[name].median.toFixed(1)} vs ${s.native.median.toFixed(1)} ms (${over(name) >= 0 ? '+' : ''}${over(name).toFixed(1)})`,
      met: over(name) <= 5,
    }));
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) void compat(Number(process.argv[2] ?? 30)).then(printTargets);
