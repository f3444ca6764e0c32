/**
 * A whole number from `min` to `max` written as decimal digits (a command-line option, a query
 * value), or undefined. At most 16 digits, so no string of digits becomes an inexact number.
 */
export function wholeNumber(text: unknown, min: number, max: number): number | undefined {
  if (typeof text !== 'string' || !/^[0-9]{1,16}$/.test(text)) return undefined;
  const n = Number(text);
  return isWholeNumber(n, min, max) ? n : undefined;
}

/** Whether a value (a JSON member, an option) is a whole number from `min` to `max`, exact (safe). */
export const isWholeNumber = (v: unknown, min: number, max: number): v is number =>
  Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
