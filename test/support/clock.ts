import { vi } from 'vitest';

// A clock a test moves by hand, for startSandbox({ clock }): a sandbox task finishes when the test
// advances past its duration, never because a loaded machine was slow (or fast) to get there.

export class ManualClock {
  #now: number;

  /** Starts at `start` (ms since the epoch); default the wall clock's now, so dates look current. */
  constructor(start = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (never back: a sandbox's tasks only progress). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, not ${ms}`);
    this.#now += ms;
  }
}

/**
 * Runs vitest's fake timers, one due timer at a time, until `work` settles; returns its result (or
 * throws its error). Time passes only as far as the work needs, the way it would on an idle
 * machine, and a wait that never ends fails after `maxTimers` timers instead of hanging the test.
 */
export async function drive<T>(work: PromiseLike<T>, maxTimers = 10_000): Promise<T> {
  let settled = false;
  const result = Promise.resolve(work).finally(() => (settled = true));
  result.catch(() => undefined);
  await vi.advanceTimersByTimeAsync(0);
  for (let n = 0; !settled; n++) {
    if (n >= maxTimers) throw new Error(`drive: still pending after ${maxTimers} timers`);
    if (vi.getTimerCount() === 0) {
      await idleUntilTimerOrSettled(() => settled);
      continue;
    }
    await vi.advanceTimersToNextTimerAsync();
  }
  return result;
}

// Captured when this module loads, before a test fakes timers: the real event loop and clock.
const realSetImmediate = globalThis.setImmediate;
const realNow = performance.now.bind(performance);
/** How long work may wait on real I/O with no fake timer armed before drive calls it a hang. */
const IDLE_HANG_MS = 15_000;

/**
 * No fake timer is due, yet the work is pending: it waits on real I/O (a body stream, a socket),
 * which a loaded machine may take a while to deliver. Turn the real event loop until the work
 * settles or arms a timer; only work that stays idle for IDLE_HANG_MS is a hang.
 */
async function idleUntilTimerOrSettled(settled: () => boolean): Promise<void> {
  const since = realNow();
  while (!settled() && vi.getTimerCount() === 0) {
    if (realNow() - since > IDLE_HANG_MS) throw new Error('drive: pending, and no timer left to run');
    await new Promise<void>((resolve) => realSetImmediate(resolve));
  }
}
