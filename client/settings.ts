// The extension's settings, read through one typed object: the server's `verdict` section (read by
// protocol/settings.ts, the same reader the server uses) plus the settings only the client uses
// (the Competitive Companion receiver).
import * as vscode from 'vscode';
import { z } from 'zod';
import { readVerdictSettings, type VerdictSettings } from '../protocol/settings';

export const SECTION = 'verdict';

/** Competitive Companion's port for cph ("Competitive Programming Helper"), one it always sends to. */
export const COMPANION_DEFAULT_PORT = 27121;

const CompanionSettings = z.object({
  enabled: z.boolean().default(false),
  port: z.number().int().min(1).max(65535).default(COMPANION_DEFAULT_PORT),
  /** A Verdict language id (languages/<id>.json) for new solutions. */
  language: z.string().default('cpp'),
});

const RunSettings = z.object({
  /** Where ▶ Run's input comes from when there is no NAME.stdin next to the source. */
  input: z.enum(['terminal', 'inputBox', 'file']).default('terminal'),
});

export interface Settings {
  /** What the server reads (runner, limits, tests, languages). */
  server: VerdictSettings;
  companion: z.infer<typeof CompanionSettings>;
  run: z.infer<typeof RunSettings>;
}

/** Reads the settings; invalid values fall back to the defaults and are reported once per read. */
export function readSettings(report: (message: string) => void = () => undefined): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const { settings: server, problems } = readVerdictSettings({
    runner: config.get('runner'),
    limits: config.get('limits'),
    tests: config.get('tests'),
    languages: config.get('languages'),
  });
  const companion = CompanionSettings.safeParse(config.get('companion') ?? {});
  if (!companion.success) problems.push(`verdict.companion: ${z.prettifyError(companion.error)}`);
  const run = RunSettings.safeParse(config.get('run') ?? {});
  if (!run.success) problems.push(`verdict.run: ${z.prettifyError(run.error)}`);
  if (problems.length > 0) report(`Invalid Verdict settings, defaults used instead — ${problems.join('; ')}`);
  return {
    server,
    companion: companion.success ? companion.data : CompanionSettings.parse({}),
    run: run.success ? run.data : RunSettings.parse({}),
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent, sub?: string): boolean {
  return e.affectsConfiguration(sub ? `${SECTION}.${sub}` : SECTION);
}
