// Loads an ICPC/Kattis problem package folder (problem_format_version legacy, 2023-07-draft or
// 2025-09) into one typed model for the judge: limits, validation, and the test group tree.
// A broken package, or one using a feature the judge cannot honour yet, is a UsageError that names
// the file and the problem, never a silently different judgement. The parts live beside this file.
import path from 'node:path';
import { UsageError } from '../../errors';
import { parseMetadata } from './metadata';
import type { ProblemPackage, ProblemTest, TestGroup } from './model';
import { naturalCompare } from '../natural-sort';
import { findOutputValidator } from './output-validator';
import { PackageFs } from './package-fs';
import { loadTestData } from './test-data';
import { parseYaml, show } from './yaml-config';

export type { FormatVersion, OutputValidatorSource, ProblemPackage, ProblemTest, TestGroup, TestGroupSettings } from './model';

export function loadProblemPackage(dir: string): ProblemPackage {
  const fs = new PackageFs(dir);
  const text = fs.readConfig('problem.yaml');
  if (text === undefined) throw new UsageError(`${dir}: not a problem package (it has no problem.yaml)`);
  const meta = parseMetadata(parseYaml(text, 'problem.yaml'));
  if (fs.kind('include') === 'dir') throw new UsageError('include/: files included into submissions are not supported yet');
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
  };
  if (meta.name !== undefined) p.name = meta.name;
  if (seconds !== undefined) p.timeLimitMs = Math.round(seconds * 1000);
  if (meta.memoryMb !== undefined) p.memoryMb = meta.memoryMb;
  if (meta.outputMb !== undefined) p.outputMb = meta.outputMb;
  if (meta.codeKb !== undefined) p.codeKb = meta.codeKb;
  if (meta.languages !== undefined) p.languages = meta.languages;
  if (outputValidator) p.outputValidator = outputValidator;
  return p;
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
