import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { coerceParams, matchRoute, type OperationInfo } from '../contract/index.js';
import { errorStack, errorText } from '../internal/error-text.js';
import { closeAndDrain, guardedServer, pathOf, printable } from '../internal/http-server.js';
import { quote } from '../internal/excerpt.js';
import { problemReply, validationReply, type Reply } from '../internal/problems.js';
import type { Shape } from './aspnet.js';
import type { AuthResult } from './auth.js';
import { BODY_LIMIT, discardBody, isJsonContentType, readBody, unread } from '../internal/request-body.js';
import { ConnectionTracker } from '../internal/connections.js';
import { controlRoutes, type ControlTarget } from './control.js';
import type { ConnectionLimits } from './limits.js';
import { handlers } from './operations/index.js';
import { validationErrors } from './validate.js';

export interface ServerConfig {
  target: ControlTarget;
  authenticate: (header: string | undefined) => AuthResult | Promise<AuthResult>;
  /** Routes answered before authentication (JWT mode's token endpoint); undefined for the rest. */
  openRoute?: (req: IncomingMessage, path: string) => Promise<Reply | null> | undefined;
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

const CONTROL_PREFIX = '/_sandbox';

/** The method a request is routed by: RFC 9110 9.3.2, HEAD wherever GET (Node drops its body). */
const routingMethod = (req: IncomingMessage) => (req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET'));

/** The Allow header for these methods: HEAD wherever GET (see routingMethod). */
const allowHeader = (methods: string[]) =>
  methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');

const badRequest = (message: string) => validationReply({ $: [message] });

/**
 * The body a route takes: parsed JSON (415, 413 and 400 for what a client can get wrong), or, when
 * it takes none, dropped. Null when the client went away.
 */
async function takeBody(
  req: IncomingMessage,
  json: boolean,
): Promise<{ value?: unknown; close?: boolean } | Reply | null> {
  if (!json) return { close: await discardBody(req) };
  const sent = req.headers['content-type'];
  if (!isJsonContentType(sent)) {
    const detail = sent
      ? `The body was sent as ${quote(sent, 100)}; send it as Content-Type: application/json (UTF-8).`
      : 'Send the body with Content-Type: application/json (UTF-8).';
    return unread(req, problemReply(415, detail), true);
  }
  const body = await readBody(req);
  if (body.kind === 'aborted') return null;
  if (body.kind === 'too-large') {
    const detail = `The request body exceeds ${BODY_LIMIT} bytes; send a smaller body.`;
    return { ...problemReply(413, detail), close: body.closeConnection };
  }
  if (body.kind === 'invalid-utf8')
    return badRequest('The body is not valid UTF-8; encode it as UTF-8 JSON.');
  if (body.text.trim() === '') return badRequest('The body is empty; send a JSON object.');
  try {
    return { value: JSON.parse(body.text) as unknown };
  } catch (err) {
    return badRequest(`The body is not valid JSON (${errorText(err).slice(0, 160)}). Send a JSON object.`);
  }
}

export function createSandboxServer(config: ServerConfig) {
  const { target, authenticate, taskDurationMs, now, log, connections: limits } = config;
  const tracker = new ConnectionTracker(limits.maxConnections);
  /** Aborted when stopping runs out of patience: pending delay faults end and are answered. */
  const cutDelays = new AbortController();
  let draining = false;

  function send(req: IncomingMessage, res: ServerResponse, started: number, reply: Reply) {
    if (res.headersSent || res.destroyed) return;
    let head: Record<string, string> = {
      'content-type':
        reply.status < 400 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(reply.json)),
      // A reply's own headers (a cap's Retry-After, the token endpoint's no-store) always go out.
      ...reply.headers,
    };
    // While stopping, a keep-alive connection ends with its answer instead of waiting for more.
    if (reply.close || draining) head.connection = 'close';
    if (config.shape) {
      const routed = { path: pathOf(req.url) ?? '', method: routingMethod(req) };
      ({ reply, head } = config.shape(req, routed, reply, head));
    }
    res.writeHead(reply.status, head);
    res.end(reply.json);
    const ms = (performance.now() - started).toFixed(1);
    log?.(`${req.method} ${printable(pathOf(req.url) ?? '?')} ${reply.status} ${ms}ms`);
  }

  async function operation(req: IncomingMessage, op: OperationInfo, raw: Record<string, string>) {
    const fault = target.faults.take(op.operationId);
    // A 429 or 503 fault leaves the body unused: drop it (up to the discard limit) first.
    if (fault && fault.fault !== 'delay') {
      const detail =
        fault.fault === '429'
          ? `Rate limited (a sandbox fault). Retry after ${fault.retryAfter} seconds.`
          : 'The service is unavailable (a sandbox fault). Retry later.';
      const headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : undefined;
      return unread(req, problemReply(Number(fault.fault), detail, headers));
    }
    if (fault?.fault === 'delay')
      await delay(fault.delayMs!, undefined, { signal: cutDelays.signal }).catch(() => {});

    const params = coerceParams(op, raw);
    const paramErrors = validationErrors(op.paramsValidator, params);
    if (paramErrors) return unread(req, validationReply(paramErrors));
    const body = await takeBody(req, op.requestBody !== null);
    if (!body || 'status' in body) return body;
    const value = config.requestBody && op.requestBody ? config.requestBody(op, body.value) : body.value;
    const bodyErrors = validationErrors(op.requestBody?.validator, value);
    if (bodyErrors) return validationReply(bodyErrors);
    const reply = handlers[op.operationId]!(
      { state: target.state, taskDurationMs, now: now() },
      params,
      value,
    );
    return { ...reply, close: body.close };
  }

  async function control(req: IncomingMessage, path: string, method: string) {
    const route = Object.hasOwn(controlRoutes, path) ? controlRoutes[path] : undefined;
    if (!route) {
      const known = Object.entries(controlRoutes).map(([p, r]) => `${r.method} ${p}`);
      const detail = `No sandbox endpoint ${printable(path)}. The control plane has: ${known.join(', ')}.`;
      return unread(req, problemReply(404, detail));
    }
    if (method !== route.method) {
      const allow = allowHeader([route.method]);
      return unread(req, problemReply(405, `Use ${route.method} for ${path}.`, { allow }), true);
    }
    const body = await takeBody(req, route.json);
    if (!body || 'status' in body) return body;
    const query = new URL(req.url ?? '/', 'http://sandbox').searchParams;
    return { ...route.run(target, body.value, now(), query), close: body.close };
  }

  /** What a request gets; null when the client went away before its body arrived. */
  async function answer(req: IncomingMessage): Promise<Reply | null> {
    const path = pathOf(req.url);
    const open = config.openRoute?.(req, path ?? '');
    if (open) return open;
    const auth = await authenticate(req.headers.authorization);
    if (!auth.ok) {
      const challenge = { 'www-authenticate': auth.challenge };
      return unread(req, problemReply(401, auth.detail, challenge), true);
    }
    if (path === null) {
      return unread(req, problemReply(404, 'Send requests to a path such as /api/v2/task/{taskId}.'));
    }
    const method = routingMethod(req);
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return control(req, path, method);
    const route = matchRoute(method, path);
    if (route.kind === 'operation') return operation(req, route.operation, route.pathParams);
    if (route.kind === 'method-not-allowed') {
      const detail = `Use ${route.allow.join(' or ')} for this path.`;
      return unread(req, problemReply(405, detail, { allow: allowHeader(route.allow) }), true);
    }
    const detail = `No operation at ${printable(path)}. The API's paths are in generated/openapi.json; the sandbox's own are under /_sandbox/.`;
    return unread(req, problemReply(404, detail));
  }

  const connect = {
    detail: 'The sandbox is not a proxy: CONNECT is not supported. Send GET, POST or PUT.',
    allow: 'GET, HEAD, POST, PUT',
  };
  const answerAt = (res: ServerResponse, reply: Reply) => send(res.req, res, performance.now(), reply);
  const server = guardedServer(limits, tracker, { connect, answer: answerAt }, (req, res) => {
    const started = performance.now();
    answer(req).then(
      (reply) => reply && send(req, res, started, reply),
      (err: unknown) => {
        // A bug, never a client's fault: the fuzz tests prove no input gets here.
        log?.(`sandbox bug on ${req.method} ${printable(pathOf(req.url) ?? '?')}: ${errorStack(err)}`);
        const detail = 'The sandbox failed; this is a bug, please report it with the traceId.';
        send(req, res, started, problemReply(500, detail));
      },
    );
  });

  return {
    server,
    /** RunningSandbox.close(), with `drainMs` for the requests in flight. */
    stop(drainMs: number) {
      draining = true;
      // Out of patience: the delays end now and their requests are answered as usual.
      return closeAndDrain(server, tracker, drainMs, () => cutDelays.abort());
    },
  };
}
