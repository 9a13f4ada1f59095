// Isolation: for each control, a hostile program that tries to break it, and a check that it was
// stopped and that the host is unchanged. Real Docker, real images, real sandboxes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Docker from 'dockerode';
import { runSource, show, useRunner, withRunner } from './fixture';

const PRINT_RAN = { language: 'python3', files: [{ name: 'a.py', content: 'print("RAN")' }] };
import { Runner } from '../../runner/engine';
import { ContainerPool } from '../../runner/sandbox/pool';
import { LABEL_HOST, LABEL_OWNER, LABEL_PID, SUPERVISOR_PATH } from '../../runner/sandbox/container';
import { SandboxUnavailable } from '../../runner/errors';
import { loadLanguages, type LanguageDefinition } from '../../runner/languages';
import { imageName } from '../../runner/images/names';

const runner = useRunner();

/**
 * Processes the sandbox user owns on the host, as the host's ps sees them — but for those inside
 * another runner's containers (others may be using Docker on this machine meanwhile). A process in
 * none of Docker's containers, or in one of ours, always counts.
 */
async function hostProcessesOfSandboxUser(): Promise<string[]> {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const ours = (await execa('docker', ['ps', '-q', '--no-trunc', '--filter', `label=${LABEL_PID}=${process.pid}`])).stdout;
  const othersContainer = (pid: string) => {
    try {
      const id = /docker[/-]([0-9a-f]{64})/.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))?.[1];
      return id !== undefined && !ours.includes(id);
    } catch {
      return false; // gone meanwhile
    }
  };
  try {
    const lines = (await execa('ps', ['-o', 'pid=,args=', '-u', '10001'])).stdout.trim().split('\n').filter(Boolean);
    return lines.filter((line) => !othersContainer(line.trim().split(/\s+/)[0]!));
  } catch {
    return []; // ps exits 1 when there are none
  }
}

test('isolation: no network — a listener on the host loopback is never reached', async () => {
  let connections = 0;
  const server: Server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await runSource(
      runner(),
      'python3',
      `import socket
# (if_nameindex needs AF_NETLINK, which the sandbox refuses: the kernel's own table is read instead)
print(sorted(line.split(":")[0].strip() for line in open("/proc/net/dev").read().splitlines()[2:]))
for host in ["127.0.0.1", "localhost"]:
    try:
        socket.create_connection((host, ${port}), timeout=2)
        print("CONNECTED", host)
    except OSError as e:
        print("refused", host, type(e).__name__)
try:
    socket.getaddrinfo("example.com", 80)
    print("DNS-RESOLVED")
except OSError as e:
    print("no dns")
`,
    );
    assert.equal(r.status, 'Accepted', show(r));
    assert.doesNotMatch(r.stdout, /CONNECTED|DNS-RESOLVED/, show(r));
    assert.match(r.stdout, /^\['lo'\]$/m, 'only a loopback interface of its own');
    assert.equal(connections, 0, 'the host listener saw no connection');
  } finally {
    server.close();
  }
});

test('isolation: nothing of an earlier run’s network use reaches the next run in the same container', async () => {
  // Exec sandboxes share one network namespace while none uses it (supervisor/net.c): a run that
  // opens sockets, leaves one closing and moves the counters must leave the next run a namespace as
  // it was before, with the counters, socket counts and sockets of a clean one.
  const { spec, language } = runner().parseSpec({ language: 'python3', files: [{ name: 'a.py', content: '' }] });
  const lease = await runner().open(spec, language);
  try {
    const python = async (code: string) => {
      const exec = await lease.execute(lease.step(['python3', '-c', code], { ...spec.limits, boxWritable: false }), '');
      assert.equal(exec.exitCode, 0, exec.stderr.toString());
      return exec.stdout.toString();
    };
    const look = `import os
print(os.stat("/proc/self/ns/net").st_ino)
for f in ["snmp", "netstat", "sockstat", "sockstat6", "dev", "tcp", "tcp6", "udp", "unix"]:
    text = open("/proc/net/" + f).read()
    if f == "sockstat":  # the kernel-wide counts (orphan, alloc, mem) are not the namespace's
        text = " ".join(w if not w.isdigit() or p not in ("orphan", "alloc", "mem") else "#" for p, w in zip([""] + text.split(), text.split()))
    print(f, text)`;
    const before = (await python(look)).split('\n');
    assert.equal((await python(look)).split('\n')[0], before[0], 'an unused namespace is kept for the next run');
    const noise = await python(`import socket, os
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for port in range(9, 19):
    try: s.sendto(b"x", ("127.0.0.1", port))
    except OSError: pass
t = socket.socket()
t.bind(("127.0.0.1", 5000)); t.listen(5)
u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); u.bind("\\0verdict-left-behind")
if os.fork() == 0:  # a child that outlives the program: killed with it
    os.setsid(); import time; time.sleep(30)
print("noisy")`);
    assert.match(noise, /noisy/);
    const after = (await python(look)).split('\n');
    assert.notEqual(after[0], before[0], 'a used namespace is replaced');
    assert.deepEqual(after.slice(1), before.slice(1), 'the next run sees a clean namespace: counters, socket counts, no sockets');
  } finally {
    await lease.release();
  }
});

test('isolation: read-only root — system paths and /box cannot be written, only /tmp', async () => {
  const r = await runSource(
    runner(),
    'python3',
    `import os
for path in ["/etc/verdict-escape", "/usr/bin/verdict-escape", "/box/verdict-escape", "/verdict-escape", "/var/verdict-escape", "/dev/verdict-escape", "/proc/verdict-escape"]:
    try:
        open(path, "w").write("x")
        print("WROTE", path)
    except OSError as e:
        print("denied", path, e.errno)
open("/tmp/ok", "w").write("fine")
print("tmp", open("/tmp/ok").read(), os.getcwd())
`,
  );
  assert.equal(r.status, 'Accepted', show(r));
  assert.doesNotMatch(r.stdout, /WROTE/, show(r));
  assert.match(r.stdout, /tmp fine \/tmp/);
  for (const p of ['/etc/verdict-escape', '/usr/bin/verdict-escape', '/verdict-escape']) assert.equal(existsSync(p), false, `host ${p}`);
});

test('isolation: disk — the tmpfs is size-limited and file size is capped', async () => {
  const r = await runSource(
    runner(),
    'python3',
    `import os
written = 0
try:
    with open("/tmp/fill", "wb") as f:
        while True:
            f.write(b"x" * (1 << 20)); f.flush(); written += 1
except OSError as e:
    print("stopped", e.errno, written)
`,
    { limits: { diskMb: 16 } },
  );
  assert.equal(r.status, 'Accepted', show(r));
  const [, errno, mb] = /stopped (\d+) (\d+)/.exec(r.stdout) ?? [];
  assert.ok(errno === '27' || errno === '28', `EFBIG or ENOSPC, got ${show(r)}`);
  assert.ok(Number(mb) <= 16, `wrote ${mb} MiB into a 16 MiB disk`);
});

test('isolation: unprivileged user — uid 10001, cannot become root', async () => {
  const r = await runSource(
    runner(),
    'python3',
    `import os
print("uid", os.getuid(), os.geteuid(), os.getgid())
for f in (lambda: os.setuid(0), lambda: os.setgid(0), lambda: os.chown("/tmp", 0, 0)):
    try:
        f(); print("ROOT")
    except OSError as e:
        print("denied", e.errno)
`,
  );
  assert.equal(r.status, 'Accepted', show(r));
  assert.match(r.stdout, /^uid 10001 10001 10001$/m, show(r));
  assert.doesNotMatch(r.stdout, /ROOT/, show(r));
});

test('isolation: no capabilities, no-new-privileges and two seccomp filters on the program', async () => {
  const r = await runSource(runner(), 'python3', 'print(open("/proc/self/status").read())');
  assert.equal(r.status, 'Accepted', show(r));
  for (const cap of ['CapInh', 'CapPrm', 'CapEff', 'CapAmb']) assert.match(r.stdout, new RegExp(`^${cap}:\\s+0{16}$`, 'm'), cap);
  assert.match(r.stdout, /^NoNewPrivs:\s+1$/m);
  assert.match(r.stdout, /^Seccomp:\s+2$/m);
  assert.match(r.stdout, /^Seccomp_filters:\s+2$/m, "the container's filter and the supervisor's stricter one");
});

test('isolation: seccomp denies namespaces, mounts, ptrace, keyrings, bpf, perf, userfaultfd, io_uring, kexec, modules', async () => {
  const r = await runSource(
    runner(),
    'c',
    `#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
static void report(const char *name, long rc) {
  printf("%s %s\\n", name, rc >= 0 ? "ALLOWED" : errno == EPERM ? "EPERM" : errno == ENOSYS ? "ENOSYS" : strerror(errno));
  if (rc == 0 && strncmp(name, "clone", 5) == 0 && getpid() == 1) _exit(0);
}
int main(void) {
  char buf[8]; struct iovec l = {buf, 8}, rm = {buf, 8};
  report("ptrace", ptrace(PTRACE_TRACEME, 0, 0, 0));
  report("unshare_user", unshare(CLONE_NEWUSER));
  report("unshare_mount", unshare(CLONE_NEWNS));
  report("unshare_net", unshare(CLONE_NEWNET));
  report("setns", syscall(SYS_setns, 0, 0));
  report("clone_newuser", syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
  report("clone_newpid", syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0));
  report("clone3", syscall(SYS_clone3, 0, 0));
  report("mount", mount("tmpfs", "/tmp", "tmpfs", 0, 0));
  report("umount2", umount2("/proc", MNT_DETACH));
  report("pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp"));
  report("chroot", chroot("/tmp"));
  report("keyctl", syscall(SYS_keyctl, 0, -3, 0));
  report("add_key", syscall(SYS_add_key, "user", "k", "v", 1, -3));
  report("request_key", syscall(SYS_request_key, "user", "k", 0, 0));
  report("bpf", syscall(SYS_bpf, 0, 0, 0));
  report("perf_event_open", syscall(SYS_perf_event_open, 0, 0, -1, -1, 0));
  report("userfaultfd", syscall(SYS_userfaultfd, 0));
  report("io_uring_setup", syscall(SYS_io_uring_setup, 1, 0));
  report("kexec_load", syscall(SYS_kexec_load, 0, 0, 0, 0));
  report("init_module", syscall(SYS_init_module, 0, 0, ""));
  report("process_vm_readv", syscall(SYS_process_vm_readv, getppid(), &l, 1, &rm, 1, 0));
  report("sethostname", sethostname("x", 1));
  return 0;
}
`,
  );
  assert.equal(r.status, 'Accepted', show(r));
  const results = Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
  const expected: Record<string, string> = {
    ptrace: 'EPERM',
    unshare_user: 'EPERM',
    unshare_mount: 'EPERM',
    unshare_net: 'EPERM',
    setns: 'EPERM',
    clone_newuser: 'EPERM',
    clone_newpid: 'EPERM',
    clone3: 'ENOSYS',
    mount: 'EPERM',
    umount2: 'EPERM',
    pivot_root: 'EPERM',
    chroot: 'EPERM',
    keyctl: 'EPERM',
    add_key: 'EPERM',
    request_key: 'EPERM',
    bpf: 'EPERM',
    perf_event_open: 'EPERM',
    userfaultfd: 'EPERM',
    io_uring_setup: 'ENOSYS',
    kexec_load: 'EPERM',
    init_module: 'EPERM',
    process_vm_readv: 'EPERM',
    sethostname: 'EPERM',
  };
  assert.deepEqual(results, expected, show(r));
});

test('isolation: pids limit — a fork bomb is contained and leaves no process behind', async () => {
  const r = await runSource(runner(), 'c', '#include <unistd.h>\nint main(void) { for (;;) fork(); }\n', {
    limits: { processes: 16, cpuMs: 1000, wallMs: 2000 },
  });
  assert.ok(['Time Limit Exceeded', 'Runtime Error'].includes(r.status), show(r));
  const after = await runSource(runner(), 'python3', 'print("alive")');
  assert.equal(after.stdout, 'alive\n', 'the runner serves the next submission');
  // Only warm containers' own supervisors remain, one in each of our containers (a sandbox init left
  // behind would show as one more); nothing else of the sandbox user.
  const { execa } = await import('execa');
  const containers = (await execa('docker', ['ps', '-q', '--filter', `label=${LABEL_PID}=${process.pid}`])).stdout
    .split('\n')
    .filter(Boolean);
  const left = await hostProcessesOfSandboxUser();
  const supervisors = left.filter((line) => line.trim().split(/\s+/)[1] === SUPERVISOR_PATH);
  assert.equal(left.length, supervisors.length, left.join('\n'));
  assert.ok(supervisors.length <= containers.length, `${left.join('\n')}\n(${containers.length} containers)`);
});

test('isolation: CPU quota — two spinning threads get one CPU between them', async () => {
  const r = await runSource(
    runner(),
    'c',
    `#include <pthread.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void *spin(void *arg) { double end = now() + 1.0; while (now() < end) {} return arg; }
int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, spin, 0);
  for (int i = 0; i < 2; i++) pthread_join(t[i], 0);
  return 0;
}
`,
    { limits: { cpuMs: 5000 } },
  );
  assert.equal(r.status, 'Accepted', show(r));
  // On this 2-core machine, without the quota the two threads would use ~2000 ms of CPU in ~1 s.
  assert.ok(r.timeMs < 1400, `CPU time ${r.timeMs} ms in ${r.wallMs} ms of wall time`);
});

test('isolation: ulimits — open files capped, core dumps off, file size capped', async () => {
  const r = await runSource(
    runner(),
    'python3',
    `import resource
files = []
try:
    while True: files.append(open("/dev/null"))
except OSError as e:
    print("files", len(files), e.errno)
print("core", resource.getrlimit(resource.RLIMIT_CORE))
print("fsize", resource.getrlimit(resource.RLIMIT_FSIZE))
print("nproc", resource.getrlimit(resource.RLIMIT_NPROC))
`,
    { limits: { openFiles: 32, diskMb: 8, processes: 20 } },
  );
  assert.equal(r.status, 'Accepted', show(r));
  assert.match(r.stdout, /^files 29 24$/m, 'EMFILE after 32 descriptors (3 are stdio)');
  assert.match(r.stdout, /^core \(0, 0\)$/m);
  assert.match(r.stdout, new RegExp(`^fsize \\(${8 * 1024 * 1024}, ${8 * 1024 * 1024}\\)$`, 'm'));
  assert.match(r.stdout, /^nproc \(20, 20\)$/m);
});

test('isolation: init reaps orphans and the sandbox dies with the program — daemons do not survive', async () => {
  const r = await runSource(
    runner(),
    'python3',
    `import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(60)
    os._exit(0)
print("parent done")
`,
  );
  assert.equal(r.status, 'Accepted', show(r));
  assert.ok(r.wallMs < 2000, `the run did not wait for the daemon: ${r.wallMs} ms`);
  const next = await runSource(runner(), 'python3', 'import os\nprint(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))');
  assert.match(next.stdout, /^\[1, 2\]$/m, `only the sandbox init and the program itself: ${next.stdout}`);
  const docker = new Docker();
  for (const info of await docker.listContainers({ filters: { label: [`${LABEL_OWNER}=${runner().pool.owner}`] } })) {
    const top = await docker
      .getContainer(info.Id)
      .top()
      .catch(() => null); // a recycled one may be gone already
    if (!top) continue;
    assert.ok((top.Processes ?? []).length <= 2, `idle container runs only init and the supervisor: ${JSON.stringify(top.Processes)}`);
  }
});

test('isolation: minimal environment — no host variable leaks in', async () => {
  process.env.VERDICT_HOST_SECRET = 'hunter2';
  try {
    const r = await runSource(runner(), 'python3', 'import os\nprint(sorted(os.environ.items()))');
    assert.equal(r.status, 'Accepted', show(r));
    assert.doesNotMatch(r.stdout, /hunter2|VERDICT_HOST_SECRET/);
    const keys = [...r.stdout.matchAll(/\('(\w+)'/g)].map((m) => m[1]);
    const languageEnv = Object.keys(loadLanguages().get('python3')!.env);
    assert.deepEqual(keys, ['HOME', 'LANG', 'PATH', 'TMPDIR', ...languageEnv].sort());
  } finally {
    delete process.env.VERDICT_HOST_SECRET;
  }
});

test('isolation: fresh file system per submission — nothing one run writes is seen by the next', async () => {
  const first = await runSource(runner(), 'python3', 'open("/tmp/secret", "w").write("from run 1")\nimport os\nprint(os.listdir("/box"))', {
    name: 'first.py',
  });
  assert.equal(first.status, 'Accepted', show(first));
  const second = await runSource(
    runner(),
    'python3',
    'import os\nprint(os.path.exists("/tmp/secret"), os.listdir("/tmp"), os.listdir("/box"))',
    { name: 'second.py' },
  );
  assert.equal(second.stdout, "False [] ['main.py']\n", show(second));
});

test('isolation: a new pid namespace and hostname — the program sees no other process', async () => {
  const r = await runSource(runner(), 'python3', 'import os, socket\nprint(socket.gethostname(), os.getpid(), os.getppid())');
  assert.equal(r.stdout, 'verdict 2 1\n', show(r));
});

test('isolation: containers are labelled, removed on close, and leftovers of dead runners are reaped', async () => {
  const docker = new Docker();
  const own = await Runner.create({ pool: { idlePerShape: 1 } });
  const r = await own.run({ language: 'python3', files: [{ name: 'a.py', content: 'print(1)' }] });
  assert.equal(r.status, 'Accepted', show(r));
  const mine = () => docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${own.pool.owner}`] } });
  assert.ok((await mine()).length >= 1, 'the warm container carries the owner label');
  await own.close();
  assert.equal((await mine()).length, 0, 'close() removes every container the runner made');

  // A container left by a runner process that no longer exists on this host.
  const leftover = await docker.createContainer({
    Image: imageName('python3'),
    Cmd: ['true'],
    Labels: { [LABEL_OWNER]: 'crashed-runner', [LABEL_PID]: '999999999', [LABEL_HOST]: hostname() },
  });
  const reaped = await ContainerPool.reapLeftovers(docker);
  assert.ok(reaped >= 1);
  await assert.rejects(leftover.inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
});

test('fail closed: Docker unreachable is SandboxUnavailable with what to do', async () => {
  await assert.rejects(
    Runner.create({ docker: new Docker({ socketPath: '/nonexistent/docker.sock' }) }),
    (e: Error) => e instanceof SandboxUnavailable && /not reachable/.test(e.message) && /verdict doctor/.test(e.message),
  );
});

test('fail closed: a missing image is Internal Error telling how to build it', async () => {
  const languages = new Map(loadLanguages());
  const python = languages.get('python3')!;
  const ghost: LanguageDefinition = { ...python, id: 'ghost', image: 'no-such-image-anywhere' };
  languages.set('ghost', ghost);
  const r = await withRunner({ languages }, (own) => own.run({ language: 'ghost', files: [{ name: 'a.py', content: 'print(1)' }] }));
  assert.equal(r.status, 'Internal Error');
  assert.match(r.message!, /verdict images build ghost/);
  assert.match(r.message!, new RegExp(r.runId), 'the error carries the run id');
});

test('fail closed: a seccomp profile Docker rejects is Internal Error, and nothing runs', async () => {
  const r = await withRunner({ seccompProfile: '{"defaultAction": "SCMP_ACT_NO_SUCH_ACTION"}' }, (own) => own.run(PRINT_RAN));
  assert.equal(r.status, 'Internal Error', show(r));
  assert.equal(r.stdout, '');
  assert.match(r.message!, /seccomp|could not/i);
});

test('runtime: the container runtime is a setting passed through to Docker', async () => {
  const bogus = await withRunner({ runtime: 'verdict-no-such-runtime' }, (own) => own.run(PRINT_RAN));
  assert.equal(bogus.status, 'Internal Error', show(bogus));
  assert.match(bogus.message!, /runtime/i);
  const runc = await withRunner({ runtime: 'runc' }, (own) => own.run(PRINT_RAN));
  assert.equal(runc.stdout, 'RAN\n', show(runc));
});

/** `ls -A /box` in a sandbox of the container: what the box holds. */
const listBox = (c: Awaited<ReturnType<ContainerPool['acquire']>>, extra: Array<[string, string | number]> = []) =>
  c.request(
    [
      ['op', 'exec'],
      ['arg', 'ls'],
      ['arg', '-A'],
      ['arg', '/box'],
      ['env', 'PATH=/usr/bin:/bin'],
      ['box', 'ro'],
      ['cwd', '/tmp'],
      ...extra,
    ],
    10_000,
  );

/** A Python container shape for the pool tests. */
const PYTHON_SHAPE = {
  image: imageName('python3'),
  language: 'python3',
  memoryBytes: 512 * 1024 * 1024,
  pids: 80,
  tmpBytes: 256 * 1024 * 1024,
  nanoCpus: 1e9,
};

test('pool: an exec with files puts them in an emptied box, empty_after empties it before the reply whatever happened, and only then is the reset skipped', async () => {
  const docker = new Docker();
  const pool = new ContainerPool(docker, `test-pool-files-${process.pid}`, { maxUses: 10, maxBusy: 1, idlePerShape: 1, idleTimeoutMs: 0 });
  const shape = PYTHON_SHAPE;

  try {
    const c = await pool.acquire(shape);
    assert.ok(c.features.execFiles, 'this supervisor speaks protocol 5');
    assert.ok(c.boxesEmpty, 'a new container says its boxes are empty');
    const put = await c.request(
      [
        ['op', 'put'],
        ['path', 'left-behind'],
        ['data', 'x'],
      ],
      5000,
    );
    assert.equal(put.text('clean'), '', 'a put leaves the box in use');
    assert.equal(c.boxesEmpty, false);
    const run = await listBox(c, [
      ['path', 'a.py'],
      ['data', 'print(1)'],
      ['path', 'dir/b.txt'],
      ['data', 'b'],
      ['empty_after', 1],
    ]);
    assert.equal(run.text('stdout'), 'a.py\ndir\n', 'the files are put in an emptied box: nothing left behind');
    assert.equal(run.text('clean'), '1', 'emptied before the reply');
    assert.ok(c.boxesEmpty);
    assert.equal((await listBox(c)).text('stdout'), '', 'the box is empty after empty_after');
    const failed = await c.request(
      [
        ['op', 'exec'],
        ['arg', '/no/such/program'],
        ['box', 'ro'],
        ['path', 'secret'],
        ['data', 's'],
        ['empty_after', 1],
      ],
      10_000,
    );
    assert.equal(failed.text('clean'), '1', 'emptied even when the program cannot start');
    assert.equal((await listBox(c)).text('stdout'), '');
    const unknown = await c.request(
      [
        ['op', 'exec'],
        ['arg', 'true'],
        ['boxdir', 'nope'],
        ['path', 'x'],
        ['data', 'x'],
        ['empty_after', 1],
      ],
      10_000,
    );
    assert.equal(unknown.text('status'), 'error');
    // An exec without empty_after leaves the box in use: the pool resets it before the next submission.
    await listBox(c, [
      ['path', 'kept'],
      ['data', 'k'],
    ]);
    assert.equal(c.boxesEmpty, false);
    await pool.release(c, true);
    const again = await pool.acquire(shape);
    assert.equal(again, c);
    assert.equal((await listBox(again)).text('stdout'), '', 'the reset emptied what the last exec left');
    await pool.release(again, true);
  } finally {
    await pool.close();
  }
});

test('pool: a container is reused only after a reset, replaced after maxUses, and at once after an anomaly', async () => {
  const docker = new Docker();
  const pool = new ContainerPool(docker, `test-pool-${process.pid}`, { maxUses: 2, maxBusy: 1, idlePerShape: 1, idleTimeoutMs: 0 });
  const shape = PYTHON_SHAPE;
  try {
    const first = await pool.acquire(shape);
    await first.request(
      [
        ['op', 'put'],
        ['path', 'left-behind'],
        ['data', 'x'],
      ],
      5000,
    );
    await pool.release(first, true);
    const second = await pool.acquire(shape);
    assert.equal(second, first, 'a clean container is reused');
    const listing = await listBox(second);
    assert.equal(listing.text('stdout'), '', 'the reset emptied the box');
    await pool.release(second, true);
    const third = await pool.acquire(shape);
    assert.notEqual(third, first, 'replaced after maxUses submissions');
    assert.equal(first.alive, false);
    await pool.release(third, false);
    assert.equal(third.alive, false, 'an anomaly destroys the container at once');
    const fourth = await pool.acquire(shape);
    assert.notEqual(fourth, third);
    await pool.release(fourth, true);
  } finally {
    await pool.close();
  }
  assert.equal((await docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=test-pool-${process.pid}`] } })).length, 0);
});
