// The languages the compatible APIs offer: those usable here (probed in the real images, like GET
// /v1/languages) that the language definitions map to a Judge0 id or a Piston name (their `compat`).
import type { LanguageDefinition } from '../../index';
import type { LanguageInfo } from '../../../protocol/http';
import type { Service } from '../service';

export interface CompatLanguage {
  definition: LanguageDefinition;
  info: LanguageInfo;
}

/** Usable languages with their definitions, in the order of GET /v1/languages. */
export async function compatLanguages(service: Service): Promise<CompatLanguage[]> {
  const usable = await service.languages();
  return usable.flatMap((info) => {
    const definition = service.runner.languages.get(info.id);
    return definition ? [{ definition, info }] : [];
  });
}
