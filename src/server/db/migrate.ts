import { sql } from 'kysely';
import type { Database, Db, Dialect } from './index.js';
import * as m001 from './migrations/001_foundation.js';
import * as m002 from './migrations/002_facilities.js';
import * as m003 from './migrations/003_credits.js';
import * as m004 from './migrations/004_resources.js';
import * as m005 from './migrations/005_search.js';
import * as m006 from './migrations/006_access.js';
import * as m007 from './migrations/007_signin.js';
import * as m008 from './migrations/008_operations.js';
import * as m009 from './migrations/009_integrity.js';
import * as m010 from './migrations/010_directory.js';

/**
 * Migrations are plain modules listed here in order (bundling-friendly, no directory scan).
 * Each runs in one transaction together with its bookkeeping row, on both dialects.
 */
const MIGRATIONS: { name: string; up: typeof m001.up }[] = [
  { name: '001_foundation', up: m001.up },
  { name: '002_facilities', up: m002.up },
  { name: '003_credits', up: m003.up },
  { name: '004_resources', up: m004.up },
  { name: '005_search', up: m005.up },
  { name: '006_access', up: m006.up },
  { name: '007_signin', up: m007.up },
  { name: '008_operations', up: m008.up },
  { name: '009_integrity', up: m009.up },
  { name: '010_directory', up: m010.up },
];

/** PostgreSQL advisory lock key held while migrating (database-wide: extensions are database-wide too). */
const MIGRATION_LOCK = 4242001;

/**
 * Applies the pending migrations. Several instances may start together on an empty database: on PostgreSQL
 * one connection takes a session advisory lock BEFORE it creates the bookkeeping table, and holds it while it
 * applies every migration, so the others wait and then find nothing to do (without the lock, two concurrent
 * `create table if not exists` collide on the catalog's unique index). On SQLite the table is created in a
 * `BEGIN IMMEDIATE` transaction, which holds the file's write lock, and so does each migration.
 */
export async function migrate(database: Database): Promise<string[]> {
  const { db, dialect } = database;
  if (dialect !== 'postgres') return applyPending(db, dialect);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      return await applyPending(conn, dialect);
    } finally {
      // a lost connection released the lock already; the error that matters is the one above
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn).catch(() => undefined);
    }
  });
}

async function applyPending(db: Db, dialect: Dialect): Promise<string[]> {
  await db.transaction().execute(async (tx) => {
    await sql`create table if not exists xl_migrations (name text primary key, applied_at text not null)`.execute(tx);
  });
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    const done = await db.transaction().execute(async (tx) => {
      const row = await sql<{ name: string }>`select name from xl_migrations where name = ${m.name}`.execute(tx);
      if (row.rows.length > 0) return false;
      await m.up(tx, dialect);
      await sql`insert into xl_migrations (name, applied_at) values (${m.name}, ${new Date().toISOString()})`.execute(tx);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
