// Loads an ICPC/Kattis problem package folder (problem_format_version legacy, 2023-07-draft or
// 2025-09) into one typed model for the judge: limits, validation, and the test group tree.
// A broken package, or one using a feature the judge cannot honour yet, is a UsageError that names
// the file and the problem, never a silently different judgement. The parts live beside this file.
import path from 'node:path';
import { UsageError } from '../../errors';
import { parseMetadata } from './metadata';
import type { IncludedFiles, ProblemPackage, ProblemTest, TestGroup } from './model';
import { naturalCompare } from '../natural-sort';
import { findOutputValidator } from './output-validator';
import { PackageFs } from './package-fs';
import { loadTestData } from './test-data';
import { parseYaml, show } from './yaml-config';

export type {
  FormatVersion,
  IncludedFiles,
  OutputValidatorSource,
  ProblemPackage,
  ProblemTest,
  TestGroup,
  TestGroupSettings,
} from './model';

export function loadProblemPackage(dir: string): ProblemPackage {
  const fs = new PackageFs(dir);
  const text = fs.readConfig('problem.yaml');
  if (text === undefined) throw new UsageError(`${dir}: not a problem package (it has no problem.yaml)`);
  const meta = parseMetadata(parseYaml(text, 'problem.yaml'));
  const { validation, outputValidator } = findOutputValidator(fs, meta);
  const data = loadTestData(fs, meta);
  // problem.yaml's time_limit is the package's own word; .timelimit is what problemtools (and
  // Kattis) derive from the example submissions, so it only counts when the yaml is silent.
  const seconds = meta.timeLimitSeconds ?? timelimitFile(fs);
  const p: ProblemPackage = {
    root: fs.root,
    shortName: path.basename(fs.root),
    formatVersion: meta.formatVersion,
    interactive: meta.interactive,
    scoring: meta.scoring,
    allowFileWriting: meta.allowFileWriting,
    validation,
    data,
    objective: meta.objective,
    constants: meta.constants,
    standards: meta.standards,
  };
  const include = includedFiles(fs);
  if (include) p.include = include;
  if (meta.passes !== undefined) p.passes = meta.passes;
  if (meta.name !== undefined) p.name = meta.name;
  if (seconds !== undefined) p.timeLimitMs = Math.round(seconds * 1000);
  if (meta.memoryMb !== undefined) p.memoryMb = meta.memoryMb;
  if (meta.outputMb !== undefined) p.outputMb = meta.outputMb;
  if (meta.codeKb !== undefined) p.codeKb = meta.codeKb;
  if (meta.languages !== undefined) p.languages = meta.languages;
  if (outputValidator) p.outputValidator = outputValidator;
  return p;
}

/** include/<language>/ and include/default/: each a non-empty folder of files for submissions. */
function includedFiles(fs: PackageFs): Record<string, IncludedFiles> | undefined {
  const kind = fs.kind('include');
  if (kind === undefined) return undefined;
  if (kind !== 'dir') throw new UsageError('include/: must be a folder of folders (include/<language>/, include/default/)');
  const out: Record<string, IncludedFiles> = {};
  for (const name of fs.list('include').sort()) {
    const rel = path.join('include', name);
    if (fs.kind(rel) !== 'dir') throw new UsageError(`include/${name}: must be a folder (include/<language>/ or include/default/)`);
    const files = fs.listFilesDeep(rel);
    if (files.length === 0) throw new UsageError(`include/${name}/: must not be empty`);
    const nested = files.find((f) => f.includes('/'));
    if (nested) throw new UsageError(`include/${name}/${nested}: included files must sit directly in include/${name}/`);
    out[name] = { dir: fs.resolve(rel)!, files };
  }
  return Object.keys(out).length ? out : undefined;
}

/** Every test of the package in judging order, each with the settings that apply to it. */
export function allTests(p: ProblemPackage): ProblemTest[] {
  const out: ProblemTest[] = [];
  const walk = (g: TestGroup): void => {
    // Tests and subgroups of a folder interleave by name, as the spec orders them.
    const prefix = g.path.length;
    const items = [
      ...g.tests.map((t) => ({ key: t.name.split('/').slice(prefix), t })),
      ...g.groups.map((s) => ({ key: s.path.slice(prefix), s })),
    ];
    items.sort((a, b) => compareSegments(a.key, b.key));
    for (const item of items) {
      if ('t' in item) out.push(item.t);
      else walk(item.s);
    }
  };
  walk(p.data);
  return out;
}

function compareSegments(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = naturalCompare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** The `.timelimit` file problemtools writes at the package root: a number of seconds. */
function timelimitFile(fs: PackageFs): number | undefined {
  const text = fs.readConfig('.timelimit');
  if (text === undefined) return undefined;
  const seconds = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`.timelimit: must be a positive number of seconds, got ${show(text.trim())}`);
  return seconds;
}
