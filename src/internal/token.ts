// The bearer token as the client and the checker send it: the same refusals, none quoting it.

/** What a header cannot carry; Headers.set() would refuse it quoting the whole `Bearer <token>`. */
const NOT_IN_A_HEADER = /[\0\n\r\u0100-\uffff]/;

/** Whether a value is a token as a header carries it whole: visible ASCII, no space, not empty. */
export const isVisibleToken = (v: unknown): v is string => typeof v === 'string' && /^[\x21-\x7e]+$/.test(v);

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
