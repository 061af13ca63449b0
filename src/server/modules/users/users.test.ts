import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, TEST_PASSWORD, type Client, type TestEnv } from '../../testing.js';
import { expectProblem } from '../../testkit.js';

describe('users and grants', () => {
  let env: TestEnv;
  let bureau: Client;
  let principal: Client;
  const auditOf = (action: string, entityId: string) =>
    env.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'ip', 'detail', 'region_id'])
      .where('action', '=', action)
      .where('entity_id', '=', entityId)
      .execute();

  beforeAll(async () => {
    env = await makeTestEnv();
    [bureau, principal] = await Promise.all([env.login('bureau'), env.login('principal')]);
  });
  afterAll(async () => env.close());

  it('lists the users of the actor’s scope; search takes _ literally', async () => {
    const mine = (await principal.get('/api/users?pageSize=100')).json();
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((u: { schoolId: string }) => u.schoolId === 's_00001')).toBe(true);
    const teachers = (await principal.get('/api/users?role=teacher&pageSize=100')).json();
    expect(teachers.items.every((u: { grants: { role: string }[] }) => u.grants.some((g) => g.role === 'teacher'))).toBe(true);
    const search = (await bureau.get('/api/users?q=sa_')).json();
    expect(search.total).toBeGreaterThan(0);
    expect(search.items.every((u: { username: string }) => u.username.includes('sa_'))).toBe(true);
    // the platform admin is nobody's business but its own
    expect((await bureau.get('/api/users?q=admin')).json().items.map((u: { username: string }) => u.username)).not.toContain('admin');
    expectProblem(await principal.get('/api/users?role=king'), 400, 'validation_failed', ['query.role']);
  });

  it('creates a user with a one-time initial password, audited with the address', async () => {
    const res = await principal.post('/api/users', { username: 'li_ming', displayName: '李明', schoolId: 's_00001', phone: '13900001111' });
    expect(res.statusCode).toBe(201);
    const { user, initialPassword } = res.json();
    expect(user).toMatchObject({ username: 'li_ming', schoolId: 's_00001', regionId: 'r_0003', grants: [] });
    expect(initialPassword).toMatch(/^\S{10,}$/);
    const row = await env.database.db.selectFrom('users').select(['must_change_password', 'password_hash']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(1);
    expect(row.password_hash).not.toContain(initialPassword);
    const audit = await auditOf('user.create', user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe('u_principal');
    expect(audit[0]!.ip).toBeTruthy();
    expect(audit[0]!.detail).not.toContain(initialPassword);
  });

  it('refuses bad or duplicate users and users outside the scope, creating nothing', async () => {
    const before = await countRows(env.database, 'users');
    expectProblem(await principal.post('/api/users', { username: 'li_ming', displayName: '李明二', schoolId: 's_00001' }), 409, 'duplicate', ['username']);
    expectProblem(
      await principal.post('/api/users', { username: 'li.ming2', displayName: '李明二', schoolId: 's_00001', phone: '13900001111' }),
      409,
      'duplicate',
      ['phone'],
    );
    expectProblem(await principal.post('/api/users', { username: 'bad name!', displayName: '李明', schoolId: 's_00001' }), 400, 'validation_failed', [
      'username',
    ]);
    expectProblem(await principal.post('/api/users', { username: 'wang.fang', displayName: '王', schoolId: 's_00001' }), 400, 'validation_failed', [
      'displayName',
    ]);
    expectProblem(
      await principal.post('/api/users', { username: 'wang.fang', displayName: '王芳', schoolId: 's_00001', password: 'x' }),
      400,
      'validation_failed',
      ['password'],
    );
    expectProblem(await principal.post('/api/users', { username: 'wang.fang', displayName: '王芳' }), 400, 'validation_failed', ['schoolId']);
    // another school is beyond the principal's reach
    expectProblem(await principal.post('/api/users', { username: 'wang.fang', displayName: '王芳', schoolId: 's_00002' }), 400, 'validation_failed', [
      'schoolId',
    ]);
    const cd = await env.login('bureau_cd');
    expectProblem(await cd.post('/api/users', { username: 'wang.fang', displayName: '王芳', schoolId: 's_00025' }), 400, 'validation_failed', ['schoolId']);
    expect(await countRows(env.database, 'users')).toBe(before);
  });

  it('resets a password: sessions end, the user must change it again', async () => {
    const t = await env.login(`t_${(await env.database.db.selectFrom('schools').select('code').where('id', '=', 's_00001').executeTakeFirstOrThrow()).code}_1`);
    const target = (await t.get('/api/auth/me')).json().user.id;
    const res = await principal.post(`/api/users/${target}/reset-password`);
    expect(res.statusCode).toBe(200);
    const pw = res.json().initialPassword;
    expect((await t.get('/api/auth/me')).statusCode).toBe(401);
    expectProblem(
      await env.anon().post('/api/auth/login', {
        username: (await env.database.db.selectFrom('users').select('username').where('id', '=', target).executeTakeFirstOrThrow()).username,
        password: TEST_PASSWORD,
      }),
      401,
      'invalid_credentials',
    );
    const audit = await auditOf('user.reset_password', target);
    expect(audit[0]).toMatchObject({ actor_id: 'u_principal', ip: expect.any(String) });
    expect(pw).toBeTruthy();
    // not a user of the principal's school
    expectProblem(await principal.post('/api/users/u_teacher/reset-password'), 404, 'not_found');
    expectProblem(await principal.post('/api/users/u_admin/reset-password'), 404, 'not_found');
  });

  it('a password reset ends the sign-in back-off someone else started on the account', async () => {
    const username = `t_${(await env.database.db.selectFrom('schools').select('code').where('id', '=', 's_00001').executeTakeFirstOrThrow()).code}_2`;
    const target = (await env.database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    for (let i = 0; i < 8; i++) await env.anon().post('/api/auth/login', { username, password: `Wrong#Guess${i}` });
    expectProblem(await env.anon().post('/api/auth/login', { username, password: TEST_PASSWORD }), 429, 'too_many_attempts');
    const pw = (await principal.post(`/api/users/${target}/reset-password`)).json().initialPassword;
    expect((await env.anon().post('/api/auth/login', { username, password: pw })).statusCode).toBe(200);
  });

  it('grants and revokes roles within the scope', async () => {
    const u = (await principal.post('/api/users', { username: 'zhao.lei', displayName: '赵磊', schoolId: 's_00001' })).json().user;
    const g = await principal.post(`/api/users/${u.id}/grants`, { role: 'teacher', scopeType: 'school', scopeId: 's_00001' });
    expect(g.statusCode).toBe(200);
    const grant = g.json().grants.find((x: { role: string }) => x.role === 'teacher');
    expect(grant).toMatchObject({ scopeType: 'school', scopeId: 's_00001' });
    expectProblem(await principal.post(`/api/users/${u.id}/grants`, { role: 'teacher', scopeType: 'school', scopeId: 's_00001' }), 409, 'duplicate', ['role']);
    const granted = await auditOf('user.grant', u.id);
    expect(granted[0]).toMatchObject({ actor_id: 'u_principal', ip: expect.any(String) });
    expect(JSON.parse(granted[0]!.detail)).toMatchObject({ role: 'teacher', scopeId: 's_00001' });

    const before = await countRows(env.database, 'role_grants');
    // a school admin cannot reach beyond its school, nor hand out region or alliance roles
    expectProblem(await principal.post(`/api/users/${u.id}/grants`, { role: 'teacher', scopeType: 'school', scopeId: 's_00002' }), 403, 'forbidden');
    expectProblem(await principal.post(`/api/users/${u.id}/grants`, { role: 'bureau_admin', scopeType: 'region', scopeId: 'r_0003' }), 403, 'forbidden');
    expectProblem(await principal.post(`/api/users/${u.id}/grants`, { role: 'alliance_admin', scopeType: 'alliance', scopeId: 'a_0001' }), 403, 'forbidden');
    expectProblem(await principal.post(`/api/users/${u.id}/grants`, { role: 'platform_admin', scopeType: 'installation' }), 403, 'forbidden');
    // the scope type must fit the role
    expectProblem(await principal.post(`/api/users/${u.id}/grants`, { role: 'teacher', scopeType: 'region', scopeId: 'r_0003' }), 400, 'validation_failed', [
      'scopeType',
    ]);
    expectProblem(await principal.post(`/api/users/${u.id}/grants`, { role: 'emperor', scopeType: 'school', scopeId: 's_00001' }), 400, 'validation_failed', [
      'role',
    ]);
    // nor grant anything to somebody else's user
    expectProblem(await principal.post('/api/users/u_teacher/grants', { role: 'guardian', scopeType: 'school', scopeId: 's_00001' }), 404, 'not_found');
    // a district bureau cannot make a city bureau admin
    const cd = await env.login('bureau_cd');
    expectProblem(await cd.post(`/api/users/${u.id}/grants`, { role: 'bureau_admin', scopeType: 'region', scopeId: 'r_0002' }), 403, 'forbidden');
    expect(await countRows(env.database, 'role_grants')).toBe(before);

    // the city bureau can
    const b = await bureau.post(`/api/users/${u.id}/grants`, { role: 'bureau_admin', scopeType: 'region', scopeId: 'r_0003' });
    expect(b.statusCode).toBe(200);
    const bureauGrant = b.json().grants.find((x: { role: string }) => x.role === 'bureau_admin');
    // ... and the principal cannot take it back
    expectProblem(await principal.request({ method: 'DELETE', url: `/api/grants/${bureauGrant.id}` }), 403, 'forbidden');
    const del = await principal.request({ method: 'DELETE', url: `/api/grants/${grant.id}` });
    expect(del.statusCode).toBe(204);
    expect(await env.database.db.selectFrom('role_grants').select('id').where('id', '=', grant.id).execute()).toHaveLength(0);
    expect((await auditOf('user.revoke', u.id))[0]).toMatchObject({ actor_id: 'u_principal', ip: expect.any(String) });
    expectProblem(await principal.request({ method: 'DELETE', url: `/api/grants/${grant.id}` }), 404, 'not_found');
  });

  it('a revoked role stops working at once', async () => {
    const created = (await bureau.post('/api/users', { username: 'qs.admin', displayName: '青山管理员', regionId: 'r_0004' })).json();
    const g = (await bureau.post(`/api/users/${created.user.id}/grants`, { role: 'bureau_admin', scopeType: 'region', scopeId: 'r_0004' })).json();
    const c = await env.login('qs.admin', created.initialPassword);
    expect((await c.post('/api/auth/password', { currentPassword: created.initialPassword, newPassword: 'Qingshan#2026x' })).statusCode).toBe(204);
    expect((await c.get('/api/regions/r_0004/overview')).statusCode).toBe(200);
    expectProblem(await c.get('/api/regions/r_0005/overview'), 404, 'not_found');
    await bureau.request({ method: 'DELETE', url: `/api/grants/${g.grants[0].id}` });
    expectProblem(await c.get('/api/regions/r_0004/overview'), 403, 'forbidden');
  });

  it('disables a user (not oneself) and exports the list', async () => {
    expectProblem(await bureau.patch('/api/users/u_bureau', { status: 'disabled' }), 400, 'validation_failed', ['status']);
    expectProblem(await bureau.patch('/api/users/u_principal', { status: 'gone' }), 400, 'validation_failed', ['status']);
    const res = await bureau.get('/api/users/export.xlsx?schoolId=s_00001');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
  });
});
