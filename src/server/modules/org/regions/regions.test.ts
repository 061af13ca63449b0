import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../../testing.js';
import { addForeignRegion, expectProblem, FOREIGN } from '../../../testkit.js';
import { codeProblems, levelOf } from './codes.js';

describe('region codes (GB/T 2260)', () => {
  it('derives the level from the code', () => {
    expect(levelOf('360000')).toBe('province');
    expect(levelOf('361000')).toBe('city');
    expect(levelOf('361002')).toBe('district');
    expect(levelOf('110101')).toBe('district');
    for (const bad of ['36000', '3600000', '036000', '360001', 'abcdef', '36 000', '３６００００']) expect(levelOf(bad), bad).toBeNull();
  });

  it('checks the level and the prefix against the parent', () => {
    const jx = { code: '360000', level: 'province' as const };
    const fz = { code: '361000', level: 'city' as const };
    const bj = { code: '110000', level: 'province' as const };
    expect(codeProblems('360000', null)).toEqual([]);
    expect(codeProblems('361000', jx)).toEqual([]);
    expect(codeProblems('361002', fz)).toEqual([]);
    // 直辖市 district directly under the province-level city
    expect(codeProblems('110101', bj)).toEqual([]);
    expect(codeProblems('360000', jx).map((e) => [e.field, e.code])).toEqual([['parentId', 'region_province_no_parent']]);
    expect(codeProblems('361000', null).map((e) => e.code)).toEqual(['region_parent_province']);
    expect(codeProblems('361002', null).map((e) => e.code)).toEqual(['region_parent_city']);
    expect(codeProblems('361000', fz).map((e) => e.code)).toEqual(['region_parent_province']);
    expect(codeProblems('361002', { code: '361002', level: 'district' }).map((e) => e.code)).toEqual(['region_parent_city']);
    expect(codeProblems('371000', jx)).toEqual([{ field: 'code', code: 'region_code_prefix', params: { prefix: '36', n: 2 } }]);
    expect(codeProblems('361102', fz)).toEqual([{ field: 'code', code: 'region_code_prefix', params: { prefix: '3610', n: 4 } }]);
    expect(codeProblems('36100x', fz).map((e) => e.code)).toEqual(['region_code']);
  });
});

describe('regions API', () => {
  let env: TestEnv;
  let admin: Client;
  let bureau: Client;
  beforeAll(async () => {
    env = await makeTestEnv();
    await addForeignRegion(env.database, env.storage);
    admin = await env.login('admin');
    bureau = await env.login('bureau');
  });
  afterAll(async () => env.close());

  const auditOf = (entityId: string) =>
    env.database.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'region').where('entity_id', '=', entityId).orderBy('id').execute();

  it('the platform admin creates province → city → county, each audited, and a 直辖市 district under its province', async () => {
    const p = await admin.post('/api/regions', { code: '360000', name: '江西省' });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ code: '360000', name: '江西省', level: 'province', parentId: null, schoolCount: 0 });
    const c = await admin.post('/api/regions', { code: '361000', name: '抚州市', parentId: p.json().id });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json()).toMatchObject({ level: 'city', parentId: p.json().id });
    const k = await admin.post('/api/regions', { code: '361002', name: '临川区', parentId: c.json().id });
    expect(k.statusCode, k.body).toBe(201);
    expect(k.json().level).toBe('district');

    const bj = await admin.post('/api/regions', { code: '110000', name: '北京市' });
    const dc = await admin.post('/api/regions', { code: '110101', name: '东城区', parentId: bj.json().id });
    expect(dc.statusCode, dc.body).toBe(201);
    expect(dc.json()).toMatchObject({ level: 'district', parentId: bj.json().id });

    const listed = (await admin.get('/api/regions')).json().items.map((r: { code: string }) => r.code);
    for (const code of ['360000', '361000', '361002', '110000', '110101']) expect(listed).toContain(code);

    const adminId = (await admin.get('/api/auth/me')).json().user.id;
    for (const r of [p, c, k]) {
      const rows = await auditOf(r.json().id);
      expect(rows.map((x) => x.action)).toEqual(['region.create']);
      expect(rows[0]!.actor_id).toBe(adminId);
      expect(rows[0]!.ip).toBeTruthy();
      expect(rows[0]!.request_id).toBeTruthy();
      expect(JSON.parse(rows[0]!.detail)).toMatchObject({ code: r.json().code, name: r.json().name });
    }

    // a school can now be created in the new county
    const s = await admin.post('/api/schools', {
      regionId: k.json().id,
      code: '3610020001',
      name: '临川区第一小学',
      type: 'primary',
      ownership: 'public',
      location: 'urban',
    });
    expect(s.statusCode, s.body).toBe(201);
  });

  it('refuses malformed codes and inconsistent parents with 400 naming the field, writing nothing', async () => {
    const jx = await env.database.db.selectFrom('regions').select('id').where('code', '=', '360000').executeTakeFirstOrThrow();
    const fz = await env.database.db.selectFrom('regions').select('id').where('code', '=', '361000').executeTakeFirstOrThrow();
    const lc = await env.database.db.selectFrom('regions').select('id').where('code', '=', '361002').executeTakeFirstOrThrow();
    const before = await countRows(env.database, 'regions');
    const auditBefore = await countRows(env.database, 'audit_log');
    const cases: [unknown, string, string][] = [
      [{ code: '36000', name: '坏代码省' }, 'code', 'invalid_format'],
      [{ code: '3700001', name: '坏代码省' }, 'code', 'invalid_format'],
      [{ code: '370001', name: '坏代码' }, 'code', 'region_code'],
      [{ code: '370000', name: '山东省', parentId: jx.id }, 'parentId', 'region_province_no_parent'],
      [{ code: '370100', name: '济南市' }, 'parentId', 'region_parent_province'],
      [{ code: '371000', name: '错前缀市', parentId: jx.id }, 'code', 'region_code_prefix'],
      [{ code: '361100', name: '市下之市', parentId: fz.id }, 'parentId', 'region_parent_province'],
      [{ code: '361003', name: '县下之县', parentId: lc.id }, 'parentId', 'region_parent_city'],
      [{ code: '361102', name: '错前缀县', parentId: fz.id }, 'code', 'region_code_prefix'],
      [{ code: '361003', name: '未知上级', parentId: 'r_nope' }, 'parentId', 'not_found'],
      [{ code: '361003', name: '东乡\u0000区', parentId: fz.id }, 'name', 'control_characters'],
      [{ code: '361003', name: '东乡\u202e区', parentId: fz.id }, 'name', 'control_characters'],
      [{ code: '361003', name: ' ', parentId: fz.id }, 'name', 'too_short'],
      [{ code: '361003', name: '东乡区', parentId: fz.id, level: 'city' }, 'level', 'unknown_field'],
    ];
    for (const [body, field, code] of cases) {
      const res = await admin.post('/api/regions', body);
      const problem = expectProblem(res, 400, 'validation_failed', [field]);
      expect(problem.errors!.find((e) => e.field === field)!.code, JSON.stringify(body)).toBe(code);
    }
    // the message is in the user's language
    admin.lang = 'en-US';
    const en = expectProblem(await admin.post('/api/regions', { code: '371000', name: 'Wrong prefix', parentId: jx.id }), 400, 'validation_failed', ['code']);
    expect(en.errors![0]!.message).toContain('36');
    admin.lang = 'zh-CN';
    expect(await countRows(env.database, 'regions')).toBe(before);
    expect(await countRows(env.database, 'audit_log')).toBe(auditBefore);
  });

  it('answers 409 for a code that exists and for a name a sibling already has', async () => {
    const fz = await env.database.db.selectFrom('regions').select('id').where('code', '=', '361000').executeTakeFirstOrThrow();
    expectProblem(await admin.post('/api/regions', { code: '390000', name: '另一个江北省' }), 409, 'duplicate', ['code']);
    expectProblem(await admin.post('/api/regions', { code: '361003', name: '临川区', parentId: fz.id }), 409, 'duplicate', ['name']);
  });

  it('lets a bureau admin manage regions below its own region only', async () => {
    const before = await countRows(env.database, 'regions');
    // 临川市 (r_0002) is the bureau's region: a new county below it is fine, and below that new county nothing (a county has no children)
    const k = await bureau.post('/api/regions', { code: '390123', name: '新设县', parentId: 'r_0002' });
    expect(k.statusCode, k.body).toBe(201);
    // not its own region nor anything above or beside it
    expectProblem(await bureau.patch('/api/regions/r_0002', { name: '临川新市' }), 403, 'forbidden');
    expectProblem(await bureau.delete('/api/regions/r_0002'), 403, 'forbidden');
    // the province above is outside its view altogether
    expectProblem(await bureau.post('/api/regions', { code: '390200', name: '江北新市', parentId: 'r_0001' }), 400, 'validation_failed', ['parentId']);
    expectProblem(await bureau.post('/api/regions', { code: '350000', name: '福建省' }), 403, 'forbidden');
    // a foreign province is not even visible
    expectProblem(await bureau.post('/api/regions', { code: '880200', name: '外省新市', parentId: FOREIGN.province }), 400, 'validation_failed', ['parentId']);
    expectProblem(await bureau.patch(`/api/regions/${FOREIGN.city}`, { name: '改名' }), 404, 'not_found');
    // a district bureau cannot touch its sibling districts
    const cd = await env.login('bureau_cd');
    expectProblem(await cd.patch('/api/regions/r_0004', { name: '改名县' }), 404, 'not_found');
    expectProblem(await cd.post('/api/regions', { code: '390124', name: '又一县', parentId: 'r_0002' }), 400, 'validation_failed', ['parentId']);
    // roles without region.manage
    for (const who of ['teacher', 'principal', 'evaluator', 'secretary']) {
      const c = await env.login(who);
      expectProblem(await c.post('/api/regions', { code: '390124', name: '又一县', parentId: 'r_0002' }), 403, 'forbidden');
    }
    expect(await countRows(env.database, 'regions')).toBe(before + 1);
    // the bureau renames and deletes the county it created, both audited
    const r = await bureau.patch(`/api/regions/${k.json().id}`, { name: '新设县（更名）' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().name).toBe('新设县（更名）');
    expect((await bureau.delete(`/api/regions/${k.json().id}`)).statusCode).toBe(204);
    const rows = await auditOf(k.json().id);
    expect(rows.map((x) => x.action)).toEqual(['region.create', 'region.update', 'region.delete']);
    expect(JSON.parse(rows[1]!.detail)).toEqual({ name: { from: '新设县', to: '新设县（更名）' } });
    // the deletion is logged under the parent, so the bureau still sees it
    expect(rows[2]!.region_id).toBe('r_0002');
  });

  it('deletes only empty regions', async () => {
    const db = env.database.db;
    // sub-regions
    const city = expectProblem(await admin.delete('/api/regions/r_0002'), 409, 'region_in_use');
    expect(city.detail).toContain('3 个下级区域');
    // schools
    const schools = await db
      .selectFrom('schools')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('region_id', '=', 'r_0003')
      .executeTakeFirstOrThrow();
    expect(expectProblem(await admin.delete('/api/regions/r_0003'), 409, 'region_in_use').detail).toContain(`${Number(schools.n)} 所学校`);
    // a region only a grant points at (no foreign key guards grants)
    const lone = await admin.post('/api/regions', { code: '390199', name: '授权测试区', parentId: 'r_0002' });
    await db
      .insertInto('role_grants')
      .values({
        id: 'g_region_test',
        user_id: 'u_x_teacher',
        role: 'evaluator',
        scope_type: 'region',
        scope_id: lone.json().id,
        subject: null,
        granted_by: null,
        granted_at: new Date().toISOString(),
      })
      .execute();
    expectProblem(await admin.delete(`/api/regions/${lone.json().id}`), 409, 'region_in_use');
    await db.deleteFrom('role_grants').where('id', '=', 'g_region_test').execute();
    expect((await admin.delete(`/api/regions/${lone.json().id}`)).statusCode).toBe(204);
    expect(await db.selectFrom('regions').select('id').where('id', '=', lone.json().id).executeTakeFirst()).toBeUndefined();
    expectProblem(await admin.delete(`/api/regions/${lone.json().id}`), 404, 'not_found');
  });

  it('renames and re-codes, keeping codes consistent with parent and children', async () => {
    const db = env.database.db;
    const jx = await db.selectFrom('regions').select('id').where('code', '=', '360000').executeTakeFirstOrThrow();
    const lc = await db.selectFrom('regions').select('id').where('code', '=', '361002').executeTakeFirstOrThrow();
    // a region with children keeps its code
    expectProblem(await admin.patch(`/api/regions/${jx.id}`, { code: '350000' }), 409, 'region_code_locked');
    // the level cannot change, the prefix must fit
    expectProblem(await admin.patch(`/api/regions/${lc.id}`, { code: '361000' }), 400, 'validation_failed', ['code']);
    expectProblem(await admin.patch(`/api/regions/${lc.id}`, { code: '362002' }), 400, 'validation_failed', ['code']);
    expectProblem(await admin.patch(`/api/regions/${lc.id}`, { code: '390102' }), 400, 'validation_failed', ['code']);
    expectProblem(await admin.patch(`/api/regions/${lc.id}`, { name: 'x\ny' }), 400, 'validation_failed', ['name']);
    // a leaf takes a new code of its level under the same parent
    const ok = await admin.patch(`/api/regions/${lc.id}`, { code: '361003', name: '东乡区' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ code: '361003', name: '东乡区', level: 'district' });
    const last = (await auditOf(lc.id)).at(-1)!;
    expect(last.action).toBe('region.update');
    expect(JSON.parse(last.detail)).toEqual({ code: { from: '361002', to: '361003' }, name: { from: '临川区', to: '东乡区' } });
  });

  it('races keep the tree consistent: delete vs a new child, re-code vs a new child (10 rounds each)', async () => {
    const db = env.database.db;
    const hb = await admin.post('/api/regions', { code: '430000', name: '湖南省' });
    for (let i = 0; i < 10; i++) {
      const cityCode = `43${String(10 + i).padStart(2, '0')}00`;
      const city = await admin.post('/api/regions', { code: cityCode, name: `竞速市${i}`, parentId: hb.json().id });
      const [del, child] = await Promise.all([
        admin.delete(`/api/regions/${city.json().id}`),
        admin.post('/api/regions', { code: `${cityCode.slice(0, 4)}01`, name: `竞速县${i}`, parentId: city.json().id }),
      ]);
      // exactly one wins: the city is deleted and the county refused, or the county is created and the deletion refused
      expect(['204/400', '409/201'], `${del.body} ${child.body}`).toContain(`${del.statusCode}/${child.statusCode}`);
    }
    for (let i = 0; i < 10; i++) {
      const cityCode = `43${String(30 + i).padStart(2, '0')}00`;
      const city = await admin.post('/api/regions', { code: cityCode, name: `改码市${i}`, parentId: hb.json().id });
      const [recode] = await Promise.all([
        admin.patch(`/api/regions/${city.json().id}`, { code: `43${String(50 + i).padStart(2, '0')}00` }),
        admin.post('/api/regions', { code: `${cityCode.slice(0, 4)}01`, name: `改码县${i}`, parentId: city.json().id }),
      ]);
      expect([200, 409]).toContain(recode.statusCode);
    }
    // every child's code still starts with its parent's prefix, and every parent exists
    const rows = await db.selectFrom('regions').select(['id', 'code', 'level', 'parent_id']).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of rows.filter((x) => x.code.startsWith('43') && x.parent_id)) {
      const parent = byId.get(r.parent_id!);
      expect(parent, r.code).toBeDefined();
      expect(r.code.startsWith(parent!.code.slice(0, parent!.level === 'province' ? 2 : 4)), `${r.code} under ${parent!.code}`).toBe(true);
    }
  });

  it('two simultaneous creations of one code: one 201, one 409', async () => {
    const before = await countRows(env.database, 'regions');
    const [a, b] = await Promise.all([
      admin.post('/api/regions', { code: '420000', name: '湖北省' }),
      admin.post('/api/regions', { code: '420000', name: '湖北省（重复）' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect(await countRows(env.database, 'regions')).toBe(before + 1);
  });
});
