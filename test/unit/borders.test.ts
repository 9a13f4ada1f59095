// The architecture's borders, checked on the import graph (the part-level ones are also refused by
// the compiler: each part is its own TypeScript project). protocol/ imports no other part; the runner
// only the protocol; the language server only the protocol and the runner's two doors; the extension
// only the protocol. And no module imports itself through a cycle, type-only imports included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const PARTS = ['protocol', 'runner', 'server', 'client'] as const;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every relative import of a file (static, re-export, type-only, dynamic), resolved to a repository path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  );
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => {
      const base = path.resolve(path.dirname(file), s);
      for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
        try {
          if (statSync(candidate).isFile()) return path.relative(root, candidate);
        } catch {
          // next candidate
        }
      }
      return path.relative(root, base);
    });
}

const graph = new Map<string, string[]>();
for (const part of PARTS) for (const f of files(path.join(root, part))) graph.set(path.relative(root, f), importsOf(f));

const partOf = (p: string) => p.split(path.sep)[0]!;

/** What each part may import outside itself. */
const ALLOWED: Record<(typeof PARTS)[number], (target: string) => boolean> = {
  protocol: () => false,
  runner: (t) => partOf(t) === 'protocol' || t.endsWith('.json'),
  server: (t) => partOf(t) === 'protocol' || t === 'runner/index.ts' || t === 'runner/judge/tests.ts',
  client: (t) => partOf(t) === 'protocol',
};

test("borders: each part imports only what it may (protocol nothing; runner the protocol; server the protocol and the runner's doors; client the protocol)", () => {
  assert.ok(graph.size > 60, `read ${graph.size} modules`);
  const crossings: string[] = [];
  for (const [file, targets] of graph) {
    const part = partOf(file) as (typeof PARTS)[number];
    for (const t of targets) if (partOf(t) !== part && !ALLOWED[part](t)) crossings.push(`${file} → ${t}`);
  }
  assert.deepEqual(crossings, []);
});

/** The runner modules outside `folder` that its modules import, but those `allowed`. */
function crossingsOf(folder: string, allowed: string[]): string[] {
  const modules = [...graph].filter(([file]) => file.startsWith(path.join('runner', folder) + path.sep));
  assert.ok(modules.length >= 3, `read ${modules.length} modules of runner/${folder}`);
  return modules.flatMap(([file, targets]) =>
    targets
      .filter((t) => partOf(t) === 'runner' && !allowed.includes(t) && !t.startsWith(path.join('runner', folder) + path.sep))
      .map((t) => `${file} → ${t}`),
  );
}

test('borders: the classroom service reaches the rest of the runner only through its front door (and the MCP routes)', () => {
  assert.deepEqual(crossingsOf('service', ['runner/index.ts', 'runner/mcp/http.ts']), []);
});

test('borders: the MCP server reaches the runner only through its front door', () => {
  assert.deepEqual(crossingsOf('mcp', ['runner/index.ts']), []);
});

test("borders: the daemon is the service in local mode (and the CLI's quick path for the native client): it reaches the runner only through the service's serve.ts", () => {
  assert.deepEqual(crossingsOf('daemon', ['runner/service/serve.ts', 'runner/cli/quick.ts', 'runner/cli/io.ts']), []);
});

test('borders: no import cycles, type-only imports included', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  assert.deepEqual(cycles, []);
});
