/**
 * Input is hostile (ARCHITECTURE rule 14, issue 9 items 1 and 10): absurd dates answer 400 quickly and
 * the server keeps answering; NUL, control characters, CR/LF in single-line fields, bidi overrides,
 * impossible dates and T24:00 are refused with 400 naming the field and nothing written; loans and
 * waitlist entries have a horizon; uploads have a storage quota.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from './testing.js';
import { expectProblem, multipart } from './testkit.js';
import { makePdf } from './seed/resource-files.js';
import { DAY, localParts } from '../common/facilities.js';
import { ALLIANCE_KINDS, ALLIANCE_PATTERNS, PARTNER_KINDS, PHASES } from '../common/vocab.js';
import { localIso } from '../common/time.js';

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
/** local date `days` from today (Asia/Shanghai) */
const dayFrom = (days: number) => localParts(Date.now() + days * DAY).date;
/** an instant at local wall time */
const at = (date: string, hm: string) => new Date(Date.parse(localIso(date, hm))).toISOString();

let env: TestEnv;
let admin: Client;
let _bureau: Client;
let principal: Client; // school admin of s_00001 (core of a_0001)
let secretary: Client; // secretariat of a_0001
let teacher: Client; // 陈晓燕, teacher of s_00003 (member of a_0001)
let facilityId: string;
let regionId: string;

beforeAll(async () => {
  env = await makeTestEnv();
  [admin, _bureau, principal, secretary, teacher] = await Promise.all(['admin', 'bureau', 'principal', 'secretary', 'teacher'].map((u) => env.login(u)));
  regionId = (await env.database.db.selectFrom('schools').select('region_id').where('id', '=', 's_00001').executeTakeFirstOrThrow()).region_id;
  const f = await principal.post('/api/facilities', {
    schoolId: 's_00001',
    type: 'chemistry_lab',
    subject: 'chemistry',
    name: '输入校验实验室',
    capacity: 48,
    location: '实验楼101',
    minNoticeHours: 0,
    maxDaysAhead: 30,
    maxMinutes: 240,
    openHours: ALL_WEEK,
    safetyRules: '进入实验室须穿实验服',
    responsibilityTerms: '借用方负责学生安全',
  });
  expect(f.statusCode, f.body).toBe(201);
  facilityId = f.json().id;
});
afterAll(async () => env.close());

/** the fields a 400 names */
const fieldsOf = (res: { body: string }) => (JSON.parse(res.body).errors ?? []).map((e: { field: string }) => e.field) as string[];

describe('absurd dates in report queries', () => {
  it('utilization far beyond the supported years answers 400 quickly, and the server keeps answering', async () => {
    const started = Date.now();
    const school = await teacher.get('/api/schools/s_00003/utilization?from=9999-12-30&to=9999-12-31');
    expectProblem(school, 400, 'validation_failed', ['query.from', 'query.to']);
    expect(school.json().errors.every((e: { code: string }) => e.code === 'invalid_date')).toBe(true);
    const alliance = await teacher.get('/api/alliances/a_0001/utilization?from=0000-01-01&to=0000-12-31');
    expectProblem(alliance, 400, 'validation_failed', ['query.from', 'query.to']);
    expect(Date.now() - started).toBeLessThan(5_000);
    const health = await env.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });

  it('utilization ranges: to before from, and longer than the cap, name the field', async () => {
    const back = await teacher.get('/api/schools/s_00003/utilization?from=2026-11-01&to=2026-10-01');
    expect(expectProblem(back, 400, 'validation_failed').errors).toEqual([expect.objectContaining({ field: 'query.to', code: 'before_from' })]);
    const long = await teacher.get('/api/schools/s_00003/utilization?from=2024-01-01&to=2026-10-01');
    expect(expectProblem(long, 400, 'validation_failed').errors).toEqual([expect.objectContaining({ field: 'query.to', code: 'range_too_long' })]);
    // only `to`, far in the future: the default start is 12 weeks earlier, so the range is fine
    expect((await teacher.get('/api/schools/s_00003/utilization?to=2100-12-31')).statusCode).toBe(200);
    // only `from`: the range to today would be too long
    expectProblem(await teacher.get('/api/schools/s_00003/utilization?from=2000-01-01'), 400, 'validation_failed', ['query.to']);
  });

  it('the catalogue of month 9999-12 (or 2026-13) is a 400, a real month is a 200', async () => {
    expectProblem(await teacher.get('/api/resources/catalogue?month=9999-12'), 400, 'validation_failed', ['query.month']);
    expectProblem(await teacher.get('/api/resources/catalogue?month=2026-13'), 400, 'validation_failed', ['query.month']);
    expect((await teacher.get('/api/resources/catalogue?month=2026-09')).statusCode).toBe(200);
  });

  it('audit and statement ranges are at most about two years', async () => {
    expectProblem(await admin.get('/api/audit?from=2020-01-01&to=2026-01-01'), 400, 'validation_failed', ['query.to']);
    expectProblem(await admin.get('/api/audit?from=2026-03-01&to=2026-02-01'), 400, 'validation_failed', ['query.to']);
    expect((await admin.get('/api/audit?from=2025-03-01&to=2026-02-01')).statusCode).toBe(200);
    expectProblem(await secretary.get('/api/credit/statements?allianceId=a_0001&schoolId=s_00001&from=2020-01-01&to=2026-01-01'), 400, 'validation_failed', [
      'query.to',
    ]);
  });
});

describe('garbage is refused with 400 naming the field, and nothing is written', () => {
  const NUL = '\u0000';
  const CRLF = '\r\n';
  const BIDI = '\u202e';
  const BELL = '\u0007';
  const start = at(dayFrom(5), '10:00');
  const end = at(dayFrom(5), '11:00');

  type Case = {
    name: string;
    as: () => Client;
    method: 'POST' | 'PATCH';
    url: () => string;
    body: () => Record<string, unknown>;
    field: string;
    code: string;
    table: string;
  };
  const cases: Case[] = [
    {
      name: 'profile displayName NUL',
      as: () => teacher,
      method: 'PATCH',
      url: () => '/api/auth/me',
      body: () => ({ displayName: NUL }),
      field: 'displayName',
      code: 'control_characters',
      table: 'users',
    },
    {
      name: 'user displayName CR/LF',
      as: () => admin,
      method: 'POST',
      url: () => '/api/users',
      body: () => ({ username: 'hostile.user', displayName: `张三${CRLF}李四`, schoolId: 's_00001' }),
      field: 'displayName',
      code: 'control_characters',
      table: 'users',
    },
    {
      name: 'school name CR/LF',
      as: () => admin,
      method: 'POST',
      url: () => '/api/schools',
      field: 'name',
      code: 'control_characters',
      table: 'schools',
      body: () => ({ regionId, code: '3399999901', name: `测试${CRLF}学校`, type: 'primary', ownership: 'public', location: 'urban' }),
    },
    {
      name: 'alliance foundedOn 2026-02-30',
      as: () => admin,
      method: 'POST',
      url: () => '/api/alliances',
      field: 'foundedOn',
      code: 'invalid_date',
      table: 'alliances',
      body: () => ({
        regionId,
        name: '输入校验联盟',
        kind: ALLIANCE_KINDS.codes[0],
        pattern: ALLIANCE_PATTERNS.codes[0],
        coreSchoolId: 's_00001',
        foundedOn: '2026-02-30',
        cycleStartOn: '2026-09-01',
      }),
    },
    {
      name: 'alliance cycleStartOn 0001-01-01',
      as: () => admin,
      method: 'POST',
      url: () => '/api/alliances',
      field: 'cycleStartOn',
      code: 'invalid_date',
      table: 'alliances',
      body: () => ({
        regionId,
        name: '输入校验联盟',
        kind: ALLIANCE_KINDS.codes[0],
        pattern: ALLIANCE_PATTERNS.codes[0],
        coreSchoolId: 's_00001',
        foundedOn: '2026-02-01',
        cycleStartOn: '0001-01-01',
      }),
    },
    {
      name: 'partner name bidi',
      as: () => admin,
      method: 'POST',
      url: () => '/api/partners',
      body: () => ({ regionId, name: `科技馆${BIDI}gpj.exe`, kind: PARTNER_KINDS.codes[0] }),
      field: 'name',
      code: 'control_characters',
      table: 'partners',
    },
    {
      name: 'milestone title bell',
      as: () => secretary,
      method: 'POST',
      url: () => '/api/alliances/a_0001/milestones',
      body: () => ({ phase: PHASES.codes[0], title: `完成${BELL}章程`, dueOn: '2026-10-01' }),
      field: 'title',
      code: 'control_characters',
      table: 'milestones',
    },
    {
      name: 'milestone dueOn 2026-02-30',
      as: () => secretary,
      method: 'POST',
      url: () => '/api/alliances/a_0001/milestones',
      body: () => ({ phase: PHASES.codes[0], title: '完成章程', dueOn: '2026-02-30' }),
      field: 'dueOn',
      code: 'invalid_date',
      table: 'milestones',
    },
    {
      name: 'application reason NUL',
      as: () => principal,
      method: 'POST',
      url: () => '/api/applications',
      body: () => ({ allianceId: 'a_0002', schoolId: 's_00001', reason: `希望加入联盟${NUL}共享资源` }),
      field: 'reason',
      code: 'control_characters',
      table: 'membership_applications',
    },
    {
      name: 'credit adjustment reason CR/LF',
      as: () => secretary,
      method: 'POST',
      url: () => '/api/alliances/a_0001/credit-adjustments',
      body: () => ({ ownerType: 'school', ownerId: 's_00001', amount: 10, reason: `补录${CRLF}积分` }),
      field: 'reason',
      code: 'control_characters',
      table: 'credit_transactions',
    },
    {
      name: 'closure startDate 0001-01-01',
      as: () => principal,
      method: 'POST',
      url: () => `/api/facilities/${facilityId}/closures`,
      body: () => ({ startDate: '0001-01-01', endDate: '2026-12-01', kind: 'repair' }),
      field: 'startDate',
      code: 'invalid_date',
      table: 'closures',
    },
    {
      name: 'closure endDate before startDate',
      as: () => principal,
      method: 'POST',
      url: () => `/api/facilities/${facilityId}/closures`,
      body: () => ({ startDate: '2026-12-05', endDate: '2026-12-01', kind: 'repair' }),
      field: 'endDate',
      code: 'before_from',
      table: 'closures',
    },
    {
      name: 'equipment name bidi isolate',
      as: () => principal,
      method: 'POST',
      url: () => `/api/facilities/${facilityId}/equipment`,
      body: () => ({ type: '显微镜', name: '显微镜\u2066', quantity: 1 }),
      field: 'name',
      code: 'control_characters',
      table: 'equipment',
    },
    {
      name: 'booking start T24:00',
      as: () => teacher,
      method: 'POST',
      url: () => '/api/bookings',
      field: 'start',
      code: 'invalid_instant',
      table: 'bookings',
      body: () => ({
        facilityId,
        start: `${dayFrom(5)}T24:00+08:00`,
        end,
        purpose: '化学分组实验',
        groupSize: 40,
        responsibleTeacher: '陈晓燕',
        acceptTerms: true,
      }),
    },
    {
      name: 'booking end 2026-02-30',
      as: () => teacher,
      method: 'POST',
      url: () => '/api/bookings',
      field: 'end',
      code: 'invalid_instant',
      table: 'bookings',
      body: () => ({
        facilityId,
        start,
        end: '2026-02-30T11:00+08:00',
        purpose: '化学分组实验',
        groupSize: 40,
        responsibleTeacher: '陈晓燕',
        acceptTerms: true,
      }),
    },
    {
      name: 'booking purpose CR/LF',
      as: () => teacher,
      method: 'POST',
      url: () => '/api/bookings',
      field: 'purpose',
      code: 'control_characters',
      table: 'bookings',
      body: () => ({ facilityId, start, end, purpose: `化学${CRLF}实验`, groupSize: 40, responsibleTeacher: '陈晓燕', acceptTerms: true }),
    },
    {
      name: 'booking recurrence until 9999-12-31',
      as: () => teacher,
      method: 'POST',
      url: () => '/api/bookings',
      field: 'recurrence.until',
      code: 'invalid_date',
      table: 'bookings',
      body: () => ({
        facilityId,
        start,
        end,
        purpose: '化学实验',
        groupSize: 40,
        responsibleTeacher: '陈晓燕',
        acceptTerms: true,
        recurrence: { until: '9999-12-31' },
      }),
    },
    {
      name: 'loan to +010000',
      as: () => teacher,
      method: 'POST',
      url: () => `/api/equipment/eq_none/loans`,
      field: 'to',
      code: 'invalid_instant',
      table: 'equipment_loans',
      body: () => ({ quantity: 1, from: start, to: '+010000-01-01T00:00:00.000Z' }),
    },
    {
      name: 'resource title bell',
      as: () => teacher,
      method: 'POST',
      url: () => '/api/resources',
      field: 'title',
      code: 'control_characters',
      table: 'resources',
      body: () => ({ kind: 'lesson_plan', title: `二次函数${BELL}教学设计`, subject: 'math', stage: 'junior', licence: 'cc_by_nc', visibility: 'alliance' }),
    },
    {
      name: 'resource tag LF',
      as: () => teacher,
      method: 'POST',
      url: () => '/api/resources',
      field: 'tags.0',
      code: 'control_characters',
      table: 'resources',
      body: () => ({
        kind: 'lesson_plan',
        title: '二次函数教学设计',
        subject: 'math',
        stage: 'junior',
        licence: 'cc_by_nc',
        visibility: 'alliance',
        tags: ['函数\n图像'],
      }),
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const before = await countRows(env.database, c.table);
      const snapshot = c.table === 'users' ? await env.database.db.selectFrom('users').select(['id', 'display_name']).orderBy('id').execute() : null;
      const res = await c.as().request({ method: c.method, url: c.url(), json: c.body() });
      const problem = expectProblem(res, 400, 'validation_failed');
      expect(fieldsOf(res), res.body).toEqual([c.field]);
      expect(problem.errors![0]!.code).toBe(c.code);
      expect(await countRows(env.database, c.table)).toBe(before);
      if (snapshot) expect(await env.database.db.selectFrom('users').select(['id', 'display_name']).orderBy('id').execute()).toEqual(snapshot);
    });
  }

  it('multi-line fields keep their line breaks; single-line fields are trimmed', async () => {
    const res = await secretary.post('/api/alliances/a_0001/milestones', { phase: PHASES.codes[0], title: '  完成章程修订  ', dueOn: '2026-10-01' });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const row = await env.database.db.selectFrom('milestones').select('title').where('title', 'like', '%章程修订%').executeTakeFirstOrThrow();
    expect(row.title).toBe('完成章程修订');
    const app = await principal.post('/api/applications', { allianceId: 'a_0002', schoolId: 's_00001', reason: '第一，共享实验室；\n第二，教师交流。' });
    expect(app.statusCode, app.body).not.toBe(400);
  });

  it('query strings too: an instant with T24:00 and a search text with a NUL', async () => {
    expectProblem(await teacher.get(`/api/bookings?from=${encodeURIComponent(`${dayFrom(1)}T24:00+08:00`)}`), 400, 'validation_failed', ['query.from']);
    expectProblem(await teacher.get('/api/schools?q=%00abc'), 400, 'validation_failed', ['query.q']);
    expectProblem(await teacher.get('/api/bookings?pageSize=100000'), 400, 'validation_failed', ['query.pageSize']);
  });
});

describe('horizons', () => {
  let equipmentId: string;
  beforeAll(async () => {
    const eq = await principal.post(`/api/facilities/${facilityId}/equipment`, { type: '显微镜', name: '生物显微镜', quantity: 5, usage: 'lendable' });
    expect(eq.statusCode, eq.body).toBe(201);
    equipmentId = eq.json().id;
  });

  it('a ten-year loan is refused (loans last at most 30 days); a week is fine', async () => {
    const before = await countRows(env.database, 'equipment_loans');
    const from = at(dayFrom(2), '09:00');
    const tenYears = at(localParts(Date.now() + 3652 * DAY).date, '09:00');
    const res = await teacher.post(`/api/equipment/${equipmentId}/loans`, { quantity: 1, from, to: tenYears });
    const p = expectProblem(res, 400, 'validation_failed', ['to']);
    expect(p.errors![0]!.code).toBe('loan_too_long');
    expect(p.errors![0]!.message).toContain('30');
    expectProblem(await teacher.post(`/api/equipment/${equipmentId}/loans`, { quantity: 1, from, to: at(dayFrom(33), '09:00') }), 400, 'validation_failed', [
      'to',
    ]);
    expect(await countRows(env.database, 'equipment_loans')).toBe(before);
    const week = await teacher.post(`/api/equipment/${equipmentId}/loans`, { quantity: 1, from, to: at(dayFrom(9), '09:00') });
    expect(week.statusCode, week.body).toBe(201);
    expect(await countRows(env.database, 'equipment_loans')).toBe(before + 1);
  });

  it('a loan starting beyond the facility horizon (30 days here) is refused', async () => {
    const before = await countRows(env.database, 'equipment_loans');
    const res = await teacher.post(`/api/equipment/${equipmentId}/loans`, { quantity: 1, from: at(dayFrom(200), '09:00'), to: at(dayFrom(201), '09:00') });
    const p = expectProblem(res, 400, 'validation_failed', ['from']);
    expect(p.errors![0]!.code).toBe('too_far_ahead');
    expect(await countRows(env.database, 'equipment_loans')).toBe(before);
  });

  it('a waitlist entry far beyond the booking horizon, or longer than a booking may last, is refused', async () => {
    const before = await countRows(env.database, 'waitlist');
    const far = await teacher.post('/api/waitlist', {
      facilityId,
      start: at(dayFrom(300), '15:00'),
      end: at(dayFrom(300), '16:00'),
      purpose: '候补实验',
      groupSize: 30,
      responsibleTeacher: '陈晓燕',
    });
    expect(expectProblem(far, 400, 'validation_failed', ['start']).errors![0]!.code).toBe('too_far_ahead');
    const long = await teacher.post('/api/waitlist', {
      facilityId,
      start: at(dayFrom(3), '08:00'),
      end: at(dayFrom(3), '20:00'),
      purpose: '候补实验',
      groupSize: 30,
      responsibleTeacher: '陈晓燕',
    });
    expect(expectProblem(long, 400, 'validation_failed', ['end']).errors![0]!.code).toBe('booking_too_long');
    expect(await countRows(env.database, 'waitlist')).toBe(before);
    const near = await teacher.post('/api/waitlist', {
      facilityId,
      start: at(dayFrom(3), '15:00'),
      end: at(dayFrom(3), '16:00'),
      purpose: '候补实验',
      groupSize: 30,
      responsibleTeacher: '陈晓燕',
    });
    expect(near.statusCode, near.body).toBeLessThan(300);
    expect(await countRows(env.database, 'waitlist')).toBe(before + 1);
  });
});

describe('upload quota', () => {
  let resourceId: string;
  const upload = (body: Buffer, name = 'plan.pdf') => {
    const m = multipart([{ name: 'file', value: body, filename: name, contentType: 'application/pdf' }]);
    return teacher.request({ method: 'POST', url: `/api/resources/${resourceId}/files`, payload: m.payload, headers: m.headers });
  };
  const used = async (where: 'user' | 'school') => {
    const db = env.database.db;
    const r =
      where === 'user'
        ? await db
            .selectFrom('resource_files as f')
            .innerJoin('resource_versions as v', 'v.id', 'f.version_id')
            .where('v.created_by', '=', 'u_teacher')
            .select((eb) => eb.fn.sum<number>('f.size').as('n'))
            .executeTakeFirst()
        : await db
            .selectFrom('resource_files as f')
            .innerJoin('resources as r', 'r.id', 'f.resource_id')
            .where('r.school_id', '=', 's_00003')
            .select((eb) => eb.fn.sum<number>('f.size').as('n'))
            .executeTakeFirst();
    return Number(r?.n ?? 0);
  };

  const fileRows = async () => Number((await sql<{ n: number }>`select count(*) as n from resource_files`.execute(env.database.db)).rows[0]!.n);
  const quota = () => env.config.uploadQuota;
  /** files under the resource's storage folder (temporary .part files included) */
  const storedFiles = () => {
    const dir = path.join(env.dir, 'files', 'resources', resourceId);
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  };
  const saved = { ...env?.config?.uploadQuota };

  beforeAll(async () => {
    Object.assign(saved, env.config.uploadQuota);
    const r = await teacher.post('/api/resources', {
      kind: 'lesson_plan',
      title: '配额测试教学设计',
      subject: 'math',
      stage: 'junior',
      licence: 'cc_by_nc',
      visibility: 'alliance',
    });
    expect(r.statusCode, r.body).toBe(201);
    resourceId = r.json().id;
  });
  afterAll(() => Object.assign(env.config.uploadQuota, saved));

  it('defaults to 5 GiB per user and 50 GiB per school', () => {
    expect(saved).toEqual({ userBytes: 5 * 1024 ** 3, schoolBytes: 50 * 1024 ** 3 });
  });

  it('an upload over the personal quota is refused (413, naming the quota) and nothing is stored', async () => {
    const pdf = Buffer.concat([makePdf({ title: '配额', paragraphs: ['正文'] }), Buffer.alloc(200_000, 0x41)]);
    quota().userBytes = (await used('user')) + 50_000;
    quota().schoolBytes = 50 * 1024 ** 3;
    const rows = await fileRows();
    const files = storedFiles();
    const res = await upload(pdf);
    const p = expectProblem(res, 413, 'user_quota_exceeded', ['file']);
    expect(p.detail).toMatch(/配额/);
    expect(await fileRows()).toBe(rows);
    expect(storedFiles()).toEqual(files);
    // a small file still fits
    const small = await upload(makePdf({ title: '小文件', paragraphs: ['正文'] }), 'small.pdf');
    expect(small.statusCode, small.body).toBe(201);
  });

  it('an upload over the school quota is refused, in English too', async () => {
    quota().userBytes = 50 * 1024 ** 3;
    quota().schoolBytes = (await used('school')) + 1_000;
    const rows = await fileRows();
    teacher.lang = 'en';
    try {
      const res = await upload(Buffer.concat([makePdf({ title: 'school', paragraphs: ['x'] }), Buffer.alloc(20_000, 0x41)]));
      const p = expectProblem(res, 413, 'school_quota_exceeded', ['file']);
      expect(p.detail).toMatch(/quota/);
    } finally {
      teacher.lang = 'zh-CN';
    }
    expect(await fileRows()).toBe(rows);
    expect(storedFiles().filter((f) => f.endsWith('.part'))).toEqual([]);
    // at the quota: refused before a byte is stored
    quota().schoolBytes = await used('school');
    expectProblem(await upload(makePdf({ title: 'tiny', paragraphs: ['x'] }), 'tiny.pdf'), 413, 'school_quota_exceeded');
    expect(await fileRows()).toBe(rows);
  });
});
