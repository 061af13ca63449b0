import { z } from 'zod';
import { actorOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/audit.js';
import { nowIso } from '../../db/index.js';
import type { Actor } from '../../platform/policy.js';
import { Line } from '../../platform/input.js';
import type { AuthService } from './service.js';
import { ROLES } from '../../../common/vocab.js';
import { ssoRoutes } from './sso.js';

export const GrantOut = z.object({
  id: z.string(),
  role: z.enum(ROLES.codes),
  scopeType: z.enum(['installation', 'region', 'alliance', 'school']),
  scopeId: z.string().nullable(),
  scopeName: z.string().nullable(),
  subject: z.string().nullable(),
});

export const MeOut = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    schoolId: z.string().nullable(),
    schoolName: z.string().nullable(),
    regionId: z.string().nullable(),
    locale: z.string(),
    mustChangePassword: z.boolean(),
  }),
  grants: z.array(GrantOut),
  csrfToken: z.string(),
});

/** Names of the scopes of a list of grants (region / alliance / school names). */
export async function scopeNames(ctx: AppContext, grants: { scopeType: string; scopeId: string | null }[]) {
  const { db } = ctx.database;
  const ids = (t: string) => [...new Set(grants.filter((g) => g.scopeType === t && g.scopeId).map((g) => g.scopeId!))];
  const names = new Map<string, string>();
  const r = ids('region');
  const a = ids('alliance');
  const s = ids('school');
  if (r.length) for (const x of await db.selectFrom('regions').select(['id', 'name']).where('id', 'in', r).execute()) names.set(x.id, x.name);
  if (a.length) for (const x of await db.selectFrom('alliances').select(['id', 'name']).where('id', 'in', a).execute()) names.set(x.id, x.name);
  if (s.length) for (const x of await db.selectFrom('schools').select(['id', 'name']).where('id', 'in', s).execute()) names.set(x.id, x.name);
  return names;
}

export async function meOf(ctx: AppContext, actor: Actor): Promise<z.infer<typeof MeOut>> {
  const { db } = ctx.database;
  const u = await db
    .selectFrom('users as u')
    .leftJoin('schools as s', 's.id', 'u.school_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.email', 'u.phone', 'u.school_id', 's.name as school_name', 'u.region_id', 'u.locale'])
    .where('u.id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  const names = await scopeNames(ctx, actor.grants);
  return {
    user: {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      email: u.email,
      phone: u.phone,
      schoolId: u.school_id,
      schoolName: u.school_name,
      regionId: u.region_id,
      locale: u.locale,
      // per session: single sign-on sessions are exempt from the initial password change (see sso.ts)
      mustChangePassword: actor.mustChangePassword,
    },
    grants: actor.grants.map((g) => ({ ...g, scopeName: g.scopeId ? (names.get(g.scopeId) ?? null) : null })),
    csrfToken: actor.csrfToken,
  };
}

export async function authRoutes(app: App, ctx: AppContext, auth: AuthService) {
  const r = zapp(app);
  const tags = ['认证 auth'];

  r.post(
    '/api/auth/login',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: '用户名密码登录',
        body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) }),
        response: { 200: MeOut },
      },
    },
    async (req, reply) => {
      const s = await auth.login(req, req.body.username, req.body.password);
      auth.setCookies(reply, s);
      const actor = await auth.actorFromToken(s.token);
      if (!actor || actor === 'expired') throw new AppError(500, 'internal');
      return meOf(ctx, actor);
    },
  );

  r.post(
    '/api/auth/logout',
    {
      config: { permission: 'signed_in', allowBeforePasswordChange: true },
      schema: { tags, summary: '退出登录', response: { 204: z.null() } },
    },
    async (req, reply) => {
      await auth.logout(req, actorOf(req));
      auth.clearCookies(reply);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    {
      config: { permission: 'signed_in', allowBeforePasswordChange: true },
      schema: { tags, summary: '当前用户、角色与范围', response: { 200: MeOut } },
    },
    async (req) => meOf(ctx, actorOf(req)),
  );

  r.patch(
    '/api/auth/me',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags,
        summary: '修改个人资料',
        body: z.strictObject({
          displayName: Line(50).min(1).optional(),
          email: z.email().max(120).nullable().optional(),
          phone: z
            .string()
            .regex(/^1\d{10}$/)
            .nullable()
            .optional(),
          locale: z.enum(['zh-CN', 'en-US']).optional(),
        }),
        response: { 200: MeOut },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const b = req.body;
      await ctx.database.db.transaction().execute(async (tx) => {
        await tx
          .updateTable('users')
          .set({
            ...(b.displayName !== undefined && { display_name: b.displayName }),
            ...(b.email !== undefined && { email: b.email }),
            ...(b.phone !== undefined && { phone: b.phone }),
            ...(b.locale !== undefined && { locale: b.locale }),
            updated_at: nowIso(),
          })
          .where('id', '=', actor.userId)
          .execute();
        await audit(tx, req, {
          action: 'user.update_self',
          entityType: 'user',
          entityId: actor.userId,
          regionId: actor.regionId,
          schoolId: actor.schoolId,
          detail: { fields: Object.keys(b) },
        });
      });
      return meOf(ctx, actor);
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { permission: 'signed_in', allowBeforePasswordChange: true },
      schema: {
        tags,
        summary: '修改密码',
        body: z.strictObject({ currentPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await auth.changePassword(req, actorOf(req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  await ssoRoutes(app, ctx, auth);
}
