import type { Metadata } from './metadata';
import type { OutputValidatorSource } from './model';
import type { PackageFs } from './package-fs';
export interface Validation {
  validation: 'default' | 'custom';
  outputValidator?: OutputValidatorSource;
}
export declare function findOutputValidator(fs: PackageFs, meta: Metadata): Validation;
