// What the sandbox and the proxy, both servers untrusted clients reach, do alike at the HTTP level:
// their server and its edges, listening and closing, how a path is shown in a log.
import { once } from 'node:events';
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { problemBody, problemReply, type Reply } from './problems.js';
import { clip } from './excerpt.js';
import type { ConnectionLimits, ConnectionTracker } from './connections.js';

/** The URL of a server on `host`:`port`, an IPv6 address in brackets (`http://[::1]:4020`). */
export const httpUrl = (host: string, port: number) =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Listens on `host`:`port` and resolves the URL the server answers at (see httpUrl). */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  server.listen(port, host);
  await once(server, 'listening');
  const { address, port: bound } = server.address() as AddressInfo;
  return httpUrl(address, bound);
}

/**
 * Stops taking connections, gives the requests in flight `drainMs` to finish (then, if `cutShort`
 * is given and some are left, calls it and waits half a second more), and ends every connection.
 */
export async function closeAndDrain(
  server: Server,
  tracker: ConnectionTracker,
  drainMs: number,
  cutShort?: () => void,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await tracker.idle(drainMs);
  if (cutShort && tracker.inFlight > 0) {
    cutShort();
    await tracker.idle(500);
  }
  server.closeAllConnections();
  tracker.destroyAll();
  await closed;
}

/** Whether the request announces a body (Content-Length above 0, or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A request target's path without the query (which is never logged: it may carry secrets). */
export function pathOf(url: string | undefined): string | null {
  if (url?.startsWith('/')) return url.split('?', 1)[0]!;
  try {
    return new URL(url ?? '').pathname;
  } catch {
    return null;
  }
}

/** A path for a log line or a message: printable ASCII only, at most `max` characters. */
export const printable = (path: string, max = 200) => clip(path.replace(/[^\x20-\x7e]/g, '?'), max);

/** A whole HTTP/1.1 answer for a socket that has no ServerResponse (parse errors, CONNECT). */
function rawAnswer(status: number, body: string, extra = ''): string {
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `Content-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `${extra}Connection: close\r\n\r\n${body}`
  );
}

/**
 * An HTTP server for untrusted clients. Its timeouts are `limits`', every connection and request
 * goes to `tracker`, and it answers as problems, not with Node's silence or bare 400 and 417: a
 * CONNECT (405 with `connect`'s detail and Allow), an unknown Expect, and a request Node could not
 * parse (431 headers too large, 408 too slow, else a 400 ValidationProblemDetails).
 */
export function guardedServer(
  limits: Pick<ConnectionLimits, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>,
  tracker: ConnectionTracker,
  o: {
    connect: { detail: string; allow?: string };
    /** Writes a reply on a response that is still open (a 417, the 408 of a stalled body). */
    answer: (res: ServerResponse, reply: Reply) => void;
  },
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  const options = {
    keepAlive: true,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the two timeouts every 30 s by default, which lets a half-sent request live a
    // minute; a check a second keeps the reaping within a second of the limit.
    connectionsCheckingInterval: 1_000,
  };
  const server = createServer(options, (req, res) => {
    tracker.request(req, res);
    handle(req, res);
  });
  server.on('connection', (socket: Socket) => tracker.connected(socket));
  server.on('connect', (_req: unknown, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    const allow = o.connect.allow ? `Allow: ${o.connect.allow}\r\n` : '';
    socket.end(rawAnswer(405, problemBody(405, o.connect.detail), allow));
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    tracker.request(req, res);
    const close = hasBody(req);
    if (!close) req.resume();
    const detail = `Expect: ${printable(String(req.headers.expect), 60)} is not supported; send no Expect header, or Expect: 100-continue.`;
    o.answer(res, { ...problemReply(417, detail), close });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const json = problemBody(
      status,
      status === 400
        ? 'The request is not valid HTTP/1.1.'
        : status === 431
          ? 'The request headers are too large.'
          : 'The request took too long to arrive.',
    );
    // A request whose body stopped arriving is the one that timed out: it gets the 408 itself.
    const stalled = tracker.pendingOn(socket).find((res) => !res.headersSent && !res.req.complete);
    if (status === 408 && stalled) return o.answer(stalled, { status, json, close: true });
    // Pipelined answers already due go out first, then this one; a handler that never finishes
    // cannot hold the socket open past the request timeout.
    const guard = setTimeout(() => socket.destroy(), limits.requestTimeoutMs);
    guard.unref();
    tracker.afterPending(socket, () => {
      clearTimeout(guard);
      if (socket.writable) socket.end(rawAnswer(status, json));
    });
  });
  return server;
}

/** Why a server could not listen: a taken port, a port that needs privileges, or a host that is not ours. */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(
    readonly reason: 'port-in-use' | 'port-denied' | 'bad-host',
    readonly host: string,
    readonly port: number,
    detail = '',
  ) {
    super(
      reason === 'port-in-use'
        ? `port ${port} on ${host} is already in use; stop what listens there, or choose another with --port (--port 0 picks a free one).`
        : reason === 'port-denied'
          ? `port ${port} needs privileges this user does not have; choose one above 1023 with --port.`
          : `cannot listen on host ${JSON.stringify(host)} (${detail}); give an address of this machine such as 127.0.0.1, or 0.0.0.0 for every interface.`,
    );
  }
}

/** The ListenError a failed listen() means, or undefined for an error that is not about listening. */
export function listenErrorOf(err: unknown, host: string, port: number): ListenError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new ListenError('port-in-use', host, port);
  if (code === 'EACCES') return new ListenError('port-denied', host, port);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ListenError('bad-host', host, port, code);
  return undefined;
}
