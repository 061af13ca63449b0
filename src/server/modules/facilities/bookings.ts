/**
 * Bookings (S3.2): the booking service. Its parts, by concern: bookings-base.ts (answers, the plan, one
 * booking's read), bookings-read.ts (lists), bookings-create.ts (preview, booking: the hot path),
 * bookings-decide.ts (approve, reject, cancel, check-in, no-show), waitlist.ts; standalone equipment loans here.
 * Who may do what: ./policy.ts.
 */
import type { z } from 'zod';
import { nowIso } from '../../db/index.js';
import { lockRow } from '../../db/bookings.js';
import { transition } from '../../db/transition.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Ctx } from '../../platform/context.js';
import { DAY, HOUR } from '../../../common/facilities.js';
import { canDecideBooking, canReadFacility, ownerAlliances } from './policy.js';
import { MAX_LOAN_DAYS, allianceFor, loanOut } from './bookings-base.js';
import { WaitlistBookings } from './waitlist.js';
import type { LoanCreate } from './schema.js';

export { MAX_LOAN_DAYS, bookingOut, loanOut } from './bookings-base.js';

export class BookingService extends WaitlistBookings {
  async lend(ctx: Ctx, equipmentId: string, input: z.infer<typeof LoanCreate>) {
    const { actor } = ctx;
    const org = await this.org();
    const fromMs = Date.parse(input.from);
    const toMs = Date.parse(input.to);
    if (!(toMs > fromMs)) throw badRequest([{ field: 'to', code: 'end_before_start' }]);
    if (fromMs < Date.now() - HOUR) throw badRequest([{ field: 'from', code: 'in_past' }]);
    if (toMs - fromMs > MAX_LOAN_DAYS * DAY) throw badRequest([{ field: 'to', code: 'loan_too_long', params: { days: MAX_LOAN_DAYS } }]);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      const e = await tx.selectFrom('equipment').selectAll().where('id', '=', equipmentId).executeTakeFirst();
      const facility = e?.facility_id ? await tx.selectFrom('facilities').selectAll().where('id', '=', e.facility_id).executeTakeFirst() : undefined;
      const alliances = facility ? ownerAlliances(org, facility) : [];
      if (!e || !facility || !canReadFacility(actor, facility, alliances)) throw notFound('equipment');
      if (e.usage !== 'lendable' || e.status !== 'available') throw badRequest([{ field: 'equipmentId', code: 'not_lendable' }]);
      if (fromMs - Date.now() > facility.max_days_ahead * DAY)
        throw badRequest([{ field: 'from', code: 'too_far_ahead', params: { days: facility.max_days_ahead } }]);
      const { bookerSchoolId, allianceId } = allianceFor(ctx, org, facility, alliances, undefined, fromMs);
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
      await audit(tx, ctx, {
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
  async endLoan(ctx: Ctx, id: string, step: 'return' | 'cancel') {
    const { actor } = ctx;
    await this.db.transaction().execute(async (tx) => {
      const l = await tx.selectFrom('equipment_loans').selectAll().where('id', '=', id).executeTakeFirst();
      if (!l) throw notFound('loan');
      const e = await tx.selectFrom('equipment').selectAll().where('id', '=', l.equipment_id).executeTakeFirstOrThrow();
      const f = await tx.selectFrom('facilities').selectAll().where('id', '=', e.facility_id!).executeTakeFirstOrThrow();
      const manage = canDecideBooking(actor, f);
      const borrower = l.borrower_id === actor.userId;
      if (!manage && !(borrower && step === 'cancel')) throw borrower ? forbidden() : notFound('loan');
      const allowed = step === 'return' ? ['reserved', 'out'] : ['reserved'];
      if (!allowed.includes(l.status)) throw this.invalid(l.status, step);
      await transition(tx, 'equipment_loans', id, l.status, { status: step === 'return' ? 'returned' : 'cancelled', updated_at: nowIso() }, (cur) =>
        this.invalid(cur ?? l.status, step),
      );
      await audit(tx, ctx, { action: `loan.${step}`, entityType: 'loan', entityId: id, regionId: e.region_id, schoolId: l.borrower_school_id });
    });
    return this.loan(id);
  }
}
