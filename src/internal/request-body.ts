import type { IncomingMessage } from 'node:http';
import { hasBody } from './http-server.js';
import { mediaTypeOf } from './media-type.js';
import type { Reply } from './problems.js';

/** The largest request body the sandbox reads (the contract's 413 says 64 KiB). */
export const BODY_LIMIT = 64 * 1024;
/**
 * A body the sandbox will not use (after a 401, 405, 413 or 415, or on an operation that takes
 * none) is read and dropped up to this much, so a client that sent a small one still reads its
 * answer on a live connection; past it the answer says `Connection: close` and the connection
 * ends, instead of swallowing gigabytes.
 */
export const DISCARD_LIMIT = 64 * 1024;

export type BodyResult =
  | { kind: 'ok'; text: string }
  | { kind: 'too-large'; closeConnection: boolean }
  | { kind: 'invalid-utf8' }
  | { kind: 'aborted' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a request body up to `limit` bytes; never buffers more than that. */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = (closeConnection: boolean) => resolve({ kind: 'too-large', closeConnection });
    // Announced as far too large: answer now, nothing of it will be used.
    if (Number(req.headers['content-length']) > limit + DISCARD_LIMIT) {
      req.pause();
      return tooLarge(true);
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit + DISCARD_LIMIT) {
        req.pause();
        tooLarge(true);
      }
    });
    req.on('end', () => {
      if (size > limit) return tooLarge(false);
      try {
        resolve({ kind: 'ok', text: utf8.decode(Buffer.concat(chunks, size)) });
      } catch {
        resolve({ kind: 'invalid-utf8' });
      }
    });
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => resolve({ kind: 'aborted' }));
  });
}

/**
 * Reads and drops a body the sandbox does not use, up to DISCARD_LIMIT bytes (readBody keeping
 * none of it). Resolves `true` when the connection must close after the answer (the body was
 * larger, or broke off).
 */
export async function discardBody(req: IncomingMessage): Promise<boolean> {
  if (!hasBody(req) || req.complete) {
    req.resume();
    return false;
  }
  const read = await readBody(req, 0);
  return read.kind === 'aborted' || (read.kind === 'too-large' && read.closeConnection);
}

/**
 * `reply` for a request whose body is not wanted: drops a little of the body first (discardBody).
 * `refused` (401, 405, 415: refused before the body was read) ends the connection whenever a body
 * was announced, rather than wait on the rest of a body nobody asked for.
 */
export async function unread(req: IncomingMessage, reply: Reply, refused = false): Promise<Reply> {
  const close = (await discardBody(req)) || (refused && hasBody(req));
  return { ...reply, close };
}

/** `application/json`, optionally with `charset=utf-8`; anything else is a 415. */
export function isJsonContentType(header: string | undefined): boolean {
  if (mediaTypeOf(header) !== 'application/json') return false;
  return header!
    .split(';')
    .slice(1)
    .every((p) => {
      const [k, v] = p.split('=');
      return k?.trim().toLowerCase() !== 'charset' || /^"?utf-8"?$/i.test(v?.trim() ?? '');
    });
}
