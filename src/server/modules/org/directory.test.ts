/**
 * The organization directory (ARCHITECTURE rule 10): its snapshot answers like the tables, a write through
 * one instance is seen by another within `checkMs`, a rolled-back write never stays in a snapshot, and a
 * member's exit or a revoked grant changes the answers of the very next request.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, recordStatements, type Database } from '../../db/index.js';
import { makeTestEnv, type TestEnv } from '../../testing.js';
import { Directory, directoryOf } from './directory.js';

let env: TestEnv;
let db: Database['db'];
beforeAll(async () => {
  env = await makeTestEnv();
  db = env.database.db;
}, 120_000);
afterAll(async () => {
  await env?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('snapshot lookups', () => {
  it('answers like the tables: region trees, schools, memberships, partners', async () => {
    const org = await directoryOf(env.database).current();
    const regions = await db.selectFrom('regions').select(['id', 'parent_id', 'name']).execute();
    const root = regions.find((r) => r.parent_id === null)!;
    // the whole tree lies under the root, and every region's chain reaches the root
    expect(org.regionsUnder([root.id])).toEqual(new Set(regions.filter((r) => isUnder(regions, r.id, root.id)).map((r) => r.id)));
    const leaf = regions.find((r) => !regions.some((c) => c.parent_id === r.id))!;
    const chain = org.regionsAbove([leaf.id]);
    expect(chain.has(root.id) && chain.has(leaf.id)).toBe(true);
    expect(org.regionPath(leaf.id).map((r) => r.id)[0]).toBe(root.id);
    expect(org.regionsUnder(['no-such-region']).size).toBe(0);

    const school = await db.selectFrom('schools').select(['id', 'name', 'region_id']).executeTakeFirstOrThrow();
    expect(org.school(school.id)).toMatchObject({ id: school.id, name: school.name, regionId: school.region_id });
    expect(org.schoolsUnder([root.id])).toContain(school.id);

    const members = await db.selectFrom('alliance_members').select(['alliance_id', 'school_id', 'role']).where('status', '=', 'active').execute();
    for (const m of members) {
      expect(org.isMember(m.alliance_id, m.school_id)).toBe(true);
      expect(org.membership(m.alliance_id, m.school_id)?.role).toBe(m.role);
      expect(org.alliancesOfSchool(m.school_id)).toContain(m.alliance_id);
    }
    const someAlliance = members[0]!.alliance_id;
    expect(new Set(org.schoolsOf(someAlliance))).toEqual(new Set(members.filter((m) => m.alliance_id === someAlliance).map((m) => m.school_id)));
    const exited = await db.selectFrom('alliance_members').select(['alliance_id', 'school_id']).where('status', '=', 'exited').execute();
    for (const m of exited)
      if (!members.some((a) => a.alliance_id === m.alliance_id && a.school_id === m.school_id)) expect(org.isMember(m.alliance_id, m.school_id)).toBe(false);

    const ap = await db.selectFrom('alliance_partners').select(['alliance_id', 'partner_id']).execute();
    for (const x of ap) {
      expect(org.partnersOf(x.alliance_id)).toContain(x.partner_id);
      expect(org.alliancesOfPartner(x.partner_id)).toContain(x.alliance_id);
    }
  });

  it('costs no statement while the versions are fresh', async () => {
    const dir = new Directory(env.database, { checkMs: 60_000 });
    await dir.current();
    const { statements } = await recordStatements(env.database, () => dir.current());
    expect(statements).toEqual([]);
  });
});

function isUnder(regions: { id: string; parent_id: string | null }[], id: string, root: string): boolean {
  for (let r: string | null = id, guard = 0; r && guard < 32; guard++) {
    if (r === root) return true;
    r = regions.find((x) => x.id === r)?.parent_id ?? null;
  }
  return false;
}

describe('two instances on one database', () => {
  let other: Database;
  beforeAll(() => {
    // a second process's view: its own connection(s) to the same SQLite file or PostgreSQL schema
    other = createDatabase(env.config);
  });
  afterAll(async () => {
    await other?.close();
  });

  const schoolId = async () => (await db.selectFrom('schools').select('id').orderBy('code').executeTakeFirstOrThrow()).id;
  const rename = (id: string, name: string) => db.updateTable('schools').set({ name }).where('id', '=', id).execute();

  it('checkMs 0: the other instance sees a committed write on its next call', async () => {
    const id = await schoolId();
    const dir = new Directory(other, { checkMs: 0 });
    const before = (await dir.current()).school(id)!.name;
    await rename(id, `${before}·甲`);
    expect((await dir.current()).school(id)!.name).toBe(`${before}·甲`);
    await rename(id, before);
    expect((await dir.current()).school(id)!.name).toBe(before);
  });

  it('checkMs 200: stale until the interval elapses, fresh after', async () => {
    const id = await schoolId();
    const dir = new Directory(other, { checkMs: 200 });
    const before = (await dir.current()).school(id)!.name;
    const checked = Date.now();
    await rename(id, `${before}·乙`);
    const soon = (await dir.current()).school(id)!.name;
    // only meaningful while the interval has not elapsed (a loaded machine may be slower)
    if (Date.now() - checked < 150) expect(soon).toBe(before);
    await sleep(250);
    expect((await dir.current()).school(id)!.name).toBe(`${before}·乙`);
    await rename(id, before);
    await sleep(250);
    expect((await dir.current()).school(id)!.name).toBe(before);
  });

  it('invalidate() makes this instance look again at once', async () => {
    const id = await schoolId();
    const dir = new Directory(other, { checkMs: 60_000 });
    const before = (await dir.current()).school(id)!.name;
    await rename(id, `${before}·丙`);
    expect((await dir.current()).school(id)!.name).toBe(before);
    dir.invalidate();
    expect((await dir.current()).school(id)!.name).toBe(`${before}·丙`);
    await rename(id, before);
  });
});

describe('rolled-back writes', () => {
  it('a snapshot taken while a write is open never keeps the write after its rollback', async () => {
    const dir = directoryOf(env.database);
    const school = await db.selectFrom('schools').select(['id', 'name']).orderBy('code').executeTakeFirstOrThrow();
    const region = await db.selectFrom('regions').select(['id', 'name']).executeTakeFirstOrThrow();
    const before = (await dir.current()).school(school.id)!.name;
    await expect(
      db.transaction().execute(async (tx) => {
        await tx
          .updateTable('schools')
          .set({ name: `${before}·回滚` })
          .where('id', '=', school.id)
          .execute();
        // another request of this process asks the directory while the write is open
        dir.invalidate();
        const during = await Promise.race([dir.current(), sleep(100).then(() => null)]);
        if (during) expect(during.school(school.id)!.name).toBe(before);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // a later committed write bumps the version again: the snapshot must still not carry the rolled-back name
    await db.updateTable('regions').set({ name: region.name }).where('id', '=', region.id).execute();
    dir.invalidate();
    expect((await dir.current()).school(school.id)!.name).toBe(before);
  });
});

describe('changes reach the next request through the app', () => {
  it("a member's exit: the other members' staff no longer read the school", async () => {
    const teacher = await db.selectFrom('users').select(['id', 'school_id']).where('username', '=', 'teacher').executeTakeFirstOrThrow();
    const org = await directoryOf(env.database).current();
    const own = teacher.school_id!;
    // a fellow member of one of the teacher's alliances, not core, sharing no other alliance with the teacher's school
    let target: { allianceId: string; schoolId: string } | null = null;
    for (const a of org.alliancesOfSchool(own)) {
      for (const m of org.membersOf(a)) {
        if (m.schoolId === own || m.role === 'core') continue;
        if (org.sharedAlliances(own, m.schoolId).length === 1) target = { allianceId: a, schoolId: m.schoolId };
      }
    }
    expect(target).not.toBeNull();
    const t = await env.login('teacher');
    expect((await t.get(`/api/schools/${target!.schoolId}`)).statusCode).toBe(200);
    const admin = await env.login('admin');
    const res = await admin.post(`/api/alliances/${target!.allianceId}/members/${target!.schoolId}/exit`, { reason: '测试：成员校退出' });
    expect(res.statusCode).toBe(200);
    expect((await t.get(`/api/schools/${target!.schoolId}`)).statusCode).toBe(404);
    const list = (await t.get(`/api/schools?allianceId=${target!.allianceId}&pageSize=100`)).json<{ items: { id: string }[] }>();
    expect(list.items.map((s) => s.id)).not.toContain(target!.schoolId);
  });

  it('a revoked grant (written by another instance) ends the access on the next request', async () => {
    const t = await env.login('teacher');
    expect((await t.get('/api/schools')).statusCode).toBe(200);
    const user = await db.selectFrom('users').select('id').where('username', '=', 'teacher').executeTakeFirstOrThrow();
    await sql`delete from role_grants where user_id = ${user.id}`.execute(db);
    expect((await t.get('/api/schools')).statusCode).toBe(403);
  });
});

describe('hot paths', () => {
  it('GET /api/schools, /api/schools/:id and /api/alliances: at most 2 statements once the actor is cached', async () => {
    const bureau = await env.login('bureau');
    const school = (await db.selectFrom('schools').select('id').orderBy('code').executeTakeFirstOrThrow()).id;
    const region = (await db.selectFrom('regions').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()).id;
    const urls = [
      '/api/schools',
      `/api/schools?regionId=${region}&page=2&pageSize=5`,
      `/api/schools/${school}`,
      '/api/alliances',
      `/api/alliances?regionId=${region}`,
    ];
    for (const url of urls) {
      expect((await bureau.get(url)).statusCode).toBe(200); // warm: actor cached, snapshot loaded
      const { result, statements } = await recordStatements(env.database, () => bureau.get(url));
      expect(result.statusCode).toBe(200);
      // the tests compare the cache versions on every request (CACHE_CHECK_MS=0); in production at most every 500 ms
      const own = statements.filter((s) => !/from cache_versions/.test(s));
      expect(own.length, `${url}:\n${own.join('\n')}`).toBeLessThanOrEqual(2);
      expect(own.length).toBeGreaterThanOrEqual(1);
      expect(own.join('\n')).not.toMatch(/recursive|join "?regions"?/i);
    }
  });
});
