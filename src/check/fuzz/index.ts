// Property-based contract checking: requests generated from the contract's schemas with fast-check.
import { createHash } from 'node:crypto';
import { prefixFrom } from '../names.js';

export { DEFAULT_MAX_EXAMPLES, SHRINK_BUDGET, newSeed, runGenerated } from './phase.js';
export type { GeneratedContext } from './context.js';
export type { GeneratedFailure, GeneratedSummary, GeneratedWarning } from '../types.js';
export { validCases, invalidCases, breakersFor, isValidCase, type GeneratedCase } from './requests.js';
export { arbitraryFor } from './valid.js';

/** The run prefix from the seed: a replayed seed sends the same names (the form of newRunPrefix). */
export function prefixFromSeed(seed: number): string {
  return prefixFrom(createHash('sha256').update(`live-platform-check:${seed}`).digest());
}
