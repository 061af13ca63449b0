/**
 * Closures (考试周, 维修, 节假日) of a facility or a whole school, and schools' term calendars (S3.1).
 * Rules: `policy.ts` (`canManageFacility`, `canManageSchoolCalendar`, `canReadSchool`); schools come from
 * the organization directory.
 */
import type { z } from 'zod';
import type { Database, Db } from '../../db/index.js';
import type { Actor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Directory } from '../org/directory.js';
import { canManageSchoolCalendar, canReadSchool, type PlaceRef } from './policy.js';
import { closureOut } from './inventory-rows.js';
import type { FacilityService } from './service.js';
import type { ClosureCreate, TermCreate } from './schema.js';

export class CalendarsService {
  private readonly dir: Directory;
  constructor(
    private readonly database: Database,
    private readonly facilities: FacilityService,
  ) {
    this.dir = facilities.dir;
  }
  private get db(): Db {
    return this.database.db;
  }

  /** The school if the actor may keep its calendar (school admin, bureau, platform); 404 if invisible, 403 if only visible. */
  async manageableSchool(actor: Actor, schoolId: string): Promise<PlaceRef> {
    const org = await this.dir.current();
    const s = org.school(schoolId);
    if (!s) throw notFound('school');
    const ref = { id: s.id, regionId: s.regionId };
    if (canManageSchoolCalendar(actor, ref)) return ref;
    if (canReadSchool(actor, ref, org.alliancesOfSchool(schoolId))) throw forbidden();
    throw notFound('school');
  }

  async visibleSchool(actor: Actor, schoolId: string): Promise<PlaceRef> {
    const org = await this.dir.current();
    const s = org.school(schoolId);
    if (!s) throw notFound('school');
    const ref = { id: s.id, regionId: s.regionId };
    if (!canReadSchool(actor, ref, org.alliancesOfSchool(schoolId))) throw notFound('school');
    return ref;
  }

  // ---- closures --------------------------------------------------------------------------------

  async addClosure(ctx: Ctx, target: { facilityId?: string; schoolId?: string }, input: z.infer<typeof ClosureCreate>) {
    const { actor } = ctx;
    if (input.endDate < input.startDate) throw badRequest([{ field: 'endDate', code: 'before_from' }]);
    let regionId: string;
    let schoolId: string | null = null;
    if (target.facilityId) {
      const { row } = await this.facilities.getManageable(ctx, target.facilityId);
      regionId = row.region_id;
      schoolId = row.school_id;
    } else {
      const s = await this.manageableSchool(actor, target.schoolId!);
      regionId = s.regionId;
      schoolId = s.id;
    }
    const id = newId();
    const row = {
      id,
      facility_id: target.facilityId ?? null,
      school_id: target.facilityId ? null : schoolId,
      start_date: input.startDate,
      end_date: input.endDate,
      kind: input.kind,
      reason: input.reason ?? null,
      created_by: actor.userId,
      created_at: ctx.now.toISOString(),
    };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('closures').values(row).execute();
      await audit(tx, ctx, {
        action: 'closure.create',
        entityType: 'closure',
        entityId: id,
        regionId,
        schoolId,
        detail: { ...input, facilityId: target.facilityId ?? null },
      });
    });
    return closureOut(row);
  }

  async deleteClosure(ctx: Ctx, id: string) {
    const { actor } = ctx;
    const c = await this.db.selectFrom('closures').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c) throw notFound('closure');
    let regionId: string;
    try {
      if (c.facility_id) regionId = (await this.facilities.getManageable(ctx, c.facility_id)).row.region_id;
      else regionId = (await this.manageableSchool(actor, c.school_id!)).regionId;
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound('closure');
      throw err;
    }
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('closures').where('id', '=', id).execute();
      await audit(tx, ctx, { action: 'closure.delete', entityType: 'closure', entityId: id, regionId, schoolId: c.school_id, detail: closureOut(c) });
    });
  }

  // ---- terms -----------------------------------------------------------------------------------

  async terms(ctx: Ctx, schoolId: string) {
    await this.visibleSchool(ctx.actor, schoolId);
    const rows = await this.db.selectFrom('school_terms').selectAll().where('school_id', '=', schoolId).orderBy('start_date').execute();
    return rows.map((t) => ({ id: t.id, schoolId: t.school_id, name: t.name, startDate: t.start_date, endDate: t.end_date }));
  }

  async addTerm(ctx: Ctx, schoolId: string, input: z.infer<typeof TermCreate>) {
    const s = await this.manageableSchool(ctx.actor, schoolId);
    if (input.endDate < input.startDate) throw badRequest([{ field: 'endDate', code: 'before_from' }]);
    const clash = await this.db
      .selectFrom('school_terms')
      .select('name')
      .where('school_id', '=', schoolId)
      .where('start_date', '<=', input.endDate)
      .where('end_date', '>=', input.startDate)
      .executeTakeFirst();
    if (clash) throw badRequest([{ field: 'startDate', code: 'invalid', params: { reason: `与“${clash.name}”重叠 / overlaps ${clash.name}` } }]);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('school_terms')
        .values({ id, school_id: schoolId, name: input.name, start_date: input.startDate, end_date: input.endDate, created_at: ctx.now.toISOString() })
        .execute();
      await audit(tx, ctx, { action: 'term.create', entityType: 'term', entityId: id, regionId: s.regionId, schoolId, detail: input });
    });
    return { id, schoolId, name: input.name, startDate: input.startDate, endDate: input.endDate };
  }
}
