/**
 * `npm run bench -- search [--n 200000] [--queries 100] [--no-api]`
 *
 * Chinese full-text search (S2) at scale, on SQLite and on PostgreSQL:
 *  - 200,000 published resources generated from the subject vocabulary of seed/resources.ts (realistic
 *    titles, descriptions, tags and "extracted" text), on top of the demo region;
 *  - index build time: jieba segmentation (once, shared by both databases) + the database insert;
 *  - 100 realistic queries (one to four words, some with subject/grade/kind facets), each as a
 *    search page does it: count + first page by relevance + snippets, through db/fts.ts; p50/p95;
 *  - the first 20 of the queries by LIKE '%…%' over title and text (the naive baseline; seconds per
 *    query at this size) and the ratio to FTS on the same queries;
 *  - the same queries through `GET /api/resources` of the built server (signed in as a teacher).
 * Results in bench/results/search.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Insertable } from 'kysely';
import { freshPgSchema, dropPgSchema, machine, signIn, startServer, TMP, writeResult } from './_lib.js';
import { loadConfig } from '../src/server/config.js';
import { containsText, createDatabase, ensureSchema, type Database } from '../src/server/db/index.js';
import type { DB } from '../src/server/db/schema.js';
import { migrate } from '../src/server/db/migrate.js';
import { ftsInsertTokenized, ftsMatch, ftsTexts, tokenize, type TokenizedDoc } from '../src/server/db/fts.js';
import { LocalStorage } from '../src/server/platform/storage.js';
import { highlight, queryTerms } from '../src/server/platform/search.js';
import { seedDemo } from '../src/server/seed/index.js';
import { generateResource, TOPICS, type Topic } from '../src/server/seed/resources.js';
import { addDays, instant, pad, Rng } from '../src/server/seed/random.js';
import { SUBJECTS } from '../src/common/vocab.js';
import { GRADES } from '../src/common/resources.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const N = opt('--n', 200_000);
const QUERIES = opt('--queries', 100);
/** LIKE scans every text: at 200,000 resources a query takes seconds, so the baseline uses the first queries only. */
const LIKE_QUERIES = opt('--like-queries', 20);
const API = !args.includes('--no-api');
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const PASSWORD = 'Bench@2026xl';
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TODAY = '2026-11-23';

// ---- data ---------------------------------------------------------------------------------------

interface Context {
  schools: { id: string; type: string; region: string; alliance: string; teachers: string[] }[];
}

const STAGES_OF_TYPE: Record<string, string[]> = {
  primary: ['primary'],
  junior: ['junior'],
  senior: ['senior'],
  nine_year: ['primary', 'junior'],
  complete_secondary: ['junior', 'senior'],
  twelve_year: ['primary', 'junior', 'senior'],
};

async function readContext(db: Database['db']): Promise<Context> {
  const regions = await db.selectFrom('regions').select(['id', 'level', 'parent_id']).execute();
  const cityOf = new Map(regions.map((r) => [r.id, r.level === 'district' && r.parent_id ? r.parent_id : r.id]));
  const members = await db.selectFrom('alliance_members').select(['school_id', 'alliance_id']).where('status', '=', 'active').orderBy('alliance_id').execute();
  const allianceOf = new Map<string, string>();
  for (const m of members) if (!allianceOf.has(m.school_id)) allianceOf.set(m.school_id, m.alliance_id);
  const teachers = await db.selectFrom('role_grants').select(['user_id', 'scope_id']).where('role', '=', 'teacher').orderBy('id').execute();
  const schools = await db.selectFrom('schools').select(['id', 'type', 'region_id']).orderBy('id').execute();
  return {
    schools: schools
      .filter((s) => allianceOf.has(s.id) && STAGES_OF_TYPE[s.type])
      .map((s) => ({
        id: s.id,
        type: s.type,
        region: cityOf.get(s.region_id) ?? s.region_id,
        alliance: allianceOf.get(s.id)!,
        teachers: teachers.filter((t) => t.scope_id === s.id).map((t) => t.user_id),
      }))
      .filter((s) => s.teachers.length > 0),
  };
}

function generate(ctx: Context, n: number) {
  const rng = new Rng('bench/search');
  const topicsOf = new Map(ctx.schools.map((s) => [s.id, TOPICS.filter((t) => STAGES_OF_TYPE[s.type]!.includes(t.stage))]));
  const rows: Insertable<DB['resources']>[] = [];
  const docs: { id: string; title: string; body: string }[] = [];
  for (let i = 0; i < n; i++) {
    const school = rng.pick(ctx.schools);
    const g = generateResource(rng, topicsOf.get(school.id)!, 3);
    const id = `rb_${pad(i + 1, 7)}`;
    const published = instant(addDays(TODAY, -rng.int(1, 1100)), rng.int(0, 600));
    const ratings = rng.int(0, 12);
    rows.push({
      id,
      kind: g.kind,
      title: g.title,
      description: g.description,
      subject: g.topic.subject,
      stage: g.topic.stage,
      grade: g.topic.grade,
      textbook_edition: g.edition,
      chapter: g.chapter,
      difficulty: g.difficulty,
      tags: JSON.stringify(g.tags),
      language: 'zh',
      licence: rng.pick(['cc_by', 'cc_by_nc_sa', 'alliance_only', 'cc_by_nc']),
      visibility: rng.pick(['alliance', 'alliance', 'region', 'public', 'school']),
      alliance_id: school.alliance,
      school_id: school.id,
      region_id: school.region,
      created_by: rng.pick(school.teachers),
      status: 'published',
      current_version_id: `rbv_${pad(i + 1, 7)}`,
      draft_version_id: null,
      reviewer_id: null,
      submitted_at: published,
      published_at: published,
      views: rng.int(0, 500),
      downloads: rng.int(0, 100),
      uses: rng.int(0, 40),
      rating_sum: ratings * rng.int(3, 5),
      rating_count: ratings,
      created_at: published,
      updated_at: published,
    });
    docs.push({ id, title: g.title, body: [g.description, g.tags.join(' '), g.chapter, ...g.paragraphs].join('\n') });
  }
  return { rows, docs };
}

interface Query {
  q: string;
  subject?: string;
  grade?: string;
  kind?: string;
}

const KIND_WORDS: [string, string][] = [
  ['教学设计', 'lesson_plan'],
  ['课件', 'courseware'],
  ['微课', 'micro_lesson'],
  ['试卷', 'exam'],
  ['教案', 'lesson_plan'],
  ['课例', 'lesson_video'],
];

function queries(n: number): Query[] {
  const rng = new Rng('bench/search/queries');
  const short = (t: Topic) => t.name.replace(/[《》]/g, '').replace(/^Unit \d+ /, '');
  const out: Query[] = [];
  for (let i = 0; i < n; i++) {
    const t = rng.pick(TOPICS);
    const [kw, kind] = rng.pick(KIND_WORDS);
    const r = rng.float();
    let q: string;
    if (r < 0.35) q = rng.chance(0.5) ? rng.pick(t.words) : short(t);
    else if (r < 0.65) q = `${short(t)} ${kw}`;
    else if (r < 0.85) q = `${GRADES.label(t.grade)} ${SUBJECTS.label(t.subject)} ${rng.pick(t.words)}`;
    else q = `${SUBJECTS.label(t.subject)} ${rng.sample(t.words, 2).join(' ')} ${kw}`;
    const query: Query = { q };
    const f = rng.float();
    if (f < 0.4) query.subject = t.subject;
    else if (f < 0.55) query.grade = t.grade;
    else if (f < 0.7) query.kind = kind;
    out.push(query);
  }
  return out;
}

// ---- measurement ----------------------------------------------------------------------------------

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};
const stats = (xs: number[]) => ({
  p50Ms: pct(xs, 50),
  p95Ms: pct(xs, 95),
  maxMs: pct(xs, 100),
  meanMs: Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10,
});

type Dbx = Database['db'];

function facets<T extends { where: (...a: never[]) => T }>(b: T, q: Query): T {
  let x = b as unknown as { where: (col: string, op: string, v: string) => typeof x };
  if (q.subject) x = x.where('r.subject', '=', q.subject);
  if (q.grade) x = x.where('r.grade', '=', q.grade);
  if (q.kind) x = x.where('r.kind', '=', q.kind);
  return x as unknown as T;
}

/** A search page through db/fts.ts: count, first page by relevance, snippets. */
async function ftsSearch(db: Dbx, dialect: Database['dialect'], q: Query): Promise<number> {
  const terms = queryTerms(q.q);
  const base = () =>
    facets(db.selectFrom('resources as r').innerJoin(ftsMatch(dialect, terms).as('m'), 'm.doc_id', 'r.id').where('r.status', '=', 'published'), q);
  const total = await base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const page = await base().select(['r.id', 'r.title', 'm.rank']).orderBy('m.rank', 'desc').orderBy('r.id').limit(20).execute();
  const texts = await ftsTexts(
    db,
    page.map((p) => p.id),
  );
  for (const p of page) highlight(texts.get(p.id) ?? '', terms);
  return Number(total.n);
}

/** The naive baseline: every word of the query by LIKE '%word%' over title or text, newest first. */
async function likeSearch(db: Dbx, dialect: Database['dialect'], q: Query): Promise<number> {
  const words = q.q.split(/\s+/).filter(Boolean);
  const base = () => {
    let b = db.selectFrom('resources as r').innerJoin('search_text as d', 'd.doc_id', 'r.id').where('r.status', '=', 'published');
    for (const w of words) b = b.where((eb) => eb.or([containsText(dialect, 'd.title', w), containsText(dialect, 'd.body', w)]));
    return facets(b, q);
  };
  const total = await base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await base().select(['r.id', 'r.title']).orderBy('r.published_at', 'desc').limit(20).execute();
  return Number(total.n);
}

async function timeAll(qs: Query[], run: (q: Query) => Promise<number>, warm: boolean) {
  if (warm) for (const q of qs) await run(q);
  const times: number[] = [];
  const hits: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    hits.push(await run(q));
    times.push(performance.now() - t);
  }
  const slowest = qs
    .map((q, i) => ({ ...q, ms: Math.round(times[i]! * 10) / 10, hits: hits[i]! }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  return {
    ...stats(times),
    meanHits: Math.round(hits.reduce((a, b) => a + b, 0) / hits.length),
    maxHits: Math.max(...hits),
    zeroHitQueries: hits.filter((h) => h === 0).length,
    slowest,
  };
}

// ---- one database -----------------------------------------------------------------------------------

let shared: { rows: Insertable<DB['resources']>[]; tokenized: TokenizedDoc[]; segmentMs: number; chars: number } | null = null;

async function run(kind: 'sqlite' | 'postgres', qs: Query[]) {
  const dataDir = path.join(TMP, `search-${kind}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const schema = 'bench_search';
  const env: Record<string, string> = { DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, SEED_ON_START: '0', LOG_LEVEL: 'warn', DATABASE_URL: '' };
  if (kind === 'postgres') {
    if (!(await freshPgSchema(PG_URL, schema))) return null;
    Object.assign(env, { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema });
  }
  const config = loadConfig({ ...process.env, ...env });
  const database = createDatabase(config);
  await ensureSchema(database, config.databaseSchema);
  await migrate(database);
  await seedDemo(database, new LocalStorage(path.join(dataDir, 'files')), { password: PASSWORD });
  const { db, dialect } = database;

  if (!shared) {
    const ctx = await readContext(db);
    const { rows, docs } = generate(ctx, N);
    const t = performance.now();
    const tokenized = docs.map(tokenize);
    shared = { rows, tokenized, segmentMs: Math.round(performance.now() - t), chars: docs.reduce((a, d) => a + d.title.length + d.body.length, 0) };
    console.log(`generated ${N} resources (${(shared.chars / 1e6).toFixed(1)} M characters); jieba segmentation ${shared.segmentMs} ms`);
  }
  let t = performance.now();
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < shared!.rows.length; i += 500)
      await tx
        .insertInto('resources')
        .values(shared!.rows.slice(i, i + 500))
        .execute();
  });
  const rowsMs = Math.round(performance.now() - t);
  t = performance.now();
  await db.transaction().execute((tx) => ftsInsertTokenized(tx, dialect, shared!.tokenized, 500));
  const indexInsertMs = Math.round(performance.now() - t);
  t = performance.now();
  if (dialect === 'sqlite') {
    await sql`insert into search_fts(search_fts) values ('optimize')`.execute(db);
    await sql`analyze`.execute(db);
  } else {
    await sql`analyze`.execute(db);
  }
  const optimizeMs = Math.round(performance.now() - t);
  const sizeMiB =
    dialect === 'postgres'
      ? Math.round(
          Number((await sql<{ n: number }>`select pg_total_relation_size('search_docs') + pg_total_relation_size('search_text') as n`.execute(db)).rows[0]!.n) /
            2 ** 20,
        )
      : Math.round(fs.statSync(config.sqlitePath).size / 2 ** 20);
  console.log(`[${kind}] resources rows ${rowsMs} ms, index insert ${indexInsertMs} ms, optimize/analyze ${optimizeMs} ms, size ${sizeMiB} MiB`);

  const fts = await timeAll(qs, (q) => ftsSearch(db, dialect, q), true);
  console.log(`[${kind}] FTS   p50 ${fts.p50Ms} ms, p95 ${fts.p95Ms} ms (mean hits ${fts.meanHits}); slowest ${JSON.stringify(fts.slowest)}`);
  const likeQs = qs.slice(0, LIKE_QUERIES);
  const like = await timeAll(likeQs, (q) => likeSearch(db, dialect, q), false);
  const ftsSame = await timeAll(likeQs, (q) => ftsSearch(db, dialect, q), false);
  console.log(
    `[${kind}] LIKE  p50 ${like.p50Ms} ms, p95 ${like.p95Ms} ms over the first ${likeQs.length} queries (FTS on the same: p50 ${ftsSame.p50Ms} ms, p95 ${ftsSame.p95Ms} ms)`,
  );
  // PostgreSQL's default random_page_cost (4, for spinning disks) makes the planner hash-join the
  // matches with a sequential scan of resources; with 1.1 (SSD / cached data) it looks them up by key
  let ftsSsdCosts: unknown = null;
  if (dialect === 'postgres') {
    const tuned = createDatabase(config);
    tuned.pool!.on('connect', (c) => void c.query('set random_page_cost = 1.1'));
    ftsSsdCosts = await timeAll(qs, (q) => ftsSearch(tuned.db, dialect, q), true);
    console.log(
      `[${kind}] FTS with random_page_cost 1.1: p50 ${(ftsSsdCosts as { p50Ms: number }).p50Ms} ms, p95 ${(ftsSsdCosts as { p95Ms: number }).p95Ms} ms`,
    );
    await tuned.close();
  }
  await database.close();

  let api: unknown = null;
  if (API) {
    const server = await startServer(env, path.join(TMP, `search-${kind}.log`));
    try {
      const cookie = await signIn(server.url, 'teacher', PASSWORD);
      const get = async (q: Query) => {
        const p = new URLSearchParams({ q: q.q, pageSize: '20' });
        if (q.subject) p.set('subject', q.subject);
        if (q.grade) p.set('grade', q.grade);
        if (q.kind) p.set('kind', q.kind);
        const res = await fetch(`${server.url}/api/resources?${p}`, { headers: { cookie } });
        if (!res.ok) throw new Error(`GET /api/resources → ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { total: number };
        return body.total;
      };
      api = await timeAll(qs, get, true);
      console.log(`[${kind}] API   p50 ${(api as { p50Ms: number }).p50Ms} ms, p95 ${(api as { p95Ms: number }).p95Ms} ms`);
    } catch (err) {
      api = { error: (err as Error).message };
      console.warn(`[${kind}] API not measured: ${(err as Error).message}`);
    } finally {
      await server.stop();
    }
  }
  if (kind === 'postgres') await dropPgSchema(PG_URL, schema);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    indexBuild: { segmentMs: shared.segmentMs, insertMs: indexInsertMs, optimizeMs, totalMs: shared.segmentMs + indexInsertMs + optimizeMs, sizeMiB },
    resourceRowsMs: rowsMs,
    fts,
    ...(ftsSsdCosts ? { ftsWithRandomPageCost1_1: ftsSsdCosts } : {}),
    like,
    likeQueries: likeQs.length,
    ftsOnLikeQueries: ftsSame,
    likeToFtsRatioP50: Math.round((like.p50Ms / Math.max(0.1, ftsSame.p50Ms)) * 10) / 10,
    likeToFtsRatioP95: Math.round((like.p95Ms / Math.max(0.1, ftsSame.p95Ms)) * 10) / 10,
    api,
  };
}

const qs = queries(QUERIES);
const sqlite = ONLY === 'postgres' ? null : await run('sqlite', qs);
const postgres = ONLY === 'sqlite' ? null : await run('postgres', qs);
const result = {
  machine: machine(),
  resources: N,
  characters: (shared as { chars: number } | null)?.chars ?? 0,
  queries: qs.length,
  sampleQueries: qs.slice(0, 12),
  aim: 'p95 < 50 ms',
  sqlite,
  postgres,
};
console.log(JSON.stringify(result, null, 2));
console.log(`written ${writeResult('search', result)}`);
