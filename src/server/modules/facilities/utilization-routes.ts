/**
 * Utilization API (SPEC S3.4): per alliance (its member schools' facilities and its partners' venues)
 * and per school. Loads rows, then `computeUtilization` does the maths.
 *
 * Who sees it: the platform admin, the bureau and evaluators of the region, the alliance's secretariat,
 * and staff (school admins, teachers, reviewers, partners) of the alliance — for a school: its own
 * staff and the secretariats of the alliances it belongs to. Students and guardians do not.
 */
import { z } from 'zod';
import type { Db } from '../../db/index.js';
import { actorOf, zapp, type App, type AppContext } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { DateStr, Id, rangeCheck } from '../../platform/input.js';
import type { Actor } from '../../platform/policy.js';
import { todayIn } from '../../../common/time.js';
import { addDaysStr, computeUtilization, localDayStart, type UtilBooking, type UtilFacility } from './utilization.js';

/** statuses that held the facility (booked) and that were used */
const BOOKED = ['accepted', 'checked_in', 'no_show'];
const USED = new Set(['checked_in']);
/** the longest range a report covers (a school year and then some); see also MAX_SPAN_DAYS in utilization.ts */
export const MAX_DAYS = 400;
const STAFF_ROLES = new Set(['school_admin', 'teacher', 'reviewer', 'partner', 'alliance_admin']);

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

const isStaff = (a: Actor) => a.grants.some((g) => STAFF_ROLES.has(g.role));

export function canSeeAllianceUtilization(a: Actor, al: { id: string; region_id: string }): boolean {
  return a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.adminAlliances.has(al.id) || (a.memberAlliances.has(al.id) && isStaff(a));
}

export function canSeeSchoolUtilization(a: Actor, s: { id: string; region_id: string }, schoolAlliances: string[]): boolean {
  return (
    a.isPlatformAdmin ||
    a.readRegions.has(s.region_id) ||
    a.adminSchools.has(s.id) ||
    (a.schools.has(s.id) && isStaff(a)) ||
    schoolAlliances.some((id) => a.adminAlliances.has(id))
  );
}

/** The range asked for, or the last 12 weeks up to today (Asia/Shanghai). */
function range(q: { from?: string; to?: string }): { from: string; to: string } {
  const to = q.to ?? todayIn();
  const from = q.from ?? addDaysStr(to, -83);
  // one side left out: the schema could not compare them
  if (from > to) throw badRequest([{ field: q.to ? 'query.to' : 'query.from', code: 'before_from' }]);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days > MAX_DAYS) throw badRequest([{ field: q.to ? 'query.from' : 'query.to', code: 'range_too_long', params: { max: MAX_DAYS } }]);
  return { from, to };
}

async function load(db: Db, where: { schoolIds: string[]; partnerIds: string[] }, from: string, to: string) {
  const { schoolIds, partnerIds } = where;
  if (schoolIds.length === 0 && partnerIds.length === 0) return { facilities: [] as UtilFacility[], bookings: [] as UtilBooking[] };
  const rows = await db
    .selectFrom('facilities as f')
    .leftJoin('schools as s', 's.id', 'f.school_id')
    .leftJoin('partners as p', 'p.id', 'f.partner_id')
    .select(['f.id', 'f.name', 'f.type', 'f.school_id', 'f.partner_id', 's.name as school_name', 'p.name as partner_name'])
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
    schoolName: r.school_name ?? r.partner_name ?? null,
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

export async function utilizationRoutes(app: App, ctx: AppContext) {
  const r = zapp(app);
  const db = ctx.database.db;
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
    async (req) => {
      const actor = actorOf(req);
      const al = await db.selectFrom('alliances').select(['id', 'region_id', 'name', 'core_school_id']).where('id', '=', req.params.id).executeTakeFirst();
      if (!al || !canSeeAllianceUtilization(actor, al)) throw notFound('alliance');
      const { from, to } = range(req.query);
      const [members, partners] = await Promise.all([
        db.selectFrom('alliance_members').select('school_id').where('alliance_id', '=', al.id).where('status', '=', 'active').execute(),
        db.selectFrom('alliance_partners').select('partner_id').where('alliance_id', '=', al.id).execute(),
      ]);
      const data = await load(db, { schoolIds: members.map((m) => m.school_id), partnerIds: partners.map((p) => p.partner_id) }, from, to);
      const terms = req.query.by === 'term' ? await termsOf(db, al.core_school_id, from, to) : undefined;
      const report = computeUtilization({ from, to, by: req.query.by, terms, ...data });
      return { scope: { kind: 'alliance' as const, id: al.id, name: al.name }, ...report };
    },
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
    async (req) => {
      const actor = actorOf(req);
      const s = await db.selectFrom('schools').select(['id', 'region_id', 'name']).where('id', '=', req.params.id).executeTakeFirst();
      if (!s) throw notFound('school');
      const alliances = (
        await db.selectFrom('alliance_members').select('alliance_id').where('school_id', '=', s.id).where('status', '=', 'active').execute()
      ).map((x) => x.alliance_id);
      if (!canSeeSchoolUtilization(actor, s, alliances)) throw notFound('school');
      const { from, to } = range(req.query);
      const data = await load(db, { schoolIds: [s.id], partnerIds: [] }, from, to);
      const terms = req.query.by === 'term' ? await termsOf(db, s.id, from, to) : undefined;
      const report = computeUtilization({ from, to, by: req.query.by, terms, ...data });
      return { scope: { kind: 'school' as const, id: s.id, name: s.name }, ...report };
    },
  );
}
