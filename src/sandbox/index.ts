import type { AddressInfo } from 'node:net';
import {
  ASPNET_SWITCHES,
  checkAspNetOptions,
  createAspNet,
  EXTRA_MEMBERS,
  type AspNetOptions,
  type AspNetSwitch,
} from './aspnet.js';
import { checkTokens, createAuthenticator, DEFAULT_SANDBOX_TOKEN, exposesDefaultToken } from './auth.js';
import { FaultQueue } from './faults.js';
import { checkLimits, DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
import { loadSeed, initialState, SeedError } from './seed.js';
export { loadRecordingSeed, seedFromRecording } from './seed.js';
import {
  checkJwtOptions,
  createJwtAuthority,
  DEFAULT_AUDIENCE,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TOKEN_LIFETIME_MS,
  TOKEN_PATH,
  type JwtOptions,
} from './jwt.js';
import { createSandboxServer } from './server.js';
import type { SandboxSeed, SandboxState } from './state.js';

export { exposesDefaultToken } from './auth.js';
export { DEFAULT_SANDBOX_TOKEN, DEFAULT_LIMITS, SeedError, type SandboxSeed, type SandboxLimits };
export { ASPNET_SWITCHES, EXTRA_MEMBERS, type AspNetOptions, type AspNetSwitch, type JwtOptions };
export { DEFAULT_AUDIENCE, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TOKEN_LIFETIME_MS };
export type { Fault, FaultKind } from './faults.js';

export interface SandboxOptions {
  /** Port to listen on; default 0 (a free port). The CLI defaults to 4020. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Accepted bearer tokens; default [DEFAULT_SANDBOX_TOKEN]. Static mode only. */
  tokens?: string[];
  /**
   * `static` (default): the fixed `tokens`. `jwt`: signed RS256 JWTs from a client-credentials
   * endpoint, POST /_sandbox/token, validated like ASP.NET's JwtBearer (signature, expiry, audience, issuer).
   */
  auth?: 'static' | 'jwt';
  /** JWT mode: how long an issued token lives at least, in ms (its `exp` is rounded up to a whole second); default one hour. */
  tokenLifetimeMs?: number;
  /** JWT mode: the accepted client and the audience; defaults DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_AUDIENCE. */
  jwt?: JwtOptions;
  /** ASP.NET-behaviour switches (see docs/sandbox.md), all off by default. */
  aspnet?: AspNetOptions;
  /** How long a task stays InProgress, in ms; default 2000. */
  taskDurationMs?: number;
  /** A JSON file path or an object that extends the fixtures (or replaces them with `replace: true`). */
  seed?: string | SandboxSeed;
  /** Receives one line per request (method, path, status, ms); never a token or a query string. */
  log?: (line: string) => void;
  /** Caps on state and connections; each one left out keeps its default (DEFAULT_LIMITS, docs/sandbox.md). */
  limits?: Partial<SandboxLimits>;
  /**
   * Where the sandbox reads the time (task progress, which finished task makes room at maxTasks,
   * state timestamps, JWT issue and expiry); default the wall clock. A test passes one it moves, so a task finishes when
   * the test says, not when a loaded machine gets round to it.
   */
  clock?: SandboxClock;
}

/** A source of the current time in ms since the epoch, as Date.now() gives it. */
export interface SandboxClock {
  now(): number;
}

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:4020 (no trailing slash). */
  url: string;
  /** The accepted bearer tokens (empty in JWT mode). */
  tokens: string[];
  /** JWT mode only: where and how to get a token. */
  jwt?: {
    tokenUrl: string;
    clientId: string;
    clientSecret: string;
    /** `<audience>/.default`, the scope the token endpoint requires. */
    scope: string;
    audience: string;
    issuer: string;
  };
  /**
   * Stops accepting, lets requests in flight finish (up to limits.drainTimeoutMs; a delay fault
   * still pending then is cut short and answered), then closes every connection.
   */
  close(): Promise<void>;
}

export const DEFAULT_TASK_DURATION_MS = 2000;

function checkOptions(options: SandboxOptions) {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`startSandbox: port must be a whole number from 0 to 65535, not ${String(port)}.`);
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '')
    throw new TypeError('startSandbox: host must be a non-empty string such as 127.0.0.1.');
  const taskDurationMs = options.taskDurationMs ?? DEFAULT_TASK_DURATION_MS;
  if (typeof taskDurationMs !== 'number' || !Number.isFinite(taskDurationMs) || taskDurationMs < 0) {
    throw new TypeError(
      `startSandbox: taskDurationMs must be a number of milliseconds >= 0, not ${String(taskDurationMs)}.`,
    );
  }
  const auth = options.auth ?? 'static';
  if (auth !== 'static' && auth !== 'jwt')
    throw new TypeError(`startSandbox: auth must be "static" or "jwt", not ${JSON.stringify(auth)}.`);
  if (auth === 'jwt' && options.tokens !== undefined)
    throw new TypeError(
      'startSandbox: tokens are for auth "static"; JWT mode issues its own from POST /_sandbox/token.',
    );
  if (auth === 'static' && (options.jwt !== undefined || options.tokenLifetimeMs !== undefined))
    throw new TypeError('startSandbox: jwt and tokenLifetimeMs need auth: "jwt".');
  const tokens = auth === 'jwt' ? [] : checkTokens(options.tokens ?? [DEFAULT_SANDBOX_TOKEN]);
  if (exposesDefaultToken(host, tokens))
    throw new TypeError(
      `startSandbox: host ${JSON.stringify(host)} is reachable from other machines and ${JSON.stringify(DEFAULT_SANDBOX_TOKEN)} is a public default; pass tokens of your own, or listen on 127.0.0.1.`,
    );
  const jwt = auth === 'jwt' ? checkJwtOptions(options.jwt, options.tokenLifetimeMs) : undefined;
  const aspnet = checkAspNetOptions(options.aspnet);
  const limits = checkLimits(options.limits);
  const clock: SandboxClock = options.clock ?? Date;
  if (typeof clock?.now !== 'function')
    throw new TypeError('startSandbox: clock must be an object with a now() that returns ms, like Date.');
  return { port, host, taskDurationMs, tokens, limits, jwt, aspnet, clock };
}

/**
 * Starts a stateful sandbox of the Live Platform API: the vendor's fixtures, tasks that progress,
 * a control plane under /_sandbox/. Always close() it (in afterAll), even when a test fails.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const { port, host, taskDurationMs, tokens, limits, jwt, aspnet, clock } = checkOptions(options);
  const authority = jwt ? await createJwtAuthority(jwt, () => clock.now()) : undefined;
  const seed = options.seed === undefined ? undefined : loadSeed(options.seed);
  const target = {
    state: initialState(seed, limits) as SandboxState,
    faults: new FaultQueue(limits.maxFaults),
    reset() {
      target.state = initialState(seed, limits);
      target.faults.clear();
    },
  };
  const { server, stop } = createSandboxServer({
    target,
    authenticate: authority ? authority.authenticate : createAuthenticator(tokens),
    ...(authority ? { openRoute: authority.openRoute } : {}),
    ...createAspNet(aspnet),
    taskDurationMs,
    now: () => clock.now(),
    connections: limits,
    ...(options.log ? { log: options.log } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const url = `http://${urlHost}:${address.port}`;
  if (authority) authority.issuer = `${url}/_sandbox`;
  return {
    url,
    tokens: [...tokens],
    ...(authority && {
      jwt: {
        tokenUrl: `${url}${TOKEN_PATH}`,
        clientId: authority.settings.clientId,
        clientSecret: authority.settings.clientSecret,
        scope: authority.settings.scope,
        audience: authority.settings.audience,
        issuer: authority.issuer,
      },
    }),
    close() {
      closing ??= stop(limits.drainTimeoutMs);
      return closing;
    },
  };
}
