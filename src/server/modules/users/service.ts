import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import type { UsersTable } from '../../db/schema.js';
import { containsText, isUniqueViolation, nowIso } from '../../db/index.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { hashPassword } from '../../platform/passwords.js';
import { BUREAU_UNMANAGED, bureauRoots, policy, SCHOOL_GRANTABLE, type Actor, type UserGrantRef } from '../../platform/policy.js';
import { ROLE_SCOPE, type Role } from '../../../common/vocab.js';
import { initialPassword } from '../auth/service.js';
import { clearAccountThrottle } from '../auth/throttle.js';
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
  partner_id?: string | null;
};

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

export class UserService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }

  /**
   * The accounts the actor manages (policy.manageUser, as SQL): the home within reach, and no grant
   * outside it (see policy.grantWithinReach).
   */
  private scope<QB extends { where: any }>(qb: QB, actor: Actor): QB {
    if (actor.isPlatformAdmin) return qb;
    const regions = [...actor.bureauRegions];
    const schools = [...actor.adminSchools];
    const roots = [...bureauRoots(actor)];
    return qb.where((eb: any) => {
      const ors = [];
      if (regions.length) {
        ors.push(eb('u.region_id', 'in', regions));
        ors.push(eb('s.region_id', 'in', regions));
      }
      if (schools.length) ors.push(eb('u.school_id', 'in', schools));
      if (!ors.length) return eb.lit(false);
      const outside = eb
        .selectFrom('role_grants as g')
        .leftJoin('alliances as ga', (j: any) => j.onRef('ga.id', '=', 'g.scope_id').on('g.scope_type', '=', 'alliance'))
        .leftJoin('schools as gs', (j: any) => j.onRef('gs.id', '=', 'g.scope_id').on('g.scope_type', '=', 'school'))
        .select('g.id')
        .whereRef('g.user_id', '=', 'u.id')
        .where((w: any) => {
          const within = [];
          if (schools.length) within.push(w.and([w('g.scope_type', '=', 'school'), w('g.scope_id', 'in', schools), w('g.role', 'in', [...SCHOOL_GRANTABLE])]));
          if (regions.length) {
            within.push(
              w.and([
                w('g.role', 'not in', [...BUREAU_UNMANAGED]),
                w.or([
                  w.and([
                    w('g.scope_type', '=', 'region'),
                    w('g.scope_id', 'in', regions),
                    roots.length ? w.or([w('g.role', '!=', 'bureau_admin'), w('g.scope_id', 'not in', roots)]) : w.lit(true),
                  ]),
                  w('ga.region_id', 'in', regions),
                  w('gs.region_id', 'in', regions),
                ]),
              ]),
            );
          }
          return w.not(w.or(within));
        });
      return eb.and([eb.or(ors), eb.not(eb.exists(outside))]);
    });
  }

  /** The account's grants with the region each scope lies in (for policy.manageUser). */
  private async grantRefs(tx: Db | Tx, userId: string): Promise<UserGrantRef[]> {
    return tx
      .selectFrom('role_grants as g')
      .leftJoin('alliances as ga', (j) => j.onRef('ga.id', '=', 'g.scope_id').on('g.scope_type', '=', 'alliance'))
      .leftJoin('schools as gs', (j) => j.onRef('gs.id', '=', 'g.scope_id').on('g.scope_type', '=', 'school'))
      .select(['g.role', 'g.scope_type', 'g.scope_id'])
      .select((eb) =>
        eb.fn
          .coalesce('ga.region_id', 'gs.region_id', eb.case().when('g.scope_type', '=', 'region').then(eb.ref('g.scope_id')).else(null).end())
          .as('region_id'),
      )
      .where('g.user_id', '=', userId)
      .execute();
  }

  async list(actor: Actor, q: Omit<z.infer<typeof UserQuery>, 'page' | 'pageSize'> & { page: number; pageSize: number; id?: string }, unscoped = false) {
    let qb = this.db.selectFrom('users as u').leftJoin('schools as s', 's.id', 'u.school_id').leftJoin('partners as pt', 'pt.id', 'u.partner_id');
    if (!unscoped) qb = this.scope(qb, actor);
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
      .select([
        'u.id',
        'u.username',
        'u.display_name',
        'u.school_id',
        's.name as school_name',
        'u.region_id',
        'u.partner_id',
        'pt.name as partner_name',
        'u.status',
        'u.last_login_at',
        'u.email',
        'u.phone',
      ])
      .orderBy('u.username')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    const grants = rows.length
      ? await this.db
          .selectFrom('role_grants')
          .selectAll()
          .where(
            'user_id',
            'in',
            rows.map((r) => r.id),
          )
          .execute()
      : [];
    return {
      items: rows.map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        schoolId: u.school_id,
        schoolName: u.school_name,
        regionId: u.region_id,
        partnerId: u.partner_id ?? null,
        partnerName: u.partner_name ?? null,
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

  /** The account if the actor manages it (home and every grant within reach); "not found" otherwise. */
  private async loadUser(tx: Db | Tx, actor: Actor, id: string): Promise<UserRow> {
    const u = await tx
      .selectFrom('users as u')
      .leftJoin('schools as s', 's.id', 'u.school_id')
      .select(['u.id', 'u.region_id', 'u.school_id', 's.region_id as school_region_id', 'u.username', 'u.display_name', 'u.partner_id'])
      .where('u.id', '=', id)
      .executeTakeFirst();
    if (!u) throw notFound('user');
    // one's own account (its grants are the actor's own) or an account wholly within reach
    if (u.id !== actor.userId && !policy.manageUser(actor, u, await this.grantRefs(tx, id))) throw notFound('user');
    return u;
  }

  async create(req: FastifyRequest, actor: Actor, input: z.infer<typeof UserCreate>) {
    const id = newId();
    const password = initialPassword();
    const hash = await hashPassword(password);
    try {
      await this.db.transaction().execute(async (tx) => {
        let regionId = input.regionId ?? null;
        if (input.partnerId) {
          // a partner's account belongs to no school; only who oversees the partner's region creates it
          if (input.schoolId)
            throw badRequest([{ field: 'schoolId', code: 'invalid', params: { reason: '合作方账号不属于学校 / a partner account has no school' } }]);
          const p = await tx.selectFrom('partners').select(['id', 'region_id']).where('id', '=', input.partnerId).executeTakeFirst();
          if (!p) throw badRequest([{ field: 'partnerId', code: 'not_found' }]);
          if (!actor.isPlatformAdmin && !actor.bureauRegions.has(p.region_id)) throw badRequest([{ field: 'partnerId', code: 'out_of_scope' }]);
          regionId = p.region_id;
        } else if (input.schoolId) {
          const s = await tx.selectFrom('schools').select(['id', 'region_id']).where('id', '=', input.schoolId).executeTakeFirst();
          if (!s) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
          regionId = s.region_id;
        } else if (regionId) {
          const r = await tx.selectFrom('regions').select('id').where('id', '=', regionId).executeTakeFirst();
          if (!r) throw badRequest([{ field: 'regionId', code: 'not_found' }]);
        } else if (!actor.isPlatformAdmin) {
          throw badRequest([{ field: 'schoolId', code: 'required' }]);
        }
        if (
          !policy.manageUser(
            actor,
            { region_id: input.schoolId ? null : regionId, school_id: input.schoolId ?? null, school_region_id: input.schoolId ? regionId : null },
            [],
          )
        ) {
          throw badRequest([{ field: input.schoolId ? 'schoolId' : 'regionId', code: 'out_of_scope' }]);
        }
        const now = nowIso();
        await tx
          .insertInto('users')
          .values(newUserRow({ id, ...input, passwordHash: hash, schoolId: input.schoolId ?? null, regionId, partnerId: input.partnerId ?? null }, now))
          .execute();
        await audit(tx, req, {
          action: 'user.create',
          entityType: 'user',
          entityId: id,
          regionId,
          schoolId: input.schoolId ?? null,
          detail: { username: input.username, displayName: input.displayName, partnerId: input.partnerId ?? null },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        const m = String((err as Error).message);
        const field = /email/.test(m) ? 'email' : /phone/.test(m) ? 'phone' : 'username';
        throw new AppError(409, 'duplicate', { field: field === 'username' ? '用户名' : field === 'email' ? '邮箱' : '手机号' }, [
          { field, code: 'duplicate' },
        ]);
      }
      throw err;
    }
    const user = (await this.list(actor, { id, page: 1, pageSize: 1 })).items[0]!;
    return { user, initialPassword: password };
  }

  async update(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof UserUpdate>) {
    await this.db.transaction().execute(async (tx) => {
      const u = await this.loadUser(tx, actor, id);
      if (id === actor.userId && input.status === 'disabled')
        throw badRequest([{ field: 'status', code: 'invalid', params: { reason: '不能停用自己的账号' } }]);
      await tx
        .updateTable('users')
        .set({ ...(input.displayName && { display_name: input.displayName }), ...(input.status && { status: input.status }), updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
      if (input.status === 'disabled') await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await audit(tx, req, {
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        regionId: u.region_id ?? u.school_region_id,
        schoolId: u.school_id,
        detail: input,
      });
    });
    return this.byId(actor, id);
  }

  async byId(actor: Actor, id: string) {
    const u = await this.loadUser(this.db, actor, id);
    return (await this.list(actor, { id: u.id, page: 1, pageSize: 1 })).items[0]!;
  }

  async resetPassword(req: FastifyRequest, actor: Actor, id: string) {
    const password = initialPassword();
    const hash = await hashPassword(password);
    await this.db.transaction().execute(async (tx) => {
      const u = await this.loadUser(tx, actor, id);
      await tx
        .updateTable('users')
        .set({ password_hash: hash, must_change_password: 1, failed_logins: 0, locked_until: null, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
      await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
      // a new initial password ends the account's sign-in back-off (auth/throttle.ts)
      await clearAccountThrottle(tx, u.username);
      await audit(tx, req, {
        action: 'user.reset_password',
        entityType: 'user',
        entityId: id,
        regionId: u.region_id ?? u.school_region_id,
        schoolId: u.school_id,
      });
    });
    return { initialPassword: password };
  }

  /** Whether the actor may hand out this role in this scope; returns the region the grant belongs to. */
  private async grantable(tx: Db | Tx, actor: Actor, g: z.infer<typeof GrantCreate>): Promise<string | null> {
    const expected = ROLE_SCOPE[g.role];
    if (g.scopeType !== expected) throw badRequest([{ field: 'scopeType', code: 'invalid_value', params: { options: [expected] } }]);
    if (expected === 'installation') {
      if (!actor.isPlatformAdmin) throw forbidden();
      return null;
    }
    if (!g.scopeId) throw badRequest([{ field: 'scopeId', code: 'required' }]);
    let region: string | undefined;
    if (expected === 'region') region = (await tx.selectFrom('regions').select('id').where('id', '=', g.scopeId).executeTakeFirst())?.id;
    if (expected === 'alliance') region = (await tx.selectFrom('alliances').select('region_id').where('id', '=', g.scopeId).executeTakeFirst())?.region_id;
    if (expected === 'school') region = (await tx.selectFrom('schools').select('region_id').where('id', '=', g.scopeId).executeTakeFirst())?.region_id;
    if (!region) throw badRequest([{ field: 'scopeId', code: 'not_found' }]);
    if (g.role === 'reviewer' && !g.subject) throw badRequest([{ field: 'subject', code: 'required' }]);
    const ok =
      actor.isPlatformAdmin ||
      actor.bureauRegions.has(region) ||
      (expected === 'school' && actor.adminSchools.has(g.scopeId) && SCHOOL_GRANTABLE.includes(g.role));
    if (!ok) throw forbidden();
    return region;
  }

  async grant(req: FastifyRequest, actor: Actor, userId: string, g: z.infer<typeof GrantCreate>) {
    await this.db.transaction().execute(async (tx) => {
      const u = await this.loadUser(tx, actor, userId);
      const region = await this.grantable(tx, actor, g);
      if (g.role === 'partner') {
        // a partner account acts for its own partner organisation, in alliances that organisation works with
        if (!u.partner_id) throw badRequest([{ field: 'role', code: 'partner_account_required' }]);
        const link = await tx
          .selectFrom('alliance_partners')
          .select('alliance_id')
          .where('alliance_id', '=', g.scopeId!)
          .where('partner_id', '=', u.partner_id)
          .executeTakeFirst();
        if (!link) throw badRequest([{ field: 'scopeId', code: 'partner_not_in_alliance' }]);
      }
      try {
        await tx
          .insertInto('role_grants')
          .values({
            id: newId(),
            user_id: userId,
            role: g.role,
            scope_type: g.scopeType,
            scope_id: g.scopeId ?? null,
            subject: g.subject ?? null,
            granted_by: actor.userId,
            granted_at: nowIso(),
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError(409, 'duplicate', { field: '该授权' }, [{ field: 'role', code: 'duplicate' }]);
        throw err;
      }
      await audit(tx, req, {
        action: 'user.grant',
        entityType: 'user',
        entityId: userId,
        regionId: region ?? u.region_id,
        schoolId: u.school_id,
        detail: { username: u.username, ...g },
      });
    });
    // a grant the actor may hand out but not manage afterwards (a bureau making an evaluator): the
    // answer still shows the account as it now is
    return (await this.list(actor, { id: userId, page: 1, pageSize: 1 }, true)).items[0]!;
  }

  async revoke(req: FastifyRequest, actor: Actor, grantId: string) {
    await this.db.transaction().execute(async (tx) => {
      const g = await tx.selectFrom('role_grants').selectAll().where('id', '=', grantId).executeTakeFirst();
      if (!g) throw notFound('grant');
      // revoking takes access away, never over: the account's home within reach and the grant one the
      // actor may hand out suffice (a bureau ends an evaluator's engagement without managing the account)
      const u = await tx
        .selectFrom('users as u')
        .leftJoin('schools as s', 's.id', 'u.school_id')
        .select(['u.id', 'u.region_id', 'u.school_id', 's.region_id as school_region_id', 'u.username'])
        .where('u.id', '=', g.user_id)
        .executeTakeFirst();
      if (!u || !policy.manageUser(actor, u, [])) throw notFound('grant');
      const region = await this.grantable(tx, actor, { role: g.role as Role, scopeType: g.scope_type as 'school', scopeId: g.scope_id, subject: g.subject });
      if (g.user_id === actor.userId && g.role === 'platform_admin')
        throw badRequest([{ field: 'grantId', code: 'invalid', params: { reason: '不能撤销自己的平台管理员权限' } }]);
      await tx.deleteFrom('role_grants').where('id', '=', grantId).execute();
      await audit(tx, req, {
        action: 'user.revoke',
        entityType: 'user',
        entityId: g.user_id,
        regionId: region ?? u.region_id,
        schoolId: u.school_id,
        detail: { username: u.username, role: g.role, scopeType: g.scope_type, scopeId: g.scope_id },
      });
    });
  }
}
