// An interaction across two containers: when the interactor and the submission cannot share one
// container (two interpreted languages of different images, e.g. a Python interactor and a Java
// submission), each runs in its own, with live input and streamed output (supervisor protocol 4),
// and the runner relays the conversation between them: what one writes on stdout is the other's
// input, each end of output is the other's EOF. Same answer as the supervisor's `interact`: both
// executions, the capped transcript, and who ended first. Slower per message than the in-container
// relay (every message crosses the host), so it is used only when the two cannot share a container.
import type { Execution } from '../verdicts';
import type { Interaction, ProgramStep, Submission } from '../submission';
import { ByteQueue } from '../../protocol/byte-queue';

class Transcript {
  private readonly parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly cap: number) {}

  add(tag: '>' | '<', data: Buffer): void {
    if (this.size >= this.cap) return;
    const kept = data.subarray(0, Math.max(0, this.cap - this.size - 2));
    this.parts.push(Buffer.from(`${tag} `), kept);
    this.size += kept.length + 2;
  }

  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

/** Runs `program` in its submission's container and `interactor` in its own, relaying their stdin and stdout. */
export async function relayInteraction(
  program: { on: Submission; step: ProgramStep },
  interactor: { on: Submission; step: ProgramStep },
  transcriptBytes = 64 * 1024,
): Promise<Interaction> {
  // What one side has written and the other has not read yet.
  const toInteractor = new ByteQueue();
  const toProgram = new ByteQueue();
  const transcript = new Transcript(transcriptBytes);
  let first: 'p' | 'v' | undefined;
  const side = (
    who: 'p' | 'v',
    { on, step }: { on: Submission; step: ProgramStep },
    input: ByteQueue,
    output: ByteQueue,
    tag: '>' | '<',
  ): Promise<Execution> =>
    on
      .execute(
        step,
        '',
        (stream, data) => {
          if (stream !== 'stdout') return;
          transcript.add(tag, data);
          output.push(data);
        },
        input,
      )
      .finally(() => {
        first ??= who;
        // Its output has ended: the other side reads EOF (and a side still waiting for input stops waiting).
        output.end();
        input.end();
      });
  const [p, v] = await Promise.all([side('p', program, toProgram, toInteractor, '>'), side('v', interactor, toInteractor, toProgram, '<')]);
  return { program: p, interactor: v, transcript: transcript.text(), interactorFirst: first === 'v' };
}
