import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { errorText } from '../internal/error-text.js';
import { errorCode, errorCodeOrText } from '../internal/exchange.js';

/**
 * The largest HAR read (64 MiB). A recording of API traffic is kilobytes to a few megabytes; a
 * larger file is refused before it is read, rather than streamed, because the whole parsed HAR is
 * what is validated and seeded from, and 64 MiB of JSON already parses to a few hundred MB of heap.
 */
export const MAX_HAR_BYTES = 64 * 1024 * 1024;

/** A file that cannot be used as a recording, with what to do; the CLI prints it and exits 2. */
export class HarInputError extends Error {
  override name = 'HarInputError';
}

/** One entry, reduced to what validation and seeding use; headers lower-cased, the body decoded. */
export interface RecordedEntry {
  index: number;
  method: string;
  url: URL;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  /** Absent when the recording has no answer for the request (status 0: it failed or was cancelled). */
  response?: {
    status: number;
    headers: Record<string, string>;
    body: string;
    /** The recorder cut the body (its content.comment says so), or the text is missing. */
    incomplete: boolean;
  };
  timeMs: number;
}

export interface Recording {
  path: string;
  creator: string;
  entries: RecordedEntry[];
}

const MiB = 1024 * 1024;

function readCapped(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = errorCode(err);
    throw new HarInputError(
      code === 'ENOENT'
        ? `${path} does not exist; pass the path of a .har file (record one with \`live-platform proxy --har\` or \`check --har\`).`
        : `cannot read ${path} (${errorCodeOrText(err)}).`,
    );
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new HarInputError(`${path} is a directory; pass the path of a .har file.`);
    const tooLarge = () =>
      new HarInputError(
        `${path} is larger than ${MAX_HAR_BYTES / MiB} MiB, the most this command reads (it does not stream): record less (one session, only the API's requests) or split the recording.`,
      );
    if (info.size > MAX_HAR_BYTES) throw tooLarge();
    // Read to the cap whatever stat said: a pipe or a growing file has no honest size.
    const buffer = Buffer.allocUnsafe(Math.min(MAX_HAR_BYTES + 1, Math.max(info.size + 1, 64 * 1024)));
    let size = 0;
    let chunk = buffer;
    for (;;) {
      if (size === chunk.length) {
        if (chunk.length > MAX_HAR_BYTES) throw tooLarge();
        const bigger = Buffer.allocUnsafe(Math.min(MAX_HAR_BYTES + 1, chunk.length * 2));
        chunk.copy(bigger, 0, 0, size);
        chunk = bigger;
      }
      const n = readSync(fd, chunk, size, chunk.length - size, null);
      if (n === 0) break;
      size += n;
    }
    if (size > MAX_HAR_BYTES) throw tooLarge();
    return chunk.subarray(0, size);
  } finally {
    closeSync(fd);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** HAR headers as a lower-cased map; repeated names joined with `, ` as HTTP allows, pseudo-headers dropped. */
function headerMap(list: unknown, where: string): Record<string, string> {
  if (list === undefined) return {};
  if (!Array.isArray(list)) throw new HarInputError(`${where}.headers must be an array of {name, value}.`);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const h of list) {
    if (!isObject(h) || typeof h.name !== 'string' || typeof h.value !== 'string')
      throw new HarInputError(`${where}.headers must be an array of {name, value} strings.`);
    const name = h.name.toLowerCase();
    if (name.startsWith(':')) continue;
    out[name] = out[name] === undefined ? h.value : `${out[name]}, ${h.value}`;
  }
  return { ...out };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A body's text. `encoding: "base64"` (browsers use it for bodies they do not show as text) is
 * decoded, as UTF-8; any other encoding is refused, since nothing could be checked of it.
 */
function bodyText(text: unknown, encoding: unknown, where: string): string {
  if (text === undefined || text === null) return '';
  if (typeof text !== 'string') throw new HarInputError(`${where}.text must be a string.`);
  if (encoding === undefined || encoding === null || encoding === '') return text;
  if (encoding !== 'base64')
    throw new HarInputError(
      `${where}.encoding is ${JSON.stringify(encoding)}; only "base64" (decoded) or none is understood. Export the HAR again with bodies as text.`,
    );
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 === 1 || !BASE64.test(compact))
    throw new HarInputError(`${where}.text says encoding "base64" but is not base64.`);
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** Parses a HAR file into the entries to validate or seed from; HarInputError for anything unusable. */
export function readRecording(path: string): Recording {
  const buffer = readCapped(path);
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw new HarInputError(`${path} is empty; it is not a HAR.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = errorText(err);
    throw new HarInputError(
      /end of (JSON )?input|Unterminated/i.test(message)
        ? `${path} ends in the middle of its JSON (${message}): the recording was cut short. Record or export it again, and let the proxy finish writing (it writes on exit).`
        : `${path} is not JSON (${message}); pass a HAR file (a JSON object {"log": {"entries": [...]}}).`,
    );
  }
  if (!isObject(raw) || !isObject(raw.log) || !Array.isArray(raw.log.entries))
    throw new HarInputError(
      `${path} is JSON but not a HAR: a HAR is an object {"log": {"version": "1.2", "entries": [...]}}.`,
    );
  const creator =
    isObject(raw.log.creator) && typeof raw.log.creator.name === 'string' ? raw.log.creator.name : '';
  const entries = raw.log.entries.map((e, index): RecordedEntry => {
    const where = `${path}: log.entries[${index}]`;
    if (!isObject(e) || !isObject(e.request))
      throw new HarInputError(`${where} has no request; every HAR entry has one.`);
    if (!isObject(e.response))
      throw new HarInputError(
        `${where} has no response; a HAR entry always has one (status 0 for a request that got no answer). Was the file edited by hand?`,
      );
    const req = e.request;
    const res = e.response;
    if (typeof req.method !== 'string' || typeof req.url !== 'string')
      throw new HarInputError(`${where}.request needs a method and a url.`);
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw new HarInputError(
        `${where}.request.url ${JSON.stringify(req.url.slice(0, 80))} is not an absolute URL.`,
      );
    }
    if (typeof res.status !== 'number' || !Number.isInteger(res.status))
      throw new HarInputError(`${where}.response.status must be a whole number.`);
    const post = isObject(req.postData) ? req.postData : undefined;
    const content = isObject(res.content) ? res.content : undefined;
    const requestBody = post ? bodyText(post.text, post.encoding, `${where}.request.postData`) : undefined;
    return {
      index,
      method: req.method.toUpperCase(),
      url,
      requestHeaders: headerMap(req.headers, `${where}.request`),
      ...(requestBody !== undefined ? { requestBody } : {}),
      ...(res.status === 0
        ? {}
        : {
            response: {
              status: res.status,
              headers: headerMap(res.headers, `${where}.response`),
              body: content ? bodyText(content.text, content.encoding, `${where}.response.content`) : '',
              incomplete:
                !content ||
                (content.text === undefined && typeof content.size === 'number' && content.size > 0) ||
                (typeof content.comment === 'string' && /^truncated/.test(content.comment)),
            },
          }),
      timeMs: typeof e.time === 'number' && e.time >= 0 ? e.time : 0,
    };
  });
  return { path, creator, entries };
}
