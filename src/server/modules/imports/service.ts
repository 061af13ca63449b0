import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import { fromJson, isUniqueViolation, nowIso, toJson } from '../../db/index.js';
import type { ImportsTable, SchoolsTable } from '../../db/schema.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, fieldMessage, forbidden, notFound, type Lang, type RawFieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { hashPassword } from '../../platform/passwords.js';
import { policy, regionDescendants, type Actor } from '../../platform/policy.js';
import { ROLE_SCOPE, type Role } from '../../../common/vocab.js';
import { safeFileName } from '../../platform/storage.js';
import { initialPassword } from '../auth/service.js';
import { mapUnique, toRow as schoolRow } from '../org/schools/service.js';
import { newUserRow } from '../users/service.js';
import { insertRegion, mapDbError as mapRegionError, mayManageUnder, requestContext } from '../org/regions/service.js';
import { MAX_FILE_BYTES, readTable } from './parse.js';
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

const tooLarge = () => new AppError(413, 'payload_too_large', {}, [{ field: 'file', code: 'too_big', params: { max: '5 MB' } }]);

/** Reads one stream to memory, refusing more than `max` bytes (the rest is drained, not kept). */
async function readLimited(stream: Readable & { truncated?: boolean }, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of stream) {
    if (over) continue;
    size += (chunk as Buffer).length;
    if (size > max) {
      over = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk as Buffer);
  }
  if (over || stream.truncated) throw tooLarge();
  return Buffer.concat(chunks);
}

/** Reads the multipart body: exactly one part, the file field `file`. */
async function receiveFile(req: FastifyRequest): Promise<{ name: string; data: Buffer }> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
  let got: { name: string; data: Buffer } | null = null;
  for await (const part of req.parts({ limits: { fileSize: MAX_FILE_BYTES + 1, files: 1, fields: 5 } })) {
    if (part.type === 'field') throw badRequest([{ field: part.fieldname, code: 'unknown_field' }]);
    const file = part as MultipartFile;
    if (file.fieldname !== 'file' || got) {
      file.file.resume();
      throw badRequest([{ field: file.fieldname, code: 'unknown_field' }]);
    }
    got = { name: safeFileName(file.filename || 'upload'), data: await readLimited(file.file, MAX_FILE_BYTES) };
  }
  if (!got) throw badRequest([{ field: 'file', code: 'required' }]);
  return got;
}

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
  private async target(actor: Actor, q: { kind: ImportKind; regionId?: string | null; schoolId?: string | null }): Promise<Target> {
    if (q.kind === 'regions') {
      if (!q.regionId) {
        if (!actor.isPlatformAdmin) throw badRequest([{ field: 'query.regionId', code: 'required' }]);
        return { kind: 'regions', regionId: null, schoolId: null };
      }
      const region = await this.db.selectFrom('regions').select('id').where('id', '=', q.regionId).executeTakeFirst();
      if (!region || !policy.readRegion(actor, region.id)) throw notFound('region');
      if (!actor.isPlatformAdmin && !actor.bureauRegions.has(region.id)) throw forbidden();
      return { kind: 'regions', regionId: region.id, schoolId: null };
    }
    if (q.kind === 'schools') {
      if (!q.regionId) throw badRequest([{ field: 'query.regionId', code: 'required' }]);
      const region = await this.db.selectFrom('regions').select('id').where('id', '=', q.regionId).executeTakeFirst();
      if (!region || !policy.readRegion(actor, region.id)) throw notFound('region');
      if (!policy.createSchool(actor, region.id)) throw forbidden();
      return { kind: 'schools', regionId: region.id, schoolId: null };
    }
    if (!q.schoolId) throw badRequest([{ field: 'query.schoolId', code: 'required' }]);
    const school = await this.db.selectFrom('schools').select(['id', 'region_id']).where('id', '=', q.schoolId).executeTakeFirst();
    if (!school) throw notFound('school');
    const alliances = await this.db
      .selectFrom('alliance_members')
      .select('alliance_id')
      .where('school_id', '=', school.id)
      .where('status', '=', 'active')
      .execute();
    if (
      !policy.readSchool(
        actor,
        school,
        alliances.map((a) => a.alliance_id),
      )
    )
      throw notFound('school');
    if (!policy.manageUser(actor, { region_id: null, school_id: school.id, school_region_id: school.region_id })) throw forbidden();
    return { kind: 'users', regionId: school.region_id, schoolId: school.id };
  }

  private async regionsUnder(regionId: string): Promise<RegionRef[]> {
    const ids = [...(await regionDescendants(this.db, [regionId]))];
    return this.db.selectFrom('regions').select(['id', 'code', 'name']).where('id', 'in', ids).execute();
  }

  private async check(db: Db, req: FastifyRequest, target: Target, raw: { row: number; values: StoredRow['values'] }[]) {
    if (target.kind === 'schools') return checkSchools(db, target, await this.regionsUnder(target.regionId!), raw);
    if (target.kind === 'regions') {
      const ctx = requestContext(req);
      const within = target.regionId ? await regionDescendants(db, [target.regionId]) : null;
      return checkRegions(db, raw, (parentId) => mayManageUnder(db, ctx, parentId), within);
    }
    return checkUsers(db, target, raw);
  }

  private visible(actor: Actor, i: Pick<ImportsTable, 'created_by' | 'region_id' | 'school_id'>): boolean {
    return (
      actor.isPlatformAdmin ||
      i.created_by === actor.userId ||
      (i.region_id != null && actor.bureauRegions.has(i.region_id)) ||
      (i.school_id != null && actor.adminSchools.has(i.school_id))
    );
  }

  private async load(actor: Actor, id: string): Promise<ImportsTable> {
    const row = await this.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !this.visible(actor, row)) throw notFound('import');
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

  async preview(req: FastifyRequest, actor: Actor, q: z.infer<typeof UploadQuery>) {
    const target = await this.target(actor, q);
    const upload = await receiveFile(req);
    const table = await readTable(upload.data, upload.name);
    const raw = mapTable(q.kind, table);
    const { rows } = await this.check(this.db, req, target, raw);
    const invalid = rows.filter((r) => r.errors.length > 0).length;
    const rec: ImportsTable = {
      id: newId(),
      kind: q.kind,
      status: 'previewed',
      file_name: upload.name,
      region_id: target.regionId,
      school_id: target.schoolId,
      rows: toJson(rows),
      valid_count: rows.length - invalid,
      invalid_count: invalid,
      imported_count: null,
      created_by: actor.userId,
      created_at: nowIso(),
      committed_at: null,
    };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('imports').values(rec).execute();
      await audit(tx, req, {
        action: 'import.preview',
        entityType: 'import',
        entityId: rec.id,
        regionId: rec.region_id,
        schoolId: rec.school_id,
        detail: { kind: rec.kind, fileName: rec.file_name, format: table.format, total: rows.length, invalid },
      });
    });
    return this.out(rec, req.lang);
  }

  async list(actor: Actor, q: z.infer<typeof ImportListQuery>) {
    let qb = this.db.selectFrom('imports as i');
    if (!actor.isPlatformAdmin) {
      qb = qb.where((eb) => {
        const ors = [eb('i.created_by', '=', actor.userId)];
        if (actor.bureauRegions.size) ors.push(eb('i.region_id', 'in', [...actor.bureauRegions]));
        if (actor.adminSchools.size) ors.push(eb('i.school_id', 'in', [...actor.adminSchools]));
        return eb.or(ors);
      });
    }
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

  async get(actor: Actor, id: string, lang: Lang) {
    return this.out(await this.load(actor, id), lang);
  }

  async discard(req: FastifyRequest, actor: Actor, id: string) {
    const imp = await this.load(actor, id);
    await this.target(actor, { kind: imp.kind as ImportKind, regionId: imp.region_id, schoolId: imp.school_id });
    await this.db.transaction().execute(async (tx) => {
      const res = await tx.updateTable('imports').set({ status: 'discarded' }).where('id', '=', id).where('status', '=', 'previewed').executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'import_done');
      await audit(tx, req, {
        action: 'import.discard',
        entityType: 'import',
        entityId: id,
        regionId: imp.region_id,
        schoolId: imp.school_id,
        detail: { kind: imp.kind },
      });
    });
    return this.get(actor, id, req.lang);
  }

  /**
   * Imports the valid rows in one transaction. Refused while any row is invalid unless `onlyValid`.
   * The rows are checked again first: the database may have changed since the preview.
   */
  async commit(req: FastifyRequest, actor: Actor, id: string, onlyValid: boolean) {
    const imp = await this.load(actor, id);
    if (imp.status !== 'previewed') throw new AppError(409, 'import_done');
    const kind = imp.kind as ImportKind;
    const target = await this.target(actor, { kind, regionId: kind === 'users' ? null : imp.region_id, schoolId: imp.school_id });
    const stored = fromJson<StoredRow[]>(imp.rows, []);
    if (imp.invalid_count > 0 && !onlyValid) throw hasInvalid(kind, stored, imp.invalid_count, req.lang);

    const checked = await this.check(
      this.db,
      req,
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
    if ((invalid > 0 && !onlyValid) || checked.valid.length === 0) throw hasInvalid(kind, checked.rows, invalid, req.lang);

    // hashing is slow: do it before the transaction
    const passwords =
      kind === 'users'
        ? await mapLimit(checked.valid as CheckedUser[], 4, async (u) => {
            const password = initialPassword();
            return { username: u.input.username, password, hash: await hashPassword(password) };
          })
        : [];

    const now = nowIso();
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
        if (kind === 'schools') await this.insertSchools(tx, req, id, checked.valid as CheckedSchool[], now);
        else if (kind === 'regions') await this.insertRegions(tx, req, id, checked.valid as CheckedRegion[], now);
        else await this.insertUsers(tx, req, actor, id, target, checked.valid as CheckedUser[], passwords, now);
        await audit(tx, req, {
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
      if (isUniqueViolation(err)) {
        const m = String((err as Error).message);
        const field = /email/.test(m) ? 'email' : /phone/.test(m) ? 'phone' : 'username';
        throw new AppError(409, 'duplicate', { field: field === 'username' ? '用户名' : field === 'email' ? '邮箱' : '手机号' }, [
          { field, code: 'duplicate' },
        ]);
      }
      throw err;
    }
    const out = await this.get(actor, id, req.lang);
    return kind === 'users' ? { ...out, initialPasswords: passwords.map((p) => ({ username: p.username, password: p.password })) } : out;
  }

  /** The same rows and audit entries as SchoolService.create, in the import's transaction. */
  private async insertSchools(tx: Tx, req: FastifyRequest, importId: string, valid: CheckedSchool[], now: string) {
    const rows: SchoolsTable[] = valid.map((s) => schoolRow(newId(), s.input, now));
    for (const chunk of inChunks(rows, 200)) await tx.insertInto('schools').values(chunk).execute();
    for (const s of rows) {
      await audit(tx, req, {
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
  private async insertRegions(tx: Tx, req: FastifyRequest, importId: string, valid: CheckedRegion[], now: string) {
    const ctx = requestContext(req);
    const parents = valid.map((r) => r.parentCode).filter((c): c is string => c !== null);
    const idOf = new Map<string, string>();
    for (const chunk of inChunks([...new Set(parents)], 500)) {
      for (const x of await tx.selectFrom('regions').select(['id', 'code']).where('code', 'in', chunk).execute()) idOf.set(x.code, x.id);
    }
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
    req: FastifyRequest,
    actor: Actor,
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
      granted_by: actor.userId,
      granted_at: now,
    }));
    for (const chunk of inChunks(users, 200)) await tx.insertInto('users').values(chunk).execute();
    for (const chunk of inChunks(grants, 200)) await tx.insertInto('role_grants').values(chunk).execute();
    for (const [i, u] of users.entries()) {
      await audit(tx, req, {
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
