import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { coerceParams, matchRoute, type OperationInfo } from '../contract/index.js';
import type { Shape } from './aspnet.js';
import type { AuthResult } from './auth.js';
import { BODY_LIMIT, discardBody, hasBody, isJsonContentType, readBody, refuseBody } from './body.js';
import { ConnectionTracker } from './connections.js';
import type { ConnectionLimits } from './limits.js';
import { controlRoutes, type ControlTarget } from './control.js';
import { handlers } from './operations/index.js';
import type { OpenReply } from './jwt.js';
import {
  addError,
  errorMap,
  problemBody as problemJson,
  validationProblem,
  validationReply,
  type Reply,
} from '../internal/problems.js';
import { validationErrors } from './validate.js';

export interface ServerConfig {
  target: ControlTarget;
  authenticate: (header: string | undefined) => AuthResult | Promise<AuthResult>;
  /** Routes answered before authentication (JWT mode's token endpoint); undefined for the rest. */
  openRoute?: (req: IncomingMessage, path: string) => Promise<OpenReply | null> | undefined;
  /** Rewrites an answer just before it is written (the ASP.NET-behaviour switches). */
  shape?: Shape;
  /** Rewrites a parsed request body before validation (ASP.NET's ignored unknown members). */
  requestBody?: (op: OperationInfo, body: unknown) => unknown;
  taskDurationMs: number;
  /** The time tasks progress by and state is stamped with (ms since epoch). */
  now: () => number;
  log?: (line: string) => void;
  connections: ConnectionLimits;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
};

/** A whole HTTP/1.1 answer for a socket that has no ServerResponse (parse errors, CONNECT). */
export function rawAnswer(status: number, body: string, extra = ''): string {
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
    `Content-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `${extra}Connection: close\r\n\r\n${body}`
  );
}

type Headers = Record<string, string>;

const CONTROL_PREFIX = '/_sandbox';

/** The path without the query (which is never logged: it may carry secrets). */
function pathOf(url: string | undefined): string | null {
  if (!url) return null;
  if (url.startsWith('/')) {
    const q = url.indexOf('?');
    return q === -1 ? url : url.slice(0, q);
  }
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

/** The method a request is routed by: RFC 9110 9.3.2, HEAD wherever GET (Node drops its body). */
const routingMethod = (req: IncomingMessage) => (req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET'));

const printable = (path: string) => {
  const clean = path.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
};

function badRequest(field: string, message: string): Reply {
  const errors = errorMap();
  addError(errors, field, message);
  return validationReply(errors);
}

/** Reads and parses a JSON body: 415, 413 and 400 for what a client can get wrong. */
async function jsonBody(
  req: IncomingMessage,
): Promise<{ value: unknown } | { reply: Reply; close?: boolean } | null> {
  if (!isJsonContentType(req.headers['content-type'])) {
    const sent = req.headers['content-type'];
    const detail = sent
      ? `The body was sent as ${JSON.stringify(sent.slice(0, 100))}; send it as Content-Type: application/json (UTF-8).`
      : 'Send the body with Content-Type: application/json (UTF-8).';
    // The body will not be read: drop a little of it, then end the connection.
    const close = await refuseBody(req);
    return { reply: { status: 415, json: problemJson(415, detail) }, close };
  }
  const body = await readBody(req);
  switch (body.kind) {
    case 'aborted':
      return null;
    case 'too-large':
      return {
        reply: {
          status: 413,
          json: problemJson(413, `The request body exceeds ${BODY_LIMIT} bytes; send a smaller body.`),
        },
        close: body.closeConnection,
      };
    case 'invalid-utf8':
      return { reply: badRequest('$', 'The body is not valid UTF-8; encode it as UTF-8 JSON.') };
  }
  if (body.text.trim() === '') return { reply: badRequest('$', 'The body is empty; send a JSON object.') };
  try {
    return { value: JSON.parse(body.text) as unknown };
  } catch (err) {
    const reason = (err as Error).message.slice(0, 160);
    return { reply: badRequest('$', `The body is not valid JSON (${reason}). Send a JSON object.`) };
  }
}

export interface SandboxServer {
  server: Server;
  /**
   * Stops accepting, lets the requests in flight finish (a delay fault included) for up to
   * `drainMs`, then cuts the remaining delays short, answers them, and closes every connection.
   */
  stop(drainMs: number): Promise<void>;
}

export function createSandboxServer(config: ServerConfig): SandboxServer {
  const { target, authenticate, taskDurationMs, now, log, connections: limits } = config;
  const tracker = new ConnectionTracker(limits.maxConnections);
  /** Pending delay faults: each can be cut short (its request is then answered at once). */
  const delays = new Map<NodeJS.Timeout, () => void>();
  let draining = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.set(timer, resolve);
    });

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    reply: Reply,
    headers?: Headers,
    close = false,
  ) {
    if (res.headersSent || res.destroyed) return;
    let head: Headers = {
      'content-type':
        reply.status < 400 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(reply.json)),
      // A reply's own headers (a cap's Retry-After, the token endpoint's no-store) always go out.
      ...reply.headers,
      ...headers,
    };
    // While stopping, a keep-alive connection ends with its answer instead of waiting for more.
    if (close || draining) head.connection = 'close';
    if (config.shape) {
      const routed = { path: pathOf(req.url) ?? '', method: routingMethod(req) };
      ({ reply, head } = config.shape(req, routed, reply, head));
    }
    res.writeHead(reply.status, head);
    res.end(reply.json);
    if (log) {
      const ms = (performance.now() - started).toFixed(1);
      log(`${req.method} ${printable(pathOf(req.url) ?? '?')} ${reply.status} ${ms}ms`);
    }
  }

  async function operation(
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    op: OperationInfo,
    raw: Record<string, string>,
  ) {
    const fault = target.faults.take(op.operationId);
    // A 429 or 503 fault leaves the body unused: drop it (up to the discard limit) first.
    if (fault?.fault === '429') {
      const close = await discardBody(req);
      return send(
        req,
        res,
        started,
        {
          status: 429,
          json: problemJson(429, `Rate limited (a sandbox fault). Retry after ${fault.retryAfter} seconds.`),
        },
        { 'retry-after': fault.retryAfter! },
        close,
      );
    }
    if (fault?.fault === '503') {
      const headers: Headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      const close = await discardBody(req);
      return send(
        req,
        res,
        started,
        { status: 503, json: problemJson(503, 'The service is unavailable (a sandbox fault). Retry later.') },
        headers,
        close,
      );
    }
    if (fault?.fault === 'delay') await sleep(fault.delayMs!);

    let close = false;
    const params = coerceParams(op, raw);
    const paramErrors = validationErrors(op.paramsValidator, params);
    if (paramErrors) {
      return send(req, res, started, validationReply(paramErrors), undefined, await discardBody(req));
    }

    let body: unknown;
    if (op.requestBody) {
      const parsed = await jsonBody(req);
      if (!parsed) return;
      if ('reply' in parsed) return send(req, res, started, parsed.reply, undefined, parsed.close);
      body = config.requestBody ? config.requestBody(op, parsed.value) : parsed.value;
      const bodyErrors = validationErrors(op.requestBody.validator, body);
      if (bodyErrors) return send(req, res, started, validationReply(bodyErrors));
    } else if (await discardBody(req)) close = true;

    const handler = handlers[op.operationId]!;
    const reply = handler({ state: target.state, taskDurationMs, now: now() }, params, body);
    send(req, res, started, reply, undefined, close);
  }

  async function control(
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    path: string,
    method: string,
  ) {
    const route = Object.hasOwn(controlRoutes, path) ? controlRoutes[path] : undefined;
    if (!route) {
      const close = await discardBody(req);
      const known = Object.entries(controlRoutes)
        .map(([p, r]) => `${r.method} ${p}`)
        .join(', ');
      return send(
        req,
        res,
        started,
        {
          status: 404,
          json: problemJson(404, `No sandbox endpoint ${printable(path)}. The control plane has: ${known}.`),
        },
        undefined,
        close,
      );
    }
    if (method !== route.method) {
      const close = await refuseBody(req);
      const allow = route.method === 'GET' ? 'GET, HEAD' : route.method;
      return send(
        req,
        res,
        started,
        { status: 405, json: problemJson(405, `Use ${route.method} for ${path}.`) },
        { allow },
        close,
      );
    }
    let body: unknown;
    let close = false;
    if (route.json) {
      const parsed = await jsonBody(req);
      if (!parsed) return;
      if ('reply' in parsed) return send(req, res, started, parsed.reply, undefined, parsed.close);
      body = parsed.value;
    } else close = await discardBody(req);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const reply = route.run(target, body, now(), url.searchParams);
    send(req, res, started, reply, undefined, close);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = log ? performance.now() : 0;
    const path = pathOf(req.url);
    const open = config.openRoute?.(req, path ?? '');
    if (open) return open.then((r) => r && send(req, res, started, r, undefined, r.close));
    const auth = await authenticate(req.headers.authorization);
    if (!auth.ok) {
      // Refused before reading: drop a little of the body, then end the connection.
      const close = await refuseBody(req);
      return send(
        req,
        res,
        started,
        { status: 401, json: problemJson(401, auth.detail) },
        { 'www-authenticate': auth.challenge },
        close,
      );
    }
    if (path === null) {
      const close = await discardBody(req);
      return send(
        req,
        res,
        started,
        { status: 404, json: problemJson(404, 'Send requests to a path such as /api/v2/task/{taskId}.') },
        undefined,
        close,
      );
    }
    const method = routingMethod(req);
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`))
      return control(req, res, started, path, method);
    const route = matchRoute(method, path);
    if (route.kind === 'operation') return operation(req, res, started, route.operation, route.pathParams);
    if (route.kind === 'method-not-allowed') {
      const close = await refuseBody(req);
      const allow = route.allow.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
      return send(
        req,
        res,
        started,
        { status: 405, json: problemJson(405, `Use ${route.allow.join(' or ')} for this path.`) },
        { allow: allow.join(', ') },
        close,
      );
    }
    const close = await discardBody(req);
    return send(
      req,
      res,
      started,
      {
        status: 404,
        json: problemJson(
          404,
          `No operation at ${printable(path)}. The API's paths are in generated/openapi.json; the sandbox's own are under /_sandbox/.`,
        ),
      },
      undefined,
      close,
    );
  }

  const server = createServer(
    {
      keepAlive: true,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts every 30 s by default, which lets a half-sent request live a
      // minute; a check a second keeps the reaping within a second of the limit.
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      tracker.request(req, res);
      handle(req, res).catch((err: unknown) => {
        // A bug, never a client's fault: the fuzz tests prove no input gets here.
        log?.(
          `sandbox bug on ${req.method} ${printable(pathOf(req.url) ?? '?')}: ${(err as Error)?.stack ?? String(err)}`,
        );
        send(req, res, 0, {
          status: 500,
          json: problemJson(500, 'The sandbox failed; this is a bug, please report it with the traceId.'),
        });
      });
    },
  );
  server.on('connection', (socket: Socket) => tracker.connected(socket));

  // Without a listener Node drops a CONNECT without a word; the sandbox is no proxy, and says so.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(
      rawAnswer(
        405,
        problemJson(405, 'The sandbox is not a proxy: CONNECT is not supported. Send GET, POST or PUT.'),
        'Allow: GET, HEAD, POST, PUT\r\n',
      ),
    );
  });

  // Node answers an unknown Expect with a bare 417; give the problem body every other error has.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    tracker.request(req, res);
    const close = hasBody(req);
    if (!close) req.resume();
    send(
      req,
      res,
      0,
      {
        status: 417,
        json: problemJson(
          417,
          `Expect: ${printable(String(req.headers.expect)).slice(0, 60)} is not supported; send no Expect header, or Expect: 100-continue.`,
        ),
      },
      undefined,
      close,
    );
  });

  // Malformed HTTP never reaches the handler; answer it with a problem rather than Node's bare 400.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body =
      status === 400
        ? JSON.stringify(
            validationProblem(Object.assign(errorMap(), { $: ['The request is not valid HTTP/1.1.'] })),
          )
        : problemJson(
            status,
            status === 431 ? 'The request headers are too large.' : 'The request took too long to arrive.',
          );
    // A request whose body stopped arriving is the one that timed out: it gets the 408 itself.
    for (const res of tracker.pendingOn(socket)) {
      if (status === 408 && !res.headersSent && !res.req.complete) {
        send(res.req, res, 0, { status, json: body }, undefined, true);
        return;
      }
    }
    // Pipelined requests before the bad bytes took effect: their answers go out first, then this
    // one, then the connection ends. A handler that never finishes cannot hold the socket open
    // past the request timeout.
    const guard = setTimeout(() => socket.destroy(), limits.requestTimeoutMs);
    guard.unref();
    tracker.afterPending(socket, () => {
      clearTimeout(guard);
      if (socket.writable) socket.end(rawAnswer(status, body));
    });
  });

  return {
    server,
    async stop(drainMs: number) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await tracker.idle(drainMs);
      if (tracker.inFlight() > 0) {
        // Out of patience: the delays end now and their requests are answered as usual.
        for (const [timer, resolve] of delays) {
          clearTimeout(timer);
          resolve();
        }
        delays.clear();
        await tracker.idle(500);
      }
      server.closeAllConnections();
      tracker.destroyAll();
      await closed;
    },
  };
}
