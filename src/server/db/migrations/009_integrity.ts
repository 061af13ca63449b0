import type { Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/** Integrity (issue 9): constraints that keep state transitions and rewards single. */
export async function up(_db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // filled by the change that needs it
}
