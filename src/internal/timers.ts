// Timers and waits every part shares: Retry-After as RFC 9110 defines it, timers of any length,
// abortable sleeps, backoff, and the floor every poll keeps whatever a server answers.
/**
 * The longest delay one `setTimeout` holds (2^31−1 ms, about 24.8 days). Node turns anything longer
 * into 1 ms with a TimeoutOverflowWarning, so longer waits here are chained timers.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Full jitter (AWS's "exponential backoff and jitter"): a uniform wait between 0 and
 * `min(cap, base * 2^(retry-1))`. Spreads retries of many clients across the whole window.
 */
export function fullJitterDelay(retry: number, base: number, cap: number, random = Math.random): number {
  return random() * Math.min(cap, base * 2 ** (retry - 1));
}

const DAYS = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const LONG_DAYS = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MON = `(?<mon>${MONTHS.join('|')})`;
const TIME = '(?<h>\\d{2}):(?<mi>\\d{2}):(?<s>\\d{2})';
// RFC 9110 5.6.7: the preferred IMF-fixdate and the two obsolete forms a recipient must accept.
const HTTP_DATES = [
  new RegExp(`^(?:${DAYS}), (?<d>\\d{2}) ${MON} (?<y>\\d{4}) ${TIME} GMT$`),
  new RegExp(`^(?:${LONG_DAYS}), (?<d>\\d{2})-${MON}-(?<yy>\\d{2}) ${TIME} GMT$`),
  new RegExp(`^(?:${DAYS}) ${MON} (?<d>[ \\d]\\d) ${TIME} (?<y>\\d{4})$`),
];

/**
 * An HTTP-date (RFC 9110 5.6.7) as epoch ms, or undefined. Strict on purpose: V8's Date.parse
 * reads `-5` or `1 2` as dates, which turned a malformed Retry-After into a poll storm.
 */
export function parseHttpDate(value: string, now = Date.now()): number | undefined {
  const g = HTTP_DATES.map((re) => re.exec(value)).find(Boolean)?.groups;
  if (!g) return undefined;
  let year = Number(g.y);
  if (g.yy !== undefined) {
    // rfc850-date's two-digit year: one more than 50 years ahead is in the past century.
    year = 2000 + Number(g.yy);
    if (year > new Date(now).getUTCFullYear() + 50) year -= 100;
  }
  const [day, hour, min, sec] = [Number(g.d), Number(g.h), Number(g.mi), Number(g.s)];
  if (hour > 23 || min > 59 || sec > 60) return undefined;
  const at = Date.UTC(year, MONTHS.indexOf(g.mon!), day, hour, min, Math.min(sec, 59));
  // Date.UTC rolls 31 Feb over into March: such a date is not one.
  return new Date(at).getUTCDate() === day ? at : undefined;
}

/**
 * Parses Retry-After as RFC 9110 10.2.3 defines it, nothing more: delay-seconds (digits only, `"30"`)
 * or an HTTP-date. Returns milliseconds from `now`, never negative, or undefined when the header is
 * absent or is anything else (`-1`, `1.5`, `1 2`, `soon`): the caller then uses its own backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = parseHttpDate(v, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/**
 * Calls `fn` after `ms`, whatever its size: a wait beyond {@link MAX_TIMER_MS} is a chain of timers.
 * Returns the function that cancels it. `Infinity` never fires.
 */
export function setLongTimeout(fn: () => void, ms: number): () => void {
  // NaN or a negative delay means "now", as setTimeout reads it, but without its warning.
  let left = ms > 0 ? ms : 0;
  let timer: ReturnType<typeof setTimeout>;
  const step = () => {
    const now = Math.min(left, MAX_TIMER_MS);
    left -= now;
    timer = setTimeout(left > 0 ? step : fn, now);
  };
  step();
  return () => clearTimeout(timer);
}

/** Waits `ms` (any length, see setLongTimeout); an abort of `signal` ends the wait at once with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      cancel();
      reject(signal!.reason);
    };
    const cancel = setLongTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The least wait after a busy answer (429 or 503), whatever the poll interval: a server that
 * answers busy with `Retry-After: 0`, a past date or garbage gets a few polls a second, not one per
 * 20 ms interval (over a task deadline, thousands).
 */
export const BUSY_FLOOR_MS = 250;

/**
 * The wait before asking a server again, the one rule the client's poller and the checker share:
 * at least `floorMs` whatever the server sent (a Retry-After of 0, a past date, an unreadable one),
 * at least the caller's own backoff, and a longer Retry-After honoured.
 */
export function nextAskWait(floorMs: number, backoffMs: number, retryAfterMs: number | undefined): number {
  return Math.max(floorMs, backoffMs, retryAfterMs ?? 0);
}
