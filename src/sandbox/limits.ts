import { readFileSync } from 'node:fs';

/**
 * Caps on what a sandbox keeps, so one that runs for days as a shared CI server stays the size of
 * a laptop process. Tasks are the only entities nobody points at once finished: at their cap the
 * oldest finished one goes. Everything else is refused at its cap with a 403 that names the cap.
 */
export interface StateLimits {
  /** Tasks kept; at the cap the oldest finished task made at run time is forgotten. */
  maxTasks: number;
  /** Customers (fixtures and seed included); each brings one OVOC customer. */
  maxCustomers: number;
  /** Leads (fixtures and seed included). */
  maxLeads: number;
  /** Faults waiting in the queue. */
  maxFaults: number;
  /** Bytes (UTF-8) of customer variables kept over all customers. */
  maxVariableBytes: number;
}

/** How long a client may take, and how many connections it may hold. */
export interface ConnectionLimits {
  /** Time to send the request headers; a half-sent request is cut off after it (408). */
  headersTimeoutMs: number;
  /** Time to send the whole request, body included (not the time the sandbox takes to answer). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections above this make the least recently used one without a request in flight close. */
  maxConnections: number;
  /** On close(), SIGTERM or SIGINT: how long requests in flight get to finish. */
  drainTimeoutMs: number;
}

export type SandboxLimits = StateLimits & ConnectionLimits;

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  // Below the usual soft limit of 1024 file descriptors, leaving room for the process's own.
  maxConnections: 900,
  drainTimeoutMs: 3_000,
};

export const DEFAULT_STATE_LIMITS: StateLimits = {
  maxTasks: 50_000,
  maxCustomers: 50_000,
  maxLeads: 50_000,
  maxFaults: 1_000,
  maxVariableBytes: 64 * 1024 * 1024,
};

/** The flag and startSandbox option that raise each cap, for the reply that says how (problems.ts). */
export const CAP_KNOBS: Record<keyof StateLimits, [flag: string, option: string]> = {
  maxTasks: ['--max-tasks', 'maxTasks'],
  maxCustomers: ['--max-customers', 'maxCustomers'],
  maxLeads: ['--max-leads', 'maxLeads'],
  maxFaults: ['--max-faults', 'maxFaults'],
  maxVariableBytes: ['--max-variable-bytes', 'maxVariableBytes'],
};

export const DEFAULT_LIMITS: SandboxLimits = { ...DEFAULT_STATE_LIMITS, ...DEFAULT_CONNECTION_LIMITS };

/**
 * The longest timeout (the limits ending in `Ms`): Node's timers take at most 2^31-1 ms (about
 * 24.8 days) and fire a longer one after 1 ms, which would end a drain or a keep-alive at once.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** File descriptors kept free for the process itself (modules, the listener, stdio, a seed file). */
const FD_RESERVE = 100;

/**
 * The process's open-file limit where Linux tells it (/proc/self/limits), else undefined. Node
 * raises the soft limit to the hard one at start, so this is the limit that applies.
 */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s+/)[3]);
    return Number.isSafeInteger(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The default connection cap: 900, or less when the descriptor limit is lower (`ulimit -n 512`),
 * so that shedding starts before accept() fails and the kernel resets new clients.
 */
export function defaultMaxConnections(fdLimit = openFileLimit()): number {
  if (fdLimit === undefined) return DEFAULT_CONNECTION_LIMITS.maxConnections;
  return Math.max(16, Math.min(DEFAULT_CONNECTION_LIMITS.maxConnections, fdLimit - FD_RESERVE));
}

/** Checks startSandbox's `limits` option: whole numbers of at least 1 (timeouts in ms). */
export function checkLimits(given: Partial<SandboxLimits> | undefined): SandboxLimits {
  const limits = { ...DEFAULT_LIMITS };
  if (given?.maxConnections === undefined) limits.maxConnections = defaultMaxConnections();
  if (given === undefined) return limits;
  if (typeof given !== 'object' || given === null)
    throw new TypeError('startSandbox: limits must be an object such as { maxTasks: 10000 }.');
  for (const [k, v] of Object.entries(given)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, k))
      throw new TypeError(
        `startSandbox: unknown limit ${JSON.stringify(k)}; the limits are ${Object.keys(DEFAULT_LIMITS).join(', ')}.`,
      );
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || (v as number) < 1)
      throw new TypeError(
        `startSandbox: limits.${k} must be a whole number of at least 1, not ${String(v)}.`,
      );
    if (k.endsWith('Ms') && (v as number) > MAX_TIMEOUT_MS)
      throw new TypeError(
        `startSandbox: limits.${k} must be at most ${MAX_TIMEOUT_MS} ms, not ${String(v)}.`,
      );
    limits[k as keyof SandboxLimits] = v as number;
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new TypeError('startSandbox: limits.headersTimeoutMs must not exceed limits.requestTimeoutMs.');
  return limits;
}
