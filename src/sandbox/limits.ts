import { readFileSync } from 'node:fs';
import { problemReply, type Reply } from '../internal/problems.js';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from '../internal/connections.js';

export { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits };

/**
 * Caps on what a sandbox keeps, so one that runs for days as a shared CI server stays the size of
 * a laptop process. Tasks are the only entities nobody points at once finished: at their cap the
 * oldest finished one goes. Everything else is refused at its cap with a 403 that names the cap (capReached).
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

export type SandboxLimits = StateLimits & ConnectionLimits;

export const DEFAULT_STATE_LIMITS: StateLimits = {
  maxTasks: 50_000,
  maxCustomers: 50_000,
  maxLeads: 50_000,
  maxFaults: 1_000,
  maxVariableBytes: 64 * 1024 * 1024,
};

export const DEFAULT_LIMITS: SandboxLimits = { ...DEFAULT_STATE_LIMITS, ...DEFAULT_CONNECTION_LIMITS };

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

/**
 * 403, which every operation declares: the request is understood and refused, and repeating it
 * will not help until the state is reset or the sandbox restarted with a larger cap.
 */
export function capReached(cap: keyof StateLimits, limits: StateLimits, what: string): Reply {
  const flag = `--${cap.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return problemReply(
    403,
    `The sandbox holds its maximum of ${limits[cap]} ${what} (a sandbox cap, not a Live Platform rule). ` +
      `Reset it with POST /_sandbox/reset, or start it with a larger ${flag} (startSandbox option ${cap}).`,
  );
}

/** 429 when every task is still InProgress at the cap: they finish, so waiting does help. */
export function tasksBusy(limits: StateLimits, taskDurationMs: number): Reply {
  const seconds = String(Math.max(1, Math.ceil(taskDurationMs / 1000)));
  return problemReply(
    429,
    `The sandbox holds its maximum of ${limits.maxTasks} tasks and none has finished yet (a sandbox cap). ` +
      `Retry after ${seconds} seconds, reset with POST /_sandbox/reset, or start it with a larger --max-tasks.`,
    { 'retry-after': seconds },
  );
}
