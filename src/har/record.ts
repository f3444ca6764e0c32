// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): the members this project writes.
import { STATUS_CODES } from 'node:http';
import { credentialOf, REDACTED, schemeOf, type Redactor } from '../internal/redact.js';
import type { ObservedExchange } from '../internal/exchange.js';

/** Headers whose whole value is a credential: kept as `<scheme> [redacted]`, whatever the token. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** The most of one body a recording keeps (the contract's bodies are a few kB; the checker parses 1 MiB). */
const MAX_BODY_BYTES = 1024 * 1024;
/** The most body text one recording holds in memory; entries past it are counted, not kept. */
const MAX_BYTES = 64 * 1024 * 1024;

export interface HarRecorderOptions {
  creator: { name: string; version: string };
  /** Removes every known secret, in every form, from a text; applied to every string kept. */
  redact: Redactor;
  /** The most entries one recording holds (20 000). */
  maxEntries?: number;
}

/** The credentials (what follows the scheme) of a request's Authorization headers, for redaction. */
export const credentialsOf = (headers: Record<string, string | string[] | undefined>): string[] =>
  ['authorization', 'proxy-authorization'].flatMap((name) => {
    const value = headers[name];
    const credential = typeof value === 'string' ? credentialOf(value) : '';
    return credential && credential !== REDACTED ? [credential] : [];
  });

/** Headers or query parameters as HAR's name/value list; a credential header keeps only its scheme. */
const nameValues = (pairs: Iterable<[string, string]>, redact: Redactor) =>
  [...pairs].map(([name, value]) => {
    const scheme = schemeOf(value);
    const credential = CREDENTIAL_HEADERS.has(name.toLowerCase());
    return {
      name: redact(name),
      value: !credential ? redact(value) : scheme ? `${scheme} ${REDACTED}` : REDACTED,
    };
  });

const headerOf = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';

/** A body cut to the kept size, copied so that the parent string is not kept alive by the slice. */
const kept = (body: string) =>
  Buffer.byteLength(body) <= MAX_BODY_BYTES
    ? body
    : Buffer.from(body.slice(0, MAX_BODY_BYTES)).subarray(0, MAX_BODY_BYTES).toString('utf8');

const round = (ms: number) => Math.max(0, Math.round(ms * 1000) / 1000);

/** One observed exchange as a HAR entry, every string of it redacted. */
function harEntry({ request, response, error, timings }: ObservedExchange, redact: Redactor) {
  // HAR has no place for "no response": status 0 is what browsers record for a failed request.
  const res = response ?? { status: 0, headers: {}, body: '', truncated: false };
  const body = redact(res.body);
  const text = kept(body);
  const cut = res.truncated ? 'reader' : text !== body ? 'recording' : undefined;
  // HAR's phases from what an observer knows: until the headers is waiting, the rest receiving.
  const total = Math.max(0, timings.totalMs);
  const wait = Math.min(total, Math.max(0, timings.headersMs ?? total));
  return {
    startedDateTime: new Date(timings.startedAt).toISOString(),
    time: round(total),
    request: {
      method: request.method,
      url: redact(request.url),
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: nameValues(Object.entries(request.headers), redact),
      queryString: URL.canParse(request.url) ? nameValues(new URL(request.url).searchParams, redact) : [],
      ...(request.body !== undefined && {
        postData: {
          mimeType: redact(headerOf(request.headers, 'content-type')),
          text: kept(redact(request.body)),
        },
      }),
      headersSize: -1,
      bodySize: request.body === undefined ? 0 : Buffer.byteLength(request.body),
    },
    response: {
      status: res.status,
      statusText: STATUS_CODES[res.status] ?? '',
      httpVersion: response ? 'HTTP/1.1' : '',
      cookies: [],
      headers: nameValues(Object.entries(res.headers), redact),
      content: {
        size: Buffer.byteLength(res.body),
        mimeType: redact(headerOf(res.headers, 'content-type')),
        ...(response && { text }),
        ...(cut && { comment: `truncated: the body was longer than the ${cut}'s cap` }),
      },
      redirectURL: redact(headerOf(res.headers, 'location')),
      headersSize: -1,
      bodySize: response ? Buffer.byteLength(res.body) : -1,
    },
    cache: {},
    timings: { send: 0, wait: round(wait), receive: round(total - wait) },
    // A custom member (HAR allows `_`-prefixed ones): why no response came.
    ...(error !== undefined && { _error: redact(error) }),
  };
}

/**
 * Keeps the exchanges of a run or a proxy session as HAR entries, bounded: past maxEntries or
 * 64 MiB of bodies the newest are counted and dropped, and the HAR's comment says how many.
 */
export class HarRecorder {
  private readonly entries: ReturnType<typeof harEntry>[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(private readonly options: HarRecorderOptions) {}

  /** An ExchangeObserver: never throws. */
  readonly observe = (observed: ObservedExchange): void => {
    try {
      const entry = harEntry(observed, this.options.redact);
      const size =
        (entry.request.postData?.text.length ?? 0) + (entry.response.content.text?.length ?? 0) + 1024;
      if (this.entries.length >= this.maxEntries || this.bytes + size > MAX_BYTES) this.dropped++;
      else {
        this.bytes += size;
        this.entries.push(entry);
      }
    } catch {
      this.dropped++;
    }
  };

  private get maxEntries() {
    return this.options.maxEntries ?? 20_000;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The HAR so far, entries in the order they started (HAR viewers expect that). */
  toHar() {
    const entries = [...this.entries].sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
    const comment = `${this.dropped} exchange(s) not recorded: over the recording's cap of ${this.maxEntries} entries or ${MAX_BYTES} bytes`;
    return {
      log: {
        version: '1.2',
        creator: this.options.creator,
        entries,
        ...(this.dropped > 0 && { comment }),
      },
    };
  }
}
