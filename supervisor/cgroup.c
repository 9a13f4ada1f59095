/* The container's cgroup, v1 and v2: the CPU counter (a backstop), OOM kills, and the memory
 * meter's source (anonymous + shared memory). Read-only: the supervisor changes nothing there. */
#include "supervisor.h"

char cg_cpu_file[256], cg_oom_file[256], cg_mem_file[256];

static int cg_cpu_is_v2, cg_oom_is_v2, cg_mem_is_v2;

void cgroup_detect(void) {
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

/* The files are opened once and read with pread: the meter samples every tick of every run. */
static int cg_cpu_fd = -1, cg_oom_fd = -1, cg_mem_fd = -1;

static int open_once(int *fd, const char *path) {
  if (*fd < 0 && path[0]) *fd = open(path, O_RDONLY | O_CLOEXEC);
  return *fd;
}

/* The whole file, NUL-terminated, in buf; its length, or -1. */
static ssize_t read_all(int fd, char *buf, size_t cap) {
  if (fd < 0) return -1;
  ssize_t n = pread(fd, buf, cap - 1, 0);
  if (n < 0) return -1;
  buf[n] = 0;
  return n;
}

/* The value of "key N" at the start of a line of a flat keyed file (memory.stat, cpu.stat, ...). */
static long long keyed(const char *text, const char *key) {
  size_t klen = strlen(key);
  for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
    if (strncmp(line, key, klen) == 0 && line[klen] == ' ') return strtoll(line + klen + 1, NULL, 10);
  return -1;
}

/* CPU time used by the whole container so far, in microseconds (-1 when unknown). */
long long cgroup_cpu_us(void) {
  char buf[4096];
  if (read_all(open_once(&cg_cpu_fd, cg_cpu_file), buf, sizeof buf) < 0) return -1;
  if (cg_cpu_is_v2) return keyed(buf, "usage_usec");
  char *end;
  long long ns = strtoll(buf, &end, 10);
  return end == buf || ns < 0 ? -1 : ns / 1000;
}

/* Memory the container holds that a program can own: anonymous memory of every process (heaps,
 * stacks, unreaped children) and shared memory (tmpfs files, SysV segments, memfds, /dev/shm), in KiB.
 * File-backed page cache (the image's binaries and libraries) is left out: it is shared and reclaimable. */
long long cgroup_mem_kb(void) {
  char buf[16384];
  if (read_all(open_once(&cg_mem_fd, cg_mem_file), buf, sizeof buf) < 0) return -1;
  long long anon = keyed(buf, cg_mem_is_v2 ? "anon" : "rss"), shmem = keyed(buf, "shmem");
  return anon < 0 || shmem < 0 ? -1 : (anon + shmem) / 1024;
}

long long cgroup_oom_kills(void) {
  char buf[4096];
  if (read_all(open_once(&cg_oom_fd, cg_oom_file), buf, sizeof buf) < 0) return -1;
  return keyed(buf, "oom_kill");
}
