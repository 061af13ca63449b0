/**
 * Bookings (S3.2), the waitlist: join for a taken slot, an offer when it is freed (kept OFFER_HOURS for the
 * next in line), accept (books it in the same transaction) or withdraw. Expired offers pass on lazily.
 */
import type { z } from 'zod';
import { nowIso } from '../../db/index.js';
import { transition } from '../../db/transition.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Ctx } from '../../platform/context.js';
import { DAY, MINUTE, isWeekend, type WaitlistStatus } from '../../../common/facilities.js';
import { canReadFacility, communityBookerOnly, ownerAlliances } from './policy.js';
import { allianceFor } from './bookings-base.js';
import { BookingDecisions } from './bookings-decide.js';
import type { WaitlistCreate } from './schema.js';

export class WaitlistBookings extends BookingDecisions {
  async joinWaitlist(ctx: Ctx, input: z.infer<typeof WaitlistCreate>) {
    const { actor } = ctx;
    const org = await this.org();
    const f = await this.db.selectFrom('facilities').selectAll().where('id', '=', input.facilityId).executeTakeFirst();
    const alliances = f ? ownerAlliances(org, f) : [];
    if (!f || !canReadFacility(actor, f, alliances)) throw badRequest([{ field: 'facilityId', code: 'not_found' }]);
    const startMs = Date.parse(input.start);
    const endMs = Date.parse(input.end);
    if (communityBookerOnly(actor) && (f.community_open !== 1 || !isWeekend(startMs))) throw new AppError(403, 'community_booking_only');
    if (!(endMs > startMs)) throw badRequest([{ field: 'end', code: 'end_before_start' }]);
    if (startMs < Date.now()) throw badRequest([{ field: 'start', code: 'in_past' }]);
    // only slots the facility would let one book: within its horizon and its longest booking
    if (startMs - Date.now() > f.max_days_ahead * DAY) throw badRequest([{ field: 'start', code: 'too_far_ahead', params: { days: f.max_days_ahead } }]);
    if (endMs - startMs > f.max_minutes * MINUTE) throw badRequest([{ field: 'end', code: 'booking_too_long', params: { max: f.max_minutes } }]);
    const { allianceId, bookerSchoolId } = allianceFor(ctx, org, f, alliances, input.allianceId, startMs);
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
    return (await this.myWaitlist(ctx)).items.find((w) => w.id === id)!;
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
        const f = await tx.selectFrom('facilities').select(['id', 'buffer_minutes']).where('id', '=', w.facility_id).executeTakeFirstOrThrow();
        await this.offerFreedSlot(tx, f, Number(w.start_ms), Number(w.end_ms), Date.now());
      });
    }
  }

  async myWaitlist(ctx: Ctx) {
    const { actor } = ctx;
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
        status: (expired ? 'expired' : w.status) as WaitlistStatus,
        offerExpiresAt: w.offer_expires_at,
        bookingId: w.booking_id,
        position,
        createdAt: w.created_at,
      });
    }
    return { items, total: items.length };
  }

  async acceptOffer(ctx: Ctx, id: string, acceptTerms: boolean) {
    const { actor } = ctx;
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
    const org = await this.org();
    try {
      return await this.db.transaction().execute(async (tx) => {
        // claim the offer first: of two concurrent accepts one books, the other gets 409
        await transition(tx, 'waitlist', id, 'offered', { status: 'booked', updated_at: nowIso() }, (cur) => this.invalid(cur ?? w.status, 'accept'));
        const created = await this.createIn(tx, ctx, org, input);
        await tx.updateTable('waitlist').set({ booking_id: created.bookings[0]!.id }).where('id', '=', id).execute();
        return created;
      });
    } catch (err) {
      throw await this.mapOverlap(err, w.facility_id);
    }
  }

  async withdrawWaitlist(ctx: Ctx, id: string) {
    const { actor } = ctx;
    const w = await this.db.selectFrom('waitlist').selectAll().where('id', '=', id).executeTakeFirst();
    if (!w || w.user_id !== actor.userId) throw notFound('waitlist');
    if (w.status !== 'waiting' && w.status !== 'offered') throw this.invalid(w.status, 'withdraw');
    await transition(this.db, 'waitlist', id, w.status, { status: 'withdrawn', updated_at: nowIso() }, (cur) => this.invalid(cur ?? w.status, 'withdraw'));
    return (await this.myWaitlist(ctx)).items.find((x) => x.id === id)!;
  }
}
