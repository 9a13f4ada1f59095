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
long long cgroup_cpu_us(void) {
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
long long cgroup_mem_kb(void) {
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

long long cgroup_oom_kills(void) {
  if (!cg_oom_file[0]) return -1;
  return read_keyed(cg_oom_file, "oom_kill");
}
