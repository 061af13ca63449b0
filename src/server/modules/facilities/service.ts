/**
 * Facilities inventory (S3.1): facilities of schools and partners' community venues, equipment, open
 * hours, closures, term calendars and mobile kits with their rotations.
 *
 * Who may SEE a facility: the platform admin; bureau / evaluator of its region; the owner school's own
 * people; members of any alliance the owner school belongs to (or, for a partner venue, any alliance the
 * partner works with); and — for community_open facilities — guardians of schools in the region.
 * Who may MANAGE it: the owner school's admin; for a partner venue, the accounts of THAT partner
 * organisation (users.partner_id, while they hold a partner grant); the bureau of the region; the platform
 * admin. Mobile kits: the alliance secretariat.
 */
import type { FastifyRequest } from 'fastify';
import type { ExpressionBuilder } from 'kysely';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import { containsText, fromJson, nowIso, toJson } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import type { FacilitiesTable } from './tables.js';
import { audit, changes } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { policy, type Actor } from '../../platform/policy.js';
import { DEFAULT_OPEN_HOURS, DEFAULT_POLICY, HOLDING_STATUSES, haversineKm, localParts, formatHm } from '../../../common/facilities.js';
import { todayIn } from '../../../common/time.js';
import type {
  ClosureCreate,
  EquipmentCreate,
  EquipmentUpdate,
  FacilityCreate,
  FacilityQuery,
  FacilityUpdate,
  KitCreate,
  OpenHourIn,
  RotationCreate,
  TermCreate,
} from './schema.js';

export type FacilityRow = FacilitiesTable;
type FacilityListRow = FacilityRow & { school_name: string | null; partner_name: string | null; lat: number | null; lng: number | null };

const isGuardian = (actor: Actor) => actor.grants.some((g) => g.role === 'guardian');

export function toSummary(r: FacilityListRow, distanceKm: number | null = null) {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    subject: r.subject,
    capacity: r.capacity,
    location: r.location,
    schoolId: r.school_id,
    schoolName: r.school_name,
    partnerId: r.partner_id,
    partnerName: r.partner_name,
    regionId: r.region_id,
    policy: r.policy,
    communityOpen: r.community_open === 1,
    status: r.status,
    distanceKm: distanceKm == null ? null : Math.round(distanceKm * 10) / 10,
  };
}

export const closureOut = (c: {
  id: string;
  facility_id: string | null;
  school_id: string | null;
  start_date: string;
  end_date: string;
  kind: string;
  reason: string | null;
}) => ({
  id: c.id,
  facilityId: c.facility_id,
  schoolId: c.school_id,
  startDate: c.start_date,
  endDate: c.end_date,
  kind: c.kind,
  reason: c.reason,
});
export const equipmentOut = (e: DB['equipment']) => ({
  id: e.id,
  facilityId: e.facility_id,
  type: e.type,
  name: e.name,
  quantity: e.quantity,
  status: e.status,
  usage: e.usage,
  note: e.note,
});

export class FacilityService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }

  // ---- access ---------------------------------------------------------------------------------

  /** Alliances of the owner: the owner school's active memberships, or the alliances a partner works with. */
  async ownerAlliances(db: Db | Tx, f: Pick<FacilityRow, 'school_id' | 'partner_id'>): Promise<string[]> {
    if (f.school_id) {
      const rows = await db.selectFrom('alliance_members').select('alliance_id').where('school_id', '=', f.school_id).where('status', '=', 'active').execute();
      return rows.map((r) => r.alliance_id);
    }
    const rows = await db.selectFrom('alliance_partners').select('alliance_id').where('partner_id', '=', f.partner_id!).execute();
    return rows.map((r) => r.alliance_id);
  }

  canSee(actor: Actor, f: FacilityRow, ownerAlliances: string[]): boolean {
    return (
      actor.isPlatformAdmin ||
      actor.readRegions.has(f.region_id) ||
      (f.school_id != null && actor.schools.has(f.school_id)) ||
      (f.partner_id != null && actor.partners.has(f.partner_id)) ||
      ownerAlliances.some((a) => actor.memberAlliances.has(a)) ||
      (f.community_open === 1 && isGuardian(actor) && actor.homeRegionChain.has(f.region_id))
    );
  }

  canManage(actor: Actor, f: Pick<FacilityRow, 'region_id' | 'school_id' | 'partner_id'>, _ownerAlliances?: string[]): boolean {
    if (actor.isPlatformAdmin || actor.bureauRegions.has(f.region_id)) return true;
    if (f.school_id) return actor.adminSchools.has(f.school_id);
    // a partner account runs its own organisation's venues only, never another partner's
    return f.partner_id != null && actor.partners.has(f.partner_id);
  }

  /** The facility if the actor may see it, with its owner's alliances; "not found" otherwise. */
  async getVisible(actor: Actor, id: string, db: Db | Tx = this.db) {
    const row = await db.selectFrom('facilities').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('facility');
    const alliances = await this.ownerAlliances(db, row);
    if (!this.canSee(actor, row, alliances)) throw notFound('facility');
    return { row, alliances };
  }

  async getManageable(actor: Actor, id: string, db: Db | Tx = this.db) {
    const v = await this.getVisible(actor, id, db);
    if (!this.canManage(actor, v.row, v.alliances)) throw forbidden();
    return v;
  }

  /** Restricts `facilities as f` to what the actor may see. */
  private scope(actor: Actor) {
    return (eb: ExpressionBuilder<DB & { f: FacilitiesTable }, 'f'>) => {
      const ors = [];
      if (actor.readRegions.size) ors.push(eb('f.region_id', 'in', [...actor.readRegions]));
      if (actor.schools.size) ors.push(eb('f.school_id', 'in', [...actor.schools]));
      if (actor.partners.size) ors.push(eb('f.partner_id', 'in', [...actor.partners]));
      if (actor.memberAlliances.size) {
        const al = [...actor.memberAlliances];
        ors.push(
          eb(
            'f.school_id',
            'in',
            eb.selectFrom('alliance_members as m').select('m.school_id').where('m.alliance_id', 'in', al).where('m.status', '=', 'active'),
          ),
        );
        ors.push(eb('f.partner_id', 'in', eb.selectFrom('alliance_partners as ap').select('ap.partner_id').where('ap.alliance_id', 'in', al)));
      }
      if (isGuardian(actor) && actor.homeRegionChain.size) {
        ors.push(eb.and([eb('f.community_open', '=', 1), eb('f.region_id', 'in', [...actor.homeRegionChain])]));
      }
      return ors.length ? eb.or(ors) : eb.lit(false);
    };
  }

  // ---- list & detail ---------------------------------------------------------------------------

  async list(actor: Actor, q: z.infer<typeof FacilityQuery>) {
    let qb = this.db.selectFrom('facilities as f').leftJoin('schools as s', 's.id', 'f.school_id').leftJoin('partners as p', 'p.id', 'f.partner_id');
    if (!actor.isPlatformAdmin) qb = qb.where(this.scope(actor));
    if (q.type) qb = qb.where('f.type', '=', q.type);
    if (q.subject) qb = qb.where('f.subject', '=', q.subject);
    if (q.schoolId) qb = qb.where('f.school_id', '=', q.schoolId);
    if (q.partnerId) qb = qb.where('f.partner_id', '=', q.partnerId);
    if (q.communityOpen) qb = qb.where('f.community_open', '=', Number(q.communityOpen));
    if (q.allianceId) {
      const aid = q.allianceId;
      qb = qb.where((eb) =>
        eb.or([
          eb(
            'f.school_id',
            'in',
            eb.selectFrom('alliance_members as m').select('m.school_id').where('m.alliance_id', '=', aid).where('m.status', '=', 'active'),
          ),
          eb('f.partner_id', 'in', eb.selectFrom('alliance_partners as ap').select('ap.partner_id').where('ap.alliance_id', '=', aid)),
        ]),
      );
    }
    if (q.q) {
      const text = q.q;
      qb = qb.where((eb) => eb.or([containsText(this.database.dialect, 'f.name', text), containsText(this.database.dialect, 'f.location', text)]));
    }
    if (q.freeFrom || q.freeTo) {
      if (!q.freeFrom || !q.freeTo) throw badRequest([{ field: q.freeFrom ? 'query.freeTo' : 'query.freeFrom', code: 'required' }]);
      const from = Date.parse(q.freeFrom);
      const to = Date.parse(q.freeTo);
      if (!(to > from)) throw badRequest([{ field: 'query.freeTo', code: 'end_before_start' }]);
      const s = localParts(from);
      const e = localParts(to);
      const endHm = e.date === s.date ? formatHm(e.minutes) : '24:00';
      qb = qb
        .where('f.status', '=', 'active')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('bookings as b')
                .select('b.id')
                .whereRef('b.facility_id', '=', 'f.id')
                .where('b.status', 'in', HOLDING_STATUSES)
                .where('b.start_ms', '<', to)
                .where('b.block_end_ms', '>', from),
            ),
          ),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('closures as c')
                .select('c.id')
                .where((w) => w.or([w('c.facility_id', '=', w.ref('f.id')), w('c.school_id', '=', w.ref('f.school_id'))]))
                .where('c.start_date', '<=', localParts(to - 1).date)
                .where('c.end_date', '>=', s.date),
            ),
          ),
        )
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('facility_open_hours as h')
              .select('h.id')
              .whereRef('h.facility_id', '=', 'f.id')
              .where('h.weekday', '=', s.weekday)
              .where('h.open', '<=', formatHm(s.minutes))
              .where('h.close', '>=', endHm),
          ),
        );
    }
    const cols = qb.selectAll('f').select(['s.name as school_name', 'p.name as partner_name', 's.lat', 's.lng']);
    if (q.nearSchoolId) {
      const near = await this.db.selectFrom('schools').select(['lat', 'lng']).where('id', '=', q.nearSchoolId).executeTakeFirst();
      if (!near) throw badRequest([{ field: 'query.nearSchoolId', code: 'not_found' }]);
      const rows = (await cols.execute()) as FacilityListRow[];
      const withD = rows.map((r) => ({
        r,
        d: near.lat != null && near.lng != null && r.lat != null && r.lng != null ? haversineKm(near.lat, near.lng, r.lat, r.lng) : null,
      }));
      withD.sort((a, b) => (a.d ?? Infinity) - (b.d ?? Infinity) || a.r.name.localeCompare(b.r.name));
      const page = withD.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
      return { items: page.map((x) => toSummary(x.r, x.d)), total: rows.length, page: q.page, pageSize: q.pageSize };
    }
    const [{ total }, rows] = await Promise.all([
      qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      cols
        .orderBy('f.region_id')
        .orderBy('f.school_id')
        .orderBy('f.name')
        .orderBy('f.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
    ]);
    return { items: (rows as FacilityListRow[]).map((r) => toSummary(r)), total: Number(total), page: q.page, pageSize: q.pageSize };
  }

  async openHours(db: Db | Tx, facilityId: string) {
    const rows = await db
      .selectFrom('facility_open_hours')
      .select(['weekday', 'open', 'close'])
      .where('facility_id', '=', facilityId)
      .orderBy('weekday')
      .orderBy('open')
      .execute();
    return rows;
  }

  /** Closures of the facility and of its school that end on or after `fromDate`. */
  async closures(db: Db | Tx, f: Pick<FacilityRow, 'id' | 'school_id'>, fromDate: string, toDate?: string) {
    let qb = db
      .selectFrom('closures')
      .selectAll()
      .where((eb) => {
        const ors = [eb('facility_id', '=', f.id)];
        if (f.school_id) ors.push(eb('school_id', '=', f.school_id));
        return eb.or(ors);
      })
      .where('end_date', '>=', fromDate);
    if (toDate) qb = qb.where('start_date', '<=', toDate);
    return qb.orderBy('start_date').execute();
  }

  async detail(actor: Actor, id: string) {
    const { row, alliances } = await this.getVisible(actor, id);
    const [names, hours, closures, equipment, allianceRows] = await Promise.all([
      this.db
        .selectFrom('facilities as f')
        .leftJoin('schools as s', 's.id', 'f.school_id')
        .leftJoin('partners as p', 'p.id', 'f.partner_id')
        .select(['s.name as school_name', 'p.name as partner_name', 's.lat', 's.lng'])
        .where('f.id', '=', id)
        .executeTakeFirstOrThrow(),
      this.openHours(this.db, id),
      this.closures(this.db, row, todayIn()),
      this.db.selectFrom('equipment').selectAll().where('facility_id', '=', id).orderBy('name').execute(),
      alliances.length ? this.db.selectFrom('alliances').select(['id', 'name']).where('id', 'in', alliances).orderBy('id').execute() : Promise.resolve([]),
    ]);
    return {
      ...toSummary({ ...row, ...names }),
      photos: fromJson<string[]>(row.photos, []),
      equipmentText: row.equipment_text,
      safetyRules: row.safety_rules,
      responsibilityTerms: row.responsibility_terms,
      minMinutes: row.min_minutes,
      maxMinutes: row.max_minutes,
      minNoticeHours: row.min_notice_hours,
      maxDaysAhead: row.max_days_ahead,
      bufferMinutes: row.buffer_minutes,
      weeklyQuotaHours: row.weekly_quota_hours,
      cancelDeadlineHours: row.cancel_deadline_hours,
      openHours: hours,
      closures: closures.map(closureOut),
      equipment: equipment.map(equipmentOut),
      alliances: allianceRows,
      canManage: this.canManage(actor, row, alliances),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  // ---- create & update -------------------------------------------------------------------------

  async create(req: FastifyRequest, actor: Actor, input: z.infer<typeof FacilityCreate>) {
    if ((input.schoolId == null) === (input.partnerId == null)) {
      throw badRequest([
        { field: input.schoolId ? 'partnerId' : 'schoolId', code: 'invalid', params: { reason: '请指定所属学校或合作方之一 / give exactly one owner' } },
      ]);
    }
    let regionId: string;
    let ownerAlliances: string[];
    if (input.schoolId) {
      const school = await this.db.selectFrom('schools').select(['id', 'region_id']).where('id', '=', input.schoolId).executeTakeFirst();
      if (!school) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
      regionId = school.region_id;
      ownerAlliances = await this.ownerAlliances(this.db, { school_id: school.id, partner_id: null });
    } else {
      const partner = await this.db.selectFrom('partners').select(['id', 'region_id']).where('id', '=', input.partnerId!).executeTakeFirst();
      if (!partner) throw badRequest([{ field: 'partnerId', code: 'not_found' }]);
      regionId = partner.region_id;
      ownerAlliances = await this.ownerAlliances(this.db, { school_id: null, partner_id: partner.id });
    }
    const owner = { region_id: regionId, school_id: input.schoolId ?? null, partner_id: input.partnerId ?? null };
    if (!this.canManage(actor, owner, ownerAlliances)) {
      throw badRequest([{ field: input.schoolId ? 'schoolId' : 'partnerId', code: 'out_of_scope' }]);
    }
    const p = { ...DEFAULT_POLICY, ...stripUndef(input) };
    if (p.maxMinutes < p.minMinutes) throw badRequest([{ field: 'maxMinutes', code: 'too_small', params: { min: p.minMinutes } }]);
    const id = newId();
    const now = nowIso();
    const hours = input.openHours ?? DEFAULT_OPEN_HOURS;
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('facilities')
        .values({
          id,
          ...owner,
          type: input.type,
          subject: input.subject ?? null,
          name: input.name,
          capacity: input.capacity,
          location: input.location ?? null,
          photos: toJson(input.photos ?? []),
          equipment_text: input.equipmentText ?? null,
          safety_rules: input.safetyRules ?? null,
          responsibility_terms: input.responsibilityTerms ?? null,
          community_open: input.communityOpen ? 1 : 0,
          policy: input.policy ?? 'auto',
          min_minutes: p.minMinutes,
          max_minutes: p.maxMinutes,
          min_notice_hours: p.minNoticeHours,
          max_days_ahead: p.maxDaysAhead,
          buffer_minutes: p.bufferMinutes,
          weekly_quota_hours: p.weeklyQuotaHours,
          cancel_deadline_hours: p.cancelDeadlineHours,
          status: input.status ?? 'active',
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await this.writeHours(tx, id, hours);
      await audit(tx, req, {
        action: 'facility.create',
        entityType: 'facility',
        entityId: id,
        regionId,
        schoolId: owner.school_id,
        detail: { name: input.name, type: input.type },
      });
    });
    return this.detail(actor, id);
  }

  async update(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof FacilityUpdate>) {
    const { row } = await this.getManageable(actor, id);
    const patch: Partial<FacilityRow> = {};
    const map: [keyof typeof input, keyof FacilityRow][] = [
      ['type', 'type'],
      ['subject', 'subject'],
      ['name', 'name'],
      ['capacity', 'capacity'],
      ['location', 'location'],
      ['equipmentText', 'equipment_text'],
      ['safetyRules', 'safety_rules'],
      ['responsibilityTerms', 'responsibility_terms'],
      ['status', 'status'],
      ['policy', 'policy'],
      ['minMinutes', 'min_minutes'],
      ['maxMinutes', 'max_minutes'],
      ['minNoticeHours', 'min_notice_hours'],
      ['maxDaysAhead', 'max_days_ahead'],
      ['bufferMinutes', 'buffer_minutes'],
      ['weeklyQuotaHours', 'weekly_quota_hours'],
      ['cancelDeadlineHours', 'cancel_deadline_hours'],
    ];
    for (const [k, col] of map) if (input[k] !== undefined) (patch as Record<string, unknown>)[col] = input[k];
    if (input.photos !== undefined) patch.photos = toJson(input.photos);
    if (input.communityOpen !== undefined) patch.community_open = input.communityOpen ? 1 : 0;
    const minM = patch.min_minutes ?? row.min_minutes;
    if ((patch.max_minutes ?? row.max_minutes) < minM) throw badRequest([{ field: 'maxMinutes', code: 'too_small', params: { min: minM } }]);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('facilities')
        .set({ ...patch, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
      await audit(tx, req, {
        action: 'facility.update',
        entityType: 'facility',
        entityId: id,
        regionId: row.region_id,
        schoolId: row.school_id,
        detail: changes(row as never, patch as never),
      });
    });
    return this.detail(actor, id);
  }

  private async writeHours(tx: Tx, facilityId: string, hours: z.infer<typeof OpenHourIn>[]) {
    await tx.deleteFrom('facility_open_hours').where('facility_id', '=', facilityId).execute();
    if (hours.length) {
      await tx
        .insertInto('facility_open_hours')
        .values(hours.map((h) => ({ id: newId(), facility_id: facilityId, weekday: h.weekday, open: h.open, close: h.close })))
        .execute();
    }
  }

  async putOpenHours(req: FastifyRequest, actor: Actor, id: string, hours: z.infer<typeof OpenHourIn>[]) {
    const { row } = await this.getManageable(actor, id);
    await this.db.transaction().execute(async (tx) => {
      await this.writeHours(tx, id, hours);
      await audit(tx, req, {
        action: 'facility.open_hours',
        entityType: 'facility',
        entityId: id,
        regionId: row.region_id,
        schoolId: row.school_id,
        detail: { hours },
      });
    });
    return this.openHours(this.db, id);
  }

  // ---- closures & terms ------------------------------------------------------------------------

  async addClosure(req: FastifyRequest, actor: Actor, target: { facilityId?: string; schoolId?: string }, input: z.infer<typeof ClosureCreate>) {
    if (input.endDate < input.startDate) throw badRequest([{ field: 'endDate', code: 'before_from' }]);
    let regionId: string;
    let schoolId: string | null = null;
    if (target.facilityId) {
      const { row } = await this.getManageable(actor, target.facilityId);
      regionId = row.region_id;
      schoolId = row.school_id;
    } else {
      const s = await this.manageableSchool(actor, target.schoolId!);
      regionId = s.region_id;
      schoolId = s.id;
    }
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('closures')
        .values({
          id,
          facility_id: target.facilityId ?? null,
          school_id: target.facilityId ? null : schoolId,
          start_date: input.startDate,
          end_date: input.endDate,
          kind: input.kind,
          reason: input.reason ?? null,
          created_by: actor.userId,
          created_at: nowIso(),
        })
        .execute();
      await audit(tx, req, {
        action: 'closure.create',
        entityType: 'closure',
        entityId: id,
        regionId,
        schoolId,
        detail: { ...input, facilityId: target.facilityId ?? null },
      });
    });
    return closureOut(await this.db.selectFrom('closures').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }

  async deleteClosure(req: FastifyRequest, actor: Actor, id: string) {
    const c = await this.db.selectFrom('closures').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c) throw notFound('closure');
    let regionId: string;
    try {
      if (c.facility_id) regionId = (await this.getManageable(actor, c.facility_id)).row.region_id;
      else regionId = (await this.manageableSchool(actor, c.school_id!)).region_id;
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound('closure');
      throw err;
    }
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('closures').where('id', '=', id).execute();
      await audit(tx, req, { action: 'closure.delete', entityType: 'closure', entityId: id, regionId, schoolId: c.school_id, detail: closureOut(c) });
    });
  }

  /** The school if the actor administers it (school admin, bureau, platform); 404 if invisible, 403 if only visible. */
  async manageableSchool(actor: Actor, schoolId: string) {
    const s = await this.db.selectFrom('schools').select(['id', 'region_id']).where('id', '=', schoolId).executeTakeFirst();
    if (!s) throw notFound('school');
    if (policy.updateSchool(actor, s)) return s;
    const alliances = (
      await this.db.selectFrom('alliance_members').select('alliance_id').where('school_id', '=', schoolId).where('status', '=', 'active').execute()
    ).map((r) => r.alliance_id);
    if (policy.readSchool(actor, s, alliances)) throw forbidden();
    throw notFound('school');
  }

  async visibleSchool(actor: Actor, schoolId: string) {
    const s = await this.db.selectFrom('schools').select(['id', 'region_id']).where('id', '=', schoolId).executeTakeFirst();
    if (!s) throw notFound('school');
    const alliances = (
      await this.db.selectFrom('alliance_members').select('alliance_id').where('school_id', '=', schoolId).where('status', '=', 'active').execute()
    ).map((r) => r.alliance_id);
    if (!policy.readSchool(actor, s, alliances)) throw notFound('school');
    return s;
  }

  async terms(actor: Actor, schoolId: string) {
    await this.visibleSchool(actor, schoolId);
    const rows = await this.db.selectFrom('school_terms').selectAll().where('school_id', '=', schoolId).orderBy('start_date').execute();
    return rows.map((t) => ({ id: t.id, schoolId: t.school_id, name: t.name, startDate: t.start_date, endDate: t.end_date }));
  }

  async addTerm(req: FastifyRequest, actor: Actor, schoolId: string, input: z.infer<typeof TermCreate>) {
    const s = await this.manageableSchool(actor, schoolId);
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
        .values({ id, school_id: schoolId, name: input.name, start_date: input.startDate, end_date: input.endDate, created_at: nowIso() })
        .execute();
      await audit(tx, req, { action: 'term.create', entityType: 'term', entityId: id, regionId: s.region_id, schoolId, detail: input });
    });
    return { id, schoolId, name: input.name, startDate: input.startDate, endDate: input.endDate };
  }

  /** The term of the school that holds the date (the default end of a weekly series). */
  async termOn(db: Db | Tx, schoolId: string | null, date: string) {
    if (!schoolId) return undefined;
    return db
      .selectFrom('school_terms')
      .selectAll()
      .where('school_id', '=', schoolId)
      .where('start_date', '<=', date)
      .where('end_date', '>=', date)
      .executeTakeFirst();
  }

  // ---- equipment -------------------------------------------------------------------------------

  async addEquipment(req: FastifyRequest, actor: Actor, facilityId: string, input: z.infer<typeof EquipmentCreate>) {
    const { row } = await this.getManageable(actor, facilityId);
    const id = newId();
    const now = nowIso();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('equipment')
        .values({
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
        })
        .execute();
      await audit(tx, req, {
        action: 'equipment.create',
        entityType: 'equipment',
        entityId: id,
        regionId: row.region_id,
        schoolId: row.school_id,
        detail: { ...input, facilityId },
      });
    });
    return equipmentOut(await this.db.selectFrom('equipment').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }

  async getEquipment(actor: Actor, id: string, manage: boolean, db: Db | Tx = this.db) {
    const e = await db.selectFrom('equipment').selectAll().where('id', '=', id).executeTakeFirst();
    if (!e?.facility_id) throw notFound('equipment');
    try {
      const f = manage ? await this.getManageable(actor, e.facility_id, db) : await this.getVisible(actor, e.facility_id, db);
      return { e, facility: f.row, alliances: f.alliances };
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound('equipment');
      throw err;
    }
  }

  async updateEquipment(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof EquipmentUpdate>) {
    const { e } = await this.getEquipment(actor, id, true);
    const patch = stripUndef({ type: input.type, name: input.name, quantity: input.quantity, status: input.status, usage: input.usage, note: input.note });
    await this.db.transaction().execute(async (tx) => {
      if (patch.quantity !== undefined) {
        // never lower the stock below what is lent out now or reserved for the future
        const peak = await this.peakLent(tx, id, Date.now(), Number.MAX_SAFE_INTEGER);
        if (patch.quantity < peak) throw badRequest([{ field: 'quantity', code: 'too_small', params: { min: peak } }]);
      }
      await tx
        .updateTable('equipment')
        .set({ ...patch, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
      await audit(tx, req, {
        action: 'equipment.update',
        entityType: 'equipment',
        entityId: id,
        regionId: e.region_id,
        schoolId: e.school_id,
        detail: changes(e as never, patch as never),
      });
    });
    return equipmentOut(await this.db.selectFrom('equipment').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }

  /** The largest quantity lent at any moment of [fromMs, toMs) (holding loans). */
  async peakLent(db: Db | Tx, equipmentId: string, fromMs: number, toMs: number): Promise<number> {
    const loans = await db
      .selectFrom('equipment_loans')
      .select(['from_ms', 'to_ms', 'quantity'])
      .where('equipment_id', '=', equipmentId)
      .where('status', 'in', ['reserved', 'out'])
      .where('from_ms', '<', toMs)
      .where('to_ms', '>', fromMs)
      .execute();
    const points = loans.flatMap((l) => [
      { t: Math.max(Number(l.from_ms), fromMs), d: l.quantity },
      { t: Number(l.to_ms), d: -l.quantity },
    ]);
    points.sort((a, b) => a.t - b.t || a.d - b.d);
    let cur = 0;
    let peak = 0;
    for (const p of points) {
      cur += p.d;
      peak = Math.max(peak, cur);
    }
    return peak;
  }

  // ---- mobile kits ------------------------------------------------------------------------------

  private async manageableAlliance(actor: Actor, allianceId: string) {
    const al = await this.db.selectFrom('alliances').select(['id', 'region_id']).where('id', '=', allianceId).executeTakeFirst();
    if (!al || !policy.readAllianceInternals(actor, al)) throw notFound('alliance');
    if (!policy.manageAlliance(actor, al)) throw forbidden();
    return al;
  }

  async addKit(req: FastifyRequest, actor: Actor, allianceId: string, input: z.infer<typeof KitCreate>) {
    const al = await this.manageableAlliance(actor, allianceId);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('mobile_kits')
        .values({ id, alliance_id: allianceId, kind: input.kind, name: input.name, description: input.description ?? null, created_at: nowIso() })
        .execute();
      await audit(tx, req, { action: 'kit.create', entityType: 'kit', entityId: id, regionId: al.region_id, allianceId, detail: input });
    });
    return (await this.kits(actor, allianceId)).find((k) => k.id === id)!;
  }

  async kits(actor: Actor, allianceId: string) {
    const al = await this.db.selectFrom('alliances').select(['id', 'region_id']).where('id', '=', allianceId).executeTakeFirst();
    if (!al || !policy.readAllianceInternals(actor, al)) throw notFound('alliance');
    const kits = await this.db.selectFrom('mobile_kits').selectAll().where('alliance_id', '=', allianceId).orderBy('created_at').execute();
    const rotations = kits.length
      ? await this.db
          .selectFrom('kit_rotations as r')
          .innerJoin('schools as s', 's.id', 'r.school_id')
          .selectAll('r')
          .select('s.name as school_name')
          .where(
            'r.kit_id',
            'in',
            kits.map((k) => k.id),
          )
          .orderBy('r.from_date')
          .execute()
      : [];
    const today = todayIn();
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
          schoolName: r.school_name,
          fromDate: r.from_date,
          toDate: r.to_date,
          note: r.note,
        })),
        currentSchoolId: rs.find((r) => r.from_date <= today && today <= r.to_date)?.school_id ?? null,
      };
    });
  }

  async addRotation(req: FastifyRequest, actor: Actor, kitId: string, input: z.infer<typeof RotationCreate>) {
    const kit = await this.db.selectFrom('mobile_kits').selectAll().where('id', '=', kitId).executeTakeFirst();
    if (!kit) throw notFound('kit');
    try {
      await this.manageableAlliance(actor, kit.alliance_id);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound('kit');
      throw err;
    }
    if (input.toDate < input.fromDate) throw badRequest([{ field: 'toDate', code: 'before_from' }]);
    const member = await this.db
      .selectFrom('alliance_members')
      .select('id')
      .where('alliance_id', '=', kit.alliance_id)
      .where('school_id', '=', input.schoolId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!member) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
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
          created_at: nowIso(),
        })
        .execute();
      await audit(tx, req, {
        action: 'kit.rotation',
        entityType: 'kit',
        entityId: kitId,
        allianceId: kit.alliance_id,
        schoolId: input.schoolId,
        detail: input,
      });
    });
    return (await this.kits(actor, kit.alliance_id)).find((k) => k.id === kitId)!;
  }
}

function stripUndef<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
