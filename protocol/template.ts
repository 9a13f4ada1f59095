// The user's templates for new sources (verdict.languages.ID.template): one filler for every new
// file, whether the user made it or a Competitive Companion problem did.

/** What a template may say; each placeholder is replaced by its value, or by nothing when there is none. */
export interface TemplateValues {
  /** The problem's name, or the new file's name without its extension. */
  name: string;
  /** The contest or site (Competitive Companion); empty for a file the user made. */
  group?: string;
  url?: string;
  timeLimitMs?: number;
  memoryLimitMb?: number;
}

export const TEMPLATE_PLACEHOLDERS = ['name', 'group', 'url', 'timeLimitMs', 'memoryLimitMb'] as const;

/** The template's text with {name}, {group}, {url}, {timeLimitMs} and {memoryLimitMb} filled; other braces are the code's own. */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(/\{(name|group|url|timeLimitMs|memoryLimitMb)\}/g, (_, key: (typeof TEMPLATE_PLACEHOLDERS)[number]) =>
    String(values[key] ?? ''),
  );
}
