import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillTemplate } from '../../protocol/template';

test("template: placeholders are filled, missing values are empty, the code's own braces stay", () => {
  const text = '// {name} ({group}) {url}\n// {timeLimitMs} ms, {memoryLimitMb} MB\nint main() { return {x}; }\n';
  assert.equal(
    fillTemplate(text, { name: 'A. Sum', group: 'Round 1', url: 'https://x/1', timeLimitMs: 1000, memoryLimitMb: 256 }),
    '// A. Sum (Round 1) https://x/1\n// 1000 ms, 256 MB\nint main() { return {x}; }\n',
  );
  assert.equal(fillTemplate(text, { name: 'a' }), '// a () \n//  ms,  MB\nint main() { return {x}; }\n');
  assert.equal(fillTemplate('{name}{name}', { name: '$&' }), '$&$&', 'a value is text, not a replacement pattern');
});
