/**
 * Facilities and bookings (SPEC S3.1–S3.2): vocabularies and the pure rules of booking — open hours,
 * closures, weekly recurrence over a term, overlap with a buffer, duration/notice/advance limits,
 * cancellation deadline, weekly quota and distance. No I/O; the server and the web app share them.
 *
 * Time: instants are epoch milliseconds (UTC). Local wall-clock time is Asia/Shanghai, which has had a
 * fixed offset of +08:00 without daylight saving since 1991, so local parts are computed with that offset.
 */
import { vocab } from './vocab.js';
import { ZONE } from './time.js';

export const FACILITY_TYPES = vocab([
  { code: 'physics_lab', zh: '物理实验室', en: 'Physics lab' },
  { code: 'chemistry_lab', zh: '化学实验室', en: 'Chemistry lab' },
  { code: 'biology_lab', zh: '生物实验室', en: 'Biology lab' },
  { code: 'science_lab', zh: '科学实验室', en: 'Science lab' },
  { code: 'maker_space', zh: '创客空间/STEAM教室', en: 'Maker space / STEAM room' },
  { code: 'computer_room', zh: '计算机教室', en: 'Computer room' },
  { code: 'smart_classroom', zh: '智慧教室', en: 'Smart classroom' },
  { code: 'recording_studio', zh: '录播教室', en: 'Lesson recording studio' },
  { code: 'library', zh: '图书馆/阅览室', en: 'Library / reading room' },
  { code: 'gym', zh: '体育馆', en: 'Gymnasium' },
  { code: 'track_field', zh: '田径场', en: 'Track and field' },
  { code: 'swimming_pool', zh: '游泳馆', en: 'Swimming pool' },
  { code: 'music_room', zh: '音乐教室', en: 'Music room' },
  { code: 'art_room', zh: '美术教室', en: 'Art room' },
  { code: 'dance_room', zh: '舞蹈室', en: 'Dance room' },
  { code: 'lecture_hall', zh: '报告厅', en: 'Lecture hall' },
  { code: 'meeting_room', zh: '会议室', en: 'Meeting room' },
  { code: 'labor_base', zh: '劳动实践基地', en: 'Labour practice base' },
  { code: 'community_venue', zh: '社区场馆（博物馆、科技馆、文化站）', en: 'Community venue (museum, science centre, cultural station)' },
  { code: 'mobile_lab', zh: '流动实验室', en: 'Mobile lab' },
  { code: 'mobile_sports_kit', zh: '移动体育器材箱', en: 'Mobile sports kit' },
] as const);
export type FacilityType = (typeof FACILITY_TYPES.codes)[number];

export const FACILITY_STATUSES = vocab([
  { code: 'active', zh: '开放', en: 'Open' },
  { code: 'suspended', zh: '暂停开放', en: 'Suspended' },
  { code: 'retired', zh: '已停用', en: 'Retired' },
] as const);
export type FacilityStatus = (typeof FACILITY_STATUSES.codes)[number];

export const EQUIPMENT_STATUSES = vocab([
  { code: 'available', zh: '可用', en: 'Available' },
  { code: 'repair', zh: '维修', en: 'Under repair' },
  { code: 'scrapped', zh: '报废', en: 'Scrapped' },
] as const);
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES.codes)[number];

export const EQUIPMENT_USAGE = vocab([
  { code: 'lendable', zh: '可外借', en: 'Lendable' },
  { code: 'onsite', zh: '仅限场内使用', en: 'On site only' },
] as const);
export type EquipmentUsage = (typeof EQUIPMENT_USAGE.codes)[number];

export const BOOKING_POLICIES = vocab([
  { code: 'auto', zh: '规则内自动批准', en: 'Auto-approve within the rules' },
  { code: 'manual', zh: '人工审批', en: 'Approved by hand' },
] as const);
export type BookingPolicyCode = (typeof BOOKING_POLICIES.codes)[number];

export const CLOSURE_KINDS = vocab([
  { code: 'exam', zh: '考试', en: 'Exams' },
  { code: 'repair', zh: '维修', en: 'Repairs' },
  { code: 'holiday', zh: '节假日', en: 'Holiday' },
] as const);
export type ClosureKind = (typeof CLOSURE_KINDS.codes)[number];

/**
 * pending → accepted (auto or approved) → checked_in | no_show; pending → rejected; pending/accepted → cancelled.
 * Only the HOLDING statuses occupy the facility (the database forbids two of them overlapping);
 * pending requests may overlap each other, and approving one fails if an accepted booking overlaps.
 */
export const BOOKING_STATUSES = vocab([
  { code: 'pending', zh: '待审批', en: 'Pending approval' },
  { code: 'accepted', zh: '已确认', en: 'Accepted' },
  { code: 'checked_in', zh: '已签到', en: 'Checked in' },
  { code: 'rejected', zh: '已拒绝', en: 'Rejected' },
  { code: 'cancelled', zh: '已取消', en: 'Cancelled' },
  { code: 'no_show', zh: '未到场', en: 'No-show' },
] as const);
export type BookingStatus = (typeof BOOKING_STATUSES.codes)[number];
export const HOLDING_STATUSES = ['accepted', 'checked_in'] as const satisfies readonly BookingStatus[];
/** statuses that block other requests of the same booker series from being duplicated / count toward quota */
export const ACTIVE_STATUSES = ['pending', 'accepted', 'checked_in'] as const satisfies readonly BookingStatus[];

export const LOAN_STATUSES = vocab([
  { code: 'reserved', zh: '已预留', en: 'Reserved' },
  { code: 'out', zh: '已借出', en: 'Lent out' },
  { code: 'returned', zh: '已归还', en: 'Returned' },
  { code: 'cancelled', zh: '已取消', en: 'Cancelled' },
] as const);
export type LoanStatus = (typeof LOAN_STATUSES.codes)[number];
export const HOLDING_LOAN_STATUSES = ['reserved', 'out'] as const satisfies readonly LoanStatus[];

export const WAITLIST_STATUSES = vocab([
  { code: 'waiting', zh: '排队中', en: 'Waiting' },
  { code: 'offered', zh: '已提供空档', en: 'Slot offered' },
  { code: 'booked', zh: '已预约', en: 'Booked' },
  { code: 'expired', zh: '已过期', en: 'Expired' },
  { code: 'withdrawn', zh: '已撤回', en: 'Withdrawn' },
] as const);
export type WaitlistStatus = (typeof WAITLIST_STATUSES.codes)[number];

export const OCCURRENCE_STATUSES = vocab([
  { code: 'free', zh: '可预约', en: 'Free' },
  { code: 'conflict', zh: '与已有预约冲突', en: 'Conflicts with a booking' },
  { code: 'closed', zh: '闭馆（考试/维修/节假日）', en: 'Closed' },
  { code: 'outside_hours', zh: '不在开放时间内', en: 'Outside open hours' },
] as const);
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES.codes)[number];

// ---- local time (Asia/Shanghai, UTC+8) ------------------------------------------------------

export const TZ_OFFSET_MS = ZONE.offsetMs;
export const MINUTE = 60_000;
export const HOUR = 3600_000;
export const DAY = 86_400_000;

export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** 1 = Monday … 7 = Sunday (ISO) */
  weekday: number;
  /** minutes since local midnight */
  minutes: number;
}

export function localParts(ms: number): LocalParts {
  const d = new Date(ms + TZ_OFFSET_MS);
  const dow = d.getUTCDay();
  return { date: d.toISOString().slice(0, 10), weekday: dow === 0 ? 7 : dow, minutes: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

/** local date + minutes since midnight → epoch ms */
export function localToMs(date: string, minutes: number): number {
  return Date.parse(`${date}T00:00:00.000Z`) - TZ_OFFSET_MS + minutes * MINUTE;
}

/** 'HH:MM' → minutes since midnight (24:00 allowed as the end of a day) */
export function parseHm(hm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hm);
  if (!m) return NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return NaN;
  return h * 60 + min;
}

export const formatHm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Monday (local date) of the week holding the instant: the key of weekly quotas */
export function weekStart(ms: number): string {
  const p = localParts(ms);
  return localParts(localToMs(p.date, 0) - (p.weekday - 1) * DAY).date;
}

export function isWeekend(ms: number): boolean {
  return localParts(ms).weekday >= 6;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY).toISOString().slice(0, 10);
}

// ---- rules --------------------------------------------------------------------------------

export interface OpenHour {
  weekday: number; // 1..7
  open: string; // HH:MM
  close: string; // HH:MM
}

/** The booking lies within one open interval of its local day (it may not span midnight). */
export function withinOpenHours(startMs: number, endMs: number, hours: readonly OpenHour[]): boolean {
  const s = localParts(startMs);
  const e = localParts(endMs);
  const endMinutes = e.date === s.date ? e.minutes : endMs - localToMs(s.date, 0) === DAY ? 24 * 60 : -1;
  if (endMinutes < 0) return false;
  return hours.some((h) => h.weekday === s.weekday && parseHm(h.open) <= s.minutes && endMinutes <= parseHm(h.close));
}

export interface Closure {
  id?: string;
  startDate: string; // inclusive, local
  endDate: string; // inclusive, local
  kind: string;
  reason?: string | null;
}

/** The first closure whose days touch the booking's local days. */
export function closureHit<C extends Closure>(startMs: number, endMs: number, closures: readonly C[]): C | undefined {
  const from = localParts(startMs).date;
  const to = localParts(endMs - 1).date;
  return closures.find((c) => c.startDate <= to && from <= c.endDate);
}

/** Half-open intervals [aStart, aEnd) and [bStart, bEnd) overlap when kept `bufferMs` apart. */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number, bufferMs = 0): boolean {
  return aStart < bEnd + bufferMs && bStart < aEnd + bufferMs;
}

export interface Interval {
  startMs: number;
  endMs: number;
}

/**
 * Weekly occurrences of [startMs, endMs) up to and including the local date `until` (the end of the
 * term), at most `max` of them. Local wall-clock time is kept (UTC+8 has no DST, so +7 days is exact).
 */
export function weeklyOccurrences(startMs: number, endMs: number, until: string, max = 60): Interval[] {
  const out: Interval[] = [];
  for (let i = 0; out.length < max; i++) {
    const s = startMs + i * 7 * DAY;
    if (localParts(s).date > until) break;
    out.push({ startMs: s, endMs: endMs + i * 7 * DAY });
  }
  return out;
}

export interface BookingPolicy {
  minMinutes: number;
  maxMinutes: number;
  minNoticeHours: number;
  maxDaysAhead: number;
  bufferMinutes: number;
  cancelDeadlineHours: number;
  /** hours per booking school per week at this facility; null = unlimited */
  weeklyQuotaHours: number | null;
}

export type TimingProblem =
  | { field: 'end'; code: 'end_before_start' }
  | { field: 'end'; code: 'too_short'; min: number }
  | { field: 'end'; code: 'too_long'; max: number }
  | { field: 'start'; code: 'too_late_notice'; hours: number }
  | { field: 'start'; code: 'too_far_ahead'; days: number }
  | { field: 'start'; code: 'in_past' };

/** Duration, notice and advance limits of one occurrence, in the order a user would fix them. */
export function checkTiming(startMs: number, endMs: number, nowMs: number, p: BookingPolicy): TimingProblem[] {
  if (!(endMs > startMs)) return [{ field: 'end', code: 'end_before_start' }];
  const out: TimingProblem[] = [];
  const minutes = (endMs - startMs) / MINUTE;
  if (minutes < p.minMinutes) out.push({ field: 'end', code: 'too_short', min: p.minMinutes });
  if (minutes > p.maxMinutes) out.push({ field: 'end', code: 'too_long', max: p.maxMinutes });
  if (startMs < nowMs) out.push({ field: 'start', code: 'in_past' });
  else if (startMs - nowMs < p.minNoticeHours * HOUR) out.push({ field: 'start', code: 'too_late_notice', hours: p.minNoticeHours });
  if (startMs - nowMs > p.maxDaysAhead * DAY) out.push({ field: 'start', code: 'too_far_ahead', days: p.maxDaysAhead });
  return out;
}

/** A cancellation is timely (refunded) when made at least `deadlineHours` before the start. */
export function cancellationTimely(startMs: number, nowMs: number, deadlineHours: number): boolean {
  return startMs - nowMs >= deadlineHours * HOUR;
}

/**
 * Weekly quota: `existing` are the booking school's active bookings at this facility; returns the
 * first week (Monday date) that the new intervals would push over the quota, or null.
 */
export function quotaExceeded(existing: readonly Interval[], added: readonly Interval[], quotaHours: number | null): string | null {
  if (quotaHours == null) return null;
  const used = new Map<string, number>();
  for (const b of existing) used.set(weekStart(b.startMs), (used.get(weekStart(b.startMs)) ?? 0) + (b.endMs - b.startMs));
  for (const b of added) {
    const w = weekStart(b.startMs);
    const total = (used.get(w) ?? 0) + (b.endMs - b.startMs);
    used.set(w, total);
    if (total > quotaHours * HOUR + 1e-6) return w;
  }
  return null;
}

/** Great-circle distance in km. */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Status of one occurrence for the preview: timing problems are errors of the request; these are the
 * calendar states the user chooses between (book all free dates, or none).
 */
export function occurrenceStatus(
  o: Interval,
  ctx: { hours: readonly OpenHour[]; closures: readonly Closure[]; busy: readonly (Interval & { id: string })[]; bufferMs: number },
): { status: OccurrenceStatus; clash?: string; closure?: Closure } {
  const closure = closureHit(o.startMs, o.endMs, ctx.closures);
  if (closure) return { status: 'closed', closure };
  if (!withinOpenHours(o.startMs, o.endMs, ctx.hours)) return { status: 'outside_hours' };
  const clash = ctx.busy.find((b) => overlaps(o.startMs, o.endMs, b.startMs, b.endMs, ctx.bufferMs));
  if (clash) return { status: 'conflict', clash: clash.id };
  return { status: 'free' };
}

/** Default open hours for a new facility: Monday–Friday 08:00–18:00. */
export const DEFAULT_OPEN_HOURS: OpenHour[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '08:00', close: '18:00' }));

export const DEFAULT_POLICY: BookingPolicy = {
  minMinutes: 30,
  maxMinutes: 240,
  minNoticeHours: 2,
  maxDaysAhead: 180,
  bufferMinutes: 0,
  cancelDeadlineHours: 24,
  weeklyQuotaHours: null,
};
