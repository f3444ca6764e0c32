// Property-based contract checking: requests generated from the contract's schemas with fast-check.
import { createHash } from 'node:crypto';

export {
  DEFAULT_MAX_EXAMPLES,
  SHRINK_BUDGET,
  newSeed,
  runGenerated,
  type GeneratedContext,
  type GeneratedFailure,
  type GeneratedSummary,
  type GeneratedWarning,
} from './phase.js';
export { validCases, invalidCases, breakersFor, isValidCase, type GeneratedCase } from './requests.js';
export { arbitraryFor } from './valid.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `ct` and 6 characters from the seed: a replayed seed sends the same names (8 characters, like newRunPrefix). */
export function prefixFromSeed(seed: number): string {
  const digest = createHash('sha256').update(`live-platform-check:${seed}`).digest();
  return 'ct' + [...digest.subarray(0, 6)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}
