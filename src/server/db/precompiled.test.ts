import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEnv, type TestEnv } from '../testing.js';
import { precompiled } from './precompiled.js';

describe('precompiled statements', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv();
  });
  afterAll(async () => env?.close());

  it('compiles once and answers like the query built per call, for every set of values', async () => {
    const db = env.database.db;
    let builds = 0;
    const byRole = precompiled((d, p: { role: string; limit: number }) => {
      builds++;
      return d.selectFrom('role_grants').select(['id', 'user_id']).where('role', '=', p.role).orderBy('id').limit(p.limit);
    });
    for (const [role, limit] of [
      ['teacher', 3],
      ['school_admin', 2],
      ['bureau_admin', 5],
      ['nobody', 4],
    ] as const) {
      const direct = await db.selectFrom('role_grants').select(['id', 'user_id']).where('role', '=', role).orderBy('id').limit(limit).execute();
      const pre = await byRole(db, { role, limit });
      expect(pre).toEqual(direct);
      if (role === 'teacher') expect(pre.length).toBe(3);
      if (role === 'nobody') expect(pre).toEqual([]);
    }
    expect(builds).toBe(1);
  });

  it('runs inside a transaction and sees its uncommitted rows', async () => {
    const db = env.database.db;
    const regionCount = precompiled((d, p: { code: string }) => d.selectFrom('regions').select('id').where('code', '=', p.code));
    await db
      .transaction()
      .execute(async (tx) => {
        await tx
          .insertInto('regions')
          .values({ id: 'r_precompiled', parent_id: null, level: 'province', code: '990000', name: '测试省', created_at: new Date().toISOString() })
          .execute();
        expect(await regionCount(db, { code: '990000' }, tx)).toEqual([{ id: 'r_precompiled' }]);
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));
    expect(await regionCount(db, { code: '990000' })).toEqual([]);
  });
});
