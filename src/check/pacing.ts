// How long the checker waits before the next poll of a task. Written here rather than taken from
// src/tasks/timing.ts: the client's helpers back off from a short first wait, and the checker's rule
// is simpler and stricter (a fixed floor, a hard deadline).

/**
 * The gap before the next poll: at least `intervalMs` (a `Retry-After: 0` does not make the
 * checker hammer a server), longer when Retry-After asks for more, and undefined when the next poll
 * would land after the deadline, so the caller stops instead of sleeping past it.
 */
export function nextPollGap(
  intervalMs: number,
  retryAfterMs: number | undefined,
  remainingMs: number,
): number | undefined {
  const gap = Math.max(intervalMs, retryAfterMs ?? 0);
  return gap < remainingMs ? gap : undefined;
}
