import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../../platform/context.js';
import { EXPORT_LIMIT, sendXlsx } from '../../../platform/excel.js';
import { APPLICATION_STATUS } from '../../../../common/vocab.js';
import { Id, paginated } from '../schools/schema.js';
import { ApplicationCreate, ApplicationOut, ApplicationQuery, DecisionBody, ExitBody, MemberOut } from './schema.js';
import { MembershipService, type Step } from './service.js';

export async function membershipRoutes(app: App, ctx: AppContext) {
  const svc = new MembershipService(ctx.database);
  const r = zapp(app);
  const tags = ['入盟与退出 memberships'];
  const byId = z.object({ id: Id });

  r.get(
    '/api/applications',
    {
      config: { permission: 'application.read' },
      schema: { tags, summary: '入盟申请列表', querystring: ApplicationQuery, response: { 200: paginated(ApplicationOut) } },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  r.get(
    '/api/applications/export.xlsx',
    {
      config: { permission: 'application.read' },
      schema: { tags, summary: '导出入盟申请 Excel', querystring: ApplicationQuery.omit({ page: true, pageSize: true }) },
    },
    async (req, reply) => {
      const { items } = await svc.list(ctxOf(req), { ...req.query, page: 1, pageSize: EXPORT_LIMIT });
      const STEP: Record<string, string> = {
        submit: '提交申请',
        evaluate: '联盟评估',
        recommend: '理事会推荐',
        approve: '教育局审批',
        reject: '未通过',
        withdraw: '撤回',
      };
      return sendXlsx(
        reply,
        '入盟申请.xlsx',
        '入盟申请',
        [
          { header: '申请学校', value: (a) => a.schoolName, width: 28 },
          { header: '申请加入', value: (a) => a.allianceName, width: 28 },
          { header: '状态', value: (a) => APPLICATION_STATUS.label(a.status) },
          { header: '申请理由', value: (a) => a.reason, width: 40 },
          { header: '提交时间(UTC)', value: (a) => a.createdAt, width: 26 },
          { header: '最近更新(UTC)', value: (a) => a.updatedAt, width: 26 },
          {
            header: '审批记录',
            value: (a) =>
              a.decisions.map((d) => `${STEP[d.step] ?? d.step}（${d.actorName ?? ''}，${d.at.slice(0, 10)}）${d.comment ? `：${d.comment}` : ''}`).join('\n'),
            width: 60,
          },
        ],
        items,
      );
    },
  );

  r.get(
    '/api/applications/:id',
    {
      config: { permission: 'application.read' },
      schema: { tags, summary: '入盟申请详情（含审批记录）', params: byId, response: { 200: ApplicationOut } },
    },
    async (req) => svc.get(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/applications',
    {
      config: { permission: 'application.create' },
      schema: { tags, summary: '学校申请加入联盟', body: ApplicationCreate, response: { 201: ApplicationOut } },
    },
    async (req, reply) => reply.code(201).send(await svc.apply(ctxOf(req), req.body)),
  );

  const steps: { path: string; step: Step; summary: string }[] = [
    { path: 'evaluate', step: 'evaluate', summary: '联盟评估（秘书处）' },
    { path: 'recommend', step: 'recommend', summary: '理事会推荐' },
    { path: 'approve', step: 'approve', summary: '教育局审批（pass 批准 / fail 驳回）' },
  ];
  for (const s of steps) {
    r.post(
      `/api/applications/:id/${s.path}`,
      {
        config: { permission: 'application.decide' },
        schema: { tags, summary: s.summary, params: byId, body: DecisionBody, response: { 200: ApplicationOut } },
      },
      async (req) => svc.decide(ctxOf(req), req.params.id, s.step, req.body.decision, req.body.comment ?? null),
    );
  }

  r.post(
    '/api/applications/:id/withdraw',
    {
      config: { permission: 'application.create' },
      schema: { tags, summary: '申请校撤回申请', params: byId, response: { 200: ApplicationOut } },
    },
    async (req) => svc.decide(ctxOf(req), req.params.id, 'withdraw', 'pass', null),
  );

  r.post(
    '/api/alliances/:id/members/:schoolId/exit',
    {
      config: { permission: 'alliance.manage' },
      schema: { tags, summary: '成员校退出（须说明原因）', params: z.object({ id: Id, schoolId: Id }), body: ExitBody, response: { 200: MemberOut } },
    },
    async (req) => svc.exit(ctxOf(req), req.params.id, req.params.schoolId, req.body.reason),
  );
}
