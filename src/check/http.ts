import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { CheckRequest, CheckResponse, Exchange } from './types.js';

const EXCERPT = 2000;

/** The server could not be reached at all: a usage problem (exit 2), not a violation. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Sends one request; rejects (with a `code` such as ECONNREFUSED) when no response came. */
export type Transport = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
) => Promise<RawResponse>;

export interface HttpTarget {
  baseUrl: string;
  token: string;
  transport: Transport;
  timeoutMs: number;
}

/** A transport over an injected fetch (tests, proxies). */
export function fetchTransport(f: typeof fetch): Transport {
  return async (url, init) => {
    const res = await f(url, {
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    return { status: res.status, headers: Object.fromEntries([...res.headers]), text: await res.text() };
  };
}

const flatHeaders = (h: IncomingHttpHeaders) =>
  Object.fromEntries(
    Object.entries(h).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );

/**
 * The default transport: node:http rather than fetch, because fetch refuses the ports the Fetch
 * standard calls bad (9, 6000, ...) and a server under test may listen on any of them.
 */
export function nodeTransport(): Transport & { close(): void } {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 16 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
  };
  const transport = (url: string, init: Parameters<Transport>[1]) =>
    new Promise<RawResponse>((resolvePromise, reject) => {
      const secure = url.startsWith('https:');
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: init.method,
        headers: {
          ...init.headers,
          ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
        },
        agent: secure ? agents.https : agents.http,
        timeout: init.timeoutMs,
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'timed out' })));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: flatHeaders(res.headers),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        res.on('data', (c: Buffer) => {
          size += c.length;
          // A server under test may answer without end; what is kept is bounded, and a cut body
          // fails the JSON and schema checks like any other broken body.
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy();
            done();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => (size > MAX_RESPONSE_BYTES ? undefined : reject(e)));
        res.on('end', done);
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

/** A token no server can have issued: `ct-wrong-` and random hex. */
export const wrongToken = () => `ct-wrong-${randomBytes(8).toString('hex')}`;

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

function networkCode(err: unknown): string {
  const e = err as {
    code?: unknown;
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e.name === 'TimeoutError') return 'timed out';
  if (typeof e.code === 'string') return e.code;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

export function unreachableMessage(baseUrl: string, err: unknown): string {
  return `cannot reach ${baseUrl} (${networkCode(err)}): is the server running, and is the URL right?`;
}

export async function send(target: HttpTarget, request: CheckRequest, badToken: string): Promise<Exchange> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (request.auth === 'token') headers.authorization = `Bearer ${target.token}`;
  if (request.auth === 'wrong') headers.authorization = `Bearer ${badToken}`;
  let body: string | undefined;
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  const started = performance.now();
  try {
    const res = await target.transport(joinUrl(target.baseUrl, request.path), {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      timeoutMs: target.timeoutMs,
    });
    const text = res.text;
    const elapsedMs = Math.round(performance.now() - started);
    let json: unknown;
    let isJson = false;
    if (text.trim()) {
      try {
        json = JSON.parse(text);
        isJson = true;
      } catch {
        // Not JSON: content_type_conformance and response_schema_conformance say so.
      }
    }
    const response: CheckResponse = {
      status: res.status,
      contentType: res.headers['content-type'] ?? '',
      headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v])),
      bodyExcerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT)}… (${text.length} characters)` : text,
      json,
      isJson,
      elapsedMs,
    };
    return { request, response };
  } catch (err) {
    return { request, networkError: networkCode(err) };
  }
}

/** Fails fast, with what to do, when nothing answers at the base URL. */
export async function assertReachable(target: HttpTarget): Promise<void> {
  try {
    await target.transport(joinUrl(target.baseUrl, '/'), {
      method: 'GET',
      headers: {},
      timeoutMs: target.timeoutMs,
    });
  } catch (err) {
    throw new ConnectionError(unreachableMessage(target.baseUrl, err));
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
