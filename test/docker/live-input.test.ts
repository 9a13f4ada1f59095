// Live input (supervisor protocol 4, exec with stdin_stream): a program reads what is typed while it
// runs — the program answers each line before the next is sent —, EOF when the input ends, and the
// limits hold while it waits. Real Docker, the runner library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRunner } from './fixture';

const runner = useRunner();

/** An async queue: what a person would type, one push at a time. */
function typing() {
  const chunks: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    push(text: string | Buffer) {
      chunks.push(Buffer.from(text));
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (chunks.length) yield chunks.shift()!;
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

const ECHO_LINES = 'import sys\nfor line in sys.stdin:\n    print("got", line.strip(), flush=True)\nprint("eof")\n';

test('live input: each line reaches the program while it runs; the program answers before the next is typed; the end is EOF', async () => {
  const input = typing();
  const seen: string[] = [];
  let answered: (() => void) | undefined;
  const run = runner().run(
    { language: 'python3', files: [{ name: 'main.py', content: ECHO_LINES }], limits: { wallMs: 60_000 } },
    {
      liveInput: input,
      onOutput: (_stream, data) => {
        seen.push(data.toString());
        answered?.();
      },
    },
  );
  for (const word of ['one', 'two', 'three']) {
    const reply = new Promise<void>((r) => (answered = r));
    input.push(`${word}\n`);
    await reply; // the program answered this line: it had it before the next one exists
    assert.match(seen.join(''), new RegExp(`got ${word}\\n$`));
  }
  input.end();
  const result = await run;
  assert.equal(result.status, 'Accepted', result.message);
  assert.equal(result.stdout, 'got one\ngot two\ngot three\neof\n');
});

test('live input: bytes arrive exactly (NUL, 0xff, CR), in chunks of any size', async () => {
  const input = typing();
  const bytes = Buffer.concat([Buffer.from([0, 0xff, 0x0d, 0x0a]), Buffer.alloc(300_000, 0x61)]);
  const run = runner().run(
    {
      language: 'python3',
      files: [
        { name: 'main.py', content: 'import sys, hashlib\nd = sys.stdin.buffer.read()\nprint(len(d), hashlib.sha256(d).hexdigest())\n' },
      ],
      limits: { wallMs: 60_000 },
    },
    { liveInput: input },
  );
  for (let i = 0; i < bytes.length; i += 70_000) input.push(bytes.subarray(i, i + 70_000));
  input.end();
  const result = await run;
  const { createHash } = await import('node:crypto');
  assert.equal(result.stdout, `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}\n`);
});

test('live input: the limits hold while the program waits for input (wall), and input never sent is no hang', async () => {
  const input = typing();
  const started = Date.now();
  const result = await runner().run(
    { language: 'python3', files: [{ name: 'main.py', content: 'input()\n' }], limits: { cpuMs: 1000, wallMs: 1500 } },
    { liveInput: input },
  );
  assert.equal(result.status, 'Time Limit Exceeded');
  assert.ok(Date.now() - started < 10_000);
  // A program that ends without reading: the input it was never given does not hold the run.
  const quick = await runner().run(
    { language: 'python3', files: [{ name: 'main.py', content: 'print("bye")\n' }] },
    { liveInput: typing() },
  );
  assert.equal(quick.stdout, 'bye\n');
  // The container is fine afterwards: a next run works.
  const next = await runner().run({ language: 'python3', files: [{ name: 'main.py', content: 'print(input())\n' }], stdin: 'after\n' });
  assert.equal(next.stdout, 'after\n');
});

test('live input: stdin and live input together are refused', async () => {
  await assert.rejects(
    runner().run({ language: 'python3', files: [{ name: 'main.py', content: 'print(1)' }], stdin: 'x' }, { liveInput: typing() }),
    /not both/,
  );
});
