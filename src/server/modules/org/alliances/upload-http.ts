/**
 * The HTTP side of document uploads: reads a multipart body (text fields first, then one `file` part),
 * streams the file to storage, recognises its format by its first bytes and validates the fields. The
 * documents service receives the result through a callback, so it never sees the request.
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, badRequest, zodIssueToField } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { FileTooLargeError, safeFileName, type Storage } from '../../../platform/storage.js';
import { type DocumentFields, Terms, type VersionFields } from './schema.js';

/** A stored file of an upload. */
export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
  name: string;
  mime: string;
}
/** What an upload yields: its validated fields, its terms, its stored file (removed again on any error). */
export interface Upload<F> {
  fields: F;
  terms: unknown;
  file: StoredFile;
}
/** Receives an upload into storage under `keyPrefix` (the route binds it to the request). */
export type Receive = <S extends typeof DocumentFields | typeof VersionFields>(schema: S, keyPrefix: string) => Promise<Upload<z.infer<S>>>;

/** The route's receiver of one request's upload. */
export const receiverOf =
  (req: FastifyRequest, storage: Storage): Receive =>
  (schema, keyPrefix) =>
    receiveUpload(req, storage, schema, keyPrefix);

const MAX_DOC_BYTES = 20 * 1024 * 1024;

/** Accepted document formats, recognised by their first bytes (not by the file name). */
function sniff(head: Buffer): string | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'application/msword';
  // UTF-8 text (Markdown / plain text) without NUL bytes
  if (!head.includes(0) && new TextDecoder('utf-8', { fatal: false }).decode(head).indexOf('\uFFFD') === -1) return 'text/plain; charset=utf-8';
  return null;
}

/**
 * Reads a multipart document upload: text fields first, then one `file` part, streamed to storage.
 * Returns the validated fields and the stored file; on any error the stored file is removed.
 */
export async function receiveUpload<S extends typeof DocumentFields | typeof VersionFields>(
  req: FastifyRequest,
  storage: Storage,
  schema: S,
  keyPrefix: string,
): Promise<Upload<z.infer<S>>> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
  const raw: Record<string, string> = {};
  let stored: { key: string; size: number; sha256: string; name: string; mime: string } | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        raw[part.fieldname] = String(part.value);
        continue;
      }
      const file = part as MultipartFile;
      if (file.fieldname !== 'file' || stored) {
        file.file.resume();
        throw badRequest([{ field: file.fieldname, code: 'unknown_field' }]);
      }
      const key = `${keyPrefix}/${newId()}.bin`;
      let put: Awaited<ReturnType<Storage['put']>>;
      try {
        put = await storage.put(key, file.file, { maxBytes: MAX_DOC_BYTES });
      } catch (err) {
        if (err instanceof FileTooLargeError) throw new AppError(413, 'payload_too_large', {}, [{ field: 'file', code: 'too_big', params: { max: '20 MB' } }]);
        throw err;
      }
      if (file.file.truncated) {
        await storage.delete(key);
        throw new AppError(413, 'payload_too_large', {}, [{ field: 'file', code: 'too_big', params: { max: '20 MB' } }]);
      }
      stored = { ...put, name: safeFileName(file.filename), mime: '' };
      const head = await readHead(storage, key);
      const mime = sniff(head);
      if (!mime || put.size === 0) {
        await storage.delete(key);
        stored = null;
        throw badRequest([{ field: 'file', code: 'invalid', params: { reason: '仅支持 PDF、Word 文档或文本文件' } }]);
      }
      stored.mime = mime.startsWith('text/') && /\.md$/i.test(stored.name) ? 'text/markdown; charset=utf-8' : mime;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw badRequest(
        parsed.error.issues.flatMap((i) => zodIssueToField({ keyword: i.code, instancePath: `/${i.path.join('/')}`, params: i as never, message: i.message })),
      );
    }
    const fields = parsed.data as z.infer<S>;
    let terms: unknown;
    try {
      terms = JSON.parse(fields.terms);
    } catch {
      throw badRequest([{ field: 'terms', code: 'invalid_format' }]);
    }
    const t = Terms.safeParse(terms);
    if (!t.success) {
      throw badRequest(
        t.error.issues.flatMap((i) =>
          zodIssueToField({ keyword: i.code, instancePath: `/${i.path.join('/')}`, params: i as never, message: i.message }, 'terms'),
        ),
      );
    }
    if (fields.effectiveFrom && fields.effectiveTo && fields.effectiveTo < fields.effectiveFrom) {
      throw badRequest([{ field: 'effectiveTo', code: 'invalid', params: { reason: '结束日期早于开始日期' } }]);
    }
    if (!stored) throw badRequest([{ field: 'file', code: 'required' }]);
    return { fields, terms: t.data, file: stored };
  } catch (err) {
    if (stored) await storage.delete(stored.key);
    throw err;
  }
}

async function readHead(storage: Storage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of storage.get(key)) {
    chunks.push(c as Buffer);
    n += (c as Buffer).length;
    if (n >= 512) break;
  }
  return Buffer.concat(chunks).subarray(0, 512);
}
