// The compile cache and the result cache, against real sandboxes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { show, withRunner } from './fixture';
import { CompileCache } from '../../runner/cache/compile-cache';

const C = (n: number) =>
  `#include <stdio.h>\nint main(void) { int x; if (scanf("%d", &x) != 1) x = 0; printf("%d\\n", x + ${n}); return 0; }\n`;

test('compile cache: the same source compiles once; the next submission restores the artifacts, also in a new runner', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-cc-'));
  const source = C(Date.now() % 100000);
  await withRunner({ compileCache: new CompileCache({ dir }) }, async (runner) => {
    const first = await runner.run({ language: 'c', files: [{ name: 'a.c', content: source }], stdin: '1' });
    assert.equal(first.compile?.cached, undefined, show(first));
    const second = await runner.run({ language: 'c', files: [{ name: 'b.c', content: source }], stdin: '2' });
    assert.equal(second.compile?.cached, true, show(second));
    assert.equal(second.status, 'Accepted', show(second));
    assert.equal(Number(second.stdout) - Number(first.stdout), 1, 'the restored binary runs');
    const other = await runner.run({ language: 'c', files: [{ name: 'a.c', content: C(7) + '// changed\n' }] });
    assert.equal(other.compile?.cached, undefined, 'a different source compiles');
    const cpp = await runner.run({ language: 'cpp', files: [{ name: 'a.cpp', content: source }], stdin: '1' });
    assert.equal(cpp.compile?.cached, undefined, 'another language (command) never shares artifacts');
  });
  assert.ok(
    readdirSync(dir).some((f) => f.endsWith('.bin')),
    'artifacts are kept on disk, outside any sandbox',
  );
  await withRunner({ compileCache: new CompileCache({ dir }) }, async (runner) => {
    const again = await runner.run({ language: 'c', files: [{ name: 'a.c', content: source }], stdin: '5' });
    assert.equal(again.compile?.cached, true, 'a new runner (a new CLI process) finds it on disk');
    assert.equal(again.status, 'Accepted');
  });
});

test('compile cache: compile errors are cached with their output; a bounded disk cache evicts the oldest', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-cc-'));
  await withRunner({ compileCache: new CompileCache({ dir, maxDiskBytes: 3 * 1024 * 1024 }) }, async (runner) => {
    const bad = 'int main( {\n';
    const one = await runner.run({ language: 'c', files: [{ name: 'x.c', content: bad }] });
    const two = await runner.run({ language: 'c', files: [{ name: 'x.c', content: bad }] });
    assert.equal(two.status, 'Compile Error');
    assert.equal(two.compile?.cached, true);
    assert.equal(two.compile?.output, one.compile?.output);
    for (let i = 0; i < 6; i++) await runner.run({ language: 'c', files: [{ name: 'x.c', content: C(1000 + i) }] });
  });
  const files = readdirSync(dir).filter((f) => f.endsWith('.bin'));
  assert.ok(files.length < 7, `static binaries of ~800 KB each, 3 MiB bound: ${files.length} kept`);
});

test('result cache: opt-in; an identical run is answered from the cache and flagged, a different stdin is not', async () => {
  await withRunner({ compileCache: false }, async (runner) => {
    const spec = { language: 'python3', files: [{ name: 'a.py', content: 'import random\nprint(input(), random.random())' }], stdin: 'x' };
    const first = await runner.run({ ...spec, cache: true });
    const second = await runner.run({ ...spec, cache: true });
    assert.equal(second.cached, true);
    assert.equal(second.stdout, first.stdout, 'the very same result');
    assert.notEqual(second.runId, first.runId);
    const uncached = await runner.run(spec);
    assert.equal(uncached.cached, undefined);
    assert.notEqual(uncached.stdout, first.stdout, 'without opt-in the program really runs');
    const otherInput = await runner.run({ ...spec, stdin: 'y', cache: true });
    assert.equal(otherInput.cached, undefined);
  });
});

test('result cache: an identical judge is answered from the cache when asked', async () => {
  await withRunner({}, async (runner) => {
    const request = {
      language: 'python3',
      files: [{ name: 'a.py', content: 'print(int(input()) * 2)' }],
      tests: [1, 2, 3].map((i) => ({ name: String(i), input: { text: `${i}\n` }, answer: { text: `${2 * i}\n` }, group: [] })),
      checker: { kind: 'builtin' as const, name: 'lines' as const },
      cacheResults: true,
    };
    const first = await runner.judge(request);
    const streamed: string[] = [];
    const second = await runner.judge(request, { onTest: (t) => streamed.push(t.name) });
    assert.equal(first.status, 'Accepted');
    assert.equal(second.cached, true);
    assert.deepEqual(streamed, ['1', '2', '3'], 'cached results still stream to the editor');
    const changed = await runner.judge({ ...request, tests: request.tests.slice(0, 2) });
    assert.equal(changed.cached, undefined);
  });
});
