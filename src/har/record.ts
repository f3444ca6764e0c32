import { STATUS_CODES } from 'node:http';
import type { Redactor } from '../internal/redact.js';
import { REDACTED } from '../internal/redact.js';
import type { ObservedExchange } from '../internal/exchange.js';
import type { Har, HarEntry, HarNameValue } from './types.js';

/** Headers whose whole value is a credential: kept as `<scheme> [redacted]`, whatever the token. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** The most of one body a recording keeps (the contract's bodies are a few kB; the checker parses 1 MiB). */
export const MAX_RECORDED_BODY_BYTES = 1024 * 1024;
/** The most body text one recording holds in memory; entries past it are counted, not kept. */
export const MAX_RECORDED_BYTES = 64 * 1024 * 1024;
/** The most entries one recording holds. */
export const MAX_RECORDED_ENTRIES = 20_000;

export interface HarRecorderOptions {
  creator: { name: string; version: string };
  /** Removes every known secret, in every form, from a text; applied to every string kept. */
  redact: Redactor;
  maxEntries?: number;
  maxBytes?: number;
}

/** A credential header's value with the credential gone: the scheme stays, so a reader sees its kind. */
function credentialValue(value: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9_-]*) +\S/.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

function headerList(headers: Record<string, string>, redact: Redactor): HarNameValue[] {
  return Object.entries(headers).map(([name, value]) => ({
    name: redact(name),
    value: CREDENTIAL_HEADERS.has(name.toLowerCase()) ? credentialValue(value) : redact(value),
  }));
}

function queryOf(url: string, redact: Redactor): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({
      name: redact(name),
      value: redact(value),
    }));
  } catch {
    return [];
  }
}

const headerOf = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];

/** Cuts a body to the kept size on a character boundary; says how long it was when it was cut. */
function kept(body: string): { text: string; cut: boolean } {
  if (Buffer.byteLength(body) <= MAX_RECORDED_BODY_BYTES) return { text: body, cut: false };
  // Copied, so the 4 MiB parent string is not kept alive by the slice.
  const text = Buffer.from(body.slice(0, MAX_RECORDED_BODY_BYTES), 'utf8')
    .subarray(0, MAX_RECORDED_BODY_BYTES)
    .toString('utf8');
  return { text, cut: true };
}

/** One observed exchange as a HAR entry, every string of it redacted. */
export function harEntry(observed: ObservedExchange, redact: Redactor): HarEntry {
  const { request, response, timings } = observed;
  const requestBody = request.body === undefined ? undefined : kept(redact(request.body));
  const responseBody = response ? kept(redact(response.body)) : undefined;
  // HAR's phases from what an observer knows: until the headers is waiting, the rest receiving.
  const total = Math.max(0, timings.totalMs);
  const wait = Math.min(total, Math.max(0, timings.headersMs ?? total));
  const entry: HarEntry = {
    startedDateTime: new Date(timings.startedAt).toISOString(),
    time: round(total),
    request: {
      method: request.method,
      url: redact(request.url),
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(request.headers, redact),
      queryString: queryOf(request.url, redact),
      ...(requestBody
        ? {
            postData: {
              mimeType: redact(headerOf(request.headers, 'content-type') ?? ''),
              text: requestBody.text,
            },
          }
        : {}),
      headersSize: -1,
      bodySize: request.body === undefined ? 0 : Buffer.byteLength(request.body),
    },
    response: response
      ? {
          status: response.status,
          statusText: STATUS_CODES[response.status] ?? '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: headerList(response.headers, redact),
          content: {
            size: Buffer.byteLength(response.body),
            mimeType: redact(headerOf(response.headers, 'content-type') ?? ''),
            text: responseBody!.text,
            ...(response.truncated || responseBody!.cut
              ? {
                  comment: `truncated: the body was longer than the ${response.truncated ? 'reader' : 'recording'}'s cap`,
                }
              : {}),
          },
          redirectURL: redact(headerOf(response.headers, 'location') ?? ''),
          headersSize: -1,
          bodySize: Buffer.byteLength(response.body),
        }
      : // HAR has no place for "no response": status 0 is what browsers record for a failed request.
        {
          status: 0,
          statusText: '',
          httpVersion: '',
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: '' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
    cache: {},
    timings: { send: 0, wait: round(wait), receive: round(total - wait) },
    ...(observed.error !== undefined ? { _error: redact(observed.error) } : {}),
  };
  return entry;
}

const round = (ms: number) => Math.max(0, Math.round(ms * 1000) / 1000);

const sizeOf = (e: HarEntry) =>
  (e.request.postData?.text.length ?? 0) + (e.response.content.text?.length ?? 0) + 1024;

/**
 * Keeps the exchanges of a run or a proxy session as HAR entries, bounded: past maxEntries or
 * maxBytes the newest are counted and dropped, and the HAR's comment says how many.
 */
export class HarRecorder {
  private readonly entries: HarEntry[] = [];
  private bytes = 0;
  private dropped = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(private readonly options: HarRecorderOptions) {
    this.maxEntries = options.maxEntries ?? MAX_RECORDED_ENTRIES;
    this.maxBytes = options.maxBytes ?? MAX_RECORDED_BYTES;
  }

  /** An ExchangeObserver: never throws. */
  readonly observe = (observed: ObservedExchange): void => {
    try {
      this.add(harEntry(observed, this.options.redact));
    } catch {
      this.dropped++;
    }
  };

  add(entry: HarEntry): void {
    const size = sizeOf(entry);
    if (this.entries.length >= this.maxEntries || this.bytes + size > this.maxBytes) {
      this.dropped++;
      return;
    }
    this.bytes += size;
    this.entries.push(entry);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The HAR so far, entries in the order they started (HAR viewers expect that). */
  toHar(): Har {
    const entries = [...this.entries].sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
    return {
      log: {
        version: '1.2',
        creator: this.options.creator,
        entries,
        ...(this.dropped
          ? {
              comment: `${this.dropped} exchange(s) not recorded: over the recording's cap of ${this.maxEntries} entries or ${this.maxBytes} bytes`,
            }
          : {}),
      },
    };
  }
}
