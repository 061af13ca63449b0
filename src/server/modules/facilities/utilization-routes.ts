/**
 * Utilization API (SPEC S3.4): per alliance (its member schools' facilities and its partners' venues)
 * and per school. Loads rows, then `computeUtilization` does the maths.
 *
 * Who sees it: the platform admin, the bureau and evaluators of the region, the alliance's secretariat,
 * and staff (school admins, teachers, reviewers, partners) of the alliance — for a school: its own
 * staff and the secretariats of the alliances it belongs to. Students and guardians do not.
 */
import { z } from 'zod';
import type { Database, Db } from '../../db/index.js';
import { ctxOf, zapp, type App, type AppContext, type Ctx } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { DateStr, Id, rangeCheck } from '../../platform/input.js';
import type { BookingStatus } from '../../../common/facilities.js';
import { localDate } from '../../../common/time.js';
import { directoryOf, type OrgSnapshot } from '../org/directory.js';
import { canSeeAllianceUtilization, canSeeSchoolUtilization } from './policy.js';
import { addDaysStr, computeUtilization, localDayStart, type UtilBooking, type UtilFacility } from './utilization.js';

export { canSeeAllianceUtilization, canSeeSchoolUtilization } from './policy.js';

/** statuses that held the facility (booked) and that were used */
const BOOKED: BookingStatus[] = ['accepted', 'checked_in', 'no_show'];
const USED = new Set<BookingStatus>(['checked_in']);
/** the longest range a report covers (a school year and then some); see also MAX_SPAN_DAYS in utilization.ts */
export const MAX_DAYS = 400;

const Query = z
  .strictObject({ from: DateStr.optional(), to: DateStr.optional(), by: z.enum(['week', 'term']).default('week') })
  .superRefine(rangeCheck('from', 'to', MAX_DAYS));

const HoursOut = {
  openHours: z.number(),
  bookedHours: z.number(),
  usedHours: z.number(),
  bookedRate: z.number().nullable(),
  usedRate: z.number().nullable(),
};
const Hours = z.object(HoursOut);
const Group = z.object({
  key: z.string(),
  name: z.string().nullable(),
  ...HoursOut,
  facilities: z.number(),
  idleFacilities: z.number(),
  series: z.array(Hours),
});
const Report = z.object({
  scope: z.object({ kind: z.enum(['alliance', 'school']), id: z.string(), name: z.string() }),
  from: z.string(),
  to: z.string(),
  by: z.enum(['week', 'term']),
  periods: z.array(z.object({ key: z.string(), label: z.string(), from: z.string(), to: z.string() })),
  total: z.object({ ...HoursOut, facilities: z.number(), idleFacilities: z.number(), series: z.array(Hours) }),
  facilities: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      type: z.string(),
      schoolId: z.string().nullable(),
      schoolName: z.string().nullable(),
      ...HoursOut,
      idle: z.boolean(),
      series: z.array(Hours),
    }),
  ),
  schools: z.array(Group),
  types: z.array(Group),
  idleThreshold: z.number(),
  goal: z.object({ baseline: z.number(), target: z.number(), reached: z.boolean() }),
});

/** The range asked for, or the last 12 weeks up to today (local). */
function range(ctx: Ctx, q: { from?: string; to?: string }): { from: string; to: string } {
  const to = q.to ?? localDate(ctx.now);
  const from = q.from ?? addDaysStr(to, -83);
  // one side left out: the schema could not compare them
  if (from > to) throw badRequest([{ field: q.to ? 'query.to' : 'query.from', code: 'before_from' }]);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days > MAX_DAYS) throw badRequest([{ field: q.to ? 'query.from' : 'query.to', code: 'range_too_long', params: { max: MAX_DAYS } }]);
  return { from, to };
}

async function load(db: Db, org: OrgSnapshot, where: { schoolIds: string[]; partnerIds: string[] }, from: string, to: string) {
  const { schoolIds, partnerIds } = where;
  if (schoolIds.length === 0 && partnerIds.length === 0) return { facilities: [] as UtilFacility[], bookings: [] as UtilBooking[] };
  const rows = await db
    .selectFrom('facilities as f')
    .select(['f.id', 'f.name', 'f.type', 'f.school_id', 'f.partner_id'])
    .where('f.status', '!=', 'retired')
    .where((eb) => {
      const ors = [];
      if (schoolIds.length) ors.push(eb('f.school_id', 'in', schoolIds));
      if (partnerIds.length) ors.push(eb('f.partner_id', 'in', partnerIds));
      return eb.or(ors);
    })
    .orderBy('f.id')
    .execute();
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return { facilities: [], bookings: [] };
  const lo = localDayStart(from);
  const hi = localDayStart(addDaysStr(to, 1));
  const [hours, closures, bookings] = await Promise.all([
    db.selectFrom('facility_open_hours').select(['facility_id', 'weekday', 'open', 'close']).where('facility_id', 'in', ids).execute(),
    db
      .selectFrom('closures')
      .select(['facility_id', 'school_id', 'start_date', 'end_date'])
      .where((eb) => eb.or([eb('facility_id', 'in', ids), ...(schoolIds.length ? [eb('school_id', 'in', schoolIds)] : [])]))
      .where('start_date', '<=', to)
      .where('end_date', '>=', from)
      .execute(),
    db
      .selectFrom('bookings')
      .select(['facility_id', 'start_ms', 'end_ms', 'status'])
      .where('facility_id', 'in', ids)
      .where('status', 'in', BOOKED)
      .where('start_ms', '<', hi)
      .where('end_ms', '>', lo)
      .execute(),
  ]);
  const facilities: UtilFacility[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    schoolId: r.school_id ?? (r.partner_id ? `partner:${r.partner_id}` : null),
    schoolName: (r.school_id ? org.school(r.school_id)?.name : undefined) ?? (r.partner_id ? org.partner(r.partner_id)?.name : undefined) ?? null,
    windows: hours.filter((h) => h.facility_id === r.id).map((h) => ({ weekday: Number(h.weekday), start: h.open, end: h.close })),
    closures: closures
      .filter((c) => c.facility_id === r.id || (c.facility_id == null && c.school_id != null && c.school_id === r.school_id))
      .map((c) => ({ startMs: localDayStart(c.start_date), endMs: localDayStart(addDaysStr(c.end_date, 1)) })),
  }));
  return {
    facilities,
    bookings: bookings.map((b) => ({ facilityId: b.facility_id, startMs: Number(b.start_ms), endMs: Number(b.end_ms), used: USED.has(b.status) })),
  };
}

async function termsOf(db: Db, schoolId: string | null, from: string, to: string) {
  if (!schoolId) return [];
  const rows = await db
    .selectFrom('school_terms')
    .select(['name', 'start_date', 'end_date'])
    .where('school_id', '=', schoolId)
    .where('start_date', '<=', to)
    .where('end_date', '>=', from)
    .orderBy('start_date')
    .execute();
  return rows.map((r) => ({ name: r.name, from: r.start_date, to: r.end_date }));
}

/** The utilization reports: per alliance (its member schools' facilities and partners' venues) and per school. */
export class UtilizationService {
  constructor(private readonly database: Database) {}

  async alliance(ctx: Ctx, allianceId: string, q: { from?: string; to?: string; by: 'week' | 'term' }) {
    const db = this.database.db;
    const org = await directoryOf(this.database).current();
    const al = org.alliance(allianceId);
    if (!al || !canSeeAllianceUtilization(ctx.actor, al)) throw notFound('alliance');
    const { from, to } = range(ctx, q);
    const data = await load(db, org, { schoolIds: org.schoolsOf(al.id), partnerIds: [...org.partnersOf(al.id)] }, from, to);
    const terms = q.by === 'term' ? await termsOf(db, al.coreSchoolId, from, to) : undefined;
    const report = computeUtilization({ from, to, by: q.by, terms, ...data });
    return { scope: { kind: 'alliance' as const, id: al.id, name: al.name }, ...report };
  }

  async school(ctx: Ctx, schoolId: string, q: { from?: string; to?: string; by: 'week' | 'term' }) {
    const db = this.database.db;
    const org = await directoryOf(this.database).current();
    const s = org.school(schoolId);
    if (!s) throw notFound('school');
    if (!canSeeSchoolUtilization(ctx.actor, s, org.alliancesOfSchool(s.id))) throw notFound('school');
    const { from, to } = range(ctx, q);
    const data = await load(db, org, { schoolIds: [s.id], partnerIds: [] }, from, to);
    const terms = q.by === 'term' ? await termsOf(db, s.id, from, to) : undefined;
    const report = computeUtilization({ from, to, by: q.by, terms, ...data });
    return { scope: { kind: 'school' as const, id: s.id, name: s.name }, ...report };
  }
}

export async function utilizationRoutes(app: App, ctx: AppContext) {
  const r = zapp(app);
  const utilization = new UtilizationService(ctx.database);
  const tags = ['设施利用率 utilization'];

  r.get(
    '/api/alliances/:id/utilization',
    {
      config: { permission: 'facility.read' },
      schema: {
        tags,
        summary: '联盟设施利用率（按周/学期；含闲置设施标记与 35%→70% 目标）',
        params: z.object({ id: Id }),
        querystring: Query,
        response: { 200: Report },
      },
    },
    async (req) => utilization.alliance(ctxOf(req), req.params.id, req.query),
  );

  r.get(
    '/api/schools/:id/utilization',
    {
      config: { permission: 'facility.read' },
      schema: {
        tags,
        summary: '学校设施利用率（按周/学期）',
        params: z.object({ id: Id }),
        querystring: Query,
        response: { 200: Report },
      },
    },
    async (req) => utilization.school(ctxOf(req), req.params.id, req.query),
  );
}
