/**
 * THE ROUTE × ROLE TEST.
 *
 * Every API route the app registered (app.xl.routes) must have an entry in ROUTES below; the test fails
 * on a route without one. Each route is called as every role of SPEC S0 (signed in as the demo account
 * of that role, plus no session at all) with in-scope ids, with out-of-scope ids of the demo region, and
 * with ids of a foreign region nobody but the platform admin reaches. The outcome must match the table:
 *   allowed = 2xx, or a 4xx validation / state answer (400, 409, 413, 415, 423) to the body we sent;
 *   denied  = 401 / 403 / 404, or a 400 whose only complaint is that a referenced id is not reachable.
 * The table is written from SPEC S0/S1, independently of platform/policy.ts. List routes are also
 * called with an out-of-scope filter and must then return nothing (the platform admin: something).
 * Every role runs on a fresh database, so mutations never leak from one role into another.
 *
 * A fourth variant, "near", calls the routes with records that sit right next to the role's own —
 * in its school, its region or its alliance's partner list — but beyond its grants: the secretariat's
 * and the reviewer's accounts that carry the principal's school id, the evaluator's account for the
 * bureau, another alliance's charter of the same city, the other partner's venue. They must be denied
 * (or, for list routes, absent from the answer) unless the route lists the role in `nearAllowed`.
 */
import type { ApplicationStatus } from '../common/vocab.js';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { makeTestEnv, type Client, type TestEnv } from './testing.js';
import { addForeignRegion, expectProblem, FOREIGN, multipart } from './testkit.js';
import type { FacilityTargets } from './modules/facilities/testdata.js';
import type { ResourceTargets } from './modules/resources/testdata.js';

const ROLES = ['anon', 'admin', 'bureau', 'evaluator', 'secretary', 'principal', 'teacher', 'reviewer', 'student', 'guardian', 'partner'] as const;
type RoleName = (typeof ROLES)[number];
/** any: allowed whatever the ids; in: allowed on in-scope ids only; none: always denied */
type Expect = 'any' | 'in' | 'none';
type Variant = 'in' | 'out' | 'foreign' | 'near';

interface Targets extends FacilityTargets, ResourceTargets {
  region: string;
  school: string;
  alliance: string;
  body: string;
  document: string;
  milestone: string;
  /** a partner that may be added to `alliance` */
  partnerToAdd: string;
  partner: string;
  /** applications, one per step, in the status that step needs */
  appRead: string;
  appEvaluate: string;
  appRecommend: string;
  appApprove: string;
  appWithdraw: string;
  /** a school (not the core) that is an active member of `alliance` */
  memberSchool: string;
  user: string;
  grant: string;
  importId: string;
  importQuery: string;
  auditEntity: string;
  // ---- facilities & bookings (S3.1–S3.2) ----  (FacilityTargets, modules/facilities/testdata.ts)
  // ---- credits (S3.3) ----
  /** a ledger transaction of `alliance` touching `school` */
  creditTx: string;
  /** the account of `school` in `alliance` */
  creditAccount: string;
  // ---- utilization (S3.4) ----
  // ---- resources (S2) ----
  /** resources: ResourceTargets (modules/resources/testdata.ts); resCreateSchool '' = the actor's own school */
  resCreateSchool: string;
  // ---- search & files (S2) ----
  // ---- calendar feeds (S3.2) ----
  /** public id of a calendar link; in scope: one of the acting user's own */
  calToken: string;
  // ---- regions (first run) ----
  /** the 6-digit code of `region` (new child regions take its first four digits) */
  regionCode: string;
  /** a region below `region` (a bureau manages only regions below its own) */
  regionChild: string;
}

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  json?: unknown;
  multipart?: ReturnType<typeof multipart>;
}

interface RouteSpec {
  call: (t: Targets, n: number) => Call;
  expect: Record<RoleName, Expect>;
  /** for list routes: how many rows of the answer concern the out-of-scope target */
  leak?: (res: LightMyRequestResponse, t: Targets) => Promise<number>;
  /** a route another helper is adding; tolerated while absent */
  pending?: boolean;
  /** public routes are never 401/403 */
  public?: boolean;
  /** run after every other route (it ends the session) */
  last?: boolean;
  /** roles for which the "near" record is legitimately reachable on this route (e.g. reading a venue) */
  nearAllowed?: RoleName[];
  /** list routes: how many rows of the answer concern the "near" target (run even when the call is unchanged) */
  nearLeak?: (res: LightMyRequestResponse, t: Targets, inT: Targets) => Promise<number>;
}

const signedIn = (e: Expect): Record<RoleName, Expect> => Object.fromEntries(ROLES.map((r) => [r, r === 'anon' ? 'none' : e])) as Record<RoleName, Expect>;
/** the listed roles get `e`, everybody else `none` */
const only = (roles: RoleName[], e: Expect): Record<RoleName, Expect> =>
  Object.fromEntries(ROLES.map((r) => [r, roles.includes(r) ? e : 'none'])) as Record<RoleName, Expect>;
const publicRoute = Object.fromEntries(ROLES.map((r) => [r, 'any'])) as Record<RoleName, Expect>;

const items = (res: LightMyRequestResponse) => (JSON.parse(res.body).items ?? []) as { id: string }[];
const countItems = async (res: LightMyRequestResponse) => items(res).length;
const countIds = (id: (t: Targets) => string) => async (res: LightMyRequestResponse, t: Targets) => items(res).filter((x) => x.id === id(t)).length;
/** rows of the near record, where it differs from the role's own */
const countNear = (id: (t: Targets) => string) => async (res: LightMyRequestResponse, t: Targets, inT: Targets) =>
  id(t) === id(inT) ? 0 : countIds(id)(res, t);
async function xlsxRows(res: LightMyRequestResponse): Promise<number> {
  expect(res.headers['content-type']).toMatch(/spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as never);
  return Math.max(0, wb.worksheets[0]!.actualRowCount - 1);
}

const _READERS_ALL: RoleName[] = ['admin', 'bureau', 'evaluator', 'secretary', 'principal', 'teacher', 'reviewer', 'student', 'guardian', 'partner'];
const ALLIANCE_MANAGERS: RoleName[] = ['admin', 'bureau', 'secretary'];
const USER_ADMINS: RoleName[] = ['admin', 'bureau', 'principal'];
const APP_READERS: RoleName[] = ['admin', 'bureau', 'evaluator', 'secretary', 'principal'];
const PARTNER_READERS: RoleName[] = ['admin', 'bureau', 'evaluator', 'secretary', 'principal', 'teacher', 'reviewer', 'partner'];
/** manage a facility: its school's admin, for a partner venue that partner's own accounts, the bureau */
const FACILITY_MANAGERS: RoleName[] = ['admin', 'bureau', 'principal', 'partner'];
/** decide on bookings at the facility: the owner (school admin, the venue's partner) */
const BOOKING_DECIDERS: RoleName[] = ['admin', 'principal', 'partner'];
/** book for a class: teaching roles (students and guardians only community venues at weekends, SPEC S3.2) */
const BOOKERS: RoleName[] = ['admin', 'principal', 'teacher', 'reviewer'];
/** rate and comment on resources: the teaching roles (SPEC S2) */
const FEEDBACK: RoleName[] = ['admin', 'secretary', 'principal', 'teacher', 'reviewer'];

const docUpload = (title: string, withMeta: boolean) =>
  multipart([
    ...(withMeta
      ? [
          { name: 'kind', value: 'agreement' },
          { name: 'title', value: title },
        ]
      : []),
    { name: 'terms', value: JSON.stringify([{ kind: 'joint_research_per_month', op: '>=', value: 2, unit: '次/月' }]) },
    { name: 'effectiveFrom', value: '2025-09-01' },
    { name: 'file', value: Buffer.from(`${title}\n第一条 成员校每月联合教研不少于两次。\n`, 'utf8'), filename: 'agreement.txt', contentType: 'text/plain' },
  ]);
const importCsv = (query: string, n: number) => {
  const csv = query.includes('kind=users')
    ? `用户名,姓名,角色\r\nimp_user_${n},导入教师,教师\r\n`
    : `学校标识码,学校名称,学校类型,办学性质,所在地类型\r\n97${String(n).padStart(8, '0')},导入测试小学${n},小学,公办,乡镇\r\n`;
  return multipart([{ name: 'file', value: Buffer.from(csv, 'utf8'), filename: 'rows.csv', contentType: 'text/csv' }]);
};

export const ROUTES: Record<string, RouteSpec> = {
  // ---- auth ----
  'POST /api/auth/login': {
    call: () => ({ method: 'POST', url: '/api/auth/login', json: { username: 'teacher', password: 'Xiaolian@2026' } }),
    expect: publicRoute,
    public: true,
  },
  'POST /api/auth/logout': { call: () => ({ method: 'POST', url: '/api/auth/logout' }), expect: signedIn('any'), last: true },
  'GET /api/auth/me': { call: () => ({ method: 'GET', url: '/api/auth/me' }), expect: signedIn('any') },
  'PATCH /api/auth/me': { call: () => ({ method: 'PATCH', url: '/api/auth/me', json: { locale: 'zh-CN' } }), expect: signedIn('any') },
  'POST /api/auth/password': {
    call: () => ({ method: 'POST', url: '/api/auth/password', json: { currentPassword: 'not-my-password', newPassword: 'Another#Passw0rd' } }),
    expect: signedIn('any'),
  },
  'GET /api/auth/sso': { call: () => ({ method: 'GET', url: '/api/auth/sso' }), expect: publicRoute, public: true, pending: true },
  'GET /api/auth/sso/start': { call: () => ({ method: 'GET', url: '/api/auth/sso/start' }), expect: publicRoute, public: true, pending: true },
  'GET /api/auth/sso/callback': {
    call: () => ({ method: 'GET', url: '/api/auth/sso/callback?code=x&state=y' }),
    expect: publicRoute,
    public: true,
    pending: true,
  },
  'GET /api/openapi.json': { call: () => ({ method: 'GET', url: '/api/openapi.json' }), expect: publicRoute, public: true },

  // ---- regions ----
  'GET /api/regions': {
    call: () => ({ method: 'GET', url: '/api/regions' }),
    expect: signedIn('any'),
    leak: countIds((t) => t.region),
  },
  'POST /api/regions': {
    call: (t, n) => ({
      method: 'POST',
      url: '/api/regions',
      json: { parentId: t.region, code: `${t.regionCode.slice(0, 4)}${String(50 + (n % 50)).padStart(2, '0')}`, name: `权限测试区${n}` },
    }),
    expect: only(['admin', 'bureau'], 'in'),
  },
  'PATCH /api/regions/:id': {
    call: (t, n) => ({ method: 'PATCH', url: `/api/regions/${t.regionChild}`, json: { name: `改名区${n}` } }),
    expect: only(['admin', 'bureau'], 'in'),
  },
  // every target region holds schools: deleting answers 409 region_in_use where allowed
  'DELETE /api/regions/:id': { call: (t) => ({ method: 'DELETE', url: `/api/regions/${t.regionChild}` }), expect: only(['admin', 'bureau'], 'in') },
  'GET /api/regions/:id/overview': {
    call: (t) => ({ method: 'GET', url: `/api/regions/${t.region}/overview` }),
    expect: only(['admin', 'bureau', 'evaluator'], 'in'),
  },

  // ---- schools ----
  'GET /api/schools': { call: (t) => ({ method: 'GET', url: `/api/schools?regionId=${t.region}` }), expect: signedIn('any'), leak: countItems },
  'GET /api/schools/export.xlsx': {
    call: (t) => ({ method: 'GET', url: `/api/schools/export.xlsx?regionId=${t.region}` }),
    expect: signedIn('any'),
    leak: xlsxRows,
  },
  'GET /api/schools/:id': { call: (t) => ({ method: 'GET', url: `/api/schools/${t.school}` }), expect: signedIn('in') },
  'POST /api/schools': {
    call: (t, n) => ({
      method: 'POST',
      url: '/api/schools',
      json: { regionId: t.region, code: `96${String(n).padStart(8, '0')}`, name: `权限测试学校${n}`, type: 'primary', ownership: 'public', location: 'urban' },
    }),
    expect: only(['admin', 'bureau'], 'in'),
  },
  'PATCH /api/schools/:id': {
    call: (t) => ({ method: 'PATCH', url: `/api/schools/${t.school}`, json: { phone: '0799-1234567' } }),
    expect: only(['admin', 'bureau', 'principal'], 'in'),
  },
  'PUT /api/schools/:id/indicators/:year': {
    call: (t) => ({
      method: 'PUT',
      url: `/api/schools/${t.school}/indicators/2025`,
      json: {
        students: 800,
        teachers: 60,
        teachersAboveDegree: 40,
        keyTeachers: 10,
        peArtTeachers: 8,
        teachingAreaM2: 5000,
        sportsAreaM2: 6000,
        equipmentValueYuan: 2_000_000,
        multimediaRooms: 20,
        books: 30000,
      },
    }),
    expect: only(['admin', 'bureau', 'principal'], 'in'),
  },

  // ---- alliances ----
  'GET /api/alliances': { call: (t) => ({ method: 'GET', url: `/api/alliances?regionId=${t.region}` }), expect: signedIn('any'), leak: countItems },
  'GET /api/alliances/export.xlsx': {
    call: (t) => ({ method: 'GET', url: `/api/alliances/export.xlsx?regionId=${t.region}` }),
    expect: signedIn('any'),
    leak: xlsxRows,
  },
  'GET /api/alliances/:id': { call: (t) => ({ method: 'GET', url: `/api/alliances/${t.alliance}` }), expect: signedIn('in') },
  'POST /api/alliances': {
    call: (t, n) => ({
      method: 'POST',
      url: '/api/alliances',
      json: {
        regionId: t.region,
        name: `权限测试联盟${n}`,
        kind: 'union',
        pattern: 'partner',
        coreSchoolId: t.school,
        foundedOn: '2025-09-01',
        cycleStartOn: '2025-09-01',
      },
    }),
    expect: only(['admin', 'bureau'], 'in'),
  },
  'PATCH /api/alliances/:id': {
    call: (t, n) => ({ method: 'PATCH', url: `/api/alliances/${t.alliance}`, json: { description: `说明 ${n}` } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'GET /api/alliances/:id/timeline': { call: (t) => ({ method: 'GET', url: `/api/alliances/${t.alliance}/timeline` }), expect: signedIn('in') },
  'POST /api/alliances/:id/partners': {
    call: (t) => ({ method: 'POST', url: `/api/alliances/${t.alliance}/partners`, json: { partnerId: t.partnerToAdd, offers: '场馆与讲解员' } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'POST /api/alliances/:id/bodies': {
    call: (t, n) => ({ method: 'POST', url: `/api/alliances/${t.alliance}/bodies`, json: { kind: 'experts', name: `专家委员会${n}` } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'POST /api/bodies/:id/members': {
    call: (t) => ({
      method: 'POST',
      url: `/api/bodies/${t.body}/members`,
      json: { personName: '李四', position: '委员', termStart: '2025-09-01', termEnd: '2028-08-31' },
    }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'POST /api/alliances/:id/milestones': {
    call: (t) => ({
      method: 'POST',
      url: `/api/alliances/${t.alliance}/milestones`,
      json: { phase: 'implementation', title: '联合教研周', dueOn: '2026-05-01' },
    }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'PATCH /api/milestones/:id': {
    call: (t) => ({ method: 'PATCH', url: `/api/milestones/${t.milestone}`, json: { doneOn: '2025-10-02' } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'POST /api/alliances/:id/assessments': {
    call: (t) => ({
      method: 'POST',
      url: `/api/alliances/${t.alliance}/assessments`,
      json: { assessedOn: '2025-06-01', score: 82, result: 'good', comment: '运行良好' },
    }),
    expect: only(['admin', 'bureau'], 'in'),
  },
  'POST /api/alliances/:id/documents': {
    call: (t, n) => ({ method: 'POST', url: `/api/alliances/${t.alliance}/documents`, multipart: docUpload(`合作协议${n}`, true) }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'GET /api/documents/:id': { call: (t) => ({ method: 'GET', url: `/api/documents/${t.document}` }), expect: signedIn('in') },
  'POST /api/documents/:id/versions': {
    call: (t, n) => ({ method: 'POST', url: `/api/documents/${t.document}/versions`, multipart: docUpload(`新版本${n}`, false) }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'GET /api/documents/:id/versions/:version/file': {
    call: (t) => ({ method: 'GET', url: `/api/documents/${t.document}/versions/1/file` }),
    expect: signedIn('in'),
  },

  // ---- partners ----
  'GET /api/partners': { call: (t) => ({ method: 'GET', url: `/api/partners?regionId=${t.region}` }), expect: only(PARTNER_READERS, 'any'), leak: countItems },
  'GET /api/partners/export.xlsx': {
    call: (t) => ({ method: 'GET', url: `/api/partners/export.xlsx?regionId=${t.region}` }),
    expect: only(PARTNER_READERS, 'any'),
    leak: xlsxRows,
  },
  'POST /api/partners': {
    call: (t, n) => ({ method: 'POST', url: '/api/partners', json: { regionId: t.region, name: `权限测试合作方${n}`, kind: 'enterprise' } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },

  // ---- memberships ----
  'GET /api/applications': {
    call: (t) => ({ method: 'GET', url: `/api/applications?allianceId=${t.alliance}` }),
    expect: only(APP_READERS, 'any'),
    leak: countItems,
  },
  'GET /api/applications/export.xlsx': {
    call: (t) => ({ method: 'GET', url: `/api/applications/export.xlsx?allianceId=${t.alliance}` }),
    expect: only(APP_READERS, 'any'),
    leak: xlsxRows,
  },
  'GET /api/applications/:id': { call: (t) => ({ method: 'GET', url: `/api/applications/${t.appRead}` }), expect: only(APP_READERS, 'in') },
  'POST /api/applications': {
    // the in-scope school applies to 临川市职业教育集团 (a_0006); out of scope: a school the actor does not run
    call: (t) => ({ method: 'POST', url: '/api/applications', json: { allianceId: 'a_0006', schoolId: t.school, reason: '希望共享职业体验课程资源' } }),
    expect: only(['admin', 'principal'], 'in'),
  },
  'POST /api/applications/:id/evaluate': {
    call: (t) => ({ method: 'POST', url: `/api/applications/${t.appEvaluate}/evaluate`, json: { decision: 'pass', comment: '材料齐全' } }),
    expect: only(['admin', 'secretary'], 'in'),
  },
  'POST /api/applications/:id/recommend': {
    call: (t) => ({ method: 'POST', url: `/api/applications/${t.appRecommend}/recommend`, json: { decision: 'pass', comment: '理事会同意' } }),
    expect: only(['admin', 'secretary'], 'in'),
  },
  'POST /api/applications/:id/approve': {
    call: (t) => ({ method: 'POST', url: `/api/applications/${t.appApprove}/approve`, json: { decision: 'pass', comment: '同意加入' } }),
    expect: only(['admin', 'bureau'], 'in'),
  },
  'POST /api/applications/:id/withdraw': {
    call: (t) => ({ method: 'POST', url: `/api/applications/${t.appWithdraw}/withdraw` }),
    expect: only(['admin', 'principal'], 'in'),
  },
  'POST /api/alliances/:id/members/:schoolId/exit': {
    call: (t) => ({ method: 'POST', url: `/api/alliances/${t.alliance}/members/${t.memberSchool}/exit`, json: { reason: '学校撤并，不再参加集团活动' } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },

  // ---- users ----
  'GET /api/users': {
    call: (t) => ({ method: 'GET', url: `/api/users?schoolId=${t.school}` }),
    expect: only(USER_ADMINS, 'any'),
    leak: countItems,
    nearLeak: countNear((t) => t.user),
  },
  'GET /api/users/export.xlsx': {
    call: (t) => ({ method: 'GET', url: `/api/users/export.xlsx?schoolId=${t.school}` }),
    expect: only(USER_ADMINS, 'any'),
    leak: xlsxRows,
  },
  'POST /api/users': {
    call: (t, n) => ({ method: 'POST', url: '/api/users', json: { username: `acc_user_${n}`, displayName: '新同事', schoolId: t.school } }),
    expect: only(USER_ADMINS, 'in'),
  },
  'PATCH /api/users/:id': {
    call: (t) => ({ method: 'PATCH', url: `/api/users/${t.user}`, json: { displayName: '改名教师' } }),
    expect: only(USER_ADMINS, 'in'),
  },
  'POST /api/users/:id/reset-password': { call: (t) => ({ method: 'POST', url: `/api/users/${t.user}/reset-password` }), expect: only(USER_ADMINS, 'in') },
  'POST /api/users/:id/grants': {
    call: (t) => ({ method: 'POST', url: `/api/users/${t.user}/grants`, json: { role: 'guardian', scopeType: 'school', scopeId: t.school } }),
    expect: only(USER_ADMINS, 'in'),
  },
  'DELETE /api/grants/:id': { call: (t) => ({ method: 'DELETE', url: `/api/grants/${t.grant}` }), expect: only(USER_ADMINS, 'in') },

  // ---- audit ----
  'GET /api/audit': {
    call: (t) => ({ method: 'GET', url: `/api/audit?entityId=${t.auditEntity}` }),
    expect: only(['admin', 'bureau'], 'any'),
    leak: countItems,
  },
  'GET /api/audit/export.xlsx': {
    call: (t) => ({ method: 'GET', url: `/api/audit/export.xlsx?entityId=${t.auditEntity}` }),
    expect: only(['admin', 'bureau'], 'any'),
    leak: xlsxRows,
  },

  // ---- imports (schools: bureau of the region; users: school admin of the school) ----
  'GET /api/imports/template': { call: () => ({ method: 'GET', url: '/api/imports/template?kind=schools' }), expect: only(USER_ADMINS, 'any'), pending: true },
  'POST /api/imports': {
    call: (t, n) => ({ method: 'POST', url: `/api/imports?${t.importQuery}`, multipart: importCsv(t.importQuery, n) }),
    expect: only(USER_ADMINS, 'in'),
    pending: true,
  },
  'GET /api/imports': {
    call: () => ({ method: 'GET', url: '/api/imports' }),
    expect: only(USER_ADMINS, 'any'),
    leak: countIds((t) => t.importId),
    pending: true,
  },
  'GET /api/imports/:id': { call: (t) => ({ method: 'GET', url: `/api/imports/${t.importId}` }), expect: only(USER_ADMINS, 'in'), pending: true },
  'POST /api/imports/:id/commit': {
    call: (t) => ({ method: 'POST', url: `/api/imports/${t.importId}/commit`, json: { onlyValid: true } }),
    expect: only(USER_ADMINS, 'in'),
    pending: true,
  },
  'POST /api/imports/:id/discard': {
    call: (t) => ({ method: 'POST', url: `/api/imports/${t.importId}/discard` }),
    expect: only(USER_ADMINS, 'in'),
    pending: true,
  },

  // ---- facilities & bookings (S3.1–S3.2) ----
  'GET /api/facilities': {
    call: (t) => ({ method: 'GET', url: `/api/facilities?pageSize=100&schoolId=${t.facilitySchool}` }),
    expect: signedIn('any'),
    leak: countIds((t) => t.facility),
  },
  'GET /api/facilities/:id': { call: (t) => ({ method: 'GET', url: `/api/facilities/${t.facility}` }), expect: signedIn('in'), nearAllowed: ['partner'] },
  'POST /api/facilities': {
    call: (t, n) => ({ method: 'POST', url: '/api/facilities', json: { schoolId: t.facilitySchool, type: 'gym', name: `权限测试场馆${n}`, capacity: 100 } }),
    expect: only(['admin', 'bureau', 'principal'], 'in'),
  },
  'PATCH /api/facilities/:id': {
    call: (t) => ({ method: 'PATCH', url: `/api/facilities/${t.facility}`, json: { capacity: 61 } }),
    expect: only(FACILITY_MANAGERS, 'in'),
  },
  'PUT /api/facilities/:id/open-hours': {
    call: (t) => ({
      method: 'PUT',
      url: `/api/facilities/${t.facility}/open-hours`,
      json: { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' })) },
    }),
    expect: only(FACILITY_MANAGERS, 'in'),
  },
  'POST /api/facilities/:id/closures': {
    call: (t) => ({
      method: 'POST',
      url: `/api/facilities/${t.facility}/closures`,
      json: { startDate: '2098-01-01', endDate: '2098-01-02', kind: 'repair', reason: '检修' },
    }),
    expect: only(FACILITY_MANAGERS, 'in'),
  },
  'POST /api/schools/:id/closures': {
    call: (t) => ({
      method: 'POST',
      url: `/api/schools/${t.facilitySchool}/closures`,
      json: { startDate: '2098-02-01', endDate: '2098-02-02', kind: 'exam', reason: '考试' },
    }),
    expect: only(['admin', 'bureau', 'principal'], 'in'),
  },
  'DELETE /api/closures/:id': { call: (t) => ({ method: 'DELETE', url: `/api/closures/${t.closure}` }), expect: only(FACILITY_MANAGERS, 'in') },
  'GET /api/schools/:id/terms': { call: (t) => ({ method: 'GET', url: `/api/schools/${t.facilitySchool}/terms` }), expect: signedIn('in') },
  'POST /api/schools/:id/terms': {
    call: (t, n) => ({
      method: 'POST',
      url: `/api/schools/${t.facilitySchool}/terms`,
      json: { name: `测试学期${n}`, startDate: `${2030 + (n % 60)}-09-01`, endDate: `${2031 + (n % 60)}-01-20` },
    }),
    expect: only(['admin', 'bureau', 'principal'], 'in'),
  },
  'POST /api/facilities/:id/equipment': {
    call: (t) => ({ method: 'POST', url: `/api/facilities/${t.facility}/equipment`, json: { type: '烧杯', name: '烧杯套装', quantity: 20 } }),
    expect: only(FACILITY_MANAGERS, 'in'),
  },
  'PATCH /api/equipment/:id': {
    call: (t) => ({ method: 'PATCH', url: `/api/equipment/${t.equipment}`, json: { note: '已校准' } }),
    expect: only(FACILITY_MANAGERS, 'in'),
  },
  'GET /api/alliances/:id/kits': { call: (t) => ({ method: 'GET', url: `/api/alliances/${t.alliance}/kits` }), expect: signedIn('in') },
  'POST /api/alliances/:id/kits': {
    call: (t, n) => ({ method: 'POST', url: `/api/alliances/${t.alliance}/kits`, json: { kind: 'mobile_sports_kit', name: `移动体育器材箱${n}` } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'POST /api/kits/:id/rotations': {
    call: (t, n) => ({
      method: 'POST',
      url: `/api/kits/${t.kit}/rotations`,
      json: { schoolId: t.school, fromDate: `${2030 + (n % 60)}-03-01`, toDate: `${2030 + (n % 60)}-03-31` },
    }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'GET /api/facilities/:id/availability': {
    call: (t) => ({ method: 'GET', url: `/api/facilities/${t.facility}/availability?from=2026-11-23T00:00:00.000Z&to=2026-11-30T00:00:00.000Z` }),
    expect: signedIn('in'),
    nearAllowed: ['partner'],
  },
  'POST /api/bookings/preview': {
    call: (t) => ({
      method: 'POST',
      url: '/api/bookings/preview',
      json: { facilityId: t.facility, start: '2099-06-01T02:00:00.000Z', end: '2099-06-01T03:00:00.000Z' },
    }),
    expect: only(BOOKERS, 'in'),
  },
  'POST /api/bookings': {
    // a distinct half-hour per call, so that every allowed call can succeed
    call: (t, n) => ({
      method: 'POST',
      url: '/api/bookings',
      json: ((s: number) => ({
        facilityId: t.facility,
        start: new Date(s).toISOString(),
        end: new Date(s + 18e5).toISOString(),
        purpose: '权限测试',
        groupSize: 10,
        responsibleTeacher: '测试教师',
        acceptTerms: true,
      }))(Math.floor((Date.now() + 864e5 + n * 18e5) / 6e4) * 6e4),
    }),
    expect: only(BOOKERS, 'in'),
  },
  'GET /api/bookings': { call: (t) => ({ method: 'GET', url: `/api/bookings?scope=mine&facilityId=${t.facility}` }), expect: signedIn('any') },
  'GET /api/bookings/inbox': {
    call: () => ({ method: 'GET', url: '/api/bookings/inbox' }),
    expect: only(BOOKING_DECIDERS, 'any'),
    leak: countIds((t) => t.pendingBooking),
    nearLeak: countNear((t) => t.pendingBooking),
  },
  'GET /api/bookings/reminders': {
    call: () => ({ method: 'GET', url: '/api/bookings/reminders' }),
    expect: only(['admin', 'principal', 'teacher', 'reviewer', 'guardian'], 'any'),
  },
  'GET /api/bookings/:id': { call: (t) => ({ method: 'GET', url: `/api/bookings/${t.booking}` }), expect: signedIn('in'), nearAllowed: ['partner'] },
  'POST /api/bookings/:id/approve': {
    call: (t) => ({ method: 'POST', url: `/api/bookings/${t.pendingBooking}/approve` }),
    expect: only(BOOKING_DECIDERS, 'in'),
  },
  'POST /api/bookings/:id/reject': {
    call: (t) => ({ method: 'POST', url: `/api/bookings/${t.pendingBooking}/reject`, json: { reason: '时段另有安排' } }),
    expect: only(BOOKING_DECIDERS, 'in'),
  },
  // the booker (the target teacher) or the owner
  'POST /api/bookings/:id/cancel': {
    call: (t) => ({ method: 'POST', url: `/api/bookings/${t.booking}/cancel`, json: {} }),
    expect: only([...BOOKING_DECIDERS, 'teacher'], 'in'),
  },
  'POST /api/bookings/:id/check-in': { call: (t) => ({ method: 'POST', url: `/api/bookings/${t.booking}/check-in` }), expect: only(BOOKING_DECIDERS, 'in') },
  'POST /api/bookings/:id/no-show': { call: (t) => ({ method: 'POST', url: `/api/bookings/${t.booking}/no-show` }), expect: only(BOOKING_DECIDERS, 'in') },
  'POST /api/waitlist': {
    call: (t) => ({
      method: 'POST',
      url: '/api/waitlist',
      json: {
        facilityId: t.facility,
        start: '2099-07-01T02:00:00.000Z',
        end: '2099-07-01T03:00:00.000Z',
        purpose: '候补',
        groupSize: 5,
        responsibleTeacher: '测试教师',
      },
    }),
    expect: only(BOOKERS, 'in'),
  },
  'GET /api/waitlist': {
    call: () => ({ method: 'GET', url: '/api/waitlist' }),
    expect: only(['admin', 'principal', 'teacher', 'reviewer', 'guardian'], 'any'),
  },
  // a waitlist entry is its owner's (the target teacher's) alone
  'POST /api/waitlist/:id/accept': {
    call: (t) => ({ method: 'POST', url: `/api/waitlist/${t.waitlistEntry}/accept`, json: { acceptTerms: true } }),
    expect: only(['teacher'], 'in'),
  },
  'POST /api/waitlist/:id/withdraw': { call: (t) => ({ method: 'POST', url: `/api/waitlist/${t.waitlistEntry}/withdraw` }), expect: only(['teacher'], 'in') },
  'POST /api/equipment/:id/loans': {
    call: (t, n) => ({
      method: 'POST',
      url: `/api/equipment/${t.equipment}/loans`,
      json: ((s: number) => ({ quantity: 1, from: new Date(s).toISOString(), to: new Date(s + 36e5).toISOString() }))(
        Math.floor((Date.now() + 864e5 + n * 18e5) / 6e4) * 6e4,
      ),
    }),
    expect: only(BOOKERS, 'in'),
  },
  'POST /api/loans/:id/return': { call: (t) => ({ method: 'POST', url: `/api/loans/${t.loan}/return` }), expect: only(BOOKING_DECIDERS, 'in') },
  // the borrower (the target teacher) or the owner
  'POST /api/loans/:id/cancel': { call: (t) => ({ method: 'POST', url: `/api/loans/${t.loan}/cancel` }), expect: only([...BOOKING_DECIDERS, 'teacher'], 'in') },
  'POST /api/calendar/tokens': {
    call: (t) => ({ method: 'POST', url: '/api/calendar/tokens', json: { kind: 'facility', id: t.facility } }),
    expect: signedIn('in'),
    nearAllowed: ['partner'],
  },
  'GET /api/calendar/tokens': { call: () => ({ method: 'GET', url: '/api/calendar/tokens' }), expect: signedIn('any'), nearLeak: countNear((t) => t.calToken) },
  'DELETE /api/calendar/tokens/:id': { call: (t) => ({ method: 'DELETE', url: `/api/calendar/tokens/${t.calToken}` }), expect: signedIn('in') },
  'GET /api/calendar/feed/:file': { call: () => ({ method: 'GET', url: '/api/calendar/feed/no-such-calendar-token.ics' }), expect: publicRoute, public: true },
  // ---- credits (S3.3) ----
  'GET /api/alliances/:id/credit-rules': {
    call: (t) => ({ method: 'GET', url: `/api/alliances/${t.alliance}/credit-rules` }),
    expect: only(['admin', 'bureau', 'evaluator', 'secretary', 'principal'], 'in'),
  },
  'PUT /api/alliances/:id/credit-rules': {
    call: (t) => ({ method: 'PUT', url: `/api/alliances/${t.alliance}/credit-rules`, json: { refundLatePct: 0 } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'POST /api/alliances/:id/credit-grants': {
    call: (t) => ({ method: 'POST', url: `/api/alliances/${t.alliance}/credit-grants`, json: { type: 'starting' } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'POST /api/alliances/:id/credit-adjustments': {
    call: (t) => ({
      method: 'POST',
      url: `/api/alliances/${t.alliance}/credit-adjustments`,
      json: { ownerType: 'school', ownerId: t.school, amount: 5, reason: '权限测试调整' },
    }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'GET /api/alliances/:id/credit-accounts': {
    call: (t) => ({ method: 'GET', url: `/api/alliances/${t.alliance}/credit-accounts` }),
    expect: only(['admin', 'bureau', 'evaluator', 'secretary', 'principal'], 'in'),
  },
  'GET /api/credit/statements': {
    call: (t) => ({ method: 'GET', url: `/api/credit/statements?allianceId=${t.alliance}&schoolId=${t.school}` }),
    expect: only(['admin', 'bureau', 'evaluator', 'secretary', 'principal'], 'in'),
  },
  'GET /api/credit/statements.xlsx': {
    call: (t) => ({ method: 'GET', url: `/api/credit/statements.xlsx?allianceId=${t.alliance}&schoolId=${t.school}` }),
    expect: only(['admin', 'bureau', 'evaluator', 'secretary', 'principal'], 'in'),
  },
  'PATCH /api/credit/accounts/:id': {
    call: (t) => ({ method: 'PATCH', url: `/api/credit/accounts/${t.creditAccount}`, json: { overdraftLimit: 150 } }),
    expect: only(ALLIANCE_MANAGERS, 'in'),
  },
  'GET /api/credit/transactions/:id': {
    call: (t) => ({ method: 'GET', url: `/api/credit/transactions/${t.creditTx}` }),
    expect: only(['admin', 'bureau', 'evaluator', 'secretary', 'principal'], 'in'),
  },
  // ---- utilization (S3.4) ----
  'GET /api/alliances/:id/utilization': {
    call: (t) => ({ method: 'GET', url: `/api/alliances/${t.alliance}/utilization?from=2026-09-01&to=2026-11-29&by=week` }),
    expect: only(['admin', 'bureau', 'evaluator', 'secretary', 'principal', 'teacher', 'reviewer', 'partner'], 'in'),
  },
  'GET /api/schools/:id/utilization': {
    call: (t) => ({ method: 'GET', url: `/api/schools/${t.school}/utilization?by=term` }),
    expect: only(['admin', 'bureau', 'evaluator', 'secretary', 'principal'], 'in'),
  },
  // ---- resources (S2) ----
  'GET /api/resources': {
    call: (t) => ({ method: 'GET', url: `/api/resources?schoolId=${t.school}&pageSize=100` }),
    expect: signedIn('any'),
    leak: countIds((t) => t.resource),
  },
  'GET /api/resources/mine': { call: () => ({ method: 'GET', url: '/api/resources/mine' }), expect: signedIn('any') },
  'GET /api/resources/favourites': { call: () => ({ method: 'GET', url: '/api/resources/favourites' }), expect: signedIn('any') },
  'GET /api/resources/recommended': { call: () => ({ method: 'GET', url: '/api/resources/recommended' }), expect: signedIn('any') },
  'GET /api/resources/catalogue': { call: () => ({ method: 'GET', url: '/api/resources/catalogue?month=2026-09' }), expect: signedIn('any') },
  'GET /api/resources/catalogue.xlsx': { call: () => ({ method: 'GET', url: '/api/resources/catalogue.xlsx?month=2026-09' }), expect: signedIn('any') },
  'GET /api/resources/contributions': {
    call: (t) => ({ method: 'GET', url: `/api/resources/contributions?schoolId=${t.school}` }),
    expect: only(['admin', 'bureau', 'evaluator', 'principal'], 'in'),
  },
  'POST /api/resources': {
    call: (t, n) => ({
      method: 'POST',
      url: '/api/resources',
      json: {
        kind: 'lesson_plan',
        title: `权限测试资源 ${n}`,
        subject: 'math',
        stage: 'primary',
        licence: 'cc_by',
        visibility: 'school',
        ...(t.resCreateSchool ? { schoolId: t.resCreateSchool } : {}),
      },
    }),
    expect: only(['admin', 'principal', 'teacher', 'reviewer'], 'in'),
  },
  'GET /api/resources/:id': { call: (t) => ({ method: 'GET', url: `/api/resources/${t.resource}` }), expect: signedIn('in') },
  'PATCH /api/resources/:id': {
    call: (t, n) => ({ method: 'PATCH', url: `/api/resources/${t.resEdit}`, json: { description: `说明 ${n}` } }),
    expect: only(['admin', 'teacher'], 'in'),
  },
  'POST /api/resources/:id/files': {
    call: (t) => ({
      method: 'POST',
      url: `/api/resources/${t.resEdit}/files`,
      multipart: multipart([{ name: 'file', value: Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1'), filename: '教案.pdf', contentType: 'application/pdf' }]),
    }),
    expect: only(['admin', 'teacher'], 'in'),
  },
  'DELETE /api/resources/:id/files/:fileId': {
    call: (t) => ({ method: 'DELETE', url: `/api/resources/${t.resFileDel}/files/${t.resFileDelFile}` }),
    expect: only(['admin', 'teacher'], 'in'),
  },
  'GET /api/resources/:id/files/:fileId/preview': {
    call: (t) => ({ method: 'GET', url: `/api/resources/${t.resource}/files/${t.resourceFile}/preview` }),
    expect: signedIn('in'),
  },
  'GET /api/resources/:id/files/:fileId/download': {
    call: (t) => ({ method: 'GET', url: `/api/resources/${t.resource}/files/${t.resourceFile}/download` }),
    expect: signedIn('in'),
  },
  'POST /api/resources/:id/submit': {
    call: (t) => ({ method: 'POST', url: `/api/resources/${t.resSubmit}/submit`, json: {} }),
    expect: only(['admin', 'teacher'], 'in'),
  },
  'POST /api/resources/:id/withdraw': {
    call: (t) => ({ method: 'POST', url: `/api/resources/${t.resWithdraw}/withdraw`, json: {} }),
    expect: only(['admin', 'teacher'], 'in'),
  },
  'POST /api/resources/:id/archive': {
    call: (t) => ({ method: 'POST', url: `/api/resources/${t.resArchive}/archive`, json: {} }),
    expect: only(['admin', 'bureau', 'secretary', 'teacher'], 'in'),
  },
  'POST /api/resources/:id/assign': {
    call: (t) => ({ method: 'POST', url: `/api/resources/${t.resAssign}/assign`, json: { reviewerId: 'u_reviewer' } }),
    expect: only(['admin', 'bureau', 'secretary'], 'in'),
  },
  'GET /api/reviews/queue': { call: () => ({ method: 'GET', url: '/api/reviews/queue' }), expect: only(['admin', 'reviewer'], 'any') },
  'POST /api/resources/:id/review': {
    call: (t) => ({
      method: 'POST',
      url: `/api/resources/${t.resReview}/review`,
      json: { decision: 'publish', scores: { accuracy: 5, standards: 5, ethics: 5, objectives: 4, design: 4, assessment: 4 } },
    }),
    expect: only(['admin', 'reviewer'], 'in'),
  },
  'PUT /api/resources/:id/rating': {
    call: (t) => ({ method: 'PUT', url: `/api/resources/${t.resource}/rating`, json: { stars: 4 } }),
    expect: only(FEEDBACK, 'in'),
  },
  'GET /api/resources/:id/comments': { call: (t) => ({ method: 'GET', url: `/api/resources/${t.resource}/comments` }), expect: signedIn('in') },
  'POST /api/resources/:id/comments': {
    call: (t, n) => ({ method: 'POST', url: `/api/resources/${t.resource}/comments`, json: { body: `评论 ${n}` } }),
    expect: only(FEEDBACK, 'in'),
  },
  'DELETE /api/resource-comments/:id': {
    call: (t) => ({ method: 'DELETE', url: `/api/resource-comments/${t.resourceComment}` }),
    expect: only(['admin', 'bureau', 'secretary'], 'in'),
  },
  'PUT /api/resources/:id/favourite': { call: (t) => ({ method: 'PUT', url: `/api/resources/${t.resource}/favourite` }), expect: signedIn('in') },
  'DELETE /api/resources/:id/favourite': { call: (t) => ({ method: 'DELETE', url: `/api/resources/${t.resource}/favourite` }), expect: signedIn('in') },
  'POST /api/resources/:id/uses': {
    call: (t) => ({ method: 'POST', url: `/api/resources/${t.resource}/uses`, json: { classNote: '三年级（1）班' } }),
    expect: only(['admin', 'principal', 'teacher', 'reviewer'], 'in'),
  },
  'GET /api/notifications': { call: () => ({ method: 'GET', url: '/api/notifications' }), expect: signedIn('any') },
  'POST /api/notifications/:id/read': { call: () => ({ method: 'POST', url: '/api/notifications/all/read' }), expect: signedIn('any') },
  // ---- search & files (S2) ----
};

// ---- targets -----------------------------------------------------------------------------------

/** Extra applications the table needs (inserted next to the demo data). */
async function addApplications(env: TestEnv) {
  const at = '2025-09-01T00:00:00.000Z';
  const row = (id: string, alliance: string, school: string, status: ApplicationStatus) => ({
    id,
    alliance_id: alliance,
    school_id: school,
    status,
    reason: '测试用申请',
    applied_by: null,
    created_at: at,
    updated_at: at,
  });
  await env.database.db
    .insertInto('membership_applications')
    .values([
      // 临川一中 → 实验小学教育集团, evaluated (for the recommendation step)
      row('ma_t_eval', 'a_0001', 's_00010', 'evaluated'),
      // 临川市实验小学 → 城乡教育共同体, submitted (the principal may withdraw it)
      row('ma_t_own', 'a_0002', 's_00001', 'submitted'),
      // 河口县第二小学 → 河口县第一小学教育集团 is a member already; 河口县第一中学 applies (out of scope, submitted)
      row('ma_t_out', 'a_0005', 's_00048', 'submitted'),
    ])
    .execute();
  // a fourth foreign school whose application waits for the council's recommendation (evaluated by someone
  // else: whoever evaluated may not also recommend)
  await env.database.db
    .insertInto('schools')
    .values({
      id: 's_t_x004',
      region_id: FOREIGN.city,
      code: '8800000004',
      credit_code: null,
      name: '外市第四小学',
      short_name: null,
      type: 'primary',
      ownership: 'public',
      location: 'urban',
      tags: '[]',
      address: null,
      lat: null,
      lng: null,
      principal: null,
      phone: null,
      founded_year: 2000,
      students: 500,
      teachers: 40,
      classes: 12,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await env.database.db
    .insertInto('membership_applications')
    .values(row('ma_t_xrec', FOREIGN.alliance, 's_t_x004', 'evaluated'))
    .execute();
}

async function teacherOf(env: TestEnv, schoolId: string) {
  const u = await env.database.db
    .selectFrom('users as u')
    .innerJoin('role_grants as g', 'g.user_id', 'u.id')
    .select(['u.id', 'g.id as grant'])
    .where('u.school_id', '=', schoolId)
    .where('g.role', '=', 'teacher')
    .where('u.username', 'like', 't_%')
    .orderBy('u.username')
    .executeTakeFirstOrThrow();
  return u;
}

async function createImport(admin: Client, query: string, n: number): Promise<string> {
  const body = importCsv(query, n);
  const res = await admin.request({ method: 'POST', url: `/api/imports?${query}`, payload: body.payload, headers: body.headers });
  if (res.statusCode !== 201) return `imp_missing_${n}`; // imports not available yet: the id simply does not exist
  return res.json().id;
}

/** A school-owned facility target set turned into a partner's venue (owner: the partner organisation). */
async function asPartnerVenue(
  env: TestEnv,
  t: Awaited<ReturnType<typeof import('./modules/facilities/testdata.js').insertFacilityTargets>>,
  partnerId: string,
) {
  const db = env.database.db;
  await db
    .updateTable('facilities')
    .set({ school_id: null, partner_id: partnerId, region_id: 'r_0002', type: 'community_venue', subject: null })
    .where('id', '=', t.facility)
    .execute();
  await db.updateTable('equipment').set({ school_id: null, partner_id: partnerId, region_id: 'r_0002' }).where('id', '=', t.equipment).execute();
  return t;
}

/** One calendar link per account, inserted directly (only the hash is stored); returns the public ids. */
async function insertCalendarTokens(env: TestEnv, userIds: string[]) {
  const { sha256 } = await import('./platform/ids.js');
  const out: Record<string, string> = {};
  for (const u of userIds) {
    const hash = sha256(`access-calendar-${u}`);
    await env.database.db
      .insertInto('calendar_tokens')
      .values({ id: hash, user_id: u, kind: 'teacher', target_id: u, created_at: '2026-01-01T00:00:00.000Z', last_used_at: null })
      .execute();
    out[u] = hash.slice(0, 16);
  }
  return out;
}

async function buildTargets(
  env: TestEnv,
  admin: Client,
): Promise<
  Record<'in' | 'demoOut' | 'foreign', Targets> & {
    principalIn: Partial<Targets>;
    roleIn: Partial<Record<RoleName, Partial<Targets>>>;
    near: Partial<Record<RoleName, Partial<Targets>>>;
  }
> {
  const db = env.database.db;
  const tIn = await teacherOf(env, 's_00001');
  const tOut = await teacherOf(env, 's_00046');
  const linked = new Set(
    (await db.selectFrom('alliance_partners').select('partner_id').where('alliance_id', '=', 'a_0001').execute()).map((r) => r.partner_id),
  );
  const free = (await db.selectFrom('partners').select('id').where('region_id', '=', 'r_0002').orderBy('id').execute()).find((p) => !linked.has(p.id))!;
  const outMilestone = await db.selectFrom('milestones').select('id').where('alliance_id', '=', 'a_0005').orderBy('id').executeTakeFirstOrThrow();
  const outBody = await db.selectFrom('governance_bodies').select('id').where('alliance_id', '=', 'a_0005').orderBy('id').executeTakeFirstOrThrow();
  const outDoc = await db.selectFrom('documents').select('id').where('alliance_id', '=', 'a_0005').orderBy('id').executeTakeFirstOrThrow();
  await db
    .insertInto('audit_log')
    .values({
      at: '2025-01-02T00:00:00.000Z',
      actor_id: null,
      actor_name: null,
      ip: null,
      request_id: null,
      action: 'school.update',
      entity_type: 'school',
      entity_id: 'in-audit-marker',
      region_id: 'r_0003',
      alliance_id: null,
      school_id: 's_00001',
      detail: '{}',
    })
    .execute();
  const importIn = await createImport(admin, 'kind=schools&regionId=r_0002', 900001);
  const importInUsers = await createImport(admin, 'kind=users&schoolId=s_00001', 900002);
  const importOutUsers = await createImport(admin, 'kind=users&schoolId=s_00046', 900003);
  const importForeign = await createImport(admin, `kind=schools&regionId=${FOREIGN.city}`, 900004);

  // ---- facilities & bookings (S3.1–S3.2) ----
  const { insertFacilityTargets } = await import('./modules/facilities/testdata.js');
  const facIn = await insertFacilityTargets(env.database, {
    tag: 'in',
    schoolId: 's_00001',
    regionId: 'r_0003',
    allianceId: 'a_0001',
    booker: 'u_teacher',
    bookerSchool: 's_00003',
  });
  const facOut = await insertFacilityTargets(env.database, {
    tag: 'out',
    schoolId: 's_00046',
    regionId: 'r_0005',
    allianceId: 'a_0005',
    booker: tOut.id,
    bookerSchool: 's_00046',
  });
  const facForeign = await insertFacilityTargets(env.database, {
    tag: 'x',
    schoolId: FOREIGN.school,
    regionId: FOREIGN.city,
    allianceId: FOREIGN.alliance,
    booker: FOREIGN.user,
    bookerSchool: FOREIGN.school,
  });
  // ---- credits (S3.3) ----
  const { post: postCredit } = await import('./modules/credits/ledger.js');
  const creditTx = (alliance: string, school: string) =>
    db.transaction().execute(
      async (tx) =>
        (
          await postCredit(tx, env.database.dialect, {
            allianceId: alliance,
            kind: 'adjustment',
            causeType: 'test',
            causeId: `access-${alliance}`,
            memo: '权限测试',
            legs: [
              { owner: { type: 'school', id: school }, amount: 1 },
              { owner: { type: 'issuance', id: alliance }, amount: -1 },
            ],
          })
        ).transactionId,
    );
  const creditIn = await creditTx('a_0001', 's_00001');
  const creditOut = await creditTx('a_0005', 's_00046');
  const creditForeign = await creditTx(FOREIGN.alliance, FOREIGN.school);
  const creditAccount = async (alliance: string, school: string) =>
    (
      await db
        .selectFrom('credit_accounts')
        .select('id')
        .where('alliance_id', '=', alliance)
        .where('owner_type', '=', 'school')
        .where('owner_id', '=', school)
        .executeTakeFirstOrThrow()
    ).id;
  // ---- utilization (S3.4) ----
  // ---- resources (S2) ----
  const { insertResourceTargets } = await import('./modules/resources/testdata.js');
  const teacherSchool = (await db.selectFrom('users').select('school_id').where('username', '=', 'teacher').executeTakeFirstOrThrow()).school_id!;
  const staff = async (schoolId: string) =>
    (await db.selectFrom('users').select('id').where('school_id', '=', schoolId).where('username', 'like', 't_%').orderBy('username').execute()).map(
      (u) => u.id,
    );
  const [inOther, inCommenter] = await staff(teacherSchool);
  const [outAuthor, outOther, outCommenter] = await staff('s_00046');
  const resIn = await insertResourceTargets(env.database, env.storage, {
    schoolId: teacherSchool,
    allianceId: 'a_0001',
    regionId: 'r_0002',
    author: 'u_teacher',
    other: inOther!,
    commenter: inCommenter!,
    reviewer: 'u_reviewer',
    tag: 'in',
  });
  const resOut = await insertResourceTargets(env.database, env.storage, {
    schoolId: 's_00046',
    allianceId: 'a_0005',
    regionId: 'r_0002',
    author: outAuthor!,
    other: outOther!,
    commenter: outCommenter!,
    reviewer: null,
    tag: 'out',
  });
  const resForeign = await insertResourceTargets(env.database, env.storage, {
    schoolId: FOREIGN.school,
    allianceId: FOREIGN.alliance,
    regionId: FOREIGN.city,
    author: FOREIGN.user,
    other: FOREIGN.user,
    commenter: FOREIGN.user,
    reviewer: null,
    tag: 'x',
  });
  // ---- search & files (S2) ----
  // ---- partners' venues (the 科技馆 partner's own, and the 博物馆's next door in the same alliance) ----
  const venueOwn = await asPartnerVenue(
    env,
    await insertFacilityTargets(env.database, {
      tag: 'pv',
      schoolId: 's_00001',
      regionId: 'r_0003',
      allianceId: 'a_0001',
      booker: 'u_teacher',
      bookerSchool: 's_00003',
    }),
    'p_0001',
  );
  const venueNear = await asPartnerVenue(
    env,
    await insertFacilityTargets(env.database, {
      tag: 'pn',
      schoolId: 's_00001',
      regionId: 'r_0003',
      allianceId: 'a_0001',
      booker: 'u_teacher',
      bookerSchool: 's_00003',
    }),
    'p_0003',
  );
  // ---- another alliance's charter in the same city (临川一中城乡教育共同体): readable alliance, private documents ----
  const cityDoc = await db.selectFrom('documents').select('id').where('alliance_id', '=', 'a_0002').orderBy('id').executeTakeFirstOrThrow();
  // ---- accounts next to the principal's and the bureau's that they must not take over ----
  const grantOf = async (userId: string) =>
    (await db.selectFrom('role_grants').select('id').where('user_id', '=', userId).orderBy('id').executeTakeFirstOrThrow()).id;
  // ---- calendar links ----
  const demoUsers = ['u_admin', 'u_bureau', 'u_evaluator', 'u_secretary', 'u_principal', 'u_teacher', 'u_reviewer', 'u_student', 'u_guardian', 'u_partner'];
  const cal = await insertCalendarTokens(env, [...demoUsers, tOut.id, FOREIGN.user]);

  const inT: Targets = {
    region: 'r_0002',
    school: 's_00001',
    alliance: 'a_0001',
    body: 'gb_0001',
    document: 'd_0001',
    milestone: 'ms_0001',
    partnerToAdd: free.id,
    partner: free.id,
    appRead: 'ma_0001',
    appEvaluate: 'ma_0001',
    appRecommend: 'ma_t_eval',
    appApprove: 'ma_0009',
    appWithdraw: 'ma_t_own',
    memberSchool: 's_00002',
    user: tIn.id,
    grant: tIn.grant,
    importId: importIn,
    importQuery: 'kind=schools&regionId=r_0002',
    auditEntity: 'in-audit-marker',
    // ---- facilities & bookings (S3.1–S3.2) ----
    ...facIn,
    // ---- credits (S3.3) ----
    creditTx: creditIn,
    creditAccount: await creditAccount('a_0001', 's_00001'),
    // ---- utilization (S3.4) ----
    // ---- resources (S2) ----
    ...resIn,
    resCreateSchool: '',
    // ---- search & files (S2) ----
    calToken: cal.u_admin!,
    regionCode: '390100',
    regionChild: 'r_0003',
  };
  const demoOut: Targets = {
    region: 'r_0005',
    school: 's_00046',
    alliance: 'a_0005',
    body: outBody.id,
    document: outDoc.id,
    milestone: outMilestone.id,
    partnerToAdd: free.id,
    partner: FOREIGN.partner,
    appRead: 'ma_t_out',
    appEvaluate: 'ma_t_out',
    appRecommend: 'ma_0011',
    appApprove: 'ma_0011',
    appWithdraw: 'ma_t_out',
    memberSchool: 's_00047',
    user: tOut.id,
    grant: tOut.grant,
    importId: importOutUsers,
    importQuery: 'kind=users&schoolId=s_00046',
    auditEntity: FOREIGN.auditMarker,
    // ---- facilities & bookings (S3.1–S3.2) ----
    ...facOut,
    // ---- credits (S3.3) ----
    creditTx: creditOut,
    creditAccount: await creditAccount('a_0005', 's_00046'),
    // ---- utilization (S3.4) ----
    // ---- resources (S2) ----
    ...resOut,
    resCreateSchool: 's_00046',
    // ---- search & files (S2) ----
    calToken: cal[tOut.id]!,
    regionCode: '390100',
    regionChild: 'r_0005',
  };
  const foreign: Targets = {
    region: FOREIGN.city,
    school: FOREIGN.school,
    alliance: FOREIGN.alliance,
    body: FOREIGN.body,
    document: FOREIGN.document,
    milestone: FOREIGN.milestone,
    partnerToAdd: FOREIGN.partner,
    partner: FOREIGN.partner,
    appRead: FOREIGN.application,
    appEvaluate: FOREIGN.application,
    appRecommend: 'ma_t_xrec',
    appApprove: FOREIGN.application,
    appWithdraw: FOREIGN.application,
    memberSchool: FOREIGN.memberSchool,
    user: FOREIGN.user,
    grant: FOREIGN.grant,
    importId: importForeign,
    importQuery: `kind=schools&regionId=${FOREIGN.city}`,
    auditEntity: FOREIGN.auditMarker,
    // ---- facilities & bookings (S3.1–S3.2) ----
    ...facForeign,
    // ---- credits (S3.3) ----
    creditTx: creditForeign,
    creditAccount: await creditAccount(FOREIGN.alliance, FOREIGN.school),
    // ---- utilization (S3.4) ----
    // ---- resources (S2) ----
    ...resForeign,
    resCreateSchool: FOREIGN.school,
    // ---- search & files (S2) ----
    calToken: cal[FOREIGN.user]!,
    regionCode: '880100',
    regionChild: FOREIGN.city,
  };
  // the principal reads its own school's application and imports users of its own school
  const principalIn: Partial<Targets> = { appRead: 'ma_t_own', importId: importInUsers, importQuery: 'kind=users&schoolId=s_00001' };
  // every role deletes its own calendar link; the partner runs its own venue
  const roleIn: Partial<Record<RoleName, Partial<Targets>>> = Object.fromEntries(
    ROLES.filter((r) => r !== 'anon').map((r) => [r, { calToken: cal[`u_${r}`]! }]),
  );
  const venue = (v: typeof venueOwn): Partial<Targets> => ({
    facility: v.facility,
    equipment: v.equipment,
    closure: v.closure,
    booking: v.booking,
    pendingBooking: v.pendingBooking,
    loan: v.loan,
  });
  roleIn.partner = { ...roleIn.partner, ...venue(venueOwn) };
  const doc = { document: cityDoc.id };
  const near: Partial<Record<RoleName, Partial<Targets>>> = {
    // the bureau does not take over the evaluator's account, nor revoke the platform admin
    bureau: { user: 'u_evaluator', grant: await grantOf('u_admin'), calToken: cal.u_evaluator! },
    secretary: { ...doc, calToken: cal.u_principal! },
    // the secretariat's and the reviewer's accounts carry the core school's id, but are not the principal's
    principal: { ...doc, user: 'u_reviewer', grant: await grantOf('u_reviewer'), calToken: cal.u_secretary! },
    teacher: { ...doc, calToken: cal.u_student! },
    reviewer: { ...doc, calToken: cal.u_teacher! },
    student: { ...doc, calToken: cal.u_guardian! },
    guardian: { ...doc, calToken: cal.u_student! },
    partner: { ...doc, ...venue(venueNear), calToken: cal.u_teacher! },
    evaluator: { calToken: cal.u_bureau! },
  };
  return { in: inT, demoOut, foreign, principalIn, roleIn, near };
}

// ---- the run -----------------------------------------------------------------------------------

type Outcome = 'ok' | 'invalid' | 'denied' | 'error';
function outcome(res: LightMyRequestResponse): Outcome {
  const s = res.statusCode;
  if (s >= 500) return 'error';
  if (s < 400) return 'ok';
  if (s === 401 || s === 403 || s === 404) return 'denied';
  if (s === 400) {
    try {
      const errs = (JSON.parse(res.body).errors ?? []) as { code: string }[];
      if (errs.length && errs.every((e) => e.code === 'not_found' || e.code === 'out_of_scope')) return 'denied';
    } catch {
      /* not JSON */
    }
  }
  return 'invalid';
}

async function send(c: Client, call: Call) {
  if (call.multipart) return c.request({ method: call.method, url: call.url, payload: call.multipart.payload, headers: call.multipart.headers });
  return c.request({ method: call.method, url: call.url, json: call.json });
}

const registered: string[] = [];

/**
 * Roles that may change things get a database of their own; the read-only roles share one (their
 * mutations are all refused, and a refused mutation changes nothing — which is what is tested).
 */
const OWN_ENV: RoleName[] = ['admin', 'bureau', 'secretary', 'principal'];
const envCache = new Map<string, Promise<{ env: TestEnv; targets: Awaited<ReturnType<typeof buildTargets>> }>>();
const allEnvs: TestEnv[] = [];
function envFor(role: RoleName) {
  const key = OWN_ENV.includes(role) ? role : 'readers';
  let p = envCache.get(key);
  if (!p) {
    p = (async () => {
      const env = await makeTestEnv();
      allEnvs.push(env);
      await addForeignRegion(env.database, env.storage);
      await addApplications(env);
      const admin = await env.login('admin');
      return { env, targets: await buildTargets(env, admin) };
    })();
    envCache.set(key, p);
  }
  return p;
}
const statusLog: string[] = [];

describe('route × role', () => {
  afterAll(async () => {
    for (const e of allEnvs) await e.close();
    if (process.env.XL_ACCESS_LOG) console.log(statusLog.join('\n'));
  });

  it('every registered API route has an entry in the table (and the table names no unknown route)', async () => {
    const { env } = await envFor('anon');
    for (const r of env.app.xl.routes) registered.push(`${r.method} ${r.url}`);
    const missing = registered.filter((k) => !ROUTES[k]);
    expect(missing, 'routes without an expectation in access.test.ts').toEqual([]);
    const stale = Object.keys(ROUTES).filter((k) => !registered.includes(k) && !ROUTES[k]!.pending);
    expect(stale, 'table entries for routes that do not exist').toEqual([]);
    expect(registered.length).toBeGreaterThan(50);
  });

  for (const role of ROLES) {
    it(`as ${role}`, async () => {
      let mark = performance.now();
      const lap = (what: string) => {
        statusLog.push(`${role} ${what} ${Math.round(performance.now() - mark)}ms`);
        mark = performance.now();
      };
      const { env, targets } = await envFor(role);
      lap('env');
      const client = role === 'anon' ? env.anon() : await env.login(role);
      lap('setup');
      const inT: Targets = { ...targets.in, ...(role === 'principal' ? targets.principalIn : {}), ...targets.roleIn[role] };
      // out of scope: the foreign region for region-wide roles, demo records outside the grants for everyone else
      const variants: [Variant, Targets][] = [
        ['in', inT],
        ['foreign', targets.foreign],
      ];
      if (!['admin', 'bureau', 'evaluator'].includes(role)) variants.splice(1, 0, ['out', targets.demoOut]);
      const nearT = targets.near[role];
      if (nearT) variants.push(['near', { ...inT, ...nearT }]);
      const callKey = (c: Call) => `${c.method} ${c.url} ${JSON.stringify(c.json ?? null)}`;

      const here = new Set(env.app.xl.routes.map((r) => `${r.method} ${r.url}`));
      const keys = Object.keys(ROUTES).filter((k) => here.has(k));
      const ordered = [...keys.filter((k) => !ROUTES[k]!.last), ...keys.filter((k) => ROUTES[k]!.last)];
      const failures: string[] = [];
      let n = ROLES.indexOf(role) * 1000;
      for (const key of ordered) {
        const spec = ROUTES[key]!;
        const exp = spec.expect[role];
        const scoped = Object.values(spec.expect).includes('in') || spec.leak;
        for (const [variant, t] of scoped || spec.nearLeak ? variants : variants.slice(0, 1)) {
          // "near": only where the call reaches a different record (or a list route counts the near record)
          if (variant === 'near' && !spec.nearLeak && callKey(spec.call(t, 0)) === callKey(spec.call(inT, 0))) continue;
          n++;
          const call = spec.call(t, n);
          // public routes: a fresh browser, so signing in does not change the role's client
          const started = performance.now();
          const res = await send(spec.public ? env.anon() : client, call);
          const ms = Math.round(performance.now() - started);
          const got = outcome(res);
          statusLog.push(`${role.padEnd(9)} ${variant.padEnd(7)} ${res.statusCode} ${key} ${ms}ms`);
          if (got === 'error') {
            failures.push(`${key} [${variant}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
            continue;
          }
          if (spec.public) {
            if (res.statusCode === 401 || res.statusCode === 403) failures.push(`${key} [${variant}] public route refused: ${res.statusCode}`);
            continue;
          }
          // the platform admin's scope is the installation: in scope everywhere
          const allowed =
            exp === 'any' || (exp === 'in' && (variant === 'in' || role === 'admin' || (variant === 'near' && !!spec.nearAllowed?.includes(role))));
          if (allowed && got === 'denied') failures.push(`${key} [${variant}] expected allowed, got ${res.statusCode} ${res.body.slice(0, 160)}`);
          if (!allowed && got !== 'denied') failures.push(`${key} [${variant}] expected denied, got ${res.statusCode} ${res.body.slice(0, 160)}`);
          if (allowed && got !== 'denied' && spec.nearLeak && variant === 'near' && res.statusCode < 300) {
            const rows = await spec.nearLeak(res, t, inT);
            if (rows > 0) failures.push(`${key} [near] lists ${rows} rows beyond the role's grants`);
          }
          if (allowed && got !== 'denied' && spec.leak && variant !== 'in' && variant !== 'near') {
            const rows = await spec.leak(res, t);
            if (role === 'admin' && rows === 0) failures.push(`${key} [${variant}] the platform admin sees nothing of the foreign region`);
            if (role !== 'admin' && rows > 0) failures.push(`${key} [${variant}] leaks ${rows} out-of-scope rows`);
          }
          if (role === 'anon' && res.statusCode !== 401) failures.push(`${key} without a session → ${res.statusCode}, expected 401`);
        }
      }
      expect(failures).toEqual([]);
      expect(n - ROLES.indexOf(role) * 1000, 'calls made').toBeGreaterThan(keys.length);
    });
  }
});

// ---- the safe-to-deploy holes, one by one ------------------------------------------------------

describe('who may do what: the reported holes stay closed', () => {
  let env: TestEnv;
  const db = () => env.database.db;
  afterAll(async () => env?.close());

  it('setup', async () => {
    env = await makeTestEnv();
  });

  it('2. a school admin manages only accounts whose every grant is in its school; the bureau never takes over the evaluator or partners', async () => {
    const principal = await env.login('principal');
    const bureau = await env.login('bureau');
    for (const victim of ['u_secretary', 'u_reviewer']) {
      expectProblem(await principal.post(`/api/users/${victim}/reset-password`), 404, 'not_found');
      expectProblem(await principal.patch(`/api/users/${victim}`, { status: 'disabled' }), 404, 'not_found');
      expectProblem(await principal.post(`/api/users/${victim}/grants`, { role: 'teacher', scopeType: 'school', scopeId: 's_00001' }), 404, 'not_found');
    }
    const listed = (await principal.get('/api/users?pageSize=100')).json().items.map((u: { id: string }) => u.id);
    expect(listed).not.toContain('u_secretary');
    expect(listed).not.toContain('u_reviewer');
    expect(listed).toContain('u_student');
    for (const victim of ['u_evaluator', 'u_partner', 'u_admin']) {
      expectProblem(await bureau.post(`/api/users/${victim}/reset-password`), 404, 'not_found');
      expectProblem(await bureau.patch(`/api/users/${victim}`, { status: 'disabled' }), 404, 'not_found');
    }
    expect((await bureau.get('/api/users?q=evaluator')).json().items).toEqual([]);
    // the secretary still signs in with the old password: nothing changed
    await env.login('secretary');
    const u = await db()
      .selectFrom('users')
      .select(['status', 'must_change_password'])
      .where('id', 'in', ['u_secretary', 'u_reviewer', 'u_evaluator', 'u_partner'])
      .execute();
    expect(u.every((x) => x.status === 'active' && x.must_change_password === 0)).toBe(true);
    // what they do manage still works: the principal its teacher, the bureau the secretariat of its city
    const teacher = await db()
      .selectFrom('users')
      .select('id')
      .where('username', 'like', 't_%')
      .where('school_id', '=', 's_00001')
      .orderBy('username')
      .executeTakeFirstOrThrow();
    expect((await principal.post(`/api/users/${teacher.id}/reset-password`)).statusCode).toBe(200);
    expect((await bureau.patch('/api/users/u_reviewer', { displayName: '周文博' })).statusCode).toBe(200);
  });

  it('3. a partner account runs its own organisation’s venues only', async () => {
    const partner = await env.login('partner');
    const museum = await db().selectFrom('facilities').selectAll().where('partner_id', '=', 'p_0003').orderBy('id').executeTakeFirstOrThrow();
    const own = await db().selectFrom('facilities').selectAll().where('partner_id', '=', 'p_0001').orderBy('id').executeTakeFirstOrThrow();
    const start = Date.now() + 30 * 864e5;
    const pending = (id: string, facility: string) => ({
      id,
      facility_id: facility,
      alliance_id: 'a_0001',
      booker_id: 'u_teacher',
      booker_school_id: 's_00003',
      series_id: null,
      start_at: new Date(start).toISOString(),
      end_at: new Date(start + 36e5).toISOString(),
      start_ms: start,
      end_ms: start + 36e5,
      block_end_ms: start + 36e5,
      purpose: '研学',
      group_size: 20,
      responsible_teacher: '陈晓燕',
      status: 'pending' as const,
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      checked_in_at: null,
      cancelled_at: null,
      cancelled_by: null,
      charge_tx_id: null,
      charge_amount: 0,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    });
    await db()
      .insertInto('bookings')
      .values([pending('b_t_museum', museum.id), pending('b_t_own', own.id)])
      .execute();
    expect((await partner.patch(`/api/facilities/${museum.id}`, { name: '科技馆改名' })).statusCode).toBe(403);
    expect((await partner.put(`/api/facilities/${museum.id}/open-hours`, { hours: [] })).statusCode).toBe(403);
    expectProblem(
      await partner.post('/api/facilities', { partnerId: 'p_0003', type: 'community_venue', name: '冒名场馆', capacity: 10 }),
      400,
      'validation_failed',
      ['partnerId'],
    );
    const inbox = (await partner.get('/api/bookings/inbox')).json().items.map((b: { id: string }) => b.id);
    expect(inbox).toContain('b_t_own');
    expect(inbox).not.toContain('b_t_museum');
    expect([403, 404]).toContain((await partner.post('/api/bookings/b_t_museum/reject', { reason: '不行' })).statusCode);
    const after = await db().selectFrom('facilities').select(['name']).where('id', '=', museum.id).executeTakeFirstOrThrow();
    expect(after.name).toBe(museum.name);
    expect((await db().selectFrom('bookings').select('status').where('id', '=', 'b_t_museum').executeTakeFirstOrThrow()).status).toBe('pending');
    expect((await db().selectFrom('facility_open_hours').select('id').where('facility_id', '=', museum.id).execute()).length).toBeGreaterThan(0);
    // its own venue it runs; the 博物馆's account runs the museum
    expect((await partner.patch(`/api/facilities/${own.id}`, { capacity: own.capacity + 1 })).statusCode).toBe(200);
    expect((await partner.post('/api/bookings/b_t_own/reject', { reason: '闭馆布展' })).statusCode).toBe(200);
    const partner2 = await env.login('partner2');
    expect((await partner2.get('/api/bookings/inbox')).json().items.map((b: { id: string }) => b.id)).toContain('b_t_museum');
    expect((await partner2.post('/api/bookings/b_t_museum/reject', { reason: '闭馆布展' })).statusCode).toBe(200);
  });

  it('3. partner accounts are created for one partner organisation and granted only in its alliances', async () => {
    const bureau = await env.login('bureau');
    const principal = await env.login('principal');
    expectProblem(await principal.post('/api/users', { username: 'museum.guide', displayName: '讲解员', partnerId: 'p_0003' }), 400, 'validation_failed', [
      'partnerId',
    ]);
    const res = await bureau.post('/api/users', { username: 'museum.guide', displayName: '讲解员', partnerId: 'p_0003' });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json().user;
    expect(user).toMatchObject({ partnerId: 'p_0003', regionId: 'r_0002', schoolId: null });
    // 博物馆 works with a_0001 and a_0002, not with 城东区初中学科联盟 (a_0003)
    expectProblem(await bureau.post(`/api/users/${user.id}/grants`, { role: 'partner', scopeType: 'alliance', scopeId: 'a_0003' }), 400, 'validation_failed', [
      'scopeId',
    ]);
    const plain = (await bureau.post('/api/users', { username: 'not.a.partner', displayName: '普通账号', regionId: 'r_0002' })).json().user;
    expectProblem(await bureau.post(`/api/users/${plain.id}/grants`, { role: 'partner', scopeType: 'alliance', scopeId: 'a_0001' }), 400, 'validation_failed', [
      'role',
    ]);
    const granted = await bureau.post(`/api/users/${user.id}/grants`, { role: 'partner', scopeType: 'alliance', scopeId: 'a_0001' });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json().grants.map((g: { role: string }) => g.role)).toEqual(['partner']);
    // from now on the account is the partner's, not the bureau's to take over
    expectProblem(await bureau.post(`/api/users/${user.id}/reset-password`), 404, 'not_found');
  });

  it('6. charters, agreements, governance people and assessment comments are for members and overseers only', async () => {
    // 石门镇中心小学 applied to the group but is not a member: it may see the group, not its internals
    const outsider = await env.login('principal2');
    const member = await env.login('teacher');
    const doc = await db().selectFrom('documents').select('id').where('alliance_id', '=', 'a_0001').orderBy('id').executeTakeFirstOrThrow();
    expectProblem(await outsider.get(`/api/documents/${doc.id}`), 404, 'not_found');
    expectProblem(await outsider.get(`/api/documents/${doc.id}/versions/1/file`), 404, 'not_found');
    const seen = (await outsider.get('/api/alliances/a_0001')).json();
    expect(seen.name).toBe('临川市实验小学教育集团');
    expect(seen.documents).toEqual([]);
    expect(seen.bodies.length).toBeGreaterThan(0);
    expect(seen.bodies.flatMap((b: { members: unknown[] }) => b.members)).toEqual([]);
    expect(seen.assessments.every((a: { comment: string | null }) => a.comment === null)).toBe(true);
    expect((await member.get(`/api/documents/${doc.id}`)).statusCode).toBe(200);
    const full = (await member.get('/api/alliances/a_0001')).json();
    expect(full.documents.length).toBeGreaterThan(0);
    expect(full.bodies.flatMap((b: { members: unknown[] }) => b.members).length).toBeGreaterThan(0);
  });

  it('7. a calendar feed follows its owner’s current access; owners list and revoke their links', async () => {
    const admin = await env.login('admin');
    const bureau = await env.login('bureau');
    const grantOf = async (userId: string) => (await db().selectFrom('role_grants').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow()).id;
    const feedOf = async (username: string, body: unknown) => {
      const c = await env.login(username);
      const res = await c.post('/api/calendar/tokens', body);
      expect(res.statusCode, res.body).toBe(201);
      return { c, path: new URL(res.json().url).pathname };
    };
    // grants revoked → the venue's feed goes dark (the 博物馆's account loses its partner grant)
    const museum = await db().selectFrom('facilities').select('id').where('partner_id', '=', 'p_0003').orderBy('id').executeTakeFirstOrThrow();
    const a = await feedOf('partner2', { kind: 'facility', id: museum.id });
    expect((await env.anon().get(a.path)).statusCode).toBe(200);
    expect((await admin.delete(`/api/grants/${await grantOf('u_partner2')}`)).statusCode).toBe(204);
    expectProblem(await env.anon().get(a.path), 404, 'not_found');
    // account disabled → dark
    const b = await feedOf('student', { kind: 'school', id: 's_00001' });
    expect((await env.anon().get(b.path)).statusCode).toBe(200);
    expect((await bureau.patch('/api/users/u_student', { status: 'disabled' })).statusCode).toBe(200);
    expectProblem(await env.anon().get(b.path), 404, 'not_found');
    expect((await bureau.patch('/api/users/u_student', { status: 'active' })).statusCode).toBe(200);
    // listed and revoked by the owner; another user cannot revoke it
    const c = await feedOf('teacher', { kind: 'teacher', id: 'u_teacher' });
    const list = (await c.c.get('/api/calendar/tokens')).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'teacher', targetId: 'u_teacher', lastUsedAt: null });
    expect(JSON.stringify(list)).not.toContain(c.path.split('/').pop()!.replace('.ics', ''));
    const other = await env.login('principal');
    expectProblem(await other.delete(`/api/calendar/tokens/${list[0].id}`), 404, 'not_found');
    expect((await env.anon().get(c.path)).statusCode).toBe(200);
    expect((await c.c.delete(`/api/calendar/tokens/${list[0].id}`)).statusCode).toBe(204);
    expectProblem(await env.anon().get(c.path), 404, 'not_found');
    expect((await c.c.get('/api/calendar/tokens')).json().items).toEqual([]);
  });

  it('8. guardians book only community-open venues at weekends, never charged to a school', async () => {
    const guardian = await env.login('guardian');
    // a community-open venue of another school the guardian sees, and a school lab of the group it sees too
    const visible = (await guardian.get('/api/facilities?pageSize=100&communityOpen=1')).json().items.map((f: { id: string }) => f.id);
    const venue = await db()
      .selectFrom('facilities as f')
      .innerJoin('facility_open_hours as h', 'h.facility_id', 'f.id')
      .select(['f.id', 'f.min_minutes', 'f.min_notice_hours', 'h.open'])
      .where('f.community_open', '=', 1)
      .where('f.school_id', '!=', 's_00001')
      .where('h.weekday', '=', 6)
      .where('f.id', 'in', visible)
      .orderBy('f.id')
      .executeTakeFirstOrThrow();
    const labs = (await guardian.get('/api/facilities?pageSize=100&allianceId=a_0001&communityOpen=0'))
      .json()
      .items.filter((f: { schoolId: string | null }) => f.schoolId && f.schoolId !== 's_00001');
    const lab = labs[0] as { id: string };
    // the next Saturday (and the Monday after it) at least a few days ahead, Asia/Shanghai
    const day = (offset: number, weekday: number) => {
      for (let i = offset; ; i++) {
        const d = new Date(Date.now() + 8 * 36e5 + i * 864e5);
        if ((d.getUTCDay() || 7) === weekday) return d.toISOString().slice(0, 10);
      }
    };
    const sat = day(Math.ceil(venue.min_notice_hours / 24) + 2, 6);
    const mon = day(Math.ceil(venue.min_notice_hours / 24) + 2, 1);
    const body = (facilityId: string, date: string) => {
      const start = Date.parse(`${date}T${venue.open}:00+08:00`);
      return {
        facilityId,
        start: new Date(start).toISOString(),
        end: new Date(start + Math.max(60, venue.min_minutes) * 6e4).toISOString(),
        purpose: '亲子运动',
        groupSize: 3,
        responsibleTeacher: '张伟',
        acceptTerms: true,
      };
    };
    const before = await db()
      .selectFrom('credit_transactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expectProblem(await guardian.post('/api/bookings', body(venue.id, mon)), 403, 'community_booking_only');
    expectProblem(await guardian.post('/api/bookings', body(lab.id, sat)), 403, 'community_booking_only');
    const ok = await guardian.post('/api/bookings', body(venue.id, sat));
    expect(ok.statusCode, ok.body).toBe(201);
    const row = await db()
      .selectFrom('bookings')
      .select(['alliance_id', 'booker_school_id', 'charge_amount', 'charge_tx_id'])
      .where('id', '=', ok.json().bookings[0].id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ alliance_id: null, booker_school_id: null, charge_amount: 0, charge_tx_id: null });
    const after = await db()
      .selectFrom('credit_transactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('12. reserved tags, province-level partners, separation of duties, feedback by teaching roles', async () => {
    const principal = await env.login('principal');
    const bureau = await env.login('bureau');
    const secretary = await env.login('secretary');
    expectProblem(await principal.patch('/api/schools/s_00001', { tags: ['quality', 'weak'] }), 400, 'validation_failed', ['tags']);
    expectProblem(await principal.patch('/api/schools/s_00001', { location: 'village' }), 400, 'validation_failed', ['location']);
    expect((await db().selectFrom('schools').select(['tags', 'location']).where('id', '=', 's_00001').executeTakeFirstOrThrow()).tags).not.toContain('weak');
    expect((await principal.patch('/api/schools/s_00001', { phone: '0799-7654321' })).statusCode).toBe(200);
    expect((await bureau.patch('/api/schools/s_00001', { tags: ['quality', 'weak'] })).statusCode).toBe(200);
    expectProblem(await secretary.post('/api/partners', { regionId: 'r_0001', name: '省级冒名合作方', kind: 'enterprise' }), 400, 'validation_failed', [
      'regionId',
    ]);
    expect(await db().selectFrom('partners').select('id').where('name', '=', '省级冒名合作方').executeTakeFirst()).toBeUndefined();
    // the secretariat evaluates; the same person cannot recommend; another council member can
    const app = await db()
      .selectFrom('membership_applications')
      .select('id')
      .where('alliance_id', '=', 'a_0001')
      .where('status', '=', 'submitted')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect((await secretary.post(`/api/applications/${app.id}/evaluate`, { decision: 'pass', comment: '材料齐全' })).statusCode).toBe(200);
    expectProblem(await secretary.post(`/api/applications/${app.id}/recommend`, { decision: 'pass', comment: '推荐' }), 403, 'separation_of_duties');
    expect((await db().selectFrom('membership_applications').select('status').where('id', '=', app.id).executeTakeFirstOrThrow()).status).toBe('evaluated');
    const council = await env.login('council');
    const rec = await council.post(`/api/applications/${app.id}/recommend`, { decision: 'pass', comment: '理事会同意推荐' });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().status).toBe('recommended');
    // students, guardians, partners and evaluators neither rate nor comment; a teacher does
    const res = await db()
      .selectFrom('resources')
      .select(['id', 'created_by'])
      .where('status', '=', 'published')
      .where('visibility', '=', 'public')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    for (const who of ['student', 'guardian', 'partner', 'evaluator']) {
      const c = await env.login(who);
      expectProblem(await c.put(`/api/resources/${res.id}/rating`, { stars: 1 }), 403, 'forbidden');
      expectProblem(await c.post(`/api/resources/${res.id}/comments`, { body: '随便评论' }), 403, 'forbidden');
    }
    expect(
      await db()
        .selectFrom('resource_ratings')
        .select('user_id')
        .where('resource_id', '=', res.id)
        .where('user_id', 'in', ['u_student', 'u_guardian', 'u_partner', 'u_evaluator'])
        .execute(),
    ).toEqual([]);
    const teacher = await env.login(res.created_by === 'u_teacher' ? 'reviewer' : 'teacher');
    expect((await teacher.put(`/api/resources/${res.id}/rating`, { stars: 5 })).statusCode).toBe(200);
  });
});
