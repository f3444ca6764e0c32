/**
 * A thrown value in words: an Error's message (or name), else the value as text. Never throws,
 * whatever was thrown (an object whose toString throws too).
 */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  const message = (err as { message?: unknown } | null | undefined)?.message;
  if (typeof message === 'string') return message;
  try {
    return String(err);
  } catch {
    return Object.prototype.toString.call(err);
  }
}

/** A thrown value for a bug log: an Error's stack (which starts with its message), or errorText. */
export function errorStack(err: unknown): string {
  return (err instanceof Error && typeof err.stack === 'string' && err.stack) || errorText(err);
}
