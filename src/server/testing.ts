/**
 * Test support: an app on a fresh database (SQLite in a temp folder, or PostgreSQL in a fresh schema when
 * DATABASE_URL is set), seeded with the demo region, and a client that signs in like a browser does
 * (session cookie + CSRF header).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { createDatabase, ensureSchema, type Database } from './db/index.js';
import { migrate } from './db/migrate.js';
import { LocalStorage } from './platform/storage.js';
import { seedDemo } from './seed/index.js';

export const TEST_PASSWORD = 'Xiaolian@2026';

export interface TestEnv {
  app: FastifyInstance;
  database: Database;
  storage: LocalStorage;
  config: Config;
  dir: string;
  /** signs in and returns a client carrying the session */
  login(username: string, password?: string): Promise<Client>;
  /** a client without a session */
  anon(): Client;
  close(): Promise<void>;
}

export interface TestEnvOptions {
  seed?: boolean;
  env?: Record<string, string>;
}

export async function makeTestEnv(opts: TestEnvOptions = {}): Promise<TestEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-test-'));
  const schema = process.env.DATABASE_URL ? `t_${crypto.randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    DEMO_PASSWORD: TEST_PASSWORD,
    // tests write to the database directly between requests: compare the cache versions on every request
    CACHE_CHECK_MS: '0',
    ...(schema ? { DATABASE_SCHEMA: schema } : {}),
    ...opts.env,
  });
  const database = createDatabase(config);
  await ensureSchema(database, schema);
  await migrate(database);
  const storage = new LocalStorage(path.join(dir, 'files'));
  if (opts.seed !== false) await seedDemo(database, storage, { password: TEST_PASSWORD });
  const app = await buildApp(config, { database, storage, logger: false });
  await app.ready();
  const env: TestEnv = {
    app,
    database,
    storage,
    config,
    dir,
    anon: () => new Client(app),
    async login(username, password = TEST_PASSWORD) {
      const c = new Client(app);
      const res = await c.post('/api/auth/login', { username, password });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return c;
    },
    async close() {
      await app.close();
      if (schema) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

export class Client {
  cookies = new Map<string, string>();
  lang = 'zh-CN';
  constructor(private readonly app: FastifyInstance) {}

  get csrf(): string | undefined {
    return this.cookies.get('xl_csrf');
  }

  async request(opts: InjectOptions & { json?: unknown }): Promise<LightMyRequestResponse & { json<T = any>(): T }> {
    const headers: Record<string, string> = { 'accept-language': this.lang, ...(opts.headers as Record<string, string>) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrf && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrf;
    let payload = opts.payload;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(opts.json);
    }
    const res = await this.app.inject({ ...opts, headers, payload } as InjectOptions);
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res as never;
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request({ method: 'GET', url, headers });
  }
  post(url: string, json?: unknown, headers?: Record<string, string>) {
    return this.request({ method: 'POST', url, json, headers });
  }
  put(url: string, json?: unknown) {
    return this.request({ method: 'PUT', url, json });
  }
  patch(url: string, json?: unknown) {
    return this.request({ method: 'PATCH', url, json });
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
}

/** Counts rows of a table (to show that a rejected request changed nothing). */
export async function countRows(database: Database, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database.db);
  return Number(r.rows[0]!.n);
}
