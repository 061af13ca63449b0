/**
 * The demo bookings: past ones since the platform went live (checked in, some no-shows, some cancelled) and
 * the coming two weeks (accepted, and pending in the owners' inboxes), a declined request next to some
 * cross-school ones, and the walkthrough accounts' own weekly history. Cross-school bookings are also
 * handed to the ledger (seed/facilities-ledger.ts). Never two holding bookings overlapping.
 */
import type { Insertable } from 'kysely';
import type { DB } from '../db/schema.js';
import type { BookingStatus } from '../../common/facilities.js';
import { ZONE } from '../../common/time.js';
import type { SeedBooking } from './facilities-ledger.js';
import { PURPOSES, SLOTS, type Fac } from './facility-kinds.js';
import { addDays, maxDate, pad, type Rng } from './random.js';

/** the booking platform went live after the National Day holiday: the bookings' history starts here */
export const LIVE_SINCE = '2026-10-19';

const DAY = 86_400_000;
/** epoch ms of a local wall-clock time on a date */
export const localMs = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00.000Z`) - ZONE.offsetMs;
const iso = (ms: number) => new Date(ms).toISOString();
const weekday = (date: string) => {
  const d = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

export interface BookingInput {
  today: string;
  /** 08:00 local time today */
  nowMs: number;
  rngBook: Rng;
  facs: Fac[];
  coreOf: Set<string>;
  teachersOf: Map<string, { id: string; display_name: string }[]>;
  membersOf: Map<string, string[]>;
  /** school id → the school admin who decides its manual requests */
  adminOf: Map<string, string>;
  closedOn: (f: Fac, date: string) => boolean;
}

export function seedBookingRows({ today, nowMs, rngBook, facs, coreOf, teachersOf, membersOf, adminOf, closedOn }: BookingInput): {
  bookings: Insertable<DB['bookings']>[];
  forLedger: SeedBooking[];
} {
  const bookings: Insertable<DB['bookings']>[] = [];
  const forLedger: SeedBooking[] = [];
  let bSerial = 0;
  const pickBooker = (f: Fac, cross: boolean): { userId: string; name: string; schoolId: string; allianceId: string | null } | null => {
    if (f.schoolId && !cross) {
      const t = rngBook.pick(teachersOf.get(f.schoolId) ?? []);
      return t ? { userId: t.id, name: t.display_name, schoolId: f.schoolId, allianceId: null } : null;
    }
    const allianceId = f.alliances.length ? rngBook.pick(f.alliances) : null;
    if (!allianceId) return null;
    const others = (membersOf.get(allianceId) ?? []).filter((sid) => sid !== f.schoolId);
    const sid = others.length ? rngBook.pick(others) : null;
    const t = sid ? rngBook.pick(teachersOf.get(sid) ?? []) : null;
    return t && sid ? { userId: t.id, name: t.display_name, schoolId: sid, allianceId } : null;
  };
  const addBooking = (
    f: Fac,
    date: string,
    slot: [string, string],
    status: BookingStatus,
    booker: NonNullable<ReturnType<typeof pickBooker>>,
    extra: { decidedBy?: string | null } = {},
  ) => {
    const startMs = localMs(date, slot[0]);
    const endMs = localMs(date, slot[1]);
    const id = `bk_${pad(++bSerial, 6)}`;
    // requested 2–14 days ahead; requests for the coming days were made during the past week
    let createdMs = startMs - rngBook.int(2, 14) * DAY - rngBook.int(0, 8) * 3600_000;
    if (createdMs > nowMs - 3600_000) createdMs = nowMs - rngBook.int(1, 7) * DAY + rngBook.int(0, 8) * 3600_000;
    const decided = status !== 'pending';
    const kind = f.type;
    const owner = f.schoolId ? (adminOf.get(f.schoolId) ?? null) : null;
    bookings.push({
      id,
      facility_id: f.id,
      alliance_id: booker.allianceId,
      booker_id: booker.userId,
      booker_school_id: booker.schoolId,
      series_id: null,
      start_at: iso(startMs),
      end_at: iso(endMs),
      start_ms: startMs,
      end_ms: endMs,
      block_end_ms: endMs,
      purpose: rngBook.pick(PURPOSES[kind] ?? PURPOSES.smart_classroom!),
      group_size: rngBook.int(20, Math.min(50, f.capacity)),
      responsible_teacher: booker.name,
      status,
      decided_by: decided && f.manual ? (extra.decidedBy ?? owner) : null,
      decided_at: decided && status !== 'cancelled' ? iso(createdMs + 3 * 3600_000) : null,
      decision_reason: status === 'rejected' ? '该时段本校已安排实验考查，请改约其他时段' : null,
      checked_in_at: status === 'checked_in' ? iso(startMs - 5 * 60_000) : null,
      cancelled_at: status === 'cancelled' ? iso(Math.min(startMs - 2 * DAY, nowMs - 3600_000)) : null,
      cancelled_by: status === 'cancelled' ? booker.userId : null,
      charge_tx_id: null,
      charge_amount: 0,
      created_at: iso(createdMs),
      updated_at: iso(createdMs),
    });
    if (booker.allianceId && booker.schoolId !== f.schoolId) {
      forLedger.push({
        id,
        allianceId: booker.allianceId,
        facilityId: f.id,
        facilityType: f.type,
        hostSchoolId: f.schoolId,
        hostPartnerId: f.partnerId,
        bookerSchoolId: booker.schoolId,
        startAt: iso(startMs),
        endAt: iso(endMs),
        status,
        createdAt: iso(createdMs),
        cancelledAt: status === 'cancelled' ? iso(Math.min(startMs - 2 * DAY, nowMs - 3600_000)) : null,
      });
    }
  };

  const lastPast = addDays(today, -1);
  const futureEnd = addDays(today, 13);
  // at most five weeks of history, whatever `today` is (the seed stays small and fast)
  const historyFrom = maxDate(LIVE_SINCE, addDays(today, -35));
  for (const f of facs) {
    const sl = SLOTS[f.kind.hours];
    const crossShare = f.partnerId ? 1 : f.schoolId && coreOf.has(f.schoolId) ? 0.04 : f.alliances.length ? 0.01 : 0;
    // schools outside every alliance book little through the platform (their own timetable lives elsewhere)
    const rate = f.alliances.length ? f.rate : f.rate * 0.3;
    for (let date = historyFrom; date <= futureEnd; date = addDays(date, 1)) {
      const wd = weekday(date);
      const slots = sl.days.includes(wd) ? sl.slots : wd === 6 && sl.weekend && f.community ? sl.weekend.slots : [];
      if (slots.length === 0 || closedOn(f, date)) continue;
      const past = date <= lastPast;
      // future bookings thin out with the distance from today
      const p = past ? rate : rate * Math.max(0.15, 0.75 - (Date.parse(date) - Date.parse(today)) / DAY / 30);
      for (const slot of slots) {
        if (!rngBook.chance(p)) continue;
        const booker = pickBooker(f, rngBook.chance(past ? crossShare : f.manual ? 0.3 : Math.min(1, crossShare * 2)));
        if (!booker) continue;
        const roll = rngBook.float();
        let status: BookingStatus;
        if (past) status = roll < 0.05 ? 'cancelled' : roll < 0.1 ? 'no_show' : 'checked_in';
        else if (f.manual && booker.schoolId !== f.schoolId) status = roll < 0.5 ? 'pending' : roll < 0.55 ? 'cancelled' : 'accepted';
        else status = roll < 0.05 ? 'cancelled' : 'accepted';
        addBooking(f, date, slot, status, booker);
        // a declined request next to some cross-school bookings (not holding, so it may overlap)
        if (booker.schoolId !== f.schoolId && f.manual && rngBook.chance(0.08)) {
          const other = pickBooker(f, true);
          if (other) addBooking(f, date, slot, 'rejected', other);
        }
      }
    }
  }

  // the walkthrough accounts' own history: 陈晓燕 (teacher, 新城小学) at 市实小's science lab, 谭春燕 at 临川一中
  const sciLab = facs.find((f) => f.schoolId === 's_00001' && f.type === 'science_lab');
  const chem1 = facs.find((f) => f.schoolId === 's_00010' && f.type === 'chemistry_lab');
  const held = (f: Fac, s: number, e: number) =>
    bookings.some((b) => b.facility_id === f.id && ['accepted', 'checked_in', 'pending'].includes(b.status) && Number(b.start_ms) < e && s < Number(b.end_ms));
  const own = (
    f: Fac | undefined,
    user: { userId: string; name: string; schoolId: string; allianceId: string },
    dates: string[],
    slot: [string, string],
    statusOf: (d: string) => BookingStatus,
  ) => {
    if (!f) return;
    for (const d of dates) {
      if (closedOn(f, d) || held(f, localMs(d, slot[0]), localMs(d, slot[1]))) continue;
      addBooking(f, d, slot, statusOf(d), user);
    }
  };
  const weeklyFrom = (start: string, n: number) => Array.from({ length: n }, (_, i) => addDays(start, i * 7));
  own(sciLab, { userId: 'u_teacher', name: '陈晓燕', schoolId: 's_00003', allianceId: 'a_0001' }, weeklyFrom('2026-10-20', 9), ['14:00', '16:00'], (d) =>
    d < today ? (d === '2026-10-27' ? 'no_show' : 'checked_in') : d < addDays(today, 8) ? 'accepted' : 'pending',
  );
  own(chem1, { userId: 'u_rural_teacher', name: '谭春燕', schoolId: 's_00034', allianceId: 'a_0002' }, weeklyFrom('2026-10-23', 4), ['08:00', '10:00'], (d) =>
    d < today ? 'checked_in' : 'accepted',
  );
  return { bookings, forLedger };
}
