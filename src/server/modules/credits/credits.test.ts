import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { expectProblem } from '../../testkit.js';
import { fromJson, type Tx } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { startingGrantOf, withDefaults } from '../../../common/pricing.js';
import { checkLedger, post } from './ledger.js';
import { CreditService, type BookingForCredits } from './service.js';
import { addTestAlliance, TEST_ALLIANCE as A, TEST_CORE as CORE } from './test-alliance.js';

/** local Asia/Shanghai wall clock → ISO UTC */
const at = (local: string) => new Date(`${local}:00.000+08:00`).toISOString();

describe('credits', () => {
  let env: TestEnv;
  let svc: CreditService;
  let secretary: Client;
  let principal: Client;
  let members: { id: string; name: string; tags: string; location: string }[];
  let booker: string;
  let n = 0;
  const booking = (over: Partial<BookingForCredits> = {}): BookingForCredits => ({
    id: `bk_test_${++n}`,
    allianceId: A,
    facilityId: 'f_x',
    facilityType: 'chemistry_lab',
    hostSchoolId: CORE,
    hostPartnerId: null,
    bookerSchoolId: booker,
    startAt: at('2026-11-23T09:00'),
    endAt: at('2026-11-23T11:00'),
    ...over,
  });
  const balance = async (ownerType: string, ownerId: string, allianceId = A) =>
    Number(
      (
        await env.database.db
          .selectFrom('credit_accounts')
          .select('balance')
          .where('alliance_id', '=', allianceId)
          .where('owner_type', '=', ownerType)
          .where('owner_id', '=', ownerId)
          .executeTakeFirst()
      )?.balance ?? 0,
    );
  const tx = <T>(fn: (t: Tx) => Promise<T>) => env.database.db.transaction().execute(fn);
  const expectClean = async () => expect((await checkLedger(env.database.db)).problems).toEqual([]);

  beforeAll(async () => {
    env = await makeTestEnv();
    const t = await addTestAlliance(env);
    svc = new CreditService(env.database);
    secretary = await env.login('secretary');
    principal = await env.login('principal');
    members = await env.database.db
      .selectFrom('alliance_members as m')
      .innerJoin('schools as s', 's.id', 'm.school_id')
      .select(['s.id', 's.name', 's.tags', 's.location'])
      .where('m.alliance_id', '=', A)
      .where('m.status', '=', 'active')
      .orderBy('s.id')
      .execute();
    booker = t.plain;
  });
  afterAll(async () => env.close());

  it('rules: defaults until set; the secretary changes them (audited); bad values name the field', async () => {
    const r0 = await principal.get(`/api/alliances/${A}/credit-rules`);
    expect(r0.statusCode).toBe(200);
    expect(r0.json()).toMatchObject({ custom: false, rules: { hostSharePct: 70, startingGrant: 500 } });
    const put = await secretary.put(`/api/alliances/${A}/credit-rules`, { hostSharePct: 60, overdraftLimit: 50 });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ custom: true, rules: { hostSharePct: 60, overdraftLimit: 50, startingGrant: 500 } });
    expect((await principal.get(`/api/alliances/${A}/credit-rules`)).json().rules.hostSharePct).toBe(60);
    const log = await env.database.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'credit.rules_update')
      .where('entity_id', '=', A)
      .execute();
    expect(log).toHaveLength(1);
    expect(fromJson<Record<string, unknown>>(log[0]!.detail, {})).toMatchObject({ hostSharePct: { from: 70, to: 60 } });

    expectProblem(await secretary.put(`/api/alliances/${A}/credit-rules`, { hostSharePct: 101 }), 400, 'validation_failed', ['hostSharePct']);
    expectProblem(await secretary.put(`/api/alliances/${A}/credit-rules`, { rates: { rocket_lab: { offPeak: 1, peak: 2 } } }), 400, 'validation_failed', [
      'rates.rocket_lab',
    ]);
    expectProblem(
      await secretary.put(`/api/alliances/${A}/credit-rules`, { peakWindows: [{ days: [8], from: '08:00', to: '17:00' }] }),
      400,
      'validation_failed',
    );
    expectProblem(
      await secretary.put(`/api/alliances/${A}/credit-rules`, { peakWindows: [{ days: [1], from: '17:00', to: '08:00' }] }),
      400,
      'validation_failed',
      ['peakWindows.0.to'],
    );
    // a school admin reads but may not change them; outside the alliance it does not exist
    expect((await principal.put(`/api/alliances/${A}/credit-rules`, { hostSharePct: 10 })).statusCode).toBe(403);
    expect((await secretary.get('/api/alliances/a_0005/credit-rules')).statusCode).toBe(404);
    // back to the defaults for the rest of the tests
    await secretary.put(`/api/alliances/${A}/credit-rules`, { hostSharePct: 70, overdraftLimit: 100 });
  });

  it('starting grants: every active member once, 薄弱校/农村校 extras; Idempotency-Key replays', async () => {
    const rules = withDefaults(null);
    const res = await secretary.post(`/api/alliances/${A}/credit-grants`, { type: 'starting' }, { 'idempotency-key': 'grant-start-1' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.granted).toHaveLength(members.length);
    for (const m of members) {
      const expected = startingGrantOf(rules, { tags: fromJson<string[]>(m.tags, []), location: m.location }).amount;
      expect(body.granted.find((g: { schoolId: string }) => g.schoolId === m.id).amount).toBe(expected);
      expect(await balance('school', m.id)).toBe(expected);
    }
    // the demo alliance has weak or rural members: somebody got more than the base
    expect(body.granted.some((g: { amount: number }) => g.amount > rules.startingGrant)).toBe(true);
    expect(await balance('issuance', A)).toBe(-body.total);
    // the same key and body: the stored answer, nothing new
    const before = await countRows(env.database, 'credit_transactions');
    const again = await secretary.post(`/api/alliances/${A}/credit-grants`, { type: 'starting' }, { 'idempotency-key': 'grant-start-1' });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(body);
    // the same key with another body is refused
    expectProblem(
      await secretary.post(`/api/alliances/${A}/credit-grants`, { type: 'starting', schoolId: CORE }, { 'idempotency-key': 'grant-start-1' }),
      422,
      'idempotency_mismatch',
    );
    // without a key: each school's starting grant is given once only
    const third = await secretary.post(`/api/alliances/${A}/credit-grants`, { type: 'starting' });
    expect(third.json()).toMatchObject({ granted: [], total: 0 });
    expect(third.json().skipped).toHaveLength(members.length);
    expect(await countRows(env.database, 'credit_transactions')).toBe(before);
    // a non-member cannot be granted to
    expectProblem(await secretary.post(`/api/alliances/${A}/credit-grants`, { type: 'starting', schoolId: 's_00046' }), 400, 'validation_failed', ['schoolId']);
    // extra grant to one school, reason required
    expectProblem(await secretary.post(`/api/alliances/${A}/credit-grants`, { type: 'extra', amount: 10 }), 400, 'validation_failed', ['reason']);
    const extra = await secretary.post(`/api/alliances/${A}/credit-grants`, { type: 'extra', schoolId: booker, amount: 30, reason: '优秀开放学校奖励' });
    expect(extra.statusCode).toBe(201);
    expect(extra.json().total).toBe(30);
    const audits = await env.database.db.selectFrom('audit_log').select('id').where('action', '=', 'credit.grant').where('alliance_id', '=', A).execute();
    expect(audits.length).toBe(3);
    await expectClean();
  });

  it('charges a booking: booker pays, host gets its share, the pool the rest; own school is free; idempotent', async () => {
    const b0 = await balance('school', booker);
    const h0 = await balance('school', CORE);
    const p0 = await balance('pool', A);
    const b = booking(); // Monday 09:00–11:00: 2 peak hours of a chemistry lab at 30 = 60
    const q = await svc.quote(env.database.db, b);
    expect(q).toMatchObject({ amount: 60, peakHours: 2, reason: 'priced' });
    const r1 = await tx((t) => svc.chargeBooking(t, null, b));
    expect(r1.amount).toBe(60);
    expect(r1.transactionId).toBeTruthy();
    expect(await balance('school', booker)).toBe(b0 - 60);
    expect(await balance('school', CORE)).toBe(h0 + 42);
    expect(await balance('pool', A)).toBe(p0 + 18);
    // a retry of the same booking charges nothing more
    const r2 = await tx((t) => svc.chargeBooking(t, null, b));
    expect(r2).toEqual(r1);
    expect(await balance('school', booker)).toBe(b0 - 60);
    // own school: free, nothing written
    const count = await countRows(env.database, 'credit_transactions');
    const own = await tx((t) => svc.chargeBooking(t, null, booking({ bookerSchoolId: CORE })));
    expect(own).toEqual({ transactionId: null, amount: 0 });
    expect((await svc.quote(env.database.db, booking({ bookerSchoolId: CORE }))).reason).toBe('own_school');
    // no alliance: free
    expect(await tx((t) => svc.chargeBooking(t, null, booking({ allianceId: null })))).toEqual({ transactionId: null, amount: 0 });
    expect(await countRows(env.database, 'credit_transactions')).toBe(count);
    // a partner's venue: the partner's account receives the host share
    const pv = await tx((t) =>
      svc.chargeBooking(
        t,
        null,
        booking({
          hostSchoolId: null,
          hostPartnerId: 'p_test',
          facilityType: 'community_venue',
          startAt: at('2026-11-28T09:00'),
          endAt: at('2026-11-28T11:00'),
        }),
      ),
    );
    expect(pv.amount).toBe(30);
    expect(await balance('partner', 'p_test')).toBe(21);
    await expectClean();
  });

  it('overdraft: beyond the limit → 409 insufficient_credits and nothing written (the whole transaction rolls back)', async () => {
    const poor = members.find((m) => m.id !== CORE && m.id !== booker)!.id;
    const bal = await balance('school', poor);
    const counts = {
      t: await countRows(env.database, 'credit_transactions'),
      e: await countRows(env.database, 'credit_entries'),
      audit: await countRows(env.database, 'audit_log'),
    };
    const hostBefore = await balance('school', CORE);
    // a gym all week long costs far more than balance + 100
    const big = booking({ bookerSchoolId: poor, facilityType: 'gym', startAt: at('2026-11-23T08:00'), endAt: at('2026-11-27T17:00') });
    const q = await svc.quote(env.database.db, big);
    expect(q.amount).toBeGreaterThan(bal + 100);
    let err: unknown;
    try {
      await tx(async (t) => {
        // something else of the caller's transaction, which must roll back too
        await t
          .insertInto('audit_log')
          .values({
            at: new Date().toISOString(),
            actor_id: null,
            actor_name: null,
            ip: null,
            request_id: null,
            action: 'test.marker',
            entity_type: 'x',
            entity_id: null,
            region_id: null,
            alliance_id: null,
            school_id: null,
            detail: '{}',
          })
          .execute();
        await svc.chargeBooking(t, null, big);
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(409);
    expect((err as AppError).code).toBe('insufficient_credits');
    expect((err as AppError).params).toMatchObject({ amount: q.amount, balance: bal, limit: 100 });
    expect(await countRows(env.database, 'credit_transactions')).toBe(counts.t);
    expect(await countRows(env.database, 'credit_entries')).toBe(counts.e);
    expect(await countRows(env.database, 'audit_log')).toBe(counts.audit);
    expect(await balance('school', poor)).toBe(bal);
    expect(await balance('school', CORE)).toBe(hostBefore);
    // exactly down to minus the limit is allowed
    const r = withDefaults(null);
    const exact = bal + r.overdraftLimit;
    await secretary.put(`/api/alliances/${A}/credit-rules`, { defaultRate: { offPeak: exact, peak: exact } });
    const fit = booking({ bookerSchoolId: poor, facilityType: 'unknown_type', startAt: at('2026-11-28T09:00'), endAt: at('2026-11-28T10:00') });
    expect((await tx((t) => svc.chargeBooking(t, null, fit))).amount).toBe(exact);
    expect(await balance('school', poor)).toBe(-r.overdraftLimit);
    await expect(
      tx((t) =>
        svc.chargeBooking(
          t,
          null,
          booking({ bookerSchoolId: poor, facilityType: 'unknown_type', startAt: at('2026-11-28T10:00'), endAt: at('2026-11-28T10:15') }),
        ),
      ),
    ).rejects.toMatchObject({ code: 'insufficient_credits' });
    // a per-account overdraft limit overrides the rule (set by the alliance, audited)
    const accId = (
      await env.database.db
        .selectFrom('credit_accounts')
        .select('id')
        .where('alliance_id', '=', A)
        .where('owner_type', '=', 'school')
        .where('owner_id', '=', poor)
        .executeTakeFirstOrThrow()
    ).id;
    expect((await principal.patch(`/api/credit/accounts/${accId}`, { overdraftLimit: 100_000 })).statusCode).toBe(403);
    const poolId = (
      await env.database.db.selectFrom('credit_accounts').select('id').where('alliance_id', '=', A).where('owner_type', '=', 'pool').executeTakeFirstOrThrow()
    ).id;
    expectProblem(await secretary.patch(`/api/credit/accounts/${poolId}`, { overdraftLimit: 5 }), 400, 'validation_failed', ['overdraftLimit']);
    const raised = await secretary.patch(`/api/credit/accounts/${accId}`, { overdraftLimit: 100_000 });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json()).toMatchObject({ overdraftLimit: 100_000, ownerId: poor });
    expect(
      (
        await tx((t) =>
          svc.chargeBooking(
            t,
            null,
            booking({ bookerSchoolId: poor, facilityType: 'unknown_type', startAt: at('2026-11-28T10:00'), endAt: at('2026-11-28T10:15') }),
          ),
        )
      ).amount,
    ).toBeGreaterThan(0);
    await secretary.patch(`/api/credit/accounts/${accId}`, { overdraftLimit: null });
    expect(
      await env.database.db.selectFrom('audit_log').select('id').where('action', '=', 'credit.overdraft_limit').where('entity_id', '=', accId).execute(),
    ).toHaveLength(2);
    await secretary.put(`/api/alliances/${A}/credit-rules`, { defaultRate: { offPeak: 10, peak: 15 } });
    await expectClean();
  });

  it('through the booking API: a booking beyond the overdraft limit is a 409 insufficient_credits and writes nothing', async () => {
    const routes = env.app.xl.routes.map((r) => `${r.method} ${r.url}`);
    if (!routes.includes('POST /api/bookings')) return; // facilities module absent
    const DEMO = 'a_0001';
    const f = await principal.post('/api/facilities', {
      schoolId: CORE,
      type: 'chemistry_lab',
      subject: 'chemistry',
      name: '透支测试化学实验室',
      capacity: 48,
      policy: 'auto',
      minNoticeHours: 0,
      maxDaysAhead: 120,
      bufferMinutes: 0,
    });
    expect(f.statusCode, f.body).toBe(201);
    const facilityId = f.json().id as string;
    const t = await env.database.db
      .selectFrom('alliance_members as m')
      .innerJoin('role_grants as g', (j) => j.onRef('g.scope_id', '=', 'm.school_id').on('g.role', '=', 'teacher'))
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['u.username', 'm.school_id'])
      .where('m.alliance_id', '=', DEMO)
      .where('m.status', '=', 'active')
      .where('m.school_id', '!=', CORE)
      .orderBy('u.username')
      .executeTakeFirstOrThrow();
    const teacher = await env.login(t.username);
    const rulesBefore = (await secretary.get(`/api/alliances/${DEMO}/credit-rules`)).json().rules;
    expect(
      (await secretary.put(`/api/alliances/${DEMO}/credit-rules`, { rates: { ...rulesBefore.rates, chemistry_lab: { offPeak: 10_000, peak: 10_000 } } }))
        .statusCode,
    ).toBe(200);
    let day = Date.now() + 10 * 86_400_000;
    while (new Date(day + 8 * 3_600_000).getUTCDay() !== 2) day += 86_400_000;
    const start = Date.parse(`${new Date(day + 8 * 3_600_000).toISOString().slice(0, 10)}T09:00:00.000+08:00`);
    const counts = { b: await countRows(env.database, 'bookings'), t: await countRows(env.database, 'credit_transactions') };
    const bal = await balance('school', t.school_id, DEMO);
    const res = await teacher.post('/api/bookings', {
      facilityId,
      allianceId: DEMO,
      start: new Date(start).toISOString(),
      end: new Date(start + 3_600_000).toISOString(),
      purpose: '分组实验',
      groupSize: 20,
      responsibleTeacher: '李老师',
      acceptTerms: true,
    });
    const body = expectProblem(res, 409, 'insufficient_credits');
    expect(body.detail).toContain('积分不足');
    expect(body.detail).toContain('10000');
    expect(await countRows(env.database, 'bookings')).toBe(counts.b);
    expect(await countRows(env.database, 'credit_transactions')).toBe(counts.t);
    expect(await balance('school', t.school_id, DEMO)).toBe(bal);
    await secretary.put(`/api/alliances/${DEMO}/credit-rules`, { rates: rulesBefore.rates });
  });

  it('refunds: timely cancellation refunds by the rule, late refunds nothing; each once', async () => {
    const b = booking();
    await tx((t) => svc.chargeBooking(t, null, b));
    const b0 = await balance('school', booker);
    const h0 = await balance('school', CORE);
    const p0 = await balance('pool', A);
    const r = await tx((t) => svc.refundBooking(t, null, b, { timely: true }));
    expect(r.amount).toBe(60);
    expect(await balance('school', booker)).toBe(b0 + 60);
    expect(await balance('school', CORE)).toBe(h0 - 42);
    expect(await balance('pool', A)).toBe(p0 - 18);
    expect(await tx((t) => svc.refundBooking(t, null, b, { timely: true }))).toEqual(r);
    expect(await balance('school', booker)).toBe(b0 + 60);

    const late = booking();
    await tx((t) => svc.chargeBooking(t, null, late));
    const l0 = await balance('school', booker);
    expect(await tx((t) => svc.refundBooking(t, null, late, { timely: false }))).toEqual({ transactionId: null, amount: 0 });
    expect(await balance('school', booker)).toBe(l0);
    // a 50 % rule splits the refund between host and pool in proportion
    await secretary.put(`/api/alliances/${A}/credit-rules`, { refundTimelyPct: 50 });
    const half = booking();
    await tx((t) => svc.chargeBooking(t, null, half));
    const hb = await balance('school', booker);
    const hh = await balance('school', CORE);
    expect((await tx((t) => svc.refundBooking(t, null, half, { timely: true }))).amount).toBe(30);
    expect(await balance('school', booker)).toBe(hb + 30);
    expect(await balance('school', CORE)).toBe(hh - 21);
    await secretary.put(`/api/alliances/${A}/credit-rules`, { refundTimelyPct: 100 });
    // a free booking has nothing to refund
    expect(await tx((t) => svc.refundBooking(t, null, booking({ bookerSchoolId: CORE }), { timely: true }))).toEqual({ transactionId: null, amount: 0 });
    await expectClean();
  });

  it('no-show: the penalty goes to the pool, the host keeps its share; once per booking', async () => {
    const b = booking();
    await tx((t) => svc.chargeBooking(t, null, b));
    const b0 = await balance('school', booker);
    const h0 = await balance('school', CORE);
    const p0 = await balance('pool', A);
    const r = await tx((t) => svc.penalizeNoShow(t, null, b));
    expect(r.amount).toBe(30); // 50 % of 60
    expect(await balance('school', booker)).toBe(b0 - 30);
    expect(await balance('school', CORE)).toBe(h0);
    expect(await balance('pool', A)).toBe(p0 + 30);
    expect(await tx((t) => svc.penalizeNoShow(t, null, b))).toEqual(r);
    expect(await balance('school', booker)).toBe(b0 - 30);
    await expectClean();
  });

  it('resource use rewards the owner school and the author (not a use by the own school); teacher exchange days reward the sender', async () => {
    const e = { eventId: 'ev_1', allianceId: A, resourceId: 'res_1', ownerSchoolId: CORE, authorUserId: 'u_teacher', userSchoolId: booker };
    const h0 = await balance('school', CORE);
    const r = await tx((t) => svc.rewardResourceUse(t, null, e));
    expect(r.amount).toBe(3);
    expect(await balance('school', CORE)).toBe(h0 + 2);
    expect(await balance('teacher', 'u_teacher')).toBe(1);
    expect(await tx((t) => svc.rewardResourceUse(t, null, e))).toEqual(r);
    expect(await tx((t) => svc.rewardResourceUse(t, null, { ...e, eventId: 'ev_2', userSchoolId: CORE }))).toEqual({ transactionId: null, amount: 0 });
    // teacher exchange days pay the sending school, once per exchange
    const s0 = await balance('school', booker);
    const x = await tx((t) => svc.rewardTeacherExchange(t, null, { exchangeId: 'ex_1', allianceId: A, senderSchoolId: booker, days: 3 }));
    expect(x.amount).toBe(60);
    expect(await tx((t) => svc.rewardTeacherExchange(t, null, { exchangeId: 'ex_1', allianceId: A, senderSchoolId: booker, days: 3 }))).toEqual(x);
    expect(await balance('school', booker)).toBe(s0 + 60);
    await expectClean();
  });

  it('the ledger refuses unbalanced transactions', async () => {
    const before = await countRows(env.database, 'credit_transactions');
    await expect(
      tx((t) =>
        post(t, env.database.dialect, {
          allianceId: A,
          kind: 'adjustment',
          causeType: 'test',
          causeId: 'unbalanced',
          legs: [
            { owner: { type: 'school', id: CORE }, amount: 10 },
            { owner: { type: 'pool', id: A }, amount: -9 },
          ],
        }),
      ),
    ).rejects.toThrow(/unbalanced/);
    await expect(
      tx((t) =>
        post(t, env.database.dialect, {
          allianceId: A,
          kind: 'adjustment',
          causeType: 'test',
          causeId: 'fraction',
          legs: [
            { owner: { type: 'school', id: CORE }, amount: 0.5 },
            { owner: { type: 'pool', id: A }, amount: -0.5 },
          ],
        }),
      ),
    ).rejects.toThrow(/integer/);
    expect(await countRows(env.database, 'credit_transactions')).toBe(before);
  });

  it.runIf(!!process.env.DATABASE_URL)('PostgreSQL: a deferred constraint trigger refuses an unbalanced commit that bypasses the code', async () => {
    const db = env.database.db;
    const acc = await db
      .selectFrom('credit_accounts')
      .select('id')
      .where('alliance_id', '=', A)
      .where('owner_type', '=', 'school')
      .where('owner_id', '=', CORE)
      .executeTakeFirstOrThrow();
    const before = await countRows(env.database, 'credit_transactions');
    await expect(
      db.transaction().execute(async (t) => {
        await t
          .insertInto('credit_transactions')
          .values({
            id: 'ct_raw',
            alliance_id: A,
            kind: 'adjustment',
            cause_type: 'raw',
            cause_id: 'raw',
            amount: 5,
            memo: null,
            request_hash: null,
            created_by: null,
            created_at: new Date().toISOString(),
          })
          .execute();
        await t.insertInto('credit_entries').values({ id: 'ce_raw', transaction_id: 'ct_raw', account_id: acc.id, amount: 5 }).execute();
      }),
    ).rejects.toThrow(/unbalanced/);
    expect(await countRows(env.database, 'credit_transactions')).toBe(before);
  });

  it('adjustments: reason required, owner must belong to the alliance, audited, idempotent', async () => {
    expectProblem(
      await secretary.post(`/api/alliances/${A}/credit-adjustments`, { ownerType: 'school', ownerId: booker, amount: 5 }),
      400,
      'validation_failed',
      ['reason'],
    );
    expectProblem(
      await secretary.post(`/api/alliances/${A}/credit-adjustments`, { ownerType: 'school', ownerId: booker, amount: 0, reason: '测试' }),
      400,
      'validation_failed',
      ['amount'],
    );
    expectProblem(
      await secretary.post(`/api/alliances/${A}/credit-adjustments`, { ownerType: 'school', ownerId: 's_00046', amount: 5, reason: '非成员' }),
      400,
      'validation_failed',
      ['ownerId'],
    );
    const b0 = await balance('school', booker);
    const res = await secretary.post(
      `/api/alliances/${A}/credit-adjustments`,
      { ownerType: 'school', ownerId: booker, amount: -15, reason: '器材损坏赔偿' },
      { 'idempotency-key': 'adj-1' },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'adjustment', memo: '器材损坏赔偿', amount: 15 });
    expect(
      res
        .json()
        .entries.map((e: { amount: number }) => e.amount)
        .sort(),
    ).toEqual([-15, 15]);
    const again = await secretary.post(
      `/api/alliances/${A}/credit-adjustments`,
      { ownerType: 'school', ownerId: booker, amount: -15, reason: '器材损坏赔偿' },
      { 'idempotency-key': 'adj-1' },
    );
    expect(again.json().id).toBe(res.json().id);
    expect(await balance('school', booker)).toBe(b0 - 15);
    const log = await env.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'credit.adjustment').where('alliance_id', '=', A).execute();
    expect(log).toHaveLength(1);
    expect(log[0]!.actor_id).toBe('u_secretary');
    // the principal (credit.read only) may not adjust
    expect(
      (await principal.post(`/api/alliances/${A}/credit-adjustments`, { ownerType: 'school', ownerId: CORE, amount: 500, reason: '给自己加分' })).statusCode,
    ).toBe(403);
    await expectClean();
  });

  it('accounts: the alliance sees all, a school admin only its own school, others nothing', async () => {
    const all = await secretary.get(`/api/alliances/${A}/credit-accounts`);
    expect(all.statusCode).toBe(200);
    const items = all.json().items as { ownerType: string; ownerId: string; balance: number; ownerName: string }[];
    expect(items.some((i) => i.ownerType === 'pool')).toBe(true);
    expect(items.reduce((s, i) => s + i.balance, 0)).toBe(0);
    expect(items.find((i) => i.ownerId === CORE)!.ownerName).toBe('临川市实验小学');
    const own = await principal.get(`/api/alliances/${A}/credit-accounts`);
    expect(own.json().items.map((i: { ownerId: string }) => i.ownerId)).toEqual([CORE]);
    expect((await principal.get('/api/alliances/a_0005/credit-accounts')).statusCode).toBe(404);
    expect((await (await env.login('teacher')).get(`/api/alliances/${A}/credit-accounts`)).statusCode).toBe(403);
    const bureau = await env.login('bureau');
    expect((await bureau.get(`/api/alliances/${A}/credit-accounts`)).json().items.length).toBe(items.length);
  });

  it('statements: running balance from the opening, counterparts and causes; Excel export; scoped', async () => {
    const st = await secretary.get(`/api/credit/statements?allianceId=${A}&schoolId=${booker}`);
    expect(st.statusCode, st.body).toBe(200);
    const s = st.json();
    expect(s.opening).toBe(0);
    expect(s.closing).toBe(await balance('school', booker));
    let run = s.opening;
    for (const line of s.items) {
      run += line.amount;
      expect(line.balance).toBe(run);
    }
    expect(s.items.find((l: { kind: string }) => l.kind === 'grant')).toBeTruthy();
    const charge = s.items.find((l: { kind: string }) => l.kind === 'booking_charge');
    expect(charge.causeType).toBe('booking');
    expect(charge.counterparts.map((c: { ownerName: string }) => c.ownerName)).toContain('临川市实验小学');
    expect(charge.memo).toContain('化学实验室');
    // a window: lines from tomorrow on: none; the opening then equals the closing
    const tomorrow = new Date(Date.now() + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const later = (await secretary.get(`/api/credit/statements?allianceId=${A}&schoolId=${booker}&from=${tomorrow}`)).json();
    expect(later.items).toHaveLength(0);
    expect(later.opening).toBe(s.closing);
    // the transaction behind a line
    const detail = await secretary.get(`/api/credit/transactions/${charge.transactionId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().entries.reduce((x: number, e: { amount: number }) => x + e.amount, 0)).toBe(0);

    const xlsx = await secretary.get(`/api/credit/statements.xlsx?allianceId=${A}&schoolId=${booker}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('时间');
    expect(ws.actualRowCount).toBe(s.items.length + 2); // header + opening + lines
    expect(ws.getRow(ws.actualRowCount).getCell(7).value).toBe(s.closing);

    // the principal: its own school's statement, not another school's; the transaction only if it touches its school
    expect((await principal.get(`/api/credit/statements?allianceId=${A}&schoolId=${CORE}`)).statusCode).toBe(200);
    expect((await principal.get(`/api/credit/statements?allianceId=${A}&schoolId=${booker}`)).statusCode).toBe(404);
    expect((await principal.get(`/api/credit/transactions/${charge.transactionId}`)).statusCode).toBe(200);
    const grantLine = s.items.find((l: { kind: string }) => l.kind === 'grant');
    expect((await principal.get(`/api/credit/transactions/${grantLine.transactionId}`)).statusCode).toBe(404);
    expectProblem(await secretary.get('/api/credit/statements'), 400, 'validation_failed', ['allianceId', 'schoolId']);
    // by account id: the pool's statement for the alliance, not for a school admin
    const pool = (
      await env.database.db.selectFrom('credit_accounts').select('id').where('alliance_id', '=', A).where('owner_type', '=', 'pool').executeTakeFirstOrThrow()
    ).id;
    const ps = await secretary.get(`/api/credit/statements?accountId=${pool}`);
    expect(ps.statusCode).toBe(200);
    expect(ps.json().account).toMatchObject({ ownerType: 'pool', ownerName: '联盟公共积分池' });
    expect(ps.json().closing).toBe(await balance('pool', A));
    expect((await principal.get(`/api/credit/statements?accountId=${pool}`)).statusCode).toBe(404);
    // a member school without any movement yet: an empty statement, not an error
    const empty = await env.database.db
      .selectFrom('alliance_members')
      .select('school_id')
      .where('alliance_id', '=', A)
      .where(
        'school_id',
        'not in',
        (await env.database.db.selectFrom('credit_accounts').select('owner_id').where('alliance_id', '=', A).execute()).map((r) => r.owner_id),
      )
      .executeTakeFirst();
    if (empty)
      expect((await secretary.get(`/api/credit/statements?allianceId=${A}&schoolId=${empty.school_id}`)).json()).toMatchObject({
        opening: 0,
        closing: 0,
        items: [],
      });
  });

  it('xiaolian check finds drift: a tampered balance and a tampered entry', async () => {
    await expectClean();
    const db = env.database.db;
    await sql`update credit_accounts set balance = balance + 7 where alliance_id = ${A} and owner_type = 'school' and owner_id = ${CORE}`.execute(db);
    const c1 = await checkLedger(db);
    expect(c1.problems.some((p) => p.includes('balance') && p.includes(CORE))).toBe(true);
    expect(c1.problems.some((p) => p.includes(`alliance ${A}`))).toBe(true);
    await sql`update credit_accounts set balance = balance - 7 where alliance_id = ${A} and owner_type = 'school' and owner_id = ${CORE}`.execute(db);
    await expectClean();
    const { runChecks } = await import('../../check.js');
    // this suite posts booking hooks for causes that are no bookings (bk_test_*): the money-against-causes
    // check reports exactly those, and nothing else
    const problems = await runChecks(env.database);
    expect(problems.filter((p) => !/names booking bk_test_\d+, which is not a booking of its alliance$/.test(p))).toEqual([]);
    expect(problems.some((p) => p.includes('bk_test_'))).toBe(true);
  });
});
