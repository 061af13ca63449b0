/**
 * What every part of the resource service shares: its dependencies, loading a resource with the
 * visibility check, the status history, authors' notifications and the search index.
 */
import { RESOURCE_STATUS, WORKFLOW_STEPS, type WorkflowStep } from '../../../common/resources.js';
import { todayIn } from '../../../common/time.js';
import { fromJson, nowIso, type Database, type Db, type Tx } from '../../db/index.js';
import { ftsUpsert } from '../../db/fts.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, notFound, type Lang } from '../../platform/errors.js';
import type { Storage } from '../../platform/storage.js';
import { CreditService } from '../credits/service.js';
import { directoryOf, type Directory } from '../org/directory.js';
import { canSee } from './policy.js';
import type { HistoryStep, NotificationKind, ResourcesTable } from '../../db/tables/resources.js';

export type Row = ResourcesTable;

/** The adapters the resource service works with (one per app). */
export interface Deps {
  database: Database;
  db: Db;
  storage: Storage;
  credits: CreditService;
  /** the organization directory: school names, a school's alliances, region chains */
  dir: Directory;
}

export function makeDeps(database: Database, storage: Storage): Deps {
  return { database, db: database.db, storage, credits: new CreditService(database), dir: directoryOf(database) };
}

export const today = (at: Date = new Date()) => todayIn(undefined, at);

export function invalidTransition(lang: Lang, status: string, step: WorkflowStep) {
  return new AppError(409, 'invalid_transition', { status: RESOURCE_STATUS.label(status, lang), step: WORKFLOW_STEPS.label(step, lang) });
}

export async function load(d: Deps, id: string, db: Db | Tx = d.db): Promise<Row> {
  const r = await db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('resource');
  return r;
}

/** The resource when the actor may see it in some state; 404 otherwise. */
export async function visible(d: Deps, actor: Actor, id: string): Promise<Row> {
  const r = await load(d, id);
  if (!canSee(actor, r)) throw notFound('resource');
  return r;
}

/** `later`: ms after now, so steps written in one request keep their order (assign after submit). */
export async function history(
  tx: Tx,
  resourceId: string,
  from: Row['status'] | null,
  to: Row['status'],
  step: HistoryStep,
  actorId: string | null,
  comment: string | null = null,
  later = 0,
) {
  const at = new Date(Date.now() + later).toISOString();
  await tx
    .insertInto('resource_status_history')
    .values({ resource_id: resourceId, from_status: from, to_status: to, step, actor_id: actorId, comment, at })
    .execute();
}

export async function notify(tx: Tx, userId: string, kind: NotificationKind, resourceId: string | null, title: string, body: string | null = null) {
  await tx
    .insertInto('resource_notifications')
    .values({ user_id: userId, kind, resource_id: resourceId, title, body, created_at: nowIso(), read_at: null })
    .execute();
}

/** Puts the published version's words into the search index. */
export async function index(d: Deps, tx: Tx, r: Row) {
  if (!r.current_version_id) return;
  const files = await tx.selectFrom('resource_files').select(['name', 'text']).where('version_id', '=', r.current_version_id).orderBy('position').execute();
  const tags = fromJson<string[]>(r.tags, []);
  const body = [r.description, tags.join(' '), r.chapter ?? '', ...files.map((f) => f.text ?? '')].filter(Boolean).join('\n');
  await ftsUpsert(tx, d.database.dialect, { id: r.id, title: r.title, body });
}

/** Removes a stored file unless another version still holds it (kept for older backups: docs/backup.md). */
export async function retireUnused(d: Deps, keys: string[]) {
  for (const key of keys) {
    const still = await d.db
      .selectFrom('resource_files')
      .select('id')
      .where((eb) => eb.or([eb('storage_key', '=', key), eb('pdf_key', '=', key)]))
      .limit(1)
      .executeTakeFirst();
    if (!still) await d.storage.retire(key);
  }
}

export function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
