/** Test support: an alliance without any ledger yet (the demo seed writes ledgers for the demo alliances). */
import type { TestEnv } from '../../testing.js';
import { fromJson } from '../../db/index.js';

/** a fresh alliance of the demo region (the demo seed writes a ledger for the demo alliances) */
export const TEST_ALLIANCE = 'a_t_credit';
export const TEST_CORE = 's_00001';
const A = TEST_ALLIANCE;
const CORE = TEST_CORE;

/** Creates alliance A: the core school plus a weak, a rural and a plain school; the secretary administers it. */
export async function addTestAlliance(env: TestEnv) {
  const db = env.database.db;
  const at0 = '2025-09-01T00:00:00.000Z';
  const schools = await db.selectFrom('schools').select(['id', 'tags', 'location']).where('id', '!=', CORE).orderBy('id').execute();
  const weak = schools.find((s) => fromJson<string[]>(s.tags, []).includes('weak'))!;
  const rural = schools.find((s) => s.id !== weak.id && (fromJson<string[]>(s.tags, []).includes('rural') || s.location === 'village'))!;
  const plain = schools.find((s) => fromJson<string[]>(s.tags, []).length === 0 && s.location === 'urban')!;
  await db
    .insertInto('alliances')
    .values({
      id: A,
      region_id: 'r_0002',
      name: '积分测试联盟',
      kind: 'union',
      pattern: 'partner',
      core_school_id: CORE,
      description: null,
      status: 'active',
      founded_on: '2025-09-01',
      cycle_start_on: '2025-09-01',
      last_assessed_on: null,
      created_at: at0,
      updated_at: at0,
    })
    .execute();
  const ids = [CORE, plain.id, weak.id, rural.id];
  await db
    .insertInto('alliance_members')
    .values(
      ids.map((id, i) => ({
        id: `am_t_${i}`,
        alliance_id: A,
        school_id: id,
        alliance_kind: 'union',
        role: id === CORE ? 'core' : 'member',
        status: 'active',
        joined_on: '2025-09-01',
        exited_on: null,
        exit_reason: null,
        exit_by: null,
        created_at: at0,
      })),
    )
    .execute();
  await db
    .insertInto('role_grants')
    .values({
      id: 'g_t_credit',
      user_id: 'u_secretary',
      role: 'alliance_admin',
      scope_type: 'alliance',
      scope_id: A,
      subject: null,
      granted_by: null,
      granted_at: at0,
    })
    .execute();
  return { plain: plain.id, weak: weak.id, rural: rural.id };
}
