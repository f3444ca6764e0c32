import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.js';
import { assertTokenSource, authMiddleware, type TokenSource } from './auth.js';

export interface LivePlatformClientOptions {
  /** The tenant's base URL (the vendor's `{{baseUrl}}`), e.g. https://live.example.com. */
  baseUrl: string;
  /** Bearer token, or an (async) function that returns a fresh one. */
  token: TokenSource;
  /** A fetch implementation; defaults to the global fetch. Inject one in tests. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
}

export type LivePlatformHttpClient = Client<paths, `${string}/${string}`>;

export function normalizeBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' || baseUrl.trim() === '') {
    throw new TypeError(
      'createLivePlatformClient: `baseUrl` is required, e.g. https://live.example.com (set LIVE_PLATFORM_BASE_URL).',
    );
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`createLivePlatformClient: baseUrl ${JSON.stringify(baseUrl)} is not an absolute URL; write it as https://host[:port].`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`createLivePlatformClient: baseUrl must use http or https, not ${url.protocol}`);
  }
  return url.href.replace(/\/+$/, '');
}

/** An openapi-fetch client typed by the contract, with bearer auth. */
export function createLivePlatformHttpClient(options: LivePlatformClientOptions): LivePlatformHttpClient {
  assertTokenSource(options?.token);
  const client = createClient<paths>({
    baseUrl: normalizeBaseUrl(options.baseUrl),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  client.use(authMiddleware(options.token));
  return client;
}
