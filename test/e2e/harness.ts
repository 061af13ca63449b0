/**
 * Browser-test harness: starts the built server (`node dist/server/main.js serve`) on a free port with a
 * fresh data directory (SQLite) or — when DATABASE_URL is set — a fresh PostgreSQL schema, lets it seed
 * the demo region, and drives Chromium through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { Session } from '../../bench/_booking-lib.js';

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Xiaolian@2026';
const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerHandle {
  url: string;
  dataDir: string;
  schema: string | null;
  log: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy within ${timeoutMs} ms:\n${log()}`);
}

async function dropSchema(databaseUrl: string, schema: string) {
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export async function startServer(): Promise<ServerHandle> {
  const entry = path.resolve(ROOT, process.env.E2E_SERVER_ENTRY ?? 'dist/server/main.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} not found: run \`npm run build\` first (npm run test:e2e does)`);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-e2e-'));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const schema = databaseUrl ? `e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}` : null;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_PASSWORD,
    SEED_ON_START: '1',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
  if (schema) env.DATABASE_SCHEMA = schema;
  else delete env.DATABASE_URL;
  delete env.OIDC_ISSUER;
  const child = spawn(process.execPath, [entry, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const log = () => out;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (schema && databaseUrl) await dropSchema(databaseUrl, schema);
  };
  try {
    await waitHealthy(url, child, log, 90_000);
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  return { url, dataDir, schema, log, stop };
}

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  throw new Error('Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const DESKTOP = { width: 1366, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser context (own cookies) with the Chinese UI. */
export async function newContext(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

/** Signs in through the login form and waits until the app has left /login. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.getByTestId('user-menu').waitFor();
}

/** Saves a screenshot next to the test output when E2E_SHOTS is set (debugging aid). */
export async function shot(page: Page, name: string) {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/**
 * Records the page's API traffic, navigations and console errors; when the running test fails, prints
 * them and saves a screenshot (into E2E_SHOTS or the temp directory) so a failure in CI can be read.
 */
export function diagnose(page: Page, name: string) {
  const log: string[] = [];
  const t0 = Date.now();
  const at = () => `${String(Date.now() - t0).padStart(6)} ms`;
  page.on('response', (r) => {
    if (r.url().includes('/api/')) log.push(`${at()} ${r.request().method()} ${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) log.push(`${at()} navigated ${f.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') log.push(`${at()} console.error ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`${at()} pageerror ${e.message}`));
  onTestFailed(async () => {
    const dir = process.env.E2E_SHOTS ?? os.tmpdir();
    const file = path.join(dir, `failed-${name}-${Date.now()}.png`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
    } catch {
      /* the page may be closed */
    }
    console.error(`--- ${name}: ${page.url()} (screenshot ${file})\n${log.join('\n')}`);
  });
}

// ---- several instances of the built server on one database (operations tests: db-faults, rolling-restart,
// migrate-race). E2E_SERVER_ENTRY selects another build, e.g. an older one to compare with. ----------------

export const SERVER_ENTRY = path.resolve(ROOT, process.env.E2E_SERVER_ENTRY ?? 'dist/server/main.js');

export interface Instance {
  url: string;
  port: number;
  child: ChildProcess;
  log: () => string;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** sends `signal` (default SIGTERM; SIGKILL after `killAfterMs`) and resolves with the exit code */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
}

/** Starts `node <SERVER_ENTRY> serve` with `env` on `port` (or a free one); waits until `ready` answers 200. */
export async function spawnServe(
  env: Record<string, string | undefined>,
  opts: { port?: number; ready?: '/healthz' | '/readyz' | false; timeoutMs?: number } = {},
): Promise<Instance> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} not found: run \`npm run build\` first`);
  const port = opts.port ?? (await freePort());
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', DEMO_PASSWORD, ...env, PORT: String(port) };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  delete full.OIDC_ISSUER;
  const child = spawn(process.execPath, [SERVER_ENTRY, 'serve'], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const inst: Instance = {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    log: () => out,
    exited,
    async stop(signal = 'SIGTERM', killAfterMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const t = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        await exited;
        clearTimeout(t);
      }
      return child.exitCode;
    },
  };
  if (opts.ready !== false) {
    try {
      await waitFor(inst, opts.ready ?? '/readyz', opts.timeoutMs ?? 120_000);
    } catch (e) {
      await inst.stop('SIGKILL');
      throw e;
    }
  }
  return inst;
}

/** Polls `pathname` of an instance until it answers 200 (fails early when the process exits). */
export async function waitFor(inst: Instance, pathname: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (inst.child.exitCode !== null) throw new Error(`server exited with ${inst.child.exitCode}:\n${inst.log()}`);
    try {
      if ((await fetch(`${inst.url}${pathname}`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${inst.url}${pathname} not 200 within ${timeoutMs} ms:\n${inst.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a CLI command of the built server (`migrate`, `check`…) without blocking, so that two can race. */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<{ status: number | null; out: string }> {
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const child = spawn(process.execPath, [SERVER_ENTRY, ...args], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.once('exit', (status) => resolve({ status, out })));
}

/** A fresh PostgreSQL schema name (dropped with dropSchema). */
export const freshSchema = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
export { dropSchema };

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** One HTTP request over `agent` (keep-alive, like a proxy's upstream connections); rejects on connection errors. */
export function call(agent: http.Agent, url: string, method: string, p: string, headers: Record<string, string> = {}, body?: unknown): Promise<HttpReply> {
  const u = new URL(p, url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const h: Record<string, string | number> = { accept: 'application/json', ...headers };
  if (payload) {
    h['content-type'] = 'application/json';
    h['content-length'] = payload.length;
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Signs in (bench's Session: cookie + CSRF), waiting out the sign-in throttle (429) a few times. */
export async function apiSignIn(url: string, username: string, password = DEMO_PASSWORD): Promise<Session> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await Session.login(url, username, password);
    } catch (err) {
      if (attempt >= 10 || !/ 429 /.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
}
