// The options of the library's API (`whose` names one, `createLivePlatformClient: timeoutMs`): one
// rule for the client's, the token function's and the poller's, and the TypeError that names it.
import { MAX_TIMER_MS } from './timers.js';

/** `fallback` when left out, else a number from `min` to `max` (finite unless `max` is Infinity). */
export function numberOption(
  whose: string,
  value: unknown,
  fallback: number,
  min = 0,
  max = Number.MAX_VALUE,
) {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= min && value <= max) return value;
  const timer = max === MAX_TIMER_MS ? ' (what setTimeout can hold, about 24.8 days)' : '';
  const upTo = max < Number.MAX_VALUE ? ` and <= ${max}${timer}` : '';
  throw new TypeError(`${whose} must be a number >= ${min}${upTo}, not ${String(value)}.`);
}

/** A function, or undefined when left out. */
export function functionOption<F>(whose: string, value: F | undefined): F | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw new TypeError(`${whose} must be a function, not ${typeof value}; leave it out for the default.`);
}
