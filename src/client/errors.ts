import type { OperationId } from '../../generated/operation-ids.js';
import type { ProblemDetails, ValidationProblemDetails } from '../types.js';
import { excerptOf } from '../tasks/errors.js';
import { parseRetryAfter } from '../tasks/timing.js';
import { failedResponseOperation, operationIdOf } from './operations.js';

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

  constructor(status: S, body: unknown, headers?: Headers, operationId?: OperationId) {
    const problem = body && typeof body === 'object' && 'title' in body ? (body as ProblemFor<S>) : undefined;
    const text = typeof body === 'string' ? body : undefined;
    const traceId = problem?.traceId ?? headers?.get('traceparent') ?? undefined;
    super(
      `${operationId ?? 'Live Platform request'} failed with ${status}` +
        // The server's words, bounded and with credentials blanked, like any quoted body.
        (problem
          ? `: ${excerptOf(String(problem.title))}${problem.detail ? `: ${excerptOf(String(problem.detail))}` : ''}`
          : '') +
        // Any other body (a gateway's JSON, HTML) is quoted, shortened: it may be a whole page.
        (!problem && body != null && body !== '' ? `: ${excerptOf(body)}` : '') +
        (traceId ? ` (traceId ${traceId})` : '') +
        (HINTS[status] ? `. ${HINTS[status]}` : ''),
    );
    this.status = status;
    this.operationId = operationId;
    Object.defineProperties(this, {
      problem: { value: problem, enumerable: false },
      text: { value: text, enumerable: false },
    });
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

type Result = { data?: unknown; error?: unknown; response: Response };

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
    failedResponseOperation.get(res) ?? operationIdOf(undefined, res.url),
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

/** Why a redirect was not followed. */
export type RedirectRefusal = 'cross-origin' | 'too-many' | 'unreadable';

/**
 * A redirect the client did not follow: to another origin (no header, body or token may leave the
 * configured one), past the hop limit, or one whose Location it cannot read. Names the Location
 * (without any user:password in it), never the request's headers.
 */
export class RedirectError extends Error {
  override readonly name = 'RedirectError';
  constructor(
    readonly reason: RedirectRefusal,
    readonly status: number,
    /** The Location the server sent, resolved against the request URL (userinfo removed). */
    readonly location: string | undefined,
    readonly operationId: OperationId | undefined,
  ) {
    super(
      `${operationId ?? 'Live Platform request'} was redirected (${status}) ` +
        (reason === 'cross-origin'
          ? `to another origin, ${location}: not followed, so nothing is sent there. Check baseUrl (the server may want https or another host).`
          : reason === 'too-many'
            ? `too many times (last to ${location}): not followed further.`
            : 'with no readable Location: not followed.'),
    );
  }
}

/** A response body larger than `maxResponseBytes` (counted after decompression); it was not read further. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(
    readonly maxResponseBytes: number,
    readonly operationId: OperationId | undefined,
  ) {
    super(
      `${operationId ?? 'Live Platform response'}: the body is larger than maxResponseBytes (${maxResponseBytes} bytes, ` +
        'counted decompressed); reading stopped. Raise maxResponseBytes if the answer is legitimately that big.',
    );
  }
}
