// The base URL of a tenant, one rule for the client and the checker: an absolute http(s) API root.

/** What a refusal advises besides the rule: where else the value may come from, what authenticates. */
const LIVE_PLATFORM = {
  orElse: ' (or set LIVE_PLATFORM_BASE_URL)',
  noCredentials: 'the token authenticates; pass it as the token (LIVE_PLATFORM_TOKEN)',
};

/** The proxy's upstream: the application behind it sends its own token. */
export const UPSTREAM_WORDING: typeof LIVE_PLATFORM = {
  orElse: '',
  noCredentials: 'the application sends its own token',
};

/**
 * The base URL without a trailing slash, or a TypeError that starts with `whose` and says what to
 * write. User-info, a query or a fragment (which requests would drop or leak) is never quoted.
 */
export function normalizeBaseUrl(raw: unknown, whose: string, wording = LIVE_PLATFORM): string {
  const text = String(raw);
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !/^https?:$/.test(url.protocol)) {
    // Nothing of the value is quoted (it may hold a password); of another scheme, only the scheme.
    throw new TypeError(
      `${whose} must be an absolute http(s) URL like https://live.example.com${wording.orElse}` +
        (url ? `: it must start with http:// or https://, not ${JSON.stringify(url.protocol)}.` : '.'),
    );
  }
  if (url.username || url.password)
    throw new TypeError(
      `${whose} must not carry a user name or password (user:password@): ${wording.noCredentials}. ` +
        'The URL is not quoted here.',
    );
  if (url.search || url.hash)
    throw new TypeError(
      `${whose} must not have a query or fragment: give the API root only, e.g. ${url.origin}.`,
    );
  return url.href.replace(/\/+$/, '');
}
