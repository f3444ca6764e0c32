// Property-based contract checking: requests generated from the contract's schemas with fast-check.
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
