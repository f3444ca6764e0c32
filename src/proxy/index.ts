// `live-platform proxy`: a validating, recording reverse proxy. An application points at it
// instead of its tenant; every request goes upstream unchanged (its token included, to the
// upstream only), every answer comes back with `x-live-platform-violations`, and every exchange
// can be kept as HAR. Bounded like the sandbox: body caps, timeouts, a connection cap, and an
// upstream that fails is a 502 with a problem body, never a crash.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { matchRoute } from '../contract/index.js';
import {
  failureText,
  joinUrl,
  MAX_RESPONSE_BYTES,
  nodeTransport,
  parsedResponse,
  type RawResponse,
  type Transport,
} from '../check/http.js';
import { redactor, type Redactor } from '../internal/redact.js';
import type { CheckRequest, CheckOutcome } from '../check/types.js';
import { judgeExchange } from '../har/judge.js';
import { notify, type ExchangeObserver } from '../internal/exchange.js';
import { BODY_LIMIT, hasBody, readBody } from '../sandbox/body.js';
import { ConnectionTracker } from '../sandbox/connections.js';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from '../sandbox/limits.js';
import { problem } from '../internal/problems.js';
import { clientErrorReply, printable, rawAnswer, serverOptions } from '../internal/http-server.js';
import { errorStack } from '../internal/error-text.js';
import { normalizeBaseUrl, UPSTREAM_WORDING } from '../internal/base-url.js';

export const VIOLATIONS_HEADER = 'x-live-platform-violations';
/** The default deadline for one upstream exchange, connect to last byte (the checker's). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;
/** Distinct credentials remembered for redaction; a client inventing one per request cannot grow it. */
const MAX_REMEMBERED_SECRETS = 256;

/** Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy sets itself: never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'expect',
  // Asked for identity, so that the answer can be read and validated (the API's bodies are small).
  'accept-encoding',
]);

export interface ProxyOptions {
  /** The server to forward to: an API root such as https://live.example.com. */
  upstream: string;
  /** Default 0 (a free port); the CLI defaults to 4030. */
  port?: number;
  /** Default 127.0.0.1: the proxy carries the application's token, so it is not on the network unless asked. */
  host?: string;
  /** Deadline per upstream exchange (10 000 ms). */
  upstreamTimeoutMs?: number;
  /** Judge answers that break only our own decisions as failures, not `lenient`. */
  strict?: boolean;
  /** Receives every exchange, credentials still in it (a HarRecorder redacts them). */
  onExchange?: ExchangeObserver;
  /** One line per exchange: method, path without query, status, ms, violations. Never a token. */
  log?: (line: string) => void;
  /** The client side's timeouts and connection cap; default the sandbox's. */
  limits?: Partial<ConnectionLimits>;
  /** How requests reach the upstream (tests inject one); default node:http with keep-alive. */
  transport?: Transport;
}

export interface RunningProxy {
  url: string;
  /** Removes every credential the proxy has seen, in every form, from a text. */
  redact: Redactor;
  close(): Promise<void>;
}

const flat = (headers: IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
};

/** What goes into the violations header: the failed checks, then the lenient ones marked so. */
export function violationsOf(outcomes: CheckOutcome[]): string {
  const failed = [...new Set(outcomes.filter((o) => o.verdict === 'failed').map((o) => o.check))];
  const lenient = [
    ...new Set(outcomes.filter((o) => o.verdict === 'lenient').map((o) => `${o.check};lenient`)),
  ];
  return [...failed, ...lenient].join(', ') || 'none';
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const upstream = normalizeBaseUrl(options.upstream, 'startProxy: upstream', UPSTREAM_WORDING);
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const ownTransport = options.transport ? undefined : nodeTransport();
  const transport = options.transport ?? ownTransport!;
  const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const tracker = new ConnectionTracker(limits.maxConnections);

  const secrets: string[] = [];
  let redactSeen: Redactor = redactor([]);
  const redact: Redactor = (text) => redactSeen(text);
  const learn = (headers: IncomingHttpHeaders) => {
    for (const name of ['authorization', 'proxy-authorization']) {
      const value = headers[name];
      if (typeof value !== 'string' || !value.trim()) continue;
      const credential = /^\S+\s+(\S.*)$/.exec(value)?.[1]?.trim() ?? value.trim();
      if (secrets.includes(credential)) continue;
      if (secrets.length >= MAX_REMEMBERED_SECRETS) secrets.shift();
      secrets.push(credential);
      redactSeen = redactor(secrets);
    }
  };

  function reply(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
    close = false,
  ) {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      ...headers,
      'content-length': String(Buffer.byteLength(body)),
      ...(close ? { connection: 'close' } : {}),
    });
    res.end(body);
  }

  const problemReply = (res: ServerResponse, status: number, detail: string, close = false) =>
    reply(
      res,
      status,
      { 'content-type': 'application/problem+json; charset=utf-8', [VIOLATIONS_HEADER]: 'none' },
      JSON.stringify(problem(status, detail)),
      close,
    );

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const startedAt = Date.now();
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const pathname = target.split('?')[0] ?? '/';
    learn(req.headers);
    const logLine = (status: number, violations: string) =>
      options.log?.(
        `${method} ${printable(redact(pathname))} ${status} ${(performance.now() - started).toFixed(1)}ms ${violations}`,
      );

    let body: string | undefined;
    if (hasBody(req)) {
      const read = await readBody(req, BODY_LIMIT);
      if (read.kind === 'aborted') return;
      if (read.kind === 'too-large') {
        logLine(413, 'none');
        return problemReply(
          res,
          413,
          `The request body exceeds ${BODY_LIMIT} bytes, the most the proxy forwards (the contract's 413 is 64 KiB).`,
          read.closeConnection,
        );
      }
      if (read.kind === 'invalid-utf8') {
        logLine(400, 'none');
        return problemReply(res, 400, 'The request body is not valid UTF-8; the API takes UTF-8 JSON.');
      }
      body = read.text;
    } else req.resume();

    if (!target.startsWith('/')) {
      logLine(400, 'none');
      return problemReply(
        res,
        400,
        'The proxy is a reverse proxy: send origin-form requests (GET /api/...), not absolute URLs.',
      );
    }
    const url = joinUrl(upstream, target);
    const headers = flat(req.headers);
    const observe = (response?: RawResponse, error?: string) =>
      notify(options.onExchange, {
        request: { method, url, headers, ...(body !== undefined ? { body } : {}) },
        ...(response
          ? {
              response: {
                status: response.status,
                headers: response.headers,
                body: response.text,
                ...(response.truncated ? { truncated: true } : {}),
              },
            }
          : {}),
        ...(error !== undefined ? { error } : {}),
        timings: { startedAt, totalMs: performance.now() - started },
      });

    let upstreamRes: RawResponse;
    try {
      upstreamRes = await transport(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        timeoutMs,
      });
    } catch (err) {
      const why = redact(failureText(err));
      observe(undefined, why);
      logLine(502, 'upstream-failed');
      return problemReply(res, 502, `The upstream ${upstream} gave no complete answer: ${why}.`);
    }
    observe(upstreamRes);
    if (upstreamRes.truncated) {
      logLine(502, 'upstream-too-large');
      return problemReply(
        res,
        502,
        `The upstream answered more than ${MAX_RESPONSE_BYTES} bytes, the most the proxy reads; the contract's bodies are a few kB.`,
      );
    }

    const match = matchRoute(method, pathname);
    let violations = 'unknown-operation';
    if (match.kind === 'operation') {
      const { response, json } = parsedResponse(upstreamRes, Math.round(performance.now() - started), redact);
      const request: CheckRequest = {
        method,
        path: redact(target),
        auth: req.headers.authorization ? 'token' : 'none',
      };
      violations = violationsOf(
        judgeExchange(match.operation, { request, response }, json, {
          caseName: `${method} ${pathname}`,
          ...(options.strict ? { strict: true } : {}),
        }),
      );
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(upstreamRes.headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
    out[VIOLATIONS_HEADER] = violations;
    logLine(upstreamRes.status, violations);
    reply(res, upstreamRes.status, out, upstreamRes.text);
  }

  const server = createServer(serverOptions(limits), (req, res) => {
    tracker.request(req, res);
    handle(req, res).catch((err: unknown) => {
      options.log?.(
        `proxy bug on ${req.method} ${printable(redact(req.url ?? '?'))}: ${redact(errorStack(err))}`,
      );
      problemReply(res, 500, 'The proxy failed; this is a bug, please report it.');
    });
  });
  server.on('connection', (socket: Socket) => tracker.connected(socket));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const { status, json } = clientErrorReply(err.code);
    socket.end(rawAnswer(status, json));
  });
  // Node answers an unknown Expect with a bare 417; the proxy's refusals all carry a problem body.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    tracker.request(req, res);
    problemReply(res, 417, 'Send no Expect header, or Expect: 100-continue.', hasBody(req));
  });
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(
      rawAnswer(405, JSON.stringify(problem(405, 'The proxy is a reverse proxy: CONNECT is not supported.'))),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    redact,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await tracker.idle(limits.drainTimeoutMs);
        server.closeAllConnections();
        tracker.destroyAll();
        ownTransport?.close();
        await closed;
      })();
      return closing;
    },
  };
}
