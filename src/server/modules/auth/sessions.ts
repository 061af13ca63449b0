/**
 * Sessions belong to the auth module: other modules end them through this file, never by writing the
 * `sessions` table themselves. Deleting sessions bumps the `access` version (migration 010), so every
 * instance's actor cache reads the account again; the caller invalidates the directory after its commit
 * (`directoryOf(database).invalidate()`) so this process sees it at once.
 */
import type { Db, Tx } from '../../db/index.js';

/** Ends every session of the account (disabled, password reset), or every one but `except` (password change). */
export async function endSessions(tx: Db | Tx, userId: string, opts: { except?: string } = {}): Promise<number> {
  let q = tx.deleteFrom('sessions').where('user_id', '=', userId);
  if (opts.except) q = q.where('id', '!=', opts.except);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Ends one session (logout, a session replaced by a new sign-in). */
export async function endSession(tx: Db | Tx, sessionId: string): Promise<void> {
  await tx.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
