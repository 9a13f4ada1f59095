/* The network namespace of exec sandboxes: one of our own, made by the supervisor and shared by one
 * sandbox after the other for as long as none of them used it, replaced as soon as one did. A fresh
 * network namespace per sandbox costs more than anything else in making one (about 0.4 ms of CPU to
 * create on a 6.x kernel, as much again for the kernel's work queue to tear it down, see
 * docs/design.md "What one execution costs"), and almost no program touches the network.
 *
 * Why sharing is safe. The namespace is made in the supervisor's own user namespace (prepare_root),
 * so a sandbox (a user namespace below it) holds no capability over it: no program or sandbox init can
 * bring its loopback up, add an address or a route, or write its sysctls; it stays as made (loopback
 * down, nothing else). The supervisor itself opens no socket in it. Exec sandboxes use it one at a
 * time (interact gives each side a fresh one), and every process of a sandbox is killed and reaped
 * before the next is made. What a program could leave behind for the next one is then kernel state
 * of the namespace: sockets still closing (TIME_WAIT, FIN_WAIT, unix sockets kept alive by descriptors
 * in flight) and the counters of everything it sent, received or tried (SNMP and netstat MIBs, the
 * loopback's counters, socket counts). All of it is in the files compared below; before each sandbox
 * they are compared with what they said when the namespace was new, and any difference (or a file
 * that cannot be read) replaces the namespace: the next program finds nothing an earlier one did. */
#include "supervisor.h"

static const char *const net_files[] = {"/proc/self/net/sockstat", "/proc/self/net/sockstat6", "/proc/self/net/snmp",
                                        "/proc/self/net/snmp6",    "/proc/self/net/netstat",   "/proc/self/net/dev"};
#define NET_STATE_MAX 65536

static char baseline[NET_STATE_MAX];
static size_t baseline_len;
static int shared = -1; /* -1 not yet made, 0 cannot be (each sandbox gets its own), 1 made */

/* sockstat mixes the namespace's counts with the whole kernel's (orphans, allocated sockets, memory):
 * those change with the host's activity, so their values are blanked before comparing. */
static void blank_global_counts(char *text, size_t len) {
  static const char *const global[] = {" orphan ", " alloc ", " mem "};
  for (size_t g = 0; g < sizeof global / sizeof *global; g++)
    for (char *p = text; (p = memmem(p, len - (size_t)(p - text), global[g], strlen(global[g]))); ) {
      p += strlen(global[g]);
      while (p < text + len && *p >= '0' && *p <= '9') *p++ = '#';
    }
}

/* What the namespace's files say now, concatenated; -1 when one cannot be read. A file absent on this
 * kernel (no IPv6) is absent both times. */
static long net_state(char *buf, size_t cap) {
  size_t len = 0;
  for (size_t i = 0; i < sizeof net_files / sizeof *net_files; i++) {
    int fd = open(net_files[i], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) continue;
      return -1;
    }
    size_t start = len;
    ssize_t n;
    while (len < cap && (n = read(fd, buf + len, cap - len)) > 0) len += (size_t)n;
    close(fd);
    if (len >= cap) return -1;
    if (i < 2) blank_global_counts(buf + start, len - start);
    if (len < cap) buf[len++] = 0; /* a separator: one file's end never runs into the next */
  }
  return (long)len;
}

/* Makes a new namespace for the supervisor (and so for the sandboxes it makes next) and notes its state. */
static int net_renew(void) {
  if (unshare(CLONE_NEWNET) != 0) return -1;
  long len = net_state(baseline, sizeof baseline);
  if (len < 0) return -1;
  baseline_len = (size_t)len;
  return 0;
}

/* Called before an exec sandbox is made, when no sandbox is alive: returns the clone flag the sandbox
 * needs (0 to use ours, clean; CLONE_NEWNET where we cannot have one of our own). */
int net_for_sandbox(void) {
  if (shared == 0) return CLONE_NEWNET;
  if (shared == 1) {
    static char now[NET_STATE_MAX];
    long len = net_state(now, sizeof now);
    if (len == (long)baseline_len && memcmp(now, baseline, baseline_len) == 0) return 0;
  }
  if (net_renew() == 0) {
    shared = 1;
    return 0;
  }
  fprintf(stderr, "verdict-supervisor: no network namespace of our own (%s): one per sandbox\n", strerror(errno));
  shared = 0;
  return CLONE_NEWNET;
}
