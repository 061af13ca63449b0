import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canAfford,
  DEFAULT_RULES,
  isRuralSchool,
  isWeakSchool,
  noShowPenaltyOf,
  peakMillis,
  quoteBooking,
  rateFor,
  refundOf,
  splitCharge,
  startingGrantOf,
  withDefaults,
  type CreditRules,
  type PriceInput,
} from './pricing.js';

const H = 3_600_000;
/** local Asia/Shanghai wall clock → ISO UTC */
const at = (local: string) => new Date(`${local}:00.000+08:00`).toISOString();
const ms = (local: string) => Date.parse(at(local));

const rules: CreditRules = withDefaults({ rates: { chemistry_lab: { offPeak: 20, peak: 30 } }, defaultRate: { offPeak: 10, peak: 15 } });
const booking = (start: string, end: string, over: Partial<PriceInput> = {}): PriceInput => ({
  facilityType: 'chemistry_lab',
  startAt: at(start),
  endAt: at(end),
  allianceId: 'a1',
  hostSchoolId: 's_host',
  bookerSchoolId: 's_booker',
  ...over,
});

describe('peak windows (weekday 08:00–17:00 Asia/Shanghai)', () => {
  const w = DEFAULT_RULES.peakWindows;
  // 2026-11-23 is a Monday, 2026-11-28 a Saturday, 2026-11-29 a Sunday
  const cases: [string, string, string, number][] = [
    ['inside the window', '2026-11-23T09:00', '2026-11-23T11:00', 2],
    ['exactly the window', '2026-11-23T08:00', '2026-11-23T17:00', 9],
    ['before the window', '2026-11-23T06:00', '2026-11-23T08:00', 0],
    ['after the window (half-open end)', '2026-11-23T17:00', '2026-11-23T19:00', 0],
    ['straddling the start', '2026-11-23T07:00', '2026-11-23T09:00', 1],
    ['straddling the end', '2026-11-23T16:30', '2026-11-23T18:00', 0.5],
    ['covering the window', '2026-11-23T07:00', '2026-11-23T19:00', 9],
    ['Saturday is off-peak', '2026-11-28T09:00', '2026-11-28T11:00', 0],
    ['Sunday is off-peak', '2026-11-29T09:00', '2026-11-29T11:00', 0],
    ['Friday evening into Saturday', '2026-11-27T16:00', '2026-11-28T10:00', 1],
    ['overnight Monday to Tuesday', '2026-11-23T16:00', '2026-11-24T09:00', 2],
    ['a whole week', '2026-11-23T00:00', '2026-11-30T00:00', 45],
    ['local midnight is UTC 16:00 the day before', '2026-11-24T00:00', '2026-11-24T08:30', 0.5],
  ];
  for (const [name, s, e, hours] of cases) {
    it(name, () => expect(peakMillis(ms(s), ms(e), w, 480) / H).toBe(hours));
  }
  it('empty or reversed intervals have no peak time', () => {
    expect(peakMillis(ms('2026-11-23T10:00'), ms('2026-11-23T10:00'), w, 480)).toBe(0);
    expect(peakMillis(ms('2026-11-23T11:00'), ms('2026-11-23T10:00'), w, 480)).toBe(0);
  });
  it('overlapping windows are not counted twice', () => {
    const two = [
      { days: [1], from: '08:00', to: '12:00' },
      { days: [1], from: '10:00', to: '14:00' },
    ];
    expect(peakMillis(ms('2026-11-23T00:00'), ms('2026-11-24T00:00'), two, 480) / H).toBe(6);
  });
  it('windows to 24:00 reach midnight; to <= from is empty', () => {
    expect(peakMillis(ms('2026-11-23T20:00'), ms('2026-11-24T02:00'), [{ days: [1], from: '18:00', to: '24:00' }], 480) / H).toBe(4);
    expect(peakMillis(ms('2026-11-23T00:00'), ms('2026-11-24T00:00'), [{ days: [1], from: '18:00', to: '08:00' }], 480)).toBe(0);
  });
  it('another time zone shifts the windows', () => {
    // 09:00–11:00 in Shanghai is 01:00–03:00 UTC: off-peak at offset 0
    expect(peakMillis(ms('2026-11-23T09:00'), ms('2026-11-23T11:00'), w, 0)).toBe(0);
  });
  it('property: peak time is never negative nor longer than the interval, and adds up over a split', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 * 24 * 4 }), fc.integer({ min: 1, max: 3 * 24 * 4 }), fc.integer({ min: 0, max: 96 }), (s15, d15, cut15) => {
        const start = ms('2026-11-20T00:00') + s15 * 900_000;
        const end = start + d15 * 900_000;
        const p = peakMillis(start, end, w, 480);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(end - start);
        const mid = Math.min(end, start + cut15 * 900_000);
        expect(peakMillis(start, mid, w, 480) + peakMillis(mid, end, w, 480)).toBe(p);
      }),
    );
  });
});

describe('quoteBooking', () => {
  it('prices peak hours at the peak rate', () => {
    const q = quoteBooking(rules, booking('2026-11-23T09:00', '2026-11-23T11:00'));
    expect(q).toMatchObject({ amount: 60, hours: 2, peakHours: 2, free: false, reason: 'priced', ratePerHour: 20, peakRatePerHour: 30 });
  });
  it('prices off-peak hours at the off-peak rate', () => {
    expect(quoteBooking(rules, booking('2026-11-28T09:00', '2026-11-28T11:00')).amount).toBe(40);
    expect(quoteBooking(rules, booking('2026-11-23T18:00', '2026-11-23T20:00')).amount).toBe(40);
  });
  it('mixes both across the window edge', () => {
    // 16:00–18:00: one peak hour (30) + one off-peak hour (20)
    const q = quoteBooking(rules, booking('2026-11-23T16:00', '2026-11-23T18:00'));
    expect(q.amount).toBe(50);
    expect(q.peakHours).toBe(1);
  });
  it('rounds partial hours to whole credits', () => {
    // 45 minutes off-peak at 10/h = 7.5 → 8
    expect(quoteBooking(rules, booking('2026-11-28T09:00', '2026-11-28T09:45', { facilityType: 'gym_unknown' })).amount).toBe(8);
    // 20 minutes peak at 15/h = 5
    expect(quoteBooking(rules, booking('2026-11-23T09:00', '2026-11-23T09:20', { facilityType: 'x' })).amount).toBe(5);
  });
  it('uses the default rate for types without one', () => {
    expect(rateFor(rules, 'meeting_room')).toEqual({ offPeak: 10, peak: 15 });
    expect(quoteBooking(rules, booking('2026-11-23T09:00', '2026-11-23T10:00', { facilityType: 'meeting_room' })).amount).toBe(15);
  });
  it('own-school bookings are free', () => {
    const q = quoteBooking(rules, booking('2026-11-23T09:00', '2026-11-23T11:00', { hostSchoolId: 's1', bookerSchoolId: 's1' }));
    expect(q).toMatchObject({ amount: 0, free: true, reason: 'own_school', hours: 2 });
  });
  it('bookings outside an alliance, or without a booking school, are free', () => {
    expect(quoteBooking(rules, booking('2026-11-23T09:00', '2026-11-23T11:00', { allianceId: null })).reason).toBe('no_alliance');
    expect(quoteBooking(rules, booking('2026-11-23T09:00', '2026-11-23T11:00', { bookerSchoolId: null })).amount).toBe(0);
  });
  it('a partner venue (no host school) is priced', () => {
    expect(quoteBooking(rules, booking('2026-11-28T09:00', '2026-11-28T10:00', { hostSchoolId: null })).amount).toBe(20);
  });
  it('a zero rate makes a priced booking free', () => {
    const r = withDefaults({ rates: { library: { offPeak: 0, peak: 0 } } });
    expect(quoteBooking(r, booking('2026-11-23T09:00', '2026-11-23T11:00', { facilityType: 'library' }))).toMatchObject({
      amount: 0,
      free: true,
      reason: 'priced',
    });
  });
  it('refuses an empty or reversed interval', () => {
    expect(() => quoteBooking(rules, booking('2026-11-23T11:00', '2026-11-23T11:00'))).toThrow();
    expect(() => quoteBooking(rules, booking('2026-11-23T11:00', '2026-11-23T10:00'))).toThrow();
    expect(() => quoteBooking(rules, { ...booking('2026-11-23T09:00', '2026-11-23T10:00'), startAt: 'nonsense' })).toThrow();
  });
  it('property: price is monotone in duration and between the off-peak and peak price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 96 }), fc.integer({ min: 1, max: 48 }), (s15, d15) => {
        const start = ms('2026-11-23T00:00') + s15 * 900_000;
        const mk = (d: number) => ({
          ...booking('2026-11-23T00:00', '2026-11-23T01:00'),
          startAt: new Date(start).toISOString(),
          endAt: new Date(start + d * 900_000).toISOString(),
        });
        const q = quoteBooking(rules, mk(d15));
        const hours = d15 / 4;
        expect(q.amount).toBeGreaterThanOrEqual(Math.floor(hours * 20));
        expect(q.amount).toBeLessThanOrEqual(Math.ceil(hours * 30));
        expect(quoteBooking(rules, mk(d15 + 1)).amount).toBeGreaterThanOrEqual(q.amount);
      }),
    );
  });
});

describe('host share, refunds, no-shows', () => {
  it('splits by the host share, rounding the host down', () => {
    expect(splitCharge(60, 70)).toEqual({ host: 42, pool: 18 });
    expect(splitCharge(15, 70)).toEqual({ host: 10, pool: 5 });
    expect(splitCharge(1, 70)).toEqual({ host: 0, pool: 1 });
    expect(splitCharge(50, 100)).toEqual({ host: 50, pool: 0 });
    expect(splitCharge(50, 0)).toEqual({ host: 0, pool: 50 });
  });
  it('property: a split always adds up and stays within the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100 }), (amount, pct) => {
        const s = splitCharge(amount, pct);
        expect(s.host + s.pool).toBe(amount);
        expect(s.host).toBeGreaterThanOrEqual(0);
        expect(s.pool).toBeGreaterThanOrEqual(0);
      }),
    );
  });
  it('a full refund reverses the charge exactly', () => {
    expect(refundOf({ booker: 60, host: 42, pool: 18 }, 100)).toEqual({ booker: 60, host: 42, pool: 18 });
  });
  it('a partial refund takes back from host and pool in proportion', () => {
    expect(refundOf({ booker: 60, host: 42, pool: 18 }, 50)).toEqual({ booker: 30, host: 21, pool: 9 });
  });
  it('no refund (late cancellation by default) moves nothing', () => {
    expect(refundOf({ booker: 60, host: 42, pool: 18 }, 0)).toEqual({ booker: 0, host: 0, pool: 0 });
    expect(refundOf({ booker: 0, host: 0, pool: 0 }, 100)).toEqual({ booker: 0, host: 0, pool: 0 });
  });
  it('property: a refund balances and never takes back more than was received', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (amount, share, pct) => {
        const s = splitCharge(amount, share);
        const r = refundOf({ booker: amount, host: s.host, pool: s.pool }, pct);
        expect(r.host + r.pool).toBe(r.booker);
        expect(r.booker).toBeLessThanOrEqual(amount);
        expect(r.host).toBeLessThanOrEqual(s.host);
        expect(r.pool).toBeLessThanOrEqual(s.pool);
        expect(r.host).toBeGreaterThanOrEqual(0);
        expect(r.pool).toBeGreaterThanOrEqual(0);
      }),
    );
  });
  it('no-show penalty as a percentage of the price or a fixed amount', () => {
    expect(noShowPenaltyOf(withDefaults({ noShowPenalty: { mode: 'percent', value: 50 } }), 60)).toBe(30);
    expect(noShowPenaltyOf(withDefaults({ noShowPenalty: { mode: 'percent', value: 50 } }), 15)).toBe(8);
    expect(noShowPenaltyOf(withDefaults({ noShowPenalty: { mode: 'fixed', value: 25 } }), 60)).toBe(25);
    expect(noShowPenaltyOf(withDefaults({ noShowPenalty: { mode: 'fixed', value: 25 } }), 0)).toBe(0);
  });
});

describe('grants and overdraft', () => {
  const r = withDefaults({ startingGrant: 500, weakExtraGrant: 200, ruralExtraGrant: 150 });
  it('a plain school gets the starting grant', () => {
    expect(startingGrantOf(r, { tags: ['quality'], location: 'urban' })).toEqual({ amount: 500, base: 500, weakExtra: 0, ruralExtra: 0 });
  });
  it('薄弱校 get the weak extra', () => {
    expect(startingGrantOf(r, { tags: ['weak'], location: 'urban' }).amount).toBe(700);
  });
  it('农村校 (tag or village) get the rural extra', () => {
    expect(startingGrantOf(r, { tags: ['rural'], location: 'township' }).amount).toBe(650);
    expect(startingGrantOf(r, { tags: [], location: 'village' }).amount).toBe(650);
    expect(isRuralSchool({ tags: [], location: 'township' })).toBe(false);
  });
  it('weak and rural extras add up', () => {
    expect(startingGrantOf(r, { tags: ['weak', 'rural'], location: 'village' })).toEqual({ amount: 850, base: 500, weakExtra: 200, ruralExtra: 150 });
    expect(isWeakSchool({ tags: ['weak'], location: 'urban' })).toBe(true);
  });
  it('overdraft: a debit may take the balance down to minus the limit, not below', () => {
    expect(canAfford(50, 150, 100)).toBe(true);
    expect(canAfford(50, 151, 100)).toBe(false);
    expect(canAfford(0, 1, 0)).toBe(false);
    expect(canAfford(-100, 0, 100)).toBe(true);
  });
});

describe('withDefaults', () => {
  it('fills missing fields and nested objects', () => {
    const r = withDefaults({ hostSharePct: 80, noShowPenalty: { mode: 'fixed', value: 5 } });
    expect(r.hostSharePct).toBe(80);
    expect(r.noShowPenalty).toEqual({ mode: 'fixed', value: 5 });
    expect(r.startingGrant).toBe(DEFAULT_RULES.startingGrant);
    expect(r.peakWindows).toEqual(DEFAULT_RULES.peakWindows);
  });
  it('does not share the default objects (editing one rule set leaves the defaults alone)', () => {
    const r = withDefaults(null);
    r.rates.gym = { offPeak: 1, peak: 1 };
    expect(DEFAULT_RULES.rates.gym).toEqual({ offPeak: 25, peak: 40 });
  });
});
