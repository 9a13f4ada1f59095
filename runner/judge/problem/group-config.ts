// Test data configuration files and what they mean for judging: testdata.yaml (legacy and
// 2023-07-draft), test_group.yaml (2025-09) and per-test <case>.yaml (2023-07-draft, 2025-09).
// Each file is validated on its own, so errors name it; settings are then derived per group.
import { z } from 'zod';
import { UsageError } from '../../errors';
import { words } from './metadata';
import type { TestGroupSettings } from './model';
import { show, validate } from './yaml-config';

// ---------------------------------------------------------------- legacy and 2023-07-draft

const flagString = z.union([z.string(), z.number()], { error: 'must be a string of space-separated flags' }).transform(String);
const score = z.number({ error: 'must be a number' });
/** 2023-07-draft's per-group score map (named `grading` early on, `scoring` later). */
const DraftScore = z.strictObject({
  score: z.number({ error: 'must be a number' }).nonnegative().optional(),
  max_score: z
    .union([z.number().nonnegative(), z.literal('unbounded')], { error: "must be a non-negative number or 'unbounded'" })
    .optional(),
  aggregation: z.enum(['pass-fail', 'sum', 'min']).optional(),
  require_pass: z.union([z.string(), z.array(z.string())]).optional(),
});
const GRADER_FLAGS = ['worst_error', 'first_error', 'always_accept', 'sum', 'avg', 'min', 'max', 'ignore_sample', 'accept_if_any_accepted'];

const TestdataYaml = z.strictObject({
  on_reject: z.enum(['break', 'continue']).optional(),
  grading: z.union([z.enum(['default', 'custom']), DraftScore], { error: "must be 'default' or 'custom'" }).optional(),
  grader_flags: flagString.optional(),
  input_validator_flags: z.union([flagString, z.record(z.string(), z.unknown())]).optional(),
  output_validator_flags: z.union([flagString, z.strictObject({ name: z.string().optional(), flags: flagString })]).optional(),
  accept_score: score.optional(),
  reject_score: score.optional(),
  range: z.string({ error: "must be two numbers, such as '0 100' or '-inf +inf'" }).optional(),
  // 2023-07-draft additions.
  scoring: DraftScore.optional(),
  output_validator_args: z.union([flagString, z.array(z.string())]).optional(),
  input_validator_args: z.unknown().optional(),
  input_visualizer_args: z.unknown().optional(),
  output_visualizer_args: z.unknown().optional(),
  args: z.union([z.string(), z.array(z.string())]).optional(),
  full_feedback: z.boolean().optional(),
  static_validation: z.unknown().optional(),
});
export type TestdataYaml = z.output<typeof TestdataYaml>;

/** Keys of a testdata.yaml that descendants inherit (legacy: all of them, key by key). */
const NOT_INHERITED = ['scoring', 'static_validation'] as const;

/** Validates one testdata.yaml; `scoring` says whether scoring-only keys are allowed. */
export function parseTestdataYaml(value: unknown, file: string, scoring: boolean): TestdataYaml {
  const y = validate(TestdataYaml, value, file);
  if (y.grading === 'custom') throw new UsageError(`${file}: grading 'custom' (a custom grader program) is not supported yet`);
  for (const f of words(y.grader_flags)) {
    if (!GRADER_FLAGS.includes(f))
      throw new UsageError(`${file}: grader_flags has the unknown flag '${f}' (known: ${GRADER_FLAGS.join(', ')})`);
    if (f === 'avg' || f === 'max')
      throw new UsageError(
        `${file}: grader_flags '${f}' (score aggregation by ${f === 'avg' ? 'average' : 'maximum'}) is not supported yet`,
      );
  }
  if (!scoring) {
    for (const k of ['accept_score', 'reject_score', 'range', 'scoring'] as const) {
      if (y[k] !== undefined) throw new UsageError(`${file}: ${k} is only for scoring problems (problem.yaml type: scoring)`);
    }
    if (typeof y.grading === 'object')
      throw new UsageError(`${file}: grading scores are only for scoring problems (problem.yaml type: scoring)`);
  }
  if (y.range !== undefined) parseRange(y.range, file);
  if (y.static_validation !== undefined && y.static_validation !== false)
    throw new UsageError(`${file}: static validation is not supported yet`);
  return y;
}

/** The configuration a group sees: its own file over what its ancestors set. */
export function inheritTestdata(parent: TestdataYaml, own: TestdataYaml | undefined): TestdataYaml {
  const inherited: TestdataYaml = { ...parent };
  for (const k of NOT_INHERITED) delete inherited[k];
  if (typeof inherited.grading === 'object') delete inherited.grading;
  return { ...inherited, ...own };
}

/** Settings of a legacy / 2023-07-draft group from its effective configuration. */
export function legacySettings(y: TestdataYaml, problemFlags: string[], scoring: boolean, file: string): TestGroupSettings {
  const groupFlags =
    y.output_validator_args ?? (typeof y.output_validator_flags === 'object' ? y.output_validator_flags.flags : y.output_validator_flags);
  const settings: TestGroupSettings = {
    outputValidatorFlags: [...problemFlags, ...(Array.isArray(groupFlags) ? groupFlags : words(groupFlags))],
    onReject: y.on_reject ?? 'break',
  };
  const submissionArgs = Array.isArray(y.args) ? y.args : words(y.args);
  if (submissionArgs.length > 0) settings.args = submissionArgs;
  const graderFlags = words(y.grader_flags);
  if (graderFlags.length > 0) settings.graderFlags = graderFlags;
  if (!scoring) return settings;
  settings.acceptScore = y.accept_score ?? 1;
  settings.rejectScore = y.reject_score ?? 0;
  settings.range = parseRange(y.range ?? '-inf +inf', file);
  // The default grader's score mode is the last of sum/min given (avg and max were refused above).
  settings.aggregation = graderFlags.filter((f) => f === 'sum' || f === 'min').pop() ?? 'sum';
  if (Number.isFinite(settings.range[1])) settings.score = settings.range[1];
  const draft = y.scoring ?? (typeof y.grading === 'object' ? y.grading : undefined);
  if (draft) {
    const max = draft.max_score ?? draft.score;
    if (max === 'unbounded') delete settings.score;
    else if (max !== undefined) settings.score = max;
    if (draft.aggregation) settings.aggregation = draft.aggregation;
    if (draft.require_pass !== undefined)
      settings.requirePass = typeof draft.require_pass === 'string' ? [draft.require_pass] : draft.require_pass;
  }
  return settings;
}

function parseRange(range: string, file: string): [number, number] {
  const parts = words(range).map((w) => (/^[+-]?inf$/.test(w) ? (w.startsWith('-') ? -Infinity : Infinity) : Number(w)));
  if (parts.length !== 2 || parts.some((n) => Number.isNaN(n)) || parts[0]! > parts[1]!) {
    throw new UsageError(`${file}: range must be two numbers, minimum then maximum (such as '0 100'), got ${show(range)}`);
  }
  return [parts[0]!, parts[1]!];
}

// ---------------------------------------------------------------- 2025-09

const args = z.array(z.union([z.string(), z.number()]).transform(String), { error: 'must be a list of arguments' });
const TestGroupYaml = z.strictObject({
  max_score: z
    .union([z.number().int().nonnegative(), z.literal('unbounded')], { error: "must be a non-negative whole number or 'unbounded'" })
    .optional(),
  score_aggregation: z.enum(['pass-fail', 'sum', 'min']).optional(),
  static_validation_score: z.union([z.number().int().nonnegative(), z.literal('pass-fail')]).optional(),
  require_pass: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  args: args.optional(),
  input_validator_args: z.union([args, z.record(z.string(), args)]).optional(),
  static_validator_args: args.optional(),
  output_validator_args: args.optional(),
  input_visualizer_args: args.optional(),
  output_visualizer_args: args.optional(),
  full_feedback: z.boolean().optional(),
});
export type TestGroupYaml = z.output<typeof TestGroupYaml>;

export type GroupRole = 'data' | 'sample' | 'secret' | 'group';

export function parseTestGroupYaml(value: unknown, file: string, role: GroupRole, scoring: boolean): TestGroupYaml {
  const y = validate(TestGroupYaml, value, file);
  for (const k of ['max_score', 'score_aggregation', 'require_pass'] as const) {
    if (y[k] === undefined) continue;
    if (!scoring) throw new UsageError(`${file}: ${k} is only for scoring problems (problem.yaml type: scoring)`);
    if (role === 'sample' || role === 'data')
      throw new UsageError(`${file}: ${k} is not permitted in ${role === 'data' ? 'data/' : 'sample'}`);
  }
  if (y.static_validation_score !== undefined || y.static_validator_args !== undefined)
    throw new UsageError(`${file}: static validation is not supported yet`);
  return y;
}

/**
 * Settings of a 2025-09 folder. Arguments come from the nearest test_group.yaml; scores only from
 * the group's own file, with the spec's defaults (secret: 100, sum; groups: unbounded, pass-fail).
 */
export function settings2025(
  own: TestGroupYaml | undefined,
  parent: TestGroupSettings | undefined,
  role: GroupRole,
  scoring: boolean,
  secret: TestGroupSettings | undefined,
  file: string,
): TestGroupSettings {
  const outputValidatorFlags = own?.output_validator_args ?? parent?.outputValidatorFlags ?? [];
  // Arguments for submissions, like the validator's, come from the nearest test_group.yaml.
  const args = own?.args ?? parent?.args;
  const withArgs = (s: TestGroupSettings): TestGroupSettings => (args && args.length > 0 ? { ...s, args } : s);
  if (!scoring || role === 'data' || role === 'sample') {
    return withArgs({ outputValidatorFlags, onReject: scoring ? 'continue' : 'break' });
  }
  const max = own?.max_score ?? (role === 'secret' ? 100 : 'unbounded');
  const aggregation = own?.score_aggregation ?? (role === 'secret' ? 'sum' : 'pass-fail');
  const s: TestGroupSettings = { outputValidatorFlags, aggregation, onReject: aggregation === 'sum' ? 'continue' : 'break' };
  if (max !== 'unbounded') s.score = max;
  if (aggregation === 'pass-fail' && s.score === undefined)
    throw new UsageError(`${file}: pass-fail aggregation needs a bounded max_score`);
  if (role === 'group' && secret) {
    if (secret.aggregation === 'pass-fail' && aggregation !== 'pass-fail')
      throw new UsageError(`${file}: score_aggregation must be 'pass-fail' because secret uses pass-fail`);
    if (secret.score !== undefined && s.score === undefined)
      throw new UsageError(`${file}: max_score is required, because secret has a bounded max_score (${secret.score})`);
  }
  if (own?.require_pass !== undefined) s.requirePass = typeof own.require_pass === 'string' ? [own.require_pass] : own.require_pass;
  return withArgs(s);
}

// ---------------------------------------------------------------- per-test <case>.yaml

const TestCaseYaml = z.strictObject({
  args: args.optional(),
  input_validator_args: z.union([args, z.record(z.string(), args)]).optional(),
  output_validator_args: args.optional(),
  input_visualizer_args: args.optional(),
  output_visualizer_args: args.optional(),
  full_feedback: z.boolean().optional(),
  hint: z.string().optional(),
  description: z.string().optional(),
});

/** A test's own settings: its group's, with the test's output_validator_args and args when it sets them. */
export function testCaseSettings(value: unknown, file: string, group: TestGroupSettings, draft: boolean): TestGroupSettings {
  // 2023-07-draft wrote argument lists as one string; 2025-09 uses YAML lists.
  if (draft && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    value = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /(^|_)args$/.test(k) && typeof v === 'string' ? words(v) : v]));
  }
  const y = validate(TestCaseYaml, value, file);
  let settings = y.output_validator_args ? { ...group, outputValidatorFlags: y.output_validator_args } : group;
  if (y.args) settings = { ...settings, args: y.args };
  return settings;
}
