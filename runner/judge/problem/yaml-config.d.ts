import type { z } from 'zod';
/** Parses YAML text; an empty file is an empty mapping. Throws a UsageError naming `file`. */
export declare function parseYaml(text: string, file: string): unknown;
/** Validates parsed YAML against a schema; the first problem found becomes the error. */
export declare function validate<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S>;
/** A short rendering of a YAML value for messages. */
export declare function show(value: unknown): string;
