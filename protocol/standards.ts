// Which variant of a language family a submission compiles as (C++17, C++20, C++23), decided in one
// place for every way a problem package is judged (the CLI, the classroom service, MCP, the editor).
// Precedence: a standard the run chose > the problem's (problem.yaml `verdict.standards`) > the
// user's settings (verdict.languages.<id>.standard) > the family's default (C++17, as contest judges use).
import { LANGUAGES } from './languages.generated';
import { variantFor } from './settings';

export interface LanguageChoice {
  /** The language the run names: a variant's id (cpp20) chooses the standard; the family's (cpp) leaves it open. */
  language: string;
  /** A standard the run named (`--std c++17`, the HTTP API's `standard`), of the language's family: nothing below overrides it. */
  standard?: string;
  /** The user's settings' standard for the family (verdict.languages.cpp.standard). */
  settingsStandard?: string;
}

export type StandardSource = 'run' | 'problem' | 'settings' | 'default';

/** problem.yaml's `verdict.standards`: a language family's id → its standard (`cpp: c++20`). */
export type ProblemStandards = Readonly<Record<string, string>>;

/** The language id the submission runs as, and which rule chose it. Unknown ids pass through (the runner refuses them). */
export function languageForRun(choice: LanguageChoice, problem: ProblemStandards = {}): { language: string; from: StandardSource } {
  const facts = LANGUAGES.find((l) => l.id === choice.language);
  if (!facts) return { language: choice.language, from: 'default' };
  if (choice.standard !== undefined) return { language: variantFor(facts.id, choice.standard)?.id ?? facts.id, from: 'run' };
  if (facts.variantOf) return { language: facts.id, from: 'run' };
  const fromProblem = problem[facts.id] !== undefined ? variantFor(facts.id, problem[facts.id]!) : undefined;
  if (fromProblem) return { language: fromProblem.id, from: 'problem' };
  const fromSettings = choice.settingsStandard !== undefined ? variantFor(facts.id, choice.settingsStandard) : undefined;
  if (fromSettings) return { language: fromSettings.id, from: 'settings' };
  return { language: facts.id, from: 'default' };
}

/** A language's family: cpp for cpp20 (problem packages name families, as the spec's language codes do). */
export function familyOf(id: string): string {
  return LANGUAGES.find((l) => l.id === id)?.variantOf ?? id;
}
