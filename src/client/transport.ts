// The fetch openapi-fetch calls: per-attempt timeout, retries, same-origin redirects and the size
// bound in one plain function, not middleware (that costs several awaits per call and a real Request).
import { safeOperationIds, type OperationId } from '../../generated/operation-ids.js';
import {
  boundedResponse,
  ConnectionFailedError,
  followRedirects,
  isCertificateError,
  isConnectionRefused,
  isRedirectish,
  linkSignal,
  type SignalLinks,
  RedirectError,
  ResponseTooLargeError,
} from '../internal/exchange.js';
import { fullJitterDelay, MAX_TIMER_MS, parseRetryAfter, sleep } from '../internal/timers.js';
import { functionOption, numberOption } from '../internal/options.js';
import { operationIdOf, sentWith } from './errors.js';
import { isBusy } from '../internal/status.js';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 4; 1 turns retries off. */
  maxAttempts?: number;
  /** Base of the full-jitter backoff: the n-th retry waits up to `baseDelayMs * 2^(n-1)`. Default 500. */
  baseDelayMs?: number;
  /**
   * The most time spent waiting between attempts, all waits together (ms). Default 10000. A
   * Retry-After that would pass it ends the retries: the caller gets that response (its
   * LivePlatformError has `retryAfterMs`; the task poller honours it within its own deadline).
   */
  maxDelayMs?: number;
  /** Sees each retry before its wait. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt about to be made: 2 for the first retry. */
  attempt: number;
  /** The wait before it: the server's Retry-After, or full jitter. */
  delayMs: number;
  /** `status` (429, 502, 503, 504), `network` (no answer) or `timeout` (the per-attempt timeout). */
  reason: 'status' | 'network' | 'timeout';
  status?: number | undefined;
  error?: unknown;
  operationId: OperationId | undefined;
  method: string;
}

/** The default bound: the contract's largest answers are a few kB; a few MiB leaves room for growth. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 2 ** 20;

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const LIGHT = Symbol.for('live-platform-openapi.request');
/** A request-init mark (openapi-fetch passes unknown keys through): the task poller paces its 429/503s. */
export const PACED = Symbol('live-platform-openapi.paced');

/** The answers a PACED request gets back at once: a 429 or 503 that says when to ask again. */
export const isPacedAnswer = (status: number, retryAfterMs: number | undefined): boolean =>
  retryAfterMs !== undefined && isBusy(status);

type Init = RequestInit & { headers: Headers; method: string };

/**
 * What openapi-fetch builds per call in place of a Request (an undici one costs as much as the rest of
 * a loopback call). Middleware sees `url`, `method`, `headers`, `body`, `signal`; `clone()` gives a Request.
 */
export class LightRequest {
  constructor(
    readonly url: string,
    readonly init: Init,
  ) {}
  get method() {
    return this.init.method;
  }
  get headers() {
    return this.init.headers;
  }
  get body() {
    return this.init.body;
  }
  get signal() {
    return this.init.signal;
  }
  get redirect() {
    return this.init.redirect;
  }
  clone(): Request {
    return new Request(this.url, this.init);
  }
  // openapi-fetch checks what middleware returns with `instanceof Request`: a real one passes too.
  static [Symbol.hasInstance](v: unknown): boolean {
    return !!v && typeof v === 'object' && (LIGHT in v || v instanceof Request);
  }
}
Object.defineProperty(LightRequest.prototype, LIGHT, { value: true });

/** A real Request (a user's middleware returned one) as a LightRequest, its body read once to resend. */
export async function lightRequest(input: Request): Promise<LightRequest> {
  return new LightRequest(input.url, {
    method: input.method,
    headers: new Headers(input.headers),
    body: input.body ? await input.arrayBuffer() : null,
    signal: input.signal,
    redirect: input.redirect,
  });
}

interface TransportOptions {
  fetch?: typeof globalThis.fetch;
  retry?: RetryOptions | false;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** The transport of createLivePlatformClient(), which checks the options it reads. */
export function createTransport(o: TransportOptions): (input: LightRequest | Request) => Promise<Response> {
  const { retry: given = {} } = o;
  const fetch = functionOption('createLivePlatformClient: fetch', o.fetch) ?? globalThis.fetch;
  functionOption('createLivePlatformClient: retry.onRetry', given ? given.onRetry : undefined);
  const r = given || { maxAttempts: 1 };
  const count = (name: string, value: unknown, fallback: number, min: number, max?: number) =>
    numberOption(`createLivePlatformClient: ${name}`, value, fallback, min, max);
  // AbortSignal.timeout() beyond 2^31-1 ms would fire after 1 ms: refused rather than wrong.
  const timeoutMs = count('timeoutMs', o.timeoutMs, 0, 0, MAX_TIMER_MS);
  const maxBytes = count('maxResponseBytes', o.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 1);
  const maxAttempts = Math.floor(count('retry.maxAttempts', r.maxAttempts, 4, 1));
  const baseDelayMs = count('retry.baseDelayMs', r.baseDelayMs, 500, 0);
  const maxDelayMs = count('retry.maxDelayMs', r.maxDelayMs, 10_000, 0);
  const links: SignalLinks = new WeakMap();
  return async (input) => {
    const { url, init } = input instanceof Request ? await lightRequest(input) : input;
    const caller = init.signal ?? undefined;
    const method = init.method;
    const paced = (init as { [PACED]?: boolean })[PACED] === true;
    // Redirects are followed here, on the configured origin only (src/internal/exchange.ts).
    init.redirect = 'manual';
    let op: OperationId | undefined | null = null;
    const opId = () => (op === null ? (op = operationIdOf(method, url)) : op);
    // Safe to resend: what the contract says changes no state (verifyLcCustomer's PUT included).
    const idempotent = () => {
      const id = opId();
      return method === 'GET' || method === 'HEAD' || (id !== undefined && safeOperationIds.includes(id));
    };
    let waited = 0;
    const credential = init.headers.get('authorization');
    const done = (res: Response, failed: boolean, release: () => void): Response => {
      const bounded = boundedResponse(res, maxBytes, opId, release);
      if (credential || failed)
        sentWith.set(bounded, { credential, operationId: failed ? opId() : undefined });
      return bounded;
    };
    try {
      for (let attempt = 1; ; attempt++) {
        // A signal of this attempt's own: the caller's is never handed to fetch (see linkSignal).
        const link = linkSignal(caller, timeoutMs, links);
        init.signal = link.signal ?? null;
        let res: Response | undefined;
        let err: unknown;
        try {
          res = await fetch(url, init);
          if (isRedirectish(res)) res = await followRedirects(fetch, url, init, res, opId);
          if (res.ok) return done(res, false, link.release);
        } catch (e) {
          link.release();
          // A refused redirect, or a body over the cap, is an answer, not a failed connection: never retried.
          if (e instanceof RedirectError || e instanceof ResponseTooLargeError) throw e;
          err = e;
        }
        if (caller?.aborted) {
          link.release();
          res?.body?.cancel().catch(() => {});
          throw caller.reason;
        }
        const timedOut = !res && !!link.timer?.aborted;
        if (timedOut) {
          err = new DOMException(
            `${opId() ?? `${method} ${new URL(url).pathname}`} got no answer within ${timeoutMs} ms; raise timeoutMs if the server is slow.`,
            'TimeoutError',
          );
        } else if (!res) err = new ConnectionFailedError(opId(), method, url, err);
        const retryAfter = parseRetryAfter(res?.headers.get('retry-after'));
        const mayRetry = res
          ? RETRY_STATUSES.has(res.status) &&
            (res.status === 429 || idempotent()) &&
            !(paced && isPacedAnswer(res.status, retryAfter))
          : // A refused certificate stays refused: never retried.
            !isCertificateError(err) && (idempotent() || (!timedOut && isConnectionRefused(err)));
        const delay = retryAfter ?? fullJitterDelay(attempt, baseDelayMs, maxDelayMs - waited);
        if (!mayRetry || attempt >= maxAttempts || waited + delay > maxDelayMs) {
          if (!res) throw err;
          return done(res, true, link.release);
        }
        link.release();
        r.onRetry?.({
          attempt: attempt + 1,
          delayMs: delay,
          reason: res ? 'status' : timedOut ? 'timeout' : 'network',
          status: res?.status,
          error: err,
          operationId: opId(),
          method,
        });
        // Frees the connection the unread body holds.
        res?.body?.cancel().catch(() => {});
        await sleep(delay, caller);
        waited += delay;
      }
    } finally {
      // The caller's signal again, for a repeat after a refused token (./auth.ts).
      init.signal = caller ?? null;
    }
  };
}
