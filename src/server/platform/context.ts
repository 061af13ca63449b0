import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { Lang } from './errors.js';
import type { Actor, Permission } from './policy.js';
import type { Storage } from './storage.js';

/** What every module receives: the configuration and the shared adapters. */
export interface AppContext {
  config: Config;
  database: Database;
  storage: Storage;
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

export function clientIp(req: FastifyRequest): string {
  return req.ip;
}
