import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  POLL_JITTER,
  pollDelay,
} from '../../src/tasks/timing.js';
import {
  MAX_TIMER_MS,
  fullJitterDelay,
  parseHttpDate,
  parseRetryAfter,
  setLongTimeout,
  sleep,
} from '../../src/internal/timers.js';

describe('src/tasks/timing.ts', () => {
  it('parses Retry-After as delay-seconds and as an HTTP-date', () => {
    const now = Date.parse('2026-11-22T06:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 06:00:07 GMT', now)).toBe(7_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 05:59:00 GMT', now)).toBe(0); // a past date: go now
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });

  it('reads only what RFC 9110 allows: digits, or one of the three HTTP-date forms', () => {
    const now = Date.parse('2026-11-22T06:00:00Z');
    // Each of these once fed V8's lenient Date.parse (`-5` is a date to it) or Number().
    for (const bad of [
      '-1',
      '-5',
      '1 2',
      '1.5',
      '0.05',
      '+3',
      '1e3',
      '0x10',
      '5s',
      'Sun, 22 Nov 2026',
      '2026-11-22T06:00:07Z',
    ])
      expect(parseRetryAfter(bad, now), bad).toBeUndefined();
    expect(parseRetryAfter('3000000', now)).toBe(3_000_000_000); // read; callers clamp it
    expect(parseHttpDate('Sunday, 22-Nov-26 06:00:07 GMT', now)).toBe(now + 7_000); // rfc850-date
    expect(parseHttpDate('Sun Nov 22 06:00:07 2026', now)).toBe(now + 7_000); // asctime-date
    expect(parseHttpDate('Sun Nov  2 06:00:07 2026', now)).toBe(Date.parse('2026-11-02T06:00:07Z'));
    expect(parseHttpDate('Monday, 01-Jan-90 00:00:00 GMT', now)).toBe(Date.parse('1990-01-01T00:00:00Z'));
    expect(parseHttpDate('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBe(Date.parse('9999-12-31T23:59:59Z'));
    expect(parseHttpDate('Tue, 31 Feb 2026 06:00:00 GMT', now)).toBeUndefined(); // no such day
    expect(parseHttpDate('Sun, 22 Nov 2026 25:00:00 GMT', now)).toBeUndefined();
    expect(parseHttpDate('Sun, 22 Nov 2026 06:00:07 UTC', now)).toBeUndefined(); // GMT only
  });

  it('keeps the poll backoff capped, doubling, and within its jitter band', () => {
    const lo = () => 0;
    const hi = () => 0.999999;
    const base = DEFAULT_POLL_INTERVAL_MS;
    const max = DEFAULT_MAX_POLL_INTERVAL_MS;
    expect(pollDelay(0, base, max, lo)).toBe(base);
    expect(pollDelay(1, base, max, lo)).toBe(2 * base);
    expect(pollDelay(20, base, max, lo)).toBe(max);
    for (let n = 0; n < 12; n++) {
      for (let i = 0; i < 50; i++) {
        const d = pollDelay(n, base, max);
        const ceiling = Math.min(max, base * 2 ** n);
        expect(d).toBeLessThanOrEqual(ceiling);
        expect(d).toBeGreaterThanOrEqual(ceiling * (1 - POLL_JITTER));
      }
    }
    expect(pollDelay(3, base, max, hi)).toBeGreaterThan(8 * base * (1 - POLL_JITTER) - 1);
  });

  it('draws full jitter from [0, min(cap, base * 2^(retry-1))]', () => {
    for (let retry = 1; retry < 8; retry++) {
      for (let i = 0; i < 50; i++) {
        const d = fullJitterDelay(retry, 100, 1_000);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(1_000, 100 * 2 ** (retry - 1)));
      }
    }
    expect(fullJitterDelay(3, 100, 1_000, () => 0.5)).toBe(200);
  });

  describe('waits longer than setTimeout holds', () => {
    afterEach(() => vi.useRealTimers());

    it('chain timers: a wait of 2^31 ms or 30 days fires then, not after 1 ms, with no overflow warning', async () => {
      const warnings: Error[] = [];
      const onWarning = (w: Error) => warnings.push(w);
      process.on('warning', onWarning);
      vi.useFakeTimers();
      try {
        for (const ms of [MAX_TIMER_MS + 1, 30 * 86_400_000]) {
          let fired = false;
          setLongTimeout(() => (fired = true), ms);
          await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
          expect(fired).toBe(false);
          await vi.advanceTimersByTimeAsync(ms - MAX_TIMER_MS);
          expect(fired).toBe(true);
        }
        const cancel = setLongTimeout(() => expect.unreachable('cancelled'), 2 * MAX_TIMER_MS);
        await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 1);
        cancel();
        await vi.advanceTimersByTimeAsync(2 * MAX_TIMER_MS);
        const slept = sleep(3 * MAX_TIMER_MS);
        await vi.advanceTimersByTimeAsync(3 * MAX_TIMER_MS);
        await slept;
      } finally {
        vi.useRealTimers();
        await new Promise((r) => setImmediate(r));
        process.off('warning', onWarning);
      }
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    });
  });

  it('sleeps, and an abort ends the sleep at once with the reason', async () => {
    vi.useFakeTimers();
    try {
      let slept = false;
      const short = sleep(5).then(() => (slept = true));
      await vi.advanceTimersByTimeAsync(4);
      expect(slept).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await short;
      expect(slept).toBe(true);
      const ac = new AbortController();
      const t0 = Date.now();
      const p = sleep(60_000, ac.signal);
      p.catch(() => undefined);
      await vi.advanceTimersByTimeAsync(10);
      ac.abort(new Error('stop'));
      // Ended by the abort, 10 ms into a 60 s sleep, with no further time passing.
      await expect(p).rejects.toThrow('stop');
      expect(Date.now() - t0).toBe(10);
      await expect(sleep(10, ac.signal)).rejects.toThrow('stop');
    } finally {
      vi.useRealTimers();
    }
  });
});
