import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Platform core (issue 11): the version counters that let every instance cache the organization directory
 * and the signed-in actors, and notice within a second that they changed.
 *
 * - cache_versions('org'): bumped by triggers on every write to regions, schools, alliances,
 *   alliance_members, partners and alliance_partners, whoever writes (a service, the seeder, the CLI, psql).
 * - cache_versions('access'): bumped on every write to role_grants, on a session's end (delete) and on an
 *   account change that alters what its sessions may do (status, home, partner link, forced password change).
 * The triggers run inside the writer's transaction, so a version is visible exactly when the change is.
 */
const ORG_TABLES = ['regions', 'schools', 'alliances', 'alliance_members', 'partners', 'alliance_partners'] as const;
const USER_COLUMNS = ['status', 'school_id', 'region_id', 'partner_id', 'must_change_password', 'display_name', 'username'] as const;

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('cache_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('cache_versions')
    .values([
      { name: 'org', version: 1 },
      { name: 'access', version: 1 },
    ])
    .execute();

  if (dialect === 'postgres') {
    for (const name of ['org', 'access']) {
      await sql
        .raw(
          `create function bump_${name}_version() returns trigger language plpgsql as $$
           begin update cache_versions set version = version + 1 where name = '${name}'; return null; end $$`,
        )
        .execute(db);
    }
    for (const t of ORG_TABLES) {
      await sql
        .raw(`create trigger ${t}_bump_org after insert or update or delete or truncate on ${t} for each statement execute function bump_org_version()`)
        .execute(db);
    }
    await sql
      .raw('create trigger role_grants_bump_access after insert or update or delete on role_grants for each statement execute function bump_access_version()')
      .execute(db);
    await sql.raw('create trigger sessions_bump_access after delete on sessions for each statement execute function bump_access_version()').execute(db);
    await sql
      .raw(
        `create trigger users_bump_access after update of ${USER_COLUMNS.join(', ')} on users for each row
         when (${USER_COLUMNS.map((c) => `old.${c} is distinct from new.${c}`).join(' or ')}) execute function bump_access_version()`,
      )
      .execute(db);
    return;
  }
  const bump = (name: string) => `update cache_versions set version = version + 1 where name = '${name}';`;
  for (const t of ORG_TABLES) {
    for (const op of ['insert', 'update', 'delete']) {
      await sql.raw(`create trigger ${t}_${op}_bump_org after ${op} on ${t} begin ${bump('org')} end`).execute(db);
    }
  }
  for (const op of ['insert', 'update', 'delete']) {
    await sql.raw(`create trigger role_grants_${op}_bump_access after ${op} on role_grants begin ${bump('access')} end`).execute(db);
  }
  await sql.raw(`create trigger sessions_delete_bump_access after delete on sessions begin ${bump('access')} end`).execute(db);
  await sql
    .raw(
      `create trigger users_update_bump_access after update of ${USER_COLUMNS.join(', ')} on users
       when ${USER_COLUMNS.map((c) => `old.${c} is not new.${c}`).join(' or ')} begin ${bump('access')} end`,
    )
    .execute(db);
}
