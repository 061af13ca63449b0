import { describe, expect, it } from 'vitest';
import { localDate, localMidnightIso, localMidnightMs, nextLocalMidnightIso } from './time.js';

describe('the installation time zone', () => {
  it('maps a local date to the UTC instant of its midnight and back', () => {
    expect(localMidnightIso('2026-12-07')).toBe('2026-12-06T16:00:00.000Z');
    expect(nextLocalMidnightIso('2026-12-31')).toBe('2026-12-31T16:00:00.000Z');
    expect(localDate(localMidnightMs('2028-02-29'))).toBe('2028-02-29');
  });

  it('refuses anything but a real calendar date instead of answering NaN or another day', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-5', '2026-12-07T00:00', '', 'today', '+010000-01-01']) {
      expect(() => localMidnightMs(bad), bad).toThrow(RangeError);
    }
  });
});
