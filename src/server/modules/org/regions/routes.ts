import { z } from 'zod';
import { ctxOf, zapp, type App, type AppContext } from '../../../platform/context.js';
import { notFound } from '../../../platform/errors.js';
import { directoryOf } from '../directory.js';
import { orgPolicy } from '../policy.js';
import { Id } from '../schools/schema.js';
import { computeIndicators, reassessment } from '../../../../common/org.js';
import { summarize } from '../../../../common/stats.js';
import { todayIn } from '../../../../common/time.js';
import { OPEN_APPLICATION_STATUSES, RESOURCE_INDICATORS } from '../../../../common/vocab.js';
import { RegionCreate, RegionOut, RegionUpdate } from './schema.js';
import { RegionService, refOut } from './service.js';

const Overview = z.object({
  region: RegionOut.omit({ schoolCount: true, allianceCount: true }),
  totals: z.object({ schools: z.number(), students: z.number(), teachers: z.number(), alliances: z.number(), pendingApplications: z.number() }),
  byType: z.array(z.object({ type: z.string(), count: z.number() })),
  byLocation: z.array(z.object({ location: z.string(), count: z.number() })),
  alliancesByKind: z.array(z.object({ kind: z.string(), count: z.number() })),
  equity: z.array(
    z.object({
      indicator: z.string(),
      year: z.number().nullable(),
      count: z.number(),
      mean: z.number().nullable(),
      sd: z.number().nullable(),
      cv: z.number().nullable(),
      min: z.number().nullable(),
      max: z.number().nullable(),
    }),
  ),
  reassessmentDue: z.array(z.object({ allianceId: z.string(), name: z.string(), lastAssessedOn: z.string().nullable(), dueOn: z.string(), weak: z.boolean() })),
});

export async function regionRoutes(app: App, ctx: AppContext) {
  const r = zapp(app);
  const { db } = ctx.database;
  const tags = ['区域 regions'];
  const svc = new RegionService(ctx.database);

  r.get(
    '/api/regions',
    {
      config: { permission: 'signed_in' },
      schema: { tags, summary: '可见的行政区域（含学校数、联盟数）', response: { 200: z.object({ items: z.array(RegionOut) }) } },
    },
    async (req) => ({ items: await svc.list(ctxOf(req)) }),
  );

  r.get(
    '/api/regions/:id/overview',
    {
      config: { permission: 'region.overview' },
      schema: {
        tags,
        summary: '区域概览：学校、联盟、资源均衡（差异系数）与待复评联盟',
        params: z.object({ id: Id }),
        querystring: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: Overview },
      },
    },
    async (req) => {
      const { actor } = ctxOf(req);
      const org = await directoryOf(ctx.database).current();
      const region = org.region(req.params.id);
      if (!region || !orgPolicy.readRegion(actor, region.id)) throw notFound('region');
      const ids = [...org.regionsUnder([region.id])];
      const schools = await db.selectFrom('schools').select(['id', 'type', 'location', 'students', 'teachers']).where('region_id', 'in', ids).execute();
      const alliances = await db
        .selectFrom('alliances as a')
        .selectAll('a')
        .select((eb) =>
          eb
            .selectFrom('assessments as s')
            .select('s.result')
            .whereRef('s.alliance_id', '=', 'a.id')
            .orderBy('s.assessed_on', 'desc')
            .orderBy('s.created_at', 'desc')
            .orderBy('s.id', 'desc')
            .limit(1)
            .as('last_result'),
        )
        .where('a.region_id', 'in', ids)
        .where('a.status', '=', 'active')
        .execute();
      const pending = await db
        .selectFrom('membership_applications as p')
        .innerJoin('alliances as a', 'a.id', 'p.alliance_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('a.region_id', 'in', ids)
        .where('p.status', 'in', OPEN_APPLICATION_STATUSES)
        .executeTakeFirstOrThrow();
      const count = <K extends string>(xs: { [k in K]: string }[], key: K) => {
        const m = new Map<string, number>();
        for (const x of xs) m.set(x[key], (m.get(x[key]) ?? 0) + 1);
        return [...m.entries()].map(([k, n]) => ({ k, n })).sort((a, b) => b.n - a.n);
      };
      // equity over compulsory-education schools (小学, 初中, 九年一贯制), latest year with data
      const latest = await db
        .selectFrom('school_indicators as i')
        .innerJoin('schools as s', 's.id', 'i.school_id')
        .select((eb) => eb.fn.max('i.year').as('y'))
        .where('s.region_id', 'in', ids)
        .executeTakeFirst();
      const year = req.query.year ?? (latest?.y as number | null) ?? null;
      const rows = year
        ? await db
            .selectFrom('school_indicators as i')
            .innerJoin('schools as s', 's.id', 'i.school_id')
            .selectAll('i')
            .where('s.region_id', 'in', ids)
            .where('i.year', '=', year)
            .where('s.type', 'in', ['primary', 'junior', 'nine_year'])
            .execute()
        : [];
      const computed = rows.map((x) => ({
        students: x.students,
        v: computeIndicators({
          students: x.students,
          teachersAboveDegree: x.teachers_above_degree,
          keyTeachers: x.key_teachers,
          peArtTeachers: x.pe_art_teachers,
          teachingAreaM2: x.teaching_area_m2,
          sportsAreaM2: x.sports_area_m2,
          equipmentValueYuan: x.equipment_value_yuan,
          multimediaRooms: x.multimedia_rooms,
        }),
      }));
      const equity = RESOURCE_INDICATORS.codes.map((code) => {
        const pts = computed.filter((c) => c.v[code] != null);
        const s = summarize(
          pts.map((p) => p.v[code] as number),
          pts.map((p) => p.students),
        );
        return { indicator: code, year, ...s };
      });
      const today = todayIn();
      return {
        region: refOut(region, 0, 0),
        totals: {
          schools: schools.length,
          students: schools.reduce((a, s) => a + s.students, 0),
          teachers: schools.reduce((a, s) => a + s.teachers, 0),
          alliances: alliances.length,
          pendingApplications: Number(pending.n),
        },
        byType: count(schools, 'type').map((x) => ({ type: x.k, count: x.n })),
        byLocation: count(schools, 'location').map((x) => ({ location: x.k, count: x.n })),
        alliancesByKind: count(alliances, 'kind').map((x) => ({ kind: x.k, count: x.n })),
        equity,
        reassessmentDue: alliances
          .map((a) => ({ a, re: reassessment(a.founded_on, a.last_assessed_on, a.last_result ?? null, today) }))
          .filter((x) => x.re.overdue || x.re.weak)
          .map((x) => ({ allianceId: x.a.id, name: x.a.name, lastAssessedOn: x.re.lastAssessedOn, dueOn: x.re.dueOn, weak: x.re.weak })),
      };
    },
  );

  // ---- first run: create, rename / re-code, delete-if-empty (platform admin; bureau below its own region) ----
  r.post(
    '/api/regions',
    {
      config: { permission: 'region.manage' },
      schema: {
        tags,
        summary: '新建区域（GB/T 2260 行政区划代码：省级 PP0000，地市级 PPCC00，区县级 PPCCXX；下级代码以上级代码前缀开头）',
        body: RegionCreate,
        response: { 201: RegionOut },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.create(ctxOf(req), req.body)),
  );

  r.patch(
    '/api/regions/:id',
    {
      config: { permission: 'region.manage' },
      schema: {
        tags,
        summary: '修改区域名称或代码（已有下级区域时不能改代码）',
        params: z.object({ id: Id }),
        body: RegionUpdate,
        response: { 200: RegionOut },
      },
    },
    async (req) => svc.update(ctxOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/regions/:id',
    {
      config: { permission: 'region.manage' },
      schema: { tags, summary: '删除区域（仅当其下没有下级区域、学校、联盟、用户和授权时）', params: z.object({ id: Id }) },
    },
    async (req, reply) => {
      await svc.remove(ctxOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
}
