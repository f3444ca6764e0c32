// How long the checker waits before the next poll of a task. Its own backoff, not the client's
// (src/tasks/timing.ts): the checker wants a sandbox task confirmed within milliseconds and a live
// one without hammering, with a hard deadline. After a busy answer it keeps the floor the client's
// poller keeps too (src/internal/timers.ts), whatever Retry-After says.
import { BUSY_FLOOR_MS, nextAskWait } from '../internal/timers.js';

/** The first wait after a task was started: sandbox tasks end in about 100 ms. */
const FIRST_POLL_MS = 50;
/** Confirming a terminal status needs no long wait. */
const CONFIRM_POLL_MS = 200;

export interface PollAnswer {
  /** The poll interval: the cap of the backoff, and the least wait after a busy answer. */
  intervalMs: number;
  /** The previous wait between polls of this task, if any. */
  previousMs?: number;
  /** What the last poll got: `busy` (429 or 503), `running` (InProgress) or `terminal`. */
  kind: 'busy' | 'running' | 'terminal';
  /** Retry-After of a busy answer, in ms. */
  retryAfterMs?: number;
  /** Time left before the task deadline. */
  remainingMs: number;
  /** How long the task has been followed; a running task is polled at least a tenth of it apart. */
  elapsedMs?: number;
}

/**
 * The wait before the next poll, or undefined when it would end after the deadline, so that the
 * caller stops instead of sleeping past it. A running task is polled with a doubling wait from
 * FIRST_POLL_MS up to the interval, or a tenth of its age when that is longer: a task that never
 * ends gets a few dozen polls before its deadline, not one per interval (3 400 in a 15 s sandbox
 * run). A busy answer waits the whole interval, never less than BUSY_FLOOR_MS, whatever
 * Retry-After says (`Retry-After: 0` in a loop gets a poll per interval), longer if it asks for more.
 */
export function nextPollGap(a: PollAnswer): number | undefined {
  const first = Math.min(FIRST_POLL_MS, a.intervalMs);
  const gap =
    a.kind === 'busy'
      ? nextAskWait(Math.max(a.intervalMs, BUSY_FLOOR_MS), 0, a.retryAfterMs)
      : a.kind === 'terminal'
        ? Math.min(CONFIRM_POLL_MS, a.intervalMs)
        : a.previousMs === undefined
          ? first
          : Math.max(
              Math.min(Math.max(a.previousMs * 2, first), a.intervalMs),
              // Never so long that the last poll before the deadline is lost to it.
              Math.min(Math.round((a.elapsedMs ?? 0) / 10), a.remainingMs - a.intervalMs),
            );
  return gap < a.remainingMs ? gap : undefined;
}
