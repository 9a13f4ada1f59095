// Finds the custom output validator (or interactor) of a package and decides the validation mode.
// Legacy packages keep validators in output_validators/<name>/ and say `validation: custom`;
// 2023-07-draft and 2025-09 have one validator in output_validator/ whose presence means custom.
import path from 'node:path';
import { UsageError } from '../../errors';
import type { Metadata } from './metadata';
import type { OutputValidatorSource } from './model';
import type { PackageFs } from './package-fs';

export interface Validation {
  validation: 'default' | 'custom';
  outputValidator?: OutputValidatorSource;
}

export function findOutputValidator(fs: PackageFs, meta: Metadata): Validation {
  const legacy = meta.formatVersion === 'legacy';
  const folder = legacy ? 'output_validators' : 'output_validator';
  const other = legacy ? 'output_validator' : 'output_validators';
  const kind = fs.kind(folder);
  if (kind === 'file') throw new UsageError(`${folder}: must be a folder`);
  const found = kind === 'dir' ? program(fs, folder, legacy) : undefined;

  // Version mismatches are easy to make when converting a package, and would otherwise silently
  // judge with the default validator: say which folder this version reads.
  if (!found && fs.kind(other) === 'dir') {
    throw new UsageError(
      `${other}/: this ${meta.formatVersion} package must keep its output validator in ${folder}/ (${other}/ belongs to ${legacy ? '2023-07-draft and later' : 'the legacy format'})`,
    );
  }
  if (meta.validation === 'custom' && !found) {
    throw new UsageError(`problem.yaml: validation is 'custom' but ${folder}/ holds no validator`);
  }
  if (meta.validation === 'default' && found) {
    throw new UsageError(
      `problem.yaml: validation is 'default' but ${folder}/ holds a validator; set validation: custom to use it, or remove it`,
    );
  }
  if (meta.passes !== undefined && !found) {
    throw new UsageError(`${folder}/: multi-pass problems need an output validator there (it writes each next pass's input)`);
  }
  if (meta.interactive && !found) {
    throw new UsageError(`${folder}/: interactive problems need an interactor there (the custom output validator talks to the submission)`);
  }
  return found ? { validation: 'custom', outputValidator: found } : { validation: 'default' };
}

/** The one validator program in `folder`: a single file, or a folder of files. */
function program(fs: PackageFs, folder: string, legacy: boolean): OutputValidatorSource | undefined {
  const entries = fs.list(folder).sort();
  if (entries.length === 0) return undefined;
  let dir = folder;
  if (legacy) {
    // Legacy allows several validators that must all accept; one is what judges use in practice.
    if (entries.length > 1)
      throw new UsageError(
        `${folder}/: holds ${entries.length} validators (${entries.join(', ')}); running several output validators is not supported yet`,
      );
    if (fs.kind(path.join(folder, entries[0]!)) === 'dir') dir = path.join(folder, entries[0]!);
  } else if (entries.length === 1 && fs.kind(path.join(folder, entries[0]!)) === 'dir') {
    // output_validator/ is itself the program, but problemtools' examples nest one more folder
    // (output_validator/guess_validator/validate.cc); a lone subfolder can only mean that.
    dir = path.join(folder, entries[0]!);
  }
  const files = fs.listFilesDeep(dir);
  if (files.length === 0) throw new UsageError(`${fs.shown(dir)}/: the output validator has no files`);
  // DOMjudge-style build/run scripts make the folder a program of its own kind (spec: "Programs").
  const scripts = files.includes('build') || files.includes('run');
  return { dir: fs.resolve(dir)!, files, ...(scripts ? { scripts } : {}) };
}
