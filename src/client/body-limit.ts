// The response size bound: a server (or a compressed bomb) cannot make the client hold more than
// maxResponseBytes of one body. Counted on the decoded bytes, the ones that take memory.
import type { OperationId } from '../../generated/operation-ids.js';
import { ResponseTooLargeError } from './errors.js';

/** The default bound: the contract's largest answers are a few kB; a few MiB leaves room for growth. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 2 ** 20;

/**
 * The response with its body bounded to `max` decoded bytes: beyond that, reading it rejects with
 * ResponseTooLargeError and the download is cancelled. A body with a Content-Length and no
 * Content-Encoding needs no counting (the HTTP parser stops at that length), which keeps the
 * common path free of a stream per call.
 */
export function limitBody(res: Response, max: number, operationId: () => OperationId | undefined): Response {
  const body = res.body;
  if (!body || max === Infinity || res.status === 204 || res.status === 304) return res;
  const encoding = res.headers.get('content-encoding');
  const declared = res.headers.get('content-length');
  if ((encoding === null || encoding === 'identity') && declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) <= max) return res;
    body.cancel().catch(() => {});
    throw new ResponseTooLargeError(max, operationId());
  }
  let seen = 0;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        // Throwing errors the reader and cancels the source, which aborts the download.
        if (seen > max) throw new ResponseTooLargeError(max, operationId());
        controller.enqueue(chunk);
      },
    }),
  );
  const bounded = new Response(counted, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
  // unwrap() falls back to the URL to name the operation.
  Object.defineProperty(bounded, 'url', { value: res.url });
  return bounded;
}
