// The per-execution floor and where one execution's cost goes. First the kernel's part, piece by
// piece (bench/sandbox-floor.c in a container made like Verdict's: namespaces of each kind, mounts,
// seccomp, exec), with the CPU the kernel spends later in its own threads (a network namespace is
// torn down there); then Verdict's steps through the runner: a bare request round trip, an `exec` of
// /bin/true, a whole Python hello (put, exec, reset) — wall time and CPU where it is spent (this Node
// process, the container's cgroup, Docker's daemons, the kernel's threads). The images are those of
// VERDICT_IMAGE_NAMESPACE: run it once per namespace to compare two builds.
//   npx tsx bench/sandbox-floor.ts [rounds]
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Runner } from '../runner/engine';
import { imageName } from '../runner/images/names';
import { dockerRunArgs, containersCpu, daemonsCpu, kernelThreadsCpu, stats } from './lib';

const here = __dirname;

interface Cost {
  wall: number[];
  node: number;
  containers: number;
  docker: number;
  kernel: number;
  ops: number;
}

const load = () => loadavg()[0]!.toFixed(2);

async function kernelFloor(rounds: number): Promise<void> {
  const { execa } = await import('execa');
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-floor-'));
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, 'true.c'), 'int main(void) { return 0; }\n');
  await execa('gcc', ['-O2', '-static', '-o', path.join(dir, 'true'), path.join(dir, 'true.c')]);
  await execa('gcc', ['-O2', '-static', '-o', path.join(dir, 'floor'), path.join(here, 'sandbox-floor.c'), '-lseccomp']);
  const docker = (variants: string[]) =>
    execa('docker', [
      ...dockerRunArgs({ pids: 256, memory: '512m', tmpfs: true }),
      '--security-opt',
      `seccomp=${path.join(here, '../runner/sandbox/seccomp/container-profile.json')}`,
      '--security-opt',
      'systempaths=unconfined',
      '-v',
      `${dir}:/floor:ro`,
      imageName('gcc'),
      '/floor/floor',
      String(rounds),
      '20',
      '/floor/true',
      ...variants,
    ]);
  console.log(`== the kernel's part (load average ${load()})`);
  console.log((await docker([])).stdout);
  // What the kernel's threads spend afterwards, per op: with a network namespace and without.
  for (const variant of ['user,net+exit', 'user,uts+exit']) {
    const before = kernelThreadsCpu();
    await docker([variant]);
    const ms = kernelThreadsCpu() - before;
    console.log(`${variant}: kernel threads ${((ms * 1000) / (rounds * 20)).toFixed(0)} µs CPU per op (load ${load()})`);
  }
}

async function verdictSteps(rounds: number): Promise<void> {
  const runner = await Runner.create({ compileCache: false, pool: { idlePerShape: 1 } });
  const hello = (i: number) => `print(${i})\n`;
  try {
    await runner.run({ language: 'python3', files: [{ name: 'm.py', content: hello(-1) }] }); // the first container
    const { spec, language } = runner.parseSpec({ language: 'python3', files: [{ name: 'm.py', content: hello(0) }] });
    const submission = await runner.open(spec, language);
    const steps: Record<string, () => Promise<unknown>> = {
      'request round trip (get of a missing file)': () => submission.get('box', 'missing'),
      'exec /bin/true in a fresh sandbox': async () => {
        const e = await submission.execute(submission.step(['/bin/true'], { ...spec.limits, boxWritable: false }), '');
        if (e.exitCode !== 0) throw new Error('true failed');
      },
    };
    let n = 0;
    const runHello = async () => {
      const r = await runner.run({ language: 'python3', files: [{ name: 'm.py', content: hello(++n) }] });
      if (r.stdout !== `${n}\n`) throw new Error(`hello: ${r.status} ${r.message}`);
    };
    const costs = new Map<string, Cost>();
    const measure = async (name: string, fn: () => Promise<unknown>, per: number) => {
      const c = costs.get(name) ?? { wall: [], node: 0, containers: 0, docker: 0, kernel: 0, ops: 0 };
      costs.set(name, c);
      const cBefore = containersCpu();
      const dBefore = daemonsCpu(['dockerd', 'containerd']);
      const kBefore = kernelThreadsCpu();
      const nBefore = process.cpuUsage();
      for (let i = 0; i < per; i++) {
        const t = performance.now();
        await fn();
        c.wall.push(performance.now() - t);
      }
      const nUsed = process.cpuUsage(nBefore);
      c.node += (nUsed.user + nUsed.system) / 1000;
      c.kernel += kernelThreadsCpu() - kBefore;
      c.docker += daemonsCpu(['dockerd', 'containerd']) - dBefore;
      const cAfter = containersCpu();
      c.containers += [...cAfter].reduce((sum, [id, ms]) => sum + ms - (cBefore.get(id) ?? 0), 0);
      c.ops += per;
    };
    for (let r = 0; r < rounds; r++) {
      for (const [name, fn] of Object.entries(steps)) await measure(name, fn, 20);
      // The submission's lease stays open meanwhile: a hello takes the pool's other container.
      await measure('Python hello through Runner.run (one exec with its sources)', runHello, 10);
    }
    await submission.release();
    console.log(`\n== Verdict's steps, images ${imageName('python3')} (load average ${load()})`);
    const rows = [...costs].map(([name, c]) => {
      const per = (x: number) => (x / c.ops).toFixed(2);
      return [
        name,
        stats(c.wall).median.toFixed(2),
        per(c.node),
        per(c.containers),
        per(c.docker),
        per(c.kernel),
        per(c.node + c.containers + c.docker + c.kernel),
      ];
    });
    const head = ['step', 'wall ms', 'Node', 'container', 'Docker', 'kthreads', 'CPU ms total'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [head, ...rows]) console.log(row.map((v, i) => (i ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  '));
    console.log('(CPU per op in ms; Docker and the kernel threads are shared with anything else running here: upper bounds)');
  } finally {
    await runner.close();
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 10);
  if (process.argv[3] !== 'verdict') await kernelFloor(rounds);
  await verdictSteps(rounds);
}

if (require.main === module) void main();
