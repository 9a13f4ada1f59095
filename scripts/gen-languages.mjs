// Derives the editor's language facts from languages/*.json, so that adding a language stays one
// JSON file and one image recipe: protocol/languages.generated.ts (extension → language, VS Code
// language → extensions, each language's main file name) and package.json's `activationEvents`,
// `contributes.languages` and the extension list in every `when` clause of `contributes` (menus,
// keybindings) that tests `resourceExtname =~ /^\.(…)$/`. `npm run build` runs it; a unit test runs it
// with --check.
// Usage: node scripts/gen-languages.mjs [--check]
// It only parses the JSON: the definitions' full validation is runner/languages.ts's (zod), which
// the language server must not need to load.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GENERATED = 'protocol/languages.generated.ts';
const PACKAGE = 'package.json';

/**
 * Language ids VS Code ships (its built-in extensions/*), limited to programming languages a judge
 * could run. A definition whose `editor.vscodeLanguage` is not here gets the language contributed
 * by package.json (as Pascal is: VS Code knows no Pascal), else VS Code would hand us no documents.
 */
const VSCODE_BUILTIN = new Set([
  'bat',
  'c',
  'clojure',
  'coffeescript',
  'cpp',
  'csharp',
  'cuda-cpp',
  'dart',
  'fsharp',
  'go',
  'groovy',
  'java',
  'javascript',
  'javascriptreact',
  'julia',
  'lua',
  'objective-c',
  'objective-cpp',
  'perl',
  'php',
  'powershell',
  'python',
  'r',
  'raku',
  'ruby',
  'rust',
  'shellscript',
  'sql',
  'swift',
  'typescript',
  'typescriptreact',
  'vb',
]);

class LanguageFactsError extends Error {}

function readDefinitions() {
  const dir = path.join(root, 'languages');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const where = `languages/${file}`;
      let def;
      try {
        def = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      } catch (e) {
        throw new LanguageFactsError(`${where} is not valid JSON: ${e.message}`);
      }
      const bad = (what) => new LanguageFactsError(`${where}: ${what}`);
      if (typeof def.id !== 'string' || `${def.id}.json` !== file)
        throw bad(`"id" must be a string naming the file (${file.slice(0, -5)})`);
      if (typeof def.name !== 'string') throw bad('"name" must be a string');
      if (!Array.isArray(def.extensions) || !def.extensions.every((e) => typeof e === 'string' && /^\.[A-Za-z0-9+]+$/.test(e)))
        throw bad('"extensions" must be a list like [".cpp", ".cc"]');
      if (def.detect !== undefined && typeof def.detect !== 'string') throw bad('"detect" must be a regular expression');
      if (def.variantOf !== undefined && typeof def.variantOf !== 'string') throw bad('"variantOf" must be a language id');
      if (typeof def.sourceFile !== 'string') throw bad('"sourceFile" must be a string');
      if (typeof def.image !== 'string') throw bad('"image" must be the name of a recipe in languages/images/');
      // Without `editor.vscodeLanguage`, VS Code's id is ours.
      const vscodeLanguage = def.editor?.vscodeLanguage ?? def.id;
      if (typeof vscodeLanguage !== 'string' || !/^[a-z][a-z0-9+-]*$/.test(vscodeLanguage))
        throw bad('"editor.vscodeLanguage" must be a VS Code language id');
      return {
        id: def.id,
        name: def.name,
        extensions: [...new Set(def.extensions.map((e) => e.toLowerCase()))],
        vscodeLanguage,
        sourceFile: def.sourceFile,
        // The source's name in the sandbox when nothing in it says otherwise (each {variable} at its default).
        mainFile: def.sourceFile.replace(/\{(\w+)\}/g, (whole, name) => def.variables?.[name]?.default ?? whole),
        compiled: def.compile !== undefined,
        image: def.image,
        ...(def.detect !== undefined ? { detect: def.detect } : {}),
        ...(def.variantOf !== undefined ? { variantOf: def.variantOf } : {}),
        ...(typeof def.standard === 'string' ? { standard: def.standard } : {}),
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function derive(languages) {
  // An extension is its default language's: the one that neither recognises its sources (`detect`)
  // nor is a variant of another (cpp20 of cpp).
  const extensionToLanguage = {};
  for (const l of languages.filter((l) => l.detect === undefined && l.variantOf === undefined))
    for (const ext of l.extensions) {
      const other = extensionToLanguage[ext];
      if (other)
        throw new LanguageFactsError(
          `The extension "${ext}" is the default of both languages/${other}.json and languages/${l.id}.json: remove it from one, or give one a "detect".`,
        );
      extensionToLanguage[ext] = l.id;
    }
  // A language that recognises its sources owns the extensions no default claims (Prolog's .pro).
  for (const l of languages.filter((l) => l.detect !== undefined && l.variantOf === undefined))
    for (const ext of l.extensions) extensionToLanguage[ext] ??= l.id;
  const vscodeLanguages = {};
  for (const l of [...languages].sort((a, b) => (a.vscodeLanguage < b.vscodeLanguage ? -1 : a.vscodeLanguage > b.vscodeLanguage ? 1 : 0)))
    for (const ext of l.extensions)
      if (!(vscodeLanguages[l.vscodeLanguage] ??= []).includes(ext)) vscodeLanguages[l.vscodeLanguage].push(ext);
  return { extensionToLanguage, vscodeLanguages };
}

const str = (s) => `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k));
const list = (xs) => `[${xs.map(str).join(', ')}]`;

function generatedModule(languages, { extensionToLanguage, vscodeLanguages }) {
  return `// Generated by scripts/gen-languages.mjs from languages/*.json; do not edit.
// What the editor side needs to know about each language, as plain data with no imports, so that the
// language server and the extension read it without loading the runner or zod.

export interface LanguageFacts {
  /** Verdict's language id: the definition is languages/<id>.json. */
  id: string;
  name: string;
  /** Lower-case, with the dot. */
  extensions: readonly string[];
  /** The language id VS Code gives such files. */
  vscodeLanguage: string;
  /** The main source file's name in the sandbox; may use the definition's {variables} (Java's {publicClass}.java). */
  sourceFile: string;
  /** sourceFile with each {variable} at its default: what compilers call the source when nothing in it names it otherwise. */
  mainFile: string;
  /** Whether the language has a compile step. */
  compiled: boolean;
  /** Its image's recipe (languages/images/<image>.Dockerfile); protocol/images.ts names the image. */
  image: string;
  /** Claims a source of a shared extension (a multi-line regular expression: a shebang, a directive). */
  detect?: string;
  /** The language this one is a variant of (cpp20 of cpp): chosen by id or standard, never by extension alone. */
  variantOf?: string;
  /** The language standard it compiles (c++17, c++20, c++23). */
  standard?: string;
}

/** Every language, by id. */
export const LANGUAGES: readonly LanguageFacts[] = [
${languages
  .map(
    (l) =>
      `  { id: ${str(l.id)}, name: ${str(l.name)}, extensions: ${list(l.extensions)}, vscodeLanguage: ${str(l.vscodeLanguage)}, sourceFile: ${str(l.sourceFile)}, mainFile: ${str(l.mainFile)}, compiled: ${l.compiled}, image: ${str(l.image)}${l.detect !== undefined ? `, detect: ${str(l.detect)}` : ''}${l.variantOf !== undefined ? `, variantOf: ${str(l.variantOf)}` : ''}${l.standard !== undefined ? `, standard: ${str(l.standard)}` : ''} },`,
  )
  .join('\n')}
];

/** Lower-case file extension, with the dot → Verdict's language id. */
export const EXTENSION_TO_LANGUAGE: Readonly<Record<string, string>> = {
${Object.entries(extensionToLanguage)
  .map(([ext, id]) => `  ${str(ext)}: ${str(id)},`)
  .join('\n')}
};

/**
 * The language of a source: its extension's default, unless another language sharing the extension
 * recognises the source (\`.pl\`: Perl, or Prolog for \`:- initialization(main).\`; \`.py\`: CPython, or
 * PyPy for a \`#!/usr/bin/env pypy3\` line). The runner's languageForFile() decides the same way.
 */
export function languageOfSource(fileName: string, content?: string): LanguageFacts | undefined {
  const dot = fileName.lastIndexOf('.');
  const ext = dot > fileName.lastIndexOf('/') ? fileName.slice(dot).toLowerCase() : '';
  if (content !== undefined)
    for (const l of LANGUAGES)
      if (l.detect !== undefined && l.extensions.includes(ext) && new RegExp(l.detect, 'm').test(content)) return l;
  const id = EXTENSION_TO_LANGUAGE[ext];
  return id === undefined ? undefined : LANGUAGES.find((l) => l.id === id);
}

/** VS Code language id → the file extensions Verdict runs among that language's files. */
export const VSCODE_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
${Object.entries(vscodeLanguages)
  .map(([id, exts]) => `  ${key(id)}: ${list(exts)},`)
  .join('\n')}
};
`;
}

/**
 * `resourceExtname =~ /^\.(c|cpp|…)$/` in a when clause: VS Code's regex literal, whose alternation is
 * replaced with every extension Verdict runs. Its flags and the rest of the clause are kept.
 */
const EXTNAME_MATCH = /(resourceExtname\s*=~\s*\/\^\\\.\()[^)]*(\)\$\/)/g;
/** An extension (without its dot) as a regex alternative: `c++` → `c\+\+` (in package.json, `c\\+\\+`). */
const regexAlternative = (ext) => ext.slice(1).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Rewrites the extension list of every `when` clause under `node` (menus, keybindings, …), in place. */
function updateWhenClauses(node, alternatives) {
  if (Array.isArray(node)) for (const item of node) updateWhenClauses(item, alternatives);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === 'when' && typeof v === 'string') node[k] = v.replace(EXTNAME_MATCH, (_, open, close) => `${open}${alternatives}${close}`);
      else updateWhenClauses(v, alternatives);
    }
}

/** package.json as npm and vsce write it: 2 spaces, non-ASCII escaped, a final newline. */
const packageText = (pkg) =>
  `${JSON.stringify(pkg, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;

function updatedPackage(text, languages, { vscodeLanguages, extensionToLanguage }) {
  const pkg = JSON.parse(text);
  const others = (pkg.activationEvents ?? []).filter((e) => !e.startsWith('onLanguage:'));
  pkg.activationEvents = [...Object.keys(vscodeLanguages).map((id) => `onLanguage:${id}`), ...others];
  const contributed = Object.entries(vscodeLanguages)
    .filter(([id]) => !VSCODE_BUILTIN.has(id))
    .map(([id, extensions]) => {
      // The alias shown in VS Code's language picker: the first definition's name without its toolchain.
      const alias = languages.find((l) => l.vscodeLanguage === id).name.replace(/\s*\(.*$/, '');
      return { id, aliases: [...new Set([alias, id])], extensions };
    });
  pkg.contributes ??= {};
  if (contributed.length > 0) pkg.contributes.languages = contributed;
  else delete pkg.contributes.languages;
  updateWhenClauses(pkg.contributes, Object.keys(extensionToLanguage).map(regexAlternative).join('|'));
  // The per-language setting (verdict.languages): every language id, and the standards there are.
  const configurations = [pkg.contributes.configuration ?? []].flat();
  for (const configuration of configurations) {
    // New sources for Competitive Companion problems: any language but a variant (a setting's standard picks that).
    const companion = configuration.properties?.['verdict.companion.language'];
    if (companion) companion.enum = languages.filter((l) => l.variantOf === undefined).map((l) => l.id);
    const setting = configuration.properties?.['verdict.languages'];
    if (!setting) continue;
    setting.propertyNames = { enum: languages.map((l) => l.id) };
    const standards = languages.flatMap((l) => (l.standard ? [l.standard] : []));
    if (setting.additionalProperties?.properties && standards.length > 0)
      setting.additionalProperties.properties.standard = {
        type: 'string',
        enum: [...new Set(standards)],
        description: 'The language standard to compile with (C++: c++17 by default, as contest judges use; c++20, c++23).',
      };
  }
  return packageText(pkg);
}

/**
 * Brings protocol/languages.generated.ts and package.json up to date with languages/*.json, or with
 * `check`, writes nothing. Returns the files that were (or would be) changed, relative to the root.
 */
export function generateLanguages({ check = false } = {}) {
  const languages = readDefinitions();
  const derived = derive(languages);
  const read = (file) => {
    try {
      return readFileSync(path.join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const outputs = [
    [GENERATED, generatedModule(languages, derived)],
    [PACKAGE, updatedPackage(read(PACKAGE), languages, derived)],
  ];
  const stale = outputs.filter(([file, text]) => read(file) !== text);
  if (!check)
    for (const [file, text] of stale) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
  return stale.map(([file]) => file);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  try {
    const stale = generateLanguages({ check });
    if (check) {
      for (const file of stale) console.error(`${file} is out of date with languages/*.json: run node scripts/gen-languages.mjs`);
      process.exitCode = stale.length > 0 ? 1 : 0;
    } else for (const file of stale) console.log(`gen-languages: wrote ${file}`);
  } catch (e) {
    if (!(e instanceof LanguageFactsError)) throw e;
    console.error(`gen-languages: ${e.message}`);
    process.exitCode = 2;
  }
}
