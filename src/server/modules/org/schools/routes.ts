import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../../platform/context.js';
import { EXPORT_LIMIT, sendXlsx } from '../../../platform/excel.js';
import { LOCATIONS, OWNERSHIP, SCHOOL_TAGS, SCHOOL_TYPES } from '../../../../common/vocab.js';
import { Id, IndicatorInput, IndicatorOut, paginated, SchoolCreate, SchoolDetail, SchoolQuery, SchoolSummary, SchoolUpdate } from './schema.js';
import { SchoolService } from './service.js';

export async function schoolRoutes(app: App, ctx: AppContext) {
  const svc = new SchoolService(ctx.database);
  const r = zapp(app);
  const tags = ['学校 schools'];

  r.get(
    '/api/schools',
    {
      config: { permission: 'school.read' },
      schema: { tags, summary: '学校列表（按权限范围）', querystring: SchoolQuery, response: { 200: paginated(SchoolSummary) } },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  r.get(
    '/api/schools/export.xlsx',
    {
      config: { permission: 'school.read' },
      schema: { tags, summary: '导出学校列表 Excel', querystring: SchoolQuery.omit({ page: true, pageSize: true }) },
    },
    async (req, reply) => {
      const rows = await svc.listAll(ctxOf(req), req.query, EXPORT_LIMIT);
      return sendXlsx(
        reply,
        '学校名录.xlsx',
        '学校',
        [
          { header: '学校标识码', value: (s) => s.code, width: 14 },
          { header: '学校名称', value: (s) => s.name, width: 32 },
          { header: '所属区域', value: (s) => s.regionName },
          { header: '学校类型', value: (s) => SCHOOL_TYPES.label(s.type) },
          { header: '办学性质', value: (s) => OWNERSHIP.label(s.ownership) },
          { header: '所在地', value: (s) => LOCATIONS.label(s.location) },
          { header: '标签', value: (s) => s.tags.map((t) => SCHOOL_TAGS.label(t)).join('、'), width: 20 },
          { header: '在校生数', value: (s) => s.students },
          { header: '教职工数', value: (s) => s.teachers },
        ],
        rows,
      );
    },
  );

  r.get(
    '/api/schools/:id',
    {
      config: { permission: 'school.read' },
      schema: { tags, summary: '学校详情（含资源指标）', params: z.object({ id: Id }), response: { 200: SchoolDetail } },
    },
    async (req) => svc.detail(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/schools',
    {
      config: { permission: 'school.create' },
      schema: { tags, summary: '新建学校', body: SchoolCreate, response: { 201: SchoolDetail } },
    },
    async (req, reply) => reply.code(201).send(await svc.create(ctxOf(req), req.body)),
  );

  r.patch(
    '/api/schools/:id',
    {
      config: { permission: 'school.update' },
      schema: { tags, summary: '修改学校信息', params: z.object({ id: Id }), body: SchoolUpdate, response: { 200: SchoolDetail } },
    },
    async (req) => svc.update(ctxOf(req), req.params.id, req.body),
  );

  r.put(
    '/api/schools/:id/indicators/:year',
    {
      config: { permission: 'school.update' },
      schema: {
        tags,
        summary: '填报学校年度资源指标',
        params: z.object({ id: Id, year: z.coerce.number().int().min(2000).max(2100) }),
        body: IndicatorInput,
        response: { 200: IndicatorOut },
      },
    },
    async (req) => svc.putIndicators(ctxOf(req), req.params.id, req.params.year, req.body),
  );
}
