// `verdict run|judge --server URL`: the same files the local commands read, sent to a classroom
// server (`verdict serve`, protocol/http.ts) as one request, then followed by its events and printed
// with the same words as a local run (protocol/report.ts). The token comes from VERDICT_TOKEN.
// Talks to the server only through protocol/service-client.ts; nothing here imports the service.
import { statSync } from 'node:fs';
import type { z } from 'zod';
import type { JudgeRequestBody } from '../../protocol/http';
import { ServiceClient } from '../../protocol/service-client';
import type { JudgeResult, RunResult } from '../../protocol/results';
import { languageById, languageForFile, loadLanguages } from '../languages';
import { BUILTIN_CHECKERS, type BuiltinChecker } from '../judge/types';
import { submissionFiles } from '../judge/package-judging';
import { MAX_SOURCE_BYTES, MAX_STDIN_BYTES } from '../spec';
import { UsageError } from '../errors';
import { readUserBytes, readUserFile } from './files';
import { testsOfSource, type JudgeCliOptions } from './judge';
import { followJudge, followRun, judgeTestsBody, runRequestBody } from './follow';

export { remoteFailure } from './follow';
const PROBLEM_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface RemoteRunOptions {
  server?: string;
  /** A client made already: the local daemon's (runner/daemon/client.ts), instead of --server's. */
  client?: ServiceClient;
  /** The program's input as bytes (the daemon's calls), instead of the --stdin file. */
  stdinBytes?: Buffer;
  lang?: string;
  stdin?: string;
  timeLimit?: number;
  memoryLimit?: number;
  compileFlags?: string[];
  json?: boolean;
}

function clientFor(server: string): ServiceClient {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server ${server} is not a URL: give the server's address, e.g. http://127.0.0.1:8080.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--server ${server}: the server's address starts with http:// or https://.`);
  const token = process.env.VERDICT_TOKEN?.trim();
  if (!token)
    throw new UsageError(
      '--server needs your token in the VERDICT_TOKEN environment variable (export VERDICT_TOKEN=vt_...): ask your teacher for one; whoever runs the server makes them with `verdict token create`.',
    );
  return new ServiceClient(server, token);
}

/**
 * `verdict run FILE --server URL`, or on the local daemon (opts.client): resolves with the result as
 * the local command has it, or undefined when interrupted. The daemon's queue is this user's own:
 * no "queued" notice there, so the output is the local command's.
 */
export async function remoteRun(file: string, args: string[], opts: RemoteRunOptions): Promise<RunResult | undefined> {
  const client = opts.client ?? clientFor(opts.server!);
  const languages = loadLanguages();
  const language = opts.lang ? languageById(languages, opts.lang) : languageForFile(languages, file);
  const content = readUserFile(file, 'Source file', MAX_SOURCE_BYTES);
  const stdin = opts.stdinBytes ?? (opts.stdin ? readUserBytes(opts.stdin, 'Input file', MAX_STDIN_BYTES) : undefined);
  const { timeLimit, memoryLimit, compileFlags } = opts;
  const body = runRequestBody({
    file,
    content,
    language: language.id,
    ...(stdin ? { stdin } : {}),
    args,
    timeLimit,
    memoryLimit,
    compileFlags,
  });
  return followRun(client, body, { json: opts.json, daemon: Boolean(opts.client) });
}

function builtinChecker(value: string): BuiltinChecker {
  if ((BUILTIN_CHECKERS as readonly string[]).includes(value)) return value as BuiltinChecker;
  if (statSync(value, { throwIfNoEntry: false })?.isFile())
    throw new UsageError(
      `A checker program (${value}) runs only locally. With --server use a built-in checker (${BUILTIN_CHECKERS.join(', ')}), or push a problem package with its output validator (\`verdict problem push DIR --server URL\`, a teacher's token) and judge with --problem ID; or judge here without --server.`,
    );
  throw new UsageError(`Unknown checker "${value}": with --server use one of ${BUILTIN_CHECKERS.join(', ')}.`);
}

/** `verdict judge FILES --server URL`: resolves with the result as the local command has it, or undefined when interrupted. */
export async function remoteJudge(
  args: string[],
  opts: JudgeCliOptions & { server?: string; client?: ServiceClient },
): Promise<JudgeResult | undefined> {
  const client = opts.client ?? clientFor(opts.server!);
  if (opts.tests && opts.problem) throw new UsageError('Give --tests DIR or --problem ID, not both.');
  const { language, files } = submissionFiles(args, loadLanguages(), opts.lang);
  let body: z.input<typeof JudgeRequestBody>;
  if (opts.problem) {
    if (!PROBLEM_ID.test(opts.problem))
      throw new UsageError(
        `With --server, --problem takes the id of a problem stored on the server (lower-case letters, digits, - and _), not a folder. Push a package first with \`verdict problem push ${opts.problem} --server URL\` (a teacher's token) and judge with its id, or judge it here without --server.`,
      );
    if (opts.checker)
      throw new UsageError(`--checker does not go with --problem on a server: the problem's own checker judges. Leave --checker out.`);
    if (opts.timeLimit || opts.memoryLimit)
      process.stderr.write("verdict: the problem's own limits apply on the server; --time-limit and --memory-limit are not used.\n");
    body = {
      kind: 'judge',
      language: language.id,
      files,
      problem: opts.problem,
      // --std named is the run's choice, over the problem's own standard (the language is already its variant).
      ...(opts.std !== undefined ? { standard: opts.std } : {}),
      // Left out, the server's rule for its problems applies (stop at the first failure unless scored).
      ...(opts.stopOnFailure ? { stopOnFailure: true } : {}),
    };
  } else {
    const checker = opts.checker ? builtinChecker(opts.checker) : undefined;
    const found = testsOfSource(args[0]!, opts.tests, opts.client ? undefined : '--problem ID (a problem on the server)');
    body = await judgeTestsBody({
      language: language.id,
      files,
      tests: found.tests,
      ...(checker ? { checker } : {}),
      timeLimit: opts.timeLimit ?? found.timeLimitMs,
      memoryLimit: opts.memoryLimit,
      compileFlags: opts.compileFlags,
      stopOnFailure: Boolean(opts.stopOnFailure),
    });
  }
  return followJudge(client, body, { json: opts.json, daemon: Boolean(opts.client) });
}
