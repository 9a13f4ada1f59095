import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  expand,
  languageById,
  languageForFile,
  languageForStandard,
  languagesDir,
  loadLanguages,
  resolveVariables,
} from '../../runner/languages';
import { UsageError } from '../../runner/errors';
import { recipeParent } from '../../runner/images/build';

const languages = loadLanguages();

test('languages: at least the twelve required languages are defined', () => {
  for (const id of ['c', 'cpp', 'python3', 'java', 'javascript', 'typescript', 'go', 'rust', 'csharp', 'pascal', 'ruby', 'php'])
    assert.ok(languages.has(id), id);
});

test('languages: every extension has exactly one default language; the others sharing it recognise their sources or are variants', () => {
  const defaults = new Map<string, string>();
  for (const l of languages.values())
    for (const ext of l.extensions) {
      if (l.detect !== undefined || l.variantOf !== undefined) continue;
      assert.ok(!defaults.has(ext), `${ext} is the default of ${l.id} and ${defaults.get(ext)}`);
      defaults.set(ext, l.id);
    }
  for (const l of languages.values())
    for (const ext of l.extensions) assert.ok(defaults.has(ext) || l.detect !== undefined, `${ext} of ${l.id} has no default language`);
});

test('languages: at least 24 languages, with every ICPC and Kattis staple', () => {
  assert.ok(languages.size >= 24, `${languages.size} languages`);
  for (const id of ['cpp20', 'cpp23', 'pypy3', 'kotlin', 'scala', 'haskell', 'ocaml', 'lisp', 'perl', 'bash', 'lua', 'fortran', 'd'])
    assert.ok(languages.has(id), id);
  for (const id of ['elixir', 'erlang', 'nim', 'prolog', 'r']) assert.ok(languages.has(id), id);
});

test("languages: contest systems' file extensions (Kattis, DOMjudge)", () => {
  const cases: Array<[string, string]> = [
    ['a.py3', 'python3'],
    ['a.cc', 'cpp'],
    ['a.cxx', 'cpp'],
    ['a.c++', 'cpp'],
    ['a.kt', 'kotlin'],
    ['a.hs', 'haskell'],
    ['a.ml', 'ocaml'],
    ['a.scala', 'scala'],
    ['a.lisp', 'lisp'],
    ['a.cl', 'lisp'],
    ['a.pl', 'perl'],
    ['a.pm', 'perl'],
    ['a.pro', 'prolog'],
    ['a.sh', 'bash'],
    ['a.lua', 'lua'],
    ['a.f90', 'fortran'],
    ['a.f', 'fortran'],
    ['a.d', 'd'],
    ['a.nim', 'nim'],
    ['a.ex', 'elixir'],
    ['a.exs', 'elixir'],
    ['a.erl', 'erlang'],
    ['a.R', 'r'],
  ];
  for (const [file, id] of cases) assert.equal(languageForFile(languages, file).id, id, file);
});

test('languages: a shebang or a directive breaks the tie of a shared extension; without one the default wins', () => {
  assert.equal(languageForFile(languages, 'a.pl', 'print "hi\\n";\n').id, 'perl');
  assert.equal(languageForFile(languages, 'a.pl', '#!/usr/bin/perl\nprint 1;\n').id, 'perl');
  assert.equal(languageForFile(languages, 'a.pl', '#!/usr/bin/env swipl\nmain :- write(1).\n').id, 'prolog');
  assert.equal(languageForFile(languages, 'a.pl', ':- initialization(main).\nmain :- write(1).\n').id, 'prolog');
  assert.equal(languageForFile(languages, 'a.py', 'print(1)\n').id, 'python3');
  assert.equal(languageForFile(languages, 'a.py', '#!/usr/bin/env pypy3\nprint(1)\n').id, 'pypy3');
  // C++20 is never chosen by the extension: by id or by standard only.
  assert.equal(languageForFile(languages, 'a.cpp', '#include <compare>\n').id, 'cpp');
});

test('languages: a file on disk is read to break the tie when the caller gives no content', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-lang-'));
  try {
    writeFileSync(path.join(dir, 'sol.pl'), ':- use_module(library(readutil)).\nmain :- true.\n');
    assert.equal(languageForFile(languages, path.join(dir, 'sol.pl')).id, 'prolog');
    writeFileSync(path.join(dir, 'other.pl'), 'print 1;\n');
    assert.equal(languageForFile(languages, path.join(dir, 'other.pl')).id, 'perl');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('languages: --std picks the C++ variant by standard or id, from any of the family', () => {
  const cpp = languageById(languages, 'cpp');
  assert.equal(languageForStandard(languages, cpp, 'c++20').id, 'cpp20');
  assert.equal(languageForStandard(languages, cpp, 'gnu++23').id, 'cpp23');
  assert.equal(languageForStandard(languages, cpp, '20').id, 'cpp20');
  assert.equal(languageForStandard(languages, cpp, 'cpp23').id, 'cpp23');
  assert.equal(languageForStandard(languages, languageById(languages, 'cpp23'), 'c++17').id, 'cpp');
  assert.throws(() => languageForStandard(languages, cpp, 'c++98'), /no standard "c\+\+98".*c\+\+17 \(cpp\).*c\+\+20 \(cpp20\)/);
  assert.throws(() => languageForStandard(languages, languageById(languages, 'python3'), 'c++20'), /no standards/);
  for (const id of ['cpp20', 'cpp23']) {
    const v = languageById(languages, id);
    assert.equal(v.variantOf, 'cpp');
    assert.equal(v.image, 'gcc', 'a variant shares the C++ image');
    assert.ok(v.compile!.command.includes(`-std=gnu++${id.slice(3)}`));
  }
  assert.ok(languageById(languages, 'cpp').compile!.command.includes('-std=gnu++17'), 'the default stays C++17, as contest judges use');
});

test('languages: Kotlin and Scala find their main class as Kattis does', () => {
  const kotlin = languageById(languages, 'kotlin');
  assert.equal(resolveVariables(kotlin, 'fun main() {}\n').mainClass, 'MainKt');
  assert.equal(resolveVariables(kotlin, 'object Sol {\n  @JvmStatic fun main(args: Array<String>) {}\n}\n').mainClass, 'Sol');
  const scala = languageById(languages, 'scala');
  const v = resolveVariables(scala, 'object Helper { val x = 1 }\nobject Solution {\n  def main(args: Array[String]): Unit = {}\n}\n');
  assert.equal(v.mainObject, 'Solution');
  assert.equal(expand(scala.sourceFile, v), 'Solution.scala');
  assert.equal(resolveVariables(scala, 'object Sol extends App { println(1) }\n').mainObject, 'Sol');
});

test('languages: the language comes from the extension, with a clear error otherwise', () => {
  assert.equal(languageForFile(languages, 'x/sol.cpp').id, 'cpp');
  assert.equal(languageForFile(languages, 'A.PY').id, 'python3');
  assert.throws(
    () => languageForFile(languages, 'notes.xyz'),
    (e: Error) => e instanceof UsageError && /--lang/.test(e.message) && /python3/.test(e.message),
  );
  assert.throws(() => languageById(languages, 'cobol'), /Unknown language "cobol".*Known languages: .*c, /);
});

test('languages: Java finds its main class whatever the file is called', () => {
  const java = languageById(languages, 'java');
  const src =
    'import java.util.*;\nclass Helper { int x; }\npublic class Main {\n  static class Inner {}\n  public static void main(String[] a) {}\n}\n';
  const v = resolveVariables(java, src);
  assert.equal(expand(java.sourceFile, v), 'Main.java');
  assert.equal(v.mainClass, 'Main');
  const nonPublic = resolveVariables(java, 'class Solution { public static void main(String[] a) {} }');
  assert.equal(nonPublic.mainClass, 'Solution');
});

test('languages: placeholders that do not exist are a definition error', () => {
  assert.throws(() => expand('{nope}', {}), /Unknown placeholder/);
});

test("images: every language has a recipe; Fortran, D and Nim are built on the C/C++ image, Kotlin and Scala on Java's", () => {
  const recipes = new Set(readdirSync(path.join(languagesDir, 'images')).map((f) => f.replace(/\.Dockerfile$/, '')));
  for (const l of languages.values()) assert.ok(recipes.has(l.image), `${l.id}: languages/images/${l.image}.Dockerfile`);
  const parents = Object.fromEntries(
    ['gfortran', 'gdc', 'nim', 'kotlin', 'scala', 'gcc', 'python3', 'pypy3'].map((r) => [r, recipeParent(r)]),
  );
  assert.deepEqual(parents, {
    gfortran: 'gcc',
    gdc: 'gcc',
    nim: 'gcc',
    kotlin: 'java',
    scala: 'java',
    gcc: undefined,
    python3: undefined,
    pypy3: undefined,
  });
  for (const r of recipes) {
    const parent = recipeParent(r);
    if (parent)
      assert.ok(recipes.has(parent) && recipeParent(parent) === undefined, `${r} is built on ${parent}, a recipe built on the base`);
  }
});
