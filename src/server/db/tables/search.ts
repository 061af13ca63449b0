/** Table types owned by this module: the Chinese full-text index (S2 search). See db/schema.ts for the conventions. */
import type { Generated } from 'kysely';

/**
 * One indexed document (a live resource, keyed by its id). Kept narrow on purpose: every match of a
 * query passes through it. The index itself holds the jieba tokens: on SQLite the FTS5 table
 * `search_fts` (contentless, rowid = seq), on PostgreSQL the column `tsv` (tsvector, GIN; not typed
 * here). Only db/fts.ts touches these tables.
 */
export interface SearchDocsTable {
  seq: Generated<number>;
  doc_id: string;
  updated_at: string;
}

/** The plain text of an indexed document, for snippets (read a page at a time, never per match). */
export interface SearchTextTable {
  doc_id: string;
  title: string;
  body: string;
}

export interface SearchTables {
  search_docs: SearchDocsTable;
  search_text: SearchTextTable;
}
