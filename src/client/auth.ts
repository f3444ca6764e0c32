import { bareToken } from '../internal/token.js';

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

export { bareToken };

export function assertTokenSource(token: unknown): asserts token is TokenSource {
  if (typeof token !== 'function' && (typeof token !== 'string' || !token.trim())) {
    throw new TypeError(
      `createLivePlatformClient: token ${HELP}; set LIVE_PLATFORM_TOKEN or pass { token }.`,
    );
  }
}

/** The bare token (see bareToken) from a token source. Never echoes the token. */
export async function resolveToken(token: TokenSource, context?: TokenRequestContext): Promise<string> {
  const value = typeof token === 'function' ? await (context ? token(context) : token()) : token;
  if (typeof value !== 'string' || !value.trim())
    throw new TypeError(`The token function returned nothing: it ${HELP}.`);
  return bareToken(value, 'The token the function returned');
}
