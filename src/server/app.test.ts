/** Operations and the API's contract: /healthz, /metrics, OpenAPI, and problem+json errors in zh-CN / en. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEnv, type Client, type TestEnv } from './testing.js';
import { expectProblem } from './testkit.js';

describe('app', () => {
  let env: TestEnv;
  let bureau: Client;
  beforeAll(async () => {
    env = await makeTestEnv();
    bureau = await env.login('bureau');
  });
  afterAll(async () => env.close());

  it('GET /healthz reports status, database kind and version', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'sqlite', version: env.config.version });
  });

  it('GET /metrics speaks Prometheus and counts requests per route', async () => {
    await bureau.get('/api/schools?pageSize=1');
    const res = await env.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/# TYPE xiaolian_http_requests_total counter/);
    const line = res.body
      .split('\n')
      .find((l) => l.startsWith('xiaolian_http_requests_total') && l.includes('route="/api/schools"') && l.includes('status="200"'));
    expect(line).toBeTruthy();
    expect(Number(line!.split(' ').pop())).toBeGreaterThanOrEqual(1);
    expect(res.body).toMatch(/xiaolian_http_request_duration_seconds_bucket/);
  });

  it('GET /api/openapi.json describes every API route the app registered', async () => {
    const res = await env.anon().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const missing: string[] = [];
    for (const r of env.app.xl.routes) {
      if (r.url === '/api/openapi.json') continue;
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      if (!doc.paths?.[p]?.[r.method.toLowerCase()]) missing.push(`${r.method} ${r.url}`);
    }
    expect(missing).toEqual([]);
    expect(env.app.xl.routes.length).toBeGreaterThan(50);
    // bodies and queries are described by their schemas
    const create = doc.paths['/api/schools'].post;
    expect(create.requestBody.content['application/json'].schema.properties).toHaveProperty('code');
    expect(doc.paths['/api/schools'].get.parameters.map((p: { name: string }) => p.name)).toContain('regionId');
    // and the docs page is served
    const docs = await env.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
  });

  it('errors are problem+json with a stable code, the fields, and a message in the asked language', async () => {
    const body = { regionId: 'r_0003', code: '12', name: 'x', type: 'primary', ownership: 'public', location: 'urban', extra: true };
    bureau.lang = 'zh-CN';
    const zh = expectProblem(await bureau.post('/api/schools', body), 400, 'validation_failed', ['code', 'name', 'extra']);
    bureau.lang = 'en-US,en;q=0.9';
    const en = expectProblem(await bureau.post('/api/schools', body), 400, 'validation_failed', ['code', 'name', 'extra']);
    bureau.lang = 'zh-CN';
    expect(zh.detail).toMatch(/[\u4e00-\u9fff]/);
    expect(en.detail).not.toMatch(/[\u4e00-\u9fff]/);
    expect(en.detail).toBe('Some fields are invalid');
    // same codes, different words
    expect(zh.errors!.map((e) => [e.field, e.code])).toEqual(en.errors!.map((e) => [e.field, e.code]));
    const nameZh = zh.errors!.find((e) => e.field === 'name')!.message;
    const nameEn = en.errors!.find((e) => e.field === 'name')!.message;
    expect(nameZh).toContain('至少');
    expect(nameEn).toContain('at least');
    expect(zh.errors!.find((e) => e.field === 'extra')!.code).toBe('unknown_field');

    const anonEn = env.anon();
    anonEn.lang = 'en';
    const unauth = expectProblem(await anonEn.get('/api/schools'), 401, 'unauthenticated');
    expect(unauth.detail).toBe('Please sign in');
    expect(expectProblem(await env.anon().get('/api/schools'), 401, 'unauthenticated').detail).toBe('请先登录');
    const nf = await bureau.get('/api/schools/s_nowhere');
    expect(expectProblem(nf, 404, 'not_found').detail).toBe('未找到该学校');
    const route = await bureau.get('/api/no-such-thing');
    expectProblem(route, 404, 'route_not_found');
    const json = JSON.parse(route.body);
    expect(json.type).toBe('urn:xiaolian:error:route_not_found');
    const malformed = await bureau.request({
      method: 'PATCH',
      url: '/api/auth/me',
      payload: '{"displayName":',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(malformed, 400, 'malformed_json', ['body']);
    const empty = await bureau.request({ method: 'PATCH', url: '/api/auth/me', payload: '', headers: { 'content-type': 'application/json' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toMatch(/problem\+json/);
    // every problem carries the request id, and a caller's id is kept
    const traced = await bureau.request({ method: 'GET', url: '/api/schools/s_nowhere', headers: { 'x-request-id': 'trace-123' } });
    expect(JSON.parse(traced.body).requestId).toBe('trace-123');
  });

  it('a body above the limit is refused with 413', async () => {
    const big = JSON.stringify({ displayName: 'x'.repeat(2 * 1024 * 1024) });
    const res = await bureau.request({ method: 'PATCH', url: '/api/auth/me', payload: big, headers: { 'content-type': 'application/json' } });
    expectProblem(res, 413, 'payload_too_large');
  });
});
