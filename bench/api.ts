/**
 * `npm run bench -- api [--duration 10]`
 * An authenticated, paginated list (schools of a city at province scale, 50 connections) on SQLite and on
 * PostgreSQL, each served by one process, beside a bare Fastify "hello" measured in the same run as the
 * ceiling. Reports requests/s, p50/p90/p99, non-2xx, the share of the ceiling, start-up time, the server's memory,
 * and the SQL statements per request: counted in this process with the statement recorder (an app built on the
 * same database, signed in as the same user, 200 requests of the same mix after one warm-up, i.e. with the actor
 * and the organization directory cached), since the built server does not expose a count.
 * Aims (issue 11): ≥ 2,000 req/s on SQLite, ≥ 1,000 on PostgreSQL, p99 < 50 ms, ≤ 2 statements per request.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  cli,
  dropPgSchema,
  freePort,
  freshPgSchema,
  load,
  machine,
  memoryMiB,
  signIn,
  startServer,
  statementsPerRequest,
  TMP,
  writeResult,
  ROOT,
} from './_lib.js';

const args = process.argv.slice(2);
const durationSec = Number(args[args.indexOf('--duration') + 1]) || 10;
const CONNECTIONS = 50;
const PASSWORD = 'Bench@2026xl';
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CITY = 'pr_0002'; // 海川省 first city; bench_city is its bureau
const PAGES = 40;

const randomPath = () => `/api/schools?regionId=${CITY}&page=${1 + Math.floor(Math.random() * PAGES)}&pageSize=20`;

async function hello() {
  const port = await freePort();
  const code = `
    import Fastify from 'fastify';
    const app = Fastify({ logger: false });
    app.get('/', async () => ({ hello: 'world' }));
    await app.listen({ port: ${port}, host: '127.0.0.1' });
    console.log('ready');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => String(d).includes('ready') && resolve()));
  const url = `http://127.0.0.1:${port}`;
  await load({ url, connections: CONNECTIONS, durationSec: 2, path: () => '/' });
  const result = await load({ url, connections: CONNECTIONS, durationSec, path: () => '/' });
  const mem = memoryMiB(child.pid!);
  child.kill('SIGTERM');
  return { ...result, ...mem };
}

async function schoolsList(kind: 'sqlite' | 'postgres') {
  const dataDir = path.join(TMP, `api-${kind}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const schema = 'bench_api';
  const env: Record<string, string> = { DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, SEED_ON_START: '0' };
  if (kind === 'postgres') {
    if (!(await freshPgSchema(PG_URL, schema))) return null;
    Object.assign(env, { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema });
  } else {
    env.DATABASE_URL = '';
  }
  const seedStarted = performance.now();
  const seeded = JSON.parse(cli(['seed', '--scale', 'province'], env).trim().split('\n').pop()!);
  const seedMs = Math.round(performance.now() - seedStarted);
  const server = await startServer(env, path.join(TMP, `api-${kind}.log`));
  try {
    const cookie = await signIn(server.url, 'bench_city', PASSWORD);
    const first = await fetch(`${server.url}${randomPath()}`, { headers: { cookie } });
    const body = (await first.json()) as { total: number; items: unknown[] };
    if (!first.ok || !body.items.length) throw new Error(`list failed: ${first.status} ${JSON.stringify(body).slice(0, 300)}`);
    const idle = memoryMiB(server.child.pid!);
    await load({ url: server.url, connections: CONNECTIONS, durationSec: 2, headers: { cookie }, path: randomPath });
    const result = await load({ url: server.url, connections: CONNECTIONS, durationSec, headers: { cookie }, path: randomPath });
    const mem = memoryMiB(server.child.pid!);
    const statements = await statementsPerRequest({ env, username: 'bench_city', password: PASSWORD, path: randomPath });
    return {
      database: kind,
      processes: 1,
      endpoint: `GET /api/schools?regionId=${CITY}&page=1..${PAGES}&pageSize=20 (signed in as a city bureau)`,
      schoolsInRegion: body.total,
      seeded,
      seedMs,
      startupMs: server.startupMs,
      idleRssMiB: idle.rssMiB,
      ...result,
      ...mem,
      statementsPerRequest: statements.perRequest,
      statementsSample: statements.sample,
    };
  } finally {
    await server.stop();
    if (kind === 'postgres') await dropPgSchema(PG_URL, schema);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Row {
  requestsPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  non2xx: number;
  rssMiB: number;
  statementsPerRequest?: number;
}
let ceilingRps = 0;
const report = (name: string, r: Row | null) => {
  if (!r) return console.log(`${name.padEnd(26)} skipped`);
  const share = ceilingRps && r.requestsPerSec !== ceilingRps ? `   ${((100 * r.requestsPerSec) / ceilingRps).toFixed(1)}% of the ceiling` : '';
  const st = r.statementsPerRequest !== undefined ? `   ${r.statementsPerRequest} statements/request` : '';
  console.log(
    `${name.padEnd(26)} ${String(r.requestsPerSec).padStart(7)} req/s   p50 ${r.p50Ms} ms   p90 ${r.p90Ms} ms   p99 ${r.p99Ms} ms   non-2xx ${r.non2xx}${st}   rss ${r.rssMiB} MiB${share}`,
  );
};
const ofCeiling = (r: Row | null) => (r && ceilingRps ? Math.round((1000 * r.requestsPerSec) / ceilingRps) / 1000 : null);

const m = machine();
console.log(`api benchmark — ${m.cpu} × ${m.cores}, ${m.memoryGiB} GiB, node ${m.node}, ${durationSec} s per run, ${CONNECTIONS} connections`);
const ceiling = await hello();
ceilingRps = ceiling.requestsPerSec;
report('bare Fastify hello', ceiling);
const sqlite = await schoolsList('sqlite');
report('schools list, SQLite', sqlite);
if (sqlite)
  console.log(`  start-up ${sqlite.startupMs} ms, province seed ${sqlite.seedMs} ms (${sqlite.seeded.schools} schools, ${sqlite.seeded.alliances} alliances)`);
const postgres = await schoolsList('postgres');
report('schools list, PostgreSQL', postgres);
if (postgres) console.log(`  start-up ${postgres.startupMs} ms, province seed ${postgres.seedMs} ms`);
const file = writeResult('api', {
  benchmark: 'api',
  machine: m,
  connections: CONNECTIONS,
  durationSec,
  ceiling,
  sqlite: sqlite && { ...sqlite, ofCeiling: ofCeiling(sqlite) },
  postgres: postgres && { ...postgres, ofCeiling: ofCeiling(postgres) },
});
console.log(`written ${path.relative(ROOT, file)}`);
