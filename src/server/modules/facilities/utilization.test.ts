import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEnv, type TestEnv } from '../../testing.js';
import { expectProblem } from '../../testkit.js';
import {
  computeUtilization,
  localDayStart,
  openSpans,
  overlapMs,
  subtract,
  termPeriods,
  union,
  weekPeriods,
  type UtilBooking,
  type UtilFacility,
} from './utilization.js';

const at = (date: string, hhmm: string) => localDayStart(date) + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000;
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));
const lab = (id: string, extra: Partial<UtilFacility> = {}): UtilFacility => ({
  id,
  name: id,
  type: 'chemistry_lab',
  schoolId: 's1',
  schoolName: '一中',
  windows: weekdays('08:00', '18:00'),
  closures: [],
  ...extra,
});
const booking = (facilityId: string, date: string, start: string, end: string, used = true): UtilBooking => ({
  facilityId,
  startMs: at(date, start),
  endMs: at(date, end),
  used,
});

describe('utilization: calendar and intervals', () => {
  it('local days are Asia/Shanghai (UTC+8)', () => {
    expect(new Date(localDayStart('2026-11-23')).toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });

  it('weeks start on Monday and are clipped to the range', () => {
    // 2026-11-25 is a Wednesday
    const w = weekPeriods('2026-11-25', '2026-12-08');
    expect(w.map((p) => [p.key, p.from, p.to])).toEqual([
      ['2026-11-23', '2026-11-25', '2026-11-29'],
      ['2026-11-30', '2026-11-30', '2026-12-06'],
      ['2026-12-07', '2026-12-07', '2026-12-08'],
    ]);
  });

  it('terms follow the school year unless a calendar is given', () => {
    const t = termPeriods('2026-10-01', '2027-03-01');
    expect(t.map((p) => [p.label, p.from, p.to])).toEqual([
      ['2026-2027学年第一学期', '2026-10-01', '2027-01-31'],
      ['2026-2027学年第二学期', '2027-02-01', '2027-03-01'],
    ]);
    const own = termPeriods('2026-09-01', '2027-01-31', [{ name: '第一学期', from: '2026-09-01', to: '2027-01-22' }]);
    expect(own).toEqual([{ key: '2026-09-01', label: '第一学期', from: '2026-09-01', to: '2027-01-22' }]);
  });

  it('union, subtract and overlap', () => {
    const u = union([
      { startMs: 5, endMs: 10 },
      { startMs: 0, endMs: 3 },
      { startMs: 2, endMs: 6 },
      { startMs: 20, endMs: 20 },
    ]);
    expect(u).toEqual([{ startMs: 0, endMs: 10 }]);
    expect(
      subtract(
        [
          { startMs: 0, endMs: 10 },
          { startMs: 20, endMs: 30 },
        ],
        [
          { startMs: 2, endMs: 4 },
          { startMs: 8, endMs: 22 },
        ],
      ),
    ).toEqual([
      { startMs: 0, endMs: 2 },
      { startMs: 4, endMs: 8 },
      { startMs: 22, endMs: 30 },
    ]);
    expect(
      overlapMs(
        [
          { startMs: 0, endMs: 10 },
          { startMs: 20, endMs: 30 },
        ],
        [{ startMs: 5, endMs: 25 }],
        0,
        100,
      ),
    ).toBe(10);
    expect(
      overlapMs(
        [
          { startMs: 0, endMs: 10 },
          { startMs: 20, endMs: 30 },
        ],
        [{ startMs: 5, endMs: 25 }],
        7,
        21,
      ),
    ).toBe(4);
  });

  it('open hours: weekday windows minus closures', () => {
    // Mon 2026-11-23 … Sun 11-29: 5 days × 10 h, minus a closure of Wednesday
    const closed = { startMs: localDayStart('2026-11-25'), endMs: localDayStart('2026-11-26') };
    const spans = openSpans({ windows: weekdays('08:00', '18:00'), closures: [closed] }, '2026-11-23', '2026-11-29');
    expect(spans.reduce((a, s) => a + s.endMs - s.startMs, 0) / 3_600_000).toBe(40);
  });
});

describe('utilization: the report', () => {
  const from = '2026-11-23';
  const to = '2026-12-06'; // two full weeks: 100 open hours per lab

  it('counts booked and used hours against open hours, per week', () => {
    const r = computeUtilization({
      from,
      to,
      by: 'week',
      facilities: [lab('f1')],
      bookings: [
        booking('f1', '2026-11-23', '08:00', '12:00'), // used 4 h
        booking('f1', '2026-11-24', '14:00', '16:00', false), // booked, not used (no-show)
        booking('f1', '2026-12-01', '09:00', '10:00'), // second week
      ],
    });
    expect(r.periods).toHaveLength(2);
    const f = r.facilities[0]!;
    expect(f.openHours).toBe(100);
    expect(f.bookedHours).toBe(7);
    expect(f.usedHours).toBe(5);
    expect(f.bookedRate).toBe(0.07);
    expect(f.usedRate).toBe(0.05);
    expect(f.series.map((s) => [s.openHours, s.bookedHours, s.usedHours])).toEqual([
      [50, 6, 4],
      [50, 1, 1],
    ]);
    expect(f.idle).toBe(true);
  });

  it('never counts overlapping or out-of-hours time twice and never exceeds 100 %', () => {
    const r = computeUtilization({
      from,
      to: '2026-11-23',
      by: 'week',
      facilities: [lab('f1', { windows: [{ weekday: 1, start: '08:00', end: '12:00' }] })],
      bookings: [booking('f1', '2026-11-23', '07:00', '11:00'), booking('f1', '2026-11-23', '10:00', '13:00'), booking('f1', '2026-11-23', '19:00', '21:00')],
    });
    expect(r.facilities[0]!.openHours).toBe(4);
    expect(r.facilities[0]!.bookedHours).toBe(4);
    expect(r.facilities[0]!.usedRate).toBe(1);
  });

  it('bookings in a closure do not count, a closed facility has no rate', () => {
    const all = { startMs: localDayStart(from), endMs: localDayStart('2026-12-07') };
    const r = computeUtilization({ from, to, by: 'week', facilities: [lab('f1', { closures: [all] })], bookings: [booking('f1', from, '08:00', '12:00')] });
    expect(r.facilities[0]!.openHours).toBe(0);
    expect(r.facilities[0]!.usedRate).toBeNull();
    expect(r.facilities[0]!.idle).toBe(false);
  });

  it('flags idle facilities below 15 % and aggregates schools, types and the alliance', () => {
    const busy: UtilBooking[] = [];
    for (const d of [
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]) {
      busy.push(booking('lab', d, '08:00', '16:00')); // 8 of 10 h → 80 %
    }
    // gym: 14 h of 100 → 14 % → idle; 15 h would not be
    const gymBookings = [booking('gym', '2026-11-23', '08:00', '18:00'), booking('gym', '2026-11-24', '08:00', '12:00')];
    const r = computeUtilization({
      from,
      to,
      by: 'week',
      facilities: [lab('lab'), lab('gym', { type: 'gym', schoolId: 's2', schoolName: '石门中学' })],
      bookings: [...busy, ...gymBookings],
    });
    const gym = r.facilities.find((f) => f.id === 'gym')!;
    expect(gym.usedRate).toBe(0.14);
    expect(gym.idle).toBe(true);
    expect(r.facilities.find((f) => f.id === 'lab')!.idle).toBe(false);
    expect(r.facilities[0]!.id).toBe('gym'); // least used first
    expect(r.total.openHours).toBe(200);
    expect(r.total.usedHours).toBe(94);
    expect(r.total.usedRate).toBe(0.47);
    expect(r.total.idleFacilities).toBe(1);
    expect(r.goal).toEqual({ baseline: 0.35, target: 0.7, reached: false });
    expect(r.schools.map((s) => [s.key, s.usedRate])).toEqual([
      ['s2', 0.14],
      ['s1', 0.8],
    ]);
    expect(r.types.map((t) => [t.key, t.facilities, t.idleFacilities])).toEqual([
      ['gym', 1, 1],
      ['chemistry_lab', 1, 0],
    ]);
    expect(r.total.series.map((s) => s.usedHours)).toEqual([54, 40]);

    const one = computeUtilization({
      from,
      to,
      by: 'week',
      facilities: [lab('gym')],
      bookings: [...gymBookings, booking('gym', '2026-11-25', '08:00', '09:00')],
    });
    expect(one.facilities[0]!.usedRate).toBe(0.15);
    expect(one.facilities[0]!.idle).toBe(false);
  });

  it('groups by term', () => {
    const r = computeUtilization({
      from: '2026-09-01',
      to: '2027-03-31',
      by: 'term',
      facilities: [lab('f1')],
      bookings: [booking('f1', '2026-11-23', '08:00', '18:00'), booking('f1', '2027-03-01', '08:00', '10:00')],
    });
    expect(r.periods.map((p) => p.label)).toEqual(['2026-2027学年第一学期', '2026-2027学年第二学期']);
    expect(r.facilities[0]!.series.map((s) => s.usedHours)).toEqual([10, 2]);
  });
});

// ---- the API on the demo data ----------------------------------------------------------------------

describe('utilization API (demo data)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv();
  }, 120_000);
  afterAll(async () => env?.close());

  it('the 城乡共同体 dashboard: weekly rates, the idle gym, the 35 % → 70 % goal', async () => {
    const admin = await env.login('admin');
    const res = await admin.get('/api/alliances/a_0002/utilization?from=2026-10-19&to=2026-11-22&by=week');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.scope).toMatchObject({ kind: 'alliance', id: 'a_0002' });
    expect(r.periods).toHaveLength(5);
    expect(r.total.facilities).toBeGreaterThan(20);
    expect(r.total.usedRate).toBeGreaterThan(0.15);
    expect(r.total.usedRate).toBeLessThan(0.7);
    expect(r.goal).toEqual({ baseline: 0.35, target: 0.7, reached: false });
    const gym = r.facilities.find((f: { name: string }) => f.name === '青山县第二中学体育馆');
    expect(gym).toMatchObject({ idle: true });
    expect(gym.usedRate).toBeLessThan(0.15);
    // a closure week (期中考试 11-09…11-11) has fewer open hours than a full week
    const [w1, , , w4] = r.total.series as { openHours: number }[];
    expect(w4!.openHours).toBeLessThan(w1!.openHours);
    // the partner venues of the alliance count too
    expect(r.facilities.some((f: { schoolId: string }) => f.schoolId?.startsWith('partner:'))).toBe(true);
    expect(r.types.map((t: { key: string }) => t.key)).toContain('chemistry_lab');
  });

  it('by term uses the school calendar', async () => {
    const admin = await env.login('admin');
    const r = (await admin.get('/api/schools/s_00010/utilization?from=2026-09-01&to=2027-01-31&by=term')).json();
    expect(r.periods.map((p: { label: string; to: string }) => [p.label, p.to])).toEqual([['2026-2027学年第一学期', '2027-01-22']]);
    expect(r.total.bookedHours).toBeGreaterThan(r.total.usedHours);
  });

  it('is scoped: alliance members and overseers, not students nor other alliances', async () => {
    expect((await (await env.login('teacher')).get('/api/alliances/a_0001/utilization')).statusCode).toBe(200);
    expect((await (await env.login('evaluator')).get('/api/alliances/a_0005/utilization')).statusCode).toBe(200);
    expectProblem(await (await env.login('secretary')).get('/api/alliances/a_0002/utilization'), 404, 'not_found');
    expectProblem(await (await env.login('student')).get('/api/alliances/a_0001/utilization'), 404, 'not_found');
    expectProblem(await (await env.login('teacher')).get('/api/schools/s_00001/utilization'), 404, 'not_found');
    expect((await (await env.login('principal')).get('/api/schools/s_00001/utilization')).statusCode).toBe(200);
    expect((await (await env.login('secretary')).get('/api/schools/s_00001/utilization')).statusCode).toBe(200);
  });

  it('refuses a range that ends before it starts or is too long', async () => {
    const admin = await env.login('admin');
    const bad = await admin.get('/api/alliances/a_0001/utilization?from=2026-11-01&to=2026-10-01');
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.json().errors[0].field).toBe('query.to');
    expectProblem(await admin.get('/api/alliances/a_0001/utilization?from=2024-01-01&to=2026-10-01'), 400, 'validation_failed');
  });

  it('a check-in moves a booked hour to a used hour', async () => {
    const db = env.database.db;
    const b = await db
      .selectFrom('bookings')
      .select(['id', 'facility_id', 'start_ms', 'end_ms'])
      .where('status', '=', 'no_show')
      .where('facility_id', 'in', db.selectFrom('facilities').select('id').where('school_id', '=', 's_00010'))
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const admin = await env.login('admin');
    const url = '/api/schools/s_00010/utilization?from=2026-10-19&to=2026-11-22';
    const before = (await admin.get(url)).json().facilities.find((f: { id: string }) => f.id === b.facility_id);
    await db.updateTable('bookings').set({ status: 'checked_in' }).where('id', '=', b.id).execute();
    const after = (await admin.get(url)).json().facilities.find((f: { id: string }) => f.id === b.facility_id);
    expect(after.bookedHours).toBe(before.bookedHours);
    // hours are rounded to 0.1 in the answer
    expect(Math.abs(after.usedHours - before.usedHours - (Number(b.end_ms) - Number(b.start_ms)) / 3_600_000)).toBeLessThanOrEqual(0.1);
  });
});
