/**
 * The resource page: description, versions and files, reviews and history (for those who see unpublished
 * work), the actor's rating, favourite and uses, and what the actor may do next.
 */
import { nextStatus, previewable, RUBRICS } from '../../../common/resources.js';
import { fromJson } from '../../db/index.js';
import type { Ctx } from '../../platform/context.js';
import { type Deps, load, visible } from './core.js';
import { countOnce } from './feedback.js';
import { summaries } from './list.js';
import { canDownload, canEdit, DOWNLOAD_BLOCKED, isLive, mayRate, mayReportUse, offersReview, seesUnpublished } from './policy.js';
import type { ResourceDetail } from './schema.js';

export async function detail(d: Deps, ctx: Ctx, id: string, opts: { countView: boolean }): Promise<ResourceDetail> {
  const { actor } = ctx;
  const org = await d.dir.current();
  const r0 = await visible(d, actor, id);
  if (opts.countView && isLive(r0) && r0.created_by !== actor.userId) await countOnce(d, ctx, id, 'view');
  const r = opts.countView ? await load(d, id) : r0;
  const unpublished = seesUnpublished(actor, r);
  const [summary] = await summaries(d, org, [r]);
  const authors = await d.db.selectFrom('resource_authors').select(['user_id', 'name']).where('resource_id', '=', id).orderBy('position').execute();
  const people = await d.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [r.created_by, ...(r.reviewer_id ? [r.reviewer_id] : [])])
    .execute();
  const nameOf = new Map(people.map((p) => [p.id, p.display_name]));
  let versions = await d.db.selectFrom('resource_versions').selectAll().where('resource_id', '=', id).orderBy('number', 'desc').execute();
  if (!unpublished) versions = versions.filter((v) => v.published_at);
  const files = versions.length
    ? await d.db
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
    ? await d.db
        .selectFrom('resource_reviews as rv')
        .innerJoin('users as u', 'u.id', 'rv.reviewer_id')
        .leftJoin('resource_versions as v', 'v.id', 'rv.version_id')
        .select(['rv.id', 'u.display_name', 'rv.decision', 'rv.scores', 'rv.average', 'rv.comment', 'v.number', 'rv.created_at'])
        .where('rv.resource_id', '=', id)
        .orderBy('rv.created_at', 'desc')
        .execute()
    : [];
  const history = unpublished
    ? await d.db
        .selectFrom('resource_status_history as h')
        .leftJoin('users as u', 'u.id', 'h.actor_id')
        .select(['h.from_status', 'h.to_status', 'h.step', 'u.display_name', 'h.comment', 'h.at'])
        .where('h.resource_id', '=', id)
        .orderBy('h.id')
        .execute()
    : [];
  const mine = await d.db.selectFrom('resource_ratings').select('stars').where('resource_id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
  const fav = await d.db
    .selectFrom('resource_favourites')
    .select('user_id')
    .where('resource_id', '=', id)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  const uses = await d.db
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
  const status = r.status;
  const editable = canEdit(actor, r);
  const download = canDownload(actor, r);
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
    rubric: RUBRICS[r.kind] ?? [],
    myRating: mine?.stars ?? null,
    favourite: !!fav,
    myUses: uses.map((u) => ({ id: u.id, versionNumber: u.number, usedOn: u.used_on, classNote: u.class_note, createdAt: u.created_at })),
    can: {
      edit: editable && !!nextStatus(status, 'edit'),
      upload: editable && !!nextStatus(status, 'edit'),
      submit: editable && !!nextStatus(status, 'submit') && hasFiles,
      withdraw: editable && !!nextStatus(status, 'withdraw'),
      archive: editable && !!nextStatus(status, 'archive'),
      review: offersReview(actor, r),
      download,
      rate: mayRate(actor, r),
      use: mayReportUse(actor, r),
    },
    downloadBlockedReason: download ? null : DOWNLOAD_BLOCKED,
  };
}
