/**
 * Course resource library (SPEC S2): metadata, versions and files, the review workflow
 * "上传—审核—共享", search, use and feedback, contribution events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { SUBJECTS } from '../../../common/vocab.js';
import { todayIn } from '../../../common/time.js';
import {
  GRADES,
  KIND_RULES,
  LICENCES,
  MIME_FAMILY,
  RESOURCE_KINDS,
  RESOURCE_STATUS,
  RUBRICS,
  STAGES,
  WORKFLOW_STEPS,
  checkScores,
  convertible,
  monthRange,
  nextStatus,
  previewable,
  stageOfGrade,
  type ResourceKind,
  type ResourceStatus,
  type WorkflowStep,
} from '../../../common/resources.js';
import { fromJson, isUniqueViolation, nowIso, toJson, type Database, type Db, type Tx } from '../../db/index.js';
import { ftsDelete, ftsMatch, ftsTexts, ftsUpsert } from '../../db/fts.js';
import { lockRow } from '../../db/bookings.js';
import { transition } from '../../db/transition.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound, type Lang, type RawFieldError } from '../../platform/errors.js';
import { extractText, libreOfficeAvailable, officeToPdf } from '../../platform/extract.js';
import { newId } from '../../platform/ids.js';
import { holds, type Actor } from '../../platform/policy.js';
import { highlight, queryTerms } from '../../platform/search.js';
import type { Storage } from '../../platform/storage.js';
import { CreditService } from '../credits/service.js';
import {
  actorSchools,
  canDownload,
  canSee,
  isLive,
  isResourceAdmin,
  publishedFilter,
  reviewsAlliance,
  seesPublished,
  seesUnpublished,
  type RDB,
  type ResourceRef,
} from './access.js';
import { readSmall, receiveFile } from './files.js';
import type { ResourcesTable } from './tables.js';
import type { ResourceCreate, ResourceDetail, ResourceQuery, ResourceSummary, ResourceUpdate } from './schema.js';

type Row = ResourcesTable;
type J = RDB & { m: { doc_id: string; rank: number } };
type Q = SelectQueryBuilder<J, 'r' | 'm', object>;

/** Documents above this size are not read for search text. */
const MAX_EXTRACT_BYTES = 50 * 1024 * 1024;
const FACETS = ['subject', 'stage', 'grade', 'kind', 'school', 'licence'] as const;
type FacetKey = (typeof FACETS)[number];

export const today = () => todayIn();

/** "Used in my class" reports reach back this many days (today included). */
export const USE_WINDOW_DAYS = 7;
/** At most this many use reports per user in any 24 hours. */
export const USES_PER_DAY = 20;

function invalidTransition(lang: Lang, status: string, step: WorkflowStep) {
  return new AppError(409, 'invalid_transition', { status: RESOURCE_STATUS.label(status, lang), step: WORKFLOW_STEPS.label(step, lang) });
}

export class ResourceService {
  private readonly db: Db;
  private readonly credits: CreditService;

  constructor(
    private readonly database: Database,
    private readonly storage: Storage,
  ) {
    this.db = database.db;
    this.credits = new CreditService(database);
  }

  // ---- loading and checks ---------------------------------------------------------------------

  private async load(id: string, db: Db | Tx = this.db): Promise<Row> {
    const r = await db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('resource');
    return r;
  }

  /** The resource when the actor may see it in some state; 404 otherwise. */
  async visible(actor: Actor, id: string): Promise<Row> {
    const r = await this.load(id);
    if (!canSee(actor, r as ResourceRef)) throw notFound('resource');
    return r;
  }

  private canEdit(actor: Actor, r: Row): boolean {
    return r.created_by === actor.userId || isResourceAdmin(actor, r);
  }

  /** City-level region of a school (the scope of 区域 visibility). */
  private async cityOf(regionId: string): Promise<string> {
    const reg = await this.db.selectFrom('regions').select(['id', 'level', 'parent_id']).where('id', '=', regionId).executeTakeFirst();
    if (reg && reg.level === 'district' && reg.parent_id) return reg.parent_id;
    return regionId;
  }

  private async schoolAlliances(schoolId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('alliance_members as m')
      .innerJoin('alliances as a', 'a.id', 'm.alliance_id')
      .select('m.alliance_id')
      .where('m.school_id', '=', schoolId)
      .where('m.status', '=', 'active')
      .where('a.status', '=', 'active')
      .orderBy('m.joined_on')
      .orderBy('m.alliance_id')
      .execute();
    return rows.map((r) => r.alliance_id);
  }

  private async resolveAuthors(actor: Actor, authors: { userId?: string; name?: string }[] | undefined) {
    if (!authors) return [{ userId: actor.userId, name: actor.displayName }];
    const errors: RawFieldError[] = [];
    const out: { userId: string | null; name: string }[] = [];
    const ids = authors.map((a) => a.userId).filter((x): x is string => !!x);
    const users = ids.length ? await this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute() : [];
    const byId = new Map(users.map((u) => [u.id, u.display_name]));
    authors.forEach((a, i) => {
      if (a.userId) {
        const n = byId.get(a.userId);
        if (!n) errors.push({ field: `authors.${i}.userId`, code: 'not_found' });
        else out.push({ userId: a.userId, name: a.name ?? n });
      } else if (a.name) out.push({ userId: null, name: a.name });
      else errors.push({ field: `authors.${i}.name`, code: 'required' });
    });
    if (errors.length) throw badRequest(errors);
    return out;
  }

  private checkStageGrade(stage: string, grade: string | null | undefined) {
    if (grade && stageOfGrade(grade) !== stage) {
      throw badRequest([{ field: 'grade', code: 'invalid', params: { reason: `${GRADES.label(grade)}不属于${STAGES.label(stage)}` } }]);
    }
  }

  private async checkAlliance(schoolId: string, allianceId: string | null | undefined, visibility: string): Promise<string | null> {
    const alliances = await this.schoolAlliances(schoolId);
    let chosen: string | null;
    if (allianceId === undefined) chosen = alliances[0] ?? null;
    else if (allianceId === null) chosen = null;
    else if (!alliances.includes(allianceId)) throw badRequest([{ field: 'allianceId', code: 'invalid', params: { reason: '所属学校不是该联盟的成员校' } }]);
    else chosen = allianceId;
    if (visibility === 'alliance' && !chosen) {
      throw badRequest([{ field: 'visibility', code: 'invalid', params: { reason: '学校未加入联盟，不能选择“联盟”可见' } }]);
    }
    return chosen;
  }

  /** `later`: ms after now, so steps written in one request keep their order (assign after submit). */
  private async history(
    tx: Tx,
    resourceId: string,
    from: string | null,
    to: string,
    step: string,
    actorId: string | null,
    comment: string | null = null,
    later = 0,
  ) {
    const at = new Date(Date.now() + later).toISOString();
    await tx
      .insertInto('resource_status_history')
      .values({ resource_id: resourceId, from_status: from, to_status: to, step, actor_id: actorId, comment, at })
      .execute();
  }

  private async notify(tx: Tx, userId: string, kind: string, resourceId: string | null, title: string, body: string | null = null) {
    await tx
      .insertInto('resource_notifications')
      .values({ user_id: userId, kind, resource_id: resourceId, title, body, created_at: nowIso(), read_at: null })
      .execute();
  }

  // ---- create and edit ------------------------------------------------------------------------

  async create(req: FastifyRequest, actor: Actor, body: ResourceCreate): Promise<ResourceDetail> {
    const schoolId = body.schoolId ?? actor.schoolId;
    if (!schoolId) throw badRequest([{ field: 'schoolId', code: 'required' }]);
    if (!actor.isPlatformAdmin && !actorSchools(actor).has(schoolId)) throw badRequest([{ field: 'schoolId', code: 'out_of_scope' }]);
    const school = await this.db.selectFrom('schools').select(['id', 'region_id']).where('id', '=', schoolId).executeTakeFirst();
    if (!school) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
    this.checkStageGrade(body.stage, body.grade);
    const allianceId = await this.checkAlliance(schoolId, body.allianceId, body.visibility);
    const authors = await this.resolveAuthors(actor, body.authors);
    const region = await this.cityOf(school.region_id);
    const id = newId();
    const versionId = newId();
    const now = nowIso();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('resources')
        .values({
          id,
          kind: body.kind,
          title: body.title,
          description: body.description ?? '',
          subject: body.subject,
          stage: body.stage,
          grade: body.grade ?? null,
          textbook_edition: body.textbookEdition ?? null,
          chapter: body.chapter ?? null,
          difficulty: body.difficulty ?? null,
          tags: toJson(uniq(body.tags ?? [])),
          language: body.language ?? 'zh',
          licence: body.licence,
          visibility: body.visibility,
          alliance_id: allianceId,
          school_id: schoolId,
          region_id: region,
          created_by: actor.userId,
          status: 'draft',
          current_version_id: null,
          draft_version_id: versionId,
          reviewer_id: null,
          submitted_at: null,
          published_at: null,
          views: 0,
          downloads: 0,
          uses: 0,
          rating_sum: 0,
          rating_count: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await tx
        .insertInto('resource_versions')
        .values({ id: versionId, resource_id: id, number: 1, note: null, created_by: actor.userId, created_at: now, published_at: null })
        .execute();
      await tx
        .insertInto('resource_authors')
        .values(authors.map((a, i) => ({ id: newId(), resource_id: id, user_id: a.userId, name: a.name, position: i })))
        .execute();
      await this.history(tx, id, null, 'draft', 'create', actor.userId);
    });
    void req;
    return this.detail(actor, id, { countView: false });
  }

  async update(req: FastifyRequest, actor: Actor, id: string, body: ResourceUpdate): Promise<ResourceDetail> {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    if (!nextStatus(r.status as ResourceStatus, 'edit')) throw invalidTransition(req.lang, r.status, 'edit');
    const stage = body.stage ?? r.stage;
    const grade = body.grade !== undefined ? body.grade : r.grade;
    this.checkStageGrade(stage, grade);
    const visibility = body.visibility ?? r.visibility;
    const allianceId =
      body.allianceId !== undefined || body.visibility !== undefined
        ? await this.checkAlliance(r.school_id, body.allianceId !== undefined ? body.allianceId : r.alliance_id, visibility)
        : r.alliance_id;
    const authors = body.authors ? await this.resolveAuthors(actor, body.authors) : null;
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      if (!nextStatus(cur.status as ResourceStatus, 'edit')) throw invalidTransition(req.lang, cur.status, 'edit');
      await tx
        .updateTable('resources')
        .set({
          ...(body.title !== undefined ? { title: body.title } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.subject !== undefined ? { subject: body.subject } : {}),
          stage,
          grade: grade ?? null,
          ...(body.textbookEdition !== undefined ? { textbook_edition: body.textbookEdition } : {}),
          ...(body.chapter !== undefined ? { chapter: body.chapter } : {}),
          ...(body.difficulty !== undefined ? { difficulty: body.difficulty } : {}),
          ...(body.tags !== undefined ? { tags: toJson(uniq(body.tags)) } : {}),
          ...(body.language !== undefined ? { language: body.language } : {}),
          ...(body.licence !== undefined ? { licence: body.licence } : {}),
          visibility,
          alliance_id: allianceId,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
      if (authors) {
        await tx.deleteFrom('resource_authors').where('resource_id', '=', id).execute();
        await tx
          .insertInto('resource_authors')
          .values(authors.map((a, i) => ({ id: newId(), resource_id: id, user_id: a.userId, name: a.name, position: i })))
          .execute();
      }
      const after = await this.load(id, tx);
      if (isLive(after)) await this.index(tx, after);
    });
    return this.detail(actor, id, { countView: false });
  }

  /** Puts the published version's words into the search index. */
  private async index(tx: Tx, r: Row) {
    if (!r.current_version_id) return;
    const files = await tx.selectFrom('resource_files').select(['name', 'text']).where('version_id', '=', r.current_version_id).orderBy('position').execute();
    const tags = fromJson<string[]>(r.tags, []);
    const body = [r.description, tags.join(' '), r.chapter ?? '', ...files.map((f) => f.text ?? '')].filter(Boolean).join('\n');
    await ftsUpsert(tx, this.database.dialect, { id: r.id, title: r.title, body });
  }

  // ---- files ----------------------------------------------------------------------------------

  async upload(req: FastifyRequest, actor: Actor, id: string): Promise<ResourceDetail> {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    if (!nextStatus(r.status as ResourceStatus, 'edit')) throw invalidTransition(req.lang, r.status, 'edit');
    const kind = r.kind as ResourceKind;
    const file = await receiveFile(req, this.storage, id, kind);
    const keys = [file.key];
    let text: string | null = null;
    let extracted = 0;
    let pdfKey: string | null = null;
    try {
      const fam = MIME_FAMILY[file.mime];
      if (fam === 'pdf' || fam === 'word' || fam === 'text') {
        const buf = await readSmall(this.storage, file.key, MAX_EXTRACT_BYTES);
        if (buf) {
          try {
            text = (await extractText({ buffer: buf, mime: file.mime })) || null;
            extracted = 1;
          } catch (err) {
            req.log.warn({ err, file: file.name }, 'text extraction failed');
          }
        }
      }
      if (convertible(file.mime) && libreOfficeAvailable()) pdfKey = await this.convert(file.key, file.name);
      if (pdfKey) keys.push(pdfKey);
      const removed: string[] = [];
      await this.db.transaction().execute(async (tx) => {
        const cur = await this.load(id, tx);
        if (!nextStatus(cur.status as ResourceStatus, 'edit')) throw invalidTransition(req.lang, cur.status, 'edit');
        const versionId = await this.draftVersion(tx, cur, actor, file.note);
        if (file.role === 'main' && !KIND_RULES[kind].package) {
          const old = await tx
            .selectFrom('resource_files')
            .select(['id', 'storage_key', 'pdf_key'])
            .where('version_id', '=', versionId)
            .where('role', '=', 'main')
            .execute();
          if (old.length) {
            await tx
              .deleteFrom('resource_files')
              .where(
                'id',
                'in',
                old.map((o) => o.id),
              )
              .execute();
            for (const o of old) removed.push(o.storage_key, ...(o.pdf_key ? [o.pdf_key] : []));
          }
        }
        const pos = await tx
          .selectFrom('resource_files')
          .select((eb) => eb.fn.max('position').as('p'))
          .where('version_id', '=', versionId)
          .executeTakeFirst();
        await tx
          .insertInto('resource_files')
          .values({
            id: newId(),
            resource_id: id,
            version_id: versionId,
            role: file.role,
            position: Number(pos?.p ?? -1) + 1,
            storage_key: file.key,
            name: file.name,
            mime: file.mime,
            size: file.size,
            sha256: file.sha256,
            text,
            text_extracted: extracted,
            pdf_key: pdfKey,
            created_at: nowIso(),
          })
          .execute();
        if (file.note) await tx.updateTable('resource_versions').set({ note: file.note }).where('id', '=', versionId).execute();
        await tx.updateTable('resources').set({ updated_at: nowIso() }).where('id', '=', id).execute();
      });
      // a replaced file of an unpublished draft is gone for good unless another version still holds it
      for (const key of removed) {
        const still = await this.db
          .selectFrom('resource_files')
          .select('id')
          .where((eb) => eb.or([eb('storage_key', '=', key), eb('pdf_key', '=', key)]))
          .limit(1)
          .executeTakeFirst();
        if (!still) await this.storage.retire(key); // kept for backups taken before the change (docs/backup.md)
      }
    } catch (err) {
      for (const k of keys) await this.storage.delete(k);
      throw err;
    }
    return this.detail(actor, id, { countView: false });
  }

  /** The version being prepared: the open draft, or a new one copying the published files. */
  private async draftVersion(tx: Tx, r: Row, actor: Actor, note: string | null): Promise<string> {
    if (r.draft_version_id) return r.draft_version_id;
    const max = await tx
      .selectFrom('resource_versions')
      .select((eb) => eb.fn.max('number').as('n'))
      .where('resource_id', '=', r.id)
      .executeTakeFirst();
    const versionId = newId();
    await tx
      .insertInto('resource_versions')
      .values({
        id: versionId,
        resource_id: r.id,
        number: Number(max?.n ?? 0) + 1,
        note,
        created_by: actor.userId,
        created_at: nowIso(),
        published_at: null,
      })
      .execute();
    if (r.current_version_id) {
      const files = await tx.selectFrom('resource_files').selectAll().where('version_id', '=', r.current_version_id).execute();
      if (files.length)
        await tx
          .insertInto('resource_files')
          .values(files.map((f) => ({ ...f, id: newId(), version_id: versionId })))
          .execute();
    }
    await tx.updateTable('resources').set({ draft_version_id: versionId }).where('id', '=', r.id).execute();
    return versionId;
  }

  /** Office document → PDF through LibreOffice; null when conversion fails. */
  private async convert(key: string, name: string): Promise<string | null> {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'xl-office-'));
    try {
      const ext = path.extname(name) || '.bin';
      const input = path.join(dir, `input${ext}`);
      await pipeline(this.storage.get(key), fs.createWriteStream(input));
      const out = await officeToPdf(input);
      if (!out) return null;
      const stored = await this.storage.put(`${key}.pdf`, fs.createReadStream(out));
      return stored.key;
    } catch {
      return null;
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  async removeFile(req: FastifyRequest, actor: Actor, id: string, fileId: string): Promise<ResourceDetail> {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    if (!nextStatus(r.status as ResourceStatus, 'edit')) throw invalidTransition(req.lang, r.status, 'edit');
    const f = await this.db.selectFrom('resource_files').selectAll().where('id', '=', fileId).where('resource_id', '=', id).executeTakeFirst();
    if (!f) throw notFound('resource_file');
    if (f.version_id !== r.draft_version_id) throw conflict('只能删除正在编辑的版本中的文件；已发布版本保持不变');
    await this.db.deleteFrom('resource_files').where('id', '=', fileId).execute();
    for (const key of [f.storage_key, f.pdf_key].filter((k): k is string => !!k)) {
      const still = await this.db
        .selectFrom('resource_files')
        .select('id')
        .where((eb) => eb.or([eb('storage_key', '=', key), eb('pdf_key', '=', key)]))
        .limit(1)
        .executeTakeFirst();
      if (!still) await this.storage.retire(key); // kept for backups taken before the change (docs/backup.md)
    }
    return this.detail(actor, id, { countView: false });
  }

  /** The file to stream for a preview or download, after the visibility and licence checks. */
  async fileFor(actor: Actor, id: string, fileId: string, mode: 'preview' | 'download') {
    const r = await this.visible(actor, id);
    const f = await this.db
      .selectFrom('resource_files as f')
      .innerJoin('resource_versions as v', 'v.id', 'f.version_id')
      .select(['f.id', 'f.storage_key', 'f.pdf_key', 'f.name', 'f.mime', 'f.size', 'v.published_at'])
      .where('f.id', '=', fileId)
      .where('f.resource_id', '=', id)
      .executeTakeFirst();
    if (!f) throw notFound('resource_file');
    const ref = r as ResourceRef;
    // published versions reach whoever sees the resource; unpublished ones only its author, reviewer, admins
    if (!seesUnpublished(actor, ref) && !(seesPublished(actor, ref) && f.published_at)) throw notFound('resource_file');
    if (mode === 'download') {
      if (!canDownload(actor, ref)) throw new AppError(403, 'licence_forbids_download');
      return { resource: r, key: f.storage_key, mime: f.mime, name: f.name };
    }
    if (previewable(f.mime)) return { resource: r, key: f.storage_key, mime: f.mime, name: f.name };
    if (f.pdf_key) return { resource: r, key: f.pdf_key, mime: 'application/pdf', name: `${f.name.replace(/\.[^.]+$/, '')}.pdf` };
    throw new AppError(409, 'preview_unavailable');
  }

  // ---- workflow -------------------------------------------------------------------------------

  /** A reviewer of the subject in the resource's alliance with the fewest open reviews; else any reviewer of the alliance. */
  private async pickReviewer(tx: Tx, r: Row): Promise<string | null> {
    if (!r.alliance_id) return null;
    const grants = await tx
      .selectFrom('role_grants as g')
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['g.user_id', 'g.subject'])
      .where('g.role', '=', 'reviewer')
      .where('g.scope_type', '=', 'alliance')
      .where('g.scope_id', '=', r.alliance_id)
      .where('u.status', '=', 'active')
      .where('g.user_id', '!=', r.created_by)
      .execute();
    if (!grants.length) return null;
    const matched = grants.filter((g) => g.subject === r.subject);
    const pool = [...new Set((matched.length ? matched : grants).map((g) => g.user_id))];
    const load = await tx
      .selectFrom('resource_review_assignments')
      .select(['reviewer_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('reviewer_id', 'in', pool)
      .where('done_at', 'is', null)
      .groupBy('reviewer_id')
      .execute();
    const n = new Map(load.map((l) => [l.reviewer_id, Number(l.n)]));
    pool.sort((a, b) => (n.get(a) ?? 0) - (n.get(b) ?? 0) || a.localeCompare(b));
    return pool[0] ?? null;
  }

  async submit(req: FastifyRequest, actor: Actor, id: string, comment?: string): Promise<ResourceDetail> {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      const next = nextStatus(cur.status as ResourceStatus, 'submit');
      if (!next) throw invalidTransition(req.lang, cur.status, 'submit');
      const versionId = cur.draft_version_id ?? (cur.status === 'withdrawn' ? cur.current_version_id : null);
      if (!versionId) throw conflict('没有待审核的新版本，请先上传新文件');
      const files = await tx.selectFrom('resource_files').select('id').where('version_id', '=', versionId).limit(1).execute();
      if (!files.length) throw badRequest([{ field: 'file', code: 'required' }]);
      const reviewer = await this.pickReviewer(tx, cur);
      const status = reviewer ? 'in_review' : 'submitted';
      const now = nowIso();
      await transition(tx, 'resources', id, cur.status, { status, reviewer_id: reviewer, submitted_at: now, updated_at: now }, (c) =>
        invalidTransition(req.lang, c ?? cur.status, 'submit'),
      );
      await this.history(tx, id, cur.status, 'submitted', 'submit', actor.userId, comment ?? null);
      if (reviewer) {
        await tx
          .insertInto('resource_review_assignments')
          .values({ id: newId(), resource_id: id, version_id: versionId, reviewer_id: reviewer, assigned_at: now, done_at: null, decision: null })
          .execute();
        await this.history(tx, id, 'submitted', 'in_review', 'assign', null, null, 1);
        await this.notify(tx, reviewer, 'assigned', id, `待审核：${cur.title}`, `${SUBJECTS.label(cur.subject)} · ${RESOURCE_KINDS.label(cur.kind)}`);
      } else if (cur.alliance_id) {
        const admins = await tx
          .selectFrom('role_grants')
          .select('user_id')
          .where('role', '=', 'alliance_admin')
          .where('scope_id', '=', cur.alliance_id)
          .execute();
        for (const a of new Set(admins.map((x) => x.user_id)))
          await this.notify(tx, a, 'unassigned', id, `待分配审核员：${cur.title}`, `${SUBJECTS.label(cur.subject)}学科暂无审核员`);
      }
    });
    return this.detail(actor, id, { countView: false });
  }

  async assign(req: FastifyRequest, actor: Actor, id: string, reviewerId: string): Promise<ResourceDetail> {
    const r = await this.visible(actor, id);
    if (!isResourceAdmin(actor, r)) throw forbidden();
    const grant = r.alliance_id
      ? await this.db
          .selectFrom('role_grants')
          .select('id')
          .where('user_id', '=', reviewerId)
          .where('role', '=', 'reviewer')
          .where('scope_id', '=', r.alliance_id)
          .executeTakeFirst()
      : undefined;
    if (!grant || reviewerId === r.created_by) throw badRequest([{ field: 'reviewerId', code: 'invalid', params: { reason: '不是该联盟的审核员' } }]);
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      if (!nextStatus(cur.status as ResourceStatus, 'assign')) throw invalidTransition(req.lang, cur.status, 'assign');
      const now = nowIso();
      await transition(tx, 'resources', id, cur.status, { status: 'in_review', reviewer_id: reviewerId, updated_at: now }, (c) =>
        invalidTransition(req.lang, c ?? cur.status, 'assign'),
      );
      await tx
        .updateTable('resource_review_assignments')
        .set({ done_at: now, decision: 'reassigned' })
        .where('resource_id', '=', id)
        .where('done_at', 'is', null)
        .execute();
      await tx
        .insertInto('resource_review_assignments')
        .values({
          id: newId(),
          resource_id: id,
          version_id: cur.draft_version_id ?? cur.current_version_id,
          reviewer_id: reviewerId,
          assigned_at: now,
          done_at: null,
          decision: null,
        })
        .execute();
      await this.history(tx, id, cur.status, 'in_review', 'assign', actor.userId);
      await this.notify(tx, reviewerId, 'assigned', id, `待审核：${cur.title}`);
      await audit(tx, req, {
        action: 'resource.assign',
        entityType: 'resource',
        entityId: id,
        regionId: cur.region_id,
        allianceId: cur.alliance_id,
        schoolId: cur.school_id,
        detail: { title: cur.title, reviewerId },
      });
    });
    return this.detail(actor, id, { countView: false });
  }

  async review(
    req: FastifyRequest,
    actor: Actor,
    id: string,
    body: { decision: 'publish' | 'return'; scores: Record<string, number>; comment?: string },
  ): Promise<ResourceDetail> {
    const r = await this.visible(actor, id);
    const mayReview = actor.isPlatformAdmin || r.reviewer_id === actor.userId || (r.reviewer_id == null && reviewsAlliance(actor, r.alliance_id));
    if (!mayReview || r.created_by === actor.userId) throw forbidden();
    const step: WorkflowStep = body.decision === 'publish' ? 'publish' : 'return';
    if (!nextStatus(r.status as ResourceStatus, step)) throw invalidTransition(req.lang, r.status, step);
    const { errors, average } = checkScores(r.kind as ResourceKind, body.scores);
    const fields: RawFieldError[] = errors.map(
      (e) =>
        ({
          field: `scores.${e.item}`,
          code: e.reason === 'missing' ? 'rubric_item_missing' : e.reason === 'unknown' ? 'rubric_item_unknown' : 'rubric_item_range',
        }) as RawFieldError,
    );
    if (body.decision === 'return' && !body.comment) fields.push({ field: 'comment', code: 'required' });
    if (fields.length) throw badRequest(fields);
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      const next = nextStatus(cur.status as ResourceStatus, step);
      if (!next) throw invalidTransition(req.lang, cur.status, step);
      const now = nowIso();
      const versionId = cur.draft_version_id ?? cur.current_version_id;
      // the decision is taken once: a concurrent second decision (or a withdrawal) finds the status moved on
      await transition(tx, 'resources', id, cur.status, { status: next, reviewer_id: actor.userId, updated_at: now }, (c) =>
        invalidTransition(req.lang, c ?? cur.status, step),
      );
      await tx
        .insertInto('resource_reviews')
        .values({
          id: newId(),
          resource_id: id,
          version_id: versionId,
          reviewer_id: actor.userId,
          scores: toJson(body.scores),
          average,
          decision: body.decision,
          comment: body.comment ?? null,
          created_at: now,
        })
        .execute();
      await tx
        .updateTable('resource_review_assignments')
        .set({ done_at: now, decision: body.decision })
        .where('resource_id', '=', id)
        .where('done_at', 'is', null)
        .execute();
      if (step === 'publish') {
        await tx
          .updateTable('resources')
          .set({
            status: 'published',
            current_version_id: versionId,
            draft_version_id: null,
            reviewer_id: actor.userId,
            published_at: cur.published_at ?? now,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        if (versionId)
          await tx.updateTable('resource_versions').set({ published_at: now }).where('id', '=', versionId).where('published_at', 'is', null).execute();
        await this.index(tx, await this.load(id, tx));
      } else {
        await tx.updateTable('resources').set({ status: 'returned', reviewer_id: actor.userId, updated_at: now }).where('id', '=', id).execute();
      }
      await this.history(tx, id, cur.status, next, step, actor.userId, body.comment ?? null);
      const title = step === 'publish' ? `资源已发布：${cur.title}` : `资源被退回修改：${cur.title}`;
      await this.notify(tx, cur.created_by, step === 'publish' ? 'published' : 'returned', id, title, body.comment ?? null);
      await audit(tx, req, {
        action: `resource.${step}`,
        entityType: 'resource',
        entityId: id,
        regionId: cur.region_id,
        allianceId: cur.alliance_id,
        schoolId: cur.school_id,
        detail: { title: cur.title, scores: body.scores, average, comment: body.comment ?? null },
      });
    });
    return this.detail(actor, id, { countView: false });
  }

  async withdraw(req: FastifyRequest, actor: Actor, id: string, comment?: string) {
    return this.retire(req, actor, id, 'withdraw', comment);
  }

  async archive(req: FastifyRequest, actor: Actor, id: string, comment?: string) {
    return this.retire(req, actor, id, 'archive', comment);
  }

  private async retire(req: FastifyRequest, actor: Actor, id: string, step: 'withdraw' | 'archive', comment?: string): Promise<ResourceDetail> {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      const next = nextStatus(cur.status as ResourceStatus, step);
      if (!next) throw invalidTransition(req.lang, cur.status, step);
      const now = nowIso();
      await transition(tx, 'resources', id, cur.status, { status: next, updated_at: now }, (c) => invalidTransition(req.lang, c ?? cur.status, step));
      await tx
        .updateTable('resource_review_assignments')
        .set({ done_at: now, decision: step })
        .where('resource_id', '=', id)
        .where('done_at', 'is', null)
        .execute();
      await ftsDelete(tx, this.database.dialect, id);
      await this.history(tx, id, cur.status, next, step, actor.userId, comment ?? null);
      if (cur.created_by !== actor.userId) {
        await this.notify(tx, cur.created_by, step, id, `${step === 'archive' ? '资源已归档' : '资源已撤回'}：${cur.title}`, comment ?? null);
      }
      if (step === 'archive' || cur.created_by !== actor.userId) {
        await audit(tx, req, {
          action: `resource.${step}`,
          entityType: 'resource',
          entityId: id,
          regionId: cur.region_id,
          allianceId: cur.alliance_id,
          schoolId: cur.school_id,
          detail: { title: cur.title, comment: comment ?? null },
        });
      }
    });
    return this.detail(actor, id, { countView: false });
  }

  async queue(actor: Actor) {
    const alliances = [...new Set(actor.grants.filter((g) => g.role === 'reviewer' && g.scopeId).map((g) => g.scopeId!))];
    let q = this.db
      .selectFrom('resources as r')
      .innerJoin('schools as s', 's.id', 'r.school_id')
      .innerJoin('users as u', 'u.id', 'r.created_by')
      .leftJoin('resource_versions as v', 'v.id', 'r.draft_version_id')
      .select([
        'r.id',
        'r.kind',
        'r.title',
        'r.subject',
        'r.stage',
        'r.grade',
        'r.status',
        'r.school_id',
        's.name as school_name',
        'u.display_name as author',
        'r.submitted_at',
        'r.reviewer_id',
        'v.number',
      ])
      .where('r.status', 'in', ['submitted', 'in_review'])
      .where('r.created_by', '!=', actor.userId);
    if (!actor.isPlatformAdmin) {
      q = q.where((eb) =>
        eb.or([
          eb('r.reviewer_id', '=', actor.userId),
          ...(alliances.length ? [eb.and([eb('r.reviewer_id', 'is', null), eb('r.alliance_id', 'in', alliances)])] : []),
        ]),
      );
    }
    const rows = await q.orderBy('r.submitted_at').limit(500).execute();
    return {
      items: rows.map((x) => ({
        id: x.id,
        kind: x.kind,
        title: x.title,
        subject: x.subject,
        stage: x.stage,
        grade: x.grade,
        status: x.status,
        school: { id: x.school_id, name: x.school_name },
        authorName: x.author,
        submittedAt: x.submitted_at,
        assignedToMe: x.reviewer_id === actor.userId,
        versionNumber: x.number ?? null,
      })),
    };
  }

  // ---- read -----------------------------------------------------------------------------------

  private async summaries(rows: Row[], hl?: { terms: string[]; texts: Map<string, string> }): Promise<ResourceSummary[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const schools = await this.db
      .selectFrom('schools')
      .select(['id', 'name'])
      .where('id', 'in', [...new Set(rows.map((r) => r.school_id))])
      .execute();
    const schoolName = new Map(schools.map((s) => [s.id, s.name]));
    const authors = await this.db
      .selectFrom('resource_authors')
      .select(['resource_id', 'name'])
      .where('resource_id', 'in', ids)
      .orderBy('resource_id')
      .orderBy('position')
      .execute();
    const byRes = new Map<string, string[]>();
    for (const a of authors) byRes.set(a.resource_id, [...(byRes.get(a.resource_id) ?? []), a.name]);
    const versionIds = rows.map((r) => r.current_version_id ?? r.draft_version_id).filter((v): v is string => !!v);
    const mains = versionIds.length
      ? await this.db
          .selectFrom('resource_files')
          .select(['version_id', 'mime', 'position'])
          .where('version_id', 'in', versionIds)
          .orderBy('version_id')
          .orderBy('position')
          .execute()
      : [];
    const mimeOf = new Map<string, string>();
    for (const m of mains) if (!mimeOf.has(m.version_id)) mimeOf.set(m.version_id, m.mime);
    return rows.map((r) => {
      const v = r.current_version_id ?? r.draft_version_id;
      const text = hl ? (hl.texts.get(r.id) ?? r.description) : null;
      return {
        id: r.id,
        kind: r.kind,
        title: r.title,
        titleHighlight: hl?.terms.length ? highlight(r.title, hl.terms, 200) : null,
        snippet: hl?.terms.length && text ? highlight(text, hl.terms, 120) : null,
        description: r.description,
        subject: r.subject,
        stage: r.stage,
        grade: r.grade,
        textbookEdition: r.textbook_edition,
        chapter: r.chapter,
        difficulty: r.difficulty,
        tags: fromJson<string[]>(r.tags, []),
        licence: r.licence,
        visibility: r.visibility,
        status: r.status,
        school: { id: r.school_id, name: schoolName.get(r.school_id) ?? r.school_id },
        allianceId: r.alliance_id,
        authors: byRes.get(r.id) ?? [],
        views: Number(r.views),
        downloads: Number(r.downloads),
        uses: Number(r.uses),
        rating: r.rating_count ? Math.round((Number(r.rating_sum) / Number(r.rating_count)) * 10) / 10 : null,
        ratingCount: Number(r.rating_count),
        publishedAt: r.published_at,
        updatedAt: r.updated_at,
        mainMime: v ? (mimeOf.get(v) ?? null) : null,
      };
    });
  }

  async list(actor: Actor, q: ResourceQuery) {
    const terms = q.q ? queryTerms(q.q) : [];
    const dialect = this.database.dialect;
    const from = (): Q =>
      (terms.length
        ? this.db.selectFrom('resources as r').innerJoin(ftsMatch(dialect, terms).as('m'), 'm.doc_id', 'r.id')
        : this.db.selectFrom('resources as r')) as unknown as Q;
    const filtered = (exclude?: FacetKey): Q => {
      let b = from().where((eb) => publishedFilter(actor)(eb as unknown as ExpressionBuilder<RDB, 'r'>));
      if (q.kind && exclude !== 'kind') b = b.where('r.kind', '=', q.kind);
      if (q.subject && exclude !== 'subject') b = b.where('r.subject', '=', q.subject);
      if (q.stage && exclude !== 'stage') b = b.where('r.stage', '=', q.stage);
      if (q.grade && exclude !== 'grade') b = b.where('r.grade', '=', q.grade);
      if (q.schoolId && exclude !== 'school') b = b.where('r.school_id', '=', q.schoolId);
      if (q.licence && exclude !== 'licence') b = b.where('r.licence', '=', q.licence);
      if (q.allianceId) b = b.where('r.alliance_id', '=', q.allianceId);
      return b;
    };
    const total = await filtered()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const sort = q.sort ?? (terms.length ? 'relevance' : 'newest');
    let list = filtered().selectAll('r');
    if (sort === 'relevance' && terms.length) list = list.orderBy('m.rank', 'desc');
    else if (sort === 'rating')
      list = list.orderBy(sql`case when r.rating_count > 0 then r.rating_sum * 1.0 / r.rating_count else 0 end`, 'desc').orderBy('r.rating_count', 'desc');
    else if (sort === 'use') list = list.orderBy('r.uses', 'desc');
    list = list.orderBy('r.published_at', 'desc').orderBy('r.id', 'desc');
    const rows = (await list
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute()) as unknown as Row[];

    const facetCol: Record<FacetKey, 'r.subject' | 'r.stage' | 'r.grade' | 'r.kind' | 'r.school_id' | 'r.licence'> = {
      subject: 'r.subject',
      stage: 'r.stage',
      grade: 'r.grade',
      kind: 'r.kind',
      school: 'r.school_id',
      licence: 'r.licence',
    };
    const facets = {} as Record<FacetKey, { value: string; label: string; count: number }[]>;
    for (const f of FACETS) {
      const col = facetCol[f];
      const res = await filtered(f)
        .select([sql<string>`${sql.ref(col)}`.as('value'), (eb) => eb.fn.countAll<number>().as('n')])
        .where(col, 'is not', null)
        .groupBy(col)
        .orderBy('n', 'desc')
        .limit(f === 'school' ? 30 : 50)
        .execute();
      facets[f] = res.map((x) => ({ value: String(x.value), label: String(x.value), count: Number(x.n) }));
    }
    const label = { subject: SUBJECTS, stage: STAGES, grade: GRADES, kind: RESOURCE_KINDS, licence: LICENCES } as const;
    for (const f of ['subject', 'stage', 'grade', 'kind', 'licence'] as const) for (const v of facets[f]) v.label = label[f].label(v.value);
    if (facets.school.length) {
      const names = await this.db
        .selectFrom('schools')
        .select(['id', 'name'])
        .where(
          'id',
          'in',
          facets.school.map((s) => s.value),
        )
        .execute();
      const nm = new Map(names.map((n) => [n.id, n.name]));
      for (const v of facets.school) v.label = nm.get(v.value) ?? v.value;
    }
    const texts = terms.length
      ? await ftsTexts(
          this.db,
          rows.map((r) => r.id),
        )
      : new Map<string, string>();
    return {
      items: await this.summaries(rows, terms.length ? { terms, texts } : undefined),
      total: Number(total.n),
      page: q.page,
      pageSize: q.pageSize,
      facets,
      terms,
    };
  }

  async mine(actor: Actor, q: { status?: string; page: number; pageSize: number }) {
    let b = this.db
      .selectFrom('resources as r')
      .where((eb) =>
        eb.or([
          eb('r.created_by', '=', actor.userId),
          eb.exists(eb.selectFrom('resource_authors as a').select('a.id').whereRef('a.resource_id', '=', 'r.id').where('a.user_id', '=', actor.userId)),
        ]),
      );
    if (q.status) b = b.where('r.status', '=', q.status);
    const total = await b.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await b
      .selectAll('r')
      .orderBy('r.updated_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    return { items: await this.summaries(rows), total: Number(total.n), page: q.page, pageSize: q.pageSize };
  }

  async favourites(actor: Actor) {
    const rows = await this.db
      .selectFrom('resources as r')
      .innerJoin('resource_favourites as f', 'f.resource_id', 'r.id')
      .where('f.user_id', '=', actor.userId)
      .where((eb) => publishedFilter(actor)(eb as unknown as ExpressionBuilder<RDB, 'r'>))
      .selectAll('r')
      .orderBy('f.created_at', 'desc')
      .limit(200)
      .execute();
    return { items: await this.summaries(rows as Row[]), total: rows.length, page: 1, pageSize: 200 };
  }

  async detail(actor: Actor, id: string, opts: { countView: boolean }): Promise<ResourceDetail> {
    const r0 = await this.visible(actor, id);
    if (opts.countView && isLive(r0) && r0.created_by !== actor.userId) await this.countOnce(id, actor.userId, 'view');
    const r = opts.countView ? await this.load(id) : r0;
    const ref = r as ResourceRef;
    const unpublished = seesUnpublished(actor, ref);
    const [summary] = await this.summaries([r]);
    const authors = await this.db.selectFrom('resource_authors').select(['user_id', 'name']).where('resource_id', '=', id).orderBy('position').execute();
    const people = await this.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', [r.created_by, ...(r.reviewer_id ? [r.reviewer_id] : [])])
      .execute();
    const nameOf = new Map(people.map((p) => [p.id, p.display_name]));
    let versions = await this.db.selectFrom('resource_versions').selectAll().where('resource_id', '=', id).orderBy('number', 'desc').execute();
    if (!unpublished) versions = versions.filter((v) => v.published_at);
    const files = versions.length
      ? await this.db
          .selectFrom('resource_files')
          .select(['id', 'version_id', 'role', 'name', 'mime', 'size', 'sha256', 'pdf_key', 'text_extracted'])
          .where(
            'version_id',
            'in',
            versions.map((v) => v.id),
          )
          .orderBy('position')
          .execute()
      : [];
    const fileOut = (f: (typeof files)[number]) => ({
      id: f.id,
      role: f.role,
      name: f.name,
      mime: f.mime,
      size: Number(f.size),
      sha256: f.sha256,
      previewable: previewable(f.mime) || !!f.pdf_key,
      textExtracted: !!f.text_extracted,
      previewUrl: `/api/resources/${id}/files/${f.id}/preview`,
      downloadUrl: `/api/resources/${id}/files/${f.id}/download`,
    });
    const versionOut = versions.map((v) => ({
      id: v.id,
      number: v.number,
      note: v.note,
      createdAt: v.created_at,
      createdBy: v.created_by,
      publishedAt: v.published_at,
      current: v.id === r.current_version_id,
      draft: v.id === r.draft_version_id,
      files: files.filter((f) => f.version_id === v.id).map(fileOut),
    }));
    const shownVersion =
      unpublished && r.draft_version_id && r.created_by === actor.userId
        ? r.draft_version_id
        : (r.current_version_id ?? (unpublished ? r.draft_version_id : null));
    const reviews = unpublished
      ? await this.db
          .selectFrom('resource_reviews as rv')
          .innerJoin('users as u', 'u.id', 'rv.reviewer_id')
          .leftJoin('resource_versions as v', 'v.id', 'rv.version_id')
          .select(['rv.id', 'u.display_name', 'rv.decision', 'rv.scores', 'rv.average', 'rv.comment', 'v.number', 'rv.created_at'])
          .where('rv.resource_id', '=', id)
          .orderBy('rv.created_at', 'desc')
          .execute()
      : [];
    const history = unpublished
      ? await this.db
          .selectFrom('resource_status_history as h')
          .leftJoin('users as u', 'u.id', 'h.actor_id')
          .select(['h.from_status', 'h.to_status', 'h.step', 'u.display_name', 'h.comment', 'h.at'])
          .where('h.resource_id', '=', id)
          .orderBy('h.id')
          .execute()
      : [];
    const mine = await this.db
      .selectFrom('resource_ratings')
      .select('stars')
      .where('resource_id', '=', id)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    const fav = await this.db
      .selectFrom('resource_favourites')
      .select('user_id')
      .where('resource_id', '=', id)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    const uses = await this.db
      .selectFrom('resource_uses as u')
      .innerJoin('resource_versions as v', 'v.id', 'u.version_id')
      .select(['u.id', 'v.number', 'u.used_on', 'u.class_note', 'u.created_at'])
      .where('u.resource_id', '=', id)
      .where('u.user_id', '=', actor.userId)
      .orderBy('u.used_on', 'desc')
      .limit(50)
      .execute();
    const reviewable = r.draft_version_id ?? (r.status === 'withdrawn' ? r.current_version_id : null);
    const hasFiles = !!reviewable && files.some((f) => f.version_id === reviewable);
    const status = r.status as ResourceStatus;
    const editable = this.canEdit(actor, r);
    const live = isLive(r);
    const download = canDownload(actor, ref);
    const hasRole = (perm: 'write' | 'review') =>
      actor.isPlatformAdmin || actor.grants.some((g) => (perm === 'write' ? ['teacher', 'reviewer', 'school_admin'] : ['reviewer']).includes(g.role));
    return {
      ...summary!,
      language: r.language,
      authorsDetail: authors.map((a) => ({ userId: a.user_id, name: a.name })),
      createdBy: { id: r.created_by, name: nameOf.get(r.created_by) ?? '' },
      reviewer: r.reviewer_id && unpublished ? { id: r.reviewer_id, name: nameOf.get(r.reviewer_id) ?? '' } : null,
      submittedAt: r.submitted_at,
      createdAt: r.created_at,
      currentVersionId: r.current_version_id,
      draftVersionId: unpublished ? r.draft_version_id : null,
      files: versionOut.find((v) => v.id === shownVersion)?.files ?? [],
      versions: versionOut,
      reviews: reviews.map((x) => ({
        id: x.id,
        reviewer: x.display_name,
        decision: x.decision,
        scores: fromJson<Record<string, number>>(x.scores, {}),
        average: Number(x.average),
        comment: x.comment,
        versionNumber: x.number ?? null,
        createdAt: x.created_at,
      })),
      history: history.map((h) => ({
        fromStatus: h.from_status,
        toStatus: h.to_status,
        step: h.step,
        actor: h.display_name ?? null,
        comment: h.comment,
        at: h.at,
      })),
      rubric: RUBRICS[r.kind as ResourceKind] ?? [],
      myRating: mine?.stars ?? null,
      favourite: !!fav,
      myUses: uses.map((u) => ({ id: u.id, versionNumber: u.number, usedOn: u.used_on, classNote: u.class_note, createdAt: u.created_at })),
      can: {
        edit: editable && !!nextStatus(status, 'edit'),
        upload: editable && !!nextStatus(status, 'edit'),
        submit: editable && !!nextStatus(status, 'submit') && hasFiles,
        withdraw: editable && !!nextStatus(status, 'withdraw'),
        archive: editable && !!nextStatus(status, 'archive'),
        review:
          hasRole('review') &&
          r.created_by !== actor.userId &&
          (status === 'submitted' || status === 'in_review') &&
          (actor.isPlatformAdmin || r.reviewer_id === actor.userId || (r.reviewer_id == null && reviewsAlliance(actor, r.alliance_id))),
        download,
        rate: live && seesPublished(actor, ref) && r.created_by !== actor.userId && holds(actor, 'resource.feedback'),
        use: live && seesPublished(actor, ref) && hasRole('write'),
      },
      downloadBlockedReason: download ? null : '该资源的许可为“联盟内使用, 禁止转载”，仅联盟成员校可下载',
    };
  }

  // ---- counts, feedback, use ------------------------------------------------------------------

  /** Counts a view or download at most once per user, resource and day. */
  async countOnce(resourceId: string, userId: string, kind: 'view' | 'download'): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const res = await tx
        .insertInto('resource_daily_counts')
        .values({ resource_id: resourceId, user_id: userId, day: today(), kind })
        .onConflict((oc) => oc.columns(['resource_id', 'user_id', 'day', 'kind']).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const col = kind === 'view' ? 'views' : 'downloads';
      await tx
        .updateTable('resources')
        .set((eb) => ({ [col]: eb(col, '+', 1) }))
        .where('id', '=', resourceId)
        .execute();
      return true;
    });
  }

  private async live(actor: Actor, id: string): Promise<Row> {
    const r = await this.visible(actor, id);
    if (!seesPublished(actor, r as ResourceRef)) throw conflict('资源尚未发布');
    return r;
  }

  async rate(actor: Actor, id: string, stars: number) {
    const r = await this.live(actor, id);
    if (r.created_by === actor.userId) throw conflict('不能给自己的资源评分');
    const write = () =>
      this.db.transaction().execute(async (tx) => {
        const old = await tx
          .selectFrom('resource_ratings')
          .select('stars')
          .where('resource_id', '=', id)
          .where('user_id', '=', actor.userId)
          .executeTakeFirst();
        const now = nowIso();
        if (old) {
          await tx.updateTable('resource_ratings').set({ stars, updated_at: now }).where('resource_id', '=', id).where('user_id', '=', actor.userId).execute();
          await tx
            .updateTable('resources')
            .set((eb) => ({ rating_sum: eb('rating_sum', '+', stars - old.stars) }))
            .where('id', '=', id)
            .execute();
        } else {
          await tx.insertInto('resource_ratings').values({ resource_id: id, user_id: actor.userId, stars, created_at: now, updated_at: now }).execute();
          await tx
            .updateTable('resources')
            .set((eb) => ({ rating_sum: eb('rating_sum', '+', stars), rating_count: eb('rating_count', '+', 1) }))
            .where('id', '=', id)
            .execute();
        }
      });
    try {
      await write();
    } catch (err) {
      // two first ratings of one user at once (PostgreSQL): the loser becomes an update
      if (!isUniqueViolation(err)) throw err;
      await write();
    }
    const after = await this.load(id);
    return {
      myRating: stars,
      rating: after.rating_count ? Math.round((after.rating_sum / after.rating_count) * 10) / 10 : null,
      ratingCount: after.rating_count,
    };
  }

  async comments(actor: Actor, id: string) {
    const r = await this.visible(actor, id);
    const rows = await this.db
      .selectFrom('resource_comments as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .leftJoin('schools as s', 's.id', 'u.school_id')
      .select(['c.id', 'c.user_id', 'u.display_name', 's.name as school', 'c.body', 'c.created_at'])
      .where('c.resource_id', '=', id)
      .where('c.deleted_at', 'is', null)
      .orderBy('c.created_at', 'desc')
      .limit(200)
      .execute();
    const admin = isResourceAdmin(actor, r) || r.created_by === actor.userId;
    return {
      items: rows.map((c) => ({
        id: c.id,
        userId: c.user_id,
        userName: c.display_name,
        schoolName: c.school ?? null,
        body: c.body,
        createdAt: c.created_at,
        canDelete: admin || c.user_id === actor.userId,
      })),
    };
  }

  async addComment(actor: Actor, id: string, body: string) {
    const r = await this.live(actor, id);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('resource_comments')
        .values({ id: newId(), resource_id: id, user_id: actor.userId, body, created_at: nowIso(), deleted_at: null, deleted_by: null })
        .execute();
      if (r.created_by !== actor.userId) await this.notify(tx, r.created_by, 'commented', id, `新评论：${r.title}`, body.slice(0, 100));
    });
    return this.comments(actor, id);
  }

  async deleteComment(req: FastifyRequest, actor: Actor, commentId: string) {
    const c = await this.db.selectFrom('resource_comments').selectAll().where('id', '=', commentId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!c) throw notFound('resource_comment');
    const r = await this.load(c.resource_id);
    if (!canSee(actor, r as ResourceRef)) throw notFound('resource_comment');
    const own = c.user_id === actor.userId;
    if (!own && r.created_by !== actor.userId && !isResourceAdmin(actor, r)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('resource_comments').set({ deleted_at: nowIso(), deleted_by: actor.userId }).where('id', '=', commentId).execute();
      if (!own) {
        await audit(tx, req, {
          action: 'resource.comment_remove',
          entityType: 'resource',
          entityId: r.id,
          regionId: r.region_id,
          allianceId: r.alliance_id,
          schoolId: r.school_id,
          detail: { title: r.title, comment: c.body.slice(0, 200) },
        });
      }
    });
  }

  async setFavourite(actor: Actor, id: string, on: boolean) {
    await this.visible(actor, id);
    if (on) {
      await this.db
        .insertInto('resource_favourites')
        .values({ resource_id: id, user_id: actor.userId, created_at: nowIso() })
        .onConflict((oc) => oc.columns(['resource_id', 'user_id']).doNothing())
        .execute();
    } else {
      await this.db.deleteFrom('resource_favourites').where('resource_id', '=', id).where('user_id', '=', actor.userId).execute();
    }
    return { favourite: on };
  }

  /**
   * "Used in my class": one report per user, resource and day, pointing at the version used. Bounded
   * (issue 4): `usedOn` lies within the last USE_WINDOW_DAYS days (today included, installation time zone),
   * and a user reports at most USES_PER_DAY uses in 24 hours (429). A use by another school earns the owning
   * school and the author ONE reward per user and resource, ever: the first report claims it (the database
   * key decides between concurrent ones); later reports are recorded and counted but pay nothing and
   * record no contribution.
   */
  async use(req: FastifyRequest, actor: Actor, id: string, body: { classNote?: string; usedOn?: string }) {
    const r = await this.live(actor, id);
    const todayStr = today();
    const usedOn = body.usedOn ?? todayStr;
    if (usedOn > todayStr) throw badRequest([{ field: 'usedOn', code: 'invalid', params: { reason: '不能晚于今天 / may not be in the future' } }]);
    const earliest = new Date(Date.parse(`${todayStr}T00:00:00Z`) - (USE_WINDOW_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    if (usedOn < earliest) {
      throw badRequest([
        {
          field: 'usedOn',
          code: 'invalid',
          params: { reason: `只能登记最近 ${USE_WINDOW_DAYS} 天内（${earliest} 起）的使用 / only the last ${USE_WINDOW_DAYS} days` },
        },
      ]);
    }
    const existing = await this.db
      .selectFrom('resource_uses')
      .select('id')
      .where('resource_id', '=', id)
      .where('user_id', '=', actor.userId)
      .where('used_on', '=', usedOn)
      .executeTakeFirst();
    if (existing) return { created: false, useId: existing.id, contribution: null };
    const useId = newId();
    let contribution: { id: string; amount: number; transactionId: string | null } | null = null;
    try {
      await this.db.transaction().execute(async (tx) => {
        // the limit counts the user's reports of the last 24 hours; on PostgreSQL the user's row is locked
        // so that concurrent reports are counted one after the other (SQLite: BEGIN IMMEDIATE)
        await lockRow(tx, this.database.dialect, 'users', actor.userId);
        const since = new Date(Date.now() - 86_400_000).toISOString();
        const n = await tx
          .selectFrom('resource_uses')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', actor.userId)
          .where('created_at', '>=', since)
          .executeTakeFirstOrThrow();
        if (Number(n.n) >= USES_PER_DAY) throw new AppError(429, 'use_limit_reached', { max: USES_PER_DAY });
        const cur = await this.load(id, tx);
        await tx
          .insertInto('resource_uses')
          .values({
            id: useId,
            resource_id: id,
            version_id: cur.current_version_id!,
            user_id: actor.userId,
            school_id: actor.schoolId,
            class_note: body.classNote ?? null,
            used_on: usedOn,
            created_at: nowIso(),
          })
          .execute();
        await tx
          .updateTable('resources')
          .set((eb) => ({ uses: eb('uses', '+', 1) }))
          .where('id', '=', id)
          .execute();
        if (
          actor.schoolId &&
          actor.schoolId !== cur.school_id &&
          (await this.credits.claimResourceReward(tx, { resourceId: id, userId: actor.userId, useId }))
        ) {
          const cid = newId();
          let ledger: { transactionId: string | null; amount: number } = { transactionId: null, amount: 0 };
          if (cur.alliance_id) {
            ledger = await this.credits.rewardResourceUse(tx, req, {
              eventId: cid,
              allianceId: cur.alliance_id,
              resourceId: id,
              ownerSchoolId: cur.school_id,
              authorUserId: cur.created_by,
              userSchoolId: actor.schoolId,
            });
          }
          await tx
            .insertInto('resource_contributions')
            .values({
              id: cid,
              resource_id: id,
              use_id: useId,
              owner_school_id: cur.school_id,
              author_id: cur.created_by,
              using_school_id: actor.schoolId,
              alliance_id: cur.alliance_id,
              at: nowIso(),
              transaction_id: ledger.transactionId,
              amount: ledger.amount,
            })
            .execute();
          contribution = { id: cid, amount: ledger.amount, transactionId: ledger.transactionId };
          await this.notify(tx, cur.created_by, 'used', id, `您的资源被其他学校使用：${cur.title}`, body.classNote ?? null);
        }
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        const again = await this.db
          .selectFrom('resource_uses')
          .select('id')
          .where('resource_id', '=', id)
          .where('user_id', '=', actor.userId)
          .where('used_on', '=', usedOn)
          .executeTakeFirst();
        if (again) return { created: false, useId: again.id, contribution: null };
      }
      throw err;
    }
    void r;
    return { created: true, useId, contribution };
  }

  async contributions(actor: Actor, schoolId: string | undefined) {
    let q = this.db
      .selectFrom('resource_contributions as c')
      .innerJoin('resources as r', 'r.id', 'c.resource_id')
      .innerJoin('schools as s', 's.id', 'c.using_school_id')
      .select(['c.id', 'c.resource_id', 'r.title', 's.name as using', 'c.at', 'c.amount', 'c.transaction_id']);
    if (schoolId) {
      const school = await this.db.selectFrom('schools').select(['id', 'region_id']).where('id', '=', schoolId).executeTakeFirst();
      const region = school ? await this.cityOf(school.region_id) : null;
      // the school's admins and the overseers of its region (a school's credit standing is not for every member)
      const ok =
        school &&
        (actor.isPlatformAdmin ||
          actor.adminSchools.has(schoolId) ||
          actor.readRegions.has(school.region_id) ||
          (region != null && actor.readRegions.has(region)));
      if (!ok) throw notFound('school');
      q = q.where('c.owner_school_id', '=', schoolId);
    } else {
      q = q.where('c.author_id', '=', actor.userId);
    }
    const rows = await q.orderBy('c.at', 'desc').limit(500).execute();
    return {
      items: rows.map((x) => ({
        id: x.id,
        resourceId: x.resource_id,
        resourceTitle: x.title,
        usingSchool: x.using,
        at: x.at,
        amount: Number(x.amount),
        transactionId: x.transaction_id,
      })),
      total: rows.length,
    };
  }

  // ---- recommendations and catalogue ----------------------------------------------------------

  async recommended(actor: Actor) {
    const subjects = new Set<string>();
    const grades = new Set<string>();
    for (const g of actor.grants) if (g.subject) subjects.add(g.subject);
    const own = await this.db.selectFrom('resources').select(['subject', 'grade']).where('created_by', '=', actor.userId).limit(200).execute();
    const used = await this.db
      .selectFrom('resource_uses as u')
      .innerJoin('resources as r', 'r.id', 'u.resource_id')
      .select(['r.subject', 'r.grade'])
      .where('u.user_id', '=', actor.userId)
      .orderBy('u.created_at', 'desc')
      .limit(200)
      .execute();
    for (const x of [...own, ...used]) {
      subjects.add(x.subject);
      if (x.grade) grades.add(x.grade);
    }
    const vis = (eb: ExpressionBuilder<RDB, 'r'>) => publishedFilter(actor)(eb);
    let forYouQ = this.db.selectFrom('resources as r').selectAll('r').where(vis).where('r.created_by', '!=', actor.userId);
    if (subjects.size) forYouQ = forYouQ.where('r.subject', 'in', [...subjects]);
    if (grades.size) forYouQ = forYouQ.where((eb) => eb.or([eb('r.grade', 'in', [...grades]), eb('r.grade', 'is', null)]));
    const forYou = await forYouQ.orderBy(sql`r.uses + r.rating_sum`, 'desc').orderBy('r.published_at', 'desc').limit(10).execute();

    let likeYou: Row[] = [];
    if (subjects.size) {
      // teachers like you: people who authored or used resources of the same subjects
      const peers = this.db
        .selectFrom('resources as pr')
        .select('pr.created_by as uid')
        .where('pr.subject', 'in', [...subjects])
        .where('pr.created_by', '!=', actor.userId)
        .union(
          this.db
            .selectFrom('resource_uses as pu')
            .innerJoin('resources as px', 'px.id', 'pu.resource_id')
            .select('pu.user_id as uid')
            .where('px.subject', 'in', [...subjects])
            .where('pu.user_id', '!=', actor.userId),
        );
      const ranked = await this.db
        .selectFrom('resource_uses as u')
        .innerJoin('resources as r', 'r.id', 'u.resource_id')
        .select(['r.id', (eb) => eb.fn.count<number>('u.user_id').distinct().as('n')])
        .where('u.user_id', 'in', peers)
        .where(vis)
        .where('r.created_by', '!=', actor.userId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb.selectFrom('resource_uses as mine').select('mine.id').whereRef('mine.resource_id', '=', 'r.id').where('mine.user_id', '=', actor.userId),
            ),
          ),
        )
        .groupBy('r.id')
        .orderBy('n', 'desc')
        .orderBy('r.id')
        .limit(10)
        .execute();
      if (ranked.length) {
        const rows = await this.db
          .selectFrom('resources')
          .selectAll()
          .where(
            'id',
            'in',
            ranked.map((x) => x.id),
          )
          .execute();
        const order = new Map(ranked.map((x, i) => [x.id, i]));
        likeYou = rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      }
    }
    return { basis: { subjects: [...subjects], grades: [...grades] }, forYou: await this.summaries(forYou), likeYou: await this.summaries(likeYou) };
  }

  async catalogue(actor: Actor, month: string, subject?: string) {
    const range = monthRange(month);
    if (!range) throw badRequest([{ field: 'query.month', code: 'invalid_format' }]);
    let q = this.db
      .selectFrom('resources as r')
      .where((eb) => publishedFilter(actor)(eb))
      .where('r.published_at', '>=', range.from)
      .where('r.published_at', '<', range.to);
    if (subject) q = q.where('r.subject', '=', subject);
    const rows = await q.selectAll('r').orderBy('r.subject').orderBy('r.published_at').orderBy('r.id').limit(5000).execute();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.subject, (counts.get(r.subject) ?? 0) + 1);
    return {
      month,
      subjects: [...counts].map(([s, n]) => ({ subject: s, label: SUBJECTS.label(s), count: n })),
      items: await this.summaries(rows),
    };
  }

  // ---- notifications --------------------------------------------------------------------------

  async notifications(actor: Actor) {
    const rows = await this.db.selectFrom('resource_notifications').selectAll().where('user_id', '=', actor.userId).orderBy('id', 'desc').limit(100).execute();
    const unread = await this.db
      .selectFrom('resource_notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', actor.userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return {
      items: rows.map((n) => ({
        id: Number(n.id),
        kind: n.kind,
        resourceId: n.resource_id,
        title: n.title,
        body: n.body,
        createdAt: n.created_at,
        readAt: n.read_at,
      })),
      unread: Number(unread.n),
    };
  }

  async markRead(actor: Actor, id: number | 'all') {
    let q = this.db.updateTable('resource_notifications').set({ read_at: nowIso() }).where('user_id', '=', actor.userId).where('read_at', 'is', null);
    if (id !== 'all') {
      const n = await this.db.selectFrom('resource_notifications').select('id').where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
      if (!n) throw notFound('notification');
      q = q.where('id', '=', id);
    }
    await q.execute();
    return this.notifications(actor);
  }
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
