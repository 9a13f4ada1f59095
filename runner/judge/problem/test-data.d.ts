import type { Metadata } from './metadata';
import type { TestGroup } from './model';
import type { PackageFs } from './package-fs';
export declare function loadTestData(fs: PackageFs, meta: Metadata): TestGroup;
