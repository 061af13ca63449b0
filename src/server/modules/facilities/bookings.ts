/**
 * Bookings (S3.2): preview, single and weekly bookings, the owner's approval inbox, cancellation,
 * check-in, no-show, waitlist, equipment loans and reminders.
 *
 * Statuses: pending → accepted → checked_in | no_show; pending → rejected; pending | accepted → cancelled.
 * Only accepted / checked_in bookings HOLD the facility; the database refuses two holding bookings of one
 * facility that overlap (with the facility's buffer), see migration 002. Pending requests may overlap each
 * other; approving one fails cleanly (409 booking_conflict) when an accepted booking overlaps it.
 * Credits move through CreditService in the SAME transaction as the booking, cancellation or no-show.
 */
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { isBookingOverlap, lockRow } from '../../db/bookings.js';
import { transition } from '../../db/transition.js';
import type { BookingsTable } from './tables.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound, type RawFieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { communityBookerOnly, holds, type Actor } from '../../platform/policy.js';
import { runIdempotent } from '../../platform/idempotency.js';
import { CreditService, type BookingForCredits, type Quote } from '../credits/service.js';
import {
  ACTIVE_STATUSES,
  HOLDING_STATUSES,
  HOUR,
  MINUTE,
  cancellationTimely,
  checkTiming,
  formatHm,
  isWeekend,
  localParts,
  occurrenceStatus,
  quotaExceeded,
  weekStart,
  weeklyOccurrences,
  DAY,
  type Interval,
  type OccurrenceStatus,
  type TimingProblem,
} from '../../../common/facilities.js';
import { type FacilityService, closureOut, type FacilityRow } from './service.js';
import type { AvailabilityQuery, BookingCreate, BookingListQuery, BookingPreview, LoanCreate, WaitlistCreate } from './schema.js';

type BookingRow = BookingsTable & {
  facility_name: string;
  facility_type: string;
  host_school_id: string | null;
  host_partner_id: string | null;
  booker_name: string;
};

/** How long an offered waitlist slot is kept for the person next in line. */
const OFFER_HOURS = 24;
const MAX_OCCURRENCES = 60;
/** A standalone equipment loan lasts at most this long (a month: a unit, a term project's kit, a sports meet). */
export const MAX_LOAN_DAYS = 30;

const localRange = (startMs: number, endMs: number) => {
  const s = localParts(startMs);
  const e = localParts(endMs);
  return `${s.date} ${formatHm(s.minutes)}–${e.date === s.date ? '' : `${e.date} `}${formatHm(e.minutes)}`;
};

export function bookingOut(r: BookingRow) {
  return {
    id: r.id,
    facilityId: r.facility_id,
    facilityName: r.facility_name,
    facilityType: r.facility_type,
    hostSchoolId: r.host_school_id,
    hostPartnerId: r.host_partner_id,
    allianceId: r.alliance_id,
    bookerId: r.booker_id,
    bookerName: r.booker_name,
    bookerSchoolId: r.booker_school_id,
    seriesId: r.series_id,
    start: r.start_at,
    end: r.end_at,
    purpose: r.purpose,
    groupSize: r.group_size,
    responsibleTeacher: r.responsible_teacher,
    status: r.status as BookingsTable['status'] as 'pending',
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    checkedInAt: r.checked_in_at,
    cancelledAt: r.cancelled_at,
    chargeAmount: r.charge_amount,
    createdAt: r.created_at,
  };
}

/** Students and guardians (SPEC S3.2 community opening): a community-open venue at a weekend, or 403 before anything else. */
function communityGate(actor: Actor, f: Pick<FacilityRow, 'community_open'>, startMs: number) {
  if (communityBookerOnly(actor) && (f.community_open !== 1 || !isWeekend(startMs))) throw new AppError(403, 'community_booking_only');
}

function timingField(p: TimingProblem, prefix = ''): RawFieldError {
  const field = prefix + p.field;
  switch (p.code) {
    case 'end_before_start':
      return { field, code: 'end_before_start' };
    case 'too_short':
      return { field, code: 'booking_too_short', params: { min: p.min } };
    case 'too_long':
      return { field, code: 'booking_too_long', params: { max: p.max } };
    case 'too_late_notice':
      return { field, code: 'too_late_notice', params: { hours: p.hours } };
    case 'too_far_ahead':
      return { field, code: 'too_far_ahead', params: { days: p.days } };
    case 'in_past':
      return { field, code: 'in_past' };
  }
}

interface Occurrence extends Interval {
  status: OccurrenceStatus;
  clash?: { bookingId: string; startMs: number; endMs: number };
  closure?: { kind: string; reason: string | null; startDate: string; endDate: string };
}

interface Plan {
  f: FacilityRow;
  ownerAlliances: string[];
  allianceId: string | null;
  bookerSchoolId: string | null;
  occurrences: Occurrence[];
  /** last date of a weekly series (the term's end when not given) */
  until: string | null;
}

export class BookingService {
  readonly credits: CreditService;
  constructor(
    private readonly database: Database,
    private readonly facilities: FacilityService,
    credits?: CreditService,
  ) {
    this.credits = credits ?? new CreditService(database);
  }
  private get db(): Db {
    return this.database.db;
  }

  // ---- who books under which alliance -----------------------------------------------------------

  /**
   * The alliance a booking is made under: none for the own school's facility; else the requested one,
   * or the first alliance the booker's school shares with the owner; community venues at weekends
   * (community_open) need no alliance. Anyone else is refused.
   */
  private async allianceFor(db: Db | Tx, actor: Actor, f: FacilityRow, ownerAlliances: string[], requested: string | null | undefined, startMs: number) {
    // students and guardians: community-open venues at weekends only, as members of the public (no school pays)
    if (communityBookerOnly(actor)) {
      communityGate(actor, f, startMs);
      return { allianceId: null, bookerSchoolId: null };
    }
    const bookerSchoolId = actor.schoolId;
    if (f.school_id && bookerSchoolId === f.school_id) return { allianceId: null, bookerSchoolId };
    const mine = bookerSchoolId
      ? (await db.selectFrom('alliance_members').select('alliance_id').where('school_id', '=', bookerSchoolId).where('status', '=', 'active').execute()).map(
          (r) => r.alliance_id,
        )
      : [];
    const common = ownerAlliances.filter((a) => mine.includes(a)).sort();
    if (requested) {
      if (!common.includes(requested)) throw badRequest([{ field: 'allianceId', code: 'out_of_scope' }]);
      return { allianceId: requested, bookerSchoolId };
    }
    if (common.length) return { allianceId: common[0]!, bookerSchoolId };
    if (f.community_open === 1 && isWeekend(startMs)) return { allianceId: null, bookerSchoolId };
    if (actor.isPlatformAdmin) return { allianceId: null, bookerSchoolId };
    throw new AppError(403, 'no_common_alliance');
  }

  /** Validates the request and computes every occurrence's state; throws 4xx naming the field. */
  private async plan(db: Db | Tx, actor: Actor, input: z.infer<typeof BookingPreview>, nowMs: number, strict: boolean): Promise<Plan> {
    const { row: f, alliances: ownerAlliances } = await this.facilities.getVisible(actor, input.facilityId, db).catch((err) => {
      if (err instanceof AppError && err.status === 404) throw badRequest([{ field: 'facilityId', code: 'not_found' }]);
      throw err;
    });
    const startMs = Date.parse(input.start);
    const endMs = Date.parse(input.end);
    communityGate(actor, f, startMs);
    if (f.status !== 'active') throw badRequest([{ field: 'facilityId', code: 'not_bookable' }]);
    const policy = {
      minMinutes: f.min_minutes,
      maxMinutes: f.max_minutes,
      minNoticeHours: f.min_notice_hours,
      maxDaysAhead: f.max_days_ahead,
      bufferMinutes: f.buffer_minutes,
      cancelDeadlineHours: f.cancel_deadline_hours,
      weeklyQuotaHours: f.weekly_quota_hours,
    };
    const problems = checkTiming(startMs, endMs, nowMs, policy);
    if (problems.length) throw badRequest(problems.map((p) => timingField(p)));
    if (localParts(startMs).date !== localParts(endMs - 1).date) {
      throw badRequest([{ field: 'end', code: 'invalid', params: { reason: '预约不能跨越午夜 / a booking may not span midnight' } }]);
    }
    const { allianceId, bookerSchoolId } = await this.allianceFor(db, actor, f, ownerAlliances, input.allianceId, startMs);

    let intervals: Interval[] = [{ startMs, endMs }];
    let until: string | null = null;
    if (input.recurrence) {
      until = input.recurrence.until ?? (await this.facilities.termOn(db, f.school_id, localParts(startMs).date))?.end_date ?? null;
      if (!until) throw badRequest([{ field: 'recurrence.until', code: 'required' }]);
      if (until < localParts(startMs).date) throw badRequest([{ field: 'recurrence.until', code: 'before_from' }]);
      intervals = weeklyOccurrences(startMs, endMs, until, MAX_OCCURRENCES + 1);
      if (intervals.length > MAX_OCCURRENCES) throw badRequest([{ field: 'recurrence.until', code: 'too_big', params: { max: `${MAX_OCCURRENCES} 次` } }]);
      const last = intervals[intervals.length - 1]!;
      if (last.startMs - nowMs > f.max_days_ahead * DAY)
        throw badRequest([{ field: 'recurrence.until', code: 'too_far_ahead', params: { days: f.max_days_ahead } }]);
    }
    const from = intervals[0]!.startMs;
    const to = intervals[intervals.length - 1]!.endMs;
    const bufferMs = f.buffer_minutes * MINUTE;
    const [hours, closures, busy] = await Promise.all([
      this.facilities.openHours(db, f.id),
      this.facilities.closures(db, f, localParts(from).date, localParts(to).date),
      db
        .selectFrom('bookings')
        .select(['id', 'start_ms', 'end_ms', 'block_end_ms'])
        .where('facility_id', '=', f.id)
        .where('status', 'in', HOLDING_STATUSES)
        .where('start_ms', '<', to + bufferMs + 1)
        .where('block_end_ms', '>', from - bufferMs - 1)
        .execute(),
    ]);
    const busyIv = busy.map((b) => ({ id: b.id, startMs: Number(b.start_ms), endMs: Number(b.end_ms) }));
    const closureList = closures.map((c) => ({ id: c.id, startDate: c.start_date, endDate: c.end_date, kind: c.kind, reason: c.reason }));
    const occurrences: Occurrence[] = intervals.map((o) => {
      const st = occurrenceStatus(o, { hours, closures: closureList, busy: busyIv, bufferMs });
      const clashRow = st.clash ? busy.find((b) => b.id === st.clash) : undefined;
      return {
        ...o,
        status: st.status,
        clash: clashRow ? { bookingId: clashRow.id, startMs: Number(clashRow.start_ms), endMs: Number(clashRow.end_ms) } : undefined,
        closure: st.closure
          ? { kind: st.closure.kind, reason: st.closure.reason ?? null, startDate: st.closure.startDate, endDate: st.closure.endDate }
          : undefined,
      };
    });
    if (strict) {
      const first = occurrences[0]!;
      // a single booking, or a series whose weekday/time is never open: the request itself is wrong
      if (first.status === 'outside_hours' && occurrences.every((o) => o.status === 'outside_hours' || o.status === 'closed')) {
        const today =
          hours
            .filter((h) => h.weekday === localParts(startMs).weekday)
            .map((h) => `${h.open}–${h.close}`)
            .join('，') || '当天不开放 / closed that day';
        throw badRequest([{ field: 'start', code: 'outside_open_hours', params: { hours: today } }]);
      }
      if (occurrences.length === 1 && first.status === 'closed') {
        throw badRequest([
          { field: 'start', code: 'in_closure', params: { date: localParts(startMs).date, reason: first.closure!.reason ?? first.closure!.kind } },
        ]);
      }
      if (input.groupSize != null && f.capacity > 0 && input.groupSize > f.capacity)
        throw badRequest([{ field: 'groupSize', code: 'over_capacity', params: { capacity: f.capacity } }]);
    }
    return { f, ownerAlliances, allianceId, bookerSchoolId, occurrences, until };
  }

  private forCredits(id: string, f: FacilityRow, allianceId: string | null, bookerSchoolId: string | null, startMs: number, endMs: number): BookingForCredits {
    return {
      id,
      allianceId,
      facilityId: f.id,
      facilityType: f.type,
      hostSchoolId: f.school_id,
      hostPartnerId: f.partner_id,
      bookerSchoolId,
      startAt: new Date(startMs).toISOString(),
      endAt: new Date(endMs).toISOString(),
    };
  }

  private occurrenceOut(o: Occurrence) {
    return {
      start: new Date(o.startMs).toISOString(),
      end: new Date(o.endMs).toISOString(),
      status: o.status,
      clash: o.clash ? { bookingId: o.clash.bookingId, start: new Date(o.clash.startMs).toISOString(), end: new Date(o.clash.endMs).toISOString() } : null,
      closure: o.closure ?? null,
    };
  }

  async preview(actor: Actor, input: z.infer<typeof BookingPreview>) {
    const p = await this.plan(this.db, actor, input, Date.now(), false);
    const free = p.occurrences.filter((o) => o.status === 'free');
    let quote = null as Quote | null;
    for (const o of free) {
      const q = await this.credits.quote(this.db, this.forCredits('preview', p.f, p.allianceId, p.bookerSchoolId, o.startMs, o.endMs));
      const prev = quote as Quote | null;
      quote = prev
        ? { ...prev, amount: prev.amount + q.amount, hours: prev.hours + q.hours, peakHours: prev.peakHours + q.peakHours, free: prev.free && q.free }
        : q;
    }
    return {
      occurrences: p.occurrences.map((o) => this.occurrenceOut(o)),
      free: free.length,
      allianceId: p.allianceId,
      quote,
      policy: p.f.policy,
      terms: { safetyRules: p.f.safety_rules, responsibilityTerms: p.f.responsibility_terms },
    };
  }

  // ---- create --------------------------------------------------------------------------------

  async create(req: FastifyRequest | null, actor: Actor, input: z.infer<typeof BookingCreate>, idemKey?: string) {
    if (!input.acceptTerms) throw badRequest([{ field: 'acceptTerms', code: 'must_accept_terms' }]);
    const nowMs = Date.now();
    try {
      const res = await runIdempotent(this.db, { key: idemKey, userId: actor.userId, route: 'POST /api/bookings', body: input, status: 201 }, (tx) =>
        this.createIn(tx, req, actor, input, nowMs),
      );
      return res;
    } catch (err) {
      throw await this.mapOverlap(err, input.facilityId, { startMs: Date.parse(input.start), endMs: Date.parse(input.end) });
    }
  }

  /** The booking(s) inside a given transaction (also used by the waitlist's accept). */
  async createIn(tx: Tx, req: FastifyRequest | null, actor: Actor, input: z.infer<typeof BookingCreate>, nowMs: number) {
    // PostgreSQL: bookings of one facility are serialized on its row, taken before anything is read. The
    // exclusion constraint alone would still refuse overlaps, but simultaneous overlapping inserts then
    // wait on each other and end in deadlocks; queued behind the lock, a loser sees the winner and gets a
    // clean 409. Quota and equipment counts (read-then-write) need the same serialization.
    await lockRow(tx, this.database.dialect, 'facilities', input.facilityId);
    const p = await this.plan(tx, actor, input, nowMs, true);
    const { f } = p;
    const bad = p.occurrences.filter((o) => o.status !== 'free');
    const single = p.occurrences.length === 1;
    if (single && bad.length) throw this.conflictError(f, bad[0]!);
    if (!single && bad.length && (input.mode === 'all_or_nothing' || bad.length === p.occurrences.length)) {
      if (bad.length === p.occurrences.length && input.mode === 'all_free' && bad[0]!.status === 'conflict') throw this.conflictError(f, bad[0]!);
      throw new AppError(
        409,
        'booking_rejected_dates',
        {
          count: bad.length,
          dates:
            bad
              .slice(0, 10)
              .map((o) => localParts(o.startMs).date)
              .join('、') + (bad.length > 10 ? '…' : ''),
        },
        bad
          .slice(0, 20)
          .map((o) => ({ field: `occurrences.${p.occurrences.indexOf(o)}`, code: 'invalid', params: { reason: `${localParts(o.startMs).date} ${o.status}` } })),
      );
    }
    const toBook = p.occurrences.filter((o) => o.status === 'free');
    // weekly quota of the booking school (other schools only)
    if (f.weekly_quota_hours != null && p.bookerSchoolId && p.bookerSchoolId !== f.school_id) {
      const from = Date.parse(`${weekStart(toBook[0]!.startMs)}T00:00:00+08:00`);
      const existing = await tx
        .selectFrom('bookings')
        .select(['start_ms', 'end_ms'])
        .where('facility_id', '=', f.id)
        .where('booker_school_id', '=', p.bookerSchoolId)
        .where('status', 'in', ACTIVE_STATUSES)
        .where('start_ms', '>=', from)
        .where('start_ms', '<', toBook[toBook.length - 1]!.endMs + 7 * DAY)
        .execute();
      const week = quotaExceeded(
        existing.map((b) => ({ startMs: Number(b.start_ms), endMs: Number(b.end_ms) })),
        toBook,
        f.weekly_quota_hours,
      );
      if (week) throw badRequest([{ field: 'start', code: 'over_quota', params: { hours: f.weekly_quota_hours, week } }]);
    }
    // equipment: of this facility, available, never over-lent
    const equipment = [];
    for (const [i, req0] of input.equipment.entries()) {
      const e = await tx.selectFrom('equipment').selectAll().where('id', '=', req0.equipmentId).executeTakeFirst();
      if (!e || e.facility_id !== f.id) throw badRequest([{ field: `equipment.${i}.equipmentId`, code: 'not_found' }]);
      if (e.status !== 'available') throw badRequest([{ field: `equipment.${i}.equipmentId`, code: 'not_lendable' }]);
      await lockRow(tx, this.database.dialect, 'equipment', e.id);
      equipment.push({ e, quantity: req0.quantity, index: i });
    }
    const now = nowIso();
    let series: { id: string; until: string; mode: string } | null = null;
    if (input.recurrence) {
      series = { id: newId(), until: p.until!, mode: input.mode };
      await tx
        .insertInto('booking_series')
        .values({ id: series.id, facility_id: f.id, booker_id: actor.userId, until_date: series.until, mode: series.mode, created_at: now })
        .execute();
    }
    // the owner's own managers need nobody's approval
    const status = f.policy === 'auto' || this.facilities.canManage(actor, f, p.ownerAlliances) ? 'accepted' : 'pending';
    const ids: string[] = [];
    for (const o of toBook) {
      const id = newId();
      ids.push(id);
      await tx
        .insertInto('bookings')
        .values({
          id,
          facility_id: f.id,
          alliance_id: p.allianceId,
          booker_id: actor.userId,
          booker_school_id: p.bookerSchoolId,
          series_id: series?.id ?? null,
          start_at: new Date(o.startMs).toISOString(),
          end_at: new Date(o.endMs).toISOString(),
          start_ms: o.startMs,
          end_ms: o.endMs,
          block_end_ms: o.endMs + f.buffer_minutes * MINUTE,
          purpose: input.purpose,
          group_size: input.groupSize,
          responsible_teacher: input.responsibleTeacher,
          status,
          decided_by: null,
          decided_at: status === 'accepted' ? now : null,
          decision_reason: status === 'accepted' ? '自动批准' : null,
          checked_in_at: null,
          cancelled_at: null,
          cancelled_by: null,
          charge_tx_id: null,
          charge_amount: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (status === 'accepted') {
        const charge = await this.credits.chargeBooking(tx, req, this.forCredits(id, f, p.allianceId, p.bookerSchoolId, o.startMs, o.endMs));
        if (charge.transactionId || charge.amount) {
          await tx.updateTable('bookings').set({ charge_tx_id: charge.transactionId, charge_amount: charge.amount }).where('id', '=', id).execute();
        }
      }
      for (const eq of equipment) {
        const peak = await this.facilities.peakLent(tx, eq.e.id, o.startMs, o.endMs);
        if (peak + eq.quantity > eq.e.quantity)
          throw new AppError(409, 'equipment_unavailable', { name: eq.e.name, left: Math.max(0, eq.e.quantity - peak) }, [
            { field: `equipment.${eq.index}.quantity`, code: 'too_big', params: { max: Math.max(0, eq.e.quantity - peak) } },
          ]);
        await tx
          .insertInto('equipment_loans')
          .values({
            id: newId(),
            equipment_id: eq.e.id,
            booking_id: id,
            borrower_id: actor.userId,
            borrower_school_id: p.bookerSchoolId,
            quantity: eq.quantity,
            from_ms: o.startMs,
            to_ms: o.endMs,
            from_at: new Date(o.startMs).toISOString(),
            to_at: new Date(o.endMs).toISOString(),
            status: 'reserved',
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
    }
    await audit(tx, req, {
      action: 'booking.create',
      entityType: 'booking',
      entityId: ids[0] ?? null,
      regionId: f.region_id,
      allianceId: p.allianceId,
      schoolId: p.bookerSchoolId,
      detail: { facilityId: f.id, count: ids.length, status, seriesId: series?.id ?? null },
    });
    const rows = await this.rows(tx).where('b.id', 'in', ids).orderBy('b.start_ms').execute();
    return {
      series,
      bookings: rows.map(bookingOut),
      skipped: p.occurrences.filter((o) => o.status !== 'free').map((o) => this.occurrenceOut(o)),
    };
  }

  private conflictError(f: FacilityRow, o: Occurrence): AppError {
    if (o.status === 'conflict' && o.clash) {
      return new AppError(409, 'booking_conflict', { clash: `${f.name} ${localRange(o.clash.startMs, o.clash.endMs)}（预约 ${o.clash.bookingId}）` }, [
        { field: 'start', code: 'invalid', params: { reason: `与预约 ${o.clash.bookingId} 冲突 / clashes with booking ${o.clash.bookingId}` } },
      ]);
    }
    if (o.status === 'closed')
      return badRequest([
        { field: 'start', code: 'in_closure', params: { date: localParts(o.startMs).date, reason: o.closure?.reason ?? o.closure?.kind ?? '' } },
      ]);
    return badRequest([{ field: 'start', code: 'outside_open_hours', params: { hours: '' } }]);
  }

  /** The database refused an overlap (a concurrent writer won): 409 naming the booking that holds the time. */
  private async mapOverlap(err: unknown, facilityId: string, interval?: Interval): Promise<unknown> {
    if (!isBookingOverlap(err)) return err;
    const f = await this.db.selectFrom('facilities').select('name').where('id', '=', facilityId).executeTakeFirst();
    let q = this.db.selectFrom('bookings').select(['id', 'start_ms', 'end_ms']).where('facility_id', '=', facilityId).where('status', 'in', HOLDING_STATUSES);
    if (interval) q = q.where('start_ms', '<', interval.endMs + 1).where('block_end_ms', '>', interval.startMs - 1);
    const clash = await q.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    const text = clash ? `${f?.name ?? ''} ${localRange(Number(clash.start_ms), Number(clash.end_ms))}（预约 ${clash.id}）` : (f?.name ?? '');
    return new AppError(409, 'booking_conflict', { clash: text });
  }

  // ---- reading -------------------------------------------------------------------------------

  private rows(db: Db | Tx) {
    return db
      .selectFrom('bookings as b')
      .innerJoin('facilities as f', 'f.id', 'b.facility_id')
      .innerJoin('users as u', 'u.id', 'b.booker_id')
      .selectAll('b')
      .select([
        'f.name as facility_name',
        'f.type as facility_type',
        'f.school_id as host_school_id',
        'f.partner_id as host_partner_id',
        'u.display_name as booker_name',
      ]);
  }

  /** The booking if the actor may see it: the booker, the booker's school, whoever sees the facility. */
  async getVisible(actor: Actor, id: string, db: Db | Tx = this.db) {
    const row = await this.rows(db).where('b.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('booking');
    const f = await db.selectFrom('facilities').selectAll().where('id', '=', row.facility_id).executeTakeFirstOrThrow();
    const alliances = await this.facilities.ownerAlliances(db, f);
    const mine = row.booker_id === actor.userId || (row.booker_school_id != null && actor.schools.has(row.booker_school_id));
    if (!mine && !this.facilities.canSee(actor, f, alliances)) throw notFound('booking');
    // deciding on bookings is the owner's (school admin, partner), not the inventory overseers' (bureau)
    return { row, f, alliances, mine, manage: holds(actor, 'booking.decide') && this.facilities.canManage(actor, f, alliances) };
  }

  async detail(actor: Actor, id: string) {
    const { row } = await this.getVisible(actor, id);
    return { ...bookingOut(row), loans: await this.loans(this.db, [id]) };
  }

  private async loans(db: Db | Tx, bookingIds: string[]) {
    if (!bookingIds.length) return [];
    const rows = await db
      .selectFrom('equipment_loans as l')
      .innerJoin('equipment as e', 'e.id', 'l.equipment_id')
      .selectAll('l')
      .select('e.name as equipment_name')
      .where('l.booking_id', 'in', bookingIds)
      .orderBy('l.from_ms')
      .execute();
    return rows.map(loanOut);
  }

  async list(actor: Actor, q: z.infer<typeof BookingListQuery>) {
    let qb = this.rows(this.db);
    if (q.scope === 'mine') {
      qb = qb.where('b.booker_id', '=', actor.userId);
    } else if (q.scope === 'school') {
      const sid = q.schoolId ?? actor.schoolId;
      if (!sid) throw badRequest([{ field: 'query.schoolId', code: 'required' }]);
      const s = await this.db.selectFrom('schools').select(['id', 'region_id']).where('id', '=', sid).executeTakeFirst();
      if (!s || !(actor.isPlatformAdmin || actor.schools.has(sid) || actor.readRegions.has(s.region_id)))
        throw badRequest([{ field: 'query.schoolId', code: 'not_found' }]);
      qb = qb.where((eb) => eb.or([eb('b.booker_school_id', '=', sid), eb('f.school_id', '=', sid)]));
    } else {
      if (!q.facilityId) throw badRequest([{ field: 'query.facilityId', code: 'required' }]);
      await this.facilities.getVisible(actor, q.facilityId).catch((err) => {
        if (err instanceof AppError && err.status === 404) throw badRequest([{ field: 'query.facilityId', code: 'not_found' }]);
        throw err;
      });
      qb = qb.where('b.facility_id', '=', q.facilityId);
    }
    if (q.facilityId && q.scope !== 'facility') qb = qb.where('b.facility_id', '=', q.facilityId);
    if (q.status) qb = qb.where('b.status', '=', q.status);
    if (q.from) qb = qb.where('b.end_ms', '>', Date.parse(q.from));
    if (q.to) qb = qb.where('b.start_ms', '<', Date.parse(q.to));
    const [{ total }, rows] = await Promise.all([
      qb
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
      qb
        .orderBy('b.start_ms')
        .orderBy('b.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
    ]);
    return { items: rows.map(bookingOut), total: Number(total), page: q.page, pageSize: q.pageSize };
  }

  /** Pending requests at the facilities the actor manages (the owner's approval inbox). */
  async inbox(actor: Actor) {
    let qb = this.rows(this.db).where('b.status', '=', 'pending');
    if (!actor.isPlatformAdmin) {
      qb = qb.where((eb) => {
        const ors = [];
        if (actor.adminSchools.size) ors.push(eb('f.school_id', 'in', [...actor.adminSchools]));
        if (actor.bureauRegions.size) ors.push(eb('f.region_id', 'in', [...actor.bureauRegions]));
        // a partner account: its own organisation's venues only
        if (actor.partners.size) ors.push(eb('f.partner_id', 'in', [...actor.partners]));
        return ors.length ? eb.or(ors) : eb.lit(false);
      });
    }
    const rows = await qb.orderBy('b.start_ms').limit(500).execute();
    return { items: rows.map(bookingOut), total: rows.length };
  }

  /** The actor's holding bookings starting within the next 24 hours. */
  async reminders(actor: Actor, nowMs = Date.now()) {
    const rows = await this.rows(this.db)
      .where('b.booker_id', '=', actor.userId)
      .where('b.status', 'in', HOLDING_STATUSES)
      .where('b.start_ms', '>=', nowMs)
      .where('b.start_ms', '<', nowMs + 24 * HOUR)
      .orderBy('b.start_ms')
      .execute();
    return { items: rows.map(bookingOut), total: rows.length };
  }

  async availability(actor: Actor, facilityId: string, q: z.infer<typeof AvailabilityQuery>) {
    const { row: f } = await this.facilities.getVisible(actor, facilityId);
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    if (!(to > from)) throw badRequest([{ field: 'query.to', code: 'end_before_start' }]);
    if (to - from > 62 * DAY) throw badRequest([{ field: 'query.to', code: 'too_big', params: { max: '62 天' } }]);
    const [busy, hours, closures] = await Promise.all([
      this.db
        .selectFrom('bookings')
        .select(['id', 'start_at', 'end_at', 'status', 'booker_id'])
        .where('facility_id', '=', f.id)
        .where('status', 'in', ['pending', ...HOLDING_STATUSES])
        .where('start_ms', '<', to)
        .where('end_ms', '>', from)
        .orderBy('start_ms')
        .execute(),
      this.facilities.openHours(this.db, f.id),
      this.facilities.closures(this.db, f, localParts(from).date, localParts(to - 1).date),
    ]);
    return {
      facilityId: f.id,
      busy: busy.map((b) => ({ bookingId: b.id, start: b.start_at, end: b.end_at, status: b.status, mine: b.booker_id === actor.userId })),
      openHours: hours,
      closures: closures.map(closureOut),
      bufferMinutes: f.buffer_minutes,
    };
  }

  // ---- decisions -----------------------------------------------------------------------------

  private async forDecision(actor: Actor, id: string, tx: Tx) {
    const v = await this.getVisible(actor, id, tx);
    if (!v.manage) throw v.mine ? forbidden() : notFound('booking');
    return v;
  }

  private invalid(status: string, step: string) {
    return new AppError(409, 'invalid_transition', { status, step });
  }

  async approve(req: FastifyRequest, actor: Actor, id: string) {
    try {
      await this.db.transaction().execute(async (tx) => {
        // serialize on the facility row first (see createIn): concurrent approvals queue instead of deadlocking
        const target = await tx.selectFrom('bookings').select('facility_id').where('id', '=', id).executeTakeFirst();
        if (target) await lockRow(tx, this.database.dialect, 'facilities', target.facility_id);
        const { row, f } = await this.forDecision(actor, id, tx);
        if (row.status !== 'pending') throw this.invalid(row.status, 'approve');
        const now = nowIso();
        await transition(tx, 'bookings', id, 'pending', { status: 'accepted', decided_by: actor.userId, decided_at: now, updated_at: now }, (cur) =>
          this.invalid(cur ?? row.status, 'approve'),
        );
        const charge = await this.credits.chargeBooking(
          tx,
          req,
          this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms)),
        );
        await tx.updateTable('bookings').set({ charge_tx_id: charge.transactionId, charge_amount: charge.amount }).where('id', '=', id).execute();
        await audit(tx, req, {
          action: 'booking.approve',
          entityType: 'booking',
          entityId: id,
          regionId: f.region_id,
          allianceId: row.alliance_id,
          schoolId: f.school_id,
          detail: { amount: charge.amount },
        });
      });
    } catch (err) {
      const row = await this.db.selectFrom('bookings').select(['start_ms', 'block_end_ms', 'facility_id']).where('id', '=', id).executeTakeFirst();
      throw row ? await this.mapOverlap(err, row.facility_id, { startMs: Number(row.start_ms), endMs: Number(row.block_end_ms) }) : err;
    }
    return this.detail(actor, id);
  }

  async reject(req: FastifyRequest, actor: Actor, id: string, reason: string) {
    await this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(actor, id, tx);
      if (row.status !== 'pending') throw this.invalid(row.status, 'reject');
      const now = nowIso();
      await transition(
        tx,
        'bookings',
        id,
        'pending',
        { status: 'rejected', decided_by: actor.userId, decided_at: now, decision_reason: reason, updated_at: now },
        (cur) => this.invalid(cur ?? row.status, 'reject'),
      );
      await tx
        .updateTable('equipment_loans')
        .set({ status: 'cancelled', updated_at: now })
        .where('booking_id', '=', id)
        .where('status', '=', 'reserved')
        .execute();
      await audit(tx, req, {
        action: 'booking.reject',
        entityType: 'booking',
        entityId: id,
        regionId: f.region_id,
        allianceId: row.alliance_id,
        schoolId: f.school_id,
        detail: { reason },
      });
    });
    return this.detail(actor, id);
  }

  async cancel(req: FastifyRequest, actor: Actor, id: string, reason: string | undefined, idemKey?: string) {
    const res = await runIdempotent(
      this.db,
      { key: idemKey, userId: actor.userId, route: `POST /api/bookings/${id}/cancel`, body: { reason: reason ?? null } },
      async (tx) => {
        const { row, f, mine, manage } = await this.getVisible(actor, id, tx);
        const isBooker = row.booker_id === actor.userId;
        if (!isBooker && !manage) throw mine ? forbidden() : notFound('booking');
        if (row.status !== 'pending' && row.status !== 'accepted') throw this.invalid(row.status, 'cancel');
        const nowMs = Date.now();
        const now = new Date(nowMs).toISOString();
        // the owner cancelling is never the booker's fault: refunded as timely
        const timely = !isBooker || cancellationTimely(Number(row.start_ms), nowMs, f.cancel_deadline_hours);
        // conditional on the status read: whether a refund is due depends on it (pending: nothing was charged)
        await transition(
          tx,
          'bookings',
          id,
          row.status,
          { status: 'cancelled', cancelled_at: now, cancelled_by: actor.userId, decision_reason: reason ?? row.decision_reason, updated_at: now },
          (cur) => this.invalid(cur ?? row.status, 'cancel'),
        );
        await tx
          .updateTable('equipment_loans')
          .set({ status: 'cancelled', updated_at: now })
          .where('booking_id', '=', id)
          .where('status', '=', 'reserved')
          .execute();
        let refund = { transactionId: null as string | null, amount: 0 };
        if (row.status === 'accepted') {
          refund = await this.credits.refundBooking(
            tx,
            req,
            this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms)),
            { timely },
          );
          await this.offerFreedSlot(tx, f, Number(row.start_ms), Number(row.block_end_ms), nowMs);
        }
        await audit(tx, req, {
          action: 'booking.cancel',
          entityType: 'booking',
          entityId: id,
          regionId: f.region_id,
          allianceId: row.alliance_id,
          schoolId: row.booker_school_id,
          detail: { timely, refund: refund.amount, by: isBooker ? 'booker' : 'owner', reason: reason ?? null },
        });
        const after = await this.rows(tx).where('b.id', '=', id).executeTakeFirstOrThrow();
        return { ...bookingOut(after), loans: await this.loans(tx, [id]), refund: refund.amount, timely };
      },
    );
    return res.body;
  }

  async checkIn(req: FastifyRequest, actor: Actor, id: string) {
    await this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(actor, id, tx);
      if (row.status !== 'accepted') throw this.invalid(row.status, 'check-in');
      const nowMs = Date.now();
      if (nowMs < Number(row.start_ms) - HOUR || nowMs > Number(row.end_ms)) {
        throw badRequest([
          { field: 'booking', code: 'invalid', params: { reason: '只能在开始前 1 小时至结束前签到 / check-in opens 1 hour before the start' } },
        ]);
      }
      const now = nowIso();
      await transition(tx, 'bookings', id, 'accepted', { status: 'checked_in', checked_in_at: now, updated_at: now }, (cur) =>
        this.invalid(cur ?? row.status, 'check-in'),
      );
      await tx.updateTable('equipment_loans').set({ status: 'out', updated_at: now }).where('booking_id', '=', id).where('status', '=', 'reserved').execute();
      await audit(tx, req, {
        action: 'booking.check_in',
        entityType: 'booking',
        entityId: id,
        regionId: f.region_id,
        allianceId: row.alliance_id,
        schoolId: f.school_id,
      });
    });
    return this.detail(actor, id);
  }

  async noShow(req: FastifyRequest, actor: Actor, id: string) {
    await this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(actor, id, tx);
      if (row.status !== 'accepted') throw this.invalid(row.status, 'no-show');
      if (Date.now() < Number(row.start_ms))
        throw badRequest([{ field: 'booking', code: 'invalid', params: { reason: '预约尚未开始 / the booking has not started' } }]);
      const now = nowIso();
      await transition(tx, 'bookings', id, 'accepted', { status: 'no_show', updated_at: now }, (cur) => this.invalid(cur ?? row.status, 'no-show'));
      await tx
        .updateTable('equipment_loans')
        .set({ status: 'cancelled', updated_at: now })
        .where('booking_id', '=', id)
        .where('status', '=', 'reserved')
        .execute();
      const penalty = await this.credits.penalizeNoShow(
        tx,
        req,
        this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms)),
      );
      await audit(tx, req, {
        action: 'booking.no_show',
        entityType: 'booking',
        entityId: id,
        regionId: f.region_id,
        allianceId: row.alliance_id,
        schoolId: row.booker_school_id,
        detail: { penalty: penalty.amount },
      });
    });
    return this.detail(actor, id);
  }

  // ---- waitlist ------------------------------------------------------------------------------

  async joinWaitlist(actor: Actor, input: z.infer<typeof WaitlistCreate>) {
    const { row: f, alliances } = await this.facilities.getVisible(actor, input.facilityId).catch((err) => {
      if (err instanceof AppError && err.status === 404) throw badRequest([{ field: 'facilityId', code: 'not_found' }]);
      throw err;
    });
    const startMs = Date.parse(input.start);
    const endMs = Date.parse(input.end);
    communityGate(actor, f, startMs);
    if (!(endMs > startMs)) throw badRequest([{ field: 'end', code: 'end_before_start' }]);
    if (startMs < Date.now()) throw badRequest([{ field: 'start', code: 'in_past' }]);
    // only slots the facility would let one book: within its horizon and its longest booking
    if (startMs - Date.now() > f.max_days_ahead * DAY) throw badRequest([{ field: 'start', code: 'too_far_ahead', params: { days: f.max_days_ahead } }]);
    if (endMs - startMs > f.max_minutes * MINUTE) throw badRequest([{ field: 'end', code: 'booking_too_long', params: { max: f.max_minutes } }]);
    const { allianceId, bookerSchoolId } = await this.allianceFor(this.db, actor, f, alliances, input.allianceId, startMs);
    const id = newId();
    const now = nowIso();
    await this.db
      .insertInto('waitlist')
      .values({
        id,
        facility_id: f.id,
        user_id: actor.userId,
        school_id: bookerSchoolId,
        alliance_id: allianceId,
        start_ms: startMs,
        end_ms: endMs,
        start_at: new Date(startMs).toISOString(),
        end_at: new Date(endMs).toISOString(),
        purpose: input.purpose,
        group_size: input.groupSize,
        responsible_teacher: input.responsibleTeacher,
        status: 'waiting',
        offer_expires_at: null,
        booking_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return (await this.myWaitlist(actor)).items.find((w) => w.id === id)!;
  }

  /** A slot was freed: offer it to the first one waiting whose requested time is now free. */
  private async offerFreedSlot(tx: Tx, f: FacilityRow, startMs: number, endMs: number, nowMs: number) {
    const waiting = await tx
      .selectFrom('waitlist')
      .selectAll()
      .where('facility_id', '=', f.id)
      .where('status', '=', 'waiting')
      .where('start_ms', '<', endMs)
      .where('end_ms', '>', startMs)
      .where('start_ms', '>', nowMs)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const bufferMs = f.buffer_minutes * MINUTE;
    for (const w of waiting) {
      const busy = await tx
        .selectFrom('bookings')
        .select('id')
        .where('facility_id', '=', f.id)
        .where('status', 'in', HOLDING_STATUSES)
        .where('start_ms', '<', Number(w.end_ms) + bufferMs)
        .where('block_end_ms', '>', Number(w.start_ms))
        .executeTakeFirst();
      if (busy) continue;
      const expires = Math.min(nowMs + OFFER_HOURS * HOUR, Number(w.start_ms));
      // conditional: a concurrent withdrawal (or another freed slot's offer) wins, and the next in line is tried
      const upd = await tx
        .updateTable('waitlist')
        .set({ status: 'offered', offer_expires_at: new Date(expires).toISOString(), updated_at: nowIso() })
        .where('id', '=', w.id)
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      if (Number(upd.numUpdatedRows) === 0) continue;
      return w.id;
    }
    return null;
  }

  /**
   * Offers whose time ran out pass to the next in line. Run lazily when someone looks at the waitlist of
   * those facilities (no scheduler needed; every instance may run it, the status update is conditional).
   */
  private async passOnExpiredOffers(facilityIds: string[]) {
    if (!facilityIds.length) return;
    const now = nowIso();
    const expired = await this.db
      .selectFrom('waitlist')
      .selectAll()
      .where('facility_id', 'in', facilityIds)
      .where('status', '=', 'offered')
      .where('offer_expires_at', '<', now)
      .orderBy('created_at')
      .execute();
    for (const w of expired) {
      await this.db.transaction().execute(async (tx) => {
        const upd = await tx
          .updateTable('waitlist')
          .set({ status: 'expired', updated_at: now })
          .where('id', '=', w.id)
          .where('status', '=', 'offered')
          .executeTakeFirst();
        if (Number(upd.numUpdatedRows) === 0) return;
        const f = await tx.selectFrom('facilities').selectAll().where('id', '=', w.facility_id).executeTakeFirstOrThrow();
        await this.offerFreedSlot(tx, f, Number(w.start_ms), Number(w.end_ms), Date.now());
      });
    }
  }

  async myWaitlist(actor: Actor) {
    const facilityIds = (
      await this.db
        .selectFrom('waitlist')
        .select('facility_id')
        .distinct()
        .where('user_id', '=', actor.userId)
        .where('status', 'in', ['waiting', 'offered'])
        .execute()
    ).map((r) => r.facility_id);
    await this.passOnExpiredOffers(facilityIds);
    const rows = await this.db
      .selectFrom('waitlist as w')
      .innerJoin('facilities as f', 'f.id', 'w.facility_id')
      .selectAll('w')
      .select('f.name as facility_name')
      .where('w.user_id', '=', actor.userId)
      .orderBy('w.start_ms')
      .execute();
    const nowIsoStr = nowIso();
    const items = [];
    for (const w of rows) {
      let position: number | null = null;
      if (w.status === 'waiting') {
        const ahead = await this.db
          .selectFrom('waitlist')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('facility_id', '=', w.facility_id)
          .where('status', '=', 'waiting')
          .where('created_at', '<', w.created_at)
          .where('start_ms', '<', w.end_ms)
          .where('end_ms', '>', w.start_ms)
          .executeTakeFirstOrThrow();
        position = Number(ahead.n) + 1;
      }
      const expired = w.status === 'offered' && w.offer_expires_at != null && w.offer_expires_at < nowIsoStr;
      items.push({
        id: w.id,
        facilityId: w.facility_id,
        facilityName: w.facility_name,
        start: w.start_at,
        end: w.end_at,
        status: (expired ? 'expired' : w.status) as 'waiting',
        offerExpiresAt: w.offer_expires_at,
        bookingId: w.booking_id,
        position,
        createdAt: w.created_at,
      });
    }
    return { items, total: items.length };
  }

  async acceptOffer(req: FastifyRequest, actor: Actor, id: string, acceptTerms: boolean) {
    if (!acceptTerms) throw badRequest([{ field: 'acceptTerms', code: 'must_accept_terms' }]);
    const w = await this.db.selectFrom('waitlist').selectAll().where('id', '=', id).executeTakeFirst();
    if (!w || w.user_id !== actor.userId) throw notFound('waitlist');
    if (w.status !== 'offered') throw this.invalid(w.status, 'accept');
    if (w.offer_expires_at && w.offer_expires_at < nowIso()) throw new AppError(409, 'offer_expired');
    const input = {
      facilityId: w.facility_id,
      allianceId: w.alliance_id,
      start: w.start_at,
      end: w.end_at,
      purpose: w.purpose,
      groupSize: w.group_size,
      responsibleTeacher: w.responsible_teacher,
      acceptTerms: true,
      mode: 'all_or_nothing' as const,
      equipment: [],
    };
    try {
      return await this.db.transaction().execute(async (tx) => {
        // claim the offer first: of two concurrent accepts one books, the other gets 409
        await transition(tx, 'waitlist', id, 'offered', { status: 'booked', updated_at: nowIso() }, (cur) => this.invalid(cur ?? w.status, 'accept'));
        const created = await this.createIn(tx, req, actor, input, Date.now());
        await tx.updateTable('waitlist').set({ booking_id: created.bookings[0]!.id }).where('id', '=', id).execute();
        return created;
      });
    } catch (err) {
      throw await this.mapOverlap(err, w.facility_id);
    }
  }

  async withdrawWaitlist(actor: Actor, id: string) {
    const w = await this.db.selectFrom('waitlist').selectAll().where('id', '=', id).executeTakeFirst();
    if (!w || w.user_id !== actor.userId) throw notFound('waitlist');
    if (w.status !== 'waiting' && w.status !== 'offered') throw this.invalid(w.status, 'withdraw');
    await transition(this.db, 'waitlist', id, w.status, { status: 'withdrawn', updated_at: nowIso() }, (cur) => this.invalid(cur ?? w.status, 'withdraw'));
    return (await this.myWaitlist(actor)).items.find((x) => x.id === id)!;
  }

  // ---- standalone equipment loans -------------------------------------------------------------

  async lend(req: FastifyRequest, actor: Actor, equipmentId: string, input: z.infer<typeof LoanCreate>) {
    const fromMs = Date.parse(input.from);
    const toMs = Date.parse(input.to);
    if (!(toMs > fromMs)) throw badRequest([{ field: 'to', code: 'end_before_start' }]);
    if (fromMs < Date.now() - HOUR) throw badRequest([{ field: 'from', code: 'in_past' }]);
    if (toMs - fromMs > MAX_LOAN_DAYS * DAY) throw badRequest([{ field: 'to', code: 'loan_too_long', params: { days: MAX_LOAN_DAYS } }]);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      const { e, facility, alliances } = await this.facilities.getEquipment(actor, equipmentId, false, tx);
      if (e.usage !== 'lendable' || e.status !== 'available') throw badRequest([{ field: 'equipmentId', code: 'not_lendable' }]);
      if (fromMs - Date.now() > facility.max_days_ahead * DAY)
        throw badRequest([{ field: 'from', code: 'too_far_ahead', params: { days: facility.max_days_ahead } }]);
      const { bookerSchoolId, allianceId } = await this.allianceFor(tx, actor, facility, alliances, undefined, fromMs);
      await lockRow(tx, this.database.dialect, 'equipment', e.id);
      const peak = await this.facilities.peakLent(tx, e.id, fromMs, toMs);
      if (peak + input.quantity > e.quantity) {
        throw new AppError(409, 'equipment_unavailable', { name: e.name, left: Math.max(0, e.quantity - peak) }, [
          { field: 'quantity', code: 'too_big', params: { max: Math.max(0, e.quantity - peak) } },
        ]);
      }
      const now = nowIso();
      await tx
        .insertInto('equipment_loans')
        .values({
          id,
          equipment_id: e.id,
          booking_id: null,
          borrower_id: actor.userId,
          borrower_school_id: bookerSchoolId,
          quantity: input.quantity,
          from_ms: fromMs,
          to_ms: toMs,
          from_at: new Date(fromMs).toISOString(),
          to_at: new Date(toMs).toISOString(),
          status: 'reserved',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await audit(tx, req, {
        action: 'loan.create',
        entityType: 'loan',
        entityId: id,
        regionId: e.region_id,
        allianceId,
        schoolId: bookerSchoolId,
        detail: { equipmentId, quantity: input.quantity },
      });
    });
    return this.loan(id);
  }

  private async loan(id: string) {
    const r = await this.db
      .selectFrom('equipment_loans as l')
      .innerJoin('equipment as e', 'e.id', 'l.equipment_id')
      .selectAll('l')
      .select('e.name as equipment_name')
      .where('l.id', '=', id)
      .executeTakeFirstOrThrow();
    return loanOut(r);
  }

  /** return (the owner) or cancel (the borrower or the owner) a loan */
  async endLoan(req: FastifyRequest, actor: Actor, id: string, step: 'return' | 'cancel') {
    await this.db.transaction().execute(async (tx) => {
      const l = await tx.selectFrom('equipment_loans').selectAll().where('id', '=', id).executeTakeFirst();
      if (!l) throw notFound('loan');
      const e = await tx.selectFrom('equipment').selectAll().where('id', '=', l.equipment_id).executeTakeFirstOrThrow();
      const f = await tx.selectFrom('facilities').selectAll().where('id', '=', e.facility_id!).executeTakeFirstOrThrow();
      const manage = holds(actor, 'booking.decide') && this.facilities.canManage(actor, f, await this.facilities.ownerAlliances(tx, f));
      const borrower = l.borrower_id === actor.userId;
      if (!manage && !(borrower && step === 'cancel')) throw borrower ? forbidden() : notFound('loan');
      const allowed = step === 'return' ? ['reserved', 'out'] : ['reserved'];
      if (!allowed.includes(l.status)) throw this.invalid(l.status, step);
      await transition(tx, 'equipment_loans', id, l.status, { status: step === 'return' ? 'returned' : 'cancelled', updated_at: nowIso() }, (cur) =>
        this.invalid(cur ?? l.status, step),
      );
      await audit(tx, req, { action: `loan.${step}`, entityType: 'loan', entityId: id, regionId: e.region_id, schoolId: l.borrower_school_id });
    });
    return this.loan(id);
  }
}

export function loanOut(r: {
  id: string;
  equipment_id: string;
  equipment_name: string;
  booking_id: string | null;
  quantity: number;
  from_at: string;
  to_at: string;
  status: string;
}) {
  return {
    id: r.id,
    equipmentId: r.equipment_id,
    equipmentName: r.equipment_name,
    bookingId: r.booking_id,
    quantity: r.quantity,
    from: r.from_at,
    to: r.to_at,
    status: r.status as 'reserved',
  };
}
