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
  /** The body as text, cut to a few KiB for reports. */
  bodyExcerpt: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  json: unknown;
  isJson: boolean;
  elapsedMs: number;
}

export interface Exchange {
  request: CheckRequest;
  response?: CheckResponse;
  /** Set when no response came (refused, reset, timed out). */
  networkError?: string;
}

export type Verdict = 'passed' | 'failed' | 'skipped';

/** One check applied to one case. */
export interface CheckOutcome {
  operationId: string;
  check: CheckName;
  verdict: Verdict;
  /** The case this came from, e.g. `negative: /customerShortName minLength`. */
  caseName: string;
  /** Why it failed or was skipped; Ajv instance paths for schema failures. */
  reason?: string;
  exchange?: Exchange;
}

export interface CreatedEntity {
  operationId: string;
  /** The names the request carried, all starting with the run prefix. */
  names: string[];
  /** What the server answered with: a customer id, a task id. */
  id?: string;
}

export interface TargetReport {
  /** The generated phase (property-based cases), when it ran: its seed, findings and warnings. */
  generated?: import('./fuzz/phase.js').GeneratedSummary;
  target: { name: string; kind: TargetKind; url: string };
  runPrefix: string;
  outcomes: CheckOutcome[];
  created: CreatedEntity[];
  requests: number;
  durationMs: number;
}
