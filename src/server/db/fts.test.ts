/**
 * The full-text helpers on the database this run uses (SQLite, or PostgreSQL when DATABASE_URL is set):
 * Chinese words found inside extracted PDF text, AND semantics identical to a reference computed in JS
 * (so both databases return the same documents), title matches ranked first, upsert/delete.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, ensureSchema, type Database } from './index.js';
import { migrate } from './migrate.js';
import { ftsDelete, ftsInsertMany, ftsMatch, ftsText, ftsTexts, ftsUpsert, type FtsDoc } from './fts.js';
import { queryTerms, segment } from '../platform/search.js';
import { extractText } from '../platform/extract.js';
import { makePdf } from '../seed/resource-files.js';

let database: Database;
let dir: string;
let schema: string | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-fts-'));
  schema = process.env.DATABASE_URL ? `t_${crypto.randomBytes(6).toString('hex')}` : undefined;
  database = createDatabase({
    databaseUrl: process.env.DATABASE_URL,
    databaseSchema: schema,
    sqlitePath: path.join(dir, 'fts.db'),
  });
  await ensureSchema(database, schema);
  await migrate(database);
});

afterAll(async () => {
  if (schema) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function search(q: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom(ftsMatch(database.dialect, queryTerms(q)).as('m'))
    .select(['m.doc_id', 'm.rank'])
    .orderBy('m.rank', 'desc')
    .orderBy('m.doc_id')
    .execute();
  return rows.map((r) => r.doc_id);
}

describe(`full-text search helpers (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('finds a two-character word (函数, 电路) inside text extracted from a PDF', async () => {
    const pdf = makePdf({
      title: '九年级物理 第十五章 电流和电路',
      paragraphs: [
        '一、教学目标：认识串联和并联电路，会画简单的电路图，能用电流表测量电流。',
        '二、拓展：用一次函数描述电压与电流的关系，体会物理与数学的联系。',
      ],
    });
    const text = await extractText({ buffer: pdf, mime: 'application/pdf' });
    expect(text).toContain('并联电路');
    await database.db.transaction().execute((tx) => ftsUpsert(tx, database.dialect, { id: 'pdf1', title: '电流和电路 教学设计', body: `附件正文 ${text}` }));
    expect(await search('函数')).toContain('pdf1');
    expect(await search('电路')).toContain('pdf1');
    expect(await search('电流表 并联')).toContain('pdf1');
    expect(await search('电路 光合作用')).not.toContain('pdf1'); // AND: every term must match
    expect(await ftsText(database.db, 'pdf1')).toContain('电流表测量电流');
  });

  it('a substring that is not a word does not match, and query syntax cannot break the query', async () => {
    await ftsUpsert(database.db, database.dialect, { id: 'quad', title: '二次函数的图像与性质', body: '抛物线的开口方向' });
    expect(await search('二次函数')).toEqual(['quad']);
    expect(await search('次函')).toEqual([]); // 次函 straddles the words 二次|函数
    expect(await search('物线')).toEqual([]);
    expect(await search('抛物线')).toEqual(['quad']);
    for (const q of ['"', "'", 'AND OR NOT', 'NEAR(函数', '函数*', '-函数', '函数:A', '!&|()', '\\']) {
      await expect(search(q), q).resolves.toBeInstanceOf(Array);
    }
    expect(await search('，。')).toEqual([]); // no terms → no rows
  });

  it('ranks title matches above body matches', async () => {
    await ftsUpsert(database.db, database.dialect, {
      id: 'rank_body',
      title: '初中物理实验汇编',
      body: '本册收录了力学、光学实验，其中一节简单介绍了磁场。'.repeat(3),
    });
    await ftsUpsert(database.db, database.dialect, { id: 'rank_title', title: '磁场 单元复习', body: '基础练习与答案' });
    const hits = await search('磁场');
    expect(hits.slice(0, 2)).toEqual(['rank_title', 'rank_body']);
  });

  it('upsert replaces the indexed text; delete removes the document', async () => {
    await ftsUpsert(database.db, database.dialect, { id: 'upd', title: '古诗词鉴赏 微课', body: '唐诗宋词' });
    expect(await search('微课')).toContain('upd');
    await ftsUpsert(database.db, database.dialect, { id: 'upd', title: '文言文阅读', body: '寓言故事' });
    expect(await search('微课')).not.toContain('upd');
    expect(await search('寓言')).toEqual(['upd']);
    await database.db.transaction().execute((tx) => ftsDelete(tx, database.dialect, 'upd'));
    expect(await search('寓言')).toEqual([]);
    expect(await ftsText(database.db, 'upd')).toBeNull();
    await ftsDelete(database.db, database.dialect, 'upd'); // idempotent
  });

  it('returns exactly the documents containing every query term (same on both databases)', async () => {
    const titles = ['二次函数', '一次函数图像', '串联电路', '并联电路实验', '古诗词鉴赏', '光合作用', '化学方程式', 'English Reading'];
    const bodies = ['教学设计 课件', '微课 视频', '试题 试卷 答案', '函数 电路 综合', '课堂实录 反思', 'PDF 讲义 v2.0'];
    const docs: FtsDoc[] = [];
    for (let i = 0; i < 48; i++) {
      docs.push({
        id: `c${String(i).padStart(2, '0')}`,
        title: `${titles[i % titles.length]} 第${i}课`,
        body: `${bodies[i % bodies.length]} ${titles[(i * 5) % titles.length]}`,
      });
    }
    await database.db.transaction().execute((tx) => ftsInsertMany(tx, database.dialect, docs, 10));
    const tokens = new Map(docs.map((d) => [d.id, new Set([...segment(d.title), ...segment(d.body)])]));
    const queries = [
      '函数',
      '电路',
      '函数 图像',
      '并联电路',
      '微课',
      '试卷 答案',
      '古诗词',
      '诗词',
      'english',
      'reading pdf',
      'v2',
      '化学 微课',
      '光合作用 电路 试卷',
    ];
    let nonEmpty = 0;
    for (const q of queries) {
      const terms = queryTerms(q);
      const expected = docs
        .filter((d) => terms.every((t) => tokens.get(d.id)!.has(t)))
        .map((d) => d.id)
        .sort();
      const got = (await search(q)).filter((id) => id.startsWith('c')).sort();
      expect(got, q).toEqual(expected);
      if (expected.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(queries.length - 2); // the reference is not trivially empty
    const texts = await ftsTexts(database.db, ['c00', 'c01', 'nope']);
    expect([...texts.keys()].sort()).toEqual(['c00', 'c01']);
  });

  it('joins as a derived table onto another table', async () => {
    const rows = await database.db
      .selectFrom('search_text as r')
      .innerJoin(ftsMatch(database.dialect, queryTerms('抛物线')).as('m'), 'm.doc_id', 'r.doc_id')
      .select(['r.doc_id', 'r.title', 'm.rank'])
      .execute();
    expect(rows.map((r) => r.doc_id)).toEqual(['quad']);
    expect(typeof rows[0]!.rank).toBe('number');
  });
});
