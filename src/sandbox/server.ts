import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { clientErrorReply, printable, rawAnswer, serverOptions } from '../internal/http-server.js';
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
  problemBody,
  problemReply,
  validationProblem,
  validationReply,
  type Reply,
} from '../internal/problems.js';
import { validationErrors } from './validate.js';
import { errorStack, errorText } from '../internal/error-text.js';

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

/** The Allow header for these methods: HEAD wherever GET (see routingMethod). */
const allowHeader = (methods: string[]) =>
  methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');

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
    return { reply: problemReply(415, detail), close };
  }
  const body = await readBody(req);
  switch (body.kind) {
    case 'aborted':
      return null;
    case 'too-large':
      const detail = `The request body exceeds ${BODY_LIMIT} bytes; send a smaller body.`;
      return { reply: problemReply(413, detail), close: body.closeConnection };
    case 'invalid-utf8':
      return { reply: badRequest('$', 'The body is not valid UTF-8; encode it as UTF-8 JSON.') };
  }
  if (body.text.trim() === '') return { reply: badRequest('$', 'The body is empty; send a JSON object.') };
  try {
    return { value: JSON.parse(body.text) as unknown };
  } catch (err) {
    const reason = errorText(err).slice(0, 160);
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

  function send(req: IncomingMessage, res: ServerResponse, started: number, reply: Reply, close = false) {
    if (res.headersSent || res.destroyed) return;
    let head: Headers = {
      'content-type':
        reply.status < 400 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(reply.json)),
      // A reply's own headers (a cap's Retry-After, the token endpoint's no-store) always go out.
      ...reply.headers,
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

  /**
   * A problem for a request whose body is not wanted: drops a little of it first. `refused`
   * (401, 405) ends the connection whenever a body was announced (see refuseBody).
   */
  async function answerUnread(
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    reply: Reply,
    refused = false,
  ) {
    send(req, res, started, reply, await (refused ? refuseBody(req) : discardBody(req)));
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
      const detail = `Rate limited (a sandbox fault). Retry after ${fault.retryAfter} seconds.`;
      return answerUnread(req, res, started, problemReply(429, detail, { 'retry-after': fault.retryAfter! }));
    }
    if (fault?.fault === '503') {
      const headers: Headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      const detail = 'The service is unavailable (a sandbox fault). Retry later.';
      return answerUnread(req, res, started, problemReply(503, detail, headers));
    }
    if (fault?.fault === 'delay') await sleep(fault.delayMs!);

    let close = false;
    const params = coerceParams(op, raw);
    const paramErrors = validationErrors(op.paramsValidator, params);
    if (paramErrors) {
      return answerUnread(req, res, started, validationReply(paramErrors));
    }

    let body: unknown;
    if (op.requestBody) {
      const parsed = await jsonBody(req);
      if (!parsed) return;
      if ('reply' in parsed) return send(req, res, started, parsed.reply, parsed.close);
      body = config.requestBody ? config.requestBody(op, parsed.value) : parsed.value;
      const bodyErrors = validationErrors(op.requestBody.validator, body);
      if (bodyErrors) return send(req, res, started, validationReply(bodyErrors));
    } else if (await discardBody(req)) close = true;

    const handler = handlers[op.operationId]!;
    const reply = handler({ state: target.state, taskDurationMs, now: now() }, params, body);
    send(req, res, started, reply, close);
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
      const known = Object.entries(controlRoutes)
        .map(([p, r]) => `${r.method} ${p}`)
        .join(', ');
      const detail = `No sandbox endpoint ${printable(path)}. The control plane has: ${known}.`;
      return answerUnread(req, res, started, problemReply(404, detail));
    }
    if (method !== route.method) {
      const allow = allowHeader([route.method]);
      return answerUnread(
        req,
        res,
        started,
        problemReply(405, `Use ${route.method} for ${path}.`, { allow }),
        true,
      );
    }
    let body: unknown;
    let close = false;
    if (route.json) {
      const parsed = await jsonBody(req);
      if (!parsed) return;
      if ('reply' in parsed) return send(req, res, started, parsed.reply, parsed.close);
      body = parsed.value;
    } else close = await discardBody(req);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const reply = route.run(target, body, now(), url.searchParams);
    send(req, res, started, reply, close);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = log ? performance.now() : 0;
    const path = pathOf(req.url);
    const open = config.openRoute?.(req, path ?? '');
    if (open) return open.then((r) => r && send(req, res, started, r, r.close));
    const auth = await authenticate(req.headers.authorization);
    if (!auth.ok) {
      const challenge = { 'www-authenticate': auth.challenge };
      return answerUnread(req, res, started, problemReply(401, auth.detail, challenge), true);
    }
    if (path === null) {
      const detail = 'Send requests to a path such as /api/v2/task/{taskId}.';
      return answerUnread(req, res, started, problemReply(404, detail));
    }
    const method = routingMethod(req);
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`))
      return control(req, res, started, path, method);
    const route = matchRoute(method, path);
    if (route.kind === 'operation') return operation(req, res, started, route.operation, route.pathParams);
    if (route.kind === 'method-not-allowed') {
      const allow = allowHeader(route.allow);
      const detail = `Use ${route.allow.join(' or ')} for this path.`;
      return answerUnread(req, res, started, problemReply(405, detail, { allow }), true);
    }
    const detail = `No operation at ${printable(path)}. The API's paths are in generated/openapi.json; the sandbox's own are under /_sandbox/.`;
    return answerUnread(req, res, started, problemReply(404, detail));
  }

  const server = createServer(serverOptions(limits), (req, res) => {
    tracker.request(req, res);
    handle(req, res).catch((err: unknown) => {
      // A bug, never a client's fault: the fuzz tests prove no input gets here.
      log?.(`sandbox bug on ${req.method} ${printable(pathOf(req.url) ?? '?')}: ${errorStack(err)}`);
      send(
        req,
        res,
        0,
        problemReply(500, 'The sandbox failed; this is a bug, please report it with the traceId.'),
      );
    });
  });
  server.on('connection', (socket: Socket) => tracker.connected(socket));

  // Without a listener Node drops a CONNECT without a word; the sandbox is no proxy, and says so.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(
      rawAnswer(
        405,
        problemBody(405, 'The sandbox is not a proxy: CONNECT is not supported. Send GET, POST or PUT.'),
        'Allow: GET, HEAD, POST, PUT\r\n',
      ),
    );
  });

  // Node answers an unknown Expect with a bare 417; give the problem body every other error has.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    tracker.request(req, res);
    const close = hasBody(req);
    if (!close) req.resume();
    const detail = `Expect: ${printable(String(req.headers.expect)).slice(0, 60)} is not supported; send no Expect header, or Expect: 100-continue.`;
    send(req, res, 0, problemReply(417, detail), close);
  });

  // Malformed HTTP never reaches the handler; answer it with a problem rather than Node's bare 400.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const { status, json: body } = clientErrorReply(err.code);
    // A request whose body stopped arriving is the one that timed out: it gets the 408 itself.
    for (const res of tracker.pendingOn(socket)) {
      if (status === 408 && !res.headersSent && !res.req.complete) {
        send(res.req, res, 0, { status, json: body }, true);
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
