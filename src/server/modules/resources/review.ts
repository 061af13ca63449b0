/**
 * The review workflow 上传—审核—共享: submit (a reviewer of the subject is assigned automatically),
 * assign, review (publish or return), withdraw and archive, and the reviewer's queue. Every status change
 * is compare-and-set (db/transition.ts).
 */
import { checkScores, nextStatus, RESOURCE_KINDS, type WorkflowStep } from '../../../common/resources.js';
import { SUBJECTS } from '../../../common/vocab.js';
import { ftsDelete } from '../../db/fts.js';
import { nowIso, toJson, type Tx } from '../../db/index.js';
import { transition } from '../../db/transition.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { badRequest, conflict, forbidden, type RawFieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { type Deps, history, index, invalidTransition, load, notify, type Row, visible } from './core.js';
import { detail } from './detail.js';
import { canEdit, mayAssign, mayReview, REVIEWER_ROLE, reviewerAlliances, UNASSIGNED_TOLD_ROLE } from './policy.js';
import type { ResourceDetail, ReviewIn } from './schema.js';

/** A reviewer of the subject in the resource's alliance with the fewest open reviews; else any reviewer of the alliance. */
async function pickReviewer(tx: Tx, r: Row): Promise<string | null> {
  if (!r.alliance_id) return null;
  const grants = await tx
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['g.user_id', 'g.subject'])
    .where('g.role', '=', REVIEWER_ROLE)
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

export async function submit(d: Deps, ctx: Ctx, id: string, comment?: string): Promise<ResourceDetail> {
  const { actor, lang } = ctx;
  const r = await visible(d, actor, id);
  if (!canEdit(actor, r)) throw forbidden();
  await d.db.transaction().execute(async (tx) => {
    const cur = await load(d, id, tx);
    const next = nextStatus(cur.status, 'submit');
    if (!next) throw invalidTransition(lang, cur.status, 'submit');
    const versionId = cur.draft_version_id ?? (cur.status === 'withdrawn' ? cur.current_version_id : null);
    if (!versionId) throw conflict('没有待审核的新版本，请先上传新文件');
    const files = await tx.selectFrom('resource_files').select('id').where('version_id', '=', versionId).limit(1).execute();
    if (!files.length) throw badRequest([{ field: 'file', code: 'required' }]);
    const reviewer = await pickReviewer(tx, cur);
    const status = reviewer ? 'in_review' : 'submitted';
    const now = nowIso();
    await transition(tx, 'resources', id, cur.status, { status, reviewer_id: reviewer, submitted_at: now, updated_at: now }, (c) =>
      invalidTransition(lang, c ?? cur.status, 'submit'),
    );
    await history(tx, id, cur.status, 'submitted', 'submit', actor.userId, comment ?? null);
    if (reviewer) {
      await tx
        .insertInto('resource_review_assignments')
        .values({ id: newId(), resource_id: id, version_id: versionId, reviewer_id: reviewer, assigned_at: now, done_at: null, decision: null })
        .execute();
      await history(tx, id, 'submitted', 'in_review', 'assign', null, null, 1);
      await notify(tx, reviewer, 'assigned', id, `待审核：${cur.title}`, `${SUBJECTS.label(cur.subject)} · ${RESOURCE_KINDS.label(cur.kind)}`);
    } else if (cur.alliance_id) {
      const admins = await tx
        .selectFrom('role_grants')
        .select('user_id')
        .where('role', '=', UNASSIGNED_TOLD_ROLE)
        .where('scope_id', '=', cur.alliance_id)
        .execute();
      for (const a of new Set(admins.map((x) => x.user_id)))
        await notify(tx, a, 'unassigned', id, `待分配审核员：${cur.title}`, `${SUBJECTS.label(cur.subject)}学科暂无审核员`);
    }
  });
  return detail(d, ctx, id, { countView: false });
}

export async function assign(d: Deps, ctx: Ctx, id: string, reviewerId: string): Promise<ResourceDetail> {
  const { actor, lang } = ctx;
  const r = await visible(d, actor, id);
  if (!mayAssign(actor, r)) throw forbidden();
  const grant = r.alliance_id
    ? await d.db
        .selectFrom('role_grants')
        .select('id')
        .where('user_id', '=', reviewerId)
        .where('role', '=', REVIEWER_ROLE)
        .where('scope_id', '=', r.alliance_id)
        .executeTakeFirst()
    : undefined;
  if (!grant || reviewerId === r.created_by) throw badRequest([{ field: 'reviewerId', code: 'invalid', params: { reason: '不是该联盟的审核员' } }]);
  await d.db.transaction().execute(async (tx) => {
    const cur = await load(d, id, tx);
    if (!nextStatus(cur.status, 'assign')) throw invalidTransition(lang, cur.status, 'assign');
    const now = nowIso();
    await transition(tx, 'resources', id, cur.status, { status: 'in_review', reviewer_id: reviewerId, updated_at: now }, (c) =>
      invalidTransition(lang, c ?? cur.status, 'assign'),
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
    await history(tx, id, cur.status, 'in_review', 'assign', actor.userId);
    await notify(tx, reviewerId, 'assigned', id, `待审核：${cur.title}`);
    await audit(tx, ctx, {
      action: 'resource.assign',
      entityType: 'resource',
      entityId: id,
      regionId: cur.region_id,
      allianceId: cur.alliance_id,
      schoolId: cur.school_id,
      detail: { title: cur.title, reviewerId },
    });
  });
  return detail(d, ctx, id, { countView: false });
}

export async function review(d: Deps, ctx: Ctx, id: string, body: ReviewIn): Promise<ResourceDetail> {
  const { actor, lang } = ctx;
  const r = await visible(d, actor, id);
  if (!mayReview(actor, r)) throw forbidden();
  const step: WorkflowStep = body.decision === 'publish' ? 'publish' : 'return';
  if (!nextStatus(r.status, step)) throw invalidTransition(lang, r.status, step);
  const { errors, average } = checkScores(r.kind, body.scores);
  const fields: RawFieldError[] = errors.map((e) => ({
    field: `scores.${e.item}`,
    code: e.reason === 'missing' ? 'rubric_item_missing' : e.reason === 'unknown' ? 'rubric_item_unknown' : 'rubric_item_range',
  }));
  if (body.decision === 'return' && !body.comment) fields.push({ field: 'comment', code: 'required' });
  if (fields.length) throw badRequest(fields);
  await d.db.transaction().execute(async (tx) => {
    const cur = await load(d, id, tx);
    const next = nextStatus(cur.status, step);
    if (!next) throw invalidTransition(lang, cur.status, step);
    const now = nowIso();
    const versionId = cur.draft_version_id ?? cur.current_version_id;
    // the decision is taken once: a concurrent second decision (or a withdrawal) finds the status moved on
    await transition(tx, 'resources', id, cur.status, { status: next, reviewer_id: actor.userId, updated_at: now }, (c) =>
      invalidTransition(lang, c ?? cur.status, step),
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
      await index(d, tx, await load(d, id, tx));
    } else {
      await tx.updateTable('resources').set({ status: 'returned', reviewer_id: actor.userId, updated_at: now }).where('id', '=', id).execute();
    }
    await history(tx, id, cur.status, next, step, actor.userId, body.comment ?? null);
    const title = step === 'publish' ? `资源已发布：${cur.title}` : `资源被退回修改：${cur.title}`;
    await notify(tx, cur.created_by, step === 'publish' ? 'published' : 'returned', id, title, body.comment ?? null);
    await audit(tx, ctx, {
      action: `resource.${step}`,
      entityType: 'resource',
      entityId: id,
      regionId: cur.region_id,
      allianceId: cur.alliance_id,
      schoolId: cur.school_id,
      detail: { title: cur.title, scores: body.scores, average, comment: body.comment ?? null },
    });
  });
  return detail(d, ctx, id, { countView: false });
}

/** Withdraw (out of review or publication, back to its author) or archive: the author and the resource's admins. */
export async function retire(d: Deps, ctx: Ctx, id: string, step: 'withdraw' | 'archive', comment?: string): Promise<ResourceDetail> {
  const { actor, lang } = ctx;
  const r = await visible(d, actor, id);
  if (!canEdit(actor, r)) throw forbidden();
  await d.db.transaction().execute(async (tx) => {
    const cur = await load(d, id, tx);
    const next = nextStatus(cur.status, step);
    if (!next) throw invalidTransition(lang, cur.status, step);
    const now = nowIso();
    await transition(tx, 'resources', id, cur.status, { status: next, updated_at: now }, (c) => invalidTransition(lang, c ?? cur.status, step));
    await tx
      .updateTable('resource_review_assignments')
      .set({ done_at: now, decision: step })
      .where('resource_id', '=', id)
      .where('done_at', 'is', null)
      .execute();
    await ftsDelete(tx, d.database.dialect, id);
    await history(tx, id, cur.status, next, step, actor.userId, comment ?? null);
    if (cur.created_by !== actor.userId) {
      await notify(tx, cur.created_by, step, id, `${step === 'archive' ? '资源已归档' : '资源已撤回'}：${cur.title}`, comment ?? null);
    }
    if (step === 'archive' || cur.created_by !== actor.userId) {
      await audit(tx, ctx, {
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
  return detail(d, ctx, id, { countView: false });
}

/** What waits for the actor's review: assigned to the actor, or unassigned in an alliance the actor reviews for. */
export async function queue(d: Deps, ctx: Ctx) {
  const { actor } = ctx;
  const org = await d.dir.current();
  const alliances = reviewerAlliances(actor);
  let q = d.db
    .selectFrom('resources as r')
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
      school: { id: x.school_id, name: org.school(x.school_id)?.name ?? x.school_id },
      authorName: x.author,
      submittedAt: x.submitted_at,
      assignedToMe: x.reviewer_id === actor.userId,
      versionNumber: x.number ?? null,
    })),
  };
}
