/**
 * Bookings (S3.2), the shared part: the answer shapes, the request plan (one statement reads the facility,
 * its open hours, closures, the bookings holding the time, the alliance's credit rules and the booker's
 * quota week), and the reads every other booking file needs.
 *
 * Statuses: pending → accepted → checked_in | no_show; pending → rejected; pending | accepted → cancelled.
 * Only accepted / checked_in bookings HOLD the facility; the database refuses two holding bookings of one
 * facility that overlap (with the facility's buffer), see migration 002. Pending requests may overlap each
 * other; approving one fails cleanly (409 booking_conflict) when an accepted booking overlaps it.
 * Credits move through CreditService in the SAME transaction as the booking, cancellation or no-show.
 * Who may do what: ./policy.ts. The organization (alliances of schools and partners) comes from the
 * directory snapshot, taken before the transaction.
 */
import { jsonArrayFrom as pgJsonArray } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArray } from 'kysely/helpers/sqlite';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import { fromJson } from '../../db/index.js';
import { isBookingOverlap } from '../../db/bookings.js';
import { AppError, badRequest, notFound, type RawFieldError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/context.js';
import { directoryOf, type OrgSnapshot } from '../org/directory.js';
import { CreditService, type BookingForCredits } from '../credits/service.js';
import { withDefaults, type CreditRules } from '../../../common/pricing.js';
import {
  ACTIVE_STATUSES,
  DAY,
  HOLDING_STATUSES,
  MINUTE,
  checkTiming,
  formatHm,
  isWeekend,
  localParts,
  occurrenceStatus,
  weekStart,
  weeklyOccurrences,
  type Interval,
  type OccurrenceStatus,
  type OpenHour,
  type TimingProblem,
} from '../../../common/facilities.js';
import { localMidnightMs } from '../../../common/time.js';
import type { FacilityService, FacilityRow } from './service.js';
import { bookingAlliance, canSeeBooking, canDecideBooking, canReadFacility, ownerAlliances } from './policy.js';
import { loanOut } from './bookings-out.js';
import type { BookingPreview } from './schema.js';

export { bookingOut, loanOut, type BookingRow } from './bookings-out.js';

export const OFFER_HOURS = 24;
export const MAX_OCCURRENCES = 60;
/** A standalone equipment loan lasts at most this long (a month: a unit, a term project's kit, a sports meet). */
export const MAX_LOAN_DAYS = 30;
/** The longest buffer a facility may have (schema.ts): the plan reads the bookings this far around the time. */
const MAX_BUFFER_MS = 240 * MINUTE;

export const localRange = (startMs: number, endMs: number) => {
  const s = localParts(startMs);
  const e = localParts(endMs);
  return `${s.date} ${formatHm(s.minutes)}–${e.date === s.date ? '' : `${e.date} `}${formatHm(e.minutes)}`;
};

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

export interface Occurrence extends Interval {
  status: OccurrenceStatus;
  clash?: { bookingId: string; startMs: number; endMs: number };
  closure?: { kind: string; reason: string | null; startDate: string; endDate: string };
}

export interface Plan {
  f: FacilityRow;
  ownerAlliances: string[];
  allianceId: string | null;
  bookerSchoolId: string | null;
  occurrences: Occurrence[];
  /** last date of a weekly series (the term's end when not given) */
  until: string | null;
  /** the alliance's credit rules (defaults without an alliance) */
  rules: CreditRules;
  /** the booker school's active bookings of this facility from the first occurrence's week on (weekly quota) */
  quotaBookings: Interval[];
}

/** What one statement reads for a booking request (see `readForBooking`). */
interface BookingRead {
  f: FacilityRow;
  hours: OpenHour[];
  closures: { id: string; start_date: string; end_date: string; kind: string; reason: string | null }[];
  busy: { id: string; start_ms: number; end_ms: number; block_end_ms: number }[];
  rules: { alliance_id: string; rules: string }[];
  quota: { start_ms: number; end_ms: number }[];
}

const parsed = <T>(v: unknown): T[] => (typeof v === 'string' ? (JSON.parse(v) as T[]) : ((v as T[] | null) ?? []));

/** The alliance a booking is made under (policy.ts `bookingAlliance`), or the refusal as an error. */
export function allianceFor(ctx: Ctx, org: OrgSnapshot, f: FacilityRow, owners: string[], requested: string | null | undefined, startMs: number) {
  const r = bookingAlliance(ctx.actor, f, owners, org, requested, isWeekend(startMs));
  if (r.ok) return { allianceId: r.allianceId, bookerSchoolId: r.bookerSchoolId };
  if (r.code === 'out_of_scope') throw badRequest([{ field: 'allianceId', code: 'out_of_scope' }]);
  throw new AppError(403, r.code);
}

export class BookingBase {
  readonly credits: CreditService;
  constructor(
    protected readonly database: Database,
    protected readonly facilities: FacilityService,
    credits?: CreditService,
  ) {
    this.credits = credits ?? new CreditService(database);
  }
  protected get db(): Db {
    return this.database.db;
  }
  /** The organization snapshot: take it before opening a transaction. */
  protected org(): Promise<OrgSnapshot> {
    return directoryOf(this.database).current();
  }

  /**
   * ONE statement: the facility with its open hours, the closures of [fromDate, toDate], the holding bookings
   * around [from, to), the credit rules of the candidate alliances and (for a school) the school's active
   * bookings of the facility in [quotaFrom, to + 7 days).
   */
  private async readForBooking(
    db: Db | Tx,
    q: { facilityId: string; from: number; to: number; ruleAlliances: string[]; quotaSchoolId: string | null; quotaFrom: number },
  ): Promise<BookingRead | undefined> {
    const arr = this.database.dialect === 'postgres' ? pgJsonArray : sqliteJsonArray;
    const fromDate = localParts(q.from).date;
    const toDate = localParts(q.to).date;
    const row = await db
      .selectFrom('facilities as f')
      .selectAll('f')
      .select((eb) => [
        arr(
          eb
            .selectFrom('facility_open_hours as h')
            .select(['h.weekday', 'h.open', 'h.close'])
            .whereRef('h.facility_id', '=', 'f.id')
            .orderBy('h.weekday')
            .orderBy('h.open'),
        ).as('hours'),
        arr(
          eb
            .selectFrom('closures as c')
            .select(['c.id', 'c.start_date', 'c.end_date', 'c.kind', 'c.reason'])
            .where((w) => w.or([w('c.facility_id', '=', w.ref('f.id')), w('c.school_id', '=', w.ref('f.school_id'))]))
            .where('c.end_date', '>=', fromDate)
            .where('c.start_date', '<=', toDate)
            .orderBy('c.start_date'),
        ).as('closures'),
        arr(
          eb
            .selectFrom('bookings as b')
            .select(['b.id', 'b.start_ms', 'b.end_ms', 'b.block_end_ms'])
            .whereRef('b.facility_id', '=', 'f.id')
            .where('b.status', 'in', HOLDING_STATUSES)
            .where('b.start_ms', '<', q.to + MAX_BUFFER_MS + 1)
            .where('b.block_end_ms', '>', q.from - MAX_BUFFER_MS - 1),
        ).as('busy'),
        arr(
          eb
            .selectFrom('credit_rules as r')
            .select(['r.alliance_id', 'r.rules'])
            .where('r.alliance_id', 'in', q.ruleAlliances.length ? q.ruleAlliances : ['']),
        ).as('rules'),
        arr(
          eb
            .selectFrom('bookings as k')
            .select(['k.start_ms', 'k.end_ms'])
            .whereRef('k.facility_id', '=', 'f.id')
            .where('k.booker_school_id', '=', q.quotaSchoolId ?? '')
            .where('k.status', 'in', ACTIVE_STATUSES)
            .where('k.start_ms', '>=', q.quotaFrom)
            .where('k.start_ms', '<', q.to + 7 * DAY),
        ).as('quota'),
      ])
      .where('f.id', '=', q.facilityId)
      .executeTakeFirst();
    if (!row) return undefined;
    const { hours, closures, busy, rules, quota, ...f } = row;
    return {
      f: f as FacilityRow,
      hours: parsed(hours),
      closures: parsed(closures),
      busy: parsed<BookingRead['busy'][number]>(busy).map((b) => ({
        id: b.id,
        start_ms: Number(b.start_ms),
        end_ms: Number(b.end_ms),
        block_end_ms: Number(b.block_end_ms),
      })),
      rules: parsed(rules),
      quota: parsed<BookingRead['quota'][number]>(quota).map((b) => ({ start_ms: Number(b.start_ms), end_ms: Number(b.end_ms) })),
    };
  }

  /** Validates the request and computes every occurrence's state; throws 4xx naming the field. */
  protected async plan(db: Db | Tx, ctx: Ctx, org: OrgSnapshot, input: z.infer<typeof BookingPreview>, strict: boolean): Promise<Plan> {
    const { actor } = ctx;
    const nowMs = ctx.now.getTime();
    const startMs = Date.parse(input.start);
    const endMs = Date.parse(input.end);
    // a weekly series: its last date (the term's end when not given) decides the window read below
    let until: string | null = null;
    let intervals: Interval[] = [{ startMs, endMs }];
    if (input.recurrence) {
      until = input.recurrence.until ?? (await this.termEnd(db, input.facilityId, localParts(startMs).date)) ?? null;
      if (until && until >= localParts(startMs).date) intervals = weeklyOccurrences(startMs, endMs, until, MAX_OCCURRENCES + 1);
    }
    const from = intervals[0]!.startMs;
    const to = intervals[intervals.length - 1]!.endMs;
    const bookerSchoolId = actor.schoolId;
    const ruleAlliances = input.allianceId ? [input.allianceId] : bookerSchoolId ? org.alliancesOfSchool(bookerSchoolId) : [];
    const read = await this.readForBooking(db, {
      facilityId: input.facilityId,
      from,
      to,
      ruleAlliances,
      quotaSchoolId: bookerSchoolId,
      quotaFrom: localMidnightMs(weekStart(from)),
    });
    const owners = read ? ownerAlliances(org, read.f) : [];
    if (!read || !canReadFacility(actor, read.f, owners)) throw badRequest([{ field: 'facilityId', code: 'not_found' }]);
    const { f, hours } = read;
    // students and guardians: community-open venues at weekends only, 403 before anything else
    const community = bookingAlliance(actor, f, owners, org, input.allianceId, isWeekend(startMs));
    if (!community.ok && community.code === 'community_booking_only') throw new AppError(403, 'community_booking_only');
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
    const who = allianceFor(ctx, org, f, owners, input.allianceId, startMs);
    if (input.recurrence) {
      if (!until) throw badRequest([{ field: 'recurrence.until', code: 'required' }]);
      if (until < localParts(startMs).date) throw badRequest([{ field: 'recurrence.until', code: 'before_from' }]);
      if (intervals.length > MAX_OCCURRENCES) throw badRequest([{ field: 'recurrence.until', code: 'too_big', params: { max: `${MAX_OCCURRENCES} 次` } }]);
      const last = intervals[intervals.length - 1]!;
      if (last.startMs - nowMs > f.max_days_ahead * DAY)
        throw badRequest([{ field: 'recurrence.until', code: 'too_far_ahead', params: { days: f.max_days_ahead } }]);
    }
    const bufferMs = f.buffer_minutes * MINUTE;
    const busy = read.busy.filter((b) => b.start_ms < to + bufferMs + 1 && b.block_end_ms > from - bufferMs - 1);
    const busyIv = busy.map((b) => ({ id: b.id, startMs: b.start_ms, endMs: b.end_ms }));
    const closureList = read.closures.map((c) => ({ id: c.id, startDate: c.start_date, endDate: c.end_date, kind: c.kind, reason: c.reason }));
    const occurrences: Occurrence[] = intervals.map((o) => {
      const st = occurrenceStatus(o, { hours, closures: closureList, busy: busyIv, bufferMs });
      const clashRow = st.clash ? busy.find((b) => b.id === st.clash) : undefined;
      return {
        ...o,
        status: st.status,
        clash: clashRow ? { bookingId: clashRow.id, startMs: clashRow.start_ms, endMs: clashRow.end_ms } : undefined,
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
    const stored = who.allianceId ? read.rules.find((r) => r.alliance_id === who.allianceId) : undefined;
    return {
      f,
      ownerAlliances: owners,
      ...who,
      occurrences,
      until,
      rules: withDefaults(stored ? fromJson<Partial<CreditRules>>(stored.rules, {}) : null),
      quotaBookings: read.quota.map((b) => ({ startMs: b.start_ms, endMs: b.end_ms })),
    };
  }

  /** The end of the term of the facility's school that holds the date (the default end of a weekly series). */
  private async termEnd(db: Db | Tx, facilityId: string, date: string): Promise<string | undefined> {
    const t = await db
      .selectFrom('school_terms as t')
      .innerJoin('facilities as f', 'f.school_id', 't.school_id')
      .select('t.end_date')
      .where('f.id', '=', facilityId)
      .where('t.start_date', '<=', date)
      .where('t.end_date', '>=', date)
      .executeTakeFirst();
    return t?.end_date;
  }

  protected forCredits(
    id: string,
    f: Pick<FacilityRow, 'id' | 'type' | 'school_id' | 'partner_id'>,
    allianceId: string | null,
    bookerSchoolId: string | null,
    startMs: number,
    endMs: number,
  ): BookingForCredits {
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

  protected occurrenceOut(o: Occurrence) {
    return {
      start: new Date(o.startMs).toISOString(),
      end: new Date(o.endMs).toISOString(),
      status: o.status,
      clash: o.clash ? { bookingId: o.clash.bookingId, start: new Date(o.clash.startMs).toISOString(), end: new Date(o.clash.endMs).toISOString() } : null,
      closure: o.closure ?? null,
    };
  }

  protected conflictError(f: FacilityRow, o: Occurrence): AppError {
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
  protected async mapOverlap(err: unknown, facilityId: string, interval?: Interval): Promise<unknown> {
    if (!isBookingOverlap(err)) return err;
    const f = await this.db.selectFrom('facilities').select('name').where('id', '=', facilityId).executeTakeFirst();
    let q = this.db.selectFrom('bookings').select(['id', 'start_ms', 'end_ms']).where('facility_id', '=', facilityId).where('status', 'in', HOLDING_STATUSES);
    if (interval) q = q.where('start_ms', '<', interval.endMs + 1).where('block_end_ms', '>', interval.startMs - 1);
    const clash = await q.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    const text = clash ? `${f?.name ?? ''} ${localRange(Number(clash.start_ms), Number(clash.end_ms))}（预约 ${clash.id}）` : (f?.name ?? '');
    return new AppError(409, 'booking_conflict', { clash: text });
  }

  protected invalid(status: string, step: string) {
    return new AppError(409, 'invalid_transition', { status, step });
  }

  /** The facility if the actor reads it (policy.ts), with its owner's alliances; 400 `field` not_found otherwise. */
  protected async visibleFacility(ctx: Ctx, org: OrgSnapshot, id: string, field: string, db: Db | Tx = this.db) {
    const f = await db.selectFrom('facilities').selectAll().where('id', '=', id).executeTakeFirst();
    const owners = f ? ownerAlliances(org, f) : [];
    if (!f || !canReadFacility(ctx.actor, f, owners)) throw badRequest([{ field, code: 'not_found' }]);
    return { f, owners };
  }

  // ---- reading one booking ----------------------------------------------------------------------

  protected rows(db: Db | Tx) {
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

  /**
   * The booking if the actor may see it (the booker, the booker's school, whoever reads the facility), with
   * what the decisions need of its facility: ONE statement. `lock` (PostgreSQL) locks the booking's row.
   */
  async getVisible(ctx: Ctx, org: OrgSnapshot, id: string, db: Db | Tx = this.db, lock = false) {
    let q = this.rows(db)
      .select([
        'f.region_id as f_region_id',
        'f.community_open as f_community_open',
        'f.cancel_deadline_hours as f_cancel_deadline_hours',
        'f.buffer_minutes as f_buffer_minutes',
      ])
      .select((eb) => eb.selectFrom('credit_rules as cr').select('cr.rules').whereRef('cr.alliance_id', '=', 'b.alliance_id').as('credit_rules'))
      .where('b.id', '=', id);
    if (lock && this.database.dialect === 'postgres') q = q.forUpdate('b');
    const r = await q.executeTakeFirst();
    if (!r) throw notFound('booking');
    const { f_region_id, f_community_open, f_cancel_deadline_hours, f_buffer_minutes, credit_rules, ...row } = r;
    const f = {
      id: row.facility_id,
      name: row.facility_name,
      type: row.facility_type,
      school_id: row.host_school_id,
      partner_id: row.host_partner_id,
      region_id: f_region_id,
      community_open: f_community_open,
      cancel_deadline_hours: f_cancel_deadline_hours,
      buffer_minutes: f_buffer_minutes,
    };
    const owners = ownerAlliances(org, f);
    const { visible, mine } = canSeeBooking(ctx.actor, row, f, owners);
    if (!visible) throw notFound('booking');
    // deciding on bookings is the owner's (school admin, partner), not the inventory overseers' (bureau)
    const rules = withDefaults(credit_rules ? fromJson<Partial<CreditRules>>(credit_rules, {}) : null);
    return { row, f, alliances: owners, mine, manage: canDecideBooking(ctx.actor, f), rules };
  }

  protected async loans(db: Db | Tx, bookingIds: string[]) {
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
}
