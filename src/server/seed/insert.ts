import type { Insertable } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Db, Tx } from '../db/index.js';

/**
 * Inserts rows in batches. 500 rows × ~20 columns stays well below the bind-parameter limits of
 * SQLite (32,766) and PostgreSQL (65,535).
 */
export async function insertBatched<T extends keyof DB & string>(db: Db | Tx, table: T, rows: readonly Insertable<DB[T]>[], batchSize = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    const chunk = rows.slice(i, i + batchSize);
    // Kysely cannot relate a generic table name to its row type; the signature above keeps callers typed.
    await (db as Db)
      .insertInto(table as 'regions')
      .values(chunk as unknown as Insertable<DB['regions']>[])
      .execute();
  }
}
