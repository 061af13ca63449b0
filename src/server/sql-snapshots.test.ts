/**
 * Visible SQL (ARCHITECTURE rule 15): the statements each hot endpoint runs once the actor and the
 * organization directory are cached, recorded per dialect and compared with the files checked in under
 * test/sql/ (the way Immich keeps its queries in the repository). A change in the number or the shape of
 * the statements fails here and shows in review as a diff of those files. To accept a change:
 *
 *   UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts
 *   UPDATE_SQL_SNAPSHOTS=1 DATABASE_URL=postgres://… npx vitest run src/server/sql-snapshots.test.ts
 *
 * Only SQL text is recorded (values travel as parameters), so the files hold nothing random.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate, localIso } from '../common/time.js';
import { recordStatements } from './db/index.js';
import { makeTestEnv, type Client, type TestEnv } from './testing.js';

const DIR = path.resolve(import.meta.dirname, '../../test/sql');
const UPDATE = process.env.UPDATE_SQL_SNAPSHOTS === '1';
const ACCEPT = 'UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts';
const DAY_MS = 86_400_000;
const A = 'a_0001';

/** Runs of white space outside quotes become one space (raw SQL written over several lines). */
function oneLine(text: string): string {
  let out = '';
  let quote: string | null = null;
  for (const c of text.trim()) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (/\s/.test(c)) {
      if (!out.endsWith(' ')) out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

/** Breaks a statement before its top-level clauses (outside quotes and parentheses), for readable diffs. */
function layout(sqlText: string): string {
  const text = oneLine(sqlText);
  const clauses = /^ (from|where|inner join|left join|cross join|group by|having|order by|limit|offset|values|set|returning|on conflict|union all|union) /i;
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ' ' && depth === 0) {
      const m = clauses.exec(text.slice(i));
      if (m) {
        out += `\n${m[1]} `;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function snapshotText(endpoint: string, statements: string[]): string {
  const head = [
    `-- ${endpoint}`,
    `-- statements: ${statements.length}`,
    `-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with ${ACCEPT}`,
  ].join('\n');
  return `${head}\n\n${statements.map((s) => `${layout(s)};`).join('\n\n')}\n`;
}

describe('SQL snapshots of the hot endpoints', () => {
  let env: TestEnv;
  let dialect: string;
  let bureau: Client;
  let teacher: Client;
  let principal: Client;
  let autoLab: string;
  let manualLab: string;
  const slots: { start: string; end: string }[] = [];
  let key = 0;

  beforeAll(async () => {
    // caches stay valid for the whole file, so no periodic version check lands inside a recording
    env = await makeTestEnv({ env: { CACHE_CHECK_MS: '5000', ACTOR_CACHE_MS: '60000' } });
    dialect = env.database.dialect;
    bureau = await env.login('bureau');
    teacher = await env.login('teacher'); // 城东区新城小学 s_00003, member of a_0001
    principal = await env.login('principal'); // 临川市实验小学 s_00001, core of a_0001
    const secretary = await env.login('secretary');
    expect((await secretary.put(`/api/alliances/${A}/credit-rules`, { overdraftLimit: 1_000_000 })).statusCode).toBe(200);
    const lab = async (name: string, policy: 'auto' | 'manual') => {
      const res = await principal.post('/api/facilities', {
        schoolId: 's_00001',
        type: 'chemistry_lab',
        subject: 'chemistry',
        name,
        capacity: 48,
        policy,
        minNoticeHours: 0,
        maxDaysAhead: 200,
        openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' })),
        safetyRules: '进入实验室须穿实验服',
        responsibilityTerms: '借用方负责学生安全',
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    autoLab = await lab('快照化学实验室', 'auto');
    manualLab = await lab('快照审批实验室', 'manual');
    const closures = await env.database.db.selectFrom('closures').select(['start_date', 'end_date']).where('school_id', '=', 's_00001').execute();
    for (let d = 10; slots.length < 12; d++) {
      const date = localDate(Date.now() + d * DAY_MS);
      if (closures.some((c) => c.start_date <= date && date <= c.end_date)) continue;
      for (const h of ['09', '11', '14']) slots.push({ start: localIso(date, `${h}:00`), end: localIso(date, `${h}:50`) });
    }
  });
  afterAll(async () => env?.close());

  const book = (facilityId: string) => {
    const slot = slots.shift()!;
    return teacher.post(
      '/api/bookings',
      { facilityId, allianceId: A, ...slot, purpose: '化学分组实验', groupSize: 40, responsibleTeacher: '陈晓燕', acceptTerms: true },
      { 'idempotency-key': `sql-snapshot-${++key}` },
    );
  };

  /** Records one request and compares (or, with UPDATE_SQL_SNAPSHOTS=1, writes) test/sql/<name>.<dialect>.sql. */
  async function check(name: string, endpoint: string, run: () => Promise<{ statusCode: number; body: string }>, status = 200) {
    const { result, statements } = await recordStatements(env.database, run);
    expect(result.statusCode, result.body).toBe(status);
    const file = path.join(DIR, `${name}.${dialect}.sql`);
    const text = snapshotText(endpoint, statements);
    if (UPDATE || !fs.existsSync(file)) {
      fs.mkdirSync(DIR, { recursive: true });
      fs.writeFileSync(file, text);
      if (!UPDATE) throw new Error(`${path.relative(process.cwd(), file)} did not exist and was written now: review it and commit it`);
      return;
    }
    const want = fs.readFileSync(file, 'utf8');
    expect(text, `the SQL of ${endpoint} (${dialect}) differs from ${path.relative(process.cwd(), file)}; if intended, run ${ACCEPT}`).toBe(want);
  }

  /** warm-up first (same request: actor, directory and statement caches filled), then the recorded one */
  async function twice(name: string, endpoint: string, client: Client, url: string) {
    const warm = await client.get(url);
    expect(warm.statusCode, warm.body).toBe(200);
    await check(name, endpoint, () => client.get(url));
  }

  it('GET /api/auth/me', () => twice('auth-me', 'GET /api/auth/me (teacher)', teacher, '/api/auth/me'));
  it('GET /api/schools', () => twice('schools-list', 'GET /api/schools?page=2&pageSize=20 (city bureau)', bureau, '/api/schools?page=2&pageSize=20'));
  it('GET /api/schools?regionId=', () =>
    twice(
      'schools-in-region',
      'GET /api/schools?regionId=r_0002&page=1&pageSize=20 (city bureau; as in the api benchmark)',
      bureau,
      '/api/schools?regionId=r_0002&page=1&pageSize=20',
    ));
  it('GET /api/alliances', () => twice('alliances-list', 'GET /api/alliances (city bureau)', bureau, '/api/alliances'));
  it('GET /api/facilities', () => twice('facilities-list', 'GET /api/facilities (teacher)', teacher, '/api/facilities'));
  it('GET /api/resources', () => twice('resources-list', 'GET /api/resources (teacher)', teacher, '/api/resources'));
  it('GET /api/alliances/:id/credit-accounts', () =>
    twice('credit-balance', `GET /api/alliances/${A}/credit-accounts (school admin: own balance)`, principal, `/api/alliances/${A}/credit-accounts`));

  it('POST /api/bookings (accepted, priced)', async () => {
    expect((await book(autoLab)).statusCode).toBe(201);
    await check(
      'booking-create',
      'POST /api/bookings (teacher, auto-approve facility of another school, free slot, Idempotency-Key)',
      () => book(autoLab),
      201,
    );
  });

  it('POST /api/bookings/:id/approve', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await book(manualLab);
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().bookings[0].id);
    }
    expect((await principal.post(`/api/bookings/${ids[0]}/approve`)).statusCode).toBe(200);
    await check('booking-approve', 'POST /api/bookings/:id/approve (owner school admin, manual facility, pending booking)', () =>
      principal.post(`/api/bookings/${ids[1]}/approve`),
    );
  });
});
