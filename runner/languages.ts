// Language definitions: data files in languages/*.json, validated here at load.
// Adding a language means adding a definition (and, if needed, an image recipe in
// languages/images/); no runner code changes.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors';
import { LIMITS } from './spec';
import type { CompileFlagRules } from '../protocol/compile-flags';

const StepLimits = z
  .object({
    timeMs: z.number().int().positive().optional(),
    memoryMb: z.number().int().positive().optional(),
    processes: z.number().int().positive().optional(),
  })
  .strict();

const Pattern = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, 'a valid regular expression');

/** Which extra compile flags a language takes (protocol/compile-flags.ts applies them). */
const FlagRules = z
  .object({
    allowed: z.string().min(1),
    allow: z.array(Pattern).min(1),
    deny: z.array(z.object({ pattern: Pattern, reason: z.string().min(1) }).strict()).default([]),
  })
  .strict();

/** A value taken from the main source with a regular expression (e.g. Java's main class). */
const Variable = z
  .object({
    /** Regular expression; its first group is the value. The last match wins when `before` is set. */
    pattern: z.string(),
    /** Only matches that start before the first match of this expression count. */
    before: z.string().optional(),
    default: z.string(),
  })
  .strict();

export const LanguageDefinition = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9+-]*$/),
    name: z.string(),
    /** The same language in the APIs the classroom service is compatible with (runner/service/compat/). */
    compat: z
      .object({
        /** Judge0 CE language ids; the first is the one its GET /languages lists, the others are accepted too. */
        judge0: z.array(z.number().int().positive()).default([]),
        /** Piston's language name, then the aliases it accepts. */
        piston: z.array(z.string().regex(/^[a-z0-9+#.-]+$/)).default([]),
      })
      .strict()
      .default({ judge0: [], piston: [] }),
    /**
     * File extensions of the language. Two languages may share one (`.py`: CPython and PyPy; `.pl`:
     * Perl and Prolog) when all but one of them say how to recognise their sources (`detect`) or are
     * variants (C++20 shares C++'s and is chosen by id or standard, never by extension alone).
     */
    extensions: z.array(z.string().regex(/^\.[A-Za-z0-9+]+$/)),
    /**
     * A regular expression (multi-line) that claims a source of a shared extension for this language,
     * e.g. a shebang (`^#!.*\bpypy`). Without it, the language is its extensions' default.
     */
    detect: z.string().optional(),
    /** Another language this one is a variant of (cpp20 of cpp): same sources, another standard. */
    variantOf: z.string().optional(),
    /** The language standard it compiles, as `--std` names it (c++17, c++20, c++23). */
    standard: z.string().optional(),
    /** How editors know such files: VS Code's language id (python3 files are VS Code's "python"). */
    editor: z
      .object({ vscodeLanguage: z.string().regex(/^[a-z][a-z0-9+-]*$/) })
      .strict()
      .optional(),
    /** Image recipe: languages/images/<image>.Dockerfile, built as verdict/<image>. */
    image: z.string().regex(/^[a-z0-9-]+$/),
    /** Name the main source file gets in /box; may use {variables}. */
    sourceFile: z.string(),
    variables: z.record(z.string(), Variable).default({}),
    /** Extra environment for compile and run (PATH, HOME, LANG, TMPDIR are always set). */
    env: z.record(z.string(), z.string()).default({}),
    /** Runs with /box writable and as its working directory. */
    compile: z
      .object({
        /** The compiler's argv; an element `{flags}` is where the user's extra flags go (none: nothing). */
        command: z.array(z.string()).min(1),
        limits: StepLimits.default({}),
        /**
         * The extra flags it takes: the name of a shared rule set (languages/flags/<name>.json, e.g.
         * "gcc") or the rules themselves. Without it, the language takes none.
         */
        flags: z.union([z.string().regex(/^[a-z0-9-]+$/), FlagRules]).optional(),
      })
      .strict()
      .refine((c) => (c.flags !== undefined) === c.command.includes('{flags}'), {
        message: 'a compile command takes {flags} (as one element) exactly when the definition has compile.flags',
      })
      .optional(),
    /** Runs with /box read-only and a fresh /tmp as its working directory. */
    run: z
      .object({
        command: z.array(z.string()).min(1),
        /**
         * Open files the runtime needs to start at all, granted when the run's limit is lower (R
         * refuses to start with fewer than 100). Never above the limit's ceiling.
         */
        openFiles: z.number().int().positive().max(LIMITS.openFiles.max).optional(),
      })
      .strict(),
    /** How the language's runtime meets the memory limit (see docs/design.md, "What counts as memory"). */
    memory: z
      .object({
        /**
         * Memory the runtime itself holds (a JVM's code, metaspace, JIT and GC structures), granted on
         * top of the limit, so that the program's own data (its heap, sized by {memoryMb}) can reach
         * the limit as a C program's can. Counted and shown in every result.
         */
        runtimeMb: z.number().int().min(0).max(512).default(0),
        /** The runtime's own words for running out of memory, on stderr of a failed run: such a run is MLE. */
        outOfMemory: z.array(z.string()).default([]),
      })
      .strict()
      .default({ runtimeMb: 0, outOfMemory: [] }),
    /** Prints the toolchain's version; `pattern`'s first group (or the first line) is shown. */
    version: z.object({ command: z.array(z.string()).min(1), pattern: z.string().optional() }).strict(),
    /** A starting file for new solutions (used by the editor). */
    template: z.string().optional(),
  })
  .strict();
export type LanguageDefinition = z.infer<typeof LanguageDefinition>;

export const languagesDir = path.resolve(
  __dirname,
  existsSync(path.resolve(__dirname, '../languages')) ? '../languages' : '../../languages',
);

export function loadLanguages(dir = languagesDir): Map<string, LanguageDefinition> {
  const languages = new Map<string, LanguageDefinition>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const where = path.join(dir, file);
    const parsed = LanguageDefinition.safeParse(JSON.parse(readFileSync(where, 'utf8')));
    if (!parsed.success) throw new Error(`Invalid language definition ${where}: ${z.prettifyError(parsed.error)}`);
    if (`${parsed.data.id}.json` !== file) throw new Error(`Language definition ${where} must be named ${parsed.data.id}.json`);
    const compile = parsed.data.compile;
    if (typeof compile?.flags === 'string') compile.flags = loadFlagRules(dir, compile.flags, where);
    languages.set(parsed.data.id, parsed.data);
  }
  for (const lang of languages.values()) {
    if (lang.variantOf !== undefined && !languages.has(lang.variantOf))
      throw new Error(`Language definition ${lang.id}.json is a variant of "${lang.variantOf}", which is not defined.`);
    if (isDefault(lang))
      for (const ext of lang.extensions) {
        const other = [...languages.values()].find((l) => l !== lang && isDefault(l) && l.extensions.includes(ext));
        if (other)
          throw new Error(`The extension "${ext}" is the default of both ${other.id}.json and ${lang.id}.json: give one a "detect".`);
      }
  }
  return languages;
}

/** A shared rule set of compile flags, languages/flags/<name>.json. */
function loadFlagRules(dir: string, name: string, by: string): CompileFlagRules {
  const where = path.join(dir, 'flags', `${name}.json`);
  let text: string;
  try {
    text = readFileSync(where, 'utf8');
  } catch {
    throw new Error(`Language definition ${by} names the compile flag rules "${name}", but ${where} cannot be read.`);
  }
  const parsed = FlagRules.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Invalid compile flag rules ${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The compile flag rules of a loaded language; undefined: it takes none. */
export function compileFlagRules(language: LanguageDefinition): CompileFlagRules | undefined {
  const flags = language.compile?.flags;
  return typeof flags === 'object' ? flags : undefined;
}

/** Whether the language is the default of its extensions (not recognised by its content, not a variant). */
const isDefault = (l: LanguageDefinition) => l.detect === undefined && l.variantOf === undefined;

/**
 * The language of a source file, by its extension; when several languages share the extension (`.pl`),
 * the first whose `detect` expression matches the source (a shebang, a directive), else the default.
 */
export function languageForFile(languages: Map<string, LanguageDefinition>, fileName: string, content?: string): LanguageDefinition {
  const ext = path.extname(fileName).toLowerCase();
  const candidates = [...languages.values()].filter((l) => l.extensions.includes(ext));
  // Callers that name a file on disk (the CLI, a package's submissions) need not read it first.
  if (candidates.length > 1 && content === undefined) content = readHead(fileName);
  if (candidates.length > 1 && content !== undefined) {
    const detected = candidates.find((l) => l.detect !== undefined && new RegExp(l.detect, 'm').test(content));
    if (detected) return detected;
  }
  const chosen = candidates.find(isDefault) ?? candidates[0];
  if (chosen) return chosen;
  throw new UsageError(
    `No language uses the extension "${ext || '(none)'}" of ${fileName}. Pass --lang with one of: ${[...languages.keys()].join(', ')}.`,
  );
}

/** The first 64 KiB of a file, or undefined when it cannot be read (a name that is not a path). */
function readHead(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(64 * 1024);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The variant of a language for a standard (`--std c++20` of cpp → cpp20): `c++20`, `gnu++20`, `20`
 * and the variant's id all name it. Every variant of the same base language (and the base) is a candidate.
 */
export function languageForStandard(
  languages: Map<string, LanguageDefinition>,
  language: LanguageDefinition,
  standard: string,
): LanguageDefinition {
  const base = language.variantOf ?? language.id;
  const family = [...languages.values()].filter((l) => l.id === base || l.variantOf === base);
  const want = standard
    .toLowerCase()
    .replace(/^gnu/, 'c')
    .replace(/^(\d+)$/, (_, n: string) => `${base === 'c' ? 'c' : 'c++'}${n}`);
  const found = family.find((l) => l.id === want || l.standard?.toLowerCase() === want);
  if (found) return found;
  const known = family.filter((l) => l.standard).map((l) => `${l.standard} (${l.id})`);
  throw new UsageError(
    known.length
      ? `${language.name} has no standard "${standard}". Known: ${known.join(', ')}.`
      : `${language.name} has no standards to choose from (--std is for C++).`,
  );
}

export function languageById(languages: Map<string, LanguageDefinition>, id: string): LanguageDefinition {
  const lang = languages.get(id);
  if (!lang) throw new UsageError(`Unknown language "${id}". Known languages: ${[...languages.keys()].join(', ')}.`);
  return lang;
}

/** Values of the definition's variables for this main source. */
export function resolveVariables(lang: LanguageDefinition, source: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, v] of Object.entries(lang.variables)) {
    let text = source;
    if (v.before) {
      const stop = new RegExp(v.before).exec(source);
      if (stop) text = source.slice(0, stop.index);
    }
    const matches = [...text.matchAll(new RegExp(v.pattern, 'g'))];
    const chosen = v.before ? matches.at(-1) : matches[0];
    values[name] = chosen?.[1] ?? v.default;
  }
  return values;
}

/** Replaces {name} placeholders; unknown names are an error in the definition. */
export function expand(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`Unknown placeholder ${whole} in a language definition`);
    return values[name]!;
  });
}

/**
 * `--std` on the command line: the id of the variant of the language given (`--lang`) or of the file's,
 * for that standard (`verdict run a.cpp --std c++20` → cpp20).
 */
export function languageIdForStandard(
  languages: Map<string, LanguageDefinition>,
  standard: string,
  langId: string | undefined,
  file: string,
): string {
  const base = langId ? languageById(languages, langId) : languageForFile(languages, file);
  return languageForStandard(languages, base, standard).id;
}
