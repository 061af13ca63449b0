/**
 * Creating a resource (a draft with its first version) and editing its description: the school, the
 * alliance and the region come from the organization directory.
 */
import { GRADES, nextStatus, STAGES, stageOfGrade } from '../../../common/resources.js';
import { nowIso, toJson } from '../../db/index.js';
import type { Ctx } from '../../platform/context.js';
import { badRequest, forbidden, type RawFieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { OrgSnapshot } from '../org/directory.js';
import { type Deps, history, index, invalidTransition, load, uniq, visible } from './core.js';
import { detail } from './detail.js';
import { canEdit, isLive, mayCreateFor } from './policy.js';
import type { ResourceCreate, ResourceDetail, ResourceUpdate } from './schema.js';

/** The city-level region of a school's region (the scope of 区域 visibility). */
export function cityOf(org: OrgSnapshot, regionId: string): string {
  const reg = org.region(regionId);
  if (reg && reg.level === 'district' && reg.parentId) return reg.parentId;
  return regionId;
}

async function resolveAuthors(d: Deps, ctx: Ctx, authors: { userId?: string; name?: string }[] | undefined) {
  if (!authors) return [{ userId: ctx.actor.userId, name: ctx.actor.displayName }];
  const errors: RawFieldError[] = [];
  const out: { userId: string | null; name: string }[] = [];
  const ids = authors.map((a) => a.userId).filter((x): x is string => !!x);
  const users = ids.length ? await d.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute() : [];
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

function checkStageGrade(stage: string, grade: string | null | undefined) {
  if (grade && stageOfGrade(grade) !== stage) {
    throw badRequest([{ field: 'grade', code: 'invalid', params: { reason: `${GRADES.label(grade)}不属于${STAGES.label(stage)}` } }]);
  }
}

/** The resource's alliance: one the school is an active member of now (the earliest joined by default). */
function checkAlliance(org: OrgSnapshot, schoolId: string, allianceId: string | null | undefined, visibility: string): string | null {
  const alliances = org.activeAlliancesOfSchool(schoolId);
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

export async function create(d: Deps, ctx: Ctx, body: ResourceCreate): Promise<ResourceDetail> {
  const { actor } = ctx;
  const schoolId = body.schoolId ?? actor.schoolId;
  if (!schoolId) throw badRequest([{ field: 'schoolId', code: 'required' }]);
  if (!mayCreateFor(actor, schoolId)) throw badRequest([{ field: 'schoolId', code: 'out_of_scope' }]);
  const org = await d.dir.current();
  const school = org.school(schoolId);
  if (!school) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
  checkStageGrade(body.stage, body.grade);
  const allianceId = checkAlliance(org, schoolId, body.allianceId, body.visibility);
  const authors = await resolveAuthors(d, ctx, body.authors);
  const region = cityOf(org, school.regionId);
  const id = newId();
  const versionId = newId();
  const now = nowIso();
  await d.db.transaction().execute(async (tx) => {
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
    await history(tx, id, null, 'draft', 'create', actor.userId);
  });
  return detail(d, ctx, id, { countView: false });
}

export async function update(d: Deps, ctx: Ctx, id: string, body: ResourceUpdate): Promise<ResourceDetail> {
  const { actor, lang } = ctx;
  const r = await visible(d, actor, id);
  if (!canEdit(actor, r)) throw forbidden();
  if (!nextStatus(r.status, 'edit')) throw invalidTransition(lang, r.status, 'edit');
  const stage = body.stage ?? r.stage;
  const grade = body.grade !== undefined ? body.grade : r.grade;
  checkStageGrade(stage, grade);
  const visibility = body.visibility ?? r.visibility;
  const org = await d.dir.current();
  const allianceId =
    body.allianceId !== undefined || body.visibility !== undefined
      ? checkAlliance(org, r.school_id, body.allianceId !== undefined ? body.allianceId : r.alliance_id, visibility)
      : r.alliance_id;
  const authors = body.authors ? await resolveAuthors(d, ctx, body.authors) : null;
  await d.db.transaction().execute(async (tx) => {
    const cur = await load(d, id, tx);
    if (!nextStatus(cur.status, 'edit')) throw invalidTransition(lang, cur.status, 'edit');
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
    const after = await load(d, id, tx);
    if (isLive(after)) await index(d, tx, after);
  });
  return detail(d, ctx, id, { countView: false });
}
