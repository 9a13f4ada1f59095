// Kattis' example packages (test/fixtures/problems/{hello,different,guess,scored,shared,custom}) with
// submissions in the contest languages added for issue 13 — Kotlin, Haskell, OCaml, Scala, Common Lisp
// and Perl — each judged as `verdict judge FILE --problem DIR` judges it, to the verdict its
// submissions/<verdict>/ folder names (packages.test.ts judges every submission too; this file is the
// languages' own check, and that every package has an accepted one in each of them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, useRunner } from './fixture';
import { loadProblemPackage } from '../../runner/judge/problem';
import { judgeRequest } from '../../runner/cli/judge';
import { languageForFile, loadLanguages } from '../../runner/languages';
import type { JudgeResult } from '../../runner/judge/judge';

const runner = useRunner();
const PROBLEMS = path.join(FIXTURES, 'problems');
const PACKAGES = ['hello', 'different', 'guess', 'scored', 'shared', 'custom'];
const LANGUAGES = ['kotlin', 'haskell', 'ocaml', 'scala', 'lisp', 'perl'];
const EXPECTED: Record<string, string> = {
  accepted: 'Accepted',
  wrong_answer: 'Wrong Answer',
  time_limit_exceeded: 'Time Limit Exceeded',
  run_time_error: 'Runtime Error',
};
const languages = loadLanguages();

const explain = (r: JudgeResult) =>
  JSON.stringify(
    { message: r.message, compile: r.compile, tests: r.tests.map((t) => [t.name, t.status, t.message, t.stderr?.slice(0, 300)]) },
    null,
    1,
  );

const accepted = new Map<string, Set<string>>(PACKAGES.map((p) => [p, new Set()]));

for (const name of PACKAGES) {
  const dir = path.join(PROBLEMS, name);
  for (const [folder, status] of Object.entries(EXPECTED)) {
    let entries: string[] = [];
    try {
      entries = readdirSync(path.join(dir, 'submissions', folder)).sort();
    } catch {
      continue;
    }
    for (const entry of entries) {
      const file = path.join(dir, 'submissions', folder, entry);
      const language = languageForFile(languages, file).id;
      if (!LANGUAGES.includes(language)) continue;
      if (folder === 'accepted') accepted.get(name)!.add(language);
      test(`kattis ${name}: ${language} submissions/${folder}/${entry} is judged ${status}`, async () => {
        const problem = loadProblemPackage(dir);
        const request = judgeRequest(
          [file],
          {
            problem: dir,
            checkerProtocol: 'kattis',
            stopOnFailure: !problem.scoring,
            ...(problem.timeLimitMs ? {} : { timeLimit: 1000 }),
          },
          runner(),
        );
        assert.equal(request.language, language);
        const r = await runner().judge(request);
        assert.equal(r.status, status, explain(r));
        if (problem.scoring && folder === 'accepted') assert.equal(r.score?.score, 100, JSON.stringify(r.score));
      });
    }
  }
}

test('kattis: every example package has an accepted submission in each of the six languages', () => {
  for (const [name, found] of accepted) assert.deepEqual([...found].sort(), [...LANGUAGES].sort(), name);
});
