/**
 * Schools: the directory of schools with their data and yearly resource indicators. Who reads and changes
 * a school is `../policy.ts`; region names and alliances come from the organization directory's snapshot
 * (no join to regions, no recursive query): `GET /api/schools` is one count and one page.
 */
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../../db/index.js';
import { containsText, fromJson, isUniqueViolation, toJson } from '../../../db/index.js';
import type { SchoolsTable } from '../../../db/schema.js';
import type { Actor } from '../../../platform/actor.js';
import { audit, changes } from '../../../platform/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, badRequest, forbidden, notFound, type RawFieldError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { inScope } from '../../../platform/scope.js';
import { computeIndicators } from '../../../../common/org.js';
import { type ALLIANCE_KINDS, LOCATIONS, OPEN_APPLICATION_STATUSES, SCHOOL_TAGS } from '../../../../common/vocab.js';
import { directoryOf, type OrgSnapshot } from '../directory.js';
import { orgPolicy, schoolReadScope } from '../policy.js';
import type { IndicatorInput, SchoolCreate, SchoolQuery, SchoolUpdate } from './schema.js';

type AllianceKind = (typeof ALLIANCE_KINDS.codes)[number];

/**
 * 薄弱校 / 农村校 (and the 村 location, which counts as rural) drive the extra credit grants and the
 * equity statistics: only the bureau of the region (or the platform) sets or clears them, never the
 * school itself. Throws 400 naming the field.
 */
const RESERVED_TAGS = ['weak', 'rural'] as const;
function reservedTagsUnchanged(actor: Actor, row: Pick<SchoolsTable, 'id' | 'tags' | 'location' | 'region_id'>, input: { tags?: string[]; location?: string }) {
  if (orgPolicy.setReservedSchoolTags(actor, row)) return;
  const fields: RawFieldError[] = [];
  const before = fromJson<string[]>(row.tags, []);
  if (input.tags) {
    const tags = input.tags;
    for (const t of RESERVED_TAGS)
      if (before.includes(t) !== tags.includes(t)) fields.push({ field: 'tags', code: 'tag_reserved', params: { tag: SCHOOL_TAGS.label(t) } });
  }
  if (input.location !== undefined && (input.location === 'village') !== (row.location === 'village')) {
    fields.push({ field: 'location', code: 'tag_reserved', params: { tag: LOCATIONS.label('village') } });
  }
  if (fields.length) throw badRequest(fields);
}

export function toSummary(
  r: Pick<SchoolsTable, 'id' | 'code' | 'name' | 'type' | 'ownership' | 'location' | 'tags' | 'region_id' | 'students' | 'teachers'>,
  org: OrgSnapshot,
) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    ownership: r.ownership,
    location: r.location,
    tags: fromJson<string[]>(r.tags, []),
    regionId: r.region_id,
    regionName: org.region(r.region_id)?.name ?? '',
    students: r.students,
    teachers: r.teachers,
  };
}

const fieldLabels: Record<string, string> = { code: '学校标识码', credit_code: '统一社会信用代码' };

export class SchoolService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }
  private get directory() {
    return directoryOf(this.database);
  }

  /** One count and one page; the scope, region tree, alliance's schools and region names come from the snapshot. */
  async list(ctx: Ctx, q: z.infer<typeof SchoolQuery>) {
    const { actor } = ctx;
    const org = await this.directory.current();
    const empty = { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    const within = q.regionId ? org.regionsUnder([q.regionId]) : null;
    // an unknown region holds no schools (and `in ()` is not SQL)
    if (within && within.size === 0) return empty;
    let qb = this.db.selectFrom('schools as s');
    // a region filter that lies wholly inside the actor's regions is already the scope
    const covered = within !== null && [...within].every((id) => actor.readRegions.has(id));
    if (!covered) {
      const scope = schoolReadScope(actor, org);
      qb = qb.where((eb) => inScope(eb, scope, { regions: 's.region_id', schools: 's.id' }));
    }
    if (within) qb = qb.where('s.region_id', 'in', [...within]);
    if (q.type) qb = qb.where('s.type', '=', q.type);
    if (q.location) qb = qb.where('s.location', '=', q.location);
    if (q.tag) qb = qb.where(containsText(this.database.dialect, 's.tags', `"${q.tag}"`));
    if (q.allianceId) {
      const members = org.schoolsOf(q.allianceId);
      if (members.length === 0) return empty;
      qb = qb.where('s.id', 'in', members);
    }
    if (q.q) {
      const text = q.q;
      qb = qb.where((eb) => eb.or([containsText(this.database.dialect, 's.name', text), eb('s.code', '=', text)]));
    }
    // the page's ids first (index order, nothing but the key read for skipped rows), then their columns
    const pageIds = qb
      .select('s.id')
      .orderBy('s.region_id')
      .orderBy('s.code')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize);
    // count and page at once (two pooled connections on PostgreSQL)
    const [{ total }, rows] = await Promise.all([
      qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      this.db
        .selectFrom('schools as s')
        .select(['s.id', 's.code', 's.name', 's.type', 's.ownership', 's.location', 's.tags', 's.region_id', 's.students', 's.teachers'])
        .where('s.id', 'in', pageIds)
        .orderBy('s.region_id')
        .orderBy('s.code')
        .execute(),
    ]);
    return { items: rows.map((r) => toSummary(r, org)), total: Number(total), page: q.page, pageSize: q.pageSize };
  }

  /** All rows of a filter, for Excel export (bounded). */
  async listAll(ctx: Ctx, q: Omit<z.infer<typeof SchoolQuery>, 'page' | 'pageSize'>, limit: number) {
    return (await this.list(ctx, { ...q, page: 1, pageSize: limit })).items;
  }

  /** The alliances the school is an active member of now, from the snapshot. */
  alliancesOf(org: OrgSnapshot, schoolId: string) {
    return org.alliancesOfSchool(schoolId).map((id) => {
      const a = org.alliance(id);
      return { id, name: a?.name ?? '', kind: (a?.kind ?? 'fusion') as AllianceKind, role: org.membership(id, schoolId)?.role ?? 'member' };
    });
  }

  /** Alliances administered by the actor that the school has an open application to. */
  private async openApplicationsTo(actor: Actor, schoolId: string): Promise<string[]> {
    if (!actor.adminAlliances.size) return [];
    const rows = await this.db
      .selectFrom('membership_applications')
      .select('alliance_id')
      .where('school_id', '=', schoolId)
      .where('status', 'in', OPEN_APPLICATION_STATUSES)
      .where('alliance_id', 'in', [...actor.adminAlliances])
      .execute();
    return rows.map((r) => r.alliance_id);
  }

  /** Whether the actor reads the school: from the snapshot, and only when that does not decide, its open applications. */
  private async readable(actor: Actor, row: Pick<SchoolsTable, 'id' | 'region_id'>, alliances: readonly string[]): Promise<boolean> {
    if (orgPolicy.readSchool(actor, row, alliances)) return true;
    return orgPolicy.readSchool(actor, row, alliances, await this.openApplicationsTo(actor, row.id));
  }

  /** The school if the actor may read it; "not found" otherwise. */
  async getVisible(ctx: Ctx, id: string, org?: OrgSnapshot) {
    const snap = org ?? (await this.directory.current());
    const row = await this.db.selectFrom('schools').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('school');
    const alliances = this.alliancesOf(snap, id);
    if (
      !(await this.readable(
        ctx.actor,
        row,
        alliances.map((a) => a.id),
      ))
    )
      throw notFound('school');
    return { row, alliances, org: snap };
  }

  /** Two statements: the school's row and its indicators (read together; the indicators are dropped unless the school is readable). */
  async detail(ctx: Ctx, id: string) {
    const org = await this.directory.current();
    const [{ row, alliances }, indicators] = await Promise.all([this.getVisible(ctx, id, org), this.indicators(id)]);
    return {
      ...toSummary(row, org),
      creditCode: row.credit_code,
      shortName: row.short_name,
      address: row.address,
      lat: row.lat,
      lng: row.lng,
      principal: row.principal,
      phone: row.phone,
      foundedYear: row.founded_year,
      classes: row.classes,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      alliances,
      indicators,
    };
  }

  async indicators(schoolId: string) {
    const rows = await this.db.selectFrom('school_indicators').selectAll().where('school_id', '=', schoolId).orderBy('year', 'desc').execute();
    return rows.map((r) => {
      const raw = {
        students: r.students,
        teachers: r.teachers,
        teachersAboveDegree: r.teachers_above_degree,
        keyTeachers: r.key_teachers,
        peArtTeachers: r.pe_art_teachers,
        teachingAreaM2: r.teaching_area_m2,
        sportsAreaM2: r.sports_area_m2,
        equipmentValueYuan: r.equipment_value_yuan,
        multimediaRooms: r.multimedia_rooms,
        books: r.books,
      };
      return { year: r.year, ...raw, computed: computeIndicators(raw), updatedAt: r.updated_at };
    });
  }

  async create(ctx: Ctx, input: z.infer<typeof SchoolCreate>) {
    const { actor } = ctx;
    const region = (await this.directory.current()).region(input.regionId);
    if (!region || !orgPolicy.readRegion(actor, region.id)) {
      throw new AppError(400, 'validation_failed', {}, [{ field: 'regionId', code: 'not_found' }]);
    }
    if (!orgPolicy.createSchool(actor, region.id)) throw forbidden();
    const id = newId();
    const now = ctx.now.toISOString();
    try {
      await this.db.transaction().execute(async (tx) => {
        await insertSchools(tx, [toRow(id, input, now)]);
        await audit(tx, ctx, {
          action: 'school.create',
          entityType: 'school',
          entityId: id,
          regionId: region.id,
          schoolId: id,
          detail: { name: input.name, code: input.code },
        });
      });
    } catch (err) {
      throw mapUnique(err);
    }
    this.directory.invalidate();
    return this.detail(ctx, id);
  }

  async update(ctx: Ctx, id: string, input: z.infer<typeof SchoolUpdate>) {
    const { actor } = ctx;
    const { row } = await this.getVisible(ctx, id);
    if (!orgPolicy.updateSchool(actor, row)) throw forbidden();
    reservedTagsUnchanged(actor, row, input);
    const patch = toPatch(input);
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .updateTable('schools')
          .set({ ...patch, updated_at: ctx.now.toISOString() })
          .where('id', '=', id)
          .execute();
        await audit(tx, ctx, {
          action: 'school.update',
          entityType: 'school',
          entityId: id,
          regionId: row.region_id,
          schoolId: id,
          detail: changes(row as never, patch as never),
        });
      });
    } catch (err) {
      throw mapUnique(err);
    }
    this.directory.invalidate();
    return this.detail(ctx, id);
  }

  async putIndicators(ctx: Ctx, id: string, year: number, input: z.infer<typeof IndicatorInput>) {
    const { actor } = ctx;
    const { row } = await this.getVisible(ctx, id);
    if (!orgPolicy.updateSchool(actor, row)) throw forbidden();
    const values = {
      students: input.students,
      teachers: input.teachers,
      teachers_above_degree: input.teachersAboveDegree,
      key_teachers: input.keyTeachers,
      pe_art_teachers: input.peArtTeachers,
      teaching_area_m2: input.teachingAreaM2,
      sports_area_m2: input.sportsAreaM2,
      equipment_value_yuan: input.equipmentValueYuan,
      multimedia_rooms: input.multimediaRooms,
      books: input.books,
      updated_by: actor.userId,
      updated_at: ctx.now.toISOString(),
    };
    const fields: RawFieldError[] = [];
    if (input.teachersAboveDegree > input.teachers) fields.push({ field: 'teachersAboveDegree', code: 'too_big', params: { max: input.teachers } });
    if (input.keyTeachers > input.teachers) fields.push({ field: 'keyTeachers', code: 'too_big', params: { max: input.teachers } });
    if (input.peArtTeachers > input.teachers) fields.push({ field: 'peArtTeachers', code: 'too_big', params: { max: input.teachers } });
    if (fields.length) throw new AppError(400, 'validation_failed', {}, fields);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('school_indicators')
        .values({ school_id: id, year, ...values })
        .onConflict((oc) => oc.columns(['school_id', 'year']).doUpdateSet(values))
        .execute();
      await audit(tx, ctx, {
        action: 'school.indicators',
        entityType: 'school',
        entityId: id,
        regionId: row.region_id,
        schoolId: id,
        detail: { year, ...input },
      });
    });
    return (await this.indicators(id)).find((i) => i.year === year)!;
  }
}

export function toRow(id: string, i: z.infer<typeof SchoolCreate>, now: string): SchoolsTable {
  return {
    id,
    region_id: i.regionId,
    code: i.code,
    credit_code: i.creditCode ?? null,
    name: i.name,
    short_name: i.shortName ?? null,
    type: i.type,
    ownership: i.ownership,
    location: i.location,
    tags: toJson(i.tags ?? []),
    address: i.address ?? null,
    lat: i.lat ?? null,
    lng: i.lng ?? null,
    principal: i.principal ?? null,
    phone: i.phone ?? null,
    founded_year: i.foundedYear ?? null,
    students: i.students ?? 0,
    teachers: i.teachers ?? 0,
    classes: i.classes ?? 0,
    created_at: now,
    updated_at: now,
  };
}

function toPatch(i: z.infer<typeof SchoolUpdate>): Partial<SchoolsTable> {
  const map: Record<string, keyof SchoolsTable> = {
    code: 'code',
    creditCode: 'credit_code',
    name: 'name',
    shortName: 'short_name',
    type: 'type',
    ownership: 'ownership',
    location: 'location',
    address: 'address',
    lat: 'lat',
    lng: 'lng',
    principal: 'principal',
    phone: 'phone',
    foundedYear: 'founded_year',
    students: 'students',
    teachers: 'teachers',
    classes: 'classes',
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(i)) {
    if (v === undefined) continue;
    if (k === 'tags') out.tags = toJson(v);
    else if (map[k]) out[map[k]] = v;
  }
  return out as Partial<SchoolsTable>;
}

export function mapUnique(err: unknown): unknown {
  if (!isUniqueViolation(err)) return err;
  const text = String((err as Error).message);
  const col = /credit_code/.test(text) ? 'credit_code' : 'code';
  const field = col === 'credit_code' ? 'creditCode' : 'code';
  return new AppError(409, 'duplicate', { field: fieldLabels[col] }, [{ field, code: 'duplicate' }]);
}

/** Inserts school rows: the one writer of the schools table (the schools API and the Excel import). Callers invalidate the directory after commit. */
export async function insertSchools(tx: Tx, rows: SchoolsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await tx
      .insertInto('schools')
      .values(rows.slice(i, i + 200))
      .execute();
}
