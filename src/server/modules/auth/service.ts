import type { Config } from '../../config.js';
import type { Db } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, type FieldCode } from '../../platform/errors.js';
import { randomToken, sha256, newId } from '../../platform/ids.js';
import { hashPassword, passwordProblems, verifyPassword } from '../../platform/passwords.js';
import type { Actor, Grant } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { ActorCache, toGrant } from './actors.js';
import { endSession, endSessions } from './sessions.js';
import type { Directory } from '../org/directory.js';
import { type Admission, accountKey, admit, clearKey, deviceKey, forgiveOne, ipKey, purgeThrottle, rememberDevice } from './throttle.js';

export const SESSION_COOKIE = 'xl_sid';
export const CSRF_COOKIE = 'xl_csrf';

const addMinutes = (iso: string, m: number) => new Date(Date.parse(iso) + m * 60_000).toISOString();

// a real argon2id hash of a random string: unknown usernames cost the same time as wrong passwords
let dummyHash: Promise<string> | null = null;

/** 429 with Retry-After: the address or the account is in its back-off. */
function tooMany(attempt: SignInAttempt, retryMs: number, by: 'ip' | 'account'): AppError {
  const seconds = Math.ceil(retryMs / 1000);
  attempt.warn({ throttle: by, retryAfter: seconds }, 'sign-in throttled');
  return new ThrottledError(seconds);
}

/** An AppError that carries the Retry-After header (the error handler sends `headers`). */
export class ThrottledError extends AppError {
  readonly headers: Record<string, string>;
  constructor(seconds: number) {
    super(429, 'too_many_attempts', { seconds });
    this.headers = { 'retry-after': String(seconds) };
  }
}

/** Where a sign-in comes from: what a new session records (the request's address and browser). */
export interface SignInClient {
  ip: string | null;
  userAgent: string;
}

/** One sign-in attempt as the route sees it (auth/http.ts builds it from the request). */
export interface SignInAttempt extends SignInClient {
  requestId: string;
  /** the browser's device cookie (throttle.ts), if any */
  device: string | undefined;
  /** a warning line in the request's log */
  warn: (detail: Record<string, unknown>, msg: string) => void;
}

/** What a signed-in user may change about their own account. */
export interface ProfileChange {
  displayName?: string;
  email?: string | null;
  phone?: string | null;
  locale?: 'zh-CN' | 'en-US';
}

export class AuthService {
  readonly actors: ActorCache;
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    directory: Directory,
  ) {
    this.actors = new ActorCache(db, directory, { actorMs: config.cache.actorMs, idleMinutes: config.session.idleMinutes });
  }

  /**
   * Signs in with a password. Each attempt is counted against the client's address and the username before
   * the password is checked (throttle.ts); past the free failures the answer is 429 with Retry-After until
   * the back-off has passed. Unknown, disabled-looking and wrong-password attempts look alike.
   */
  async login(attempt: SignInAttempt, username: string, password: string): Promise<{ token: string; csrf: string; userId: string; device: string | null }> {
    const rules = this.config.login;
    const ipK = ipKey(attempt.ip ?? '');
    const account = accountKey(username);
    const device = attempt.device;
    // on a browser the owner signed in with before, this browser's own counter stands in for the account's
    const client: SignInClient = { ip: attempt.ip, userAgent: attempt.userAgent };
    const source = { ip: attempt.ip, requestId: attempt.requestId };
    const known = await deviceKey(this.db, device, account);
    const acctK = known ?? account;
    // A browser the owner signed in with is not counted against its address either: a school's teachers share
    // one NAT address, and strangers' typos there must not make the owner wait on their own device.
    const byIp: Admission = known ? { admitted: true, failures: 0, delayMs: 0 } : await admit(this.db, ipK, rules.ip);
    if (!byIp.admitted) throw tooMany(attempt, byIp.retryMs, 'ip');
    const byAccount = await admit(this.db, acctK, rules.account);
    if (!byAccount.admitted) {
      // a refused attempt checks nothing, so it counts for nothing
      if (!known) await forgiveOne(this.db, ipK, rules.ip);
      throw tooMany(attempt, byAccount.retryMs, 'account');
    }
    const user = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    const now = nowIso();
    // Unknown and wrong-password sign-ins get one and the same answer (and take as long), so the answer
    // never tells whether a username exists; the throttle counts both alike.
    let ok: boolean;
    if (!user) {
      dummyHash ??= hashPassword(randomToken(12));
      await verifyPassword(await dummyHash, password);
      ok = false;
    } else {
      ok = await verifyPassword(user.password_hash, password);
    }
    if (!user || !ok) {
      const backoff = Math.max(byAccount.delayMs, byIp.delayMs);
      await audit(this.db, source, {
        action: backoff > 0 ? 'auth.backoff' : 'auth.login_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        regionId: user?.region_id ?? null,
        schoolId: user?.school_id ?? null,
        detail: {
          username,
          reason: user ? 'wrong_password' : 'unknown_user',
          failures: byAccount.failures,
          ipFailures: byIp.failures,
          backoffSeconds: Math.ceil(backoff / 1000),
        },
      });
      throw new AppError(401, 'invalid_credentials');
    }
    // the password was right: the owner's account starts again from zero, the address gets this attempt back
    await clearKey(this.db, account);
    if (acctK !== account) await clearKey(this.db, acctK);
    if (!known) await forgiveOne(this.db, ipK, rules.ip);
    // only someone who knows the password learns that the account is disabled
    if (user.status !== 'active') throw new AppError(403, 'account_disabled');
    const newDevice = await rememberDevice(this.db, device, account);
    const session = await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', user.id).execute();
      const s = await this.createSession(tx, client, user.id, 'password');
      await audit(tx, source, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        actor: { id: user.id, name: user.display_name },
        regionId: user.region_id,
        schoolId: user.school_id,
        detail: { via: 'password' },
      });
      return s;
    });
    return { ...session, device: newDevice };
  }

  async createSession(tx: Db, client: SignInClient, userId: string, via: 'password' | 'oidc') {
    const token = randomToken(32);
    const csrf = randomToken(24);
    const now = nowIso();
    await tx
      .insertInto('sessions')
      .values({
        id: sha256(token),
        user_id: userId,
        csrf_token: csrf,
        created_at: now,
        last_seen_at: now,
        idle_expires_at: addMinutes(now, this.config.session.idleMinutes),
        expires_at: addMinutes(now, this.config.session.absoluteHours * 60),
        ip: client.ip,
        user_agent: client.userAgent.slice(0, 300),
        via,
      })
      .execute();
    return { token, csrf, userId };
  }

  /** The actor behind a session token, or a reason why there is none (cached per session, see actors.ts). */
  async actorFromToken(token: string): Promise<Actor | 'expired' | null> {
    return this.actors.get(sha256(token));
  }

  async grantsOf(userId: string): Promise<Grant[]> {
    const rows = await this.db.selectFrom('role_grants').select(['id', 'role', 'scope_type', 'scope_id', 'subject']).where('user_id', '=', userId).execute();
    return rows.map(toGrant);
  }

  async logout(ctx: Ctx) {
    const { actor } = ctx;
    await this.db.transaction().execute(async (tx) => {
      await endSession(tx, actor.sessionId);
      await audit(tx, ctx, { action: 'auth.logout', entityType: 'user', entityId: actor.userId, regionId: actor.regionId, schoolId: actor.schoolId });
    });
    this.actors.forget(actor.sessionId);
  }

  /** Ends a session this browser had before a new sign-in replaced it (single sign-on). */
  async replaceSession(previousToken: string, currentToken: string) {
    if (sha256(previousToken) === sha256(currentToken)) return;
    await endSession(this.db, sha256(previousToken));
    this.actors.forget(sha256(previousToken));
  }

  /** The signed-in user's own name, e-mail, phone and language. */
  async updateProfile(ctx: Ctx, b: ProfileChange) {
    const { actor } = ctx;
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('users')
        .set({
          ...(b.displayName !== undefined && { display_name: b.displayName }),
          ...(b.email !== undefined && { email: b.email }),
          ...(b.phone !== undefined && { phone: b.phone }),
          ...(b.locale !== undefined && { locale: b.locale }),
          updated_at: ctx.now.toISOString(),
        })
        .where('id', '=', actor.userId)
        .execute();
      await audit(tx, ctx, {
        action: 'user.update_self',
        entityType: 'user',
        entityId: actor.userId,
        regionId: actor.regionId,
        schoolId: actor.schoolId,
        detail: { fields: Object.keys(b) },
      });
    });
  }

  async changePassword(ctx: Ctx, current: string, next: string) {
    const { actor } = ctx;
    const user = await this.db
      .selectFrom('users')
      .select(['password_hash', 'username', 'region_id', 'school_id'])
      .where('id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    if (!(await verifyPassword(user.password_hash, current))) {
      throw new AppError(400, 'wrong_password', {}, [{ field: 'currentPassword', code: 'invalid', params: { reason: '' } }]);
    }
    checkPasswordPolicy(next, user.username, 'newPassword');
    if (await verifyPassword(user.password_hash, next)) {
      throw badRequest([{ field: 'newPassword', code: 'password_same_as_current' }], 'weak_password', { reasons: ['same_as_current'] });
    }
    const hashed = await hashPassword(next);
    await this.db.transaction().execute(async (tx) => {
      const now = ctx.now.toISOString();
      await tx
        .updateTable('users')
        .set({ password_hash: hashed, must_change_password: 0, password_changed_at: now, updated_at: now })
        .where('id', '=', actor.userId)
        .execute();
      // every other session of this user ends
      await endSessions(tx, actor.userId, { except: actor.sessionId });
      await audit(tx, ctx, { action: 'auth.password_change', entityType: 'user', entityId: actor.userId, regionId: user.region_id, schoolId: user.school_id });
    });
    // other sessions of the account ended, and must_change_password changed: read every session again
    this.actors.clear();
  }

  async purgeExpired() {
    const now = nowIso();
    await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('idle_expires_at', '<=', now)]))
      .execute();
    await this.db.deleteFrom('auth_flows').where('expires_at', '<=', now).execute();
    await purgeThrottle(this.db, this.config.login, Date.now());
  }
}

/** Refuses a password that breaks the policy; each reason is a localized field message. */
export function checkPasswordPolicy(password: string, username: string, field: string) {
  const problems = passwordProblems(password, username);
  if (problems.length) {
    throw badRequest(
      problems.map((p) => ({ field, code: `password_${p}` as FieldCode })),
      'weak_password',
      { reasons: problems },
    );
  }
}

/** An initial password that satisfies the policy; the user must change it at first sign-in. */
export function initialPassword(): string {
  const t = randomToken(9).replace(/[-_]/g, 'x');
  return `Xl-${t.slice(0, 4).toUpperCase()}${t.slice(4)}7`;
}

export { newId };
