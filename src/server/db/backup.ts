/**
 * Backups that restore (docs/backup.md). A backup is a directory:
 *
 *     <target>/xiaolian.sqlite   the database (SQLite only), a consistent snapshot taken with VACUUM INTO
 *     <target>/files/<key>       every file the snapshot's rows reference (PostgreSQL: every file the live
 *                                database references plus every retired file, see below)
 *     <target>/manifest.json     written last: format, time, counts, and any referenced file that was missing
 *
 * It is built under `<target>.partial-…` and renamed to `<target>` only when complete and synced, so a
 * partial backup never carries the final name. Files replaced or removed after the snapshot are still
 * found: the storage retires them to `files/.trash/` for the retention period instead of deleting them.
 *
 * `restore` refuses while a server holds the SQLite database (it takes SQLite's exclusive lock first and
 * keeps it until the new database is in place), copies the files, then renames the database into place.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Config } from '../config.js';
import { TRASH_DIR, validKey } from '../platform/storage.js';

export const BACKUP_FORMAT = 'xiaolian-backup';
const DB_FILE = 'xiaolian.sqlite';
const MANIFEST = 'manifest.json';

/** Columns that hold storage keys, with the column holding the file's size where there is one. */
export const FILE_COLUMNS: readonly { table: string; key: string; size: string | null }[] = [
  { table: 'resource_files', key: 'storage_key', size: 'size' },
  { table: 'resource_files', key: 'pdf_key', size: null },
  { table: 'document_versions', key: 'file_key', size: 'file_size' },
];

export interface FileRef {
  key: string;
  /** expected size in bytes, when the row records one */
  size: number | null;
  table: string;
}

/** Every storage key the database references (each once per column), read in pages of `batch`. */
export async function* fileRefs(db: Kysely<any>, batch = 5000): AsyncGenerator<FileRef> {
  for (const c of FILE_COLUMNS) {
    let after = '';
    for (;;) {
      const size = c.size ? sql`max(${sql.ref(c.size)})` : sql`null`;
      const rows = await sql<{ k: string; s: number | null }>`
        select ${sql.ref(c.key)} as k, ${size} as s from ${sql.table(c.table)}
        where ${sql.ref(c.key)} is not null and ${sql.ref(c.key)} > ${after}
        group by ${sql.ref(c.key)} order by ${sql.ref(c.key)} limit ${batch}`.execute(db);
      for (const r of rows.rows) yield { key: r.k, size: r.s == null ? null : Number(r.s), table: c.table };
      if (rows.rows.length < batch) break;
      after = rows.rows[rows.rows.length - 1]!.k;
    }
  }
}

export interface BackupResult {
  dir: string;
  /** bytes of the database snapshot (0 on PostgreSQL: pg_dump takes the database) */
  dbBytes: number;
  files: number;
  fileBytes: number;
  /** referenced files found neither in storage nor among the retired files */
  missing: string[];
  ms: number;
}

interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  database: { file: string; bytes: number; sha256: string } | null;
  files: { count: number; bytes: number; missing: string[] };
}

function fsyncPath(p: string) {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function sha256File(p: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(p, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n: number;
    for (n = fs.readSync(fd, buf, 0, buf.length, null); n > 0; n = fs.readSync(fd, buf, 0, buf.length, null)) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/** Copies `key` from the live storage or, if it was retired meanwhile, from the trash. Null when gone. */
async function copyKey(filesRoot: string, key: string, targetRoot: string): Promise<number | null> {
  if (!validKey(key)) return null;
  const dst = path.join(targetRoot, key);
  await fs.promises.mkdir(path.dirname(dst), { recursive: true });
  // live, then retired, then live again (a file is only ever moved live → retired, so two looks suffice)
  for (const src of [path.join(filesRoot, key), path.join(filesRoot, TRASH_DIR, key)]) {
    try {
      await fs.promises.copyFile(src, dst, fs.constants.COPYFILE_FICLONE);
      fsyncPath(dst);
      return (await fs.promises.stat(dst)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return null;
}

/** Lists the files (relative keys) under a folder, skipping the trash and unfinished uploads. */
function walkFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!rel && e.name === TRASH_DIR) continue;
      out.push(...walkFiles(root, r));
    } else if (e.isFile() && !e.name.endsWith('.part')) out.push(r);
  }
  return out;
}

/**
 * Writes a backup directory at `target` (which must not exist). On SQLite the database snapshot is taken
 * first and the files its rows reference are copied after it. On PostgreSQL (`database` given, after
 * pg_dump) the files referenced now and all retired files are copied: together a superset of what the
 * dump references.
 */
export async function backup(config: Config, target: string, database?: { db: Kysely<any> }): Promise<BackupResult> {
  const started = performance.now();
  const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
  if (dialect === 'postgres' && !database) throw new Error('backup on PostgreSQL needs the database connection');
  if (dialect === 'sqlite' && !fs.existsSync(config.sqlitePath)) throw new Error(`no database at ${config.sqlitePath}`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already: choose a new name for each backup`);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const partial = `${target}.partial-${crypto.randomBytes(4).toString('hex')}`;
  const filesRoot = path.join(config.dataDir, 'files');
  fs.mkdirSync(path.join(partial, 'files'), { recursive: true });
  try {
    let dbInfo: Manifest['database'] = null;
    let refs: Kysely<any>;
    let snapshot: SQLite.Database | null = null;
    if (dialect === 'sqlite') {
      const dbFile = path.join(partial, DB_FILE);
      // VACUUM INTO reads one snapshot in one read transaction: writers go on (WAL) and cannot restart it
      const live = new SQLite(config.sqlitePath, { fileMustExist: true });
      try {
        live.pragma('busy_timeout = 5000');
        live.prepare('vacuum into ?').run(dbFile);
      } finally {
        live.close();
      }
      fsyncPath(dbFile);
      dbInfo = { file: DB_FILE, bytes: fs.statSync(dbFile).size, sha256: sha256File(dbFile) };
      snapshot = new SQLite(dbFile, { readonly: true, fileMustExist: true });
      refs = new Kysely<any>({ dialect: new SqliteDialect({ database: snapshot }) });
    } else {
      refs = database!.db;
    }
    let count = 0;
    let bytes = 0;
    const missing: string[] = [];
    const done = new Set<string>();
    try {
      for await (const ref of fileRefs(refs)) {
        if (done.has(ref.key)) continue;
        done.add(ref.key);
        const size = await copyKey(filesRoot, ref.key, path.join(partial, 'files'));
        if (size == null) missing.push(ref.key);
        else {
          count++;
          bytes += size;
        }
      }
    } finally {
      if (snapshot) await refs.destroy(); // closes the snapshot handle
    }
    if (dialect === 'postgres') {
      // files retired since pg_dump started are in the trash: take them all (bounded by the retention period)
      for (const key of walkFiles(path.join(filesRoot, TRASH_DIR))) {
        if (done.has(key)) continue;
        done.add(key);
        const size = await copyKey(path.join(filesRoot, TRASH_DIR), key, path.join(partial, 'files'));
        if (size != null) {
          count++;
          bytes += size;
        }
      }
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      dialect,
      database: dbInfo,
      files: { count, bytes, missing: missing.slice(0, 1000) },
    };
    const mf = path.join(partial, MANIFEST);
    fs.writeFileSync(mf, `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncPath(mf);
    fsyncPath(partial);
    fs.renameSync(partial, target);
    fsyncPath(parent);
    return { dir: target, dbBytes: dbInfo?.bytes ?? 0, files: count, fileBytes: bytes, missing, ms: Math.round(performance.now() - started) };
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

/** Reads and checks a backup directory's manifest (and, for SQLite, its database). */
export function readBackup(source: string): Manifest {
  const mf = path.join(source, MANIFEST);
  if (!fs.existsSync(mf)) throw new Error(`${source} is not a complete xiaolian backup (no ${MANIFEST})`);
  const manifest = JSON.parse(fs.readFileSync(mf, 'utf8')) as Manifest;
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1) throw new Error(`${source}: unknown backup format`);
  if (manifest.database) {
    const dbFile = path.join(source, manifest.database.file);
    if (sha256File(dbFile) !== manifest.database.sha256) throw new Error(`${dbFile} does not match the manifest (damaged backup)`);
    checkSqliteFile(dbFile);
  }
  return manifest;
}

function legacyManifest(file: string): Manifest {
  checkSqliteFile(file);
  return {
    format: BACKUP_FORMAT,
    version: 1,
    createdAt: '',
    dialect: 'sqlite',
    database: { file: path.basename(file), bytes: fs.statSync(file).size, sha256: '' },
    files: { count: 0, bytes: 0, missing: [] },
  };
}

function checkSqliteFile(dbFile: string) {
  const check = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`backup fails integrity_check: ${ok}`);
    const has = check.prepare("select count(*) as n from sqlite_master where name = 'xl_migrations'").get() as { n: number };
    if (!has.n) throw new Error('not a xiaolian database (no xl_migrations table)');
  } finally {
    check.close();
  }
}

export class DatabaseInUseError extends Error {
  constructor(file: string) {
    super(`${file} is in use (a xiaolian server or another process holds it): stop the server first, e.g. systemctl stop xiaolian`);
  }
}

/**
 * Takes SQLite's exclusive lock on the live database and keeps it until `release`. Any other open
 * connection (a running server, even an idle one) makes this fail with DatabaseInUseError. The database
 * leaves WAL mode while locked, so closing this connection later deletes no file by name.
 */
export function lockSqlite(file: string): { release(): void } {
  if (!fs.existsSync(file)) return { release() {} };
  const handle = new SQLite(file, { fileMustExist: true });
  try {
    handle.pragma('busy_timeout = 0');
    handle.pragma('locking_mode = EXCLUSIVE');
    const mode = handle.pragma('journal_mode = MEMORY', { simple: true });
    if (mode !== 'memory') throw Object.assign(new Error(`journal_mode stayed ${String(mode)}`), { code: 'SQLITE_BUSY' });
    handle.exec('begin exclusive');
    handle.exec('commit');
  } catch (err) {
    handle.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new DatabaseInUseError(file);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return { release() {} }; // a broken database is what restore replaces
    throw err;
  }
  return { release: () => handle.close() };
}

/** Copies the backup's files into the storage folder (each via a temporary name, then rename). */
function restoreFiles(source: string, filesRoot: string): number {
  const from = path.join(source, 'files');
  let n = 0;
  for (const key of walkFiles(from)) {
    if (!validKey(key)) continue;
    const dst = path.join(filesRoot, key);
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    const tmp = `${dst}.restore-${process.pid}.part`;
    fs.copyFileSync(path.join(from, key), tmp, fs.constants.COPYFILE_FICLONE);
    fsyncPath(tmp);
    fs.renameSync(tmp, dst);
    n++;
  }
  return n;
}

/**
 * Restores a backup directory into the configured data directory. SQLite: refuses while the database is
 * in use, then copies the files and renames the database into place (the old one stays until the rename).
 * PostgreSQL: the database comes from pg_restore (docs/backup.md); this restores the files.
 */
export async function restore(config: Config, source: string): Promise<{ file: string | null; files: number }> {
  // a single .sqlite file: a backup of the earlier format (database only)
  const legacy = fs.statSync(source).isFile();
  const manifest = legacy ? legacyManifest(source) : readBackup(source);
  const filesRoot = path.join(config.dataDir, 'files');
  if (config.databaseUrl) {
    return { file: null, files: restoreFiles(source, filesRoot) };
  }
  if (!manifest.database) throw new Error(`${source} holds no SQLite database (a PostgreSQL backup: restore the dump with pg_restore)`);
  const target = config.sqlitePath;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const lock = lockSqlite(target);
  const tmp = `${target}.restore-${process.pid}`;
  try {
    const files = legacy ? 0 : restoreFiles(source, filesRoot);
    fs.copyFileSync(legacy ? source : path.join(source, manifest.database.file), tmp);
    fsyncPath(tmp);
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(target + suffix, { force: true });
    fs.renameSync(tmp, target);
    fsyncPath(path.dirname(target));
    return { file: target, files };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    lock.release();
  }
}
