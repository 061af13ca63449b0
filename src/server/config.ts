import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Environment → typed configuration. The only place that reads process.env. */
const Env = z.object({
  /** `production` turns on the safe-deployment checks below (PUBLIC_URL required, no demo data by default…). */
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Listen address: loopback unless set (put a TLS proxy in front, or set HOST=0.0.0.0 deliberately). */
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  /** PostgreSQL schema to use (tests run each file in its own schema). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  DEMO_PASSWORD: z.string().min(8).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The address users open; cookies carry `Secure` when it is https. Required in production. */
  PUBLIC_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'http:// or https://')
    .optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  /**
   * How often (ms) at most an instance asks the database whether the organization, grants or sessions changed
   * (directory and actor caches, docs/architecture.md). Changes made on another instance take effect within it.
   */
  CACHE_CHECK_MS: z.coerce.number().int().min(0).max(5000).default(500),
  /** How long (ms) a signed-in actor is reused without reading its session again (changes end it at once). */
  ACTOR_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  /** Sign-in failures per account before the back-off starts. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /**
   * Sign-in failures per client address (IPv6: per /64) before the back-off starts. Attempts are counted while
   * they are checked, and a whole school (a computer room of 50 first-time sign-ins) often shares one NAT
   * address: the default leaves room for that.
   */
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(100_000).default(100),
  /** First back-off; it doubles with every further failure. */
  LOGIN_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Ceiling of the back-off. */
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** A counter without failures for this long starts again from zero. */
  LOGIN_DECAY_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  /** Addresses or CIDRs of the reverse proxies whose X-Forwarded-For/-Proto are believed (comma-separated). */
  TRUST_PROXY: z.string().optional(),
  /** Bearer token for GET /metrics from anywhere but loopback. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Build identification (set by CI; otherwise baked in at build time or read from git). */
  GIT_COMMIT: z
    .string()
    .regex(/^[0-9a-f]{4,40}$/i)
    .optional(),
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
  /** Create the demo region on start (empty database only). Off unless asked: `npm start` asks on a fresh checkout. */
  SEED_ON_START: z.enum(['0', '1']).default('0'),
  /** Storage quota for resource uploads, in bytes: per uploader and per school (default 5 GiB / 50 GiB). */
  UPLOAD_QUOTA_USER_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 1024 ** 3),
  UPLOAD_QUOTA_SCHOOL_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(50 * 1024 ** 3),
});

/** One sign-in back-off rule (modules/auth/throttle.ts applies it). */
export interface ThrottleRule {
  /** failures allowed before the back-off starts */
  free: number;
  /** first back-off; each further failure doubles it */
  baseMs: number;
  /** ceiling of the back-off */
  maxMs: number;
  /** a key without failures for this long starts again from zero */
  decayMs: number;
}

export interface Config {
  /** NODE_ENV=production */
  production: boolean;
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
  /** directory / actor caches: version check interval and actor reuse time (ms) */
  cache: { checkMs: number; actorMs: number };
  login: { account: ThrottleRule; ip: ThrottleRule };
  /** false, or the proxies' addresses / CIDRs (true only outside production) */
  trustProxy: boolean | string[];
  metricsToken?: string;
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
  /** demo accounts must change their password at first sign-in (production) */
  demoMustChangePassword: boolean;
  /** resource upload quotas in bytes */
  uploadQuota: { userBytes: number; schoolBytes: number };
  /** package version + commit, e.g. 0.1.0+3f2a9c1d0b7e */
  version: string;
  /** unsafe but allowed settings, logged at start */
  warnings: string[];
}

/** The published demo password (README): never acceptable for seeded accounts in production. */
export const PUBLIC_DEMO_PASSWORD = 'Xiaolian@2026';

// baked in by the build (package.json build:server, esbuild --define)
declare const __XL_VERSION__: string | undefined;
declare const __XL_COMMIT__: string | undefined;

let built: { version: string; commit: string } | undefined;
/** package.json's version and the git commit: from the build, else from the checkout this file is in. */
export function buildInfo(): { version: string; commit: string } {
  if (built) return built;
  const here = path.dirname(fileURLToPath(import.meta.url));
  let version = typeof __XL_VERSION__ === 'string' ? __XL_VERSION__ : '';
  let commit = typeof __XL_COMMIT__ === 'string' ? __XL_COMMIT__ : '';
  if (!version) {
    try {
      // src/server/config.ts and dist/server/main.js are both two levels below package.json
      version = JSON.parse(fs.readFileSync(path.resolve(here, '../../package.json'), 'utf8')).version ?? '';
    } catch {
      version = '';
    }
  }
  if (!commit || commit === 'unknown') {
    try {
      commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: here, stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000 })
        .toString()
        .trim();
    } catch {
      commit = 'unknown';
    }
  }
  built = { version: version || '0.0.0', commit };
  return built;
}

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR or one of proxy-addr's names (loopback, linklocal, uniquelocal). */
function isProxyAddress(s: string): boolean {
  if (PROXY_KEYWORDS.has(s) || net.isIP(s)) return true;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const kind = net.isIP(m[1]!);
  const bits = Number(m[2]);
  return (kind === 4 && bits <= 32) || (kind === 6 && bits <= 128);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = Env.safeParse(env);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  if (!parsed.success) throw new Error(`invalid environment:\n${problems.join('\n')}`);
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const warnings: string[] = [];
  const refuse = (msg: string) => problems.push(`  ${msg}`);

  const dataDir = path.resolve(e.DATA_DIR);
  if (production && !e.PUBLIC_URL) {
    refuse('PUBLIC_URL: required when NODE_ENV=production — the address users open, e.g. https://xl.edu.example.cn (https turns on Secure cookies)');
  }
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  if (production && publicUrl.startsWith('http://')) {
    warnings.push(`PUBLIC_URL ${publicUrl} is not https: session cookies are sent without Secure; put TLS in front (docs/deploy.md)`);
  }

  let trustProxy: boolean | string[] = false;
  const tp = e.TRUST_PROXY?.trim();
  if (tp && tp !== 'false' && tp !== '0') {
    if (tp === 'true') {
      if (production) {
        refuse(
          "TRUST_PROXY: 'true' believes X-Forwarded-For from anyone, so any client can fake the address in the audit log and the sign-in throttle; give the proxy's address(es) or CIDR(s), e.g. TRUST_PROXY=127.0.0.1 or TRUST_PROXY=10.0.0.5,10.0.0.6",
        );
      } else {
        warnings.push("TRUST_PROXY=true believes X-Forwarded-For from any client; give the proxy's address instead (refused when NODE_ENV=production)");
        trustProxy = true;
      }
    } else {
      const list = tp
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = list.filter((s) => !isProxyAddress(s));
      if (bad.length)
        refuse(
          `TRUST_PROXY: ${bad.join(', ')} is not an IP address or CIDR (give the reverse proxy's address(es), comma-separated, e.g. 127.0.0.1,10.0.0.0/24)`,
        );
      trustProxy = list;
    }
  }

  const demoPassword = e.DEMO_PASSWORD ?? PUBLIC_DEMO_PASSWORD;
  const seedOnStart = e.SEED_ON_START === '1';
  if (production && seedOnStart && demoPassword === PUBLIC_DEMO_PASSWORD) {
    refuse(
      `SEED_ON_START=1: demo accounts (admin, bureau…) with the published password ${PUBLIC_DEMO_PASSWORD} are refused when NODE_ENV=production; leave SEED_ON_START unset and create the first administrator with \`create-admin\`, or set a private DEMO_PASSWORD for a demonstration server`,
    );
  }
  if (problems.length) throw new Error(`unsafe or invalid environment:\n${problems.join('\n')}`);

  const rule = (free: number): ThrottleRule => ({
    free,
    baseMs: e.LOGIN_BACKOFF_SECONDS * 1000,
    maxMs: Math.max(e.LOGIN_LOCK_MINUTES * 60_000, e.LOGIN_BACKOFF_SECONDS * 1000),
    decayMs: e.LOGIN_DECAY_MINUTES * 60_000,
  });
  const b = buildInfo();
  const commit = e.GIT_COMMIT ?? b.commit;
  const cfg: Config = {
    production,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL || undefined,
    databaseSchema: e.DATABASE_SCHEMA,
    sqlitePath: path.join(dataDir, 'xiaolian.sqlite'),
    demoPassword,
    logLevel: e.LOG_LEVEL,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    cache: { checkMs: e.CACHE_CHECK_MS, actorMs: e.ACTOR_CACHE_MS },
    login: { account: rule(e.LOGIN_MAX_FAILURES), ip: rule(e.LOGIN_IP_MAX_FAILURES) },
    trustProxy,
    metricsToken: e.METRICS_TOKEN,
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
    seedOnStart,
    demoMustChangePassword: production,
    uploadQuota: { userBytes: e.UPLOAD_QUOTA_USER_BYTES, schoolBytes: e.UPLOAD_QUOTA_SCHOOL_BYTES },
    version: `${b.version}+${commit}`,
    warnings,
  };
  return { ...cfg, ...overrides };
}

/** Which database a config points at, for people (no password): `sqlite /srv/…/xiaolian.sqlite`, `postgres db.internal:5432/xiaolian`. */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'sqlitePath'>): string {
  if (!config.databaseUrl) return `sqlite ${config.sqlitePath}`;
  try {
    const u = new URL(config.databaseUrl);
    const host = u.host || u.searchParams.get('host') || 'localhost';
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || (u.username ? decodeURIComponent(u.username) : '');
    return `postgres ${host}/${db}${u.username ? ` (user ${decodeURIComponent(u.username)})` : ''}${config.databaseSchema ? ` schema ${config.databaseSchema}` : ''}`;
  } catch {
    return 'postgres (DATABASE_URL is not a URL)';
  }
}
