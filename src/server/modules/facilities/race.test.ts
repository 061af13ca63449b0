/**
 * Races on one facility, in process (SQLite: serialized write transactions; PostgreSQL, when DATABASE_URL
 * is set: a pool of connections and the exclusion constraint). 200 concurrent requests for overlapping
 * times: exactly one is accepted, every other one is a 409 `booking_conflict` naming the clash, the ledger
 * shows exactly one charge and stays consistent. The same for 200 concurrent approvals of overlapping
 * pending requests under a manual policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { localParts, localToMs, addDays } from '../../../common/facilities.js';
import { checkLedger } from '../credits/ledger.js';

const N = 200;
const ALLIANCE = 'a_0001';
const HOST = 's_00001';

/** A weekday (local) at least `minDays` from now without a closure of the host school (notice, advance limits and the demo calendar's holidays). */
async function openWeekday(env: TestEnv, minDays: number): Promise<string> {
  const closures = await env.database.db.selectFrom('closures').select(['start_date', 'end_date']).where('school_id', '=', HOST).execute();
  let date = addDays(localParts(Date.now()).date, minDays);
  while (localParts(localToMs(date, 12 * 60)).weekday > 5 || closures.some((c) => c.start_date <= date && date <= c.end_date)) date = addDays(date, 1);
  return date;
}

/** [start, end) for request i: all of them overlap each other (starts 0–45 min apart, 90 min long). */
function overlappingSlot(date: string, i: number, hour = 9): { start: string; end: string } {
  const s = localToMs(date, hour * 60 + (i % 4) * 15);
  return { start: new Date(s).toISOString(), end: new Date(s + 90 * 60_000).toISOString() };
}

describe('booking races (in process)', () => {
  let env: TestEnv;
  let principal: Client;
  let teachers: Client[];

  beforeAll(async () => {
    env = await makeTestEnv();
    principal = await env.login('principal');
    const secretary = await env.login('secretary');
    // starting grants for every member, so charges are paid from a balance
    const g = await secretary.post(`/api/alliances/${ALLIANCE}/credit-grants`, { type: 'extra', amount: 1_000_000, reason: '压力测试追加积分' });
    expect([200, 201], g.body).toContain(g.statusCode);
    // teachers of the other member schools of the alliance (priced cross-school bookings)
    const members = await env.database.db
      .selectFrom('alliance_members as m')
      .innerJoin('role_grants as g', (j) => j.onRef('g.scope_id', '=', 'm.school_id').on('g.role', '=', 'teacher'))
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['u.username', 'm.school_id'])
      .where('m.alliance_id', '=', ALLIANCE)
      .where('m.status', '=', 'active')
      .where('m.school_id', '!=', HOST)
      .orderBy('u.username')
      .execute();
    expect(new Set(members.map((m) => m.school_id)).size).toBeGreaterThanOrEqual(3);
    teachers = [];
    for (const m of members.slice(0, 12)) teachers.push(await env.login(m.username));
  }, 180_000);
  afterAll(async () => env?.close());

  async function newFacility(policy: 'auto' | 'manual', name: string) {
    const res = await principal.post('/api/facilities', {
      schoolId: HOST,
      type: 'chemistry_lab',
      subject: 'chemistry',
      name,
      capacity: 48,
      policy,
      minNoticeHours: 0,
      maxDaysAhead: 120,
      bufferMinutes: 0,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  const bookingBody = (facilityId: string, slot: { start: string; end: string }, i: number) => ({
    facilityId,
    allianceId: ALLIANCE,
    ...slot,
    purpose: `化学分组实验 ${i}`,
    groupSize: 30,
    responsibleTeacher: '王老师',
    acceptTerms: true,
  });

  async function holding(facilityId: string) {
    return env.database.db
      .selectFrom('bookings')
      .select(['id', 'start_ms', 'end_ms', 'status', 'charge_amount', 'charge_tx_id'])
      .where('facility_id', '=', facilityId)
      .where('status', 'in', ['accepted', 'checked_in'])
      .execute();
  }

  async function chargesFor(bookingIds: string[]) {
    if (!bookingIds.length) return [];
    return env.database.db
      .selectFrom('credit_transactions')
      .select(['id', 'cause_id', 'amount', 'kind'])
      .where('cause_type', '=', 'booking')
      .where('cause_id', 'in', bookingIds)
      .execute();
  }

  /** pairs of holding bookings of one facility whose half-open ranges intersect (must be none) */
  async function overlaps(): Promise<number> {
    const r = await sql<{ n: number }>`
      select count(*) as n from bookings a join bookings b
        on a.facility_id = b.facility_id and a.id < b.id
       and a.start_ms < b.block_end_ms and b.start_ms < a.block_end_ms
      where a.status in ('accepted','checked_in') and b.status in ('accepted','checked_in')`.execute(env.database.db);
    return Number(r.rows[0]!.n);
  }

  it(`${N} concurrent overlapping bookings under auto-approve: exactly one accepted, the rest 409 naming the clash`, async () => {
    const facilityId = await newFacility('auto', '赛跑化学实验室（自动批准）');
    const date = await openWeekday(env, 3);
    const before = await checkLedger(env.database.db);
    expect(before.problems).toEqual([]);

    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) => teachers[i % teachers.length].post('/api/bookings', bookingBody(facilityId, overlappingSlot(date, i), i))),
    );
    const accepted = replies.filter((r) => r.statusCode === 201);
    const rejected = replies.filter((r) => r.statusCode !== 201);
    expect(
      accepted.length,
      replies
        .filter((r) => r.statusCode !== 201 && r.statusCode !== 409)
        .map((r) => r.body)
        .slice(0, 3)
        .join('\n'),
    ).toBe(1);
    const winner = accepted[0].json().bookings[0];
    expect(winner.status).toBe('accepted');
    for (const r of rejected) {
      expect(r.statusCode, r.body).toBe(409);
      const body = r.json();
      expect(body.code).toBe('booking_conflict');
      // the message names the clashing booking (its id) and the field
      expect(body.detail, r.body).toContain(winner.id);
      expect(body.detail).toContain('化学实验室');
    }

    const held = await holding(facilityId);
    expect(held.map((b) => b.id)).toEqual([winner.id]);
    expect(await overlaps()).toBe(0);
    // exactly one charge, for the accepted booking, paid by its school
    const all = await env.database.db.selectFrom('bookings').select('id').where('facility_id', '=', facilityId).execute();
    expect(all.length).toBe(1);
    const charges = await chargesFor(all.map((b) => b.id));
    expect(charges.length).toBe(1);
    expect(charges[0].cause_id).toBe(winner.id);
    expect(charges[0].kind).toBe('booking_charge');
    expect(charges[0].amount).toBeGreaterThan(0);
    expect(held[0].charge_tx_id).toBe(charges[0].id);
    expect(held[0].charge_amount).toBe(charges[0].amount);
    const after = await checkLedger(env.database.db);
    expect(after.problems).toEqual([]);
    expect(after.transactions).toBe(before.transactions + 1);
  }, 120_000);

  it(`${N} concurrent approvals of overlapping pending requests under a manual policy: exactly one accepted`, async () => {
    const facilityId = await newFacility('manual', '赛跑化学实验室（人工审批）');
    const date = await openWeekday(env, 4);
    // pending requests may overlap each other: all 200 are taken
    const pending: string[] = [];
    for (let k = 0; k < N; k += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, N - k) }, (_, j) => {
          const i = k + j;
          return teachers[i % teachers.length].post('/api/bookings', bookingBody(facilityId, overlappingSlot(date, i, 14), i));
        }),
      );
      for (const r of batch) {
        expect(r.statusCode, r.body).toBe(201);
        expect(r.json().bookings[0].status).toBe('pending');
        pending.push(r.json().bookings[0].id);
      }
    }
    expect(await holding(facilityId)).toEqual([]);
    const before = await checkLedger(env.database.db);

    const replies = await Promise.all(pending.map((id) => principal.post(`/api/bookings/${id}/approve`, {})));
    const ok = replies.filter((r) => r.statusCode === 200);
    expect(
      ok.length,
      replies
        .filter((r) => r.statusCode !== 200 && r.statusCode !== 409)
        .map((r) => r.body)
        .slice(0, 3)
        .join('\n'),
    ).toBe(1);
    for (const r of replies) {
      if (r.statusCode === 200) continue;
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().code).toBe('booking_conflict');
    }
    const held = await holding(facilityId);
    expect(held.length).toBe(1);
    expect(await overlaps()).toBe(0);
    // the losers are still pending (or rejected), none is charged
    const charges = await chargesFor(pending);
    expect(charges.length).toBe(1);
    expect(charges[0].cause_id).toBe(held[0].id);
    const after = await checkLedger(env.database.db);
    expect(after.problems).toEqual([]);
    expect(after.transactions).toBe(before.transactions + 1);
  }, 120_000);

  it('the database itself refuses an overlapping accepted booking (not only the code)', async () => {
    const db = env.database.db;
    const won = await db.selectFrom('bookings').selectAll().where('status', '=', 'accepted').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    const shifted = {
      ...won,
      id: `${won.id}x`,
      start_ms: Number(won.start_ms) + 15 * 60_000,
      end_ms: Number(won.end_ms) + 15 * 60_000,
      block_end_ms: Number(won.block_end_ms) + 15 * 60_000,
      charge_tx_id: null,
      charge_amount: 0,
    };
    await expect(db.insertInto('bookings').values(shifted).execute()).rejects.toThrow();
    // a pending request may overlap; accepting it in place is refused too
    await db
      .insertInto('bookings')
      .values({ ...shifted, status: 'pending' })
      .execute();
    await expect(db.updateTable('bookings').set({ status: 'accepted' }).where('id', '=', shifted.id).execute()).rejects.toThrow();
    // right after the accepted one ([start, end) is half-open) is fine
    const after = {
      ...won,
      id: `${won.id}y`,
      start_ms: Number(won.end_ms),
      end_ms: Number(won.end_ms) + 3600_000,
      block_end_ms: Number(won.end_ms) + 3600_000,
      charge_tx_id: null,
      charge_amount: 0,
    };
    await db.insertInto('bookings').values(after).execute();
    await db.deleteFrom('bookings').where('id', 'in', [shifted.id, after.id]).execute();
    expect(await overlaps()).toBe(0);
  });

  it('the ledger check is a real check: a tampered balance is reported', async () => {
    const db = env.database.db;
    const acc = await db.selectFrom('credit_accounts').select(['id', 'balance']).where('owner_type', '=', 'school').limit(1).executeTakeFirstOrThrow();
    await db
      .updateTable('credit_accounts')
      .set({ balance: acc.balance + 1 })
      .where('id', '=', acc.id)
      .execute();
    try {
      const res = await checkLedger(db);
      expect(res.problems.some((p) => p.includes(acc.id))).toBe(true);
    } finally {
      await db.updateTable('credit_accounts').set({ balance: acc.balance }).where('id', '=', acc.id).execute();
    }
    expect((await checkLedger(db)).problems).toEqual([]);
  });
});
