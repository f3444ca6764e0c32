import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { coerceParams, matchRoute, type OperationInfo } from '../contract/index.js';
import type { Shape } from './aspnet.js';
import type { AuthResult } from './auth.js';
import { BODY_LIMIT, discardBody, isJsonContentType, readBody } from './body.js';
import { controlRoutes, type ControlTarget } from './control.js';
import { handlers, type Reply } from './handlers.js';
import type { OpenReply } from './jwt.js';
import { problem, validationProblem, errorMap, addError } from './problems.js';
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
  log?: (line: string) => void;
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

const printable = (path: string) => {
  const clean = path.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
};

function problemJson(status: number, detail: string): string {
  return JSON.stringify(problem(status, detail));
}

function badRequest(field: string, message: string): Reply {
  const errors = errorMap();
  addError(errors, field, message);
  return { status: 400, json: JSON.stringify(validationProblem(errors)) };
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
    return { reply: { status: 415, json: problemJson(415, detail) } };
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

export function createSandboxServer(config: ServerConfig): { server: Server; cancelDelays(): void } {
  const { target, authenticate, taskDurationMs, log } = config;
  const delays = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.add(timer);
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
      ...headers,
    };
    if (close) head.connection = 'close';
    if (config.shape) ({ reply, head } = config.shape(req, reply, head));
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
    if (fault?.fault === '429') {
      return send(
        req,
        res,
        started,
        {
          status: 429,
          json: problemJson(429, `Rate limited (a sandbox fault). Retry after ${fault.retryAfter} seconds.`),
        },
        { 'retry-after': fault.retryAfter! },
      );
    }
    if (fault?.fault === '503') {
      const headers: Headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      return send(
        req,
        res,
        started,
        { status: 503, json: problemJson(503, 'The service is unavailable (a sandbox fault). Retry later.') },
        headers,
      );
    }
    if (fault?.fault === 'delay') await sleep(fault.delayMs!);

    const params = coerceParams(op, raw);
    const paramErrors = validationErrors(op.paramsValidator, params);
    if (paramErrors)
      return send(req, res, started, { status: 400, json: JSON.stringify(validationProblem(paramErrors)) });

    let body: unknown;
    if (op.requestBody) {
      const parsed = await jsonBody(req);
      if (!parsed) return;
      if ('reply' in parsed) return send(req, res, started, parsed.reply, undefined, parsed.close);
      body = config.requestBody ? config.requestBody(op, parsed.value) : parsed.value;
      const bodyErrors = validationErrors(op.requestBody.validator, body);
      if (bodyErrors)
        return send(req, res, started, { status: 400, json: JSON.stringify(validationProblem(bodyErrors)) });
    } else discardBody(req);

    const handler = handlers[op.operationId]!;
    send(req, res, started, handler({ state: target.state, taskDurationMs, now: Date.now() }, params, body));
  }

  async function control(req: IncomingMessage, res: ServerResponse, started: number, path: string) {
    const route = Object.hasOwn(controlRoutes, path) ? controlRoutes[path] : undefined;
    if (!route) {
      discardBody(req);
      const known = Object.entries(controlRoutes)
        .map(([p, r]) => `${r.method} ${p}`)
        .join(', ');
      return send(req, res, started, {
        status: 404,
        json: problemJson(404, `No sandbox endpoint ${printable(path)}. The control plane has: ${known}.`),
      });
    }
    if (req.method !== route.method) {
      discardBody(req);
      return send(
        req,
        res,
        started,
        { status: 405, json: problemJson(405, `Use ${route.method} for ${path}.`) },
        { allow: route.method },
      );
    }
    let body: unknown;
    if (route.json) {
      const parsed = await jsonBody(req);
      if (!parsed) return;
      if ('reply' in parsed) return send(req, res, started, parsed.reply, undefined, parsed.close);
      body = parsed.value;
    } else discardBody(req);
    send(req, res, started, route.run(target, body, Date.now()));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = log ? performance.now() : 0;
    const open = config.openRoute?.(req, pathOf(req.url) ?? '');
    if (open) return open.then((r) => r && send(req, res, started, r, r.headers, r.close));
    const auth = await authenticate(req.headers.authorization);
    if (!auth.ok) {
      discardBody(req);
      return send(
        req,
        res,
        started,
        { status: 401, json: problemJson(401, auth.detail) },
        { 'www-authenticate': auth.challenge },
      );
    }
    const path = pathOf(req.url);
    if (path === null) {
      discardBody(req);
      return send(req, res, started, {
        status: 404,
        json: problemJson(404, 'Send requests to a path such as /api/v2/task/{taskId}.'),
      });
    }
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`))
      return control(req, res, started, path);
    const route = matchRoute(req.method ?? 'GET', path);
    if (route.kind === 'operation') return operation(req, res, started, route.operation, route.pathParams);
    discardBody(req);
    if (route.kind === 'method-not-allowed') {
      return send(
        req,
        res,
        started,
        { status: 405, json: problemJson(405, `Use ${route.allow.join(' or ')} for this path.`) },
        { allow: route.allow.join(', ') },
      );
    }
    return send(req, res, started, {
      status: 404,
      json: problemJson(
        404,
        `No operation at ${printable(path)}. The API's paths are in generated/openapi.json; the sandbox's own are under /_sandbox/.`,
      ),
    });
  }

  const server = createServer({ keepAlive: true }, (req, res) => {
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
    socket.end(
      `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 431 ? 'Request Header Fields Too Large' : 'Request Timeout'}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  return {
    server,
    cancelDelays() {
      for (const t of delays) clearTimeout(t);
      delays.clear();
    },
  };
}
