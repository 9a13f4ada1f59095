// The quick path of `verdict run FILE`: when this user's background runner is up (runner/daemon/),
// a plain run needs no more than reading the file, one request on a unix socket and printing the
// answer. This is its own small bundle (dist/runner/cli-quick.js, tens of kilobytes against the full
// CLI's 2 MB): bin/verdict.js tries it first for `run`, and loads the full CLI whenever it declines.
// It declines — before it has read or sent anything — for whatever the full command does
// differently: an option it does not know (help, --std, --server, --no-daemon…), live input from a
// terminal, a file it cannot take as is, no daemon of this build. The full CLI then answers,
// errors included, with its own words.
import { readFileSync, statSync } from 'node:fs';
import { languageOfSource, LANGUAGES } from '../../protocol/languages.generated';
import { MAX_SOURCE_BYTES, MAX_STDIN_BYTES } from '../../protocol/sizes';
import { ServiceClient, ServiceClientError } from '../../protocol/service-client';
import { displayText } from '../../protocol/display';
import { daemonKey, daemonWanted, daemonDir, socketPath } from '../daemon/paths';
import { daemonInfo } from '../daemon/info';
import { unixFetch } from '../daemon/unix-fetch';
import { UsageError } from '../errors';
import { programInput } from './files';
import { EXIT_INTERNAL, EXIT_USAGE, followRun, remoteFailure, runRequestBody } from './follow';

interface QuickRun {
  file: string;
  args: string[];
  lang?: string;
  stdin?: string;
  timeLimit?: number;
  memoryLimit?: number;
  json?: boolean;
}

const VALUED = new Set(['--lang', '--stdin', '--time-limit', '--memory-limit']);

/** `run FILE [args…]` with only the options this path knows, or undefined (the full CLI parses it). */
export function parseQuickRun(argv: string[]): QuickRun | undefined {
  if (argv[0] !== 'run') return undefined;
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
    if (name === '--json' && eq < 0) options.json = true;
    else if (VALUED.has(name)) {
      const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
      if (value === undefined || name in options) return undefined;
      options[name] = value;
    } else return undefined; // `--`, help, and every option only the full command has
  }
  const [file, ...args] = positional;
  if (file === undefined) return undefined;
  const whole = (v: string | true | undefined) => (typeof v === 'string' && /^[1-9][0-9]{0,8}$/.test(v) ? Number(v) : undefined);
  const run: QuickRun = { file, args };
  if (options['--lang'] !== undefined) run.lang = options['--lang'] as string;
  if (options['--stdin'] !== undefined) run.stdin = options['--stdin'] as string;
  if (options['--time-limit'] !== undefined) if ((run.timeLimit = whole(options['--time-limit'])) === undefined) return undefined;
  if (options['--memory-limit'] !== undefined) if ((run.memoryLimit = whole(options['--memory-limit'])) === undefined) return undefined;
  if (options.json) run.json = true;
  return run;
}

/** A regular file of at most `max` bytes, else undefined (the full CLI says what is wrong). */
function smallFile(file: string, max: number): boolean {
  const st = statSync(file, { throwIfNoEntry: false });
  return Boolean(st?.isFile() && st.size <= max);
}

/** Carries out `verdict run` through the daemon and resolves true, or resolves false at once (nothing read or sent). */
export async function quickRun(argv: string[]): Promise<boolean> {
  const run = parseQuickRun(argv);
  if (!run || !daemonWanted()) return false;
  // A terminal is live input or a prompt to type it: the full CLI does both.
  if ((run.stdin === undefined || run.stdin === '-') && process.stdin.isTTY) return false;
  if (!smallFile(run.file, MAX_SOURCE_BYTES)) return false;
  if (run.stdin !== undefined && run.stdin !== '-' && !smallFile(run.stdin, MAX_STDIN_BYTES)) return false;
  const content = readFileSync(run.file, 'utf8');
  const language = run.lang ? LANGUAGES.find((l) => l.id === run.lang) : languageOfSource(run.file, content);
  if (!language) return false;
  let socket: string;
  try {
    socket = socketPath(daemonDir());
  } catch {
    return false;
  }
  // Only a daemon of this build and settings serves the call; the full CLI replaces any other.
  const info = await daemonInfo(socket);
  if (!info || info.build !== daemonKey()) return false;

  try {
    const stdin = await programInput(run.stdin);
    const client = new ServiceClient('http://localhost', 'local', unixFetch(socket));
    const body = runRequestBody({ ...run, content, language: language.id, stdin });
    const result = await followRun(client, body, { json: run.json, daemon: true });
    if (result?.status === 'Internal Error') process.exitCode = EXIT_INTERNAL;
  } catch (err) {
    if (err instanceof ServiceClientError) {
      const failure = remoteFailure(err);
      process.stderr.write(`verdict: ${failure.message}\n`);
      process.exitCode = failure.exitCode;
    } else if (err instanceof UsageError) {
      process.stderr.write(`verdict: ${displayText(err.message)}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`verdict: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    }
  }
  return true;
}
