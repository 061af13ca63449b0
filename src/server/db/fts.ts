/**
 * Full-text index helpers: the ONLY place that knows FTS5 (SQLite) and tsvector (PostgreSQL).
 *
 * Documents are keyed by `doc_id` (a resource id). Title and body are segmented by platform/search.ts
 * into jieba words and stored as space-separated tokens:
 *   SQLite      FTS5 `search_fts` (contentless, rowid = search_docs.seq), bm25 with title weighted 10:1
 *   PostgreSQL  `search_docs.tsv` = setweight(to_tsvector('simple', title), 'A') || … body 'B', GIN; ts_rank
 * Both use the same tokens, so the same query matches the same documents on both databases
 * (ranks differ in scale: higher is better on both).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect, Tx } from './index.js';
import { nowIso } from './index.js';
import { tokensOf } from '../platform/search.js';

/** Text beyond this many characters is neither indexed nor kept for snippets (a tsvector is limited to 1 MB). */
export const MAX_INDEXED_CHARS = 100_000;

export interface FtsDoc {
  id: string;
  title: string;
  /** description + tags + extracted file text */
  body: string;
}

const clip = (s: string) => (s.length > MAX_INDEXED_CHARS ? s.slice(0, MAX_INDEXED_CHARS) : s);

function tsvExpr(titleTokens: string, bodyTokens: string) {
  return sql`setweight(to_tsvector('simple', ${titleTokens}), 'A') || setweight(to_tsvector('simple', ${bodyTokens}), 'B')`;
}

/** Adds or replaces the document in the index. Call inside the transaction that publishes/updates it. */
export async function ftsUpsert(tx: Tx | Db, dialect: Dialect, doc: FtsDoc): Promise<void> {
  const { title, body, titleTokens, bodyTokens } = tokenize(doc);
  const now = nowIso();
  await tx
    .insertInto('search_text')
    .values({ doc_id: doc.id, title, body })
    .onConflict((oc) => oc.column('doc_id').doUpdateSet({ title, body }))
    .execute();
  if (dialect === 'postgres') {
    await sql`insert into search_docs (doc_id, tsv, updated_at)
      values (${doc.id}, ${tsvExpr(titleTokens, bodyTokens)}, ${now})
      on conflict (doc_id) do update set tsv = excluded.tsv, updated_at = excluded.updated_at`.execute(tx);
    return;
  }
  const existing = await tx.selectFrom('search_docs').select('seq').where('doc_id', '=', doc.id).executeTakeFirst();
  let seq: number;
  if (existing) {
    seq = existing.seq;
    await sql`delete from search_fts where rowid = ${seq}`.execute(tx);
    await tx.updateTable('search_docs').set({ updated_at: now }).where('seq', '=', seq).execute();
  } else {
    const row = await tx.insertInto('search_docs').values({ doc_id: doc.id, updated_at: now }).returning('seq').executeTakeFirstOrThrow();
    seq = row.seq;
  }
  await sql`insert into search_fts (rowid, title, body) values (${seq}, ${titleTokens}, ${bodyTokens})`.execute(tx);
}

/** A document already cut into space-separated tokens (see tokenize). */
export interface TokenizedDoc {
  id: string;
  title: string;
  body: string;
  titleTokens: string;
  bodyTokens: string;
}

/** Segments a document for the index (the CPU-heavy half of indexing; no database). */
export function tokenize(d: FtsDoc): TokenizedDoc {
  const title = clip(d.title ?? '');
  const body = clip(d.body ?? '');
  return { id: d.id, title, body, titleTokens: tokensOf(title), bodyTokens: tokensOf(body) };
}

/**
 * Bulk insert of documents that are NOT yet indexed (seeding, benchmarks, rebuilds).
 * Call inside a transaction. Segmentation happens here, in batches.
 */
export async function ftsInsertMany(tx: Tx | Db, dialect: Dialect, docs: FtsDoc[], batch = 200): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) {
    await ftsInsertTokenized(tx, dialect, docs.slice(i, i + batch).map(tokenize), batch);
  }
}

/** Bulk insert of documents already segmented with tokenize() (not yet indexed). */
export async function ftsInsertTokenized(tx: Tx | Db, dialect: Dialect, docs: TokenizedDoc[], batch = 200): Promise<void> {
  const now = nowIso();
  for (let i = 0; i < docs.length; i += batch) {
    const part = docs.slice(i, i + batch);
    await tx
      .insertInto('search_text')
      .values(part.map((p) => ({ doc_id: p.id, title: p.title, body: p.body })))
      .execute();
    if (dialect === 'postgres') {
      const rows = part.map((p) => sql`(${p.id}, ${tsvExpr(p.titleTokens, p.bodyTokens)}, ${now})`);
      await sql`insert into search_docs (doc_id, tsv, updated_at) values ${sql.join(rows)}`.execute(tx);
    } else {
      const inserted = await tx
        .insertInto('search_docs')
        .values(part.map((p) => ({ doc_id: p.id, updated_at: now })))
        .returning(['seq', 'doc_id'])
        .execute();
      const seqOf = new Map(inserted.map((r) => [r.doc_id, r.seq]));
      const rows = part.map((p) => sql`(${seqOf.get(p.id)!}, ${p.titleTokens}, ${p.bodyTokens})`);
      await sql`insert into search_fts (rowid, title, body) values ${sql.join(rows)}`.execute(tx);
    }
  }
}

/** Removes the document from the index (withdrawn, archived, deleted). No error if it is not indexed. */
export async function ftsDelete(tx: Tx | Db, dialect: Dialect, id: string): Promise<void> {
  if (dialect === 'sqlite') {
    const existing = await tx.selectFrom('search_docs').select('seq').where('doc_id', '=', id).executeTakeFirst();
    if (existing) await sql`delete from search_fts where rowid = ${existing.seq}`.execute(tx);
  }
  await tx.deleteFrom('search_docs').where('doc_id', '=', id).execute();
  await tx.deleteFrom('search_text').where('doc_id', '=', id).execute();
}

/** FTS5 query: every term as a quoted string (no operators can be injected), all required. */
export function fts5Query(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

/**
 * A derived table of the documents matching ALL terms (use platform/search.ts queryTerms for the user's
 * text): rows (doc_id text, rank real), higher rank = more relevant, title matches weighted above body.
 * Join it: `.innerJoin(ftsMatch(dialect, terms).as('m'), 'm.doc_id', 'r.id')` and order by `m.rank desc`.
 * No terms → no rows.
 */
export function ftsMatch(dialect: Dialect, terms: string[]): RawBuilder<{ doc_id: string; rank: number }> {
  const clean = terms.filter((t) => t?.trim());
  if (clean.length === 0) {
    return sql<{ doc_id: string; rank: number }>`(select doc_id, 0.0 as rank from search_docs where 1 = 0)`;
  }
  if (dialect === 'postgres') {
    return sql<{ doc_id: string; rank: number }>`(select doc_id, ts_rank(tsv, fts_q) as rank
      from search_docs, plainto_tsquery('simple', ${clean.join(' ')}) as fts_q where tsv @@ fts_q)`;
  }
  return sql<{ doc_id: string; rank: number }>`(select search_docs.doc_id as doc_id, -bm25(search_fts, 10.0, 1.0) as rank
    from search_fts join search_docs on search_docs.seq = search_fts.rowid where search_fts match ${fts5Query(clean)})`;
}

/** The stored plain text (title excluded) of an indexed document, for snippets; null if not indexed. */
export async function ftsText(db: Db | Tx, id: string): Promise<string | null> {
  const row = await db.selectFrom('search_text').select('body').where('doc_id', '=', id).executeTakeFirst();
  return row ? row.body : null;
}

/** ftsText for a page of results in one query. */
export async function ftsTexts(db: Db | Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('search_text').select(['doc_id', 'body']).where('doc_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.doc_id, r.body]));
}
