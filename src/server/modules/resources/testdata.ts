/**
 * Resources inserted straight into the tables for tests (the route × role table in access.test.ts):
 * one set per scope, in every workflow state a route needs.
 */
import type { ResourceStatus } from '../../../common/resources.js';
import type { Database } from '../../db/index.js';
import { newId } from '../../platform/ids.js';
import type { Storage } from '../../platform/storage.js';

export interface ResourceTargets {
  /** published, visible to the alliance; not written by any demo account */
  resource: string;
  resourceFile: string;
  /** a comment on `resource` by a teacher who is no demo account */
  resourceComment: string;
  /** drafts / published / under review, all written by `author` */
  resEdit: string;
  resFileDel: string;
  resFileDelFile: string;
  resSubmit: string;
  resWithdraw: string;
  resArchive: string;
  resReview: string;
  resAssign: string;
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/**
 * Inserts the set for one owning school. `author` writes the editable ones, `other` the published
 * `resource`, `commenter` its comment; `reviewer` (optional) is assigned to the one under review.
 */
export async function insertResourceTargets(
  database: Database,
  storage: Storage,
  o: { schoolId: string; allianceId: string; regionId: string; author: string; other: string; commenter: string; reviewer: string | null; tag: string },
): Promise<ResourceTargets> {
  const db = database.db;
  const at = '2026-09-01T00:00:00.000Z';
  const make = async (name: string, createdBy: string, status: ResourceStatus, published: boolean, reviewer: string | null = null) => {
    const id = `res_${o.tag}_${name}`;
    const vid = `rv_${o.tag}_${name}`;
    const fid = `rf_${o.tag}_${name}`;
    const stored = await storage.put(`resources/${id}/${newId()}`, PDF);
    await db
      .insertInto('resources')
      .values({
        id,
        kind: 'lesson_plan',
        title: `测试资源 ${name}`,
        description: '访问控制测试',
        subject: 'math',
        stage: 'primary',
        grade: 'g3',
        textbook_edition: 'pep',
        chapter: null,
        difficulty: null,
        tags: '[]',
        language: 'zh',
        licence: 'cc_by',
        visibility: 'alliance',
        alliance_id: o.allianceId,
        school_id: o.schoolId,
        region_id: o.regionId,
        created_by: createdBy,
        status,
        current_version_id: published ? vid : null,
        draft_version_id: published ? null : vid,
        reviewer_id: reviewer,
        submitted_at: status === 'draft' ? null : at,
        published_at: published ? at : null,
        views: 0,
        downloads: 0,
        uses: 0,
        rating_sum: 0,
        rating_count: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('resource_versions')
      .values({ id: vid, resource_id: id, number: 1, note: null, created_by: createdBy, created_at: at, published_at: published ? at : null })
      .execute();
    await db
      .insertInto('resource_files')
      .values({
        id: fid,
        resource_id: id,
        version_id: vid,
        role: 'main',
        position: 0,
        storage_key: stored.key,
        name: '测试.pdf',
        mime: 'application/pdf',
        size: stored.size,
        sha256: stored.sha256,
        text: null,
        text_extracted: 0,
        pdf_key: null,
        created_at: at,
      })
      .execute();
    await db
      .insertInto('resource_authors')
      .values({ id: `ra_${o.tag}_${name}`, resource_id: id, user_id: createdBy, name: '作者', position: 0 })
      .execute();
    if (reviewer) {
      await db
        .insertInto('resource_review_assignments')
        .values({ id: `rra_${o.tag}_${name}`, resource_id: id, version_id: vid, reviewer_id: reviewer, assigned_at: at, done_at: null, decision: null })
        .execute();
    }
    return { id, fid };
  };
  const resource = await make('pub', o.other, 'published', true);
  const commentId = `rc_${o.tag}`;
  await db
    .insertInto('resource_comments')
    .values({ id: commentId, resource_id: resource.id, user_id: o.commenter, body: '测试评论', created_at: at, deleted_at: null, deleted_by: null })
    .execute();
  const del = await make('filedel', o.author, 'draft', false);
  return {
    resource: resource.id,
    resourceFile: resource.fid,
    resourceComment: commentId,
    resEdit: (await make('edit', o.author, 'draft', false)).id,
    resFileDel: del.id,
    resFileDelFile: del.fid,
    resSubmit: (await make('submit', o.author, 'draft', false)).id,
    resWithdraw: (await make('withdraw', o.author, 'published', true)).id,
    resArchive: (await make('archive', o.author, 'published', true)).id,
    resReview: (await make('review', o.author, o.reviewer ? 'in_review' : 'submitted', false, o.reviewer)).id,
    resAssign: (await make('assign', o.author, 'submitted', false)).id,
  };
}
