// Property-based contract checking: requests generated from the contract's schemas with fast-check.
export { DEFAULT_MAX_EXAMPLES, DEFAULT_MAX_FOLLOWED_TASKS, newSeed, runGenerated } from './phase.js';
export type { GeneratedFailure, GeneratedSummary, GeneratedWarning } from '../types.js';
export { validCases, invalidCases, isValidCase } from './requests.js';
