/**
 * Course resource library (SPEC S2): workflow, files (bad input, Range), visibility × licence, counts,
 * use and contribution. Runs on SQLite, and on PostgreSQL with DATABASE_URL set.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { addForeignRegion, expectProblem, FOREIGN, multipart, type Part } from '../../testkit.js';
import { makeDocx, makePdf } from '../../seed/resource-files.js';

let env: TestEnv;
let author: Client; // 陈晓燕, 城东区新城小学 (member of 实验小学教育集团 a_0001)
let reviewer: Client; // 周文博, math reviewer of a_0001
let sameSchool: Client; // another teacher of the author's school
let allianceTeacher: Client; // a teacher of the core school s_00001 (same alliance, other school)
let cityTeacher: Client; // a teacher of s_00046 (same city, not in a_0001)
let foreignTeacher: Client; // a teacher in another province
let admin: Client;
let secretary: Client;

async function teacherName(schoolId: string) {
  const u = await env.database.db
    .selectFrom('users')
    .select('username')
    .where('school_id', '=', schoolId)
    .where('username', 'like', 't\\_%' as never)
    .orderBy('username')
    .executeTakeFirst();
  if (u) return u.username;
  const any = await env.database.db
    .selectFrom('users')
    .select('username')
    .where('school_id', '=', schoolId)
    .where('username', 'like', 't_%')
    .orderBy('username')
    .executeTakeFirstOrThrow();
  return any.username;
}

export async function pdfBytes(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(text, { x: 20, y: 100, size: 12, font });
  return Buffer.from(await doc.save());
}

/** A minimal ISO-BMFF (MP4) file: an ftyp box and padding in an mdat box. */
export function mp4Bytes(size = 64 * 1024): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2')]);
  const body = Buffer.alloc(size - ftyp.length);
  body.writeUInt32BE(body.length, 0);
  body.write('mdat', 4, 'latin1');
  for (let i = 8; i < body.length; i++) body[i] = i % 251;
  return Buffer.concat([ftyp, body]);
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

function meta(over: Record<string, unknown> = {}) {
  return {
    kind: 'lesson_plan',
    title: '二次函数的图像与性质 教学设计',
    description: '九年级数学：二次函数图像的开口方向、对称轴与顶点。',
    subject: 'math',
    stage: 'junior',
    grade: 'g9',
    textbookEdition: 'pep',
    chapter: '第二十二章 二次函数',
    difficulty: 'medium',
    tags: ['二次函数', '图像'],
    licence: 'cc_by_nc',
    visibility: 'alliance',
    allianceId: 'a_0001',
    ...over,
  };
}

async function upload(c: Client, id: string, parts: Part[]) {
  const m = multipart(parts);
  return c.request({ method: 'POST', url: `/api/resources/${id}/files`, payload: m.payload, headers: m.headers });
}
const filePart = (value: Buffer, filename: string, contentType = 'application/octet-stream'): Part => ({ name: 'file', value, filename, contentType });

/** Files under the storage folder of resources (temporary .part files included). */
function storedFiles(): string[] {
  const root = path.join(env.dir, 'files', 'resources');
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.join(d, e.name));
    }
  };
  walk(root);
  return out.sort();
}

async function snapshot() {
  return {
    files: storedFiles(),
    rows: await countRows(env.database, 'resource_files'),
    versions: await countRows(env.database, 'resource_versions'),
    resources: await countRows(env.database, 'resources'),
  };
}

const SCORES = { accuracy: 5, standards: 4, ethics: 5, objectives: 4, design: 5, assessment: 4 };

/** Creates, uploads, submits and publishes a resource; returns its id. */
async function published(over: Record<string, unknown> = {}, file?: { body: Buffer; name: string }) {
  const res = await author.post('/api/resources', meta(over));
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const up = await upload(author, id, [
    filePart(file?.body ?? (await pdfBytes('Quadratic functions lesson plan')), file?.name ?? '教案.pdf', 'application/pdf'),
  ]);
  expect(up.statusCode, up.body).toBe(201);
  const sub = await author.post(`/api/resources/${id}/submit`, {});
  expect(sub.statusCode, sub.body).toBe(200);
  const kind = (over.kind as string) ?? 'lesson_plan';
  const scores = kind === 'lesson_plan' ? SCORES : Object.fromEntries(sub.json().rubric.map((i: { code: string }) => [i.code, 5]));
  const rev = await reviewer.post(`/api/resources/${id}/review`, { decision: 'publish', scores });
  expect(rev.statusCode, rev.body).toBe(200);
  return id;
}

beforeAll(async () => {
  env = await makeTestEnv();
  await addForeignRegion(env.database, env.storage);
  // the foreign teacher gets the demo password so it can sign in
  const hash = await env.database.db.selectFrom('users').select('password_hash').where('username', '=', 'teacher').executeTakeFirstOrThrow();
  await env.database.db.updateTable('users').set({ password_hash: hash.password_hash }).where('id', '=', FOREIGN.user).execute();
  author = await env.login('teacher');
  reviewer = await env.login('reviewer');
  admin = await env.login('admin');
  secretary = await env.login('secretary');
  const authorSchool = (await env.database.db.selectFrom('users').select('school_id').where('username', '=', 'teacher').executeTakeFirstOrThrow()).school_id!;
  sameSchool = await env.login(await teacherName(authorSchool));
  allianceTeacher = await env.login(await teacherName('s_00001'));
  cityTeacher = await env.login(await teacherName('s_00046'));
  foreignTeacher = await env.login('x_teacher');
}, 120_000);

afterAll(async () => {
  await env?.close();
});

describe('create and metadata', () => {
  it('creates a draft with version 1, the author and the alliance; only the author and admins see it', async () => {
    const res = await author.post('/api/resources', meta());
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ status: 'draft', kind: 'lesson_plan', allianceId: 'a_0001', authors: ['陈晓燕'], currentVersionId: null });
    expect(d.versions).toHaveLength(1);
    expect(d.can).toMatchObject({ edit: true, upload: true, submit: false });
    expect((await allianceTeacher.get(`/api/resources/${d.id}`)).statusCode).toBe(404);
    expect((await reviewer.get(`/api/resources/${d.id}`)).statusCode).toBe(404);
    expect((await secretary.get(`/api/resources/${d.id}`)).statusCode).toBe(200);
    const mine = (await author.get('/api/resources/mine')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(d.id);
  });

  it('rejects invalid metadata with the failing fields and stores nothing', async () => {
    const before = await snapshot();
    expectProblem(await author.post('/api/resources', meta({ grade: 'g3' })), 400, 'validation_failed', ['grade']);
    expectProblem(await author.post('/api/resources', meta({ licence: 'all_rights' })), 400, 'validation_failed', ['licence']);
    expectProblem(await author.post('/api/resources', meta({ title: '' })), 400, 'validation_failed', ['title']);
    expectProblem(await author.post('/api/resources', meta({ kind: 'movie', subject: 'cooking' })), 400, 'validation_failed', ['kind', 'subject']);
    expectProblem(await author.post('/api/resources', meta({ owner: 'me' })), 400, 'validation_failed', ['owner']);
    expectProblem(await author.post('/api/resources', meta({ allianceId: 'a_0005' })), 400, 'validation_failed', ['allianceId']);
    expectProblem(await author.post('/api/resources', meta({ schoolId: 's_00046' })), 400, 'validation_failed', ['schoolId']);
    expectProblem(await author.post('/api/resources', meta({ authors: [{ userId: 'u_nobody' }] })), 400, 'validation_failed', ['authors.0.userId']);
    const en = await author.request({ method: 'POST', url: '/api/resources', json: meta({ grade: 'g3' }), headers: { 'accept-language': 'en' } });
    expect(en.json().detail).toMatch(/invalid/i);
    expect(await snapshot()).toEqual(before);
  });
});

describe('files: bad input stores nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = (await author.post('/api/resources', meta({ kind: 'exam', title: '九年级数学 二次函数 单元测试卷' }))).json().id;
  });

  it('accepts a PDF by its content and keeps name, size and sha256', async () => {
    const pdf = await pdfBytes('Unit test');
    const before = storedFiles().length;
    const res = await upload(author, id, [filePart(pdf, '单元测试.pdf', 'application/pdf')]);
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json().files[0];
    expect(f).toMatchObject({ name: '单元测试.pdf', mime: 'application/pdf', size: pdf.length, role: 'main', previewable: true });
    expect(storedFiles()).toHaveLength(before + 1);
  });

  it('refuses a file whose content is not its claimed type (415), nothing stored', async () => {
    const before = await snapshot();
    const body = expectProblem(
      await upload(author, id, [filePart(Buffer.from('MZ\x90\x00 this is an executable pretending', 'latin1'), 'paper.pdf', 'application/pdf')]),
      415,
      'file_type_not_allowed',
      ['file'],
    );
    expect(body.detail).toContain('PDF');
    // a real video is not a type an exam accepts
    expectProblem(await upload(author, id, [filePart(mp4Bytes(), 'exam.mp4', 'video/mp4')]), 415, 'file_type_not_allowed');
    // an empty file
    expectProblem(await upload(author, id, [filePart(Buffer.alloc(0), 'empty.pdf', 'application/pdf')]), 415, 'file_type_not_allowed');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses path tricks in file names', async () => {
    const before = await snapshot();
    const pdf = await pdfBytes('x');
    for (const name of ['../../etc/passwd.pdf', '..\\..\\boot.pdf', '/abs/path.pdf', '.hidden.pdf', 'a\u0000b.pdf']) {
      expectProblem(await upload(author, id, [filePart(pdf, name, 'application/pdf')]), 400, 'invalid_file_name', ['file']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an oversized file with 413 and leaves no temporary file', async () => {
    const before = await snapshot();
    const big = Buffer.concat([await pdfBytes('big'), Buffer.alloc(50 * 1024 * 1024 + 10, 0x20)]);
    const body = expectProblem(await upload(author, id, [filePart(big, 'big.pdf', 'application/pdf')]), 413, 'payload_too_large', ['file']);
    expect(body.errors![0]!.message).toContain('50 MB');
    expect(await snapshot()).toEqual(before);
    // the kind's limit replaces the app's 20 MB default: 25 MB is fine for a test paper
    const ok = await upload(author, id, [
      filePart(Buffer.concat([await pdfBytes('25 MB'), Buffer.alloc(25 * 1024 * 1024, 0x20)]), 'scan.pdf', 'application/pdf'),
    ]);
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('refuses an upload cut off half-way (400) and leaves no temporary file', async () => {
    const before = await snapshot();
    const m = multipart([filePart(Buffer.concat([await pdfBytes('cut'), Buffer.alloc(300_000, 0x41)]), 'cut.pdf', 'application/pdf')]);
    const cut = m.payload.subarray(0, Math.floor(m.payload.length / 2));
    const res = await author.request({ method: 'POST', url: `/api/resources/${id}/files`, payload: cut, headers: m.headers });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().code).toBe('upload_incomplete');
    expect(await snapshot()).toEqual(before);
  });

  it('a real connection dropped half-way through a streamed upload leaves no temporary file and no row', async () => {
    const before = await snapshot();
    const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = new URL(address);
      const m = multipart([filePart(Buffer.concat([await pdfBytes('dropped'), Buffer.alloc(8 * 1024 * 1024, 0x41)]), 'dropped.pdf', 'application/pdf')]);
      const cookie = [...author.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const sock = net.connect(Number(port), '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      sock.write(
        `POST /api/resources/${id}/files HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nX-CSRF-Token: ${author.csrf}\r\n` +
          `Content-Type: ${m.headers['content-type']}\r\nContent-Length: ${m.payload.length}\r\n\r\n`,
      );
      sock.write(m.payload.subarray(0, 4 * 1024 * 1024));
      // wait until the server has begun writing the file, then drop the connection
      for (let i = 0; i < 100 && !storedFiles().some((f) => f.endsWith('.part')); i++) await new Promise((r) => setTimeout(r, 20));
      expect(
        storedFiles().some((f) => f.endsWith('.part')),
        'the upload was being streamed to a temporary file',
      ).toBe(true);
      sock.destroy();
      for (let i = 0; i < 100 && storedFiles().some((f) => f.endsWith('.part')); i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await env.app.server.close();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a second file part, a missing file, a non-multipart body and an upload by someone else', async () => {
    const before = await snapshot();
    const pdf = await pdfBytes('x');
    expectProblem(await upload(author, id, [filePart(pdf, 'a.pdf'), filePart(pdf, 'b.pdf')]), 400, 'validation_failed');
    expectProblem(await upload(author, id, [{ name: 'note', value: '说明' }]), 400, 'validation_failed', ['file']);
    expectProblem(await upload(author, id, [{ name: 'role', value: 'lesson' }, filePart(pdf, 'a.pdf')]), 400, 'validation_failed', ['role']);
    expectProblem(await author.post(`/api/resources/${id}/files`, { file: 'x' }), 415, 'unsupported_media_type');
    expect((await upload(allianceTeacher, id, [filePart(pdf, 'a.pdf')])).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('校本课程 packages hold several parts; a single-file kind replaces its main file', async () => {
    const pkg = (
      await author.post('/api/resources', meta({ kind: 'school_course', title: '家乡的河流 校本课程', stage: 'primary', grade: 'g4', subject: 'science' }))
    ).json().id;
    expect((await upload(author, pkg, [{ name: 'role', value: 'outline' }, filePart(await pdfBytes('outline'), '课程纲要.pdf')])).statusCode).toBe(201);
    expect((await upload(author, pkg, [{ name: 'role', value: 'lesson' }, filePart(mp4Bytes(), '第一课时.mp4')])).statusCode).toBe(201);
    const d = (await upload(author, pkg, [{ name: 'role', value: 'material' }, filePart(PNG, '河流.png')])).json();
    expect(d.files.map((f: { role: string }) => f.role)).toEqual(['outline', 'lesson', 'material']);
    const before = storedFiles().length;
    const again = (await upload(author, id, [filePart(await pdfBytes('v2'), '单元测试-修订.pdf')])).json();
    expect(again.files).toHaveLength(1);
    expect(again.files[0].name).toBe('单元测试-修订.pdf');
    expect(storedFiles()).toHaveLength(before); // the replaced draft file is gone from storage
  });
});

describe('workflow 上传—审核—共享', () => {
  it('submit assigns the subject reviewer; return needs a comment; resubmit; publish; invalid steps are 409', async () => {
    const id = (await author.post('/api/resources', meta({ title: '一次函数复习课 教学设计' }))).json().id;
    // nothing to review yet
    expectProblem(await author.post(`/api/resources/${id}/submit`, {}), 400, 'validation_failed', ['file']);
    await upload(author, id, [filePart(await pdfBytes('linear'), '一次函数.pdf')]);
    expectProblem(await reviewer.post(`/api/resources/${id}/review`, { decision: 'publish', scores: SCORES }), 404, 'not_found');
    const sub = await author.post(`/api/resources/${id}/submit`, {});
    expect(sub.json()).toMatchObject({ status: 'in_review', reviewer: { name: '周文博' } });
    expectProblem(await author.post(`/api/resources/${id}/submit`, {}), 409, 'invalid_transition');
    expectProblem(await author.post(`/api/resources/${id}/archive`, {}), 409, 'invalid_transition');
    expectProblem(await author.patch(`/api/resources/${id}`, { title: '改标题' }), 409, 'invalid_transition');
    expectProblem(await upload(author, id, [filePart(await pdfBytes('x'), 'x.pdf')]), 409, 'invalid_transition');

    const queue = (await reviewer.get('/api/reviews/queue')).json();
    expect(queue.items.find((x: { id: string }) => x.id === id)).toMatchObject({ assignedToMe: true, subject: 'math' });
    const notes = (await reviewer.get('/api/notifications')).json();
    expect(notes.items.some((n: { resourceId: string; kind: string }) => n.resourceId === id && n.kind === 'assigned')).toBe(true);

    // the rubric: every item scored 1–5, nothing else
    const bad = expectProblem(
      await reviewer.post(`/api/resources/${id}/review`, { decision: 'publish', scores: { accuracy: 6, nonsense: 3 } }),
      400,
      'validation_failed',
      ['scores.accuracy', 'scores.nonsense', 'scores.design'],
    );
    expect(bad.errors!.find((e) => e.field === 'scores.accuracy')!.message).toContain('1–5');
    expectProblem(await reviewer.post(`/api/resources/${id}/review`, { decision: 'return', scores: SCORES }), 400, 'validation_failed', ['comment']);
    // the author cannot review; a reviewer of another alliance does not even see it
    expect((await author.post(`/api/resources/${id}/review`, { decision: 'publish', scores: SCORES })).statusCode).toBe(403);

    const ret = await reviewer.post(`/api/resources/${id}/review`, { decision: 'return', scores: { ...SCORES, assessment: 2 }, comment: '请补充学习评价设计' });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json().status).toBe('returned');
    const mine = (await author.get(`/api/resources/${id}`)).json();
    expect(mine.reviews[0]).toMatchObject({ decision: 'return', comment: '请补充学习评价设计' });
    expect(
      (await author.get('/api/notifications')).json().items.some((n: { resourceId: string; kind: string }) => n.resourceId === id && n.kind === 'returned'),
    ).toBe(true);
    expectProblem(await reviewer.post(`/api/resources/${id}/review`, { decision: 'publish', scores: SCORES }), 409, 'invalid_transition');

    expect((await author.patch(`/api/resources/${id}`, { description: '补充了学习评价' })).statusCode).toBe(200);
    expect((await author.post(`/api/resources/${id}/submit`, {})).json().status).toBe('in_review');
    const pub = await reviewer.post(`/api/resources/${id}/review`, { decision: 'publish', scores: SCORES });
    expect(pub.json()).toMatchObject({ status: 'published' });
    expect(pub.json().versions[0].publishedAt).toBeTruthy();
    const d = (await author.get(`/api/resources/${id}`)).json();
    expect(d.history.map((h: { step: string }) => h.step)).toEqual(['create', 'submit', 'assign', 'return', 'submit', 'assign', 'publish']);
    const audits = await env.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['resource.publish', 'resource.return']);

    // others see it now; withdraw hides it again, archive ends it
    expect((await allianceTeacher.get(`/api/resources/${id}`)).statusCode).toBe(200);
    expect((await author.post(`/api/resources/${id}/withdraw`, {})).json().status).toBe('withdrawn');
    expect((await allianceTeacher.get(`/api/resources/${id}`)).statusCode).toBe(404);
    expect((await author.post(`/api/resources/${id}/archive`, {})).json().status).toBe('archived');
    expectProblem(await author.post(`/api/resources/${id}/withdraw`, {}), 409, 'invalid_transition');
    expectProblem(await author.post(`/api/resources/${id}/submit`, {}), 409, 'invalid_transition');
  });

  it('a subject without a reviewer falls back to a reviewer of the alliance; unassigned work waits in the alliance queue', async () => {
    const id = (
      await author.post('/api/resources', meta({ title: '古诗词诵读 微课', kind: 'lesson_plan', subject: 'chinese', stage: 'primary', grade: 'g3' }))
    ).json().id;
    await upload(author, id, [filePart(await pdfBytes('poems'), '古诗.pdf')]);
    const sub = (await author.post(`/api/resources/${id}/submit`, {})).json();
    expect(sub.status).toBe('in_review');
    expect(sub.reviewer.name).toBe('周文博'); // the only reviewer of a_0001 (math) takes it
    // without any reviewer: stays submitted, the secretariat is told
    await env.database.db.deleteFrom('role_grants').where('role', '=', 'reviewer').where('user_id', '=', 'u_reviewer').execute();
    try {
      const id2 = (await author.post('/api/resources', meta({ title: '无人审核的资源' }))).json().id;
      await upload(author, id2, [filePart(await pdfBytes('x'), 'x.pdf')]);
      expect((await author.post(`/api/resources/${id2}/submit`, {})).json()).toMatchObject({ status: 'submitted', reviewer: null });
      expect((await secretary.get('/api/notifications')).json().items.some((n: { resourceId: string }) => n.resourceId === id2)).toBe(true);
    } finally {
      await env.database.db
        .insertInto('role_grants')
        .values({
          id: 'g_rev_back',
          user_id: 'u_reviewer',
          role: 'reviewer',
          scope_type: 'alliance',
          scope_id: 'a_0001',
          subject: 'math',
          granted_by: null,
          granted_at: '2025-01-01T00:00:00.000Z',
        })
        .execute();
    }
  });

  it("unassigned work is in the queue of the alliance's reviewers; the secretariat assigns it", async () => {
    const id = (await author.post('/api/resources', meta({ title: '待分配的资源' }))).json().id;
    await upload(author, id, [filePart(await pdfBytes('x'), 'x.pdf')]);
    await author.post(`/api/resources/${id}/submit`, {});
    // make it unassigned, as if no reviewer had existed at submission
    await env.database.db.updateTable('resources').set({ status: 'submitted', reviewer_id: null }).where('id', '=', id).execute();
    await env.database.db.deleteFrom('resource_review_assignments').where('resource_id', '=', id).execute();
    const q = (await reviewer.get('/api/reviews/queue')).json();
    expect(q.items.find((x: { id: string }) => x.id === id)).toMatchObject({ assignedToMe: false, status: 'submitted' });
    expect((await author.post(`/api/resources/${id}/assign`, { reviewerId: 'u_reviewer' })).statusCode).toBe(403);
    expectProblem(await secretary.post(`/api/resources/${id}/assign`, { reviewerId: 'u_teacher' }), 400, 'validation_failed', ['reviewerId']);
    const a = await secretary.post(`/api/resources/${id}/assign`, { reviewerId: 'u_reviewer' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ status: 'in_review', reviewer: { id: 'u_reviewer' } });
    expect((await reviewer.get('/api/reviews/queue')).json().items.find((x: { id: string }) => x.id === id).assignedToMe).toBe(true);
    const audits = await env.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(audits.map((x) => x.action)).toContain('resource.assign');
    // messages in English when asked
    const en = await author.request({ method: 'POST', url: `/api/resources/${id}/submit`, json: {}, headers: { 'accept-language': 'en-US' } });
    expect(en.statusCode).toBe(409);
    expect(en.json().detail).toBe('Cannot submit while In review');
    const zh = expectProblem(await author.post(`/api/resources/${id}/submit`, {}), 409, 'invalid_transition');
    expect(zh.detail).toBe('当前状态（审核中）下不能执行“提交审核”');
  });
});

describe('preview and download', () => {
  let id: string;
  let fileId: string;
  let video: Buffer;
  beforeAll(async () => {
    video = mp4Bytes(200_000);
    id = await published({ kind: 'lesson_video', title: '二次函数 课堂实录' }, { body: video, name: '课堂实录.mp4' });
    fileId = (await allianceTeacher.get(`/api/resources/${id}`)).json().files[0].id;
  });

  it('serves byte ranges (206) for seeking, the whole file (200) without a Range, 416 beyond the end', async () => {
    const url = `/api/resources/${id}/files/${fileId}/preview`;
    const whole = await allianceTeacher.get(url);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.headers['content-disposition']).toMatch(/^inline/);
    expect(whole.rawPayload.equals(video)).toBe(true);

    const part = await allianceTeacher.get(url, { range: 'bytes=1000-1999' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${video.length}`);
    expect(part.headers['content-length']).toBe('1000');
    expect(part.rawPayload.equals(video.subarray(1000, 2000))).toBe(true);

    const tail = await allianceTeacher.get(url, { range: 'bytes=-100' });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload.equals(video.subarray(video.length - 100))).toBe(true);
    const open = await allianceTeacher.get(url, { range: `bytes=${video.length - 10}-` });
    expect(open.rawPayload.length).toBe(10);

    const beyond = await allianceTeacher.get(url, { range: `bytes=${video.length}-` });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${video.length}`);

    const dl = await allianceTeacher.get(`/api/resources/${id}/files/${fileId}/download`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment/);
    expect(dl.headers['content-disposition']).toContain(encodeURIComponent('课堂实录.mp4'));
  });

  it('counts a view and a download once per user and day; seeking does not count', async () => {
    const url = `/api/resources/${id}/files/${fileId}`;
    const before = (await author.get(`/api/resources/${id}`)).json();
    await cityTeacher.get(`/api/resources/${id}`).catch(() => null);
    for (let i = 0; i < 3; i++) await sameSchool.get(`/api/resources/${id}`);
    await sameSchool.get(`${url}/preview`, { range: 'bytes=5000-5999' });
    for (let i = 0; i < 3; i++) await sameSchool.get(`${url}/download`);
    const after = (await author.get(`/api/resources/${id}`)).json();
    expect(after.views - before.views).toBe(1);
    expect(after.downloads - before.downloads).toBe(1);
    const rows = await env.database.db
      .selectFrom('resource_daily_counts')
      .selectAll()
      .where('resource_id', '=', id)
      .where('user_id', '!=', 'u_teacher')
      .execute();
    expect(rows.filter((r) => r.kind === 'download')).toHaveLength(2); // allianceTeacher earlier, sameSchool now
  });

  it('a file of another resource, or an unknown file, is not found', async () => {
    const other = await published({ title: '另一份教案' });
    expectProblem(await allianceTeacher.get(`/api/resources/${other}/files/${fileId}/preview`), 404, 'not_found');
    expectProblem(await allianceTeacher.get(`/api/resources/${id}/files/nope/preview`), 404, 'not_found');
  });
});

describe('visibility × licence on lists, details, previews and downloads', () => {
  const ids: Record<string, string> = {};
  const fileOf: Record<string, string> = {};
  beforeAll(async () => {
    for (const v of ['school', 'alliance', 'region', 'public'] as const) {
      ids[v] = await published({ visibility: v, title: `可见性矩阵 ${v} 电路`, licence: 'cc_by' });
    }
    ids.allianceOnly = await published({ visibility: 'region', title: '可见性矩阵 联盟内使用 电路', licence: 'alliance_only' });
    for (const [k, id] of Object.entries(ids)) fileOf[k] = (await author.get(`/api/resources/${id}`)).json().files[0].id;
  });

  // expected: [detail/preview visible, download allowed]
  const MATRIX: Record<string, Record<string, [boolean, boolean]>> = {
    sameSchool: { school: [true, true], alliance: [true, true], region: [true, true], public: [true, true], allianceOnly: [true, true] },
    allianceTeacher: { school: [false, false], alliance: [true, true], region: [true, true], public: [true, true], allianceOnly: [true, true] },
    cityTeacher: { school: [false, false], alliance: [false, false], region: [true, true], public: [true, true], allianceOnly: [true, false] },
    foreignTeacher: { school: [false, false], alliance: [false, false], region: [false, false], public: [true, true], allianceOnly: [false, false] },
  };

  for (const [who, row] of Object.entries(MATRIX)) {
    it(`as ${who}`, async () => {
      const c = { sameSchool, allianceTeacher, cityTeacher, foreignTeacher }[who]!;
      const list = (await c.get('/api/resources?q=电路&pageSize=100')).json();
      const listed = new Set(list.items.map((x: { id: string }) => x.id));
      for (const [k, [see, dl]] of Object.entries(row)) {
        const id = ids[k]!;
        expect(listed.has(id), `${who} lists ${k}`).toBe(see);
        expect((await c.get(`/api/resources/${id}`)).statusCode, `${who} detail ${k}`).toBe(see ? 200 : 404);
        expect((await c.get(`/api/resources/${id}/files/${fileOf[k]}/preview`)).statusCode, `${who} preview ${k}`).toBe(see ? 200 : 404);
        const d = await c.get(`/api/resources/${id}/files/${fileOf[k]}/download`);
        expect(d.statusCode, `${who} download ${k}`).toBe(dl ? 200 : see ? 403 : 404);
        if (see && !dl) expect(d.json().code).toBe('licence_forbids_download');
      }
    });
  }

  it('the platform admin sees everything; a bureau of the city sees the published work of its region', async () => {
    for (const id of Object.values(ids)) expect((await admin.get(`/api/resources/${id}`)).statusCode).toBe(200);
    const bureau = await env.login('bureau');
    expect((await bureau.get(`/api/resources/${ids.school}`)).statusCode).toBe(200);
  });
});

describe('search', () => {
  it('finds a two-character word in title/description/tags, with facets, highlight and sorts', async () => {
    const id = await published({
      title: '欧姆定律与串联电路',
      description: '通过实验探究电流、电压与电阻的关系。',
      subject: 'physics',
      stage: 'junior',
      grade: 'g9',
      kind: 'lesson_plan',
      tags: ['电学'],
    });
    const res = await allianceTeacher.get('/api/resources?q=电阻');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.terms).toEqual(['电阻']);
    const hit = body.items.find((x: { id: string }) => x.id === id);
    expect(hit).toBeTruthy();
    expect(hit.snippet).toContain('<mark>电阻</mark>');
    expect(body.facets.subject.find((f: { value: string }) => f.value === 'physics')).toMatchObject({ label: '物理' });
    // a filter narrows the list but its own facet still shows the other values
    const math = (await allianceTeacher.get('/api/resources?q=电路&subject=math&pageSize=100')).json();
    expect(math.items.every((x: { subject: string }) => x.subject === 'math')).toBe(true);
    expect(math.facets.subject.map((f: { value: string }) => f.value)).toContain('physics');
    const none = (await allianceTeacher.get('/api/resources?q=量子纠缠')).json();
    expect(none.items).toHaveLength(0);
    for (const sort of ['newest', 'rating', 'use', 'relevance']) expect((await allianceTeacher.get(`/api/resources?sort=${sort}`)).statusCode).toBe(200);
    expectProblem(await allianceTeacher.get('/api/resources?sort=random'), 400, 'validation_failed', ['query.sort']);
  });

  it('finds a word that appears only inside the PDF text, and reads Word documents by content', async () => {
    const pdf = makePdf({ title: '实验探究', paragraphs: ['本节课通过分组实验，研究并联电路中干路电流与支路电流的关系。'] });
    const id = await published({ title: '物理实验课 教学设计', description: '实验课', tags: [], subject: 'physics' }, { body: pdf, name: '实验.pdf' });
    const hit = (await allianceTeacher.get('/api/resources?q=支路')).json();
    const item = hit.items.find((x: { id: string }) => x.id === id);
    expect(item, JSON.stringify(hit.items.map((x: { title: string }) => x.title))).toBeTruthy();
    expect(item.snippet).toContain('<mark>支路</mark>');
    expect((await allianceTeacher.get('/api/resources?q=支路&kind=exam')).json().items.map((x: { id: string }) => x.id)).not.toContain(id);

    const draft = (await author.post('/api/resources', meta({ title: 'Word 教案' }))).json().id;
    const docx = makeDocx({ title: '勾股定理', paragraphs: ['直角三角形两直角边的平方和等于斜边的平方。'] });
    const up = await upload(author, draft, [filePart(docx, '勾股定理.docx')]);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().files[0]).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', textExtracted: true });
    const row = await env.database.db.selectFrom('resource_files').select('text').where('id', '=', up.json().files[0].id).executeTakeFirstOrThrow();
    expect(row.text).toContain('斜边');
    // a Word file renamed .pdf is still a Word file; an unconvertible office file has no preview without LibreOffice
    const f = up.json().files[0];
    const pv = await author.get(`/api/resources/${draft}/files/${f.id}/preview`);
    expect([200, 409]).toContain(pv.statusCode);
  });
});

describe('use, feedback and contribution', () => {
  let id: string;
  beforeAll(async () => {
    id = await published({ title: '反比例函数 教学设计' });
  });

  it("ratings: one per user, updatable; not on one's own work", async () => {
    expect((await allianceTeacher.put(`/api/resources/${id}/rating`, { stars: 4 })).json()).toMatchObject({ rating: 4, ratingCount: 1 });
    expect((await allianceTeacher.put(`/api/resources/${id}/rating`, { stars: 2 })).json()).toMatchObject({ rating: 2, ratingCount: 1 });
    expect((await sameSchool.put(`/api/resources/${id}/rating`, { stars: 5 })).json()).toMatchObject({ rating: 3.5, ratingCount: 2 });
    expectProblem(await author.put(`/api/resources/${id}/rating`, { stars: 5 }), 409, 'conflict');
    expectProblem(await allianceTeacher.put(`/api/resources/${id}/rating`, { stars: 6 }), 400, 'validation_failed', ['stars']);
    expect((await foreignTeacher.put(`/api/resources/${id}/rating`, { stars: 1 })).statusCode).toBe(404);
  });

  it('comments: the comment author, the resource author and admins may remove; others may not', async () => {
    await allianceTeacher.post(`/api/resources/${id}/comments`, { body: '很实用，已在班上使用' });
    const list = (await sameSchool.get(`/api/resources/${id}/comments`)).json();
    const c = list.items[0];
    expect(c).toMatchObject({ body: '很实用，已在班上使用', canDelete: false });
    expect((await sameSchool.delete(`/api/resource-comments/${c.id}`)).statusCode).toBe(403);
    expect((await author.delete(`/api/resource-comments/${c.id}`)).statusCode).toBe(204);
    expect((await sameSchool.get(`/api/resources/${id}/comments`)).json().items).toHaveLength(0);
    await sameSchool.post(`/api/resources/${id}/comments`, { body: '第二条' });
    const c2 = (await sameSchool.get(`/api/resources/${id}/comments`)).json().items[0];
    expect((await sameSchool.delete(`/api/resource-comments/${c2.id}`)).statusCode).toBe(204);
    expectProblem(await sameSchool.post(`/api/resources/${id}/comments`, { body: '' }), 400, 'validation_failed', ['body']);
  });

  it('favourites', async () => {
    expect((await sameSchool.put(`/api/resources/${id}/favourite`)).json()).toEqual({ favourite: true });
    expect((await sameSchool.get('/api/resources/favourites')).json().items.map((x: { id: string }) => x.id)).toContain(id);
    await sameSchool.delete(`/api/resources/${id}/favourite`);
    expect((await sameSchool.get('/api/resources/favourites')).json().items.map((x: { id: string }) => x.id)).not.toContain(id);
  });

  it('"used in my class" once per day; another school\'s use is a contribution of the owning school and author', async () => {
    const r1 = await allianceTeacher.post(`/api/resources/${id}/uses`, { classNote: '九年级（2）班' });
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json().contribution).toBeTruthy();
    const r2 = await allianceTeacher.post(`/api/resources/${id}/uses`, { classNote: '九年级（3）班' });
    expect(r2.statusCode).toBe(200);
    expect(r2.json().created).toBe(false);
    // same school: a use, no contribution
    const r3 = await sameSchool.post(`/api/resources/${id}/uses`, {});
    expect(r3.statusCode).toBe(201);
    expect(r3.json().contribution).toBeNull();
    const rows = await env.database.db.selectFrom('resource_contributions').selectAll().where('resource_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    const authorSchool = (await env.database.db.selectFrom('users').select('school_id').where('id', '=', 'u_teacher').executeTakeFirstOrThrow()).school_id;
    expect(rows[0]).toMatchObject({ owner_school_id: authorSchool, author_id: 'u_teacher', using_school_id: 's_00001', alliance_id: 'a_0001' });
    // the alliance's credit rules paid the owning school and the author through the ledger
    expect(rows[0]!.transaction_id).toBeTruthy();
    expect(Number(rows[0]!.amount)).toBeGreaterThan(0);
    const d = (await author.get(`/api/resources/${id}`)).json();
    expect(d.uses).toBe(2);
    const mine = (await author.get('/api/resources/contributions')).json();
    expect(mine.items.some((x: { resourceId: string }) => x.resourceId === id)).toBe(true);
    expectProblem(await allianceTeacher.post(`/api/resources/${id}/uses`, { usedOn: '2999-01-01' }), 400, 'validation_failed', ['usedOn']);
    expect((await allianceTeacher.get('/api/resources/recommended')).statusCode).toBe(200);
  });

  it('a new version does not replace the one in use until it is reviewed; uses point to their version', async () => {
    const v1File = (await allianceTeacher.get(`/api/resources/${id}`)).json().files[0].id;
    const up = await upload(author, id, [{ name: 'note', value: '修订：增加分层作业' }, filePart(await pdfBytes('version two'), '教案-v2.pdf')]);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    // others still get version 1, and cannot reach the draft's file
    const other = (await allianceTeacher.get(`/api/resources/${id}`)).json();
    expect(other.files[0].id).toBe(v1File);
    expect(other.versions).toHaveLength(1);
    const draftFile = up.json().files[0].id;
    expect((await allianceTeacher.get(`/api/resources/${id}/files/${draftFile}/preview`)).statusCode).toBe(404);
    await author.post(`/api/resources/${id}/submit`, {});
    expect((await allianceTeacher.get(`/api/resources/${id}`)).statusCode).toBe(200); // still live while v2 is reviewed
    await reviewer.post(`/api/resources/${id}/review`, { decision: 'publish', scores: SCORES });
    const after = (await allianceTeacher.get(`/api/resources/${id}`)).json();
    expect(after.files[0].name).toBe('教案-v2.pdf');
    expect(after.versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    expect(after.myUses[0].versionNumber).toBe(1);
    // the old version stays reachable for who used it
    expect((await allianceTeacher.get(`/api/resources/${id}/files/${v1File}/preview`)).statusCode).toBe(200);
  });
});

describe('catalogue and recommendations', () => {
  it("lists the month's published resources per subject and exports them to Excel", async () => {
    await published({ title: '目录测试 教学设计' });
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const c = (await allianceTeacher.get(`/api/resources/catalogue?month=${month}`)).json();
    expect(c.items.length).toBeGreaterThan(0);
    expect(c.subjects.find((s: { subject: string }) => s.subject === 'math').label).toBe('数学');
    const x = await allianceTeacher.get(`/api/resources/catalogue.xlsx?month=${month}&subject=math`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(2).value).toBe('资源名称');
    expect(ws.actualRowCount - 1).toBe(c.items.filter((i: { subject: string }) => i.subject === 'math').length);
    expectProblem(await allianceTeacher.get('/api/resources/catalogue?month=2025-13'), 400, 'validation_failed', ['query.month']);
    const empty = (await allianceTeacher.get('/api/resources/catalogue?month=2001-01')).json();
    expect(empty.items).toHaveLength(0);
  });

  it("recommends by the teacher's subjects and what similar teachers used", async () => {
    const r = (await reviewer.get('/api/resources/recommended')).json();
    expect(r.basis.subjects).toContain('math');
    expect(r.forYou.length).toBeGreaterThan(0);
    expect(r.forYou.every((x: { subject: string }) => r.basis.subjects.includes(x.subject))).toBe(true);
    // what teachers of mathematics (authors and users of math resources) used in class, which the reviewer has not used
    expect(r.likeYou.length).toBeGreaterThan(0);
    const usedByReviewer = await env.database.db.selectFrom('resource_uses').select('resource_id').where('user_id', '=', 'u_reviewer').execute();
    for (const x of r.likeYou) expect(usedByReviewer.map((u) => u.resource_id)).not.toContain(x.id);
    // the author's colleague used things; the core-school teacher (same subject through uses) is offered them
    const like = (await cityTeacher.get('/api/resources/recommended')).json();
    expect(Array.isArray(like.likeYou)).toBe(true);
  });
});
