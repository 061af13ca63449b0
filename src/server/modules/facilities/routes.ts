import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../platform/context.js';
import {
  AvailabilityOut,
  AvailabilityQuery,
  CalendarTokenCreate,
  CalendarTokenOut,
  ClosureCreate,
  ClosureOut,
  EquipmentCreate,
  EquipmentOut,
  EquipmentUpdate,
  FacilityCreate,
  FacilityDetail,
  FacilityQuery,
  FacilitySummary,
  FacilityUpdate,
  Id,
  KitCreate,
  KitOut,
  OpenHourOut,
  OpenHoursPut,
  paginated,
  RotationCreate,
  TermCreate,
  TermOut,
} from './schema.js';
import { FacilityService } from './service.js';
import { CalendarsService } from './calendars.js';
import { EquipmentService } from './equipment.js';
import { BookingService } from './bookings.js';
import { bookingRoutes } from './booking-routes.js';
import { CalendarService, CalendarTokenListOut, CalendarTokenParams } from './ical.js';

const IdParams = z.object({ id: Id });

export async function facilityRoutes(app: App, ctx: AppContext) {
  const facilities = new FacilityService(ctx.database);
  const calendars = new CalendarsService(ctx.database, facilities);
  const equipment = new EquipmentService(ctx.database, facilities);
  const bookings = new BookingService(ctx.database, facilities);
  const calendar = new CalendarService(ctx.database, facilities, ctx.config.publicUrl);
  const r = zapp(app);
  const tags = ['设施 facilities'];
  const btags = ['预约 bookings'];
  await bookingRoutes(app, bookings);

  // ---- inventory ----------------------------------------------------------------------------
  r.get(
    '/api/facilities',
    {
      config: { permission: 'facility.read' },
      schema: {
        tags,
        summary: '设施列表（类型、学科、学校、联盟、距离、指定时段空闲）',
        querystring: FacilityQuery,
        response: { 200: paginated(FacilitySummary) },
      },
    },
    async (req) => facilities.list(ctxOf(req), req.query),
  );

  r.get(
    '/api/facilities/:id',
    {
      config: { permission: 'facility.read' },
      schema: { tags, summary: '设施详情（器材、开放时间、安全规定、闭馆安排）', params: IdParams, response: { 200: FacilityDetail } },
    },
    async (req) => facilities.detail(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/facilities',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '登记设施（本校或合作方场馆）', body: FacilityCreate, response: { 201: FacilityDetail } },
    },
    async (req, reply) => reply.code(201).send(await facilities.create(ctxOf(req), req.body)),
  );

  r.patch(
    '/api/facilities/:id',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '修改设施信息与预约规则', params: IdParams, body: FacilityUpdate, response: { 200: FacilityDetail } },
    },
    async (req) => facilities.update(ctxOf(req), req.params.id, req.body),
  );

  r.put(
    '/api/facilities/:id/open-hours',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '设置每周开放时间', params: IdParams, body: OpenHoursPut, response: { 200: z.array(OpenHourOut) } },
    },
    async (req) => facilities.putOpenHours(ctxOf(req), req.params.id, req.body.hours),
  );

  r.post(
    '/api/facilities/:id/closures',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '设施闭馆（考试/维修/节假日）', params: IdParams, body: ClosureCreate, response: { 201: ClosureOut } },
    },
    async (req, reply) => reply.code(201).send(await calendars.addClosure(ctxOf(req), { facilityId: req.params.id }, req.body)),
  );

  r.post(
    '/api/schools/:id/closures',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '全校闭馆（考试周/节假日）', params: IdParams, body: ClosureCreate, response: { 201: ClosureOut } },
    },
    async (req, reply) => reply.code(201).send(await calendars.addClosure(ctxOf(req), { schoolId: req.params.id }, req.body)),
  );

  r.delete(
    '/api/closures/:id',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '删除闭馆安排', params: IdParams },
    },
    async (req, reply) => {
      await calendars.deleteClosure(ctxOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  r.get(
    '/api/schools/:id/terms',
    {
      config: { permission: 'facility.read' },
      schema: { tags, summary: '学校学期校历', params: IdParams, response: { 200: z.array(TermOut) } },
    },
    async (req) => calendars.terms(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/schools/:id/terms',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '登记学期', params: IdParams, body: TermCreate, response: { 201: TermOut } },
    },
    async (req, reply) => reply.code(201).send(await calendars.addTerm(ctxOf(req), req.params.id, req.body)),
  );

  r.post(
    '/api/facilities/:id/equipment',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '登记仪器设备', params: IdParams, body: EquipmentCreate, response: { 201: EquipmentOut } },
    },
    async (req, reply) => reply.code(201).send(await equipment.addEquipment(ctxOf(req), req.params.id, req.body)),
  );

  r.patch(
    '/api/equipment/:id',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '修改仪器设备（数量、状态）', params: IdParams, body: EquipmentUpdate, response: { 200: EquipmentOut } },
    },
    async (req) => equipment.updateEquipment(ctxOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/alliances/:id/kits',
    {
      config: { permission: 'facility.read' },
      schema: { tags, summary: '流动实验室/移动器材箱及轮转安排', params: IdParams, response: { 200: z.array(KitOut) } },
    },
    async (req) => equipment.kits(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/alliances/:id/kits',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '登记流动实验室/移动器材箱', params: IdParams, body: KitCreate, response: { 201: KitOut } },
    },
    async (req, reply) => reply.code(201).send(await equipment.addKit(ctxOf(req), req.params.id, req.body)),
  );

  r.post(
    '/api/kits/:id/rotations',
    {
      config: { permission: 'facility.manage' },
      schema: { tags, summary: '发布轮转安排', params: IdParams, body: RotationCreate, response: { 201: KitOut } },
    },
    async (req, reply) => reply.code(201).send(await equipment.addRotation(ctxOf(req), req.params.id, req.body)),
  );

  r.get(
    '/api/facilities/:id/availability',
    {
      config: { permission: 'facility.read' },
      schema: { tags, summary: '设施周历：已占用时段、开放时间、闭馆', params: IdParams, querystring: AvailabilityQuery, response: { 200: AvailabilityOut } },
    },
    async (req) => bookings.availability(ctxOf(req), req.params.id, req.query),
  );

  // ---- bookings -----------------------------------------------------------------------------
  r.post(
    '/api/calendar/tokens',
    {
      config: { permission: 'facility.read' },
      schema: { tags: btags, summary: '生成 iCalendar 订阅地址（设施 / 学校 / 教师）', body: CalendarTokenCreate, response: { 201: CalendarTokenOut } },
    },
    async (req, reply) => reply.code(201).send(await calendar.createToken(ctxOf(req), req.body.kind, req.body.id)),
  );

  r.get(
    '/api/calendar/tokens',
    {
      config: { permission: 'signed_in' },
      schema: { tags: btags, summary: '我的 iCalendar 订阅地址（不含私密链接本身）', response: { 200: CalendarTokenListOut } },
    },
    async (req) => calendar.listTokens(ctxOf(req)),
  );

  r.delete(
    '/api/calendar/tokens/:id',
    {
      config: { permission: 'signed_in' },
      schema: { tags: btags, summary: '撤销一个 iCalendar 订阅地址（立即失效）', params: CalendarTokenParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await calendar.revokeToken(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/calendar/feed/:file',
    {
      config: { permission: 'public' },
      schema: {
        tags: btags,
        summary: 'iCalendar 订阅（私密链接）',
        params: z.object({
          file: z
            .string()
            .min(10)
            .max(100)
            .regex(/^[\w-]+\.ics$/),
        }),
      },
    },
    async (req, reply) => {
      const body = await calendar.feed(req.params.file);
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(body);
    },
  );
}
