/**
 * Facilities inventory (S3.1): facilities of schools and partners' community venues — list, detail,
 * register, edit, open hours — and the access helpers the booking services share (`getVisible`,
 * `canManage`, open hours, closures, terms, equipment stock). The record rules are in `policy.ts`
 * (who reads, who manages, who approves); names of schools, partners and alliances come from the
 * organization directory, never from the org tables. Closures and terms: `calendars.ts`; equipment and
 * mobile kits: `equipment.ts`, `kits.ts`.
 */
import type { ExpressionBuilder, SqlBool, Expression } from 'kysely';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import { containsText, fromJson, toJson } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import type { FacilitiesTable } from '../../db/tables/facilities.js';
import type { Actor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { audit, changes } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { inScope } from '../../platform/scope.js';
import { directoryOf, type Directory, type OrgSnapshot } from '../org/directory.js';
import { DEFAULT_OPEN_HOURS, DEFAULT_POLICY, HOLDING_STATUSES, haversineKm, localParts, formatHm } from '../../../common/facilities.js';
import { localDate } from '../../../common/time.js';
import { canCreateFacility, canManageFacility, canReadFacility, communityScope, facilityReadScope, ownerAlliances } from './policy.js';
import { closuresOf, equipmentOut, closureOut, openHoursOf, peakLent, termOn } from './inventory-rows.js';
import type { FacilityCreate, FacilityQuery, FacilityUpdate, OpenHourIn } from './schema.js';

export { closureOut, equipmentOut } from './inventory-rows.js';

export type FacilityRow = FacilitiesTable;

/** The summary of a facility; names from the directory. */
export function toSummary(r: FacilityRow, org: OrgSnapshot, distanceKm: number | null = null) {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    subject: r.subject,
    capacity: r.capacity,
    location: r.location,
    schoolId: r.school_id,
    schoolName: r.school_id ? (org.school(r.school_id)?.name ?? null) : null,
    partnerId: r.partner_id,
    partnerName: r.partner_id ? (org.partner(r.partner_id)?.name ?? null) : null,
    regionId: r.region_id,
    policy: r.policy,
    communityOpen: r.community_open === 1,
    status: r.status,
    distanceKm: distanceKm == null ? null : Math.round(distanceKm * 10) / 10,
  };
}

/** Where a school lies (null when unknown). */
function coordinates(org: OrgSnapshot, schoolId: string | null): { lat: number; lng: number } | null {
  const s = schoolId ? org.school(schoolId) : undefined;
  return s?.lat != null && s.lng != null ? { lat: s.lat, lng: s.lng } : null;
}

export class FacilityService {
  readonly dir: Directory;
  constructor(private readonly database: Database) {
    this.dir = directoryOf(database);
  }
  private get db(): Db {
    return this.database.db;
  }

  // ---- access (shared with the booking services) -----------------------------------------------

  /**
   * The facility if the actor may see it, with its owner's alliances; "not found" otherwise. Inside a
   * transaction pass the snapshot taken before it (`org`).
   */
  async getVisible(ctx: Ctx, id: string, db: Db | Tx = this.db, org?: OrgSnapshot) {
    org ??= await this.dir.current();
    const { actor } = ctx;
    const row = await db.selectFrom('facilities').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('facility');
    const alliances = ownerAlliances(org, row);
    if (!canReadFacility(actor, row, alliances)) throw notFound('facility');
    return { row, alliances, org };
  }

  async getManageable(ctx: Ctx, id: string, db: Db | Tx = this.db, org?: OrgSnapshot) {
    const v = await this.getVisible(ctx, id, db, org);
    if (!canManageFacility(ctx.actor, v.row)) throw forbidden();
    return v;
  }

  openHours(db: Db | Tx, facilityId: string) {
    return openHoursOf(db, facilityId);
  }

  /** Closures of the facility and of its school that end on or after `fromDate`. */
  closures(db: Db | Tx, f: Pick<FacilityRow, 'id' | 'school_id'>, fromDate: string, toDate?: string) {
    return closuresOf(db, f, fromDate, toDate);
  }

  /** The term of the school that holds the date (the default end of a weekly series). */
  termOn(db: Db | Tx, schoolId: string | null, date: string) {
    return termOn(db, schoolId, date);
  }

  /** The largest quantity lent at any moment of [fromMs, toMs) (holding loans). */
  peakLent(db: Db | Tx, equipmentId: string, fromMs: number, toMs: number): Promise<number> {
    return peakLent(db, equipmentId, fromMs, toMs);
  }

  /** A piece of equipment with its facility, if the actor may see (manage: manage) it; "not found" otherwise. */
  async getEquipment(ctx: Ctx, id: string, manage: boolean, db: Db | Tx = this.db, org?: OrgSnapshot) {
    const e = await db.selectFrom('equipment').selectAll().where('id', '=', id).executeTakeFirst();
    if (!e?.facility_id) throw notFound('equipment');
    try {
      const f = manage ? await this.getManageable(ctx, e.facility_id, db, org) : await this.getVisible(ctx, e.facility_id, db, org);
      return { e, facility: f.row, alliances: f.alliances };
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound('equipment');
      throw err;
    }
  }

  // ---- list & detail ---------------------------------------------------------------------------

  /** Restricts `facilities as f` to what the actor may see (policy scopes; the directory lists the alliances' schools). */
  private scope(actor: Actor, org: OrgSnapshot) {
    const read = facilityReadScope(actor, org);
    const community = communityScope(actor);
    return (eb: ExpressionBuilder<DB & { f: FacilitiesTable }, 'f'>) => {
      const ors: Expression<SqlBool>[] = [inScope(eb, read, { regions: 'f.region_id', schools: 'f.school_id', partners: 'f.partner_id' })];
      if (!community.all && community.regions?.size) {
        ors.push(eb.and([eb('f.community_open', '=', 1), inScope(eb, community, { regions: 'f.region_id' })]));
      }
      return ors.length === 1 ? ors[0]! : eb.or(ors);
    };
  }

  /** Two statements (count and page; the distance sort: one), plus the directory's cached snapshot. */
  async list(ctx: Ctx, q: z.infer<typeof FacilityQuery>) {
    const { actor } = ctx;
    const org = await this.dir.current();
    let qb = this.db.selectFrom('facilities as f');
    if (!actor.isPlatformAdmin) qb = qb.where(this.scope(actor, org));
    if (q.type) qb = qb.where('f.type', '=', q.type);
    if (q.subject) qb = qb.where('f.subject', '=', q.subject);
    if (q.schoolId) qb = qb.where('f.school_id', '=', q.schoolId);
    if (q.partnerId) qb = qb.where('f.partner_id', '=', q.partnerId);
    if (q.communityOpen) qb = qb.where('f.community_open', '=', Number(q.communityOpen));
    if (q.allianceId) {
      const scope = { all: false as const, schools: new Set(org.schoolsOf(q.allianceId)), partners: new Set(org.partnersOf(q.allianceId)) };
      qb = qb.where((eb) => inScope(eb, scope, { schools: 'f.school_id', partners: 'f.partner_id' }));
    }
    if (q.q) {
      const text = q.q;
      qb = qb.where((eb) => eb.or([containsText(this.database.dialect, 'f.name', text), containsText(this.database.dialect, 'f.location', text)]));
    }
    if (q.freeFrom || q.freeTo) qb = freeBetween(qb, q.freeFrom, q.freeTo);
    const cols = qb.selectAll('f');
    if (q.nearSchoolId) {
      if (!org.school(q.nearSchoolId)) throw badRequest([{ field: 'query.nearSchoolId', code: 'not_found' }]);
      const near = coordinates(org, q.nearSchoolId);
      const rows = await cols.execute();
      const withD = rows.map((r) => {
        const at = coordinates(org, r.school_id);
        return { r, d: near && at ? haversineKm(near.lat, near.lng, at.lat, at.lng) : null };
      });
      withD.sort((a, b) => (a.d ?? Infinity) - (b.d ?? Infinity) || a.r.name.localeCompare(b.r.name));
      const page = withD.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
      return { items: page.map((x) => toSummary(x.r, org, x.d)), total: rows.length, page: q.page, pageSize: q.pageSize };
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
    return { items: rows.map((r) => toSummary(r, org)), total: Number(total), page: q.page, pageSize: q.pageSize };
  }

  async detail(ctx: Ctx, id: string) {
    const { actor } = ctx;
    const { row, alliances, org } = await this.getVisible(ctx, id);
    const [hours, closures, equipment] = await Promise.all([
      openHoursOf(this.db, id),
      closuresOf(this.db, row, localDate(ctx.now)),
      this.db.selectFrom('equipment').selectAll().where('facility_id', '=', id).orderBy('name').execute(),
    ]);
    const allianceRows = alliances.flatMap((a) => {
      const al = org.alliance(a);
      return al ? [{ id: al.id, name: al.name }] : [];
    });
    allianceRows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      ...toSummary(row, org),
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
      canManage: canManageFacility(actor, row),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  // ---- create & update -------------------------------------------------------------------------

  async create(ctx: Ctx, input: z.infer<typeof FacilityCreate>) {
    const { actor } = ctx;
    if ((input.schoolId == null) === (input.partnerId == null)) {
      throw badRequest([
        { field: input.schoolId ? 'partnerId' : 'schoolId', code: 'invalid', params: { reason: '请指定所属学校或合作方之一 / give exactly one owner' } },
      ]);
    }
    const org = await this.dir.current();
    let regionId: string;
    if (input.schoolId) {
      const school = org.school(input.schoolId);
      if (!school) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
      regionId = school.regionId;
    } else {
      const partner = org.partner(input.partnerId!);
      if (!partner) throw badRequest([{ field: 'partnerId', code: 'not_found' }]);
      regionId = partner.regionId;
    }
    const owner = { region_id: regionId, school_id: input.schoolId ?? null, partner_id: input.partnerId ?? null };
    if (!canCreateFacility(actor, { regionId, schoolId: owner.school_id, partnerId: owner.partner_id })) {
      throw badRequest([{ field: input.schoolId ? 'schoolId' : 'partnerId', code: 'out_of_scope' }]);
    }
    const p = { ...DEFAULT_POLICY, ...stripUndef(input) };
    if (p.maxMinutes < p.minMinutes) throw badRequest([{ field: 'maxMinutes', code: 'too_small', params: { min: p.minMinutes } }]);
    const id = newId();
    const now = ctx.now.toISOString();
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
      await writeHours(tx, id, hours);
      await audit(tx, ctx, {
        action: 'facility.create',
        entityType: 'facility',
        entityId: id,
        regionId,
        schoolId: owner.school_id,
        detail: { name: input.name, type: input.type },
      });
    });
    return this.detail(ctx, id);
  }

  async update(ctx: Ctx, id: string, input: z.infer<typeof FacilityUpdate>) {
    const { row } = await this.getManageable(ctx, id);
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
        .set({ ...patch, updated_at: ctx.now.toISOString() })
        .where('id', '=', id)
        .execute();
      await audit(tx, ctx, {
        action: 'facility.update',
        entityType: 'facility',
        entityId: id,
        regionId: row.region_id,
        schoolId: row.school_id,
        detail: changes({ ...row }, patch),
      });
    });
    return this.detail(ctx, id);
  }

  async putOpenHours(ctx: Ctx, id: string, hours: z.infer<typeof OpenHourIn>[]) {
    const { row } = await this.getManageable(ctx, id);
    await this.db.transaction().execute(async (tx) => {
      await writeHours(tx, id, hours);
      await audit(tx, ctx, {
        action: 'facility.open_hours',
        entityType: 'facility',
        entityId: id,
        regionId: row.region_id,
        schoolId: row.school_id,
        detail: { hours },
      });
    });
    return openHoursOf(this.db, id);
  }
}

async function writeHours(tx: Tx, facilityId: string, hours: z.infer<typeof OpenHourIn>[]) {
  await tx.deleteFrom('facility_open_hours').where('facility_id', '=', facilityId).execute();
  if (hours.length) {
    await tx
      .insertInto('facility_open_hours')
      .values(hours.map((h) => ({ id: newId(), facility_id: facilityId, weekday: h.weekday, open: h.open, close: h.close })))
      .execute();
  }
}

type FacilityQb = ReturnType<typeof listBase>;
function listBase(db: Db) {
  return db.selectFrom('facilities as f');
}

/** Only active facilities free over [freeFrom, freeTo): open then, not closed, no holding booking. */
function freeBetween(qb: FacilityQb, freeFrom: string | undefined, freeTo: string | undefined): FacilityQb {
  if (!freeFrom || !freeTo) throw badRequest([{ field: freeFrom ? 'query.freeTo' : 'query.freeFrom', code: 'required' }]);
  const from = Date.parse(freeFrom);
  const to = Date.parse(freeTo);
  if (!(to > from)) throw badRequest([{ field: 'query.freeTo', code: 'end_before_start' }]);
  const s = localParts(from);
  const e = localParts(to);
  const endHm = e.date === s.date ? formatHm(e.minutes) : '24:00';
  return qb
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

export function stripUndef<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
