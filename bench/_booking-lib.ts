/**
 * Helpers shared by the booking benchmark (bench/booking.ts) and the multi-instance race / kill -9 tests
 * (test/e2e/booking-race.e2e.ts): spawning `xiaolian serve` processes on one database, signed-in HTTP
 * sessions over keep-alive sockets, and the invariants checked after a burst (no overlapping accepted
 * bookings, every priced booking charged, every ledger transaction balanced, ledger check clean).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SERVER_ENTRY = path.join(ROOT, 'dist/server/main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Instance {
  url: string;
  port: number;
  child: ChildProcess;
  log: () => string;
  /** SIGTERM, then SIGKILL after 5 s */
  stop(): Promise<void>;
  /** SIGKILL at once (the fault test) */
  kill9(): Promise<void>;
}

/**
 * Starts `node dist/server/main.js serve` with the given environment (DATA_DIR, DATABASE_URL,
 * DATABASE_SCHEMA, SEED_ON_START…) on a free port (or `port`) and resolves once /healthz answers.
 */
export async function spawnInstance(
  env: Record<string, string | undefined>,
  opts: { port?: number; timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<Instance> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} not found: run \`npm run build\` first`);
  const port = opts.port ?? (await freePort());
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, PORT: String(port) };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  delete full.OIDC_ISSUER;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), SERVER_ENTRY, 'serve'], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${out}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    child,
    log: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs a CLI command of the built server (e.g. `check`, `seed --scale province`) to completion. */
export function runCli(args: string[], env: Record<string, string | undefined>): { status: number; out: string } {
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const res = spawnSync(process.execPath, [SERVER_ENTRY, ...args], { cwd: ROOT, env: full, encoding: 'utf8' });
  return { status: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

// ---- HTTP sessions ----------------------------------------------------------------------------

const agents = new Map<string, http.Agent>();
function agentFor(url: string): http.Agent {
  let a = agents.get(url);
  if (!a) {
    a = new http.Agent({ keepAlive: true, maxSockets: 256 });
    agents.set(url, a);
  }
  return a;
}
export function closeAgents() {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

export interface Reply<T = any> {
  status: number;
  body: T;
  ms: number;
}

/** One HTTP request over a keep-alive socket; resolves with the status, the parsed JSON body and the latency. */
export function request<T = any>(url: string, method: string, p: string, headers: Record<string, string>, body?: unknown): Promise<Reply<T>> {
  const u = new URL(p, url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const h: Record<string, string | number> = { accept: 'application/json', ...headers };
  if (payload) {
    h['content-type'] = 'application/json';
    h['content-length'] = payload.length;
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, agent: agentFor(url) }, (res) => {
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
        resolve({ status: res.statusCode ?? 0, body: parsed as T, ms: performance.now() - started });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** A signed-in user: session cookie + CSRF header, usable against any instance sharing the database. */
export class Session {
  constructor(
    readonly username: string,
    readonly cookie: string,
    readonly csrf: string,
  ) {}

  static async login(url: string, username: string, password: string): Promise<Session> {
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
    const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = pairs.find((p) => p.startsWith('xl_csrf='))?.slice('xl_csrf='.length) ?? '';
    return new Session(username, pairs.join('; '), csrf);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { cookie: this.cookie, 'x-csrf-token': this.csrf, 'accept-language': 'zh-CN', ...extra };
  }
  get<T = any>(url: string, p: string) {
    return request<T>(url, 'GET', p, this.headers());
  }
  post<T = any>(url: string, p: string, body?: unknown, extra?: Record<string, string>) {
    return request<T>(url, 'POST', p, this.headers(extra), body ?? {});
  }
  patch<T = any>(url: string, p: string, body?: unknown) {
    return request<T>(url, 'PATCH', p, this.headers(), body ?? {});
  }
  put<T = any>(url: string, p: string, body?: unknown) {
    return request<T>(url, 'PUT', p, this.headers(), body ?? {});
  }
}

/** Latency percentiles (ms) of a list of samples. */
export function percentiles(samples: number[]): { p50: number; p90: number; p99: number; max: number } {
  if (!samples.length) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(s[s.length - 1] * 10) / 10 };
}
