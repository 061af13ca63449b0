import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  CompiledQuery,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type Expression,
  type SqlBool,
  type Transaction,
  sql,
} from 'kysely';
import type { Config } from '../config.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;

export interface Database {
  db: Db;
  dialect: Dialect;
  /** Raw better-sqlite3 handle (SQLite only): online backup, pragmas. */
  sqlite?: SQLite.Database;
  pool?: pg.Pool;
  close(): Promise<void>;
}

// PostgreSQL: counts (int8) and numerics come back as JS numbers, like on SQLite.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * SQLite write transactions must take the write lock up front: a deferred transaction that reads and
 * then writes fails with SQLITE_BUSY when another connection wrote in between.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (conn: DatabaseConnection) => {
      await conn.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  handle.pragma('synchronous = NORMAL');
  return handle;
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs as much as running a small query.
 * This keeps the most recent prepared statements per SQL text (better-sqlite3 is synchronous, so a
 * statement is never used by two queries at once; SQLite re-prepares it itself after a schema change).
 */
function withStatementCache(handle: SQLite.Database, max = 1000): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (text: string) => {
    let st = cache.get(text);
    if (st) {
      cache.delete(text);
    } else {
      st = handle.prepare(text);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(text, st);
    return st;
  };
  return new Proxy(handle, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

// ---- statement recorder (visible SQL, ARCHITECTURE rule 15) ------------------------------------------

/** Where the statements of one database go while someone records them (null: not recording). */
interface StatementSink {
  active: string[] | null;
}

const sinks = new WeakMap<Database, StatementSink>();

/**
 * Wraps a dialect so that every statement sent on one of its connections (queries, precompiled statements,
 * and the driver's own begin / commit / rollback / savepoints) is noted in `sink` while recording is on.
 * Off, the cost is one property read per statement.
 */
function recordingDialect(dialect: KyselyDialect, sink: StatementSink): KyselyDialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => {
      const driver = dialect.createDriver();
      const acquire = driver.acquireConnection.bind(driver);
      const patched = new WeakSet<DatabaseConnection>();
      driver.acquireConnection = async () => {
        const conn = await acquire();
        if (!patched.has(conn)) {
          patched.add(conn);
          const execute = conn.executeQuery.bind(conn);
          const stream = conn.streamQuery.bind(conn);
          conn.executeQuery = (q) => {
            if (sink.active) sink.active.push(q.sql);
            return execute(q);
          };
          conn.streamQuery = (q, chunkSize) => {
            if (sink.active) sink.active.push(q.sql);
            return stream(q, chunkSize);
          };
        }
        return conn;
      };
      return driver;
    },
  };
}

/**
 * Runs `fn` and returns, beside its result, the SQL text (never the parameters) of every statement the
 * database ran meanwhile, in the order they were sent. Everything that uses this database is recorded,
 * so record one request at a time (tests, benchmarks). Recordings do not nest.
 */
export async function recordStatements<T>(database: Database, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const sink = sinks.get(database);
  if (!sink) throw new Error('recordStatements: this database was not opened with createDatabase');
  if (sink.active) throw new Error('recordStatements: already recording this database');
  const statements: string[] = [];
  sink.active = statements;
  try {
    const result = await fn();
    return { result, statements };
  } finally {
    sink.active = null;
  }
}

/**
 * For code that runs SQL outside Kysely on the raw handles (`database.sqlite`, `database.pool`, e.g. the
 * organization directory): note the statement so that recordings count it. Costs nothing when not recording.
 */
export function noteStatement(database: Database, text: string): void {
  const sink = sinks.get(database);
  if (sink?.active) sink.active.push(text);
}

export function createDatabase(config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'sqlitePath'>): Database {
  const sink: StatementSink = { active: null };
  const database = openDatabase(config, sink);
  sinks.set(database, sink);
  return database;
}

function openDatabase(config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'sqlitePath'>, sink: StatementSink): Database {
  if (config.databaseUrl) {
    const schema = config.databaseSchema;
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      // a request waits at most this long for a connection (pool exhausted, database unreachable): then 503
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // TCP keepalive notices a database host that vanished without closing the socket (failover)
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      // random_page_cost 1.1: data on SSD / in cache; with the default 4 the planner hash-joins search hits
      // against a sequential scan of the whole table (see docs/benchmarks.md, search)
      options: `-c random_page_cost=1.1${schema ? ` -c search_path=${schema}` : ''}`,
    });
    // PostgreSQL ends connections on a restart, a failover, idle_session_timeout or pg_terminate_backend; the
    // client then emits 'error', and an 'error' event nobody listens to kills the process. Idle clients: the
    // pool drops them and re-emits here. Checked-out clients (inside a request): the next query fails, the
    // request answers 503 (isDatabaseUnavailable) and the pool drops the client on release. New connections
    // are opened on demand, so the instance reconnects by itself once the database is back.
    pool.on('error', (err) => reportConnectionError(err));
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<DB>({ dialect: recordingDialect(new PostgresDialect({ pool }), sink) });
    return {
      db,
      dialect: 'postgres',
      pool,
      close: () => db.destroy(),
    };
  }
  const sqlite = openSqlite(config.sqlitePath);
  const db = new Kysely<DB>({ dialect: recordingDialect(new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }), sink) });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

/** Creates the PostgreSQL schema named in the config if it does not exist (tests, multi-tenant setups). */
export async function ensureSchema(database: Database, schema?: string): Promise<void> {
  if (database.dialect !== 'postgres' || !schema) return;
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(database.db);
  } catch (err) {
    // two instances starting together both pass "if not exists"; the slower one hits the catalog's unique
    // index (23505) or duplicate_schema (42P06): the schema exists, which is all that was asked
    if (!isUniqueViolation(err) && (err as { code?: string })?.code !== '42P06') throw err;
  }
}

// ---- database availability ---------------------------------------------------------------------

/** How long a request waits for a pooled PostgreSQL connection before it answers 503. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Seconds a client should wait before retrying when the database is away (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 5;

// node/libpq connection failures; SQLSTATE class 08 (connection exception), 57P01 admin_shutdown,
// 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up / shutting down), 53300 too_many_connections
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
// node-postgres and pg-pool report a lost or missing connection by message only
const UNAVAILABLE_MESSAGES =
  /Connection terminated|terminating connection|is not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end|Connection ended unexpectedly/i;

/**
 * True when an error means "the database cannot be reached right now" (restart, failover, terminated
 * connection, pool exhausted for CONNECT_TIMEOUT_MS) rather than "this statement is wrong": such a request
 * changed nothing that committed (PostgreSQL rolls back a transaction whose connection dies) and may be
 * retried, here or on another instance. The app answers it with 503 `database_unavailable` + Retry-After.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (!code.startsWith('SQLITE') && typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true; // AggregateError (IPv4 + IPv6)
  return e.cause !== err && isDatabaseUnavailable(e.cause, depth + 1);
}

/** Whether the database answers a trivial query within `timeoutMs` (liveness and readiness probes). */
export async function databaseAnswers(database: Database, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([sql`select 1`.execute(database.db).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

let lastReport = 0;
let suppressed = 0;
/** One warning line (pino's JSON shape) per 5 s at most: a database restart ends every connection at once. */
function reportConnectionError(err: Error & { code?: string }) {
  const now = Date.now();
  if (now - lastReport < 5000) {
    suppressed++;
    return;
  }
  lastReport = now;
  const line = { level: 40, time: now, msg: 'database connection lost; reconnecting on demand', err: { code: err.code, message: err.message }, suppressed };
  suppressed = 0;
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Dialect helpers: the only place modules learn about differences between SQLite and PostgreSQL.
// Representation (identical on both):
//   ids         text (random, see newId)
//   instants    text, ISO-8601 UTC with milliseconds: 2026-11-23T07:21:28.000Z (sorts as time)
//   dates       text, YYYY-MM-DD
//   booleans    integer 0/1
//   JSON        text (use toJson / fromJson)
// ---------------------------------------------------------------------------------------------

export const nowIso = (): string => new Date().toISOString();

export const toJson = (v: unknown): string => JSON.stringify(v ?? null);
export function fromJson<T>(v: string | null | undefined, fallback: T): T {
  if (v == null || v === '') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

export function isCheckViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23514' || e?.code === 'SQLITE_CONSTRAINT_CHECK';
}

/** Case-insensitive "contains" for short columns (names, codes). Not for large text columns. */
/**
 * "column contains text", case-insensitive for Latin letters, with `%`, `_` and `\` in the text taken
 * literally on both databases (SQLite's LIKE has no escape character unless one is named).
 */
export function containsText(dialect: Dialect, column: Expression<unknown> | string, text: string): Expression<SqlBool> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const col = typeof column === 'string' ? sql.ref(column) : column;
  return dialect === 'postgres' ? sql<SqlBool>`${col} ilike ${pattern}` : sql<SqlBool>`${col} like ${pattern} escape '\\'`;
}

/** Column type names that differ between the dialects. */
export function columnTypes(dialect: Dialect) {
  return {
    float: dialect === 'postgres' ? ('double precision' as const) : ('real' as const),
    bigint: dialect === 'postgres' ? ('bigint' as const) : ('integer' as const),
  };
}
