// One bounded HTTP exchange's rules (deadline, byte cap, redirects, failures), for client and checker.
import type { OperationId } from '../../generated/operation-ids.js';
import { errorText } from './error-text.js';

/** The exchanges in flight on each caller's signal, and the one listener that forwards its abort. */
export type SignalLinks = WeakMap<AbortSignal, { controllers: Set<AbortController>; forward: () => void }>;

/**
 * A signal for one exchange that follows the caller's signal and, given `timeoutMs` > 0, a deadline.
 * Never the caller's own (undici leaves a listener on it until garbage collection; Node 20's
 * AbortSignal.any() keeps a reference per call on each source): the caller's signal carries one
 * listener while exchanges linked to it are in flight, none once each called `release()`.
 */
export function linkSignal(
  caller: AbortSignal | null | undefined,
  timeoutMs: number,
  links: SignalLinks,
): { signal: AbortSignal | undefined; timer: AbortSignal | undefined; release(): void } {
  const timer = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  if (!caller) return { signal: timer, timer, release: noop };
  const own = new AbortController();
  if (timer) timer.addEventListener('abort', () => own.abort(timer.reason), { once: true });
  // An aborted caller's listener never fires; the exchange fails at once and releases its link.
  if (caller.aborted) own.abort(caller.reason);
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
      if (links.get(caller)?.controllers === controllers) links.delete(caller);
      caller.removeEventListener('abort', forward);
    },
  };
}
const noop = () => {};

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

const READS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const;

/**
 * The response as the client hands it on: its body bounded to `max` decoded bytes (beyond, reading
 * rejects with ResponseTooLargeError and the download is cancelled), and `release` called once the
 * body was read or cancelled (until then the caller's abort still reaches a stalled body), or at
 * once without a body. The common path makes no stream: a Content-Length without Content-Encoding
 * needs no counting, and the read methods are hooked rather than the body wrapped.
 */
export function boundedResponse(
  res: Response,
  max: number,
  operationId: () => OperationId | undefined,
  release: () => void,
): Response {
  const declared = res.headers.get('content-length');
  if (!res.body || res.status === 204 || res.status === 304 || declared === '0') {
    release();
    return res;
  }
  const encoding = res.headers.get('content-encoding');
  let answer = res;
  if ((encoding === null || encoding === 'identity') && declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) > max) {
      res.body.cancel().catch(() => {});
      release();
      throw new ResponseTooLargeError(max, operationId());
    }
  } else if (max !== Infinity) {
    let seen = 0;
    const counted = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        // Throwing errors the reader and cancels the source, which aborts the download.
        if (seen > max) throw new ResponseTooLargeError(max, operationId());
        controller.enqueue(chunk);
      },
    });
    answer = new Response(res.body.pipeThrough(counted), res);
    // unwrap() falls back to the URL to name the operation.
    Object.defineProperty(answer, 'url', { value: res.url });
  }
  if (release === noop) return answer;
  let once = () => ((once = noop), release());
  // A body dropped unread (a 401 before a new token, a retried answer) ends the exchange too.
  const hooks = [[answer.body!, 'cancel'], ...READS.map((m) => [answer, m])] as [object, string][];
  for (const [target, m] of hooks) {
    const original = (target as Record<string, unknown>)[m];
    if (typeof original === 'function')
      Object.defineProperty(target, m, {
        value: (...args: unknown[]) => (original.apply(target, args) as Promise<unknown>).finally(once),
        configurable: true,
        writable: true,
      });
  }
  return answer;
}

/**
 * Reads a body whole, at most `max` bytes: past that it stops (the download is cancelled) and says
 * `truncated`, or with `tooLarge` throws what that returns. An abort of `signal` cancels the
 * download, also one that fired before the answer came (an injected fetch may ignore its signal).
 */
export async function readCapped(
  res: { body: ReadableStream<Uint8Array> | null },
  max: number,
  options: { signal?: AbortSignal | undefined; tooLarge?: () => Error } = {},
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!res.body) return { bytes: new Uint8Array(0), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const piped = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>(), {
    signal: options.signal,
  });
  for await (const chunk of piped as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      if (options.tooLarge) throw options.tooLarge();
      chunks.push(chunk.subarray(0, chunk.byteLength - (size - max)));
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

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

/** Whether an answer needs followRedirects(): a 3xx, an opaque redirect, a fetch that followed anyway. */
export const isRedirectish = (res: Response): boolean =>
  (res.status >= 300 && res.status < 400) || res.status === 0 || res.redirected;

/**
 * The answer to `fetch(url, init)` made with `redirect: 'manual'`, after following redirects while
 * they stay on the request's origin: 303 (and 301/302 after a POST, as browsers do) become a GET
 * without a body; 307/308 keep the method and body. Any other origin, more than MAX_REDIRECTS hops,
 * or a Location it cannot read throws RedirectError; nothing is sent to the other origin.
 */
export async function followRedirects(
  fetch: typeof globalThis.fetch,
  url: string,
  init: RequestInit & { headers: Headers; method: string },
  first: Response,
  operationId: () => OperationId | undefined,
): Promise<Response> {
  const origin = new URL(url).origin;
  const refuse = (reason: RedirectRefusal, status: number, location?: URL) => {
    if (location) [location.username, location.password] = ['', ''];
    return new RedirectError(reason, status, location?.href.slice(0, 500), operationId());
  };
  let [res, at, hop] = [first, url, init];
  for (let hops = 0; ; hops++) {
    const status = res.status;
    // A fetch that followed anyway (an injected one that ignores `manual`) must not be trusted.
    if (res.redirected && new URL(res.url).origin !== origin) {
      res.body?.cancel().catch(() => {});
      throw refuse('cross-origin', status, new URL(res.url));
    }
    // Node's fetch hands back the 3xx itself; a browser-like fetch gives an opaque redirect.
    if (res.type === 'opaqueredirect') throw refuse('unreadable', status);
    if (![301, 302, 303, 307, 308].includes(status)) return res;
    const raw = res.headers.get('location');
    res.body?.cancel().catch(() => {});
    if (raw === null || !URL.canParse(raw, at)) throw refuse('unreadable', status);
    const next = new URL(raw, at);
    if (next.origin !== origin) throw refuse('cross-origin', status, next);
    if (hops >= MAX_REDIRECTS) throw refuse('too-many', status, next);
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

/** The error code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`...) of a failed connection, searched through causes. */
export function errorCode(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  const x = e as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof x.code === 'string' ? x.code : undefined;
  if (own && own !== 'UND_ERR_SOCKET') return own;
  const nested = [x.cause, ...(Array.isArray(x.errors) ? x.errors : [])];
  return nested.map((y) => errorCode(y, depth + 1)).find(Boolean) ?? own;
}

/** Whether a failed connection certainly never reached the server (so even a POST may be resent). */
export const isConnectionRefused = (e: unknown): boolean => errorCode(e) === 'ECONNREFUSED';

/** A failure's code (`ENOENT`, `ECONNRESET`), or its message where it has none: a short cell of text. */
export const errorCodeOrText = (e: unknown): string => errorCode(e) ?? errorText(e);

/**
 * Whether the TLS handshake refused the server's certificate (expired, self-signed, another host's):
 * a setup problem that no retry fixes, and that must not read as "the server is down".
 */
export const isCertificateError = (e: unknown): boolean => CERTIFICATE.test(errorCode(e) ?? '');
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME|DEPTH_ZERO|HOSTNAME/i;

/** What a failed connection means and what to check, in words (no secrets: only the code). */
export function connectionFailureText(e: unknown): string {
  const code = errorCode(e) ?? '';
  return isCertificateError(e)
    ? `TLS certificate error (${code}): the server's certificate is not trusted. Check that the URL names the host the certificate is for and that it is valid (not retried)`
    : code === 'ECONNREFUSED'
      ? 'connection refused (ECONNREFUSED): nothing listens there. Check that the server is running and the host and port are right'
      : /^(ENOTFOUND|EAI_AGAIN)$/.test(code)
        ? `the host name does not resolve (${code}). Check the host name and DNS`
        : /^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/.test(code)
          ? `the connection was closed by the other side (${code}). Check for a proxy or firewall, or a server that closes idle connections`
          : /^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)$/.test(code)
            ? `the connection timed out (${code}). Check the network path (firewall, VPN) to the host`
            : `${code || errorText(e)}. Check the network and the URL`;
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
  readonly code = errorCode(this.cause);
  /** True when the server's TLS certificate was refused (never retried). */
  readonly certificate = isCertificateError(this.cause);
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
  }
}

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

/** Calls an observer without letting it break the exchange it observes (a recorder's failure is its own). */
export function notify(observer: ExchangeObserver | undefined, exchange: ObservedExchange): void {
  try {
    observer?.(exchange);
  } catch {}
}
