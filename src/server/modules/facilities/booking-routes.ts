import { z } from 'zod';
import { ctxOf, zapp, type App } from '../../platform/context.js';
import { idempotencyKey } from '../../platform/idempotency.js';
import { Line } from '../../platform/input.js';
import {
  BookingCreate,
  BookingCreated,
  BookingDetail,
  BookingListQuery,
  BookingOut,
  BookingPreview,
  DecideBody,
  Id,
  LoanCreate,
  LoanOut,
  paginated,
  PreviewOut,
  RejectBody,
  WaitlistAccept,
  WaitlistCreate,
  WaitlistOut,
} from './schema.js';
import type { BookingService } from './bookings.js';

const IdParams = z.object({ id: Id });
const idemHeader = z.object({ 'idempotency-key': Line(200).optional() }).passthrough();

/** Bookings, the waitlist and equipment loans (SPEC S3.2): the routes of bookings.ts. */
export async function bookingRoutes(app: App, bookings: BookingService) {
  const r = zapp(app);
  const btags = ['预约 bookings'];

  r.post(
    '/api/bookings/preview',
    {
      config: { permission: 'booking.create' },
      schema: { tags: btags, summary: '预约预览：逐次状态与积分报价', body: BookingPreview, response: { 200: PreviewOut } },
    },
    async (req) => bookings.preview(ctxOf(req), req.body),
  );

  r.post(
    '/api/bookings',
    {
      config: { permission: 'booking.create' },
      schema: {
        tags: btags,
        summary: '预约设施（单次或按周重复，支持 Idempotency-Key）',
        headers: idemHeader,
        body: BookingCreate,
        response: { 201: BookingCreated },
      },
    },
    async (req, reply) => {
      const res = await bookings.create(ctxOf(req), req.body, idempotencyKey(req));
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(res.body);
    },
  );

  r.get(
    '/api/bookings',
    {
      config: { permission: 'facility.read' },
      schema: { tags: btags, summary: '预约列表（我的 / 本校 / 某设施）', querystring: BookingListQuery, response: { 200: paginated(BookingOut) } },
    },
    async (req) => bookings.list(ctxOf(req), req.query),
  );

  r.get(
    '/api/bookings/inbox',
    {
      config: { permission: 'booking.decide' },
      schema: { tags: btags, summary: '待审批的预约（设施所属方）', response: { 200: z.object({ items: z.array(BookingOut), total: z.number() }) } },
    },
    async (req) => bookings.inbox(ctxOf(req)),
  );

  r.get(
    '/api/bookings/reminders',
    {
      config: { permission: 'booking.create' },
      schema: { tags: btags, summary: '24 小时内开始的预约提醒', response: { 200: z.object({ items: z.array(BookingOut), total: z.number() }) } },
    },
    async (req) => bookings.reminders(ctxOf(req)),
  );

  r.get(
    '/api/bookings/:id',
    {
      config: { permission: 'facility.read' },
      schema: { tags: btags, summary: '预约详情', params: IdParams, response: { 200: BookingDetail } },
    },
    async (req) => bookings.detail(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/bookings/:id/approve',
    {
      config: { permission: 'booking.decide' },
      schema: { tags: btags, summary: '批准预约（扣除积分）', params: IdParams, response: { 200: BookingDetail } },
    },
    async (req) => bookings.approve(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/bookings/:id/reject',
    {
      config: { permission: 'booking.decide' },
      schema: { tags: btags, summary: '拒绝预约（须填写理由）', params: IdParams, body: RejectBody, response: { 200: BookingDetail } },
    },
    async (req) => bookings.reject(ctxOf(req), req.params.id, req.body.reason),
  );

  r.post(
    '/api/bookings/:id/cancel',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: btags,
        summary: '取消预约（预约人或所属方；按时限退还积分，支持 Idempotency-Key）',
        params: IdParams,
        headers: idemHeader,
        body: DecideBody.nullish(),
        response: { 200: BookingDetail.extend({ refund: z.number(), timely: z.boolean() }) },
      },
    },
    async (req) => bookings.cancel(ctxOf(req), req.params.id, req.body?.reason, idempotencyKey(req)),
  );

  r.post(
    '/api/bookings/:id/check-in',
    {
      config: { permission: 'booking.decide' },
      schema: { tags: btags, summary: '签到', params: IdParams, response: { 200: BookingDetail } },
    },
    async (req) => bookings.checkIn(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/bookings/:id/no-show',
    {
      config: { permission: 'booking.decide' },
      schema: { tags: btags, summary: '登记未到场（按联盟规则扣罚）', params: IdParams, response: { 200: BookingDetail } },
    },
    async (req) => bookings.noShow(ctxOf(req), req.params.id),
  );

  // ---- waitlist & loans ---------------------------------------------------------------------
  r.post(
    '/api/waitlist',
    {
      config: { permission: 'booking.create' },
      schema: { tags: btags, summary: '候补排队', body: WaitlistCreate, response: { 201: WaitlistOut } },
    },
    async (req, reply) => reply.code(201).send(await bookings.joinWaitlist(ctxOf(req), req.body)),
  );

  r.get(
    '/api/waitlist',
    {
      config: { permission: 'booking.create' },
      schema: { tags: btags, summary: '我的候补', response: { 200: z.object({ items: z.array(WaitlistOut), total: z.number() }) } },
    },
    async (req) => bookings.myWaitlist(ctxOf(req)),
  );

  r.post(
    '/api/waitlist/:id/accept',
    {
      config: { permission: 'booking.create' },
      schema: { tags: btags, summary: '接受空档并预约', params: IdParams, body: WaitlistAccept, response: { 201: BookingCreated } },
    },
    async (req, reply) => reply.code(201).send(await bookings.acceptOffer(ctxOf(req), req.params.id, req.body.acceptTerms)),
  );

  r.post(
    '/api/waitlist/:id/withdraw',
    {
      config: { permission: 'booking.create' },
      schema: { tags: btags, summary: '撤回候补', params: IdParams, response: { 200: WaitlistOut } },
    },
    async (req) => bookings.withdrawWaitlist(ctxOf(req), req.params.id),
  );

  r.post(
    '/api/equipment/:id/loans',
    {
      config: { permission: 'booking.create' },
      schema: { tags: btags, summary: '借用器材（可外借的器材）', params: IdParams, body: LoanCreate, response: { 201: LoanOut } },
    },
    async (req, reply) => reply.code(201).send(await bookings.lend(ctxOf(req), req.params.id, req.body)),
  );

  r.post(
    '/api/loans/:id/return',
    {
      config: { permission: 'booking.decide' },
      schema: { tags: btags, summary: '器材归还（所属方登记）', params: IdParams, response: { 200: LoanOut } },
    },
    async (req) => bookings.endLoan(ctxOf(req), req.params.id, 'return'),
  );

  r.post(
    '/api/loans/:id/cancel',
    {
      config: { permission: 'signed_in' },
      schema: { tags: btags, summary: '取消器材借用', params: IdParams, response: { 200: LoanOut } },
    },
    async (req) => bookings.endLoan(ctxOf(req), req.params.id, 'cancel'),
  );

  // ---- iCalendar ----------------------------------------------------------------------------
}
