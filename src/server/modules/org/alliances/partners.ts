/**
 * Partners (the X of 1+N+X): enterprises, universities, museums… registered in a region and joining
 * alliances of that region or below. Region trees and "which partners are in my alliances" come from the
 * organization directory's snapshot; the rules are in `../policy.ts`.
 */
import type { z } from 'zod';
import { isUniqueViolation } from '../../../db/index.js';
import { audit } from '../../../platform/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, badRequest, conflict, forbidden } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { inScope } from '../../../platform/scope.js';
import { localDate } from '../../../../common/time.js';
import { orgPolicy, partnerReadScope } from '../policy.js';
import type { AlliancePartnerAdd, PartnerCreate } from './schema.js';
import type { AllianceService } from './service.js';

export class PartnerService {
  constructor(private readonly alliances: AllianceService) {}
  private get db() {
    return this.alliances.db;
  }
  private get directory() {
    return this.alliances.directory;
  }

  /** The partners the actor sees (an alliance's managers: also those it may add, of the alliance's region and above). */
  async listPartners(ctx: Ctx, regionId?: string) {
    const org = await this.directory.current();
    let qb = this.db.selectFrom('partners').selectAll();
    if (regionId) {
      const within = [...org.regionsUnder([regionId])];
      if (within.length === 0) return { items: [] };
      qb = qb.where('region_id', 'in', within);
    }
    const scope = partnerReadScope(ctx.actor, org);
    qb = qb.where((eb) => inScope(eb, scope, { regions: 'region_id', partners: 'id' }));
    const rows = await qb.orderBy('name').limit(500).execute();
    return {
      items: rows.map((p) => ({ id: p.id, regionId: p.region_id, name: p.name, kind: p.kind, contact: p.contact, phone: p.phone, description: p.description })),
    };
  }

  async createPartner(ctx: Ctx, input: z.infer<typeof PartnerCreate>) {
    const { actor } = ctx;
    const org = await this.directory.current();
    const region = org.region(input.regionId);
    if (!region || !(orgPolicy.readRegion(actor, region.id) || actor.homeRegionChain.has(region.id) || actor.adminAlliances.size > 0))
      throw badRequest([{ field: 'regionId', code: 'not_found' }]);
    if (!orgPolicy.createPartner(actor, region, org)) {
      if (region.level === 'province') throw badRequest([{ field: 'regionId', code: 'province_level_only' }]);
      throw forbidden();
    }
    const id = newId();
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('partners')
          .values({
            id,
            region_id: input.regionId,
            name: input.name,
            kind: input.kind,
            contact: input.contact ?? null,
            phone: input.phone ?? null,
            description: input.description ?? null,
            created_at: ctx.now.toISOString(),
          })
          .execute();
        await audit(tx, ctx, {
          action: 'partner.create',
          entityType: 'partner',
          entityId: id,
          regionId: input.regionId,
          detail: { name: input.name, kind: input.kind },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(409, 'duplicate', { field: '合作方名称' }, [{ field: 'name', code: 'duplicate' }]);
      throw err;
    }
    this.directory.invalidate();
    return {
      id,
      regionId: input.regionId,
      name: input.name,
      kind: input.kind,
      contact: input.contact ?? null,
      phone: input.phone ?? null,
      description: input.description ?? null,
    };
  }

  /** A partner of the alliance's region or of a region above it joins the alliance. */
  async addPartner(ctx: Ctx, id: string, input: z.infer<typeof AlliancePartnerAdd>) {
    const a = await this.alliances.getManageable(ctx, id);
    const org = await this.directory.current();
    const p = org.partner(input.partnerId);
    if (!p || !(org.regionsUnder([p.regionId]).has(a.region_id) || org.regionsAbove([a.region_id]).has(p.regionId)))
      throw badRequest([{ field: 'partnerId', code: 'not_found' }]);
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('alliance_partners')
          .values({ alliance_id: id, partner_id: p.id, offers: input.offers ?? null, joined_on: localDate(ctx.now) })
          .execute();
        await audit(tx, ctx, {
          action: 'alliance.partner_add',
          entityType: 'alliance',
          entityId: id,
          regionId: a.region_id,
          allianceId: id,
          detail: { partner: p.name, offers: input.offers },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('该合作方已加入联盟', [{ field: 'partnerId', code: 'duplicate' }]);
      throw err;
    }
    this.directory.invalidate();
    return this.alliances.detail(ctx, id);
  }
}
