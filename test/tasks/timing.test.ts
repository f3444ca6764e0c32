import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  POLL_JITTER,
  fullJitterDelay,
  parseRetryAfter,
  pollDelay,
  sleep,
} from '../../src/tasks/timing.js';

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

  it('sleeps, and an abort ends the sleep at once with the reason', async () => {
    await sleep(5);
    const ac = new AbortController();
    const t0 = Date.now();
    const p = sleep(60_000, ac.signal);
    setTimeout(() => ac.abort(new Error('stop')), 10);
    await expect(p).rejects.toThrow('stop');
    expect(Date.now() - t0).toBeLessThan(1_000);
    await expect(sleep(10, ac.signal)).rejects.toThrow('stop');
  });
});
