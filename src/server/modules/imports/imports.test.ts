import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { COLUMNS } from './schema.js';
import { decodeText, parseCsv } from './parse.js';

type Cell = string | number | null;

const SCHOOL_HEADER = ['学校标识码', '学校名称', '学校类型', '办学性质', '所在地类型', '所属区域', '学校标签', '在校生数', '教职工数', '统一社会信用代码'];
const CITY = 'r_0002';
const DISTRICT_CD = 'r_0003';
const DISTRICT_QS = 'r_0004';

async function xlsx(header: Cell[], rows: Cell[][], sheet = '学校'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(fileName: string, data: Buffer, field = 'file') {
  const boundary = `----xl${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(c: Client, query: string, fileName: string, data: Buffer) {
  const { payload, headers } = multipart(fileName, data);
  return c.request({ method: 'POST', url: `/api/imports?${query}`, payload, headers });
}

/** GBK bytes of a string, built from the platform's own GBK decoder (no encoder ships with Node). */
let gbkMap: Map<string, number[]> | null = null;
function encodeGbk(s: string): Buffer {
  if (!gbkMap) {
    gbkMap = new Map();
    const dec = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(Uint8Array.from([a, b]));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkMap.has(ch)) gbkMap.set(ch, [a, b]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkMap.get(ch);
      if (!bytes) throw new Error(`no GBK for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

/** A minimal stored zip (no compression, CRC left 0): enough to look like an Office file from outside. */
function storedZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const n = Buffer.from(name);
    const data = Buffer.from(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const errorsOf = (body: any, row: number) => body.rows.find((r: any) => r.row === row)?.errors ?? [];
const fieldsOf = (body: any, row: number) =>
  errorsOf(body, row)
    .map((e: any) => `${e.field}:${e.code}`)
    .sort();

let env: TestEnv;
let bureau: Client;
let existingCode: string;

beforeAll(async () => {
  env = await makeTestEnv();
  bureau = await env.login('bureau');
  existingCode = (await env.database.db.selectFrom('schools').select('code').limit(1).executeTakeFirstOrThrow()).code;
});
afterAll(async () => {
  await env?.close();
});

describe('CSV and text decoding', () => {
  it('parses quoted fields, doubled quotes, line breaks inside quotes and CRLF', () => {
    expect(parseCsv('a,b,c\r\n"x, y","say ""hi""","line1\r\nline2"\r\n1,,3')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\r\nline2'],
      ['1', '', '3'],
    ]);
    expect(parseCsv('a\tb\n1\t2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a,"b\n1,2')).toBeNull();
  });
  it('recognises UTF-8 with BOM, GBK and rejects binary', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('学校')]))).toBe('学校');
    expect(decodeText(encodeGbk('学校名称,小学'))).toBe('学校名称,小学');
    expect(decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBeNull();
  });
});

describe('template', () => {
  it('has the Chinese header and a 说明 sheet, and a filled-in copy imports', async () => {
    for (const kind of ['schools', 'users'] as const) {
      const res = await bureau.get(`/api/imports/template?kind=${kind}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as never);
      const sheet = wb.worksheets[0]!;
      const header = (sheet.getRow(1).values as Cell[]).slice(1);
      expect(header).toEqual(COLUMNS[kind].map((c) => c.label));
      const help = wb.getWorksheet('说明')!;
      expect(help).toBeTruthy();
      const helpLabels = help.getColumn(1).values.filter(Boolean) as string[];
      for (const c of COLUMNS[kind]) expect(helpLabels).toContain(c.label);
    }

    // take the schools template, copy its example row (from 说明) into sheet 1 and upload it
    const res = await bureau.get('/api/imports/template?kind=schools');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const help = wb.getWorksheet('说明')!;
    let exampleRow = 0;
    help.eachRow((r, n) => {
      if (r.getCell(1).value === '学校标识码' && n > 1) exampleRow = n + 1;
    });
    expect(exampleRow).toBeGreaterThan(0);
    const sheet = wb.worksheets[0]!;
    COLUMNS.schools.forEach((_, i) => {
      sheet.getRow(2).getCell(i + 1).value = help.getRow(exampleRow).getCell(i + 1).value;
    });
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await upload(bureau, `kind=schools&regionId=${DISTRICT_CD}`, '学校导入模板.xlsx', filled);
    expect(up.statusCode).toBe(201);
    const body = up.json();
    expect(body.total).toBe(1);
    expect(body.rows[0].errors).toEqual([]);
    expect(body.rows[0].values.code).toBe(COLUMNS.schools[0]!.example);
    expect((await bureau.post(`/api/imports/${body.id}/discard`)).statusCode).toBe(200);
  });
});

describe('schools import', () => {
  it('previews a good file as all valid, then commits every row in one go', async () => {
    const before = await countRows(env.database, 'schools');
    const file = await xlsx(SCHOOL_HEADER, [
      ['9990000001', '导入测试第一小学', '小学', '公办', '城区', null, '新建校、城郊校', 800, 50, null],
      [9990000002, '导入测试第二中学', '初级中学', '民办', '乡镇', '城东区', null, '1,200', 80, '52390102MJ0000001X'],
      ['9990000003', '导入测试九年制学校', 'nine_year', 'public', 'village', '390121', '农村校', null, null, null],
    ]);
    const res = await upload(bureau, `kind=schools&regionId=${CITY}`, 'good.xlsx', file);
    expect(res.statusCode).toBe(201);
    const prev = res.json();
    expect(prev).toMatchObject({
      kind: 'schools',
      status: 'previewed',
      fileName: 'good.xlsx',
      regionId: CITY,
      total: 3,
      validCount: 3,
      invalidCount: 0,
      importedCount: null,
    });
    expect(prev.rows.map((r: any) => r.row)).toEqual([2, 3, 4]);
    expect(prev.rows.every((r: any) => r.valid && r.errors.length === 0)).toBe(true);
    expect(prev.columns.find((c: any) => c.key === 'code').label).toBe('学校标识码');
    expect(await countRows(env.database, 'schools')).toBe(before); // a preview writes no school

    const done = await bureau.post(`/api/imports/${prev.id}/commit`, {});
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'committed', importedCount: 3 });
    expect(await countRows(env.database, 'schools')).toBe(before + 3);
    const rows = await env.database.db
      .selectFrom('schools')
      .selectAll()
      .where('code', 'in', ['9990000001', '9990000002', '9990000003'])
      .orderBy('code')
      .execute();
    expect(rows.map((r) => [r.region_id, r.type, r.ownership, r.location, JSON.parse(r.tags), r.students, r.credit_code])).toEqual([
      [CITY, 'primary', 'public', 'urban', ['new', 'suburban'], 800, null],
      [DISTRICT_CD, 'junior', 'private', 'township', [], 1200, '52390102MJ0000001X'],
      [DISTRICT_QS, 'nine_year', 'public', 'village', ['rural'], 0, null],
    ]);
    const audits = await env.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', 'in', ['school.create', 'import.commit'])
      .execute();
    for (const r of rows) expect(audits.some((a) => a.action === 'school.create' && a.entity_id === r.id)).toBe(true);
    expect(audits.some((a) => a.action === 'import.commit' && a.entity_id === prev.id)).toBe(true);
    // the imported school is visible through the schools API
    const listed = await bureau.get('/api/schools?q=9990000002');
    expect(listed.json().items.map((s: any) => s.name)).toEqual(['导入测试第二中学']);

    // a second commit, or discarding afterwards, conflicts
    const again = await bureau.post(`/api/imports/${prev.id}/commit`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('import_done');
    expect((await bureau.post(`/api/imports/${prev.id}/discard`)).statusCode).toBe(409);
    expect(await countRows(env.database, 'schools')).toBe(before + 3);
  });

  it('shows each invalid row with its number, field and reason; imports nothing unless onlyValid', async () => {
    const file = await xlsx(SCHOOL_HEADER, [
      ['9990000101', '有效的学校', '小学', '公办', '城区', null, null, 10, 2, null], // 2 valid
      ['12345', '坏代码学校', '大学', '公办', '城区', null, null, null, null, null], // 3 code format, type vocabulary
      ['9990000102', null, '小学', '公办', '城区', null, null, null, null, null], // 4 name missing
      ['9990000101', '重复代码学校', '小学', '公办', '城区', null, null, null, null, null], // 5 duplicate of row 2
      [existingCode, '已存在代码学校', '小学', '公办', '城区', null, null, null, null, null], // 6 exists in the database
      ['9990000103', '负数学校', '小学', '公办', '城区', null, null, -5, 'abc', null], // 7 range, not a number
      ['9990000104', '区域外学校', '小学', '公办', '城区', '江北省', '优质校、火箭校', null, null, '123'], // 8 region, tag, credit
      [null, null, null, null, null, null, null, null, null, null], // blank: skipped
    ]);
    const res = await upload(bureau, `kind=schools&regionId=${CITY}`, 'bad.xlsx', file);
    expect(res.statusCode).toBe(201);
    const prev = res.json();
    expect(prev).toMatchObject({ total: 7, validCount: 1, invalidCount: 6 });
    expect(prev.rows.find((r: any) => r.row === 2).valid).toBe(true);
    expect(fieldsOf(prev, 3)).toEqual(['code:invalid_format', 'type:invalid_value']);
    expect(errorsOf(prev, 3).find((e: any) => e.field === 'type').message).toContain('九年一贯制学校');
    expect(fieldsOf(prev, 4)).toEqual(['name:required']);
    expect(fieldsOf(prev, 5)).toEqual(['code:duplicate_in_file']);
    expect(errorsOf(prev, 5)[0].message).toBe('与第 2 行重复');
    expect(fieldsOf(prev, 6)).toEqual(['code:duplicate']);
    expect(fieldsOf(prev, 7)).toEqual(['students:too_small', 'teachers:invalid_type']);
    expect(fieldsOf(prev, 8)).toEqual(['creditCode:invalid_format', 'region:not_found', 'tags:invalid_value']);
    expect(prev.rows.some((r: any) => r.row === 9)).toBe(false);

    const schools = await countRows(env.database, 'schools');
    const audits = await countRows(env.database, 'audit_log');
    for (const body of [undefined, {}, { onlyValid: false }]) {
      const refused = await bureau.post(`/api/imports/${prev.id}/commit`, body);
      expect(refused.statusCode).toBe(422);
      const p = refused.json();
      expect(p.code).toBe('import_has_invalid_rows');
      expect(p.detail).toContain('6');
      expect(p.errors.map((e: any) => e.field)).toContain('rows.3.code');
    }
    expect(await countRows(env.database, 'schools')).toBe(schools);
    expect(await countRows(env.database, 'audit_log')).toBe(audits);
    expect((await bureau.get(`/api/imports/${prev.id}`)).json().status).toBe('previewed');

    const done = await bureau.post(`/api/imports/${prev.id}/commit`, { onlyValid: true });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'committed', importedCount: 1, invalidCount: 6 });
    expect(await countRows(env.database, 'schools')).toBe(schools + 1);
    const names = (await env.database.db.selectFrom('schools').select('name').where('code', 'like', '99900001%').execute()).map((r) => r.name);
    expect(names).toEqual(['有效的学校']);
  });

  it('re-checks at commit: a code taken since the preview makes that row invalid', async () => {
    const file = await xlsx(SCHOOL_HEADER, [
      ['9990000201', '稍后被占用的学校', '小学', '公办', '城区', null, null, null, null, null],
      ['9990000202', '另一所学校', '小学', '公办', '城区', null, null, null, null, null],
    ]);
    const prev = (await upload(bureau, `kind=schools&regionId=${CITY}`, 'race.xlsx', file)).json();
    expect(prev.invalidCount).toBe(0);
    const created = await bureau.post('/api/schools', {
      regionId: CITY,
      code: '9990000201',
      name: '抢先创建的学校',
      type: 'primary',
      ownership: 'public',
      location: 'urban',
    });
    expect(created.statusCode).toBe(201);
    const schools = await countRows(env.database, 'schools');
    const refused = await bureau.post(`/api/imports/${prev.id}/commit`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: any) => e.field)).toEqual(['rows.2.code']);
    expect(await countRows(env.database, 'schools')).toBe(schools);
    const stored = (await bureau.get(`/api/imports/${prev.id}`)).json();
    expect(fieldsOf(stored, 2)).toEqual(['code:duplicate']);
    const done = await bureau.post(`/api/imports/${prev.id}/commit`, { onlyValid: true });
    expect(done.json().importedCount).toBe(1);
  });

  it('reads CSV in UTF-8 (BOM, quotes, CRLF) and in GBK', async () => {
    const utf8 =
      '\uFEFF学校标识码,学校名称,学校类型,办学性质,所在地类型,地址\r\n' +
      '9990000301,"CSV ""引号"" 学校",小学,公办,城区,"临川市城东区某路 1 号, 东门"\r\n' +
      '9990000302,CSV第二学校,高级中学,公办,县城,\r\n';
    const res = await upload(bureau, `kind=schools&regionId=${CITY}`, 'utf8.csv', Buffer.from(utf8, 'utf8'));
    expect(res.statusCode).toBe(201);
    const prev = res.json();
    expect(prev).toMatchObject({ total: 2, validCount: 2 });
    expect(prev.rows[0].values).toMatchObject({ code: '9990000301', name: 'CSV "引号" 学校', address: '临川市城东区某路 1 号, 东门' });
    expect((await bureau.post(`/api/imports/${prev.id}/commit`, {})).statusCode).toBe(200);
    const s = await env.database.db.selectFrom('schools').select(['name', 'type', 'address']).where('code', '=', '9990000302').executeTakeFirstOrThrow();
    expect(s).toEqual({ name: 'CSV第二学校', type: 'senior', address: null });

    const gbk = encodeGbk(
      '学校标识码,学校名称,学校类型,办学性质,所在地类型\r\n9990000303,青山县国标编码小学,小学,公办,乡镇\r\n9990000304,坏类型学校,大学,公办,村\r\n',
    );
    const g = await upload(bureau, `kind=schools&regionId=${DISTRICT_QS}`, 'gbk.csv', gbk);
    expect(g.statusCode).toBe(201);
    const gp = g.json();
    expect(gp.rows[0]).toMatchObject({ row: 2, valid: true, values: { name: '青山县国标编码小学', type: '小学' } });
    expect(fieldsOf(gp, 3)).toEqual(['type:invalid_value']);
    expect((await bureau.post(`/api/imports/${gp.id}/commit`, { onlyValid: true })).json().importedCount).toBe(1);
    const q = await env.database.db.selectFrom('schools').select(['name', 'region_id', 'location']).where('code', '=', '9990000303').executeTakeFirstOrThrow();
    expect(q).toEqual({ name: '青山县国标编码小学', region_id: DISTRICT_QS, location: 'township' });
  });

  it('rejects files that are not spreadsheets, whatever their name, and changes nothing', async () => {
    const imports = await countRows(env.database, 'imports');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(64, 7)]);
    const docx = Buffer.from('PK\u0003\u0004not really a zip', 'latin1');
    const cases: [string, Buffer][] = [
      ['photo.xlsx', png],
      ['notes.xlsx', Buffer.from('这是一份普通的文本文件，\n不是表格。\n')],
      ['notes.csv', Buffer.from('hello\nworld\n')],
      ['broken.xlsx', docx],
      ['report.xlsx', storedZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' })],
      ['fake.xlsx', storedZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': 'garbage' })],
      ['empty.csv', Buffer.alloc(0)],
      ['header-only.csv', Buffer.from('学校标识码,学校名称,学校类型,办学性质,所在地类型\n')],
      ['missing-columns.csv', Buffer.from('学校标识码,学校名称\n9990000401,缺列学校\n')],
    ];
    for (const [name, data] of cases) {
      const res = await upload(bureau, `kind=schools&regionId=${CITY}`, name, data);
      expect(res.statusCode, name).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const p = res.json();
      expect(p.code, name).toBe('invalid_file');
      expect(p.errors[0].field).toBe('file');
    }
    const missing = await upload(bureau, `kind=schools&regionId=${CITY}`, 'missing-columns.csv', Buffer.from('学校标识码,学校名称\n9990000401,缺列学校\n'));
    expect(missing.json().detail).toContain('学校类型');
    const word = await upload(bureau, `kind=schools&regionId=${CITY}`, 'report.docx', storedZip({ 'word/document.xml': '<w:document/>' }));
    expect(word.json().detail).toContain('不是 Excel 工作簿');
    expect(await countRows(env.database, 'imports')).toBe(imports);
  });

  it('refuses an upload over 5 MB and a request without the file', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0x61);
    const res = await upload(bureau, `kind=schools&regionId=${CITY}`, 'big.csv', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().errors[0]).toMatchObject({ field: 'file', code: 'too_big' });
    const { payload, headers } = multipart('x.csv', Buffer.from('a'), 'other');
    const wrong = await bureau.request({ method: 'POST', url: `/api/imports?kind=schools&regionId=${CITY}`, payload, headers });
    expect(wrong.statusCode).toBe(400);
    const noRegion = await upload(bureau, 'kind=schools', 'x.csv', Buffer.from('a'));
    expect(noRegion.statusCode).toBe(400);
    expect(noRegion.json().errors[0].field).toBe('query.regionId');
  });

  it('keeps to the actor’s regions', async () => {
    const file = await xlsx(SCHOOL_HEADER, [['9990000501', '越权学校', '小学', '公办', '城区', null, null, null, null, null]]);
    const cd = await env.login('bureau_cd');
    const imports = await countRows(env.database, 'imports');
    expect((await upload(cd, `kind=schools&regionId=${DISTRICT_QS}`, 'x.xlsx', file)).statusCode).toBe(404);
    expect((await upload(cd, `kind=schools&regionId=${CITY}`, 'x.xlsx', file)).statusCode).toBe(404);
    expect((await upload(bureau, 'kind=schools&regionId=r_0001', 'x.xlsx', file)).statusCode).toBe(404);
    const principal = await env.login('principal');
    expect((await upload(principal, `kind=schools&regionId=${CITY}`, 'x.xlsx', file)).statusCode).toBe(404);
    expect((await (await env.login('teacher')).get('/api/imports')).statusCode).toBe(403);
    expect(await countRows(env.database, 'imports')).toBe(imports);

    // inside the district: a row naming a region outside the chosen one is out of reach
    const own = await upload(
      cd,
      `kind=schools&regionId=${DISTRICT_CD}`,
      'cd.xlsx',
      await xlsx(SCHOOL_HEADER, [
        ['9990000502', '城东新校', '小学', '公办', '城区', '城东区', null, null, null, null],
        ['9990000503', '青山新校', '小学', '公办', '城区', '青山县', null, null, null, null],
      ]),
    );
    expect(own.statusCode).toBe(201);
    expect(fieldsOf(own.json(), 3)).toEqual(['region:not_found']);
    // someone else's batch is invisible to a bureau of another district
    const qs = await env.login('bureau_qs');
    expect((await qs.get(`/api/imports/${own.json().id}`)).statusCode).toBe(404);
    expect((await qs.post(`/api/imports/${own.json().id}/commit`, { onlyValid: true })).statusCode).toBe(404);
    expect((await qs.get('/api/imports')).json().items.some((i: any) => i.id === own.json().id)).toBe(false);
    // the city bureau oversees it
    const list = (await bureau.get('/api/imports?kind=schools&status=previewed')).json();
    expect(list.items.some((i: any) => i.id === own.json().id)).toBe(true);
    expect(list.items[0].rows).toBeUndefined();
  });
});

describe('users import', () => {
  let principal: Client;
  let schoolId: string;
  beforeAll(async () => {
    principal = await env.login('principal');
    schoolId = (await env.database.db.selectFrom('users').select('school_id').where('username', '=', 'principal').executeTakeFirstOrThrow()).school_id!;
  });

  it('imports the valid users with a school role and one-time initial passwords', async () => {
    const header = ['用户名', '姓名', '角色', '手机号', '邮箱'];
    const file = await xlsx(
      header,
      [
        ['imp.teacher1', '导入教师甲', '教师', 13900000001, null], // 2 valid
        ['imp.student1', '导入学生乙', 'student', null, 'Imp.Student1@Example.edu.cn'], // 3 valid
        ['imp.admin', '越权管理员', '平台管理员', null, null], // 4 role not allowed
        ['Teacher', '已存在用户', '教师', null, null], // 5 username exists (case-insensitive)
        ['imp.teacher1', '重复用户', '教师', null, null], // 6 duplicate of row 2
        ['imp.bad phone', '坏手机号', '教师', '12345', 'not-an-email'], // 7 username, phone, email
        ['imp.noname', null, null, '13900000001', null], // 8 name, role missing; phone duplicate
      ],
      '用户',
    );
    const res = await upload(principal, `kind=users&schoolId=${schoolId}`, 'users.xlsx', file);
    expect(res.statusCode).toBe(201);
    const prev = res.json();
    expect(prev).toMatchObject({ kind: 'users', schoolId, total: 7, validCount: 2, invalidCount: 5 });
    expect(fieldsOf(prev, 4)).toEqual(['role:invalid_value']);
    expect(fieldsOf(prev, 5)).toEqual(['username:duplicate']);
    expect(fieldsOf(prev, 6)).toEqual(['username:duplicate_in_file']);
    expect(fieldsOf(prev, 7)).toEqual(['email:invalid_format', 'phone:invalid_format', 'username:invalid_format']);
    expect(fieldsOf(prev, 8)).toEqual(['displayName:required', 'phone:duplicate_in_file', 'role:required']);

    const users = await countRows(env.database, 'users');
    expect((await principal.post(`/api/imports/${prev.id}/commit`, {})).statusCode).toBe(422);
    expect(await countRows(env.database, 'users')).toBe(users);

    const done = await principal.post(`/api/imports/${prev.id}/commit`, { onlyValid: true });
    expect(done.statusCode).toBe(200);
    const body = done.json();
    expect(body.importedCount).toBe(2);
    expect(body.initialPasswords.map((p: any) => p.username).sort()).toEqual(['imp.student1', 'imp.teacher1']);
    expect(await countRows(env.database, 'users')).toBe(users + 2);
    const rows = await env.database.db
      .selectFrom('users as u')
      .innerJoin('role_grants as g', 'g.user_id', 'u.id')
      .select(['u.username', 'u.school_id', 'u.must_change_password', 'u.password_hash', 'u.email', 'u.phone', 'g.role', 'g.scope_type', 'g.scope_id'])
      .where('u.username', 'in', ['imp.teacher1', 'imp.student1'])
      .orderBy('u.username')
      .execute();
    expect(rows.map((r) => [r.username, r.school_id, r.must_change_password, r.role, r.scope_type, r.scope_id, r.email, r.phone])).toEqual([
      ['imp.student1', schoolId, 1, 'student', 'school', schoolId, 'imp.student1@example.edu.cn', null],
      ['imp.teacher1', schoolId, 1, 'teacher', 'school', schoolId, null, '13900000001'],
    ]);
    // the password is stored hashed only, and works once for a sign-in that must change it
    const p = body.initialPasswords.find((x: any) => x.username === 'imp.teacher1').password;
    expect(rows.every((r) => r.password_hash && !r.password_hash.includes(p))).toBe(true);
    const stored = await env.database.db.selectFrom('imports').select('rows').where('id', '=', prev.id).executeTakeFirstOrThrow();
    expect(stored.rows).not.toContain(p);
    const login = await env.anon().post('/api/auth/login', { username: 'imp.teacher1', password: p });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    // later reads never show the passwords again
    expect((await principal.get(`/api/imports/${prev.id}`)).json().initialPasswords).toBeUndefined();
    expect((await principal.post(`/api/imports/${prev.id}/commit`, { onlyValid: true })).statusCode).toBe(409);
  });

  it('keeps a school admin to the own school', async () => {
    const file = await xlsx(['用户名', '姓名', '角色'], [['imp.x', '越权用户', '教师']], '用户');
    const own = await env.database.db
      .selectFrom('alliance_members')
      .select(['alliance_id'])
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      .execute();
    const partnerSchool = await env.database.db
      .selectFrom('alliance_members')
      .select('school_id')
      .where(
        'alliance_id',
        'in',
        own.map((o) => o.alliance_id),
      )
      .where('status', '=', 'active')
      .where('school_id', '!=', schoolId)
      .executeTakeFirstOrThrow();
    const memberIds = (
      await env.database.db
        .selectFrom('alliance_members')
        .select('school_id')
        .where(
          'alliance_id',
          'in',
          own.map((o) => o.alliance_id),
        )
        .execute()
    ).map((m) => m.school_id);
    const stranger = await env.database.db.selectFrom('schools').select('id').where('id', 'not in', memberIds).executeTakeFirstOrThrow();
    const users = await countRows(env.database, 'users');
    const imports = await countRows(env.database, 'imports');
    // a school of the same alliance is visible but not the principal's to change; an unrelated one is not visible
    expect((await upload(principal, `kind=users&schoolId=${partnerSchool.school_id}`, 'u.xlsx', file)).statusCode).toBe(403);
    expect((await upload(principal, `kind=users&schoolId=${stranger.id}`, 'u.xlsx', file)).statusCode).toBe(404);
    expect((await upload(principal, 'kind=users&schoolId=nope', 'u.xlsx', file)).statusCode).toBe(404);
    expect(await countRows(env.database, 'users')).toBe(users);
    expect(await countRows(env.database, 'imports')).toBe(imports);
    // the city bureau may import users into any school of the city
    const ok = await upload(bureau, `kind=users&schoolId=${stranger.id}`, 'u.xlsx', file);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().validCount).toBe(1);
  });

  it('speaks English when asked', async () => {
    const file = await xlsx(['username', 'displayName', 'role'], [['imp.en', 'English Name', 'Astronaut']], 'users');
    const c = await env.login('principal');
    c.lang = 'en';
    const res = await upload(c, `kind=users&schoolId=${schoolId}`, 'en.xlsx', file);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.columns[0].label).toBe('Username');
    expect(errorsOf(body, 2)).toEqual([{ field: 'role', code: 'invalid_value', message: 'must be one of: School admin, Teacher, Student, Guardian' }]);
    const discard = await c.post(`/api/imports/${body.id}/discard`);
    expect(discard.json().status).toBe('discarded');
    expect((await c.post(`/api/imports/${body.id}/commit`, { onlyValid: true })).statusCode).toBe(409);
  });
});

describe('regions import', () => {
  const HEADER = ['区域代码', '区域名称', '上级区域代码'];

  it('imports province → city → county of one file (parents may come after their children), audited, after a preview', async () => {
    const admin = await env.login('admin');
    const tpl = await admin.get('/api/imports/template?kind=regions');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as never);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, '区域代码', '区域名称', '上级区域代码']);

    const regions = await countRows(env.database, 'regions');
    const file = await xlsx(
      HEADER,
      [
        ['361002', '临川区', '361000'], // 2: county before its city
        ['361000', '抚州市', '360000'], // 3
        ['360000', '江西省', null], // 4
        ['361003', '东乡区', 361000], // 5: a code typed as a number
        ['110000', '北京市', null], // 6
        ['110101', '东城区', '110000'], // 7: 直辖市 district under the province-level city
      ],
      '区域',
    );
    const prev = await upload(admin, 'kind=regions', '区域.xlsx', file);
    expect(prev.statusCode, prev.body).toBe(201);
    expect(prev.json()).toMatchObject({ kind: 'regions', total: 6, validCount: 6, invalidCount: 0 });
    expect(await countRows(env.database, 'regions')).toBe(regions);

    const done = await admin.post(`/api/imports/${prev.json().id}/commit`, {});
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'committed', importedCount: 6 });
    const db = env.database.db;
    const byCode = new Map(
      (
        await db
          .selectFrom('regions')
          .select(['id', 'code', 'level', 'parent_id'])
          .where('code', 'in', ['360000', '361000', '361002', '361003', '110000', '110101'])
          .execute()
      ).map((r) => [r.code, r]),
    );
    expect(byCode.get('361000')!.parent_id).toBe(byCode.get('360000')!.id);
    expect(byCode.get('361002')!.parent_id).toBe(byCode.get('361000')!.id);
    expect(byCode.get('110101')).toMatchObject({ level: 'district', parent_id: byCode.get('110000')!.id });
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'region.create')
      .where(
        'entity_id',
        'in',
        [...byCode.values()].map((r) => r.id),
      )
      .execute();
    expect(audits.length).toBe(6);
    expect(JSON.parse(audits[0]!.detail).importId).toBe(prev.json().id);
  });

  it('flags bad codes, wrong parents, duplicates and out-of-scope rows with their row and field; imports nothing unless onlyValid', async () => {
    const admin = await env.login('admin');
    const file = await xlsx(
      HEADER,
      [
        ['371000', '错前缀市', '360000'], // 2: prefix
        ['36100', '短代码', '360000'], // 3: format
        ['363000', '萍乡市', '369999'], // 4: unknown parent
        ['360000', '又一个江西省', null], // 5: code exists
        ['361004', '临川区', '361000'], // 6: name taken below 抚州市
        ['362000', '吉安市', '360000'], // 7: valid
        ['362001', '吉州区', '362000'], // 8: valid, parent in the file
        ['362001', '重复区', '362000'], // 9: duplicate of row 8
        ['362002', '县下之县', '362001'], // 10: county under a county
        [null, '无代码', '360000'], // 11
      ],
      '区域',
    );
    const prev = await upload(admin, 'kind=regions', 'bad.xlsx', file);
    expect(prev.statusCode, prev.body).toBe(201);
    const body = prev.json();
    expect(fieldsOf(body, 2)).toEqual(['code:region_code_prefix']);
    expect(fieldsOf(body, 3)).toEqual(['code:invalid_format']);
    expect(fieldsOf(body, 4)).toEqual(['parent:not_found']);
    expect(fieldsOf(body, 5)).toEqual(['code:duplicate']);
    expect(fieldsOf(body, 6)).toEqual(['name:duplicate']);
    expect(fieldsOf(body, 7)).toEqual([]);
    expect(fieldsOf(body, 8)).toEqual([]);
    expect(fieldsOf(body, 9)).toEqual(['code:duplicate_in_file']);
    expect(fieldsOf(body, 10)).toEqual(['parent:region_parent_city']);
    expect(fieldsOf(body, 11)).toEqual(['code:required']);
    expect(errorsOf(body, 2)[0].message).toContain('“36”');

    const regions = await countRows(env.database, 'regions');
    expect((await admin.post(`/api/imports/${body.id}/commit`, {})).statusCode).toBe(422);
    expect(await countRows(env.database, 'regions')).toBe(regions);
    const done = await admin.post(`/api/imports/${body.id}/commit`, { onlyValid: true });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().importedCount).toBe(2);
    expect(await countRows(env.database, 'regions')).toBe(regions + 2);
  });

  it('keeps a bureau below its own region', async () => {
    const file = await xlsx(
      HEADER,
      [
        ['390131', '新区甲', '390100'], // 2: below 临川市 (the bureau's region)
        ['390200', '江北新市', '390000'], // 3: beside it, below the province
        ['350000', '福建省', null], // 4: a province
      ],
      '区域',
    );
    // the bureau must say where the rows go
    expect((await upload(bureau, 'kind=regions', 'r.xlsx', file)).statusCode).toBe(400);
    expect((await upload(bureau, 'kind=regions&regionId=r_0001', 'r.xlsx', file)).statusCode).toBe(404);
    const prev = await upload(bureau, `kind=regions&regionId=${CITY}`, 'r.xlsx', file);
    expect(prev.statusCode, prev.body).toBe(201);
    expect(fieldsOf(prev.json(), 2)).toEqual([]);
    expect(fieldsOf(prev.json(), 3)).toEqual(['parent:out_of_scope']);
    expect(fieldsOf(prev.json(), 4)).toEqual(['code:out_of_scope']);
    const cd = await env.login('bureau_cd');
    expect((await upload(cd, `kind=regions&regionId=${CITY}`, 'r.xlsx', file)).statusCode).toBe(404);
    expect((await upload(await env.login('principal'), `kind=regions&regionId=${CITY}`, 'r.xlsx', file)).statusCode).toBe(404);
  });
});
