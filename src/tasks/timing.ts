// The poll engine's own pacing: its defaults and its backoff. The shared timers (Retry-After, long
// timers, sleep, the poll floor) are in src/internal/timers.ts.
/** The first wait between polls of a task that was just started. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Polls back off up to this gap, so a task of a few minutes costs a few dozen requests at most. */
export const DEFAULT_MAX_POLL_INTERVAL_MS = 10_000;
/** The vendor says a task "may take a few minutes"; ten of them means something is stuck. */
export const DEFAULT_TASK_TIMEOUT_MS = 600_000;
/** Each poll gap is shortened by up to this share, so clients started together drift apart. */
export const POLL_JITTER = 0.2;
/**
 * The gap before poll number `n` (0-based): capped exponential backoff, `base * 2^n` up to `max`,
 * less a random share of at most {@link POLL_JITTER}. Never above `max`, never below 80% of the
 * uncapped-by-jitter value.
 */
export function pollDelay(n: number, base: number, max: number, random = Math.random): number {
  return Math.min(max, base * 2 ** n) * (1 - POLL_JITTER * random());
}
