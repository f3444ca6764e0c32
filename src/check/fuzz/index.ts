// Property-based contract checking: requests generated from the contract's schemas with fast-check.
export { DEFAULT_MAX_EXAMPLES, SHRINK_BUDGET, newSeed, runGenerated } from './phase.js';
export type { GeneratedContext } from './context.js';
export type { GeneratedFailure, GeneratedSummary, GeneratedWarning } from '../types.js';
export { validCases, invalidCases, breakersFor, isValidCase, type GeneratedCase } from './requests.js';
export { arbitraryFor } from './valid.js';
