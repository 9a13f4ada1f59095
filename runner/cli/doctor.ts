// `verdict doctor`: checks each thing the sandbox stands on and says how to fix what is missing.
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { connectDocker, dockerSocketDescription, describeDockerError } from '../sandbox/docker';
import { loadLanguages } from '../languages';
import { BASE_IMAGE, ROOTFS_IMAGE, imageName } from '../images/names';
import { Runner } from '../engine';
import { probeLanguages } from '../probe';
import { LABEL_OWNER } from '../sandbox/container';

interface Check {
  name: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

async function imagePresent(docker: Docker, name: string): Promise<boolean> {
  return docker
    .getImage(name)
    .inspect()
    .then(() => true)
    .catch(() => false);
}

export async function collectChecks(): Promise<Check[]> {
  const checks: Check[] = [];
  const docker = connectDocker();
  let info: Awaited<ReturnType<Docker['info']>>;
  try {
    info = await docker.info();
    checks.push({ name: 'Docker', state: 'ok', detail: `engine ${info.ServerVersion} at ${dockerSocketDescription()}` });
  } catch (err) {
    checks.push({
      name: 'Docker',
      state: 'fail',
      detail: `not reachable at ${dockerSocketDescription()}: ${describeDockerError(err)}`,
      fix: 'Install and start Docker (`sudo apt-get install docker.io && sudo systemctl start docker`), and make sure this user may use its socket.',
    });
    return checks;
  }

  checks.push({ name: 'cgroups', state: 'ok', detail: `v${info.CgroupVersion ?? '1'} (${info.CgroupDriver} driver)` });
  const security: string[] = info.SecurityOptions ?? [];
  checks.push(
    security.some((s) => s.includes('seccomp'))
      ? { name: 'seccomp', state: 'ok', detail: 'supported by the engine' }
      : {
          name: 'seccomp',
          state: 'fail',
          detail: 'the engine reports no seccomp support',
          fix: 'Use a Docker built with seccomp (Debian/Ubuntu packages are).',
        },
  );
  const runtime = process.env.VERDICT_RUNTIME;
  const runtimes = Object.keys(info.Runtimes ?? {});
  checks.push(
    !runtime || runtimes.includes(runtime)
      ? { name: 'runtime', state: 'ok', detail: runtime ?? `${info.DefaultRuntime} (Docker's default)` }
      : {
          name: 'runtime',
          state: 'fail',
          detail: `VERDICT_RUNTIME=${runtime} is not one of ${runtimes.join(', ')}`,
          fix: `Install and register ${runtime} with Docker, or unset VERDICT_RUNTIME.`,
        },
  );
  const maxUserNs = Number(readProc('/proc/sys/user/max_user_namespaces') ?? '1');
  const unprivClone = readProc('/proc/sys/kernel/unprivileged_userns_clone');
  const apparmorUserns = readProc('/proc/sys/kernel/apparmor_restrict_unprivileged_userns');
  const usernsOk = maxUserNs > 0 && unprivClone !== '0';
  checks.push(
    usernsOk
      ? {
          name: 'user namespaces',
          state: apparmorUserns === '1' ? 'warn' : 'ok',
          detail: apparmorUserns === '1' ? 'AppArmor restricts unprivileged user namespaces' : 'available for inner sandboxes',
          ...(apparmorUserns === '1'
            ? { fix: 'If runs fail with "cannot create the sandbox", run `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`.' }
            : {}),
        }
      : {
          name: 'user namespaces',
          state: 'fail',
          detail: 'disabled in the kernel',
          fix: 'sudo sysctl user.max_user_namespaces=15000 kernel.unprivileged_userns_clone=1',
        },
  );

  const languages = [...loadLanguages().values()];
  const needed = [ROOTFS_IMAGE, BASE_IMAGE, ...new Set(languages.map((l) => imageName(l.image)))];
  const missing: string[] = [];
  for (const image of needed) if (!(await imagePresent(docker, image))) missing.push(image);
  checks.push(
    missing.length === 0
      ? { name: 'images', state: 'ok', detail: `${needed.length} present` }
      : {
          name: 'images',
          state: 'fail',
          detail: `missing: ${missing.join(', ')}`,
          fix: 'Run `verdict images build` (or `npm run images`).',
        },
  );

  if (!missing.includes(BASE_IMAGE)) {
    const runner = await Runner.create({ pool: { idlePerShape: 0, idleTimeoutMs: 0 } });
    try {
      const probes = await probeLanguages(
        runner,
        languages.filter((l) => !missing.includes(imageName(l.image))),
      );
      for (const p of probes)
        checks.push(
          p.usable
            ? { name: `language ${p.id}`, state: 'ok', detail: `${p.name}: ${p.version}` }
            : {
                name: `language ${p.id}`,
                state: 'fail',
                detail: p.problem ?? 'unusable',
                fix: `Rebuild with \`verdict images build ${p.id}\`; if it persists, see the message above.`,
              },
        );
      const features = runner.pool.features;
      if (features) {
        checks.push(
          features.root === 'overlay'
            ? { name: 'sandbox root', state: 'ok', detail: 'built from overlays: no host path or container id is visible to a program' }
            : {
                name: 'sandbox root',
                state: 'warn',
                detail: "bound, not overlaid: host paths show in a program's /proc/self/mountinfo",
                fix: 'Use a kernel of 5.11 or later (overlays in user namespaces).',
              },
          features.memoryMeter
            ? { name: 'memory meter', state: 'ok', detail: "a submission's whole memory is metered (all processes, tmpfs, shared memory)" }
            : {
                name: 'memory meter',
                state: 'warn',
                detail: 'the container has no readable memory cgroup: memory is judged by peak RSS and the hard limit only',
                fix: 'Enable the memory cgroup controller.',
              },
        );
      }
    } finally {
      await runner.close();
    }
  }
  // Other runners' warm pools (a language server, a classroom service) on this engine, and what they hold.
  const containers = await docker.listContainers({ filters: { label: [LABEL_OWNER] } });
  let bytes = 0;
  for (const c of containers) {
    const stats = (await docker
      .getContainer(c.Id)
      .stats({ stream: false, 'one-shot': true } as { stream: false })
      .catch(() => undefined)) as { memory_stats?: { usage?: number } } | undefined;
    bytes += stats?.memory_stats?.usage ?? 0;
  }
  checks.push({
    name: 'warm containers',
    state: 'ok',
    detail: `${containers.length} kept warm for Verdict runners on this engine, using ${(bytes / 1024 / 1024).toFixed(1)} MiB`,
  });
  return checks;
}

export async function runDoctor(json: boolean): Promise<boolean> {
  const checks = await collectChecks();
  if (json) process.stdout.write(JSON.stringify(checks, null, 2) + '\n');
  else
    for (const c of checks) {
      const mark = c.state === 'ok' ? '✔' : c.state === 'warn' ? '!' : '✘';
      process.stdout.write(`${mark} ${c.name.padEnd(20)} ${c.detail}\n`);
      if (c.fix) process.stdout.write(`  ${''.padEnd(20)} fix: ${c.fix}\n`);
    }
  return checks.every((c) => c.state !== 'fail');
}
