/* The supervisor's one header: shared types, then each file's API under its own heading
 * (the way isolate declares its files). Theory of operation: main.c and docs/design.md. */
#ifndef VERDICT_SUPERVISOR_H
#define VERDICT_SUPERVISOR_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
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

#define SUPERVISOR_VERSION "5"
#define STATE_DIR "/tmp/verdict"
#define ROOT_DIR STATE_DIR "/root"
#define EMPTY_DIR STATE_DIR "/empty"
#define TICK_MS 10          /* how often limits and the memory meter are checked */
#define STOP_GRACE_MS 2000  /* a sandbox init that does not report this long after a stop is killed */
#define MAX_FIELD (512u << 20)
#define MAX_ARGS 256

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* ---------- shared types ---------- */

struct field {
  char key[32];
  char *data;
  size_t len;
};

struct message {
  struct field *fields;
  size_t count, cap;
};

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

/* The submission's memory, measured on the container's cgroup (anonymous + shared, see cgroup_mem_kb)
 * above what was there before it started, less what we hold ourselves for its output. */
struct meter {
  long long base_kb, peak_kb;
};

/* ---------- wire.c: the protocol ---------- */

void fail_hard(const char *what);
void message_free(struct message *m);
int message_read(struct message *m);
/* Whether bytes of the next request are already buffered (so polling fd 0 would not show them). */
int wire_pending(void);
const struct field *message_get(const struct message *m, const char *key);
long long message_num(const struct message *m, const char *key, long long fallback);
void out_bytes(const char *key, const void *data, size_t len);
void out_str(const char *key, const char *s);
void out_num(const char *key, long long v);
void write_all_fd(int fd, const void *buf, size_t len);
/* Ends a reply: first empties the box a request asked to have emptied (box_empty_before_reply), then
 * says `clean` when both boxes are known empty. out_part_end ends a message that is not the reply (a chunk). */
void out_end(void);
void out_part_end(void);
void reply_error(const char *fmt, ...);
void reply_ok(void);

/* ---------- cgroup.c: the container's counters ---------- */

extern char cg_cpu_file[256], cg_oom_file[256], cg_mem_file[256];
void cgroup_detect(void);
long long cgroup_cpu_us(void);
long long cgroup_mem_kb(void);
long long cgroup_oom_kills(void);

/* ---------- filter.c: the program's seccomp filter ---------- */

/* The filter as BPF, compiled once: each program loads it with one prctl (libseccomp's seccomp_load
 * would generate the program again in every child). */
extern struct sock_fprog user_filter_bpf;
void build_user_filter(void);

/* ---------- box.c: the boxes ---------- */

const char *box_dir(const char *name);
int box_reset_one(const char *dir);
int box_reset(void);
int box_put(const char *box, const char *rel, const char *data, size_t len, int mode);
int box_put_fields(const char *box, const struct message *m);
/* What may be in the boxes: a box is marked used before anything can write into it (a put, a sandbox
 * that binds it) and known empty only once emptied. Replies say `clean` when both are known empty,
 * so the runner can skip a reset that would find nothing to remove. */
void box_mark_used(const char *dir);
int boxes_clean(void);
/* The box to empty before the current request's reply is sent, whatever the reply (exec's empty_after). */
extern const char *box_empty_before_reply;
char *box_get(const char *box, const char *rel, size_t max, size_t *len);
int box_snapshot(const char *box, size_t max);

/* ---------- root.c: the sandbox root ---------- */

extern const char *root_mode;
int map_self(uid_t uid, gid_t gid);
int remount_readonly(const char *path);
void prepare_root(void);

/* ---------- net.c: the network namespace exec sandboxes share while it is unused ---------- */

int net_for_sandbox(void);

/* ---------- sandbox.c: one inner sandbox ---------- */

/* CPUs of the machine (configured, online or not; a large number when unknown), counted once at start. */
extern long cpu_count;
void count_cpus(void);
int64_t now_us(void);
int sandbox_spawn(struct exec_request *rq, int stdin_fd, int out_fd, int err_fd, int own_net, struct sandbox *sb);
void sandbox_stop(struct sandbox *sb, const char *limit);
void sandbox_read_report(struct sandbox *sb);
const char *sandbox_finish(struct sandbox *sb);
void sandbox_reap(struct sandbox *sb);
void out_sandbox(const char *prefix, struct sandbox *sb, long long cpu_fallback_us);
long long elapsed_ms(const struct sandbox *sb);
void enforce_limits(struct sandbox *sb, const struct exec_request *rq, int cpu_exact);
void meter_start(struct meter *m);
int meter_sample(struct meter *m, size_t ours_bytes, long long limit_kb);

/* ---------- run.c: exec and interact ---------- */

void handle_exec(const struct message *m);
void handle_interact(const struct message *m);

#endif
