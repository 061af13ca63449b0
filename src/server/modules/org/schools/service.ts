import type { FastifyRequest } from 'fastify';
import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { z } from 'zod';
import type { Database, Db } from '../../../db/index.js';
import { containsText, fromJson, isUniqueViolation, nowIso, toJson } from '../../../db/index.js';
import type { DB, SchoolsTable } from '../../../db/schema.js';
import { audit, changes } from '../../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound, type RawFieldError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { policy, regionDescendants, type Actor } from '../../../platform/policy.js';
import { computeIndicators } from '../../../../common/org.js';
import { LOCATIONS, OPEN_APPLICATION_STATUSES, SCHOOL_TAGS } from '../../../../common/vocab.js';
import type { IndicatorInput, SchoolCreate, SchoolQuery, SchoolUpdate } from './schema.js';

type Row = SchoolsTable & { region_name: string };

/**
 * 薄弱校 / 农村校 (and the 村 location, which counts as rural) drive the extra credit grants and the
 * equity statistics: only the bureau of the region (or the platform) sets or clears them, never the
 * school itself. Throws 400 naming the field.
 */
const RESERVED_TAGS = ['weak', 'rural'] as const;
function reservedTagsUnchanged(actor: Actor, row: Pick<SchoolsTable, 'tags' | 'location' | 'region_id'>, input: { tags?: string[]; location?: string }) {
  if (actor.isPlatformAdmin || actor.bureauRegions.has(row.region_id)) return;
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
  r: Pick<Row, 'id' | 'code' | 'name' | 'type' | 'ownership' | 'location' | 'tags' | 'region_id' | 'region_name' | 'students' | 'teachers'>,
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
    regionName: r.region_name,
    students: r.students,
    teachers: r.teachers,
  };
}

/** Restricts a query over `schools as s` to what the actor may read. */
export function scopeSchools<O>(qb: SelectQueryBuilder<DB & { s: SchoolsTable }, 's' | any, O>, actor: Actor) {
  if (actor.isPlatformAdmin) return qb;
  return qb.where((eb: ExpressionBuilder<any, any>) => {
    const ors = [];
    if (actor.readRegions.size) ors.push(eb('s.region_id', 'in', [...actor.readRegions]));
    if (actor.schools.size) ors.push(eb('s.id', 'in', [...actor.schools]));
    if (actor.memberAlliances.size) {
      ors.push(
        eb(
          's.id',
          'in',
          eb
            .selectFrom('alliance_members as m')
            .select('m.school_id')
            .where('m.alliance_id', 'in', [...actor.memberAlliances])
            .where('m.status', '=', 'active'),
        ),
      );
    }
    return ors.length ? eb.or(ors) : eb.lit(false);
  });
}

const fieldLabels: Record<string, string> = { code: '学校标识码', credit_code: '统一社会信用代码' };

export class SchoolService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }

  async list(actor: Actor, q: z.infer<typeof SchoolQuery>) {
    let qb = this.db.selectFrom('schools as s');
    const within = q.regionId ? await regionDescendants(this.db, [q.regionId]) : null;
    // an unknown region holds no schools (and `in ()` is not SQL)
    if (within && within.size === 0) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    // a region filter that lies wholly inside the actor's regions is already the scope
    const covered = within !== null && [...within].every((id) => actor.readRegions.has(id));
    if (!covered) qb = scopeSchools(qb, actor);
    if (within) qb = qb.where('s.region_id', 'in', [...within]);
    if (q.type) qb = qb.where('s.type', '=', q.type);
    if (q.location) qb = qb.where('s.location', '=', q.location);
    if (q.tag) qb = qb.where(containsText(this.database.dialect, 's.tags', `"${q.tag}"`));
    if (q.allianceId) {
      const aid = q.allianceId;
      qb = qb.where('s.id', 'in', (eb) =>
        eb.selectFrom('alliance_members as m').select('m.school_id').where('m.alliance_id', '=', aid).where('m.status', '=', 'active'),
      );
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
        .innerJoin('regions as r', 'r.id', 's.region_id')
        .select([
          's.id',
          's.code',
          's.name',
          's.type',
          's.ownership',
          's.location',
          's.tags',
          's.region_id',
          's.students',
          's.teachers',
          'r.name as region_name',
        ])
        .where('s.id', 'in', pageIds)
        .orderBy('s.region_id')
        .orderBy('s.code')
        .execute(),
    ]);
    return { items: rows.map(toSummary), total: Number(total), page: q.page, pageSize: q.pageSize };
  }

  /** All rows of a filter, for Excel export (bounded). */
  async listAll(actor: Actor, q: Omit<z.infer<typeof SchoolQuery>, 'page' | 'pageSize'>, limit: number) {
    return (await this.list(actor, { ...q, page: 1, pageSize: limit })).items;
  }

  async alliancesOf(schoolId: string) {
    return this.db
      .selectFrom('alliance_members as m')
      .innerJoin('alliances as a', 'a.id', 'm.alliance_id')
      .select(['a.id', 'a.name', 'a.kind', 'm.role'])
      .where('m.school_id', '=', schoolId)
      .where('m.status', '=', 'active')
      .execute();
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

  /** The school if the actor may read it; "not found" otherwise. */
  async getVisible(actor: Actor, id: string) {
    const row = await this.db
      .selectFrom('schools as s')
      .innerJoin('regions as r', 'r.id', 's.region_id')
      .selectAll('s')
      .select('r.name as region_name')
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('school');
    const alliances = await this.alliancesOf(id);
    if (
      !policy.readSchool(
        actor,
        row,
        alliances.map((a) => a.id),
        await this.openApplicationsTo(actor, id),
      )
    )
      throw notFound('school');
    return { row, alliances };
  }

  async detail(actor: Actor, id: string) {
    const { row, alliances } = await this.getVisible(actor, id);
    const indicators = await this.indicators(id);
    return {
      ...toSummary(row),
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
      alliances: alliances.map((a) => ({ id: a.id, name: a.name, kind: a.kind as 'fusion', role: a.role })),
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

  async create(req: FastifyRequest, actor: Actor, input: z.infer<typeof SchoolCreate>) {
    const region = await this.db.selectFrom('regions').select(['id', 'level']).where('id', '=', input.regionId).executeTakeFirst();
    if (!region || !policy.readRegion(actor, region.id)) {
      throw new AppError(400, 'validation_failed', {}, [{ field: 'regionId', code: 'not_found' }]);
    }
    if (!policy.createSchool(actor, region.id)) throw forbidden();
    const id = newId();
    const now = nowIso();
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('schools')
          .values(toRow(id, input, now))
          .execute();
        await audit(tx, req, {
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
    return this.detail(actor, id);
  }

  async update(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof SchoolUpdate>) {
    const { row } = await this.getVisible(actor, id);
    if (!policy.updateSchool(actor, row)) throw forbidden();
    reservedTagsUnchanged(actor, row, input);
    const patch = toPatch(input);
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .updateTable('schools')
          .set({ ...patch, updated_at: nowIso() })
          .where('id', '=', id)
          .execute();
        await audit(tx, req, {
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
    return this.detail(actor, id);
  }

  async putIndicators(req: FastifyRequest, actor: Actor, id: string, year: number, input: z.infer<typeof IndicatorInput>) {
    const { row } = await this.getVisible(actor, id);
    if (!policy.updateSchool(actor, row)) throw forbidden();
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
      updated_at: nowIso(),
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
      await audit(tx, req, {
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

export type SchoolServiceT = SchoolService;
