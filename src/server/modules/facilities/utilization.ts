/**
 * Facility utilization (SPEC S3.4): booked and used hours against open hours, per facility, school, type
 * and alliance, by week or by term. Pure functions without I/O — the routes in `utilization-routes.ts`
 * load the rows and call `computeUtilization`.
 *
 * Definitions
 * - open hours: the facility's weekly opening windows (local time: ZONE in src/common/time.ts) on each
 *   day of the period, minus closures (考试周, 维修, 节假日);
 * - booked hours: the union of the intervals of bookings that held the facility (accepted, checked in,
 *   completed, no-show), counted only where the facility was open — a rate never exceeds 100 %;
 * - used hours: the same for bookings that actually took place (checked in / completed);
 * - idle: used rate below 15 % over the whole range (the seeds' failing gym);
 * - the alliance goal ([000] 九): from 35 % to at least 70 % used.
 */

import { ZONE } from '../../../common/time.js';

export const IDLE_THRESHOLD = 0.15;
export const GOAL_BASELINE = 0.35;
export const GOAL_TARGET = 0.7;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * The longest range the calendar helpers walk (days). The routes allow 400 days; this is the safety net
 * behind them, so no loop here runs longer whatever a caller passes.
 */
export const MAX_SPAN_DAYS = 800;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export interface WeeklyWindow {
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  /** 'HH:MM' local time */
  start: string;
  end: string;
}

export interface Span {
  startMs: number;
  endMs: number;
}

export interface UtilFacility {
  id: string;
  name: string;
  type: string;
  schoolId: string | null;
  schoolName: string | null;
  windows: WeeklyWindow[];
  closures: Span[];
}

export interface UtilBooking extends Span {
  facilityId: string;
  /** took place (checked in / completed); otherwise only booked */
  used: boolean;
}

export interface Period {
  key: string;
  label: string;
  /** first and last day, inclusive, YYYY-MM-DD local */
  from: string;
  to: string;
}

export interface Hours {
  openHours: number;
  bookedHours: number;
  usedHours: number;
  /** booked / open, null without open hours */
  bookedRate: number | null;
  usedRate: number | null;
}

export interface FacilityUtilization extends Hours {
  id: string;
  name: string;
  type: string;
  schoolId: string | null;
  schoolName: string | null;
  idle: boolean;
  series: Hours[];
}

export interface GroupUtilization extends Hours {
  key: string;
  name: string | null;
  facilities: number;
  idleFacilities: number;
  series: Hours[];
}

export interface UtilizationReport {
  from: string;
  to: string;
  by: 'week' | 'term';
  periods: Period[];
  total: Hours & { facilities: number; idleFacilities: number; series: Hours[] };
  facilities: FacilityUtilization[];
  schools: GroupUtilization[];
  types: GroupUtilization[];
  idleThreshold: number;
  goal: { baseline: number; target: number; reached: boolean };
}

// ---- calendar ----------------------------------------------------------------------------------

/** Epoch ms of a YYYY-MM-DD date at UTC midnight; throws on anything else (no silent NaN). */
function dayMs(date: string): number {
  const ms = DATE_RE.test(date) ? Date.parse(`${date}T00:00:00.000Z`) : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  return ms;
}

/** Local midnight (the installation's zone) of a YYYY-MM-DD date, as epoch ms. */
export function localDayStart(date: string): number {
  return dayMs(date) - ZONE.offsetMs;
}

/**
 * The date `days` days after `date`. Stays within four-digit years (0000–9999): beyond them
 * `toISOString` writes `+010000-01-01`, which sorts before every four-digit date and would make a
 * `d <= to` loop endless — so it throws instead.
 */
export function addDaysStr(date: string, days: number): string {
  const ms = dayMs(date) + days * DAY_MS;
  const out = Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
  if (!DATE_RE.test(out) || !Number.isFinite(ms) || Math.abs(ms) > 253_402_300_799_999) throw new RangeError(`date out of range: ${date} + ${days}`);
  return out;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayMs(to) - dayMs(from)) / DAY_MS);
}

/** Throws unless [from, to] is a range of real dates of at most MAX_SPAN_DAYS days. */
export function assertSpan(from: string, to: string): void {
  const n = daysBetween(from, to);
  if (n < 0 || n > MAX_SPAN_DAYS) throw new RangeError(`range ${from}..${to} is not 0–${MAX_SPAN_DAYS} days`);
}

/** 1 = Monday … 7 = Sunday */
export function weekdayOf(date: string): number {
  const d = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Monday-based weeks overlapping [from, to], each clipped to the range. */
export function weekPeriods(from: string, to: string): Period[] {
  assertSpan(from, to);
  const out: Period[] = [];
  let monday = addDaysStr(from, 1 - weekdayOf(from));
  // at most MAX_SPAN_DAYS / 7 + 2 weeks: the counter bounds the loop even if the dates misbehave
  for (let i = 0; monday <= to && i <= MAX_SPAN_DAYS / 7 + 2; i++) {
    const sunday = addDaysStr(monday, 6);
    out.push({ key: monday, label: monday.slice(5), from: monday < from ? from : monday, to: sunday > to ? to : sunday });
    monday = addDaysStr(monday, 7);
  }
  return out;
}

/**
 * School terms overlapping [from, to] (Appendix A: 第一学期 Sep–Jan, 第二学期 Feb–Jul; the summer holiday
 * belongs to no term), clipped to the range. `terms` overrides the convention (a school's term calendar).
 */
export function termPeriods(from: string, to: string, terms?: { name: string; from: string; to: string }[]): Period[] {
  assertSpan(from, to);
  let list = terms;
  if (!list || list.length === 0) {
    list = [];
    const y0 = Number(from.slice(0, 4)) - 1;
    const y1 = Number(to.slice(0, 4));
    // a span of at most MAX_SPAN_DAYS touches at most a handful of school years
    for (let y = y0; y <= y1 && y - y0 <= MAX_SPAN_DAYS / 365 + 2; y++) {
      list.push({ name: `${y}-${y + 1}学年第一学期`, from: `${y}-09-01`, to: `${y + 1}-01-31` });
      list.push({ name: `${y}-${y + 1}学年第二学期`, from: `${y + 1}-02-01`, to: `${y + 1}-07-15` });
    }
  }
  return list
    .filter((t) => t.from <= to && t.to >= from)
    .sort((a, b) => a.from.localeCompare(b.from))
    .map((t) => ({ key: t.from, label: t.name, from: t.from < from ? from : t.from, to: t.to > to ? to : t.to }));
}

// ---- interval arithmetic -----------------------------------------------------------------------

/** Sorted, non-overlapping union of spans. */
export function union(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.endMs > s.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startMs <= last.endMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ startMs: s.startMs, endMs: s.endMs });
  }
  return out;
}

/** `a` minus `b`; both sorted and non-overlapping. */
export function subtract(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const s of a) {
    let cur = s.startMs;
    while (j < b.length && b[j]!.endMs <= cur) j++;
    let k = j;
    while (k < b.length && b[k]!.startMs < s.endMs) {
      if (b[k]!.startMs > cur) out.push({ startMs: cur, endMs: b[k]!.startMs });
      cur = Math.max(cur, b[k]!.endMs);
      k++;
    }
    if (cur < s.endMs) out.push({ startMs: cur, endMs: s.endMs });
  }
  return out;
}

/** Total length of the intersection of two sorted, non-overlapping lists, within [lo, hi). */
export function overlapMs(a: Span[], b: Span[], lo: number, hi: number): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]!.startMs, b[j]!.startMs, lo);
    const e = Math.min(a[i]!.endMs, b[j]!.endMs, hi);
    if (e > s) total += e - s;
    if (a[i]!.endMs < b[j]!.endMs) i++;
    else j++;
  }
  return total;
}

const lengthMs = (a: Span[], lo: number, hi: number) => a.reduce((acc, s) => acc + Math.max(0, Math.min(s.endMs, hi) - Math.max(s.startMs, lo)), 0);

/** The facility's open intervals on the days [from, to], closures removed. */
export function openSpans(f: Pick<UtilFacility, 'windows' | 'closures'>, from: string, to: string): Span[] {
  assertSpan(from, to);
  const spans: Span[] = [];
  const n = daysBetween(from, to);
  for (let i = 0, d = from; i <= n; i++, d = addDaysStr(d, 1)) {
    const wd = weekdayOf(d);
    const base = localDayStart(d);
    for (const w of f.windows) {
      if (w.weekday !== wd) continue;
      const s = minutes(w.start);
      const e = minutes(w.end);
      if (e > s) spans.push({ startMs: base + s * 60_000, endMs: base + e * 60_000 });
    }
  }
  return subtract(union(spans), union(f.closures));
}

// ---- the report --------------------------------------------------------------------------------

const round1 = (x: number) => Math.round(x * 10) / 10;
const rate = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 1000) / 1000 : null);

function hours(openMs: number, bookedMs: number, usedMs: number): Hours {
  return {
    openHours: round1(openMs / HOUR_MS),
    bookedHours: round1(bookedMs / HOUR_MS),
    usedHours: round1(usedMs / HOUR_MS),
    bookedRate: rate(bookedMs, openMs),
    usedRate: rate(usedMs, openMs),
  };
}

interface Acc {
  open: number;
  booked: number;
  used: number;
  series: { open: number; booked: number; used: number }[];
  facilities: number;
  idle: number;
}
const newAcc = (n: number): Acc => ({
  open: 0,
  booked: 0,
  used: 0,
  series: Array.from({ length: n }, () => ({ open: 0, booked: 0, used: 0 })),
  facilities: 0,
  idle: 0,
});

export interface UtilizationInput {
  from: string;
  to: string;
  by: 'week' | 'term';
  facilities: UtilFacility[];
  bookings: UtilBooking[];
  /** term calendar for by=term (defaults to the national convention) */
  terms?: { name: string; from: string; to: string }[];
}

export function computeUtilization(input: UtilizationInput): UtilizationReport {
  const { from, to, by } = input;
  const periods = by === 'week' ? weekPeriods(from, to) : termPeriods(from, to, input.terms);
  const bounds = periods.map((p) => [localDayStart(p.from), localDayStart(addDaysStr(p.to, 1))] as const);
  const lo = localDayStart(from);
  const hi = localDayStart(addDaysStr(to, 1));

  const byFacility = new Map<string, UtilBooking[]>();
  for (const b of input.bookings) {
    const list = byFacility.get(b.facilityId);
    if (list) list.push(b);
    else byFacility.set(b.facilityId, [b]);
  }

  const total = newAcc(periods.length);
  const schools = new Map<string, Acc & { name: string | null }>();
  const types = new Map<string, Acc>();
  const facilities: FacilityUtilization[] = [];

  for (const f of input.facilities) {
    const open = openSpans(f, from, to);
    const list = byFacility.get(f.id) ?? [];
    const booked = union(list);
    const used = union(list.filter((b) => b.used));
    const series = bounds.map(([s, e]) => ({ open: lengthMs(open, s, e), booked: overlapMs(open, booked, s, e), used: overlapMs(open, used, s, e) }));
    const o = lengthMs(open, lo, hi);
    const bk = overlapMs(open, booked, lo, hi);
    const us = overlapMs(open, used, lo, hi);
    const idle = o > 0 && us / o < IDLE_THRESHOLD;
    facilities.push({
      id: f.id,
      name: f.name,
      type: f.type,
      schoolId: f.schoolId,
      schoolName: f.schoolName,
      ...hours(o, bk, us),
      idle,
      series: series.map((x) => hours(x.open, x.booked, x.used)),
    });
    const sKey = f.schoolId ?? '';
    if (!schools.has(sKey)) schools.set(sKey, { ...newAcc(periods.length), name: f.schoolName });
    if (!types.has(f.type)) types.set(f.type, newAcc(periods.length));
    for (const acc of [total, schools.get(sKey)!, types.get(f.type)!]) {
      acc.open += o;
      acc.booked += bk;
      acc.used += us;
      acc.facilities++;
      if (idle) acc.idle++;
      series.forEach((x, i) => {
        acc.series[i]!.open += x.open;
        acc.series[i]!.booked += x.booked;
        acc.series[i]!.used += x.used;
      });
    }
  }

  const group = (key: string, name: string | null, a: Acc): GroupUtilization => ({
    key,
    name,
    ...hours(a.open, a.booked, a.used),
    facilities: a.facilities,
    idleFacilities: a.idle,
    series: a.series.map((x) => hours(x.open, x.booked, x.used)),
  });
  const totalHours = hours(total.open, total.booked, total.used);
  const byRate = (a: Hours, b: Hours) => (a.usedRate ?? -1) - (b.usedRate ?? -1);
  return {
    from,
    to,
    by,
    periods,
    total: { ...totalHours, facilities: total.facilities, idleFacilities: total.idle, series: total.series.map((x) => hours(x.open, x.booked, x.used)) },
    facilities: facilities.sort(byRate),
    schools: [...schools.entries()].map(([k, a]) => group(k, a.name, a)).sort(byRate),
    types: [...types.entries()].map(([k, a]) => group(k, null, a)).sort(byRate),
    idleThreshold: IDLE_THRESHOLD,
    goal: { baseline: GOAL_BASELINE, target: GOAL_TARGET, reached: (totalHours.usedRate ?? 0) >= GOAL_TARGET },
  };
}
