/* The two ways to run: exec (one program, its output captured or streamed) and interact (a
 * program and an interactor, each in its own sandbox, their conversation relayed and recorded). */
#include "supervisor.h"

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

/* Streaming: what a program writes goes out at once as "chunk" messages, before the final reply. */
static void out_chunk(const char *stream, const char *data, size_t len) {
  if (!len) return;
  out_str("status", "chunk");
  out_str("stream", stream);
  out_bytes("data", data, len);
  out_part_end();
}

/* Live input: the program reads a pipe that we fill with what the runner sends while it runs
 * ("stdin" messages, then "stdin_eof"), one message at a time, read only once the last is written. */
struct feed {
  int fd; /* write end of the program's stdin; -1 once closed */
  struct message msg; /* the message whose data is being written */
  size_t off;
  int have, eof;
};

static void feed_close(struct feed *f) {
  if (f->fd >= 0) close(f->fd), f->fd = -1;
  if (f->have) message_free(&f->msg), f->have = 0;
}

/* Takes the runner's next message; 0 when the runner is gone (a framing error or EOF on fd 0). */
static int feed_take(struct feed *f) {
  if (message_read(&f->msg) != 1) {
    message_free(&f->msg);
    return 0;
  }
  const struct field *op = message_get(&f->msg, "op");
  if (op && strcmp(op->data, "stdin") == 0 && message_get(&f->msg, "data")) {
    f->have = 1, f->off = 0;
    return 1;
  }
  if (op && strcmp(op->data, "stdin_eof") == 0) f->eof = 1;
  else fprintf(stderr, "verdict-supervisor: ignored a message during a run with live input\n");
  message_free(&f->msg);
  if (f->eof) feed_close(f);
  return 1;
}

static void feed_write(struct feed *f) {
  const struct field *d = message_get(&f->msg, "data");
  ssize_t put = d->len > f->off ? write(f->fd, d->data + f->off, d->len - f->off) : 0;
  if (put < 0 && errno != EAGAIN) return feed_close(f); /* the program closed its input */
  if (put > 0) f->off += (size_t)put;
  if (f->off >= d->len) message_free(&f->msg), f->have = 0;
}

void handle_exec(const struct message *m) {
  struct exec_request rq;
  if (parse_exec(m, "", &rq) != 0) return reply_error("exec without arg, or an unknown boxdir");
  /* empty_after: the box is emptied before the reply, whatever the reply (out_end), so nothing of
   * this run is left for another. Files given with the exec go into the box emptied first. */
  if (message_num(m, "empty_after", 0) == 1) box_empty_before_reply = rq.box;
  box_mark_used(rq.box);
  if (message_get(m, "path")) {
    if (box_reset_one(rq.box) != 0) return reply_error("cannot empty the box: %s", strerror(errno));
    if (box_put_fields(rq.box, m) != 0) return reply_error("cannot write file into the box: %s", strerror(errno));
  }
  struct feed feed = {-1, {0}, 0, 0, 0};
  int in;
  if (message_num(m, "stdin_stream", 0) == 1) {
    int inp[2];
    if (pipe2(inp, O_CLOEXEC)) return reply_error("pipe: %s", strerror(errno));
    fcntl(inp[1], F_SETFL, O_NONBLOCK);
    in = inp[0], feed.fd = inp[1];
  } else
    in = stdin_file(message_get(m, "stdin"));
  if (in < 0) return reply_error("stdin file: %s", strerror(errno));
  int outp[2], errp[2];
  if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
    close(in);
    feed_close(&feed);
    return reply_error("pipe: %s", strerror(errno));
  }
  long long oom_before = cgroup_oom_kills();
  long long cpu_before = cgroup_cpu_us();
  struct meter mem;
  meter_start(&mem);
  struct sandbox sb;
  if (sandbox_spawn(&rq, in, outp[1], errp[1], 0, &sb) != 0) {
    close(outp[0]);
    close(errp[0]);
    feed_close(&feed);
    return reply_error("cannot create the sandbox (clone): %s", strerror(errno));
  }
  sb.cpu_start = cpu_before;
  struct capture cap[2] = {{outp[0], NULL, 0, 0, 0}, {errp[0], NULL, 0, 0, 0}};
  size_t budget = (size_t)rq.output, used = 0;
  int streaming = message_num(m, "stream", 0) == 1;
  while (cap[0].fd >= 0 || cap[1].fd >= 0 || !sb.done) {
    if (sb.done) feed_close(&feed);
    /* A message already in our buffer would not wake poll: take it first. */
    if (feed.fd >= 0 && !feed.have && wire_pending() && !feed_take(&feed)) sandbox_stop(&sb, "none"), feed_close(&feed);
    struct pollfd pfd[5];
    int n = 0, idx[5];
    for (int i = 0; i < 2; i++)
      if (cap[i].fd >= 0) pfd[n] = (struct pollfd){cap[i].fd, POLLIN, 0}, idx[n++] = i;
    if (!sb.done) pfd[n] = (struct pollfd){sb.rep_fd, POLLIN, 0}, idx[n++] = 2;
    if (feed.fd >= 0 && !feed.have) pfd[n] = (struct pollfd){0, POLLIN, 0}, idx[n++] = 3;
    if (feed.fd >= 0 && feed.have) pfd[n] = (struct pollfd){feed.fd, POLLOUT, 0}, idx[n++] = 4;
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
      if (idx[k] == 3) {
        if (!feed_take(&feed)) sandbox_stop(&sb, "none"), feed_close(&feed); /* the runner is gone */
        continue;
      }
      if (idx[k] == 4) {
        feed_write(&feed);
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
  feed_close(&feed);
  for (int i = 0; i < 2; i++)
    if (cap[i].fd >= 0) close(cap[i].fd);
  const char *setup_error = sandbox_finish(&sb);
  long long oom_after = cgroup_oom_kills();
  long long cpu_after = cgroup_cpu_us();
  if (setup_error) {
    for (int i = 0; i < 2; i++) free(cap[i].buf);
    reply_error("cannot create the sandbox: %s", setup_error);
    return sandbox_reap(&sb);
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
  sandbox_reap(&sb); /* while the runner reads the reply: before the next request, never after it */
}

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

void handle_interact(const struct message *m) {
  struct exec_request prq, vrq;
  if (parse_exec(m, "p.", &prq) != 0 || parse_exec(m, "v.", &vrq) != 0) return reply_error("interact needs p.arg and v.arg");
  box_mark_used(prq.box);
  box_mark_used(vrq.box);
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
  if (sandbox_spawn(&vrq, v_in[0], v_out[1], v_err[1], 1, &vsb) != 0) return reply_error("cannot create the sandbox: %s", strerror(errno));
  if (sandbox_spawn(&prq, p_in[0], p_out[1], p_err[1], 1, &psb) != 0) {
    sandbox_stop(&vsb, "none");
    sandbox_finish(&vsb);
    sandbox_reap(&vsb);
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
  sandbox_reap(&psb);
  sandbox_reap(&vsb);
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
