import path from 'node:path';
import { z } from 'zod';

/** Environment → typed configuration. The only place that reads process.env. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  /** PostgreSQL schema to use (tests run each file in its own schema). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  DEMO_PASSWORD: z.string().min(8).default('Xiaolian@2026'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().optional(),
  /** Cookies carry `Secure` when the public URL is https. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  TRUST_PROXY: z.string().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_SCOPES: z.string().default('openid profile email'),
  /** Claim of the ID token / userinfo that identifies the local account. */
  OIDC_MATCH_CLAIM: z.string().default('preferred_username'),
  /** Local account column the claim is matched against. */
  OIDC_MATCH_FIELD: z.enum(['username', 'email', 'phone']).default('username'),
  OIDC_LABEL: z.string().default('统一身份认证登录'),
  /** Allow plain-http issuers (only for tests and closed intranets). */
  OIDC_ALLOW_HTTP: z.enum(['0', '1']).default('0'),
  SEED_ON_START: z.enum(['0', '1']).default('1'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databaseSchema?: string;
  sqlitePath: string;
  demoPassword: string;
  logLevel: string;
  publicUrl: string;
  secureCookies: boolean;
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailures: number; lockMinutes: number };
  trustProxy: boolean | string;
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    scopes: string;
    matchClaim: string;
    matchField: 'username' | 'email' | 'phone';
    label: string;
    allowHttp: boolean;
  };
  seedOnStart: boolean;
  version: string;
}

export const VERSION = '0.1.0';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  const cfg: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL || undefined,
    databaseSchema: e.DATABASE_SCHEMA,
    sqlitePath: path.join(dataDir, 'xiaolian.sqlite'),
    demoPassword: e.DEMO_PASSWORD,
    logLevel: e.LOG_LEVEL,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockMinutes: e.LOGIN_LOCK_MINUTES },
    trustProxy: e.TRUST_PROXY === undefined ? false : e.TRUST_PROXY === 'true' ? true : e.TRUST_PROXY,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            scopes: e.OIDC_SCOPES,
            matchClaim: e.OIDC_MATCH_CLAIM,
            matchField: e.OIDC_MATCH_FIELD,
            label: e.OIDC_LABEL,
            allowHttp: e.OIDC_ALLOW_HTTP === '1',
          }
        : undefined,
    seedOnStart: e.SEED_ON_START === '1',
    version: VERSION,
  };
  return { ...cfg, ...overrides };
}
