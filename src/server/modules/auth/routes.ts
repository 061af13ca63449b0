import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/actor.js';
import { directoryOf } from '../org/directory.js';
import { Line } from '../../platform/input.js';
import type { AuthService } from './service.js';
import { ROLES } from '../../../common/vocab.js';
import { ssoRoutes } from './sso-routes.js';
import { attemptOf, clearSessionCookies, setSessionCookies } from './http.js';

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

/** Names of the scopes of a list of grants (region / alliance / school names), from the organization directory. */
export async function scopeNames(ctx: AppContext, grants: { scopeType: string; scopeId: string | null }[]) {
  const org = await directoryOf(ctx.database).current();
  const names = new Map<string, string>();
  for (const g of grants) {
    if (!g.scopeId) continue;
    const name =
      g.scopeType === 'region'
        ? org.region(g.scopeId)?.name
        : g.scopeType === 'alliance'
          ? org.alliance(g.scopeId)?.name
          : g.scopeType === 'school'
            ? org.school(g.scopeId)?.name
            : undefined;
    if (name !== undefined) names.set(g.scopeId, name);
  }
  return names;
}

export async function meOf(ctx: AppContext, actor: Actor): Promise<z.infer<typeof MeOut>> {
  const { db } = ctx.database;
  const org = await directoryOf(ctx.database).current();
  const u = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.username', 'u.display_name', 'u.email', 'u.phone', 'u.school_id', 'u.region_id', 'u.locale'])
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
      schoolName: u.school_id ? (org.school(u.school_id)?.name ?? null) : null,
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
      const s = await auth.login(attemptOf(req), req.body.username, req.body.password);
      setSessionCookies(ctx.config, reply, s);
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
      await auth.logout(ctxOf(req));
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    {
      config: { permission: 'signed_in', allowBeforePasswordChange: true },
      schema: { tags, summary: '当前用户、角色与范围', response: { 200: MeOut } },
    },
    async (req) => meOf(ctx, ctxOf(req).actor),
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
      const c = ctxOf(req);
      await auth.updateProfile(c, req.body);
      return meOf(ctx, c.actor);
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
      await auth.changePassword(ctxOf(req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  await ssoRoutes(app, ctx, auth);
}
