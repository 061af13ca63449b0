import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeDatabase, type Config } from './config.js';
import { createDatabase, databaseAnswers, ensureSchema, isDatabaseUnavailable, RETRY_AFTER_SECONDS, type Database } from './db/index.js';
import { migrate } from './db/migrate.js';
import { AppError, fieldMessage, langOf, message, zodIssueToField, type RawFieldError } from './platform/errors.js';
import { holds } from './platform/actor.js';
import { isUploadCutOff, LocalStorage, type Storage } from './platform/storage.js';
import { installMetrics } from './platform/metrics.js';
import type { AppContext } from './platform/context.js';
import { newId } from './platform/ids.js';
import { AuthService, SESSION_COOKIE } from './modules/auth/service.js';
import { authRoutes } from './modules/auth/routes.js';
import { registerModules } from './modules/index.js';
import { directoryOf } from './modules/org/directory.js';

export interface BuildOptions {
  database?: Database;
  storage?: Storage;
  /** run migrations on start (default true) */
  migrate?: boolean;
  logger?: boolean;
  /** where the JSON log lines go (default stdout); tests capture them */
  logStream?: NodeJS.WritableStream;
}

/** Request ids accepted from clients (or a proxy): 8–64 of letters, digits and . _ : - ; anything else is replaced. */
export const CLIENT_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/;

/** Secrets that travel in URLs (calendar feed tokens, OAuth codes) never reach the logs. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const pathPart = (q < 0 ? url : url.slice(0, q)).replace(/(\/calendar\/feed\/)[^/]+/g, '$1[redacted]');
  if (q < 0) return pathPart;
  const query = url.slice(q + 1).replace(/(^|&)((?:token|access_token|id_token|refresh_token|code|state|password|secret|key)=)[^&#]*/gi, '$1$2[redacted]');
  return `${pathPart}?${query}`;
}

/** The request as logged: method, redacted URL, client address, and a client's request id we did not accept. */
function serializeRequest(req: FastifyRequest) {
  const sent = req.headers?.['x-request-id'];
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.headers?.host,
    remoteAddress: req.ip,
    ...(typeof sent === 'string' && sent !== req.id ? { clientRequestId: sent.slice(0, 100) } : {}),
  };
}

/**
 * The web app's policy: scripts only from our origin; antd writes inline styles (style-src 'unsafe-inline');
 * never framed by another site. Other answers (JSON, downloads) load nothing and are never framed; inline
 * file previews are framed by the app itself (the resource page shows PDFs and text in an iframe).
 */
const CSP_APP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "frame-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const CSP_OTHER = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface RouteInfo {
  method: string;
  url: string;
  permission: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    xl: AppContext & { routes: RouteInfo[]; auth: AuthService };
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const database = opts.database ?? createDatabase(config);
  await ensureSchema(database, config.databaseSchema);
  const applied = opts.migrate !== false ? await migrate(database) : [];
  const storage = opts.storage ?? new LocalStorage(path.join(config.dataDir, 'files'));
  const ctx: AppContext = { config, database, storage };

  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            serializers: { req: serializeRequest as never },
            ...(opts.logStream ? { stream: opts.logStream } : {}),
          },
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && CLIENT_REQUEST_ID.test(h) ? h : newId();
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: undefined,
    // while draining for shutdown, a request already on an open connection is still served (with
    // `Connection: close`) rather than answered with Fastify's bare 503
    return503OnClosing: false,
    // a URL the router cannot read (bad percent-encoding, a path param over 100 characters) is refused
    // as problem+json like every other bad input, not with Fastify's bare JSON
    frameworkErrors: (err, req, reply) => {
      const lang = langOf(req.headers['accept-language']);
      const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : err.code === 'FST_ERR_BAD_URL' ? 400 : 500;
      const code = status === 500 ? 'internal' : 'validation_failed';
      void (reply as FastifyReply)
        .code(status)
        .type('application/problem+json')
        .send({
          type: `urn:xiaolian:error:${code}`,
          title: code,
          status,
          code,
          detail: message(code, lang),
          instance: req.url,
          requestId: String(req.id),
          ...(status < 500 ? { errors: [{ field: 'url', code: 'invalid_format', message: fieldMessage('invalid_format', lang) }] } : {}),
        });
    },
  });
  // first hook of every request: new connections get their turn while the loop is saturated (see fairTurns)
  app.addHook('onRequest', fairTurns());
  if (applied.length) app.log.info({ migrations: applied, database: describeDatabase(config) }, 'migrations applied');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const directory = directoryOf(database, { checkMs: config.cache.checkMs });
  const auth = new AuthService(database.db, config, directory);
  const routes: RouteInfo[] = [];
  app.decorate('xl', { ...ctx, routes, auth });
  app.decorateRequest('actor', null);
  app.decorateRequest('lang', 'zh');

  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api/') || r.url.startsWith('/api/docs')) return;
    const permission = r.config?.permission;
    if (!permission) throw new Error(`route ${r.method} ${r.url} declares no permission`);
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url, permission });
  });

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 20, fieldSize: 100_000 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '校联 xiaolian API', version: config.version, description: '校际联盟 / 教育集团 资源共享与协同平台' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  const registry = installMetrics(app, { database, version: config.version });

  // hardening headers on every answer: pages, the API, downloads, errors
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-request-id', String(req.id));
    const inline = String(reply.getHeader('content-disposition') ?? '').startsWith('inline');
    reply.header('x-frame-options', inline ? 'SAMEORIGIN' : 'DENY');
    const ancestors = inline ? "frame-ancestors 'self'" : "frame-ancestors 'none'";
    const own = reply.getHeader('content-security-policy');
    if (own) {
      if (!/frame-ancestors/.test(String(own))) reply.header('content-security-policy', `${String(own)}; ${ancestors}`);
    } else if (inline) {
      // a file shown inline by the app; a stricter policy on the file itself stops Chromium's PDF viewer
      reply.header('content-security-policy', ancestors);
    } else {
      const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
      reply.header('content-security-policy', html ? CSP_APP : CSP_OTHER);
    }
  });

  // who is asking, and may they?
  app.addHook('onRequest', async (req) => {
    req.lang = langOf(req.headers['accept-language']);
    const permission = req.routeOptions.config?.permission;
    if (!permission || permission === 'public') return;
    const token = req.cookies[SESSION_COOKIE];
    const actor = token ? await auth.actorFromToken(token) : null;
    if (actor === 'expired') throw new AppError(401, 'session_expired');
    if (!actor) throw new AppError(401, 'unauthenticated');
    req.actor = actor;
    if (UNSAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== actor.csrfToken) throw new AppError(403, 'csrf_failed');
    }
    if (actor.mustChangePassword && !req.routeOptions.config?.allowBeforePasswordChange) {
      throw new AppError(403, 'password_change_required');
    }
    if (!holds(actor, permission)) throw new AppError(403, 'forbidden');
  });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const lang = req.lang ?? langOf(req.headers['accept-language']);
    let status = 500;
    let code: string = 'internal';
    let detail = message('internal', lang);
    let fields: RawFieldError[] = [];
    if (err instanceof AppError) {
      const extra = (err as AppError & { headers?: Record<string, string> }).headers;
      if (extra) reply.headers(extra);
      status = err.status;
      code = err.code;
      detail = message(err.code, lang, err.params);
      fields = err.fields;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      code = 'validation_failed';
      const where = (err as FastifyError & { validationContext?: string }).validationContext;
      const prefix = where === 'querystring' ? 'query' : where === 'params' ? 'params' : where === 'headers' ? 'headers' : '';
      const input = where === 'querystring' ? req.query : where === 'params' ? req.params : where === 'headers' ? req.headers : req.body;
      fields = err.validation
        .flatMap((v) => zodIssueToField(v as never, prefix))
        .map((f) => {
          // a missing value reads "required", whatever check zod reported first
          const parts = (prefix ? f.field.slice(prefix.length + 1) : f.field).split('.').filter(Boolean);
          const value = parts.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), input);
          if (!f.field) return { ...f, field: 'body' }; // the body as a whole (e.g. not an object)
          return value === undefined && f.code !== 'unknown_field' && parts.length ? { field: f.field, code: 'required' as const } : f;
        });
      detail = message('validation_failed', lang);
    } else if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
      status = 400;
      code = 'malformed_json';
      detail = message('malformed_json', lang);
      fields = [{ field: 'body', code: 'invalid_format' }];
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      status = 415;
      code = 'unsupported_media_type';
      detail = message('unsupported_media_type', lang);
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.code === 'FST_REQ_FILE_TOO_LARGE' || err.statusCode === 413) {
      status = 413;
      code = 'payload_too_large';
      detail = message('payload_too_large', lang);
    } else if (/^Multipart: Boundary not found$|^Unsupported Content-Type/.test(err.message ?? '')) {
      // the multipart parser refuses a content-type without a usable boundary
      status = 400;
      code = 'validation_failed';
      detail = message('validation_failed', lang);
      fields = [{ field: 'headers.content-type', code: 'invalid_format' }];
    } else if (isUploadCutOff(err)) {
      // a multipart body that ended before its closing boundary, whichever module read it
      status = 400;
      code = 'upload_incomplete';
      detail = message('upload_incomplete', lang);
      fields = [{ field: 'file', code: 'invalid_format' }];
    } else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      status = 400;
      code = 'validation_failed';
      detail = message('validation_failed', lang);
      fields = [{ field: 'body', code: 'required' }];
    } else if (isDatabaseUnavailable(err)) {
      // the database is away (restart, failover, terminated connection): nothing committed, retry shortly
      status = 503;
      code = 'database_unavailable';
      detail = message('database_unavailable', lang);
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      code = 'validation_failed';
      detail = err.message;
    }
    if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    if (status >= 500) req.log.error({ err, serialization: isResponseSerializationError(err as never) }, 'request failed');
    reply
      .code(status)
      .type('application/problem+json')
      .send({
        type: `urn:xiaolian:error:${code}`,
        title: code,
        status,
        code,
        detail,
        instance: req.url,
        requestId: String(req.id),
        ...(fields.length ? { errors: fields.map((f) => ({ field: f.field, code: f.code, message: fieldMessage(f.code, lang, f.params) })) } : {}),
      });
  });

  // ---- operations ----------------------------------------------------------------------------
  const zr = app.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
  // liveness (/healthz): 200 while the process runs, the database's state in the body (restarting the process
  // does not bring a database back); readiness (/readyz): 503 + Retry-After while the database does not
  // answer or while the instance drains for shutdown, so that load balancers send requests elsewhere
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  zr.get(
    '/healthz',
    {
      schema: {
        hide: true,
        response: {
          200: z.object({
            status: z.enum(['ok', 'degraded', 'draining']),
            database: z.enum(['sqlite', 'postgres']),
            version: z.string(),
            problem: z.literal('database_unavailable').optional(),
          }),
        },
      },
    },
    async () => {
      const up = await databaseAnswers(database);
      const status = !up ? ('degraded' as const) : draining ? ('draining' as const) : ('ok' as const);
      return { status, database: database.dialect, version: config.version, ...(up ? {} : { problem: 'database_unavailable' as const }) };
    },
  );
  zr.get(
    '/readyz',
    {
      schema: { hide: true, response: { 200: z.object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']), version: z.string() }) } },
    },
    async () => {
      if (draining) throw new AppError(503, 'shutting_down');
      if (!(await databaseAnswers(database))) throw new AppError(503, 'database_unavailable');
      return { status: 'ready' as const, database: database.dialect, version: config.version };
    },
  );
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    metricsAccess(config, req, reply);
    reply.type(registry.contentType);
    return registry.metrics();
  });
  app.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // ---- features ------------------------------------------------------------------------------
  await authRoutes(app, ctx, auth);
  await registerModules(app, ctx);

  // ---- web app -------------------------------------------------------------------------------
  const webRoot = findWebRoot();
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !webRoot || (req.method !== 'GET' && req.method !== 'HEAD')) {
      const lang = langOf(req.headers['accept-language']);
      return reply
        .code(404)
        .type('application/problem+json')
        .send({
          type: 'urn:xiaolian:error:route_not_found',
          title: 'route_not_found',
          status: 404,
          code: 'route_not_found',
          detail: message('route_not_found', lang),
          instance: req.url,
        });
    }
    // client-side routes: hand over the single-page app (hashed assets are served by @fastify/static)
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
  });

  app.addHook('onClose', async () => {
    if (!opts.database) await database.close();
  });
  return app;
}

/** Wall time (ms) of request starts per event-loop turn before the rest wait for the next turn. */
const TURN_SLICE_MS = 10;

/**
 * Keeps event-loop turns short so that new connections are accepted under load. libuv (since 1.45, Node 20)
 * accepts ONE connection per turn of the event loop (libuv/libuv#3696), and on SQLite a request runs to its
 * end without yielding (synchronous statements, promise continuations only): under a booking burst one turn
 * served every waiting keep-alive client (≈ 0.7 s at 100 clients), so the n-th of 50 new connections waited
 * n turns (measured: 50 newcomers waited 9–135 s, bench/_connect-burst.ts). Here a request starts at once
 * while the current turn has run less than TURN_SLICE_MS; later ones queue (in arrival order) and start in
 * the next turns, after the loop has polled again: accepted a connection, read its request.
 */
function fairTurns() {
  const queue: (() => void)[] = [];
  let sliceStart = -1;
  let draining = false;
  const endSlice = () => {
    sliceStart = -1;
  };
  const withinSlice = () => {
    const now = performance.now();
    if (sliceStart < 0) {
      sliceStart = now;
      setImmediate(endSlice);
    }
    return now - sliceStart < TURN_SLICE_MS;
  };
  // one queued request per turn: promise continuations run only after this callback, so starting several
  // here would run them all in this turn again
  const drain = () => {
    draining = false;
    const next = queue.shift();
    if (queue.length) {
      draining = true;
      setImmediate(drain);
    }
    next?.();
  };
  return (_req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    if (!queue.length && withinSlice()) return done();
    queue.push(done);
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  };
}

const isLoopback = (a: string | undefined) => !!a && (/^127\./.test(a) || a === '::1' || /^::ffff:127\./.test(a));

/**
 * /metrics: with `Authorization: Bearer $METRICS_TOKEN`, or from this machine itself (a loopback peer that
 * forwards nobody: a local proxy adds X-Forwarded-For, so the internet never gets in through it).
 */
function metricsAccess(config: Config, req: FastifyRequest, reply: FastifyReply) {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) {
    const sent = crypto.createHash('sha256').update(h.slice(7)).digest();
    const want = crypto
      .createHash('sha256')
      .update(config.metricsToken ?? crypto.randomBytes(32))
      .digest();
    if (config.metricsToken && crypto.timingSafeEqual(sent, want)) return;
    throw new AppError(403, 'forbidden');
  }
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined || req.headers['x-real-ip'] !== undefined;
  if (isLoopback(req.socket.remoteAddress) && !forwarded) return;
  reply.header('www-authenticate', 'Bearer realm="metrics"');
  throw new AppError(401, 'unauthenticated');
}

function findWebRoot(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const p of [path.resolve(here, '../web'), path.resolve(here, '../../dist/web'), path.resolve(process.cwd(), 'dist/web')]) {
    // a built app has assets/ (src/web, reached from src/server under tsx, holds only the source index.html)
    if (fs.existsSync(path.join(p, 'index.html')) && fs.existsSync(path.join(p, 'assets'))) return p;
  }
  return null;
}
