// Parsing a package's YAML files (problem.yaml, testdata.yaml, test_group.yaml, <case>.yaml) and
// validating them with zod, so that every mistake becomes one UsageError that names the file, the
// key and the value: "problem.yaml: limits.time_limit must be a number of seconds, got 'fast'".
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../../errors';

/** Parses YAML text; an empty file is an empty mapping. Throws a UsageError naming `file`. */
export function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  // uniqueKeys: a repeated key is almost always a mistake that would silently drop a setting.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lineCounter.linePos(err.pos[0]);
    throw new UsageError(`${file}: invalid YAML at line ${line}, column ${col}: ${err.message}`);
  }
  let value: unknown;
  try {
    // maxAliasCount bounds "billion laughs" documents, which expand aliases exponentially.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UsageError(`${file}: invalid YAML: ${(e as Error).message}`);
  }
  return value ?? {};
}

/** Validates parsed YAML against a schema; the first problem found becomes the error. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const result = schema.safeParse(value, { error: defaultMessage });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new UsageError(`${file}: ${describe(issue, value)}`);
}

/** Messages for schemas that did not set their own: phrased to follow the key's name. */
function defaultMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? 'must not be empty'
        : `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
    case 'invalid_union':
      return 'has the wrong type';
    default:
      return undefined;
  }
}

const article = (type: string): string => {
  const words: Record<string, string> = {
    object: 'a mapping of keys to values',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    int: 'a whole number',
  };
  return words[type] ?? type;
};

function describe(issue: z.core.$ZodIssue, root: unknown): string {
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `'${k}'`).join(', ');
    return `${key ? `${key}: ` : ''}unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  const value = valueAt(root, issue.path);
  const subject = key || 'the file';
  if (value === undefined) return `${subject} is required`;
  return `${subject} ${issue.message}, got ${show(value)}`;
}

function valueAt(root: unknown, at: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of at) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** A short rendering of a YAML value for messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'nothing';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
