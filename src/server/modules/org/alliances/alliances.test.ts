import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../../../common/org.js';
import { todayIn } from '../../../../common/time.js';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../../testing.js';
import { expectProblem, multipart, type Part } from '../../../testkit.js';

const TERMS = [
  { kind: 'joint_research_per_month', op: '>=', value: 2, unit: '次/月' },
  { kind: 'cost_share_per_student', op: 'between', value: 20, value2: 30 },
];

function filesIn(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? filesIn(path.join(dir, e.name)) : 1;
  return n;
}

describe('alliances', () => {
  let env: TestEnv;
  let bureau: Client;
  let secretary: Client;
  let teacher: Client;
  const upload = (c: Client, url: string, parts: Part[]) => {
    const m = multipart(parts);
    return c.request({ method: 'POST', url, payload: m.payload, headers: m.headers });
  };
  beforeAll(async () => {
    env = await makeTestEnv();
    [bureau, secretary, teacher] = await Promise.all([env.login('bureau'), env.login('secretary'), env.login('teacher')]);
  });
  afterAll(async () => env.close());

  it('lists alliances with kind and pattern filters', async () => {
    const all = (await bureau.get('/api/alliances?pageSize=100')).json();
    expect(all.total).toBe(await countRows(env.database, 'alliances'));
    const kinds = new Set(all.items.map((a: { kind: string }) => a.kind));
    expect(kinds).toEqual(new Set(['fusion', 'aggregation', 'union']));
    const fusion = (await bureau.get('/api/alliances?kind=fusion')).json();
    expect(fusion.items.length).toBeGreaterThan(0);
    expect(fusion.items.every((a: { kind: string }) => a.kind === 'fusion')).toBe(true);
    const mentor = (await bureau.get('/api/alliances?pattern=mentor&regionId=r_0004')).json();
    expect(mentor.items.map((a: { id: string }) => a.id)).toEqual(['a_0004']);
    const a1 = all.items.find((a: { id: string }) => a.id === 'a_0001');
    expect(a1).toMatchObject({ coreSchool: { id: 's_00001' }, memberCount: 5 });
    expectProblem(await bureau.get('/api/alliances?kind=club'), 400, 'validation_failed', ['query.kind']);
  });

  it('shows an alliance with members, partners, bodies with members and terms, documents, milestones and its cycle', async () => {
    const res = await teacher.get('/api/alliances/a_0001');
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a.members.find((m: { role: string }) => m.role === 'core').schoolId).toBe('s_00001');
    const exited = a.members.find((m: { status: string }) => m.status === 'exited');
    expect(exited.exitReason).toBeTruthy();
    expect(a.partners.length).toBeGreaterThan(0);
    const council = a.bodies.find((b: { kind: string }) => b.kind === 'council');
    expect(council.members.length).toBeGreaterThan(0);
    expect(council.members[0].termStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(a.documents.map((d: { kind: string }) => d.kind)).toEqual(expect.arrayContaining(['charter', 'agreement']));
    expect(a.milestones.length).toBeGreaterThan(0);
    expect(a.cycle.phases.map((p: { phase: string }) => p.phase)).toEqual(['preparation', 'implementation', 'deepening']);
    // 准备期 6 months, 实施期 18 months, 深化期 12 months, back to back
    const [p1, p2, p3] = a.cycle.phases;
    expect(p1.startOn).toBe(a.cycleStartOn);
    expect(p1.endOn).toBe(addMonths(a.cycleStartOn, 6));
    expect(p2.startOn).toBe(p1.endOn);
    expect(p2.endOn).toBe(addMonths(a.cycleStartOn, 24));
    expect(p3.endOn).toBe(addMonths(a.cycleStartOn, 36));
    // a school outside the alliance and its region does not see a foreign district's alliance
    expectProblem(await teacher.get('/api/alliances/a_0005'), 404, 'not_found');
  });

  it('creates an alliance with kind, pattern and core school; the core school becomes its first member', async () => {
    const today = todayIn();
    const start = addMonths(today, -8);
    const res = await bureau.post('/api/alliances', {
      regionId: 'r_0004',
      name: '青山县乡村小学发展共同体',
      kind: 'aggregation',
      pattern: 'urban_rural',
      coreSchoolId: 's_00025',
      foundedOn: addMonths(today, -30),
      cycleStartOn: start,
      description: '城乡结对',
    });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ kind: 'aggregation', pattern: 'urban_rural', coreSchool: { id: 's_00025' }, memberCount: 1 });
    expect(a.members).toEqual([expect.objectContaining({ schoolId: 's_00025', role: 'core', status: 'active' })]);
    // 8 months after the cycle started: 实施期
    expect(a.cycle.current).toBe('implementation');
    expect(a.phase).toBe('implementation');
    // founded 30 months ago and never assessed: the 2-year re-assessment is overdue
    expect(a.reassessment.overdue).toBe(true);
    expect(a.reassessmentDue).toBe(true);
    const audit = await env.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'alliance_id'])
      .where('action', '=', 'alliance.create')
      .where('entity_id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_id: 'u_bureau', alliance_id: a.id });

    // an assessment clears the flag; a weak result raises it again
    const ok = await bureau.post(`/api/alliances/${a.id}/assessments`, { assessedOn: today, score: 85, result: 'good' });
    expect(ok.json().reassessment).toMatchObject({ overdue: false, weak: false, lastAssessedOn: today, dueOn: addMonths(today, 24) });
    expect(ok.json().reassessmentDue).toBe(false);
    const weak = await bureau.post(`/api/alliances/${a.id}/assessments`, { assessedOn: today, score: 40, result: 'weak', comment: '活动流于形式' });
    expect(weak.json().reassessment.weak).toBe(true);
    expect(weak.json().reassessmentDue).toBe(true);
    expectProblem(
      await bureau.post(`/api/alliances/${a.id}/assessments`, { assessedOn: addMonths(today, 1), score: 40, result: 'weak' }),
      400,
      'validation_failed',
      ['assessedOn'],
    );
    // the secretary cannot assess its own alliance
    expectProblem(await secretary.post('/api/alliances/a_0001/assessments', { assessedOn: today, score: 99, result: 'excellent' }), 403, 'forbidden');
  });

  it('refuses bad alliances with the field named, and creates nothing', async () => {
    const before = await countRows(env.database, 'alliances');
    const base = {
      regionId: 'r_0002',
      name: '测试联盟',
      kind: 'union',
      pattern: 'partner',
      coreSchoolId: 's_00011',
      foundedOn: '2025-09-01',
      cycleStartOn: '2025-09-01',
    };
    expectProblem(await bureau.post('/api/alliances', { ...base, kind: 'club' }), 400, 'validation_failed', ['kind']);
    expectProblem(await bureau.post('/api/alliances', { ...base, foundedOn: '2025-13-45' }), 400, 'validation_failed', ['foundedOn']);
    expectProblem(await bureau.post('/api/alliances', { ...base, name: '名'.repeat(61) }), 400, 'validation_failed', ['name']);
    expectProblem(await bureau.post('/api/alliances', { ...base, core: 's_00011' }), 400, 'validation_failed', ['core']);
    expectProblem(await bureau.post('/api/alliances', { ...base, coreSchoolId: 's_nowhere' }), 400, 'validation_failed', ['coreSchoolId']);
    // a core school from another district than the alliance's
    expectProblem(await bureau.post('/api/alliances', { ...base, regionId: 'r_0005', coreSchoolId: 's_00011' }), 400, 'validation_failed', ['coreSchoolId']);
    // a school in one 融合型 group cannot be the core of another
    expectProblem(await bureau.post('/api/alliances', { ...base, kind: 'fusion', coreSchoolId: 's_00002' }), 409, 'conflict', ['coreSchoolId']);
    // duplicate name in the region
    expectProblem(await bureau.post('/api/alliances', { ...base, name: '临川市实验小学教育集团' }), 409, 'duplicate', ['name']);
    // a district bureau cannot found one in the city region
    const cd = await env.login('bureau_cd');
    expectProblem(await cd.post('/api/alliances', { ...base, regionId: 'r_0004', coreSchoolId: 's_00025' }), 400, 'validation_failed', ['regionId']);
    expect(await countRows(env.database, 'alliances')).toBe(before);
  });

  it('lets the secretary change its alliance (core school among the members) and records it on the timeline', async () => {
    expectProblem(await secretary.patch('/api/alliances/a_0001', { coreSchoolId: 's_00046' }), 400, 'validation_failed', ['coreSchoolId']);
    const res = await secretary.patch('/api/alliances/a_0001', { coreSchoolId: 's_00002', description: '一校多区' });
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a.coreSchool.id).toBe('s_00002');
    expect(
      a.members.filter((m: { role: string; status: string }) => m.role === 'core' && m.status === 'active').map((m: { schoolId: string }) => m.schoolId),
    ).toEqual(['s_00002']);
    const back = await secretary.patch('/api/alliances/a_0001', { coreSchoolId: 's_00001' });
    expect(back.json().coreSchool.id).toBe('s_00001');
    expectProblem(await secretary.patch('/api/alliances/a_0002', { description: '越权' }), 404, 'not_found');
    // the principal of the core school reads the alliance but does not run it
    expectProblem(await (await env.login('principal')).patch('/api/alliances/a_0001', { description: '越权' }), 403, 'forbidden');
    expectProblem(await teacher.patch('/api/alliances/a_0001', { description: '越权' }), 403, 'forbidden');
    const tl = await teacher.get('/api/alliances/a_0001/timeline');
    expect(tl.statusCode).toBe(200);
    const updates = tl.json().items.filter((i: { action: string }) => i.action === 'alliance.update');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[0].actorName).toBeTruthy();
    expect(updates[0].text).toContain('修改联盟信息');
    teacher.lang = 'en';
    expect((await teacher.get('/api/alliances/a_0001/timeline')).json().items[0].text).toMatch(/^[A-Z]/);
    teacher.lang = 'zh-CN';
  });

  it('sets up governance bodies and members with terms', async () => {
    const body = await secretary.post('/api/alliances/a_0001/bodies', {
      kind: 'subject_group',
      name: '英语学科教研中心',
      subject: 'english',
      hostSchoolId: 's_00002',
    });
    expect(body.statusCode).toBe(200);
    const created = body.json().bodies.find((b: { name: string }) => b.name === '英语学科教研中心');
    expect(created).toMatchObject({ kind: 'subject_group', subject: 'english', hostSchool: { id: 's_00002' } });
    expectProblem(await secretary.post('/api/alliances/a_0001/bodies', { kind: 'subject_group', name: '无学科组' }), 400, 'validation_failed', ['subject']);
    expectProblem(
      await secretary.post('/api/alliances/a_0001/bodies', { kind: 'council', name: '外校理事会', hostSchoolId: 's_00046' }),
      400,
      'validation_failed',
      ['hostSchoolId'],
    );
    const m = await secretary.post(`/api/bodies/${created.id}/members`, {
      personName: '王英',
      position: '组长',
      termStart: '2025-09-01',
      termEnd: '2028-08-31',
      schoolId: 's_00002',
    });
    expect(m.statusCode).toBe(200);
    const members = m.json().bodies.find((b: { id: string }) => b.id === created.id).members;
    expect(members).toEqual([expect.objectContaining({ personName: '王英', position: '组长', termStart: '2025-09-01', termEnd: '2028-08-31' })]);
    const before = await countRows(env.database, 'body_members');
    expectProblem(
      await secretary.post(`/api/bodies/${created.id}/members`, { personName: '李', position: '组员', termStart: '2025-09-01' }),
      400,
      'validation_failed',
      ['personName'],
    );
    expectProblem(
      await secretary.post(`/api/bodies/${created.id}/members`, { personName: '李明', position: '组员', termStart: '2025-09-01', termEnd: '2024-08-31' }),
      400,
      'validation_failed',
      ['termEnd'],
    );
    expectProblem(await secretary.post('/api/bodies/gb_0029/members', { personName: '李明', position: '组员', termStart: '2025-09-01' }), 404, 'not_found');
    expect(await countRows(env.database, 'body_members')).toBe(before);
  });

  it('keeps milestones per phase and marks them done', async () => {
    const res = await secretary.post('/api/alliances/a_0001/milestones', { phase: 'deepening', title: '集团化办学成果展示', dueOn: '2027-06-30' });
    const ms = res.json().milestones.find((m: { title: string }) => m.title === '集团化办学成果展示');
    expect(ms).toMatchObject({ phase: 'deepening', dueOn: '2027-06-30', doneOn: null });
    const done = await secretary.patch(`/api/milestones/${ms.id}`, { doneOn: '2027-06-28' });
    expect(done.json().milestones.find((m: { id: string }) => m.id === ms.id).doneOn).toBe('2027-06-28');
    expectProblem(
      await secretary.post('/api/alliances/a_0001/milestones', { phase: 'celebration', title: '庆典', dueOn: '2027-06-30' }),
      400,
      'validation_failed',
      ['phase'],
    );
  });

  it('stores charters and agreements as versioned documents: file plus structured terms', async () => {
    const filesBefore = filesIn(path.join(env.dir, 'files'));
    const text = '临川市实验小学教育集团合作协议\n第一条 每学科组每月联合教研不少于两次。\n';
    const res = await upload(secretary, '/api/alliances/a_0001/documents', [
      { name: 'kind', value: 'agreement' },
      { name: 'title', value: '2025—2028 发展协议书' },
      { name: 'terms', value: JSON.stringify(TERMS) },
      { name: 'effectiveFrom', value: '2025-09-01' },
      { name: 'effectiveTo', value: '2028-08-31' },
      { name: 'file', value: Buffer.from(text, 'utf8'), filename: '发展协议书.md', contentType: 'text/markdown' },
    ]);
    expect(res.statusCode).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({ kind: 'agreement', currentVersion: 1 });
    expect(doc.versions[0]).toMatchObject({ version: 1, fileName: '发展协议书.md', terms: TERMS, effectiveFrom: '2025-09-01', effectiveTo: '2028-08-31' });
    expect(filesIn(path.join(env.dir, 'files'))).toBe(filesBefore + 1);

    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << >> endobj\n%%EOF\n')]);
    const v2 = await upload(secretary, `/api/documents/${doc.id}/versions`, [
      { name: 'terms', value: JSON.stringify([TERMS[0]]) },
      { name: 'note', value: '调整经费条款' },
      { name: 'file', value: pdf, filename: '协议-v2.pdf', contentType: 'application/pdf' },
    ]);
    expect(v2.statusCode).toBe(201);
    expect(v2.json().currentVersion).toBe(2);
    expect(v2.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(v2.json().versions[0]).toMatchObject({ mime: 'application/pdf', note: '调整经费条款', terms: [TERMS[0]] });

    // every version stays downloadable, byte for byte
    const f1 = await teacher.get(`/api/documents/${doc.id}/versions/1/file`);
    expect(f1.statusCode).toBe(200);
    expect(f1.body).toBe(text);
    expect(f1.headers['content-disposition']).toContain(encodeURIComponent('发展协议书.md'));
    const f2 = await teacher.get(`/api/documents/${doc.id}/versions/2/file`);
    expect(Buffer.compare(f2.rawPayload, pdf)).toBe(0);
    expect(f2.headers['content-type']).toBe('application/pdf');
    expectProblem(await teacher.get(`/api/documents/${doc.id}/versions/3/file`), 404, 'not_found');
    const audit = await env.database.db.selectFrom('audit_log').select(['action', 'ip']).where('entity_id', '=', doc.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['document.create', 'document.version']);
    expect(audit.every((a) => a.ip)).toBe(true);
  });

  it('refuses a file whose content is not allowed, bad terms, or no file — and stores nothing', async () => {
    const docs = await countRows(env.database, 'documents');
    const versions = await countRows(env.database, 'document_versions');
    const files = filesIn(path.join(env.dir, 'files'));
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00]);
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0)]);
    const meta: Part[] = [
      { name: 'kind', value: 'charter' },
      { name: 'title', value: '伪装的章程' },
    ];
    // the name says PDF, the bytes say otherwise
    expectProblem(
      await upload(secretary, '/api/alliances/a_0001/documents', [...meta, { name: 'file', value: png, filename: '章程.pdf', contentType: 'application/pdf' }]),
      400,
      'validation_failed',
      ['file'],
    );
    expectProblem(
      await upload(secretary, '/api/alliances/a_0001/documents', [...meta, { name: 'file', value: exe, filename: '章程.docx' }]),
      400,
      'validation_failed',
      ['file'],
    );
    expectProblem(
      await upload(secretary, '/api/alliances/a_0001/documents', [...meta, { name: 'file', value: Buffer.alloc(0), filename: 'empty.txt' }]),
      400,
      'validation_failed',
      ['file'],
    );
    expectProblem(await upload(secretary, '/api/alliances/a_0001/documents', meta), 400, 'validation_failed', ['file']);
    const ok = { name: 'file', value: Buffer.from('章程正文\n'), filename: '章程.txt' };
    expectProblem(await upload(secretary, '/api/alliances/a_0001/documents', [...meta, { name: 'terms', value: '[{"kind":' }, ok]), 400, 'validation_failed', [
      'terms',
    ]);
    expectProblem(
      await upload(secretary, '/api/alliances/a_0001/documents', [
        ...meta,
        { name: 'terms', value: JSON.stringify([{ kind: 'joint_research_per_month', op: 'between', value: 5, value2: 1 }]) },
        ok,
      ]),
      400,
      'validation_failed',
      ['terms.0.value2'],
    );
    expectProblem(
      await upload(secretary, '/api/alliances/a_0001/documents', [{ name: 'kind', value: 'poster' }, { name: 'title', value: '海报' }, ok]),
      400,
      'validation_failed',
      ['kind'],
    );
    expectProblem(
      await upload(secretary, '/api/alliances/a_0001/documents', [
        ...meta,
        { name: 'effectiveFrom', value: '2026-01-01' },
        { name: 'effectiveTo', value: '2025-01-01' },
        ok,
      ]),
      400,
      'validation_failed',
      ['effectiveTo'],
    );
    expectProblem(await upload(secretary, '/api/alliances/a_0001/documents', [...meta, { name: 'owner', value: 'x' }, ok]), 400, 'validation_failed', [
      'owner',
    ]);
    expect((await secretary.post('/api/alliances/a_0001/documents', { kind: 'charter', title: 'JSON' })).statusCode).toBe(415);
    // not the secretary's alliance
    expectProblem(await upload(secretary, '/api/alliances/a_0002/documents', [...meta, ok]), 404, 'not_found');
    expectProblem(await upload(teacher, '/api/alliances/a_0001/documents', [...meta, ok]), 403, 'forbidden');
    expect(await countRows(env.database, 'documents')).toBe(docs);
    expect(await countRows(env.database, 'document_versions')).toBe(versions);
    expect(filesIn(path.join(env.dir, 'files'))).toBe(files);
  });

  it('registers partners and adds them to an alliance (the X of 1+N+X)', async () => {
    const list = (await secretary.get('/api/partners')).json();
    expect(list.items.length).toBe(await countRows(env.database, 'partners'));
    const created = await secretary.post('/api/partners', {
      regionId: 'r_0002',
      name: '临川市图书馆',
      kind: 'other',
      contact: '刘馆长',
      phone: '0799-6200000',
    });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expectProblem(await secretary.post('/api/partners', { regionId: 'r_0002', name: '临川市图书馆', kind: 'other' }), 409, 'duplicate', ['name']);
    expectProblem(await secretary.post('/api/partners', { regionId: 'r_0002', name: '临川市图书馆二', kind: 'zoo' }), 400, 'validation_failed', ['kind']);
    const added = await secretary.post('/api/alliances/a_0001/partners', { partnerId: p.id, offers: '阅读推广课程' });
    expect(added.statusCode).toBe(200);
    expect(added.json().partners).toContainEqual(expect.objectContaining({ partnerId: p.id, name: '临川市图书馆', offers: '阅读推广课程' }));
    expectProblem(await secretary.post('/api/alliances/a_0001/partners', { partnerId: p.id }), 409, 'conflict', ['partnerId']);
    expectProblem(await secretary.post('/api/alliances/a_0001/partners', { partnerId: 'p_nowhere' }), 400, 'validation_failed', ['partnerId']);
    // the partner list exports
    const x = await secretary.get('/api/partners/export.xlsx');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toMatch(/spreadsheetml/);
  });
});
