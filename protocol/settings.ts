// The `verdict` settings section the language server reads (workspace/configuration), with its
// defaults in one place, for the server and the VS Code client alike. Read by a small hand-written
// normalizer rather than a schema library: the language server reads settings right after
// `initialize`, before any run, and loads nothing it does not need until then (its idle memory is
// measured by `npm run bench`). Invalid values fall back to their defaults and are named.

import { LANGUAGES, type LanguageFacts } from './languages.generated';
import { MAX_COMPILE_FLAGS, MAX_COMPILE_FLAG_LENGTH, splitCompileFlags } from './compile-flags';

export const CHECKERS = ['exact', 'lines', 'tokens', 'float'] as const;

export interface LanguageLimits {
  timeMs?: number;
  memoryMb?: number;
  /** The language standard to compile with (C++: c++17, c++20, c++23): runs the variant (cpp20) instead. */
  standard?: string;
  /** Command-line arguments ▶ Run gives the program (inside its sandbox; judging uses the tests' own). */
  args?: string[];
  /**
   * Extra compiler flags for Run and Judge ("-DLOCAL -O3", or a list), checked by the runner against
   * the language's allowed flags (protocol/compile-flags.ts); a variant (cpp20) takes its base's.
   */
  compileFlags?: string[];
  /** A file whose text starts each new source of this language (Competitive Companion problems), with {name}, {group}, {url}, {timeLimitMs}, {memoryLimitMb}. */
  template?: string;
}

/** The runner's bounds on a program's arguments (protocol/spec.ts). */
const MAX_ARGS = 64;
const MAX_ARG_LENGTH = 4096;

function args(value: unknown, where: string, problems: Problems): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    Array.isArray(value) &&
    value.length <= MAX_ARGS &&
    value.every((a) => typeof a === 'string' && a.length <= MAX_ARG_LENGTH && !a.includes('\0'))
  )
    return value as string[];
  problems.push(`${where} must be a list of at most ${MAX_ARGS} strings (each under ${MAX_ARG_LENGTH} characters, without NUL)`);
  return undefined;
}

/** Compile flags as one line ("-DLOCAL -O3", split on whitespace) or a list; the shape only (the runner knows each language's rules). */
function compileFlags(value: unknown, where: string, problems: Problems): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const flags = typeof value === 'string' ? splitCompileFlags(value) : value;
  if (
    Array.isArray(flags) &&
    flags.length <= MAX_COMPILE_FLAGS &&
    flags.every((f) => typeof f === 'string' && f.length > 0 && f.length <= MAX_COMPILE_FLAG_LENGTH && !f.includes('\0'))
  )
    return flags as string[];
  problems.push(
    `${where} must be flags on one line ("-DLOCAL -O3") or a list of them: at most ${MAX_COMPILE_FLAGS}, each under ${MAX_COMPILE_FLAG_LENGTH} characters, without NUL`,
  );
  return undefined;
}

export interface VerdictSettings {
  runner: {
    mode: 'local' | 'remote';
    /** Remote: the classroom service's URL and the user's token. */
    url: string;
    token: string;
  };
  limits: { timeMs: number; memoryMb: number };
  tests: {
    /** A folder for a source's tests, with {dir} and {name} (file name without extension); empty = the default convention. */
    folder: string;
    checker: (typeof CHECKERS)[number];
  };
  /** Per-language overrides, by language id. */
  languages: Record<string, LanguageLimits>;
}

export const DEFAULT_SETTINGS: VerdictSettings = {
  runner: { mode: 'local', url: '', token: '' },
  limits: { timeMs: 2000, memoryMb: 256 },
  tests: { folder: '', checker: 'lines' },
  languages: {},
};

/** Ceilings of the editor's limits (the runner's own ceilings apply again on its side). */
const MAX_TIME_MS = 60_000;
const MAX_MEMORY_MB = 4096;

type Problems = string[];

function object(value: unknown, where: string, problems: Problems): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.push(`${where} must be an object`);
  return {};
}

function string(value: unknown, fallback: string, where: string, problems: Problems): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  problems.push(`${where} must be a string`);
  return fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, where: string, problems: Problems): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${where} must be one of ${allowed.join(', ')}`);
  return fallback;
}

function positive(value: unknown, max: number, where: string, problems: Problems): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max) return value;
  problems.push(`${where} must be a whole number from 1 to ${max}`);
  return undefined;
}

/** The settings from what the editor sent, every invalid value replaced by its default and named in `problems`. */
export function readVerdictSettings(raw: unknown): { settings: VerdictSettings; problems: string[] } {
  const problems: Problems = [];
  const top = object(raw, 'verdict', problems);
  const runner = object(top.runner, 'verdict.runner', problems);
  const limits = object(top.limits, 'verdict.limits', problems);
  const tests = object(top.tests, 'verdict.tests', problems);
  const languages = object(top.languages, 'verdict.languages', problems);
  const d = DEFAULT_SETTINGS;
  const settings: VerdictSettings = {
    runner: {
      mode: oneOf(runner.mode, ['local', 'remote'] as const, d.runner.mode, 'verdict.runner.mode', problems),
      url: string(runner.url, d.runner.url, 'verdict.runner.url', problems),
      token: string(runner.token, d.runner.token, 'verdict.runner.token', problems),
    },
    limits: {
      timeMs: positive(limits.timeMs, MAX_TIME_MS, 'verdict.limits.timeMs', problems) ?? d.limits.timeMs,
      memoryMb: positive(limits.memoryMb, MAX_MEMORY_MB, 'verdict.limits.memoryMb', problems) ?? d.limits.memoryMb,
    },
    tests: {
      folder: string(tests.folder, d.tests.folder, 'verdict.tests.folder', problems),
      checker: oneOf(tests.checker, CHECKERS, d.tests.checker, 'verdict.tests.checker', problems),
    },
    languages: {},
  };
  for (const [id, value] of Object.entries(languages)) {
    const own = object(value, `verdict.languages.${id}`, problems);
    const timeMs = positive(own.timeMs, MAX_TIME_MS, `verdict.languages.${id}.timeMs`, problems);
    const memoryMb = positive(own.memoryMb, MAX_MEMORY_MB, `verdict.languages.${id}.memoryMb`, problems);
    const standard =
      own.standard === undefined ? undefined : string(own.standard, '', `verdict.languages.${id}.standard`, problems) || undefined;
    if (standard !== undefined && !variantFor(id, standard))
      problems.push(
        `verdict.languages.${id}.standard must be one of ${standardsOf(id).join(', ') || '(none: this language has no standards)'}`,
      );
    const runArgs = args(own.args, `verdict.languages.${id}.args`, problems);
    const flags = compileFlags(own.compileFlags, `verdict.languages.${id}.compileFlags`, problems);
    const template =
      own.template === undefined ? undefined : string(own.template, '', `verdict.languages.${id}.template`, problems) || undefined;
    settings.languages[id] = {
      ...(timeMs !== undefined ? { timeMs } : {}),
      ...(memoryMb !== undefined ? { memoryMb } : {}),
      ...(standard !== undefined && variantFor(id, standard) ? { standard } : {}),
      ...(runArgs !== undefined ? { args: runArgs } : {}),
      ...(flags !== undefined ? { compileFlags: flags } : {}),
      ...(template !== undefined ? { template } : {}),
    };
  }
  return { settings, problems };
}

/** The languages sharing a base (cpp and its variants cpp20, cpp23). */
function familyOf(id: string): LanguageFacts[] {
  const base = LANGUAGES.find((l) => l.id === id)?.variantOf ?? id;
  return LANGUAGES.filter((l) => l.id === base || l.variantOf === base);
}

export function standardsOf(id: string): string[] {
  return familyOf(id).flatMap((l) => (l.standard ? [l.standard] : []));
}

/** The variant of a language for a standard (`c++20`, `gnu++20`, `20` or the id `cpp20`), as the CLI's --std finds it. */
export function variantFor(id: string, standard: string): LanguageFacts | undefined {
  const want = standard
    .toLowerCase()
    .replace(/^gnu/, 'c')
    .replace(/^(\d+)$/, 'c++$1');
  return familyOf(id).find((l) => l.id === want || l.standard?.toLowerCase() === want);
}

/** The language a file of this language runs as under the settings: the variant their `standard` names, else itself. */
export function languageUnderSettings(language: LanguageFacts, settings: VerdictSettings): LanguageFacts {
  const standard = settings.languages[language.id]?.standard;
  return (standard !== undefined && variantFor(language.id, standard)) || language;
}
