// Each status produced for real, by a real program in a real sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSource, show, useRunner } from './fixture';

const runner = useRunner();

test('status: a plain run that exits 0 is Accepted, with CPU time, wall time and memory', async () => {
  const r = await runSource(runner(), 'python3', 'print(sum(range(10**6)))');
  assert.equal(r.status, 'Accepted', show(r));
  assert.equal(r.stdout, '499999500000\n');
  assert.ok(r.timeMs > 0 && r.timeMs < 2000, show(r));
  assert.ok(r.memoryKb > 1000, show(r));
  assert.equal(r.compile, undefined);
});

test('status: a compile error is Compile Error with the compiler output', async () => {
  const r = await runSource(runner(), 'cpp', '#include <cstdio>\nint main() {\n  undeclared_thing();\n}\n');
  assert.equal(r.status, 'Compile Error', show(r));
  assert.match(r.compile!.output, /undeclared_thing/);
  assert.match(r.compile!.output, /:3:/);
});

test('status: a segfault is Runtime Error with SIGSEGV', async () => {
  const r = await runSource(runner(), 'c', '#include <stdio.h>\nint main(void) { volatile int *p = 0; *p = 1; return 0; }\n');
  assert.equal(r.status, 'Runtime Error', show(r));
  assert.equal(r.signal, 'SIGSEGV');
  assert.equal(r.exitCode, null);
});

test('status: a non-zero exit is Runtime Error with its exit code', async () => {
  const r = await runSource(runner(), 'python3', 'import sys\nprint("partial")\nsys.exit(7)');
  assert.equal(r.status, 'Runtime Error', show(r));
  assert.equal(r.exitCode, 7);
  assert.equal(r.stdout, 'partial\n');
});

test('status: an uncaught exception is Runtime Error with the traceback on stderr', async () => {
  const r = await runSource(runner(), 'python3', 'def f():\n    raise ValueError("boom")\nf()\n');
  assert.equal(r.status, 'Runtime Error', show(r));
  assert.match(r.stderr, /ValueError: boom/);
  assert.match(r.stderr, /line 2/);
});

test('status: an infinite loop is Time Limit Exceeded close to the CPU limit', async () => {
  const started = Date.now();
  const r = await runSource(runner(), 'c', 'int main(void) { for (;;) {} }\n', { limits: { cpuMs: 500 } });
  assert.equal(r.status, 'Time Limit Exceeded', show(r));
  assert.ok(r.timeMs >= 500, show(r));
  assert.ok(Date.now() - started < 5000, 'killed within seconds, not at the wall limit of a default run');
});

test('status: a program that sleeps past the wall limit is Time Limit Exceeded', async () => {
  const r = await runSource(runner(), 'python3', 'import time\ntime.sleep(30)', { limits: { cpuMs: 300, wallMs: 1000 } });
  assert.equal(r.status, 'Time Limit Exceeded', show(r));
  assert.match(r.message!, /wall/);
  assert.ok(r.wallMs >= 1000 && r.wallMs < 3000, show(r));
});

test('status: a memory bomb is Memory Limit Exceeded', async () => {
  const r = await runSource(
    runner(),
    'c',
    '#include <stdlib.h>\n#include <string.h>\nint main(void) { for (;;) { char *p = malloc(1 << 20); if (!p) return 3; memset(p, 1, 1 << 20); } }\n',
    { limits: { memoryMb: 64 } },
  );
  assert.equal(r.status, 'Memory Limit Exceeded', show(r));
});

test('status: using more memory than the limit, even without being killed, is Memory Limit Exceeded', async () => {
  const r = await runSource(runner(), 'python3', 'x = bytearray(100 * 1024 * 1024)\nprint(len(x))', { limits: { memoryMb: 64 } });
  assert.equal(r.status, 'Memory Limit Exceeded', show(r));
});

test('status: an output flood is Output Limit Exceeded, truncated at the limit', async () => {
  const r = await runSource(runner(), 'c', '#include <stdio.h>\nint main(void) { for (;;) puts("flood flood flood flood"); }\n', {
    limits: { outputBytes: 100_000 },
  });
  assert.equal(r.status, 'Output Limit Exceeded', show(r));
  assert.equal(r.stdoutTruncated, true);
  assert.ok(r.stdout.length <= 100_000, `stdout kept ${r.stdout.length} bytes`);
  assert.ok(r.stdout.length > 50_000, 'output up to the limit is kept');
});

test('status: stdout and stderr share one output budget', async () => {
  const r = await runSource(runner(), 'python3', 'import sys\nwhile True:\n    sys.stderr.write("e" * 1000)\n', {
    limits: { outputBytes: 50_000 },
  });
  assert.equal(r.status, 'Output Limit Exceeded', show(r));
  assert.equal(r.stderrTruncated, true);
});

test('status: arguments reach the program', async () => {
  const r = await runSource(runner(), 'python3', 'import sys\nprint(sys.argv[1:])', { args: ['a b', '--x'] });
  assert.equal(r.stdout, "['a b', '--x']\n", show(r));
});
