/**
 * `npx tsx bench/_connect-burst.ts [--db sqlite|postgres] [--instances N] [--clients 100] [--newcomers 50]`
 * (after `npm run build:server`)
 *
 * Reproduces "new connections starve during a booking burst": `clients` signed-in teachers book one-hour
 * slots in a loop over keep-alive sockets (demo data, 20 auto-approve labs); meanwhile three waves of
 * `newcomers` open NEW connections at once, each sending one request on its fresh socket:
 *   wave 1  GET /healthz                      (no session; one `select 1`)
 *   wave 2  GET /api/auth/me                  (a session signed in before the burst)
 *   wave 3  POST /api/auth/login              (a sign-in: an argon2 verification)
 * For each newcomer: TCP connect time and time to the first byte of the answer (from the connect call).
 * Printed beside the steady clients' latencies in the same window and the server's event-loop lag.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { localDate, localIso } from '../src/common/time.js';
import { closeAgents, percentiles, Session } from './_booking-lib.js';
import { dropPgSchema, freshPgSchema, startServer, TMP, type Server } from './_lib.js';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const kind = (arg('db') ?? 'sqlite') as 'sqlite' | 'postgres';
const INSTANCES = Number(arg('instances')) || (kind === 'postgres' ? 3 : 1);
const CLIENTS = Number(arg('clients')) || 100;
const NEWCOMERS = Number(arg('newcomers')) || 50;
const WAVE_GAP_MS = 2500;
const PASSWORD = 'Bench@2026xl';
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_connect';
const DAY_MS = 86_400_000;

interface Probe {
  connectMs: number;
  firstByteMs: number;
  status: number;
}

/** One request on a brand-new TCP connection; times from the connect call. */
function probe(url: string, method: string, p: string, headers: Record<string, string>, body?: unknown): Promise<Probe> {
  const u = new URL(p, url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const h: Record<string, string | number> = { ...headers, connection: 'close' };
  if (payload) Object.assign(h, { 'content-type': 'application/json', 'content-length': payload.length });
  const started = performance.now();
  let connectMs = -1;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, headers: h, agent: false }, (res) => {
      const firstByteMs = performance.now() - started;
      res.resume();
      res.on('end', () => resolve({ connectMs, firstByteMs, status: res.statusCode ?? 0 }));
    });
    req.on('socket', (s) => s.once('connect', () => (connectMs = performance.now() - started)));
    req.on('error', reject);
    req.end(payload);
  });
}

const summary = (xs: number[]) => {
  const p = percentiles(xs);
  return `p50 ${p.p50} ms  p90 ${p.p90} ms  p99 ${p.p99} ms  max ${p.max} ms  (>1 s: ${xs.filter((x) => x > 1000).length}/${xs.length})`;
};

const dataDir = path.join(TMP, `connect-${kind}`);
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
const env: Record<string, string> = {
  DATA_DIR: dataDir,
  DEMO_PASSWORD: PASSWORD,
  SEED_ON_START: '1',
  LOG_LEVEL: process.env.BURST_LOG_LEVEL ?? 'warn',
  ...(kind === 'postgres' ? {} : { DATABASE_URL: '' }),
};
if (kind === 'postgres') {
  if (!(await freshPgSchema(PG_URL, SCHEMA))) process.exit(1);
  Object.assign(env, { DATABASE_URL: PG_URL, DATABASE_SCHEMA: SCHEMA });
}
const instances: Server[] = [];
const logOf = (i: number) => path.join(TMP, `connect-${kind}-${i}.log`);
try {
  instances.push(await startServer(env, logOf(0)));
  for (let i = 1; i < INSTANCES; i++) instances.push(await startServer({ ...env, SEED_ON_START: '0' }, logOf(i)));
  const url = instances[0]!.url;
  const principal = await Session.login(url, 'principal', PASSWORD);
  const secretary = await Session.login(url, 'secretary', PASSWORD);
  await secretary.put(url, '/api/alliances/a_0001/credit-rules', { overdraftLimit: 1_000_000 });
  const labs: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await principal.post(url, '/api/facilities', {
      schoolId: 's_00001',
      type: 'chemistry_lab',
      name: `连接压测实验室${i}`,
      capacity: 48,
      policy: 'auto',
      minNoticeHours: 0,
      maxDaysAhead: 400,
      openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' })),
    });
    if (r.status !== 201) throw new Error(`facility: ${r.status} ${JSON.stringify(r.body)}`);
    labs.push(r.body.id);
  }
  const teachers = await Promise.all(instances.map((inst) => Session.login(inst.url, 'teacher', PASSWORD)));
  const meSessions = await Promise.all(instances.map((inst) => Session.login(inst.url, 'bureau', PASSWORD)));

  let running = true;
  let seq = 0;
  const next = new Map<string, number>();
  const samples: string[] = [];
  const steady: { at: number; ms: number; status: number }[] = [];
  const t0 = performance.now();
  const drive = async (c: number) => {
    while (running) {
      const facilityId = labs[(c + seq) % labs.length]!;
      const n = next.get(facilityId) ?? 0;
      next.set(facilityId, n + 1);
      const date = localDate(Date.now() + (2 + Math.floor(n / 24)) * DAY_MS);
      const hour = String(n % 24).padStart(2, '0');
      const k = seq++ % instances.length;
      const body = {
        facilityId,
        allianceId: 'a_0001',
        start: localIso(date, `${hour}:00`),
        end: localIso(date, `${hour}:50`),
        purpose: '连接压测',
        groupSize: 20,
        responsibleTeacher: '带队教师',
        acceptTerms: true,
      };
      const r = await teachers[k]!.post(instances[k]!.url, '/api/bookings', body, { 'idempotency-key': `cb-${process.pid}-${seq}` });
      steady.push({ at: performance.now() - t0, ms: r.ms, status: r.status });
      if (r.status !== 201 && samples.length < 3) samples.push(JSON.stringify(r.body).slice(0, 300));
    }
  };
  const load = Promise.all(Array.from({ length: CLIENTS }, (_, c) => drive(c)));
  const waves: { name: string; at: number; probes: Probe[] }[] = [];
  const wave = async (name: string, send: (inst: Server, i: number) => Promise<Probe>) => {
    await new Promise((r) => setTimeout(r, WAVE_GAP_MS));
    const at = performance.now() - t0;
    const probes = await Promise.all(Array.from({ length: NEWCOMERS }, (_, i) => send(instances[i % instances.length]!, i)));
    waves.push({ name, at, probes });
  };
  await wave('GET /healthz', (inst) =>
    probe(inst.url, 'GET', '/healthz', { 'x-request-id': `newcomer-healthz-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` }),
  );
  await wave('GET /api/auth/me', (inst, i) => probe(inst.url, 'GET', '/api/auth/me', meSessions[i % instances.length]!.headers()));
  await wave('POST /api/auth/login', (inst) => probe(inst.url, 'POST', '/api/auth/login', {}, { username: 'guardian', password: PASSWORD }));
  await new Promise((r) => setTimeout(r, 1000));
  running = false;
  await load;
  const lag = await fetch(`${url}/metrics`).then((r) => r.text());
  const lagLine = (q: string) => Number(new RegExp(`^xiaolian_nodejs_eventloop_lag_${q}_seconds (\\S+)`, 'm').exec(lag)?.[1] ?? Number.NaN) * 1000;

  const ok = steady.filter((s) => s.status === 201).length;
  const secs = (performance.now() - t0) / 1000;
  console.log(`connect burst — ${kind}, ${INSTANCES} instance(s), ${CLIENTS} booking clients, ${NEWCOMERS} newcomers per wave`);
  const byStatus = new Map<number, number>();
  for (const s of steady) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
  console.log(`steady statuses: ${JSON.stringify(Object.fromEntries(byStatus))} ${JSON.stringify(samples)}`);
  console.log(`steady bookings: ${Math.round(ok / secs)} accepted/s, ${steady.length - ok} not accepted; latency ${summary(steady.map((s) => s.ms))}`);
  for (const w of waves) {
    const during = steady.filter((s) => s.at >= w.at && s.at <= w.at + 2000).map((s) => s.ms);
    const statuses = [...new Set(w.probes.map((p) => p.status))].join(',');
    console.log(`${w.name.padEnd(22)} connect  ${summary(w.probes.map((p) => p.connectMs))}`);
    console.log(`${''.padEnd(22)} 1st byte ${summary(w.probes.map((p) => p.firstByteMs))}  status ${statuses}`);
    console.log(`${''.padEnd(22)} steady bookings meanwhile: ${summary(during)}`);
  }
  console.log(
    `event-loop lag of instance 1 (whole run): p50 ${lagLine('p50').toFixed(1)} ms  p99 ${lagLine('p99').toFixed(1)} ms  max ${lagLine('max').toFixed(1)} ms`,
  );
} finally {
  closeAgents();
  await Promise.all(instances.map((i) => i.stop()));
  if (kind === 'postgres') await dropPgSchema(PG_URL, SCHEMA);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
