import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVerdictSettings } from '../../protocol/settings';

test('settings: compileFlags is a line of flags split on whitespace, or a list', () => {
  const { settings, problems } = readVerdictSettings({
    languages: { cpp: { compileFlags: ' -DLOCAL  -O3\t-Wall ' }, rust: { compileFlags: ['-Copt-level=3', '--cfg=local'] } },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings.languages.cpp!.compileFlags, ['-DLOCAL', '-O3', '-Wall']);
  assert.deepEqual(settings.languages.rust!.compileFlags, ['-Copt-level=3', '--cfg=local']);
  assert.equal(readVerdictSettings({ languages: { cpp: { timeMs: 1000 } } }).settings.languages.cpp!.compileFlags, undefined);
});

test('settings: a compileFlags of the wrong shape is named and dropped (the runner judges each flag itself)', () => {
  for (const bad of [42, [1, 2], ['-DA\0'], Array(65).fill('-O2'), ['-D' + 'x'.repeat(300)], ['']]) {
    const { settings, problems } = readVerdictSettings({ languages: { cpp: { compileFlags: bad } } });
    assert.match(problems.join('\n'), /verdict\.languages\.cpp\.compileFlags must be flags on one line/, JSON.stringify(bad).slice(0, 40));
    assert.equal(settings.languages.cpp!.compileFlags, undefined);
  }
  // Well-shaped but refused flags pass the settings: the runner refuses them with the reason, naming the flag.
  assert.deepEqual(readVerdictSettings({ languages: { cpp: { compileFlags: '-fplugin=x' } } }).problems, []);
});
