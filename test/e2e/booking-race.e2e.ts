/**
 * Booking races and faults against real server processes (`node dist/server/main.js serve`; run
 * `npm run build` first — `npm run test:e2e` does):
 *  - PostgreSQL (only when DATABASE_URL is set): three instances on one fresh schema; 200 overlapping
 *    requests spread over them → exactly one accepted, the rest 409 `booking_conflict`.
 *  - SQLite: the same 200 against one process.
 *  - decision races (both databases; three instances on PostgreSQL): approve, reject, the booker's and the
 *    owner's cancel, no-show and check-in on one booking at the same moment, spread over the instances, 30 rounds →
 *    a legal final state, the ledger matching it, one audit entry per effective transition, and the money
 *    check (`checkMoneyCauses`, `xiaolian check`) clean afterwards.
 *  - kill -9 (both databases): an instance is SIGKILLed in the middle of a booking burst (single bookings
 *    and weekly series, each with an Idempotency-Key), restarted, and the unanswered requests retried.
 *    Afterwards: no booking without its ledger transaction, no transaction without its booking or with
 *    unbalanced entries, no half-written series, no key that took effect twice, ledger check clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { closeAgents, runCli, Session, spawnInstance, type Instance, type Reply } from '../../bench/_booking-lib.js';
import { createDatabase, type Database } from '../../src/server/db/index.js';
import { checkLedger } from '../../src/server/modules/credits/ledger.js';
import { checkMoneyCauses } from '../../src/server/modules/credits/causes.js';
import { addDays, localParts, localToMs, weeklyOccurrences } from '../../src/common/facilities.js';

const PASSWORD = process.env.DEMO_PASSWORD ?? 'Xiaolian@2026';
const PG_URL = process.env.DATABASE_URL || undefined;
const ALLIANCE = 'a_0001';
const HOST = 's_00001';
const N = 200;

/**
 * `count` distinct local weekdays (Mon–Fri), the first at least `minDays` ahead, on which none of the
 * schools has a closure (the demo calendar has holidays and exam weeks).
 */
async function openWeekdays(database: Database, schoolIds: string[], minDays: number, count: number): Promise<string[]> {
  const closures = await database.db.selectFrom('closures').select(['start_date', 'end_date']).where('school_id', 'in', schoolIds).execute();
  const out: string[] = [];
  for (let date = addDays(localParts(Date.now()).date, minDays); out.length < count; date = addDays(date, 1)) {
    if (localParts(localToMs(date, 12 * 60)).weekday > 5) continue;
    if (closures.some((c) => c.start_date <= date && date <= c.end_date)) continue;
    out.push(date);
  }
  return out;
}
const iso = (ms: number) => new Date(ms).toISOString();

/** Signs in; a 429 from the sign-in throttle (many sign-ins from one address at once) is retried after a pause, at most 10 times. */
async function signIn(url: string, username: string): Promise<Session> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await Session.login(url, username, PASSWORD);
    } catch (err) {
      if (attempt >= 10 || !String(err).includes(' 429 ')) throw err;
      await new Promise((ok) => setTimeout(ok, 1100 + attempt * 250));
    }
  }
}

interface World {
  kind: 'sqlite' | 'postgres';
  env: Record<string, string | undefined>;
  dataDir: string;
  schema: string | null;
  instances: Instance[];
  database: Database;
  principal: Session;
  bureau: Session;
  secretary: Session;
  /** teachers of the alliance's member schools other than the host, with their school */
  teachers: { session: Session; schoolId: string }[];
  close(): Promise<void>;
}

async function openWorld(kind: 'sqlite' | 'postgres', instanceCount: number): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `xl-race-${kind}-`));
  const schema = kind === 'postgres' ? `e2e_race_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}` : null;
  const env: Record<string, string | undefined> = {
    DATA_DIR: dataDir,
    DEMO_PASSWORD: PASSWORD,
    DATABASE_URL: kind === 'postgres' ? PG_URL : undefined,
    DATABASE_SCHEMA: schema ?? undefined,
  };
  const instances: Instance[] = [];
  let database: Database | null = null;
  const close = async () => {
    closeAgents();
    await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
    if (database) {
      if (schema) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db).catch(() => undefined);
      await database.close();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // the first instance migrates and seeds the demo region; the others join the same database
    instances.push(await spawnInstance({ ...env, SEED_ON_START: '1' }));
    instances.push(...(await Promise.all(Array.from({ length: instanceCount - 1 }, () => spawnInstance({ ...env, SEED_ON_START: '0' })))));
    database = createDatabase({ databaseUrl: env.DATABASE_URL, databaseSchema: schema ?? undefined, sqlitePath: path.join(dataDir, 'xiaolian.sqlite') });
    const url = instances[0].url;
    const principal = await signIn(url, 'principal');
    const bureau = await signIn(url, 'bureau');
    const secretary = await signIn(url, 'secretary');
    // generous credits (the demo ledger already holds starting grants): the burst must not hit the overdraft limit
    const rules = await secretary.put(url, `/api/alliances/${ALLIANCE}/credit-rules`, { overdraftLimit: 1000 });
    if (rules.status !== 200) throw new Error(`credit rules: ${rules.status} ${JSON.stringify(rules.body)}`);
    const grant = await secretary.post(url, `/api/alliances/${ALLIANCE}/credit-grants`, { type: 'extra', amount: 1_000_000, reason: '压力测试追加积分' });
    if (grant.status !== 201 && grant.status !== 200) throw new Error(`grant: ${grant.status} ${JSON.stringify(grant.body)}`);
    const rows = await database.db
      .selectFrom('alliance_members as m')
      .innerJoin('role_grants as g', (j) => j.onRef('g.scope_id', '=', 'm.school_id').on('g.role', '=', 'teacher'))
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['u.username', 'm.school_id'])
      .where('m.alliance_id', '=', ALLIANCE)
      .where('m.status', '=', 'active')
      .where('m.school_id', '!=', HOST)
      .orderBy('u.username')
      .execute();
    const teachers: { session: Session; schoolId: string }[] = [];
    for (const [i, r] of rows.slice(0, 12).entries())
      teachers.push({ session: await signIn(instances[i % instances.length].url, r.username), schoolId: r.school_id });
    return { kind, env, dataDir, schema, instances, database, principal, bureau, secretary, teachers, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function createFacility(w: World, by: Session, schoolId: string, name: string, policy: 'auto' | 'manual' = 'auto'): Promise<string> {
  const res = await by.post(w.instances[0].url, '/api/facilities', {
    schoolId,
    type: 'chemistry_lab',
    subject: 'chemistry',
    name,
    capacity: 48,
    policy,
    minNoticeHours: 0,
    maxDaysAhead: 120,
    bufferMinutes: 0,
    minMinutes: 30,
    maxMinutes: 240,
  });
  if (res.status !== 201) throw new Error(`create facility: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

const body = (facilityId: string, start: number, end: number, i: number, extra: Record<string, unknown> = {}) => ({
  facilityId,
  allianceId: ALLIANCE,
  start: iso(start),
  end: iso(end),
  purpose: `分组实验 ${i}`,
  groupSize: 30,
  responsibleTeacher: '王老师',
  acceptTerms: true,
  ...extra,
});

async function overlapPairs(database: Database): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*) as n from bookings a join bookings b
      on a.facility_id = b.facility_id and a.id < b.id
     and a.start_ms < b.block_end_ms and b.start_ms < a.block_end_ms
    where a.status in ('accepted','checked_in') and b.status in ('accepted','checked_in')`.execute(database.db);
  return Number(r.rows[0]!.n);
}

/** The invariants a crash must not break (every problem as a line; empty = fine). */
async function integrityProblems(database: Database, facilityIds: string[]): Promise<string[]> {
  const db = database.db;
  const problems: string[] = [];
  // a holding booking made across schools under an alliance carries its charge, and the charge exists
  const unpaid = await sql<{ id: string }>`
    select b.id from bookings b join facilities f on f.id = b.facility_id
    where b.status in ('accepted','checked_in') and b.alliance_id is not null
      and b.booker_school_id is not null and f.school_id is not null and b.booker_school_id <> f.school_id
      and b.facility_id in (${sql.join(facilityIds)})
      and (b.charge_tx_id is null or b.charge_amount <= 0
           or not exists (select 1 from credit_transactions t where t.id = b.charge_tx_id and t.kind = 'booking_charge'
                           and t.cause_type = 'booking' and t.cause_id = b.id and t.amount = b.charge_amount))`.execute(db);
  for (const r of unpaid.rows) problems.push(`booking ${r.id} is accepted without its charge`);
  // no charge without its booking
  const orphans = await sql<{ id: string }>`
    select t.id from credit_transactions t
    where t.cause_type = 'booking' and not exists (select 1 from bookings b where b.id = t.cause_id)`.execute(db);
  for (const r of orphans.rows) problems.push(`credit transaction ${r.id} has no booking`);
  // every series is whole: its bookings are exactly its weekly occurrences
  const series = await db.selectFrom('booking_series as s').select(['s.id', 's.until_date', 's.mode']).where('s.facility_id', 'in', facilityIds).execute();
  for (const s of series) {
    const bs = await db.selectFrom('bookings').select(['start_ms', 'end_ms']).where('series_id', '=', s.id).orderBy('start_ms').execute();
    if (!bs.length) {
      problems.push(`series ${s.id} has no bookings`);
      continue;
    }
    if (s.mode === 'all_or_nothing') {
      const expected = weeklyOccurrences(Number(bs[0].start_ms), Number(bs[0].end_ms), s.until_date);
      if (expected.length !== bs.length) problems.push(`series ${s.id} holds ${bs.length} of ${expected.length} bookings`);
    }
  }
  if ((await overlapPairs(database)) !== 0) problems.push('overlapping accepted bookings');
  problems.push(...(await checkLedger(db)).problems);
  return problems;
}

function expectConflictOrAccepted(replies: Reply[]) {
  const accepted = replies.filter((r) => r.status === 201);
  const odd = replies.filter((r) => r.status !== 201 && !(r.status === 409 && r.body?.code === 'booking_conflict'));
  expect(odd.map((r) => `${r.status} ${JSON.stringify(r.body)}`).slice(0, 3)).toEqual([]);
  return accepted;
}

/** 200 overlapping requests from the alliance's teachers, round-robin over the instances. */
async function raceOn(w: World) {
  const facilityId = await createFacility(w, w.principal, HOST, `赛跑实验室 ${w.kind}`);
  const [date] = await openWeekdays(w.database, [HOST], 3, 1);
  const before = await checkLedger(w.database.db);
  expect(before.problems).toEqual([]);
  const replies = await Promise.all(
    Array.from({ length: N }, (_, i) => {
      const s = localToMs(date, 9 * 60 + (i % 4) * 15);
      const t = w.teachers[i % w.teachers.length];
      return t.session.post(w.instances[i % w.instances.length].url, '/api/bookings', body(facilityId, s, s + 90 * 60_000, i));
    }),
  );
  const accepted = expectConflictOrAccepted(replies);
  expect(accepted.length).toBe(1);
  const winner = accepted[0].body.bookings[0];
  expect(winner.status).toBe('accepted');
  for (const r of replies) if (r.status === 409) expect(r.body.detail).toContain(winner.id);
  const held = await w.database.db.selectFrom('bookings').select(['id', 'status', 'charge_tx_id']).where('facility_id', '=', facilityId).execute();
  expect(held.map((b) => [b.id, b.status])).toEqual([[winner.id, 'accepted']]);
  expect(await overlapPairs(w.database)).toBe(0);
  const charges = await w.database.db
    .selectFrom('credit_transactions')
    .select(['id', 'cause_id'])
    .where('cause_type', '=', 'booking')
    .where('cause_id', '=', winner.id)
    .execute();
  expect(charges.length).toBe(1);
  expect(held[0].charge_tx_id).toBe(charges[0].id);
  const after = await checkLedger(w.database.db);
  expect(after.problems).toEqual([]);
  expect(after.transactions).toBe(before.transactions + 1);
  const check = runCli(['check'], w.env);
  expect(check.status, check.out).toBe(0);
}

const ROUNDS = 30;
type Action = 'approve' | 'reject' | 'cancelBooker' | 'cancelOwner' | 'noShow' | 'checkIn';
const ACTIONS: Action[] = ['approve', 'reject', 'cancelBooker', 'cancelOwner', 'noShow', 'checkIn'];

/**
 * Approve vs reject vs cancel (booker, owner) vs no-show vs check-in on one booking, each request to another
 * instance, ROUNDS rounds (some all at once, some staggered so later requests meet committed decisions).
 * Returns how often each outcome occurred.
 */
async function decisionRaceOn(w: World) {
  const db = w.database.db;
  const url = (i: number) => w.instances[i % w.instances.length].url;
  const facilityId = await createFacility(w, w.principal, HOST, `决策竞争实验室 ${w.kind}`, 'manual');
  // a late cancellation refunds half, so every kind of refund shows in the ledger
  const rules = await w.secretary.put(url(0), `/api/alliances/${ALLIANCE}/credit-rules`, { refundLatePct: 50, refundTimelyPct: 100 });
  expect(rules.status, JSON.stringify(rules.body)).toBe(200);
  const booker = w.teachers[0].session;
  const [date] = await openWeekdays(w.database, [HOST], 3, 1);
  const seen: Record<string, number> = {};
  const moveTo = (id: string, start: number) =>
    db
      .updateTable('bookings')
      .set({ start_ms: start, end_ms: start + 3_600_000, block_end_ms: start + 3_600_000, start_at: iso(start), end_at: iso(start + 3_600_000) })
      .where('id', '=', id)
      .execute();
  for (let round = 0; round < ROUNDS; round++) {
    const s = localToMs(date, 9 * 60);
    const created = await booker.post(url(round), '/api/bookings', body(facilityId, s, s + 60 * 60_000, round));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.bookings[0].id as string;
    expect(created.body.bookings[0].status).toBe('pending');
    // running now (started 30 minutes ago): check-in and no-show are both possible once approved
    await moveTo(id, Date.now() - 30 * 60_000);
    const fire = (a: Action, i: number) => {
      const u = url(round + i);
      switch (a) {
        case 'approve':
          return w.principal.post(u, `/api/bookings/${id}/approve`, {});
        case 'reject':
          return w.principal.post(u, `/api/bookings/${id}/reject`, { reason: '时间冲突' });
        case 'cancelBooker':
          return booker.post(u, `/api/bookings/${id}/cancel`, { reason: '课程调整' });
        case 'cancelOwner':
          return w.principal.post(u, `/api/bookings/${id}/cancel`, { reason: '设备检修' });
        case 'noShow':
          return w.principal.post(u, `/api/bookings/${id}/no-show`, {});
        case 'checkIn':
          return w.principal.post(u, `/api/bookings/${id}/check-in`, {});
      }
    };
    const order = ACTIONS.map((_, i) => ACTIONS[(i + round) % ACTIONS.length]!);
    if (round % 2) order.reverse();
    const gap = [0, 5, 40, 150][round % 4]!;
    const replies = await Promise.all(order.map((a, i) => new Promise((ok) => setTimeout(ok, i * gap)).then(() => fire(a, i))));
    const ok = new Set<Action>();
    replies.forEach((r, i) => {
      if (r.status === 200) ok.add(order[i]!);
      else expect([r.status, r.body?.code], `${order[i]} ${JSON.stringify(r.body)}`).toEqual([409, 'invalid_transition']);
    });
    const b = await db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const label = `round ${round}: ${b.status} after ${[...ok].join(', ')}`;
    const cancels = (ok.has('cancelBooker') ? 1 : 0) + (ok.has('cancelOwner') ? 1 : 0);
    const outcome = `${b.status}${ok.has('approve') ? '+approved' : ''}`;
    seen[outcome] = (seen[outcome] ?? 0) + 1;
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
    const txs = await db
      .selectFrom('credit_transactions')
      .select(['id', 'kind', 'amount'])
      .where('cause_type', '=', 'booking')
      .where('cause_id', '=', id)
      .execute();
    const of = (k: string) => txs.filter((t) => t.kind === k);
    expect(of('booking_charge').length, label).toBe(ok.has('approve') ? 1 : 0);
    if (ok.has('approve')) {
      expect(b.charge_amount, label).toBe(of('booking_charge')[0]!.amount);
      expect(b.charge_tx_id, label).toBe(of('booking_charge')[0]!.id);
    }
    const refundDue = ok.has('approve') && b.status === 'cancelled';
    expect(of('booking_refund').length, label).toBe(refundDue ? 1 : 0);
    if (refundDue) {
      const charged = of('booking_charge')[0]!.amount;
      expect(of('booking_refund')[0]!.amount, label).toBe(ok.has('cancelOwner') ? charged : Math.floor(charged / 2));
    }
    expect(of('no_show_penalty').length, label).toBe(ok.has('noShow') ? 1 : 0);
    // one audit entry per effective transition
    const audits = await db.selectFrom('audit_log').select('action').where('entity_type', '=', 'booking').where('entity_id', '=', id).execute();
    const n = (a: string) => audits.filter((x) => x.action === a).length;
    expect(
      { approve: n('booking.approve'), reject: n('booking.reject'), cancel: n('booking.cancel'), noShow: n('booking.no_show'), checkIn: n('booking.check_in') },
      label,
    ).toEqual({
      approve: ok.has('approve') ? 1 : 0,
      reject: ok.has('reject') ? 1 : 0,
      cancel: cancels,
      noShow: ok.has('noShow') ? 1 : 0,
      checkIn: ok.has('checkIn') ? 1 : 0,
    });
    // out of the way of the next round's running booking: its own hour in the past
    await moveTo(id, Date.now() - (round + 2) * 2 * 3_600_000);
  }
  // the checks run after the races and find nothing
  expect((await checkLedger(db)).problems).toEqual([]);
  expect(await checkMoneyCauses(db)).toEqual([]);
  const check = runCli(['check'], w.env);
  expect(check.status, check.out).toBe(0);
  return seen;
}

interface Planned {
  key: string;
  teacher: number;
  body: Record<string, unknown>;
  reply?: Reply;
  lost?: boolean;
}

/**
 * A burst of single bookings (free slots, several facilities, priced and own-school) and weekly series,
 * each with its own Idempotency-Key; `victim` is SIGKILLed once `killAfter` answers have arrived.
 */
async function killDuringBurst(w: World, victimIndex: number) {
  const members = [...new Set(w.teachers.map((t) => t.schoolId))];
  const facilities: { id: string; schoolId: string }[] = [];
  for (const [i, schoolId] of [HOST, ...members].entries()) {
    facilities.push({ id: await createFacility(w, w.bureau, schoolId, `故障实验室 ${w.kind} ${i}`), schoolId });
  }
  const seriesFacility = await createFacility(w, w.bureau, HOST, `故障系列实验室 ${w.kind}`);
  const ids = [...facilities.map((f) => f.id), seriesFacility];
  const plan: Planned[] = [];
  const tag = randomBytes(4).toString('hex');
  // singles: slot k of facility f on day d — never overlapping each other
  const days = await openWeekdays(w.database, [HOST, ...members], 2, 60);
  for (let k = 0; k < 400; k++) {
    const f = facilities[k % facilities.length];
    const slot = Math.floor(k / facilities.length);
    const date = days[Math.floor(slot / 8)];
    const s = localToMs(date, 8 * 60 + (slot % 8) * 60);
    plan.push({ key: `kill-${tag}-${k}`, teacher: k % w.teachers.length, body: body(f.id, s, s + 60 * 60_000, k) });
  }
  // weekly series (3 weeks, all or nothing) on their own facility, distinct weekday/hour each, on open days
  const open = new Set(days);
  const byWeekday = new Map<number, string>();
  for (const d of days) {
    const wd = localParts(localToMs(d, 12 * 60)).weekday;
    if (!byWeekday.has(wd) && open.has(addDays(d, 7)) && open.has(addDays(d, 14))) byWeekday.set(wd, d);
  }
  const starts = [...byWeekday.values()];
  expect(starts.length).toBeGreaterThan(0);
  for (let k = 0; k < 8 * starts.length; k++) {
    const date = starts[k % starts.length];
    const s = localToMs(date, 8 * 60 + Math.floor(k / starts.length) * 60);
    const until = addDays(date, 14);
    plan.push({
      key: `kill-${tag}-s${k}`,
      teacher: k % w.teachers.length,
      body: body(seriesFacility, s, s + 60 * 60_000, 1000 + k, { recurrence: { until }, mode: 'all_or_nothing' }),
    });
  }
  // interleave series with singles (a fixed shuffle)
  for (let i = plan.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [plan[i], plan[j]] = [plan[j], plan[i]];
  }

  const victim = w.instances[victimIndex];
  const CONCURRENCY = 24;
  let next = 0;
  let answered = 0;
  let inFlightAtKill = -1;
  let inFlight = 0;
  let killed = false;
  const killAfter = Math.floor(plan.length / 4);
  const send = (p: Planned, url: string) => w.teachers[p.teacher].session.post(url, '/api/bookings', p.body, { 'idempotency-key': p.key });
  const survivor = w.instances.length > 1 ? w.instances[(victimIndex + 1) % w.instances.length] : null;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (next < plan.length) {
        // the victim gets most of the load so that the kill lands mid-request; after the kill only the
        // survivors (if any) are used, the rest waits for the restart
        const inst = killed ? survivor : worker % 4 === 3 && survivor ? survivor : victim;
        if (!inst) return;
        const p = plan[next++];
        inFlight++;
        try {
          p.reply = await send(p, inst.url);
          answered++;
        } catch {
          p.lost = true; // connection reset by the kill
        } finally {
          inFlight--;
        }
        if (!killed && answered >= killAfter) {
          killed = true;
          inFlightAtKill = inFlight;
          await victim.kill9();
        }
      }
    }),
  );
  expect(killed).toBe(true);
  expect(inFlightAtKill).toBeGreaterThan(0);
  const lostBeforeRestart = plan.filter((p) => p.lost || !p.reply).length;
  expect(lostBeforeRestart).toBeGreaterThan(0);

  // restart the victim on the same database and port, then check the invariants before any retry
  const restarted = await spawnInstance({ ...w.env, SEED_ON_START: '0' }, { port: victim.port });
  w.instances[victimIndex] = restarted;
  expect(await integrityProblems(w.database, ids)).toEqual([]);
  // bookings committed whose answer never arrived (the kill hit between commit and reply)
  const acknowledged = plan.reduce((n, p) => n + (p.reply?.status === 201 ? p.reply.body.bookings.length : 0), 0);
  const storedBeforeRetry = (await w.database.db.selectFrom('bookings').select('id').where('facility_id', 'in', ids).execute()).length;
  expect(storedBeforeRetry).toBeGreaterThanOrEqual(acknowledged);
  // every booking acknowledged with 201 before the kill is there
  for (const p of plan) {
    if (p.reply?.status === 201) {
      for (const b of p.reply.body.bookings as { id: string }[]) {
        const row = await w.database.db.selectFrom('bookings').select('status').where('id', '=', b.id).executeTakeFirst();
        expect(row?.status, `booking ${b.id}`).toBe('accepted');
      }
    }
  }

  // retry everything that had no answer (or any answer): an Idempotency-Key takes effect once
  for (const p of plan) {
    if (p.reply && p.reply.status !== 201) continue;
    const again = await send(p, restarted.url);
    if (p.reply) {
      expect(again.status).toBe(201);
      expect(again.body.bookings.map((b: { id: string }) => b.id)).toEqual(p.reply.body.bookings.map((b: { id: string }) => b.id));
    } else {
      expect([201, 409], JSON.stringify(again.body)).toContain(again.status);
      if (again.status === 409) expect(again.body.code).toBe('booking_conflict');
      p.reply = again;
    }
  }
  // no key booked twice: the accepted bookings are exactly those returned
  const returned = new Set(plan.flatMap((p) => (p.reply?.status === 201 ? p.reply.body.bookings.map((b: { id: string }) => b.id) : [])));
  const stored = await w.database.db.selectFrom('bookings').select('id').where('facility_id', 'in', ids).execute();
  expect(new Set(stored.map((b) => b.id))).toEqual(returned);
  // all singles and series are free slots: after the retries, every request is booked
  expect(plan.filter((p) => p.reply?.status !== 201).map((p) => `${p.key} ${p.reply?.status} ${JSON.stringify(p.reply?.body)}`)).toEqual([]);
  expect(await integrityProblems(w.database, ids)).toEqual([]);
  const check = runCli(['check'], w.env);
  expect(check.status, check.out).toBe(0);
  return { planned: plan.length, answeredBeforeKill: killAfter, inFlightAtKill, lostBeforeRestart, acknowledged, storedBeforeRetry, bookings: stored.length };
}

describe('booking race and kill -9, SQLite (one process)', () => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld('sqlite', 1);
  }, 180_000);
  afterAll(async () => w?.close());

  it(`${N} overlapping bookings against one process: exactly one accepted`, async () => {
    await raceOn(w);
  }, 120_000);

  it(`decision races on one booking, ${ROUNDS} rounds: legal states, the ledger matching, one audit entry per transition`, async () => {
    console.log(`SQLite decision races: ${JSON.stringify(await decisionRaceOn(w))}`);
  }, 240_000);

  it('kill -9 in the middle of a booking burst leaves nothing half-written', async () => {
    const r = await killDuringBurst(w, 0);
    console.log(`SQLite kill -9: ${JSON.stringify(r)}`);
  }, 240_000);
});

describe.skipIf(!PG_URL)('booking race and kill -9, PostgreSQL (three instances)', () => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld('postgres', 3);
  }, 240_000);
  afterAll(async () => w?.close());

  it(`${N} overlapping bookings spread over three instances: exactly one accepted`, async () => {
    expect(new Set(w.instances.map((i) => i.child.pid)).size).toBe(3);
    await raceOn(w);
  }, 120_000);

  it(`decision races on one booking over three instances, ${ROUNDS} rounds: legal states, the ledger matching, one audit entry per transition`, async () => {
    console.log(`PostgreSQL decision races (three instances): ${JSON.stringify(await decisionRaceOn(w))}`);
  }, 240_000);

  it('kill -9 of one instance in the middle of a booking burst leaves nothing half-written', async () => {
    const r = await killDuringBurst(w, 1);
    console.log(`PostgreSQL kill -9: ${JSON.stringify(r)}`);
  }, 240_000);
});
