import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, languageById, languageForFile, loadLanguages, resolveVariables } from '../../runner/languages';
import { UsageError } from '../../runner/errors';

const languages = loadLanguages();

test('languages: at least the twelve required languages are defined', () => {
  for (const id of ['c', 'cpp', 'python3', 'java', 'javascript', 'typescript', 'go', 'rust', 'csharp', 'pascal', 'ruby', 'php'])
    assert.ok(languages.has(id), id);
});

test('languages: every extension belongs to exactly one language', () => {
  const seen = new Map<string, string>();
  for (const l of languages.values())
    for (const ext of l.extensions) {
      assert.ok(!seen.has(ext), `${ext} in ${l.id} and ${seen.get(ext)}`);
      seen.set(ext, l.id);
    }
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
