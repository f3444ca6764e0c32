import type { IncomingMessage } from 'node:http';

/** The largest request body the sandbox reads (the contract's 413 says 64 KiB). */
export const BODY_LIMIT = 64 * 1024;
/**
 * Past the limit the rest is read and dropped so the client still gets its 413 on a live
 * connection; a client that keeps sending past this much more is cut off after the answer.
 */
const DISCARD_LIMIT = 8 * 1024 * 1024;

export type BodyResult =
  | { kind: 'ok'; text: string }
  | { kind: 'too-large'; closeConnection: boolean }
  | { kind: 'invalid-utf8' }
  | { kind: 'aborted' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a request body up to BODY_LIMIT bytes; never buffers more than that. */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length']) > limit;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (!tooLarge) chunks.push(chunk);
      else if (size > limit + DISCARD_LIMIT) {
        req.pause();
        settle({ kind: 'too-large', closeConnection: true });
      }
    });
    req.on('end', () => {
      if (tooLarge) return settle({ kind: 'too-large', closeConnection: false });
      try {
        settle({ kind: 'ok', text: utf8.decode(Buffer.concat(chunks, size)) });
      } catch {
        settle({ kind: 'invalid-utf8' });
      }
    });
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}

/** Drops a body the operation does not take, without buffering it. */
export function discardBody(req: IncomingMessage): void {
  req.resume();
}

/** `application/json`, optionally with `charset=utf-8`; anything else is a 415. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';');
  if (type!.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p) => {
    const [k, v] = p.split('=');
    if (k?.trim().toLowerCase() !== 'charset') return true;
    return /^"?utf-8"?$/i.test(v?.trim() ?? '');
  });
}
