// The user's background runner: the classroom service (runner/service/serve.ts) in local mode, on a
// unix socket in a private folder, keeping the warm pool for every CLI call, editor and agent of this
// user. It leaves after an idle time with no connection, on POST /daemon/stop (a newer build
// replacing it), and on SIGTERM/SIGINT, removing its containers and its socket.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';
import { daemonKey, daemonDir, ensureDaemonDir, idleMs, nativeSocketPath, socketPath, type DaemonInfo } from './paths';
import { daemonInfo } from './client';

export async function runDaemon(): Promise<void> {
  const dir = ensureDaemonDir(daemonDir());
  const socket = socketPath(dir);
  if (await daemonInfo(socket)) {
    process.stderr.write(`verdict daemon: another one answers on ${socket}; leaving it.\n`);
    return;
  }
  // A socket no one answers on is a dead daemon's; its runs had callers that are gone with it.
  rmSync(socket, { force: true });
  const dataDir = path.join(dir, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  process.env.VERDICT_LOG_LEVEL ??= 'warn';

  const build = daemonKey();
  const idle = idleMs();
  const startedAt = new Date().toISOString();
  let stop: () => void = () => undefined;
  const { serve } = await import('../service/serve');
  const server = await serve({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    socketPath: socket,
    graceMs: 5000,
    routes: (app) => {
      app.get('/daemon', async (): Promise<DaemonInfo> => ({
        pid: process.pid,
        build,
        startedAt,
        idleMs: idle,
        rssBytes: process.memoryUsage.rss(),
      }));
      app.post('/daemon/stop', async () => {
        setImmediate(() => stop());
        return { stopping: true };
      });
    },
  });

  // Idle: no connection open (a follower of a run holds one) for `idle` ms.
  let open = 0;
  let lastSeen = Date.now();
  const track = (conn: Socket) => {
    open++;
    lastSeen = Date.now();
    conn.on('close', () => {
      open--;
      lastSeen = Date.now();
    });
  };
  server.app.server.on('connection', track);
  // The native client's door: the CLI's quick path carried out here for `verdict run` and `judge`.
  const { openNativeDoor } = await import('./native-door');
  const door = await openNativeDoor({ socket: nativeSocketPath(dir), daemonSocket: socket, build, track });
  const timer = setInterval(
    () => {
      if (open === 0 && Date.now() - lastSeen >= idle) stop();
    },
    Math.max(50, Math.min(idle / 4, 5000)),
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    stop = () => {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      door.close();
      void server
        .close()
        .catch((err: Error) => process.stderr.write(`verdict daemon: ${err.message}\n`))
        // The listener's close unlinks the socket: removing it again here could remove a successor's.
        .finally(resolve);
    };
    process.once('SIGTERM', () => stop());
    process.once('SIGINT', () => stop());
    process.stderr.write(`verdict daemon ${build}: pid ${process.pid} on ${socket}, leaves after ${idle} ms idle\n`);
  });
}
