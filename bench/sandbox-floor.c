/* The sandbox floor on this kernel: what one execution costs in namespaces, mounts, seccomp and
 * process start, measured piece by piece, as the supervisor's user (inside a container made like
 * Verdict's, see bench/sandbox-floor.ts). Each variant runs in interleaved rounds; per operation it
 * prints the median wall time and the CPU (this process and its children, from getrusage) per op.
 * CPU the kernel spends later in its work queues (a network namespace is torn down there) is not
 * ours to see here: bench/sandbox-floor.ts reads it from the host's kworker threads.
 *   gcc -O2 -static -o sandbox-floor bench/sandbox-floor.c -lseccomp
 *   sandbox-floor ROUNDS PER_ROUND PROGRAM [variant...] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

static const char *program;
static char *const no_env[] = {NULL};
static scmp_filter_ctx filter;
static struct sock_fprog compiled;
static uid_t uid;
static gid_t gid;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t cpu_ns(void) {
  struct rusage a, b;
  getrusage(RUSAGE_SELF, &a);
  getrusage(RUSAGE_CHILDREN, &b);
  return ((int64_t)a.ru_utime.tv_sec + a.ru_stime.tv_sec + b.ru_utime.tv_sec + b.ru_stime.tv_sec) * 1000000000 +
         ((int64_t)a.ru_utime.tv_usec + a.ru_stime.tv_usec + b.ru_utime.tv_usec + b.ru_stime.tv_usec) * 1000;
}

static void write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) _exit(90);
  close(fd);
}

static void map_self(void) {
  char buf[64];
  write_file("/proc/self/setgroups", "deny");
  snprintf(buf, sizeof buf, "%u %u 1\n", uid, uid);
  write_file("/proc/self/uid_map", buf);
  snprintf(buf, sizeof buf, "%u %u 1\n", gid, gid);
  write_file("/proc/self/gid_map", buf);
}

/* The filter of supervisor/filter.c, abridged to its shape: a few dozen rules on an allow default. */
static void build_filter(void) {
  static const char *denied[] = {"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "mount", "umount2", "pivot_root", "chroot",
                                 "unshare", "setns", "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
                                 "kexec_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff", "acct",
                                 "syslog", "open_by_handle_at", "settimeofday", "clock_settime", "adjtimex", "personality"};
  filter = seccomp_init(SCMP_ACT_ALLOW);
  for (size_t i = 0; i < sizeof denied / sizeof *denied; i++) seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), seccomp_syscall_resolve_name(denied[i]), 0);
  seccomp_rule_add(filter, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  seccomp_rule_add(filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_GT, 10));
  for (int f = 3; f < 10; f++) seccomp_rule_add(filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, f));
  /* The same program as BPF, exported once (what a warm supervisor can keep). */
  int p[2];
  if (pipe(p) != 0 || seccomp_export_bpf(filter, p[1]) != 0) exit(2);
  close(p[1]);
  static char buf[65536];
  ssize_t n = read(p[0], buf, sizeof buf);
  close(p[0]);
  compiled.len = (unsigned short)(n / sizeof(struct sock_filter));
  compiled.filter = (struct sock_filter *)buf;
}

/* What the child does, after clone: each variant picks one. */
enum child { EXIT, EXEC, EXEC_SECCOMP_LIBSECCOMP, EXEC_SECCOMP_BPF, MAP_EXIT, MOUNTS_EXIT };
static enum child child_mode;

static void mounts(void) {
  map_self();
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) _exit(91);
  if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=65536k,mode=1777") != 0) _exit(92);
  mkdir("/tmp/proc", 0755);
  if (mount("proc", "/tmp/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) _exit(93);
}

static int run_child(void *arg) {
  (void)arg;
  switch (child_mode) {
  case EXIT:
    _exit(0);
  case MAP_EXIT:
    map_self();
    _exit(0);
  case MOUNTS_EXIT:
    mounts();
    _exit(0);
  case EXEC_SECCOMP_LIBSECCOMP:
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || seccomp_load(filter) != 0) _exit(94);
    break;
  case EXEC_SECCOMP_BPF:
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &compiled) != 0) _exit(95);
    break;
  case EXEC:
    break;
  }
  char *argv[] = {(char *)program, NULL};
  execve(program, argv, no_env);
  _exit(127);
}

struct variant {
  const char *name;
  unsigned long flags;
  enum child mode;
  int64_t *wall; /* per round, ns per op */
  int64_t cpu;   /* total ns */
  long ops;
};

#define ALL (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)
static struct variant variants[] = {
    {"fork+exit", 0, EXIT, 0, 0, 0},
    {"fork+exec", 0, EXEC, 0, 0, 0},
    {"fork+seccomp(libseccomp load)+exec", 0, EXEC_SECCOMP_LIBSECCOMP, 0, 0, 0},
    {"fork+seccomp(precompiled BPF)+exec", 0, EXEC_SECCOMP_BPF, 0, 0, 0},
    {"user+exit", CLONE_NEWUSER, EXIT, 0, 0, 0},
    {"user+map uid+exit", CLONE_NEWUSER, MAP_EXIT, 0, 0, 0},
    {"user,pid+exit", CLONE_NEWUSER | CLONE_NEWPID, EXIT, 0, 0, 0},
    {"user,mnt+exit", CLONE_NEWUSER | CLONE_NEWNS, EXIT, 0, 0, 0},
    {"user,net+exit", CLONE_NEWUSER | CLONE_NEWNET, EXIT, 0, 0, 0},
    {"user,ipc+exit", CLONE_NEWUSER | CLONE_NEWIPC, EXIT, 0, 0, 0},
    {"user,uts+exit", CLONE_NEWUSER | CLONE_NEWUTS, EXIT, 0, 0, 0},
    {"user,cgroup+exit", CLONE_NEWUSER | CLONE_NEWCGROUP, EXIT, 0, 0, 0},
    {"all 7+exit", ALL, EXIT, 0, 0, 0},
    {"all 7+exec", ALL, EXEC, 0, 0, 0},
    {"all but net+exec", ALL & ~CLONE_NEWNET, EXEC, 0, 0, 0},
    {"all 7+map+tmpfs+proc+exit", ALL, MOUNTS_EXIT, 0, 0, 0},
    {"all but net+map+tmpfs+proc+exit", ALL & ~CLONE_NEWNET, MOUNTS_EXIT, 0, 0, 0},
};
#define NV (sizeof variants / sizeof *variants)

static void one(struct variant *v) {
  child_mode = v->mode;
  static char stack[1 << 16];
  pid_t pid = v->flags ? clone(run_child, stack + sizeof stack, (int)(v->flags | SIGCHLD), NULL) : fork();
  if (pid == 0) run_child(NULL);
  if (pid < 0) {
    perror(v->name);
    exit(3);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    fprintf(stderr, "%s: child status %d\n", v->name, st);
    exit(4);
  }
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s ROUNDS PER_ROUND PROGRAM [variant-substring...]\n", argv[0]);
    return 2;
  }
  int rounds = atoi(argv[1]), per = atoi(argv[2]);
  program = argv[3];
  uid = getuid();
  gid = getgid();
  build_filter();
  for (size_t i = 0; i < NV; i++) variants[i].wall = calloc((size_t)rounds, sizeof(int64_t));
  for (size_t i = 0; i < NV; i++) one(&variants[i]); /* warm up */
  for (int r = 0; r < rounds; r++)
    for (size_t i = 0; i < NV; i++) {
      struct variant *v = &variants[(i + (size_t)r) % NV]; /* rotate the order each round */
      int pick = argc == 4;
      for (int a = 4; a < argc; a++) pick |= strstr(v->name, argv[a]) != NULL;
      if (!pick) continue;
      int64_t c0 = cpu_ns(), t0 = now_ns();
      for (int k = 0; k < per; k++) one(v);
      v->wall[r] = (now_ns() - t0) / per;
      v->cpu += cpu_ns() - c0;
      v->ops += per;
    }
  printf("%-36s %12s %12s\n", "variant", "wall µs/op", "CPU µs/op");
  for (size_t i = 0; i < NV; i++) {
    struct variant *v = &variants[i];
    if (!v->ops) continue;
    qsort(v->wall, (size_t)rounds, sizeof(int64_t), cmp);
    printf("%-36s %12.1f %12.1f\n", v->name, v->wall[rounds / 2] / 1000.0, v->cpu / 1000.0 / v->ops);
  }
  return 0;
}
