// The `verdict` command line: run a file, list languages, check the machine, build images.
// Exit status: 0 when the command was carried out (whatever the program's verdict), 2 for bad usage
// (unknown language, missing or oversized file), 3 when no sandbox could be made (Internal Error);
// `stress` also exits 1 when it found a difference and 130 when interrupted (runner/cli/stress.ts).
// With --server URL, `run` and `judge` send the same files to a classroom server (remote.ts); 3 then
// also means the server could not be reached, refused the token or a limit was hit.
//
// A call loads only what its command needs: the runner, Docker's client, the service and the image
// builder are imported inside the actions that use them (`verdict --version` parses none of them).
// `run` and `judge` go to this user's background runner when they can (runner/daemon/, docs/daemon.md).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import type { Runner } from '../engine';
import { languageById, languageForFile, languageIdForStandard, loadLanguages } from '../languages';
import { LIMITS, MAX_SOURCE_BYTES } from '../spec';
import { programInput, readUserFile } from './files';
import { DisplayStream, displayText } from '../../protocol/display';
import { RunOutput, cliLimits } from './follow';
import type { JudgeCliOptions } from './judge';
import { ServiceClientError } from '../../protocol/service-client';
import { SandboxUnavailable, UsageError } from '../errors';
import type { RootfsSource } from '../images/build';
import { addServiceCommands } from './service';
import { addMcpCommand } from './mcp';
import { addDaemonCommand } from './daemon';
import type { StressCliOptions } from './stress';
import { DEFAULT_ROUNDS } from '../stress/stress';
import { BUILTIN_CHECKERS } from '../judge/types';
import { packageVersion } from '../daemon/paths';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { splitCompileFlags } from '../../protocol/compile-flags';
import { tmpdir } from 'node:os';

const EXIT_USAGE = 2;
const EXIT_INTERNAL = 3;

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more.');
  return n;
}

/** In a terminal with no input given, the program reads the terminal as it is typed (until Ctrl-D). */
function liveTerminal(option: string | undefined): boolean {
  return option === undefined && Boolean(process.stdin.isTTY);
}

/** --compile-flags "-DLOCAL -O3": one string, split on whitespace; the runner checks each flag. */
const COMPILE_FLAGS_HELP =
  'extra compiler flags, e.g. "-DLOCAL -O3" (split on whitespace; each checked against the language\'s allowed flags, docs/editor.md)';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number.');
  return n;
}

async function withRunner<T>(body: (runner: Runner) => Promise<T>, maxBusy?: number): Promise<T> {
  const { Runner } = await import('../engine');
  // A CLI process serves one command: keep no spare containers warm behind it.
  const runner = await Runner.create({ pool: { idlePerShape: 0, idleTimeoutMs: 0, ...(maxBusy ? { maxBusy } : {}) } });
  try {
    return await body(runner);
  } finally {
    await runner.close();
  }
}

export function buildProgram(): Command {
  const program = new Command('verdict')
    .description('Run and judge untrusted code in a hardened sandbox.')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) })
    .version(packageVersion(), '-V, --version');

  program
    .command('run')
    .description('Compile (if needed) and run a source file in the sandbox.')
    .argument('<file>', 'source file; its extension picks the language unless --lang is given')
    .argument('[args...]', 'arguments passed to the program')
    .option('--lang <id>', 'language id (see `verdict languages`)')
    .option('--std <standard>', 'language standard: c++17 (default), c++20 or c++23 (the variants cpp20, cpp23)')
    .option(
      '--stdin <file>',
      "file given to the program as standard input; - for verdict's own (the default when it is piped or redirected)",
    )
    .option('--time-limit <ms>', 'CPU time limit in milliseconds', positiveInt)
    .option('--memory-limit <mb>', 'memory limit in MiB', positiveInt)
    .option('--compile-flags <flags>', COMPILE_FLAGS_HELP, splitCompileFlags)
    .option('--json', 'print the result object as JSON on stdout')
    .addHelpText(
      'after',
      `
Standard input: \`echo 3 4 | verdict run a.py\` and \`verdict run a.py < in.txt\` give the program that input,
byte for byte. In a terminal with no input given, the program reads what you type as you type it, as if
run bare, until Ctrl-D; its CPU and memory limits hold, and it may wait for you up to 180 s (wall).
(With --server, what you type is sent when you end it with Ctrl-D.)`,
    )
    .option('--server <url>', 'run it on a classroom server (`verdict serve`) instead, with the token in VERDICT_TOKEN')
    .option('--no-daemon', "run in this process, not in this user's background runner (also VERDICT_DAEMON=0)")
    .action(
      async (
        file: string,
        args: string[],
        opts: {
          lang?: string;
          std?: string;
          stdin?: string;
          timeLimit?: number;
          memoryLimit?: number;
          compileFlags?: string[];
          json?: boolean;
          server?: string;
          daemon: boolean;
        },
      ) => {
        if (opts.std) opts.lang = languageIdForStandard(loadLanguages(), opts.std, opts.lang, file);
        if (opts.server) {
          // The server's client reads input from a file: this process's own input goes through one, removed after.
          const own = opts.stdin === undefined || opts.stdin === '-' ? await programInput(opts.stdin) : undefined;
          const tmp = own ? mkdtempSync(path.join(tmpdir(), 'verdict-stdin-')) : undefined;
          try {
            if (tmp) writeFileSync(path.join(tmp, 'stdin'), own!);
            const stdin = tmp ? path.join(tmp, 'stdin') : opts.stdin;
            const { remoteRun } = await import('./remote');
            const remote = await remoteRun(file, args, { ...opts, server: opts.server, ...(stdin !== undefined ? { stdin } : {}) });
            if (remote?.status === 'Internal Error') process.exitCode = EXIT_INTERNAL;
          } finally {
            if (tmp) rmSync(tmp, { recursive: true, force: true });
          }
          return;
        }
        const languages = loadLanguages();
        const language = opts.lang ? languageById(languages, opts.lang) : languageForFile(languages, file);
        const content = readUserFile(file, 'Source file', MAX_SOURCE_BYTES);
        const live = liveTerminal(opts.stdin) && !opts.json;
        const stdin = live ? Buffer.alloc(0) : await programInput(opts.stdin);
        // The daemon takes a run whose input is known (live input from a terminal runs here).
        const daemon = live ? undefined : await (await import('../daemon/client')).attachDaemon(opts);
        if (daemon) {
          const { remoteRun } = await import('./remote');
          const result = await remoteRun(file, args, { ...opts, client: daemon, stdinBytes: stdin });
          if (result?.status === 'Internal Error') process.exitCode = EXIT_INTERNAL;
          return;
        }
        const limits = {
          ...cliLimits(opts),
          // A person typing needs time: the wall limit is the longest a run may have (CPU still counts).
          ...(live ? { wallMs: LIMITS.wallMs.max } : {}),
        };
        // Human output streams: the program's stdout and stderr appear as it writes them, shown with
        // displayText (its escape sequences are printed visibly, never obeyed by the terminal).
        const shown = { stdout: new DisplayStream(), stderr: new DisplayStream() };
        const output = new RunOutput();
        const onOutput = (stream: 'stdout' | 'stderr', data: Buffer) => output.stream(stream, shown[stream].write(data));
        const result = await withRunner((runner) =>
          runner.run(
            {
              language: language.id,
              files: [{ name: path.basename(file), content }],
              stdin,
              args,
              limits,
              ...(opts.compileFlags?.length ? { compileFlags: opts.compileFlags } : {}),
            },
            opts.json ? {} : { onOutput, ...(live ? { liveInput: process.stdin as AsyncIterable<Buffer> } : {}) },
          ),
        );
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else output.end(result, { stdout: shown.stdout.end(), stderr: shown.stderr.end() });
        if (result.status === 'Internal Error') process.exitCode = EXIT_INTERNAL;
      },
    );

  program
    .command('judge')
    .description('Compile once and run every test: a folder of NAME.in/NAME.ans pairs, or an ICPC/Kattis problem package.')
    .argument('<files...>', 'the submission: one or more source files, or a folder')
    .option('--tests <dir>', 'folder of NAME.in with NAME.ans (or NAME.out) pairs')
    .option('--problem <dir|id>', 'an ICPC/Kattis problem package (with --server: the id of a problem on the server)')
    .option('--lang <id>', 'language id (see `verdict languages`)')
    .option('--std <standard>', 'language standard: c++17 (default), c++20 or c++23 (the variants cpp20, cpp23)')
    .option('--checker <name|file>', 'exact, lines (default for folders), tokens, float, kattis-default, or a checker program')
    .addOption(
      new Option('--checker-protocol <protocol>', 'how a checker program is called').choices(['testlib', 'kattis']).default('testlib'),
    )
    .option('--time-limit <ms>', "CPU time limit per test in milliseconds (default: the package's, else 2000)", positiveInt)
    .option('--memory-limit <mb>', 'memory limit in MiB', positiveInt)
    .option('--compile-flags <flags>', COMPILE_FLAGS_HELP, splitCompileFlags)
    .option('--stop-on-failure', 'stop at the first test that fails')
    .option('--json', 'print {status, compile, tests: [{name, status, timeMs, memoryKb, diff?}]} as JSON')
    .option('--server <url>', 'judge on a classroom server (`verdict serve`) instead, with the token in VERDICT_TOKEN')
    .option('--no-daemon', "judge in this process, not in this user's background runner (also VERDICT_DAEMON=0)")
    .action(async (files: string[], opts: JudgeCliOptions & { std?: string; daemon: boolean }) => {
      if (opts.std) opts.lang = languageIdForStandard(loadLanguages(), opts.std, opts.lang, files[0]!);
      if (opts.server) {
        const { remoteJudge } = await import('./remote');
        const remote = await remoteJudge(files, { ...opts, server: opts.server });
        if (remote?.status === 'Internal Error' && remote.tests.length === 0) process.exitCode = EXIT_INTERNAL;
        return;
      }
      // The daemon takes tests sent whole with a built-in checker; a package or a checker program is judged here.
      const builtin = !opts.checker || (BUILTIN_CHECKERS as readonly string[]).includes(opts.checker);
      const daemon = !opts.problem && builtin ? await (await import('../daemon/client')).attachDaemon(opts) : undefined;
      if (daemon) {
        const { remoteJudge } = await import('./remote');
        const remote = await remoteJudge(files, { ...opts, checker: opts.checker ?? 'lines', client: daemon });
        if (remote?.status === 'Internal Error' && remote.tests.length === 0) process.exitCode = EXIT_INTERNAL;
        return;
      }
      const { runJudgeCommand } = await import('./judge');
      const result = await withRunner((runner) => runJudgeCommand(runner, files, opts));
      if (result.status === 'Internal Error' && result.tests.length === 0) process.exitCode = EXIT_INTERNAL;
    });

  program
    .command('stress')
    .description('Compare a solution with a reference on generated inputs until they differ; save and shrink the failing input.')
    .argument('<solution>', 'the solution to test (its extension picks the language)')
    .requiredOption('--reference <file>', 'a trusted, maybe slow, solution (a brute force): its output is the answer')
    .requiredOption(
      '--generator <file>',
      'writes one input to stdout; called as `GEN seed`, and `GEN seed size` to shrink (docs/stress.md)',
    )
    .option('--rounds <n>', 'rounds at most', positiveInt, DEFAULT_ROUNDS)
    .option('--seed <s>', 'seed of the first round, round i gets seed + i (default: random, printed)', wholeNumber)
    .option('--checker <name>', 'exact, lines (default), tokens, float or kattis-default')
    .option('--time-limit <ms>', 'CPU time limit of the solution and the reference, per input', positiveInt)
    .option('--memory-limit <mb>', 'memory limit of the solution and the reference, in MiB', positiveInt)
    .option('--no-shrink', 'keep the first failing input (no search for a smaller one)')
    .option('--out <dir>', 'where the failing case is saved (default: SOLUTION.stress/ next to it, e.g. sol.stress/)')
    .option(
      '--json',
      'print the result as JSON: {status, rounds, seed, roundsPerSecond, failing?: {input, solution, reference, message, diff}}',
    )
    .addHelpText(
      'after',
      `
Exit status: 0 no difference, 1 a difference (saved), 2 bad usage or a generator or reference that
failed, 3 no sandbox could be made, 130 interrupted (Ctrl-C stops and removes the sandboxes).`,
    )
    .action(async (solution: string, opts: StressCliOptions) => {
      const { runStressCommand } = await import('./stress');
      const { stressPoolSize } = await import('../stress/stress');
      await withRunner((runner) => runStressCommand(runner, solution, opts), stressPoolSize());
    });

  program
    .command('languages')
    .description('List the languages usable on this machine, with versions, by probing their images.')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const languages = [...loadLanguages().values()];
      const { probeLanguages } = await import('../probe');
      const probes = await withRunner((runner) => probeLanguages(runner, languages));
      if (opts.json) {
        process.stdout.write(JSON.stringify(probes, null, 2) + '\n');
        return;
      }
      const rows = probes.map((p) => [p.id, p.usable ? '✔' : '✘', p.name, p.usable ? (p.version ?? '') : (p.problem ?? '')]);
      const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const r of rows) process.stdout.write(r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ') + '\n');
      if (probes.some((p) => !p.usable)) process.stdout.write('\nBuild missing images with `verdict images build`.\n');
    });

  program
    .command('doctor')
    .description('Check Docker, cgroups, seccomp, the runtime, images and languages; say how to fix each problem.')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { runDoctor } = await import('./doctor');
      const ok = await runDoctor(opts.json ?? false);
      if (!ok) process.exitCode = 1;
    });

  addServiceCommands(program);
  addMcpCommand(program);
  addDaemonCommand(program);

  const images = program.command('images').description('Manage the sandbox images.');
  images
    .command('build')
    .description('Build the base and language images (cached by content: unchanged recipes are skipped).')
    .argument('[ids...]', 'language ids (default: all)')
    .addOption(
      new Option('--rootfs <source>', 'where the Debian root file system comes from')
        .choices(['auto', 'pull', 'debootstrap'])
        .default(process.env.VERDICT_ROOTFS ?? 'auto'),
    )
    .option('--mirror <url>', 'Debian mirror for debootstrap', process.env.VERDICT_DEBIAN_MIRROR)
    .action(async (ids: string[], opts: { rootfs: RootfsSource; mirror?: string }) => {
      const all = loadLanguages();
      const selected = ids.length ? ids.map((id) => languageById(all, id)) : [...all.values()];
      const { buildImages } = await import('../images/build');
      const { connectDocker, assertDockerReachable } = await import('../sandbox/docker');
      const { ProgressDisplay } = await import('./progress');
      const docker = connectDocker();
      await assertDockerReachable(docker);
      const display = new ProgressDisplay();
      try {
        const built = await buildImages(docker, selected, {
          rootfs: opts.rootfs,
          ...(opts.mirror ? { debianMirror: opts.mirror } : {}),
          onProgress: (e) => display.update(e),
        });
        display.stop();
        const fresh = built.filter((b) => b.status === 'built');
        process.stderr.write(`Images ready: ${built.length} (${fresh.length} built, ${built.length - fresh.length} cached).\n`);
      } finally {
        display.stop();
      }
    });

  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed the problem already; help and --version are not errors.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
    } else if (err instanceof UsageError) {
      // Usage errors may quote files and validators' compiler output.
      process.stderr.write(`verdict: ${displayText(err.message)}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (err instanceof ServiceClientError) {
      // --server: unreachable, a token refused, a limit hit (exit 3), or a request refused (exit 2).
      const { remoteFailure } = await import('./remote');
      const failure = remoteFailure(err);
      process.stderr.write(`verdict: ${failure.message}\n`);
      process.exitCode = failure.exitCode;
    } else if (err instanceof SandboxUnavailable) {
      process.stderr.write(`verdict: ${err.message}\n`);
      process.exitCode = EXIT_INTERNAL;
    } else {
      process.stderr.write(`verdict: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    }
  }
}
