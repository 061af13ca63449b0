/**
 * `npm run bench -- booking [--duration 15] [--clients 100] [--only sqlite|postgres]`
 *
 * City-scale booking load: `seed --scale province` plus ≥ 1,000 auto-approve facilities and 100 teacher
 * accounts (bench/_booking-seed.ts), credit rules and starting grants set through the API. 100 concurrent
 * clients, each a signed-in teacher, book 1-hour slots: most requests take a free slot on some facility of
 * their alliance (mostly other schools' — priced; some their own — free), ~15% deliberately overlap a slot
 * another client just asked for. Measured: accepted bookings/s, rejections/s, p50/p90/p99, and afterwards
 * the overlapping accepted bookings (SQL self-join; must be 0), the ledger drift (the credits module's
 * check; must be 0) and priced bookings without their charge (must be 0).
 * SQLite: one process. PostgreSQL: three processes on one schema, requests round-robin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../src/server/db/index.js';
import { checkLedger } from '../src/server/modules/credits/ledger.js';
import { localParts, localToMs, addDays } from '../src/common/facilities.js';
import { cli, dropPgSchema, freshPgSchema, machine, memoryMiB, ROOT, TMP, writeResult } from './_lib.js';
import { closeAgents, percentiles, Session, spawnInstance, type Instance } from './_booking-lib.js';
import { seedBookingData, type BookingSeed } from './_booking-seed.js';
import { countBookingStatements } from './_booking-count.js';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const durationSec = Number(arg('duration')) || 15;
const CLIENTS = Number(arg('clients')) || 100;
const only = arg('only');
/** `--profile`: the server processes write V8 CPU profiles into bench/results/tmp/profile-<db>/ */
const PROFILE = args.includes('--profile');
const WARMUP_SEC = 2;
const COLLIDE = 0.15;
const OWN_SCHOOL = 0.1;
const PASSWORD = 'Bench@2026xl';
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MIN_FACILITIES = 1000;

/** distinct local weekdays from tomorrow on (bookable: Mon–Fri 08:00–18:00, up to 400 days ahead) */
function weekdays(count: number): string[] {
  const out: string[] = [];
  for (let d = addDays(localParts(Date.now()).date, 1); out.length < count; d = addDays(d, 1)) {
    if (localParts(localToMs(d, 12 * 60)).weekday <= 5) out.push(d);
  }
  return out;
}

interface Client {
  session: Session;
  schoolId: string;
  allianceId: string;
  /** facilities of the alliance's other schools, and of the own school */
  others: string[];
  own: string[];
}

/** Idempotency-Keys unique across runs and drives */
let seq = 0;
const RUN_TAG = `${process.pid}-${Date.now().toString(36)}`;

interface Tally {
  accepted: number;
  rejected: number;
  other: number;
  otherSamples: string[];
  latencies: number[];
  acceptedLat: number[];
}

async function drive(instances: Instance[], clients: Client[], seconds: number, days: string[], tally: Tally | null) {
  const nextSlot = new Map<string, number>();
  const recent = new Map<string, { facilityId: string; start: number }[]>();
  const deadline = performance.now() + seconds * 1000;
  let rr = 0;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < deadline) {
        const ring = recent.get(c.allianceId) ?? [];
        let facilityId: string;
        let start: number;
        if (ring.length > 4 && Math.random() < COLLIDE) {
          // overlap a slot someone asked for a moment ago (half an hour later)
          const r = ring[Math.floor(Math.random() * ring.length)];
          facilityId = r.facilityId;
          start = r.start + 30 * 60_000;
        } else {
          const pool = c.own.length && Math.random() < OWN_SCHOOL ? c.own : c.others;
          facilityId = pool[Math.floor(Math.random() * pool.length)];
          const n = nextSlot.get(facilityId) ?? 0;
          nextSlot.set(facilityId, n + 1);
          // 9 one-hour slots a day (08:00–17:00 starts), so a "collision" half an hour later stays in open hours
          start = localToMs(days[Math.floor(n / 9) % days.length], 8 * 60 + (n % 9) * 60);
          ring.push({ facilityId, start });
          if (ring.length > 200) ring.shift();
          recent.set(c.allianceId, ring);
        }
        const inst = instances[rr++ % instances.length];
        const body = {
          facilityId,
          allianceId: c.allianceId,
          start: new Date(start).toISOString(),
          end: new Date(start + 3600_000).toISOString(),
          purpose: '联盟走班实验课',
          groupSize: 30,
          responsibleTeacher: '带队教师',
          acceptTerms: true,
        };
        try {
          const res = await c.session.post(inst.url, '/api/bookings', body, { 'idempotency-key': `bench-${RUN_TAG}-${++seq}` });
          if (!tally) continue;
          tally.latencies.push(res.ms);
          if (res.status === 201) {
            tally.accepted++;
            tally.acceptedLat.push(res.ms);
          } else if (res.status === 409 && res.body?.code === 'booking_conflict') tally.rejected++;
          else {
            tally.other++;
            if (tally.otherSamples.length < 5) tally.otherSamples.push(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          }
        } catch (err) {
          if (tally) {
            tally.other++;
            if (tally.otherSamples.length < 5) tally.otherSamples.push(String(err));
          }
        }
      }
    }),
  );
}

async function afterwards(database: Database) {
  const overlaps = await sql<{ n: number }>`
    select count(*) as n from bookings a join bookings b
      on a.facility_id = b.facility_id and a.id < b.id
     and a.start_ms < b.block_end_ms and b.start_ms < a.block_end_ms
    where a.status in ('accepted','checked_in') and b.status in ('accepted','checked_in')`.execute(database.db);
  const unpaid = await sql<{ n: number }>`
    select count(*) as n from bookings b join facilities f on f.id = b.facility_id
    where b.status in ('accepted','checked_in') and b.alliance_id is not null and f.school_id is not null
      and b.booker_school_id <> f.school_id
      and (b.charge_tx_id is null or not exists (select 1 from credit_transactions t where t.id = b.charge_tx_id and t.amount = b.charge_amount))`.execute(
    database.db,
  );
  const counts = await sql<{ bookings: number; charged: number }>`
    select (select count(*) from bookings) as bookings,
           (select count(*) from bookings where charge_amount > 0) as charged`.execute(database.db);
  const ledger = await checkLedger(database.db);
  return {
    overlaps: Number(overlaps.rows[0]!.n),
    unpaidPricedBookings: Number(unpaid.rows[0]!.n),
    bookingsInDatabase: Number(counts.rows[0]!.bookings),
    chargedBookings: Number(counts.rows[0]!.charged),
    ledgerDrift: ledger.problems.length,
    ledgerProblems: ledger.problems.slice(0, 5),
    ledgerTransactions: ledger.transactions,
    ledgerEntries: ledger.entries,
  };
}

async function run(kind: 'sqlite' | 'postgres') {
  const dataDir = path.join(TMP, `booking-${kind}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const schema = 'bench_booking';
  const env: Record<string, string> = { DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, SEED_ON_START: '0', LOG_LEVEL: 'warn' };
  if (kind === 'postgres') {
    if (!(await freshPgSchema(PG_URL, schema))) return null;
    Object.assign(env, { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema });
  } else {
    env.DATABASE_URL = '';
  }
  const t0 = performance.now();
  const province = JSON.parse(cli(['seed', '--scale', 'province'], env).trim().split('\n').pop()!);
  const database = createDatabase({
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: kind === 'postgres' ? schema : undefined,
    sqlitePath: path.join(dataDir, 'xiaolian.sqlite'),
  });
  const instances: Instance[] = [];
  try {
    const seed: BookingSeed = await seedBookingData(database, { minFacilities: MIN_FACILITIES, teachers: CLIENTS });
    const seedMs = Math.round(performance.now() - t0);
    const count = kind === 'postgres' ? 3 : 1;
    const profileDir = path.join(TMP, `profile-${kind}`);
    if (PROFILE) fs.mkdirSync(profileDir, { recursive: true });
    const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    for (let i = 0; i < count; i++) instances.push(await spawnInstance(env, { nodeArgs }));
    const url = instances[0].url;
    // credit rules and starting grants of every alliance in play, through the API (the real ledger)
    const bureau = await Session.login(url, 'bench_bureau', PASSWORD);
    for (const allianceId of seed.alliances.keys()) {
      const r = await bureau.put(url, `/api/alliances/${allianceId}/credit-rules`, { overdraftLimit: 1_000_000 });
      if (r.status !== 200) throw new Error(`credit rules of ${allianceId}: ${r.status} ${JSON.stringify(r.body)}`);
      const g = await bureau.post(url, `/api/alliances/${allianceId}/credit-grants`, { type: 'extra', amount: 1_000_000, reason: '压力测试追加积分' });
      if (g.status !== 201 && g.status !== 200) throw new Error(`grants of ${allianceId}: ${g.status} ${JSON.stringify(g.body)}`);
    }
    const clients: Client[] = [];
    for (const [i, t] of seed.teachers.entries()) {
      const members = seed.alliances.get(t.allianceId)!;
      clients.push({
        session: await Session.login(instances[i % instances.length].url, t.username, PASSWORD),
        schoolId: t.schoolId,
        allianceId: t.allianceId,
        others: members.filter((s) => s !== t.schoolId).flatMap((s) => seed.bySchool.get(s) ?? []),
        own: seed.bySchool.get(t.schoolId) ?? [],
      });
    }
    const days = weekdays(250);
    await drive(instances, clients, WARMUP_SEC, days, null);
    const tally: Tally = { accepted: 0, rejected: 0, other: 0, otherSamples: [], latencies: [], acceptedLat: [] };
    // PostgreSQL: deadlocks detected in the database during the run (the whole database, so also other users')
    const deadlocks = async () =>
      kind === 'postgres'
        ? Number((await sql<{ n: number }>`select deadlocks as n from pg_stat_database where datname = current_database()`.execute(database.db)).rows[0]!.n)
        : 0;
    const deadlocksBefore = await deadlocks();
    const started = performance.now();
    await drive(instances, clients, durationSec, days, tally);
    const elapsed = (performance.now() - started) / 1000;
    const deadlocksDuringRun = kind === 'postgres' ? (await deadlocks()) - deadlocksBefore : null;
    const mem = instances.map((i) => memoryMiB(i.child.pid!));
    const check = await afterwards(database);
    const lat = percentiles(tally.latencies);
    return {
      database: kind,
      processes: count,
      clients: clients.length,
      facilities: seed.facilities.length,
      schoolsWithFacilities: seed.schools,
      alliances: seed.alliances.size,
      provinceSeed: province,
      setupMs: seedMs,
      durationSec: Math.round(elapsed * 10) / 10,
      requests: tally.latencies.length,
      acceptedPerSec: Math.round(tally.accepted / elapsed),
      rejectedPerSec: Math.round(tally.rejected / elapsed),
      accepted: tally.accepted,
      rejected: tally.rejected,
      otherErrors: tally.other,
      otherSamples: tally.otherSamples,
      p50Ms: lat.p50,
      p90Ms: lat.p90,
      p99Ms: lat.p99,
      maxMs: lat.max,
      acceptedP99Ms: percentiles(tally.acceptedLat).p99,
      deadlocksDuringRun,
      rssMiB: mem.map((m) => m.rssMiB),
      peakRssMiB: mem.map((m) => m.peakRssMiB),
      ...check,
    };
  } finally {
    closeAgents();
    await Promise.all(instances.map((i) => i.stop()));
    await database.close();
    if (kind === 'postgres') await dropPgSchema(PG_URL, schema);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

type Result = Awaited<ReturnType<typeof run>>;
const report = (name: string, r: Result) => {
  if (!r) return console.log(`${name.padEnd(30)} skipped`);
  console.log(
    `${name.padEnd(30)} accepted ${String(r.acceptedPerSec).padStart(5)}/s   rejected ${String(r.rejectedPerSec).padStart(5)}/s   ` +
      `p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms   other ${r.otherErrors}   overlaps ${r.overlaps}   ledger drift ${r.ledgerDrift}   unpaid ${r.unpaidPricedBookings}`,
  );
  if (r.deadlocksDuringRun != null) console.log(`  deadlocks detected by PostgreSQL during the run: ${r.deadlocksDuringRun}`);
  console.log(
    `  ${r.facilities} facilities at ${r.schoolsWithFacilities} schools in ${r.alliances} alliances; ${r.requests} requests in ${r.durationSec} s; rss ${r.rssMiB.join(' / ')} MiB`,
  );
  for (const s of r.otherSamples) console.log(`  other: ${s}`);
  for (const p of r.ledgerProblems) console.log(`  ledger: ${p}`);
};

const m = machine();
console.log(`booking benchmark — ${m.cpu} × ${m.cores}, ${m.memoryGiB} GiB, node ${m.node}, ${durationSec} s per run, ${CLIENTS} clients`);
// statements per booking, counted in process with the statement recorder (the aim: ≤ 12 per accepted booking)
const counts = {
  sqlite: only && only !== 'sqlite' ? null : await countBookingStatements(''),
  postgres: only && only !== 'postgres' ? null : await countBookingStatements(PG_URL),
};
for (const [db, c] of Object.entries(counts)) {
  if (c) console.log(`${db}: ${c.statementsPerAcceptedBooking} statements per accepted booking, ${c.statementsPerConflict} per refused (conflict)`);
}
const sqlite = only && only !== 'sqlite' ? null : await run('sqlite');
report('SQLite, 1 process', sqlite);
const postgres = only && only !== 'postgres' ? null : await run('postgres');
report('PostgreSQL, 3 processes', postgres);
const file = writeResult('booking', {
  benchmark: 'booking',
  machine: m,
  clients: CLIENTS,
  durationSec,
  warmupSec: WARMUP_SEC,
  collideShare: COLLIDE,
  ownSchoolShare: OWN_SCHOOL,
  // the larger of the two databases' counts (PostgreSQL adds the facility row lock)
  statements_per_accepted_booking: Math.max(counts.sqlite?.statementsPerAcceptedBooking ?? 0, counts.postgres?.statementsPerAcceptedBooking ?? 0),
  statements_per_accepted_booking_by_database: {
    sqlite: counts.sqlite?.statementsPerAcceptedBooking ?? null,
    postgres: counts.postgres?.statementsPerAcceptedBooking ?? null,
  },
  statements_per_refused_booking: { sqlite: counts.sqlite?.statementsPerConflict ?? null, postgres: counts.postgres?.statementsPerConflict ?? null },
  sqlite,
  postgres,
});
console.log(`written ${path.relative(ROOT, file)}`);
