// docs/protocol.md cannot drift from the supervisor: every operation it answers, every field it reads
// and every field it writes is documented there, and the page documents no operation it does not answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const doc = readFileSync(path.join(root, 'docs/protocol.md'), 'utf8');
// cgroup.c reads the kernel's files, not the protocol: its keys are not fields.
const sources = readdirSync(path.join(root, 'supervisor'))
  .filter((f) => f.endsWith('.c') && f !== 'cgroup.c')
  .map((f) => readFileSync(path.join(root, 'supervisor', f), 'utf8'))
  .join('\n');

const all = (re: RegExp, text: string) => new Set([...text.matchAll(re)].map((m) => m[1]!));

test('protocol doc: the operations documented are exactly those the supervisor answers', () => {
  const answered = all(/strcmp\(op->data, "([a-z_]+)"\)/g, sources);
  const section = doc.slice(doc.indexOf('## Operations'));
  const documented = all(/^\| `([a-z_]+)` \|/gm, section.slice(0, section.indexOf('\n\n', section.indexOf('| op |'))));
  assert.ok(answered.size >= 7, `found the supervisor's operations: ${[...answered]}`);
  assert.deepEqual([...documented].sort(), [...answered].sort());
});

test('protocol doc: every field the supervisor writes or reads is documented', () => {
  const written = all(/out_(?:str|num|bytes)\("([a-z_.]+)"/g, sources);
  for (const k of all(/K\("([a-z_]+)"\)/g, sources)) written.add(k);
  const read = all(/(?:message_get|message_num)\((?:&?m|msg), "([a-z_]+)"/g, sources);
  for (const k of all(/FIELD\("([a-z_]+)"\)/g, sources)) read.add(k);
  for (const k of all(/strcmp\((?:k|m->fields\[i\]\.key|m\.fields\[i\]\.key), "([a-z_]+)"\)/g, sources)) read.add(k);
  assert.ok(written.size > 20 && read.size > 15, `found ${written.size} written and ${read.size} read fields`);
  const undocumented = [...written, ...read].filter(
    (k) => !doc.includes(`\`${k}\``) && !doc.includes(`\`${k}=`) && !doc.includes(`\`p.${k}\``),
  );
  assert.deepEqual(undocumented, [], `fields missing from docs/protocol.md: ${undocumented.join(', ')}`);
});
