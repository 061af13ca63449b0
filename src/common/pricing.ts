/**
 * The credit economy's pure rules (SPEC S3.3): what a booking costs, how the price splits between the
 * host and the alliance pool, what a refund or a no-show moves, and the grants a school receives.
 * No I/O; the ledger service (server/modules/credits) applies the results inside database transactions.
 * Credits (积分) are integers.
 */
import { vocab } from './vocab.js';

/** Kinds of ledger transactions (stable codes in credit_transactions.kind). */
export const CREDIT_TX_KINDS = vocab([
  { code: 'booking_charge', zh: '设施预约扣费', en: 'Booking charge' },
  { code: 'booking_refund', zh: '取消预约退还', en: 'Booking refund' },
  { code: 'no_show_penalty', zh: '未到场扣除', en: 'No-show penalty' },
  { code: 'grant', zh: '积分发放', en: 'Grant' },
  { code: 'adjustment', zh: '人工调整', en: 'Adjustment' },
  { code: 'resource_reward', zh: '资源共享奖励', en: 'Resource-use reward' },
  { code: 'teacher_exchange', zh: '教师交流奖励', en: 'Teacher-exchange reward' },
] as const);

/** Owners of ledger accounts (credit_accounts.owner_type). */
export const CREDIT_OWNER_TYPES = vocab([
  { code: 'school', zh: '学校', en: 'School' },
  { code: 'partner', zh: '合作方', en: 'Partner' },
  { code: 'teacher', zh: '教师（贡献积分）', en: 'Teacher (contribution points)' },
  { code: 'pool', zh: '联盟公共积分池', en: 'Alliance pool' },
  { code: 'issuance', zh: '联盟积分发行', en: 'Alliance issuance' },
] as const);

export interface Rate {
  /** credits per hour outside peak windows */
  offPeak: number;
  /** credits per hour inside a peak window */
  peak: number;
}

/** A recurring local-time window: ISO weekdays (1 = Monday … 7 = Sunday), `from`–`to` as HH:MM. */
export interface PeakWindow {
  days: number[];
  from: string;
  to: string;
}

export interface CreditRules {
  /** rate for facility types without an own entry in `rates` */
  defaultRate: Rate;
  /** rates by facility type code */
  rates: Record<string, Rate>;
  /** peak windows in local time (Asia/Shanghai by default: UTC+8, no daylight saving) */
  peakWindows: PeakWindow[];
  utcOffsetMinutes: number;
  /** the host's share of a booking's price, in percent; the rest goes to the alliance pool */
  hostSharePct: number;
  /** starting grant for every member school */
  startingGrant: number;
  /** extra starting grant for 薄弱校 */
  weakExtraGrant: number;
  /** extra starting grant for 农村校 (tag `rural`, or located in a village) */
  ruralExtraGrant: number;
  /** how far below zero a school's balance may go when it books */
  overdraftLimit: number;
  /** no-show penalty: a percentage of the booking's price, or a fixed number of credits */
  noShowPenalty: { mode: 'percent' | 'fixed'; value: number };
  /** share of the price refunded when a booking is cancelled before the deadline, in percent */
  refundTimelyPct: number;
  /** share refunded on a late cancellation, in percent (0 by default) */
  refundLatePct: number;
  /** credits to the owner school each time another school uses one of its resources (S2) */
  resourceUseReward: number;
  /** contribution points to the resource's author for such a use */
  resourceAuthorReward: number;
  /** credits to the sending school per teacher-exchange day (S4) */
  teacherExchangeDayReward: number;
}

export const DEFAULT_RULES: CreditRules = {
  defaultRate: { offPeak: 10, peak: 15 },
  rates: {
    physics_lab: { offPeak: 20, peak: 30 },
    chemistry_lab: { offPeak: 20, peak: 30 },
    biology_lab: { offPeak: 20, peak: 30 },
    science_lab: { offPeak: 20, peak: 30 },
    maker_space: { offPeak: 20, peak: 30 },
    computer_room: { offPeak: 15, peak: 25 },
    smart_classroom: { offPeak: 15, peak: 20 },
    recording_studio: { offPeak: 25, peak: 35 },
    library: { offPeak: 5, peak: 8 },
    gym: { offPeak: 25, peak: 40 },
    track_field: { offPeak: 15, peak: 25 },
    swimming_pool: { offPeak: 30, peak: 45 },
    music_room: { offPeak: 10, peak: 15 },
    art_room: { offPeak: 10, peak: 15 },
    dance_room: { offPeak: 10, peak: 15 },
    lecture_hall: { offPeak: 30, peak: 50 },
    meeting_room: { offPeak: 8, peak: 12 },
    labor_base: { offPeak: 15, peak: 20 },
    community_venue: { offPeak: 15, peak: 20 },
    mobile_lab: { offPeak: 20, peak: 30 },
    mobile_sports_kit: { offPeak: 10, peak: 15 },
  },
  peakWindows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' }],
  utcOffsetMinutes: 480,
  hostSharePct: 70,
  startingGrant: 500,
  weakExtraGrant: 200,
  ruralExtraGrant: 200,
  overdraftLimit: 100,
  noShowPenalty: { mode: 'percent', value: 50 },
  refundTimelyPct: 100,
  refundLatePct: 0,
  resourceUseReward: 2,
  resourceAuthorReward: 1,
  teacherExchangeDayReward: 20,
};

/** Fills a partial (stored) rule set with the defaults. */
export function withDefaults(partial: Partial<CreditRules> | null | undefined): CreditRules {
  const p = partial ?? {};
  return {
    ...DEFAULT_RULES,
    ...p,
    defaultRate: { ...DEFAULT_RULES.defaultRate, ...(p.defaultRate ?? {}) },
    rates: { ...(p.rates ?? DEFAULT_RULES.rates) },
    peakWindows: p.peakWindows ?? DEFAULT_RULES.peakWindows,
    noShowPenalty: { ...DEFAULT_RULES.noShowPenalty, ...(p.noShowPenalty ?? {}) },
  };
}

export function rateFor(rules: CreditRules, facilityType: string): Rate {
  return rules.rates[facilityType] ?? rules.defaultRate;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`bad time ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Milliseconds of [startMs, endMs) that fall into a peak window (local time = UTC + offset).
 * Windows with `to` <= `from` are empty; `to` = 24:00 reaches midnight.
 */
export function peakMillis(startMs: number, endMs: number, windows: PeakWindow[], utcOffsetMinutes: number): number {
  if (endMs <= startMs || windows.length === 0) return 0;
  const off = utcOffsetMinutes * 60_000;
  const ls = startMs + off;
  const le = endMs + off;
  let total = 0;
  // walk the local days the interval touches
  for (let day = Math.floor(ls / DAY) * DAY; day < le; day += DAY) {
    const js = new Date(day).getUTCDay();
    const iso = js === 0 ? 7 : js;
    // several windows of one day may overlap each other: merge them first
    const spans = windows
      .filter((w) => w.days.includes(iso))
      .map((w) => [day + minutesOf(w.from) * 60_000, day + minutesOf(w.to) * 60_000] as const)
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    let curA = -1;
    let curB = -1;
    const flush = () => {
      if (curB > curA) total += Math.max(0, Math.min(curB, le) - Math.max(curA, ls));
    };
    for (const [a, b] of spans) {
      if (a > curB) {
        flush();
        curA = a;
        curB = b;
      } else curB = Math.max(curB, b);
    }
    flush();
  }
  return total;
}

export interface PriceInput {
  facilityType: string;
  startAt: string;
  endAt: string;
  allianceId: string | null;
  hostSchoolId: string | null;
  bookerSchoolId: string | null;
}

export interface PriceQuote {
  amount: number;
  hours: number;
  peakHours: number;
  free: boolean;
  reason: 'own_school' | 'no_alliance' | 'priced';
  ratePerHour: number;
  peakRatePerHour: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * What a booking costs the booker. Free inside one's own school, and outside an alliance (no ledger to
 * charge). Peak and off-peak time are priced separately; the total rounds to whole credits.
 */
export function quoteBooking(rules: CreditRules, b: PriceInput): PriceQuote {
  const startMs = Date.parse(b.startAt);
  const endMs = Date.parse(b.endAt);
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) throw new Error('invalid booking interval');
  const rate = rateFor(rules, b.facilityType);
  const totalMs = endMs - startMs;
  const peakMs = peakMillis(startMs, endMs, rules.peakWindows, rules.utcOffsetMinutes);
  const base = { hours: round2(totalMs / HOUR), peakHours: round2(peakMs / HOUR), ratePerHour: rate.offPeak, peakRatePerHour: rate.peak };
  if (b.hostSchoolId != null && b.hostSchoolId === b.bookerSchoolId) return { ...base, amount: 0, free: true, reason: 'own_school' };
  if (b.allianceId == null || b.bookerSchoolId == null) return { ...base, amount: 0, free: true, reason: 'no_alliance' };
  const amount = Math.round((peakMs * rate.peak + (totalMs - peakMs) * rate.offPeak) / HOUR);
  return { ...base, amount, free: amount === 0, reason: 'priced' };
}

/** How a charge splits: the host's share (rounded down) and the rest to the alliance pool. */
export function splitCharge(amount: number, hostSharePct: number): { host: number; pool: number } {
  const host = Math.floor((amount * hostSharePct) / 100);
  return { host, pool: amount - host };
}

/**
 * A refund of a charge (from the actual charge, not today's rules): `pct` of what the booker paid, taken
 * back from the host and the pool in proportion to what each received.
 */
export function refundOf(charge: { booker: number; host: number; pool: number }, pct: number): { booker: number; host: number; pool: number } {
  const total = Math.floor((charge.booker * pct) / 100);
  if (total <= 0 || charge.booker <= 0) return { booker: 0, host: 0, pool: 0 };
  const host = Math.min(charge.host, Math.round((charge.host * total) / charge.booker));
  const pool = total - host;
  return { booker: total, host, pool };
}

/** The no-show penalty for a booking that cost `price`. */
export function noShowPenaltyOf(rules: CreditRules, price: number): number {
  const p = rules.noShowPenalty;
  if (price <= 0) return 0;
  return p.mode === 'fixed' ? Math.max(0, Math.round(p.value)) : Math.max(0, Math.round((price * p.value) / 100));
}

export interface SchoolForGrant {
  tags: string[];
  location: string;
}

export function isWeakSchool(s: SchoolForGrant): boolean {
  return s.tags.includes('weak');
}
export function isRuralSchool(s: SchoolForGrant): boolean {
  return s.tags.includes('rural') || s.location === 'village';
}

/** The starting grant of one school, with the extra grants of 积极差别 (weak and rural add up). */
export function startingGrantOf(rules: CreditRules, s: SchoolForGrant): { amount: number; base: number; weakExtra: number; ruralExtra: number } {
  const weakExtra = isWeakSchool(s) ? rules.weakExtraGrant : 0;
  const ruralExtra = isRuralSchool(s) ? rules.ruralExtraGrant : 0;
  return { amount: rules.startingGrant + weakExtra + ruralExtra, base: rules.startingGrant, weakExtra, ruralExtra };
}

/** Whether a balance may take a debit of `amount` under the overdraft limit. */
export function canAfford(balance: number, amount: number, overdraftLimit: number): boolean {
  return balance - amount >= -overdraftLimit;
}
