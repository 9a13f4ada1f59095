/* The sandbox root, prepared once per container in our own user and mount namespace: what every
 * sandbox sees as "/" (see docs/design.md, "The sandbox root"). */
#include "supervisor.h"

/* What every sandbox sees as "/": a read-only tmpfs holding the image's top-level symlinks, a fresh
 * read-only overlay of each of its directories (/usr, /opt, /var, ...), a copy of /etc, a minimal
 * read-only /dev, and mount points for what each sandbox mounts itself (/box, /tmp, /proc). Built in
 * the supervisor's own user and mount namespace, so no Docker mount is in the sandbox's view: /proc/self/mountinfo shows
 * no host path and no container id (an overlay's options name only its container-side lower
 * directory), and none of Docker's /etc/hosts, /etc/hostname, /etc/resolv.conf bind mounts. /sys is
 * an empty tmpfs but for /sys/devices/system/cpu (libc and runtimes count CPUs there): no cgroup
 * counters, no firmware tables. Where a kernel refuses an overlay in a user namespace (before 5.11),
 * that directory is bound read-only instead and root_mode says "bind" (paths then show). */
const char *root_mode = "overlay";

/* Writes text to a file: an existing one (a /proc control file), or with O_CREAT a new one (0644). */
static int write_file(const char *path, const char *text, int create) {
  int fd = open(path, O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC | O_NOFOLLOW : 0), 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Maps our own uid and gid into a user namespace we just entered (the only mapping allowed unprivileged). */
int map_self(uid_t uid, gid_t gid) {
  char buf[64];
  if (write_file("/proc/self/setgroups", "deny", 0) != 0) return -1;
  snprintf(buf, sizeof buf, "%u %u 1\n", uid, uid);
  if (write_file("/proc/self/uid_map", buf, 0) != 0) return -1;
  snprintf(buf, sizeof buf, "%u %u 1\n", gid, gid);
  return write_file("/proc/self/gid_map", buf, 0);
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

int remount_readonly(const char *path) {
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
 * replaced by our own. The copies keep the image's times: caches keyed by a source's mtime stay valid
 * (Python's bytecode of /etc/python3.11/sitecustomize.py was stale in every sandbox, so each Python
 * start compiled it again: ~1.5 ms of a 12 ms hello). */
static char copy_dst[PATH_MAX];

static void copy_times(const char *dst, const struct stat *st) {
  struct timespec times[2] = {st->st_atim, st->st_mtim};
  utimensat(AT_FDCWD, dst, times, AT_SYMLINK_NOFOLLOW);
}

static int copy_dir_times(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  char dst[PATH_MAX];
  (void)ftw;
  if ((type == FTW_DP || type == FTW_DNR) && snprintf(dst, sizeof dst, "%s%s", copy_dst, path + strlen("/etc")) < (int)sizeof dst)
    copy_times(dst, st);
  return 0;
}

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
    if (n > 0 && (target[n] = 0, symlink(target, dst) == 0)) copy_times(dst, st);
  } else if (type == FTW_F && S_ISREG(st->st_mode)) {
    int in = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) return 0;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st->st_mode & 0755);
    char buf[65536];
    ssize_t n;
    while (out >= 0 && (n = read(in, buf, sizeof buf)) > 0) write_all_fd(out, buf, (size_t)n);
    if (out >= 0) {
      struct timespec times[2] = {st->st_atim, st->st_mtim};
      futimens(out, times);
      close(out);
    }
    close(in);
  }
  return 0;
}

static int bind_dev(const char *name) {
  char src[64], dst[PATH_MAX];
  snprintf(src, sizeof src, "/dev/%s", name);
  snprintf(dst, sizeof dst, ROOT_DIR "/dev/%s", name);
  int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) return -1;
  close(fd);
  return mount(src, dst, NULL, MS_BIND, NULL);
}

/* A minimal /dev, read-only: the same for every sandbox, so made once here rather than in each. */
static void prepare_dev(void) {
  if (mkdir(ROOT_DIR "/dev", 0755) != 0 && errno != EEXIST) fail_hard("mkdir /dev in the sandbox root");
  if (mount("tmpfs", ROOT_DIR "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755,nr_inodes=64") != 0) fail_hard("tmpfs /dev");
  static const char *devices[] = {"null", "zero", "full", "random", "urandom"};
  for (size_t i = 0; i < sizeof devices / sizeof *devices; i++)
    if (bind_dev(devices[i]) != 0) fail_hard("bind a device into /dev");
  static const char *links[][2] = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
                                   {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
                                   {"/tmp", "shm"}};
  char path[PATH_MAX];
  for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
    snprintf(path, sizeof path, ROOT_DIR "/dev/%s", links[i][1]);
    if (symlink(links[i][0], path) != 0) fail_hard("a /dev symlink");
  }
  if (remount_readonly(ROOT_DIR "/dev") != 0) fail_hard("remount /dev read-only");
}

void prepare_root(void) {
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
    /* Mounted by each sandbox (box, tmp, proc), made below (dev, sys, etc) or left empty (run). */
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
  if (write_file(ROOT_DIR "/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", 1) != 0 ||
      write_file(ROOT_DIR "/etc/hostname", "verdict\n", 1) != 0 || write_file(ROOT_DIR "/etc/resolv.conf", "", 1) != 0)
    fail_hard("write /etc files of the sandbox root");
  nftw("/etc", copy_dir_times, 32, FTW_PHYS | FTW_DEPTH); /* directories last: their entries changed them */

  prepare_dev();

  if (mount("tmpfs", ROOT_DIR "/sys", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=16k,mode=0555,nr_inodes=16") != 0 ||
      mkdir(ROOT_DIR "/sys/devices", 0555) != 0 || mkdir(ROOT_DIR "/sys/devices/system", 0555) != 0 ||
      mkdir(ROOT_DIR "/sys/devices/system/cpu", 0555) != 0)
    fail_hard("the sandbox's /sys");
  if (mount("/sys/devices/system/cpu", ROOT_DIR "/sys/devices/system/cpu", NULL, MS_BIND, NULL) != 0 ||
      remount_readonly(ROOT_DIR "/sys/devices/system/cpu") != 0)
    fail_hard("bind /sys/devices/system/cpu");
  if (mount(NULL, ROOT_DIR "/sys", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) fail_hard("/sys read-only");
  /* /run stays empty: each sandbox also binds it over the /proc directories it masks (sandbox.c). */
  if (mkdir(ROOT_DIR "/run", 0755) != 0 && errno != EEXIST) fail_hard("mkdir /run in the sandbox root");
  if (mount(NULL, ROOT_DIR, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0) fail_hard("root read-only");
}
