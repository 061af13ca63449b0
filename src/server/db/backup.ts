import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { openSqlite } from './index.js';

/**
 * SQLite online backup: consistent while the server keeps running (SQLite's backup API copies pages and
 * restarts if a writer changes them). PostgreSQL: see docs/backup.md (pg_dump / PITR).
 */
export async function backupSqlite(config: Config, target: string) {
  if (config.databaseUrl) throw new Error('DATABASE_URL is set: back up PostgreSQL with pg_dump (docs/backup.md)');
  if (!fs.existsSync(config.sqlitePath)) throw new Error(`no database at ${config.sqlitePath}`);
  const started = performance.now();
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const db = openSqlite(config.sqlitePath);
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  return { file: target, bytes: fs.statSync(target).size, ms: Math.round(performance.now() - started) };
}

/** Replaces the database with a backup after checking that the backup is a sound xiaolian database. */
export async function restoreSqlite(config: Config, source: string) {
  if (config.databaseUrl) throw new Error('DATABASE_URL is set: restore PostgreSQL with pg_restore (docs/backup.md)');
  const check = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`backup fails integrity_check: ${ok}`);
    const hasMigrations = check.prepare("select count(*) as n from sqlite_master where name = 'xl_migrations'").get() as { n: number };
    if (!hasMigrations.n) throw new Error('not a xiaolian database (no xl_migrations table)');
  } finally {
    check.close();
  }
  const target = config.sqlitePath;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.restore-${process.pid}`;
  fs.copyFileSync(source, tmp);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
  fs.renameSync(tmp, target);
  return { file: target };
}
