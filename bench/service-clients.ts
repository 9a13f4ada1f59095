// The service load benchmark's clients (bench/service-load.ts): every submission of the burst sent at
// once by its student's token and followed (Server-Sent Events) to its end. Run as a child process
// at a lower priority, because in a real class these clients are the students' machines, not the
// server's: here they share its two cores, and what they spend would otherwise be counted against
// the service. `npx tsx bench/service-clients.ts` reads its input as JSON on stdin, writes the
// outcome as JSON on stdout.
import { ServiceClient } from '../protocol/service-client';
import type { SubmitRequest } from '../protocol/http';
import type { JudgeResult, RunResult } from '../protocol/results';

export type Kind = 'python' | 'cpp' | 'judge';

export interface Submission {
  index: number;
  /** Which student token submits it. */
  token: number;
  kind: Kind;
  /** The number it prints (runs) or adds to a + b (judges): unique in this run of the benchmark. */
  value: number;
  body: SubmitRequest;
}

export interface Timing {
  submitAt: number;
  startAt: number;
  /** When the server finished it (finishedAt); doneAt is when its client heard. */
  finishAt: number;
  doneAt: number;
}

/** Whether a result is what this submission, and no other, produces. */
export function matches(s: Submission, result: RunResult | JudgeResult | undefined): boolean {
  if (!result || result.status !== 'Accepted') return false;
  if (s.body.kind === 'judge') {
    const tests = (result as JudgeResult).tests;
    return tests.length === 3 && tests.every((t) => t.status === 'Accepted');
  }
  return (result as RunResult).stdout.trim() === String(s.value);
}

export interface BurstInput {
  url: string;
  /** Student tokens: submission i is sent with tokens[work[i].token]. */
  tokens: string[];
  work: Submission[];
}

export interface BurstOutcome {
  burstStart: number;
  /** When the last submission was accepted (202). */
  allAccepted: number;
  timings: Array<Timing | null>;
  ids: Array<string | null>;
  matched: boolean[];
  failures: string[];
  /** CPU-seconds the clients used. */
  cpuSeconds: number;
}

export async function runBurst({ url, tokens, work }: BurstInput): Promise<BurstOutcome> {
  const clients = tokens.map((t) => new ServiceClient(url, t));
  const total = work.length;
  const timings: Array<Timing | null> = new Array<Timing | null>(total).fill(null);
  const ids: Array<string | null> = new Array<string | null>(total).fill(null);
  const failures: string[] = [];
  const matched: boolean[] = new Array<boolean>(total).fill(false);
  const cpu = process.cpuUsage();
  let allAccepted = 0;
  let acceptedCount = 0;
  const burstStart = Date.now();
  await Promise.all(
    work.map(async (sub) => {
      const client = clients[sub.token]!;
      const submitAt = Date.now();
      try {
        const accepted = await client.submit(sub.body);
        ids[sub.index] = accepted.id;
        if (++acceptedCount === total) allAccepted = Date.now();
        const record = await client.follow(accepted.id, () => undefined);
        const doneAt = Date.now();
        matched[sub.index] = record.state === 'done' && matches(sub, record.result);
        if (!matched[sub.index])
          if (failures.length < 5)
            failures.push(`#${sub.index} ${sub.kind}: ${record.state} ${JSON.stringify(record.result).slice(0, 200)}`);
        const startAt = record.startedAt ? Date.parse(record.startedAt) : doneAt;
        const finishAt = record.finishedAt ? Date.parse(record.finishedAt) : doneAt;
        timings[sub.index] = { submitAt, startAt, finishAt, doneAt };
      } catch (err) {
        if (failures.length < 5) failures.push(`#${sub.index} ${sub.kind}: ${(err as Error).message}`);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { burstStart, allAccepted, timings, ids, matched, failures, cpuSeconds: (used.user + used.system) / 1e6 };
}

if (require.main === module) {
  void (async () => {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    process.stdout.write(JSON.stringify(await runBurst(JSON.parse(text) as BurstInput)));
  })();
}
