import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';
import { columnTypes } from '../index.js';

/**
 * Sign-in throttling (issues 9 and 10): failures counted atomically per account and per client IP with
 * exponential back-off that decays (see modules/auth/throttle.ts). One row per key (`acct:<username>`,
 * `ip:<address or /64>`, `dev:<device>`); times are epoch milliseconds so both databases do the arithmetic
 * in one statement.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().check(sql`failures >= 0`))
    .addColumn('delay_ms', t.bigint, (c) => c.notNull().check(sql`delay_ms >= 0`))
    .addColumn('blocked_until_ms', t.bigint, (c) => c.notNull())
    .addColumn('last_failure_ms', t.bigint, (c) => c.notNull())
    .execute();
  // the purge deletes rows whose last failure is old
  await db.schema.createIndex('login_throttle_last').on('login_throttle').column('last_failure_ms').execute();
  // browsers the owner has signed in with (a cookie, stored hashed): their attempts are counted on their
  // own, so an outsider's failures never make the owner wait on a device they used before
  await db.schema
    .createTable('login_devices')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('created_ms', t.bigint, (c) => c.notNull())
    .addColumn('last_used_ms', t.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_devices_last').on('login_devices').column('last_used_ms').execute();
}
