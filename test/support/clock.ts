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
