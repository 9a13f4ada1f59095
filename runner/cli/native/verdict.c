/* The native `verdict` client: `verdict run` and `verdict judge` in a few milliseconds when this
 * user's background runner (runner/daemon/) is up, without starting Node (whose start alone takes
 * longer than a warm run). It does not parse the command: it hands its arguments, working folder,
 * which of its streams are terminals and the settings a daemon must match to the daemon's native
 * door (cli.sock, runner/daemon/native-door.ts), which carries out the CLI's quick path for it and
 * sends back what to print and the exit status. Everything else — other commands, no daemon, a
 * daemon of another build, a call the quick path declines — is handed, untouched, to the Node CLI
 * (bin/verdict.js of the same checkout) with exec: nothing has been read from stdin by then.
 *
 * The door's frames: a kind byte, a 4-byte big-endian length, the payload. Client to daemon: 'H'
 * hello (NUL-ended strings: "v1", then r<root> c<cwd> t<three 0/1: stdin, stdout, stderr are
 * terminals> a<argument>... e<NAME=value>...), 'I' standard input (length 0: its end), 'C' Ctrl-C.
 * Daemon to client: 'D' decline, 'R' send standard input, 'O' stdout bytes, 'E' stderr bytes,
 * 'X' exit status (4 bytes). docs/daemon.md has the rest. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FRAME (64u << 20) /* past any output the daemon sends in one frame */
#define EXIT_INTERNAL 3
#define EXIT_INTERRUPTED 130

static char root[PATH_MAX];
static char **args;
static volatile sig_atomic_t interrupts;
static int interrupt_sent;
static int sock = -1;

/* The Node CLI of the same checkout, with the same arguments: every call the door does not take. */
static void hand_to_node(void) {
  char script[PATH_MAX + 32];
  if (sock >= 0) close(sock);
  signal(SIGPIPE, SIG_DFL); /* an ignored signal would stay ignored in Node */
  snprintf(script, sizeof script, "%s/bin/verdict.js", root);
  args[0] = script;
  execv(script, args);
  fprintf(stderr, "verdict: cannot start the Node CLI %s: %s\n", script, strerror(errno));
  exit(EXIT_INTERNAL);
}

/* The checkout this binary belongs to: dist/bin/verdict -> three folders up. */
static int find_root(void) {
  ssize_t n = readlink("/proc/self/exe", root, sizeof root - 1);
  if (n <= 0) return 0;
  root[n] = 0;
  for (int up = 0; up < 3; up++) {
    char *slash = strrchr(root, '/');
    if (!slash || slash == root) return 0;
    *slash = 0;
  }
  return 1;
}

/* As protocol/daemon.ts: off only for 0, false, off or no. */
static int daemon_wanted(void) {
  const char *v = getenv("VERDICT_DAEMON");
  if (!v) return 1;
  return strcasecmp(v, "0") && strcasecmp(v, "false") && strcasecmp(v, "off") && strcasecmp(v, "no");
}

/* As runner/daemon/paths.ts daemonDir(): VERDICT_DAEMON_DIR, else $XDG_RUNTIME_DIR/verdict when that
 * is ours, else the temporary folder's verdict-UID; and only a private folder of this user. */
static int daemon_socket(char *out, size_t cap, const char *cwd) {
  char dir[PATH_MAX];
  const char *given = getenv("VERDICT_DAEMON_DIR");
  const char *runtime = getenv("XDG_RUNTIME_DIR");
  struct stat st;
  int n;
  if (given && *given)
    n = given[0] == '/' ? snprintf(dir, sizeof dir, "%s", given) : snprintf(dir, sizeof dir, "%s/%s", cwd, given);
  else if (runtime && *runtime && stat(runtime, &st) == 0 && st.st_uid == getuid())
    n = snprintf(dir, sizeof dir, "%s/verdict", runtime);
  else {
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = getenv("TMP");
    if (!tmp || !*tmp) tmp = getenv("TEMP");
    if (!tmp || !*tmp) tmp = "/tmp";
    size_t len = strlen(tmp);
    if (len > 1 && tmp[len - 1] == '/') len--;
    n = snprintf(dir, sizeof dir, "%.*s/verdict-%u", (int)len, tmp, (unsigned)getuid());
  }
  if (n < 0 || (size_t)n >= sizeof dir) return 0;
  if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) return 0;
  n = snprintf(out, cap, "%s/cli.sock", dir);
  return n > 0 && (size_t)n < cap;
}

static void on_interrupt(int sig) {
  (void)sig;
  interrupts++;
}

static int write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len) {
    ssize_t n = fd == sock ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    p += n;
    len -= (size_t)n;
  }
  return 1;
}

static int send_frame(char kind, const void *data, uint32_t len) {
  unsigned char head[5] = {(unsigned char)kind, len >> 24, len >> 16, len >> 8, len};
  return write_all(sock, head, 5) && write_all(sock, data, len);
}

/* Ctrl-C: the first asks the daemon to cancel the run (it says so and ends the command), a second leaves at once. */
static void check_interrupts(void) {
  if (interrupts >= 2) _exit(EXIT_INTERRUPTED);
  if (interrupts == 1 && !interrupt_sent) {
    interrupt_sent = 1;
    send_frame('C', "", 0);
  }
}

/* Exactly len bytes from the socket; 0 at its end. */
static int read_full(void *buf, size_t len) {
  char *p = buf;
  while (len) {
    ssize_t n = read(sock, p, len);
    if (n < 0 && errno == EINTR) {
      check_interrupts();
      continue;
    }
    if (n <= 0) return 0;
    p += n;
    len -= (size_t)n;
  }
  return 1;
}

struct buffer {
  char *data;
  size_t len, cap;
};

static void put(struct buffer *b, char prefix, const char *text) {
  size_t need = strlen(text) + 2;
  if (b->len + need > b->cap) {
    b->cap = (b->len + need) * 2;
    b->data = realloc(b->data, b->cap);
    if (!b->data) exit(EXIT_INTERNAL);
  }
  b->data[b->len++] = prefix;
  memcpy(b->data + b->len, text, need - 1);
  b->len += need - 1;
}

/* The settings a daemon must match (runner/daemon/paths.ts daemonKey) and VERDICT_DAEMON: nothing else leaves. */
static int sent_variable(const char *entry) {
  return !strncmp(entry, "VERDICT_", 8) || !strncmp(entry, "DOCKER_", 7) || !strncmp(entry, "XDG_CACHE_HOME=", 15);
}

/* All of stdin to the daemon; stops early (and quietly) if the daemon has stopped listening. */
static void send_input(void) {
  static char chunk[1 << 16];
  for (;;) {
    ssize_t n = read(0, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) {
      check_interrupts();
      continue;
    }
    if (n <= 0) break;
    if (!send_frame('I', chunk, (uint32_t)n)) return;
  }
  send_frame('I', "", 0);
}

int main(int argc, char **argv) {
  extern char **environ;
  char cwd[PATH_MAX], path[sizeof ((struct sockaddr_un *)0)->sun_path];
  args = argv;
  if (!find_root()) {
    fprintf(stderr, "verdict: cannot tell where this program is installed (/proc/self/exe)\n");
    return EXIT_INTERNAL;
  }
  if (argc < 2 || (strcmp(argv[1], "run") && strcmp(argv[1], "judge")) || !daemon_wanted() || !getcwd(cwd, sizeof cwd) ||
      !daemon_socket(path, sizeof path, cwd))
    hand_to_node();

  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  memcpy(addr.sun_path, path, strlen(path) + 1);
  sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) hand_to_node();

  struct buffer hello = {0};
  char ttys[4] = {'0' + isatty(0), '0' + isatty(1), '0' + isatty(2), 0};
  put(&hello, 'v', "1");
  put(&hello, 'r', root);
  put(&hello, 'c', cwd);
  put(&hello, 't', ttys);
  for (int i = 1; i < argc; i++) put(&hello, 'a', argv[i]);
  for (char **e = environ; *e; e++)
    if (sent_variable(*e)) put(&hello, 'e', *e);
  if (!send_frame('H', hello.data, (uint32_t)hello.len)) hand_to_node();
  free(hello.data);

  struct sigaction sa = {.sa_handler = on_interrupt}; /* no SA_RESTART: a blocked read returns to check */
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  int answered = 0;
  char *payload = NULL;
  for (;;) {
    unsigned char head[5];
    if (!read_full(head, 5)) {
      /* Gone before a word: as good as no daemon. After one: the command was under way. */
      if (!answered) hand_to_node();
      fprintf(stderr, "verdict: the background runner closed the connection before the command ended (its log: verdict daemon status).\n");
      return EXIT_INTERNAL;
    }
    uint32_t len = (uint32_t)head[1] << 24 | (uint32_t)head[2] << 16 | (uint32_t)head[3] << 8 | head[4];
    if (len > MAX_FRAME || !(payload = realloc(payload, len + 1)) || !read_full(payload, len)) {
      fprintf(stderr, "verdict: the background runner sent a malformed answer.\n");
      return EXIT_INTERNAL;
    }
    if (head[0] == 'D' && !answered) hand_to_node();
    answered = 1;
    switch (head[0]) {
    case 'R': send_input(); break;
    case 'O': write_all(1, payload, len); break; /* a closed stdout (| head) is not the run's failure */
    case 'E': write_all(2, payload, len); break;
    case 'X':
      if (len != 4) return EXIT_INTERNAL;
      return (int)((unsigned char)payload[0] << 24 | (unsigned char)payload[1] << 16 | (unsigned char)payload[2] << 8 | (unsigned char)payload[3]);
    default:
      fprintf(stderr, "verdict: the background runner sent an unknown frame (%d); is it of another build?\n", head[0]);
      return EXIT_INTERNAL;
    }
  }
}
