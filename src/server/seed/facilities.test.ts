import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMidnightMs } from '../../common/time.js';
import { sql } from 'kysely';
import { makeTestEnv, type TestEnv } from '../testing.js';
import { checkLedger } from '../modules/credits/ledger.js';
import { seedFacilities } from './facilities.js';
import { DEFAULT_TODAY } from './index.js';

describe('demo facilities, bookings and ledger', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv();
  }, 120_000);
  afterAll(async () => env?.close());

  it('every demo school has facilities that fit its type; partners offer venues', async () => {
    const db = env.database.db;
    const schools = await db.selectFrom('schools').select(['id', 'type']).where('region_id', 'in', ['r_0003', 'r_0004', 'r_0005']).execute();
    const fac = await db.selectFrom('facilities').select(['id', 'school_id', 'partner_id', 'type']).execute();
    for (const s of schools) {
      const own = fac.filter((f) => f.school_id === s.id).map((f) => f.type);
      expect(own.length, s.id).toBeGreaterThan(0);
      if (s.type === 'primary') expect(own, s.id).toContain('science_lab');
      if (['junior', 'complete_secondary', 'senior'].includes(s.type))
        expect(own, s.id).toEqual(expect.arrayContaining(['physics_lab', 'chemistry_lab', 'biology_lab']));
    }
    expect(fac.filter((f) => f.partner_id).map((f) => f.type)).toEqual(expect.arrayContaining(['community_venue']));
    const hours = await db.selectFrom('facility_open_hours').select('facility_id').distinct().execute();
    expect(hours.length).toBe(fac.length);
    expect((await db.selectFrom('equipment').select('id').execute()).length).toBeGreaterThan(fac.length);
    expect((await db.selectFrom('kit_rotations').select('id').execute()).length).toBeGreaterThan(5);
    const terms = await db.selectFrom('school_terms').select(['start_date', 'end_date']).distinct().execute();
    expect(terms).toEqual([{ start_date: '2026-09-01', end_date: '2027-01-22' }]);
  });

  it('has past and future bookings, never two holding ones overlapping, none in a closure', async () => {
    const db = env.database.db;
    const today = localMidnightMs(DEFAULT_TODAY);
    const rows = await db.selectFrom('bookings').select(['status', 'start_ms']).execute();
    const past = rows.filter((r) => Number(r.start_ms) < today);
    const future = rows.filter((r) => Number(r.start_ms) >= today);
    expect(past.filter((r) => r.status === 'checked_in').length).toBeGreaterThan(1000);
    expect(past.filter((r) => r.status === 'no_show').length).toBeGreaterThan(10);
    expect(future.filter((r) => r.status === 'accepted').length).toBeGreaterThan(100);
    expect(future.filter((r) => r.status === 'pending').length).toBeGreaterThan(5);
    expect(past.some((r) => r.status === 'pending' || r.status === 'accepted')).toBe(false);
    const overlaps = await sql<{ n: number }>`select count(*) as n from bookings a join bookings b
      on a.facility_id = b.facility_id and a.id < b.id and a.start_ms < b.block_end_ms and b.start_ms < a.block_end_ms
      where a.status in ('accepted','checked_in') and b.status in ('accepted','checked_in')`.execute(db);
    expect(Number(overlaps.rows[0]!.n)).toBe(0);
    const closed = await sql<{ n: number }>`select count(*) as n from bookings b join facilities f on f.id = b.facility_id
      join closures c on (c.facility_id = f.id or c.school_id = f.school_id)
      where b.status in ('accepted','checked_in','no_show') and c.start_date <= substr(b.start_at, 1, 10) and substr(b.start_at, 1, 10) <= c.end_date`.execute(
      db,
    );
    expect(Number(closed.rows[0]!.n)).toBe(0);
  });

  it('the owners have requests in their inbox; the walkthrough accounts sign in', async () => {
    const owner = await env.login('principal_1z');
    const inbox = (await owner.get('/api/bookings/inbox')).json();
    expect(inbox.items.length).toBeGreaterThan(0);
    expect(inbox.items.every((b: { hostSchoolId: string }) => b.hostSchoolId === 's_00010')).toBe(true);
    const principal = await env.login('principal');
    expect((await principal.get('/api/bookings/inbox')).json().items.length).toBeGreaterThan(0);
    const rural = await env.login('rural_teacher');
    const mine = (await rural.get('/api/bookings?scope=mine&pageSize=100')).json();
    expect(mine.items.length).toBeGreaterThan(0);
  });

  it('writes a real ledger: grants, charges for cross-school bookings, balanced, no drift, dated like the cause', async () => {
    const db = env.database.db;
    const check = await checkLedger(db);
    expect(check.problems).toEqual([]);
    const kinds = await db
      .selectFrom('credit_transactions')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const n = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
    expect(n.grant).toBeGreaterThan(20);
    expect(n.booking_charge).toBeGreaterThan(50);
    expect(n.no_show_penalty).toBeGreaterThan(0);
    expect(n.booking_refund).toBeGreaterThan(0);
    // every charged booking is a cross-school one under an alliance, and carries its transaction
    const charged = await db
      .selectFrom('bookings as b')
      .innerJoin('facilities as f', 'f.id', 'b.facility_id')
      .select(['b.charge_tx_id', 'b.charge_amount', 'b.booker_school_id', 'f.school_id', 'b.alliance_id', 'b.created_at'])
      .where('b.charge_amount', '>', 0)
      .execute();
    expect(charged.length).toBe(n.booking_charge);
    for (const c of charged) {
      expect(c.booker_school_id).not.toBe(c.school_id);
      expect(c.alliance_id).toBeTruthy();
    }
    const tx = await db.selectFrom('credit_transactions').select(['created_at']).where('kind', '=', 'booking_charge').execute();
    expect(tx.every((x) => x.created_at < `${DEFAULT_TODAY}T00:00:00.000Z`)).toBe(true);
    // the rural school pays, the core school earns in the 城乡共同体
    const acc = await db
      .selectFrom('credit_accounts')
      .select(['owner_id', 'balance'])
      .where('alliance_id', '=', 'a_0002')
      .where('owner_type', '=', 'school')
      .execute();
    expect(acc.find((a) => a.owner_id === 's_00010')!.balance).toBeGreaterThan(0);
  });

  it('is deterministic apart from the ledger ids', async () => {
    const other = await makeTestEnv({ seed: false });
    try {
      const { seedDemo } = await import('./index.js');
      await seedDemo(other.database, other.storage, { password: 'Xiaolian@2026' });
      for (const table of ['facilities', 'equipment', 'closures', 'kit_rotations'] as const) {
        const a = await env.database.db.selectFrom(table).selectAll().orderBy('id').execute();
        const b = await other.database.db.selectFrom(table).selectAll().orderBy('id').execute();
        expect(b).toEqual(a);
      }
      const strip = (rows: Record<string, unknown>[]) => rows.map(({ charge_tx_id: _tx, ...r }) => r);
      const a = await env.database.db.selectFrom('bookings').selectAll().orderBy('id').execute();
      const b = await other.database.db.selectFrom('bookings').selectAll().orderBy('id').execute();
      expect(strip(b)).toEqual(strip(a));
      // a second run on a seeded database is refused by the unique ids (the region seed runs it only once)
      await expect(seedFacilities(other.database, DEFAULT_TODAY)).rejects.toThrow();
    } finally {
      await other.close();
    }
  }, 180_000);
});
