import type { AddressInfo } from 'node:net';
import { checkTokens, createAuthenticator, DEFAULT_SANDBOX_TOKEN } from './auth.js';
import { FaultQueue } from './faults.js';
import { loadSeed, initialState, SeedError } from './seed.js';
import { createSandboxServer } from './server.js';
import type { SandboxSeed, SandboxState } from './state.js';

export { DEFAULT_SANDBOX_TOKEN, SeedError, type SandboxSeed };
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
}

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:4020 (no trailing slash). */
  url: string;
  /** The accepted bearer tokens. */
  tokens: string[];
  /** Stops listening and drops open connections. */
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
  return { port, host, taskDurationMs, tokens };
}

/**
 * Starts a stateful sandbox of the Live Platform API: the vendor's fixtures, tasks that progress,
 * a control plane under /_sandbox/. Always close() it (in afterAll), even when a test fails.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const { port, host, taskDurationMs, tokens } = checkOptions(options);
  const seed = options.seed === undefined ? undefined : loadSeed(options.seed);
  const target = {
    state: initialState(seed) as SandboxState,
    faults: new FaultQueue(),
    reset() {
      target.state = initialState(seed);
      target.faults.clear();
    },
  };
  const { server, cancelDelays } = createSandboxServer({
    target,
    authenticate: createAuthenticator(tokens),
    taskDurationMs,
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
      closing ??= new Promise<void>((resolve) => {
        cancelDelays();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
