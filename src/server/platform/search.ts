import { sql, type Expression, type SqlBool } from 'kysely';
import type { Dialect } from '../db/index.js';

/**
 * "column contains text", case-insensitive for Latin letters, with `%`, `_` and `\` in the text taken
 * literally on both databases. (SQLite's LIKE has no escape character unless one is named.)
 */
export function containsText(dialect: Dialect, column: Expression<unknown> | string, text: string): Expression<SqlBool> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const col = typeof column === 'string' ? sql.ref(column) : column;
  return dialect === 'postgres' ? sql<SqlBool>`${col} ilike ${pattern}` : sql<SqlBool>`${col} like ${pattern} escape '\\'`;
}
