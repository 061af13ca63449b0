/**
 * Grants and account status take effect on the very next request of an existing session, even with the
 * directory's version check and the actor cache set to their longest (5 s): the users service invalidates the
 * directory after its commit, so this process reads the session again at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { expectProblem } from '../../testkit.js';

describe('users: grants and status reach existing sessions at once', () => {
  let env: TestEnv;
  let bureau: Client;

  beforeAll(async () => {
    env = await makeTestEnv({ env: { CACHE_CHECK_MS: '5000', ACTOR_CACHE_MS: '60000' } });
    bureau = await env.login('bureau');
  });
  afterAll(async () => env.close());

  /** A new bureau admin of r_0004, signed in, its initial password changed. */
  async function bureauAdmin(username: string) {
    const created = (await bureau.post('/api/users', { username, displayName: '青山管理员', regionId: 'r_0004' })).json();
    const user = (await bureau.post(`/api/users/${created.user.id}/grants`, { role: 'bureau_admin', scopeType: 'region', scopeId: 'r_0004' })).json();
    const c = await env.login(username, created.initialPassword);
    expect((await c.post('/api/auth/password', { currentPassword: created.initialPassword, newPassword: 'Qingshan#2026x' })).statusCode).toBe(204);
    return { c, userId: created.user.id as string, grantId: user.grants[0].id as string };
  }

  it('a revoked grant takes effect on the very next request of the holder’s session', async () => {
    const { c, grantId } = await bureauAdmin('qs.revoke');
    expect((await c.get('/api/regions/r_0004/overview')).statusCode).toBe(200);
    // the cache is really in use: the same request again is served without reading the grants anew
    const before = env.app.xl.auth.actors.stats.hits;
    expect((await c.get('/api/regions/r_0004/overview')).statusCode).toBe(200);
    expect(env.app.xl.auth.actors.stats.hits).toBeGreaterThan(before);
    expect((await bureau.request({ method: 'DELETE', url: `/api/grants/${grantId}` })).statusCode).toBe(204);
    expectProblem(await c.get('/api/regions/r_0004/overview'), 403, 'forbidden');
  });

  it('disabling a user ends its sessions: the next request is signed out', async () => {
    const { c, userId } = await bureauAdmin('qs.disable');
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    const sessions = () => env.database.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();
    expect((await sessions()).length).toBe(1);
    expect((await bureau.patch(`/api/users/${userId}`, { status: 'disabled' })).statusCode).toBe(200);
    expect(await sessions()).toEqual([]);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('a password reset ends the sessions too', async () => {
    const { c, userId } = await bureauAdmin('qs.reset');
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    expect((await bureau.post(`/api/users/${userId}/reset-password`)).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });
});
