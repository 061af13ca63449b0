import type { Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/** Sign-in throttling (issues 9 and 10): failures counted atomically per account and per IP with back-off. */
export async function up(_db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // filled by the change that needs it
}
