/**
 * Resources finding people: recommendations by subject and grade and what teachers like you use, the
 * monthly catalogue, and the notifications of authors and reviewers.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import { monthRange } from '../../../common/resources.js';
import { SUBJECTS } from '../../../common/vocab.js';
import { nowIso } from '../../db/index.js';
import type { Ctx } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import type { Deps, Row } from './core.js';
import { summaries } from './list.js';
import { publishedFilter, type RDB } from './policy.js';

/** For you: the subjects and grades one teaches, authors and uses; and what teachers of those subjects use. */
export async function recommended(d: Deps, ctx: Ctx) {
  const { actor } = ctx;
  const org = await d.dir.current();
  const subjects = new Set<string>();
  const grades = new Set<string>();
  for (const g of actor.grants) if (g.subject) subjects.add(g.subject);
  const own = await d.db.selectFrom('resources').select(['subject', 'grade']).where('created_by', '=', actor.userId).limit(200).execute();
  const used = await d.db
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
  let forYouQ = d.db.selectFrom('resources as r').selectAll('r').where(vis).where('r.created_by', '!=', actor.userId);
  if (subjects.size) forYouQ = forYouQ.where('r.subject', 'in', [...subjects]);
  if (grades.size) forYouQ = forYouQ.where((eb) => eb.or([eb('r.grade', 'in', [...grades]), eb('r.grade', 'is', null)]));
  const forYou = await forYouQ.orderBy(sql`r.uses + r.rating_sum`, 'desc').orderBy('r.published_at', 'desc').limit(10).execute();

  let likeYou: Row[] = [];
  if (subjects.size) {
    // teachers like you: people who authored or used resources of the same subjects
    const peers = d.db
      .selectFrom('resources as pr')
      .select('pr.created_by as uid')
      .where('pr.subject', 'in', [...subjects])
      .where('pr.created_by', '!=', actor.userId)
      .union(
        d.db
          .selectFrom('resource_uses as pu')
          .innerJoin('resources as px', 'px.id', 'pu.resource_id')
          .select('pu.user_id as uid')
          .where('px.subject', 'in', [...subjects])
          .where('pu.user_id', '!=', actor.userId),
      );
    const ranked = await d.db
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
      const rows = await d.db
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
  return {
    basis: { subjects: [...subjects], grades: [...grades] },
    forYou: await summaries(d, org, forYou),
    likeYou: await summaries(d, org, likeYou),
  };
}

/** The resources published in a month (local calendar), by subject. */
export async function catalogue(d: Deps, ctx: Ctx, month: string, subject?: string) {
  const range = monthRange(month);
  if (!range) throw badRequest([{ field: 'query.month', code: 'invalid_format' }]);
  const org = await d.dir.current();
  let q = d.db
    .selectFrom('resources as r')
    .where((eb) => publishedFilter(ctx.actor)(eb))
    .where('r.published_at', '>=', range.from)
    .where('r.published_at', '<', range.to);
  if (subject) q = q.where('r.subject', '=', subject);
  const rows = await q.selectAll('r').orderBy('r.subject').orderBy('r.published_at').orderBy('r.id').limit(5000).execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.subject, (counts.get(r.subject) ?? 0) + 1);
  return {
    month,
    subjects: [...counts].map(([s, n]) => ({ subject: s, label: SUBJECTS.label(s), count: n })),
    items: await summaries(d, org, rows),
  };
}

// ---- notifications ----------------------------------------------------------------------------------

export async function notifications(d: Deps, ctx: Ctx) {
  const userId = ctx.actor.userId;
  const rows = await d.db.selectFrom('resource_notifications').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(100).execute();
  const unread = await d.db
    .selectFrom('resource_notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
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

export async function markRead(d: Deps, ctx: Ctx, id: number | 'all') {
  const userId = ctx.actor.userId;
  let q = d.db.updateTable('resource_notifications').set({ read_at: nowIso() }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (id !== 'all') {
    const n = await d.db.selectFrom('resource_notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!n) throw notFound('notification');
    q = q.where('id', '=', id);
  }
  await q.execute();
  return notifications(d, ctx);
}
