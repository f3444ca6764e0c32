import { listen } from '../internal/http-server.js';
import { ASPNET_SWITCHES, createAspNet, type AspNetOptions } from './aspnet.js';
import { createAuthenticator, DEFAULT_SANDBOX_TOKEN, exposesDefaultToken } from './auth.js';
import { FaultQueue } from './faults.js';
import { createJwtAuthority, jwtSettings, TOKEN_PATH, type JwtOptions } from './jwt.js';
import { DEFAULT_LIMITS, defaultMaxConnections, type SandboxLimits } from './limits.js';
import { MAX_TIMER_MS } from '../internal/timers.js';
import { initialState, loadSeed } from './seed.js';
import { createSandboxServer } from './server.js';
import type { SandboxSeed } from './state.js';

export { ASPNET_SWITCHES, EXTRA_MEMBERS, type AspNetOptions, type AspNetSwitch } from './aspnet.js';
export { DEFAULT_SANDBOX_TOKEN, exposesDefaultToken } from './auth.js';
export type { Fault, FaultKind } from './faults.js';
export {
  DEFAULT_AUDIENCE,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TOKEN_LIFETIME_MS,
  type JwtOptions,
} from './jwt.js';
import { isJsonObject } from '../internal/json.js';
import { isWholeNumber } from '../internal/whole-number.js';
import { isVisibleToken } from '../internal/token.js';
export { DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
export { loadRecordingSeed, seedFromRecording, SeedError } from './seed.js';
export type { SandboxSeed } from './state.js';

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

/** A rule of an option: the test its value must pass and, for the message, what it must be. */
type Rule = [test: (v: any) => boolean, must: string];
const visible = (max: number) => (v: unknown) => isVisibleToken(v) && v.length <= max;
const whole = (min: number, max: number) => (v: unknown) => isWholeNumber(v, min, max);
const ms = (min: number, max: number) => (v: unknown) => typeof v === 'number' && v >= min && v <= max;

const OPTION_RULES: Record<string, Rule> = {
  port: [whole(0, 65535), 'a whole number from 0 to 65535'],
  host: [(v) => typeof v === 'string' && v !== '', 'a non-empty string such as 127.0.0.1'],
  taskDurationMs: [ms(0, Infinity), 'a number of milliseconds >= 0'],
  auth: [(v) => v === 'static' || v === 'jwt', '"static" or "jwt"'],
  tokens: [
    (v) => Array.isArray(v) && v.length > 0 && v.every(visible(Infinity)),
    'a non-empty array of strings of visible ASCII characters without spaces (or left out for the default)',
  ],
  tokenLifetimeMs: [ms(1, 86_400_000), 'a number of milliseconds from 1 to 86400000'],
  clock: [(v) => typeof v?.now === 'function', 'an object with a now() that returns ms, like Date'],
};

const text: Rule = [visible(200), '1-200 visible ASCII characters without spaces'];
const bool: Rule = [(v) => typeof v === 'boolean', 'true or false'];
const count: Rule = [whole(1, Number.MAX_SAFE_INTEGER), 'a whole number of at least 1'];
const timeout: Rule = [
  whole(1, MAX_TIMER_MS),
  `at most ${MAX_TIMER_MS} ms, and a whole number of at least 1`,
];
const rulesOf = (names: readonly string[], rule: (name: string) => Rule) =>
  Object.fromEntries(names.map((name) => [name, rule(name)]));
/** The options that are objects: the name of one member (for the messages), and each member's rule. */
const RECORD_RULES: Record<string, [member: string, rules: Record<string, Rule>]> = {
  jwt: ['jwt option', rulesOf(['clientId', 'clientSecret', 'audience'], () => text)],
  aspnet: ['aspnet switch', rulesOf(ASPNET_SWITCHES, () => bool)],
  limits: ['limit', rulesOf(Object.keys(DEFAULT_LIMITS), (k) => (k.endsWith('Ms') ? timeout : count))],
};

/** Throws a TypeError that says what `name` must be when its value is set and breaks its rule. */
function check(name: string, value: unknown, [test, must]: Rule) {
  if (value !== undefined && !test(value))
    throw new TypeError(
      `startSandbox: ${name} must be ${must}${typeof value === 'number' ? `, not ${value}` : ''}.`,
    );
}

/** The object options, checked member by member; members set to undefined are left out. */
function checkRecords(options: Record<string, unknown>) {
  const records: Record<string, Record<string, unknown>> = {};
  for (const [name, [member, rules]] of Object.entries(RECORD_RULES)) {
    const value = options[name] ?? {};
    if (!isJsonObject(value))
      throw new TypeError(`startSandbox: ${name} must be an object of ${Object.keys(rules).join(', ')}.`);
    for (const [k, v] of Object.entries(value)) {
      if (!Object.hasOwn(rules, k))
        throw new TypeError(
          `startSandbox: unknown ${member} ${JSON.stringify(k)}; ${name} takes ${Object.keys(rules).join(', ')}.`,
        );
      check(`${name}.${k}`, v, rules[k]!);
    }
    records[name] = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  }
  return records;
}

/**
 * Starts a stateful sandbox of the Live Platform API: the vendor's fixtures, tasks that progress,
 * a control plane under /_sandbox/. Always close() it (in afterAll), even when a test fails.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  for (const [name, rule] of Object.entries(OPTION_RULES))
    check(name, options[name as keyof SandboxOptions], rule);
  const records = checkRecords(options as Record<string, unknown>);
  const {
    port = 0,
    host = '127.0.0.1',
    taskDurationMs = DEFAULT_TASK_DURATION_MS,
    auth = 'static',
  } = options;
  if (auth === 'jwt' && options.tokens !== undefined)
    throw new TypeError(
      'startSandbox: tokens are for auth "static"; JWT mode issues its own from POST /_sandbox/token.',
    );
  if (auth === 'static' && (options.jwt !== undefined || options.tokenLifetimeMs !== undefined))
    throw new TypeError('startSandbox: jwt and tokenLifetimeMs need auth: "jwt".');
  const tokens = auth === 'jwt' ? [] : [...(options.tokens ?? [DEFAULT_SANDBOX_TOKEN])];
  if (exposesDefaultToken(host, tokens))
    throw new TypeError(
      `startSandbox: host ${JSON.stringify(host)} is reachable from other machines and ${JSON.stringify(DEFAULT_SANDBOX_TOKEN)} is a public default; pass tokens of your own, or listen on 127.0.0.1.`,
    );
  const limits: SandboxLimits = {
    ...DEFAULT_LIMITS,
    maxConnections: defaultMaxConnections(),
    ...records.limits,
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new TypeError('startSandbox: limits.headersTimeoutMs must not exceed limits.requestTimeoutMs.');
  const clock: SandboxClock = options.clock ?? Date;
  const jwt = auth === 'jwt' ? jwtSettings(records.jwt, options.tokenLifetimeMs) : undefined;
  const authority = jwt ? await createJwtAuthority(jwt, () => clock.now()) : undefined;
  const seed = options.seed === undefined ? undefined : loadSeed(options.seed);
  const target = {
    state: initialState(seed, limits),
    faults: new FaultQueue(limits.maxFaults),
    reset() {
      target.state = initialState(seed, limits);
      target.faults.clear();
    },
  };
  const { server, stop } = createSandboxServer({
    target,
    authenticate: authority ? authority.authenticate : createAuthenticator(tokens),
    openRoute: authority?.openRoute,
    ...createAspNet(records.aspnet as AspNetOptions),
    taskDurationMs,
    now: () => clock.now(),
    connections: limits,
    log: options.log,
  });
  const url = await listen(server, port, host);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= stop(limits.drainTimeoutMs));
  if (!authority) return { url, tokens: [...tokens], close };
  authority.issuer = `${url}/_sandbox`;
  const { clientId, clientSecret, scope, audience } = authority.settings;
  const tokenUrl = `${url}${TOKEN_PATH}`;
  return {
    url,
    tokens: [],
    jwt: { tokenUrl, clientId, clientSecret, scope, audience, issuer: authority.issuer },
    close,
  };
}
