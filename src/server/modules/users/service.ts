import type { ExpressionBuilder } from 'kysely';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import type { DB, UsersTable } from '../../db/schema.js';
import { containsText, isUniqueViolation } from '../../db/index.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { hashPassword } from '../../platform/passwords.js';
import { inScope } from '../../platform/scope.js';
import { ROLE_SCOPE, type Role } from '../../../common/vocab.js';
import { initialPassword } from '../auth/service.js';
import { endSessions } from '../auth/sessions.js';
import { clearAccountThrottle } from '../auth/throttle.js';
import { directoryOf, type OrgSnapshot } from '../org/directory.js';
import { createPartnerAccount, grantReach, grantRegion, homeScope, manageUser, mayGrant, revokeFrom, type UserGrantRef } from './policy.js';
import type { GrantCreate, UserCreate, UserQuery, UserUpdate } from './schema.js';

// request shapes live in schema.ts (the routes and the Excel import validate with the same ones)
export { GrantCreate, UserCreate, UserQuery, UserUpdate, Username } from './schema.js';

type UserRow = {
  id: string;
  region_id: string | null;
  school_id: string | null;
  school_region_id: string | null;
  username: string;
  display_name: string;
  partner_id: string | null;
};

type UsersEb = ExpressionBuilder<DB & { u: UsersTable }, 'u'>;
type ListQuery = Omit<z.infer<typeof UserQuery>, 'page' | 'pageSize'> & { page: number; pageSize: number; id?: string };

/** A new local account with an initial password that must be changed at the first sign-in. */
export function newUserRow(
  u: {
    id: string;
    username: string;
    displayName: string;
    email?: string | null;
    phone?: string | null;
    passwordHash: string;
    schoolId: string | null;
    regionId: string | null;
    partnerId?: string | null;
  },
  now: string,
): UsersTable {
  return {
    id: u.id,
    username: u.username,
    display_name: u.displayName,
    email: u.email ?? null,
    phone: u.phone ?? null,
    password_hash: u.passwordHash,
    must_change_password: 1,
    password_changed_at: null,
    school_id: u.schoolId,
    region_id: u.regionId,
    partner_id: u.partnerId ?? null,
    locale: 'zh-CN',
    status: 'active',
    failed_logins: 0,
    locked_until: null,
    oidc_subject: null,
    last_login_at: null,
    created_at: now,
    updated_at: now,
  };
}

/** 409 naming the field a unique index refused (username, email, phone). */
export function duplicateAccount(err: unknown): unknown {
  if (!isUniqueViolation(err)) return err;
  const m = String((err as Error).message);
  const field = /email/.test(m) ? 'email' : /phone/.test(m) ? 'phone' : 'username';
  return new AppError(409, 'duplicate', { field: field === 'username' ? '用户名' : field === 'email' ? '邮箱' : '手机号' }, [{ field, code: 'duplicate' }]);
}

export class UserService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }
  private org(): Promise<OrgSnapshot> {
    return directoryOf(this.database).current();
  }
  /** After a commit that changed grants, sessions or an account's status: this process sees it at once. */
  private changed(): void {
    directoryOf(this.database).invalidate();
  }

  /**
   * The accounts the actor manages (policy.manageUser, as SQL): the home within reach (homeScope), and no
   * grant outside it (grantReach, see policy.grantWithinReach).
   */
  private managed(eb: UsersEb, ctx: Ctx, org: OrgSnapshot) {
    const home = homeScope(ctx.actor, org);
    if (home.all) return eb.lit(true);
    const r = grantReach(ctx.actor, org);
    const outside = eb
      .selectFrom('role_grants as g')
      .select('g.id')
      .whereRef('g.user_id', '=', 'u.id')
      .where((w) => {
        const within = [];
        if (r.adminSchools.length)
          within.push(w.and([w('g.scope_type', '=', 'school'), w('g.scope_id', 'in', r.adminSchools), w('g.role', 'in', r.schoolRoles)]));
        if (r.regions.length) {
          const region = [w('g.scope_type', '=', 'region'), w('g.scope_id', 'in', r.regions)];
          if (r.ownRoots.length) region.push(w.or([w('g.role', '!=', 'bureau_admin'), w('g.scope_id', 'not in', r.ownRoots)]));
          const places = [w.and(region)];
          if (r.alliances.length) places.push(w.and([w('g.scope_type', '=', 'alliance'), w('g.scope_id', 'in', r.alliances)]));
          if (r.schools.length) places.push(w.and([w('g.scope_type', '=', 'school'), w('g.scope_id', 'in', r.schools)]));
          within.push(w.and([w('g.role', 'not in', r.unmanagedRoles), w.or(places)]));
        }
        return within.length ? w.not(w.or(within)) : w.lit(true);
      });
    return eb.and([inScope(eb, home, { regions: 'u.region_id', schools: 'u.school_id' }), eb.not(eb.exists(outside))]);
  }

  /** The account's grants with the region each scope lies in (for policy.manageUser). */
  private async grantRefs(tx: Db | Tx, org: OrgSnapshot, userId: string): Promise<UserGrantRef[]> {
    const rows = await tx.selectFrom('role_grants as g').select(['g.role', 'g.scope_type', 'g.scope_id']).where('g.user_id', '=', userId).execute();
    return rows.map((g) => ({ ...g, region_id: grantRegion(org, g.scope_type, g.scope_id) }));
  }

  async list(ctx: Ctx, q: ListQuery, unscoped = false) {
    const org = await this.org();
    let qb = this.db.selectFrom('users as u');
    if (!unscoped && !ctx.actor.isPlatformAdmin) qb = qb.where((eb) => this.managed(eb, ctx, org));
    if (q.id) qb = qb.where('u.id', '=', q.id);
    if (q.schoolId) qb = qb.where('u.school_id', '=', q.schoolId);
    if (q.role) {
      const role = q.role;
      qb = qb.where('u.id', 'in', (eb) => eb.selectFrom('role_grants').select('user_id').where('role', '=', role));
    }
    if (q.q) {
      const d = this.database.dialect;
      const text = q.q;
      qb = qb.where((eb) => eb.or([containsText(d, 'u.username', text), containsText(d, 'u.display_name', text)]));
    }
    const { total } = await qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await qb
      .select(['u.id', 'u.username', 'u.display_name', 'u.school_id', 'u.region_id', 'u.partner_id', 'u.status', 'u.last_login_at', 'u.email', 'u.phone'])
      .orderBy('u.username')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    const ids = rows.map((r) => r.id);
    const grants = ids.length ? await this.db.selectFrom('role_grants').selectAll().where('user_id', 'in', ids).execute() : [];
    return {
      items: rows.map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        schoolId: u.school_id,
        schoolName: u.school_id ? (org.school(u.school_id)?.name ?? null) : null,
        regionId: u.region_id,
        partnerId: u.partner_id ?? null,
        partnerName: u.partner_id ? (org.partner(u.partner_id)?.name ?? null) : null,
        status: u.status,
        lastLoginAt: u.last_login_at,
        email: u.email,
        phone: u.phone,
        grants: grants
          .filter((g) => g.user_id === u.id)
          .map((g) => ({ id: g.id, role: g.role as Role, scopeType: g.scope_type as 'school', scopeId: g.scope_id, subject: g.subject })),
      })),
      total: Number(total),
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** The account with its home (the school's region from the directory), or undefined. */
  private async account(tx: Db | Tx, org: OrgSnapshot, id: string): Promise<UserRow | undefined> {
    const u = await tx
      .selectFrom('users as u')
      .select(['u.id', 'u.region_id', 'u.school_id', 'u.username', 'u.display_name', 'u.partner_id'])
      .where('u.id', '=', id)
      .executeTakeFirst();
    return u && { ...u, partner_id: u.partner_id ?? null, school_region_id: u.school_id ? (org.school(u.school_id)?.regionId ?? null) : null };
  }

  /** The account if the actor manages it (home and every grant within reach); "not found" otherwise. */
  private async loadUser(tx: Db | Tx, ctx: Ctx, org: OrgSnapshot, id: string): Promise<UserRow> {
    const u = await this.account(tx, org, id);
    if (!u) throw notFound('user');
    // one's own account (its grants are the actor's own) or an account wholly within reach
    if (u.id !== ctx.actor.userId && !manageUser(ctx.actor, u, await this.grantRefs(tx, org, id))) throw notFound('user');
    return u;
  }

  /**
   * Creates a local account with a one-time initial password, and the given grants in the same
   * transaction (the CLI's create-admin: a platform admin). The API creates accounts without grants.
   */
  async create(ctx: Ctx, input: z.infer<typeof UserCreate>, grants: z.infer<typeof GrantCreate>[] = []) {
    const { actor } = ctx;
    const org = await this.org();
    const id = newId();
    const password = initialPassword();
    const hash = await hashPassword(password);
    let regionId = input.regionId ?? null;
    if (input.partnerId) {
      // a partner's account belongs to no school; only who oversees the partner's region creates it
      if (input.schoolId)
        throw badRequest([{ field: 'schoolId', code: 'invalid', params: { reason: '合作方账号不属于学校 / a partner account has no school' } }]);
      const p = org.partner(input.partnerId);
      if (!p) throw badRequest([{ field: 'partnerId', code: 'not_found' }]);
      if (!createPartnerAccount(actor, p.regionId)) throw badRequest([{ field: 'partnerId', code: 'out_of_scope' }]);
      regionId = p.regionId;
    } else if (input.schoolId) {
      const s = org.school(input.schoolId);
      if (!s) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
      regionId = s.regionId;
    } else if (regionId) {
      if (!org.region(regionId)) throw badRequest([{ field: 'regionId', code: 'not_found' }]);
    } else if (!actor.isPlatformAdmin) {
      throw badRequest([{ field: 'schoolId', code: 'required' }]);
    }
    const home = { region_id: input.schoolId ? null : regionId, school_id: input.schoolId ?? null, school_region_id: input.schoolId ? regionId : null };
    if (!manageUser(actor, home, [])) throw badRequest([{ field: input.schoolId ? 'schoolId' : 'regionId', code: 'out_of_scope' }]);
    const checked = grants.map((g) => ({ g, region: this.grantable(ctx, org, g) }));
    try {
      await this.db.transaction().execute(async (tx) => {
        const now = ctx.now.toISOString();
        await tx
          .insertInto('users')
          .values(newUserRow({ id, ...input, passwordHash: hash, schoolId: input.schoolId ?? null, regionId, partnerId: input.partnerId ?? null }, now))
          .execute();
        await audit(tx, ctx, {
          action: 'user.create',
          entityType: 'user',
          entityId: id,
          regionId,
          schoolId: input.schoolId ?? null,
          detail: { username: input.username, displayName: input.displayName, partnerId: input.partnerId ?? null, ...(grants.length && { grants }) },
        });
        for (const { g, region } of checked) await this.insertGrant(tx, ctx, { ...home, id, username: input.username }, g, region);
      });
    } catch (err) {
      throw duplicateAccount(err);
    }
    if (checked.length) this.changed();
    const user = (await this.list(ctx, { id, page: 1, pageSize: 1 }, true)).items[0]!;
    return { user, initialPassword: password };
  }

  async update(ctx: Ctx, id: string, input: z.infer<typeof UserUpdate>) {
    const org = await this.org();
    await this.db.transaction().execute(async (tx) => {
      const u = await this.loadUser(tx, ctx, org, id);
      if (id === ctx.actor.userId && input.status === 'disabled')
        throw badRequest([{ field: 'status', code: 'invalid', params: { reason: '不能停用自己的账号' } }]);
      await tx
        .updateTable('users')
        .set({
          ...(input.displayName && { display_name: input.displayName }),
          ...(input.status && { status: input.status }),
          updated_at: ctx.now.toISOString(),
        })
        .where('id', '=', id)
        .execute();
      // a disabled account's sessions end (auth owns them)
      if (input.status === 'disabled') await endSessions(tx, id);
      await audit(tx, ctx, {
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        regionId: u.region_id ?? u.school_region_id,
        schoolId: u.school_id,
        detail: input,
      });
    });
    if (input.status) this.changed();
    return this.byId(ctx, id);
  }

  async byId(ctx: Ctx, id: string) {
    const u = await this.loadUser(this.db, ctx, await this.org(), id);
    return (await this.list(ctx, { id: u.id, page: 1, pageSize: 1 }, true)).items[0]!;
  }

  async resetPassword(ctx: Ctx, id: string) {
    const org = await this.org();
    const password = initialPassword();
    const hash = await hashPassword(password);
    await this.db.transaction().execute(async (tx) => {
      const u = await this.loadUser(tx, ctx, org, id);
      await tx
        .updateTable('users')
        .set({ password_hash: hash, must_change_password: 1, failed_logins: 0, locked_until: null, updated_at: ctx.now.toISOString() })
        .where('id', '=', id)
        .execute();
      await endSessions(tx, id);
      // a new initial password ends the account's sign-in back-off (auth/throttle.ts)
      await clearAccountThrottle(tx, u.username);
      await audit(tx, ctx, {
        action: 'user.reset_password',
        entityType: 'user',
        entityId: id,
        regionId: u.region_id ?? u.school_region_id,
        schoolId: u.school_id,
      });
    });
    this.changed();
    return { initialPassword: password };
  }

  /** Whether the actor may hand out this role in this scope (policy.mayGrant); returns the region the grant belongs to. */
  private grantable(ctx: Ctx, org: OrgSnapshot, g: z.infer<typeof GrantCreate>): string | null {
    const expected = ROLE_SCOPE[g.role];
    if (g.scopeType !== expected) throw badRequest([{ field: 'scopeType', code: 'invalid_value', params: { options: [expected] } }]);
    if (expected === 'installation') {
      if (!mayGrant(ctx.actor, g.role, expected, null, null)) throw forbidden();
      return null;
    }
    if (!g.scopeId) throw badRequest([{ field: 'scopeId', code: 'required' }]);
    const region = grantRegion(org, expected, g.scopeId);
    if (!region) throw badRequest([{ field: 'scopeId', code: 'not_found' }]);
    if (g.role === 'reviewer' && !g.subject) throw badRequest([{ field: 'subject', code: 'required' }]);
    if (!mayGrant(ctx.actor, g.role, expected, g.scopeId, region)) throw forbidden();
    return region;
  }

  private async insertGrant(
    tx: Tx,
    ctx: Ctx,
    u: Pick<UserRow, 'id' | 'username' | 'region_id' | 'school_id'>,
    g: z.infer<typeof GrantCreate>,
    region: string | null,
  ) {
    try {
      await tx
        .insertInto('role_grants')
        .values({
          id: newId(),
          user_id: u.id,
          role: g.role,
          scope_type: g.scopeType,
          scope_id: g.scopeId ?? null,
          subject: g.subject ?? null,
          granted_by: ctx.actor.system ? null : ctx.actor.userId,
          granted_at: ctx.now.toISOString(),
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(409, 'duplicate', { field: '该授权' }, [{ field: 'role', code: 'duplicate' }]);
      throw err;
    }
    await audit(tx, ctx, {
      action: 'user.grant',
      entityType: 'user',
      entityId: u.id,
      regionId: region ?? u.region_id,
      schoolId: u.school_id,
      detail: { username: u.username, ...g },
    });
  }

  async grant(ctx: Ctx, userId: string, g: z.infer<typeof GrantCreate>) {
    const org = await this.org();
    await this.db.transaction().execute(async (tx) => {
      const u = await this.loadUser(tx, ctx, org, userId);
      const region = this.grantable(ctx, org, g);
      if (g.role === 'partner') {
        // a partner account acts for its own partner organisation, in alliances that organisation works with
        if (!u.partner_id) throw badRequest([{ field: 'role', code: 'partner_account_required' }]);
        if (!org.partnersOf(g.scopeId!).includes(u.partner_id)) throw badRequest([{ field: 'scopeId', code: 'partner_not_in_alliance' }]);
      }
      await this.insertGrant(tx, ctx, u, g, region);
    });
    this.changed();
    // a grant the actor may hand out but not manage afterwards (a bureau making an evaluator): the
    // answer still shows the account as it now is
    return (await this.list(ctx, { id: userId, page: 1, pageSize: 1 }, true)).items[0]!;
  }

  /** Takes a grant away; the account's sessions see it on their very next request (the actor cache reloads). */
  async revoke(ctx: Ctx, grantId: string) {
    const org = await this.org();
    await this.db.transaction().execute(async (tx) => {
      const g = await tx.selectFrom('role_grants').selectAll().where('id', '=', grantId).executeTakeFirst();
      if (!g) throw notFound('grant');
      // revoking takes access away, never over: the account's home within reach and the grant one the
      // actor may hand out suffice (a bureau ends an evaluator's engagement without managing the account)
      const u = await this.account(tx, org, g.user_id);
      if (!u || !revokeFrom(ctx.actor, u)) throw notFound('grant');
      const region = this.grantable(ctx, org, { role: g.role as Role, scopeType: g.scope_type as 'school', scopeId: g.scope_id, subject: g.subject });
      if (g.user_id === ctx.actor.userId && g.role === 'platform_admin')
        throw badRequest([{ field: 'grantId', code: 'invalid', params: { reason: '不能撤销自己的平台管理员权限' } }]);
      await tx.deleteFrom('role_grants').where('id', '=', grantId).execute();
      await audit(tx, ctx, {
        action: 'user.revoke',
        entityType: 'user',
        entityId: g.user_id,
        regionId: region ?? u.region_id,
        schoolId: u.school_id,
        detail: { username: u.username, role: g.role, scopeType: g.scope_type, scopeId: g.scope_id },
      });
    });
    this.changed();
  }
}
