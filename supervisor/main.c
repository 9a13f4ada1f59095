/*
 * verdict-supervisor: the one long-lived process inside a Verdict language container (pid 1).
 *
 * Theory of operation. The runner drives it over the container's attached stdin/stdout with a
 * tiny framed protocol (wire.c, docs/protocol.md). At start it prepares the sandbox root once
 * (root.c): overlays of the image and a copy of /etc in a user and mount namespace of its own, so
 * no Docker mount is ever in a sandbox's view. The boxes (box.c) hold a submission's files. For
 * each `exec` (run.c) it builds a fresh inner sandbox (sandbox.c): new user, mount, pid, net, ipc,
 * uts and cgroup namespaces, the prepared root, a fresh size-limited tmpfs as /tmp, the box at
 * /box, a new /proc and a minimal /dev. The program runs under rlimits and a seccomp filter
 * stricter than the container's (filter.c). The sandbox's own init (pid 1 of the new pid
 * namespace) accounts the CPU of every process of the submission and stops it at its limit; the
 * supervisor meters the submission's memory on the container's cgroup (cgroup.c) and asks the init
 * to stop it at its memory, wall or output limit; the init then kills and reaps everything and
 * reports what all of it used. `interact` runs a program and an interactor the same way, relaying
 * their conversation.
 *
 * Written in C because it must start in microseconds, use no memory to speak of, and make raw
 * namespace/mount/seccomp calls. It is built statically in the base image.
 */
#include "supervisor.h"

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  umask(022);
  cgroup_detect();
  count_cpus();
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
  out_str("stdin_stream", "1");
  out_end();

  struct message m;
  int rc;
  while ((rc = message_read(&m)) == 1) {
    const struct field *op = message_get(&m, "op");
    /* Live input that came after its run ended (the two crossed): nothing to feed, and no reply. */
    if (op && (strcmp(op->data, "stdin") == 0 || strcmp(op->data, "stdin_eof") == 0)) {
      message_free(&m);
      continue;
    }
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
      if (box_put_fields(box, &m) == 0) reply_ok();
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
      int rc = box ? box_snapshot(box, (size_t)message_num(&m, "max", 256 << 20)) : -1;
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
