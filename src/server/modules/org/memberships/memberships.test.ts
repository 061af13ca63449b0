/**
 * Membership lifecycle end to end (SPEC S1): apply → 联盟评估 → 理事会推荐 → 教育局审批 → member; reject,
 * withdraw, exit with reason. Every decision is recorded with who / when / why and in the audit log;
 * a step in the wrong order or by someone not entitled is refused and changes nothing.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../../testing.js';
import { expectProblem } from '../../../testkit.js';

describe('membership lifecycle', () => {
  let env: TestEnv;
  let principal2: Client;
  let secretary: Client;
  let bureau: Client;
  let appId: string;

  /** status, decisions and memberships: what a refused step must leave alone */
  const snapshot = async (id: string) => {
    const db = env.database.db;
    const app = await db.selectFrom('membership_applications').select(['status', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
    return {
      app,
      decisions: await countRows(env.database, 'application_decisions'),
      members: await countRows(env.database, 'alliance_members'),
      audit: await countRows(env.database, 'audit_log'),
    };
  };

  beforeAll(async () => {
    env = await makeTestEnv();
    [principal2, secretary, bureau] = await Promise.all([env.login('principal2'), env.login('secretary'), env.login('bureau')]);
  });
  afterAll(async () => env.close());

  it('the applicant withdraws its pending application and applies again', async () => {
    const mine = (await principal2.get('/api/applications')).json();
    expect(mine.items.every((a: { schoolId: string }) => a.schoolId === 's_00033')).toBe(true);
    const pending = mine.items.find((a: { allianceId: string; status: string }) => a.allianceId === 'a_0001' && a.status === 'submitted');
    expect(pending).toBeTruthy();
    const w = await principal2.post(`/api/applications/${pending.id}/withdraw`);
    expect(w.statusCode).toBe(200);
    expect(w.json().status).toBe('withdrawn');
    expect(w.json().decisions.at(-1)).toMatchObject({ step: 'withdraw', actorName: expect.any(String) });
    expectProblem(await principal2.post(`/api/applications/${pending.id}/withdraw`), 409, 'invalid_transition');

    const before = await countRows(env.database, 'membership_applications');
    expectProblem(await principal2.post('/api/applications', { allianceId: 'a_0001', schoolId: 's_00033', reason: '短' }), 400, 'validation_failed', [
      'reason',
    ]);
    expectProblem(
      await principal2.post('/api/applications', { allianceId: 'a_0001', schoolId: 's_00046', reason: '代别的学校申请加入' }),
      400,
      'validation_failed',
      ['schoolId'],
    );
    expectProblem(await principal2.post('/api/applications', { allianceId: 'a_0004', schoolId: 's_00033', reason: '已经是成员还申请' }), 409, 'conflict', [
      'schoolId',
    ]);
    expect(await countRows(env.database, 'membership_applications')).toBe(before);

    const res = await principal2.post('/api/applications', { allianceId: 'a_0001', schoolId: 's_00033', reason: '希望借助集团优质师资提升农村小学教学质量' });
    expect(res.statusCode).toBe(201);
    appId = res.json().id;
    expect(res.json()).toMatchObject({ status: 'submitted', schoolId: 's_00033', allianceId: 'a_0001' });
    expect(res.json().decisions).toEqual([expect.objectContaining({ step: 'submit', comment: '希望借助集团优质师资提升农村小学教学质量' })]);
    // one open application per school and alliance
    expectProblem(await principal2.post('/api/applications', { allianceId: 'a_0001', schoolId: 's_00033', reason: '再申请一次试试看' }), 409, 'conflict', [
      'allianceId',
    ]);
  });

  it('refuses steps in the wrong order, or by someone not entitled, and changes nothing', async () => {
    const teacher = await env.login('teacher');
    const principal = await env.login('principal');
    const bureauCd = await env.login('bureau_cd');
    const sec2 = await env.login('sec_a_0002');
    const before = await snapshot(appId);
    const decide = { decision: 'pass', comment: '同意' };
    // the bureau may not skip the alliance's steps
    expectProblem(await bureau.post(`/api/applications/${appId}/approve`, decide), 409, 'invalid_transition');
    expectProblem(await bureau.post(`/api/applications/${appId}/evaluate`, decide), 403, 'forbidden');
    // recommendation before evaluation
    expectProblem(await secretary.post(`/api/applications/${appId}/recommend`, decide), 409, 'invalid_transition');
    // the secretary of another alliance, a teacher, the core school's principal, a district bureau elsewhere
    expectProblem(await sec2.post(`/api/applications/${appId}/evaluate`, decide), 404, 'not_found');
    expectProblem(await teacher.post(`/api/applications/${appId}/evaluate`, decide), 403, 'forbidden');
    expectProblem(await principal.post(`/api/applications/${appId}/evaluate`, decide), 403, 'forbidden');
    expectProblem(await bureauCd.post(`/api/applications/${appId}/evaluate`, decide), 404, 'not_found');
    // the applicant cannot evaluate itself
    expectProblem(await principal2.post(`/api/applications/${appId}/evaluate`, decide), 403, 'forbidden');
    expectProblem(await secretary.post(`/api/applications/${appId}/evaluate`, { decision: 'maybe' }), 400, 'validation_failed', ['decision']);
    expectProblem(await secretary.post(`/api/applications/${appId}/evaluate`, { decision: 'pass', comment: '评'.repeat(1001) }), 400, 'validation_failed', [
      'comment',
    ]);
    expect(await snapshot(appId)).toEqual(before);
  });

  it('the secretariat sees the applicant school while the application is open, no other secretariat does', async () => {
    const school = await secretary.get('/api/schools/s_00033');
    expect(school.statusCode).toBe(200);
    expect(school.json().id).toBe('s_00033');
    const sec2 = await env.login('sec_a_0002');
    expect((await sec2.get('/api/schools/s_00033')).statusCode).toBe(404);
  });

  it('secretary evaluates, council recommends, bureau approves: the school becomes an active member', async () => {
    const ev = await secretary.post(`/api/applications/${appId}/evaluate`, { decision: 'pass', comment: '办学规范，具备加入条件' });
    expect(ev.statusCode).toBe(200);
    expect(ev.json().status).toBe('evaluated');

    // the secretary may not take the bureau's step
    const before = await snapshot(appId);
    expectProblem(await secretary.post(`/api/applications/${appId}/approve`, { decision: 'pass' }), 403, 'forbidden');
    expect(await snapshot(appId)).toEqual(before);

    // separation of duties: who evaluated may not also recommend
    expectProblem(await secretary.post(`/api/applications/${appId}/recommend`, { decision: 'pass' }), 403, 'separation_of_duties');
    expect(await snapshot(appId)).toEqual(before);
    const council = await env.login('council');
    const rec = await council.post(`/api/applications/${appId}/recommend`, { decision: 'pass', comment: '理事会一致同意推荐' });
    expect(rec.json().status).toBe('recommended');
    const bureauCd = await env.login('bureau_cd');
    expectProblem(await bureauCd.post(`/api/applications/${appId}/approve`, { decision: 'pass' }), 404, 'not_found');
    const ap = await bureau.post(`/api/applications/${appId}/approve`, { decision: 'pass', comment: '同意加入' });
    expect(ap.statusCode).toBe(200);
    expect(ap.json().status).toBe('approved');
    const steps = ap
      .json()
      .decisions.map((d: { step: string; decision: string; actorName: string; at: string; comment: string }) => [d.step, d.decision, d.actorName, d.comment]);
    expect(steps).toEqual([
      ['submit', 'pass', expect.any(String), expect.any(String)],
      ['evaluate', 'pass', expect.any(String), '办学规范，具备加入条件'],
      ['recommend', 'pass', expect.any(String), '理事会一致同意推荐'],
      ['approve', 'pass', expect.any(String), '同意加入'],
    ]);

    const db = env.database.db;
    const rows = await db
      .selectFrom('application_decisions')
      .select(['step', 'actor_id', 'ip', 'at'])
      .where('application_id', '=', appId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.step, r.actor_id])).toEqual([
      ['submit', 'u_principal2'],
      ['evaluate', 'u_secretary'],
      ['recommend', 'u_council'],
      ['approve', 'u_bureau'],
    ]);
    expect(rows.every((r) => r.ip && /^\d{4}-\d{2}-\d{2}T/.test(r.at))).toBe(true);
    const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'ip']).where('entity_id', '=', appId).orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ['application.submit', 'u_principal2'],
      ['application.evaluate', 'u_secretary'],
      ['application.recommend', 'u_council'],
      ['application.approve', 'u_bureau'],
    ]);
    expect(audit.every((a) => a.ip)).toBe(true);

    const member = await db
      .selectFrom('alliance_members')
      .selectAll()
      .where('alliance_id', '=', 'a_0001')
      .where('school_id', '=', 's_00033')
      .where('status', '=', 'active')
      .execute();
    expect(member).toHaveLength(1);
    expect(member[0]).toMatchObject({ role: 'member', alliance_kind: 'fusion' });
    const detail = (await principal2.get('/api/alliances/a_0001')).json();
    expect(detail.members).toContainEqual(expect.objectContaining({ schoolId: 's_00033', status: 'active' }));
    // the new member's principal now sees the alliance's internals
    expect((await principal2.get('/api/alliances/a_0001/timeline')).json().items[0].action).toBe('application.approve');
    // done is done
    expectProblem(await bureau.post(`/api/applications/${appId}/approve`, { decision: 'pass' }), 409, 'invalid_transition');
    expectProblem(await principal2.post(`/api/applications/${appId}/withdraw`), 409, 'invalid_transition');
  });

  it('rejects with a reason at any step', async () => {
    const principal = await env.login('principal');
    const sec2 = await env.login('sec_a_0002');
    const res = await principal.post('/api/applications', { allianceId: 'a_0002', schoolId: 's_00001', reason: '希望与城乡共同体共享课程资源' });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const before = await snapshot(id);
    // a rejection needs a reason
    expectProblem(await sec2.post(`/api/applications/${id}/evaluate`, { decision: 'fail' }), 400, 'validation_failed', ['comment']);
    expect(await snapshot(id)).toEqual(before);
    const rej = await sec2.post(`/api/applications/${id}/evaluate`, { decision: 'fail', comment: '学段不匹配' });
    expect(rej.json().status).toBe('rejected');
    expect(rej.json().decisions.at(-1)).toMatchObject({ step: 'reject', decision: 'fail', comment: '学段不匹配' });
    expectProblem(await sec2.post(`/api/applications/${id}/recommend`, { decision: 'pass' }), 409, 'invalid_transition');
    const logged = await env.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute();
    expect(logged.map((l) => l.action)).toEqual(['application.submit', 'application.reject']);
    // the bureau can also turn one down at its step
    const again = await principal.post('/api/applications', { allianceId: 'a_0002', schoolId: 's_00001', reason: '再次申请加入城乡共同体' });
    const id2 = again.json().id;
    await sec2.post(`/api/applications/${id2}/evaluate`, { decision: 'pass' });
    expect((await (await env.login('admin')).post(`/api/applications/${id2}/recommend`, { decision: 'pass' })).statusCode).toBe(200);
    const no = await bureau.post(`/api/applications/${id2}/approve`, { decision: 'fail', comment: '名额已满' });
    expect(no.json().status).toBe('rejected');
    expect(
      await env.database.db.selectFrom('alliance_members').select('id').where('alliance_id', '=', 'a_0002').where('school_id', '=', 's_00001').execute(),
    ).toHaveLength(0);
  });

  it('exits a member with a reason, on the alliance’s motion; the core school cannot leave', async () => {
    const before = await countRows(env.database, 'audit_log');
    expectProblem(await secretary.post('/api/alliances/a_0001/members/s_00033/exit', { reason: '短' }), 400, 'validation_failed', ['reason']);
    expectProblem(await secretary.post('/api/alliances/a_0001/members/s_00033/exit', {}), 400, 'validation_failed', ['reason']);
    expectProblem(await principal2.post('/api/alliances/a_0001/members/s_00033/exit', { reason: '学校自己想退出集团' }), 403, 'forbidden');
    expectProblem(await secretary.post('/api/alliances/a_0001/members/s_00001/exit', { reason: '核心校试图退出集团' }), 409, 'conflict', ['schoolId']);
    expectProblem(await secretary.post('/api/alliances/a_0001/members/s_00046/exit', { reason: '并非成员的学校退出' }), 404, 'not_found');
    expect(await countRows(env.database, 'audit_log')).toBe(before);

    const res = await secretary.post('/api/alliances/a_0001/members/s_00033/exit', { reason: '学校撤并至石门镇中心校区' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      schoolId: 's_00033',
      status: 'exited',
      exitReason: '学校撤并至石门镇中心校区',
      exitedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const row = await env.database.db
      .selectFrom('alliance_members')
      .select(['exit_by', 'exit_reason'])
      .where('alliance_id', '=', 'a_0001')
      .where('school_id', '=', 's_00033')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ exit_by: 'u_secretary', exit_reason: '学校撤并至石门镇中心校区' });
    const audit = await env.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'ip', 'detail'])
      .where('action', '=', 'member.exit')
      .where('school_id', '=', 's_00033')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe('u_secretary');
    expect(JSON.parse(audit.detail).reason).toBe('学校撤并至石门镇中心校区');
    expectProblem(await secretary.post('/api/alliances/a_0001/members/s_00033/exit', { reason: '重复退出一次看看' }), 404, 'not_found');
    // a former member may apply again
    const again = await principal2.post('/api/applications', { allianceId: 'a_0001', schoolId: 's_00033', reason: '撤并完成后重新申请加入' });
    expect(again.statusCode).toBe(201);
  });

  it('lists applications by status and exports them', async () => {
    const list = (await bureau.get('/api/applications?status=rejected&pageSize=100')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((a: { status: string }) => a.status === 'rejected')).toBe(true);
    const res = await bureau.get('/api/applications/export.xlsx?status=rejected');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect(ws.actualRowCount - 1).toBe(list.total);
    expect(ws.getRow(1).getCell(1).value).toBe('申请学校');
    expect(String(ws.getRow(2).getCell(3).value)).toBe('未通过');
    expectProblem(await bureau.get('/api/applications?status=lost'), 400, 'validation_failed', ['query.status']);
  });
});
