/**
 * Deterministic demo data (`seedDemo`, run on first start) and province-scale benchmark data
 * (`seedProvince`). Same options → same rows: ids, codes and timestamps derive from `today`,
 * randomness from a seeded PRNG; only the password hash (argon2 salt) differs between runs.
 */
import { sql } from 'kysely';
import type { Database, Tx } from '../db/index.js';
import { hashPassword } from '../platform/passwords.js';
import type { Storage } from '../platform/storage.js';
import { buildDemo, DEFAULT_TODAY, DEMO_ACCOUNTS } from './demo-data.js';
import { demoAudit } from './audit.js';
import { insertBatched } from './insert.js';
import { buildProvince, PROVINCE_CODE } from './province.js';
import { seedFacilities } from './facilities.js';

export { DEMO_ACCOUNTS, DEFAULT_TODAY };

export interface SeedSummary {
  skipped?: boolean;
  regions: number;
  schools: number;
  alliances: number;
  users: number;
  applications: number;
  ms: number;
}

export interface SeedOptions {
  password: string;
  /** YYYY-MM-DD the data is relative to (cycle phases, due re-assessments, milestones). */
  today?: string;
  /** every seeded account must change its password at first sign-in (NODE_ENV=production) */
  mustChangePassword?: boolean;
}

const skipped = (started: number): SeedSummary => ({
  skipped: true,
  regions: 0,
  schools: 0,
  alliances: 0,
  users: 0,
  applications: 0,
  ms: Date.now() - started,
});

/** Serializes concurrent seeders on PostgreSQL (several instances starting together). */
async function lock(tx: Tx, database: Database, key: number): Promise<void> {
  if (database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${key})`.execute(tx);
}

/** Seeds the demo region, but only into a database without any region. */
export async function seedDemo(database: Database, storage: Storage, opts: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const today = opts.today ?? DEFAULT_TODAY;
  const any = await database.db.selectFrom('regions').select('id').limit(1).executeTakeFirst();
  if (any) return skipped(started);

  const data = buildDemo(today, await hashPassword(opts.password));
  if (opts.mustChangePassword) data.users = data.users.map((u) => ({ ...u, must_change_password: 1 }));
  // files first: a failed transaction leaves only unreferenced files, never rows without files
  const versions = new Map(data.versions.map((v) => [v.id, v]));
  for (const f of data.files) {
    const stored = await storage.put(f.key, f.body);
    const v = versions.get(f.versionId)!;
    v.file_size = stored.size;
    v.sha256 = stored.sha256;
  }

  const done = await database.db.transaction().execute(async (tx) => {
    await lock(tx, database, 4242101);
    const again = await tx.selectFrom('regions').select('id').limit(1).executeTakeFirst();
    if (again) return false;
    await insertBatched(tx, 'regions', data.regions);
    await insertBatched(tx, 'schools', data.schools);
    await insertBatched(tx, 'school_indicators', data.indicators);
    // partners before users: partner accounts point at their organisation (users.partner_id)
    await insertBatched(tx, 'partners', data.partners);
    await insertBatched(tx, 'users', data.users);
    await insertBatched(tx, 'role_grants', data.grants);
    await insertBatched(tx, 'alliances', data.alliances);
    await insertBatched(tx, 'alliance_members', data.members);
    await insertBatched(tx, 'alliance_partners', data.alliancePartners);
    await insertBatched(tx, 'governance_bodies', data.bodies);
    await insertBatched(tx, 'body_members', data.bodyMembers);
    await insertBatched(tx, 'documents', data.documents);
    await insertBatched(tx, 'document_versions', data.versions);
    await insertBatched(tx, 'milestones', data.milestones);
    await insertBatched(tx, 'assessments', data.assessments);
    await insertBatched(tx, 'membership_applications', data.applications);
    await insertBatched(tx, 'application_decisions', data.decisions);
    await insertBatched(tx, 'audit_log', demoAudit(data));
    return true;
  });
  if (!done) return skipped(started);
  // later features seed on top of the region, each in its own transaction(s)
  // ---- facilities, bookings, credits (S3) ----
  await seedFacilities(database, today);
  // ---- resources (S2) ----
  await (await import('./resources.js')).seedResources(database, storage, { today });
  return {
    regions: data.regions.length,
    schools: data.schools.length,
    alliances: data.alliances.length,
    users: data.users.length,
    applications: data.applications.length,
    ms: Date.now() - started,
  };
}

/**
 * Seeds the province-scale benchmark data (海川省, region codes 38xxxx). Skipped when that province
 * already exists; it can live next to the demo region.
 */
export async function seedProvince(database: Database, opts: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const today = opts.today ?? DEFAULT_TODAY;
  const exists = () => database.db.selectFrom('regions').select('id').where('code', '=', PROVINCE_CODE).executeTakeFirst();
  if (await exists()) return skipped(started);
  const data = buildProvince(today, await hashPassword(opts.password));
  const done = await database.db.transaction().execute(async (tx) => {
    await lock(tx, database, 4242102);
    if (await tx.selectFrom('regions').select('id').where('code', '=', PROVINCE_CODE).executeTakeFirst()) return false;
    await insertBatched(tx, 'regions', data.regions);
    await insertBatched(tx, 'schools', data.schools);
    await insertBatched(tx, 'school_indicators', data.indicators);
    await insertBatched(tx, 'users', data.users);
    await insertBatched(tx, 'role_grants', data.grants);
    await insertBatched(tx, 'alliances', data.alliances);
    await insertBatched(tx, 'alliance_members', data.members);
    return true;
  });
  if (!done) return skipped(started);
  // fresh planner statistics after a bulk load (autovacuum / PRAGMA optimize would get there later)
  await sql`analyze`.execute(database.db);
  return {
    regions: data.regions.length,
    schools: data.schools.length,
    alliances: data.alliances.length,
    users: data.users.length,
    applications: 0,
    ms: Date.now() - started,
  };
}
