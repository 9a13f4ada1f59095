import { z } from 'zod';
import type { TestGroupSettings } from './model';
declare const TestdataYaml: z.ZodObject<
  {
    on_reject: z.ZodOptional<
      z.ZodEnum<{
        break: 'break';
        continue: 'continue';
      }>
    >;
    grading: z.ZodOptional<
      z.ZodUnion<
        readonly [
          z.ZodEnum<{
            default: 'default';
            custom: 'custom';
          }>,
          z.ZodObject<
            {
              score: z.ZodOptional<z.ZodNumber>;
              max_score: z.ZodOptional<z.ZodUnion<readonly [z.ZodNumber, z.ZodLiteral<'unbounded'>]>>;
              aggregation: z.ZodOptional<
                z.ZodEnum<{
                  sum: 'sum';
                  min: 'min';
                  'pass-fail': 'pass-fail';
                }>
              >;
              require_pass: z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodArray<z.ZodString>]>>;
            },
            z.core.$strict
          >,
        ]
      >
    >;
    grader_flags: z.ZodOptional<z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>>;
    input_validator_flags: z.ZodOptional<
      z.ZodUnion<
        readonly [
          z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>,
          z.ZodRecord<z.ZodString, z.ZodUnknown>,
        ]
      >
    >;
    output_validator_flags: z.ZodOptional<
      z.ZodUnion<
        readonly [
          z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>,
          z.ZodObject<
            {
              name: z.ZodOptional<z.ZodString>;
              flags: z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>;
            },
            z.core.$strict
          >,
        ]
      >
    >;
    accept_score: z.ZodOptional<z.ZodNumber>;
    reject_score: z.ZodOptional<z.ZodNumber>;
    range: z.ZodOptional<z.ZodString>;
    scoring: z.ZodOptional<
      z.ZodObject<
        {
          score: z.ZodOptional<z.ZodNumber>;
          max_score: z.ZodOptional<z.ZodUnion<readonly [z.ZodNumber, z.ZodLiteral<'unbounded'>]>>;
          aggregation: z.ZodOptional<
            z.ZodEnum<{
              sum: 'sum';
              min: 'min';
              'pass-fail': 'pass-fail';
            }>
          >;
          require_pass: z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodArray<z.ZodString>]>>;
        },
        z.core.$strict
      >
    >;
    output_validator_args: z.ZodOptional<
      z.ZodUnion<
        readonly [
          z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>,
          z.ZodArray<z.ZodString>,
        ]
      >
    >;
    input_validator_args: z.ZodOptional<z.ZodUnknown>;
    input_visualizer_args: z.ZodOptional<z.ZodUnknown>;
    output_visualizer_args: z.ZodOptional<z.ZodUnknown>;
    args: z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodArray<z.ZodString>]>>;
    full_feedback: z.ZodOptional<z.ZodBoolean>;
    static_validation: z.ZodOptional<z.ZodUnknown>;
  },
  z.core.$strict
>;
export type TestdataYaml = z.output<typeof TestdataYaml>;
/** Validates one testdata.yaml; `scoring` says whether scoring-only keys are allowed. */
export declare function parseTestdataYaml(value: unknown, file: string, scoring: boolean): TestdataYaml;
/** The configuration a group sees: its own file over what its ancestors set. */
export declare function inheritTestdata(parent: TestdataYaml, own: TestdataYaml | undefined): TestdataYaml;
/** Settings of a legacy / 2023-07-draft group from its effective configuration. */
export declare function legacySettings(y: TestdataYaml, problemFlags: string[], scoring: boolean, file: string): TestGroupSettings;
declare const TestGroupYaml: z.ZodObject<
  {
    max_score: z.ZodOptional<z.ZodUnion<readonly [z.ZodNumber, z.ZodLiteral<'unbounded'>]>>;
    score_aggregation: z.ZodOptional<
      z.ZodEnum<{
        sum: 'sum';
        min: 'min';
        'pass-fail': 'pass-fail';
      }>
    >;
    static_validation_score: z.ZodOptional<z.ZodUnion<readonly [z.ZodNumber, z.ZodLiteral<'pass-fail'>]>>;
    require_pass: z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodArray<z.ZodString>]>>;
    args: z.ZodOptional<z.ZodArray<z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>>>;
    input_validator_args: z.ZodOptional<
      z.ZodUnion<
        readonly [
          z.ZodArray<z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>>,
          z.ZodRecord<
            z.ZodString,
            z.ZodArray<z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>>
          >,
        ]
      >
    >;
    static_validator_args: z.ZodOptional<
      z.ZodArray<z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>>
    >;
    output_validator_args: z.ZodOptional<
      z.ZodArray<z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>>
    >;
    input_visualizer_args: z.ZodOptional<
      z.ZodArray<z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>>
    >;
    output_visualizer_args: z.ZodOptional<
      z.ZodArray<z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>, z.ZodTransform<string, string | number>>>
    >;
    full_feedback: z.ZodOptional<z.ZodBoolean>;
  },
  z.core.$strict
>;
export type TestGroupYaml = z.output<typeof TestGroupYaml>;
export type GroupRole = 'data' | 'sample' | 'secret' | 'group';
export declare function parseTestGroupYaml(value: unknown, file: string, role: GroupRole, scoring: boolean): TestGroupYaml;
/**
 * Settings of a 2025-09 folder. Arguments come from the nearest test_group.yaml; scores only from
 * the group's own file, with the spec's defaults (secret: 100, sum; groups: unbounded, pass-fail).
 */
export declare function settings2025(
  own: TestGroupYaml | undefined,
  parent: TestGroupSettings | undefined,
  role: GroupRole,
  scoring: boolean,
  secret: TestGroupSettings | undefined,
  file: string,
): TestGroupSettings;
/** A test's own settings: its group's, with the test's output_validator_args when it sets them. */
export declare function testCaseSettings(value: unknown, file: string, group: TestGroupSettings, draft: boolean): TestGroupSettings;
export {};
