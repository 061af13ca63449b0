/**
 * Bookings (S3.2), deciding: approve, reject, cancel, check in, no-show; a freed slot is offered to the
 * waitlist. Every step is compare-and-set on the booking's status (db/transition.ts); who may take it is
 * facilities/policy.ts (`canDecideBooking`). Answers are built from the row read and what was written.
 */
import { sql } from 'kysely';
import type { Tx } from '../../db/index.js';
import { transition } from '../../db/transition.js';
import { audit, auditAll, type AuditEntry } from '../../platform/audit.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { runIdempotent } from '../../platform/idempotency.js';
import type { Ctx } from '../../platform/context.js';
import type { OrgSnapshot } from '../org/directory.js';
import { HOLDING_STATUSES, HOUR, MINUTE, cancellationTimely } from '../../../common/facilities.js';
import { OFFER_HOURS, bookingOut, type BookingRow } from './bookings-base.js';
import { BookingCreation } from './bookings-create.js';

export class BookingDecisions extends BookingCreation {
  protected async forDecision(ctx: Ctx, org: OrgSnapshot, id: string, tx: Tx, lock = false) {
    const v = await this.getVisible(ctx, org, id, tx, lock);
    if (!v.manage) throw v.mine ? forbidden() : notFound('booking');
    return v;
  }

  /** The booking's answer after a step: the row read, with what the step wrote, and its loans. */
  protected async answer(tx: Tx, row: BookingRow, set: Partial<BookingRow>) {
    return { ...bookingOut({ ...row, ...set }), loans: await this.loans(tx, [row.id]) };
  }

  async approve(ctx: Ctx, id: string) {
    const org = await this.org();
    try {
      return await this.db.transaction().execute(async (tx) => {
        // serialize on the facility row first (see createIn): concurrent approvals queue instead of deadlocking
        if (this.database.dialect === 'postgres') {
          await sql`select id from facilities where id = (select facility_id from bookings where id = ${id}) for update`.execute(tx);
        }
        const { row, f, rules } = await this.forDecision(ctx, org, id, tx);
        if (row.status !== 'pending') throw this.invalid(row.status, 'approve');
        const now = ctx.now.toISOString();
        const b = this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms));
        const q = b.allianceId && b.bookerSchoolId ? this.credits.quoteWith(rules, b) : null;
        const chargeTxId = q && !q.free && q.amount > 0 ? newId() : null;
        const set = {
          status: 'accepted' as const,
          decided_by: ctx.actor.userId,
          decided_at: now,
          updated_at: now,
          charge_tx_id: chargeTxId,
          charge_amount: chargeTxId ? q!.amount : 0,
        };
        // compare-and-set first, carrying the charge the ledger posts next in the same transaction
        await transition(tx, 'bookings', id, 'pending', set, (cur) => this.invalid(cur ?? row.status, 'approve'));
        const charge = chargeTxId ? await this.credits.chargeWith(tx, ctx, b, rules, chargeTxId) : { transactionId: null, amount: 0, audit: null };
        const entries: AuditEntry[] = [
          {
            action: 'booking.approve',
            entityType: 'booking',
            entityId: id,
            regionId: f.region_id,
            allianceId: row.alliance_id,
            schoolId: f.school_id,
            detail: { amount: charge.amount },
          },
        ];
        if (charge.audit) entries.push(charge.audit);
        await auditAll(tx, ctx, entries);
        return this.answer(tx, row, { ...set, charge_tx_id: charge.transactionId, charge_amount: charge.amount });
      });
    } catch (err) {
      const row = await this.db.selectFrom('bookings').select(['start_ms', 'block_end_ms', 'facility_id']).where('id', '=', id).executeTakeFirst();
      throw row ? await this.mapOverlap(err, row.facility_id, { startMs: Number(row.start_ms), endMs: Number(row.block_end_ms) }) : err;
    }
  }

  async reject(ctx: Ctx, id: string, reason: string) {
    const org = await this.org();
    return this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(ctx, org, id, tx);
      if (row.status !== 'pending') throw this.invalid(row.status, 'reject');
      const now = ctx.now.toISOString();
      const set = { status: 'rejected' as const, decided_by: ctx.actor.userId, decided_at: now, decision_reason: reason, updated_at: now };
      await transition(tx, 'bookings', id, 'pending', set, (cur) => this.invalid(cur ?? row.status, 'reject'));
      await tx
        .updateTable('equipment_loans')
        .set({ status: 'cancelled', updated_at: now })
        .where('booking_id', '=', id)
        .where('status', '=', 'reserved')
        .execute();
      await audit(tx, ctx, {
        action: 'booking.reject',
        entityType: 'booking',
        entityId: id,
        regionId: f.region_id,
        allianceId: row.alliance_id,
        schoolId: f.school_id,
        detail: { reason },
      });
      return this.answer(tx, row, set);
    });
  }

  async cancel(ctx: Ctx, id: string, reason: string | undefined, idemKey?: string) {
    const org = await this.org();
    const route = `POST /api/bookings/${id}/cancel`;
    const res = await runIdempotent(this.db, { key: idemKey, userId: ctx.actor.userId, route, body: { reason: reason ?? null } }, async (tx) => {
      const { row, f, mine, manage, rules } = await this.getVisible(ctx, org, id, tx);
      const isBooker = row.booker_id === ctx.actor.userId;
      if (!isBooker && !manage) throw mine ? forbidden() : notFound('booking');
      if (row.status !== 'pending' && row.status !== 'accepted') throw this.invalid(row.status, 'cancel');
      const nowMs = ctx.now.getTime();
      const now = ctx.now.toISOString();
      // the owner cancelling is never the booker's fault: refunded as timely
      const timely = !isBooker || cancellationTimely(Number(row.start_ms), nowMs, f.cancel_deadline_hours);
      // conditional on the status read: whether a refund is due depends on it (pending: nothing was charged)
      const set = {
        status: 'cancelled' as const,
        cancelled_at: now,
        cancelled_by: ctx.actor.userId,
        decision_reason: reason ?? row.decision_reason,
        updated_at: now,
      };
      await transition(tx, 'bookings', id, row.status, set, (cur) => this.invalid(cur ?? row.status, 'cancel'));
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
          ctx,
          this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms)),
          { timely, chargeTxId: row.charge_tx_id, rules },
        );
        await this.offerFreedSlot(tx, f, Number(row.start_ms), Number(row.block_end_ms), nowMs);
      }
      await audit(tx, ctx, {
        action: 'booking.cancel',
        entityType: 'booking',
        entityId: id,
        regionId: f.region_id,
        allianceId: row.alliance_id,
        schoolId: row.booker_school_id,
        detail: { timely, refund: refund.amount, by: isBooker ? 'booker' : 'owner', reason: reason ?? null },
      });
      return { ...(await this.answer(tx, row, set)), refund: refund.amount, timely };
    });
    return res.body;
  }

  async checkIn(ctx: Ctx, id: string) {
    const org = await this.org();
    return this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(ctx, org, id, tx);
      if (row.status !== 'accepted') throw this.invalid(row.status, 'check-in');
      const nowMs = ctx.now.getTime();
      if (nowMs < Number(row.start_ms) - HOUR || nowMs > Number(row.end_ms)) {
        throw badRequest([
          { field: 'booking', code: 'invalid', params: { reason: '只能在开始前 1 小时至结束前签到 / check-in opens 1 hour before the start' } },
        ]);
      }
      const now = ctx.now.toISOString();
      const set = { status: 'checked_in' as const, checked_in_at: now, updated_at: now };
      await transition(tx, 'bookings', id, 'accepted', set, (cur) => this.invalid(cur ?? row.status, 'check-in'));
      await tx.updateTable('equipment_loans').set({ status: 'out', updated_at: now }).where('booking_id', '=', id).where('status', '=', 'reserved').execute();
      await audit(tx, ctx, {
        action: 'booking.check_in',
        entityType: 'booking',
        entityId: id,
        regionId: f.region_id,
        allianceId: row.alliance_id,
        schoolId: f.school_id,
      });
      return this.answer(tx, row, set);
    });
  }

  async noShow(ctx: Ctx, id: string) {
    const org = await this.org();
    return this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(ctx, org, id, tx);
      if (row.status !== 'accepted') throw this.invalid(row.status, 'no-show');
      if (ctx.now.getTime() < Number(row.start_ms))
        throw badRequest([{ field: 'booking', code: 'invalid', params: { reason: '预约尚未开始 / the booking has not started' } }]);
      const now = ctx.now.toISOString();
      const set = { status: 'no_show' as const, updated_at: now };
      await transition(tx, 'bookings', id, 'accepted', set, (cur) => this.invalid(cur ?? row.status, 'no-show'));
      await tx
        .updateTable('equipment_loans')
        .set({ status: 'cancelled', updated_at: now })
        .where('booking_id', '=', id)
        .where('status', '=', 'reserved')
        .execute();
      const penalty = await this.credits.penalizeNoShow(
        tx,
        ctx,
        this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms)),
      );
      await audit(tx, ctx, {
        action: 'booking.no_show',
        entityType: 'booking',
        entityId: id,
        regionId: f.region_id,
        allianceId: row.alliance_id,
        schoolId: row.booker_school_id,
        detail: { penalty: penalty.amount },
      });
      return this.answer(tx, row, set);
    });
  }

  /** A slot was freed: offer it to the first one waiting whose requested time is now free. */
  protected async offerFreedSlot(tx: Tx, f: { id: string; buffer_minutes: number }, startMs: number, endMs: number, nowMs: number) {
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
        .set({ status: 'offered', offer_expires_at: new Date(expires).toISOString(), updated_at: new Date(nowMs).toISOString() })
        .where('id', '=', w.id)
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      if (Number(upd.numUpdatedRows) === 0) continue;
      return w.id;
    }
    return null;
  }
}
