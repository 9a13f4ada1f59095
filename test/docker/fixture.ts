// Shared by the Docker tests: one real runner (real Docker, real images) per test file.
import { after, before } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Runner, type RunnerOptions } from '../../runner/engine';
import type { ExecutionSpecInput, LimitsInput, RunResult } from '../../runner/spec';

export const FIXTURES = path.resolve(__dirname, '../fixtures');

export function fixture(language: string, file: string): { name: string; content: string } {
  return { name: file, content: readFileSync(path.join(FIXTURES, language, file), 'utf8') };
}

/** Registers before/after hooks and returns a getter for the file's runner. */
export function useRunner(options: RunnerOptions = {}): () => Runner {
  let runner: Runner | undefined;
  before(async () => {
    runner = await Runner.create(options);
  });
  after(async () => {
    await runner?.close();
  });
  return () => {
    if (!runner) throw new Error('runner not started');
    return runner;
  };
}

/** A runner of its own for one test, closed (all its containers removed) whatever happens. */
export async function withRunner<T>(options: RunnerOptions, body: (runner: Runner) => Promise<T>): Promise<T> {
  const runner = await Runner.create(options);
  try {
    return await body(runner);
  } finally {
    await runner.close();
  }
}

export async function runSource(
  runner: Runner,
  language: string,
  content: string,
  options: { stdin?: string; limits?: LimitsInput; name?: string; args?: string[] } = {},
): Promise<RunResult> {
  const spec: ExecutionSpecInput = {
    language,
    files: [{ name: options.name ?? 'main', content }],
    stdin: options.stdin ?? '',
    args: options.args ?? [],
    limits: options.limits ?? {},
  };
  return runner.run(spec);
}

/** A readable assertion message: the whole result, without giant outputs. */
export function show(r: RunResult): string {
  return JSON.stringify({ ...r, stdout: r.stdout.slice(0, 500), stderr: r.stderr.slice(0, 1500) }, null, 1);
}
