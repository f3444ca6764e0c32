// One repeat after a refused token. Entra ID tokens live about an hour, so a long poll or a bulk run
// crosses an expiry; JwtBearer then answers 401 with `error="invalid_token"` before the request
// reaches any handler, so repeating it (a POST included) cannot act twice.
import { resolveToken, type TokenFunction } from './auth.js';
import { lightRequest, type LightRequest } from './transport.js';

type Send = (input: LightRequest | Request) => Promise<Response>;

/** Whether a 401's challenge says the token itself was refused (RFC 6750 3.1), not that none was sent. */
export function refusedToken(challenge: string | null): boolean {
  return !!challenge && /(?:^|[\s,])error\s*=\s*"?invalid_token"?/i.test(challenge);
}

/**
 * Wraps the transport: sets `Authorization` from the token function, and when the answer is a 401
 * with `error="invalid_token"`, asks the function for a new token (`{ forceRefresh: true }`) and
 * sends the request once more. The second answer is returned as it is, whatever it is.
 */
export function withReauth(send: Send, tokenFn: TokenFunction): Send {
  // Requests that fail together on one expired token share a single forced refresh.
  let forced: { from: string; fresh: Promise<string> } | undefined;

  const freshAfter = (refused: string): Promise<string> => {
    if (forced?.from === refused) {
      // Someone already replaced this token: the function's current one is newer.
      return forced.fresh.then(() => resolveToken(tokenFn));
    }
    const fresh = resolveToken(tokenFn, { forceRefresh: true });
    const entry = { from: refused, fresh };
    forced = entry;
    // A failed refresh is not remembered: the next refused request tries again.
    fresh.catch(() => {
      if (forced === entry) forced = undefined;
    });
    return fresh;
  };

  return async (input) => {
    const request = input instanceof Request ? await lightRequest(input) : input;
    const init = request.init;
    const callerSignal = init.signal;
    const token = await resolveToken(tokenFn);
    init.headers.set('Authorization', `Bearer ${token}`);
    const res = await send(request);
    if (res.status !== 401 || !refusedToken(res.headers.get('www-authenticate'))) return res;
    const fresh = await freshAfter(token).catch((e: unknown) => {
      // The refresh failed (say, a TokenRequestError): that is the caller's error; free the 401's connection.
      res.body?.cancel().catch(() => {});
      throw e;
    });
    // The same token again would get the same 401: the caller gets that answer.
    if (fresh === token) return res;
    res.body?.cancel().catch(() => {});
    // The transport replaced the signal with one that includes its per-attempt timer.
    init.signal = callerSignal;
    init.headers.set('Authorization', `Bearer ${fresh}`);
    return send(request);
  };
}
