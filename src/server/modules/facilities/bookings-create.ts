/**
 * Bookings (S3.2), making them: the preview and the booking itself (single or weekly), the hot path.
 *
 * An accepted single booking with an Idempotency-Key runs, on SQLite: begin, ONE read (facility, open hours,
 * closures, holding bookings, credit rules, quota week), the charge (transaction row, three balance updates
 * each checking the overdraft limit in the update itself, the entries), the booking row with its charge,
 * one audit insert (booking and charge), the idempotency record, commit. PostgreSQL adds the facility's row
 * lock first. The answer is built from what was written.
 */
import type { z } from 'zod';
import type { Tx } from '../../db/index.js';
import { lockRow } from '../../db/bookings.js';
import { auditAll, type AuditEntry } from '../../platform/audit.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { runIdempotent } from '../../platform/idempotency.js';
import type { Ctx } from '../../platform/context.js';
import type { OrgSnapshot } from '../org/directory.js';
import { quoteBooking, type PriceQuote } from '../../../common/pricing.js';
import { DAY, MINUTE, localParts, quotaExceeded, weekStart, type BookingStatus } from '../../../common/facilities.js';
import { localMidnightMs } from '../../../common/time.js';
import { bookingAutoAccepted } from './policy.js';
import { bookingOut } from './bookings-base.js';
import { BookingReads } from './bookings-read.js';
import type { BookingCreate, BookingPreview } from './schema.js';

export class BookingCreation extends BookingReads {
  async preview(ctx: Ctx, input: z.infer<typeof BookingPreview>) {
    const p = await this.plan(this.db, ctx, await this.org(), input, false);
    const free = p.occurrences.filter((o) => o.status === 'free');
    const quotes = free.map((o) => quoteBooking(p.rules, this.forCredits('preview', p.f, p.allianceId, p.bookerSchoolId, o.startMs, o.endMs)));
    // the series' quote: the first occurrence's, with the amounts and hours of all of them
    const total = (k: 'amount' | 'hours' | 'peakHours') => quotes.reduce((n, q) => n + q[k], 0);
    const quote: PriceQuote | null = quotes[0]
      ? { ...quotes[0], amount: total('amount'), hours: total('hours'), peakHours: total('peakHours'), free: quotes.every((q) => q.free) }
      : null;
    return {
      occurrences: p.occurrences.map((o) => this.occurrenceOut(o)),
      free: free.length,
      allianceId: p.allianceId,
      quote,
      policy: p.f.policy,
      terms: { safetyRules: p.f.safety_rules, responsibilityTerms: p.f.responsibility_terms },
    };
  }

  async create(ctx: Ctx, input: z.infer<typeof BookingCreate>, idemKey?: string) {
    if (!input.acceptTerms) throw badRequest([{ field: 'acceptTerms', code: 'must_accept_terms' }]);
    const org = await this.org();
    try {
      return await runIdempotent(this.db, { key: idemKey, userId: ctx.actor.userId, route: 'POST /api/bookings', body: input, status: 201 }, (tx) =>
        this.createIn(tx, ctx, org, input),
      );
    } catch (err) {
      throw await this.mapOverlap(err, input.facilityId, { startMs: Date.parse(input.start), endMs: Date.parse(input.end) });
    }
  }

  /** The booking(s) inside a given transaction (also used by the waitlist's accept). */
  async createIn(tx: Tx, ctx: Ctx, org: OrgSnapshot, input: z.infer<typeof BookingCreate>) {
    const { actor } = ctx;
    // PostgreSQL: bookings of one facility are serialized on its row, taken before anything is read. The
    // exclusion constraint alone would still refuse overlaps, but simultaneous overlapping inserts then
    // wait on each other and end in deadlocks; queued behind the lock, a loser sees the winner and gets a
    // clean 409. Quota and equipment counts (read-then-write) need the same serialization.
    await lockRow(tx, this.database.dialect, 'facilities', input.facilityId);
    const p = await this.plan(tx, ctx, org, input, true);
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
    // weekly quota of the booking school (other schools only), from the plan's read
    if (f.weekly_quota_hours != null && p.bookerSchoolId && p.bookerSchoolId !== f.school_id) {
      const from = localMidnightMs(weekStart(toBook[0]!.startMs));
      const until = toBook[toBook.length - 1]!.endMs + 7 * DAY;
      const existing = p.quotaBookings.filter((b) => b.startMs >= from && b.startMs < until);
      const week = quotaExceeded(existing, toBook, f.weekly_quota_hours);
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
    const now = ctx.now.toISOString();
    let series: { id: string; until: string; mode: typeof input.mode } | null = null;
    if (input.recurrence) {
      series = { id: newId(), until: p.until!, mode: input.mode };
      await tx
        .insertInto('booking_series')
        .values({ id: series.id, facility_id: f.id, booker_id: actor.userId, until_date: series.until, mode: series.mode, created_at: now })
        .execute();
    }
    // the owner's own managers need nobody's approval
    const status: BookingStatus = bookingAutoAccepted(actor, f) ? 'accepted' : 'pending';
    const written = [];
    const audits: AuditEntry[] = [];
    for (const o of toBook) {
      const id = newId();
      // the charge first (it may refuse: insufficient credits), then the booking row carrying it
      const charge =
        status === 'accepted'
          ? await this.credits.chargeWith(tx, ctx, this.forCredits(id, f, p.allianceId, p.bookerSchoolId, o.startMs, o.endMs), p.rules)
          : { transactionId: null, amount: 0, audit: null };
      if (charge.audit) audits.push(charge.audit);
      const values = {
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
        charge_tx_id: charge.transactionId,
        charge_amount: charge.amount,
        created_at: now,
        updated_at: now,
      };
      await tx.insertInto('bookings').values(values).execute();
      written.push(values);
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
    audits.unshift({
      action: 'booking.create',
      entityType: 'booking',
      entityId: written[0]?.id ?? null,
      regionId: f.region_id,
      allianceId: p.allianceId,
      schoolId: p.bookerSchoolId,
      detail: { facilityId: f.id, count: written.length, status, seriesId: series?.id ?? null },
    });
    await auditAll(tx, ctx, audits);
    const names = { facility_name: f.name, facility_type: f.type, host_school_id: f.school_id, host_partner_id: f.partner_id, booker_name: actor.displayName };
    return {
      series,
      bookings: written.map((w) => bookingOut({ ...w, ...names })),
      skipped: p.occurrences.filter((o) => o.status !== 'free').map((o) => this.occurrenceOut(o)),
    };
  }
}
