import type { Middleware } from 'openapi-fetch';

/** A bearer token, or a function that returns a fresh one (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

export function assertTokenSource(token: unknown): asserts token is TokenSource {
  if (typeof token === 'function') return;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new TypeError(
      'createLivePlatformClient: `token` must be a non-empty string or a function that returns one ' +
        '(for example () => getEntraIdToken()). Set LIVE_PLATFORM_TOKEN or pass { token }.',
    );
  }
}

export async function resolveToken(token: TokenSource): Promise<string> {
  const value = typeof token === 'function' ? await token() : token;
  if (typeof value !== 'string' || value.trim() === '') {
    // The token itself is never part of a message: only whether it was empty.
    throw new TypeError('The token function returned an empty value; it must resolve to a bearer token string.');
  }
  return value.replace(/^Bearer\s+/i, '');
}

/** Sets `Authorization: Bearer <token>` on every request. */
export function authMiddleware(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${await resolveToken(token)}`);
      return request;
    },
  };
}
