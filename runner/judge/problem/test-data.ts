// Walks data/ into the tree of test groups and test cases, in judging order (sample, then secret,
// natural order within), with each test's settings. Legacy and 2023-07-draft make every folder a
// group; in 2025-09 only data/sample, data/secret and folders of secret with a test_group.yaml are
// groups, and tests in other folders belong to the group around them.
import path from 'node:path';
import { UsageError } from '../../errors';
import {
  type GroupRole,
  type TestdataYaml,
  inheritTestdata,
  legacySettings,
  parseTestdataYaml,
  parseTestGroupYaml,
  settings2025,
  testCaseSettings,
} from './group-config';
import { substituteConstants, type Metadata } from './metadata';
import type { ProblemTest, TestGroup, TestGroupSettings } from './model';
import { naturalCompare } from '../natural-sort';
import type { PackageFs } from './package-fs';
import { parseYaml } from './yaml-config';

/** Folders of data/ that hold validator tests, not tests to judge submissions on. */
const VALIDATION_FOLDERS = new Set(['invalid_input', 'invalid_answer', 'invalid_output', 'valid_output']);
/** The spec's file-name rule; names breaking it would be ignored by judges, so say so instead. */
const VALID_NAME = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,254}$/;

export function loadTestData(fs: PackageFs, meta: Metadata): TestGroup {
  if (fs.kind('data') !== 'dir') throw new UsageError('data/: missing; a package keeps its tests in data/sample/ and data/secret/');
  for (const name of fs.list('data')) {
    const rel = path.join('data', name);
    const kind = fs.kind(rel);
    if (kind === 'dir' && name !== 'sample' && name !== 'secret' && !VALIDATION_FOLDERS.has(name)) {
      throw new UsageError(`data/${name}/: unknown test data folder; tests go in data/sample/ or data/secret/`);
    }
    if (kind === 'file' && /\.(in|ans)$/.test(name))
      throw new UsageError(`data/${name}: tests go in data/sample/ or data/secret/, not directly in data/`);
  }
  const walker = meta.formatVersion === '2025-09' ? new Walker2025(fs, meta) : new LegacyWalker(fs, meta);
  const data = walker.root();
  // Practice packages often have samples only (data/secret/ empty or missing): judged on what is
  // there, and the result names the groups that ran. A package with no test at all is refused.
  data.groups = data.groups.filter((g) => countTests(g) > 0);
  if (data.groups.length === 0)
    throw new UsageError('data/: holds no tests in data/sample/ or data/secret/ (each test is a .in file with a .ans file beside it)');
  return data;
}

const countTests = (g: TestGroup): number => g.tests.length + g.groups.reduce((n, c) => n + countTests(c), 0);

/** What one folder holds: test cases (by base name) and subfolders. */
interface Listing {
  tests: Array<{ base: string; input: string; answer: string }>;
  dirs: string[];
  files: Set<string>;
}

abstract class Walker {
  /** Real paths of the folders being walked, to refuse symlink cycles. */
  private readonly open = new Set<string>();

  constructor(
    protected readonly fs: PackageFs,
    protected readonly meta: Metadata,
  ) {}

  abstract root(): TestGroup;

  protected enter<T>(rel: string, body: () => T): T {
    const real = this.fs.resolve(rel)!;
    if (this.open.has(real)) throw new UsageError(`${this.fs.shown(rel)}: symlinks form a cycle`);
    this.open.add(real);
    try {
      return body();
    } finally {
      this.open.delete(real);
    }
  }

  /** Lists a data folder: pairs each .in with its .ans, following links inside the package. */
  protected listing(rel: string): Listing {
    const names = this.fs.list(rel);
    const files = new Set<string>();
    const dirs: string[] = [];
    for (const name of names) {
      const kind = this.fs.kind(path.join(rel, name));
      if (kind === 'dir') {
        if (name.endsWith('.files') && this.meta.formatVersion !== 'legacy') {
          throw new UsageError(`${this.fs.shown(path.join(rel, name))}/: test input files (.files) are not supported yet`);
        }
        dirs.push(name);
      } else if (kind === 'file') files.add(name);
      else if (/\.(in|ans)$/.test(name)) throw new UsageError(`${this.fs.shown(path.join(rel, name))}: must be a file`);
    }
    const tests: Listing['tests'] = [];
    for (const name of files) {
      const shown = this.fs.shown(path.join(rel, name));
      if (name.endsWith('.ans') && !files.has(`${name.slice(0, -4)}.in`))
        throw new UsageError(`${shown}: has no input file ${name.slice(0, -4)}.in beside it`);
      if (!name.endsWith('.in')) continue;
      const base = name.slice(0, -3);
      if (!VALID_NAME.test(name))
        throw new UsageError(
          `${shown}: a test's file name must start with a letter, a digit or '_', then use only letters, digits, '_', '.' and '-' (at most 255 characters)`,
        );
      if (!files.has(`${base}.ans`)) throw new UsageError(`${shown}: has no answer file ${base}.ans beside it`);
      tests.push({ base, input: this.fs.resolve(path.join(rel, name))!, answer: this.fs.resolve(path.join(rel, `${base}.ans`))! });
    }
    tests.sort((a, b) => naturalCompare(a.base, b.base));
    dirs.sort(naturalCompare);
    return { tests, dirs, files };
  }

  /** The settings for one test: its group's, or its own <case>.yaml (2023-07-draft and later). */
  protected testSettings(rel: string, base: string, files: Set<string>, group: TestGroupSettings): TestGroupSettings {
    if (this.meta.formatVersion === 'legacy' || !files.has(`${base}.yaml`)) return group;
    const file = this.fs.shown(path.join(rel, `${base}.yaml`));
    return testCaseSettings(
      parseYaml(this.readConfig(path.join(rel, `${base}.yaml`))!, file),
      file,
      group,
      this.meta.formatVersion === '2023-07-draft',
    );
  }

  /** A config file's text with the package's constants substituted ({{name}}), as 2025-09 does for test_group.yaml. */
  protected readConfig(rel: string): string | undefined {
    const text = this.fs.readConfig(rel);
    return text === undefined ? undefined : substituteConstants(text, this.meta.constants);
  }

  protected test(segs: string[], groupPath: string[], t: Listing['tests'][number], settings: TestGroupSettings): ProblemTest {
    return { name: [...segs, t.base].join('/'), input: { path: t.input }, answer: { path: t.answer }, group: groupPath, settings };
  }
}

/** Legacy and 2023-07-draft: every folder is a group; testdata.yaml keys inherit key by key. */
class LegacyWalker extends Walker {
  private readonly flags = this.meta.validatorFlags;

  root(): TestGroup {
    return this.group([], {});
  }

  private group(segs: string[], parent: TestdataYaml): TestGroup {
    const rel = path.join('data', ...segs);
    return this.enter(rel, () => {
      const { own, file } = this.config(rel);
      const effective = inheritTestdata(parent, own);
      const settings = legacySettings(effective, this.flags, this.meta.scoring, file);
      const { tests, dirs, files } = this.listing(rel);
      // At the top only sample and secret are judged (loadTestData refused anything else but the
      // validator test folders); data/*.in files were refused there too.
      const subdirs = segs.length === 0 ? ['sample', 'secret'].filter((d) => dirs.includes(d)) : dirs;
      return {
        name: segs.join('/'),
        path: segs,
        settings,
        tests: tests.map((t) => this.test(segs, segs, t, this.testSettings(rel, t.base, files, settings))),
        groups: subdirs.map((d) => this.group([...segs, d], effective)),
      };
    });
  }

  private config(rel: string): { own?: TestdataYaml; file: string } {
    // 2023-07-draft was renamed to test_group.yaml late in its life; packages of that time have either.
    const names = this.meta.formatVersion === '2023-07-draft' ? ['testdata.yaml', 'test_group.yaml'] : ['testdata.yaml'];
    const present = names.filter((n) => this.fs.kind(path.join(rel, n)) === 'file');
    if (present.length > 1) throw new UsageError(`${this.fs.shown(rel)}/: has both testdata.yaml and test_group.yaml; keep one`);
    const name = present[0];
    const file = this.fs.shown(path.join(rel, name ?? 'testdata.yaml'));
    if (!name) return { file };
    return { own: parseTestdataYaml(parseYaml(this.readConfig(path.join(rel, name))!, file), file, this.meta.scoring), file };
  }
}

/** 2025-09: groups are sample, secret and secret's folders with a test_group.yaml. */
class Walker2025 extends Walker {
  root(): TestGroup {
    const data = this.groupConfig('data', 'data', undefined, undefined);
    const groups: TestGroup[] = [];
    if (this.fs.kind(path.join('data', 'sample')) === 'dir') groups.push(this.group(['sample'], 'sample', data, undefined));
    const secret = this.fs.kind(path.join('data', 'secret')) === 'dir' ? this.group(['secret'], 'secret', data, undefined) : undefined;
    if (secret) groups.push(secret);
    const names = new Set(['sample', ...(secret?.groups.map((g) => g.name) ?? [])]);
    for (const g of secret ? [secret, ...secret.groups] : []) {
      for (const req of g.settings.requirePass ?? []) {
        if (!names.has(req) || (req !== 'sample' && naturalCompare(req, g.name) >= 0)) {
          throw new UsageError(
            `data/${g.name}/test_group.yaml: require_pass names '${req}', which is not sample or an earlier test data group`,
          );
        }
      }
    }
    return { name: '', path: [], settings: data, tests: [], groups };
  }

  private groupConfig(
    rel: string,
    role: GroupRole,
    parent: TestGroupSettings | undefined,
    secret: TestGroupSettings | undefined,
  ): TestGroupSettings {
    const file = this.fs.shown(path.join(rel, 'test_group.yaml'));
    if (this.fs.kind(path.join(rel, 'testdata.yaml')) === 'file')
      throw new UsageError(
        `${this.fs.shown(path.join(rel, 'testdata.yaml'))}: 2025-09 renamed testdata.yaml to test_group.yaml (with new keys)`,
      );
    const text = this.readConfig(path.join(rel, 'test_group.yaml'));
    const own = text === undefined ? undefined : parseTestGroupYaml(parseYaml(text, file), file, role, this.meta.scoring);
    return settings2025(own, parent, role, this.meta.scoring, secret, file);
  }

  private group(segs: string[], role: GroupRole, parent: TestGroupSettings, secret: TestGroupSettings | undefined): TestGroup {
    const rel = path.join('data', ...segs);
    return this.enter(rel, () => {
      const settings = this.groupConfig(rel, role, parent, secret);
      const tests: ProblemTest[] = [];
      const groups: TestGroup[] = [];
      const { tests: own, dirs, files } = this.listing(rel);
      const groupDirs = role === 'secret' ? dirs.filter((d) => this.fs.kind(path.join(rel, d, 'test_group.yaml')) === 'file') : [];
      if (groupDirs.length > 0) {
        // The spec keeps secret/ either all groups or all tests, so every test has exactly one group.
        if (own.length > 0)
          throw new UsageError(
            `data/secret/: has both test data groups (${groupDirs.join(', ')}) and tests (${own[0]!.base}.in); put the tests in a group`,
          );
        const plain = dirs.filter((d) => !groupDirs.includes(d));
        if (plain.length > 0)
          throw new UsageError(`data/secret/${plain[0]}/: has no test_group.yaml, but its siblings are test data groups; add one`);
        for (const d of groupDirs) groups.push(this.group([...segs, d], 'group', settings, settings));
      } else {
        this.collect(rel, segs, segs, settings, { tests: own, dirs, files }, tests);
      }
      return { name: segs.join('/'), path: segs, settings, tests, groups };
    });
  }

  /** Adds the tests of a folder and its plain subfolders to the group around them, in natural order. */
  private collect(
    rel: string,
    segs: string[],
    groupPath: string[],
    settings: TestGroupSettings,
    listing: Listing,
    out: ProblemTest[],
  ): void {
    const items = [...listing.tests.map((t) => ({ key: t.base, t })), ...listing.dirs.map((d) => ({ key: d, d }))];
    items.sort((a, b) => naturalCompare(a.key, b.key));
    for (const item of items) {
      if ('t' in item) {
        out.push(this.test(segs, groupPath, item.t, this.testSettings(rel, item.t.base, listing.files, settings)));
        continue;
      }
      const sub = path.join(rel, item.d);
      if (this.fs.kind(path.join(sub, 'test_group.yaml')) === 'file') {
        throw new UsageError(
          `${this.fs.shown(sub)}/test_group.yaml: test data groups can only be folders of data/secret/ (they do not nest)`,
        );
      }
      this.enter(sub, () => this.collect(sub, [...segs, item.d], groupPath, settings, this.listing(sub), out));
    }
  }
}
