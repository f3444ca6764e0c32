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

/**
 * What an HTTP header value cannot carry. Headers.set() refuses it with a TypeError that quotes the
 * whole `Bearer <token>` value, so such a token is refused here, without quoting it.
 */
const NOT_IN_A_HEADER = /[\0\n\r\u0100-\uffff]/;

/** A token as it goes after `Bearer `: trimmed, without a `Bearer ` the caller wrote. Never echoes it. */
export function bareToken(value: string, whose: string): string {
  const token = value.trim().replace(/^Bearer\s+/i, '');
  if (NOT_IN_A_HEADER.test(token))
    throw new TypeError(
      `${whose} holds a line break, a NUL or a character beyond Latin-1, which no HTTP header can carry: ` +
        'nothing was sent, and the token is not quoted here.',
    );
  return token;
}

/** The bare token (see bareToken) from a token source. Never echoes the token. */
export async function resolveToken(token: TokenSource, context?: TokenRequestContext): Promise<string> {
  const value = typeof token === 'function' ? await (context ? token(context) : token()) : token;
  if (typeof value !== 'string' || !value.trim())
    throw new TypeError(`The token function returned nothing: it ${HELP}.`);
  return bareToken(value, 'The token the function returned');
}
