// Structured logs (JSON lines on stderr) for the runner's own events: containers made, reused and
// removed, and every Internal Error with its run id. Quiet by default in the CLI; VERDICT_LOG_LEVEL
// (debug, info, warn, error) sets the level.
import pino from 'pino';

export const log = pino(
  { name: 'verdict-runner', level: process.env.VERDICT_LOG_LEVEL ?? 'warn', base: { pid: process.pid } },
  pino.destination({ dest: 2, sync: true }),
);
