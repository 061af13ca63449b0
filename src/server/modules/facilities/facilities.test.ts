import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { expectProblem } from '../../testkit.js';
import { DAY, localParts } from '../../../common/facilities.js';

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
const dayFrom = (days: number) => localParts(Date.now() + days * DAY).date;
const at = (date: string, hm: string) => new Date(Date.parse(`${date}T${hm}:00+08:00`)).toISOString();
const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((x) => x.id);

describe('facilities inventory', () => {
  let env: TestEnv;
  let principal: Client;
  let teacher: Client;
  let bureau: Client;
  let secretary: Client;
  let lab: { id: string };
  let gym: { id: string };
  let far: { id: string };

  beforeAll(async () => {
    env = await makeTestEnv();
    principal = await env.login('principal');
    teacher = await env.login('teacher');
    bureau = await env.login('bureau');
    secretary = await env.login('secretary');
  });
  afterAll(async () => env.close());

  it('the owner school admin registers facilities; others may not, nothing written', async () => {
    const res = await principal.post('/api/facilities', {
      schoolId: 's_00001',
      type: 'chemistry_lab',
      subject: 'chemistry',
      name: '库存测试化学实验室',
      capacity: 48,
      location: '实验楼 301',
      openHours: ALL_WEEK,
      photos: ['facilities/lab301.jpg'],
      equipmentText: '通风橱 8 台',
      safetyRules: '穿实验服、戴护目镜',
      responsibilityTerms: '借用方负责学生安全',
      policy: 'manual',
      minNoticeHours: 0,
      weeklyQuotaHours: 6,
    });
    expect(res.statusCode, res.body).toBe(201);
    lab = res.json();
    expect(res.json()).toMatchObject({
      schoolId: 's_00001',
      schoolName: '临川市实验小学',
      policy: 'manual',
      weeklyQuotaHours: 6,
      canManage: true,
      photos: ['facilities/lab301.jpg'],
    });
    expect(res.json().openHours).toHaveLength(7);
    expect(res.json().alliances.map((a: { id: string }) => a.id)).toContain('a_0001');
    gym = (await principal.post('/api/facilities', { schoolId: 's_00001', type: 'gym', name: '库存测试体育馆', capacity: 300, communityOpen: true })).json();
    // defaults: Monday–Friday 08:00–18:00
    expect((await principal.get(`/api/facilities/${gym.id}`)).json().openHours).toHaveLength(5);
    // a school in another district, by the city bureau
    const b = await bureau.post('/api/facilities', { schoolId: 's_00046', type: 'physics_lab', subject: 'physics', name: '库存测试物理实验室', capacity: 40 });
    expect(b.statusCode, b.body).toBe(201);
    far = b.json();
    const audits = await env.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', lab.id).execute();
    expect(audits.map((a) => a.action)).toContain('facility.create');

    const count = await countRows(env.database, 'facilities');
    expectProblem(await principal.post('/api/facilities', { schoolId: 's_00002', type: 'gym', name: '别校体育馆', capacity: 10 }), 400, 'validation_failed', [
      'schoolId',
    ]);
    expectProblem(await teacher.post('/api/facilities', { schoolId: 's_00003', type: 'gym', name: '体育馆', capacity: 10 }), 403, 'forbidden');
    expectProblem(await principal.post('/api/facilities', { type: 'gym', name: '无主体育馆', capacity: 10 }), 400, 'validation_failed', ['schoolId']);
    expectProblem(await principal.post('/api/facilities', { schoolId: 's_00001', type: 'spaceship', name: 'x', capacity: -1 }), 400, 'validation_failed', [
      'type',
      'capacity',
    ]);
    expectProblem(
      await principal.post('/api/facilities', { schoolId: 's_00001', type: 'gym', name: '体育馆', capacity: 1, minMinutes: 120, maxMinutes: 60 }),
      400,
      'validation_failed',
      ['maxMinutes'],
    );
    expectProblem(
      await principal.post('/api/facilities', {
        schoolId: 's_00001',
        type: 'gym',
        name: '体育馆',
        capacity: 1,
        openHours: [{ weekday: 1, open: '18:00', close: '08:00' }],
      }),
      400,
      'validation_failed',
      ['openHours.0.close'],
    );
    expect(await countRows(env.database, 'facilities')).toBe(count);
  });

  it('partners register their own community venues', async () => {
    const partner = await env.login('partner');
    const linked = (
      await env.database.db.selectFrom('alliance_partners').select('partner_id').where('alliance_id', '=', 'a_0001').orderBy('partner_id').execute()
    ).map((r) => r.partner_id);
    const res = await partner.post('/api/facilities', {
      partnerId: linked[0],
      type: 'community_venue',
      name: '科技馆研学厅',
      capacity: 120,
      communityOpen: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ partnerId: linked[0], schoolId: null, canManage: true });
    const other = (await env.database.db.selectFrom('partners').select('id').where('region_id', '=', 'r_0002').execute())
      .map((r) => r.id)
      .find((id) => !linked.includes(id))!;
    expectProblem(
      await partner.post('/api/facilities', { partnerId: other, type: 'community_venue', name: '别家场馆', capacity: 10 }),
      400,
      'validation_failed',
      ['partnerId'],
    );
    // teachers of the alliance see the venue
    expect((await teacher.get(`/api/facilities/${res.json().id}`)).statusCode).toBe(200);
  });

  it('who sees a facility: the alliance, the own school, the region’s bureau; not others', async () => {
    expect((await teacher.get(`/api/facilities/${lab.id}`)).json().canManage).toBe(false);
    expect((await (await env.login('student')).get(`/api/facilities/${lab.id}`)).statusCode).toBe(200);
    expect((await (await env.login('evaluator')).get(`/api/facilities/${far.id}`)).statusCode).toBe(200);
    const outsider = await env.login('t_3390122001_1'); // a teacher in 河口县, outside a_0001
    expectProblem(await outsider.get(`/api/facilities/${lab.id}`), 404, 'not_found');
    expect(ids(await outsider.get('/api/facilities?pageSize=100&schoolId=s_00001'))).toEqual([]);
    expectProblem(await teacher.get(`/api/facilities/${far.id}`), 404, 'not_found');
    expectProblem(await (await env.login('principal2')).get(`/api/facilities/${lab.id}`), 404, 'not_found');
    expectProblem(await teacher.get('/api/facilities/no-such'), 404, 'not_found');
    // the list shows what the detail shows
    const list = ids(await teacher.get('/api/facilities?pageSize=100'));
    expect(list).toContain(lab.id);
    expect(list).not.toContain(far.id);
    expect(ids(await bureau.get('/api/facilities?pageSize=100&schoolId=s_00046'))).toContain(far.id);
  });

  it('filters by type, subject, school, alliance, text, free time and distance', async () => {
    const q = async (s: string) =>
      (await teacher.get(`/api/facilities?pageSize=100&${s}`)).json() as {
        total: number;
        items: { id: string; type: string; subject: string | null; schoolId: string; distanceKm: number | null }[];
      };
    const labs = await q('type=chemistry_lab');
    expect(labs.items.map((x) => x.id)).toContain(lab.id);
    expect(labs.items.every((x) => x.type === 'chemistry_lab')).toBe(true);
    expect((await q('subject=chemistry')).items.every((x) => x.subject === 'chemistry')).toBe(true);
    expect((await q('schoolId=s_00001')).items.every((x) => x.schoolId === 's_00001')).toBe(true);
    expect((await q('allianceId=a_0001')).items.map((x) => x.id)).toContain(gym.id);
    expect((await q(`q=${encodeURIComponent('库存测试化学')}`)).items.map((x) => x.id)).toEqual([lab.id]);
    // free at a time: not when booked
    const d = dayFrom(5);
    const free = `freeFrom=${encodeURIComponent(at(d, '19:00'))}&freeTo=${encodeURIComponent(at(d, '20:00'))}&schoolId=s_00001`;
    expect((await q(free)).items.map((x) => x.id)).toContain(lab.id);
    expect((await q(free)).items.map((x) => x.id)).not.toContain(gym.id); // the gym closes at 18:00
    const b = await principal.post('/api/bookings', {
      facilityId: lab.id,
      start: at(d, '18:30'),
      end: at(d, '19:30'),
      purpose: '校内实验',
      groupSize: 30,
      responsibleTeacher: '王老师',
      acceptTerms: true,
    });
    expect(b.statusCode, b.body).toBe(201);
    expect((await q(free)).items.map((x) => x.id)).not.toContain(lab.id);
    expectProblem(await teacher.get(`/api/facilities?freeFrom=${encodeURIComponent(at(d, '19:00'))}`), 400, 'validation_failed', ['query.freeTo']);
    // distance from a school, nearest first
    const near = await q('nearSchoolId=s_00003');
    const dist = near.items.map((x) => x.distanceKm).filter((x): x is number => x != null);
    expect(dist.length).toBeGreaterThan(0);
    expect([...dist].sort((a, b2) => a - b2)).toEqual(dist);
    expectProblem(await teacher.get('/api/facilities?type=spaceship'), 400, 'validation_failed', ['query.type']);
  });

  it('updates facilities, open hours, equipment, closures and the term calendar (owner only)', async () => {
    const up = await principal.patch(`/api/facilities/${lab.id}`, { capacity: 50, bufferMinutes: 10, status: 'active' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ capacity: 50, bufferMinutes: 10 });
    expectProblem(await teacher.patch(`/api/facilities/${lab.id}`, { capacity: 1 }), 403, 'forbidden');
    expectProblem(await (await env.login('partner')).patch(`/api/facilities/${lab.id}`, { capacity: 1 }), 403, 'forbidden');
    expectProblem(await principal.patch(`/api/facilities/${far.id}`, { capacity: 1 }), 404, 'not_found');

    const hours = await principal.put(`/api/facilities/${gym.id}/open-hours`, {
      hours: [
        { weekday: 6, open: '09:00', close: '17:00' },
        { weekday: 7, open: '09:00', close: '12:00' },
      ],
    });
    expect(hours.statusCode, hours.body).toBe(200);
    expect(hours.json()).toHaveLength(2);
    expectProblem(
      await principal.put(`/api/facilities/${gym.id}/open-hours`, { hours: [{ weekday: 8, open: '09:00', close: '17:00' }] }),
      400,
      'validation_failed',
      ['hours.0.weekday'],
    );

    const eq = await principal.post(`/api/facilities/${lab.id}/equipment`, { type: '天平', name: '电子天平', quantity: 12, usage: 'lendable' });
    expect(eq.statusCode, eq.body).toBe(201);
    const rep = await principal.patch(`/api/equipment/${eq.json().id}`, { status: 'repair', quantity: 10 });
    expect(rep.json()).toMatchObject({ status: 'repair', quantity: 10, usage: 'lendable' });
    expectProblem(await principal.patch(`/api/equipment/${eq.json().id}`, { status: 'lost' }), 400, 'validation_failed', ['status']);
    expectProblem(await teacher.patch(`/api/equipment/${eq.json().id}`, { quantity: 1 }), 403, 'forbidden');
    const detail = (await teacher.get(`/api/facilities/${lab.id}`)).json();
    expect(detail.equipment).toContainEqual(expect.objectContaining({ name: '电子天平', status: 'repair' }));

    const c = await principal.post(`/api/facilities/${lab.id}/closures`, {
      startDate: dayFrom(20),
      endDate: dayFrom(22),
      kind: 'repair',
      reason: '通风系统检修',
    });
    expect(c.statusCode, c.body).toBe(201);
    expectProblem(
      await principal.post(`/api/facilities/${lab.id}/closures`, { startDate: dayFrom(22), endDate: dayFrom(20), kind: 'repair' }),
      400,
      'validation_failed',
      ['endDate'],
    );
    expectProblem(
      await principal.post(`/api/facilities/${lab.id}/closures`, { startDate: dayFrom(22), endDate: dayFrom(23), kind: 'party' }),
      400,
      'validation_failed',
      ['kind'],
    );
    const sc = await principal.post('/api/schools/s_00001/closures', { startDate: dayFrom(30), endDate: dayFrom(32), kind: 'exam', reason: '期末考试' });
    expect(sc.statusCode, sc.body).toBe(201);
    expectProblem(await principal.post('/api/schools/s_00002/closures', { startDate: dayFrom(30), endDate: dayFrom(32), kind: 'exam' }), 403, 'forbidden');
    const closures = (await teacher.get(`/api/facilities/${lab.id}`)).json().closures.map((x: { id: string }) => x.id);
    expect(closures).toEqual(expect.arrayContaining([c.json().id, sc.json().id]));
    // a booking in the school's exam week is refused
    expectProblem(
      await teacher.post('/api/bookings', {
        facilityId: lab.id,
        start: at(dayFrom(31), '10:00'),
        end: at(dayFrom(31), '11:00'),
        purpose: 'x',
        groupSize: 1,
        responsibleTeacher: 'x',
        acceptTerms: true,
      }),
      400,
      'validation_failed',
      ['start'],
    );
    expectProblem(await teacher.delete(`/api/closures/${c.json().id}`), 403, 'forbidden');
    expect((await principal.delete(`/api/closures/${c.json().id}`)).statusCode).toBe(204);

    const term = await principal.post('/api/schools/s_00001/terms', { name: '2027-2028学年第一学期', startDate: '2027-09-01', endDate: '2028-01-20' });
    expect(term.statusCode, term.body).toBe(201);
    expectProblem(
      await principal.post('/api/schools/s_00001/terms', { name: '重叠学期', startDate: '2028-01-01', endDate: '2028-02-01' }),
      400,
      'validation_failed',
      ['startDate'],
    );
    expect((await teacher.get('/api/schools/s_00001/terms')).json().map((t: { id: string }) => t.id)).toContain(term.json().id);
    expectProblem(await (await env.login('t_3390122001_1')).get('/api/schools/s_00001/terms'), 404, 'not_found');
  });

  it('a weekly series without an end date runs to the end of the host school’s term', async () => {
    const today = dayFrom(0);
    const terms = (await principal.get('/api/schools/s_00001/terms')).json() as { startDate: string; endDate: string }[];
    let term = terms.find((t) => t.startDate <= today && today <= t.endDate);
    if (!term) term = (await principal.post('/api/schools/s_00001/terms', { name: '本学期', startDate: today, endDate: dayFrom(60) })).json();
    const d = dayFrom(2);
    const pv = await teacher.post('/api/bookings/preview', { facilityId: lab.id, start: at(d, '19:00'), end: at(d, '20:00'), recurrence: {} });
    expect(pv.statusCode, pv.body).toBe(200);
    const last = localParts(Date.parse(pv.json().occurrences.at(-1).start)).date;
    expect(last <= term!.endDate).toBe(true);
    expect(localParts(Date.parse(`${last}T12:00:00+08:00`) + 7 * DAY).date > term!.endDate).toBe(true);
    // a school without a term needs an explicit end
    const own = (await bureau.post('/api/facilities', { schoolId: 's_00046', type: 'gym', name: '无校历体育馆', capacity: 10, openHours: ALL_WEEK })).json();
    await env.database.db.deleteFrom('school_terms').where('school_id', '=', 's_00046').execute();
    expectProblem(
      await (await env.login('admin')).post('/api/bookings/preview', { facilityId: own.id, start: at(d, '19:00'), end: at(d, '20:00'), recurrence: {} }),
      400,
      'validation_failed',
      ['recurrence.until'],
    );
  });

  it('mobile kits rotate through member schools on a schedule the alliance publishes', async () => {
    const kit = await secretary.post('/api/alliances/a_0001/kits', { kind: 'mobile_lab', name: '流动科学实验车', description: '含显微镜、光学套件' });
    expect(kit.statusCode, kit.body).toBe(201);
    expectProblem(await principal.post('/api/alliances/a_0001/kits', { kind: 'mobile_lab', name: '校长的车' }), 403, 'forbidden');
    const id = kit.json().id;
    const today = dayFrom(0);
    const r1 = await secretary.post(`/api/kits/${id}/rotations`, { schoolId: 's_00002', fromDate: today, toDate: dayFrom(13) });
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json().currentSchoolId).toBe('s_00002');
    expect((await secretary.post(`/api/kits/${id}/rotations`, { schoolId: 's_00003', fromDate: dayFrom(14), toDate: dayFrom(27) })).statusCode).toBe(201);
    expectProblem(
      await secretary.post(`/api/kits/${id}/rotations`, { schoolId: 's_00007', fromDate: dayFrom(20), toDate: dayFrom(30) }),
      400,
      'validation_failed',
      ['fromDate'],
    );
    expectProblem(
      await secretary.post(`/api/kits/${id}/rotations`, { schoolId: 's_00046', fromDate: dayFrom(40), toDate: dayFrom(50) }),
      400,
      'validation_failed',
      ['schoolId'],
    );
    const kits = (await teacher.get('/api/alliances/a_0001/kits')).json();
    expect(kits.find((k: { id: string }) => k.id === id).rotations.map((r: { schoolId: string }) => r.schoolId)).toEqual(['s_00002', 's_00003']);
    expectProblem(await (await env.login('t_3390122001_1')).get('/api/alliances/a_0001/kits'), 404, 'not_found');
  });
});
