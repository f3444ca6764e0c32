import type { AddressInfo } from 'node:net';
import { checkTokens, createAuthenticator, DEFAULT_SANDBOX_TOKEN } from './auth.js';
import { FaultQueue } from './faults.js';
import { checkLimits, DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
import { loadSeed, initialState, SeedError } from './seed.js';
import { createSandboxServer } from './server.js';
import type { SandboxSeed, SandboxState } from './state.js';

export { DEFAULT_SANDBOX_TOKEN, DEFAULT_LIMITS, SeedError, type SandboxSeed, type SandboxLimits };
export type { Fault, FaultKind } from './faults.js';

export interface SandboxOptions {
  /** Port to listen on; default 0 (a free port). The CLI defaults to 4020. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Accepted bearer tokens; default [DEFAULT_SANDBOX_TOKEN]. */
  tokens?: string[];
  /** How long a task stays InProgress, in ms; default 2000. */
  taskDurationMs?: number;
  /** A JSON file path or an object that extends the fixtures (or replaces them with `replace: true`). */
  seed?: string | SandboxSeed;
  /** Receives one line per request (method, path, status, ms); never a token or a query string. */
  log?: (line: string) => void;
  /** Caps on state and connections; each one left out keeps its default (DEFAULT_LIMITS, docs/sandbox.md). */
  limits?: Partial<SandboxLimits>;
}

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:4020 (no trailing slash). */
  url: string;
  /** The accepted bearer tokens. */
  tokens: string[];
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
  const tokens = checkTokens(options.tokens ?? [DEFAULT_SANDBOX_TOKEN]);
  const limits = checkLimits(options.limits);
  return { port, host, taskDurationMs, tokens, limits };
}

/**
 * Starts a stateful sandbox of the Live Platform API: the vendor's fixtures, tasks that progress,
 * a control plane under /_sandbox/. Always close() it (in afterAll), even when a test fails.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const { port, host, taskDurationMs, tokens, limits } = checkOptions(options);
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
    authenticate: createAuthenticator(tokens),
    taskDurationMs,
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
  return {
    url: `http://${urlHost}:${address.port}`,
    tokens: [...tokens],
    close() {
      closing ??= stop(limits.drainTimeoutMs);
      return closing;
    },
  };
}
