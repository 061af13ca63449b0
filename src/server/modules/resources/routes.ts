import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GRADES, LICENCES, RESOURCE_KINDS, STAGES } from '../../../common/resources.js';
import { SUBJECTS } from '../../../common/vocab.js';
import { ctxOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { sendXlsx } from '../../platform/excel.js';
import { Id } from '../org/schools/schema.js';
import { parseRange, receiveFile } from './files-http.js';
import {
  AssignIn,
  Catalogue,
  CatalogueQuery,
  CommentIn,
  ContributionList,
  MineList,
  MineQuery,
  NotificationList,
  Queue,
  RatingIn,
  Recommended,
  ResourceCreate,
  ResourceDetail,
  ResourceList,
  ResourceQuery,
  ResourceUpdate,
  ReviewIn,
  StepIn,
  UseIn,
} from './schema.js';
import { ResourceService } from './service.js';

const disposition = (kind: 'inline' | 'attachment', name: string) => `${kind}; filename="file"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function resourceRoutes(app: App, ctx: AppContext) {
  const svc = new ResourceService(ctx.database, ctx.storage);
  const r = zapp(app);
  const tags = ['资源库 resources'];
  const byId = z.object({ id: Id });
  const byFile = z.object({ id: Id, fileId: Id });

  r.get(
    '/api/resources',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '资源检索：中文全文检索（q）、分面、排序、高亮', querystring: ResourceQuery, response: { 200: ResourceList } },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  r.get(
    '/api/resources/mine',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '我的资源（作者，全部状态）', querystring: MineQuery, response: { 200: MineList } },
    },
    async (req) => svc.mine(ctxOf(req), req.query),
  );

  r.get(
    '/api/resources/favourites',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '我的收藏', response: { 200: MineList } },
    },
    async (req) => svc.favourites(ctxOf(req)),
  );

  r.get(
    '/api/resources/recommended',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '资源找人：按学科/年级推荐，以及同学科教师在用的资源', response: { 200: Recommended } },
    },
    async (req) => svc.recommended(ctxOf(req)),
  );

  r.get(
    '/api/resources/catalogue',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '每月资源目录（按学科）', querystring: CatalogueQuery, response: { 200: Catalogue } },
    },
    async (req) => svc.catalogue(ctxOf(req), req.query.month, req.query.subject),
  );

  r.get(
    '/api/resources/catalogue.xlsx',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '每月资源目录导出 Excel', querystring: CatalogueQuery },
    },
    async (req, reply) => {
      const c = await svc.catalogue(ctxOf(req), req.query.month, req.query.subject);
      const subject = req.query.subject ? SUBJECTS.label(req.query.subject) : '全部学科';
      return sendXlsx(
        reply,
        `每月资源目录-${c.month}-${subject}.xlsx`,
        `${c.month} 资源目录`,
        [
          { header: '学科', value: (x) => SUBJECTS.label(x.subject) },
          { header: '资源名称', value: (x) => x.title, width: 40 },
          { header: '类型', value: (x) => RESOURCE_KINDS.label(x.kind) },
          { header: '学段', value: (x) => STAGES.label(x.stage) },
          { header: '年级', value: (x) => (x.grade ? GRADES.label(x.grade) : '') },
          { header: '章节', value: (x) => x.chapter, width: 24 },
          { header: '作者', value: (x) => x.authors.join('、'), width: 20 },
          { header: '学校', value: (x) => x.school.name, width: 28 },
          { header: '许可', value: (x) => LICENCES.label(x.licence), width: 24 },
          { header: '发布日期', value: (x) => (x.publishedAt ? x.publishedAt.slice(0, 10) : ''), width: 12 },
          { header: '浏览', value: (x) => x.views },
          { header: '下载', value: (x) => x.downloads },
          { header: '使用', value: (x) => x.uses },
          { header: '评分', value: (x) => x.rating },
        ],
        c.items,
      );
    },
  );

  r.get(
    '/api/resources/contributions',
    {
      config: { permission: 'resource.read' },
      schema: {
        tags,
        summary: '贡献记录：本校（schoolId）或本人资源被其他学校使用',
        querystring: z.strictObject({ schoolId: Id.optional() }),
        response: { 200: ContributionList },
      },
    },
    async (req) => svc.contributions(ctxOf(req), req.query.schoolId),
  );

  r.post(
    '/api/resources',
    {
      config: { permission: 'resource.write' },
      schema: { tags, summary: '新建资源（草稿）', body: ResourceCreate, response: { 201: ResourceDetail } },
    },
    async (req, reply) => reply.code(201).send(await svc.create(ctxOf(req), req.body)),
  );

  r.get(
    '/api/resources/:id',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '资源详情（版本历史、文件、评分、审核记录）', params: byId, response: { 200: ResourceDetail } },
    },
    async (req) => svc.detail(ctxOf(req), req.params.id, { countView: true }),
  );

  r.patch(
    '/api/resources/:id',
    {
      config: { permission: 'resource.write' },
      schema: { tags, summary: '修改资源信息', params: byId, body: ResourceUpdate, response: { 200: ResourceDetail } },
    },
    async (req) => svc.update(ctxOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/resources/:id/files',
    {
      config: { permission: 'resource.write' },
      schema: {
        tags,
        summary: '上传文件（multipart，流式；字段 role（main/outline/lesson/material/case）、note，然后 file）；已发布资源生成新版本',
        params: byId,
        consumes: ['multipart/form-data'],
        response: { 201: ResourceDetail },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await svc.upload(ctxOf(req), req.params.id, (kind) => receiveFile(req, ctx.storage, req.params.id, kind), req.log)),
  );

  r.delete(
    '/api/resources/:id/files/:fileId',
    {
      config: { permission: 'resource.write' },
      schema: { tags, summary: '从正在编辑的版本中删除文件', params: byFile, response: { 200: ResourceDetail } },
    },
    async (req) => svc.removeFile(ctxOf(req), req.params.id, req.params.fileId),
  );

  const stream = async (req: FastifyRequest, reply: FastifyReply, mode: 'preview' | 'download') => {
    const c = ctxOf(req);
    const params = req.params as { id: string; fileId: string };
    const f = await svc.fileFor(c, params.id, params.fileId, mode);
    const st = await ctx.storage.stat(f.key);
    if (!st) throw new AppError(404, 'not_found', { entity: 'resource_file' });
    const range = parseRange(req.headers.range, st.size);
    if (range === 'unsatisfiable') {
      reply.header('content-range', `bytes */${st.size}`);
      throw new AppError(416, 'range_not_satisfiable');
    }
    // a view/download counts once per user and day; a seek (range not from 0) is not a new one
    if (f.resource.created_by !== c.actor.userId && (!range || range.start === 0)) {
      await svc.countOnce(c, f.resource.id, mode === 'download' ? 'download' : 'view');
    }
    const mime = f.mime.startsWith('text/') ? `${f.mime}; charset=utf-8` : f.mime;
    reply
      .header('accept-ranges', 'bytes')
      .header('content-type', mime)
      .header('content-disposition', disposition(mode === 'download' ? 'attachment' : 'inline', f.name))
      .header('cache-control', 'private, max-age=0')
      .header('x-content-type-options', 'nosniff');
    // text is shown as text, never run; (a sandbox would also stop the browser's PDF viewer, so only for text)
    if (f.mime.startsWith('text/')) reply.header('content-security-policy', "default-src 'none'; sandbox");
    if (range) {
      reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${st.size}`)
        .header('content-length', String(range.end - range.start + 1));
      return reply.send(ctx.storage.get(f.key, range));
    }
    reply.header('content-length', String(st.size));
    return reply.send(ctx.storage.get(f.key));
  };

  r.get(
    '/api/resources/:id/files/:fileId/preview',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '在线预览（inline，支持 HTTP Range 拖动进度；Office 文档转换为 PDF）', params: byFile },
    },
    async (req, reply) => stream(req, reply, 'preview'),
  );

  r.get(
    '/api/resources/:id/files/:fileId/download',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '下载（按许可与可见范围检查；支持 HTTP Range）', params: byFile },
    },
    async (req, reply) => stream(req, reply, 'download'),
  );

  // workflow 上传—审核—共享
  r.post(
    '/api/resources/:id/submit',
    {
      config: { permission: 'resource.write' },
      schema: { tags, summary: '提交审核（自动分配本学科审核员）', params: byId, body: StepIn, response: { 200: ResourceDetail } },
    },
    async (req) => svc.submit(ctxOf(req), req.params.id, req.body?.comment),
  );

  r.post(
    '/api/resources/:id/withdraw',
    {
      config: { permission: 'resource.write' },
      schema: { tags, summary: '撤回', params: byId, body: StepIn, response: { 200: ResourceDetail } },
    },
    async (req) => svc.withdraw(ctxOf(req), req.params.id, req.body?.comment),
  );

  r.post(
    '/api/resources/:id/archive',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '归档（作者或学校/联盟/教育局管理员）', params: byId, body: StepIn, response: { 200: ResourceDetail } },
    },
    async (req) => svc.archive(ctxOf(req), req.params.id, req.body?.comment),
  );

  r.post(
    '/api/resources/:id/assign',
    {
      config: { permission: 'resource.manage' },
      schema: { tags, summary: '指定审核员（联盟秘书处）', params: byId, body: AssignIn, response: { 200: ResourceDetail } },
    },
    async (req) => svc.assign(ctxOf(req), req.params.id, req.body.reviewerId),
  );

  r.get(
    '/api/reviews/queue',
    {
      config: { permission: 'resource.review' },
      schema: { tags, summary: '审核队列（分配给我的，及本联盟未分配的）', response: { 200: Queue } },
    },
    async (req) => svc.queue(ctxOf(req)),
  );

  r.post(
    '/api/resources/:id/review',
    {
      config: { permission: 'resource.review' },
      schema: { tags, summary: '审核：按质量标准评分，发布或退回（退回须填写意见）', params: byId, body: ReviewIn, response: { 200: ResourceDetail } },
    },
    async (req) => svc.review(ctxOf(req), req.params.id, req.body),
  );

  // use and feedback
  // rating and commenting: the teaching roles (resource.feedback), not students, guardians, partners, evaluators
  r.put(
    '/api/resources/:id/rating',
    {
      config: { permission: 'resource.feedback' },
      schema: {
        tags,
        summary: '评分 1–5（每人一次，可修改）',
        params: byId,
        body: RatingIn,
        response: { 200: z.object({ myRating: z.number(), rating: z.number().nullable(), ratingCount: z.number() }) },
      },
    },
    async (req) => svc.rate(ctxOf(req), req.params.id, req.body.stars),
  );

  const CommentsOut = z.object({
    items: z.array(
      z.object({
        id: z.string(),
        userId: z.string(),
        userName: z.string(),
        schoolName: z.string().nullable(),
        body: z.string(),
        createdAt: z.string(),
        canDelete: z.boolean(),
      }),
    ),
  });
  r.get(
    '/api/resources/:id/comments',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '评论', params: byId, response: { 200: CommentsOut } },
    },
    async (req) => svc.comments(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/resources/:id/comments',
    {
      config: { permission: 'resource.feedback' },
      schema: { tags, summary: '发表评论', params: byId, body: CommentIn, response: { 201: CommentsOut } },
    },
    async (req, reply) => reply.code(201).send(await svc.addComment(ctxOf(req), req.params.id, req.body.body)),
  );

  r.delete(
    '/api/resource-comments/:id',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '删除评论（评论者、资源作者、管理员）', params: byId },
    },
    async (req, reply) => {
      await svc.deleteComment(ctxOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  r.put(
    '/api/resources/:id/favourite',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '收藏', params: byId, response: { 200: z.object({ favourite: z.boolean() }) } },
    },
    async (req) => svc.setFavourite(ctxOf(req), req.params.id, true),
  );

  r.delete(
    '/api/resources/:id/favourite',
    {
      config: { permission: 'resource.read' },
      schema: { tags, summary: '取消收藏', params: byId, response: { 200: z.object({ favourite: z.boolean() }) } },
    },
    async (req) => svc.setFavourite(ctxOf(req), req.params.id, false),
  );

  r.post(
    '/api/resources/:id/uses',
    {
      config: { permission: 'resource.write' },
      schema: {
        tags,
        summary: '“我在课堂上用了”（每人每天一次；他校使用记为贡献）',
        params: byId,
        body: UseIn,
        response: { 200: UseResult, 201: UseResult },
      },
    },
    async (req, reply) => {
      const res = await svc.use(ctxOf(req), req.params.id, req.body ?? {});
      return reply.code(res.created ? 201 : 200).send(res);
    },
  );

  // notifications of authors and reviewers
  r.get(
    '/api/notifications',
    {
      config: { permission: 'signed_in' },
      schema: { tags: ['通知 notifications'], summary: '我的通知', response: { 200: NotificationList } },
    },
    async (req) => svc.notifications(ctxOf(req)),
  );

  r.post(
    '/api/notifications/:id/read',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['通知 notifications'],
        summary: '标记已读（id 或 all）',
        params: z.object({ id: z.union([z.literal('all'), z.coerce.number().int().min(1)]) }),
        response: { 200: NotificationList },
      },
    },
    async (req) => svc.markRead(ctxOf(req), req.params.id),
  );
}

const UseResult = z.object({
  created: z.boolean(),
  useId: z.string(),
  contribution: z.object({ id: z.string(), amount: z.number(), transactionId: z.string().nullable() }).nullable(),
});
