// Which C++ standard a submission compiles with: the run's choice > the problem's (problem.yaml
// verdict.standards) > the user's settings > the default (C++17), and problem.yaml's key as loaded.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { languageForRun, type LanguageChoice, type StandardSource } from '../../protocol/standards';
import { loadProblemPackage } from '../../runner/judge/problem';
import { UsageError } from '../../runner/errors';

const CASES: [string, LanguageChoice, Record<string, string> | undefined, string, StandardSource][] = [
  ['nothing said: C++17, as contest judges use', { language: 'cpp' }, undefined, 'cpp', 'default'],
  ['the settings choose when the problem is silent', { language: 'cpp', settingsStandard: 'c++23' }, {}, 'cpp23', 'settings'],
  ['the problem chooses', { language: 'cpp' }, { cpp: 'c++20' }, 'cpp20', 'problem'],
  ['the problem wins over the settings', { language: 'cpp', settingsStandard: 'c++23' }, { cpp: 'c++20' }, 'cpp20', 'problem'],
  ['the problem may name the default', { language: 'cpp', settingsStandard: 'c++23' }, { cpp: 'c++17' }, 'cpp', 'problem'],
  ["a variant's id (--lang cpp23, a request's cpp23) wins over the problem", { language: 'cpp23' }, { cpp: 'c++20' }, 'cpp23', 'run'],
  ['--std c++17 named on the run wins over the problem', { language: 'cpp', standard: 'c++17' }, { cpp: 'c++20' }, 'cpp', 'run'],
  ['the standard may be spelled gnu++20 or 20', { language: 'cpp' }, { cpp: 'gnu++20' }, 'cpp20', 'problem'],
  ["another family's standard does not apply", { language: 'python3', settingsStandard: 'c++20' }, { cpp: 'c++20' }, 'python3', 'default'],
  ['an unknown language passes through (the runner refuses it)', { language: 'cobol' }, { cpp: 'c++20' }, 'cobol', 'default'],
];

for (const [name, choice, problem, language, from] of CASES)
  test(`standards: ${name}`, () => {
    assert.deepEqual(languageForRun(choice, problem), { language, from });
  });

const temps: string[] = [];
after(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

function pkg(yaml: string): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-standards-')), 'pkg');
  temps.push(path.dirname(root));
  fs.mkdirSync(path.join(root, 'data', 'secret'), { recursive: true });
  fs.writeFileSync(path.join(root, 'problem.yaml'), yaml);
  fs.writeFileSync(path.join(root, 'data', 'secret', '1.in'), '1\n');
  fs.writeFileSync(path.join(root, 'data', 'secret', '1.ans'), '1\n');
  return root;
}
const V2025 = 'problem_format_version: 2025-09\nname: T\nuuid: 1b2c\n';
const V2023 = 'problem_format_version: 2023-07-draft\nname: T\n';

test('standards: problem.yaml verdict.standards is read in every format version; without it, none', () => {
  for (const head of ['name: T\n', V2023, V2025])
    assert.deepEqual(loadProblemPackage(pkg(`${head}verdict:\n  standards:\n    cpp: c++20\n`)).standards, { cpp: 'c++20' }, head);
  assert.deepEqual(loadProblemPackage(pkg(V2025)).standards, {});
});

test('standards: a wrong verdict.standards names the key, the value and what to write instead', () => {
  const refuses = (yaml: string, message: RegExp) =>
    assert.throws(
      () => loadProblemPackage(pkg(yaml)),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
    );
  refuses(
    `${V2025}verdict:\n  standards:\n    cpp: c++26\n`,
    /verdict\.standards\.cpp: 'c\+\+26' is not a standard Verdict has for cpp; use one of c\+\+17, c\+\+20, c\+\+23/,
  );
  refuses(
    `${V2025}verdict:\n  standards:\n    python3: c++20\n`,
    /verdict\.standards\.python3: 'python3' is not a language family with standards to choose from \(cpp\)/,
  );
  refuses(`${V2025}verdict:\n  standards:\n    cpp20: c++20\n`, /verdict\.standards\.cpp20: .* \(cpp\)/);
  refuses(`${V2025}verdict:\n  compiler: clang\n`, /verdict/);
});
