// Problems on the server: a teacher uploads an ICPC/Kattis package as a zip or tar.gz; it is unpacked
// with every archive attack refused (archive.ts), checked by loading it as the judge would, and only
// then put in place (one rename), so a broken upload leaves nothing behind and replaces nothing.
// What students may see of a problem is its limits and samples; hidden tests are only counted.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { judgingOfPackage, displayText, type Runner } from '../index';
import type { ProblemInfo } from '../../protocol/http';
import { extractArchive } from './archive';
import { ServiceError } from './quotas';
import type { Store } from './store';
import { readFileSync } from 'node:fs';

const SHOWN_SAMPLE_BYTES = 64 * 1024;

export const PROBLEM_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Unpacks, checks and stores a problem package; returns what students may see of it. */
export async function storeProblem(
  store: Store,
  runner: Runner,
  upload: { id: string; class: string; archive: Buffer; by: string },
): Promise<ProblemInfo> {
  if (!PROBLEM_ID.test(upload.id))
    throw new ServiceError(400, 'bad_problem_id', 'A problem id is 1–64 lower-case letters, digits, - and _.');
  const problemsDir = path.join(store.dataDir, 'problems');
  mkdirSync(problemsDir, { recursive: true });
  const staging = path.join(problemsDir, `.upload-${randomUUID()}`);
  try {
    let root: string;
    try {
      ({ root } = await extractArchive(upload.archive, staging));
    } catch (err) {
      if ((err as Error).name === 'ArchiveRejected') throw new ServiceError(400, 'bad_archive', (err as Error).message);
      throw err;
    }
    let info: ProblemInfo;
    try {
      info = problemInfo(upload.id, root, runner);
    } catch (err) {
      throw new ServiceError(400, 'bad_package', `The package does not load: ${(err as Error).message}`);
    }
    // In place at once: the old version (if any) goes only after the new one is checked.
    const final = path.join(problemsDir, upload.id);
    const old = path.join(problemsDir, `.old-${randomUUID()}`);
    if (existsSync(final)) renameSync(final, old);
    renameSync(root, final);
    rmSync(old, { recursive: true, force: true });
    store.putProblem({
      id: upload.id,
      class: upload.class,
      name: info.name,
      dir: final,
      info: JSON.stringify(info),
      created_by: upload.by,
    });
    return info;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** A package's public face: limits, samples (their first 64 KiB, as display text), the count of hidden tests. */
export function problemInfo(id: string, dir: string, runner: Runner): ProblemInfo {
  const judging = judgingOfPackage(dir, runner.languages);
  const samples = judging.tests.filter((t) => t.group[0] === 'sample');
  const shown = (data: { path: string } | { text: string }) =>
    'text' in data ? displayText(data.text) : displayText(readFileSync(data.path).subarray(0, SHOWN_SAMPLE_BYTES));
  return {
    id,
    name: judging.problem.name ?? judging.problem.shortName,
    ...(judging.limits.cpuMs ? { timeLimitMs: judging.limits.cpuMs } : {}),
    ...(judging.limits.memoryMb ? { memoryLimitMb: judging.limits.memoryMb } : {}),
    samples: samples.map((t) => ({ name: t.name, input: shown(t.input), answer: shown(t.answer) })),
    hiddenTests: judging.tests.length - samples.length,
    interactive: judging.problem.interactive,
    scoring: judging.problem.scoring,
    ...(Object.keys(judging.standards).length ? { standards: { ...judging.standards } } : {}),
  };
}
