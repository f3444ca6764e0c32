import { randomBytes } from 'node:crypto';
import type { CheckRequest, CheckResponse, Exchange } from './types.js';

const EXCERPT = 2000;

/** The server could not be reached at all: a usage problem (exit 2), not a violation. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

export interface HttpTarget {
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

/** A token no server can have issued: `ct-wrong-` and random hex. */
export const wrongToken = () => `ct-wrong-${randomBytes(8).toString('hex')}`;

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if ((err as Error).name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? (err as Error).message;
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
    const res = await target.fetch(joinUrl(target.baseUrl, request.path), {
      method: request.method,
      headers,
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    const text = await res.text();
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
      contentType: res.headers.get('content-type') ?? '',
      headers: Object.fromEntries([...res.headers].map(([k, v]) => [k.toLowerCase(), v])),
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
    const res = await target.fetch(joinUrl(target.baseUrl, '/'), {
      method: 'GET',
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
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
