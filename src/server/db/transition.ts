/**
 * Compare-and-set state transitions (ARCHITECTURE rule 13), the same on both databases:
 *
 *     update <table> set status = 'approved', … where id = ? and status in (<the status it read>)
 *
 * 0 rows means another request changed the row first: the caller's transaction is abandoned with the
 * error `lost(current status)` (409 invalid_transition), so nothing of the losing request is written.
 * On PostgreSQL a concurrent update of the same row waits for the winner's commit and then re-checks the
 * condition against the new row (READ COMMITTED), so exactly one of several concurrent transitions wins.
 * On SQLite writers are serialized by BEGIN IMMEDIATE; the condition still catches a status read before
 * the write transaction began.
 *
 * Call it FIRST in the transaction, before any money moves or dependent rows are written.
 */
import type { Updateable } from 'kysely';
import { AppError } from '../platform/errors.js';
import type { DB } from './schema.js';
import type { Db, Tx } from './index.js';

/** Tables whose rows carry a text `status` and a text `id`. */
export type StatusTable = 'bookings' | 'waitlist' | 'equipment_loans' | 'membership_applications' | 'resources' | 'alliance_members';

/** The default answer for a lost race: 409 invalid_transition naming the status found and the step. */
export const lostTransition = (step: string) => (current: string | null) => new AppError(409, 'invalid_transition', { status: current ?? '—', step });

/**
 * Moves row `id` of `table` from one of the statuses `from` to the values in `set`, or throws
 * `lost(current)` when the row is no longer in one of those statuses (or no longer exists).
 */
export async function transition<T extends StatusTable>(
  tx: Tx | Db,
  table: T,
  id: string,
  from: string | readonly string[],
  set: Updateable<DB[T]>,
  lost: (current: string | null) => Error = lostTransition('update'),
): Promise<void> {
  const froms = typeof from === 'string' ? [from] : [...from];
  // the generic table makes Kysely's column types unresolvable here; the signature keeps callers typed
  const t = tx as unknown as Db;
  const res = await t
    .updateTable(table as 'bookings')
    .set(set as never)
    .where('id', '=', id)
    .where('status', 'in', froms as never)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 1) return;
  const cur = await t
    .selectFrom(table as 'bookings')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirst();
  throw lost(cur?.status ?? null);
}
