import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  cappedChunks,
  connectionFailureText,
  errorCode,
  errorCodeOrText,
  isCertificateError,
  notify,
  readCapped,
  type ExchangeObserver,
} from '../internal/exchange.js';
import { excerpt } from '../internal/excerpt.js';
import { readAnswerBody } from '../internal/answer-body.js';
import { ACCEPT_JSON } from '../internal/media-type.js';
import type { Redactor } from '../internal/redact.js';
import type { CheckRequest, CheckResponse, Exchange } from './types.js';
import { errorText } from '../internal/error-text.js';

const EXCERPT = 2000;

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

/** How far a failed request got: no connection, connected but no answer, or an answer that broke off. */
export type FailurePhase = 'connect' | 'response' | 'body';

/**
 * Why a request got no complete response. `deadline` is the run's hard per-request limit (connect,
 * headers and body together), which an idle timer cannot give against a server that drips a byte a
 * second.
 */
export class RequestFailure extends Error {
  override name = 'RequestFailure';
  constructor(
    readonly phase: FailurePhase,
    readonly code: string,
    readonly deadlineMs?: number,
  ) {
    super(code);
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

/**
 * A transport over an injected fetch (tests, proxies), with the same hard deadline and byte cap as
 * the default one: the body is read chunk by chunk and counted, never with res.text().
 */
export function fetchTransport(f: typeof fetch): Transport {
  return async (url, init) => {
    const controller = new AbortController();
    // Raced against every await, so that a fetch which ignores its signal cannot outlive the deadline.
    let expire!: () => void;
    const expired = new Promise<never>((_, reject) => {
      expire = () => reject(new Error('deadline'));
    });
    expired.catch(() => undefined);
    const timer = setTimeout(() => {
      controller.abort();
      expire();
    }, init.timeoutMs);
    let phase: FailurePhase = 'connect';
    try {
      const res = await Promise.race([
        f(url, {
          method: init.method,
          headers: init.headers,
          ...(init.body !== undefined ? { body: init.body } : {}),
          signal: controller.signal,
          // Never followed: a 3xx is an answer to check, and another origin gets nothing (the
          // token would go with it). The default transport, node:http, follows none either.
          redirect: 'manual',
        }),
        expired,
      ]);
      phase = 'body';
      const body = await Promise.race([
        readCapped(res, MAX_RESPONSE_BYTES, { signal: controller.signal }),
        expired,
      ]);
      return {
        status: res.status,
        headers: Object.fromEntries([...res.headers]),
        text: new TextDecoder().decode(body.bytes),
        ...(body.truncated ? { truncated: true } : {}),
      };
    } catch (err) {
      if (controller.signal.aborted) throw new RequestFailure(phase, 'deadline', init.timeoutMs);
      throw new RequestFailure(phase, errorCodeOrText(err));
    } finally {
      clearTimeout(timer);
      // Stops a stream that is still coming (past the deadline).
      controller.abort();
    }
  };
}

const flatHeaders = (h: IncomingHttpHeaders) =>
  Object.fromEntries(
    Object.entries(h).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );

/**
 * The default transport: node:http rather than fetch, because fetch refuses the ports the Fetch
 * standard calls bad (9, 6000, ...) and a server under test may listen on any of them. One timer
 * per request bounds connect, headers and body together; the socket's own timeout is only idle time.
 */
export function nodeTransport(): Transport & { close(): void } {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 16 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
  };
  const transport = (url: string, init: Parameters<Transport>[1]) =>
    new Promise<RawResponse>((resolvePromise, reject) => {
      const secure = url.startsWith('https:');
      let phase: FailurePhase = 'connect';
      let settled = false;
      const fail = (code: string, deadlineMs?: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new RequestFailure(phase, code, deadlineMs));
      };
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: init.method,
        headers: {
          ...init.headers,
          ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
        },
        agent: secure ? agents.https : agents.http,
      });
      const timer = setTimeout(() => {
        fail('deadline', init.timeoutMs);
        req.destroy();
      }, init.timeoutMs);
      req.on('socket', (socket) => {
        // A reused keep-alive socket is already connected. Over TLS, a bad certificate is still
        // "cannot reach", so the server counts as reached only after the handshake.
        if (req.reusedSocket) phase = 'response';
        else socket.once(secure ? 'secureConnect' : 'connect', () => (phase = 'response'));
      });
      req.on('error', (e) => fail(errorCodeOrText(e)));
      req.on('response', (res) => {
        phase = 'body';
        const body = cappedChunks(MAX_RESPONSE_BYTES);
        const done = (truncated: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: flatHeaders(res.headers),
            text: new TextDecoder().decode(body.bytes()),
            ...(truncated ? { truncated } : {}),
          });
        };
        res.on('data', (c: Buffer) => {
          // A server under test may answer without end; what is kept is bounded, and a cut body
          // fails the JSON and schema checks like any other broken body.
          if (!body.add(c)) {
            done(true);
            res.destroy();
          }
        });
        res.on('error', (e) => fail(errorCodeOrText(e)));
        res.on('end', () => done(false));
        // 'aborted' alone, without 'end': the server closed the connection mid-body.
        res.on('close', () => (res.complete ? done(false) : fail('ECONNRESET')));
      });
      req.end(init.body);
    });
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

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

/** What went wrong, in words a report can show: the user must tell a dead server from a broken one. */
export function failureText(err: unknown): string {
  if (err instanceof RequestFailure) {
    if (err.code === 'deadline') return `no complete response within ${err.deadlineMs} ms`;
    if (err.phase === 'body') return `the server closed the connection mid-response (${err.code})`;
    if (err.phase === 'response') return `the server closed the connection before answering (${err.code})`;
    // The code alone ("ECONNREFUSED"), as a report cell: the setup message says what to check.
    return isCertificateError(err) ? connectionFailureText(err) : err.code;
  }
  // A network failure says what to check; any other error (a refusal the caller threw) is its message.
  return errorCode(err) ? connectionFailureText(err) : errorText(err);
}

export function unreachableMessage(baseUrl: string, err: unknown): string {
  const code = err instanceof RequestFailure ? { code: err.code } : err;
  if (isCertificateError(code)) return `cannot check ${baseUrl}: ${failureText(err)}.`;
  return `cannot reach ${baseUrl} (${failureText(err)}): is the server running, and is the URL right?`;
}

/** One exchange as a report keeps it, and the parsed body for the caller to use and drop. */
export interface Sent {
  exchange: Exchange;
  /**
   * The parsed JSON body (or a short text/plain body's text), or undefined; never stored, so that
   * memory stays bounded.
   */
  json: unknown;
}

/** A body excerpt for reports; the text is already redacted, so the cut cannot split the token. */
export const excerptOf = (text: string, truncated = false): string =>
  excerpt(text, EXCERPT, { sayLength: true, ...(truncated ? { truncatedAt: MAX_RESPONSE_BYTES } : {}) });

/**
 * The request as a report keeps it, redacted like the answer: a path or body may carry an id the
 * server chose (a task id it answered, say), and a hostile server can make that id its caller's
 * token. Untouched (the same object) in the common case where the token appears nowhere.
 */
function shown(target: HttpTarget, request: CheckRequest): CheckRequest {
  const path = target.redact(request.path);
  if (request.body === undefined) return path === request.path ? request : { ...request, path };
  const text = JSON.stringify(request.body);
  const redacted = target.redact(text);
  if (path === request.path && redacted === text) return request;
  let body: unknown = redacted;
  try {
    body = JSON.parse(redacted);
  } catch {
    // The replacement broke the JSON (a token with quotes in it): the report shows the text.
  }
  return { ...request, path, body };
}

export async function send(target: HttpTarget, request: CheckRequest, badToken: string): Promise<Sent> {
  const headers: Record<string, string> = { accept: ACCEPT_JSON };
  if (request.auth === 'token') headers.authorization = `Bearer ${target.token}`;
  if (request.auth === 'wrong') headers.authorization = `Bearer ${badToken}`;
  let body: string | undefined;
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  const started = performance.now();
  const startedAt = Date.now();
  const url = joinUrl(target.baseUrl, request.path);
  // What an observer (a HAR recorder) gets: the request as sent, redacted like everything kept.
  const observed = () => ({
    request: {
      method: request.method,
      url: target.redact(url),
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, target.redact(v)])),
      ...(body !== undefined ? { body: target.redact(body) } : {}),
    },
    timings: { startedAt, totalMs: Math.round(performance.now() - started) },
  });
  let res: RawResponse;
  try {
    res = await target.transport(url, {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      timeoutMs: target.timeoutMs,
    });
  } catch (err) {
    const networkError = failureText(err);
    if (target.observe) notify(target.observe, { ...observed(), error: target.redact(networkError) });
    return { exchange: { request: shown(target, request), networkError }, json: undefined };
  }
  const elapsedMs = Math.round(performance.now() - started);
  const { response, json } = parsedResponse(res, elapsedMs, target.redact);
  if (target.observe) {
    const seen = observed();
    notify(target.observe, {
      ...seen,
      response: {
        status: res.status,
        headers: response.headers,
        body: target.redact(res.text),
        ...(res.truncated ? { truncated: true } : {}),
      },
      // The transport reads the body whole: headers and body arrive together as far as it can tell.
      timings: { ...seen.timings, headersMs: elapsedMs },
    });
  }
  return { exchange: { request: shown(target, request), response }, json };
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
  if (bytes > MAX_PARSED_BYTES || res.truncated) {
    // Not parsed: see MAX_PARSED_BYTES. The schema check says so instead of validating.
  } else {
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
    ...(bytes > MAX_PARSED_BYTES || res.truncated ? { unparsedBytes: bytes } : {}),
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
    throw new ConnectionError(unreachableMessage(target.baseUrl, err), { cause: err });
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A curl command that replays the request; the token is always `$LIVE_PLATFORM_TOKEN`. */
export function curlFor(baseUrl: string, request: CheckRequest): string {
  const parts = ['curl', '-i', '-X', request.method, shellQuote(joinUrl(baseUrl, request.path))];
  if (request.auth === 'token') parts.push('-H', '"Authorization: Bearer $LIVE_PLATFORM_TOKEN"');
  if (request.auth === 'wrong') parts.push('-H', shellQuote('Authorization: Bearer not-a-valid-token'));
  if (request.body !== undefined) {
    parts.push(
      '-H',
      shellQuote('Content-Type: application/json'),
      '--data-raw',
      shellQuote(JSON.stringify(request.body)),
    );
  }
  return parts.join(' ');
}
