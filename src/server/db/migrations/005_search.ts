import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Chinese full-text search (S2). Words are segmented in the application (platform/search.ts) and stored
 * as space-separated tokens; see db/fts.ts.
 * - `search_docs`: one narrow row per indexed document (every match of a query passes through it);
 *   `search_text`: its plain text for snippets.
 * - SQLite: FTS5 table `search_fts` (contentless, rowid = search_docs.seq, columns title/body,
 *   tokenizer unicode61 over the pre-segmented tokens; ranked by bm25).
 * - PostgreSQL: `search_docs.tsv` tsvector (title weight A, body weight B) with a GIN index; ts_rank.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create table search_docs (
      seq bigserial not null unique,
      doc_id text primary key,
      tsv tsvector not null,
      updated_at text not null
    )`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  } else {
    await sql`create table search_docs (
      seq integer primary key,
      doc_id text not null unique,
      updated_at text not null
    )`.execute(db);
    await sql`create virtual table search_fts using fts5(
      title, body,
      content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 0'
    )`.execute(db);
  }
  await sql`create table search_text (
    doc_id text primary key,
    title text not null,
    body text not null
  )`.execute(db);
}
