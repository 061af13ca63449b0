import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import { fromJson, toJson } from '../../db/index.js';
import type { ImportsTable, SchoolsTable } from '../../db/schema.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, fieldMessage, forbidden, notFound, type Lang, type RawFieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { hashPassword } from '../../platform/passwords.js';
import type { Ctx } from '../../platform/context.js';
import { inScope } from '../../platform/scope.js';
import { ROLE_SCOPE, type Role } from '../../../common/vocab.js';
import { initialPassword } from '../auth/service.js';
import { insertSchools, mapUnique, toRow as schoolRow } from '../org/schools/service.js';
import { duplicateAccount, newUserRow } from '../users/service.js';
import { directoryOf, type OrgSnapshot } from '../org/directory.js';
import { mayManageRegionUnder } from '../org/policy.js';
import { insertRegion, mapDbError as mapRegionError } from '../org/regions/service.js';
import { readTable } from './parse.js';
import { importReadScope, importRegions, importSchools, importUsers, seeImport, type Verdict } from './policy.js';
import { COLUMNS, type ImportKind, type ImportListQuery, type UploadQuery } from './schema.js';
import {
  checkRegions,
  checkSchools,
  checkUsers,
  mapTable,
  type CheckedRegion,
  type CheckedSchool,
  type CheckedUser,
  type RegionRef,
  type StoredRow,
  type Target,
} from './validate.js';

/** An uploaded file, read by the route (multipart) before the service sees it. */
export interface Upload {
  name: string;
  data: Buffer;
}

const verdict = (v: Verdict, what: 'region' | 'school') => {
  if (v === 'not_found') throw notFound(what);
  if (v === 'forbidden') throw forbidden();
};

/** Hashes with bounded parallelism (argon2 runs on the thread pool). */
async function mapLimit<T, R>(xs: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}

const inChunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export class ImportService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }

  // ---- scope -------------------------------------------------------------------------------------

  /**
   * Where the rows will go, if the actor may put them there: schools into a region of the bureau's scope,
   * users into a school the actor administers (school admin, or the bureau of the school's region),
   * regions below a region of the bureau's scope (the platform admin: anywhere, regionId optional).
   * Unknown or unreadable → 404; readable but not the actor's to change → 403.
   */
  private target(ctx: Ctx, org: OrgSnapshot, q: { kind: ImportKind; regionId?: string | null; schoolId?: string | null }): Target {
    const { actor } = ctx;
    if (q.kind === 'regions') {
      if (!q.regionId && !actor.isPlatformAdmin) throw badRequest([{ field: 'query.regionId', code: 'required' }]);
      verdict(importRegions(actor, org, q.regionId ?? null), 'region');
      return { kind: 'regions', regionId: q.regionId ?? null, schoolId: null };
    }
    if (q.kind === 'schools') {
      if (!q.regionId) throw badRequest([{ field: 'query.regionId', code: 'required' }]);
      verdict(importSchools(actor, org, q.regionId), 'region');
      return { kind: 'schools', regionId: q.regionId, schoolId: null };
    }
    if (!q.schoolId) throw badRequest([{ field: 'query.schoolId', code: 'required' }]);
    verdict(importUsers(actor, org, q.schoolId), 'school');
    return { kind: 'users', regionId: org.school(q.schoolId)!.regionId, schoolId: q.schoolId };
  }

  private regionsUnder(org: OrgSnapshot, regionId: string): RegionRef[] {
    return [...org.regionsUnder([regionId])].map((id) => {
      const r = org.region(id)!;
      return { id: r.id, code: r.code, name: r.name };
    });
  }

  private async check(db: Db, ctx: Ctx, org: OrgSnapshot, target: Target, raw: { row: number; values: StoredRow['values'] }[]) {
    if (target.kind === 'schools') return checkSchools(db, org, target, this.regionsUnder(org, target.regionId!), raw);
    if (target.kind === 'regions') {
      const within = target.regionId ? org.regionsUnder([target.regionId]) : null;
      const mayAddUnder = async (parentId: string | null) => mayManageRegionUnder(ctx.actor, parentId, parentId ? org.regionsAbove([parentId]) : new Set());
      return checkRegions(org, raw, mayAddUnder, within);
    }
    return checkUsers(db, target, raw);
  }

  /** The directory as it is now (a commit checks against the latest organization, not a cached one). */
  private async org(fresh = false): Promise<OrgSnapshot> {
    const dir = directoryOf(this.database);
    if (fresh) dir.invalidate();
    return dir.current();
  }

  private async load(ctx: Ctx, id: string): Promise<ImportsTable> {
    const row = await this.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !seeImport(ctx.actor, row)) throw notFound('import');
    return row;
  }

  // ---- output ------------------------------------------------------------------------------------

  private summary(i: ImportsTable) {
    return {
      id: i.id,
      kind: i.kind as ImportKind,
      status: i.status as 'previewed',
      fileName: i.file_name,
      regionId: i.region_id,
      schoolId: i.school_id,
      total: i.valid_count + i.invalid_count,
      validCount: i.valid_count,
      invalidCount: i.invalid_count,
      importedCount: i.imported_count,
      createdAt: i.created_at,
      createdBy: i.created_by,
    };
  }

  private out(i: ImportsTable, lang: Lang) {
    const kind = i.kind as ImportKind;
    const defs = COLUMNS[kind];
    const rows = fromJson<StoredRow[]>(i.rows, []);
    return {
      ...this.summary(i),
      columns: defs.map((d) => ({ key: d.key, label: lang === 'en' ? d.en : d.label })),
      rows: rows.map((r) => ({ row: r.row, valid: r.errors.length === 0, values: r.values, errors: r.errors.map((e) => localize(kind, e, lang)) })),
    };
  }

  // ---- operations --------------------------------------------------------------------------------

  /** Checks an uploaded file's rows and keeps them as a preview. `upload` reads the file once the target is allowed. */
  async preview(ctx: Ctx, q: z.infer<typeof UploadQuery>, upload: () => Promise<Upload>) {
    const org = await this.org();
    const target = this.target(ctx, org, q);
    const file = await upload();
    const table = await readTable(file.data, file.name);
    const raw = mapTable(q.kind, table);
    const { rows } = await this.check(this.db, ctx, org, target, raw);
    const invalid = rows.filter((r) => r.errors.length > 0).length;
    const rec: ImportsTable = {
      id: newId(),
      kind: q.kind,
      status: 'previewed',
      file_name: file.name,
      region_id: target.regionId,
      school_id: target.schoolId,
      rows: toJson(rows),
      valid_count: rows.length - invalid,
      invalid_count: invalid,
      imported_count: null,
      created_by: ctx.actor.userId,
      created_at: ctx.now.toISOString(),
      committed_at: null,
    };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('imports').values(rec).execute();
      await audit(tx, ctx, {
        action: 'import.preview',
        entityType: 'import',
        entityId: rec.id,
        regionId: rec.region_id,
        schoolId: rec.school_id,
        detail: { kind: rec.kind, fileName: rec.file_name, format: table.format, total: rows.length, invalid },
      });
    });
    return this.out(rec, ctx.lang);
  }

  async list(ctx: Ctx, q: z.infer<typeof ImportListQuery>) {
    const scope = importReadScope(ctx.actor);
    let qb = this.db.selectFrom('imports as i');
    if (!scope.all) qb = qb.where((eb) => inScope(eb, scope, { users: 'i.created_by', regions: 'i.region_id', schools: 'i.school_id' }));
    if (q.kind) qb = qb.where('i.kind', '=', q.kind);
    if (q.status) qb = qb.where('i.status', '=', q.status);
    const { total } = await qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await qb
      .select([
        'i.id',
        'i.kind',
        'i.status',
        'i.file_name',
        'i.region_id',
        'i.school_id',
        'i.valid_count',
        'i.invalid_count',
        'i.imported_count',
        'i.created_by',
        'i.created_at',
        'i.committed_at',
      ])
      .orderBy('i.created_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    return { items: rows.map((r) => this.summary({ ...r, rows: '[]' })), total: Number(total), page: q.page, pageSize: q.pageSize };
  }

  async get(ctx: Ctx, id: string) {
    return this.out(await this.load(ctx, id), ctx.lang);
  }

  async discard(ctx: Ctx, id: string) {
    const imp = await this.load(ctx, id);
    this.target(ctx, await this.org(), { kind: imp.kind as ImportKind, regionId: imp.region_id, schoolId: imp.school_id });
    await this.db.transaction().execute(async (tx) => {
      const res = await tx.updateTable('imports').set({ status: 'discarded' }).where('id', '=', id).where('status', '=', 'previewed').executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'import_done');
      await audit(tx, ctx, {
        action: 'import.discard',
        entityType: 'import',
        entityId: id,
        regionId: imp.region_id,
        schoolId: imp.school_id,
        detail: { kind: imp.kind },
      });
    });
    return this.get(ctx, id);
  }

  /**
   * Imports the valid rows in one transaction. Refused while any row is invalid unless `onlyValid`.
   * The rows are checked again first: the database may have changed since the preview.
   */
  async commit(ctx: Ctx, id: string, onlyValid: boolean) {
    const imp = await this.load(ctx, id);
    if (imp.status !== 'previewed') throw new AppError(409, 'import_done');
    const kind = imp.kind as ImportKind;
    const org = await this.org(true);
    const target = this.target(ctx, org, { kind, regionId: kind === 'users' ? null : imp.region_id, schoolId: imp.school_id });
    const stored = fromJson<StoredRow[]>(imp.rows, []);
    if (imp.invalid_count > 0 && !onlyValid) throw hasInvalid(kind, stored, imp.invalid_count, ctx.lang);

    const checked = await this.check(
      this.db,
      ctx,
      org,
      target,
      stored.map((r) => ({ row: r.row, values: r.values })),
    );
    const invalid = checked.rows.filter((r) => r.errors.length > 0).length;
    if (invalid !== imp.invalid_count) {
      // something changed since the preview: keep the preview truthful
      await this.db
        .updateTable('imports')
        .set({ rows: toJson(checked.rows), valid_count: checked.rows.length - invalid, invalid_count: invalid })
        .where('id', '=', id)
        .where('status', '=', 'previewed')
        .execute();
    }
    if ((invalid > 0 && !onlyValid) || checked.valid.length === 0) throw hasInvalid(kind, checked.rows, invalid, ctx.lang);

    // hashing is slow: do it before the transaction
    const passwords =
      kind === 'users'
        ? await mapLimit(checked.valid as CheckedUser[], 4, async (u) => {
            const password = initialPassword();
            return { username: u.input.username, password, hash: await hashPassword(password) };
          })
        : [];

    const now = ctx.now.toISOString();
    try {
      await this.db.transaction().execute(async (tx) => {
        const claimed = await tx
          .updateTable('imports')
          .set({
            status: 'committed',
            committed_at: now,
            imported_count: checked.valid.length,
            rows: toJson(checked.rows),
            valid_count: checked.rows.length - invalid,
            invalid_count: invalid,
          })
          .where('id', '=', id)
          .where('status', '=', 'previewed')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) throw new AppError(409, 'import_done');
        if (kind === 'schools') await this.insertSchools(tx, ctx, id, checked.valid as CheckedSchool[], now);
        else if (kind === 'regions') await this.insertRegions(tx, ctx, org, id, checked.valid as CheckedRegion[], now);
        else await this.insertUsers(tx, ctx, id, target, checked.valid as CheckedUser[], passwords, now);
        await audit(tx, ctx, {
          action: 'import.commit',
          entityType: 'import',
          entityId: id,
          regionId: imp.region_id,
          schoolId: imp.school_id,
          detail: { kind, fileName: imp.file_name, imported: checked.valid.length, skippedRows: checked.rows.filter((r) => r.errors.length).map((r) => r.row) },
        });
      });
    } catch (err) {
      if (kind === 'schools') throw mapUnique(err);
      if (kind === 'regions') throw mapRegionError(err);
      throw duplicateAccount(err);
    }
    // schools and regions changed the organization, users added grants: this process sees them at once
    directoryOf(this.database).invalidate();
    const out = await this.get(ctx, id);
    return kind === 'users' ? { ...out, initialPasswords: passwords.map((p) => ({ username: p.username, password: p.password })) } : out;
  }

  /** The same rows and audit entries as SchoolService.create, in the import's transaction. */
  private async insertSchools(tx: Tx, ctx: Ctx, importId: string, valid: CheckedSchool[], now: string) {
    const rows: SchoolsTable[] = valid.map((s) => schoolRow(newId(), s.input, now));
    await insertSchools(tx, rows);
    for (const s of rows) {
      await audit(tx, ctx, {
        action: 'school.create',
        entityType: 'school',
        entityId: s.id,
        regionId: s.region_id,
        schoolId: s.id,
        detail: { name: s.name, code: s.code, importId },
      });
    }
  }

  /** The same rows and audit entries as RegionService.create, parents before children, in the import's transaction. */
  private async insertRegions(tx: Tx, ctx: Ctx, org: OrgSnapshot, importId: string, valid: CheckedRegion[], now: string) {
    const parents = new Set(valid.map((r) => r.parentCode).filter((c): c is string => c !== null));
    const idOf = new Map<string, string>();
    for (const r of org.allRegions()) if (parents.has(r.code)) idOf.set(r.code, r.id);
    // valid is ordered province → city → county (checkRegions), so a parent of the file is inserted first
    for (const r of valid) {
      const id = newId();
      await insertRegion(
        tx,
        ctx,
        { id, parent_id: r.parentCode ? idOf.get(r.parentCode)! : null, level: r.level, code: r.code, name: r.name, created_at: now },
        { importId },
      );
      idOf.set(r.code, id);
    }
  }

  /** The same rows as UserService.create (initial password to change at first sign-in) plus the school role. */
  private async insertUsers(
    tx: Tx,
    ctx: Ctx,
    importId: string,
    target: Target,
    valid: CheckedUser[],
    passwords: { username: string; hash: string }[],
    now: string,
  ) {
    const hashOf = new Map(passwords.map((p) => [p.username, p.hash]));
    const users = valid.map((u) =>
      newUserRow({ id: newId(), ...u.input, passwordHash: hashOf.get(u.input.username)!, schoolId: target.schoolId, regionId: target.regionId }, now),
    );
    const grants = valid.map((u, i) => ({
      id: newId(),
      user_id: users[i]!.id,
      role: u.role,
      scope_type: ROLE_SCOPE[u.role as Role],
      scope_id: target.schoolId,
      subject: null,
      granted_by: ctx.actor.system ? null : ctx.actor.userId,
      granted_at: now,
    }));
    for (const chunk of inChunks(users, 200)) await tx.insertInto('users').values(chunk).execute();
    for (const chunk of inChunks(grants, 200)) await tx.insertInto('role_grants').values(chunk).execute();
    for (const [i, u] of users.entries()) {
      await audit(tx, ctx, {
        action: 'user.create',
        entityType: 'user',
        entityId: u.id,
        regionId: u.region_id,
        schoolId: u.school_id,
        detail: { username: u.username, displayName: u.display_name, role: grants[i]!.role, importId },
      });
    }
  }
}

/** 422 listing the invalid rows' problems (the first 100) as fields `rows.<row>.<column>`. */
function hasInvalid(kind: ImportKind, rows: StoredRow[], count: number, lang: Lang) {
  const fields: RawFieldError[] = [];
  for (const r of rows) {
    for (const e of r.errors) {
      if (fields.length >= 100) break;
      fields.push({ field: `rows.${r.row}.${e.field}`, code: e.code, params: localParams(kind, e, lang) });
    }
  }
  return new AppError(422, 'import_has_invalid_rows', { count }, fields);
}

/** An error as the client sees it, with a message in the user's language (vocabulary options included). */
function localize(kind: ImportKind, e: RawFieldError, lang: Lang) {
  return { field: e.field, code: e.code, message: fieldMessage(e.code, lang, localParams(kind, e, lang)) };
}

function localParams(kind: ImportKind, e: RawFieldError, lang: Lang): Record<string, unknown> {
  const params: Record<string, unknown> = { ...(e.params ?? {}) };
  const def = COLUMNS[kind].find((d) => d.key === e.field);
  if (e.code === 'invalid_value' && def?.vocab) params.options = def.vocab.terms.map((t) => (lang === 'en' ? t.en : t.zh));
  return params;
}
