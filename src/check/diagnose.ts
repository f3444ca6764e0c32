// Tells a mistake in the run's setup apart from a broken server. A refused token or a base URL that
// misses the API root makes every check fail, and a list of failures would blame the server for it.
import { operations } from '../contract/index.js';
import { joinUrl } from './http.js';
import { oneLine } from './report-text.js';
import type { CaseKind, Exchange } from './types.js';

/**
 * Share of the answers to requests with the token that must be 404 before the base URL, not the
 * server, is suspected. On a right base URL the method probes get 405 and invalid bodies 400.
 */
const NOT_FOUND_SHARE = 0.9;
const MIN_ANSWERS = 4;
const SAMPLES = 3;

/** Counts what a run needs for the diagnosis: statuses, never bodies. */
export class SetupTally {
  private positives = 0;
  private positives401 = 0;
  private wwwAuthenticate: string | undefined;
  private answers = 0;
  private notFound = 0;
  private tried: { method: string; path: string }[] = [];

  note(kind: CaseKind | 'workflow', exchange: Exchange): void {
    const res = exchange.response;
    // Only requests with the token: without one, a server may answer 401 before it routes at all.
    if (!res || exchange.request.auth !== 'token') return;
    this.answers++;
    if (res.status === 404) {
      this.notFound++;
      const { method, path } = exchange.request;
      if (this.tried.length < SAMPLES && !this.tried.some((t) => t.path === path))
        this.tried.push({ method, path });
    }
    if (kind === 'positive') {
      this.positives++;
      if (res.status === 401) {
        this.positives401++;
        this.wwwAuthenticate ??= res.headers['www-authenticate'];
      }
    }
  }

  /** What the user should fix, or undefined when the answers do not point at the setup. */
  diagnose(baseUrl: string): string | undefined {
    if (this.positives > 0 && this.positives401 === this.positives) {
      const challenge = this.wwwAuthenticate
        ? `WWW-Authenticate: ${oneLine(this.wwwAuthenticate, 200)}`
        : 'no WWW-Authenticate header';
      return (
        `the server refused the token (401, ${challenge}): all ${this.positives} valid requests sent with it got 401. ` +
        'Check LIVE_PLATFORM_TOKEN (or --token): is it a current token for this tenant and this base URL?'
      );
    }
    if (this.answers >= MIN_ANSWERS && this.notFound / this.answers >= NOT_FOUND_SHARE) {
      const tried = this.tried.map((t) => `${t.method} ${joinUrl(baseUrl, t.path)}`).join(', ');
      return (
        `${this.notFound} of ${this.answers} requests with the token got 404: is --base-url (${baseUrl}) the API root? ` +
        `It tried ${tried}; ${rootHint(baseUrl)}.`
      );
    }
    return undefined;
  }
}

/** What the base URL should look like, given the first segment every contract path starts with. */
function rootHint(baseUrl: string): string {
  const firsts = new Set(operations.map((o) => o.path.split('/')[1] ?? ''));
  const root = firsts.size === 1 ? `/${[...firsts][0]}` : '';
  const base = new URL(baseUrl);
  const path = base.pathname.replace(/\/+$/, '');
  if (root && path.endsWith(root))
    return `the contract's paths already start with ${root}, so leave it out of --base-url (try ${base.origin}${path.slice(0, -root.length)})`;
  return `the contract's paths start with ${root || '/'} and are appended to --base-url`;
}
