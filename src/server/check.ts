import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from './db/index.js';
import { fileRefs } from './db/backup.js';
import { TRASH_DIR, validKey } from './platform/storage.js';

/**
 * `xiaolian check`: invariants the application relies on, recomputed from the data. Returns a list of
 * human-readable problems (empty when all is well). Later modules add their own checks here.
 */
export async function runChecks(database: Database): Promise<string[]> {
  const { db, dialect } = database;
  const problems: string[] = [];

  if (dialect === 'sqlite') {
    const fk = await sql<{ table: string }>`pragma foreign_key_check`.execute(db);
    for (const r of fk.rows) problems.push(`foreign key broken in table ${r.table}`);
    const integ = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    if (integ.rows[0]?.integrity_check !== 'ok') problems.push(`integrity_check: ${integ.rows[0]?.integrity_check}`);
  }

  // every active alliance has exactly one active core member, and it is the alliance's core school
  const cores = await db
    .selectFrom('alliances as a')
    .leftJoin('alliance_members as m', (j) => j.onRef('m.alliance_id', '=', 'a.id').on('m.role', '=', 'core').on('m.status', '=', 'active'))
    .select(['a.id', 'a.name', 'a.core_school_id', (eb) => eb.fn.count<number>('m.id').as('n'), (eb) => eb.fn.max('m.school_id').as('core')])
    .where('a.status', '=', 'active')
    .groupBy(['a.id', 'a.name', 'a.core_school_id'])
    .execute();
  for (const c of cores) {
    if (Number(c.n) !== 1 || c.core !== c.core_school_id) problems.push(`alliance ${c.name} (${c.id}): core school membership is inconsistent`);
  }

  // members carry their alliance's kind (the 融合型 uniqueness index relies on it)
  const kinds = await db
    .selectFrom('alliance_members as m')
    .innerJoin('alliances as a', 'a.id', 'm.alliance_id')
    .select(['m.id', 'a.name'])
    .whereRef('m.alliance_kind', '!=', 'a.kind')
    .execute();
  for (const k of kinds) problems.push(`membership ${k.id} of ${k.name} has a stale alliance kind`);

  // an approved application has a matching active or later-exited membership
  const approved = await db
    .selectFrom('membership_applications as p')
    .select(['p.id'])
    .where('p.status', '=', 'approved')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('alliance_members as m').select('m.id').whereRef('m.alliance_id', '=', 'p.alliance_id').whereRef('m.school_id', '=', 'p.school_id'),
        ),
      ),
    )
    .execute();
  for (const a of approved) problems.push(`approved application ${a.id} has no membership`);

  // each decided application has a decision row for its final step
  const undecided = await db
    .selectFrom('membership_applications as p')
    .select(['p.id', 'p.status'])
    .where('p.status', 'in', ['approved', 'rejected', 'withdrawn'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('application_decisions as d')
            .select('d.id')
            .whereRef('d.application_id', '=', 'p.id')
            .where('d.step', 'in', ['approve', 'reject', 'withdraw']),
        ),
      ),
    )
    .execute();
  for (const u of undecided) problems.push(`application ${u.id} is ${u.status} without a recorded decision`);

  // credits (S3.3): balances recomputed from the entries, every transaction and alliance sums to zero
  const { checkLedger } = await import('./modules/credits/ledger.js');
  problems.push(...(await checkLedger(db)).problems);
  // money against its causes: bookings charged, refunded and penalized per the rules; resource rewards single
  const { checkMoneyCauses } = await import('./modules/credits/causes.js');
  problems.push(...(await checkMoneyCauses(db)));

  return problems;
}

/**
 * Files (docs/backup.md): every file a row references has its bytes in the storage folder, with the size
 * the row records. A file found only among the retired files (`.trash`) is reported with the way back.
 */
export async function checkFiles(database: Database, filesRoot: string): Promise<string[]> {
  const problems: string[] = [];
  for await (const ref of fileRefs(database.db)) {
    if (!validKey(ref.key)) {
      problems.push(`${ref.table}: invalid storage key ${JSON.stringify(ref.key)}`);
      continue;
    }
    const st = fs.statSync(path.join(filesRoot, ref.key), { throwIfNoEntry: false });
    if (!st) {
      const retired = fs.existsSync(path.join(filesRoot, TRASH_DIR, ref.key));
      problems.push(`${ref.table}: file ${ref.key} is missing${retired ? ` (a retired copy is in ${TRASH_DIR}/${ref.key}: move it back)` : ''}`);
    } else if (ref.size != null && st.size !== ref.size) {
      problems.push(`${ref.table}: file ${ref.key} has ${st.size} bytes, the row records ${ref.size}`);
    }
  }
  return problems;
}
