/* One inner sandbox: its init (namespaces, mounts, the program, the accounting of every process)
 * and the supervisor's side of it (spawn, stop, report), with the memory meter. */
#include "supervisor.h"

long cpu_count = 4096;

void count_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_CONF); /* configured, online or not: a bound on parallelism */
  if (n >= 1) cpu_count = n;
}

int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static __attribute__((noreturn)) void setup_fail(int report_fd, const char *what) {
  struct report r = {0};
  r.setup_failed = 1;
  snprintf(r.message, sizeof r.message, "%s: %s", what, strerror(errno));
  write_all_fd(report_fd, &r, sizeof r);
  _exit(1);
}

/* What a fresh /proc would tell about the host, hidden as Docker hides it: files become /dev/null,
 * directories an empty read-only directory. The kernel command line is among them. */
static void mask_proc(const char *proc) {
  static const char *files[] = {"cmdline", "kcore", "keys", "timer_list", "sched_debug", "latency_stats", "sysrq-trigger", "config.gz", "kallsyms"};
  static const char *dirs[] = {"acpi", "asound", "scsi", "driver", "irq", "bus", "fs", "tty"};
  char path[PATH_MAX + 64];
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    snprintf(path, sizeof path, "%s/%s", proc, files[i]);
    mount("/dev/null", path, NULL, MS_BIND, NULL); /* ENOENT: not on this kernel, nothing to hide */
  }
  /* Directories: a bind of the sandbox root's empty /run, read-only with the root's own superblock —
   * one bind each, where an empty tmpfs each was a file system to make and to tear down in every run. */
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
    snprintf(path, sizeof path, "%s/%s", proc, dirs[i]);
    mount(ROOT_DIR "/run", path, NULL, MS_BIND, NULL);
  }
}

static int64_t timeval_us(struct timeval tv) { return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec; }

/* CPU time of the processes this init has reaped, and through them everything they reaped. */
static int64_t reaped_cpu_us(long *maxrss) {
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  if (maxrss) *maxrss = ru.ru_maxrss;
  return timeval_us(ru.ru_utime) + timeval_us(ru.ru_stime);
}

/* CPU time of the live processes of this pid namespace (what /proc shows us is exactly them), each with
 * what it has reaped itself. In clock ticks: precise enough to stop a submission at its limit; the
 * reported figure comes from rusage once all are reaped. */
static int64_t live_cpu_us(void) {
  static long ticks_per_s;
  if (!ticks_per_s) ticks_per_s = sysconf(_SC_CLK_TCK);
  DIR *d = opendir("/proc");
  if (!d) return 0;
  int64_t ticks = 0;
  struct dirent *e;
  char path[300], buf[1024];
  while ((e = readdir(d))) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9' || !strcmp(e->d_name, "1")) continue;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* the command name may hold anything, even ')' */
    unsigned long long ut, st;
    long long cut, cst;
    if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld", &ut, &st, &cut, &cst) == 4)
      ticks += (int64_t)(ut + st) + cut + cst;
  }
  closedir(d);
  return ticks * 1000000 / ticks_per_s;
}

/* Frees what a submission holds beyond its processes, now rather than later: the kernel frees a dead
 * IPC namespace's SysV segments and a dead mount namespace's tmpfs from a work queue, and memory still
 * held then would be measured as the next submission's starting point. */
static void release_memory(void) {
  struct shm_info info;
  int max = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);
  for (int i = 0; i <= max; i++) {
    struct shmid_ds ds;
    int id = shmctl(i, SHM_STAT_ANY, &ds);
    if (id >= 0) shmctl(id, IPC_RMID, NULL);
  }
  if (umount2("/tmp", 0) != 0) umount2("/tmp", MNT_DETACH);
}

/* Runs as pid 1 of the new namespaces: builds the file system view, forks the program, then watches
 * the whole submission: its CPU time (every process, reaped or not) against the limit, and a stop
 * request from the supervisor on ctl_fd (or the supervisor's end). When the program ends, or the
 * submission is stopped, everything left is killed and reaped, so the report counts all of it. */
static __attribute__((noreturn)) void sandbox_init(struct exec_request *rq, int report_fd, int ctl_fd, int out_fd, int err_fd,
                                                   uid_t uid, gid_t gid) {
  char buf[128], path[PATH_MAX];
  prctl(PR_SET_PDEATHSIG, SIGKILL);

  if (map_self(uid, gid) != 0) setup_fail(report_fd, "map the user");
  prctl(PR_SET_DUMPABLE, 0); /* from here on the program may not open our /proc entries (report_fd) */

  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) setup_fail(report_fd, "make / private");
  /* The prepared root came from the supervisor's namespace, so it is locked here: pivot into a bind of it. */
  if (mount(ROOT_DIR, ROOT_DIR, NULL, MS_BIND | MS_REC, NULL) != 0) setup_fail(report_fd, "bind the root");

  snprintf(path, sizeof path, "%s/box", ROOT_DIR);
  if (mount(rq->box, path, NULL, MS_BIND, NULL) != 0) setup_fail(report_fd, "bind /box");
  if (!rq->box_writable && remount_readonly(path) != 0) setup_fail(report_fd, "remount /box read-only");

  snprintf(path, sizeof path, "%s/tmp", ROOT_DIR);
  snprintf(buf, sizeof buf, "size=%lldk,mode=1777,nr_inodes=16384", rq->tmp_kb);
  if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, buf) != 0) setup_fail(report_fd, "tmpfs /tmp");

  /* /dev comes with the root: prepared once, read-only (root.c). */
  snprintf(path, sizeof path, "%s/proc", ROOT_DIR);
  if (mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) setup_fail(report_fd, "mount /proc");
  mask_proc(path);

  if (chdir(ROOT_DIR) != 0) setup_fail(report_fd, "chdir new root");
  if (syscall(SYS_pivot_root, ".", ".") != 0) setup_fail(report_fd, "pivot_root");
  if (umount2(".", MNT_DETACH) != 0) setup_fail(report_fd, "detach old root");
  if (chdir(rq->cwd) != 0) setup_fail(report_fd, "chdir to the working directory");
  sethostname("verdict", 7);

  sigset_t chld, none;
  sigemptyset(&chld);
  sigemptyset(&none);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL); /* SIGCHLD is waited for with sigtimedwait */

  int64_t started = now_us();
  pid_t prog = fork();
  if (prog < 0) setup_fail(report_fd, "fork program");
  if (prog == 0) {
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    if (dup2(rq->stdin_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(126);
    syscall(SYS_close_range, 3, ~0U, 0);
    struct rlimit rl;
    long long cpu_s = (rq->cpu_ms + 999) / 1000 + 1; /* a backstop: the init enforces the exact limit */
    rl.rlim_cur = cpu_s, rl.rlim_max = cpu_s + 1;
    setrlimit(RLIMIT_CPU, &rl);
    rl.rlim_cur = rl.rlim_max = rq->nproc;
    setrlimit(RLIMIT_NPROC, &rl);
    rl.rlim_cur = rl.rlim_max = rq->nofile;
    setrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max = rq->fsize;
    setrlimit(RLIMIT_FSIZE, &rl);
    rl.rlim_cur = rl.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &rl);
    rl.rlim_cur = rl.rlim_max = rq->stack_kb > 0 ? (rlim_t)rq->stack_kb * 1024 : RLIM_INFINITY;
    setrlimit(RLIMIT_STACK, &rl);
    if (rq->address_space_kb > 0) {
      rl.rlim_cur = rl.rlim_max = (rlim_t)rq->address_space_kb * 1024;
      setrlimit(RLIMIT_AS, &rl);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &user_filter_bpf) != 0) {
      dprintf(2, "verdict: cannot load the seccomp filter\n");
      _exit(126);
    }
    execvpe(rq->argv[0], rq->argv, rq->envp);
    dprintf(2, "verdict: cannot execute %s: %s\n", rq->argv[0], strerror(errno));
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  close(rq->stdin_fd);

  struct report r = {0};
  int status = 0, ended = 0;
  int64_t limit_us = rq->cpu_ms * 1000;
  for (;;) {
    int st;
    pid_t p;
    while ((p = waitpid(-1, &st, WNOHANG)) > 0)
      if (p == prog) status = st, ended = 1;
    if (ended || (p < 0 && errno == ECHILD)) break;
    /* Not before the first tick: most programs are over by then, and reading /proc costs. Nor before
     * the submission could have used its limit on every CPU of the machine at once (its processes all
     * started after `started`): 1 s of a 2 s limit with two CPUs. After that, at every wake-up (a
     * tick, or a child's exit), as ever. */
    int64_t ran_us = now_us() - started;
    if (ran_us >= TICK_MS * 1000 && ran_us * cpu_count > limit_us && reaped_cpu_us(NULL) + live_cpu_us() > limit_us) {
      r.cpu_killed = 1;
      break;
    }
    char c;
    if (read(ctl_fd, &c, 1) >= 0) break; /* a stop request, or the supervisor is gone (EOF) */
    struct timespec tick = {0, TICK_MS * 1000000L};
    sigtimedwait(&chld, NULL, &tick);
  }
  r.wall_us = now_us() - started;
  kill(-1, SIGKILL); /* every process of the submission but us: daemons, orphans, the program if still there */
  for (;;) {
    int st;
    pid_t p = waitpid(-1, &st, 0);
    if (p < 0 && errno == EINTR) continue;
    if (p < 0) break;
    if (p == prog && !ended) status = st, ended = 1;
  }
  release_memory();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  long maxrss = 0;
  r.cpu_us = reaped_cpu_us(&maxrss);
  r.rss_kb = maxrss;
  write_all_fd(report_fd, &r, sizeof r);
  _exit(0);
}

/* A cloned sandbox init must hold no descriptor but its own: a stray copy of another sandbox's pipe
 * end (interact creates both sandboxes' pipes up front) would keep that pipe from ever reaching EOF. */
static void close_fds_except(int *keep, int n) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
      int t = keep[j];
      keep[j] = keep[j - 1];
      keep[j - 1] = t;
    }
  unsigned lo = 3;
  for (int i = 0; i < n; i++) {
    if ((unsigned)keep[i] > lo) syscall(SYS_close_range, lo, (unsigned)keep[i] - 1, 0);
    if ((unsigned)keep[i] + 1 > lo) lo = (unsigned)keep[i] + 1;
  }
  syscall(SYS_close_range, lo, ~0U, 0);
}

/* Starts a sandbox whose program reads stdin_fd and writes out_fd/err_fd (all closed here); with
 * own_net in a network namespace of its own, else in the one exec sandboxes share while unused (net.c). */
int sandbox_spawn(struct exec_request *rq, int stdin_fd, int out_fd, int err_fd, int own_net, struct sandbox *sb) {
  int repp[2], ctlp[2];
  memset(sb, 0, sizeof *sb);
  sb->limit = "none";
  if (pipe2(repp, O_CLOEXEC) != 0) return -1;
  if (pipe2(ctlp, O_CLOEXEC | O_NONBLOCK) != 0) {
    close(repp[0]);
    close(repp[1]);
    return -1;
  }
  uid_t uid = getuid();
  gid_t gid = getgid();
  rq->stdin_fd = stdin_fd;
  sb->cpu_start = -1;
  sb->started = now_us();
  int net = own_net ? CLONE_NEWNET : net_for_sandbox();
  fflush(NULL);
  pid_t init = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | net | CLONE_NEWIPC | CLONE_NEWUTS |
                                             CLONE_NEWCGROUP | SIGCHLD,
                              NULL, NULL, NULL, NULL);
  if (init == 0) {
    int keep[] = {repp[1], ctlp[0], stdin_fd, out_fd, err_fd};
    close_fds_except(keep, 5);
    sandbox_init(rq, repp[1], ctlp[0], out_fd, err_fd, uid, gid);
  }
  int saved = errno;
  close(repp[1]);
  close(ctlp[0]);
  close(stdin_fd);
  close(out_fd);
  close(err_fd);
  if (init < 0) {
    close(repp[0]);
    close(ctlp[1]);
    errno = saved;
    return -1;
  }
  sb->init = init;
  sb->rep_fd = repp[0];
  sb->ctl_fd = ctlp[1];
  return 0;
}

/* Asks the sandbox's init to stop the submission: it kills and reaps every process and still reports
 * what they used. An init that has not reported STOP_GRACE_MS later is killed outright. */
void sandbox_stop(struct sandbox *sb, const char *limit) {
  if (sb->killed) return;
  if (write(sb->ctl_fd, "x", 1) != 1) kill(sb->init, SIGKILL);
  sb->killed = 1;
  sb->stop_at = now_us();
  sb->limit = limit;
}

void sandbox_read_report(struct sandbox *sb) {
  ssize_t got = read(sb->rep_fd, (char *)&sb->r + sb->rlen, sizeof sb->r - sb->rlen);
  if (got > 0) sb->rlen += (size_t)got;
  if (got <= 0 || sb->rlen == sizeof sb->r) {
    close(sb->rep_fd);
    sb->rep_fd = -1;
    sb->done = 1;
  }
}

/* Ends the sandbox: its init, if it has not reported, is killed. Returns its setup error message, or
 * NULL when it ran. Once an init has reported, every process of its submission is gone and it only
 * exits: sandbox_reap waits for that, after the reply (its namespaces' teardown is not the runner's wait). */
const char *sandbox_finish(struct sandbox *sb) {
  if (sb->rep_fd >= 0) close(sb->rep_fd), sb->rep_fd = -1;
  if (sb->ctl_fd >= 0) close(sb->ctl_fd), sb->ctl_fd = -1;
  if (!sb->done) {
    kill(sb->init, SIGKILL);
    sandbox_reap(sb); /* nothing of it may outlive the reply */
  }
  if (sb->rlen == sizeof sb->r && sb->r.setup_failed) {
    sb->r.message[sizeof sb->r.message - 1] = 0;
    return sb->r.message;
  }
  return NULL;
}

void sandbox_reap(struct sandbox *sb) {
  int st;
  if (sb->init <= 0) return;
  while (waitpid(sb->init, &st, 0) < 0 && errno == EINTR) {
  }
  sb->init = 0;
}

void out_sandbox(const char *prefix, struct sandbox *sb, long long cpu_fallback_us) {
  char key[32];
  int have = sb->rlen == sizeof sb->r;
#define K(name) (snprintf(key, sizeof key, "%s%s", prefix, name), key)
  out_num(K("exit"), have ? sb->r.exit_code : -1);
  out_num(K("signal"), have ? sb->r.signal : SIGKILL);
  /* Killed before its init could report: the container's CPU counter is the best figure left. */
  out_num(K("cpu_us"), have ? sb->r.cpu_us : cpu_fallback_us);
  /* Stopped at the wall limit: the time that limit was measured on (ours, from before the sandbox was
   * made), so the figure is never below the limit it broke. */
  int64_t wall = have ? sb->r.wall_us : now_us() - sb->started;
  if (!strcmp(sb->limit, "wall") && sb->stop_at - sb->started > wall) wall = sb->stop_at - sb->started;
  out_num(K("wall_us"), wall);
  out_num(K("rss_kb"), have ? sb->r.rss_kb : -1);
  out_str(K("limit"), have && sb->r.cpu_killed && !strcmp(sb->limit, "none") ? "cpu" : sb->limit);
#undef K
}

long long elapsed_ms(const struct sandbox *sb) { return (now_us() - sb->started) / 1000; }

/* Wall limit; with cpu_exact, the container's cgroup CPU counter as a second wall behind the init's own
 * accounting (this sandbox is alone in the container); an init that ignores a stop is killed. */
void enforce_limits(struct sandbox *sb, const struct exec_request *rq, int cpu_exact) {
  if (sb->done) return;
  if (sb->killed) {
    if (now_us() - sb->stop_at > STOP_GRACE_MS * 1000LL) kill(sb->init, SIGKILL);
    return;
  }
  if (elapsed_ms(sb) >= rq->wall_ms) return sandbox_stop(sb, "wall");
  if (cpu_exact && sb->cpu_start >= 0) {
    long long now = cgroup_cpu_us();
    if (now >= 0 && now - sb->cpu_start > rq->cpu_ms * 1000 + 50000) sandbox_stop(sb, "cpu");
  }
}

/* The level the container's memory fell back to between runs. Some of what a run held is freed by
 * the kernel later (a namespace's tmpfs, a memfd's pages): a baseline taken before that would hide
 * as much of the next run's memory, so the next run waits (a second at most) for the level to come
 * back near this one first. Each start's level becomes the new one, so a lasting rise is waited for once. */
static long long settled_kb = -1;
#define SETTLE_SLACK_KB (8 * 1024)
#define SETTLE_MAX_MS 1000

void meter_start(struct meter *m) {
  long long now = cgroup_mem_kb();
  for (int waited = 0; now >= 0 && settled_kb >= 0 && now > settled_kb + SETTLE_SLACK_KB && waited < SETTLE_MAX_MS; waited += 5) {
    usleep(5000);
    now = cgroup_mem_kb();
  }
  settled_kb = now;
  m->base_kb = now;
  m->peak_kb = m->base_kb < 0 ? -1 : 0;
}

/* Samples the meter; returns 1 when the peak is over limit_kb. */
int meter_sample(struct meter *m, size_t ours_bytes, long long limit_kb) {
  if (m->base_kb < 0) return 0;
  long long now = cgroup_mem_kb();
  if (now < 0) return 0;
  long long used = now - m->base_kb - (long long)(ours_bytes / 1024);
  if (used > m->peak_kb) m->peak_kb = used;
  return m->peak_kb > limit_kb;
}
