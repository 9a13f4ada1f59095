// The quick path of `verdict run FILE` and `verdict judge FILE`: when this user's background runner
// is up (runner/daemon/), a plain run or judge of a test folder needs no more than reading the files,
// one request on a unix socket and printing the answer. This is its own small bundle (dist/runner/cli-quick.js, tens of kilobytes against the full
// CLI's 2 MB): bin/verdict.js tries it first for `run` and `judge`, and loads the full CLI whenever it declines.
// It declines — before it has read or sent anything — for whatever the full command does
// differently: an option it does not know (help, --std, --server, --no-daemon…), live input from a
// terminal, a file it cannot take as is, no daemon of this build. The full CLI then answers,
// errors included, with its own words.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { languageOfSource, LANGUAGES } from '../../protocol/languages.generated';
import { MAX_SOURCE_BYTES, MAX_STDIN_BYTES } from '../../protocol/sizes';
import { ServiceClient, ServiceClientError } from '../../protocol/service-client';
import { displayText } from '../../protocol/display';
import { daemonKey, daemonWanted, daemonDir, socketPath } from '../daemon/paths';
import { daemonInfo } from '../daemon/info';
import { unixFetch } from '../daemon/unix-fetch';
import { UsageError } from '../errors';
import { programInput } from './files';
import { processIo, type CliIo } from './io';
import { EXIT_INTERNAL, EXIT_USAGE, followJudge, followRun, judgeTestsBody, remoteFailure, runRequestBody } from './follow';
import { defaultTestsDir, discoverTests } from '../judge/testfolder';
import { splitCompileFlags } from '../../protocol/compile-flags';
import { BUILTIN_CHECKERS, type BuiltinChecker, type TestData } from '../../protocol/judge';

interface QuickCall {
  command: 'run' | 'judge';
  file: string;
  args: string[];
  lang?: string;
  stdin?: string;
  tests?: string;
  checker?: string;
  timeLimit?: number;
  memoryLimit?: number;
  compileFlags?: string[];
  json?: boolean;
  stopOnFailure?: boolean;
}

/** The options each command takes on this path: with a value, or flags. */
const OPTIONS = {
  run: { valued: ['--lang', '--stdin', '--time-limit', '--memory-limit', '--compile-flags'], flags: ['--json'] },
  judge: {
    valued: ['--lang', '--tests', '--checker', '--time-limit', '--memory-limit', '--compile-flags'],
    flags: ['--json', '--stop-on-failure'],
  },
} as const;

/** `run FILE [args…]` or `judge FILE` with only the options this path knows, or undefined (the full CLI parses it). */
export function parseQuickCall(argv: string[]): QuickCall | undefined {
  const command = argv[0];
  if (command !== 'run' && command !== 'judge') return undefined;
  const known = OPTIONS[command];
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 1; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('-') || token === '-') {
      positional.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(0, eq) : token;
    if (name in options) return undefined;
    if ((known.flags as readonly string[]).includes(name) && eq < 0) options[name] = true;
    else if ((known.valued as readonly string[]).includes(name)) {
      const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
      if (value === undefined) return undefined;
      options[name] = value;
    } else return undefined; // `--`, help, and every option only the full command has
  }
  const [file, ...args] = positional;
  // A judge of one source file here; several files or a folder are the full CLI's.
  if (file === undefined || (command === 'judge' && args.length > 0)) return undefined;
  const text = (name: string) => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
  const whole = (name: string) => (/^[1-9][0-9]{0,8}$/.test(text(name) ?? '') ? Number(text(name)) : undefined);
  const call: QuickCall = { command, file, args };
  for (const [option, key] of [
    ['--lang', 'lang'],
    ['--stdin', 'stdin'],
    ['--tests', 'tests'],
    ['--checker', 'checker'],
  ] as const)
    if (text(option) !== undefined) call[key] = text(option)!;
  for (const [option, key] of [
    ['--time-limit', 'timeLimit'],
    ['--memory-limit', 'memoryLimit'],
  ] as const) {
    if (options[option] === undefined) continue;
    if (whole(option) === undefined) return undefined;
    call[key] = whole(option)!;
  }
  if (text('--compile-flags') !== undefined) call.compileFlags = splitCompileFlags(text('--compile-flags')!);
  if (options['--json']) call.json = true;
  if (options['--stop-on-failure']) call.stopOnFailure = true;
  return call;
}

/** Whether the path is a regular file of at most `max` bytes (if not, the full CLI says what is wrong). */
function smallFile(file: string, max: number): boolean {
  const st = statSync(file, { throwIfNoEntry: false });
  return Boolean(st?.isFile() && st.size <= max);
}

/** A call this path takes, its files found (paths made absolute against the caller's folder). */
export interface QuickPlan {
  call: QuickCall;
  content: string;
  language: string;
  tests: { name: string; input: TestData; answer: TestData }[];
}

/** Reads what `argv` needs, or answers undefined at once — nothing read from stdin, nothing sent — when the full CLI must answer. */
export function planQuickCall(argv: string[], io: CliIo = processIo): QuickPlan | undefined {
  const parsed = parseQuickCall(argv);
  if (!parsed || !daemonWanted(io.env)) return undefined;
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const call: QuickCall = {
    ...parsed,
    file: resolve(parsed.file),
    ...(parsed.tests !== undefined ? { tests: resolve(parsed.tests) } : {}),
    ...(parsed.stdin !== undefined && parsed.stdin !== '-' ? { stdin: resolve(parsed.stdin) } : {}),
  };
  if (!smallFile(call.file, MAX_SOURCE_BYTES)) return undefined;
  let tests: QuickPlan['tests'] = [];
  if (call.command === 'run') {
    // A terminal is live input or a prompt to type it: the full CLI does both.
    if ((call.stdin === undefined || call.stdin === '-') && io.stdinIsTTY) return undefined;
    if (call.stdin !== undefined && call.stdin !== '-' && !smallFile(call.stdin, MAX_STDIN_BYTES)) return undefined;
  } else {
    // Tests in a folder (given, or where `verdict judge` looks) and a built-in checker; cph's files,
    // packages and checker programs are the full CLI's.
    if (call.checker !== undefined && !(BUILTIN_CHECKERS as readonly string[]).includes(call.checker)) return undefined;
    const dir = call.tests ?? defaultTestsDir(call.file);
    if (dir === undefined) return undefined;
    try {
      tests = discoverTests(dir);
    } catch {
      return undefined;
    }
    if (tests.length === 0) return undefined;
  }
  const content = readFileSync(call.file, 'utf8');
  const language = call.lang ? LANGUAGES.find((l) => l.id === call.lang) : languageOfSource(call.file, content);
  if (!language) return undefined;
  return { call, content, language: language.id, tests };
}

/** Carries out `verdict run` or `verdict judge` through the daemon and resolves true, or resolves false at once (nothing read or sent). */
export async function quickCall(argv: string[]): Promise<boolean> {
  const plan = planQuickCall(argv);
  if (!plan) return false;
  let socket: string;
  try {
    socket = socketPath(daemonDir());
  } catch {
    return false;
  }
  // Only a daemon of this build and settings serves the call; the full CLI replaces any other.
  const info = await daemonInfo(socket);
  if (!info || info.build !== daemonKey()) return false;
  await carryOutQuickCall(plan, socket);
  return true;
}

/** Sends the planned call to the daemon on `socket`, follows it and prints it as the full CLI would; the exit status goes to `io`. */
export async function carryOutQuickCall(
  { call, content, language, tests }: QuickPlan,
  socket: string,
  io: CliIo = processIo,
): Promise<void> {
  try {
    const client = new ServiceClient('http://localhost', 'local', unixFetch(socket), true);
    let result: { status: string; tests?: unknown[] } | undefined;
    if (call.command === 'run') {
      const stdin = await programInput(call.stdin, io);
      result = await followRun(client, runRequestBody({ ...call, content, language, stdin }), {
        json: call.json,
        daemon: true,
        io,
      });
      if (result?.status === 'Internal Error') io.exitCode = EXIT_INTERNAL;
    } else {
      const body = await judgeTestsBody({
        language,
        files: [{ name: path.basename(call.file), content }],
        tests,
        ...(call.checker ? { checker: call.checker as BuiltinChecker } : {}),
        timeLimit: call.timeLimit,
        memoryLimit: call.memoryLimit,
        compileFlags: call.compileFlags,
        stopOnFailure: Boolean(call.stopOnFailure),
      });
      result = await followJudge(client, body, { json: call.json, daemon: true, io });
      if (result?.status === 'Internal Error' && result.tests?.length === 0) io.exitCode = EXIT_INTERNAL;
    }
  } catch (err) {
    if (err instanceof ServiceClientError) {
      const failure = remoteFailure(err);
      io.err(`verdict: ${failure.message}\n`);
      io.exitCode = failure.exitCode;
    } else if (err instanceof UsageError) {
      io.err(`verdict: ${displayText(err.message)}\n`);
      io.exitCode = EXIT_USAGE;
    } else {
      io.err(`verdict: ${(err as Error).stack ?? err}\n`);
      io.exitCode = 1;
    }
  }
}
