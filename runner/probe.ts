// Capability detection: which languages are usable here, found by running each one's version probe
// in its real image and sandbox (not by trusting what should be installed).
import type { Runner } from './engine';
import type { LanguageDefinition } from './languages';
import { imageName } from './images/names';

export interface LanguageProbe {
  id: string;
  name: string;
  image: string;
  usable: boolean;
  version?: string;
  problem?: string;
}

export async function probeLanguage(runner: Runner, language: LanguageDefinition): Promise<LanguageProbe> {
  const image = imageName(language.image);
  const base = { id: language.id, name: language.name, image };
  const result = await runner.runCommand(language, language.version.command, { cpuMs: 10_000, memoryMb: 512, processes: 128 });
  // A missing image's message says which command builds it; the run id of a probe helps no one.
  if (result.status !== 'Accepted')
    return { ...base, usable: false, problem: (result.message ?? result.status).replace(/ \(run [0-9a-f-]+\)$/, '') };
  const text = `${result.stdout}\n${result.stderr}`;
  const match = language.version.pattern ? new RegExp(language.version.pattern, 'm').exec(text) : null;
  const version = match?.[1] ?? text.trim().split('\n')[0]?.trim() ?? '';
  return { ...base, usable: true, version };
}

export async function probeLanguages(runner: Runner, languages: LanguageDefinition[]): Promise<LanguageProbe[]> {
  return Promise.all(languages.map((l) => probeLanguage(runner, l)));
}
