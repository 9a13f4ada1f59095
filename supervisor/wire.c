/* The wire: the framed protocol spoken with the runner over stdin/stdout (docs/protocol.md).
 * A field is "KEY LENGTH\n" and exactly LENGTH raw bytes; a message ends with "end 0\n". */
#include "supervisor.h"

void fail_hard(const char *what) {
  fprintf(stderr, "verdict-supervisor: fatal: %s: %s\n", what, strerror(errno));
  exit(2);
}

void message_free(struct message *m) {
  for (size_t i = 0; i < m->count; i++) free(m->fields[i].data);
  free(m->fields);
  memset(m, 0, sizeof *m);
}

/* Requests are read from fd 0 through our own buffer (not stdio's), so that a run can tell whether
 * a whole message may already be waiting here before it polls fd 0 (live input, see run.c). */
static struct {
  char buf[65536];
  size_t pos, len;
} in;

int wire_pending(void) { return in.pos < in.len; }

static int in_fill(void) {
  if (in.pos < in.len) return 1;
  ssize_t n;
  do n = read(0, in.buf, sizeof in.buf);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return 0;
  in.pos = 0;
  in.len = (size_t)n;
  return 1;
}

/* A line up to and without its LF; 1 when read, 0 on EOF before any byte, -1 on EOF inside or a line too long. */
static int in_line(char *line, size_t cap) {
  size_t k = 0;
  for (;;) {
    if (!in_fill()) return k == 0 ? 0 : -1;
    char c = in.buf[in.pos++];
    if (c == '\n') break;
    if (k + 1 >= cap) return -1;
    line[k++] = c;
  }
  line[k] = 0;
  return 1;
}

static int in_bytes(char *dst, size_t n) {
  size_t have = in.len - in.pos < n ? in.len - in.pos : n;
  memcpy(dst, in.buf + in.pos, have);
  in.pos += have;
  while (have < n) { /* the rest straight into place: large fields (stdin, files) skip the buffer */
    ssize_t got = read(0, dst + have, n - have);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return -1;
    have += (size_t)got;
  }
  return 0;
}

/* Returns 1 on a message, 0 on clean EOF, -1 on a framing error. */
int message_read(struct message *m) {
  memset(m, 0, sizeof *m);
  for (;;) {
    char line[128];
    int got = in_line(line, sizeof line);
    if (got <= 0) return got == 0 && m->count == 0 ? 0 : -1;
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
    if (len && in_bytes(f->data, len) != 0) return -1;
    f->data[len] = 0;
  }
}

const struct field *message_get(const struct message *m, const char *key) {
  for (size_t i = 0; i < m->count; i++)
    if (strcmp(m->fields[i].key, key) == 0) return &m->fields[i];
  return NULL;
}

long long message_num(const struct message *m, const char *key, long long fallback) {
  const struct field *f = message_get(m, key);
  return f ? strtoll(f->data, NULL, 10) : fallback;
}

void out_bytes(const char *key, const void *data, size_t len) {
  fprintf(stdout, "%s %zu\n", key, len);
  if (len) fwrite(data, 1, len, stdout);
}

void out_str(const char *key, const char *s) { out_bytes(key, s, strlen(s)); }

void out_num(const char *key, long long v) {
  char b[32];
  snprintf(b, sizeof b, "%lld", v);
  out_str(key, b);
}

void write_all_fd(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    len -= (size_t)n;
  }
}

void out_part_end(void) {
  fputs("end 0\n", stdout);
  fflush(stdout);
}

void out_end(void) {
  if (box_empty_before_reply) {
    box_reset_one(box_empty_before_reply); /* on failure the box stays marked used: no `clean` */
    box_empty_before_reply = NULL;
  }
  if (boxes_clean()) out_str("clean", "1");
  out_part_end();
}

void reply_error(const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  out_str("status", "error");
  out_str("message", msg);
  out_end();
}

void reply_ok(void) {
  out_str("status", "ok");
  out_end();
}
