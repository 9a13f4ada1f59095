// Extra compile flags against real sandboxes: through the runner, a judge and the `verdict` CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { show, withRunner } from './fixture';
import { CompileCache } from '../../runner/cache/compile-cache';
import { SpecInvalid } from '../../runner/errors';

const dir = mkdtempSync(path.join(tmpdir(), 'verdict-flags-'));
const BIN = path.resolve(__dirname, '../../bin/verdict.js');

/** Says which build it is: LOCAL only with -DLOCAL; ONLINE_JUDGE is the definition's own -D. Unique per test run (no stale cache). */
const SOURCE = `#include <bits/stdc++.h>
int main() {
#ifdef LOCAL
  std::cout << "local" << std::endl;
#elif defined(ONLINE_JUDGE)
  std::cout << "judge" << std::endl;
#endif
  return 0; // ${process.pid}-${Date.now()}
}
`;

test('compile flags: -DLOCAL changes the program; other flags are another compile cache entry, the same flags the same one', async () => {
  await withRunner({ compileCache: new CompileCache({ dir: mkdtempSync(path.join(tmpdir(), 'verdict-cc-')) }) }, async (runner) => {
    const files = [{ name: 'a.cpp', content: SOURCE }];
    const local = await runner.run({ language: 'cpp', files, compileFlags: ['-DLOCAL', '-O2'] });
    assert.equal(local.status, 'Accepted', show(local));
    assert.equal(local.stdout, 'local\n');
    assert.equal(local.compile?.cached, undefined, show(local));
    const plain = await runner.run({ language: 'cpp', files });
    assert.equal(plain.stdout, 'judge\n', 'without the flag, the build of the first run is not reused');
    assert.equal(plain.compile?.cached, undefined, show(plain));
    const again = await runner.run({ language: 'cpp', files, compileFlags: ['-DLOCAL', '-O2'] });
    assert.equal(again.stdout, 'local\n');
    assert.equal(again.compile?.cached, true, 'the same flags restore their own build');
    const variant = await runner.run({ language: 'cpp20', files, compileFlags: ['-DLOCAL'] });
    assert.equal(variant.stdout, 'local\n', 'a variant (cpp20) takes flags as its base does');
  });
});

test('compile flags: a refused flag is a SpecInvalid naming the flag, the reason and what is allowed, before any sandbox starts', async () => {
  await withRunner({ compileCache: false }, async (runner) => {
    const cases: Array<[string, string[], RegExp]> = [
      [
        'cpp',
        ['-DLOCAL', '-fplugin=/tmp/x.so'],
        /The compile flag "-fplugin=\/tmp\/x\.so" is not allowed for C\+\+ .*compiler plugin.*Remove it; allowed: -O…/,
      ],
      ['cpp', ['-B/tmp'], /"-B\/tmp" .* from another folder/],
      ['c', ['x.c'], /"x\.c" .* not a flag/],
      ['python3', ['-O'], /Python 3 \(CPython\) takes no compile flags/],
    ];
    for (const [language, compileFlags, message] of cases)
      await assert.rejects(
        runner.run({ language, files: [{ name: 'a', content: SOURCE }], compileFlags }),
        (err: Error) => err instanceof SpecInvalid && message.test(err.message),
        `${language} ${compileFlags.join(' ')}`,
      );
    await assert.rejects(
      runner.judge({
        language: 'cpp',
        files: [{ name: 'a.cpp', content: SOURCE }],
        tests: [{ name: '1', input: { text: '' }, answer: { text: 'local\n' }, group: [] }],
        checker: { kind: 'builtin', name: 'lines' },
        compileFlags: ['-Wl,-T,x'],
      }),
      /"-Wl,-T,x" is not allowed .*linker/,
    );
    assert.equal(runner.pool.size.total, 0, 'no container was started for a refused flag');
  });
});

test('compile flags: a judge compiles with them', async () => {
  await withRunner({ compileCache: false }, async (runner) => {
    const request = (compileFlags?: string[]) => ({
      language: 'cpp',
      files: [{ name: 'a.cpp', content: SOURCE }],
      tests: [{ name: '1', input: { text: '' }, answer: { text: 'local\n' }, group: [] }],
      checker: { kind: 'builtin' as const, name: 'lines' as const },
      ...(compileFlags ? { compileFlags } : {}),
    });
    assert.equal((await runner.judge(request(['-DLOCAL']))).status, 'Accepted');
    assert.equal((await runner.judge(request())).status, 'Wrong Answer');
  });
});

test('compile flags: each language with rules compiles with a flag it accepts, in its place in the command', async () => {
  // [language, source, flags, stdout]: where the language can, the flag changes what the program prints.
  const cases: Array<[string, string, string, string[], string]> = [
    [
      'c',
      'a.c',
      '#include <stdio.h>\nint main(void) {\n#ifdef LOCAL\n  puts("local");\n#endif\n  return 0;\n}\n',
      ['-DLOCAL', '-Wall'],
      'local\n',
    ],
    ['fortran', 'a.f90', 'program a\n#ifdef LOCAL\n  print \'(a)\', "local"\n#endif\nend program a\n', ['-cpp', '-DLOCAL'], 'local\n'],
    [
      'd',
      'a.d',
      'import std.stdio;\nvoid main() { version (Local) writeln("local"); else writeln("judge"); }\n',
      ['-fversion=Local'],
      'local\n',
    ],
    [
      'rust',
      'a.rs',
      'fn main() { println!("{}", if cfg!(local) { "local" } else { "judge" }); }\n',
      ['--cfg=local', '-Copt-level=3'],
      'local\n',
    ],
    [
      'go',
      'a.go',
      'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("local") }\n',
      ['-tags=local', '-gcflags=-B', '-ldflags=-s'],
      'local\n',
    ],
    [
      'haskell',
      'a.hs',
      '{-# LANGUAGE CPP #-}\nmain :: IO ()\n#ifdef LOCAL\nmain = putStrLn "local"\n#else\nmain = putStrLn "judge"\n#endif\n',
      ['-DLOCAL', '-O1'],
      'local\n',
    ],
    [
      'pascal',
      'a.pas',
      "begin\n{$IFDEF LOCAL} writeln('local'); {$ELSE} writeln('judge'); {$ENDIF}\nend.\n",
      ['-dLOCAL', '-Cr'],
      'local\n',
    ],
    ['nim', 'a.nim', 'when defined(local):\n  echo "local"\nelse:\n  echo "judge"\n', ['-d:local', '--opt:speed'], 'local\n'],
  ];
  await withRunner({ compileCache: false }, async (runner) => {
    for (const [language, name, content, compileFlags, stdout] of cases) {
      const r = await runner.run({ language, files: [{ name, content }], compileFlags });
      assert.equal(r.status, 'Accepted', `${language}: ${show(r)}`);
      assert.equal(r.stdout, stdout, `${language}: ${show(r)}`);
    }
  });
});

/** The CLI in process (no daemon), with empty stdin. */
async function verdict(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { execa } = await import('execa');
  const r = await execa(process.execPath, [BIN, ...args], {
    input: '',
    env: { VERDICT_DAEMON: '0', ...env },
    stripFinalNewline: false,
    timeout: 120_000,
    reject: false,
  });
  return { code: r.exitCode ?? null, stdout: r.stdout, stderr: r.stderr };
}

test('compile flags: verdict run/judge --compile-flags "-DLOCAL -O2" builds with them; a refused one exits 2 with the reason', async () => {
  const source = path.join(dir, 'a.cpp');
  writeFileSync(source, SOURCE);
  const local = await verdict(['run', source, '--compile-flags', '-DLOCAL -O2']);
  assert.equal(local.code, 0, local.stderr);
  assert.equal(local.stdout, 'local\n');
  const plain = await verdict(['run', source, '--no-daemon']);
  assert.equal(plain.stdout, 'judge\n', plain.stderr);
  const refused = await verdict(['run', source, '--compile-flags', '-O2 @/etc/passwd']);
  assert.equal(refused.code, 2);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /^verdict: The compile flag "@\/etc\/passwd" is not allowed for C\+\+ .*response file.*Remove it; allowed:/);
  const tests = path.join(dir, 'tests');
  mkdirSync(tests, { recursive: true });
  writeFileSync(path.join(tests, '1.in'), '');
  writeFileSync(path.join(tests, '1.ans'), 'local\n');
  const judged = await verdict(['judge', source, '--tests', tests, '--compile-flags', '-DLOCAL', '--json']);
  assert.equal(judged.code, 0, judged.stderr);
  assert.equal((JSON.parse(judged.stdout) as { status: string }).status, 'Accepted');
  // Through this user's background runner (the quick path and the full CLI alike), the same.
  const daemonEnv = { VERDICT_DAEMON_DIR: path.join(dir, 'daemon'), VERDICT_DAEMON: '1' };
  try {
    for (let call = 0; call < 2; call++) {
      const viaDaemon = await verdict(['run', source, '--compile-flags', '-DLOCAL -O2'], daemonEnv);
      assert.deepEqual([viaDaemon.code, viaDaemon.stdout], [0, 'local\n'], viaDaemon.stderr);
    }
    const judgedThere = await verdict(['judge', source, '--tests', tests, '--compile-flags', '-DLOCAL'], daemonEnv);
    assert.match(judgedThere.stdout, /Accepted · 1\/1 passed/);
    const refusedThere = await verdict(['run', source, '--compile-flags', '-O2 @/etc/passwd'], daemonEnv);
    assert.equal(refusedThere.code, 2);
    assert.match(refusedThere.stderr, /^verdict: The compile flag "@\/etc\/passwd" is not allowed for C\+\+ .*response file/);
  } finally {
    await verdict(['daemon', 'stop'], daemonEnv);
  }
});
