import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExecutionSpec, LIMITS } from '../../runner/spec';
import { classify, type Execution } from '../../runner/verdicts';

const file = { name: 'a.py', content: 'print(1)' };

test('spec: defaults are CPU 2 s, wall 3x CPU + 1 s, 256 MiB, 64 processes, 1 MiB output, 64 MiB disk', () => {
  const s = ExecutionSpec.parse({ language: 'python3', files: [file] });
  assert.deepEqual(s.limits, { cpuMs: 2000, wallMs: 7000, memoryMb: 256, processes: 64, outputBytes: 1048576, diskMb: 64, openFiles: 64 });
  assert.equal(ExecutionSpec.parse({ language: 'c', files: [file], limits: { cpuMs: 500 } }).limits.wallMs, 2500);
});

test('spec: limits above their ceiling are refused', () => {
  for (const [key, max] of [
    ['cpuMs', LIMITS.cpuMs.max],
    ['memoryMb', LIMITS.memoryMb.max],
    ['processes', LIMITS.processes.max],
    ['outputBytes', LIMITS.outputBytes.max],
    ['diskMb', LIMITS.diskMb.max],
    ['openFiles', LIMITS.openFiles.max],
  ] as const) {
    assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [file], limits: { [key]: max } }).success, true, key);
    assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [file], limits: { [key]: max + 1 } }).success, false, key);
  }
});

test('spec: file names with directories, empty file lists and unknown fields are refused', () => {
  assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [{ name: '../x.c', content: '' }] }).success, false);
  assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [{ name: 'a/b.c', content: '' }] }).success, false);
  assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [] }).success, false);
  assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [file], extra: 1 }).success, false);
  assert.equal(ExecutionSpec.safeParse({ language: 'c', files: [{ name: 'big.c', content: 'x'.repeat(1024 * 1024 + 1) }] }).success, false);
});

const base: Execution = {
  exitCode: 0,
  signal: null,
  cpuMs: 10,
  wallMs: 12,
  memoryKb: 1000,
  limit: 'none',
  oomKilled: false,
  stdout: Buffer.alloc(0),
  stderr: Buffer.alloc(0),
  stdoutTruncated: false,
  stderrTruncated: false,
};
const limits = { cpuMs: 1000, wallMs: 4000, memoryMb: 64, outputBytes: 100 };

test('verdicts: each measurement maps to exactly one status, in priority order', () => {
  const cases: Array<[Partial<Execution>, string]> = [
    [{}, 'Accepted'],
    [{ exitCode: 1 }, 'Runtime Error'],
    [{ exitCode: null, signal: 'SIGSEGV' }, 'Runtime Error'],
    [{ cpuMs: 1001 }, 'Time Limit Exceeded'],
    [{ limit: 'cpu', exitCode: null, signal: 'SIGKILL' }, 'Time Limit Exceeded'],
    [{ limit: 'wall', exitCode: null, signal: 'SIGKILL' }, 'Time Limit Exceeded'],
    // A signal is TLE only when the limit was reached: a program may raise SIGXCPU itself.
    [{ exitCode: null, signal: 'SIGXCPU' }, 'Runtime Error'],
    [{ exitCode: null, signal: 'SIGXCPU', cpuMs: 1500 }, 'Time Limit Exceeded'],
    [{ limit: 'memory', exitCode: null, signal: 'SIGKILL' }, 'Memory Limit Exceeded'],
    [{ limit: 'memory', cpuMs: 5000, exitCode: null, signal: 'SIGKILL' }, 'Memory Limit Exceeded'],
    [{ oomKilled: true, exitCode: null, signal: 'SIGKILL' }, 'Memory Limit Exceeded'],
    [{ memoryKb: 64 * 1024 + 1 }, 'Memory Limit Exceeded'],
    [{ limit: 'output', oomKilled: true, exitCode: null, signal: 'SIGKILL' }, 'Output Limit Exceeded'],
  ];
  for (const [change, status] of cases) assert.equal(classify({ ...base, ...change }, limits).status, status, JSON.stringify(change));
});

test("verdicts: a runtime's out-of-memory words on stderr of a failed run are MLE; the runtime's allowance is on top of the limit", () => {
  const java = { runtimeMb: 64, runtimeName: 'Java', outOfMemory: [/java\.lang\.OutOfMemoryError/] };
  const oom = Buffer.from('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n');
  assert.equal(classify({ ...base, exitCode: 1, stderr: oom }, limits, java).status, 'Memory Limit Exceeded');
  assert.equal(classify({ ...base, exitCode: 0, stderr: oom }, limits, java).status, 'Accepted', 'only a failed run');
  assert.equal(classify({ ...base, exitCode: 1, stderr: oom }, limits).status, 'Runtime Error', 'only where the language says so');
  assert.equal(classify({ ...base, memoryKb: 100 * 1024 }, limits, java).status, 'Accepted', '64 + 64 MiB allowed');
  const over = classify({ ...base, memoryKb: 129 * 1024 }, limits, java);
  assert.equal(over.status, 'Memory Limit Exceeded');
  assert.match(over.message ?? '', /64 MiB .*\+64 MiB for the Java runtime/);
});
