import { MAX_TIMER_MS } from './timers.js';

/**
 * A whole number from `min` to `max` written as decimal digits (a command-line option, a query
 * value), or undefined. At most 16 digits, so no string of digits becomes an inexact number.
 */
export function wholeNumber(text: unknown, min: number, max: number): number | undefined {
  if (typeof text !== 'string' || !/^[0-9]{1,16}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/**
 * A numeric option of the library's API (`whose` names it, `createLivePlatformClient: timeoutMs`):
 * `fallback` when left out, else a number from `min` to `max` (finite unless `max` is Infinity), or
 * a TypeError that says so. One rule for the client's, the token function's and the poller's options.
 */
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
