import { sql } from 'kysely';
import type { Database } from './index.js';
import * as m001 from './migrations/001_foundation.js';
import * as m002 from './migrations/002_facilities.js';
import * as m003 from './migrations/003_credits.js';
import * as m004 from './migrations/004_resources.js';
import * as m005 from './migrations/005_search.js';
import * as m006 from './migrations/006_access.js';
import * as m007 from './migrations/007_signin.js';
import * as m008 from './migrations/008_operations.js';
import * as m009 from './migrations/009_integrity.js';

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
];

export async function migrate(database: Database): Promise<string[]> {
  const { db, dialect } = database;
  await sql`create table if not exists xl_migrations (name text primary key, applied_at text not null)`.execute(db);
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    const done = await db.transaction().execute(async (tx) => {
      if (dialect === 'postgres') {
        // several instances may start together: one migrates, the others wait and then skip
        await sql`select pg_advisory_xact_lock(4242001)`.execute(tx);
      }
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
