// The bearer token as it goes on the wire. The client and the checker both send one; both refuse
// the same tokens, before any request, and neither ever quotes it.

/**
 * What an HTTP header value cannot carry. Headers.set() (and node:http) refuse it with an error that
 * quotes the whole `Bearer <token>` value, so such a token is refused here, without quoting it.
 */
const NOT_IN_A_HEADER = /[\0\n\r\u0100-\uffff]/;

/**
 * A token as it goes after `Bearer `: trimmed, without a `Bearer ` the caller wrote. Throws a
 * TypeError that names `whose` (e.g. `createLivePlatformClient: token`) and never the token.
 */
export function bareToken(value: string, whose: string): string {
  const token = value.trim().replace(/^Bearer\s+/i, '');
  if (!token) throw new TypeError(`${whose} is empty: nothing was sent.`);
  if (NOT_IN_A_HEADER.test(token))
    throw new TypeError(
      `${whose} holds a line break, a NUL or a character beyond Latin-1, which no HTTP header can carry: ` +
        'nothing was sent, and the token is not quoted here.',
    );
  return token;
}
