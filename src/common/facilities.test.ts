import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DAY,
  DEFAULT_POLICY,
  FACILITY_TYPES,
  HOUR,
  MINUTE,
  cancellationTimely,
  checkTiming,
  closureHit,
  haversineKm,
  isWeekend,
  localParts,
  localToMs,
  occurrenceStatus,
  overlaps,
  parseHm,
  quotaExceeded,
  weekStart,
  weeklyOccurrences,
  withinOpenHours,
  type OpenHour,
} from './facilities.js';

const at = (local: string) => Date.parse(`${local}+08:00`); // local Asia/Shanghai wall time
const WEEKDAYS: OpenHour[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '08:00', close: '18:00' }));

describe('vocabulary', () => {
  it('has every facility type of SPEC Appendix A, community venues included', () => {
    for (const zh of [
      '物理实验室',
      '化学实验室',
      '生物实验室',
      '科学实验室',
      '计算机教室',
      '智慧教室',
      '录播教室',
      '体育馆',
      '田径场',
      '游泳馆',
      '音乐教室',
      '美术教室',
      '舞蹈室',
      '报告厅',
      '会议室',
      '劳动实践基地',
    ]) {
      expect(FACILITY_TYPES.parse(zh), zh).toBeDefined();
    }
    expect(FACILITY_TYPES.label('community_venue')).toContain('社区场馆');
    expect(FACILITY_TYPES.label('maker_space')).toBe('创客空间/STEAM教室');
  });
});

describe('local time (Asia/Shanghai)', () => {
  it('splits an instant into local date, ISO weekday and minutes', () => {
    // 2026-11-23 is a Monday; 01:30 UTC is 09:30 in Shanghai
    expect(localParts(Date.parse('2026-11-23T01:30:00Z'))).toEqual({ date: '2026-11-23', weekday: 1, minutes: 570 });
    // 17:00 UTC on Sunday is already Monday 01:00 local
    expect(localParts(Date.parse('2026-11-22T17:00:00Z'))).toEqual({ date: '2026-11-23', weekday: 1, minutes: 60 });
    expect(localParts(at('2026-11-29T10:00:00')).weekday).toBe(7);
    expect(localToMs('2026-11-23', 570)).toBe(Date.parse('2026-11-23T01:30:00Z'));
  });
  it('parses HH:MM, refusing nonsense', () => {
    expect(parseHm('08:30')).toBe(510);
    expect(parseHm('24:00')).toBe(1440);
    expect(parseHm('24:01')).toBeNaN();
    expect(parseHm('8:30')).toBeNaN();
  });
  it('weeks start on Monday, weekends are Saturday and Sunday', () => {
    expect(weekStart(at('2026-11-29T23:59:00'))).toBe('2026-11-23');
    expect(weekStart(at('2026-11-30T00:00:00'))).toBe('2026-11-30');
    expect(isWeekend(at('2026-11-28T09:00:00'))).toBe(true);
    expect(isWeekend(at('2026-11-27T23:59:00'))).toBe(false);
  });
});

describe('open hours', () => {
  it('accepts a booking inside an open interval of its weekday', () => {
    expect(withinOpenHours(at('2026-11-23T08:00:00'), at('2026-11-23T18:00:00'), WEEKDAYS)).toBe(true);
    expect(withinOpenHours(at('2026-11-23T07:59:00'), at('2026-11-23T09:00:00'), WEEKDAYS)).toBe(false);
    expect(withinOpenHours(at('2026-11-23T17:00:00'), at('2026-11-23T18:01:00'), WEEKDAYS)).toBe(false);
    // Saturday: no hours
    expect(withinOpenHours(at('2026-11-28T09:00:00'), at('2026-11-28T10:00:00'), WEEKDAYS)).toBe(false);
  });
  it('needs one interval to hold the whole booking (a lunch break splits the day)', () => {
    const split: OpenHour[] = [
      { weekday: 1, open: '08:00', close: '12:00' },
      { weekday: 1, open: '14:00', close: '18:00' },
    ];
    expect(withinOpenHours(at('2026-11-23T11:00:00'), at('2026-11-23T12:00:00'), split)).toBe(true);
    expect(withinOpenHours(at('2026-11-23T11:00:00'), at('2026-11-23T14:30:00'), split)).toBe(false);
  });
  it('never spans midnight, except ending exactly at 24:00', () => {
    const late: OpenHour[] = [
      { weekday: 1, open: '20:00', close: '24:00' },
      { weekday: 2, open: '00:00', close: '06:00' },
    ];
    expect(withinOpenHours(at('2026-11-23T22:00:00'), at('2026-11-24T00:00:00'), late)).toBe(true);
    expect(withinOpenHours(at('2026-11-23T23:00:00'), at('2026-11-24T01:00:00'), late)).toBe(false);
  });
});

describe('closures', () => {
  const closures = [
    { id: 'exam', startDate: '2026-12-28', endDate: '2026-12-31', kind: 'exam', reason: '期末考试' },
    { id: 'hol', startDate: '2027-01-01', endDate: '2027-01-03', kind: 'holiday', reason: '元旦' },
  ];
  it('finds the closure whose local days touch the booking', () => {
    expect(closureHit(at('2026-12-28T09:00:00'), at('2026-12-28T10:00:00'), closures)?.id).toBe('exam');
    expect(closureHit(at('2026-12-31T23:00:00'), at('2027-01-01T00:00:00'), closures)?.id).toBe('exam');
    expect(closureHit(at('2027-01-03T09:00:00'), at('2027-01-03T10:00:00'), closures)?.id).toBe('hol');
    expect(closureHit(at('2027-01-04T09:00:00'), at('2027-01-04T10:00:00'), closures)).toBeUndefined();
    expect(closureHit(at('2026-12-27T23:00:00'), at('2026-12-28T00:00:00'), closures)).toBeUndefined();
  });
});

describe('overlap with buffer (half-open)', () => {
  it('touching intervals do not overlap; a buffer keeps them apart', () => {
    expect(overlaps(0, 10, 10, 20)).toBe(false);
    expect(overlaps(0, 10, 9, 20)).toBe(true);
    expect(overlaps(0, 10, 10, 20, 1)).toBe(true);
    expect(overlaps(0, 10, 15, 20, 5)).toBe(false);
    expect(overlaps(15, 20, 0, 10, 5)).toBe(false);
    expect(overlaps(14, 20, 0, 10, 5)).toBe(true);
  });
  it('is symmetric and agrees with a point-wise definition (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        (a, la, b, lb) => {
          const pointwise = Array.from({ length: 100 }, (_, t) => t).some((t) => t >= a && t < a + la && t >= b && t < b + lb);
          expect(overlaps(a, a + la, b, b + lb)).toBe(pointwise);
          expect(overlaps(a, a + la, b, b + lb)).toBe(overlaps(b, b + lb, a, a + la));
        },
      ),
    );
  });
});

describe('weekly recurrence for a term', () => {
  it('repeats on the same weekday and wall time up to and including the end of term', () => {
    const occ = weeklyOccurrences(at('2026-11-24T14:00:00'), at('2026-11-24T15:30:00'), '2027-01-19');
    expect(occ).toHaveLength(9);
    expect(localParts(occ[8]!.startMs)).toMatchObject({ date: '2027-01-19', weekday: 2, minutes: 14 * 60 });
    expect(occ.every((o) => o.endMs - o.startMs === 90 * MINUTE)).toBe(true);
    expect(weeklyOccurrences(at('2026-11-24T14:00:00'), at('2026-11-24T15:00:00'), '2026-11-24')).toHaveLength(1);
    expect(weeklyOccurrences(at('2026-11-24T14:00:00'), at('2026-11-24T15:00:00'), '2027-12-31', 5)).toHaveLength(5);
  });
});

describe('timing rules', () => {
  const now = at('2026-11-23T08:00:00');
  const p = { ...DEFAULT_POLICY, minMinutes: 30, maxMinutes: 120, minNoticeHours: 24, maxDaysAhead: 30 };
  it('end before start is reported alone', () => {
    expect(checkTiming(at('2026-11-25T10:00:00'), at('2026-11-25T09:00:00'), now, p)).toEqual([{ field: 'end', code: 'end_before_start' }]);
    expect(checkTiming(at('2026-11-25T10:00:00'), at('2026-11-25T10:00:00'), now, p)).toEqual([{ field: 'end', code: 'end_before_start' }]);
  });
  it('duration, notice, advance and the past', () => {
    expect(checkTiming(at('2026-11-25T10:00:00'), at('2026-11-25T10:20:00'), now, p)).toEqual([{ field: 'end', code: 'too_short', min: 30 }]);
    expect(checkTiming(at('2026-11-25T10:00:00'), at('2026-11-25T12:01:00'), now, p)).toEqual([{ field: 'end', code: 'too_long', max: 120 }]);
    expect(checkTiming(at('2026-11-24T07:00:00'), at('2026-11-24T08:00:00'), now, p)).toEqual([{ field: 'start', code: 'too_late_notice', hours: 24 }]);
    expect(checkTiming(at('2026-12-24T09:00:00'), at('2026-12-24T10:00:00'), now, p)).toEqual([{ field: 'start', code: 'too_far_ahead', days: 30 }]);
    expect(checkTiming(at('2026-11-22T09:00:00'), at('2026-11-22T10:00:00'), now, p)).toEqual([{ field: 'start', code: 'in_past' }]);
    expect(checkTiming(at('2026-11-25T10:00:00'), at('2026-11-25T11:00:00'), now, p)).toEqual([]);
  });
  it('cancellation is timely up to the deadline', () => {
    const start = at('2026-11-25T10:00:00');
    expect(cancellationTimely(start, start - 24 * HOUR, 24)).toBe(true);
    expect(cancellationTimely(start, start - 24 * HOUR + 1, 24)).toBe(false);
    expect(cancellationTimely(start, start - 1, 0)).toBe(true);
  });
});

describe('weekly quota', () => {
  it('reports the first week that goes over', () => {
    const mon = at('2026-11-23T09:00:00');
    const b = (s: number, hours: number) => ({ startMs: s, endMs: s + hours * HOUR });
    expect(quotaExceeded([b(mon, 2)], [b(mon + DAY, 2)], 4)).toBeNull();
    expect(quotaExceeded([b(mon, 2)], [b(mon + DAY, 3)], 4)).toBe('2026-11-23');
    // the next week has its own budget
    expect(quotaExceeded([b(mon, 4)], [b(mon + 7 * DAY, 4)], 4)).toBeNull();
    expect(quotaExceeded([b(mon, 4)], [b(mon + 7 * DAY, 4), b(mon + 8 * DAY, 1)], 4)).toBe('2026-11-30');
    expect(quotaExceeded([b(mon, 100)], [b(mon, 100)], null)).toBeNull();
  });
});

describe('occurrence status', () => {
  it('closed beats outside hours beats conflict beats free', () => {
    const ctx = {
      hours: WEEKDAYS,
      closures: [{ startDate: '2026-11-30', endDate: '2026-11-30', kind: 'repair', reason: '设备检修' }],
      busy: [{ id: 'b1', startMs: at('2026-11-24T10:00:00'), endMs: at('2026-11-24T11:00:00') }],
      bufferMs: 15 * MINUTE,
    };
    const iv = (s: string, e: string) => ({ startMs: at(s), endMs: at(e) });
    expect(occurrenceStatus(iv('2026-11-30T10:00:00', '2026-11-30T11:00:00'), ctx).status).toBe('closed');
    expect(occurrenceStatus(iv('2026-11-28T10:00:00', '2026-11-28T11:00:00'), ctx).status).toBe('outside_hours');
    expect(occurrenceStatus(iv('2026-11-24T11:10:00', '2026-11-24T12:00:00'), ctx)).toEqual({ status: 'conflict', clash: 'b1' });
    expect(occurrenceStatus(iv('2026-11-24T11:15:00', '2026-11-24T12:00:00'), ctx)).toEqual({ status: 'free' });
  });
});

describe('distance', () => {
  it('haversine: one degree of latitude is about 111 km', () => {
    expect(haversineKm(30, 117, 31, 117)).toBeCloseTo(111.2, 0);
    expect(haversineKm(30.2, 117.5, 30.2, 117.5)).toBe(0);
  });
});
