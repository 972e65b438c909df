import type { FuzzKind } from '../fuzzCase.js';
import { modelDirectoryKind } from './modelDirectory.js';
import { numericFlagsKind } from './numericFlags.js';
import { schemaFileKind } from './schemaFile.js';
import { seedFileKind } from './seedFile.js';
import { trainingFileKind } from './trainingFile.js';
import { whereKind } from './whereConditions.js';

/**
 * Every input kind the fuzzer knows, by name. A new input is one more module exporting a
 * FuzzKind, listed here.
 */
export const FUZZ_KINDS: readonly FuzzKind[] = [modelDirectoryKind, trainingFileKind, schemaFileKind, seedFileKind, numericFlagsKind, whereKind];

export function findKind(name: string): FuzzKind | undefined {
  return FUZZ_KINDS.find((k) => k.name === name);
}
