/**
 * The actor cache (modules/auth/actors.ts, ARCHITECTURE rule 12): a session's actor is reused without a
 * statement, a change of grants or sessions takes effect on the next request, and on another instance of
 * the same database within a second.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createDatabase, type Database } from '../../db/index.js';
import { Client, makeTestEnv, type TestEnv } from '../../testing.js';

describe('the actor cache', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv();
  });
  afterAll(async () => env?.close());

  it('serves repeated requests of a session from the cache', async () => {
    const teacher = await env.login('teacher');
    const stats = env.app.xl.auth.actors.stats;
    const before = { ...stats };
    for (let i = 0; i < 5; i++) expect((await teacher.get('/api/auth/me')).statusCode).toBe(200);
    expect(stats.hits - before.hits).toBeGreaterThanOrEqual(4);
    expect(stats.misses - before.misses).toBeLessThanOrEqual(1);
  });

  it('drops the cached actor when the account loses a grant, on the very next request', async () => {
    const principal = await env.login('principal');
    expect((await principal.get('/api/users?page=1&pageSize=5')).statusCode).toBe(200);
    // the grant goes away behind the service's back (psql, another instance): the trigger bumps the version
    const grants = await env.database.db.selectFrom('role_grants').selectAll().where('user_id', '=', 'u_principal').execute();
    await env.database.db.deleteFrom('role_grants').where('user_id', '=', 'u_principal').execute();
    try {
      expect((await principal.get('/api/users?page=1&pageSize=5')).statusCode).toBe(403);
    } finally {
      await env.database.db.insertInto('role_grants').values(grants).execute();
    }
    expect((await principal.get('/api/users?page=1&pageSize=5')).statusCode).toBe(200);
  });

  it('ends a session on a second instance within a second of its sign-out on the first', async () => {
    // a second instance of the same installation: its own connection and caches, checking every 300 ms
    const config = { ...env.config, cache: { checkMs: 300, actorMs: 5000 } };
    const database: Database = createDatabase(config);
    let other: FastifyInstance | undefined;
    try {
      other = await buildApp(config, { database, storage: env.storage, logger: false, migrate: false });
      await other.ready();
      const onA = await env.login('teacher');
      const onB = new Client(other);
      onB.cookies = new Map(onA.cookies);
      expect((await onB.get('/api/auth/me')).statusCode).toBe(200); // B caches the actor
      expect((await onA.post('/api/auth/logout')).statusCode).toBeLessThan(300);
      const started = Date.now();
      let status = 200;
      while (Date.now() - started < 3000) {
        status = (await onB.get('/api/auth/me')).statusCode;
        if (status === 401) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(401);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await other?.close();
      await database.close();
    }
  });
});
