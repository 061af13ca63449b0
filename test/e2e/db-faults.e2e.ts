/**
 * Riding through database faults with two instances of the built server on one PostgreSQL schema (only
 * when DATABASE_URL is set; `npm run build` first):
 *  - every connection of the app is terminated (`pg_terminate_backend`, as a restart, a failover or
 *    `idle_session_timeout` does) four times during a burst of bookings with Idempotency-Keys: both
 *    instances stay up, every request gets 201, 409 or 503 `database_unavailable` with Retry-After, the
 *    503s retried with their keys take effect once, and nothing is half-written (`check` passes);
 *  - the database becomes unreachable (a TCP proxy in front of it is cut) and comes back: requests get 503
 *    + Retry-After, /healthz says `degraded` (200: the process lives), /readyz 503; once the proxy is back
 *    the instance reconnects by itself, /readyz 200 and the refused booking goes through.
 * Before the fix a terminated connection was an unhandled 'error' event: the instance died.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Session } from '../../bench/_booking-lib.js';
import { createDatabase, type Database } from '../../src/server/db/index.js';
import { checkLedger } from '../../src/server/modules/credits/ledger.js';
import { addDays, localParts, localToMs, weeklyOccurrences } from '../../src/common/facilities.js';
import { call, dropSchema, freshSchema, apiSignIn, runCli, spawnServe, waitFor, type HttpReply, type Instance } from './harness';

const PG_URL = process.env.DATABASE_URL || undefined;
const ALLIANCE = 'a_0001';
const HOST = 's_00001';
const iso = (ms: number) => new Date(ms).toISOString();

interface World {
  env: Record<string, string | undefined>;
  appName: string;
  instances: Instance[];
  database: Database;
  bureau: Session;
  teachers: Session[];
  /** member schools of the alliance other than the host */
  members: string[];
  agent: http.Agent;
  close(): Promise<void>;
}

async function openWorld(): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-faults-'));
  const schema = freshSchema('e2e_faults');
  // the instances' connections carry this application_name, so the test terminates theirs and nobody else's
  const appName = `xl_faults_${randomBytes(4).toString('hex')}`;
  const env = { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, DATA_DIR: dataDir, PGAPPNAME: appName };
  const instances: Instance[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let database: Database | null = null;
  const close = async () => {
    agent.destroy();
    await Promise.all(instances.map((i) => i.stop('SIGTERM', 5000).catch(() => undefined)));
    await database?.close();
    await dropSchema(PG_URL!, schema).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    instances.push(await spawnServe({ ...env, SEED_ON_START: '1' }));
    instances.push(await spawnServe({ ...env, SEED_ON_START: '0' }));
    database = createDatabase({ databaseUrl: PG_URL, databaseSchema: schema, sqlitePath: ':memory:' });
    const url = instances[0].url;
    const bureau = await apiSignIn(url, 'bureau');
    const secretary = await apiSignIn(url, 'secretary');
    // generous credits: the burst must not hit the overdraft limit
    const rules = await call(agent, url, 'PUT', `/api/alliances/${ALLIANCE}/credit-rules`, secretary.headers(), { overdraftLimit: 1000 });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    const grant = await call(agent, url, 'POST', `/api/alliances/${ALLIANCE}/credit-grants`, secretary.headers(), {
      type: 'extra',
      amount: 1_000_000,
      reason: '故障演练追加积分',
    });
    expect([200, 201], JSON.stringify(grant.body)).toContain(grant.status);
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
    const teachers: Session[] = [];
    for (const [i, r] of rows.slice(0, 8).entries()) teachers.push(await apiSignIn(instances[i % 2].url, r.username));
    const members = [...new Set(rows.map((r) => r.school_id))];
    return { env, appName, instances, database, bureau, teachers, members, agent, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Weekdays at least `minDays` ahead on which none of the schools is closed. */
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

async function createFacility(w: World, schoolId: string, name: string): Promise<string> {
  const res = await call(w.agent, w.instances[0].url, 'POST', '/api/facilities', w.bureau.headers(), {
    schoolId,
    type: 'chemistry_lab',
    subject: 'chemistry',
    name,
    capacity: 48,
    policy: 'auto',
    minNoticeHours: 0,
    maxDaysAhead: 120,
    bufferMinutes: 0,
    minMinutes: 30,
    maxMinutes: 240,
  });
  if (res.status !== 201) throw new Error(`create facility: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

const bookingBody = (facilityId: string, start: number, i: number, extra: Record<string, unknown> = {}) => ({
  facilityId,
  allianceId: ALLIANCE,
  start: iso(start),
  end: iso(start + 60 * 60_000),
  purpose: `故障演练 ${i}`,
  groupSize: 30,
  responsibleTeacher: '王老师',
  acceptTerms: true,
  ...extra,
});

/** Ends every connection the instances hold (their application_name); returns how many. */
async function terminateAppConnections(w: World): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = ${w.appName}`.execute(w.database.db);
  return Number(r.rows[0]!.n);
}

/** A 503 as the app sends it: problem+json `database_unavailable` with Retry-After. */
function expectUnavailable(r: HttpReply) {
  expect(r.status).toBe(503);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.body.code).toBe('database_unavailable');
  expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
}

async function integrityProblems(database: Database, facilityIds: string[]): Promise<string[]> {
  const db = database.db;
  const problems: string[] = [];
  const overlaps = await sql<{ n: number }>`
    select count(*) as n from bookings a join bookings b
      on a.facility_id = b.facility_id and a.id < b.id and a.start_ms < b.block_end_ms and b.start_ms < a.block_end_ms
    where a.status in ('accepted','checked_in') and b.status in ('accepted','checked_in')`.execute(db);
  if (Number(overlaps.rows[0]!.n) !== 0) problems.push('overlapping accepted bookings');
  const unpaid = await sql<{ id: string }>`
    select b.id from bookings b join facilities f on f.id = b.facility_id
    where b.facility_id in (${sql.join(facilityIds)}) and b.status = 'accepted' and b.booker_school_id <> f.school_id
      and (b.charge_tx_id is null or not exists (select 1 from credit_transactions t where t.id = b.charge_tx_id and t.cause_id = b.id))`.execute(db);
  for (const r of unpaid.rows) problems.push(`booking ${r.id} is accepted without its charge`);
  const orphans = await sql<{ id: string }>`
    select t.id from credit_transactions t where t.cause_type = 'booking' and not exists (select 1 from bookings b where b.id = t.cause_id)`.execute(db);
  for (const r of orphans.rows) problems.push(`credit transaction ${r.id} has no booking`);
  const series = await db.selectFrom('booking_series').select(['id', 'until_date']).where('facility_id', 'in', facilityIds).execute();
  for (const s of series) {
    const bs = await db.selectFrom('bookings').select(['start_ms', 'end_ms']).where('series_id', '=', s.id).orderBy('start_ms').execute();
    const expected = bs.length ? weeklyOccurrences(Number(bs[0].start_ms), Number(bs[0].end_ms), s.until_date).length : 1;
    if (bs.length !== expected) problems.push(`series ${s.id} holds ${bs.length} of ${expected} bookings`);
  }
  problems.push(...(await checkLedger(db)).problems);
  return problems;
}

interface Planned {
  key: string;
  teacher: number;
  body: Record<string, unknown>;
  reply?: HttpReply;
  lost?: string;
}

describe.skipIf(!PG_URL)('database faults, PostgreSQL (two instances)', () => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld();
  }, 240_000);
  afterAll(async () => w?.close());

  it('every app connection terminated four times during a booking burst: both instances stay up, 2xx/409/503 only, nothing half-written', async () => {
    const schools = [HOST, ...w.members.slice(0, 2)];
    const facilities = await Promise.all(schools.map((s, i) => createFacility(w, s, `故障演练实验室 ${i}`)));
    const seriesFacility = await createFacility(w, HOST, '故障演练系列实验室');
    const ids = [...facilities, seriesFacility];
    const days = await openWeekdays(w.database, schools, 2, 40);
    const tag = randomBytes(4).toString('hex');
    const plan: Planned[] = [];
    for (let k = 0; k < 180; k++) {
      const slot = Math.floor(k / facilities.length);
      const s = localToMs(days[Math.floor(slot / 8)], 8 * 60 + (slot % 8) * 60);
      plan.push({ key: `fault-${tag}-${k}`, teacher: k % w.teachers.length, body: bookingBody(facilities[k % facilities.length], s, k) });
    }
    // weekly series over three weeks (all or nothing), distinct weekday and hour each
    const open = new Set(days);
    const starts = [
      ...new Map(days.filter((d) => open.has(addDays(d, 7)) && open.has(addDays(d, 14))).map((d) => [localParts(localToMs(d, 720)).weekday, d])).values(),
    ];
    expect(starts.length).toBeGreaterThan(0);
    for (let k = 0; k < 20; k++) {
      const date = starts[k % starts.length];
      const s = localToMs(date, 8 * 60 + Math.floor(k / starts.length) * 60);
      plan.push({
        key: `fault-${tag}-s${k}`,
        teacher: k % w.teachers.length,
        body: bookingBody(seriesFacility, s, 1000 + k, { recurrence: { until: addDays(date, 14) }, mode: 'all_or_nothing' }),
      });
    }
    for (let i = plan.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [plan[i], plan[j]] = [plan[j], plan[i]];
    }

    const send = (p: Planned, inst: Instance) =>
      call(w.agent, inst.url, 'POST', '/api/bookings', w.teachers[p.teacher].headers({ 'idempotency-key': p.key }), p.body);
    const thresholds = [20, 60, 100, 140];
    const terminated: number[] = [];
    let next = 0;
    let answered = 0;
    let terminating: Promise<void> = Promise.resolve();
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        while (next < plan.length) {
          const p = plan[next++];
          try {
            p.reply = await send(p, w.instances[(worker + next) % 2]);
          } catch (err) {
            p.lost = String(err); // an instance died or cut the connection: must not happen
          }
          answered++;
          if (terminated.length < thresholds.length && answered >= thresholds[terminated.length]) {
            terminated.push(-1);
            const at = terminated.length - 1;
            terminating = terminating.then(async () => {
              terminated[at] = await terminateAppConnections(w);
            });
          }
        }
      }),
    );
    await terminating;

    // both instances are up and ready again, by themselves
    for (const inst of w.instances) {
      expect(inst.child.exitCode, inst.log()).toBeNull();
      await waitFor(inst, '/readyz', 15_000);
    }
    expect(plan.filter((p) => p.lost).map((p) => p.lost)).toEqual([]);
    const odd = plan.filter((p) => ![201, 409, 503].includes(p.reply!.status) || (p.reply!.status === 409 && p.reply!.body.code !== 'booking_conflict'));
    expect(odd.map((p) => `${p.reply!.status} ${JSON.stringify(p.reply!.body)}`).slice(0, 3)).toEqual([]);
    const unavailable = plan.filter((p) => p.reply!.status === 503);
    const createdBeforeRetry = plan.filter((p) => p.reply!.status === 201).length;
    for (const p of unavailable) expectUnavailable(p.reply!);
    expect(
      terminated.every((n) => n > 0),
      JSON.stringify(terminated),
    ).toBe(true);

    // nothing half-written, before any retry
    expect(await integrityProblems(w.database, ids)).toEqual([]);
    // the refused requests, retried with their keys, go through (each takes effect once); answered ones replay
    for (const p of plan) {
      if (p.reply!.status === 409) continue;
      const again = await send(p, w.instances[0]);
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      if (p.reply!.status === 201) {
        expect(again.body.bookings.map((b: { id: string }) => b.id)).toEqual(p.reply!.body.bookings.map((b: { id: string }) => b.id));
      }
      p.reply = again;
    }
    const returned = new Set(plan.flatMap((p) => (p.reply!.status === 201 ? p.reply!.body.bookings.map((b: { id: string }) => b.id) : [])));
    const stored = await w.database.db.selectFrom('bookings').select('id').where('facility_id', 'in', ids).execute();
    expect(new Set(stored.map((b) => b.id))).toEqual(returned);
    expect(await integrityProblems(w.database, ids)).toEqual([]);
    const check = await runCli(['check'], w.env);
    expect(check.status, check.out).toBe(0);
    console.log(
      `pg_terminate_backend during a burst: ${JSON.stringify({
        requests: plan.length,
        terminated,
        createdBeforeRetry,
        unavailableBeforeRetry: unavailable.length,
        bookings: stored.length,
      })}`,
    );
  }, 240_000);

  it('database unreachable, then back: 503 + Retry-After, /healthz degraded, /readyz 503; the instance reconnects by itself', async () => {
    const target = new URL(PG_URL!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.listen();
    const viaProxy = new URL(PG_URL!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const inst = await spawnServe({ ...w.env, DATABASE_URL: viaProxy.toString(), SEED_ON_START: '0', PGAPPNAME: `${w.appName}_proxy` });
    try {
      const bureau = await apiSignIn(inst.url, 'bureau');
      const teacher = w.teachers[0];
      const facility = await createFacility(w, HOST, '断网演练实验室');
      const [day] = await openWeekdays(w.database, [HOST], 3, 1);
      const booking = bookingBody(facility, localToMs(day, 10 * 60), 1);
      const key = `cut-${randomBytes(4).toString('hex')}`;
      expect((await call(w.agent, inst.url, 'GET', '/api/schools?pageSize=1', bureau.headers())).status).toBe(200);

      proxy.cut();
      expectUnavailable(await call(w.agent, inst.url, 'GET', '/api/schools?pageSize=1', bureau.headers()));
      expectUnavailable(await call(w.agent, inst.url, 'POST', '/api/bookings', teacher.headers({ 'idempotency-key': key }), booking));
      const health = await call(w.agent, inst.url, 'GET', '/healthz');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', database: 'postgres', problem: 'database_unavailable' });
      const ready = await call(w.agent, inst.url, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.code).toBe('database_unavailable');
      expect(Number(ready.headers['retry-after'])).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(inst.child.exitCode, inst.log()).toBeNull();
      expect(await w.database.db.selectFrom('bookings').select('id').where('facility_id', '=', facility).execute()).toEqual([]);

      await proxy.listen();
      await waitFor(inst, '/readyz', 15_000);
      expect((await call(w.agent, inst.url, 'GET', '/healthz')).body.status).toBe('ok');
      expect((await call(w.agent, inst.url, 'GET', '/api/schools?pageSize=1', bureau.headers())).status).toBe(200);
      const booked = await call(w.agent, inst.url, 'POST', '/api/bookings', teacher.headers({ 'idempotency-key': key }), booking);
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
      expect(await w.database.db.selectFrom('bookings').select('id').where('facility_id', '=', facility).execute()).toHaveLength(1);
    } finally {
      expect(await inst.stop()).toBe(0);
      proxy.cut();
    }
  }, 120_000);
});

/** A TCP proxy to the database that the test can cut (listener closed, every connection reset) and restore. */
class TcpProxy {
  port = 0;
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  constructor(
    private host: string,
    private targetPort: number,
  ) {}

  listen(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  cut() {
    this.server?.close();
    this.server = null;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }
}
