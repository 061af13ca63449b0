/**
 * The HTTP side of signing in: cookies and the sign-in attempt read from the request. Route files and this
 * one see Fastify; the auth services do not.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { CSRF_COOKIE, SESSION_COOKIE, type SignInAttempt, type SignInClient } from './service.js';
import { DEVICE_COOKIE, DEVICE_DAYS } from './throttle.js';

/**
 * Cookies carry `Secure` when the public URL is https, or when this request reached us over https
 * (directly, or through a trusted proxy that says so in X-Forwarded-Proto).
 */
export function secureFor(config: Pick<Config, 'secureCookies'>, req: FastifyRequest): boolean {
  return config.secureCookies || req.protocol === 'https';
}

/** Where a sign-in comes from: the request's address and browser. */
export const clientOf = (req: FastifyRequest): SignInClient => ({ ip: req.ip ?? null, userAgent: String(req.headers['user-agent'] ?? '') });

/** A password sign-in attempt as the auth service takes it. */
export const attemptOf = (req: FastifyRequest): SignInAttempt => ({
  ...clientOf(req),
  requestId: String(req.id),
  device: req.cookies[DEVICE_COOKIE],
  warn: (detail, msg) => req.log.warn(detail, msg),
});

export function setSessionCookies(config: Pick<Config, 'secureCookies'>, reply: FastifyReply, s: { token: string; csrf: string; device?: string | null }) {
  const common = { path: '/', sameSite: 'lax' as const, secure: secureFor(config, reply.request) };
  reply.setCookie(SESSION_COOKIE, s.token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, s.csrf, { ...common, httpOnly: false });
  // the browser the owner signed in with (throttle.ts): only ever sent back to the sign-in endpoint
  if (s.device)
    reply.setCookie(DEVICE_COOKIE, s.device, {
      path: '/api/auth/login',
      httpOnly: true,
      sameSite: 'strict',
      secure: common.secure,
      maxAge: DEVICE_DAYS * 86_400,
    });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
