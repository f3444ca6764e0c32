/** A bearer token, or a function that returns a fresh one (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

const HELP = 'must be a non-empty token string or a function that returns one (e.g. () => getEntraIdToken())';

export function assertTokenSource(token: unknown): asserts token is TokenSource {
  if (typeof token !== 'function' && (typeof token !== 'string' || !token.trim())) {
    throw new TypeError(
      `createLivePlatformClient: token ${HELP}; set LIVE_PLATFORM_TOKEN or pass { token }.`,
    );
  }
}

/** The bare token, without a `Bearer ` prefix the caller may have written. Never echoes the token. */
export async function resolveToken(token: TokenSource): Promise<string> {
  const value = typeof token === 'function' ? await token() : token;
  if (typeof value !== 'string' || !value.trim())
    throw new TypeError(`The token function returned nothing: it ${HELP}.`);
  return value.trim().replace(/^Bearer\s+/i, '');
}
