/* The seccomp filter every program gets on top of the container's: built and compiled to BPF once,
 * loaded in each program just before it starts. */
#include "supervisor.h"

static scmp_filter_ctx user_filter;
struct sock_fprog user_filter_bpf;

/* The rules as the BPF program the kernel takes, exported once through a pipe. */
static void compile_user_filter(void) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) fail_hard("pipe for the seccomp filter");
  if (seccomp_export_bpf(user_filter, p[1]) != 0) fail_hard("seccomp_export_bpf");
  close(p[1]);
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  ssize_t n;
  while (buf && (n = read(p[0], buf + len, cap - len)) > 0)
    if ((len += (size_t)n) == cap) buf = realloc(buf, cap *= 2);
  close(p[0]);
  if (!buf || len == 0 || len % sizeof(struct sock_filter) || len / sizeof(struct sock_filter) > BPF_MAXINSNS) fail_hard("the seccomp filter's BPF");
  user_filter_bpf.len = (unsigned short)(len / sizeof(struct sock_filter));
  user_filter_bpf.filter = (struct sock_filter *)buf;
  seccomp_release(user_filter);
}

static void deny(const char *name, int err) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR) return; /* not on this architecture or libseccomp */
  if (seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(err), nr, 0) != 0) {
    fprintf(stderr, "verdict-supervisor: cannot deny %s\n", name);
    exit(2);
  }
}

void build_user_filter(void) {
  static const char *denied[] = {
      "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
      "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
      "fsmount", "fspick", "mount_setattr", "unshare", "setns", "sethostname", "setdomainname",
      "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
      "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
      "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "syslog",
      "lookup_dcookie", "open_by_handle_at", "name_to_handle_at", "settimeofday", "clock_settime",
      "clock_adjtime", "adjtimex", "vhangup", "iopl", "ioperm", "uselib", "nfsservctl",
      "fanotify_init", "personality", "_sysctl", "vm86", "vm86old", "modify_ldt"};
  static const unsigned long ns_flags[] = {CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
                                           CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWTIME};
  user_filter = seccomp_init(SCMP_ACT_ALLOW);
  if (!user_filter) fail_hard("seccomp_init");
  for (size_t i = 0; i < sizeof denied / sizeof *denied; i++) deny(denied[i], EPERM);
  /* io_uring: ENOSYS so runtimes fall back to ordinary syscalls. */
  deny("io_uring_setup", ENOSYS);
  deny("io_uring_enter", ENOSYS);
  deny("io_uring_register", ENOSYS);
  /* clone3 passes flags in memory, which seccomp cannot inspect: ENOSYS makes libc use clone. */
  deny("clone3", ENOSYS);
  for (size_t i = 0; i < sizeof ns_flags / sizeof *ns_flags; i++)
    if (seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i])) != 0)
      fail_hard("seccomp clone rule");
  /* Address families: AF_UNIX, AF_INET and AF_INET6 only (the last two reach nothing but the sandbox's
   * own loopback). Everything else (AF_VSOCK, AF_NETLINK, AF_PACKET, ...) is refused, whatever the
   * upper 32 bits of the argument: any value above AF_INET6 is denied as a 64-bit number. */
  int ok = seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 0)) == 0 &&
           seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_GT, 10)) == 0 &&
           seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socketpair), 1, SCMP_A0(SCMP_CMP_NE, 1)) == 0;
  for (int family = 3; ok && family < 10; family++)
    ok = seccomp_rule_add(user_filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, family)) == 0;
  if (!ok) fail_hard("seccomp socket rules");
  compile_user_filter();
}
