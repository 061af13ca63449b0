/**
 * Sign-in, sessions and CSRF (issue 2 item 4): login, same answer for unknown users and wrong passwords,
 * the sign-in back-off and its expiry (more in hardening.test.ts), logout, idle and absolute expiry, CSRF on unsafe methods, the forced change of
 * an initial password, the password policy, and a password change ending the other sessions.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { countRows, makeTestEnv, TEST_PASSWORD, type TestEnv } from './testing.js';
import { expectProblem } from './testkit.js';

const MIN = 60_000;

describe('auth', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv({
      env: { LOGIN_MAX_FAILURES: '3', LOGIN_BACKOFF_SECONDS: '60', LOGIN_LOCK_MINUTES: '10', SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '2' },
    });
  });
  afterAll(async () => env.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs in with httpOnly SameSite cookies and a readable CSRF cookie', async () => {
    const c = env.anon();
    const res = await c.post('/api/auth/login', { username: 'teacher', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.username).toBe('teacher');
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]);
    const sid = setCookie.find((h) => h.startsWith('xl_sid='))!;
    const csrf = setCookie.find((h) => h.startsWith('xl_csrf='))!;
    expect(sid).toMatch(/HttpOnly/i);
    expect(sid).toMatch(/SameSite=Lax/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(res.json().csrfToken).toBe(c.csrf);
    const me = await c.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().grants.map((g: { role: string }) => g.role)).toEqual(['teacher']);
    // the session token is stored hashed, never as sent
    const rows = await env.database.db.selectFrom('sessions').select('id').execute();
    expect(rows.map((r) => r.id)).not.toContain(c.cookies.get('xl_sid'));
    // the sign-in is in the audit log under the person who signed in
    const entry = await env.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_name', 'ip'])
      .where('action', '=', 'auth.login')
      .where('entity_id', '=', 'u_teacher')
      .executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe('u_teacher');
    expect(entry.actor_name).toBeTruthy();
  });

  it('answers a wrong password and an unknown user alike, and records both', async () => {
    const wrong = await env.anon().post('/api/auth/login', { username: 'student', password: 'Wrong#Passw0rd' });
    const unknown = await env.anon().post('/api/auth/login', { username: 'nobody-here', password: 'Wrong#Passw0rd' });
    const a = expectProblem(wrong, 401, 'invalid_credentials');
    const b = expectProblem(unknown, 401, 'invalid_credentials');
    expect(a.detail).toBe(b.detail);
    expect(wrong.cookies).toHaveLength(0);
    const failures = await env.database.db.selectFrom('audit_log').select(['action', 'ip']).where('action', '=', 'auth.login_failed').execute();
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.every((f) => typeof f.ip === 'string' && f.ip.length > 0)).toBe(true);
  });

  it('requires a username and a password', async () => {
    expectProblem(await env.anon().post('/api/auth/login', { username: 'teacher' }), 400, 'validation_failed', ['password']);
    expectProblem(await env.anon().post('/api/auth/login', { username: 'teacher', password: 'x', remember: true }), 400, 'validation_failed', ['remember']);
  });

  it('backs off an account after the configured number of failures (429 + Retry-After), like an unknown user, and lets the owner in afterwards', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    for (let i = 1; i <= 3; i++) {
      expectProblem(await env.anon().post('/api/auth/login', { username: 'guardian', password: `Wrong#Pass${i}` }), 401, 'invalid_credentials');
      expectProblem(await env.anon().post('/api/auth/login', { username: 'no-such-user', password: `Wrong#Pass${i}` }), 401, 'invalid_credentials');
    }
    // the third failure started the back-off (LOGIN_MAX_FAILURES=3, LOGIN_BACKOFF_SECONDS=60): even the right
    // password waits, with the very answer an unknown user gets
    const waiting = expectProblem(await env.anon().post('/api/auth/login', { username: 'guardian', password: TEST_PASSWORD }), 429, 'too_many_attempts');
    const unknown = expectProblem(await env.anon().post('/api/auth/login', { username: 'no-such-user', password: TEST_PASSWORD }), 429, 'too_many_attempts');
    expect(waiting.detail).toBe(unknown.detail);
    expect(waiting.detail).toMatch(/60 秒/);
    vi.setSystemTime(t0 + 30_000);
    const later = await env.anon().post('/api/auth/login', { username: 'guardian', password: TEST_PASSWORD });
    expectProblem(later, 429, 'too_many_attempts');
    expect(later.headers['retry-after']).toBe('30');
    vi.setSystemTime(t0 + 61_000);
    const ok = await env.anon().post('/api/auth/login', { username: 'guardian', password: TEST_PASSWORD });
    expect(ok.statusCode).toBe(200);
    const backoff = await env.database.db.selectFrom('audit_log').select(['entity_id', 'detail']).where('action', '=', 'auth.backoff').execute();
    expect(backoff.map((l) => l.entity_id)).toContain('u_guardian');
    expect(JSON.parse(backoff.find((l) => l.entity_id === 'u_guardian')!.detail)).toMatchObject({ failures: 3, backoffSeconds: 60 });
  });

  it('logout ends the session on the server', async () => {
    const c = await env.login('reviewer');
    const stolen = c.cookies.get('xl_sid')!;
    const before = await countRows(env.database, 'sessions');
    const out = await c.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(await countRows(env.database, 'sessions')).toBe(before - 1);
    // a copy of the old cookie is worth nothing
    const replay = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `xl_sid=${stolen}` } });
    expect(replay.statusCode).toBe(401);
  });

  it('ends a session after the idle time (SESSION_IDLE_MINUTES)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const c = await env.login('partner');
    vi.setSystemTime(t0 + 20 * MIN);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    // activity moved the idle deadline: 20 + 25 minutes is still within 30 idle minutes of the last request
    vi.setSystemTime(t0 + 45 * MIN);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    vi.setSystemTime(t0 + 80 * MIN);
    expectProblem(await c.get('/api/auth/me'), 401, 'session_expired');
    // and the session is gone for good
    vi.setSystemTime(t0 + 81 * MIN);
    expectProblem(await c.get('/api/auth/me'), 401, 'unauthenticated');
  });

  it('ends a session after the absolute lifetime (SESSION_ABSOLUTE_HOURS) however active it is', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const c = await env.login('evaluator');
    for (let m = 25; m < 120; m += 25) {
      vi.setSystemTime(t0 + m * MIN);
      expect((await c.get('/api/auth/me')).statusCode, `after ${m} minutes`).toBe(200);
    }
    vi.setSystemTime(t0 + 121 * MIN);
    expectProblem(await c.get('/api/auth/me'), 401, 'session_expired');
  });

  it('refuses unsafe requests without the CSRF token, or with a wrong one, and changes nothing', async () => {
    const c = await env.login('bureau');
    const body = { regionId: 'r_0003', code: '3390102888', name: '跨站请求小学', type: 'primary', ownership: 'public', location: 'urban' };
    const before = await countRows(env.database, 'schools');
    expectProblem(await c.request({ method: 'POST', url: '/api/schools', json: body, headers: { 'x-csrf-token': '' } }), 403, 'csrf_failed');
    expectProblem(await c.request({ method: 'POST', url: '/api/schools', json: body, headers: { 'x-csrf-token': 'forged-token' } }), 403, 'csrf_failed');
    // the token of another session does not fit this one
    const other = await env.login('bureau');
    expectProblem(await c.request({ method: 'POST', url: '/api/schools', json: body, headers: { 'x-csrf-token': other.csrf! } }), 403, 'csrf_failed');
    const patch = await c.request({ method: 'PATCH', url: '/api/auth/me', json: { displayName: '伪造' }, headers: { 'x-csrf-token': 'nope' } });
    expectProblem(patch, 403, 'csrf_failed');
    expect(await countRows(env.database, 'schools')).toBe(before);
    expect((await c.get('/api/auth/me')).json().user.displayName).not.toBe('伪造');
    // with the token it works; safe methods never need it
    expect((await c.post('/api/schools', body)).statusCode).toBe(201);
    expect((await c.request({ method: 'GET', url: '/api/schools?pageSize=1', headers: { 'x-csrf-token': '' } })).statusCode).toBe(200);
  });

  it('forces a new user to change the initial password before anything else', async () => {
    const bureau = await env.login('bureau');
    const created = await bureau.post('/api/users', { username: 'new.teacher', displayName: '新教师', schoolId: 's_00003' });
    expect(created.statusCode).toBe(201);
    const initial = created.json().initialPassword as string;
    const u = await env.login('new.teacher', initial);
    const me = await u.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.mustChangePassword).toBe(true);
    expectProblem(await u.get('/api/schools'), 403, 'password_change_required');
    expectProblem(await u.get('/api/regions'), 403, 'password_change_required');
    expectProblem(await u.patch('/api/auth/me', { displayName: '改名' }), 403, 'password_change_required');
    // the policy applies to the new password
    expectProblem(await u.post('/api/auth/password', { currentPassword: initial, newPassword: 'short1A!' }), 400, 'weak_password', ['newPassword']);
    expectProblem(await u.post('/api/auth/password', { currentPassword: 'Wrong#Passw0rd', newPassword: 'Fresh#Passw0rd2' }), 400, 'wrong_password', [
      'currentPassword',
    ]);
    expect((await u.post('/api/auth/password', { currentPassword: initial, newPassword: 'Fresh#Passw0rd2' })).statusCode).toBe(204);
    expect((await u.get('/api/auth/me')).json().user.mustChangePassword).toBe(false);
    expect((await u.get('/api/regions')).statusCode).toBe(200);
    // the initial password no longer works, the new one does
    expectProblem(await env.anon().post('/api/auth/login', { username: 'new.teacher', password: initial }), 401, 'invalid_credentials');
    await env.login('new.teacher', 'Fresh#Passw0rd2');
  });

  it('enforces the password policy', async () => {
    const c = await env.login('student');
    const hash = () => env.database.db.selectFrom('users').select('password_hash').where('username', '=', 'student').executeTakeFirstOrThrow();
    const before = await hash();
    const weak: [string, string][] = [
      ['Ab1!', 'too short'],
      ['alllowercaseletters', 'one class'],
      ['lowercase1234567', 'two classes'],
      ['Student#2026abc', 'contains the username'],
      [TEST_PASSWORD, 'same as the current one'],
      [`${'A'.repeat(120)}b1!${'c'.repeat(10)}`, 'too long'],
    ];
    for (const [pw, why] of weak) {
      const res = await c.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: pw });
      expect(res.statusCode, why).toBe(400);
      expect(['weak_password', 'validation_failed'], why).toContain(res.json().code);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        why,
      ).toContain('newPassword');
    }
    expect(await hash()).toEqual(before);
  });

  it('a password change ends every other session of the user', async () => {
    const a = await env.login('principal2');
    const b = await env.login('principal2');
    expect((await b.get('/api/auth/me')).statusCode).toBe(200);
    expect((await a.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Rural#School2026' })).statusCode).toBe(204);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    const audit = await env.database.db.selectFrom('audit_log').select(['action', 'ip', 'actor_id']).where('action', '=', 'auth.password_change').execute();
    expect(audit).toContainEqual({ action: 'auth.password_change', ip: expect.any(String), actor_id: 'u_principal2' });
  });

  it('a disabled account cannot sign in and loses its sessions', async () => {
    const t = await env.login('teacher');
    const bureau = await env.login('bureau');
    expect((await bureau.patch('/api/users/u_teacher', { status: 'disabled' })).statusCode).toBe(200);
    expect((await t.get('/api/auth/me')).statusCode).toBe(401);
    const again = await env.anon().post('/api/auth/login', { username: 'teacher', password: TEST_PASSWORD });
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('account_disabled');
    // without the password nobody learns that the account exists and is disabled
    expectProblem(await env.anon().post('/api/auth/login', { username: 'teacher', password: 'Wrong#Passw0rd' }), 401, 'invalid_credentials');
  });

  it('explains each broken password rule in the language of the request', async () => {
    const c = await env.login('secretary');
    c.lang = 'en';
    const en = expectProblem(await c.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'secretary' }), 400, 'weak_password', [
      'newPassword',
    ]);
    const codes = en.errors!.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['password_too_short', 'password_too_simple', 'password_contains_username']));
    expect(en.errors!.map((f) => f.message).join(' ')).toMatch(/at least 10 characters/);
    expect(JSON.stringify(en)).not.toMatch(/[\u4e00-\u9fff]/);
    c.lang = 'zh-CN';
    const zh = expectProblem(await c.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'secretary' }), 400, 'weak_password', [
      'newPassword',
    ]);
    expect(zh.errors!.map((f) => f.message).join(' ')).toMatch(/至少 10 个字符/);
  });
});
