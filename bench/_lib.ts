/**
 * Shared benchmark helpers: start the built server as a child process, wait for it, sign in, drive
 * load with autocannon, read the server's memory, describe the machine, write bench/results/<name>.json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SERVER = path.join(ROOT, 'dist/server/main.js');
export const TMP = path.join(ROOT, 'bench/results/tmp');

export function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Runs the CLI to completion (e.g. `seed --scale province`). */
export function cli(args: string[], env: Record<string, string>): string {
  const res = spawnSync(process.execPath, [SERVER, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`xiaolian ${args.join(' ')} failed: ${res.stderr || res.stdout}`);
  return res.stdout;
}

export interface Server {
  url: string;
  child: ChildProcess;
  startupMs: number;
  stop(): Promise<void>;
}

/** Starts `xiaolian serve` and resolves once /healthz answers; startupMs is spawn → first healthy answer. */
export async function startServer(env: Record<string, string>, logFile: string): Promise<Server> {
  const port = await freePort();
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  const started = performance.now();
  const child = spawn(process.execPath, [SERVER, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}); see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const startupMs = Math.round(performance.now() - started);
  return {
    url,
    child,
    startupMs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Signs in with the JSON API and returns the Cookie header for later requests. */
export async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Resident and peak memory of a process, from /proc (Linux). */
export function memoryMiB(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(/\s(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? 0);
  return { rssMiB: Math.round(kb('VmRSS:') / 1024), peakRssMiB: Math.round(kb('VmHWM:') / 1024) };
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  durationSec: number;
  connections: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSec: number;
  headers?: Record<string, string>;
  /** a new path for every request (e.g. a random page) */
  path: () => string;
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationSec,
    headers: o.headers,
    requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: o.path() }) }],
  });
  return {
    requestsPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    durationSec: o.durationSec,
    connections: o.connections,
  };
}

/** A fresh PostgreSQL schema for a benchmark, or null when PostgreSQL cannot be reached. */
export async function freshPgSchema(url: string, schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    console.warn(`PostgreSQL not reachable at ${url}: ${(err as Error).message}; skipping the PostgreSQL run`);
    return false;
  }
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.query(`create schema "${schema}"`);
    return true;
  } finally {
    await client.end();
  }
}

export async function dropPgSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export function writeResult(name: string, result: unknown): string {
  const file = path.join(ROOT, 'bench/results', `${name}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * SQL statements per request, counted with the statement recorder (src/server/db/index.ts) in an app built in
 * this process on the benchmark's database: sign in, one warm-up request (actor and directory cached), then
 * `requests` requests one after another. Returns the mean and the statements of the last request.
 */
export async function statementsPerRequest(o: {
  env: Record<string, string>;
  username: string;
  password: string;
  path: () => string;
  requests?: number;
}): Promise<{ perRequest: number; sample: string[] }> {
  const { loadConfig } = await import('../src/server/config.js');
  const { createDatabase, recordStatements } = await import('../src/server/db/index.js');
  const { buildApp } = await import('../src/server/app.js');
  const config = loadConfig({ ...process.env, ...o.env, LOG_LEVEL: 'silent' });
  const database = createDatabase(config);
  const app = await buildApp(config, { database, logger: false, migrate: false });
  try {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: o.username, password: o.password } });
    if (login.statusCode !== 200) throw new Error(`in-process sign-in failed: ${login.statusCode} ${login.body}`);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const get = async () => {
      const res = await app.inject({ method: 'GET', url: o.path(), headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`in-process request failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
    };
    await get();
    const n = o.requests ?? 200;
    let total = 0;
    let sample: string[] = [];
    for (let i = 0; i < n; i++) {
      const { statements } = await recordStatements(database, get);
      total += statements.length;
      sample = statements;
    }
    return { perRequest: Math.round((100 * total) / n) / 100, sample };
  } finally {
    await app.close();
    await database.close();
  }
}
