// Redirects, followed by hand: fetch's own following would take the custom headers (and a 307's
// POST body) to whatever origin the server names. Only the configured origin is ever contacted.
import type { OperationId } from '../../generated/operation-ids.js';
import { RedirectError } from './errors.js';

/** Same-origin hops followed before giving up (fetch's own limit is 20; a sane API needs one). */
export const MAX_REDIRECTS = 5;

type Init = RequestInit & { headers: Headers; method: string };

const isRedirect = (s: number) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308;

/** The Location as a URL for an error message: resolved, without user:password, bounded. */
function shown(location: URL): string {
  location.username = '';
  location.password = '';
  return location.href.slice(0, 500);
}

/**
 * Whether an answer needs followRedirects(): a 3xx, an opaque redirect (status 0), or a fetch that
 * followed anyway. Cheap on purpose: it runs on every call.
 */
export const isRedirectish = (res: Response): boolean => {
  const s = res.status;
  return (s >= 300 && s < 400) || s === 0 || res.redirected;
};

/**
 * The answer to `fetch(url, init)` made with `redirect: 'manual'` (the transport sets it), after
 * following redirects while they stay on the request's origin: 303 (and 301/302 after a POST, as
 * browsers do) become a GET without a body; 307/308 keep the method and body. Any other origin,
 * more than MAX_REDIRECTS hops, or a Location it cannot read throws RedirectError; nothing is sent
 * to the other origin.
 */
export async function followRedirects(
  fetch: typeof globalThis.fetch,
  url: string,
  init: Init,
  first: Response,
  operationId: () => OperationId | undefined,
): Promise<Response> {
  const origin = new URL(url).origin;
  let res = first;
  let at = url;
  let hop = init;
  for (let hops = 0; ; hops++) {
    const status = res.status;
    // A fetch that followed anyway (an injected one that ignores `manual`) must not be trusted.
    if (res.redirected && new URL(res.url).origin !== origin) {
      res.body?.cancel().catch(() => {});
      throw new RedirectError('cross-origin', status, shown(new URL(res.url)), operationId());
    }
    // Node's fetch hands back the 3xx itself; a browser-like fetch gives an opaque redirect.
    if (res.type === 'opaqueredirect')
      throw new RedirectError('unreadable', status, undefined, operationId());
    if (!isRedirect(status)) return res;
    const raw = res.headers.get('location');
    res.body?.cancel().catch(() => {});
    const next = raw !== null && URL.canParse(raw, at) ? new URL(raw, at) : undefined;
    if (!next) throw new RedirectError('unreadable', status, undefined, operationId());
    if (next.origin !== origin) throw new RedirectError('cross-origin', status, shown(next), operationId());
    if (hops >= MAX_REDIRECTS) throw new RedirectError('too-many', status, shown(next), operationId());
    if (status === 303 || ((status === 301 || status === 302) && hop.method === 'POST')) {
      const headers = new Headers(hop.headers);
      headers.delete('content-type');
      headers.delete('content-length');
      hop = { ...hop, method: hop.method === 'HEAD' ? 'HEAD' : 'GET', body: null, headers };
    }
    at = next.href;
    res = await fetch(at, hop);
  }
}
