/** The single sign-on routes (the flow itself is sso.ts). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit } from '../../platform/audit.js';
import { zapp, type App, type AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { clientOf, secureFor, setSessionCookies } from './http.js';
import { SESSION_COOKIE, type AuthService } from './service.js';
import { CALLBACK_PATH, FLOW_COOKIE, FLOW_MINUTES, safeReturnTo, SsoFailure, SsoService, type SsoError } from './sso.js';

function loginErrorUrl(code: SsoError, returnTo?: string): string {
  const p = new URLSearchParams({ sso_error: code });
  if (returnTo && returnTo !== '/') p.set('next', returnTo);
  return `/login?${p}`;
}

function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

export async function ssoRoutes(app: App, ctx: AppContext, auth: AuthService) {
  const r = zapp(app);
  const tags = ['认证 auth'];
  const sso = new SsoService(ctx.database.db, ctx.config, auth);
  const flowCookie = (reply: FastifyReply, value: string | null) => {
    const opts = { path: '/api/auth/sso', httpOnly: true, sameSite: 'lax' as const, secure: secureFor(ctx.config, reply.request) };
    if (value === null) reply.clearCookie(FLOW_COOKIE, opts);
    else reply.setCookie(FLOW_COOKIE, value, { ...opts, maxAge: FLOW_MINUTES * 60 });
  };

  r.get(
    '/api/auth/sso',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: '统一身份认证（OpenID Connect）是否启用',
        response: { 200: z.object({ enabled: z.boolean(), name: z.string(), label: z.string() }) },
      },
    },
    async () => {
      const s = ctx.config.oidc;
      const name = s?.label ?? '';
      // `label` repeats `name` for the login page, which reads that key
      return { enabled: !!s, name, label: name };
    },
  );

  r.get(
    '/api/auth/sso/start',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: '开始统一身份认证登录（重定向到身份提供方）',
        querystring: z.object({ returnTo: z.string().optional() }),
      },
    },
    async (req, reply) => {
      if (!ctx.config.oidc) throw new AppError(404, 'sso_disabled');
      const returnTo = safeReturnTo(req.query.returnTo);
      let started: { url: URL; state: string };
      try {
        started = await sso.start(returnTo);
      } catch (err) {
        if (err instanceof AppError) throw err;
        req.log.warn({ err }, 'single sign-on: identity provider unavailable');
        await audit(
          ctx.database.db,
          { ip: req.ip ?? null, requestId: String(req.id) },
          { action: 'auth.sso_failed', entityType: 'user', detail: { reason: 'provider_unavailable', stage: 'start' } },
        );
        if (wantsHtml(req)) return reply.redirect(loginErrorUrl('provider_unavailable', returnTo), 302);
        throw new AppError(502, 'sso_failed', { reason: req.lang === 'en' ? 'the identity provider cannot be reached' : '身份认证服务暂时无法访问' });
      }
      flowCookie(reply, started.state);
      reply.header('cache-control', 'no-store');
      return reply.redirect(started.url.toString(), 302);
    },
  );

  r.get(
    CALLBACK_PATH,
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: '统一身份认证回调（身份提供方重定向回来）',
        querystring: z.looseObject({
          code: z.string().max(4096).optional(),
          state: z.string().max(512).optional(),
          error: z.string().max(200).optional(),
          error_description: z.string().max(2000).optional(),
        }),
      },
    },
    async (req, reply) => {
      if (!ctx.config.oidc) throw new AppError(404, 'sso_disabled');
      const bound = req.cookies[FLOW_COOKIE];
      flowCookie(reply, null);
      reply.header('cache-control', 'no-store');
      try {
        const { session, returnTo } = await sso.finish(
          { ...clientOf(req), url: req.url, requestId: String(req.id), warn: (d, m) => req.log.warn(d, m) },
          req.query,
          bound,
        );
        // a session this browser already had is replaced, not left behind
        const previous = req.cookies[SESSION_COOKIE];
        if (previous) await auth.replaceSession(previous, session.token);
        setSessionCookies(ctx.config, reply, session);
        return reply.redirect(returnTo, 302);
      } catch (err) {
        if (!(err instanceof SsoFailure)) throw err;
        await audit(
          ctx.database.db,
          { ip: req.ip ?? null, requestId: String(req.id) },
          {
            action: 'auth.sso_failed',
            entityType: 'user',
            entityId: err.user?.id ?? null,
            regionId: err.user?.region_id ?? null,
            schoolId: err.user?.school_id ?? null,
            detail: { ...err.detail, reason: err.code },
          },
        );
        return reply.redirect(loginErrorUrl(err.code, (err as SsoFailure & { returnTo?: string }).returnTo), 302);
      }
    },
  );
}
