/**
 * Versions and files: an upload goes into the version being prepared (a published resource gets a new
 * version copying its files), text is extracted for search and office documents are converted to PDF;
 * previews and downloads pass the visibility and licence checks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { convertible, KIND_RULES, MIME_FAMILY, nextStatus, previewable, type ResourceKind } from '../../../common/resources.js';
import { nowIso, type Tx } from '../../db/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.js';
import { extractText, libreOfficeAvailable, officeToPdf } from '../../platform/extract.js';
import { newId } from '../../platform/ids.js';
import { type Deps, invalidTransition, load, type Row, retireUnused, visible } from './core.js';
import { detail } from './detail.js';
import { type ReceivedFile, readSmall } from './files-http.js';
import { canDownload, canEdit, seesPublished, seesUnpublished } from './policy.js';
import type { ResourceDetail } from './schema.js';

/** Documents above this size are not read for search text. */
const MAX_EXTRACT_BYTES = 50 * 1024 * 1024;

/** Receives the upload into storage once the resource's kind (its accepted types and sizes) is known. */
export type Receive = (kind: ResourceKind) => Promise<ReceivedFile>;
/** Where a failed text extraction is reported (the request's log). */
export interface UploadLog {
  warn(obj: object, msg: string): void;
}

export async function upload(d: Deps, ctx: Ctx, id: string, receive: Receive, log?: UploadLog): Promise<ResourceDetail> {
  const { actor, lang } = ctx;
  const r = await visible(d, actor, id);
  if (!canEdit(actor, r)) throw forbidden();
  if (!nextStatus(r.status, 'edit')) throw invalidTransition(lang, r.status, 'edit');
  const kind = r.kind;
  const file = await receive(kind);
  const keys = [file.key];
  let text: string | null = null;
  let extracted = 0;
  let pdfKey: string | null = null;
  try {
    const fam = MIME_FAMILY[file.mime];
    if (fam === 'pdf' || fam === 'word' || fam === 'text') {
      const buf = await readSmall(d.storage, file.key, MAX_EXTRACT_BYTES);
      if (buf) {
        try {
          text = (await extractText({ buffer: buf, mime: file.mime })) || null;
          extracted = 1;
        } catch (err) {
          log?.warn({ err, file: file.name }, 'text extraction failed');
        }
      }
    }
    if (convertible(file.mime) && libreOfficeAvailable()) pdfKey = await convert(d, file.key, file.name);
    if (pdfKey) keys.push(pdfKey);
    const removed: string[] = [];
    await d.db.transaction().execute(async (tx) => {
      const cur = await load(d, id, tx);
      if (!nextStatus(cur.status, 'edit')) throw invalidTransition(lang, cur.status, 'edit');
      const versionId = await draftVersion(tx, cur, actor.userId, file.note);
      if (file.role === 'main' && !KIND_RULES[kind].package) {
        const old = await tx
          .selectFrom('resource_files')
          .select(['id', 'storage_key', 'pdf_key'])
          .where('version_id', '=', versionId)
          .where('role', '=', 'main')
          .execute();
        if (old.length) {
          await tx
            .deleteFrom('resource_files')
            .where(
              'id',
              'in',
              old.map((o) => o.id),
            )
            .execute();
          for (const o of old) removed.push(o.storage_key, ...(o.pdf_key ? [o.pdf_key] : []));
        }
      }
      const pos = await tx
        .selectFrom('resource_files')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('version_id', '=', versionId)
        .executeTakeFirst();
      await tx
        .insertInto('resource_files')
        .values({
          id: newId(),
          resource_id: id,
          version_id: versionId,
          role: file.role,
          position: Number(pos?.p ?? -1) + 1,
          storage_key: file.key,
          name: file.name,
          mime: file.mime,
          size: file.size,
          sha256: file.sha256,
          text,
          text_extracted: extracted,
          pdf_key: pdfKey,
          created_at: nowIso(),
        })
        .execute();
      if (file.note) await tx.updateTable('resource_versions').set({ note: file.note }).where('id', '=', versionId).execute();
      await tx.updateTable('resources').set({ updated_at: nowIso() }).where('id', '=', id).execute();
    });
    // a replaced file of an unpublished draft is gone for good unless another version still holds it
    await retireUnused(d, removed);
  } catch (err) {
    for (const k of keys) await d.storage.delete(k);
    throw err;
  }
  return detail(d, ctx, id, { countView: false });
}

/** The version being prepared: the open draft, or a new one copying the published files. */
async function draftVersion(tx: Tx, r: Row, userId: string, note: string | null): Promise<string> {
  if (r.draft_version_id) return r.draft_version_id;
  const max = await tx
    .selectFrom('resource_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('resource_id', '=', r.id)
    .executeTakeFirst();
  const versionId = newId();
  await tx
    .insertInto('resource_versions')
    .values({ id: versionId, resource_id: r.id, number: Number(max?.n ?? 0) + 1, note, created_by: userId, created_at: nowIso(), published_at: null })
    .execute();
  if (r.current_version_id) {
    const files = await tx.selectFrom('resource_files').selectAll().where('version_id', '=', r.current_version_id).execute();
    if (files.length)
      await tx
        .insertInto('resource_files')
        .values(files.map((f) => ({ ...f, id: newId(), version_id: versionId })))
        .execute();
  }
  await tx.updateTable('resources').set({ draft_version_id: versionId }).where('id', '=', r.id).execute();
  return versionId;
}

/** Office document → PDF through LibreOffice; null when conversion fails. */
async function convert(d: Deps, key: string, name: string): Promise<string | null> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'xl-office-'));
  try {
    const ext = path.extname(name) || '.bin';
    const input = path.join(dir, `input${ext}`);
    await pipeline(d.storage.get(key), fs.createWriteStream(input));
    const out = await officeToPdf(input);
    if (!out) return null;
    const stored = await d.storage.put(`${key}.pdf`, fs.createReadStream(out));
    return stored.key;
  } catch {
    return null;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

export async function removeFile(d: Deps, ctx: Ctx, id: string, fileId: string): Promise<ResourceDetail> {
  const { actor, lang } = ctx;
  const r = await visible(d, actor, id);
  if (!canEdit(actor, r)) throw forbidden();
  if (!nextStatus(r.status, 'edit')) throw invalidTransition(lang, r.status, 'edit');
  const f = await d.db.selectFrom('resource_files').selectAll().where('id', '=', fileId).where('resource_id', '=', id).executeTakeFirst();
  if (!f) throw notFound('resource_file');
  if (f.version_id !== r.draft_version_id) throw conflict('只能删除正在编辑的版本中的文件；已发布版本保持不变');
  await d.db.deleteFrom('resource_files').where('id', '=', fileId).execute();
  await retireUnused(
    d,
    [f.storage_key, f.pdf_key].filter((k): k is string => !!k),
  );
  return detail(d, ctx, id, { countView: false });
}

/** The file to stream for a preview or download, after the visibility and licence checks. */
export async function fileFor(d: Deps, ctx: Ctx, id: string, fileId: string, mode: 'preview' | 'download') {
  const { actor } = ctx;
  const r = await visible(d, actor, id);
  const f = await d.db
    .selectFrom('resource_files as f')
    .innerJoin('resource_versions as v', 'v.id', 'f.version_id')
    .select(['f.id', 'f.storage_key', 'f.pdf_key', 'f.name', 'f.mime', 'f.size', 'v.published_at'])
    .where('f.id', '=', fileId)
    .where('f.resource_id', '=', id)
    .executeTakeFirst();
  if (!f) throw notFound('resource_file');
  // published versions reach whoever sees the resource; unpublished ones only its author, reviewer, admins
  if (!seesUnpublished(actor, r) && !(seesPublished(actor, r) && f.published_at)) throw notFound('resource_file');
  if (mode === 'download') {
    if (!canDownload(actor, r)) throw new AppError(403, 'licence_forbids_download');
    return { resource: r, key: f.storage_key, mime: f.mime, name: f.name };
  }
  if (previewable(f.mime)) return { resource: r, key: f.storage_key, mime: f.mime, name: f.name };
  if (f.pdf_key) return { resource: r, key: f.pdf_key, mime: 'application/pdf', name: `${f.name.replace(/\.[^.]+$/, '')}.pdf` };
  throw new AppError(409, 'preview_unavailable');
}
