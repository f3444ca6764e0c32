import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import {
  connectionFailureText,
  errorCode,
  errorCodeOrText,
  isCertificateError,
  notify,
  readCapped,
  untilAborted,
  type ExchangeObserver,
} from '../internal/exchange.js';
import { excerpt } from '../internal/excerpt.js';
import { readAnswerBody } from '../internal/answer-body.js';
import { ACCEPT_JSON } from '../internal/media-type.js';
import type { Redactor } from '../internal/redact.js';
import type { CheckRequest, CheckResponse, Exchange } from './types.js';
import { errorText } from '../internal/error-text.js';

/** The server could not be reached at all: a usage problem (exit 2), not a violation. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body was longer than the cap; `text` holds its first MAX_RESPONSE_BYTES. */
  truncated?: boolean;
}

/**
 * Why a request got no complete response, and how far it got: no connection, connected but no
 * answer, or an answer that broke off. The message says it in words a report can show: the user
 * must tell a dead server from a broken one.
 */
export class RequestFailure extends Error {
  override name = 'RequestFailure';
  constructor(
    readonly phase: 'connect' | 'response' | 'body',
    readonly code: string,
    readonly deadlineMs?: number,
    cause?: unknown,
  ) {
    super(
      code === 'deadline'
        ? `no complete response within ${deadlineMs} ms`
        : phase === 'body'
          ? `the server closed the connection mid-response (${code})`
          : phase === 'response'
            ? `the server closed the connection before answering (${code})`
            : // The code alone ("ECONNREFUSED"), as a report cell: the setup message says what to check.
              isCertificateError(cause)
              ? connectionFailureText(cause)
              : code,
      { cause },
    );
  }
}

/** Sends one request; rejects with a RequestFailure when no complete response came in time. */
export type Transport = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
) => Promise<RawResponse>;

export interface HttpTarget {
  baseUrl: string;
  token: string;
  transport: Transport;
  timeoutMs: number;
  /** Removes the token, in every form, from a text before anything of it is kept. */
  redact: Redactor;
  /** Sees every completed exchange, redacted as the report keeps it (a HAR recorder). */
  observe?: ExchangeObserver;
}

/** What a transport opened: the answer's status and headers, its body still to read. */
type Opened = Pick<RawResponse, 'status' | 'headers'> & { body: ReadableStream<Uint8Array> | null };

/**
 * The one bounded exchange under both transports: one hard deadline (AbortSignal.timeout, as the
 * client's) for connect, headers and body together, which an idle timer cannot give against a
 * server that drips a byte a second; the body read up to MAX_RESPONSE_BYTES (then `truncated`: a
 * cut body fails the JSON and schema checks like any broken one); every failure a RequestFailure.
 * `open` calls `connected()` once the server is reached.
 */
async function bounded(
  timeoutMs: number,
  open: (signal: AbortSignal, connected: () => void) => Promise<Opened>,
): Promise<RawResponse> {
  const signal = AbortSignal.timeout(timeoutMs);
  let phase: RequestFailure['phase'] = 'connect';
  try {
    const connected = () => (phase = 'response');
    // Raced, so that a fetch which ignores its signal cannot outlive the deadline.
    const res = await untilAborted(signal, open(signal, connected));
    phase = 'body';
    const body = await readCapped(res, MAX_RESPONSE_BYTES, { signal });
    return {
      status: res.status,
      headers: res.headers,
      text: new TextDecoder().decode(body.bytes),
      ...(body.truncated ? { truncated: true } : {}),
    };
  } catch (err) {
    if (signal.aborted) throw new RequestFailure(phase, 'deadline', timeoutMs);
    throw new RequestFailure(phase, errorCodeOrText(err), undefined, err);
  }
}

/** A transport over an injected fetch (tests, proxies). */
export const fetchTransport =
  (f: typeof fetch): Transport =>
  (url, init) =>
    bounded(init.timeoutMs, async (signal) => {
      const res = await f(url, {
        method: init.method,
        headers: init.headers,
        body: init.body ?? null,
        signal,
        // Never followed: a 3xx is an answer to check, and another origin gets nothing (the token
        // would go with it). node:http follows none either.
        redirect: 'manual',
      });
      return { status: res.status, headers: Object.fromEntries(res.headers), body: res.body };
    });

/**
 * The default transport: node:http rather than fetch, because fetch refuses the ports the Fetch
 * standard calls bad (9, 6000, ...) and a server under test may listen on any of them.
 */
export function nodeTransport(): Transport & { close(): void } {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 16 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
  };
  const transport: Transport = (url, init) =>
    bounded(
      init.timeoutMs,
      (signal, connected) =>
        new Promise<Opened>((resolve, reject) => {
          const secure = url.startsWith('https:');
          const req = (secure ? httpsRequest : httpRequest)(url, {
            method: init.method,
            headers: init.headers,
            agent: secure ? agents.https : agents.http,
            signal,
          });
          req.on('socket', (socket) => {
            // A reused keep-alive socket is already connected. Over TLS, a bad certificate is still
            // "cannot reach", so the server counts as reached only after the handshake.
            if (req.reusedSocket) connected();
            else socket.once(secure ? 'secureConnect' : 'connect', connected);
          });
          req.on('error', reject);
          req.on('response', (res) =>
            resolve({
              status: res.statusCode ?? 0,
              headers: Object.fromEntries(
                Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
              ),
              body: Readable.toWeb(res) as ReadableStream<Uint8Array>,
            }),
          );
          req.end(init.body);
        }),
    );
  return Object.assign(transport, {
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

/** The most of one response body the checker reads (4 MiB); the contract's bodies are a few kB. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * The largest body the checker parses (1 MiB). Parsing is what costs memory: 4 MiB of `[{},{},…]`
 * is over a million objects, about 100 MB of heap, and V8 collects lazily, so a few of them in a
 * row took a run past 4 GB. A body over this size fails response_schema_conformance unvalidated.
 */
export const MAX_PARSED_BYTES = 1024 * 1024;

/** A token no server can have issued: `ct-wrong-` and random hex. */
export const wrongToken = () => `ct-wrong-${randomBytes(8).toString('hex')}`;

export const joinUrl = (baseUrl: string, path: string): string => baseUrl.replace(/\/+$/, '') + path;

/** What went wrong, in words a report can show: a network failure says what to check. */
export function failureText(err: unknown): string {
  if (err instanceof RequestFailure) return err.message;
  // Any other error (a refusal the caller threw) is its message.
  return errorCode(err) ? connectionFailureText(err) : errorText(err);
}

/** One exchange as a report keeps it, and the parsed body for the caller to use and drop. */
export interface Sent {
  exchange: Exchange;
  /** The parsed JSON body (or a short text/plain body's text); never stored, so memory stays bounded. */
  json: unknown;
}

/** A body excerpt for reports; the text is already redacted, so the cut cannot split the token. */
export const excerptOf = (text: string, truncated = false): string =>
  excerpt(text, 2000, { sayLength: true, ...(truncated ? { truncatedAt: MAX_RESPONSE_BYTES } : {}) });

/**
 * The request as a report keeps it, redacted like the answer: a path or body may carry an id the
 * server chose (a task id it answered, say), and a hostile server can make that id its caller's
 * token. Untouched (the same object) in the common case where the token appears nowhere.
 */
function shown(target: HttpTarget, request: CheckRequest, text: string | undefined): CheckRequest {
  const path = target.redact(request.path);
  const redacted = text === undefined ? undefined : target.redact(text);
  if (path === request.path && redacted === text) return request;
  if (redacted === undefined || redacted === text) return { ...request, path };
  try {
    return { ...request, path, body: JSON.parse(redacted) };
  } catch {
    // The replacement broke the JSON (a token with quotes in it): the report shows the text.
    return { ...request, path, body: redacted };
  }
}

export async function send(target: HttpTarget, request: CheckRequest, badToken: string): Promise<Sent> {
  const headers: Record<string, string> = { accept: ACCEPT_JSON };
  if (request.auth !== 'none')
    headers.authorization = `Bearer ${request.auth === 'token' ? target.token : badToken}`;
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = joinUrl(target.baseUrl, request.path);
  const started = performance.now();
  const startedAt = Date.now();
  let res: RawResponse | undefined;
  let networkError: string | undefined;
  try {
    res = await target.transport(url, { method: request.method, headers, body, timeoutMs: target.timeoutMs });
  } catch (err) {
    networkError = failureText(err);
  }
  const elapsedMs = Math.round(performance.now() - started);
  const parsed = res && parsedResponse(res, elapsedMs, target.redact);
  // What an observer (a HAR recorder) gets: the exchange as sent and answered, redacted like all kept.
  if (target.observe) {
    const redacted = Object.entries(headers).map(([k, v]) => [k, target.redact(v)]);
    notify(target.observe, {
      request: {
        method: request.method,
        url: target.redact(url),
        headers: Object.fromEntries(redacted),
        ...(body !== undefined ? { body: target.redact(body) } : {}),
      },
      ...(res && parsed
        ? {
            response: {
              status: res.status,
              headers: parsed.response.headers,
              body: target.redact(res.text),
              ...(res.truncated ? { truncated: true } : {}),
            },
          }
        : { error: target.redact(networkError ?? '') }),
      // The transport reads the body whole: headers and body arrive together as far as it can tell.
      timings: {
        startedAt,
        totalMs: Math.round(performance.now() - started),
        ...(res ? { headersMs: elapsedMs } : {}),
      },
    });
  }
  const answer = parsed ? { response: parsed.response } : { networkError };
  return { exchange: { request: shown(target, request, body), ...answer }, json: parsed?.json };
}

/**
 * A raw response as reports keep it (redacted, the body cut to an excerpt) and its parsed body.
 * The checker, `validate` (HAR entries) and the proxy (upstream answers) all read answers this way.
 */
export function parsedResponse(
  res: RawResponse,
  elapsedMs: number,
  redact: Redactor,
): { response: CheckResponse; json: unknown } {
  let json: unknown;
  let isJson = false;
  const bytes = Buffer.byteLength(res.text);
  // Not parsed: see MAX_PARSED_BYTES. The schema check says so instead of validating.
  const unparsed = bytes > MAX_PARSED_BYTES || res.truncated;
  if (!unparsed) {
    const body = readAnswerBody(res.text, res.headers['content-type']);
    // Not JSON: content_type_conformance and response_schema_conformance say so. A short text/plain
    // string is the value, so a workflow can follow the task it names.
    if (body.kind === 'json') [json, isJson] = [body.value, true];
    else if (body.kind === 'text' && body.value.length <= 256) json = body.value;
  }
  const response: CheckResponse = {
    status: res.status,
    contentType: redact(res.headers['content-type'] ?? ''),
    headers: Object.fromEntries(
      Object.entries(res.headers).map(([k, v]) => [redact(k.toLowerCase()), redact(v)]),
    ),
    bodyExcerpt: excerptOf(redact(res.text), res.truncated),
    isJson,
    ...(unparsed ? { unparsedBytes: bytes } : {}),
    elapsedMs,
  };
  return { response, json };
}

/**
 * Fails fast, with what to do, when nothing answers at the base URL. A server that accepted the
 * connection is reachable, even if it then broke off or dripped: its checks say what it did.
 */
export async function assertReachable(target: HttpTarget): Promise<void> {
  try {
    await target.transport(joinUrl(target.baseUrl, '/'), {
      method: 'GET',
      headers: {},
      timeoutMs: target.timeoutMs,
    });
  } catch (err) {
    if (err instanceof RequestFailure && err.phase !== 'connect') return;
    const why = failureText(err);
    throw new ConnectionError(
      isCertificateError(err)
        ? `cannot check ${target.baseUrl}: ${why}.`
        : `cannot reach ${target.baseUrl} (${why}): is the server running, and is the URL right?`,
      { cause: err },
    );
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A curl command that replays the request; the token is always `$LIVE_PLATFORM_TOKEN`. */
export function curlFor(baseUrl: string, request: CheckRequest): string {
  const parts = ['curl', '-i', '-X', request.method, shellQuote(joinUrl(baseUrl, request.path))];
  if (request.auth === 'token') parts.push('-H', '"Authorization: Bearer $LIVE_PLATFORM_TOKEN"');
  if (request.auth === 'wrong') parts.push('-H', "'Authorization: Bearer not-a-valid-token'");
  if (request.body !== undefined) {
    const data = shellQuote(JSON.stringify(request.body));
    parts.push('-H', "'Content-Type: application/json'", '--data-raw', data);
  }
  return parts.join(' ');
}
