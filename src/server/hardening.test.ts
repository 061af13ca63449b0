/**
 * Safe defaults (issues 9 and 11 of "safe to deploy"; 10, 11, 12 of "run it for real"): sign-in throttling
 * by account and by address that holds under concurrency and never locks the owner out for long; hardening
 * headers on every answer; /metrics only for the token or loopback; production settings that refuse unsafe
 * values; request ids; logs as JSON lines without calendar tokens, with the migrations applied on start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app.js';
import { describeDatabase, loadConfig } from './config.js';
import { createDatabase, ensureSchema } from './db/index.js';
import { LocalStorage } from './platform/storage.js';
import { seedDemo } from './seed/index.js';
import { makeTestEnv, TEST_PASSWORD, type Client, type TestEnv } from './testing.js';
import { expectProblem } from './testkit.js';

const OUTSIDER = '203.0.113.66';
const OWNER = '198.51.100.20';

async function throttleRow(env: TestEnv, key: string) {
  const r = await sql<{ failures: number; blocked_until_ms: number }>`select failures, blocked_until_ms from login_throttle where key = ${key}`.execute(
    env.database.db,
  );
  return r.rows[0] ? { failures: Number(r.rows[0].failures), blockedUntil: Number(r.rows[0].blocked_until_ms) } : undefined;
}

const loginFrom = (c: Client, ip: string, username: string, password: string) =>
  c.request({ method: 'POST', url: '/api/auth/login', json: { username, password }, remoteAddress: ip } as never);

describe('sign-in throttling', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv({
      env: { LOGIN_MAX_FAILURES: '5', LOGIN_IP_MAX_FAILURES: '12', LOGIN_BACKOFF_SECONDS: '2', LOGIN_LOCK_MINUTES: '1', LOGIN_DECAY_MINUTES: '10' },
    });
  });
  afterAll(async () => env.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts 40 wrong passwords sent at once one by one: only the free ones are checked, the rest get 429', async () => {
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => loginFrom(env.anon(), `192.0.2.${i + 1}`, 'teacher', `Wrong#Guess${i}`)));
    const codes = res.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(35);
    for (const r of res.filter((x) => x.statusCode === 429)) {
      expectProblem(r, 429, 'too_many_attempts');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // 2 s back-off (+1 s when a request waited for a connection before its turn)
      expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(3);
    }
    expect((await throttleRow(env, 'acct:teacher'))!.failures).toBe(5);
    // exactly five passwords were checked (each check leaves one audit row)
    const checked = await env.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', 'in', ['auth.login_failed', 'auth.backoff'])
      .where('entity_id', '=', 'u_teacher')
      .execute();
    expect(checked).toHaveLength(5);
  });

  it('an outsider slows the owner down but cannot keep them out: the back-off expires, the owner signs in and the count starts again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const outsider = env.anon();
    const answers: number[] = [];
    for (let i = 0; i < 30; i++) answers.push((await loginFrom(outsider, OUTSIDER, 'secretary', `Wrong#Guess${i}`)).statusCode);
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.slice(5).every((c) => c === 429)).toBe(true);
    // refused attempts do not count: the outsider did not push the back-off further
    expect((await throttleRow(env, 'acct:secretary'))!.failures).toBe(5);
    const owner = env.anon();
    const waiting = await loginFrom(owner, OWNER, 'secretary', TEST_PASSWORD);
    expectProblem(waiting, 429, 'too_many_attempts');
    const wait = Number(waiting.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    vi.setSystemTime(Date.now() + wait * 1000);
    expect((await loginFrom(owner, OWNER, 'secretary', TEST_PASSWORD)).statusCode).toBe(200);
    // the owner's success cleared the account's counter: the next wrong password is an ordinary failure
    expect(await throttleRow(env, 'acct:secretary')).toBeUndefined();
    expectProblem(await loginFrom(env.anon(), OUTSIDER, 'secretary', 'Wrong#Again1'), 401, 'invalid_credentials');
  });

  it("on a browser the owner signed in with before, an outsider's failures never make the owner wait", async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // the clock stands still: the 2 s back-offs last through the test
    const owner = env.anon();
    expect((await loginFrom(owner, OWNER, 'principal', TEST_PASSWORD)).statusCode).toBe(200);
    const device = owner.cookies.get('xl_dev');
    expect(device).toBeTruthy();
    for (let i = 0; i < 8; i++) await loginFrom(env.anon(), `192.0.2.${60 + i}`, 'principal', `Wrong#Guess${i}`);
    // the account is in its back-off for everybody else, also on a new browser of the owner…
    expectProblem(await loginFrom(env.anon(), OWNER, 'principal', TEST_PASSWORD), 429, 'too_many_attempts');
    // …but not on the browser the owner used before
    const again = env.anon();
    again.cookies.set('xl_dev', device!);
    expect((await loginFrom(again, OWNER, 'principal', TEST_PASSWORD)).statusCode).toBe(200);
    // a device cookie of another account is worth nothing for this one, and a made-up one neither
    const stranger = env.anon();
    stranger.cookies.set('xl_dev', device!);
    for (let i = 0; i < 6; i++) await loginFrom(stranger, '203.0.113.67', 'bureau', `Wrong#Guess${i}`);
    expectProblem(await loginFrom(stranger, '203.0.113.67', 'bureau', TEST_PASSWORD), 429, 'too_many_attempts');
    const forged = env.anon();
    forged.cookies.set('xl_dev', 'made-up-device-token');
    expectProblem(await loginFrom(forged, OWNER, 'bureau', TEST_PASSWORD), 429, 'too_many_attempts');
  });

  it("behind a school's shared address, strangers' failures do not hold up an owner on a browser they used before", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const school = '198.51.100.30';
    const owner = env.anon();
    expect((await loginFrom(owner, school, 'rural_teacher', TEST_PASSWORD)).statusCode).toBe(200);
    const device = owner.cookies.get('xl_dev')!;
    // many mistyped passwords of many accounts from the same NAT address put the address in back-off…
    for (let i = 0; i < 40; i++) await loginFrom(env.anon(), school, `colleague-${i}`, `Wrong#Typo${i}`);
    expectProblem(await loginFrom(env.anon(), school, 'rural_teacher', TEST_PASSWORD), 429, 'too_many_attempts');
    // …but the owner's known browser is counted on its own, and its sign-in gives the address nothing back
    const before = (await throttleRow(env, `ip:${school}`))!.failures;
    const again = env.anon();
    again.cookies.set('xl_dev', device);
    expect((await loginFrom(again, school, 'rural_teacher', TEST_PASSWORD)).statusCode).toBe(200);
    expect((await throttleRow(env, `ip:${school}`))!.failures).toBe(before);
  });

  it('backs off exponentially up to the ceiling, and a quiet account decays back to zero', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) await loginFrom(env.anon(), `192.0.2.${100 + i}`, 'reviewer', `Wrong#Guess${i}`);
    for (let round = 0; round < 8; round++) {
      const refused = await loginFrom(env.anon(), `192.0.2.${110 + round}`, 'reviewer', TEST_PASSWORD);
      expect(refused.statusCode).toBe(429);
      const w = Number(refused.headers['retry-after']);
      waits.push(w);
      vi.setSystemTime(Date.now() + w * 1000);
      expectProblem(await loginFrom(env.anon(), `192.0.2.${120 + round}`, 'reviewer', `Wrong#Again${round}`), 401, 'invalid_credentials');
    }
    // 2 s doubling, capped at LOGIN_LOCK_MINUTES (60 s)
    expect(waits).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
    // ten quiet minutes (LOGIN_DECAY_MINUTES) later the account starts from zero
    vi.setSystemTime(Date.now() + 11 * 60_000);
    expectProblem(await loginFrom(env.anon(), '192.0.2.200', 'reviewer', 'Wrong#Later1'), 401, 'invalid_credentials');
    expect((await throttleRow(env, 'acct:reviewer'))!.failures).toBe(1);
    expect((await loginFrom(env.anon(), '192.0.2.201', 'reviewer', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('throttles one address that sprays many usernames, and only that address', async () => {
    const sprayer = '203.0.113.99';
    const names = Array.from({ length: 12 }, (_, i) => `spray-${i}`);
    for (const n of names) expectProblem(await loginFrom(env.anon(), sprayer, n, 'Wrong#Spray1'), 401, 'invalid_credentials');
    const blocked = await loginFrom(env.anon(), sprayer, 'spray-new', 'Wrong#Spray1');
    expectProblem(blocked, 429, 'too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // even a right password from that address waits; another address is not affected
    expectProblem(await loginFrom(env.anon(), sprayer, 'partner', TEST_PASSWORD), 429, 'too_many_attempts');
    expect((await loginFrom(env.anon(), '198.51.100.77', 'partner', TEST_PASSWORD)).statusCode).toBe(200);
    expect((await throttleRow(env, `ip:${sprayer}`))!.failures).toBe(12);
    // IPv6 clients are counted per /64
    for (let i = 0; i < 12; i++) await loginFrom(env.anon(), `2001:db8:1:2::${i + 1}`, `v6-${i}`, 'Wrong#Spray1');
    expectProblem(await loginFrom(env.anon(), '2001:db8:1:2:ffff::9', 'v6-x', 'Wrong#Spray1'), 429, 'too_many_attempts');
  });

  it('unknown usernames are throttled like real ones (the answer tells nothing)', async () => {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 7; i++) {
      a.push((await loginFrom(env.anon(), `192.0.2.${210 + i}`, 'guardian', `Wrong#G${i}`)).statusCode);
      b.push((await loginFrom(env.anon(), `192.0.2.${220 + i}`, 'no-such-person', `Wrong#G${i}`)).statusCode);
    }
    expect(a).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(b).toEqual(a);
  });
});

describe('headers, metrics, request ids, cookies behind a proxy', () => {
  let env: TestEnv;
  const token = crypto.randomBytes(24).toString('hex');
  beforeAll(async () => {
    env = await makeTestEnv({ env: { METRICS_TOKEN: token, TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(async () => env.close());

  const hardened = (res: { headers: Record<string, unknown> }, what: string) => {
    expect(res.headers['x-content-type-options'], what).toBe('nosniff');
    expect(res.headers['referrer-policy'], what).toBeTruthy();
    expect(String(res.headers['content-security-policy']), what).toMatch(/frame-ancestors/);
  };

  it('sets CSP, X-Frame-Options, nosniff and Referrer-Policy on pages, API answers, errors and downloads', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/' });
    hardened(page, '/');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const docs = await env.app.inject({ method: 'GET', url: '/api/docs/' });
    hardened(docs, '/api/docs/');
    const csp = String(docs.headers['content-security-policy']);
    for (const d of ["script-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
    const admin = await env.login('admin');
    const api = await admin.get('/api/auth/me');
    hardened(api, '/api/auth/me');
    expect(api.headers['x-frame-options']).toBe('DENY');
    hardened(await env.anon().get('/api/schools'), '401');
    hardened(await admin.get('/api/no-such-route'), '404');
    // a document download
    const doc = await env.database.db
      .selectFrom('document_versions')
      .select(['document_id', 'version'])
      .orderBy('document_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const file = await admin.get(`/api/documents/${doc.document_id}/versions/${doc.version}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment/);
    hardened(file, 'document download');
    expect(file.headers['x-frame-options']).toBe('DENY');
    // an inline preview may be framed by the app itself, by nobody else
    const rf = await env.database.db
      .selectFrom('resource_files as f')
      .innerJoin('resource_versions as v', 'v.id', 'f.version_id')
      .innerJoin('resources as r', 'r.current_version_id', 'v.id')
      .select(['r.id as rid', 'f.id as fid'])
      .where('f.mime', '=', 'application/pdf')
      .limit(1)
      .executeTakeFirst();
    if (rf) {
      const preview = await admin.get(`/api/resources/${rf.rid}/files/${rf.fid}/preview`);
      expect(preview.statusCode).toBe(200);
      hardened(preview, 'preview');
      expect(preview.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(String(preview.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
    }
  });

  it('/metrics answers only the token holder or this machine', async () => {
    const outside = await env.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.5' });
    expectProblem(outside, 401, 'unauthenticated');
    expect(outside.headers['www-authenticate']).toMatch(/^Bearer/);
    expectProblem(
      await env.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.5', headers: { authorization: 'Bearer wrong-token-wrong-token' } }),
      403,
      'forbidden',
    );
    // a local reverse proxy forwarding someone from outside is not "this machine"
    expectProblem(await env.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.5' } }), 401, 'unauthenticated');
    const withToken = await env.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.5', headers: { authorization: `Bearer ${token}` } });
    expect(withToken.statusCode).toBe(200);
    const local = await env.app.inject({ method: 'GET', url: '/metrics' });
    expect(local.statusCode).toBe(200);
    // event-loop lag, build and (PostgreSQL) pool figures
    expect(local.body).toMatch(/^xiaolian_nodejs_eventloop_lag_seconds \d/m);
    expect(local.body).toMatch(/^xiaolian_nodejs_eventloop_lag_p99_seconds \d/m);
    const [version, commit] = env.config.version.split('+');
    expect(local.body).toContain(`xiaolian_build_info{version="${version}",commit="${commit}"} 1`);
    if (env.database.dialect === 'postgres') {
      for (const s of ['total', 'idle', 'waiting']) expect(local.body).toMatch(new RegExp(`^xiaolian_db_pool_connections\\{state="${s}"\\} \\d+`, 'm'));
    } else {
      expect(local.body).not.toContain('xiaolian_db_pool_connections');
    }
  });

  it('keeps a client request id only when it matches the strict pattern', async () => {
    const idOf = async (id: string) => {
      const res = await env.app.inject({ method: 'GET', url: '/api/schools/none', headers: { 'x-request-id': id } });
      expect(res.headers['x-request-id']).toBe(JSON.parse(res.body).requestId);
      return String(res.headers['x-request-id']);
    };
    expect(await idOf('trace-123')).toBe('trace-123');
    expect(await idOf('0af7651916cd43dd8448eb211c80319c')).toBe('0af7651916cd43dd8448eb211c80319c');
    for (const bad of ['abc', 'a b c d e f g h', 'x'.repeat(65), '请求编号请求编号请求编号', '../../etc/passwd', 'id-12345\n{"level":60}', '"quoted-id"']) {
      const got = await idOf(bad);
      expect(got, bad).not.toBe(bad);
      expect(got).toMatch(/^[0-9a-z]{10}[A-Za-z0-9_-]{12}$/);
    }
  });

  it('cookies are Secure when a trusted proxy says https, and the audit records the address it forwards', async () => {
    const login = (headers: Record<string, string>, remoteAddress?: string) =>
      env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'student', password: TEST_PASSWORD },
        headers,
        ...(remoteAddress ? { remoteAddress } : {}),
      });
    const sid = (res: { headers: Record<string, unknown> }) =>
      ([] as string[]).concat(res.headers['set-cookie'] as string[]).find((c) => c.startsWith('xl_sid='))!;
    expect(sid(await login({}))).not.toMatch(/;\s*Secure/i);
    const proxied = await login({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.41' });
    expect(sid(proxied)).toMatch(/;\s*Secure/i);
    // the same headers from a client that is not the proxy are not believed
    const direct = await login({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.42' }, '203.0.113.8');
    expect(sid(direct)).not.toMatch(/;\s*Secure/i);
    const ips = (
      await env.database.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.login').where('entity_id', '=', 'u_student').execute()
    ).map((r) => r.ip);
    expect(ips).toContain('198.51.100.41');
    expect(ips).toContain('203.0.113.8');
    expect(ips).not.toContain('198.51.100.42');
  });
});

describe('configuration', () => {
  const prod = { NODE_ENV: 'production', PUBLIC_URL: 'https://xl.edu.example.cn', DATA_DIR: '/tmp/xl-config-test' };

  it('refuses unsafe production settings with a message that says what to do', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL: required/);
    expect(() => loadConfig({ ...prod, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY.*proxy's address/);
    expect(() => loadConfig({ ...prod, TRUST_PROXY: '10.0.0.5,nginx' })).toThrow(/nginx is not an IP address or CIDR/);
    expect(() => loadConfig({ ...prod, SEED_ON_START: '1' })).toThrow(/SEED_ON_START=1.*create-admin/);
    expect(() => loadConfig({ ...prod, SEED_ON_START: '1', DEMO_PASSWORD: 'Xiaolian@2026' })).toThrow(/published password/);
  });

  it('production defaults are safe', () => {
    const c = loadConfig({ ...prod, TRUST_PROXY: '127.0.0.1, 10.0.0.0/24' });
    expect(c.production).toBe(true);
    expect(c.host).toBe('127.0.0.1');
    expect(c.seedOnStart).toBe(false);
    expect(c.secureCookies).toBe(true);
    expect(c.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/24']);
    expect(c.demoMustChangePassword).toBe(true);
    // a private demo password makes a demonstration server possible, its accounts must change it
    const demo = loadConfig({ ...prod, SEED_ON_START: '1', DEMO_PASSWORD: 'Private#Demo2026' });
    expect(demo.seedOnStart).toBe(true);
    expect(loadConfig({ ...prod, PUBLIC_URL: 'http://xl.intranet' }).warnings.join(' ')).toMatch(/not https/);
  });

  it('outside production: loopback, no demo data unless asked, TRUST_PROXY=true only with a warning', () => {
    const c = loadConfig({ DATA_DIR: '/tmp/xl-config-test' });
    expect(c.production).toBe(false);
    expect(c.host).toBe('127.0.0.1');
    expect(c.seedOnStart).toBe(false);
    expect(c.demoMustChangePassword).toBe(false);
    const t = loadConfig({ DATA_DIR: '/tmp/xl-config-test', TRUST_PROXY: 'true' });
    expect(t.trustProxy).toBe(true);
    expect(t.warnings.join(' ')).toMatch(/TRUST_PROXY=true/);
  });

  it('reports the package version and the commit', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const c = loadConfig({ DATA_DIR: '/tmp/xl-config-test', GIT_COMMIT: 'abc1234def' });
    expect(c.version).toBe(`${pkg.version}+abc1234def`);
    expect(loadConfig({ DATA_DIR: '/tmp/xl-config-test' }).version).toMatch(new RegExp(`^${pkg.version.replace(/\./g, '\\.')}\\+[0-9a-f]{7,40}$|\\+unknown$`));
  });
});

describe('logs', () => {
  it('are JSON lines: migrations applied on start are logged, calendar tokens and sign-in codes never', async () => {
    const lines: string[] = [];
    let buf = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        buf += chunk.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        lines.push(...parts);
        cb();
      },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-logs-'));
    const schema = process.env.DATABASE_URL ? `t_${crypto.randomBytes(6).toString('hex')}` : undefined;
    const config = loadConfig({
      ...process.env,
      DATA_DIR: dir,
      LOG_LEVEL: 'info',
      DEMO_PASSWORD: TEST_PASSWORD,
      ...(schema ? { DATABASE_SCHEMA: schema } : {}),
    });
    const database = createDatabase(config);
    await ensureSchema(database, schema);
    const storage = new LocalStorage(path.join(dir, 'files'));
    const app = await buildApp(config, { database, storage, logStream: stream });
    try {
      await seedDemo(database, storage, { password: TEST_PASSWORD });
      await app.ready();
      const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
      expect(parsed().find((l) => l.msg === 'migrations applied')?.migrations).toEqual(expect.arrayContaining(['001_foundation', '007_signin']));

      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'teacher', password: TEST_PASSWORD } });
      const cookies = login.cookies as { name: string; value: string }[];
      const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = cookies.find((c) => c.name === 'xl_csrf')!.value;
      const tok = await app.inject({
        method: 'POST',
        url: '/api/calendar/tokens',
        payload: { kind: 'teacher', id: 'u_teacher' },
        headers: { cookie, 'x-csrf-token': csrf },
      });
      expect(tok.statusCode).toBe(201);
      const feedPath = new URL(tok.json().url).pathname;
      const secret = feedPath
        .split('/')
        .pop()!
        .replace(/\.ics$/, '');
      expect((await app.inject({ method: 'GET', url: feedPath })).statusCode).toBe(200);
      await app.inject({ method: 'GET', url: `/api/calendar/feed/${secret}x.ics` });
      await app.inject({ method: 'GET', url: '/api/auth/sso/callback?code=SECRETCODE123&state=SECRETSTATE456' });
      await app.inject({ method: 'GET', url: '/api/schools/none', headers: { 'x-request-id': 'bad id\nwith newline' } });
      await new Promise((r) => setTimeout(r, 50));

      const text = lines.join('\n');
      expect(lines.length).toBeGreaterThan(5);
      expect(() => parsed()).not.toThrow();
      expect(text).not.toContain(secret);
      expect(text).not.toContain('SECRETCODE123');
      expect(text).not.toContain('SECRETSTATE456');
      expect(parsed().some((l) => l.req?.url === '/api/calendar/feed/[redacted]')).toBe(true);
      // the refused request id is logged apart, as data
      expect(parsed().some((l) => l.req?.clientRequestId === 'bad id\nwith newline' && l.reqId !== 'bad id\nwith newline')).toBe(true);
    } finally {
      await app.close();
      if (schema) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('command line', () => {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (err += b));
      child.on('exit', (code) => resolve({ code, out, err }));
    });

  it('says which database each command uses, refuses a missing one, and seeds production demo accounts only with a private password that must be changed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-cli-'));
    const sqlite = path.join(dir, 'xiaolian.sqlite');
    const prod = { NODE_ENV: 'production', PUBLIC_URL: 'https://xl.example.cn', DATA_DIR: dir };
    try {
      const [admin, seedMissing] = await Promise.all([
        run(['create-admin', 'alice'], { DATA_DIR: dir }),
        run(['seed'], { ...prod, DEMO_PASSWORD: 'Private#Demo2026' }),
      ]);
      expect(admin.code).toBe(1);
      expect(admin.err).toContain(`database: sqlite ${sqlite}`);
      expect(admin.err).toMatch(/create-admin: refused — there is no database at/);
      expect(seedMissing.code).toBe(1);
      expect(seedMissing.err).toMatch(/seed: refused/);
      expect(fs.existsSync(sqlite)).toBe(false);

      expect((await run(['migrate'], prod)).code).toBe(0);
      const [publicSeed, seeded] = await Promise.all([run(['seed'], prod), run(['seed'], { ...prod, DEMO_PASSWORD: 'Private#Demo2026' })]);
      expect(publicSeed.code).toBe(1);
      expect(publicSeed.err).toMatch(/published password/);
      expect(seeded.code, seeded.err).toBe(0);
      expect(seeded.err).toMatch(/DEMO DATA SEEDED/);
      const created = await run(['create-admin', 'alice'], prod);
      expect(created.code, created.err).toBe(0);
      expect(created.err).toContain(`database: sqlite ${sqlite} (NODE_ENV=production)`);
      const database = createDatabase({ sqlitePath: sqlite });
      try {
        const rows = await database.db.selectFrom('users').select(['username', 'must_change_password']).execute();
        expect(rows.length).toBeGreaterThan(10);
        expect(rows.filter((r) => r.must_change_password !== 1)).toEqual([]);
      } finally {
        await database.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('names a PostgreSQL target without its password', () => {
    expect(describeDatabase({ databaseUrl: 'postgres://xiaolian:s3cret@db.internal:5432/xiaolian', sqlitePath: '' })).toBe(
      'postgres db.internal:5432/xiaolian (user xiaolian)',
    );
    expect(describeDatabase({ databaseUrl: 'postgres://xiaolian:s3cret@db.internal/xl', databaseSchema: 'tenant1', sqlitePath: '' })).not.toContain('s3cret');
  });
});
