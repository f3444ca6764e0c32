import { describe, expect, it } from 'vitest';
import { parseLiveDate } from '../../src/index.js';

describe('src/dates.ts', () => {
  it("reads .NET's unset value as null", () => {
    expect(parseLiveDate('0001-01-01T00:00:00')).toBeNull();
    expect(parseLiveDate(null)).toBeNull();
    expect(parseLiveDate(undefined)).toBeNull();
    expect(parseLiveDate('')).toBeNull();
  });

  it('truncates a 7-digit fraction to milliseconds', () => {
    expect(parseLiveDate('2024-04-16T11:58:36.6745335Z')!.toISOString()).toBe('2024-04-16T11:58:36.674Z');
    expect(parseLiveDate('2024-04-16T11:58:36.6Z')!.toISOString()).toBe('2024-04-16T11:58:36.600Z');
  });

  it('reads offsets with and without a colon', () => {
    expect(parseLiveDate('2025-08-14T08:16:18.736+0000')!.toISOString()).toBe('2025-08-14T08:16:18.736Z');
    expect(parseLiveDate('2025-08-14T08:16:18.736+0130')!.toISOString()).toBe('2025-08-14T06:46:18.736Z');
    expect(parseLiveDate('2025-08-14T08:16:18-05:00')!.toISOString()).toBe('2025-08-14T13:16:18.000Z');
  });

  it('reads a value without an offset as UTC, whatever the local time zone', () => {
    expect(parseLiveDate('2024-04-16T11:58:36')!.toISOString()).toBe('2024-04-16T11:58:36.000Z');
  });

  it('refuses text that is not such a timestamp, saying what it expects', () => {
    for (const bad of [
      'yesterday',
      '2024-04-16',
      '2024-04-16T11:58:36.12345678901Z',
      '2024-13-01T00:00:00Z',
    ]) {
      expect(() => parseLiveDate(bad)).toThrow(/like 2024-04-16T11:58:36.6745335Z/);
    }
  });
});
