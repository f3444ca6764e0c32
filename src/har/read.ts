import { errorText } from '../internal/error-text.js';
import { errorCode, errorCodeOrText } from '../internal/exchange.js';
import { quote } from '../internal/excerpt.js';
import { isJsonObject } from '../internal/json.js';
import { readFileCapped } from '../internal/read-file.js';

/**
 * The largest HAR read (64 MiB; API traffic records to a few MB): refused before reading, not streamed,
 * since the whole parsed HAR is validated and seeded from, and 64 MiB of JSON parses to hundreds of MB.
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
  entries: RecordedEntry[];
}

/** The file's text (see readFileCapped), or a HarInputError that says what to pass instead. */
function readText(path: string): string {
  const tooLarge = () =>
    new HarInputError(
      `${path} is larger than ${MAX_HAR_BYTES / 1024 / 1024} MiB, the most this command reads (it does not stream): record less (one session, only the API's requests) or split the recording.`,
    );
  try {
    return readFileCapped(path, MAX_HAR_BYTES, tooLarge);
  } catch (err) {
    if (err instanceof HarInputError) throw err;
    const code = errorCode(err);
    throw new HarInputError(
      code === 'ENOENT'
        ? `${path} does not exist; pass the path of a .har file (record one with \`live-platform proxy --har\` or \`check --har\`).`
        : code === 'EISDIR'
          ? `${path} is a directory; pass the path of a .har file.`
          : `cannot read ${path} (${errorCodeOrText(err)}).`,
    );
  }
}

/** HAR headers as a lower-cased map; repeated names joined with `, ` as HTTP allows, pseudo-headers dropped. */
function headerMap(list: unknown = [], where: string): Record<string, string> {
  if (
    !Array.isArray(list) ||
    !list.every((h) => isJsonObject(h) && typeof h.name === 'string' && typeof h.value === 'string')
  )
    throw new HarInputError(`${where}.headers must be an array of {name, value} strings.`);
  const out = new Map<string, string>();
  for (const { name, value } of list as { name: string; value: string }[]) {
    const key = name.toLowerCase();
    if (!key.startsWith(':')) out.set(key, out.has(key) ? `${out.get(key)}, ${value}` : value);
  }
  return Object.fromEntries(out);
}

/**
 * A body's text. `encoding: "base64"` (browsers use it for bodies they do not show as text) is
 * decoded, as UTF-8; any other encoding is refused, since nothing could be checked of it.
 */
function bodyText({ text, encoding }: Record<string, unknown>, where: string): string {
  if (text === undefined || text === null) return '';
  if (typeof text !== 'string') throw new HarInputError(`${where}.text must be a string.`);
  if (encoding === undefined || encoding === null || encoding === '') return text;
  if (encoding !== 'base64')
    throw new HarInputError(
      `${where}.encoding is ${JSON.stringify(encoding)}; only "base64" (decoded) or none is understood. Export the HAR again with bodies as text.`,
    );
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact))
    throw new HarInputError(`${where}.text says encoding "base64" but is not base64.`);
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** Parses a HAR file into the entries to validate or seed from; HarInputError for anything unusable. */
export function readRecording(path: string): Recording {
  const text = readText(path);
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
  if (!isJsonObject(raw) || !isJsonObject(raw.log) || !Array.isArray(raw.log.entries))
    throw new HarInputError(
      `${path} is JSON but not a HAR: a HAR is an object {"log": {"version": "1.2", "entries": [...]}}.`,
    );
  const entries = raw.log.entries.map((e, index): RecordedEntry => {
    const where = `${path}: log.entries[${index}]`;
    if (!isJsonObject(e) || !isJsonObject(e.request))
      throw new HarInputError(`${where} has no request; every HAR entry has one.`);
    const { request: req, response: res } = e;
    if (!isJsonObject(res))
      throw new HarInputError(
        `${where} has no response; a HAR entry always has one (status 0 for a request that got no answer). Was the file edited by hand?`,
      );
    if (typeof req.method !== 'string' || typeof req.url !== 'string')
      throw new HarInputError(`${where}.request needs a method and a url.`);
    if (!URL.canParse(req.url))
      throw new HarInputError(`${where}.request.url ${quote(req.url, 80)} is not an absolute URL.`);
    if (!Number.isInteger(res.status))
      throw new HarInputError(`${where}.response.status must be a whole number.`);
    const content = isJsonObject(res.content) ? res.content : undefined;
    return {
      index,
      method: req.method.toUpperCase(),
      url: new URL(req.url),
      requestHeaders: headerMap(req.headers, `${where}.request`),
      ...(isJsonObject(req.postData) && { requestBody: bodyText(req.postData, `${where}.request.postData`) }),
      ...(res.status !== 0 && {
        response: {
          status: res.status as number,
          headers: headerMap(res.headers, `${where}.response`),
          body: content ? bodyText(content, `${where}.response.content`) : '',
          incomplete:
            !content ||
            (content.text === undefined && typeof content.size === 'number' && content.size > 0) ||
            (typeof content.comment === 'string' && content.comment.startsWith('truncated')),
        },
      }),
      timeMs: typeof e.time === 'number' && e.time >= 0 ? e.time : 0,
    };
  });
  return { path, entries };
}
