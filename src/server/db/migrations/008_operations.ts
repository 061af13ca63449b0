import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/** Operations (issue 10): regions created by admins, retained replaced files for backups. */
/** Regions (first run): Excel imports of kind 'regions' besides schools and users. */
async function importsAcceptRegions(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const kinds = sql`kind in ('schools','users','regions')`;
  if (dialect === 'postgres') {
    const found = await sql<{ name: string }>`select conname as name from pg_constraint
      where conrelid = 'imports'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%kind%'`.execute(db);
    for (const c of found.rows) await sql`alter table imports drop constraint ${sql.id(c.name)}`.execute(db);
    await sql`alter table imports add constraint imports_kind_check check (${kinds})`.execute(db);
    return;
  }
  // SQLite cannot alter a CHECK: rebuild the table (nothing references it, it has no indexes)
  await db.schema
    .createTable('imports_new')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(kinds))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('previewed','committed','discarded')`))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text')
    .addColumn('school_id', 'text')
    .addColumn('rows', 'text', (c) => c.notNull())
    .addColumn('valid_count', 'integer', (c) => c.notNull())
    .addColumn('invalid_count', 'integer', (c) => c.notNull())
    .addColumn('imported_count', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text')
    .execute();
  await sql`insert into imports_new (id, kind, status, file_name, region_id, school_id, rows, valid_count, invalid_count, imported_count, created_by, created_at, committed_at)
    select id, kind, status, file_name, region_id, school_id, rows, valid_count, invalid_count, imported_count, created_by, created_at, committed_at from imports`.execute(
    db,
  );
  await sql`drop table imports`.execute(db);
  await sql`alter table imports_new rename to imports`.execute(db);
}

export async function up(_db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await importsAcceptRegions(_db, _dialect);
  // filled by the change that needs it
}
