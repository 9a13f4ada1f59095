/* The boxes: the submission's files (box) and the validator's (vbox), emptied between
 * submissions. Paths are relative and never leave the box. */
#include "supervisor.h"

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
const char *box_dir(const char *name) {
  if (!name || strcmp(name, "box") == 0) return STATE_DIR "/box";
  if (strcmp(name, "vbox") == 0) return STATE_DIR "/vbox";
  return NULL;
}

static int used_box = 1, used_vbox = 1; /* unknown until first emptied */
const char *box_empty_before_reply;

static int *used_flag(const char *dir) {
  if (dir && strcmp(dir, STATE_DIR "/box") == 0) return &used_box;
  if (dir && strcmp(dir, STATE_DIR "/vbox") == 0) return &used_vbox;
  return NULL;
}

void box_mark_used(const char *dir) {
  int *f = used_flag(dir);
  if (f) *f = 1;
}

int boxes_clean(void) { return !used_box && !used_vbox; }

int box_reset_one(const char *dir) {
  mkdir(dir, 0755);
  chmod(dir, 0755);
  nftw(dir, make_writable, 32, FTW_PHYS);
  int rc = nftw(dir, remove_entry, 32, FTW_PHYS | FTW_DEPTH);
  int *f = used_flag(dir);
  if (f && rc == 0) *f = 0;
  return rc;
}

int box_reset(void) {
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

int box_put(const char *box, const char *rel, const char *data, size_t len, int mode) {
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

/* The files of a request (put, exec): repeated path, optional mode, data fields, in order. */
int box_put_fields(const char *box, const struct message *m) {
  const char *path = NULL;
  long long mode = 0644;
  if (!box) return -1;
  box_mark_used(box);
  for (size_t i = 0; i < m->count; i++) {
    if (strcmp(m->fields[i].key, "path") == 0) path = m->fields[i].data;
    if (strcmp(m->fields[i].key, "mode") == 0) mode = strtoll(m->fields[i].data, NULL, 8);
    if (strcmp(m->fields[i].key, "data") == 0) {
      if (!path || box_put(box, path, m->fields[i].data, m->fields[i].len, (int)(mode & 0755)) != 0) return -1;
      path = NULL;
      mode = 0644;
    }
  }
  return 0;
}

/* Reads a regular file of the box (e.g. a validator's feedback), at most `max` bytes. */
char *box_get(const char *box, const char *rel, size_t max, size_t *len) {
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

/* Sends every regular file of a box as path/mode/data fields; nonzero when over max bytes or unreadable. */
int box_snapshot(const char *box, size_t max) {
  snapshot_budget = max;
  snapshot_root = box;
  return nftw(box, snapshot_entry, 32, FTW_PHYS);
}
