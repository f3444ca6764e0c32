// Timers and waits every part shares: Retry-After (RFC 9110), timers of any length, abortable
// sleeps, backoff, and the floor every poll keeps whatever a server answers.
/** The longest delay one `setTimeout` holds (about 24.8 days); Node makes a longer one 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Full jitter (AWS): a uniform wait in [0, min(cap, base * 2^(retry-1))], spreading clients' retries. */
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
 * An HTTP-date (RFC 9110 5.6.7) as epoch ms, or undefined. Strict: V8's Date.parse reads `-5` or
 * `1 2` as dates, which turned a malformed Retry-After into a poll storm.
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
 * Retry-After as RFC 9110 10.2.3 defines it: delay-seconds (digits only) or an HTTP-date, as ms from
 * `now`, never negative; undefined for anything else (`-1`, `1.5`, `soon`): the caller's backoff then.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = parseHttpDate(v, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/** Calls `fn` after `ms` of any size (a chain of timers; `Infinity` never fires); returns its cancel. */
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

/** Waits `ms` (any length); an abort of `signal` ends the wait at once with the signal's reason. */
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
 * The least wait after a busy answer (429 or 503), whatever the interval: `Retry-After: 0` or garbage
 * gets a few polls a second, not thousands over a task deadline.
 */
export const BUSY_FLOOR_MS = 250;

/** The wait before asking a server again (poller, checker): floor, backoff, or a longer Retry-After. */
export function nextAskWait(floorMs: number, backoffMs: number, retryAfterMs: number | undefined): number {
  return Math.max(floorMs, backoffMs, retryAfterMs ?? 0);
}
