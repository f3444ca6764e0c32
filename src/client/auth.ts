// Token sources, and one repeat after a refused token: an Entra ID token lives about an hour, and
// JwtBearer refuses an expired one before any handler runs, so a repeat (a POST too) cannot act twice.
import { bareToken } from '../internal/token.js';
import { lightRequest, type LightRequest } from './transport.js';

/** What the client tells a token function: `forceRefresh` after the server refused the last token. */
export interface TokenRequestContext {
  /**
   * True when the server answered 401 with `error="invalid_token"` to the token this function gave:
   * return a newly acquired one, not a cached one. A function that cannot may ignore it.
   */
  forceRefresh?: boolean;
}

/** A function that returns a fresh bearer token; it may cache (clientCredentials() does). */
export type TokenFunction = (context?: TokenRequestContext) => string | Promise<string>;

/** A bearer token, or a function that returns a fresh one (called before every request). */
export type TokenSource = string | TokenFunction;

const HELP = 'must be a non-empty token string or a function that returns one (e.g. () => getEntraIdToken())';

export function assertTokenSource(token: unknown): asserts token is TokenSource {
  if (typeof token !== 'function' && (typeof token !== 'string' || !token.trim())) {
    throw new TypeError(
      `createLivePlatformClient: token ${HELP}; set LIVE_PLATFORM_TOKEN or pass { token }.`,
    );
  }
}

/** The bare token (see bareToken) the function returns, never echoed. */
async function resolveToken(tokenFn: TokenFunction, context?: TokenRequestContext): Promise<string> {
  const value = await (context ? tokenFn(context) : tokenFn());
  if (typeof value !== 'string' || !value.trim())
    throw new TypeError(`The token function returned nothing: it ${HELP}.`);
  return bareToken(value, 'The token the function returned');
}

/** A 401 challenge that says the token itself was refused (RFC 6750 3.1), not that none was sent. */
const REFUSED_TOKEN = /(?:^|[\s,])error\s*=\s*"?invalid_token"?/i;

type Send = (input: LightRequest | Request) => Promise<Response>;

/**
 * The transport with `Authorization` from the token function; a 401 `invalid_token` gets a new token
 * (`{ forceRefresh: true }`) and the request is sent once more, its answer returned whatever it is.
 */
export function withReauth(send: Send, tokenFn: TokenFunction): Send {
  // Requests that fail together on one expired token share a single forced refresh.
  let forced: { from: string; fresh: Promise<string> } | undefined;
  const freshAfter = (refused: string): Promise<string> => {
    // Someone already replaced this token: the function's current one is newer.
    if (forced?.from === refused) return forced.fresh.then(() => resolveToken(tokenFn));
    const entry = { from: refused, fresh: resolveToken(tokenFn, { forceRefresh: true }) };
    forced = entry;
    // A failed refresh is not remembered: the next refused request tries again.
    entry.fresh.catch(() => {
      if (forced === entry) forced = undefined;
    });
    return entry.fresh;
  };

  return async (input) => {
    const request = input instanceof Request ? await lightRequest(input) : input;
    const { init } = request;
    const token = await resolveToken(tokenFn);
    init.headers.set('Authorization', `Bearer ${token}`);
    const res = await send(request);
    if (res.status !== 401 || !REFUSED_TOKEN.test(res.headers.get('www-authenticate') ?? '')) return res;
    const fresh = await freshAfter(token).catch((e: unknown) => {
      // The refresh failed (a TokenRequestError, say): the caller's error; free the 401's connection.
      res.body?.cancel().catch(() => {});
      throw e;
    });
    // The same token again would get the same 401: the caller gets that answer.
    if (fresh === token) return res;
    res.body?.cancel().catch(() => {});
    init.headers.set('Authorization', `Bearer ${fresh}`);
    return send(request);
  };
}
