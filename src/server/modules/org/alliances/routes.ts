import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../../platform/context.js';
import { EXPORT_LIMIT, sendXlsx } from '../../../platform/excel.js';
import { ALLIANCE_KINDS, ALLIANCE_PATTERNS, PARTNER_KINDS, PHASES } from '../../../../common/vocab.js';
import { Id, paginated } from '../schools/schema.js';
import {
  AllianceCreate,
  AllianceDetail,
  AlliancePartnerAdd,
  AllianceQuery,
  AllianceSummary,
  AllianceUpdate,
  AssessmentCreate,
  BodyCreate,
  BodyMemberCreate,
  DocumentOut,
  MilestoneCreate,
  MilestoneUpdate,
  PartnerCreate,
  PartnerOut,
  TimelineOut,
} from './schema.js';
import { DocumentService } from './documents.js';
import { GovernanceService } from './governance.js';
import { PartnerService } from './partners.js';
import { AllianceService } from './service.js';
import { receiverOf } from './upload-http.js';

export async function allianceRoutes(app: App, ctx: AppContext) {
  const svc = new AllianceService(ctx.database);
  const governance = new GovernanceService(svc);
  const docs = new DocumentService(svc, ctx.storage);
  const partners = new PartnerService(svc);
  const r = zapp(app);
  const tags = ['联盟 alliances'];
  const byId = z.object({ id: Id });

  r.get(
    '/api/alliances',
    {
      config: { permission: 'alliance.read' },
      schema: { tags, summary: '联盟/教育集团列表', querystring: AllianceQuery, response: { 200: paginated(AllianceSummary) } },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  r.get(
    '/api/alliances/export.xlsx',
    {
      config: { permission: 'alliance.read' },
      schema: { tags, summary: '导出联盟列表 Excel', querystring: AllianceQuery.omit({ page: true, pageSize: true }) },
    },
    async (req, reply) => {
      const { items } = await svc.list(ctxOf(req), { ...req.query, page: 1, pageSize: EXPORT_LIMIT });
      return sendXlsx(
        reply,
        '联盟名录.xlsx',
        '联盟',
        [
          { header: '联盟名称', value: (a) => a.name, width: 32 },
          { header: '所属区域', value: (a) => a.regionName },
          { header: '办学形式', value: (a) => ALLIANCE_KINDS.label(a.kind) },
          { header: '结对模式', value: (a) => ALLIANCE_PATTERNS.label(a.pattern) },
          { header: '核心校', value: (a) => a.coreSchool.name, width: 28 },
          { header: '成员校数', value: (a) => a.memberCount },
          { header: '合作方数', value: (a) => a.partnerCount },
          { header: '当前阶段', value: (a) => (a.phase ? PHASES.label(a.phase) : '') },
          { header: '待复评', value: (a) => (a.reassessmentDue ? '是' : '否') },
        ],
        items,
      );
    },
  );

  r.get(
    '/api/alliances/:id',
    {
      config: { permission: 'alliance.read' },
      schema: { tags, summary: '联盟详情（成员、治理、文件、里程碑）', params: byId, response: { 200: AllianceDetail } },
    },
    async (req) => svc.detail(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/alliances',
    {
      config: { permission: 'alliance.create' },
      schema: { tags, summary: '成立联盟（含核心校）', body: AllianceCreate, response: { 201: AllianceDetail } },
    },
    async (req, reply) => reply.code(201).send(await svc.create(ctxOf(req), req.body)),
  );

  r.patch(
    '/api/alliances/:id',
    {
      config: { permission: 'alliance.manage' },
      schema: { tags, summary: '修改联盟', params: byId, body: AllianceUpdate, response: { 200: AllianceDetail } },
    },
    async (req) => svc.update(ctxOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/alliances/:id/timeline',
    {
      config: { permission: 'alliance.read' },
      schema: { tags, summary: '联盟动态', params: byId, response: { 200: TimelineOut } },
    },
    async (req) => svc.timeline(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/alliances/:id/partners',
    {
      config: { permission: 'alliance.manage' },
      schema: { tags, summary: '合作方加入联盟', params: byId, body: AlliancePartnerAdd, response: { 200: AllianceDetail } },
    },
    async (req) => partners.addPartner(ctxOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/alliances/:id/bodies',
    {
      config: { permission: 'alliance.manage' },
      schema: { tags, summary: '设立治理机构', params: byId, body: BodyCreate, response: { 200: AllianceDetail } },
    },
    async (req) => governance.addBody(ctxOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/bodies/:id/members',
    {
      config: { permission: 'alliance.manage' },
      schema: { tags, summary: '治理机构成员（含任期）', params: byId, body: BodyMemberCreate, response: { 200: AllianceDetail } },
    },
    async (req) => governance.addBodyMember(ctxOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/alliances/:id/milestones',
    {
      config: { permission: 'alliance.manage' },
      schema: { tags, summary: '新增里程碑', params: byId, body: MilestoneCreate, response: { 200: AllianceDetail } },
    },
    async (req) => governance.addMilestone(ctxOf(req), req.params.id, req.body),
  );

  r.patch(
    '/api/milestones/:id',
    {
      config: { permission: 'alliance.manage' },
      schema: { tags, summary: '完成/重开里程碑', params: byId, body: MilestoneUpdate, response: { 200: AllianceDetail } },
    },
    async (req) => governance.updateMilestone(ctxOf(req), req.params.id, req.body.doneOn),
  );

  r.post(
    '/api/alliances/:id/assessments',
    {
      config: { permission: 'alliance.create' },
      schema: { tags, summary: '教育局对联盟的两年一次评估', params: byId, body: AssessmentCreate, response: { 200: AllianceDetail } },
    },
    async (req) => governance.addAssessment(ctxOf(req), req.params.id, req.body),
  );

  // documents: charters and agreements, versioned, file plus structured terms
  r.post(
    '/api/alliances/:id/documents',
    {
      config: { permission: 'alliance.manage' },
      schema: {
        tags,
        summary: '上传章程/协议（multipart：kind, title, terms(JSON), effectiveFrom, effectiveTo, note, 然后 file）',
        params: byId,
        consumes: ['multipart/form-data'],
        response: { 201: DocumentOut },
      },
    },
    async (req, reply) => reply.code(201).send(await docs.createDocument(ctxOf(req), req.params.id, receiverOf(req, ctx.storage))),
  );

  r.get(
    '/api/documents/:id',
    {
      config: { permission: 'alliance.read' },
      schema: { tags, summary: '文件及其全部版本', params: byId, response: { 200: DocumentOut } },
    },
    async (req) => docs.document(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/documents/:id/versions',
    {
      config: { permission: 'alliance.manage' },
      schema: { tags, summary: '上传新版本（multipart）', params: byId, consumes: ['multipart/form-data'], response: { 201: DocumentOut } },
    },
    async (req, reply) => reply.code(201).send(await docs.addVersion(ctxOf(req), req.params.id, receiverOf(req, ctx.storage))),
  );

  r.get(
    '/api/documents/:id/versions/:version/file',
    {
      config: { permission: 'alliance.read' },
      schema: { tags, summary: '下载某一版本的文件', params: z.object({ id: Id, version: z.coerce.number().int().min(1).max(100_000) }) },
    },
    async (req, reply) => {
      const f = await docs.documentFile(ctxOf(req), req.params.id, req.params.version);
      reply.header('content-type', f.mime).header('content-disposition', `attachment; filename="document"; filename*=UTF-8''${encodeURIComponent(f.name)}`);
      if (f.size != null) reply.header('content-length', String(f.size));
      return reply.send(f.stream);
    },
  );

  // partners (the X of 1+N+X)
  r.get(
    '/api/partners',
    {
      config: { permission: 'partner.read' },
      schema: {
        tags: ['合作方 partners'],
        summary: '合作方',
        querystring: z.strictObject({ regionId: Id.optional() }),
        response: { 200: z.object({ items: z.array(PartnerOut) }) },
      },
    },
    async (req) => partners.listPartners(ctxOf(req), req.query.regionId),
  );

  r.get(
    '/api/partners/export.xlsx',
    {
      config: { permission: 'partner.read' },
      schema: { tags: ['合作方 partners'], summary: '导出合作方 Excel', querystring: z.strictObject({ regionId: Id.optional() }) },
    },
    async (req, reply) => {
      const { items } = await partners.listPartners(ctxOf(req), req.query.regionId);
      return sendXlsx(
        reply,
        '合作方.xlsx',
        '合作方',
        [
          { header: '名称', value: (p) => p.name, width: 28 },
          { header: '类型', value: (p) => PARTNER_KINDS.label(p.kind) },
          { header: '联系人', value: (p) => p.contact },
          { header: '联系电话', value: (p) => p.phone, width: 16 },
          { header: '简介', value: (p) => p.description, width: 48 },
        ],
        items,
      );
    },
  );

  r.post(
    '/api/partners',
    {
      config: { permission: 'partner.write' },
      schema: { tags: ['合作方 partners'], summary: '登记合作方', body: PartnerCreate, response: { 201: PartnerOut } },
    },
    async (req, reply) => reply.code(201).send(await partners.createPartner(ctxOf(req), req.body)),
  );
}
