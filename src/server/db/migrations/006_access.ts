import type { Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/** Access (issue 9): partner accounts tied to their partner organisation, calendar-feed token bookkeeping, per-user resource-use rewards. */
export async function up(_db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // filled by the change that needs it
}
