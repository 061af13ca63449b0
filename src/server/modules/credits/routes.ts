import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { sendXlsx } from '../../platform/excel.js';
import { idempotencyKey } from '../../platform/idempotency.js';
import { Id } from '../org/schools/schema.js';
import { CREDIT_TX_KINDS } from '../../../common/pricing.js';
import {
  AccountList,
  AccountOut,
  AdjustmentInput,
  OverdraftInput,
  AdjustmentOut,
  CreditRulesOut,
  CreditRulesUpdate,
  GrantInput,
  GrantOut,
  StatementOut,
  StatementQuery,
  TransactionOut,
} from './schema.js';
import { CreditService } from './service.js';

export async function creditRoutes(app: App, ctx: AppContext) {
  const svc = new CreditService(ctx.database);
  const r = zapp(app);
  const tags = ['积分 credits'];
  const params = z.object({ id: Id });

  r.get(
    '/api/alliances/:id/credit-rules',
    {
      config: { permission: 'credit.read' },
      schema: { tags, summary: '联盟积分规则（未设置时为默认规则）', params, response: { 200: CreditRulesOut } },
    },
    async (req) => svc.getRules(ctxOf(req), req.params.id),
  );

  r.put(
    '/api/alliances/:id/credit-rules',
    {
      config: { permission: 'credit.manage' },
      schema: { tags, summary: '修改联盟积分规则（可只提交要修改的项）', params, body: CreditRulesUpdate, response: { 200: CreditRulesOut } },
    },
    async (req) => svc.putRules(ctxOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/alliances/:id/credit-grants',
    {
      config: { permission: 'credit.manage' },
      schema: {
        tags,
        summary: '发放积分：起始积分（薄弱校/农村校加发，每校一次）或追加发放；支持 Idempotency-Key',
        params,
        body: GrantInput,
        response: { 200: GrantOut, 201: GrantOut },
      },
    },
    async (req, reply) => {
      const res = await svc.grant(ctxOf(req), req.params.id, req.body, idempotencyKey(req));
      return reply.code(res.status as 201).send(res.body);
    },
  );

  r.post(
    '/api/alliances/:id/credit-adjustments',
    {
      config: { permission: 'credit.manage' },
      schema: { tags, summary: '人工调整积分（须填写原因）；支持 Idempotency-Key', params, body: AdjustmentInput, response: { 201: AdjustmentOut } },
    },
    async (req, reply) => {
      const res = await svc.adjust(ctxOf(req), req.params.id, req.body, idempotencyKey(req));
      return reply.code(res.status as 201).send(res.body);
    },
  );

  r.get(
    '/api/alliances/:id/credit-accounts',
    {
      config: { permission: 'credit.read' },
      schema: { tags, summary: '联盟积分账户与余额（学校管理员只看本校）', params, response: { 200: AccountList } },
    },
    async (req) => svc.accounts(ctxOf(req), req.params.id),
  );

  r.patch(
    '/api/credit/accounts/:id',
    {
      config: { permission: 'credit.manage' },
      schema: { tags, summary: '设置账户透支额度（null 表示按联盟规则）', params, body: OverdraftInput, response: { 200: AccountOut } },
    },
    async (req) => svc.setOverdraft(ctxOf(req), req.params.id, req.body.overdraftLimit),
  );

  r.get(
    '/api/credit/statements',
    {
      config: { permission: 'credit.read' },
      schema: { tags, summary: '积分对账单（含逐笔余额与来源）', querystring: StatementQuery, response: { 200: StatementOut } },
    },
    async (req) => svc.statement(ctxOf(req), req.query),
  );

  r.get(
    '/api/credit/statements.xlsx',
    {
      config: { permission: 'credit.read' },
      schema: { tags, summary: '导出积分对账单 Excel', querystring: StatementQuery },
    },
    async (req, reply) => {
      const st = await svc.statement(ctxOf(req), req.query, 50_000);
      type Line = (typeof st.items)[number] | { opening: true };
      const rows: Line[] = [{ opening: true }, ...st.items];
      const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      return sendXlsx<Line>(
        reply,
        `积分对账单-${st.account.ownerName}-${st.allianceName}.xlsx`,
        '积分对账单',
        [
          { header: '时间', value: (l) => ('opening' in l ? (st.from ?? '') : local(l.at)), width: 20 },
          { header: '类型', value: (l) => ('opening' in l ? '期初余额' : CREDIT_TX_KINDS.label(l.kind)), width: 14 },
          { header: '摘要', value: (l) => ('opening' in l ? '' : (l.memo ?? '')), width: 40 },
          { header: '对方', value: (l) => ('opening' in l ? '' : l.counterparts.map((c) => c.ownerName).join('、')), width: 30 },
          { header: '收入', value: (l) => ('opening' in l ? null : l.amount > 0 ? l.amount : null) },
          { header: '支出', value: (l) => ('opening' in l ? null : l.amount < 0 ? -l.amount : null) },
          { header: '余额', value: (l) => ('opening' in l ? st.opening : l.balance) },
          { header: '交易编号', value: (l) => ('opening' in l ? '' : l.transactionId), width: 24 },
          { header: '来源', value: (l) => ('opening' in l ? '' : `${l.causeType}:${l.causeId}`), width: 30 },
        ],
        rows,
      );
    },
  );

  r.get(
    '/api/credit/transactions/:id',
    {
      config: { permission: 'credit.read' },
      schema: { tags, summary: '积分交易详情（全部分录）', params, response: { 200: TransactionOut } },
    },
    async (req) => svc.transaction(ctxOf(req), req.params.id),
  );
}
