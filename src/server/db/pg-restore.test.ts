/**
 * PostgreSQL backup and restore (docs/backup.md), PostgreSQL only: the documented commands, run as
 * written, against a real installation — an app role that owns its database, the demo data seeded by that
 * role, pg_dump + `xiaolian backup`, a fresh database created by a superuser with btree_gist, pg_restore
 * as the app role, `xiaolian restore` of the files into an empty data directory, and `check` passing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDoc } from './doc-blocks.js';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from './index.js';
import { migrate } from './migrate.js';
import { LocalStorage } from '../platform/storage.js';
import { seedDemo } from '../seed/index.js';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('PostgreSQL backup and restore as the app role (docs/backup.md)', () => {
  const tag = crypto.randomBytes(4).toString('hex');
  const role = `xl_app_${tag}`;
  const srcDb = `xl_src_${tag}`;
  const newDb = `xl_new_${tag}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-pgbackup-'));
  const su = new URL(url ?? 'postgres://localhost/postgres');
  const asApp = (db: string) => {
    const u = new URL(su.toString());
    u.username = role;
    u.password = '';
    u.pathname = `/${db}`;
    return u.toString();
  };
  const admin = async (...statements: string[]) => {
    const u = new URL(su.toString());
    u.pathname = '/postgres';
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    try {
      for (const s of statements) await c.query(s);
    } finally {
      await c.end();
    }
  };

  afterAll(async () => {
    await admin(`drop database if exists ${srcDb} with (force)`, `drop database if exists ${newDb} with (force)`, `drop role if exists ${role}`).catch(
      () => undefined,
    );
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('dumps, restores into a fresh database owned by the app role, restores the files, and check passes', async () => {
    await admin(`create role ${role} login`, `create database ${srcDb} owner ${role}`);
    // the installation: the app role migrates and seeds its own database, files under DATA_DIR/files
    const dataDir = path.join(work, 'data');
    const source = createDatabase({ databaseUrl: asApp(srcDb), sqlitePath: '' });
    try {
      await migrate(source);
      await seedDemo(source, new LocalStorage(path.join(dataDir, 'files')), { password: 'Xiaolian@2026' });
    } finally {
      await source.close();
    }

    const backup = path.join(work, 'xiaolian-backup');
    const dumped = await runDoc('pg-backup', { DATABASE_URL: asApp(srcDb), DATA_DIR: dataDir, BACKUP: backup }, work);
    expect(dumped.code, dumped.out).toBe(0);
    expect(fs.statSync(`${backup}.dump`).size).toBeGreaterThan(0);

    const superEnv = { PGHOST: su.hostname, PGPORT: su.port || '5432', PGUSER: decodeURIComponent(su.username || 'postgres'), APP_ROLE: role, NEW_DB: newDb };
    const created = await runDoc('pg-restore-superuser', superEnv, work);
    expect(created.code, created.out).toBe(0);

    const fresh = path.join(work, 'restored-data');
    const restored = await runDoc('pg-restore', { APP_ROLE: role, NEW_DATABASE_URL: asApp(newDb), BACKUP: backup, DATA_DIR: fresh }, work);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/no problems found/);

    // the restored database belongs to the app role and holds what the source held
    const check = createDatabase({ databaseUrl: asApp(newDb), sqlitePath: '' });
    const orig = createDatabase({ databaseUrl: asApp(srcDb), sqlitePath: '' });
    try {
      const { rows } = await check.pool!.query<{ n: number }>(`select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner <> $1`, [
        role,
      ]);
      expect(rows[0]!.n).toBe(0);
      for (const table of ['schools', 'alliances', 'document_versions', 'resource_files', 'credit_entries', 'audit_log']) {
        const a = await orig.pool!.query<{ n: number }>(`select count(*)::int as n from ${table}`);
        const b = await check.pool!.query<{ n: number }>(`select count(*)::int as n from ${table}`);
        expect(b.rows[0]!.n, table).toBe(a.rows[0]!.n);
      }
      // the app role can write to what it restored
      await check.pool!.query(`update schools set name = name where id = (select min(id) from schools)`);
    } finally {
      await check.close();
      await orig.close();
    }
  });
});
