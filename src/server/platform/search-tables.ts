/** Table types owned by this module: the Chinese full-text index (S2 search). See db/schema.ts for the conventions. */
import type { Generated } from 'kysely';

/**
 * One searchable document (a published resource, keyed by its id). `title`/`body` keep the plain text
 * (for snippets); the index itself holds the jieba tokens: on SQLite the FTS5 table `search_fts`
 * (contentless, rowid = seq), on PostgreSQL the column `tsv` (tsvector, GIN). Only db/fts.ts touches it.
 */
export interface SearchDocsTable {
  seq: Generated<number>;
  doc_id: string;
  title: string;
  body: string;
  updated_at: string;
}

export interface SearchTables {
  search_docs: SearchDocsTable;
}
