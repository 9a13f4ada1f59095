import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileFlagsProblem, splitCompileFlags } from '../../protocol/compile-flags';
import { ExecutionSpec } from '../../protocol/spec';
import { compileFlagRules, languageById, languagesDir, loadLanguages } from '../../runner/languages';

const languages = loadLanguages();

/** The problem with these flags for the language, as the runner sees it (undefined: accepted). */
function problem(id: string, flags: string[]): string | undefined {
  const language = languageById(languages, id);
  return compileFlagsProblem(language, compileFlagRules(language), flags);
}

const ACCEPTED: Array<[string, string[]]> = [
  [
    'cpp',
    ['-DLOCAL', '-DN=100', '-UONLINE_JUDGE', '-O3', '-Ofast', '-O0', '-Wall', '-Wextra', '-Wshadow', '-Wno-unused-result', '-Werror'],
  ],
  ['cpp', ['-fsanitize=undefined', '-fno-exceptions', '-ftrapv', '-fuse-ld=bfd', '-march=native', '-mavx2', '-g', '-ggdb3', '-std=c++20']],
  ['cpp', ['-pedantic', '-pedantic-errors', '-w', '-pthread', '-lquadmath', '-D_GLIBCXX_DEBUG']],
  ['cpp20', ['-DLOCAL', '-O3']],
  ['cpp23', ['-D_GLIBCXX_DEBUG']],
  ['c', ['-DLOCAL', '-std=c11', '-Wall', '-lm']],
  ['fortran', ['-fcheck=all', '-ffree-form', '-fdefault-real-8', '-std=f2008']],
  ['d', ['-frelease', '-fno-bounds-check', '-fversion=Local']],
  ['rust', ['-Copt-level=3', '-Ctarget-cpu=native', '-Coverflow-checks=on', '--cfg=local', '-Awarnings', '-Dwarnings', '-g']],
  ['go', ['-tags=local', '-v', '-gcflags=-B', '-gcflags=-N', '-ldflags=-s']],
  ['haskell', ['-O1', '-Wall', '-XBangPatterns', '-fno-warn-tabs', '-DLOCAL', '-threaded', '-with-rtsopts=-K512m']],
  ['pascal', ['-O3', '-dLOCAL', '-Sd', '-Cr', '-Co', '-gl', '-Mdelphi']],
  ['nim', ['-d:local', '--define:danger', '--opt:speed', '--mm:arc', '--checks:off', '--boundChecks:on']],
];

/** Refused: [language, flag, words the message must hold]. */
const REFUSED: Array<[string, string, RegExp]> = [
  ['cpp', '-fplugin=x', /plugin/],
  ['cpp', '-fplugin-arg-x-y=1', /plugin/],
  ['cpp', '-B/tmp', /run its programs .* from another folder/],
  ['cpp', '@/etc/passwd', /response file/],
  ['cpp', '-Wl,-T,x', /linker, assembler or preprocessor/],
  ['cpp', '-Wl,--dynamic-linker=/tmp/ld', /linker, assembler or preprocessor/],
  ['cpp', '-Xlinker', /linker, assembler or preprocessor/],
  ['cpp', '-T', /linker a script/],
  ['cpp', '-o/box/x', /output file/],
  ['cpp', '-o', /output file/],
  ['cpp', '--sysroot=/', /looks for headers/],
  ['cpp', '-isysroot/x', /looks for headers/],
  ['cpp', '-iprefix', /looks for headers/],
  ['cpp', '-I/etc', /looks for headers/],
  ['cpp', '-specs=x', /specs file/],
  ['cpp', '--specs=x', /specs file/],
  ['cpp', '-wrapper', /another program/],
  ['cpp', '-MF', /dependency file/],
  ['cpp', '-MD', /dependency file/],
  ['cpp', '-save-temps', /intermediate files/],
  ['cpp', '-dumpdir', /intermediate files/],
  ['cpp', '-dumpbase', /intermediate files/],
  ['cpp', '-fprofile-generate=/tmp/p', /profile data/],
  ['cpp', '-fprofile-use=x', /profile data/],
  ['cpp', '-fdump-tree-all', /dumps/],
  ['cpp', '-fcompare-debug=-fplugin=x.so', /another compilation/],
  ['cpp', '-foffload-options=-fplugin=x', /another compilation/],
  ['cpp', '-fuse-ld=/tmp/ld', /linker program/],
  ['cpp', '-DX=/etc/passwd', /names a path/],
  ['cpp', 'x.c', /not a flag/],
  ['cpp', '/etc/passwd', /not a flag/],
  ['cpp', '-', /not a flag/],
  ['cpp', '-x', /not among the flags/],
  ['cpp', '-DLOCAL\n', /control character/],
  ['c', '-fplugin=x', /plugin/],
  ['cpp20', '-B/tmp', /another folder/],
  ['fortran', '-J/tmp', /modules/],
  ['d', '-J/etc', /modules/],
  ['rust', '-Clink-arg=-Wl,-T,x', /linker/],
  ['rust', '-Clinker=/bin/sh', /linker/],
  ['rust', '-Zunpretty=x', /unstable/],
  ['rust', '--extern', /crates/],
  ['rust', '-L/tmp', /libraries/],
  ['rust', 'opt-level=3', /not a flag/],
  ['go', '-toolexec=/bin/sh', /another program/],
  ['go', '-overlay=x.json', /output, the tools/],
  ['go', '-o=/tmp/x', /output/],
  ['go', '-trimpath', /rebuilds the standard library/],
  ['go', '-gcflags=all=-N', /rebuilds the standard library/],
  ['haskell', '-pgmc/bin/sh', /replaces a program/],
  ['haskell', '-optl-Wl,-T,x', /unchecked/],
  ['haskell', '-fplugin=Foo', /plugin/],
  ['haskell', '-package-db', /packages/],
  ['pascal', '-FD/tmp', /utilities/],
  ['pascal', '-k-T', /linker/],
  ['pascal', '-XP/tmp/', /linker/],
  ['nim', '--passL:-T', /unchecked/],
  ['nim', '--gcc.exe:/bin/sh', /programs/],
  ['nim', '--out:/tmp/x', /writes/],
];

test('compile flags: the flags a language accepts pass', () => {
  for (const [id, flags] of ACCEPTED) assert.equal(problem(id, flags), undefined, `${id}: ${flags.join(' ')}`);
});

test('compile flags: a refused flag is named with the reason and what is allowed', () => {
  for (const [id, flag, why] of REFUSED) {
    // After an accepted flag: the refused one is found wherever it is.
    const message = problem(id, [...(ACCEPTED.find(([l]) => l === id)?.[1] ?? []), flag]);
    assert.ok(message, `${id}: ${JSON.stringify(flag)} should be refused`);
    assert.match(message, why, `${id}: ${JSON.stringify(flag)}: ${message}`);
    assert.ok(message.includes(`The compile flag ${JSON.stringify(flag)} is not allowed for ${languageById(languages, id).name}`), message);
    assert.match(message, /Remove it; allowed: /);
  }
});

test('compile flags: a language without rules takes none, and says so naming the language and the setting', () => {
  for (const id of ['python3', 'java', 'csharp', 'kotlin', 'bash']) {
    const message = problem(id, ['-O2']);
    assert.ok(message, id);
    assert.match(message, new RegExp(`takes no compile flags .*languages/${id}\\.json.*verdict\\.languages\\.${id}\\.compileFlags`));
  }
  assert.equal(problem('python3', []), undefined);
});

test('compile flags: every definition with flags places them once, after its own and before the source', () => {
  for (const l of languages.values()) {
    const command = l.compile?.command ?? [];
    assert.equal(
      command.filter((a) => a === '{flags}').length,
      compileFlagRules(l) ? 1 : 0,
      `${l.id}: {flags} exactly when the definition has rules`,
    );
    if (compileFlagRules(l)) assert.ok(command.indexOf('{flags}') < command.indexOf('{source}'), l.id);
  }
  for (const id of ['c', 'cpp', 'cpp20', 'cpp23', 'fortran', 'd', 'rust', 'go', 'haskell', 'pascal', 'nim'])
    assert.ok(compileFlagRules(languageById(languages, id)), id);
});

test('compile flags: a definition naming rules that do not exist, or with {flags} and no rules, is refused at load', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-flags-'));
  try {
    const cpp = JSON.parse(
      JSON.stringify(languageById(loadLanguages(languagesDir), 'cpp'), (k, v: unknown) => (k === 'flags' ? 'nope' : v)),
    ) as Record<string, unknown>;
    writeFileSync(path.join(dir, 'cpp.json'), JSON.stringify(cpp));
    assert.throws(() => loadLanguages(dir), /compile flag rules "nope", but .*nope\.json cannot be read/);
    mkdirSync(path.join(dir, 'flags'));
    writeFileSync(path.join(dir, 'flags', 'nope.json'), JSON.stringify({ allowed: 'x', allow: ['(unclosed'] }));
    assert.throws(() => loadLanguages(dir), /Invalid compile flag rules .*valid regular expression/);
    const { flags: _flags, ...compile } = cpp.compile as Record<string, unknown>;
    writeFileSync(path.join(dir, 'cpp.json'), JSON.stringify({ ...cpp, compile }));
    assert.throws(() => loadLanguages(dir), /takes \{flags\} .* exactly when the definition has compile\.flags/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compile flags: the spec bounds them (count, length, NUL) and defaults to none', () => {
  const base = { language: 'cpp', files: [{ name: 'a.cpp', content: '' }] };
  assert.deepEqual(ExecutionSpec.parse(base).compileFlags, []);
  assert.deepEqual(ExecutionSpec.parse({ ...base, compileFlags: ['-DLOCAL'] }).compileFlags, ['-DLOCAL']);
  assert.equal(ExecutionSpec.safeParse({ ...base, compileFlags: Array(65).fill('-O2') }).success, false);
  assert.equal(ExecutionSpec.safeParse({ ...base, compileFlags: ['-D' + 'x'.repeat(300)] }).success, false);
  assert.equal(ExecutionSpec.safeParse({ ...base, compileFlags: ['-DA\0'] }).success, false);
  assert.equal(ExecutionSpec.safeParse({ ...base, compileFlags: [''] }).success, false);
});

test('compile flags: a line of flags splits on whitespace', () => {
  assert.deepEqual(splitCompileFlags('  -DLOCAL\t-O3 \n -Wall '), ['-DLOCAL', '-O3', '-Wall']);
  assert.deepEqual(splitCompileFlags(''), []);
});
