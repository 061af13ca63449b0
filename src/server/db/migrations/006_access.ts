import type { Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Access (safe-to-deploy items 2, 3, 7): a partner account is tied to its own partner organisation
 * (users.partner_id), so that facility management, the booking inbox and decisions are scoped by it.
 * Calendar-feed tokens keep their owner (calendar_tokens.user_id); every fetch re-checks that owner's
 * current access, so no new column is needed for them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .execute();
  await db.schema.createIndex('users_partner_idx').on('users').column('partner_id').execute();
}
