import type { IncomingMessage } from 'node:http';

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

/** Reads a request body up to BODY_LIMIT bytes; never buffers more than that. */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length']);
    let tooLarge = declared > limit;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    // Announced as far too large: answer now, nothing of it will be used.
    if (declared > limit + DISCARD_LIMIT) {
      req.pause();
      return settle({ kind: 'too-large', closeConnection: true });
    }
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

/** Whether the request announces a body (Content-Length above 0, or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads and drops a body the sandbox does not use, up to DISCARD_LIMIT bytes. Resolves `true`
 * when the connection must close after the answer (the body was larger, or broke off).
 */
export function discardBody(req: IncomingMessage): Promise<boolean> | boolean {
  if (!hasBody(req) || req.complete) {
    req.resume();
    return false;
  }
  if (Number(req.headers['content-length']) > DISCARD_LIMIT) {
    // Known to be too large: answer at once rather than wait for bytes that will be dropped.
    req.pause();
    return true;
  }
  return new Promise((resolve) => {
    let size = 0;
    const done = (close: boolean) => {
      req.off('data', onData);
      resolve(close);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > DISCARD_LIMIT) {
        req.pause();
        done(true);
      }
    };
    req.on('data', onData);
    req.once('end', () => done(false));
    req.once('close', () => done(true));
    req.resume();
  });
}

/**
 * For a request refused before its body was read (401, 405, 415): drops a little of the body as
 * discardBody does, and resolves `true` whenever one was announced, so the connection ends with
 * the answer rather than waiting on the rest of a body nobody asked for.
 */
export async function refuseBody(req: IncomingMessage): Promise<boolean> {
  return (await discardBody(req)) || hasBody(req);
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
