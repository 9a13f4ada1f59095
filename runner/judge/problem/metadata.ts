// problem.yaml: detects the format version and validates the file against that version's keys,
// then reduces it to the few facts judging needs (types, limits, validation mode and flags).
// Keys that only describe the problem (credits, license, keywords...) are checked for shape, as the
// spec treats unknown keys as errors, but not kept.
import { z } from 'zod';
import { UsageError } from '../../errors';
import type { Constants, FormatVersion } from './model';
import { show, validate } from './yaml-config';
import { LANGUAGES } from '../../../protocol/languages.generated';
import { standardsOf, variantFor } from '../../../protocol/settings';

const FILE = 'problem.yaml';

export interface Metadata {
  formatVersion: FormatVersion;
  name?: string;
  interactive: boolean;
  scoring: boolean;
  timeLimitSeconds?: number;
  memoryMb?: number;
  outputMb?: number;
  codeKb?: number;
  allowFileWriting: boolean;
  languages?: string[];
  /** Set when problem.yaml says it (legacy, early 2023-07-draft); otherwise the folder decides. */
  validation?: 'default' | 'custom';
  /** problem.yaml validator_flags (legacy, early 2023-07-draft), split into arguments. */
  validatorFlags: string[];
  /** Multi-pass problems: the most passes a test may take (limits.validation_passes, default 2). */
  passes?: number;
  /** Whether the score is maximised (the default) or minimised (legacy and 2023-07-draft `objective`). */
  objective: 'max' | 'min';
  /** problem.yaml constants: name → variant ("value", "tex"...) → text, for {{name}} and {{name.variant}}. */
  constants: Constants;
  /** Verdict's extension `verdict.standards`: a language family's id → the standard its submissions compile with. */
  standards: Record<string, string>;
}

/** Free text that YAML may have read as a number (`name: 2048`, `source: 2019`). */
const text = z.union([z.string(), z.number()], { error: 'must be text' }).transform(String);
const seconds = z.number({ error: 'must be a number of seconds' }).positive({ error: 'must be a positive number of seconds' });
const mib = z
  .number({ error: 'must be a whole number of MiB' })
  .int({ error: 'must be a whole number of MiB' })
  .positive({ error: 'must be a positive number of MiB' });
const kib = z
  .number({ error: 'must be a whole number of KiB' })
  .int({ error: 'must be a whole number of KiB' })
  .positive({ error: 'must be a positive number of KiB' });
const factor = z.number({ error: 'must be a number' }).min(1, { error: 'must be at least 1' });
const License = z.enum(['unknown', 'public domain', 'cc0', 'cc by', 'cc by-sa', 'educational', 'permission']);
const TYPES = ['pass-fail', 'scoring', 'interactive', 'multi-pass', 'submit-answer'] as const;
type ProblemType = (typeof TYPES)[number];
const TypeName = z.enum(TYPES, { error: `must be one of ${TYPES.join(', ')}` });
const TypeField = z.union([TypeName, z.array(TypeName).min(1)], {
  error: `must be one of ${TYPES.join(', ')}, or a non-empty list of them`,
});
/** "default" or "custom" followed by modifiers; checked word by word in validationWords(). */
const Validation = z.string({ error: "must be 'default' or 'custom' followed by modifiers such as 'interactive'" });
const Scoring = z.strictObject({ objective: z.enum(['min', 'max']).optional(), show_test_data_groups: z.boolean().optional() });
const Source = z.union([text, z.strictObject({ name: text, url: z.string().optional() })]);
/**
 * `verdict:`, Verdict's own key (docs/judging.md), in every format version: the package format has no
 * way to say which C++ standard submissions compile with. Other judges ignore it (problemtools warns).
 */
const VerdictExtension = z.strictObject({
  standards: z.record(z.string(), z.string({ error: 'must be a standard, such as c++20' })).optional(),
});

/** Limits every format version has (only the time limit's keys differ). */
const sharedLimits = {
  memory: mib.optional(),
  output: mib.optional(),
  code: kib.optional(),
  compilation_time: seconds.optional(),
  compilation_memory: mib.optional(),
  validation_time: seconds.optional(),
  validation_memory: mib.optional(),
  validation_output: mib.optional(),
};

const LegacyLimits = z.strictObject({
  time_multiplier: factor.optional(),
  time_safety_margin: factor.optional(),
  ...sharedLimits,
});

const Legacy = z.strictObject({
  problem_format_version: z.string().optional(),
  type: z.enum(['pass-fail', 'scoring']).optional(),
  name: text.optional(),
  uuid: z.string().optional(),
  author: text.optional(),
  source: text.optional(),
  source_url: z.string().optional(),
  license: License.optional(),
  rights_owner: text.optional(),
  limits: LegacyLimits.optional(),
  validation: Validation.optional(),
  validator_flags: text.optional(),
  grading: Scoring.optional(),
  keywords: z.union([z.string(), z.array(text)]).optional(),
  verdict: VerdictExtension.optional(),
});

const ModernLimits = z.strictObject({
  time_multipliers: z.strictObject({ ac_to_time_limit: factor.optional(), time_limit_to_tle: factor.optional() }).optional(),
  time_limit: seconds.optional(),
  time_resolution: seconds.optional(),
  ...sharedLimits,
  validation_passes: z.number().int().min(2).optional(),
});

const V2025 = z.strictObject({
  problem_format_version: z.literal('2025-09'),
  type: TypeField.optional(),
  name: z.union([text, z.record(z.string(), text)], { error: 'must be the name, or a mapping from language code to name' }),
  uuid: z.string(),
  version: text.optional(),
  credits: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  source: z.union([Source, z.array(Source).min(1)]).optional(),
  license: License.optional(),
  rights_owner: text.optional(),
  embargo_until: z.union([z.string(), z.date()]).optional(),
  limits: ModernLimits.optional(),
  keywords: z.array(text).optional(),
  languages: z.union([z.literal('all'), z.array(z.string()).min(1)], { error: "must be 'all' or a list of language codes" }).optional(),
  allow_file_writing: z.boolean().optional(),
  constants: z.record(z.string(), z.unknown()).optional(),
  verdict: VerdictExtension.optional(),
});

const CONSTANT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const constantValue = z.union([z.string(), z.number()]).transform(String);
const Constant = z.union([constantValue, z.record(z.string(), constantValue)]);

/** problem.yaml `constants`: each a scalar, or a mapping with `value` and variants. */
function parseConstants(raw: Record<string, unknown> | undefined): Constants {
  const out: Constants = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (!CONSTANT_NAME.test(name))
      throw new UsageError(`${FILE}: constants: '${name}' is not a valid name (a letter or '_', then letters, digits and '_')`);
    const parsed = validate(Constant, value, `${FILE}: constants.${name}`);
    const variants = typeof parsed === 'string' ? { value: parsed } : parsed;
    if (variants.value === undefined)
      throw new UsageError(`${FILE}: constants.${name} must be a number or a string, or a mapping with a 'value' key`);
    out[name] = variants;
  }
  return out;
}

/** `verdict.standards`: each key a language family with standards (cpp), each value one of its standards. */
function standards(raw: Record<string, string> | undefined): Record<string, string> {
  const families = LANGUAGES.filter((l) => !l.variantOf && standardsOf(l.id).length > 1).map((l) => l.id);
  for (const [family, standard] of Object.entries(raw ?? {})) {
    if (!families.includes(family))
      throw new UsageError(
        `${FILE}: verdict.standards.${family}: ${show(family)} is not a language family with standards to choose from (${families.join(', ')})`,
      );
    if (!variantFor(family, standard))
      throw new UsageError(
        `${FILE}: verdict.standards.${family}: ${show(standard)} is not a standard Verdict has for ${family}; use one of ${standardsOf(family).join(', ')}`,
      );
  }
  return { ...raw };
}

/**
 * Replaces {{name}} and {{name.variant}} by the constants' text (spec 2025-09, "Constants");
 * sequences naming no constant stay as they are.
 */
export function substituteConstants(text: string, constants: Constants): string {
  if (Object.keys(constants).length === 0) return text;
  return text.replace(/\{\{([a-zA-Z_][a-zA-Z0-9_]*)(?:\.([a-zA-Z0-9_]+))?\}\}/g, (all, name: string, variant?: string) => {
    return constants[name]?.[variant ?? 'value'] ?? all;
  });
}

// 2023-07-draft changed for two years before it became 2025-09. Packages written against it use
// either its first shape (type pass-fail|scoring plus legacy-style `validation` and author/source
// strings) or its later shape (`type` lists that include interactive). Both are accepted.
const V2023 = z.strictObject({
  problem_format_version: z.enum(['2023-07-draft', '2023-07']),
  type: TypeField.optional(),
  name: z.union([text, z.record(z.string(), text)], { error: 'must be the name, or a mapping from language code to name' }),
  uuid: z.string().optional(),
  version: text.optional(),
  author: text.optional(),
  credits: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  source: z.union([Source, z.array(Source)]).optional(),
  source_url: z.string().optional(),
  license: License.optional(),
  rights_owner: text.optional(),
  embargo_until: z.union([z.string(), z.date()]).optional(),
  limits: ModernLimits.extend({ time_multiplier: factor.optional(), time_safety_margin: factor.optional() }).optional(),
  validation: Validation.optional(),
  validator_flags: text.optional(),
  scoring: Scoring.optional(),
  grading: Scoring.optional(),
  keywords: z.union([z.string(), z.array(text)]).optional(),
  languages: z.union([z.string(), z.array(z.string())]).optional(),
  allow_file_writing: z.boolean().optional(),
  constants: z.record(z.string(), z.unknown()).optional(),
  verdict: VerdictExtension.optional(),
});

export function parseMetadata(raw: unknown): Metadata {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new UsageError(`${FILE}: must be a mapping of keys to values, got ${show(raw)}`);
  const version = formatVersion((raw as Record<string, unknown>).problem_format_version);
  if (version === 'legacy') return fromLegacy(validate(Legacy, raw, FILE));
  if (version === '2023-07-draft') return fromModern(validate(V2023, raw, FILE), version);
  return fromModern(validate(V2025, raw, FILE), version);
}

function formatVersion(v: unknown): FormatVersion {
  if (v === undefined || v === 'legacy' || v === 'legacy-icpc') return 'legacy';
  if (v === '2023-07-draft' || v === '2023-07') return '2023-07-draft';
  if (v === '2025-09') return '2025-09';
  throw new UsageError(`${FILE}: problem_format_version ${show(v)} is not supported yet (supported: legacy, 2023-07-draft, 2025-09)`);
}

function fromLegacy(y: z.output<typeof Legacy>): Metadata {
  const scoring = y.type === 'scoring';
  const v = validationWords(y.validation, scoring, ['interactive', 'score']);
  return {
    formatVersion: 'legacy',
    name: y.name,
    interactive: v.modifiers.has('interactive'),
    scoring,
    memoryMb: y.limits?.memory,
    outputMb: y.limits?.output,
    codeKb: y.limits?.code,
    // Legacy packages predate the allow_file_writing key; Kattis let submissions write files.
    allowFileWriting: true,
    validation: y.validation === undefined ? 'default' : v.mode,
    validatorFlags: words(y.validator_flags),
    objective: y.grading?.objective ?? 'max',
    constants: {},
    standards: standards(y.verdict?.standards),
  };
}

function fromModern(y: z.output<typeof V2023> | z.output<typeof V2025>, version: FormatVersion): Metadata {
  const types = new Set<ProblemType>(y.type === undefined ? [] : typeof y.type === 'string' ? [y.type] : y.type);
  if (Array.isArray(y.type) && types.size !== y.type.length) throw new UsageError(`${FILE}: type lists a value twice`);
  for (const [a, b] of [
    ['pass-fail', 'scoring'],
    ['submit-answer', 'interactive'],
    ['submit-answer', 'multi-pass'],
  ] as const) {
    if (types.has(a) && types.has(b)) throw new UsageError(`${FILE}: type cannot be both ${a} and ${b}`);
  }
  const scoring = types.has('scoring');
  let validation: Metadata['validation'];
  let validatorFlags: string[] = [];
  let objective: Metadata['objective'] = 'max';
  if (version === '2023-07-draft') {
    const early = y as z.output<typeof V2023>;
    objective = early.scoring?.objective ?? early.grading?.objective ?? 'max';
    if (early.validation !== undefined) {
      const v = validationWords(early.validation, scoring, ['interactive', 'score', 'multipass', 'multi-pass']);
      validation = v.mode;
      if (v.modifiers.has('interactive')) types.add('interactive');
      if (v.modifiers.has('multipass') || v.modifiers.has('multi-pass')) types.add('multi-pass');
    }
    validatorFlags = words(early.validator_flags);
  }
  const passes = y.limits?.validation_passes;
  if (passes !== undefined && !types.has('multi-pass'))
    throw new UsageError(`${FILE}: limits.validation_passes is only for multi-pass problems (type: multi-pass)`);
  if (types.has('submit-answer')) throw new UsageError(`${FILE}: submit-answer problems are not supported yet`);
  const name = typeof y.name === 'string' ? y.name : (y.name.en ?? Object.values(y.name)[0]);
  const languages =
    y.languages === undefined || y.languages === 'all' ? undefined : typeof y.languages === 'string' ? words(y.languages) : y.languages;
  return {
    formatVersion: version,
    name,
    interactive: types.has('interactive'),
    scoring,
    timeLimitSeconds: y.limits?.time_limit,
    memoryMb: y.limits?.memory,
    outputMb: y.limits?.output,
    codeKb: y.limits?.code,
    allowFileWriting: y.allow_file_writing ?? false,
    languages,
    validation,
    validatorFlags,
    ...(types.has('multi-pass') ? { passes: passes ?? 2 } : {}),
    objective,
    constants: parseConstants(y.constants),
    standards: standards(y.verdict?.standards),
  };
}

/** Splits a legacy `validation` value ("custom interactive score") into its mode and modifiers. */
function validationWords(
  value: string | undefined,
  scoring: boolean,
  allowed: string[],
): { mode: 'default' | 'custom'; modifiers: Set<string> } {
  const [mode = 'default', ...rest] = words(value ?? 'default');
  if (mode !== 'default' && mode !== 'custom')
    throw new UsageError(`${FILE}: validation must start with 'default' or 'custom', got ${show(value)}`);
  if (mode === 'default' && rest.length > 0)
    throw new UsageError(`${FILE}: validation 'default' takes no modifiers, got ${show(value)}; interactive and score need 'custom'`);
  for (const m of rest) {
    if (!allowed.includes(m)) throw new UsageError(`${FILE}: validation modifier '${m}' is unknown (known: ${allowed.join(', ')})`);
  }
  if (rest.includes('score') && !scoring)
    throw new UsageError(`${FILE}: validation 'custom score' is only for scoring problems (type: scoring)`);
  return { mode, modifiers: new Set(rest) };
}

export const words = (s: string | undefined): string[] => (s ?? '').split(/\s+/).filter(Boolean);
