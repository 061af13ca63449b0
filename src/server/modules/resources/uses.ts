/**
 * "Used in my class" and what it earns: a use by another school pays the owning school and the author
 * once per user and resource (the credit ledger), recorded as a contribution.
 */
import { lockRow } from '../../db/bookings.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { type Deps, load, notify, today } from './core.js';
import { cityOf } from './edit.js';
import { live } from './feedback.js';
import { readsSchoolContributions } from './policy.js';
import type { UseIn } from './schema.js';

/** "Used in my class" reports reach back this many days (today included). */
export const USE_WINDOW_DAYS = 7;
/** At most this many use reports per user in any 24 hours. */
export const USES_PER_DAY = 20;

/**
 * "Used in my class": one report per user, resource and day, pointing at the version used. Bounded
 * (issue 4): `usedOn` lies within the last USE_WINDOW_DAYS days (today included, installation time zone),
 * and a user reports at most USES_PER_DAY uses in 24 hours (429). A use by another school earns the owning
 * school and the author ONE reward per user and resource, ever: the first report claims it (the database
 * key decides between concurrent ones); later reports are recorded and counted but pay nothing and
 * record no contribution.
 */
export async function use(d: Deps, ctx: Ctx, id: string, body: UseIn) {
  const { actor } = ctx;
  await live(d, ctx, id);
  const todayStr = today(ctx.now);
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
  const sameDay = () =>
    d.db
      .selectFrom('resource_uses')
      .select('id')
      .where('resource_id', '=', id)
      .where('user_id', '=', actor.userId)
      .where('used_on', '=', usedOn)
      .executeTakeFirst();
  const existing = await sameDay();
  if (existing) return { created: false, useId: existing.id, contribution: null };
  const useId = newId();
  let contribution: { id: string; amount: number; transactionId: string | null } | null = null;
  try {
    await d.db.transaction().execute(async (tx) => {
      // the limit counts the user's reports of the last 24 hours; on PostgreSQL the user's row is locked
      // so that concurrent reports are counted one after the other (SQLite: BEGIN IMMEDIATE)
      await lockRow(tx, d.database.dialect, 'users', actor.userId);
      const since = new Date(ctx.now.getTime() - 86_400_000).toISOString();
      const n = await tx
        .selectFrom('resource_uses')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', actor.userId)
        .where('created_at', '>=', since)
        .executeTakeFirstOrThrow();
      if (Number(n.n) >= USES_PER_DAY) throw new AppError(429, 'use_limit_reached', { max: USES_PER_DAY });
      const cur = await load(d, id, tx);
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
      if (actor.schoolId && actor.schoolId !== cur.school_id && (await d.credits.claimResourceReward(tx, { resourceId: id, userId: actor.userId, useId }))) {
        const cid = newId();
        let ledger: { transactionId: string | null; amount: number } = { transactionId: null, amount: 0 };
        if (cur.alliance_id) {
          ledger = await d.credits.rewardResourceUse(tx, ctx, {
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
        await notify(tx, cur.created_by, 'used', id, `您的资源被其他学校使用：${cur.title}`, body.classNote ?? null);
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const again = await sameDay();
      if (again) return { created: false, useId: again.id, contribution: null };
    }
    throw err;
  }
  return { created: true, useId, contribution };
}

/** The uses of a school's resources by other schools (`schoolId`), or of the actor's own resources. */
export async function contributions(d: Deps, ctx: Ctx, schoolId: string | undefined) {
  const { actor } = ctx;
  const org = await d.dir.current();
  let q = d.db
    .selectFrom('resource_contributions as c')
    .innerJoin('resources as r', 'r.id', 'c.resource_id')
    .select(['c.id', 'c.resource_id', 'r.title', 'c.using_school_id', 'c.at', 'c.amount', 'c.transaction_id']);
  if (schoolId) {
    const school = org.school(schoolId);
    if (!school || !readsSchoolContributions(actor, school, cityOf(org, school.regionId))) throw notFound('school');
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
      usingSchool: org.school(x.using_school_id)?.name ?? x.using_school_id,
      at: x.at,
      amount: Number(x.amount),
      transactionId: x.transaction_id,
    })),
    total: rows.length,
  };
}
