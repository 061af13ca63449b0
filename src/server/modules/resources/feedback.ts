/**
 * Feedback on resources: view and download counts, ratings, comments and favourites.
 */
import { isUniqueViolation, nowIso } from '../../db/index.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { type Deps, load, notify, type Row, today, visible } from './core.js';
import type { CountKind } from '../../db/tables/resources.js';
import { canSee, mayRemoveComment, seesPublished } from './policy.js';

/** Counts a view or download at most once per user, resource and day. */
export async function countOnce(d: Deps, ctx: Ctx, resourceId: string, kind: CountKind): Promise<boolean> {
  const userId = ctx.actor.userId;
  return d.db.transaction().execute(async (tx) => {
    const res = await tx
      .insertInto('resource_daily_counts')
      .values({ resource_id: resourceId, user_id: userId, day: today(ctx.now), kind })
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

/** The resource when it is published and reaches the actor as such (feedback is on published work). */
export async function live(d: Deps, ctx: Ctx, id: string): Promise<Row> {
  const r = await visible(d, ctx.actor, id);
  if (!seesPublished(ctx.actor, r)) throw conflict('资源尚未发布');
  return r;
}

export async function rate(d: Deps, ctx: Ctx, id: string, stars: number) {
  const userId = ctx.actor.userId;
  const r = await live(d, ctx, id);
  if (r.created_by === userId) throw conflict('不能给自己的资源评分');
  const write = () =>
    d.db.transaction().execute(async (tx) => {
      const old = await tx.selectFrom('resource_ratings').select('stars').where('resource_id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      const now = nowIso();
      if (old) {
        await tx.updateTable('resource_ratings').set({ stars, updated_at: now }).where('resource_id', '=', id).where('user_id', '=', userId).execute();
        await tx
          .updateTable('resources')
          .set((eb) => ({ rating_sum: eb('rating_sum', '+', stars - old.stars) }))
          .where('id', '=', id)
          .execute();
      } else {
        await tx.insertInto('resource_ratings').values({ resource_id: id, user_id: userId, stars, created_at: now, updated_at: now }).execute();
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
  const after = await load(d, id);
  return {
    myRating: stars,
    rating: after.rating_count ? Math.round((after.rating_sum / after.rating_count) * 10) / 10 : null,
    ratingCount: after.rating_count,
  };
}

export async function comments(d: Deps, ctx: Ctx, id: string) {
  const { actor } = ctx;
  const org = await d.dir.current();
  const r = await visible(d, actor, id);
  const rows = await d.db
    .selectFrom('resource_comments as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.id', 'c.user_id', 'u.display_name', 'u.school_id', 'c.body', 'c.created_at'])
    .where('c.resource_id', '=', id)
    .where('c.deleted_at', 'is', null)
    .orderBy('c.created_at', 'desc')
    .limit(200)
    .execute();
  return {
    items: rows.map((c) => ({
      id: c.id,
      userId: c.user_id,
      userName: c.display_name,
      schoolName: (c.school_id && org.school(c.school_id)?.name) || null,
      body: c.body,
      createdAt: c.created_at,
      canDelete: mayRemoveComment(actor, r, c.user_id),
    })),
  };
}

export async function addComment(d: Deps, ctx: Ctx, id: string, body: string) {
  const userId = ctx.actor.userId;
  const r = await live(d, ctx, id);
  await d.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('resource_comments')
      .values({ id: newId(), resource_id: id, user_id: userId, body, created_at: nowIso(), deleted_at: null, deleted_by: null })
      .execute();
    if (r.created_by !== userId) await notify(tx, r.created_by, 'commented', id, `新评论：${r.title}`, body.slice(0, 100));
  });
  return comments(d, ctx, id);
}

export async function deleteComment(d: Deps, ctx: Ctx, commentId: string) {
  const { actor } = ctx;
  const c = await d.db.selectFrom('resource_comments').selectAll().where('id', '=', commentId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!c) throw notFound('resource_comment');
  const r = await load(d, c.resource_id);
  if (!canSee(actor, r)) throw notFound('resource_comment');
  if (!mayRemoveComment(actor, r, c.user_id)) throw forbidden();
  const own = c.user_id === actor.userId;
  await d.db.transaction().execute(async (tx) => {
    await tx.updateTable('resource_comments').set({ deleted_at: nowIso(), deleted_by: actor.userId }).where('id', '=', commentId).execute();
    if (!own) {
      await audit(tx, ctx, {
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

export async function setFavourite(d: Deps, ctx: Ctx, id: string, on: boolean) {
  const userId = ctx.actor.userId;
  await visible(d, ctx.actor, id);
  if (on) {
    await d.db
      .insertInto('resource_favourites')
      .values({ resource_id: id, user_id: userId, created_at: nowIso() })
      .onConflict((oc) => oc.columns(['resource_id', 'user_id']).doNothing())
      .execute();
  } else {
    await d.db.deleteFrom('resource_favourites').where('resource_id', '=', id).where('user_id', '=', userId).execute();
  }
  return { favourite: on };
}
