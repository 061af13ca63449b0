import { z } from 'zod';
import { actorOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { Id, paginated } from '../org/schools/schema.js';
import { CommitBody, ImportListQuery, ImportOut, ImportSummary, KindQuery, UploadQuery } from './schema.js';
import { ImportService } from './service.js';
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
    async (req, reply) => reply.code(201).send(await svc.preview(req, actorOf(req), req.query)),
  );

  r.get(
    '/api/imports',
    {
      config: { permission: 'import.run' },
      schema: { tags, summary: '导入批次列表', querystring: ImportListQuery, response: { 200: paginated(ImportSummary) } },
    },
    async (req) => svc.list(actorOf(req), req.query),
  );

  r.get(
    '/api/imports/:id',
    {
      config: { permission: 'import.run' },
      schema: { tags, summary: '导入批次详情（含逐行校验结果）', params: byId, response: { 200: ImportOut } },
    },
    async (req) => svc.get(actorOf(req), req.params.id, req.lang),
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
    async (req) => svc.commit(req, actorOf(req), req.params.id, req.body?.onlyValid === true),
  );

  r.post(
    '/api/imports/:id/discard',
    {
      config: { permission: 'import.run' },
      schema: { tags, summary: '放弃该批次', params: byId, response: { 200: ImportOut } },
    },
    async (req) => svc.discard(req, actorOf(req), req.params.id),
  );
}
