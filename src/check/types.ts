// The checker's vocabulary: every phase and reporter imports these, and this file imports no phase.
import type { OperationInfo } from '../contract/index.js';
import type { Evidence } from './evidence.js';

/** The checks, under the names Schemathesis gives them, plus the workflow checks of this API. */
export const CHECK_NAMES = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'ignored_auth',
  'unsupported_method',
  'max_response_time',
  'task_lifecycle',
  'duplicate_refused',
  'already_converted',
] as const;

export type CheckName = (typeof CHECK_NAMES)[number];

/**
 * What a case tests. `workflow`: a request the stateful phases send (a task poll, a step), which
 * gets the checks every response gets; `criteria`: a workflow step's success criteria, judged by
 * the check the step names.
 */
export type CaseKind =
  'positive' | 'negative' | 'auth-none' | 'auth-wrong' | 'method' | 'workflow' | 'criteria';

/** An Arazzo success criterion: `$statusCode == 200`, or a jsonpath condition on the body. */
export interface Criterion {
  condition: string;
  context?: string;
  type?: string;
}

/** The values a workflow's runtime expressions read ($statusCode, $response.body, $inputs, $steps). */
export interface ExpressionScope {
  inputs: Record<string, unknown>;
  steps: Record<string, Record<string, unknown>>;
  statusCode?: number;
  body?: unknown;
}

/** Everything a check may know about the request behind a response. */
export interface CheckContext {
  operation: OperationInfo;
  caseName: string;
  kind: CaseKind;
  targetKind: TargetKind;
  maxResponseTimeMs?: number;
  /** Negative cases: what the broken constraint rests on. */
  evidence?: Evidence;
  /** Fail lenient cases and answers too (--strict) instead of reporting them as warnings. */
  strict?: boolean;
  /**
   * The request's ids and names were generated, so the server may not hold the ids (404) and may
   * already hold the names (409) without refusing valid data.
   */
  stateUnknown?: boolean;
  /**
   * `criteria` cases: the step whose success criteria are judged, the values their expressions
   * read, and the check they stand for (the workflow's `x-check`), if any.
   */
  step?: { stepId: string; criteria: Criterion[]; scope: ExpressionScope; check?: CheckName };
}

/**
 * What the checker may assume about a target. `mock`: Prism, stateless, accepts any bearer.
 * `sandbox`: the project's stateful sandbox with its control plane. `live`: anything else, where
 * nothing that writes is sent without allowWrites.
 */
export type TargetKind = 'mock' | 'sandbox' | 'live';

export interface CheckRequest {
  method: string;
  /** Path and query, e.g. `/api/v2/task/tsk_185510`. */
  path: string;
  /** Which credentials go with it: the run's token, none, or a made-up token that must be refused. */
  auth: 'token' | 'none' | 'wrong';
  body?: unknown;
}

export interface CheckResponse {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  /** The body as text, the token redacted, then cut to a few KiB for reports. */
  bodyExcerpt: string;
  /**
   * Whether the body parsed as JSON. The parsed body itself is not kept: a report needs only the
   * excerpt, and a run of many large answers must not hold them all.
   */
  isJson: boolean;
  /** Set when the body was too large to parse (over 1 MiB, or cut at the 4 MiB cap): its size. */
  unparsedBytes?: number;
  elapsedMs: number;
}

export interface Exchange {
  request: CheckRequest;
  response?: CheckResponse;
  /** Set when no response came (refused, reset, timed out). */
  networkError?: string;
}

/**
 * `lenient`: what the server did breaks only rules resting on our own decision or an ASP.NET default,
 * not on the vendor (src/check/evidence.ts): it accepted such a negative case, or its answer breaks
 * only such response rules. A warning: it fails only with --strict.
 */
export type Verdict = 'passed' | 'failed' | 'skipped' | 'lenient';

/** One check applied to one case. */
export interface CheckOutcome {
  operationId: string;
  check: CheckName;
  verdict: Verdict;
  /** The case this came from, e.g. `negative: /customerShortName minLength`. */
  caseName: string;
  /** Why it failed or was skipped; Ajv instance paths for schema failures. */
  reason?: string;
  /**
   * What the broken constraint rests on (`vendor-table`, `ours`, ...): the request's for a negative
   * case, the response rule's for a lenient (or --strict) response_schema_conformance.
   */
  evidence?: Evidence;
  exchange?: Exchange;
}

export interface CreatedEntity {
  operationId: string;
  /** The names the request carried, all starting with the run prefix. */
  names: string[];
  /** What the server answered with: a customer id, a task id. */
  id?: string;
  /**
   * What exists now: `created` (a 2xx without a task, or a task that ended CompletedSuccess),
   * `failed` (the task ended CompletedFailed), `already-converted` (the lead was converted before:
   * nothing new), `unknown` (a task that was not followed to its end: the entity may exist).
   */
  result?: 'created' | 'failed' | 'already-converted' | 'unknown';
}

export interface TargetReport {
  /** The generated phase (property-based cases), when it ran: its seed, findings and warnings. */
  generated?: GeneratedSummary;
  target: { name: string; kind: TargetKind; url: string };
  runPrefix: string;
  outcomes: CheckOutcome[];
  created: CreatedEntity[];
  requests: number;
  durationMs: number;
  /**
   * A mistake in the run's setup rather than in the server (a refused token, a base URL that is not
   * the API root), with what to do; the CLI exits 2 with it.
   */
  setupProblem?: string;
  /** Why the run ended before every case ran (interrupted, a phase deadline); absent when it did not. */
  incomplete?: string;
}

export interface GeneratedFailure {
  operationId: string;
  kind: 'valid' | 'invalid' | 'sequence';
  /** The broken keyword of an invalid case, or the sequence step. */
  label?: string;
  /** The smallest request that still fails. */
  request: CheckRequest;
  numShrinks: number;
  checks: CheckName[];
  /** From the start of the generated phase to the first failing request (before shrinking). */
  firstFailureMs?: number;
  /** Which request of its property first failed (1 = the first one sent). */
  firstFailureAt?: number;
}

export interface GeneratedWarning {
  operationId: string;
  /** `/fullName maxLength`: the rule a server did not enforce. */
  label: string;
  evidence: string;
  status: number;
  request: CheckRequest;
}

export interface GeneratedSummary {
  seed: number;
  maxExamples: number;
  /** Requests the properties sent (shrinking included). */
  cases: number;
  /** Generated requests the contract's validators refused, so never sent as "valid". */
  discarded: number;
  durationMs: number;
  failures: GeneratedFailure[];
  /** Invalid cases resting on our decision (not a vendor rule) that the server accepted. */
  warnings: GeneratedWarning[];
  /** The workflow sequences (spec/workflows): how many ran, and how many reached the last step. */
  sequences?: { runs: number; completed: number };
}
