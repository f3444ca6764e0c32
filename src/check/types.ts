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
 * `lenient`: the server accepted a negative case whose constraint rests on our own decision or an
 * ASP.NET default, not on the vendor (src/check/evidence.ts). A warning: it fails only with --strict.
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
  /** Negative cases: what the broken constraint rests on (`vendor-table`, `ours`, ...). */
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
  generated?: import('./fuzz/phase.js').GeneratedSummary;
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
