import { operationIds, type OperationId } from '../../generated/operation-ids.js';
import type { ProblemDetails, ValidationProblemDetails } from '../types.js';
import { credentialOf, redactor, type Redactor } from '../internal/redact.js';
import { isJsonObject } from '../internal/json.js';
import { routeMatcher } from '../internal/routes.js';
import { parseRetryAfter } from '../internal/timers.js';
import { hide, quoted } from '../tasks/errors.js';

// From the small generated map, not operations.json: this module is on the client entry's path.
const matchUrl = routeMatcher(
  Object.entries(operationIds).map(([key, id]) => {
    const [method, path] = key.split(' ') as [string, string];
    return { method, path, id };
  }),
  true,
);

/** The operation of a method (any, when undefined) and URL or path template, after any base path. */
export function operationIdOf(method: string | undefined, url: string): OperationId | undefined {
  const match = matchUrl(method, url.replace(/[?#].*$/, ''));
  return match.kind === 'operation' ? match.operation.id : undefined;
}

/** For unwrap(), per response: the Authorization its request carried and, when it failed, its operation. */
export const sentWith = new WeakMap<Response, { credential: string | null; operationId?: OperationId }>();

// The last one made: a client has one token at a time.
let last: { credential: string; redact: Redactor } | undefined;

/** Blanks, in text quoted from this response, its request's token in every encoding, and any JWT. */
export function redactorOf(response: Response): Redactor {
  const credential = sentWith.get(response)?.credential ?? '';
  if (last?.credential !== credential) {
    const token = credentialOf(credential);
    last = { credential, redact: redactor(token ? [token] : [], { jwts: true }) };
  }
  return last.redact;
}

/** The problem body a status carries: `400` adds the `errors` map. */
export type ProblemFor<S extends number> = number extends S
  ? ProblemDetails | ValidationProblemDetails
  : S extends 400
    ? ValidationProblemDetails
    : ProblemDetails;

const HINTS: Record<number, string> = {
  401: 'The token was refused: get a fresh one.',
  403: "The token's application lacks the permission for this operation.",
  429: 'Rate limited: wait as retryAfterMs says.',
};

/**
 * A response with a status outside 2xx. Carries the status, the operation, the problem details
 * when the body is one, its traceId (quote it to AudioCodes support) and the raw text when the
 * body is not JSON. Never the request's headers, so never the token.
 */
export class LivePlatformError<S extends number = number> extends Error {
  override readonly name = 'LivePlatformError';
  readonly status: S;
  readonly operationId: OperationId | undefined;
  /**
   * The RFC 9457 problem, when the body is one: the server's words as sent. Not enumerable, like
   * `text`, so `console.log(error)` or a logger's serializer prints the redacted message, never a
   * token or secret a server echoed in its body.
   */
  declare readonly problem: ProblemFor<S> | undefined;
  readonly traceId: string | undefined;
  /** The body as text when it is not JSON (a proxy's HTML page, say); not enumerable (see problem). */
  declare readonly text: string | undefined;
  /** The server's Retry-After, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(status: S, body: unknown, headers?: Headers, operationId?: OperationId, redact?: Redactor) {
    const problem = isJsonObject(body) && 'title' in body ? (body as ProblemFor<S>) : undefined;
    const rawTraceId = problem?.traceId ?? headers?.get('traceparent') ?? undefined;
    // The server's words (a trace id too: a hostile server may echo the token in it), and any other
    // body (a gateway's JSON, HTML), quoted: bounded, credentials blanked.
    const traceId = rawTraceId === undefined ? undefined : quoted(String(rawTraceId), redact);
    const detail = problem?.detail ? `: ${quoted(String(problem.detail), redact)}` : '';
    super(
      `${operationId ?? 'Live Platform request'} failed with ${status}` +
        (problem
          ? `: ${quoted(String(problem.title), redact)}${detail}`
          : body != null && body !== ''
            ? `: ${quoted(body, redact)}`
            : '') +
        (traceId ? ` (traceId ${traceId})` : '') +
        (HINTS[status] ? `. ${HINTS[status]}` : ''),
    );
    this.status = status;
    this.operationId = operationId;
    hide(this, { problem, text: typeof body === 'string' ? body : undefined });
    this.traceId = traceId;
    this.retryAfterMs = parseRetryAfter(headers?.get('retry-after'));
  }
}

/** Narrows to a LivePlatformError, and with `status` to that status (and its problem type). */
export function isLivePlatformError<S extends number = number>(
  e: unknown,
  status?: S,
): e is LivePlatformError<S> {
  return e instanceof LivePlatformError && (status === undefined || e.status === status);
}

/** An openapi-fetch result. */
export type Result = { data?: unknown; error?: unknown; response: Response };

/**
 * The data of an openapi-fetch result, or a thrown LivePlatformError when the status is not 2xx:
 * `const task = unwrap(await lp.GET('/api/v2/task/{taskId}', ...))`.
 */
export function unwrap<R extends Result>(result: R): Exclude<R['data'], undefined> {
  const res = result.response;
  if (res.ok) return result.data as Exclude<R['data'], undefined>;
  throw new LivePlatformError(
    res.status,
    result.error,
    res.headers,
    sentWith.get(res)?.operationId ?? operationIdOf(undefined, res.url),
    redactorOf(res),
  );
}

/** One place where a response broke the contract. */
export interface ResponseIssue {
  /** JSON pointer of the offending value, `/executionMessages/0/level`; `/` is the whole body. */
  path: string;
  message: string;
}

/** A response body that does not match the contract (only with `validateResponses: true`). */
export class ResponseValidationError extends Error {
  override readonly name = 'ResponseValidationError';
  /** The JSON paths of the mismatches. */
  readonly paths: string[];
  constructor(
    readonly operationId: OperationId,
    readonly status: number,
    readonly issues: ResponseIssue[],
  ) {
    super(
      `${operationId} answered ${status} with a body that breaks the contract: ` +
        issues.map((i) => `${i.path} ${i.message}`).join('; '),
    );
    this.paths = issues.map((i) => i.path);
  }
}
