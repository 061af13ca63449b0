/**
 * Single sign-on against a real OpenID provider (the `oidc-provider` package) listening on a random local
 * port. The test plays the browser: it follows redirects by hand, keeps the provider's cookies in its own
 * jar and ours in the test Client, and completes the provider's login/consent interactions through
 * provider.interactionFinished with the account chosen by the test.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { safeReturnTo } from './sso.js';

const PUBLIC_URL = 'http://xiaolian.test';
const CALLBACK = `${PUBLIC_URL}/api/auth/sso/callback`;
const CLIENT_ID = 'xiaolian';
const CLIENT_SECRET = crypto.randomBytes(24).toString('base64url');

/** Accounts of the identity provider (accountId → claims). */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'idp-teacher': { preferred_username: 'teacher', name: '陈晓燕', email: 'Teacher@Demo.Xiaolian.Local', email_verified: true },
  'idp-reviewer': { preferred_username: 'reviewer', name: '周文博' },
  'idp-ghost': { preferred_username: 'ghost-nobody', name: '无此人' },
  'idp-anon': { name: '没有用户名' },
};

interface RunningProvider {
  issuer: string;
  /** account the next login interaction signs in as */
  next: { account: string };
  /** how many times the discovery document was fetched */
  discoveries: { count: number };
  close(): Promise<void>;
}

async function startProvider(port = 0): Promise<RunningProvider> {
  const next = { account: 'idp-teacher' };
  const discoveries = { count: 0 };
  let provider!: Provider;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/.well-known/openid-configuration')) discoveries.count++;
    if (req.url?.startsWith('/interaction/')) {
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(req, res, { login: { accountId: next.account } }, { mergeWithLastSubmission: false });
        } else {
          const grant = new provider.Grant({ accountId: details.session!.accountId!, clientId: String(details.params.client_id) });
          grant.addOIDCScope(String(details.params.scope));
          await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
        }
      })().catch((err) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [CALLBACK],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email', 'email_verified'] },
    findAccount: async (_ctx: unknown, id: string) => (ACCOUNTS[id] ? { accountId: id, claims: async () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined),
  });
  provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error', err));
  return {
    issuer,
    next,
    discoveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function ssoEnv(issuer: string, extra: Record<string, string> = {}) {
  return {
    PUBLIC_URL,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_ALLOW_HTTP: '1',
    OIDC_LABEL: '临川市统一身份认证',
    ...extra,
  };
}

/** Browser side at the provider: follows redirects with its own cookie jar until it is sent back to us. */
async function throughProvider(op: RunningProvider, authorizeUrl: string, account: string): Promise<string> {
  op.next.account = account;
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(PUBLIC_URL)) return url;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const expires = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='));
      if (!value || (expires && Date.parse(expires.slice(8)) < Date.now())) jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) throw new Error(`provider answered ${res.status}: ${await res.text()}`);
    url = new URL(location, url).toString();
  }
  throw new Error('too many redirects at the provider');
}

/** Starts a sign-in from our app and signs in at the provider; returns the callback path and state. */
async function signIn(_env: TestEnv, op: RunningProvider, client: Client, account: string, returnTo?: string) {
  const start = await client.get(`/api/auth/sso/start${returnTo !== undefined ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
  expect(start.statusCode).toBe(302);
  const authorize = new URL(String(start.headers.location));
  expect(authorize.origin).toBe(op.issuer);
  const back = new URL(await throughProvider(op, authorize.toString(), account));
  expect(back.origin + back.pathname).toBe(CALLBACK);
  return { authorize, callbackPath: back.pathname + back.search, state: back.searchParams.get('state')!, code: back.searchParams.get('code')! };
}

async function lastAudit(env: TestEnv, action: string) {
  return env.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirst();
}

const sessionCount = (env: TestEnv) => countRows(env.database, 'sessions');

describe('safeReturnTo', () => {
  it('keeps same-site relative paths and turns everything else into "/"', () => {
    expect(safeReturnTo('/alliances/a1?tab=members#top')).toBe('/alliances/a1?tab=members#top');
    expect(safeReturnTo('/schools')).toBe('/schools');
    for (const bad of [
      'https://evil.example/x',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      'schools',
      '',
      '/login',
      '/login?next=/x',
      '/api/auth/me',
      '/a\nb',
      undefined,
      42,
    ]) {
      expect(safeReturnTo(bad), String(bad)).toBe('/');
    }
  });
});

describe('single sign-on with a real OpenID provider', () => {
  let op: RunningProvider;
  let env: TestEnv;

  beforeAll(async () => {
    op = await startProvider();
    env = await makeTestEnv({ env: ssoEnv(op.issuer) });
  });
  afterAll(async () => {
    await env?.close();
    await op?.close();
  });

  it('tells the login page that it is enabled, with its display name', async () => {
    const res = await env.anon().get('/api/auth/sso');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ enabled: true, name: '临川市统一身份认证' });
  });

  it('signs in the matched account: code flow with PKCE, same session and cookies as the password login', async () => {
    const db = env.database.db;
    // the teacher still has an initial password: a single sign-on session is not held to change it
    await db.updateTable('users').set({ must_change_password: 1 }).where('username', '=', 'teacher').execute();
    const before = await sessionCount(env);
    const browser = env.anon();
    const { authorize, callbackPath } = await signIn(env, op, browser, 'idp-teacher', '/alliances?tab=members');
    const p = authorize.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(CLIENT_ID);
    expect(p.get('redirect_uri')).toBe(CALLBACK);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('state')?.length).toBeGreaterThanOrEqual(22);
    expect(p.get('nonce')?.length).toBeGreaterThanOrEqual(22);
    // the flow is stored server-side (any instance can finish it), not in the state itself
    expect(await db.selectFrom('auth_flows').select('id').where('return_to', '=', '/alliances?tab=members').execute()).toHaveLength(1);

    const cb = await browser.get(callbackPath);
    expect(cb.statusCode).toBe(302);
    expect(cb.headers.location).toBe('/alliances?tab=members');
    const setCookies = ([] as string[]).concat(cb.headers['set-cookie'] ?? []);
    const sid = setCookies.find((c) => c.startsWith('xl_sid='))!;
    expect(sid).toMatch(/HttpOnly/i);
    expect(sid).toMatch(/SameSite=Lax/i);
    expect(setCookies.find((c) => c.startsWith('xl_csrf='))).not.toMatch(/HttpOnly/i);
    expect(await sessionCount(env)).toBe(before + 1);

    const a = await lastAudit(env, 'auth.login');
    expect(a?.entity_id).toBe('u_teacher');
    expect(JSON.parse(a!.detail)).toMatchObject({ via: 'oidc', claim: 'preferred_username', value: 'teacher', sub: 'idp-teacher' });
    const me = await browser.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('teacher');
    expect(me.json().user.mustChangePassword).toBe(false);
    expect(me.json().csrfToken).toBe(browser.csrf);
    expect((await browser.get('/api/regions')).statusCode).toBe(200);
    // the same account signing in by password is still asked to change the initial password
    const pw = await env.login('teacher');
    expect((await pw.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    expect((await pw.get('/api/regions')).json().code).toBe('password_change_required');

    const session = await db.selectFrom('sessions').select('via').where('user_id', '=', 'u_teacher').where('via', '=', 'oidc').execute();
    expect(session).toHaveLength(1);
    const user = await db.selectFrom('users').select(['oidc_subject', 'last_login_at']).where('username', '=', 'teacher').executeTakeFirstOrThrow();
    expect(user.oidc_subject).toBe('idp-teacher');
    expect(user.last_login_at).not.toBeNull();
    // the flow is gone once used
    expect(await countRows(env.database, 'auth_flows')).toBe(0);
    await db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'teacher').execute();

    // unsafe requests of the SSO session need the CSRF header like any other session
    const noCsrf = await browser.request({ method: 'PATCH', url: '/api/auth/me', json: { locale: 'en-US' }, headers: { 'x-csrf-token': 'wrong' } });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('rejects a tampered state and opens no session', async () => {
    const browser = env.anon();
    const { callbackPath, state } = await signIn(env, op, browser, 'idp-teacher');
    const flipped = state.slice(0, -1) + (state.endsWith('A') ? 'B' : 'A');
    // keep the browser-binding cookie consistent with the tampered value: only the server-side flow can catch it
    browser.cookies.set('xl_sso', flipped);
    const before = await sessionCount(env);
    const cb = await browser.get(callbackPath.replace(`state=${state}`, `state=${flipped}`));
    expect(cb.statusCode).toBe(302);
    expect(cb.headers.location).toBe('/login?sso_error=invalid_state');
    expect(browser.cookies.has('xl_sid')).toBe(false);
    expect(await sessionCount(env)).toBe(before);
    expect((await browser.get('/api/auth/me')).statusCode).toBe(401);
    const a = await lastAudit(env, 'auth.sso_failed');
    expect(JSON.parse(a!.detail)).toMatchObject({ reason: 'invalid_state', cause: 'unknown_or_used_state' });
  });

  it('accepts a callback once: a replayed callback is rejected', async () => {
    const browser = env.anon();
    const { callbackPath, state } = await signIn(env, op, browser, 'idp-teacher');
    const first = await browser.get(callbackPath);
    expect(first.headers.location).toBe('/');
    expect(browser.cookies.has('xl_sid')).toBe(true);

    const attacker = env.anon();
    attacker.cookies.set('xl_sso', state); // even with the browser-binding cookie
    const before = await sessionCount(env);
    const replay = await attacker.get(callbackPath);
    expect(replay.statusCode).toBe(302);
    expect(replay.headers.location).toBe('/login?sso_error=invalid_state');
    expect(attacker.cookies.has('xl_sid')).toBe(false);
    expect(await sessionCount(env)).toBe(before);
  });

  it('refuses a callback in another browser than the one that started the sign-in', async () => {
    const starter = env.anon();
    const { callbackPath } = await signIn(env, op, starter, 'idp-teacher');
    const victim = env.anon();
    const before = await sessionCount(env);
    const cb = await victim.get(callbackPath);
    expect(cb.headers.location).toBe('/login?sso_error=invalid_state');
    expect(victim.cookies.has('xl_sid')).toBe(false);
    expect(await sessionCount(env)).toBe(before);
    // and the flow was consumed: the starter cannot use it afterwards either
    expect((await starter.get(callbackPath)).headers.location).toBe('/login?sso_error=invalid_state');
  });

  it('refuses an identity with no local account, and audits it', async () => {
    const browser = env.anon();
    const { callbackPath } = await signIn(env, op, browser, 'idp-ghost', '/schools');
    const before = await sessionCount(env);
    const cb = await browser.get(callbackPath);
    expect(cb.statusCode).toBe(302);
    expect(cb.headers.location).toBe('/login?sso_error=no_account&next=%2Fschools');
    expect(browser.cookies.has('xl_sid')).toBe(false);
    expect(await sessionCount(env)).toBe(before);
    const a = await lastAudit(env, 'auth.sso_failed');
    expect(JSON.parse(a!.detail)).toMatchObject({ reason: 'no_account', value: 'ghost-nobody', sub: 'idp-ghost' });
  });

  it('refuses a disabled account, and audits it against the account', async () => {
    const db = env.database.db;
    await db.updateTable('users').set({ status: 'disabled' }).where('username', '=', 'reviewer').execute();
    try {
      const browser = env.anon();
      const { callbackPath } = await signIn(env, op, browser, 'idp-reviewer');
      const cb = await browser.get(callbackPath);
      expect(cb.headers.location).toBe('/login?sso_error=account_disabled');
      expect(browser.cookies.has('xl_sid')).toBe(false);
      const a = await lastAudit(env, 'auth.sso_failed');
      expect(a?.entity_id).toBe('u_reviewer');
      expect(JSON.parse(a!.detail)).toMatchObject({ reason: 'account_disabled' });
    } finally {
      await db.updateTable('users').set({ status: 'active' }).where('username', '=', 'reviewer').execute();
    }
  });

  it('refuses an identity without the configured claim', async () => {
    const browser = env.anon();
    const { callbackPath } = await signIn(env, op, browser, 'idp-anon');
    const cb = await browser.get(callbackPath);
    expect(cb.headers.location).toBe('/login?sso_error=claim_missing');
    expect(browser.cookies.has('xl_sid')).toBe(false);
  });

  it('validates the nonce of the ID token and the PKCE verifier', async () => {
    const db = env.database.db;
    for (const [column, reason] of [
      ['nonce', 'nonce'],
      ['code_verifier', 'pkce'],
    ] as const) {
      const browser = env.anon();
      const { callbackPath, state } = await signIn(env, op, browser, 'idp-teacher');
      const id = crypto.createHash('sha256').update(state).digest('hex');
      await db
        .updateTable('auth_flows')
        .set({ [column]: crypto.randomBytes(32).toString('base64url') })
        .where('id', '=', id)
        .execute();
      const before = await sessionCount(env);
      const cb = await browser.get(callbackPath);
      expect(cb.headers.location, reason).toBe('/login?sso_error=token_invalid');
      expect(browser.cookies.has('xl_sid')).toBe(false);
      expect(await sessionCount(env)).toBe(before);
    }
  });

  it('refuses an expired flow', async () => {
    const browser = env.anon();
    const { callbackPath } = await signIn(env, op, browser, 'idp-teacher');
    await env.database.db
      .updateTable('auth_flows')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    const cb = await browser.get(callbackPath);
    expect(cb.headers.location).toBe('/login?sso_error=expired');
    expect(browser.cookies.has('xl_sid')).toBe(false);
  });

  it('passes on an error answered by the provider', async () => {
    const browser = env.anon();
    const start = await browser.get('/api/auth/sso/start?returnTo=/me');
    const state = new URL(String(start.headers.location)).searchParams.get('state')!;
    const cb = await browser.get(`/api/auth/sso/callback?error=access_denied&error_description=user+refused&state=${encodeURIComponent(state)}`);
    expect(cb.headers.location).toBe('/login?sso_error=provider_error&next=%2Fme');
    expect(JSON.parse((await lastAudit(env, 'auth.sso_failed'))!.detail)).toMatchObject({ reason: 'provider_error', error: 'access_denied' });
  });

  it('never sends the user to another site after signing in', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x']) {
      const browser = env.anon();
      const { callbackPath } = await signIn(env, op, browser, 'idp-teacher', returnTo);
      const cb = await browser.get(callbackPath);
      expect(cb.statusCode).toBe(302);
      expect(cb.headers.location).toBe('/');
      expect(browser.cookies.has('xl_sid')).toBe(true);
    }
  });

  it('discovered the provider once, lazily, for all the sign-ins above', () => {
    expect(op.discoveries.count).toBe(1);
  });

  it('answers malformed callback parameters with 400 problem+json naming the field', async () => {
    const browser = env.anon();
    const before = await countRows(env.database, 'audit_log');
    const res = await browser.get('/api/auth/sso/callback?code=a&state=one&state=two');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0].field).toBe('query.state');
    expect(await countRows(env.database, 'audit_log')).toBe(before);
  });

  it('matches by e-mail (case-insensitive) when configured so, with the claim read from userinfo', async () => {
    const env2 = await makeTestEnv({ env: ssoEnv(op.issuer, { OIDC_MATCH_CLAIM: 'email', OIDC_MATCH_FIELD: 'email' }) });
    try {
      const browser = env2.anon();
      const { callbackPath } = await signIn(env2, op, browser, 'idp-teacher');
      const cb = await browser.get(callbackPath);
      expect(cb.headers.location).toBe('/');
      expect((await browser.get('/api/auth/me')).json().user.username).toBe('teacher');
    } finally {
      await env2.close();
    }
  });
});

describe('single sign-on when the provider is down', () => {
  let env: TestEnv;
  let port: number;
  let op: RunningProvider | undefined;
  beforeAll(async () => {
    // a port that was free a moment ago: nothing answers there
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    env = await makeTestEnv({ seed: false, env: ssoEnv(`http://127.0.0.1:${port}`) });
  });
  afterAll(async () => {
    await env?.close();
    await op?.close();
  });

  it('answers 502 problem+json to an API client and redirects a browser to the login page, without crashing', async () => {
    const c = env.anon();
    const api = await c.get('/api/auth/sso/start');
    expect(api.statusCode).toBe(502);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json().code).toBe('sso_failed');
    expect(api.json().detail).toContain('身份认证服务暂时无法访问');

    const nav = await c.get('/api/auth/sso/start?returnTo=/schools', { accept: 'text/html,application/xhtml+xml' });
    expect(nav.statusCode).toBe(302);
    expect(nav.headers.location).toBe('/login?sso_error=provider_unavailable&next=%2Fschools');
    expect(await countRows(env.database, 'auth_flows')).toBe(0);

    expect((await c.get('/api/auth/sso')).json()).toMatchObject({ enabled: true });
    expect((await c.get('/healthz')).statusCode).toBe(200);
  });

  it('does not remember the failure: once the provider is up, sign-in starts', async () => {
    op = await startProvider(port);
    const res = await env.anon().get('/api/auth/sso/start');
    expect(res.statusCode).toBe(302);
    expect(String(res.headers.location)).toMatch(new RegExp(`^${op.issuer}/`));
  });
});

describe('single sign-on when not configured', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv({ seed: false });
  });
  afterAll(async () => env?.close());

  it('is reported disabled, and its routes answer 404 problem+json', async () => {
    const c = env.anon();
    expect((await c.get('/api/auth/sso')).json()).toMatchObject({ enabled: false });
    for (const url of ['/api/auth/sso/start?returnTo=/x', '/api/auth/sso/callback?code=x&state=y']) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('sso_disabled');
    }
  });
});
