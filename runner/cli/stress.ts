// `verdict stress SOLUTION --reference BRUTE --generator GEN`: runs the stress test of runner/stress/
// with progress on stderr, stops cleanly on Ctrl-C (the sandboxes are stopped and removed, what was
// found so far is printed), prints and saves the failing case. Exit status: 0 no difference, 1 a
// difference, 2 bad usage or a generator/reference that failed, 3 no sandbox, 130 interrupted.
import path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Runner } from '../engine';
import { languageForFile } from '../languages';
import { MAX_SOURCE_BYTES } from '../spec';
import { checkerFromOption } from './judge';
import { stress, StressProgramFailed, bytesFrom, type StressProgram, type StressProgress, type StressResult } from '../stress/stress';
import { describeCase, writeStressCase } from '../stress/case-files';
import { readUserFile } from './files';
import { displayText } from '../../protocol/display';
import { mkdirSync, writeFileSync } from 'node:fs';

export interface StressCliOptions {
  reference: string;
  generator: string;
  rounds: number;
  seed?: number;
  checker?: string;
  checkerProtocol?: 'testlib' | 'kattis';
  timeLimit?: number;
  memoryLimit?: number;
  shrink: boolean;
  out?: string;
  json?: boolean;
}

export const EXIT_DIFFERENCE = 1;
export const EXIT_INTERRUPTED = 130;
/** Of an input or an output, this much is printed; the files hold all of it. */
const SHOWN_BYTES = 2000;

function program(file: string, runner: Runner, what: string): StressProgram {
  const language = languageForFile(runner.languages, file);
  return { language: language.id, files: [{ name: path.basename(file), content: readUserFile(file, what, MAX_SOURCE_BYTES) }] };
}

/** Where the case is saved: --out, else SOLUTION's stem + .stress next to it (sol.cpp → sol.stress/). */
export function stressDir(solution: string, out?: string): string {
  if (out) return out;
  const { dir, name } = path.parse(solution);
  return path.join(dir, `${name}.stress`);
}

/** Progress on stderr: one line rewritten on a terminal, a line every few seconds elsewhere (CI logs). */
class StressProgressLine {
  private readonly tty = Boolean(process.stderr.isTTY);
  private last = 0;
  private shown = false;

  update(p: StressProgress): void {
    const now = Date.now();
    if (now - this.last < (this.tty ? 100 : 2000) && p.done !== p.rounds) return;
    this.last = now;
    const text =
      p.phase === 'compiling'
        ? 'compiling…'
        : p.phase === 'testing'
          ? `round ${p.done}/${p.rounds} · ${p.roundsPerSecond.toFixed(1)} rounds/s · ${(p.elapsedMs / 1000).toFixed(1)} s`
          : `shrinking: ${p.done} smaller inputs tried`;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${text}`);
      this.shown = true;
    } else process.stderr.write(`${text}\n`);
  }

  end(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}

function shown(label: string, data: Buffer): string {
  const cut = data.length > SHOWN_BYTES;
  const text = displayText(cut ? data.subarray(0, SHOWN_BYTES) : data);
  return `${label} (${data.length} bytes${cut ? `, first ${SHOWN_BYTES} shown` : ''}):\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}`;
}

export async function runStressCommand(runner: Runner, solution: string, opts: StressCliOptions): Promise<StressResult> {
  const checker = opts.checker ? checkerFromOption(opts.checker, opts.checkerProtocol ?? 'testlib', runner.languages) : undefined;
  const request = {
    solution: program(solution, runner, 'Solution'),
    reference: program(opts.reference, runner, 'Reference'),
    generator: program(opts.generator, runner, 'Generator'),
    rounds: opts.rounds,
    // Chosen here when not given, so the first line can say it: any run can be repeated with --seed.
    seed: opts.seed ?? randomInt(1, 1_000_000),
    ...(checker ? { checker: checker.kind === 'builtin' ? { name: checker.name } : checker } : {}),
    limits: { ...(opts.timeLimit ? { cpuMs: opts.timeLimit } : {}), ...(opts.memoryLimit ? { memoryMb: opts.memoryLimit } : {}) },
    shrink: opts.shrink,
  };
  const dir = stressDir(solution, opts.out);
  const generatorName = path.basename(opts.generator);
  // Ctrl-C stops the sandboxes (the signal reaches each container's request) and prints what there is;
  // a second Ctrl-C leaves at once (the next runner to start reaps the containers of a dead one).
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write('\nStopping: removing the sandboxes…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const line = new StressProgressLine();
  let result: StressResult;
  try {
    process.stderr.write(
      `stress: ${path.basename(solution)} against ${path.basename(opts.reference)}, inputs from ${generatorName}, seed ${request.seed}, up to ${opts.rounds} rounds\n`,
    );
    result = await stress(runner, request, { signal: controller.signal, onProgress: (p) => line.update(p) });
  } catch (err) {
    line.end();
    // The input a reference failed on is worth keeping: it is where the reference is wrong.
    if (err instanceof StressProgramFailed && err.input) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'reference-failed.in'), err.input);
      err.message += `\nThe input is saved in ${path.join(dir, 'reference-failed.in')}.`;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
  line.end();
  const saved = writeStressCase(dir, result, generatorName);
  if (opts.json) process.stdout.write(JSON.stringify({ ...result, ...(saved.length ? { saved } : {}) }, null, 2) + '\n');
  else printResult(result, generatorName, dir, solution);
  process.exitCode = result.status === 'difference' ? EXIT_DIFFERENCE : result.status === 'cancelled' ? EXIT_INTERRUPTED : 0;
  return result;
}

function printResult(result: StressResult, generator: string, dir: string, solution: string): void {
  const rate = `seed ${result.seed}, ${result.roundsPerSecond} rounds/s`;
  if (result.status === 'passed') {
    process.stdout.write(`✔ No difference in ${result.rounds} rounds (${rate}).\n`);
    return;
  }
  if (result.status === 'cancelled') {
    process.stdout.write(`■ Stopped after ${result.rounds} rounds (${rate}): no difference found so far.\n`);
    return;
  }
  const c = result.failing!;
  const out: string[] = [`✘ Difference on round ${result.rounds} (${rate}): ${displayText(c.message, { oneLine: true })}`];
  if (result.original) out.push(`Shrunk: ${result.shrink}.`);
  else if (result.shrink) out.push(`Shrinking: ${result.shrink}.`);
  out.push(
    '',
    shown(`Input, from \`${generator} ${c.generatorArgs.join(' ')}\``, bytesFrom(c.input)),
    shown(`Solution's output (${c.solution.status})`, bytesFrom(c.solution.stdout)),
    shown("Reference's output", bytesFrom(c.reference.stdout)),
    describeCase(c, generator),
    `Saved in ${dir}${path.sep}: failing.in, failing.ans (the reference's output), failing.out (the solution's), diff.txt.`,
    `Judge it again: verdict judge ${solution} --tests ${dir}`,
  );
  process.stdout.write(out.join('\n') + '\n');
}
