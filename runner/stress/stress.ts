// Stress testing: a generator makes inputs, the solution and a trusted reference (a brute force) run
// on each, and the first input on which they disagree (the solution's verdict, or a checker's
// difference between the two outputs) is the result; then, when the generator takes a size, the
// smallest failing input it can make. Each of the three programs is compiled once, in a container
// of its own, and every run is a fresh sandbox in it (the judge's compile-once/run-many path).
// The calling convention (docs/stress.md): round i runs `GEN seed+i`; shrinking runs `GEN seed size`.
// The three containers are held together: the runner's pool must allow them (stressPoolSize).
import { isUtf8 } from 'node:buffer';
import { randomInt } from 'node:crypto';
import type { Runner } from '../engine';
import { settingsFromEnv } from '../settings';
import { MiB, type Limits, type LimitsInput, type SourceFile } from '../spec';
import type { Submission } from '../submission';
import type { Execution } from '../verdicts';
import { RunCancelled, SandboxUnavailable, UsageError } from '../errors';
import { check } from '../judge/checkers';
import { openCheckerProgram, type CheckerProgram } from '../judge/judge';
import type { BuiltinChecker, CheckerOptions } from '../judge/types';
import type { ProgramSource } from '../../protocol/judge';
import { displayText } from '../../protocol/display';
import type { StressBytes, StressCase, StressProgramRun, StressResult } from '../../protocol/lsp';

export type { StressBytes, StressCase, StressProgramRun, StressResult } from '../../protocol/lsp';

export interface StressProgram {
  language: string;
  files: SourceFile[];
}

export interface StressRequest {
  solution: StressProgram;
  /** The trusted program (a brute force): its output is the answer. */
  reference: StressProgram;
  /** Writes one input to stdout; called as `GEN seed` (rounds) and `GEN seed size` (shrinking). */
  generator: StressProgram;
  /** Rounds to run at most (default 100). */
  rounds?: number;
  /** Round i gets seed + i (default: a random seed, reported in the result). */
  seed?: number;
  /**
   * How the solution's output is compared with the reference's (default: lines, as for test folders),
   * or a checker program (testlib or Kattis protocol: the reference's output is its answer file).
   */
  checker?: { name: BuiltinChecker; options?: CheckerOptions } | (ProgramSource & { kind: 'program'; protocol: 'kattis' | 'testlib' });
  /** Limits of the solution and the reference. */
  limits?: LimitsInput;
  /** Look for a smaller failing input with `GEN seed size` after a difference (default true). */
  shrink?: boolean;
}

export interface StressProgress {
  phase: 'compiling' | 'testing' | 'shrinking';
  /** Rounds done (testing) or inputs tried (shrinking). */
  done: number;
  rounds: number;
  elapsedMs: number;
  roundsPerSecond: number;
}

export interface StressOptions {
  signal?: AbortSignal;
  onProgress?: (progress: StressProgress) => void;
}

/** A generator or a reference that failed: the stress test cannot go on (not a difference). */
export class StressProgramFailed extends UsageError {
  constructor(
    message: string,
    /** The input the reference failed on (none for a generator). */
    readonly input?: Buffer,
  ) {
    super(message);
  }
}

export const DEFAULT_ROUNDS = 100;
/** Containers a stress test holds at once (generator, solution, reference, a checker program; at most two run at a time). */
export const STRESS_CONTAINERS = 4;

/**
 * The pool size a runner for stress tests needs: the configured one (VERDICT_MAX_BUSY), at least
 * STRESS_CONTAINERS, since a pool of fewer would wait forever for the last container. Give the
 * stress test a runner of its own made with it (Runner.create({ pool: { maxBusy } })).
 */
export function stressPoolSize(): number {
  return Math.max(STRESS_CONTAINERS, settingsFromEnv().maxBusy);
}
/** A generator's own limits: trusted more than a submission, still bounded. Its output is the input, up to 32 MiB. */
const GENERATOR_LIMITS = { cpuMs: 10_000, memoryMb: 1024, outputBytes: 32 * MiB };
/** Room in the solution's and reference's containers for an input that large (stdin lives in their tmpfs). */
const INPUT_ROOM = { memoryMb: 64, processes: 0 };
/** Sizes tried while shrinking, smallest first, and the seeds tried at each. */
const SHRINK_SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50, 70, 100, 150, 200, 300, 500, 1000];
const SHRINK_SEEDS = 10;
/** Kept of a program's stderr in the result. */
const STDERR_BYTES = 8192;

/** Compiles the three programs once, then runs rounds until a difference, the round limit, or the signal. */
export async function stress(runner: Runner, request: StressRequest, options: StressOptions = {}): Promise<StressResult> {
  const rounds = request.rounds ?? DEFAULT_ROUNDS;
  const seed = request.seed ?? randomInt(1, 1_000_000);
  const checker = request.checker ?? { name: 'lines' as const };
  const checkerName = 'name' in checker ? checker.name : `${checker.files[0]?.name ?? 'checker'} (${checker.protocol})`;
  let checkerProgram: CheckerProgram | undefined;
  const started = Date.now();
  const signal = options.signal;
  let done = 0;
  // The rate is of the rounds alone: from the first round (after compiling) to the last (before shrinking).
  let testing: { from: number; to?: number } | undefined;
  const rate = () => (testing ? done / Math.max(((testing.to ?? Date.now()) - testing.from) / 1000, 1e-3) : 0);
  const progress = (phase: StressProgress['phase'], n: number) =>
    options.onProgress?.({ phase, done: n, rounds, elapsedMs: Date.now() - started, roundsPerSecond: rate() });
  const result = (status: StressResult['status'], rest: Partial<StressResult> = {}): StressResult => ({
    status,
    rounds: done,
    seed,
    elapsedMs: Date.now() - started,
    roundsPerSecond: Math.round(rate() * 10) / 10,
    checker: checkerName,
    ...rest,
  });

  const leases: Submission[] = [];
  let pending: Promise<Buffer> | undefined;
  try {
    progress('compiling', 0);
    // In parallel: three containers, three compiles.
    // Settled, not Promise.all: every lease is in `leases` before the finally releases them.
    const opened = await Promise.allSettled([
      openCompiled(runner, request.generator, 'generator', GENERATOR_LIMITS, leases, signal),
      openCompiled(runner, request.solution, 'solution', request.limits ?? {}, leases, signal),
      openCompiled(runner, request.reference, 'reference', request.limits ?? {}, leases, signal),
    ]);
    const refused = opened.find((o) => o.status === 'rejected');
    if (refused) throw refused.reason;
    const [generator, solution, reference] = opened.map((o) => (o as PromiseFulfilledResult<Compiled>).value) as [
      Compiled,
      Compiled,
      Compiled,
    ];
    // A checker program: a fourth container, built once (a checker that does not compile is a UsageError).
    if (!('name' in checker)) checkerProgram = await openCheckerProgram(runner, checker, signal);
    const generate = async (args: string[]): Promise<Buffer> => {
      const exec = await generator.lease.execute(generator.lease.runStep(generator.limits, args), '');
      const verdict = generator.lease.verdict(exec, generator.limits);
      if (verdict.status !== 'Accepted' || exec.stdoutTruncated)
        throw new StressProgramFailed(
          `The generator (${name(request.generator)}) failed when called with ${args.join(' ')}: ${
            exec.stdoutTruncated
              ? `it wrote more than ${GENERATOR_LIMITS.outputBytes / MiB} MiB`
              : `${verdict.status}${verdict.message ? `: ${verdict.message}` : ''}`
          }${stderrNote(exec)}`,
        );
      return exec.stdout;
    };
    const tryInput = async (args: string[], generated?: Promise<Buffer>): Promise<StressCase | undefined> => {
      const input = await (generated ?? generate(args));
      const [sol, ref] = await Promise.all([solution, reference].map((p) => p.lease.execute(p.lease.runStep(p.limits), input)));
      const refVerdict = reference.lease.verdict(ref!, reference.limits);
      if (refVerdict.status !== 'Accepted')
        throw new StressProgramFailed(
          `The reference (${name(request.reference)}) failed on the input of \`${args.join(' ')}\` (${input.length} bytes): ${refVerdict.status}${
            refVerdict.message ? `: ${refVerdict.message}` : ''
          }${stderrNote(ref!)}. A reference must be right on every input the generator makes.`,
          input,
        );
      if (ref!.stdoutTruncated)
        throw new StressProgramFailed(
          `The reference (${name(request.reference)}) wrote more than its output limit on the input of \`${args.join(' ')}\`: make the generator's inputs smaller.`,
          input,
        );
      const solVerdict = solution.lease.verdict(sol!, solution.limits);
      const runs = { solution: programRun(sol!, solVerdict), reference: programRun(ref!, refVerdict) };
      const base = { generatorArgs: args, input: bytesOf(input), inputBytes: input.length, ...runs };
      if (solVerdict.status !== 'Accepted')
        return { ...base, message: `${solVerdict.status}${solVerdict.message ? `: ${solVerdict.message}` : ''}` };
      const outcome = checkerProgram
        ? await checkerProgram.check(input, ref!.stdout, sol!.stdout).then((j) => {
            if (j.status === 'Internal Error')
              throw new StressProgramFailed(`The checker failed on the input of \`${args.join(' ')}\`: ${j.message ?? ''}`, input);
            return { ok: j.status === 'Accepted', message: j.message ?? 'rejected by the checker' } as ReturnType<typeof check>;
          })
        : check((checker as { name: BuiltinChecker }).name, sol!.stdout, ref!.stdout, (checker as { options?: CheckerOptions }).options);
      if (outcome.ok) return undefined;
      return {
        ...base,
        solution: { ...runs.solution, status: 'Wrong Answer' },
        message: outcome.message,
        ...(outcome.diff ? { diff: outcome.diff } : {}),
      };
    };

    let failing: StressCase | undefined;
    testing = { from: Date.now() };
    progress('testing', 0);
    // The next input is generated while the solution and the reference run on this one (the
    // generator has a container of its own): a round costs the slower of the two, not their sum.
    const argsOf = (round: number) => [String(seed + round)];
    pending = generate(argsOf(0));
    while (done < rounds && !failing) {
      if (signal?.aborted) throw new RunCancelled();
      const current: Promise<Buffer> = pending!;
      const next = done + 1;
      // One request at a time per container: the next input after this one.
      pending = next < rounds ? current.then(() => generate(argsOf(next))) : undefined;
      pending?.catch(() => undefined); // awaited in its round, or by the finally below
      failing = await tryInput(argsOf(done), current);
      done++;
      progress('testing', done);
    }
    testing.to = Date.now();
    // A difference leaves the next input being made: the generator's container is not given back mid-run.
    await pending?.catch(() => undefined);
    pending = undefined;
    if (!failing) return result('passed');
    if (request.shrink === false) return result('difference', { failing });

    // Shrinking: the smallest size at which some seed still fails, sizes in ascending order.
    const firstSeed = Number(failing.generatorArgs[0]);
    let tried = 0;
    try {
      for (const size of SHRINK_SIZES) {
        for (let k = 0; k < SHRINK_SEEDS; k++) {
          if (signal?.aborted) throw new RunCancelled();
          const found = await tryInput([String(firstSeed + k), String(size)]);
          progress('shrinking', ++tried);
          if (found && found.inputBytes < failing.inputBytes)
            return result('difference', {
              failing: found,
              original: failing,
              shrink: `size ${size} (seed ${firstSeed + k}): ${found.inputBytes} bytes instead of ${failing.inputBytes}, ${tried} inputs tried`,
            });
          // Fails at this size, but no smaller than the original: larger sizes will not be either.
          if (found) return result('difference', { failing, shrink: `no smaller failing input (${tried} inputs tried)` });
        }
      }
      return result('difference', {
        failing,
        shrink: `no smaller failing input in ${tried} tries with sizes up to ${SHRINK_SIZES.at(-1)}`,
      });
    } catch (err) {
      // Stopped while shrinking: the difference found stands (the sandboxes are stopped all the same).
      if (err instanceof RunCancelled || (signal?.aborted && err instanceof SandboxUnavailable))
        return result('difference', { failing, shrink: `stopped while shrinking, after ${tried} inputs` });
      // A generator that takes no size may refuse a second argument, and a reference may fail on an
      // input only shrinking made: the difference found stands, and the note says why it is not smaller.
      if (err instanceof StressProgramFailed)
        return result('difference', {
          failing,
          shrink: `not shrunk: ${tried === 0 && !err.input ? 'the generator failed when given a size: ' : ''}${err.message}`,
        });
      throw err;
    }
  } catch (err) {
    if (err instanceof RunCancelled || (signal?.aborted && err instanceof SandboxUnavailable)) return result('cancelled');
    throw err;
  } finally {
    await pending?.catch(() => undefined);
    await Promise.all([...leases.map((l) => l.release()), checkerProgram?.release()]);
  }
}

interface Compiled {
  lease: Submission;
  limits: Limits;
}

function name(program: StressProgram): string {
  return program.files[0]?.name ?? program.language;
}

async function openCompiled(
  runner: Runner,
  program: StressProgram,
  what: string,
  limitsInput: LimitsInput,
  leases: Submission[],
  signal?: AbortSignal,
): Promise<Compiled> {
  const { spec, language } = runner.parseSpec({ language: program.language, files: program.files, limits: limitsInput });
  const lease = await runner.open(spec, language, signal, INPUT_ROOM);
  leases.push(lease);
  const compile = await lease.prepare(runner.compileCache);
  if (compile?.status === 'Compile Error') throw new UsageError(`The ${what} (${name(program)}) failed to compile:\n${compile.output}`);
  return { lease, limits: spec.limits };
}

function stderrNote(exec: Execution): string {
  const text = displayText(exec.stderr.subarray(0, 2000)).trim();
  return text ? `\nits stderr:\n${text}` : '';
}

export function bytesOf(data: Buffer): StressBytes {
  return { text: data.toString('utf8'), ...(isUtf8(data) ? {} : { base64: data.toString('base64') }) };
}

/** The exact bytes of a StressBytes. */
export function bytesFrom(data: StressBytes): Buffer {
  return data.base64 !== undefined ? Buffer.from(data.base64, 'base64') : Buffer.from(data.text, 'utf8');
}

function programRun(exec: Execution, verdict: { status: StressProgramRun['status']; message?: string }): StressProgramRun {
  return {
    status: verdict.status,
    stdout: bytesOf(exec.stdout),
    stderr: displayText(exec.stderr.subarray(0, STDERR_BYTES)),
    stdoutTruncated: exec.stdoutTruncated,
    timeMs: exec.cpuMs,
    memoryKb: exec.memoryKb,
    ...(verdict.message ? { message: verdict.message } : {}),
  };
}
