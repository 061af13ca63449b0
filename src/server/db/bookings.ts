/** Dialect helpers of the bookings module: the overlap guard's error, and row locks (also used for per-user limits). */
import { sql } from 'kysely';
import type { Dialect, Tx } from './index.js';

/**
 * The database refused two holding bookings of one facility that overlap: PostgreSQL's exclusion
 * constraint (23P01) or SQLite's trigger (RAISE(ABORT, 'booking_overlap')).
 */
export function isBookingOverlap(err: unknown): boolean {
  const e = err as { code?: string; message?: string; constraint?: string };
  if (e?.code === '23P01') return true;
  return typeof e?.message === 'string' && e.message.includes('booking_overlap');
}

/**
 * Locks one row until the transaction ends (PostgreSQL `for update`); SQLite's write transaction
 * (BEGIN IMMEDIATE) already serializes every writer, so nothing is needed there.
 */
export async function lockRow(tx: Tx, dialect: Dialect, table: 'facilities' | 'equipment' | 'users', id: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select id from ${sql.table(table)} where id = ${id} for update`.execute(tx);
}
