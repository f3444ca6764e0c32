// The OAuth 2.0 client-credentials grant (RFC 6749 4.4) as Entra ID's v2 endpoint serves it. Errors
// name the endpoint and the server's error code, never the secret or a token.
import { readAnswerBody } from '../internal/answer-body.js';
import { connectionFailureText, isRedirectish, readCapped, untilAborted } from '../internal/exchange.js';
import { excerpt, quote } from '../internal/excerpt.js';
import { redactor } from '../internal/redact.js';
import { MAX_TIMER_MS } from '../internal/timers.js';
import { functionOption, numberOption } from '../internal/options.js';
import type { TokenFunction, TokenRequestContext } from './auth.js';
import { isJsonObject } from '../internal/json.js';
import { isVisibleToken } from '../internal/token.js';

export interface ClientCredentialsOptions {
  /** The token endpoint, e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** For Entra ID, the API's app id URI with `/.default`, e.g. `api://<app>/.default`. */
  scope: string | string[];
  /** A fetch implementation; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** The most a token request may take, body included, in ms. Default 10000. */
  timeoutMs?: number;
  /**
   * How long before expiry a cached token is replaced, in ms. Default 300000 (five minutes, as
   * MSAL does), and never more than half the token's lifetime, so short-lived tokens are reused too.
   */
  refreshBeforeExpiryMs?: number;
}

/** A token request that failed: the endpoint's OAuth `error` code when it gave one, and the status. */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  constructor(
    message: string,
    readonly status: number | undefined,
    /** The OAuth error code (`invalid_client`, `invalid_scope`...), when the endpoint sent one. */
    readonly error: string | undefined,
  ) {
    super(message);
  }
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
/** A token response is a few kilobytes; an endpoint that sends far more is not a token endpoint. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
/** Used when the endpoint leaves `expires_in` out (RFC 6749 makes it only RECOMMENDED). */
const UNKNOWN_LIFETIME_S = 300;
const MAX_LIFETIME_S = 86_400;

type JsonObject = Record<string, unknown>;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

const HINTS = new Map([
  ['invalid_client', ' (check clientId and clientSecret)'],
  ['invalid_scope', " (Entra ID wants the API's app id URI with /.default, e.g. api://<app>/.default)"],
  ['unauthorized_client', ' (the app is not registered in this tenant, or lacks the grant)'],
]);

function checkOptions(o: ClientCredentialsOptions) {
  const fail = (what: string) => {
    throw new TypeError(`clientCredentials: ${what}`);
  };
  if (!o || typeof o !== 'object') fail('pass { tokenUrl, clientId, clientSecret, scope }.');
  const url = URL.canParse(String(o.tokenUrl)) ? new URL(String(o.tokenUrl)) : undefined;
  if (!url || !/^https?:$/.test(url.protocol))
    fail(`tokenUrl must be an absolute https URL, not ${quote(String(o.tokenUrl), 200)}.`);
  // The secret travels in the body: in clear text only to this machine.
  if (url!.protocol === 'http:' && !LOOPBACK.test(url!.hostname))
    fail(`tokenUrl must use https (http is allowed only for localhost): ${url!.origin}.`);
  if (typeof o.clientId !== 'string' || !o.clientId.trim()) fail('clientId must be a non-empty string.');
  // The secret's value is never quoted.
  if (typeof o.clientSecret !== 'string' || !o.clientSecret) fail('clientSecret must be a non-empty string.');
  const scope = Array.isArray(o.scope) ? o.scope.join(' ') : o.scope;
  if (typeof scope !== 'string' || !scope.trim())
    fail('scope must be a non-empty string such as "api://<app>/.default" (or an array of them).');
  return {
    url: url!.href,
    origin: url!.origin + url!.pathname,
    scope: scope as string,
    // An AbortSignal.timeout() beyond 2^31-1 ms would fire at once.
    timeoutMs: numberOption('clientCredentials: timeoutMs', o.timeoutMs, 10_000, 0, MAX_TIMER_MS),
    refreshMs: numberOption('clientCredentials: refreshBeforeExpiryMs', o.refreshBeforeExpiryMs, 300_000),
  };
}

/**
 * A token function for `createLivePlatformClient({ token })` that gets tokens with the
 * client-credentials grant. It caches each token until shortly before it expires, runs at most one
 * request at a time (concurrent callers share it) and, given `{ forceRefresh: true }` (the client
 * passes it after a 401 `invalid_token`), gets a new one at once.
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenFunction {
  const { url, origin, scope, timeoutMs, refreshMs } = checkOptions(options);
  const { clientId, clientSecret } = options;
  const doFetch = functionOption('clientCredentials: fetch', options.fetch) ?? globalThis.fetch;
  let cached: { token: string; refreshAt: number; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  // Text the endpoint wrote, without the secret it may echo (in any encoding), controls, or length past 300.
  const redactSecret = redactor([clientSecret], { jwts: true });
  const clean = (text: string) => excerpt(text, 300, { redact: redactSecret, flatten: true });
  const error = (message: string, status?: number, code?: string) =>
    new TokenRequestError(`Token request to ${origin} ${clean(message)}`, status, code);

  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    scope,
  }).toString();

  async function request(): Promise<string> {
    const sentAt = Date.now();
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      // Raced: an injected fetch that ignores its signal cannot outlive the deadline. A redirect
      // would carry the secret on to another address: it is an error, not followed.
      const init = { method: 'POST', headers: FORM, body: form, redirect: 'manual', signal } as const;
      res = await untilAborted(signal, doFetch(url, init));
    } catch (e) {
      throw signal.aborted
        ? error(`got no answer within ${timeoutMs} ms; raise timeoutMs if the endpoint is slow.`)
        : error(`failed: ${connectionFailureText(e)} (check tokenUrl).`);
    }
    if (isRedirectish(res)) {
      res.body?.cancel().catch(() => {});
      throw error(
        `answered a redirect (${res.status}); set tokenUrl to the final token endpoint.`,
        res.status,
      );
    }
    const { bytes } = await readCapped(res, MAX_TOKEN_RESPONSE_BYTES, {
      signal,
      tooLarge: () =>
        new Error(`sent more than ${MAX_TOKEN_RESPONSE_BYTES} bytes; that is not a token response.`),
    }).catch((e: Error) => {
      throw error(signal.aborted ? `sent no complete answer within ${timeoutMs} ms.` : e.message, res.status);
    });
    const answer = readAnswerBody(new TextDecoder().decode(bytes), res.headers.get('content-type'));
    const json = answer.kind === 'json' ? answer.value : undefined;
    const body = (isJsonObject(json) ? json : {}) as JsonObject;
    if (!res.ok) {
      const code = typeof body.error === 'string' ? clean(body.error).slice(0, 100) : undefined;
      const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
      throw error(
        `failed with ${res.status}${code ? ` ${code}` : ''}${description}${HINTS.get(code ?? '') ?? ''}`,
        res.status,
        code,
      );
    }
    const token = body.access_token;
    if (!isVisibleToken(token)) {
      throw error(
        'answered without a usable access_token (a JSON object with a token string is expected).',
        res.status,
      );
    }
    if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
      throw error('answered a token whose token_type is not Bearer.', res.status);
    }
    // Entra ID's v1 endpoint sent expires_in as a string; both forms are read.
    const seconds = Number(body.expires_in ?? UNKNOWN_LIFETIME_S);
    const lifetimeMs =
      1000 * (Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), MAX_LIFETIME_S) : UNKNOWN_LIFETIME_S);
    const expiresAt = sentAt + lifetimeMs;
    cached = { token, expiresAt, refreshAt: expiresAt - Math.min(refreshMs, lifetimeMs / 2) };
    return token;
  }

  return (context?: TokenRequestContext) => {
    if (!context?.forceRefresh && cached && Date.now() < cached.refreshAt) return cached.token;
    inflight ??= request().finally(() => {
      inflight = undefined;
    });
    const stale = cached;
    // A refresh that fails while the cached token is still valid leaves that token in use.
    return context?.forceRefresh || !stale
      ? inflight
      : inflight.catch((e: unknown) => {
          if (Date.now() < stale.expiresAt) return stale.token;
          throw e;
        });
  };
}
