/*
 * verdict-supervisor: the one long-lived process inside a Verdict language container.
 *
 * The runner drives it over the container's attached stdin/stdout with a tiny framed
 * protocol (see docs/protocol.md). For each `exec` it builds a fresh inner sandbox:
 * new user, mount, pid, net, ipc, uts and cgroup namespaces, a read-only view of the
 * image, a fresh size-limited tmpfs as /tmp, the submission's box at /box, a new /proc
 * and a minimal /dev. The program runs under rlimits and a seccomp filter stricter than
 * the container's (no namespaces, mounts, ptrace, keyrings, bpf, ...). The sandbox's own
 * init (pid 1 of the new pid namespace) times the program with wait4() and reports its
 * rusage; killing that init tears down every process of the submission at once.
 *
 * Written in C because it must start in microseconds, use no memory to speak of, and
 * make raw namespace/mount/seccomp calls. It is built statically in the base image.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SUPERVISOR_VERSION "3"
#define STATE_DIR "/tmp/verdict"
#define ROOT_DIR STATE_DIR "/root"
#define EMPTY_DIR STATE_DIR "/empty"
#define TICK_MS 10
#define MAX_FIELD (512u << 20)
#define MAX_ARGS 256

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* ---------- protocol: fields are "key length\n" followed by exactly length bytes ---------- */

struct field {
  char key[32];
  char *data;
  size_t len;
};

struct message {
  struct field *fields;
  size_t count, cap;
};

static void fail_hard(const char *what) {
  fprintf(stderr, "verdict-supervisor: fatal: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void message_free(struct message *m) {
  for (size_t i = 0; i < m->count; i++) free(m->fields[i].data);
  free(m->fields);
  memset(m, 0, sizeof *m);
}

/* Returns 1 on a message, 0 on clean EOF, -1 on a framing error. */
static int message_read(FILE *in, struct message *m) {
  memset(m, 0, sizeof *m);
  for (;;) {
    char line[128];
    if (!fgets(line, sizeof line, in)) return m->count == 0 ? 0 : -1;
    char key[32];
    unsigned long len;
    if (sscanf(line, "%31s %lu", key, &len) != 2 || len > MAX_FIELD) return -1;
    if (strcmp(key, "end") == 0) return 1;
    if (m->count == m->cap) {
      m->cap = m->cap ? m->cap * 2 : 16;
      m->fields = realloc(m->fields, m->cap * sizeof *m->fields);
      if (!m->fields) fail_hard("realloc");
    }
    struct field *f = &m->fields[m->count++];
    snprintf(f->key, sizeof f->key, "%s", key);
    f->len = len;
    f->data = malloc(len + 1);
    if (!f->data) fail_hard("malloc");
    if (len && fread(f->data, 1, len, in) != len) return -1;
    f->data[len] = 0;
  }
}

static const struct field *message_get(const struct message *m, const char *key) {
  for (size_t i = 0; i < m->count; i++)
    if (strcmp(m->fields[i].key, key) == 0) return &m->fields[i];
  return NULL;
}

static long long message_num(const struct message *m, const char *key, long long fallback) {
  const struct field *f = message_get(m, key);
  return f ? strtoll(f->data, NULL, 10) : fallback;
}

static void out_bytes(const char *key, const void *data, size_t len) {
  fprintf(stdout, "%s %zu\n", key, len);
  if (len) fwrite(data, 1, len, stdout);
}
static void out_str(const char *key, const char *s) { out_bytes(key, s, strlen(s)); }
static void out_num(const char *key, long long v) {
  char b[32];
  snprintf(b, sizeof b, "%lld", v);
  out_str(key, b);
}
static void write_all_fd(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    len -= (size_t)n;
  }
}

static void out_end(void) {
  fputs("end 0\n", stdout);
  fflush(stdout);
}
static void reply_error(const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  out_str("status", "error");
  out_str("message", msg);
  out_end();
}

/* ---------- the container's cgroup: CPU backstop and OOM-kill detection, v1 and v2 ---------- */

static char cg_cpu_file[256], cg_oom_file[256], cg_mem_file[256];
static int cg_cpu_is_v2, cg_oom_is_v2, cg_mem_is_v2;

static void cgroup_detect(void) {
  const char *cpu_v1[] = {"/sys/fs/cgroup/cpuacct/cpuacct.usage", "/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage",
                          "/sys/fs/cgroup/cpuacct,cpu/cpuacct.usage"};
  const char *oom_v1[] = {"/sys/fs/cgroup/memory/memory.oom_control"};
  if (access("/sys/fs/cgroup/cpu.stat", R_OK) == 0) {
    snprintf(cg_cpu_file, sizeof cg_cpu_file, "/sys/fs/cgroup/cpu.stat");
    cg_cpu_is_v2 = 1;
  } else
    for (size_t i = 0; i < sizeof cpu_v1 / sizeof *cpu_v1; i++)
      if (access(cpu_v1[i], R_OK) == 0) {
        snprintf(cg_cpu_file, sizeof cg_cpu_file, "%s", cpu_v1[i]);
        break;
      }
  if (access("/sys/fs/cgroup/memory.events", R_OK) == 0) {
    snprintf(cg_oom_file, sizeof cg_oom_file, "/sys/fs/cgroup/memory.events");
    cg_oom_is_v2 = 1;
  } else if (access(oom_v1[0], R_OK) == 0)
    snprintf(cg_oom_file, sizeof cg_oom_file, "%s", oom_v1[0]);
  if (access("/sys/fs/cgroup/memory.stat", R_OK) == 0) {
    snprintf(cg_mem_file, sizeof cg_mem_file, "/sys/fs/cgroup/memory.stat");
    cg_mem_is_v2 = 1;
  } else if (access("/sys/fs/cgroup/memory/memory.stat", R_OK) == 0)
    snprintf(cg_mem_file, sizeof cg_mem_file, "/sys/fs/cgroup/memory/memory.stat");
}

static long long read_keyed(const char *path, const char *key) {
  FILE *f = fopen(path, "re");
  if (!f) return -1;
  char k[64];
  long long v, found = -1;
  while (fscanf(f, "%63s %lld", k, &v) == 2)
    if (strcmp(k, key) == 0) found = v;
  fclose(f);
  return found;
}

/* CPU time used by the whole container so far, in microseconds (-1 when unknown). */
static long long cgroup_cpu_us(void) {
  if (!cg_cpu_file[0]) return -1;
  if (cg_cpu_is_v2) return read_keyed(cg_cpu_file, "usage_usec");
  FILE *f = fopen(cg_cpu_file, "re");
  if (!f) return -1;
  long long ns = -1;
  if (fscanf(f, "%lld", &ns) != 1) ns = -1;
  fclose(f);
  return ns < 0 ? -1 : ns / 1000;
}

/* Memory the container holds that a program can own: anonymous memory of every process (heaps,
 * stacks, unreaped children) and shared memory (tmpfs files, SysV segments, memfds, /dev/shm), in KiB.
 * File-backed page cache (the image's binaries and libraries) is left out: it is shared and reclaimable. */
static long long cgroup_mem_kb(void) {
  if (!cg_mem_file[0]) return -1;
  FILE *f = fopen(cg_mem_file, "re");
  if (!f) return -1;
  char k[64];
  long long v, anon = -1, shmem = -1;
  const char *anon_key = cg_mem_is_v2 ? "anon" : "rss";
  while (fscanf(f, "%63s %lld", k, &v) == 2) {
    if (strcmp(k, anon_key) == 0) anon = v;
    else if (strcmp(k, "shmem") == 0) shmem = v;
    if (anon >= 0 && shmem >= 0) break;
  }
  fclose(f);
  return anon < 0 || shmem < 0 ? -1 : (anon + shmem) / 1024;
}

static long long cgroup_oom_kills(void) {
  if (!cg_oom_file[0]) return -1;
  return read_keyed(cg_oom_file, "oom_kill");
}

/* ---------- the seccomp filter for user programs (built once, loaded in each program) ---------- */

static scmp_filter_ctx user_filter;

static void deny(const char *name, int err) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR) return; /* not on this architecture or libseccomp */
  if (seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(err), nr, 0) != 0) {
    fprintf(stderr, "verdict-supervisor: cannot deny %s\n", name);
    exit(2);
  }
}

static void build_user_filter(void) {
  static const char *denied[] = {
      "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
      "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
      "fsmount", "fspick", "mount_setattr", "unshare", "setns", "sethostname", "setdomainname",
      "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
      "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
      "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "syslog",
      "lookup_dcookie", "open_by_handle_at", "name_to_handle_at", "settimeofday", "clock_settime",
      "clock_adjtime", "adjtimex", "vhangup", "iopl", "ioperm", "uselib", "nfsservctl",
      "fanotify_init", "personality", "_sysctl", "vm86", "vm86old", "modify_ldt"};
  static const unsigned long ns_flags[] = {CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
                                           CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWTIME};
  user_filter = seccomp_init(SCMP_ACT_ALLOW);
  if (!user_filter) fail_hard("seccomp_init");
  for (size_t i = 0; i < sizeof denied / sizeof *denied; i++) deny(denied[i], EPERM);
  /* io_uring: ENOSYS so runtimes fall back to ordinary syscalls. */
  deny("io_uring_setup", ENOSYS);
  deny("io_uring_enter", ENOSYS);
  deny("io_uring_register", ENOSYS);
  /* clone3 passes flags in memory, which seccomp cannot inspect: ENOSYS makes libc use clone. */
  deny("clone3", ENOSYS);
  for (size_t i = 0; i < sizeof ns_flags / sizeof *ns_flags; i++)
    if (seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i])) != 0)
      fail_hard("seccomp clone rule");
  /* Address families: AF_UNIX, AF_INET and AF_INET6 only (the last two reach nothing but the sandbox's
   * own loopback). Everything else (AF_VSOCK, AF_NETLINK, AF_PACKET, ...) is refused, whatever the
   * upper 32 bits of the argument: any value above AF_INET6 is denied as a 64-bit number. */
  int ok = seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 0)) == 0 &&
           seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_GT, 10)) == 0 &&
           seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socketpair), 1, SCMP_A0(SCMP_CMP_NE, 1)) == 0;
  for (int family = 3; ok && family < 10; family++)
    ok = seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, family)) == 0;
  if (!ok) fail_hard("seccomp socket rules");
}

/* ---------- the box: the submission's files, reset between submissions ---------- */

static int make_writable(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)ftw;
  if (type == FTW_D || type == FTW_DNR) chmod(path, (st->st_mode & 07777) | S_IRWXU);
  return 0;
}
static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)type;
  if (ftw->level == 0) return 0;
  return remove(path) == 0 ? 0 : -1;
}

/* Two boxes: "box" holds the submission, "vbox" the validator or interactor with the test's answer.
 * Each sandbox binds exactly one of them at /box, so a submission never sees the answer. */
static const char *box_dir(const char *name) {
  if (!name || strcmp(name, "box") == 0) return STATE_DIR "/box";
  if (strcmp(name, "vbox") == 0) return STATE_DIR "/vbox";
  return NULL;
}

static int box_reset_one(const char *dir) {
  mkdir(dir, 0755);
  chmod(dir, 0755);
  nftw(dir, make_writable, 32, FTW_PHYS);
  return nftw(dir, remove_entry, 32, FTW_PHYS | FTW_DEPTH);
}

static int box_reset(void) {
  mkdir(STATE_DIR, 0700);
  return box_reset_one(box_dir("box")) | box_reset_one(box_dir("vbox"));
}

/* Only relative paths below the box: no absolute paths, no "..", no NUL. */
static int box_path(const char *box, const char *rel, char *path, size_t size) {
  if (!box || !rel[0] || rel[0] == '/' || strlen(rel) > 1024) return -1;
  for (const char *p = rel; *p; p++)
    if ((p == rel || p[-1] == '/') && p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == 0)) return -1;
  snprintf(path, size, "%s/%s", box, rel);
  return 0;
}

static int box_put(const char *box, const char *rel, const char *data, size_t len, int mode) {
  char path[PATH_MAX];
  if (box_path(box, rel, path, sizeof path) != 0) return -1;
  for (char *p = path + strlen(box) + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      mkdir(path, 0755);
      *p = '/';
    }
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return -1;
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, data + off, len - off);
    if (n <= 0) {
      close(fd);
      return -1;
    }
    off += (size_t)n;
  }
  return close(fd);
}

/* Reads a regular file of the box (e.g. a validator's feedback), at most `max` bytes. */
static char *box_get(const char *box, const char *rel, size_t max, size_t *len) {
  char path[PATH_MAX];
  if (box_path(box, rel, path, sizeof path) != 0) return NULL;
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    errno = EINVAL;
    return NULL;
  }
  size_t want = (size_t)st.st_size < max ? (size_t)st.st_size : max;
  char *buf = malloc(want + 1);
  size_t got = 0;
  while (buf && got < want) {
    ssize_t n = read(fd, buf + got, want - got);
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  *len = got;
  return buf;
}

/* Sends every regular file of a box as path/mode/data fields (a compile's artifacts, for the cache).
 * Symlinks and special files are skipped: what a cache restores is plain files only. */
static size_t snapshot_budget;
static const char *snapshot_root;
static int snapshot_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)ftw;
  if (type != FTW_F || !S_ISREG(st->st_mode)) return 0;
  if ((size_t)st->st_size > snapshot_budget) return 1;
  size_t len = 0;
  char *data = box_get(snapshot_root, path + strlen(snapshot_root) + 1, (size_t)st->st_size, &len);
  if (!data) return 1;
  char mode[16];
  snprintf(mode, sizeof mode, "%o", (unsigned)(st->st_mode & 0777));
  out_str("path", path + strlen(snapshot_root) + 1);
  out_str("mode", mode);
  out_bytes("data", data, len);
  free(data);
  snapshot_budget -= len;
  return 0;
}

/* ---------- the sandbox root: prepared once per container ---------- */

/* What every sandbox sees as "/": a read-only tmpfs holding the image's top-level symlinks, a fresh
 * read-only overlay of each of its directories (/usr, /opt, /var, ...), a copy of /etc, and mount
 * points for what each sandbox mounts itself (/box, /tmp, /dev, /proc). Built in the supervisor's own
 * user and mount namespace, so no Docker mount is in the sandbox's view: /proc/self/mountinfo shows
 * no host path and no container id (an overlay's options name only its container-side lower
 * directory), and none of Docker's /etc/hosts, /etc/hostname, /etc/resolv.conf bind mounts. /sys is
 * an empty tmpfs but for /sys/devices/system/cpu (libc and runtimes count CPUs there): no cgroup
 * counters, no firmware tables. Where a kernel refuses an overlay in a user namespace (before 5.11),
 * that directory is bound read-only instead and root_mode says "bind" (paths then show). */
static const char *root_mode = "overlay";

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int create_file(const char *path, const char *text, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Maps our own uid and gid into a user namespace we just entered (the only mapping allowed unprivileged). */
static int map_self(uid_t uid, gid_t gid) {
  char buf[64];
  if (write_file("/proc/self/setgroups", "deny") != 0) return -1;
  snprintf(buf, sizeof buf, "%u %u 1\n", uid, uid);
  if (write_file("/proc/self/uid_map", buf) != 0) return -1;
  snprintf(buf, sizeof buf, "%u %u 1\n", gid, gid);
  return write_file("/proc/self/gid_map", buf);
}

/* Remount flags must repeat the locked ones of the original mount, or the kernel refuses. */
static unsigned long locked_flags(const char *path) {
  struct statvfs sv;
  if (statvfs(path, &sv) != 0) return 0;
  unsigned long f = 0;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

static int remount_readonly(const char *path) {
  return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | locked_flags(path), NULL);
}

/* Fallback view of a directory: a recursive read-only bind (every sub-mount made read-only too). */
static int bind_readonly(const char *src, const char *dst) {
  if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) != 0) return -1;
  FILE *f = fopen("/proc/self/mountinfo", "re");
  if (!f) return -1;
  char line[4096], mnt[PATH_MAX];
  size_t len = strlen(dst);
  int rc = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 && strncmp(mnt, dst, len) == 0 && (mnt[len] == '/' || mnt[len] == 0) &&
        remount_readonly(mnt) != 0 && errno != EINVAL && errno != ENOENT)
      rc = -1;
  fclose(f);
  return rc;
}

/* /etc is copied, not mounted: Docker's bind mounts inside it pin it to Docker's view. Files the
 * unprivileged user cannot read (shadow, private keys) stay out; Docker's three network files are
 * replaced by our own. */
static char copy_dst[PATH_MAX];
static int copy_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  char dst[PATH_MAX];
  if (snprintf(dst, sizeof dst, "%s%s", copy_dst, path + strlen("/etc")) >= (int)sizeof dst) return 0;
  if (ftw->level == 1 && (!strcmp(path, "/etc/hosts") || !strcmp(path, "/etc/hostname") || !strcmp(path, "/etc/resolv.conf")))
    return 0;
  if (type == FTW_D || type == FTW_DNR) {
    if (ftw->level > 0) mkdir(dst, (st->st_mode & 07777) | S_IRWXU);
  } else if (type == FTW_SL) {
    char target[PATH_MAX];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n > 0) target[n] = 0, symlink(target, dst);
  } else if (type == FTW_F && S_ISREG(st->st_mode)) {
    int in = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) return 0;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st->st_mode & 0755);
    char buf[65536];
    ssize_t n;
    while (out >= 0 && (n = read(in, buf, sizeof buf)) > 0) write_all_fd(out, buf, (size_t)n);
    if (out >= 0) close(out);
    close(in);
  }
  return 0;
}

static void prepare_root(void) {
  uid_t uid = getuid();
  gid_t gid = getgid();
  char path[PATH_MAX], opts[PATH_MAX + 64];
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0 || map_self(uid, gid) != 0) fail_hard("a user namespace for the sandbox root");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail_hard("make / private");
  if (mkdir(EMPTY_DIR, 0755) != 0 && errno != EEXIST) fail_hard("mkdir " EMPTY_DIR);
  if (mount("tmpfs", ROOT_DIR, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755,nr_inodes=8192") != 0) fail_hard("tmpfs root");
  DIR *top = opendir("/");
  if (!top) fail_hard("opendir /");
  struct dirent *e;
  while ((e = readdir(top))) {
    const char *n = e->d_name;
    struct stat st;
    snprintf(path, sizeof path, ROOT_DIR "/%s", n);
    if (!strcmp(n, ".") || !strcmp(n, "..") || n[0] == '.' || fstatat(dirfd(top), n, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      ssize_t len = readlinkat(dirfd(top), n, target, sizeof target - 1);
      if (len > 0) target[len] = 0, symlink(target, path);
      continue;
    }
    if (!S_ISDIR(st.st_mode)) continue;
    if (mkdir(path, st.st_mode & 07777) != 0) fail_hard("mkdir in the sandbox root");
    /* Mounted by each sandbox (box, tmp, dev, proc), made below (sys, etc) or left empty (run). */
    if (!strcmp(n, "box") || !strcmp(n, "tmp") || !strcmp(n, "dev") || !strcmp(n, "proc") || !strcmp(n, "sys") ||
        !strcmp(n, "run") || !strcmp(n, "etc"))
      continue;
    snprintf(opts, sizeof opts, "lowerdir=/%s:" EMPTY_DIR, n);
    if (mount("overlay", path, "overlay", MS_RDONLY | MS_NOSUID | MS_NODEV, opts) == 0) continue;
    root_mode = "bind";
    fprintf(stderr, "verdict-supervisor: /%s is bound, not overlaid: %s\n", n, strerror(errno));
    snprintf(opts, sizeof opts, "/%s", n);
    if (bind_readonly(opts, path) != 0) fail_hard("bind a directory into the sandbox root");
  }
  closedir(top);

  snprintf(copy_dst, sizeof copy_dst, ROOT_DIR "/etc");
  nftw("/etc", copy_entry, 32, FTW_PHYS);
  if (create_file(ROOT_DIR "/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", 0644) != 0 ||
      create_file(ROOT_DIR "/etc/hostname", "verdict\n", 0644) != 0 || create_file(ROOT_DIR "/etc/resolv.conf", "", 0644) != 0)
    fail_hard("write /etc files of the sandbox root");

  if (mount("tmpfs", ROOT_DIR "/sys", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=16k,mode=0555,nr_inodes=16") != 0 ||
      mkdir(ROOT_DIR "/sys/devices", 0555) != 0 || mkdir(ROOT_DIR "/sys/devices/system", 0555) != 0 ||
      mkdir(ROOT_DIR "/sys/devices/system/cpu", 0555) != 0)
    fail_hard("the sandbox's /sys");
  if (mount("/sys/devices/system/cpu", ROOT_DIR "/sys/devices/system/cpu", NULL, MS_BIND, NULL) != 0 ||
      remount_readonly(ROOT_DIR "/sys/devices/system/cpu") != 0)
    fail_hard("bind /sys/devices/system/cpu");
  if (mount(NULL, ROOT_DIR "/sys", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) fail_hard("/sys read-only");
  if (mount(NULL, ROOT_DIR, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0) fail_hard("root read-only");
}

/* ---------- the inner sandbox ---------- */

struct exec_request {
  char *argv[MAX_ARGS + 1];
  char *envp[MAX_ARGS + 1];
  const char *box;
  int box_writable;
  const char *cwd;
  long long cpu_ms, wall_ms, mem_kb, address_space_kb, stack_kb, nproc, nofile, fsize, output, tmp_kb;
  int stdin_fd;
};

/* What the sandbox's init writes back: the program's, and every process of the submission's, usage. */
struct report {
  int32_t setup_failed;
  int32_t exit_code;
  int32_t signal;
  int32_t cpu_killed; /* the init stopped the submission at its CPU limit */
  int64_t cpu_us;     /* every process of the submission, reaped or not */
  int64_t rss_kb;     /* the largest peak RSS of any one process */
  int64_t wall_us;
  char message[200];
};

static int64_t now_us(void) {
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

static int bind_dev(const char *root, const char *name) {
  char src[64], dst[PATH_MAX];
  snprintf(src, sizeof src, "/dev/%s", name);
  snprintf(dst, sizeof dst, "%s/dev/%s", root, name);
  int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) return -1;
  close(fd);
  return mount(src, dst, NULL, MS_BIND, NULL);
}

/* What a fresh /proc would tell about the host, hidden as Docker hides it: files become /dev/null,
 * directories an empty read-only tmpfs. The kernel command line is among them. */
static void mask_proc(const char *proc) {
  static const char *files[] = {"cmdline", "kcore", "keys", "timer_list", "sched_debug", "latency_stats", "sysrq-trigger", "config.gz", "kallsyms"};
  static const char *dirs[] = {"acpi", "asound", "scsi", "driver", "irq", "bus", "fs", "tty"};
  char path[PATH_MAX + 64];
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    snprintf(path, sizeof path, "%s/%s", proc, files[i]);
    if (access(path, F_OK) == 0) mount("/dev/null", path, NULL, MS_BIND, NULL);
  }
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
    snprintf(path, sizeof path, "%s/%s", proc, dirs[i]);
    if (access(path, F_OK) == 0) mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555");
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

  snprintf(path, sizeof path, "%s/dev", ROOT_DIR);
  if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755,nr_inodes=64") != 0)
    setup_fail(report_fd, "tmpfs /dev");
  static const char *devices[] = {"null", "zero", "full", "random", "urandom"};
  for (size_t i = 0; i < sizeof devices / sizeof *devices; i++)
    if (bind_dev(ROOT_DIR, devices[i]) != 0) setup_fail(report_fd, "bind device");
  static const char *links[][2] = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
                                   {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
                                   {"/tmp", "shm"}};
  for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
    snprintf(path, sizeof path, "%s/dev/%s", ROOT_DIR, links[i][1]);
    if (symlink(links[i][0], path) != 0) setup_fail(report_fd, "dev symlink");
  }
  snprintf(path, sizeof path, "%s/dev", ROOT_DIR);
  if (remount_readonly(path) != 0) setup_fail(report_fd, "remount /dev read-only");

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
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || seccomp_load(user_filter) != 0) {
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
    if (reaped_cpu_us(NULL) + live_cpu_us() > limit_us) {
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

/* ---------- running sandboxes: spawn, watch, collect ---------- */

struct capture {
  int fd;
  char *buf;
  size_t len, cap;
  int truncated;
};

/* One sandbox in flight: its init's pid, its report and control pipes and what it has reported. */
struct sandbox {
  pid_t init;
  int rep_fd;
  int ctl_fd; /* a byte (or our end closing) asks the init to stop the submission and report */
  struct report r;
  size_t rlen;
  int done;        /* report pipe closed */
  int killed;      /* asked to stop, or killed */
  int64_t stop_at; /* when we asked */
  const char *limit;
  int64_t started;
  long long cpu_start;
};

/* Reads the exec fields named PREFIX+key ("" for exec, "p." and "v." for interact). */
static int parse_exec(const struct message *m, const char *prefix, struct exec_request *rq) {
  char key[48];
  size_t nargs = 0, nenv = 0, plen = strlen(prefix);
  memset(rq, 0, sizeof *rq);
  for (size_t i = 0; i < m->count; i++) {
    if (strncmp(m->fields[i].key, prefix, plen) != 0) continue;
    const char *k = m->fields[i].key + plen;
    if (strcmp(k, "arg") == 0 && nargs < MAX_ARGS) rq->argv[nargs++] = m->fields[i].data;
    if (strcmp(k, "env") == 0 && nenv < MAX_ARGS) rq->envp[nenv++] = m->fields[i].data;
  }
  if (nargs == 0) return -1;
#define FIELD(name) (snprintf(key, sizeof key, "%s%s", prefix, name), key)
  const struct field *f = message_get(m, FIELD("boxdir"));
  rq->box = box_dir(f ? f->data : "box");
  if (!rq->box) return -1;
  f = message_get(m, FIELD("box"));
  rq->box_writable = f && strcmp(f->data, "rw") == 0;
  f = message_get(m, FIELD("cwd"));
  rq->cwd = f ? f->data : "/tmp";
  rq->cpu_ms = message_num(m, FIELD("cpu_ms"), 2000);
  rq->wall_ms = message_num(m, FIELD("wall_ms"), 7000);
  rq->mem_kb = message_num(m, FIELD("mem_kb"), 262144);
  rq->address_space_kb = message_num(m, FIELD("as_kb"), 0);
  rq->stack_kb = message_num(m, FIELD("stack_kb"), 0);
  rq->nproc = message_num(m, FIELD("nproc"), 64);
  rq->nofile = message_num(m, FIELD("nofile"), 64);
  rq->fsize = message_num(m, FIELD("fsize"), 64 << 20);
  rq->output = message_num(m, FIELD("output"), 1 << 20);
  rq->tmp_kb = message_num(m, FIELD("tmp_kb"), 65536);
#undef FIELD
  return 0;
}

/* stdin from bytes: a nameless file on the container's tmpfs (no pipe to feed, and seekable). */
static int stdin_file(const struct field *in) {
  int fd = open(STATE_DIR, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  if (in) write_all_fd(fd, in->data, in->len);
  lseek(fd, 0, SEEK_SET);
  return fd;
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

/* Starts a sandbox whose program reads stdin_fd and writes out_fd/err_fd (all closed here). */
static int sandbox_spawn(struct exec_request *rq, int stdin_fd, int out_fd, int err_fd, struct sandbox *sb) {
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
  fflush(NULL);
  pid_t init = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
                                             CLONE_NEWUTS | CLONE_NEWCGROUP | SIGCHLD,
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
#define STOP_GRACE_MS 2000
static void sandbox_stop(struct sandbox *sb, const char *limit) {
  if (sb->killed) return;
  if (write(sb->ctl_fd, "x", 1) != 1) kill(sb->init, SIGKILL);
  sb->killed = 1;
  sb->stop_at = now_us();
  sb->limit = limit;
}

static void sandbox_read_report(struct sandbox *sb) {
  ssize_t got = read(sb->rep_fd, (char *)&sb->r + sb->rlen, sizeof sb->r - sb->rlen);
  if (got > 0) sb->rlen += (size_t)got;
  if (got <= 0 || sb->rlen == sizeof sb->r) {
    close(sb->rep_fd);
    sb->rep_fd = -1;
    sb->done = 1;
  }
}

/* Reaps the sandbox; returns its setup error message, or NULL when it ran. */
static const char *sandbox_finish(struct sandbox *sb) {
  if (sb->rep_fd >= 0) close(sb->rep_fd), sb->rep_fd = -1;
  if (sb->ctl_fd >= 0) close(sb->ctl_fd), sb->ctl_fd = -1;
  if (!sb->done) kill(sb->init, SIGKILL);
  int st;
  while (waitpid(sb->init, &st, 0) < 0 && errno == EINTR) {
  }
  if (sb->rlen == sizeof sb->r && sb->r.setup_failed) {
    sb->r.message[sizeof sb->r.message - 1] = 0;
    return sb->r.message;
  }
  return NULL;
}

static void out_sandbox(const char *prefix, struct sandbox *sb, long long cpu_fallback_us) {
  char key[32];
  int have = sb->rlen == sizeof sb->r;
#define K(name) (snprintf(key, sizeof key, "%s%s", prefix, name), key)
  out_num(K("exit"), have ? sb->r.exit_code : -1);
  out_num(K("signal"), have ? sb->r.signal : SIGKILL);
  /* Killed before its init could report: the container's CPU counter is the best figure left. */
  out_num(K("cpu_us"), have ? sb->r.cpu_us : cpu_fallback_us);
  out_num(K("wall_us"), have ? sb->r.wall_us : now_us() - sb->started);
  out_num(K("rss_kb"), have ? sb->r.rss_kb : -1);
  out_str(K("limit"), have && sb->r.cpu_killed && !strcmp(sb->limit, "none") ? "cpu" : sb->limit);
#undef K
}

static int capture_read(struct capture *c, size_t budget, size_t *used) {
  char chunk[65536];
  ssize_t got = read(c->fd, chunk, sizeof chunk);
  if (got <= 0) {
    close(c->fd);
    c->fd = -1;
    return 0;
  }
  size_t keep = (size_t)got;
  if (*used + keep > budget) keep = budget - *used, c->truncated = 1;
  if (c->len + keep > c->cap) {
    c->cap = (c->len + keep) * 2;
    c->buf = realloc(c->buf, c->cap);
    if (!c->buf) fail_hard("realloc");
  }
  memcpy(c->buf + c->len, chunk, keep);
  c->len += keep;
  *used += keep;
  return c->truncated;
}

static long long elapsed_ms(const struct sandbox *sb) { return (now_us() - sb->started) / 1000; }

/* Wall limit; with cpu_exact, the container's cgroup CPU counter as a second wall behind the init's own
 * accounting (this sandbox is alone in the container); an init that ignores a stop is killed. */
static void enforce_limits(struct sandbox *sb, const struct exec_request *rq, int cpu_exact) {
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

/* The submission's memory, measured on the container's cgroup (anonymous + shared, see cgroup_mem_kb)
 * above what was there before it started, less what we hold ourselves for its output. */
struct meter {
  long long base_kb, peak_kb;
};

static void meter_start(struct meter *m) {
  m->base_kb = cgroup_mem_kb();
  m->peak_kb = m->base_kb < 0 ? -1 : 0;
}

/* Samples the meter; returns 1 when the peak is over limit_kb. */
static int meter_sample(struct meter *m, size_t ours_bytes, long long limit_kb) {
  if (m->base_kb < 0) return 0;
  long long now = cgroup_mem_kb();
  if (now < 0) return 0;
  long long used = now - m->base_kb - (long long)(ours_bytes / 1024);
  if (used > m->peak_kb) m->peak_kb = used;
  return m->peak_kb > limit_kb;
}

/* Streaming: what a program writes goes out at once as "chunk" messages, before the final reply. */
static void out_chunk(const char *stream, const char *data, size_t len) {
  if (!len) return;
  out_str("status", "chunk");
  out_str("stream", stream);
  out_bytes("data", data, len);
  out_end();
}

static void handle_exec(const struct message *m) {
  struct exec_request rq;
  if (parse_exec(m, "", &rq) != 0) return reply_error("exec without arg, or an unknown boxdir");
  int in = stdin_file(message_get(m, "stdin"));
  if (in < 0) return reply_error("stdin file: %s", strerror(errno));
  int outp[2], errp[2];
  if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
    close(in);
    return reply_error("pipe: %s", strerror(errno));
  }
  long long oom_before = cgroup_oom_kills();
  long long cpu_before = cgroup_cpu_us();
  struct meter mem;
  meter_start(&mem);
  struct sandbox sb;
  if (sandbox_spawn(&rq, in, outp[1], errp[1], &sb) != 0) {
    close(outp[0]);
    close(errp[0]);
    return reply_error("cannot create the sandbox (clone): %s", strerror(errno));
  }
  sb.cpu_start = cpu_before;
  struct capture cap[2] = {{outp[0], NULL, 0, 0, 0}, {errp[0], NULL, 0, 0, 0}};
  size_t budget = (size_t)rq.output, used = 0;
  int streaming = message_num(m, "stream", 0) == 1;
  while (cap[0].fd >= 0 || cap[1].fd >= 0 || !sb.done) {
    struct pollfd pfd[3];
    int n = 0, idx[3];
    for (int i = 0; i < 2; i++)
      if (cap[i].fd >= 0) pfd[n] = (struct pollfd){cap[i].fd, POLLIN, 0}, idx[n++] = i;
    if (!sb.done) pfd[n] = (struct pollfd){sb.rep_fd, POLLIN, 0}, idx[n++] = 2;
    int timeout = sb.killed ? TICK_MS : (int)(rq.wall_ms - elapsed_ms(&sb));
    if (timeout > TICK_MS) timeout = TICK_MS; /* tick for the memory meter and the CPU backstop */
    if (timeout < 0) timeout = 0;
    int ready = poll(pfd, (nfds_t)n, timeout);
    if (ready < 0 && errno != EINTR) break;
    for (int k = 0; k < n && ready > 0; k++) {
      if (!pfd[k].revents) continue;
      if (idx[k] == 2) {
        sandbox_read_report(&sb);
        continue;
      }
      struct capture *c = &cap[idx[k]];
      size_t before = c->len;
      int over = capture_read(c, budget, &used);
      if (streaming) out_chunk(idx[k] == 0 ? "stdout" : "stderr", c->buf + before, c->len - before);
      if (over) {
        sandbox_stop(&sb, "output");
        close(c->fd); /* stop reading: the flood is over for us */
        c->fd = -1;
      }
    }
    if (!sb.done && meter_sample(&mem, cap[0].len + cap[1].len, rq.mem_kb)) sandbox_stop(&sb, "memory");
    if (sb.killed && now_us() - sb.stop_at > (STOP_GRACE_MS + 5000) * 1000LL) break; /* never hang on a wedged pipe */
    enforce_limits(&sb, &rq, 1);
  }
  meter_sample(&mem, cap[0].len + cap[1].len, rq.mem_kb);
  for (int i = 0; i < 2; i++)
    if (cap[i].fd >= 0) close(cap[i].fd);
  const char *setup_error = sandbox_finish(&sb);
  long long oom_after = cgroup_oom_kills();
  long long cpu_after = cgroup_cpu_us();
  if (setup_error) {
    for (int i = 0; i < 2; i++) free(cap[i].buf);
    return reply_error("cannot create the sandbox: %s", setup_error);
  }
  out_str("status", "ok");
  out_sandbox("", &sb, cpu_before >= 0 && cpu_after >= 0 ? cpu_after - cpu_before : -1);
  out_num("mem_peak_kb", mem.peak_kb);
  out_num("oom", oom_before >= 0 && oom_after > oom_before);
  out_bytes("stdout", cap[0].buf, cap[0].len);
  out_bytes("stderr", cap[1].buf, cap[1].len);
  out_num("stdout_truncated", cap[0].truncated);
  out_num("stderr_truncated", cap[1].truncated);
  out_end();
  for (int i = 0; i < 2; i++) free(cap[i].buf);
}

/* ---------- interactive: the program and the interactor, each in its own sandbox ---------- */

/* One direction of the conversation, relayed by us so that it can be recorded. */
struct relay {
  int from, to; /* read end of the writer's stdout, write end of the reader's stdin */
  char buf[65536];
  size_t len;
  char tag;
};

static void transcript_add(struct capture *t, size_t cap, char tag, const char *data, size_t len) {
  if (t->len >= cap) {
    t->truncated = 1;
    return;
  }
  size_t room = cap - t->len, keep = len + 2 <= room ? len : (room > 2 ? room - 2 : 0);
  if (t->len + keep + 2 > t->cap) {
    t->cap = t->len + keep + 4096;
    t->buf = realloc(t->buf, t->cap);
    if (!t->buf) fail_hard("realloc");
  }
  t->buf[t->len++] = tag;
  t->buf[t->len++] = ' ';
  memcpy(t->buf + t->len, data, keep);
  t->len += keep;
  if (keep < len) t->truncated = 1;
}

static void relay_close_to(struct relay *r) {
  if (r->to >= 0) close(r->to), r->to = -1;
}

static void handle_interact(const struct message *m) {
  struct exec_request prq, vrq;
  if (parse_exec(m, "p.", &prq) != 0 || parse_exec(m, "v.", &vrq) != 0) return reply_error("interact needs p.arg and v.arg");
  size_t transcript_cap = (size_t)message_num(m, "transcript", 65536);
  int p_in[2], p_out[2], p_err[2], v_in[2], v_out[2], v_err[2];
  if (pipe2(p_in, O_CLOEXEC) || pipe2(p_out, O_CLOEXEC) || pipe2(p_err, O_CLOEXEC) || pipe2(v_in, O_CLOEXEC) ||
      pipe2(v_out, O_CLOEXEC) || pipe2(v_err, O_CLOEXEC))
    return reply_error("pipe: %s", strerror(errno));
  long long oom_before = cgroup_oom_kills();
  struct meter mem; /* both sandboxes share the container: the budget is both limits together */
  meter_start(&mem);
  struct sandbox psb, vsb;
  /* The interactor first: it may speak first, and its input file is in its own box. */
  if (sandbox_spawn(&vrq, v_in[0], v_out[1], v_err[1], &vsb) != 0) return reply_error("cannot create the sandbox: %s", strerror(errno));
  if (sandbox_spawn(&prq, p_in[0], p_out[1], p_err[1], &psb) != 0) {
    sandbox_stop(&vsb, "none");
    sandbox_finish(&vsb);
    return reply_error("cannot create the sandbox: %s", strerror(errno));
  }
  struct relay rel[2] = {{p_out[0], v_in[1], {0}, 0, '>'}, {v_out[0], p_in[1], {0}, 0, '<'}};
  for (int i = 0; i < 2; i++) fcntl(rel[i].to, F_SETFL, O_NONBLOCK);
  struct capture errs[2] = {{p_err[0], NULL, 0, 0, 0}, {v_err[0], NULL, 0, 0, 0}}, transcript = {-1, NULL, 0, 0, 0};
  size_t used[2] = {0, 0};
  int64_t validator_done_at = 0;
  /* Did the interactor end before the program's output ended? Only then was its verdict its own:
   * it cannot have seen that end (EOF is passed on only once we read it), so a tie is the interactor's. */
  long iteration = 0, program_eof_at = -1, interactor_done_at = -1;
  for (;;) {
    iteration++;
    struct pollfd pfd[10];
    int n = 0, what[10];
    for (int i = 0; i < 2; i++) {
      if (rel[i].from >= 0 && rel[i].len == 0) pfd[n] = (struct pollfd){rel[i].from, POLLIN, 0}, what[n++] = i;
      if (rel[i].to >= 0 && rel[i].len > 0) pfd[n] = (struct pollfd){rel[i].to, POLLOUT, 0}, what[n++] = 2 + i;
      if (errs[i].fd >= 0) pfd[n] = (struct pollfd){errs[i].fd, POLLIN, 0}, what[n++] = 4 + i;
    }
    if (!psb.done) pfd[n] = (struct pollfd){psb.rep_fd, POLLIN, 0}, what[n++] = 6;
    if (!vsb.done) pfd[n] = (struct pollfd){vsb.rep_fd, POLLIN, 0}, what[n++] = 7;
    if (n == 0) break;
    int ready = poll(pfd, (nfds_t)n, TICK_MS);
    if (ready < 0 && errno != EINTR) break;
    for (int k = 0; k < n && ready > 0; k++) {
      if (!pfd[k].revents) continue;
      int w = what[k];
      if (w < 2) { /* data from one side */
        struct relay *r = &rel[w];
        ssize_t got = read(r->from, r->buf, sizeof r->buf);
        if (got <= 0) {
          close(r->from), r->from = -1;
          relay_close_to(r); /* EOF passes through */
          if (w == 0) program_eof_at = iteration;
        } else {
          transcript_add(&transcript, transcript_cap, r->tag, r->buf, (size_t)got);
          r->len = r->to >= 0 ? (size_t)got : 0; /* nobody left to read it: drop */
        }
      } else if (w < 4) { /* room on the other side */
        struct relay *r = &rel[w - 2];
        ssize_t put = write(r->to, r->buf, r->len);
        if (put > 0) memmove(r->buf, r->buf + put, r->len - (size_t)put), r->len -= (size_t)put;
        else if (put < 0 && errno != EAGAIN) r->len = 0, relay_close_to(r); /* reader gone */
      } else if (w < 6) {
        capture_read(&errs[w - 4], 1 << 20, &used[w - 4]);
      } else {
        sandbox_read_report(w == 6 ? &psb : &vsb);
      }
    }
    if (vsb.done && interactor_done_at < 0) interactor_done_at = iteration;
    /* When a side has exited, its input is closed so the other sees EOF rather than waiting on it. */
    if (psb.done) relay_close_to(&rel[0 + 1]);
    if (vsb.done && !validator_done_at) validator_done_at = now_us(), relay_close_to(&rel[0]);
    if (!psb.done && meter_sample(&mem, transcript.len + errs[0].len + errs[1].len, prq.mem_kb + vrq.mem_kb))
      sandbox_stop(&psb, "memory");
    enforce_limits(&psb, &prq, 0);
    enforce_limits(&vsb, &vrq, 0);
    /* A finished interactor ends the run: the program gets a moment to exit on its own. */
    if (validator_done_at && !psb.done && now_us() - validator_done_at > 1000000) sandbox_stop(&psb, "none");
    if (psb.done && vsb.done && errs[0].fd < 0 && errs[1].fd < 0) break;
    if ((psb.killed || psb.done) && (vsb.killed || vsb.done) && elapsed_ms(&psb) > prq.wall_ms + vrq.wall_ms + 5000) break;
  }
  for (int i = 0; i < 2; i++) {
    if (rel[i].from >= 0) close(rel[i].from);
    relay_close_to(&rel[i]);
    if (errs[i].fd >= 0) close(errs[i].fd);
  }
  const char *perr = sandbox_finish(&psb), *verr = sandbox_finish(&vsb);
  long long oom_after = cgroup_oom_kills();
  if (perr || verr) {
    for (int i = 0; i < 2; i++) free(errs[i].buf);
    free(transcript.buf);
    return reply_error("cannot create the sandbox: %s", perr ? perr : verr);
  }
  out_str("status", "ok");
  out_sandbox("p.", &psb, -1);
  out_sandbox("v.", &vsb, -1);
  meter_sample(&mem, transcript.len + errs[0].len + errs[1].len, prq.mem_kb + vrq.mem_kb);
  out_num("mem_peak_kb", mem.peak_kb);
  out_num("oom", oom_before >= 0 && oom_after > oom_before);
  out_bytes("p.stderr", errs[0].buf, errs[0].len);
  out_bytes("v.stderr", errs[1].buf, errs[1].len);
  out_str("first", interactor_done_at >= 0 && (program_eof_at < 0 || interactor_done_at <= program_eof_at) ? "v" : "p");
  out_bytes("transcript", transcript.buf, transcript.len);
  out_num("transcript_truncated", transcript.truncated);
  out_end();
  for (int i = 0; i < 2; i++) free(errs[i].buf);
  free(transcript.buf);
}

static void reply_ok(void) {
  out_str("status", "ok");
  out_end();
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  umask(022);
  cgroup_detect();
  build_user_filter();
  if (mkdir(STATE_DIR, 0700) != 0 && errno != EEXIST) fail_hard("mkdir " STATE_DIR);
  if (mkdir(ROOT_DIR, 0755) != 0 && errno != EEXIST) fail_hard("mkdir " ROOT_DIR);
  if (box_reset() != 0) fail_hard("reset box");
  prepare_root();

  out_str("status", "ready");
  out_str("version", SUPERVISOR_VERSION);
  out_str("cgroup_cpu", cg_cpu_file);
  out_str("cgroup_oom", cg_oom_file);
  out_str("cgroup_mem", cg_mem_file);
  out_str("root", root_mode);
  out_end();

  struct message m;
  int rc;
  while ((rc = message_read(stdin, &m)) == 1) {
    const struct field *op = message_get(&m, "op");
    const struct field *boxf = message_get(&m, "boxdir");
    const char *box = box_dir(boxf ? boxf->data : "box");
    if (!op) {
      reply_error("message without op");
    } else if (strcmp(op->data, "ping") == 0) {
      reply_ok();
    } else if (strcmp(op->data, "reset") == 0) {
      /* With a boxdir, only that box (e.g. the interactor's between tests); otherwise both. */
      if ((boxf ? (box ? box_reset_one(box) : -1) : box_reset()) == 0) reply_ok();
      else reply_error("cannot empty the box: %s", strerror(errno));
    } else if (strcmp(op->data, "put") == 0) {
      const char *path = NULL;
      int ok = box != NULL;
      long long mode = 0644;
      for (size_t i = 0; i < m.count && ok; i++) {
        if (strcmp(m.fields[i].key, "path") == 0) path = m.fields[i].data;
        if (strcmp(m.fields[i].key, "mode") == 0) mode = strtoll(m.fields[i].data, NULL, 8);
        if (strcmp(m.fields[i].key, "data") == 0) {
          ok = path && box_put(box, path, m.fields[i].data, m.fields[i].len, (int)(mode & 0755)) == 0;
          path = NULL;
          mode = 0644;
        }
      }
      if (ok) reply_ok();
      else reply_error("cannot write file into the box: %s", strerror(errno));
    } else if (strcmp(op->data, "get") == 0) {
      const struct field *path = message_get(&m, "path");
      size_t len = 0;
      char *data = path ? box_get(box, path->data, (size_t)message_num(&m, "max", 16 << 20), &len) : NULL;
      if (data) {
        out_str("status", "ok");
        out_bytes("data", data, len);
        out_end();
        free(data);
      } else
        reply_error("cannot read %s from the box: %s", path ? path->data : "(no path)", strerror(errno));
    } else if (strcmp(op->data, "snapshot") == 0) {
      /* The reply's status comes last: a snapshot too large for its budget ends with an error. */
      snapshot_budget = (size_t)message_num(&m, "max", 256 << 20);
      snapshot_root = box;
      int rc = box ? nftw(box, snapshot_entry, 32, FTW_PHYS) : -1;
      if (rc == 0) reply_ok();
      else reply_error("cannot snapshot the box (too large, or unreadable)");
    } else if (strcmp(op->data, "exec") == 0) {
      handle_exec(&m);
    } else if (strcmp(op->data, "interact") == 0) {
      handle_interact(&m);
    } else {
      reply_error("unknown op %s", op->data);
    }
    message_free(&m);
  }
  if (rc < 0) {
    fprintf(stderr, "verdict-supervisor: framing error on stdin\n");
    return 3;
  }
  return 0;
}
