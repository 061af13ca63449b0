/**
 * Decision races on one booking (issue 5), in process on one app (SQLite; PostgreSQL when DATABASE_URL is
 * set): approve, reject, the booker's cancel, the owner's cancel, no-show and check-in fired at the same moment, 30
 * rounds. Every answer is 200 or 409; the final state is one the successful requests explain; the ledger
 * holds exactly the charge, refund and penalty that state implies; there is exactly one audit entry per
 * effective transition; and `check` (ledger + money against causes) finds nothing afterwards. A planted
 * rejected-but-charged and cancelled-but-unrefunded booking is reported by the check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { checkLedger } from '../credits/ledger.js';
import { checkMoneyCauses } from '../credits/causes.js';
import { runChecks } from '../../check.js';
import { addDays, localParts, localToMs } from '../../../common/facilities.js';

const ROUNDS = 30;
const ALLIANCE = 'a_0001';
const HOST = 's_00001';
const HOUR = 3_600_000;

type Action = 'approve' | 'reject' | 'cancelBooker' | 'cancelOwner' | 'noShow' | 'checkIn';
const ACTIONS: Action[] = ['approve', 'reject', 'cancelBooker', 'cancelOwner', 'noShow', 'checkIn'];

describe('decision races on one booking (one instance)', () => {
  let env: TestEnv;
  let principal: Client;
  let teacher: Client;
  let teacherRow: { id: string; school_id: string };
  let facilityId: string;
  let slot = 0;

  beforeAll(async () => {
    env = await makeTestEnv();
    principal = await env.login('principal');
    const secretary = await env.login('secretary');
    const g = await secretary.post(`/api/alliances/${ALLIANCE}/credit-grants`, { type: 'extra', amount: 1_000_000, reason: '决策竞争测试追加积分' });
    expect([200, 201], g.body).toContain(g.statusCode);
    // a late cancellation refunds half, so every kind of refund shows in the ledger
    const rules = await secretary.put(`/api/alliances/${ALLIANCE}/credit-rules`, { refundLatePct: 50, refundTimelyPct: 100 });
    expect(rules.statusCode, rules.body).toBe(200);
    const t = await env.database.db
      .selectFrom('alliance_members as m')
      .innerJoin('role_grants as g', (j) => j.onRef('g.scope_id', '=', 'm.school_id').on('g.role', '=', 'teacher'))
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['u.username', 'u.id', 'm.school_id'])
      .where('m.alliance_id', '=', ALLIANCE)
      .where('m.status', '=', 'active')
      .where('m.school_id', '!=', HOST)
      .orderBy('u.username')
      .limit(1)
      .executeTakeFirstOrThrow();
    teacher = await env.login(t.username);
    teacherRow = { id: t.id, school_id: t.school_id };
    const f = await principal.post('/api/facilities', {
      schoolId: HOST,
      type: 'physics_lab',
      subject: 'physics',
      name: '决策竞争物理实验室',
      capacity: 48,
      policy: 'manual',
      minNoticeHours: 0,
      maxDaysAhead: 120,
      bufferMinutes: 0,
    });
    expect(f.statusCode, f.body).toBe(201);
    facilityId = f.json().id;
  }, 180_000);
  afterAll(async () => env?.close());

  /** A pending request by the teacher, then moved to a past hour of its own (no-show needs a started booking). */
  async function pendingBooking(): Promise<string> {
    const db = env.database.db;
    // a bookable future slot (a weekday without closure at 9:00 local); moved to its own past hour afterwards
    const closures = await db.selectFrom('closures').select(['start_date', 'end_date']).where('school_id', '=', HOST).execute();
    let date = addDays(localParts(Date.now()).date, 2);
    while (localParts(localToMs(date, 12 * 60)).weekday > 5 || closures.some((c) => c.start_date <= date && date <= c.end_date)) date = addDays(date, 1);
    const start = localToMs(date, 9 * 60);
    const created = await teacher.post('/api/bookings', {
      facilityId,
      allianceId: ALLIANCE,
      start: new Date(start).toISOString(),
      end: new Date(start + HOUR).toISOString(),
      purpose: '决策竞争',
      groupSize: 20,
      responsibleTeacher: '李老师',
      acceptTerms: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const b = created.json().bookings[0];
    expect(b.status).toBe('pending');
    await moveTo(b.id, Date.now() - (++slot + 1) * 2 * HOUR);
    return b.id;
  }

  /** Moves a booking to the hour starting at `start` (the past: a no-show needs a started booking). */
  async function moveTo(id: string, start: number) {
    await env.database.db
      .updateTable('bookings')
      .set({
        start_ms: start,
        end_ms: start + HOUR,
        block_end_ms: start + HOUR,
        start_at: new Date(start).toISOString(),
        end_at: new Date(start + HOUR).toISOString(),
      })
      .where('id', '=', id)
      .execute();
  }

  function fire(a: Action, id: string) {
    switch (a) {
      case 'approve':
        return principal.post(`/api/bookings/${id}/approve`, {});
      case 'reject':
        return principal.post(`/api/bookings/${id}/reject`, { reason: '时间冲突' });
      case 'cancelBooker':
        return teacher.post(`/api/bookings/${id}/cancel`, { reason: '课程调整' });
      case 'cancelOwner':
        return principal.post(`/api/bookings/${id}/cancel`, { reason: '设备检修' });
      case 'noShow':
        return principal.post(`/api/bookings/${id}/no-show`, {});
      case 'checkIn':
        return principal.post(`/api/bookings/${id}/check-in`, {});
    }
  }

  async function ledgerOf(id: string) {
    const rows = await env.database.db
      .selectFrom('credit_transactions')
      .select(['id', 'kind', 'amount'])
      .where('cause_type', '=', 'booking')
      .where('cause_id', '=', id)
      .execute();
    const of = (k: string) => rows.filter((r) => r.kind === k);
    return { charge: of('booking_charge'), refund: of('booking_refund'), penalty: of('no_show_penalty') };
  }

  async function auditOf(id: string) {
    const db = env.database.db;
    const rows = await db.selectFrom('audit_log').select('action').where('entity_type', '=', 'booking').where('entity_id', '=', id).execute();
    const money = await db.selectFrom('audit_log').select(['action', 'detail']).where('action', 'like', 'credit.booking_%').execute();
    const n = (a: string) => rows.filter((r) => r.action === a).length;
    const m = (a: string) => money.filter((r) => r.action === a && (r.detail ?? '').includes(id)).length;
    return {
      approve: n('booking.approve'),
      reject: n('booking.reject'),
      cancel: n('booking.cancel'),
      noShow: n('booking.no_show'),
      checkIn: n('booking.check_in'),
      charge: m('credit.booking_charge'),
      refund: m('credit.booking_refund'),
    };
  }

  it(`approve vs reject vs cancel (booker and owner) vs no-show vs check-in, ${ROUNDS} rounds: a legal state, the ledger matching it, one audit entry per transition`, async () => {
    const seen = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const id = await pendingBooking();
      // running now (started 30 minutes ago): check-in and no-show are both possible once approved
      await moveTo(id, Date.now() - 30 * 60_000);
      // a different firing order each round
      const order = ACTIONS.map((_, i) => ACTIONS[(i + round) % ACTIONS.length]!);
      if (round % 2) order.reverse();
      // all at once in some rounds; staggered in others, so later requests also meet committed decisions
      const gap = [0, 5, 40, 150][round % 4]!;
      const replies = await Promise.all(order.map((a, i) => new Promise((ok) => setTimeout(ok, i * gap)).then(() => fire(a, id))));
      const ok = new Set<Action>();
      replies.forEach((r, i) => {
        if (r.statusCode === 200) ok.add(order[i]!);
        else {
          expect(r.statusCode, `${order[i]}: ${r.body}`).toBe(409);
          expect(r.json().code).toBe('invalid_transition');
        }
      });
      const b = await env.database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const cancels = (ok.has('cancelBooker') ? 1 : 0) + (ok.has('cancelOwner') ? 1 : 0);
      const label = `round ${round}: ${b.status} after ${[...ok].join(', ')}`;
      seen.set(`${b.status}${ok.has('approve') ? '+approved' : ''}`, (seen.get(`${b.status}${ok.has('approve') ? '+approved' : ''}`) ?? 0) + 1);
      // the final state is explained by exactly the requests that succeeded
      switch (b.status) {
        case 'rejected':
          expect([...ok], label).toEqual(['reject']);
          break;
        case 'accepted':
          expect([...ok], label).toEqual(['approve']);
          break;
        case 'no_show':
          expect([...ok].sort(), label).toEqual(['approve', 'noShow']);
          break;
        case 'checked_in':
          expect([...ok].sort(), label).toEqual(['approve', 'checkIn']);
          break;
        case 'cancelled':
          expect(cancels, label).toBe(1);
          expect(ok.has('reject') || ok.has('noShow'), label).toBe(false);
          break;
        default:
          throw new Error(`illegal final state ${label}`);
      }
      // the ledger matches the state
      const l = await ledgerOf(id);
      expect(l.charge.length, label).toBe(ok.has('approve') ? 1 : 0);
      if (ok.has('approve')) {
        expect(l.charge[0]!.amount, label).toBeGreaterThan(0);
        expect(b.charge_amount, label).toBe(l.charge[0]!.amount);
        expect(b.charge_tx_id, label).toBe(l.charge[0]!.id);
      }
      const refundDue = ok.has('approve') && b.status === 'cancelled';
      expect(l.refund.length, label).toBe(refundDue ? 1 : 0);
      if (refundDue) {
        // the owner's cancel is timely (100 %); the booker's, of a started booking, late (50 %)
        expect(l.refund[0]!.amount, label).toBe(ok.has('cancelOwner') ? l.charge[0]!.amount : Math.floor(l.charge[0]!.amount / 2));
      }
      expect(l.penalty.length, label).toBe(ok.has('noShow') ? 1 : 0);
      // one audit entry per effective transition
      const a = await auditOf(id);
      expect(a, label).toEqual({
        approve: ok.has('approve') ? 1 : 0,
        reject: ok.has('reject') ? 1 : 0,
        cancel: cancels,
        noShow: ok.has('noShow') ? 1 : 0,
        checkIn: ok.has('checkIn') ? 1 : 0,
        charge: ok.has('approve') ? 1 : 0,
        refund: refundDue ? 1 : 0,
      });
      // out of the way of the next round's running booking
      await moveTo(id, Date.now() - (++slot + 1) * 2 * HOUR);
    }
    // the check (ledger, and money against its causes) finds nothing after the races
    expect((await checkLedger(env.database.db)).problems).toEqual([]);
    expect(await checkMoneyCauses(env.database.db)).toEqual([]);
    expect(seen.size).toBeGreaterThan(0);
  }, 300_000);

  it('five concurrent cancels of an accepted booking: one cancels and refunds, four get 409, one audit entry', async () => {
    const id = await pendingBooking();
    expect((await principal.post(`/api/bookings/${id}/approve`, {})).statusCode).toBe(200);
    const replies = await Promise.all([teacher, teacher, principal, teacher, principal].map((c) => c.post(`/api/bookings/${id}/cancel`, {})));
    expect(replies.filter((r) => r.statusCode === 200).length, replies.map((r) => r.body).join('\n')).toBe(1);
    for (const r of replies.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().code).toBe('invalid_transition');
    }
    expect((await auditOf(id)).cancel).toBe(1);
    expect((await ledgerOf(id)).refund.length).toBe(1);
    expect(await checkMoneyCauses(env.database.db)).toEqual([]);
  }, 60_000);

  it('two accepts of one waitlist offer at the same moment: one booking, the other 409', async () => {
    const db = env.database.db;
    const closures = await db.selectFrom('closures').select(['start_date', 'end_date']).where('school_id', '=', HOST).execute();
    let date = addDays(localParts(Date.now()).date, 5);
    while (localParts(localToMs(date, 12 * 60)).weekday > 5 || closures.some((c) => c.start_date <= date && date <= c.end_date)) date = addDays(date, 1);
    const start = localToMs(date, 15 * 60);
    const id = `wl_race_${Date.now().toString(36)}`;
    const now = new Date().toISOString();
    await db
      .insertInto('waitlist')
      .values({
        id,
        facility_id: facilityId,
        user_id: teacherRow.id,
        school_id: teacherRow.school_id,
        alliance_id: ALLIANCE,
        start_ms: start,
        end_ms: start + HOUR,
        start_at: new Date(start).toISOString(),
        end_at: new Date(start + HOUR).toISOString(),
        purpose: '候补',
        group_size: 20,
        responsible_teacher: '李老师',
        status: 'offered',
        offer_expires_at: new Date(Date.now() + HOUR).toISOString(),
        booking_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const replies = await Promise.all([0, 1, 2].map(() => teacher.post(`/api/waitlist/${id}/accept`, { acceptTerms: true })));
    expect(replies.map((r) => r.statusCode).sort(), replies.map((r) => r.body).join('\n')).toEqual([201, 409, 409]);
    for (const r of replies.filter((x) => x.statusCode === 409)) expect(['invalid_transition', 'booking_conflict']).toContain(r.json().code);
    const made = await db.selectFrom('bookings').select('id').where('facility_id', '=', facilityId).where('start_ms', '=', start).execute();
    expect(made).toHaveLength(1);
    const w = await db.selectFrom('waitlist').select(['status', 'booking_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(w).toEqual({ status: 'booked', booking_id: made[0]!.id });
    expect(await checkMoneyCauses(db)).toEqual([]);
  }, 60_000);

  it('return and cancel of one loan at the same moment: one wins, one audit entry', async () => {
    const db = env.database.db;
    const eq = await principal.post(`/api/facilities/${facilityId}/equipment`, { type: '示波器', name: '数字示波器', quantity: 5, usage: 'lendable' });
    expect(eq.statusCode, eq.body).toBe(201);
    const from = Date.now() + 2 * HOUR;
    const loan = await teacher.post(`/api/equipment/${eq.json().id}/loans`, {
      from: new Date(from).toISOString(),
      to: new Date(from + 2 * HOUR).toISOString(),
      quantity: 2,
    });
    expect(loan.statusCode, loan.body).toBe(201);
    const loanId = loan.json().id as string;
    const replies = await Promise.all([
      principal.post(`/api/loans/${loanId}/return`, {}),
      principal.post(`/api/loans/${loanId}/return`, {}),
      teacher.post(`/api/loans/${loanId}/cancel`, {}),
    ]);
    expect(replies.filter((r) => r.statusCode === 200).length, replies.map((r) => r.body).join('\n')).toBe(1);
    for (const r of replies.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().code).toBe('invalid_transition');
    }
    const audits = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'loan')
      .where('entity_id', '=', loanId)
      .where('action', 'in', ['loan.return', 'loan.cancel'])
      .execute();
    expect(audits).toHaveLength(1);
  }, 60_000);

  it('check reports a rejected booking that is still charged and a cancelled one never refunded', async () => {
    const db = env.database.db;
    const rejectedId = await pendingBooking();
    const cancelledId = await pendingBooking();
    for (const id of [rejectedId, cancelledId]) expect((await principal.post(`/api/bookings/${id}/approve`, {})).statusCode).toBe(200);
    expect(await checkMoneyCauses(db)).toEqual([]);
    // what the lost races used to leave behind: the status moved, the money did not
    await db.updateTable('bookings').set({ status: 'rejected', decision_reason: '时间冲突' }).where('id', '=', rejectedId).execute();
    await db
      .updateTable('bookings')
      .set({ status: 'cancelled', cancelled_at: new Date().toISOString(), cancelled_by: null })
      .where('id', '=', cancelledId)
      .execute();
    try {
      const problems = await checkMoneyCauses(db);
      expect(problems.some((p) => p.includes(rejectedId) && p.includes('rejected') && p.includes('charged'))).toBe(true);
      expect(problems.some((p) => p.includes(cancelledId) && p.includes('refunded 0'))).toBe(true);
      expect(problems.length).toBe(2);
      // and `xiaolian check` says so too (the ledger itself balances)
      expect((await checkLedger(db)).problems).toEqual([]);
      const all = await runChecks(env.database);
      expect(all.filter((p) => p.includes(rejectedId) || p.includes(cancelledId)).length).toBe(2);
    } finally {
      await db
        .updateTable('bookings')
        .set({ status: 'accepted', cancelled_at: null, cancelled_by: null })
        .where('id', 'in', [rejectedId, cancelledId])
        .execute();
    }
    expect(await checkMoneyCauses(db)).toEqual([]);
  }, 60_000);
});
