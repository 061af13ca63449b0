/** Bookings (S3.2), reading: one booking, lists, the owner's approval inbox, reminders, a facility's availability. */
import type { z } from 'zod';
import { badRequest, notFound } from '../../platform/errors.js';
import { canReadFacility, ownerAlliances } from './policy.js';
import type { Ctx } from '../../platform/context.js';
import { DAY, HOLDING_STATUSES, HOUR, localParts } from '../../../common/facilities.js';
import { closureOut } from './service.js';
import { BookingBase, bookingOut } from './bookings-base.js';
import type { AvailabilityQuery, BookingListQuery } from './schema.js';

export class BookingReads extends BookingBase {
  async detail(ctx: Ctx, id: string) {
    const { row } = await this.getVisible(ctx, await this.org(), id);
    return { ...bookingOut(row), loans: await this.loans(this.db, [id]) };
  }

  async list(ctx: Ctx, q: z.infer<typeof BookingListQuery>) {
    const { actor } = ctx;
    let qb = this.rows(this.db);
    if (q.scope === 'mine') {
      qb = qb.where('b.booker_id', '=', actor.userId);
    } else if (q.scope === 'school') {
      const sid = q.schoolId ?? actor.schoolId;
      if (!sid) throw badRequest([{ field: 'query.schoolId', code: 'required' }]);
      const s = (await this.org()).school(sid);
      if (!s || !(actor.isPlatformAdmin || actor.schools.has(sid) || actor.readRegions.has(s.regionId)))
        throw badRequest([{ field: 'query.schoolId', code: 'not_found' }]);
      qb = qb.where((eb) => eb.or([eb('b.booker_school_id', '=', sid), eb('f.school_id', '=', sid)]));
    } else {
      if (!q.facilityId) throw badRequest([{ field: 'query.facilityId', code: 'required' }]);
      await this.visibleFacility(ctx, await this.org(), q.facilityId, 'query.facilityId');
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
  async inbox(ctx: Ctx) {
    const { actor } = ctx;
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
  async reminders(ctx: Ctx, nowMs = ctx.now.getTime()) {
    const rows = await this.rows(this.db)
      .where('b.booker_id', '=', ctx.actor.userId)
      .where('b.status', 'in', HOLDING_STATUSES)
      .where('b.start_ms', '>=', nowMs)
      .where('b.start_ms', '<', nowMs + 24 * HOUR)
      .orderBy('b.start_ms')
      .execute();
    return { items: rows.map(bookingOut), total: rows.length };
  }

  async availability(ctx: Ctx, facilityId: string, q: z.infer<typeof AvailabilityQuery>) {
    const f = await this.db.selectFrom('facilities').selectAll().where('id', '=', facilityId).executeTakeFirst();
    if (!f || !canReadFacility(ctx.actor, f, ownerAlliances(await this.org(), f))) throw notFound('facility');
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
      busy: busy.map((b) => ({ bookingId: b.id, start: b.start_at, end: b.end_at, status: b.status, mine: b.booker_id === ctx.actor.userId })),
      openHours: hours,
      closures: closures.map(closureOut),
      bufferMinutes: f.buffer_minutes,
    };
  }
}
