/**
 * Regions (教育行政区): province › city › county with their GB/T 2260 codes. The first-run path of a new
 * installation: the HTTP API, the Excel import and the CLI (`xiaolian region …`) all call this service with
 * a `Ctx`, never a request. The list and the region trees come from the organization directory.
 *
 * Scope (`../policy.ts`, mayManageRegionUnder): the platform admin anywhere (a province is top-level, so
 * only the platform admin creates one); a bureau admin only strictly below its own region — it may add,
 * rename and delete the regions under the region it administers, never that region itself. The operator
 * at the server's command line acts as the installation (`systemCtx`), as shell access already allows.
 */
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../../db/index.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../../db/index.js';
import type { RegionsTable } from '../../../db/schema.js';
import { audit, changes } from '../../../platform/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound, type RawFieldError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { directoryOf, type OrgSnapshot, type RegionRef } from '../directory.js';
import { mayManageRegionUnder, readableRegion } from '../policy.js';
import { codeProblems, levelOf, type ParentRef, type RegionLevel } from './codes.js';
import type { RegionCreate, RegionOut, RegionUpdate } from './schema.js';

export type RegionOutT = z.infer<typeof RegionOut>;
const CODE_PATTERN: Record<RegionLevel, string> = { province: 'PP0000', city: 'PPCC00', district: 'PPCCXX' };

/** The same rule over the directory's snapshot (no statement). */
const mayManage = (org: OrgSnapshot, ctx: Ctx, parentId: string | null) =>
  mayManageRegionUnder(ctx.actor, parentId, parentId ? org.regionsAbove([parentId]) : new Set());

/** Inserts one region row and its audit entry (create, import), inside the caller's transaction. */
export async function insertRegion(tx: Tx, ctx: Ctx, row: RegionsTable, detail: Record<string, unknown> = {}) {
  await tx.insertInto('regions').values(row).execute();
  await audit(tx, ctx, {
    action: 'region.create',
    entityType: 'region',
    entityId: row.id,
    regionId: row.id,
    detail: { code: row.code, name: row.name, level: row.level, parentId: row.parent_id, ...detail },
  });
}

export class RegionService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }

  /** Locks one region row until the transaction ends (PostgreSQL; SQLite's write transaction already serializes). */
  private async lock(tx: Tx, id: string) {
    let q = tx.selectFrom('regions').selectAll().where('id', '=', id);
    if (this.database.dialect === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  private get directory() {
    return directoryOf(this.database);
  }

  /** From the directory's snapshot alone: no statement. */
  async list(ctx: Ctx): Promise<RegionOutT[]> {
    const org = await this.directory.current();
    const alliances = new Map<string, number>();
    for (const al of org.allAlliances()) alliances.set(al.regionId, (alliances.get(al.regionId) ?? 0) + 1);
    return [...org.allRegions()]
      .filter((r) => readableRegion(ctx.actor, r.id))
      .sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0))
      .map((r) => refOut(r, org.schoolsInRegion(r.id).length, alliances.get(r.id) ?? 0));
  }

  /** One region with its counts, after a change (the actor's scope may predate the region). */
  private async one(id: string): Promise<RegionOutT> {
    this.directory.invalidate();
    const org = await this.directory.current();
    const r = org.region(id);
    if (!r) throw notFound('region');
    let alliances = 0;
    for (const al of org.allAlliances()) if (al.regionId === id) alliances++;
    return refOut(r, org.schoolsInRegion(id).length, alliances);
  }

  private async load(ctx: Ctx, id: string): Promise<RegionsTable> {
    const row = await this.db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !readableRegion(ctx.actor, row.id)) throw notFound('region');
    return row;
  }

  async byCode(code: string): Promise<RegionsTable | undefined> {
    return this.db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async create(ctx: Ctx, input: z.infer<typeof RegionCreate>): Promise<RegionOutT> {
    const org = await this.directory.current();
    const parentId = input.parentId ?? null;
    let parent: RegionRef | undefined;
    if (parentId) {
      parent = org.region(parentId);
      if (!parent || !readableRegion(ctx.actor, parent.id)) throw badRequest([{ field: 'parentId', code: 'not_found' }]);
    }
    if (!mayManage(org, ctx, parentId)) throw forbidden();
    const problems = codeProblems(input.code, parent ? parentRef(parent) : null);
    if (problems.length) throw badRequest(problems);
    const row: RegionsTable = {
      id: newId(),
      parent_id: parentId,
      level: levelOf(input.code)!,
      code: input.code,
      name: input.name,
      created_at: ctx.now.toISOString(),
    };
    try {
      await this.db.transaction().execute(async (tx) => {
        if (parent) {
          // the parent must still be there with the code the new one was checked against
          const now = await this.lock(tx, parent.id);
          if (!now) throw badRequest([{ field: 'parentId', code: 'not_found' }]);
          if (now.code !== parent.code) throw conflict('上级区域的代码刚被修改，请刷新后重试');
        }
        await this.checkSiblingName(tx, parentId, input.name, null);
        await insertRegion(tx, ctx, row);
      });
    } catch (err) {
      throw mapDbError(err);
    }
    return this.one(row.id);
  }

  async update(ctx: Ctx, id: string, input: z.infer<typeof RegionUpdate>): Promise<RegionOutT> {
    const org = await this.directory.current();
    const before = await this.load(ctx, id);
    if (!mayManage(org, ctx, before.parent_id)) throw forbidden();
    const level = before.level as RegionLevel;
    if (input.code !== undefined && input.code !== before.code) {
      if (levelOf(input.code) !== level) {
        const fields: RawFieldError[] = [
          levelOf(input.code) ? { field: 'code', code: 'region_code_level', params: { pattern: CODE_PATTERN[level] } } : { field: 'code', code: 'region_code' },
        ];
        throw badRequest(fields);
      }
      const parent = before.parent_id ? org.region(before.parent_id) : undefined;
      const problems = codeProblems(input.code, parent ? parentRef(parent) : null);
      if (problems.length) throw badRequest(problems);
    }
    const patch: Partial<RegionsTable> = {};
    if (input.code !== undefined && input.code !== before.code) patch.code = input.code;
    if (input.name !== undefined && input.name !== before.name) patch.name = input.name;
    if (Object.keys(patch).length === 0) return this.one(id);
    try {
      await this.db.transaction().execute(async (tx) => {
        const cur = await this.lock(tx, id);
        if (!cur) throw notFound('region');
        if (patch.code) {
          const child = await tx.selectFrom('regions').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
          if (child) throw new AppError(409, 'region_code_locked', { name: cur.name });
        }
        if (patch.name) await this.checkSiblingName(tx, cur.parent_id, patch.name, id);
        // compare-and-set on what was checked
        const res = await tx
          .updateTable('regions')
          .set(patch)
          .where('id', '=', id)
          .where('code', '=', before.code)
          .where('name', '=', before.name)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw conflict('该区域刚被他人修改，请刷新后重试');
        await audit(tx, ctx, {
          action: 'region.update',
          entityType: 'region',
          entityId: id,
          regionId: id,
          detail: changes(before as never, patch as never),
        });
      });
    } catch (err) {
      throw mapDbError(err);
    }
    return this.one(id);
  }

  /** Deletes an empty region: no sub-regions, schools, alliances, partners, users or grants on it. */
  async remove(ctx: Ctx, id: string): Promise<void> {
    const org = await this.directory.current();
    const row = await this.load(ctx, id);
    if (!mayManage(org, ctx, row.parent_id)) throw forbidden();
    try {
      await this.db.transaction().execute(async (tx) => {
        const cur = await this.lock(tx, id);
        if (!cur) throw notFound('region');
        const count = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0);
        const children = await count(
          tx
            .selectFrom('regions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('parent_id', '=', id)
            .executeTakeFirst(),
        );
        const schools = await count(
          tx
            .selectFrom('schools')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('region_id', '=', id)
            .executeTakeFirst(),
        );
        const others =
          (await count(
            tx
              .selectFrom('alliances')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('region_id', '=', id)
              .executeTakeFirst(),
          )) +
          (await count(
            tx
              .selectFrom('partners')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('region_id', '=', id)
              .executeTakeFirst(),
          )) +
          (await count(
            tx
              .selectFrom('users')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('region_id', '=', id)
              .executeTakeFirst(),
          )) +
          (await count(
            tx
              .selectFrom('role_grants')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('scope_type', '=', 'region')
              .where('scope_id', '=', id)
              .executeTakeFirst(),
          ));
        if (children + schools + others > 0) throw new AppError(409, 'region_in_use', { name: cur.name, children, schools, others });
        await tx.deleteFrom('regions').where('id', '=', id).execute();
        await audit(tx, ctx, {
          action: 'region.delete',
          entityType: 'region',
          entityId: id,
          regionId: cur.parent_id,
          detail: { code: cur.code, name: cur.name, level: cur.level, parentId: cur.parent_id },
        });
      });
    } catch (err) {
      // anything else still pointing at the region (facilities, resources…): the foreign keys refuse
      if (isForeignKeyViolation(err)) throw new AppError(409, 'region_in_use', { name: row.name, children: 0, schools: 0, others: 1 });
      throw mapDbError(err);
    }
    this.directory.invalidate();
  }

  /** Two regions under one parent never share a name (提示 duplicate on `name`). */
  private async checkSiblingName(tx: Tx, parentId: string | null, name: string, self: string | null) {
    let q = tx.selectFrom('regions').select('id').where('name', '=', name);
    q = parentId ? q.where('parent_id', '=', parentId) : q.where('parent_id', 'is', null);
    if (self) q = q.where('id', '!=', self);
    if (await q.limit(1).executeTakeFirst()) throw new AppError(409, 'duplicate', { field: '区域名称' }, [{ field: 'name', code: 'duplicate' }]);
  }
}

export function parentRef(r: Pick<RegionsTable, 'code' | 'level'>): ParentRef {
  return { code: r.code, level: r.level as RegionLevel };
}

export const refOut = (r: RegionRef, schoolCount: number, allianceCount: number): RegionOutT => ({
  id: r.id,
  parentId: r.parentId,
  level: r.level as RegionLevel,
  code: r.code,
  name: r.name,
  schoolCount,
  allianceCount,
});

export function toOut(r: RegionsTable, schoolCount = 0, allianceCount = 0): RegionOutT {
  return { id: r.id, parentId: r.parent_id, level: r.level as RegionLevel, code: r.code, name: r.name, schoolCount, allianceCount };
}

export function mapDbError(err: unknown): unknown {
  if (isUniqueViolation(err)) return new AppError(409, 'duplicate', { field: '区域代码' }, [{ field: 'code', code: 'duplicate' }]);
  if (isForeignKeyViolation(err)) return badRequest([{ field: 'parentId', code: 'not_found' }]);
  return err;
}
