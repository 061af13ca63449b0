import { z } from 'zod';
import type { Db } from '../../db/index.js';
import { fromJson } from '../../db/index.js';
import { actorOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { EXPORT_LIMIT, sendXlsx } from '../../platform/excel.js';
import type { Actor } from '../../platform/actor.js';
import { localMidnightIso, nextLocalMidnightIso } from '../../../common/time.js';
import { rangeCheck } from '../../platform/input.js';
import { DateStr, Id, Line, Page, paginated } from '../org/schools/schema.js';

const AuditFilter = {
  action: Line(60).optional(),
  entityType: Line(30).optional(),
  entityId: Id.optional(),
  actorId: Id.optional(),
  from: DateStr.optional(),
  to: DateStr.optional(),
};
const AuditQuery = z.strictObject({ ...AuditFilter, ...Page }).superRefine(rangeCheck('from', 'to'));
const AuditExportQuery = z.strictObject(AuditFilter).superRefine(rangeCheck('from', 'to'));
const AuditOut = z.object({
  id: z.number(),
  at: z.string(),
  actorName: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

/** Dates are the installation's calendar days (common/time.ts); instants are stored in UTC. */
const dayStartUtc = localMidnightIso;

function query(db: Db, actor: Actor, q: Omit<z.infer<typeof AuditQuery>, 'page' | 'pageSize'>) {
  let qb = db.selectFrom('audit_log');
  if (!actor.isPlatformAdmin) qb = qb.where('region_id', 'in', actor.bureauRegions.size ? [...actor.bureauRegions] : ['-']);
  if (q.action) qb = qb.where('action', '=', q.action);
  if (q.entityType) qb = qb.where('entity_type', '=', q.entityType);
  if (q.entityId) qb = qb.where('entity_id', '=', q.entityId);
  if (q.actorId) qb = qb.where('actor_id', '=', q.actorId);
  if (q.from) qb = qb.where('at', '>=', dayStartUtc(q.from));
  if (q.to) qb = qb.where('at', '<', nextLocalMidnightIso(q.to));
  return qb;
}

export async function auditRoutes(app: App, ctx: AppContext) {
  const r = zapp(app);
  const { db } = ctx.database;
  const tags = ['审计 audit'];
  const toOut = (x: {
    id: number;
    at: string;
    actor_name: string | null;
    ip: string | null;
    action: string;
    entity_type: string;
    entity_id: string | null;
    detail: string;
  }) => ({
    id: Number(x.id),
    at: x.at,
    actorName: x.actor_name,
    ip: x.ip,
    action: x.action,
    entityType: x.entity_type,
    entityId: x.entity_id,
    detail: fromJson<Record<string, unknown>>(x.detail, {}),
  });

  r.get(
    '/api/audit',
    {
      config: { permission: 'audit.read' },
      schema: { tags, summary: '审计日志（谁、何时、从何处、做了什么）', querystring: AuditQuery, response: { 200: paginated(AuditOut) } },
    },
    async (req) => {
      const qb = query(db, actorOf(req), req.query);
      const { total } = await qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await qb
        .selectAll()
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(req.query.pageSize)
        .offset((req.query.page - 1) * req.query.pageSize)
        .execute();
      return { items: rows.map(toOut), total: Number(total), page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  r.get(
    '/api/audit/export.xlsx',
    {
      config: { permission: 'audit.read' },
      schema: { tags, summary: '导出审计日志 Excel', querystring: AuditExportQuery },
    },
    async (req, reply) => {
      const rows = await query(db, actorOf(req), req.query).selectAll().orderBy('at', 'desc').limit(EXPORT_LIMIT).execute();
      return sendXlsx(
        reply,
        '审计日志.xlsx',
        '审计日志',
        [
          { header: '时间(UTC)', value: (x) => x.at, width: 26 },
          { header: '操作人', value: (x) => x.actor_name },
          { header: 'IP', value: (x) => x.ip },
          { header: '操作', value: (x) => x.action, width: 24 },
          { header: '对象类型', value: (x) => x.entity_type },
          { header: '对象ID', value: (x) => x.entity_id, width: 24 },
          { header: '详情', value: (x) => x.detail, width: 60 },
        ],
        rows,
      );
    },
  );
}
