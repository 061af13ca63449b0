/**
 * "Used in my class" cannot mint credits (issue 4): `usedOn` within the last 7 days and not in the future,
 * one reward per user and resource ever (also under concurrent reports), at most 20 reports per user in
 * 24 hours; and the money check finds nothing afterwards. Also: concurrent review decisions on one
 * resource, one wins (compare-and-set).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { expectProblem } from '../../testkit.js';
import { todayIn } from '../../../common/time.js';
import { checkLedger } from '../credits/ledger.js';
import { checkMoneyCauses } from '../credits/causes.js';
import { insertResourceTargets } from './testdata.js';
import { USE_WINDOW_DAYS, USES_PER_DAY } from './service.js';

const ALLIANCE = 'a_0001';
const USER_SCHOOL = 's_00001';

const daysAgo = (n: number) => new Date(Date.parse(`${todayIn()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

let env: TestEnv;
let user: Client;
let userId: string;
let published: string[] = [];
let inReview: string;
let reviewers: Client[];

beforeAll(async () => {
  env = await makeTestEnv();
  const db = env.database.db;
  const author = await db.selectFrom('users').select(['id', 'school_id']).where('username', '=', 'teacher').executeTakeFirstOrThrow();
  expect(author.school_id).not.toBe(USER_SCHOOL);
  const school = await db.selectFrom('schools').select('region_id').where('id', '=', author.school_id!).executeTakeFirstOrThrow();
  const reviewer = await db.selectFrom('users').select('id').where('username', '=', 'reviewer').executeTakeFirstOrThrow();
  published = [];
  for (const tag of ['ua', 'ub']) {
    const t = await insertResourceTargets(env.database, env.storage, {
      schoolId: author.school_id!,
      allianceId: ALLIANCE,
      regionId: school.region_id,
      author: author.id,
      other: author.id,
      commenter: author.id,
      reviewer: reviewer.id,
      tag,
    });
    published.push(t.resource, t.resWithdraw, t.resArchive);
    if (tag === 'ua') inReview = t.resReview;
  }
  const u = await db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.id', 'u.username'])
    .where('g.role', '=', 'teacher')
    .where('g.scope_id', '=', USER_SCHOOL)
    .orderBy('u.username')
    .limit(1)
    .executeTakeFirstOrThrow();
  // the demo's uses of this teacher lie in the past; none counts towards the last 24 hours
  expect(await recentUses()).toBe(0);
  userId = u.id;
  user = await env.login(u.username);
  reviewers = [await env.login('reviewer'), await env.login('reviewer')];
}, 180_000);

afterAll(async () => env?.close());

/** the user's reports of the last 24 hours */
async function recentUses(): Promise<number> {
  const r = await env.database.db
    .selectFrom('resource_uses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('created_at', '>=', new Date(Date.now() - 86_400_000).toISOString())
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function rewardsFor(resourceId: string) {
  return env.database.db
    .selectFrom('credit_transactions')
    .select(['id', 'amount'])
    .where('kind', '=', 'resource_reward')
    .where('memo', 'like', `%${resourceId}%`)
    .execute();
}

describe('"used in my class" is bounded', () => {
  it('refuses impossible, ancient, too old and future dates, naming usedOn; accepts the last 7 days', async () => {
    const id = published[0]!;
    for (const usedOn of ['0001-01-01', '2026-02-30', '2026-13-01', daysAgo(USE_WINDOW_DAYS), daysAgo(400), daysAgo(-1), '2100-12-31']) {
      expectProblem(await user.post(`/api/resources/${id}/uses`, { usedOn }), 400, 'validation_failed', ['usedOn']);
    }
    expect(await recentUses()).toBe(0);
    const ok = await user.post(`/api/resources/${id}/uses`, { usedOn: daysAgo(USE_WINDOW_DAYS - 1) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().contribution.amount).toBeGreaterThan(0);
  });

  it('pays once per user and resource: later days are recorded but pay nothing', async () => {
    const id = published[0]!;
    const before = await rewardsFor(id);
    expect(before).toHaveLength(1);
    for (const n of [0, 1, 2]) {
      const r = await user.post(`/api/resources/${id}/uses`, { usedOn: daysAgo(n) });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().created).toBe(true);
      expect(r.json().contribution).toBeNull();
    }
    expect(await rewardsFor(id)).toEqual(before);
    const uses = await env.database.db.selectFrom('resource_uses').select('id').where('resource_id', '=', id).where('user_id', '=', userId).execute();
    expect(uses).toHaveLength(4);
    const contributions = await env.database.db.selectFrom('resource_contributions').select('id').where('resource_id', '=', id).execute();
    expect(contributions).toHaveLength(1);
  });

  it('concurrent reports on seven different days: exactly one reward', async () => {
    const id = published[1]!;
    const replies = await Promise.all(Array.from({ length: USE_WINDOW_DAYS }, (_, n) => user.post(`/api/resources/${id}/uses`, { usedOn: daysAgo(n) })));
    for (const r of replies) expect(r.statusCode, r.body).toBe(201);
    expect(replies.filter((r) => r.json().contribution).length).toBe(1);
    expect(await rewardsFor(id)).toHaveLength(1);
    expect(
      await env.database.db.selectFrom('resource_use_rewards').select('use_id').where('resource_id', '=', id).where('user_id', '=', userId).execute(),
    ).toHaveLength(1);
  });

  it(`at most ${USES_PER_DAY} reports in 24 hours (429), and the one refused writes nothing`, async () => {
    const db = env.database.db;
    const sofar = await recentUses();
    expect(sofar).toBe(1 + 3 + USE_WINDOW_DAYS);
    const slots: { id: string; usedOn: string }[] = [];
    for (const id of published.slice(2)) for (let n = 0; n < USE_WINDOW_DAYS; n++) slots.push({ id, usedOn: daysAgo(n) });
    let made = sofar;
    for (const s of slots) {
      const r = await user.post(`/api/resources/${s.id}/uses`, { usedOn: s.usedOn });
      if (made < USES_PER_DAY) {
        expect(r.statusCode, r.body).toBe(201);
        made++;
      } else {
        expectProblem(r, 429, 'use_limit_reached');
        break;
      }
    }
    expect(made).toBe(USES_PER_DAY);
    expect(await recentUses()).toBe(USES_PER_DAY);
    // the money check: every reward single, the ledger balanced
    expect(await checkMoneyCauses(db)).toEqual([]);
    expect((await checkLedger(db)).problems).toEqual([]);
  });

  it('check reports a resource that paid its owner twice for one user', async () => {
    const db = env.database.db;
    const id = published[0]!;
    const first = await db.selectFrom('resource_contributions').selectAll().where('resource_id', '=', id).executeTakeFirstOrThrow();
    const second = await db
      .selectFrom('resource_uses')
      .select('id')
      .where('resource_id', '=', id)
      .where('user_id', '=', userId)
      .where('id', '!=', first.use_id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('resource_contributions')
      .values({ ...first, id: `${first.id}_dup`, use_id: second.id })
      .execute();
    try {
      const problems = await checkMoneyCauses(db);
      expect(problems.some((p) => p.includes(id) && p.includes(userId) && p.includes('2 times'))).toBe(true);
    } finally {
      await db.deleteFrom('resource_contributions').where('id', '=', `${first.id}_dup`).execute();
    }
  });
});

describe('review decisions are compare-and-set', () => {
  it('publish and return at the same moment: one wins, the other gets 409, one review and one history step', async () => {
    const scores = { accuracy: 5, standards: 4, ethics: 5, objectives: 4, design: 5, assessment: 4 };
    const [a, b] = await Promise.all([
      reviewers[0]!.post(`/api/resources/${inReview}/review`, { decision: 'publish', scores }),
      reviewers[1]!.post(`/api/resources/${inReview}/review`, { decision: 'return', scores, comment: '请补充分层作业' }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes, `${a.body}\n${b.body}`).toEqual([200, 409]);
    const lost = a.statusCode === 409 ? a : b;
    expect(lost.json().code).toBe('invalid_transition');
    const db = env.database.db;
    expect(await db.selectFrom('resource_reviews').select('id').where('resource_id', '=', inReview).execute()).toHaveLength(1);
    const audits = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', inReview)
      .where('action', 'in', ['resource.publish', 'resource.return'])
      .execute();
    expect(audits).toHaveLength(1);
  });
});
