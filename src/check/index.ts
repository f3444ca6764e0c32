// The contract checker: `live-platform check` as a library. Cases come from the bundled contract;
// every response gets the checks Schemathesis names; the stateful workflows run where state exists.
export {
  checkTarget,
  DEFAULT_PHASE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type CheckProgress,
  type CheckTargetOptions,
} from './run.js';
export { checkEmbedded, embeddedPlan, type EmbeddedCheckOptions } from './embedded.js';
export { renderText, type TextReportOptions } from './report-text.js';
export { renderJUnit, renderJson, redact, xmlEscape } from './report-files.js';
export { isConformant, counts } from './summary.js';
export { allCases, casesFor, isWrite, type CheckCase, type CaseKind } from './cases.js';
export { mutationsOf, type Mutation } from './mutations.js';
export { evidenceOf, isLenient, type Evidence } from './evidence.js';
export { ConnectionError } from './http.js';
export {
  DEFAULT_MAX_EXAMPLES,
  type GeneratedFailure,
  type GeneratedSummary,
  type GeneratedWarning,
} from './fuzz/index.js';
export {
  CHECK_NAMES,
  type CheckName,
  type CheckOutcome,
  type CheckRequest,
  type CheckResponse,
  type CreatedEntity,
  type Exchange,
  type TargetKind,
  type TargetReport,
  type Verdict,
} from './types.js';
