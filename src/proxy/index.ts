// `live-platform proxy`: a validating, recording reverse proxy. Every request goes upstream
// unchanged (its token included, to the upstream only), every answer comes back with
// `x-live-platform-violations`, and every exchange can be kept as HAR. Bounded like the sandbox: an
// upstream that fails is a 502 with a problem body, never a crash.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchRoute } from '../contract/index.js';
import {
  failureText,
  joinUrl,
  MAX_RESPONSE_BYTES,
  nodeTransport,
  parsedResponse,
  type RawResponse,
} from '../check/http.js';
import { redactor, type Redactor } from '../internal/redact.js';
import type { CheckOutcome } from '../check/types.js';
import { judgeExchange } from '../har/judge.js';
import { credentialsOf } from '../har/record.js';
import { notify, type ExchangeObserver } from '../internal/exchange.js';
import { BODY_LIMIT, readBody } from '../internal/request-body.js';
import {
  ConnectionTracker,
  DEFAULT_CONNECTION_LIMITS,
  type ConnectionLimits,
} from '../internal/connections.js';
import { problemReply, type Reply } from '../internal/problems.js';
import { guardedServer, hasBody, closeAndDrain, listen, pathOf, printable } from '../internal/http-server.js';
import { errorStack } from '../internal/error-text.js';
import { normalizeBaseUrl, UPSTREAM_WORDING } from '../internal/base-url.js';

export const VIOLATIONS_HEADER = 'x-live-platform-violations';
/** The default deadline for one upstream exchange, connect to last byte (the checker's). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;
/** Distinct credentials remembered for redaction; a client inventing one per request cannot grow it. */
const MAX_REMEMBERED_SECRETS = 256;

/**
 * Never forwarded: hop-by-hop headers (RFC 9110 7.6.1), those the proxy sets itself, and
 * accept-encoding, so that the answer comes as identity, to be read and validated.
 */
const HOP_BY_HOP =
  /^(connection|keep-alive|proxy-connection|transfer-encoding|te|trailer|upgrade|host|content-length|expect|accept-encoding)$/;

/** Headers to pass on, one string each. */
const forwarded = (headers: Record<string, string | string[] | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) =>
      v === undefined || HOP_BY_HOP.test(k) ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]],
    ),
  );

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
}

export interface RunningProxy {
  url: string;
  /** Removes every credential the proxy has seen, in every form, from a text. */
  redact: Redactor;
  close(): Promise<void>;
}

/** What goes into the violations header: the failed checks, then the lenient ones marked so. */
function violationsOf(outcomes: CheckOutcome[]): string {
  const named = (verdict: string, mark = '') =>
    outcomes.filter((o) => o.verdict === verdict).map((o) => o.check + mark);
  return [...new Set([...named('failed'), ...named('lenient', ';lenient')])].join(', ') || 'none';
}

const PROBLEM_HEADERS = {
  'content-type': 'application/problem+json; charset=utf-8',
  [VIOLATIONS_HEADER]: 'none',
};

/** Writes a whole answer, unless one went out already. */
function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string>) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) }).end(body);
}

/** Writes a problem reply, with `Connection: close` when it says `close`. */
const sendProblem = (res: ServerResponse, { status, json, close }: Reply) =>
  reply(res, status, json, { ...PROBLEM_HEADERS, ...(close && { connection: 'close' }) });

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const upstream = normalizeBaseUrl(options.upstream, 'startProxy: upstream', UPSTREAM_WORDING);
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const transport = nodeTransport();
  const tracker = new ConnectionTracker(limits.maxConnections);

  const secrets = new Set<string>();
  let redactSeen: Redactor = redactor([]);
  const redact: Redactor = (text) => redactSeen(text);
  const learn = (req: IncomingMessage) => {
    for (const credential of credentialsOf(req.headers)) {
      if (secrets.has(credential)) continue;
      if (secrets.size >= MAX_REMEMBERED_SECRETS) secrets.delete(secrets.values().next().value!);
      secrets.add(credential);
      redactSeen = redactor([...secrets]);
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const startedAt = Date.now();
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const pathname = pathOf(target) ?? '?';
    learn(req);
    const logLine = (status: number, violations: string) =>
      options.log?.(
        `${method} ${printable(redact(pathname))} ${status} ${(performance.now() - started).toFixed(1)}ms ${violations}`,
      );
    const refuse = (status: number, detail: string, close = false, violations = 'none') => {
      logLine(status, violations);
      sendProblem(res, { ...problemReply(status, detail), close });
    };

    let body: string | undefined;
    if (hasBody(req)) {
      const read = await readBody(req, BODY_LIMIT);
      if (read.kind === 'aborted') return;
      if (read.kind === 'too-large')
        return refuse(
          413,
          `The request body exceeds ${BODY_LIMIT} bytes, the most the proxy forwards (the contract's 413 is 64 KiB).`,
          read.closeConnection,
        );
      if (read.kind === 'invalid-utf8')
        return refuse(400, 'The request body is not valid UTF-8; the API takes UTF-8 JSON.');
      body = read.text;
    } else req.resume();

    if (!target.startsWith('/'))
      return refuse(
        400,
        'The proxy is a reverse proxy: send origin-form requests (GET /api/...), not absolute URLs.',
      );
    const url = joinUrl(upstream, target);
    const headers = forwarded(req.headers);
    const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    let answer: RawResponse | undefined;
    let error: string | undefined;
    try {
      answer = await transport(url, { method, headers, body, timeoutMs });
    } catch (err) {
      error = redact(failureText(err));
    }
    notify(options.onExchange, {
      request: { method, url, headers, body },
      ...(answer && {
        response: {
          status: answer.status,
          headers: answer.headers,
          body: answer.text,
          truncated: answer.truncated,
        },
      }),
      error,
      timings: { startedAt, totalMs: performance.now() - started },
    });
    if (!answer) {
      const detail = `The upstream ${upstream} gave no complete answer: ${error}.`;
      return refuse(502, detail, false, 'upstream-failed');
    }
    if (answer.truncated) {
      const detail = `The upstream answered more than ${MAX_RESPONSE_BYTES} bytes, the most the proxy reads; the contract's bodies are a few kB.`;
      return refuse(502, detail, false, 'upstream-too-large');
    }

    const match = matchRoute(method, pathname);
    let violations = 'unknown-operation';
    if (match.kind === 'operation') {
      const auth = req.headers.authorization ? 'token' : 'none';
      const request = { method, path: redact(target), auth } as const;
      const { response, json } = parsedResponse(answer, Math.round(performance.now() - started), redact);
      const caseName = `${method} ${pathname}`;
      violations = violationsOf(
        judgeExchange(match.operation, { request, response }, json, { caseName, strict: options.strict }),
      );
    }
    logLine(answer.status, violations);
    reply(res, answer.status, answer.text, { ...forwarded(answer.headers), [VIOLATIONS_HEADER]: violations });
  }

  const connect = { detail: 'The proxy is a reverse proxy: CONNECT is not supported.' };
  const server = guardedServer(limits, tracker, { connect, answer: sendProblem }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.log?.(
        `proxy bug on ${req.method} ${printable(redact(pathOf(req.url) ?? '?'))}: ${redact(errorStack(err))}`,
      );
      sendProblem(res, problemReply(500, 'The proxy failed; this is a bug, please report it.'));
    });
  });

  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  let closing: Promise<void> | undefined;
  return {
    url,
    redact,
    close: () =>
      (closing ??= closeAndDrain(server, tracker, limits.drainTimeoutMs).finally(() => transport.close())),
  };
}
