/**
 * Equipment of facilities (仪器设备) and alliances' mobile kits (流动实验室 / 移动器材箱) with their
 * rotations among member schools (S3.1). Rules: `policy.ts` (`canManageFacility` for equipment,
 * `canReadKits` / `canManageKits` for kits); schools and memberships come from the organization directory.
 */
import type { z } from 'zod';
import type { Database, Db } from '../../db/index.js';
import type { Actor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { audit, changes } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { localDate } from '../../../common/time.js';
import type { Directory, OrgSnapshot } from '../org/directory.js';
import { canManageKits, canReadKits, type PlaceRef } from './policy.js';
import { equipmentOut, peakLent } from './inventory-rows.js';
import { stripUndef, type FacilityService } from './service.js';
import type { EquipmentCreate, EquipmentUpdate, KitCreate, RotationCreate } from './schema.js';

export class EquipmentService {
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

  // ---- equipment -------------------------------------------------------------------------------

  async addEquipment(ctx: Ctx, facilityId: string, input: z.infer<typeof EquipmentCreate>) {
    const { row } = await this.facilities.getManageable(ctx, facilityId);
    const id = newId();
    const now = ctx.now.toISOString();
    const values = {
      id,
      facility_id: facilityId,
      school_id: row.school_id,
      partner_id: row.partner_id,
      region_id: row.region_id,
      type: input.type,
      name: input.name,
      quantity: input.quantity,
      status: input.status,
      usage: input.usage,
      note: input.note ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('equipment').values(values).execute();
      await audit(tx, ctx, {
        action: 'equipment.create',
        entityType: 'equipment',
        entityId: id,
        regionId: row.region_id,
        schoolId: row.school_id,
        detail: { ...input, facilityId },
      });
    });
    return equipmentOut(values);
  }

  async updateEquipment(ctx: Ctx, id: string, input: z.infer<typeof EquipmentUpdate>) {
    const { e } = await this.facilities.getEquipment(ctx, id, true);
    const patch = stripUndef({ type: input.type, name: input.name, quantity: input.quantity, status: input.status, usage: input.usage, note: input.note });
    const updatedAt = ctx.now.toISOString();
    await this.db.transaction().execute(async (tx) => {
      if (patch.quantity !== undefined) {
        // never lower the stock below what is lent out now or reserved for the future
        const peak = await peakLent(tx, id, ctx.now.getTime(), Number.MAX_SAFE_INTEGER);
        if (patch.quantity < peak) throw badRequest([{ field: 'quantity', code: 'too_small', params: { min: peak } }]);
      }
      await tx
        .updateTable('equipment')
        .set({ ...patch, updated_at: updatedAt })
        .where('id', '=', id)
        .execute();
      await audit(tx, ctx, {
        action: 'equipment.update',
        entityType: 'equipment',
        entityId: id,
        regionId: e.region_id,
        schoolId: e.school_id,
        detail: changes({ ...e }, patch),
      });
    });
    return equipmentOut({ ...e, ...patch, updated_at: updatedAt });
  }

  // ---- mobile kits -----------------------------------------------------------------------------

  private async readableAlliance(actor: Actor, allianceId: string): Promise<{ org: OrgSnapshot; al: PlaceRef }> {
    const org = await this.dir.current();
    const a = org.alliance(allianceId);
    const al = a && { id: a.id, regionId: a.regionId };
    if (!al || !canReadKits(actor, al)) throw notFound('alliance');
    return { org, al };
  }

  private async manageableAlliance(actor: Actor, allianceId: string) {
    const v = await this.readableAlliance(actor, allianceId);
    if (!canManageKits(actor, v.al)) throw forbidden();
    return v;
  }

  async addKit(ctx: Ctx, allianceId: string, input: z.infer<typeof KitCreate>) {
    const { al } = await this.manageableAlliance(ctx.actor, allianceId);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('mobile_kits')
        .values({ id, alliance_id: allianceId, kind: input.kind, name: input.name, description: input.description ?? null, created_at: ctx.now.toISOString() })
        .execute();
      await audit(tx, ctx, { action: 'kit.create', entityType: 'kit', entityId: id, regionId: al.regionId, allianceId, detail: input });
    });
    return (await this.kits(ctx, allianceId)).find((k) => k.id === id)!;
  }

  async kits(ctx: Ctx, allianceId: string) {
    const { org } = await this.readableAlliance(ctx.actor, allianceId);
    const kits = await this.db.selectFrom('mobile_kits').selectAll().where('alliance_id', '=', allianceId).orderBy('created_at').execute();
    const rotations = kits.length
      ? await this.db
          .selectFrom('kit_rotations')
          .selectAll()
          .where(
            'kit_id',
            'in',
            kits.map((k) => k.id),
          )
          .orderBy('from_date')
          .execute()
      : [];
    const today = localDate(ctx.now);
    return kits.map((k) => {
      const rs = rotations.filter((r) => r.kit_id === k.id);
      return {
        id: k.id,
        allianceId: k.alliance_id,
        kind: k.kind,
        name: k.name,
        description: k.description,
        rotations: rs.map((r) => ({
          id: r.id,
          kitId: r.kit_id,
          schoolId: r.school_id,
          schoolName: org.school(r.school_id)?.name ?? '',
          fromDate: r.from_date,
          toDate: r.to_date,
          note: r.note,
        })),
        currentSchoolId: rs.find((r) => r.from_date <= today && today <= r.to_date)?.school_id ?? null,
      };
    });
  }

  async addRotation(ctx: Ctx, kitId: string, input: z.infer<typeof RotationCreate>) {
    const kit = await this.db.selectFrom('mobile_kits').selectAll().where('id', '=', kitId).executeTakeFirst();
    if (!kit) throw notFound('kit');
    let org: OrgSnapshot;
    try {
      org = (await this.manageableAlliance(ctx.actor, kit.alliance_id)).org;
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound('kit');
      throw err;
    }
    if (input.toDate < input.fromDate) throw badRequest([{ field: 'toDate', code: 'before_from' }]);
    if (!org.isMember(kit.alliance_id, input.schoolId)) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      const clash = await tx
        .selectFrom('kit_rotations')
        .select(['from_date', 'to_date'])
        .where('kit_id', '=', kitId)
        .where('from_date', '<=', input.toDate)
        .where('to_date', '>=', input.fromDate)
        .executeTakeFirst();
      if (clash)
        throw badRequest([
          { field: 'fromDate', code: 'invalid', params: { reason: `与 ${clash.from_date}–${clash.to_date} 的轮转重叠 / overlaps another rotation` } },
        ]);
      await tx
        .insertInto('kit_rotations')
        .values({
          id,
          kit_id: kitId,
          school_id: input.schoolId,
          from_date: input.fromDate,
          to_date: input.toDate,
          note: input.note ?? null,
          created_at: ctx.now.toISOString(),
        })
        .execute();
      await audit(tx, ctx, {
        action: 'kit.rotation',
        entityType: 'kit',
        entityId: kitId,
        allianceId: kit.alliance_id,
        schoolId: input.schoolId,
        detail: input,
      });
    });
    return (await this.kits(ctx, kit.alliance_id)).find((k) => k.id === kitId)!;
  }
}
