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

/**
 * Full jitter (AWS's "exponential backoff and jitter"): a uniform wait between 0 and
 * `min(cap, base * 2^(retry-1))`. Spreads retries of many clients across the whole window.
 */
export function fullJitterDelay(retry: number, base: number, cap: number, random = Math.random): number {
  return random() * Math.min(cap, base * 2 ** (retry - 1));
}

/**
 * Parses Retry-After in both of its forms (RFC 9110 10.2.3): delay-seconds (`"30"`) or an HTTP-date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`). Returns milliseconds from `now`, never negative, or
 * undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Waits `ms`; an abort of `signal` ends the wait at once with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
