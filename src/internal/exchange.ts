// One bounded HTTP exchange, under the client's transport, the client-credentials token function and
// the checker's fetch transport: a deadline, a byte cap on the decoded body, same-origin redirects
// only, no listener left on a caller's signal once the exchange is over, and failures that say what
// failed (a certificate is not a dead server) with the original error as `cause`.
import type { OperationId } from '../../generated/operation-ids.js';
import { errorText } from './error-text.js';

// --- signals ---------------------------------------------------------------------------------------

/**
 * The exchanges in flight on each caller's signal, and the one listener on that signal that
 * forwards its abort to all of them. Each transport makes its own (`new WeakMap()`), so this
 * module keeps no state.
 */
export type SignalLinks = WeakMap<AbortSignal, { controllers: Set<AbortController>; forward: () => void }>;

/**
 * A signal for one exchange that follows the caller's signal and, given `timeoutMs` > 0, a deadline.
 * Never the caller's own: undici's fetch leaves a listener on the signal it is given until garbage
 * collection, so 20,000 calls with one long-lived signal piled up thousands of them
 * (MaxListenersExceededWarning). Not AbortSignal.any() either: Node 20 keeps, on each source, a
 * reference to every signal any() made from it, so a long-lived signal grew by one entry per call
 * for good. Instead the caller's signal carries one listener while any exchange linked to it is in
 * flight, however many run together, and none once `release()` has been called for each: call it
 * when the exchange is over (its body read, or no answer).
 */
export function linkSignal(
  caller: AbortSignal | null | undefined,
  timeoutMs = 0,
  links: SignalLinks = new WeakMap(),
): { signal: AbortSignal | undefined; timer: AbortSignal | undefined; release(): void } {
  const timer = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  if (!caller) return { signal: timer, timer, release: noop };
  const own = new AbortController();
  if (timer) timer.addEventListener('abort', () => own.abort(timer.reason), { once: true });
  if (caller.aborted) {
    own.abort(caller.reason);
    return { signal: own.signal, timer, release: noop };
  }
  let link = links.get(caller);
  if (!link) {
    const controllers = new Set<AbortController>();
    const forward = () => {
      links.delete(caller);
      for (const c of controllers) c.abort(caller.reason);
    };
    link = { controllers, forward };
    links.set(caller, link);
    caller.addEventListener('abort', forward, { once: true });
  }
  const { controllers, forward } = link;
  controllers.add(own);
  return {
    signal: own.signal,
    timer,
    release() {
      if (!controllers.delete(own) || controllers.size > 0) return;
      // The last exchange on this signal is over: no listener stays behind.
      if (links.get(caller)?.controllers === controllers) links.delete(caller);
      caller.removeEventListener('abort', forward);
    },
  };
}
const noop = () => {};

const READS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const;

/**
 * The response, with `release` called once its body has been read (the read settled, whatever the
 * outcome), or at once when there is nothing to read: until then the caller's abort still reaches
 * a body that stalls. Hooks the read methods of this one response, not a stream wrapped round the
 * body, which cost a stream, a reader and a second Response per call. A caller that reads
 * `response.body` itself (openapi-fetch's `parseAs: 'stream'`) and reads it to the end keeps the
 * link until its signal is collected or aborted; cancelling the body ends it.
 */
export function releaseWhenRead(res: Response, release: () => void): Response {
  if (release === noop) return res;
  if (!res.body || res.status === 204 || res.status === 304 || res.headers.get('content-length') === '0') {
    release();
    return res;
  }
  let released = false;
  const once = () => {
    if (!released) ((released = true), release());
  };
  // A body dropped unread (a 401 before a new token, a retried answer) ends the exchange too.
  const body = res.body;
  const cancel = body.cancel;
  Object.defineProperty(body, 'cancel', {
    value: (reason?: unknown) => (once(), cancel.call(body, reason)),
    configurable: true,
    writable: true,
  });
  for (const m of READS) {
    const read = (res as unknown as Record<string, unknown>)[m];
    if (typeof read === 'function')
      Object.defineProperty(res, m, {
        value: () => (read.call(res) as Promise<unknown>).finally(once),
        configurable: true,
        writable: true,
      });
  }
  return res;
}

// --- bodies ----------------------------------------------------------------------------------------

/** A response body larger than the byte cap (counted after decompression); it was not read further. */
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

/**
 * The response with its body bounded to `max` decoded bytes: beyond, reading rejects with
 * ResponseTooLargeError and the download is cancelled. A body with a Content-Length and no
 * Content-Encoding needs no counting (the HTTP parser stops there), which keeps the common path
 * free of a stream per call.
 */
export function boundedResponse(
  res: Response,
  max: number,
  operationId: () => OperationId | undefined,
): Response {
  const body = res.body;
  if (!body || max === Infinity || res.status === 204 || res.status === 304) return res;
  const encoding = res.headers.get('content-encoding');
  const declared = res.headers.get('content-length');
  if ((encoding === null || encoding === 'identity') && declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) <= max) return res;
    body.cancel().catch(() => {});
    throw new ResponseTooLargeError(max, operationId());
  }
  let seen = 0;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        // Throwing errors the reader and cancels the source, which aborts the download.
        if (seen > max) throw new ResponseTooLargeError(max, operationId());
        controller.enqueue(chunk);
      },
    }),
  );
  const bounded = new Response(counted, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
  // unwrap() falls back to the URL to name the operation.
  Object.defineProperty(bounded, 'url', { value: res.url });
  return bounded;
}

/**
 * Reads a body whole, at most `max` bytes: past that it stops (the download is cancelled) and says
 * `truncated`, or with `tooLarge` throws what that returns. An abort of `signal` ends a stalled read.
 */
export async function readCapped(
  res: { body: ReadableStream<Uint8Array> | null },
  max: number,
  options: { signal?: AbortSignal | undefined; tooLarge?: () => Error } = {},
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!res.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = res.body.getReader();
  const { signal } = options;
  const onAbort = () => void reader.cancel().catch(() => {});
  // An injected fetch that ignores the signal may answer after it fired: no 'abort' event comes then.
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.byteLength > max - size) {
        if (options.tooLarge) throw options.tooLarge();
        chunks.push(value.subarray(0, max - size));
        truncated = true;
        break;
      }
      size += value.byteLength;
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stops a stream that is still coming (cut at the cap, or after an error).
    reader.cancel().catch(() => {});
  }
  if (signal?.aborted) throw signal.reason;
  return { bytes: Buffer.concat(chunks), truncated };
}

/** `work`, or a rejection with the signal's reason as soon as it aborts, whichever comes first. */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

// --- redirects -------------------------------------------------------------------------------------

/** Same-origin hops followed before giving up (fetch's own limit is 20; a sane API needs one). */
export const MAX_REDIRECTS = 5;

/** Why a redirect was not followed. */
export type RedirectRefusal = 'cross-origin' | 'too-many' | 'unreadable';

/**
 * A redirect that was not followed: to another origin (no header, body or token may leave the
 * configured one), past the hop limit, or one whose Location cannot be read. Names the Location
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

type Init = RequestInit & { headers: Headers; method: string };

const isRedirect = (s: number) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308;

/** The Location as a URL for an error message: resolved, without user:password, bounded. */
function shownLocation(location: URL): string {
  location.username = '';
  location.password = '';
  return location.href.slice(0, 500);
}

/**
 * Whether an answer needs followRedirects(): a 3xx, an opaque redirect (status 0), or a fetch that
 * followed anyway. Cheap on purpose: it runs on every call.
 */
export const isRedirectish = (res: Response): boolean => {
  const s = res.status;
  return (s >= 300 && s < 400) || s === 0 || res.redirected;
};

/**
 * The answer to `fetch(url, init)` made with `redirect: 'manual'`, after following redirects while
 * they stay on the request's origin: 303 (and 301/302 after a POST, as browsers do) become a GET
 * without a body; 307/308 keep the method and body. Any other origin, more than MAX_REDIRECTS hops,
 * or a Location it cannot read throws RedirectError; nothing is sent to the other origin.
 */
export async function followRedirects(
  fetch: typeof globalThis.fetch,
  url: string,
  init: Init,
  first: Response,
  operationId: () => OperationId | undefined,
): Promise<Response> {
  const origin = new URL(url).origin;
  let res = first;
  let at = url;
  let hop = init;
  for (let hops = 0; ; hops++) {
    const status = res.status;
    // A fetch that followed anyway (an injected one that ignores `manual`) must not be trusted.
    if (res.redirected && new URL(res.url).origin !== origin) {
      res.body?.cancel().catch(() => {});
      throw new RedirectError('cross-origin', status, shownLocation(new URL(res.url)), operationId());
    }
    // Node's fetch hands back the 3xx itself; a browser-like fetch gives an opaque redirect.
    if (res.type === 'opaqueredirect')
      throw new RedirectError('unreadable', status, undefined, operationId());
    if (!isRedirect(status)) return res;
    const raw = res.headers.get('location');
    res.body?.cancel().catch(() => {});
    const next = raw !== null && URL.canParse(raw, at) ? new URL(raw, at) : undefined;
    if (!next) throw new RedirectError('unreadable', status, undefined, operationId());
    if (next.origin !== origin)
      throw new RedirectError('cross-origin', status, shownLocation(next), operationId());
    if (hops >= MAX_REDIRECTS)
      throw new RedirectError('too-many', status, shownLocation(next), operationId());
    if (status === 303 || ((status === 301 || status === 302) && hop.method === 'POST')) {
      const headers = new Headers(hop.headers);
      headers.delete('content-type');
      headers.delete('content-length');
      hop = { ...hop, method: hop.method === 'HEAD' ? 'HEAD' : 'GET', body: null, headers };
    }
    at = next.href;
    res = await fetch(at, hop);
  }
}

// --- failures --------------------------------------------------------------------------------------

/** The error code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`...) of a failed connection, searched through causes. */
export function errorCode(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  const x = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof x.code === 'string' && x.code !== 'UND_ERR_SOCKET') return x.code;
  const inner =
    errorCode(x.cause, depth + 1) ??
    (Array.isArray(x.errors) ? x.errors.map((y) => errorCode(y, depth + 1)).find(Boolean) : undefined);
  return inner ?? (typeof x.code === 'string' ? x.code : undefined);
}

/** Whether a failed connection certainly never reached the server (so even a POST may be resent). */
export const isConnectionRefused = (e: unknown): boolean => errorCode(e) === 'ECONNREFUSED';

/** A failure's code (`ENOENT`, `ECONNRESET`), or its message where it has none: a short cell of text. */
export const errorCodeOrText = (e: unknown): string => errorCode(e) ?? errorText(e);

/**
 * Whether the TLS handshake refused the server's certificate (expired, self-signed, another host's):
 * a setup problem that no retry fixes, and that must not read as "the server is down".
 */
export function isCertificateError(e: unknown): boolean {
  const code = errorCode(e) ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME|DEPTH_ZERO|HOSTNAME/i.test(code);
}

/** What a failed connection means and what to check, in words (no secrets: only the code). */
export function connectionFailureText(e: unknown): string {
  const code = errorCode(e);
  if (isCertificateError(e))
    return `TLS certificate error (${code}): the server's certificate is not trusted. Check that the URL names the host the certificate is for and that it is valid (not retried)`;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED): nothing listens there. Check that the server is running and the host and port are right';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name does not resolve (${code}). Check the host name and DNS`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return `the connection was closed by the other side (${code}). Check for a proxy or firewall, or a server that closes idle connections`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `the connection timed out (${code}). Check the network path (firewall, VPN) to the host`;
    default:
      return `${code ?? errorText(e)}. Check the network and the URL`;
  }
}

/**
 * No answer at all: the connection failed (refused, unresolved host, reset, a certificate refused).
 * Names the operation, the method and host:port, and what to check; the original error is `cause`.
 */
export class ConnectionFailedError extends Error {
  override readonly name = 'ConnectionFailedError';
  /** `host:port` of the request. */
  readonly hostPort: string;
  /** The failure's code, e.g. `ECONNREFUSED` or `CERT_HAS_EXPIRED`. */
  readonly code: string | undefined;
  /** True when the server's TLS certificate was refused (never retried). */
  readonly certificate: boolean;
  constructor(
    readonly operationId: OperationId | undefined,
    readonly method: string,
    url: string,
    cause: unknown,
  ) {
    const u = new URL(url);
    const hostPort = `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
    super(
      `${operationId ?? 'Live Platform request'} (${method} to ${hostPort}) got no answer: ${connectionFailureText(cause)}.`,
      { cause },
    );
    this.hostPort = hostPort;
    this.code = errorCode(cause);
    this.certificate = isCertificateError(cause);
  }
}

// --- observing -------------------------------------------------------------------------------------

/**
 * One completed exchange, for a recorder (a HAR file, a log): what was sent and what came back, as
 * the caller keeps it (the checker hands its redacted copies). `response` is absent when none came.
 */
export interface ObservedExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: {
    status: number;
    headers: Record<string, string>;
    body: string;
    /** The body was cut at the byte cap. */
    truncated?: boolean;
  };
  /** Why no response came (a network failure, the deadline), in words. */
  error?: string;
  timings: {
    /** Epoch ms when the request was sent. */
    startedAt: number;
    /** Ms until the response headers arrived (absent without a response). */
    headersMs?: number;
    /** Ms until the body was read or the exchange failed. */
    totalMs: number;
  };
}

/** Receives each completed exchange; it must not throw (what it throws is ignored). */
export type ExchangeObserver = (exchange: ObservedExchange) => void;

/** Calls an observer without letting it break the exchange it observes. */
export function notify(observer: ExchangeObserver | undefined, exchange: ObservedExchange): void {
  if (!observer) return;
  try {
    observer(exchange);
  } catch {
    // A recorder's failure is its own business; the run goes on.
  }
}
