import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DateStr, Id, Instant, isCleanLine, isCleanText, isDateStr, isInstant, isMonthStr, Line, MonthStr, PageOf, Para, rangeCheck } from './input.js';
import { zodIssueToField } from './errors.js';
import { addDaysStr, daysBetween, openSpans, termPeriods, weekPeriods } from '../modules/facilities/utilization.js';

/** the field codes a schema reports for a value, as the error handler shows them */
function codes(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.flatMap((i) =>
    zodIssueToField({ keyword: i.code, instancePath: `/${i.path.join('/')}`, params: { ...i } as Record<string, unknown>, message: i.message }).map(
      (f) => `${f.field}:${f.code}`,
    ),
  );
}

describe('DateStr', () => {
  it.each(['2026-02-28', '2024-02-29', '2000-01-01', '2100-12-31', '2026-12-31'])('accepts %s', (s) => {
    expect(isDateStr(s)).toBe(true);
    expect(DateStr.safeParse(s).success).toBe(true);
  });
  it.each([
    '2026-02-30',
    '2026-02-29',
    '2100-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '0001-01-01',
    '0000-12-31',
    '1999-12-31',
    '2101-01-01',
    '9999-12-31',
    '+010000-01-01',
    '2026-1-1',
    '20260101',
    '2026-01-01T00:00Z',
    ' 2026-01-01',
    '2026-01-01\n',
    '',
    '２０２６-01-01',
  ])('refuses %j as invalid_date', (s) => {
    expect(isDateStr(s)).toBe(false);
    expect(codes(DateStr, s)).toEqual([':invalid_date']);
  });
});

describe('Instant', () => {
  it.each(['2026-10-19T08:00Z', '2026-10-19T08:00:00+08:00', '2026-10-19T23:59:59.999-05:30', '2100-12-31T23:59Z'])('accepts %s', (s) => {
    expect(isInstant(s)).toBe(true);
    expect(Instant.safeParse(s).success).toBe(true);
  });
  it.each([
    '2026-10-19T24:00+08:00',
    '2026-10-19T24:00:00Z',
    '2026-10-19T23:60Z',
    '2026-10-19T23:59:60Z',
    '2026-02-30T08:00Z',
    '0001-01-01T00:00Z',
    '+010000-01-01T00:00:00.000Z',
    '2026-10-19T08:00',
    '2026-10-19 08:00Z',
    '2026-10-19T08:00+15:00',
    '2026-10-19T08:00+08:60',
    'now',
  ])('refuses %j as invalid_instant', (s) => {
    expect(isInstant(s)).toBe(false);
    expect(codes(Instant, s)).toEqual([':invalid_instant']);
  });
});

describe('MonthStr', () => {
  it('accepts real months in 2000–2100 only', () => {
    expect(isMonthStr('2026-09')).toBe(true);
    expect(isMonthStr('2100-12')).toBe(true);
    for (const s of ['9999-12', '2026-13', '2026-00', '1999-12', '2026-9', '2026-09-01']) {
      expect(isMonthStr(s)).toBe(false);
      expect(codes(MonthStr, s)).toEqual([':invalid_month']);
    }
  });
});

describe('Line and Para', () => {
  const name = Line(10);
  const note = Para(50);
  it('trims and keeps ordinary text, Chinese and emoji', () => {
    expect(name.parse('  张三  ')).toBe('张三');
    expect(name.parse("O'Brien-李")).toBe("O'Brien-李");
    expect(note.parse('第一行\n第二行\r\n\t第三行')).toBe('第一行\n第二行\r\n\t第三行');
  });
  it.each([
    ['NUL', 'a\u0000b'],
    ['LF', 'a\nb'],
    ['CR', 'a\rb'],
    ['TAB', 'a\tb'],
    ['BEL', 'a\u0007'],
    ['ESC', '\u001b[31m'],
    ['DEL', 'a\u007f'],
    ['C1', 'a\u0085b'],
    ['RLO', '\u202egpj.exe'],
    ['LRE', 'a\u202ab'],
    ['FSI', 'a\u2068b'],
    ['PDI', 'a\u2069'],
    ['RLM', 'a\u200f'],
    ['ALM', 'a\u061c'],
  ])('a single line refuses %s', (_, s) => {
    expect(isCleanLine(s)).toBe(false);
    expect(codes(name, s)).toEqual([':control_characters']);
  });
  it.each([
    ['NUL', 'a\u0000b'],
    ['BEL', 'a\u0007'],
    ['VT', 'a\u000bb'],
    ['RLO', '\u202eabc'],
    ['LRI', 'a\u2066b'],
  ])('a paragraph refuses %s', (_, s) => {
    expect(isCleanText(s)).toBe(false);
    expect(codes(note, s)).toEqual([':control_characters']);
  });
  it('limits the length after trimming', () => {
    expect(name.safeParse(`  ${'字'.repeat(10)}  `).success).toBe(true);
    expect(codes(name, '字'.repeat(11))).toEqual([':too_long']);
  });
  it('min() still applies and reads "required" for an empty string', () => {
    expect(codes(Line(10).min(1), '   ')).toEqual([':required']);
  });
});

describe('Id and PageOf', () => {
  it('ids are short opaque tokens', () => {
    expect(Id.safeParse('s_00001').success).toBe(true);
    expect(Id.safeParse('../etc').success).toBe(false);
    expect(Id.safeParse('x'.repeat(41)).success).toBe(false);
  });
  it('pages have a maximum size', () => {
    const q = z.object(PageOf());
    expect(q.parse({})).toEqual({ page: 1, pageSize: 20 });
    expect(codes(q, { pageSize: '101' })).toEqual(['pageSize:too_big']);
    expect(codes(q, { page: '0' })).toEqual(['page:too_small']);
  });
});

describe('rangeCheck', () => {
  const Q = z.object({ from: DateStr.optional(), to: DateStr.optional() }).superRefine(rangeCheck('from', 'to', 731));
  const I = z.object({ from: Instant, to: Instant }).superRefine(rangeCheck('from', 'to', 31, true));
  it('accepts ordered ranges up to the span, or one side only', () => {
    expect(Q.safeParse({ from: '2026-01-01', to: '2026-01-01' }).success).toBe(true);
    expect(Q.safeParse({ from: '2025-01-01', to: '2027-01-01' }).success).toBe(true);
    expect(Q.safeParse({ from: '2026-01-01' }).success).toBe(true);
  });
  it('names `to` when it is before `from` or the span is too long, with the maximum', () => {
    expect(codes(Q, { from: '2026-02-01', to: '2026-01-31' })).toEqual(['to:before_from']);
    expect(codes(Q, { from: '2020-01-01', to: '2026-01-01' })).toEqual(['to:range_too_long']);
    const r = Q.safeParse({ from: '2020-01-01', to: '2026-01-01' });
    const f = zodIssueToField({ keyword: 'custom', instancePath: '/to', params: { ...r.error!.issues[0]! } as Record<string, unknown> });
    expect(f[0]!.params).toEqual({ max: 731 });
  });
  it('instants: a strict range refuses an empty one', () => {
    expect(codes(I, { from: '2026-01-01T08:00Z', to: '2026-01-01T08:00Z' })).toEqual(['to:before_from']);
    expect(codes(I, { from: '2026-01-01T08:00Z', to: '2026-03-01T08:00Z' })).toEqual(['to:range_too_long']);
    expect(I.safeParse({ from: '2026-01-01T08:00Z', to: '2026-01-02T08:00+08:00' }).success).toBe(true);
  });
  it('does not pile a range error on a broken date', () => {
    expect(codes(Q, { from: '2026-02-30', to: '2020-01-01' })).toEqual(['from:invalid_date']);
  });
});

describe('utilization calendar helpers never loop without bound', () => {
  it('addDaysStr refuses to leave four-digit years instead of writing +010000', () => {
    expect(addDaysStr('2026-12-31', 1)).toBe('2027-01-01');
    expect(() => addDaysStr('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDaysStr('0000-01-01', -1)).toThrow(RangeError);
    expect(() => addDaysStr('2026-02-30x', 1)).toThrow(RangeError);
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
  });
  it('weeks, terms and open spans over absurd ranges throw at once', () => {
    const started = Date.now();
    expect(() => weekPeriods('9999-12-30', '9999-12-31')).toThrow(RangeError);
    expect(() => weekPeriods('0000-01-01', '9999-12-31')).toThrow(RangeError);
    expect(() => termPeriods('0000-01-01', '0000-12-31')).not.toThrow();
    expect(() => termPeriods('2000-01-01', '2100-12-31')).toThrow(RangeError);
    expect(() => openSpans({ windows: [{ weekday: 1, start: '08:00', end: '17:00' }], closures: [] }, '2000-01-01', '2100-12-31')).toThrow(RangeError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
  it('a normal range still works', () => {
    expect(weekPeriods('2026-10-19', '2026-11-01').map((p) => p.key)).toEqual(['2026-10-19', '2026-10-26']);
    expect(openSpans({ windows: [{ weekday: 1, start: '08:00', end: '17:00' }], closures: [] }, '2026-10-19', '2026-10-25')).toHaveLength(1);
  });
});
