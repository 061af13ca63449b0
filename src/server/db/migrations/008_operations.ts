import type { Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/** Operations (issue 10): regions created by admins, retained replaced files for backups. */
export async function up(_db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // filled by the change that needs it
}
