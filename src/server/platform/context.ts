import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import { newId } from './ids.js';
import type { Lang } from './errors.js';
import { systemActor, type Actor } from './actor.js';
import type { Permission } from '../../common/permissions.js';
import type { Storage } from './storage.js';

/** What every module receives at start-up: the configuration and the shared adapters. */
export interface AppContext {
  config: Config;
  database: Database;
  storage: Storage;
}

/**
 * What every service call receives (ARCHITECTURE rule 12): who acts, for which request, from where, and
 * the time of the request. Routes build it with `ctxOf(req)`; the CLI, jobs and tests with `systemCtx()` or
 * `ctxFor(actor)`. Services never see the HTTP request.
 */
export interface Ctx {
  actor: Actor;
  requestId: string;
  ip: string | null;
  /** the request's clock: every "today", deadline and created_at of the call comes from it */
  now: Date;
  lang: Lang;
}

export type App = FastifyInstance;
export type ZApp = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    lang: Lang;
  }
  interface FastifyContextConfig {
    /** the permission the route needs; every /api route must declare one */
    permission?: Permission;
    /** allowed while the user must still change the initial password */
    allowBeforePasswordChange?: boolean;
  }
}

export function zapp(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** The signed-in actor; routes with a permission other than 'public' always have one. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new Error('route without sign-in asked for the actor');
  return req.actor;
}

/** The service context of a signed-in request. */
export function ctxOf(req: FastifyRequest): Ctx {
  return { actor: actorOf(req), requestId: String(req.id), ip: req.ip ?? null, now: new Date(), lang: req.lang ?? 'zh' };
}

/** A context for an actor outside HTTP (tests, jobs acting for a user). */
export function ctxFor(actor: Actor, opts: Partial<Omit<Ctx, 'actor'>> = {}): Ctx {
  return { actor, requestId: opts.requestId ?? newId(), ip: opts.ip ?? null, now: opts.now ?? new Date(), lang: opts.lang ?? 'zh' };
}

/** The installation acting for itself: the CLI, scheduled jobs, the seeder. */
export function systemCtx(name = 'cli', opts: Partial<Omit<Ctx, 'actor'>> = {}): Ctx {
  return ctxFor(systemActor(name), opts);
}

export function clientIp(req: FastifyRequest): string {
  return req.ip;
}
