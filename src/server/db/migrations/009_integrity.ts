import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Integrity (issues 4 and 5): constraints that keep state transitions and rewards single.
 *
 * - resource_use_rewards: one reward per (resource, user), ever. A "used in my class" report claims it
 *   before anything is paid; the primary key makes a second claim (a later day, or a concurrent request)
 *   pay nothing. Filled from the rewards already paid, so nobody is paid twice across the upgrade.
 * - resource_uses (user_id, created_at): the per-user daily limit on use reports counts by it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('resource_use_rewards')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('use_id', 'text', (c) => c.notNull().references('resource_uses.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_use_rewards_pk', ['resource_id', 'user_id'])
    .execute();
  await sql`
    insert into resource_use_rewards (resource_id, user_id, use_id, created_at)
    select u.resource_id, u.user_id, min(u.id), min(c.at)
    from resource_contributions c join resource_uses u on u.id = c.use_id
    group by u.resource_id, u.user_id`.execute(db);
  await db.schema.createIndex('resource_uses_user_created_idx').on('resource_uses').columns(['user_id', 'created_at']).execute();
}
