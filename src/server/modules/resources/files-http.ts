/**
 * Resource files: HTTP Range parsing, content sniffing and the streamed multipart receive.
 * Files are streamed to storage (never held whole in memory); the type is decided by the first bytes,
 * not by the name; on any failure nothing is left in storage.
 */
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { fileTypeFromBuffer } from 'file-type';
import { FAMILY_LABELS, FILE_ROLES, KIND_RULES, acceptedFamily, formatBytes, type FileRole, type ResourceKind } from '../../../common/resources.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { isCleanText } from '../../platform/input.js';
import { closedBeforeEnd, FileTooLargeError, isUploadCutOff, safeFileName, UploadCutOffError, type Storage, type StoredFile } from '../../platform/storage.js';

// ---- HTTP Range ---------------------------------------------------------------------------------

/**
 * One byte range of a file of `size` bytes from a Range header: null → send the whole file,
 * 'unsatisfiable' → 416. Several ranges: only the first is served (browsers ask for one).
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/i.exec(header.trim());
  if (!m) return null; // not a byte range we understand: ignore it, as RFC 9110 allows
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  if (size === 0) return 'unsatisfiable';
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  if (start >= size) return 'unsatisfiable';
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return null;
  return { start, end };
}

// ---- sniffing -----------------------------------------------------------------------------------

const HEAD_BYTES = 256 * 1024;

const LEGACY_OFFICE: Record<string, string> = {
  doc: 'application/msword',
  ppt: 'application/vnd.ms-powerpoint',
  xls: 'application/vnd.ms-excel',
};

function isUtf8Text(head: Buffer): boolean {
  if (head.length === 0) return false;
  if (head.includes(0)) return false;
  // the head may end inside a multi-byte character: try dropping up to three trailing bytes
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      /* try shorter */
    }
  }
  return false;
}

/** The mime of a file judged by its first bytes (the name only tells legacy office formats apart). */
export async function sniffMime(head: Buffer, name: string, complete: boolean): Promise<string | null> {
  const ext = (/\.([a-z0-9]+)$/i.exec(name)?.[1] ?? '').toLowerCase();
  let ft: Awaited<ReturnType<typeof fileTypeFromBuffer>>;
  try {
    ft = await fileTypeFromBuffer(head);
  } catch {
    ft = undefined;
  }
  if (ft) {
    if (ft.mime === 'application/x-cfb') return LEGACY_OFFICE[ext] ?? null;
    if (ft.mime === 'video/x-m4v') return 'video/mp4';
    if (ft.mime === 'application/zip' && !complete) return null;
    return ft.mime;
  }
  if (['txt', 'md', 'csv'].includes(ext) && isUtf8Text(head)) return 'text/plain';
  return null;
}

/**
 * Reads the first `n` bytes of a stream and puts them back (unshift), so the same stream still yields
 * every byte and can be piped on without an extra copy per chunk.
 */
async function peek(src: Readable, n: number): Promise<{ head: Buffer; complete: boolean; stream: Readable }> {
  const chunks: Buffer[] = [];
  let len = 0;
  let ended = src.readableEnded;
  while (len < n && !ended) {
    const c = src.read() as Buffer | null;
    if (c) {
      chunks.push(c);
      len += c.length;
      continue;
    }
    if (src.readableEnded) {
      ended = true;
      break;
    }
    // closed before its end (the body was cut off): no event will ever come
    if (closedBeforeEnd(src)) throw new UploadCutOffError();
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        src.off('readable', onReadable);
        src.off('end', onEnd);
        src.off('error', onError);
        src.off('close', onEnd);
      };
      const onReadable = () => {
        cleanup();
        resolve();
      };
      const onEnd = () => {
        ended = true;
        cleanup();
        resolve();
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      src.once('readable', onReadable);
      src.once('end', onEnd);
      src.once('close', onEnd);
      src.once('error', onError);
    });
  }
  const head = Buffer.concat(chunks);
  if (closedBeforeEnd(src)) throw new UploadCutOffError();
  if (ended || src.destroyed) return { head: head.subarray(0, n), complete: true, stream: Readable.from([head]) };
  if (head.length) src.unshift(head);
  return { head: head.subarray(0, n), complete: false, stream: src };
}

// ---- receive ------------------------------------------------------------------------------------

export interface ReceivedFile extends StoredFile {
  name: string;
  mime: string;
  role: FileRole;
  note: string | null;
}

const PATH_TRICK = /[\\/\u0000-\u001f]|^\.|\.\.|^[a-zA-Z]:/;

function tooLarge(max: number) {
  return new AppError(413, 'payload_too_large', {}, [{ field: 'file', code: 'too_big', params: { max: formatBytes(max) } }]);
}

// ---- quota --------------------------------------------------------------------------------------

interface Quota {
  /** bytes this upload may still take */
  left: number;
  /** the quota that sets `left` */
  which: 'user' | 'school';
  quota: number;
  used: number;
}

/**
 * What the uploader and the resource's school may still store: the sizes of the files of the versions
 * the user uploaded, and of every file of the school's resources, against the configured quotas.
 */
async function quotaLeft(req: FastifyRequest, resourceId: string): Promise<Quota | null> {
  const xl = (req.server as unknown as { xl?: AppContext }).xl;
  const userId = req.actor?.userId;
  if (!xl || !userId) return null;
  const { userBytes, schoolBytes } = xl.config.uploadQuota;
  const db = xl.database.db;
  const [mine, school] = await Promise.all([
    db
      .selectFrom('resource_files as f')
      .innerJoin('resource_versions as v', 'v.id', 'f.version_id')
      .select((eb) => eb.fn.sum<number>('f.size').as('n'))
      .where('v.created_by', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('resource_files as f')
      .innerJoin('resources as r', 'r.id', 'f.resource_id')
      .select((eb) => eb.fn.sum<number>('f.size').as('n'))
      .where('r.school_id', '=', db.selectFrom('resources').select('school_id').where('id', '=', resourceId))
      .executeTakeFirst(),
  ]);
  const userUsed = Number(mine?.n ?? 0);
  const schoolUsed = Number(school?.n ?? 0);
  const u: Quota = { left: userBytes - userUsed, which: 'user', quota: userBytes, used: userUsed };
  const s: Quota = { left: schoolBytes - schoolUsed, which: 'school', quota: schoolBytes, used: schoolUsed };
  return s.left < u.left ? s : u;
}

function overQuota(q: Quota, size: string) {
  return new AppError(
    413,
    q.which === 'user' ? 'user_quota_exceeded' : 'school_quota_exceeded',
    { quota: formatBytes(q.quota), used: formatBytes(q.used), size },
    [{ field: 'file', code: 'too_big', params: { max: formatBytes(Math.max(0, q.left)) } }],
  );
}

/** A body that ended before its closing boundary, or a connection dropped mid-upload. */
function isCutOff(err: unknown): boolean {
  return isUploadCutOff(err) || /aborted|ECONNRESET/i.test((err as Error)?.message ?? '');
}

/**
 * Reads a multipart upload: optional fields `role` and `note`, then exactly one `file` part, streamed
 * into storage under `resources/<resourceId>/…`. Checks the type by content against the kind, the
 * size against the kind's limit and the name for path tricks. On any failure the stored bytes are
 * removed before the error is thrown.
 */
export async function receiveFile(req: FastifyRequest, storage: Storage, resourceId: string, kind: ResourceKind): Promise<ReceivedFile> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
  const rules = KIND_RULES[kind];
  const raw: Record<string, string> = {};
  let stored: ReceivedFile | null = null;
  // the storage quota (per uploader, per school) caps what this upload may take; nothing is kept beyond it
  const quota = await quotaLeft(req, resourceId);
  const limit = quota && quota.left < rules.maxBytes ? Math.max(0, quota.left) : rules.maxBytes;
  const refuse = () => (quota && limit < rules.maxBytes ? overQuota(quota, `> ${formatBytes(limit)}`) : tooLarge(rules.maxBytes));
  try {
    for await (const part of req.parts({ preservePath: true, limits: { fileSize: rules.maxBytes, files: 2, fields: 10, fieldSize: 10_000 } })) {
      if (part.type === 'field') {
        raw[part.fieldname] = String(part.value);
        continue;
      }
      const file = part as MultipartFile;
      if (file.fieldname !== 'file' || stored) {
        file.file.resume();
        throw badRequest([{ field: file.fieldname, code: 'unknown_field' }]);
      }
      const original = file.filename ?? '';
      if (!original.trim() || PATH_TRICK.test(original)) {
        file.file.resume();
        throw badRequest(
          [{ field: 'file', code: 'invalid', params: { reason: '文件名不能包含路径、“..”或控制字符 / the name must not contain a path' } }],
          'invalid_file_name',
        );
      }
      const name = safeFileName(original);
      const { head, complete, stream } = await peek(file.file, HEAD_BYTES);
      const mime = head.length ? await sniffMime(head, name, complete) : null;
      const family = mime ? acceptedFamily(kind, mime) : null;
      if (!mime || !family) {
        stream.resume();
        file.file.resume();
        const allowed = rules.families.map((f) => FAMILY_LABELS[f][req.lang]);
        throw new AppError(415, 'file_type_not_allowed', { allowed }, [
          { field: 'file', code: 'invalid', params: { reason: head.length ? allowed.join('、') : '空文件' } },
        ]);
      }
      if (quota && limit <= 0) {
        stream.resume();
        file.file.resume();
        throw overQuota(quota, formatBytes(head.length));
      }
      const key = `resources/${resourceId}/${newId()}`;
      let put: StoredFile;
      try {
        put = await storage.put(key, stream, { maxBytes: limit });
      } catch (err) {
        file.file.resume();
        if (err instanceof FileTooLargeError || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw refuse();
        if (isCutOff(err)) throw new AppError(400, 'upload_incomplete');
        throw err;
      }
      if (file.file.truncated) {
        await storage.delete(key);
        throw tooLarge(rules.maxBytes);
      }
      stored = { ...put, name, mime, role: 'main', note: null };
    }
    if (!stored) throw badRequest([{ field: 'file', code: 'required' }]);
    const role = raw.role ?? 'main';
    if (!(FILE_ROLES.codes as readonly string[]).includes(role))
      throw badRequest([{ field: 'role', code: 'invalid_value', params: { options: FILE_ROLES.codes } }]);
    if (role !== 'main' && !rules.package) throw badRequest([{ field: 'role', code: 'invalid_value', params: { options: ['main'] } }]);
    const note = raw.note?.trim() || null;
    if (note && note.length > 500) throw badRequest([{ field: 'note', code: 'too_long', params: { max: 500 } }]);
    if (note && !isCleanText(note)) throw badRequest([{ field: 'note', code: 'control_characters' }]);
    stored.role = role as FileRole;
    stored.note = note;
    return stored;
  } catch (err) {
    if (stored) await storage.delete(stored.key);
    if (err instanceof AppError) throw err;
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(rules.maxBytes);
    if (isCutOff(err)) throw new AppError(400, 'upload_incomplete');
    throw err;
  }
}

/** Reads a stored file into memory, for text extraction of documents below `max` bytes. */
export async function readSmall(storage: Storage, key: string, max: number): Promise<Buffer | null> {
  const st = await storage.stat(key);
  if (!st || st.size > max) return null;
  const chunks: Buffer[] = [];
  for await (const c of storage.get(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
