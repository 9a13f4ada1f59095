// The extension's settings, read through one typed object: the server's `verdict` section (schema in
// server/protocol.ts) plus the settings only the client uses (the Competitive Companion receiver).
import * as vscode from 'vscode';
import { z } from 'zod';
import { VerdictSettings } from '../server/protocol';

export const SECTION = 'verdict';

/** Competitive Companion's port for cph ("Competitive Programming Helper"), one it always sends to. */
export const COMPANION_DEFAULT_PORT = 27121;

const CompanionSettings = z.object({
  enabled: z.boolean().default(false),
  port: z.number().int().min(1).max(65535).default(COMPANION_DEFAULT_PORT),
  /** A Verdict language id (languages/<id>.json) for new solutions. */
  language: z.string().default('cpp'),
});

export interface Settings {
  /** What the server reads (runner, limits, tests, languages). */
  server: VerdictSettings;
  companion: z.infer<typeof CompanionSettings>;
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string, problems: string[]): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  problems.push(`${what}: ${z.prettifyError(result.error)}`);
  return schema.parse({});
}

/** Reads the settings; invalid values fall back to the defaults and are reported once per read. */
export function readSettings(report: (message: string) => void = () => undefined): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const problems: string[] = [];
  const server = parsed(
    VerdictSettings,
    { runner: config.get('runner'), limits: config.get('limits'), tests: config.get('tests'), languages: config.get('languages') },
    'verdict',
    problems,
  );
  const companion = parsed(CompanionSettings, config.get('companion'), 'verdict.companion', problems);
  if (problems.length > 0) report(`Invalid Verdict settings, defaults used instead — ${problems.join('; ')}`);
  return { server, companion };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent, sub?: string): boolean {
  return e.affectsConfiguration(sub ? `${SECTION}.${sub}` : SECTION);
}
