// `verdict daemon start|stop|status`: this user's background runner (runner/daemon/, docs/daemon.md).
// `run` and `judge` start it by themselves; these are for looking at it and stopping it.
import { Command } from 'commander';

export function addDaemonCommand(program: Command): void {
  const daemon = program.command('daemon').description("This user's background runner, which `run` and `judge` attach to.");
  daemon
    .command('start')
    .description('Start it (in the background; --foreground to stay attached, as `run` starts it).')
    .option('--foreground', 'run it in this process until it stops')
    .action(async (opts: { foreground?: boolean }) => {
      if (opts.foreground) {
        const { runDaemon } = await import('../daemon/daemon');
        await runDaemon();
        return;
      }
      const { attachDaemon, daemonInfo } = await import('../daemon/client');
      const { daemonDir, socketPath } = await import('../daemon/paths');
      if (!(await attachDaemon({ daemon: true }))) {
        process.exitCode = 3;
        return;
      }
      const info = await daemonInfo(socketPath(daemonDir()));
      process.stdout.write(`verdict daemon: pid ${info?.pid} on ${socketPath(daemonDir())}\n`);
    });
  daemon
    .command('stop')
    .description('Stop it: runs still followed by their callers end first, then its containers are removed.')
    .action(async () => {
      const { stopDaemon } = await import('../daemon/client');
      const { daemonDir, socketPath } = await import('../daemon/paths');
      const stopped = await stopDaemon(socketPath(daemonDir()), true);
      process.stdout.write(stopped ? 'verdict daemon: stopped\n' : 'verdict daemon: none was running\n');
    });
  daemon
    .command('status')
    .description('Say whether it runs: pid, build, start time, idle time-out, memory.')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { daemonInfo } = await import('../daemon/client');
      const { daemonDir, socketPath } = await import('../daemon/paths');
      const socket = socketPath(daemonDir());
      const info = await daemonInfo(socket);
      if (opts.json) process.stdout.write(JSON.stringify(info ?? null) + '\n');
      else if (!info) process.stdout.write(`verdict daemon: not running (${socket})\n`);
      else
        process.stdout.write(
          `verdict daemon: pid ${info.pid}, build ${info.build}, since ${info.startedAt}, leaves after ${info.idleMs / 1000} s idle, ${(info.rssBytes / 2 ** 20).toFixed(0)} MiB resident, on ${socket}\n`,
        );
      if (!info) process.exitCode = 1;
    });
}
