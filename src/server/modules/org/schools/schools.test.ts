import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../../testing.js';
import { expectProblem } from '../../../testkit.js';

const NEW_SCHOOL = { regionId: 'r_0003', code: '3390102777', name: '城东区新建小学', type: 'primary', ownership: 'public', location: 'urban' };
const INDICATORS = {
  students: 1000,
  teachers: 80,
  teachersAboveDegree: 60,
  keyTeachers: 12,
  peArtTeachers: 10,
  teachingAreaM2: 6000,
  sportsAreaM2: 8000,
  equipmentValueYuan: 3_000_000,
  multimediaRooms: 30,
  books: 40000,
};

describe('schools', () => {
  let env: TestEnv;
  let bureau: Client;
  let principal: Client;
  beforeAll(async () => {
    env = await makeTestEnv();
    bureau = await env.login('bureau');
    principal = await env.login('principal');
  });
  afterAll(async () => env.close());

  it('lists the schools of the actor’s scope, nothing else', async () => {
    const db = env.database.db;
    const cd = await env.login('bureau_cd');
    const all = await cd.get('/api/schools?pageSize=100');
    expect(all.statusCode).toBe(200);
    const inCd = await db.selectFrom('schools').select('id').where('region_id', '=', 'r_0003').execute();
    expect(all.json().total).toBe(inCd.length);
    expect(all.json().items.every((s: { regionId: string }) => s.regionId === 'r_0003')).toBe(true);
    // a district bureau asking for another district gets nothing from it
    expect((await cd.get('/api/schools?regionId=r_0005')).json().total).toBe(0);

    // the principal sees its own school and the schools of its alliance
    const members = await db.selectFrom('alliance_members').select('school_id').where('alliance_id', '=', 'a_0001').where('status', '=', 'active').execute();
    const mine = await principal.get('/api/schools?pageSize=100');
    expect(new Set(mine.json().items.map((s: { id: string }) => s.id))).toEqual(new Set(members.map((m) => m.school_id)));
  });

  it('filters by region, type, location, tag, alliance and text', async () => {
    const db = env.database.db;
    const count = async (q: string) =>
      (await bureau.get(`/api/schools?pageSize=100&${q}`)).json() as {
        total: number;
        items: { id: string; type: string; location: string; tags: string[]; name: string }[];
      };
    const villages = await count('location=village');
    const dbVillages = await db.selectFrom('schools').select('id').where('location', '=', 'village').execute();
    expect(villages.total).toBe(dbVillages.length);
    expect(villages.total).toBeGreaterThan(0);
    const juniorQs = await count('type=junior&regionId=r_0004');
    expect(juniorQs.items.every((s) => s.type === 'junior')).toBe(true);
    const tagged = await count('tag=rural');
    expect(tagged.total).toBeGreaterThan(0);
    expect(tagged.items.every((s) => s.tags.includes('rural'))).toBe(true);
    const a1 = await count('allianceId=a_0001');
    expect(a1.total).toBe(5);
    const text = await count(`q=${encodeURIComponent('石门')}`);
    expect(text.total).toBeGreaterThan(0);
    expect(text.items.every((s) => s.name.includes('石门'))).toBe(true);
    // % and _ are taken literally
    expect((await count('q=%25')).total).toBe(0);
    expect((await count('q=_')).total).toBe(0);
    // an unknown region holds no schools
    expect((await count('regionId=r_nowhere')).total).toBe(0);
    // bad filters name the parameter
    expectProblem(await bureau.get('/api/schools?pageSize=1000'), 400, 'validation_failed', ['query.pageSize']);
    expectProblem(await bureau.get('/api/schools?type=university'), 400, 'validation_failed', ['query.type']);
    expectProblem(await bureau.get('/api/schools?color=red'), 400, 'validation_failed', ['query.color']);
  });

  it('shows a school with its alliances and indicators; out of scope is not found', async () => {
    const res = await principal.get('/api/schools/s_00001');
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.alliances).toContainEqual(expect.objectContaining({ id: 'a_0001', role: 'core' }));
    expect(s.indicators.length).toBeGreaterThan(0);
    expect(s.indicators[0].computed).toHaveProperty('teachers_above_degree_per100');
    expectProblem(await principal.get('/api/schools/s_00046'), 404, 'not_found');
    expectProblem(await principal.get('/api/schools/no-such-school'), 404, 'not_found');
  });

  it('creates a school and records it in the audit log', async () => {
    const res = await bureau.post('/api/schools', { ...NEW_SCHOOL, tags: ['new'], students: 300 });
    expect(res.statusCode).toBe(201);
    const s = res.json();
    expect(s).toMatchObject({ code: NEW_SCHOOL.code, name: NEW_SCHOOL.name, regionId: 'r_0003', tags: ['new'], students: 300 });
    const row = await env.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'school.create')
      .where('entity_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row.actor_id).toBe('u_bureau');
    expect(row.ip).toBeTruthy();
  });

  it('refuses a duplicate school code or credit code with 409 naming the field', async () => {
    const before = await countRows(env.database, 'schools');
    const dup = await bureau.post('/api/schools', { ...NEW_SCHOOL, name: '重复代码小学' });
    const p = expectProblem(dup, 409, 'duplicate', ['code']);
    expect(p.detail).toContain('学校标识码');
    await bureau.post('/api/schools', { ...NEW_SCHOOL, code: '3390102778', name: '信用代码小学', creditCode: '12390102MB0000001X' });
    expectProblem(
      await bureau.post('/api/schools', { ...NEW_SCHOOL, code: '3390102779', name: '信用代码重复', creditCode: '12390102MB0000001X' }),
      409,
      'duplicate',
      ['creditCode'],
    );
    // PATCH to an existing code, too
    expectProblem(await bureau.patch('/api/schools/s_00002', { code: NEW_SCHOOL.code }), 409, 'duplicate', ['code']);
    expect(await countRows(env.database, 'schools')).toBe(before + 1);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const before = await countRows(env.database, 'schools');
    const cases: [unknown, string, string][] = [
      [{ ...NEW_SCHOOL, code: '3390102801', nickname: 'x' }, 'nickname', 'unknown_field'],
      [{ ...NEW_SCHOOL, code: '3390102802', name: '长'.repeat(61) }, 'name', 'too_long'],
      [{ ...NEW_SCHOOL, code: '3390102803', address: '路'.repeat(201) }, 'address', 'too_long'],
      [{ ...NEW_SCHOOL, code: '3390102804', students: 'many' }, 'students', 'invalid_type'],
      [{ ...NEW_SCHOOL, code: '3390102805', students: -1 }, 'students', 'too_small'],
      [{ ...NEW_SCHOOL, code: '33901' }, 'code', 'invalid_format'],
      [{ ...NEW_SCHOOL, code: '3390102806', type: 'university' }, 'type', 'invalid_value'],
      [{ ...NEW_SCHOOL, code: undefined }, 'code', 'required'],
      [{ ...NEW_SCHOOL, code: '3390102807', regionId: 'r_nowhere' }, 'regionId', 'not_found'],
    ];
    for (const [body, field, code] of cases) {
      const p = expectProblem(await bureau.post('/api/schools', body), 400, 'validation_failed', [field]);
      expect(p.errors!.find((e) => e.field === field)!.code, field).toBe(code);
      expect(p.errors!.find((e) => e.field === field)!.message.length).toBeGreaterThan(0);
    }
    const bad = await bureau.request({ method: 'POST', url: '/api/schools', payload: '{"code": "33901028', headers: { 'content-type': 'application/json' } });
    expectProblem(bad, 400, 'malformed_json', ['body']);
    const notJson = await bureau.request({ method: 'POST', url: '/api/schools', payload: 'code=1', headers: { 'content-type': 'text/plain' } });
    expectProblem(notJson, 400, 'validation_failed', ['body']);
    expectProblem(await bureau.patch('/api/schools/s_00002', { regionId: 'r_0004' }), 400, 'validation_failed', ['regionId']);
    expect(await countRows(env.database, 'schools')).toBe(before);
  });

  it('lets the school admin edit its own school only; the bureau may create only inside its region', async () => {
    const ok = await principal.patch('/api/schools/s_00001', { phone: '0799-6000001', principal: '李校长' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ phone: '0799-6000001', principal: '李校长' });
    // a school of the own alliance is readable, but not the principal's to edit
    expectProblem(await principal.patch('/api/schools/s_00002', { phone: '0799-6000002' }), 403, 'forbidden');
    const cd = await env.login('bureau_cd');
    expectProblem(await cd.post('/api/schools', { ...NEW_SCHOOL, code: '3390102811', regionId: 'r_0004' }), 400, 'validation_failed', ['regionId']);
    const phone = await env.database.db.selectFrom('schools').select('phone').where('id', '=', 's_00002').executeTakeFirstOrThrow();
    expect(phone.phone).not.toBe('0799-6000002');
  });

  it('stores the yearly indicators (PUT per year) and computes the per-student figures', async () => {
    const put = await principal.put('/api/schools/s_00001/indicators/2031', INDICATORS);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2031, students: 1000, computed: { teachers_above_degree_per100: 6, sports_area_per_student: 8 } });
    const again = await principal.put('/api/schools/s_00001/indicators/2031', { ...INDICATORS, students: 2000 });
    expect(again.json().computed.sports_area_per_student).toBe(4);
    const rows = await env.database.db.selectFrom('school_indicators').select('students').where('school_id', '=', 's_00001').where('year', '=', 2031).execute();
    expect(rows).toEqual([{ students: 2000 }]);
    expectProblem(await principal.put('/api/schools/s_00001/indicators/2031', { ...INDICATORS, teachersAboveDegree: 81 }), 400, 'validation_failed', [
      'teachersAboveDegree',
    ]);
    expectProblem(await principal.put('/api/schools/s_00001/indicators/1999', INDICATORS), 400, 'validation_failed', ['params.year']);
    expectProblem(await principal.put('/api/schools/s_00001/indicators/2031', { ...INDICATORS, books: undefined, extra: 1 }), 400, 'validation_failed', [
      'extra',
    ]);
    expect(
      (
        await env.database.db
          .selectFrom('school_indicators')
          .select('teachers_above_degree')
          .where('school_id', '=', 's_00001')
          .where('year', '=', 2031)
          .executeTakeFirstOrThrow()
      ).teachers_above_degree,
    ).toBe(60);
    const detail = (await principal.get('/api/schools/s_00001')).json();
    expect(detail.indicators[0].year).toBe(2031);
  });

  it('exports the filtered list to .xlsx', async () => {
    const list = (await bureau.get('/api/schools?regionId=r_0004&pageSize=100')).json();
    const res = await bureau.get('/api/schools/export.xlsx?regionId=r_0004');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('学校标识码');
    expect(ws.actualRowCount - 1).toBe(list.total);
  });
});
