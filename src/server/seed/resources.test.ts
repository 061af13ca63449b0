/**
 * The demo resources (seed/resources.ts) on the database this run uses: every workflow state, real
 * stored files whose text the extractor reads back, counters consistent with the rows, published ones
 * (and only those) in the search index, and the generator deterministic.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeTestEnv, type TestEnv } from '../testing.js';
import { ftsMatch } from '../db/fts.js';
import { extractText } from '../platform/extract.js';
import { queryTerms, segment } from '../platform/search.js';
import { generateResource, TOPICS } from './resources.js';
import { Rng } from './random.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeTestEnv();
});
afterAll(async () => {
  await env?.close();
});

async function readAll(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of env.storage.get(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('demo resources', () => {
  it('covers every workflow state, kind and several schools and alliances', async () => {
    const db = env.database.db;
    const rows = await db.selectFrom('resources').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const statuses = new Set(rows.map((r) => r.status));
    for (const s of ['draft', 'submitted', 'in_review', 'returned', 'published', 'withdrawn', 'archived']) expect(statuses, s).toContain(s);
    expect(new Set(rows.map((r) => r.kind)).size).toBe(8);
    expect(new Set(rows.map((r) => r.school_id)).size).toBeGreaterThan(15);
    expect(new Set(rows.map((r) => r.alliance_id)).size).toBeGreaterThan(3);
    expect(new Set(rows.map((r) => r.subject)).size).toBeGreaterThan(10);
    // a published resource under revision: live v1, v2 in review
    expect(rows.some((r) => r.current_version_id && r.draft_version_id && r.status === 'in_review')).toBe(true);
    // the demo accounts have something to do
    expect(rows.filter((r) => r.created_by === 'u_teacher').length).toBeGreaterThanOrEqual(5);
    const queue = await db
      .selectFrom('resource_review_assignments')
      .select('resource_id')
      .where('reviewer_id', '=', 'u_reviewer')
      .where('done_at', 'is', null)
      .execute();
    expect(queue.length).toBeGreaterThan(3);
    const returned = await db.selectFrom('resource_reviews').selectAll().where('decision', '=', 'return').execute();
    expect(returned.length).toBeGreaterThan(0);
    expect(returned.every((r) => !!r.comment)).toBe(true);
  });

  it('keeps the workflow fields consistent with the status', async () => {
    const rows = await env.database.db.selectFrom('resources').selectAll().execute();
    for (const r of rows) {
      const live = !!r.current_version_id && r.status !== 'withdrawn' && r.status !== 'archived';
      if (r.status === 'published') expect(r.current_version_id && r.published_at && !r.draft_version_id, r.id).toBeTruthy();
      if (r.status === 'draft') expect(!r.current_version_id && !r.submitted_at, r.id).toBeTruthy();
      if (r.status === 'in_review') expect(r.reviewer_id, r.id).toBeTruthy();
      if (!live) expect(r.rating_count + r.uses === 0 || r.published_at !== null, r.id).toBe(true);
    }
  });

  it('stores real files: sizes and hashes match, and the extractor reads the PDF text back', async () => {
    const db = env.database.db;
    const files = await db.selectFrom('resource_files').selectAll().execute();
    const mimes = new Set(files.map((f) => f.mime));
    for (const m of ['application/pdf', 'image/png', 'video/mp4']) expect(mimes, m).toContain(m);
    for (const f of files.filter((_, i) => i % 17 === 0)) {
      const body = await readAll(f.storage_key);
      expect(body.length, f.id).toBe(Number(f.size));
      expect(crypto.createHash('sha256').update(body).digest('hex')).toBe(f.sha256);
    }
    const pdfs = files.filter((f) => f.mime === 'application/pdf').slice(0, 3);
    for (const f of pdfs) {
      const text = await extractText({ buffer: await readAll(f.storage_key), mime: f.mime });
      // the extracted text has the same words as the text recorded at seeding
      const words = new Set(segment(text));
      for (const w of segment(f.text!).slice(0, 40)) expect(words, `${f.id}: ${w}`).toContain(w);
    }
    const video = files.find((f) => f.mime === 'video/mp4')!;
    const head = await readAll(video.storage_key);
    expect(head.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const png = files.find((f) => f.mime === 'image/png')!;
    expect((await readAll(png.storage_key)).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('indexes exactly the live resources, so words inside their files are found', async () => {
    const db = env.database.db;
    const live = await db
      .selectFrom('resources')
      .select('id')
      .where('current_version_id', 'is not', null)
      .where('status', 'not in', ['withdrawn', 'archived'])
      .execute();
    const indexed = await db.selectFrom('search_docs').select('doc_id').execute();
    expect(indexed.map((r) => r.doc_id).sort()).toEqual(live.map((r) => r.id).sort());
    for (const word of ['电路', '函数']) {
      const hits = await db
        .selectFrom('resources as r')
        .innerJoin(ftsMatch(env.database.dialect, queryTerms(word)).as('m'), 'm.doc_id', 'r.id')
        .select(['r.id', 'r.title'])
        .execute();
      expect(hits.length, word).toBeGreaterThan(0);
      // some are found only through the text of their files, not their titles
      expect(
        hits.some((h) => !h.title.includes(word)),
        word,
      ).toBe(true);
    }
  });

  it('keeps counters consistent with ratings and uses; contributions only for other schools', async () => {
    const db = env.database.db;
    const agg = await db
      .selectFrom('resource_ratings')
      .select(['resource_id', sql<number>`sum(stars)`.as('s'), sql<number>`count(*)`.as('n')])
      .groupBy('resource_id')
      .execute();
    const byId = new Map(agg.map((a) => [a.resource_id, a]));
    const rows = await db.selectFrom('resources').select(['id', 'rating_sum', 'rating_count', 'uses', 'school_id', 'views', 'downloads']).execute();
    const uses = await db.selectFrom('resource_uses').select(['resource_id', 'school_id', 'id']).execute();
    for (const r of rows) {
      expect(Number(r.rating_sum), r.id).toBe(Number(byId.get(r.id)?.s ?? 0));
      expect(Number(r.rating_count), r.id).toBe(Number(byId.get(r.id)?.n ?? 0));
      expect(Number(r.uses), r.id).toBe(uses.filter((u) => u.resource_id === r.id).length);
      expect(Number(r.downloads)).toBeLessThanOrEqual(Number(r.views));
    }
    const contributions = await db.selectFrom('resource_contributions').selectAll().execute();
    expect(contributions.length).toBeGreaterThan(0);
    const schoolOf = new Map(rows.map((r) => [r.id, r.school_id]));
    for (const c of contributions) {
      expect(c.owner_school_id).toBe(schoolOf.get(c.resource_id));
      expect(c.using_school_id).not.toBe(c.owner_school_id);
    }
  });

  it('generates the same resources from the same seed', () => {
    const a = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          generateResource(rng)
      )(new Rng('x')),
    );
    const b = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          generateResource(rng)
      )(new Rng('x')),
    );
    expect(a).toEqual(b);
    expect(new Set(a.map((g) => g.title)).size).toBeGreaterThan(40);
    for (const t of TOPICS) expect(t.words.length, t.name).toBeGreaterThan(0);
  });
});
