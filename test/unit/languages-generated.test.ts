// protocol/languages.generated.ts and package.json's language fields cannot drift from languages/*.json:
// the generator finds nothing to change, and what it wrote covers every definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXTENSION_TO_LANGUAGE, LANGUAGES, VSCODE_LANGUAGES, languageOfSource } from '../../protocol/languages.generated';
import { languageUnderSettings, readVerdictSettings } from '../../protocol/settings';

const root = path.resolve(__dirname, '../..');
const definitions = readdirSync(path.join(root, 'languages'))
  .filter((f) => f.endsWith('.json'))
  .map(
    (f) =>
      JSON.parse(readFileSync(path.join(root, 'languages', f), 'utf8')) as {
        id: string;
        extensions: string[];
        sourceFile: string;
        detect?: string;
        variantOf?: string;
        editor?: { vscodeLanguage: string };
      },
  );
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    languages?: { id: string; extensions: string[] }[];
    menus: Record<string, { when?: string }[]>;
    keybindings: { when?: string }[];
    configuration?: unknown;
  };
};

test('languages generated: the generator has nothing to change (run node scripts/gen-languages.mjs after editing languages/*.json)', async () => {
  // Imported when used: execa is ESM only, and tsx's require of it fails (privatenumber/tsx#673).
  const { execa } = await import('execa');
  const check = await execa(process.execPath, ['scripts/gen-languages.mjs', '--check'], { cwd: root, reject: false });
  assert.equal(check.exitCode, 0, check.stderr || check.stdout);
});

test('languages generated: every definition is there, by id, with its main file name', () => {
  assert.deepEqual(
    LANGUAGES.map((l) => l.id),
    definitions.map((d) => d.id).sort(),
  );
  for (const d of definitions) assert.equal(LANGUAGES.find((l) => l.id === d.id)?.sourceFile, d.sourceFile, d.id);
  assert.equal(LANGUAGES.find((l) => l.id === 'java')?.sourceFile, '{publicClass}.java');
});

test('languages generated: each language has the VS Code language its definition names (else its own id)', () => {
  for (const d of definitions) assert.equal(LANGUAGES.find((l) => l.id === d.id)?.vscodeLanguage, d.editor?.vscodeLanguage ?? d.id, d.id);
  assert.equal(LANGUAGES.find((l) => l.id === 'python3')?.vscodeLanguage, 'python');
});

test('languages generated: every extension a definition accepts maps to it, and to its VS Code language', () => {
  for (const d of definitions) {
    const vscodeLanguage = LANGUAGES.find((l) => l.id === d.id)!.vscodeLanguage;
    for (const ext of d.extensions) {
      // A language that recognises its sources (Prolog's .pl) or is a variant (cpp20) shares its
      // extension with the default; languageOfSource tells them apart.
      if (d.detect === undefined && d.variantOf === undefined) assert.equal(EXTENSION_TO_LANGUAGE[ext.toLowerCase()], d.id, ext);
      else assert.ok(EXTENSION_TO_LANGUAGE[ext.toLowerCase()], `${ext} of ${d.id} has a default language`);
      assert.ok(VSCODE_LANGUAGES[vscodeLanguage]?.includes(ext.toLowerCase()), `${ext} in VSCODE_LANGUAGES.${vscodeLanguage}`);
    }
  }
  assert.equal(VSCODE_LANGUAGES.python?.[0], '.py');
});

test('languages generated: languageOfSource recognises a shared extension by its content, as the runner does', () => {
  assert.equal(languageOfSource('/w/a.pl', 'print 1;\n')?.id, 'perl');
  assert.equal(languageOfSource('/w/a.pl', ':- initialization(main).\n')?.id, 'prolog');
  assert.equal(languageOfSource('/w/a.pl')?.id, 'perl');
  assert.equal(languageOfSource('/w/a.pro')?.id, 'prolog');
  assert.equal(languageOfSource('/w/A.PY', '#!/usr/bin/env pypy3\n')?.id, 'pypy3');
  assert.equal(languageOfSource('/w/a.c++')?.id, 'cpp');
  assert.equal(languageOfSource('/w/x.d/readme')?.id, undefined);
});

test('settings: verdict.languages.cpp.standard runs C++ files as the variant; an unknown standard is named and ignored', () => {
  const cpp = LANGUAGES.find((l) => l.id === 'cpp')!;
  const chosen = readVerdictSettings({ languages: { cpp: { standard: 'c++20', timeMs: 3000 } } });
  assert.deepEqual(chosen.problems, []);
  assert.equal(languageUnderSettings(cpp, chosen.settings).id, 'cpp20');
  assert.equal(languageUnderSettings(cpp, readVerdictSettings({ languages: { cpp: { standard: 'gnu++23' } } }).settings).id, 'cpp23');
  assert.equal(languageUnderSettings(cpp, readVerdictSettings({}).settings).id, 'cpp', 'C++17 stays the default');
  const wrong = readVerdictSettings({ languages: { cpp: { standard: 'c++98' } } });
  assert.match(wrong.problems.join('\n'), /verdict\.languages\.cpp\.standard must be one of c\+\+17, c\+\+20, c\+\+23/);
  assert.equal(languageUnderSettings(cpp, wrong.settings).id, 'cpp');
  const python = LANGUAGES.find((l) => l.id === 'python3')!;
  assert.match(readVerdictSettings({ languages: { python3: { standard: 'c++20' } } }).problems.join('\n'), /no standards/);
  assert.equal(
    languageUnderSettings(python, readVerdictSettings({ languages: { python3: { standard: 'c++20' } } }).settings).id,
    'python3',
  );
});

test('languages generated: package.json declares verdict.languages for every language id, with the standards there are', () => {
  const setting = [pkg.contributes.configuration]
    .flat()
    .map(
      (c) =>
        (
          c as {
            properties?: Record<
              string,
              { propertyNames?: { enum: string[] }; additionalProperties?: { properties: Record<string, { enum?: string[] }> } }
            >;
          }
        ).properties?.['verdict.languages'],
    )
    .find(Boolean)!;
  assert.deepEqual(setting.propertyNames?.enum, [...LANGUAGES.map((l) => l.id)]);
  assert.deepEqual(setting.additionalProperties?.properties.standard?.enum, ['c++17', 'c++20', 'c++23']);
});

test('languages generated: package.json activates on every VS Code language and declares the ones VS Code lacks', () => {
  for (const id of Object.keys(VSCODE_LANGUAGES)) assert.ok(pkg.activationEvents.includes(`onLanguage:${id}`), `onLanguage:${id}`);
  assert.ok(pkg.activationEvents.includes('onLanguage:pascal'));
  assert.deepEqual(pkg.activationEvents.slice(-2), ['workspaceContains:**/*.tests/*.in', 'onStartupFinished']);
  assert.deepEqual(pkg.contributes.languages?.find((l) => l.id === 'pascal')?.extensions, VSCODE_LANGUAGES.pascal);
});

test('languages generated: every menu and keybinding `when` clause on resourceExtname accepts every extension a definition accepts, and not others', () => {
  const extensions = definitions.flatMap((d) => d.extensions.map((e) => e.toLowerCase()));
  const menus = Object.values(pkg.contributes.menus)
    .flat()
    .map((m) => m.when ?? '');
  const keybindings = pkg.contributes.keybindings.map((k) => k.when ?? '');
  const onExtension = (whens: string[]) => whens.filter((w) => w.includes('resourceExtname'));
  assert.ok(onExtension(menus).length > 0 && onExtension(keybindings).length > 0, 'menus and keybindings test resourceExtname');
  for (const when of onExtension([...menus, ...keybindings])) {
    // VS Code's regex literal in a when clause: /source/flags, with \/ for a slash.
    const literal = /resourceExtname\s*=~\s*\/((?:\\.|[^\\/])*)\/([a-z]*)/.exec(when);
    assert.ok(literal, `a regex literal after resourceExtname =~ in ${when}`);
    const re = new RegExp(literal[1]!, literal[2]);
    for (const ext of extensions) assert.ok(re.test(ext), `${ext} is missing from ${when}`);
    for (const other of ['.txt', '.json', '.c+', '.cppx', '.xpy']) assert.ok(!re.test(other), `${other} matches ${when}`);
  }
});
