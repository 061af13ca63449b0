/**
 * Single sign-on by OpenID Connect: authorization code flow with PKCE (S256), state and nonce.
 *
 * - Configured by environment (OIDC_* in config.ts); disabled when OIDC_ISSUER / OIDC_CLIENT_ID are unset.
 * - The provider is discovered lazily on first use and the result is cached in the process; a failed
 *   discovery is not cached, so the next sign-in retries.
 * - The pending flow (PKCE verifier, nonce, return path) lives in the `auth_flows` table keyed by the
 *   sha-256 of `state`, so any instance behind a load balancer can finish a flow another one started.
 *   A flow is single-use (deleted on the first callback that names it) and expires after FLOW_MINUTES.
 *   The state is also bound to the browser that started the flow by a short-lived httpOnly cookie
 *   (`xl_sso`), which stops an attacker from planting their own sign-in in a victim's browser.
 * - The local account is found by matching the claim OIDC_MATCH_CLAIM (from the ID token, or from the
 *   userinfo endpoint when the ID token does not carry it) against the user column OIDC_MATCH_FIELD.
 *   Accounts are never created by sign-on: an unknown identity is refused.
 * - Success opens the same kind of DB session as the password login (cookies xl_sid + xl_csrf), with
 *   `via = 'oidc'`. Such sessions are NOT held to the forced initial password change: the user proved
 *   who they are at the identity provider and did not use the local initial password (the local
 *   password still has to be changed before it can be used for a password sign-in).
 * - Failures on the browser routes redirect to /login?sso_error=<code> and write an audit entry.
 */
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import type { Config } from '../../config.js';
import { nowIso, type Db } from '../../db/index.js';
import { audit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import type { AuthService, SignInClient } from './service.js';

/** Cookie binding a pending flow to the browser that started it. */
export const FLOW_COOKIE = 'xl_sso';
export const CALLBACK_PATH = '/api/auth/sso/callback';
/** How long a started sign-in may take at the identity provider. */
export const FLOW_MINUTES = 10;
/** Network timeout for calls to the identity provider, in seconds. */
const PROVIDER_TIMEOUT_S = 10;

/** Reasons a sign-on fails; sent to the login page as `sso_error`. */
export const SSO_ERRORS = [
  'provider_unavailable', // the identity provider cannot be reached (discovery, token or userinfo call)
  'provider_error', // the identity provider answered with an error (e.g. the user refused)
  'invalid_state', // unknown, used, tampered state, or a callback in another browser than the start
  'expired', // the sign-in took longer than FLOW_MINUTES
  'token_invalid', // code exchange or ID token validation failed (issuer, audience, nonce, signature…)
  'claim_missing', // the configured claim is not in the ID token nor the userinfo
  'no_account', // no local account has that value
  'account_disabled', // the local account is disabled
] as const;
export type SsoError = (typeof SSO_ERRORS)[number];

export class SsoFailure extends Error {
  constructor(
    readonly code: SsoError,
    readonly detail: Record<string, unknown> = {},
    readonly user?: { id: string; region_id: string | null; school_id: string | null },
  ) {
    super(code);
  }
}

/**
 * A same-site relative path to come back to after signing in, or "/" for anything else (absolute or
 * protocol-relative URLs, backslashes, control characters, the login page itself).
 */
export function safeReturnTo(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 1000) return '/';
  if (!v.startsWith('/') || v.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(v)) return '/';
  try {
    const base = 'http://xiaolian.invalid';
    const u = new URL(v, base);
    if (u.origin !== base) return '/';
    const out = u.pathname + u.search + u.hash;
    if (out === '/login' || out.startsWith('/login?') || out.startsWith('/login/') || out.startsWith('/api/')) return '/';
    return out;
  } catch {
    return '/';
  }
}

/** Whether an error means the provider could not be reached (as opposed to a refused answer). */
function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const x = e as { name?: string; code?: string; message?: string };
    if (x.name === 'AbortError' || x.name === 'TimeoutError') return true;
    if (x.name === 'TypeError' && /fetch failed/i.test(x.message ?? '')) return true;
    if (typeof x.code === 'string' && /^(ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR)/.test(x.code)) return true;
    // openid-client: a non-JSON / 5xx answer from the provider
    if (x.code === 'OAUTH_RESPONSE_IS_NOT_JSON' || x.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') return true;
  }
  return false;
}

function normalizePhone(v: string): string {
  const d = v.replace(/[\s-]/g, '');
  return d.replace(/^\+?86(?=1\d{10}$)/, '');
}

/** The callback request as the service needs it (the route builds it): its URL, address, browser and id. */
export interface SsoCallback extends SignInClient {
  url: string;
  requestId: string;
  warn: (detail: Record<string, unknown>, msg: string) => void;
}

export class SsoService {
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly auth: AuthService,
  ) {}

  get settings() {
    return this.config.oidc;
  }

  get redirectUri(): string {
    return new URL(CALLBACK_PATH, this.config.publicUrl).toString();
  }

  /** Provider metadata and client configuration, discovered once and shared by concurrent requests. */
  provider(): Promise<oidc.Configuration> {
    const s = this.settings;
    if (!s) return Promise.reject(new AppError(404, 'sso_disabled'));
    this.discovered ??= (async () => {
      const execute = s.allowHttp ? [oidc.allowInsecureRequests] : [];
      const found = await oidc.discovery(new URL(s.issuer), s.clientId, undefined, oidc.None(), { execute, timeout: PROVIDER_TIMEOUT_S });
      const meta = found.serverMetadata();
      // client authentication: basic unless the provider only offers post (basic is the OIDC default)
      const methods = meta.token_endpoint_auth_methods_supported;
      const clientAuth = !s.clientSecret
        ? oidc.None()
        : !methods || methods.includes('client_secret_basic') || !methods.includes('client_secret_post')
          ? oidc.ClientSecretBasic(s.clientSecret)
          : oidc.ClientSecretPost(s.clientSecret);
      const cfg = new oidc.Configuration(meta, s.clientId, s.clientSecret ? { client_secret: s.clientSecret } : {}, clientAuth);
      if (s.allowHttp) oidc.allowInsecureRequests(cfg);
      cfg.timeout = PROVIDER_TIMEOUT_S;
      return cfg;
    })();
    this.discovered.catch(() => {
      this.discovered = null;
    });
    return this.discovered;
  }

  /** Records a new flow and returns the provider's authorization URL and the browser-binding value. */
  async start(returnTo: string): Promise<{ url: URL; state: string }> {
    const s = this.settings!;
    const cfg = await this.provider();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const challenge = await oidc.calculatePKCECodeChallenge(verifier);
    const now = nowIso();
    await this.db.deleteFrom('auth_flows').where('expires_at', '<=', now).execute();
    await this.db
      .insertInto('auth_flows')
      .values({
        id: sha256(state),
        code_verifier: verifier,
        nonce,
        return_to: returnTo,
        created_at: now,
        expires_at: new Date(Date.now() + FLOW_MINUTES * 60_000).toISOString(),
      })
      .execute();
    const url = oidc.buildAuthorizationUrl(cfg, {
      response_type: 'code',
      redirect_uri: this.redirectUri,
      scope: s.scopes,
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return { url, state };
  }

  /**
   * Completes a flow from the callback URL. Throws SsoFailure with a reason code; the flow named by
   * `state` is consumed in any case.
   */
  async finish(
    call: SsoCallback,
    query: { state?: string; code?: string; error?: string; error_description?: string },
    boundState: string | undefined,
  ): Promise<{ session: { token: string; csrf: string; userId: string }; returnTo: string }> {
    const s = this.settings!;
    if (!query.state) throw new SsoFailure('invalid_state', { cause: 'missing_state', providerError: query.error });
    // consume the flow: the delete decides, so two concurrent callbacks cannot both succeed
    const id = sha256(query.state);
    const flow = await this.db.selectFrom('auth_flows').selectAll().where('id', '=', id).executeTakeFirst();
    const del = flow ? await this.db.deleteFrom('auth_flows').where('id', '=', id).executeTakeFirst() : null;
    if (!flow || Number(del?.numDeletedRows ?? 0) !== 1) throw new SsoFailure('invalid_state', { cause: 'unknown_or_used_state' });
    const returnTo = safeReturnTo(flow.return_to);
    const fail = (code: SsoError, detail: Record<string, unknown> = {}, user?: SsoFailure['user']) =>
      Object.assign(new SsoFailure(code, detail, user), { returnTo });
    if (boundState !== query.state) throw fail('invalid_state', { cause: 'other_browser' });
    if (flow.expires_at <= nowIso()) throw fail('expired');
    if (query.error) throw fail('provider_error', { error: query.error.slice(0, 100), description: query.error_description?.slice(0, 300) });

    let cfg: oidc.Configuration;
    try {
      cfg = await this.provider();
    } catch (err) {
      throw fail('provider_unavailable', { error: String((err as Error).message ?? err).slice(0, 300) });
    }
    // the URL the provider sent the browser to: our redirect URI plus the response parameters
    const current = new URL(this.redirectUri);
    current.search = new URL(call.url, 'http://x').search;
    let claims: Record<string, unknown>;
    let subject: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(cfg, current, {
        pkceCodeVerifier: flow.code_verifier,
        expectedNonce: flow.nonce,
        expectedState: query.state,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('no ID token');
      subject = idClaims.sub;
      claims = { ...idClaims };
      if (claims[s.matchClaim] === undefined && tokens.access_token && cfg.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(cfg, tokens.access_token, subject);
        claims = { ...info, ...idClaims };
      }
    } catch (err) {
      call.warn({ err }, 'single sign-on: token exchange failed');
      const e = err as { code?: string; error?: string; message?: string };
      throw fail(isNetworkError(err) ? 'provider_unavailable' : 'token_invalid', {
        error: String(e.error ?? e.code ?? e.message ?? err).slice(0, 300),
      });
    }

    const raw = claims[s.matchClaim];
    const value = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
    if (!value) throw fail('claim_missing', { claim: s.matchClaim, sub: subject });

    const q = this.db.selectFrom('users').select(['id', 'display_name', 'status', 'region_id', 'school_id', 'oidc_subject']).limit(2);
    const users =
      s.matchField === 'email'
        ? await q.where(sql<string>`lower(email)`, '=', value.toLowerCase()).execute()
        : s.matchField === 'phone'
          ? await q.where('phone', '=', normalizePhone(value)).execute()
          : await q.where('username', '=', value).execute();
    const detail = { claim: s.matchClaim, value: value.slice(0, 200), field: s.matchField, sub: subject };
    if (users.length !== 1) throw fail('no_account', { ...detail, ...(users.length > 1 && { ambiguous: true }) });
    const user = users[0]!;
    if (user.status !== 'active') throw fail('account_disabled', detail, user);

    const session = await this.db.transaction().execute(async (tx) => {
      // remember the provider's subject for the account (traceability), unless another account holds it
      let subjectRecorded = user.oidc_subject === subject;
      if (!subjectRecorded) {
        const holder = await tx.selectFrom('users').select('id').where('oidc_subject', '=', subject).executeTakeFirst();
        subjectRecorded = !holder;
      }
      await tx
        .updateTable('users')
        .set({ last_login_at: nowIso(), ...(subjectRecorded && user.oidc_subject !== subject && { oidc_subject: subject }) })
        .where('id', '=', user.id)
        .execute();
      const sess = await this.auth.createSession(tx, call, user.id, 'oidc');
      await audit(tx, call, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        actor: { id: user.id, name: user.display_name },
        regionId: user.region_id,
        schoolId: user.school_id,
        detail: { via: 'oidc', ...detail, ...(user.oidc_subject && user.oidc_subject !== subject && { previousSub: user.oidc_subject }) },
      });
      return sess;
    });
    return { session, returnTo };
  }
}
