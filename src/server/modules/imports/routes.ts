import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { safeFileName } from '../../platform/storage.js';
import { Id, paginated } from '../org/schools/schema.js';
import { CommitBody, ImportListQuery, ImportOut, ImportSummary, KindQuery, UploadQuery } from './schema.js';
import { MAX_FILE_BYTES } from './parse.js';
import { ImportService, type Upload } from './service.js';
import { templateXlsx } from './template.js';

export async function importRoutes(app: App, ctx: AppContext) {
  const svc = new ImportService(ctx.database);
  const r = zapp(app);
  const tags = ['批量导入 imports'];
  const byId = z.object({ id: Id });

  r.get(
    '/api/imports/template',
    {
      config: { permission: 'import.run' },
      schema: { tags, summary: '下载导入模板（.xlsx：表头 + “说明”工作表）', querystring: KindQuery },
    },
    async (req, reply) => {
      const { buf, fileName } = await templateXlsx(req.query.kind);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="template.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
        .send(buf);
    },
  );

  r.post(
    '/api/imports',
    {
      config: { permission: 'import.run' },
      schema: {
        tags,
        summary:
          '上传 .xlsx / .csv 并预览（multipart，字段 file，≤ 5 MB）；学校导入须给 regionId，用户导入须给 schoolId，区域导入由教育局给 regionId（导入到其下）、平台管理员可不给',
        querystring: UploadQuery,
        consumes: ['multipart/form-data'],
        response: { 201: ImportOut },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.preview(ctxOf(req), req.query, () => receiveFile(req))),
  );

  r.get(
    '/api/imports',
    {
      config: { permission: 'import.run' },
      schema: { tags, summary: '导入批次列表', querystring: ImportListQuery, response: { 200: paginated(ImportSummary) } },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  r.get(
    '/api/imports/:id',
    {
      config: { permission: 'import.run' },
      schema: { tags, summary: '导入批次详情（含逐行校验结果）', params: byId, response: { 200: ImportOut } },
    },
    async (req) => svc.get(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/imports/:id/commit',
    {
      config: { permission: 'import.run' },
      schema: {
        tags,
        summary: '确认导入（有无效行时须 onlyValid: true 才只导入有效行；全部在一个事务中）',
        params: byId,
        body: CommitBody,
        response: { 200: ImportOut },
      },
    },
    async (req) => svc.commit(ctxOf(req), req.params.id, req.body?.onlyValid === true),
  );

  r.post(
    '/api/imports/:id/discard',
    {
      config: { permission: 'import.run' },
      schema: { tags, summary: '放弃该批次', params: byId, response: { 200: ImportOut } },
    },
    async (req) => svc.discard(ctxOf(req), req.params.id),
  );
}

const tooLarge = () => new AppError(413, 'payload_too_large', {}, [{ field: 'file', code: 'too_big', params: { max: '5 MB' } }]);

/** Reads one stream to memory, refusing more than `max` bytes (the rest is drained, not kept). */
async function readLimited(stream: Readable & { truncated?: boolean }, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of stream) {
    if (over) continue;
    size += (chunk as Buffer).length;
    if (size > max) {
      over = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk as Buffer);
  }
  if (over || stream.truncated) throw tooLarge();
  return Buffer.concat(chunks);
}

/** Reads the multipart body: exactly one part, the file field `file`. */
async function receiveFile(req: FastifyRequest): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
  let got: Upload | null = null;
  for await (const part of req.parts({ limits: { fileSize: MAX_FILE_BYTES + 1, files: 1, fields: 5 } })) {
    if (part.type === 'field') throw badRequest([{ field: part.fieldname, code: 'unknown_field' }]);
    const file = part as MultipartFile;
    if (file.fieldname !== 'file' || got) {
      file.file.resume();
      throw badRequest([{ field: file.fieldname, code: 'unknown_field' }]);
    }
    got = { name: safeFileName(file.filename || 'upload'), data: await readLimited(file.file, MAX_FILE_BYTES) };
  }
  if (!got) throw badRequest([{ field: 'file', code: 'required' }]);
  return got;
}
