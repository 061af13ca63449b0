import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { EXPORT_LIMIT, sendXlsx } from '../../platform/excel.js';
import { ROLES } from '../../../common/vocab.js';
import { Id, paginated } from '../org/schools/schema.js';
import { UserService } from './service.js';
import { GrantCreate, UserCreate, UserQuery, UserUpdate } from './schema.js';

const UserOut = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  schoolId: z.string().nullable(),
  schoolName: z.string().nullable(),
  regionId: z.string().nullable(),
  partnerId: z.string().nullable(),
  partnerName: z.string().nullable(),
  status: z.string(),
  lastLoginAt: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  grants: z.array(
    z.object({ id: z.string(), role: z.enum(ROLES.codes), scopeType: z.string(), scopeId: z.string().nullable(), subject: z.string().nullable() }),
  ),
});

export async function userRoutes(app: App, ctx: AppContext) {
  const svc = new UserService(ctx.database);
  const r = zapp(app);
  const tags = ['用户与授权 users'];
  const byId = z.object({ id: Id });

  r.get(
    '/api/users',
    {
      config: { permission: 'user.read' },
      schema: { tags, summary: '用户列表（按管理范围）', querystring: UserQuery, response: { 200: paginated(UserOut) } },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  r.get(
    '/api/users/export.xlsx',
    {
      config: { permission: 'user.read' },
      schema: { tags, summary: '导出用户 Excel', querystring: UserQuery.omit({ page: true, pageSize: true }) },
    },
    async (req, reply) => {
      const { items } = await svc.list(ctxOf(req), { ...req.query, page: 1, pageSize: EXPORT_LIMIT });
      return sendXlsx(
        reply,
        '用户.xlsx',
        '用户',
        [
          { header: '用户名', value: (u) => u.username },
          { header: '姓名', value: (u) => u.displayName },
          { header: '学校', value: (u) => u.schoolName, width: 28 },
          { header: '角色', value: (u) => u.grants.map((g) => ROLES.label(g.role)).join('、'), width: 28 },
          { header: '状态', value: (u) => (u.status === 'active' ? '正常' : '停用') },
          { header: '最近登录(UTC)', value: (u) => u.lastLoginAt, width: 26 },
        ],
        items,
      );
    },
  );

  r.post(
    '/api/users',
    {
      config: { permission: 'user.write' },
      schema: {
        tags,
        summary: '新建用户（返回一次性初始密码，首次登录须修改）',
        body: UserCreate,
        response: { 201: z.object({ user: UserOut, initialPassword: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.create(ctxOf(req), req.body)),
  );

  r.patch(
    '/api/users/:id',
    {
      config: { permission: 'user.write' },
      schema: { tags, summary: '修改用户（姓名、停用）', params: byId, body: UserUpdate, response: { 200: UserOut } },
    },
    async (req) => svc.update(ctxOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/users/:id/reset-password',
    {
      config: { permission: 'user.write' },
      schema: { tags, summary: '重置为初始密码', params: byId, response: { 200: z.object({ initialPassword: z.string() }) } },
    },
    async (req) => svc.resetPassword(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/users/:id/grants',
    {
      config: { permission: 'user.write' },
      schema: { tags, summary: '授予角色（按区域/联盟/学校范围）', params: byId, body: GrantCreate, response: { 200: UserOut } },
    },
    async (req) => svc.grant(ctxOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/grants/:id',
    {
      config: { permission: 'user.write' },
      schema: { tags, summary: '撤销角色', params: byId, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await svc.revoke(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
