/**
 * The demo region 江北省 › 临川市 › 城东区 / 青山县 / 河口县 (all names fictional), as plain rows.
 * `buildDemo` is a pure function of `today`: same input, same rows, byte for byte.
 */
import type {
  AllianceMembersTable,
  AlliancePartnersTable,
  AlliancesTable,
  ApplicationDecisionsTable,
  AssessmentsTable,
  BodyMembersTable,
  DocumentsTable,
  DocumentVersionsTable,
  GovernanceBodiesTable,
  MembershipApplicationsTable,
  MilestonesTable,
  PartnersTable,
  RegionsTable,
  RoleGrantsTable,
  SchoolIndicatorsTable,
  SchoolsTable,
  UsersTable,
} from '../db/schema.js';
import { ROLE_SCOPE, type Role } from '../../common/vocab.js';
import { Rng, addMonths, creditCode, instant, minDate, pad, personName, schoolCode, yearOf } from './random.js';
import { indicatorValues, schoolSize } from './profiles.js';
import { ALLIANCES, PARTNERS } from './demo-alliances.js';
import { buildAlliances, buildApplications } from './demo-alliance-rows.js';
import { CITY, DISTRICTS, PROVINCE, ROADS, SCHOOLS, type SchoolSpec } from './demo-schools.js';

export const DEFAULT_TODAY = '2026-11-23';

// ---- demo accounts ----------------------------------------------------------------------------

export const DEMO_ACCOUNTS: { username: string; role: string; note: string }[] = [
  { username: 'admin', role: 'platform_admin', note: '平台管理员（全平台）' },
  { username: 'bureau', role: 'bureau_admin', note: '临川市教育局管理员' },
  { username: 'secretary', role: 'alliance_admin', note: '临川市实验小学教育集团秘书处' },
  { username: 'council', role: 'alliance_admin', note: '临川市实验小学教育集团理事（入盟申请的理事会推荐）' },
  { username: 'principal', role: 'school_admin', note: '临川市实验小学校长（集团核心校）' },
  { username: 'principal2', role: 'school_admin', note: '青山县石门镇中心小学校长（农村校，已申请加入集团）' },
  { username: 'teacher', role: 'teacher', note: '城东区新城小学教师（集团成员校）' },
  { username: 'reviewer', role: 'reviewer', note: '临川市实验小学教育集团数学学科审核员' },
  { username: 'student', role: 'student', note: '临川市实验小学学生' },
  { username: 'guardian', role: 'guardian', note: '临川市实验小学学生家长' },
  { username: 'partner', role: 'partner', note: '临川科技馆（集团合作方）' },
  { username: 'partner2', role: 'partner', note: '临川市博物馆（集团合作方）' },
  { username: 'evaluator', role: 'evaluator', note: '第三方评估机构（临川市）' },
];

// ---- builder ----------------------------------------------------------------------------------

export interface DemoFile {
  key: string;
  body: Buffer;
  /** document_versions row that records this file */
  versionId: string;
}

export interface DemoData {
  regions: RegionsTable[];
  schools: SchoolsTable[];
  indicators: SchoolIndicatorsTable[];
  partners: PartnersTable[];
  alliances: AlliancesTable[];
  members: AllianceMembersTable[];
  alliancePartners: AlliancePartnersTable[];
  bodies: GovernanceBodiesTable[];
  bodyMembers: BodyMembersTable[];
  documents: DocumentsTable[];
  versions: DocumentVersionsTable[];
  milestones: MilestonesTable[];
  assessments: AssessmentsTable[];
  applications: MembershipApplicationsTable[];
  decisions: ApplicationDecisionsTable[];
  users: UsersTable[];
  grants: RoleGrantsTable[];
  files: DemoFile[];
}

export function buildDemo(today: string, passwordHash: string): DemoData {
  const Y = yearOf(today);
  const setupDay = addMonths(today, -30); // the platform went live 2½ years ago
  const setupAt = instant(setupDay);
  const data: DemoData = {
    regions: [],
    schools: [],
    indicators: [],
    partners: [],
    alliances: [],
    members: [],
    alliancePartners: [],
    bodies: [],
    bodyMembers: [],
    documents: [],
    versions: [],
    milestones: [],
    assessments: [],
    applications: [],
    decisions: [],
    users: [],
    grants: [],
    files: [],
  };

  // regions
  data.regions.push({ id: PROVINCE.id, parent_id: null, level: 'province', code: PROVINCE.code, name: PROVINCE.name, created_at: setupAt });
  data.regions.push({ id: CITY.id, parent_id: PROVINCE.id, level: 'city', code: CITY.code, name: CITY.name, created_at: setupAt });
  for (const d of Object.values(DISTRICTS)) {
    data.regions.push({ id: d.id, parent_id: CITY.id, level: 'district', code: d.code, name: d.name, created_at: setupAt });
  }

  // schools + indicators
  const schoolByKey = new Map<string, SchoolsTable & { spec: SchoolSpec }>();
  const serialByDistrict = new Map<string, number>();
  const rngSchools = new Rng('demo/schools');
  const rngInd = new Rng('demo/indicators');
  const indicatorYears = [Y - 2, Y - 1];
  SCHOOLS.forEach((s, i) => {
    const d = DISTRICTS[s.d];
    const serial = (serialByDistrict.get(s.d) ?? 0) + 1;
    serialByDistrict.set(s.d, serial);
    const tags = s.tags ?? [];
    const ownership = s.own ?? 'public';
    const size = schoolSize(rngSchools, s.type, s.loc, tags);
    const spread = { urban: 0.04, county_town: 0.03, township: 0.14, village: 0.2 }[s.loc];
    const lat = Math.round((d.lat + rngSchools.range(-spread, spread)) * 1e6) / 1e6;
    const lng = Math.round((d.lng + rngSchools.range(-spread, spread) * 1.2) * 1e6) / 1e6;
    const county = d.prefix;
    const address =
      s.loc === 'village'
        ? `${county}${s.town}${s.village}`
        : s.loc === 'township'
          ? `${county}${s.town}${rngSchools.pick(['中心街', '新街', '老街', '学堂路'])}${rngSchools.int(1, 88)}号`
          : s.loc === 'county_town'
            ? `${county}城关镇${rngSchools.pick(ROADS)}${rngSchools.int(1, 300)}号`
            : `${county}${rngSchools.pick(ROADS)}${rngSchools.int(1, 500)}号`;
    const principal = s.principal ?? personName(rngSchools);
    const phone = `0799-${rngSchools.int(2, 8)}${rngSchools.digits(6)}`;
    const id = `s_${pad(i + 1, 5)}`;
    const row: SchoolsTable = {
      id,
      region_id: d.id,
      code: schoolCode(d.code, serial),
      credit_code: creditCode(ownership, d.code, i + 1),
      name: s.name,
      short_name: s.short ?? null,
      type: s.type,
      ownership,
      location: s.loc,
      tags: JSON.stringify(tags),
      address,
      lat,
      lng,
      principal,
      phone,
      founded_year: s.founded,
      students: size.students,
      teachers: size.teachers,
      classes: size.classes,
      created_at: setupAt,
      updated_at: instant(minDate(`${Y}-01-15`, today), 90),
    };
    data.schools.push(row);
    schoolByKey.set(s.k, { ...row, spec: s });
    for (const year of indicatorYears) {
      const latest = year === Y - 1;
      const growth = latest ? 1 : rngInd.range(0.9, 0.97);
      const students = latest ? size.students : Math.max(1, Math.round(size.students * rngInd.range(0.95, 1.04)));
      const teachers = latest ? size.teachers : Math.max(1, Math.round(size.teachers * rngInd.range(0.95, 1.02)));
      const values = indicatorValues(rngInd, { type: s.type, location: s.loc, tags, ownership }, { students, teachers }, growth);
      data.indicators.push({
        school_id: id,
        year,
        ...values,
        updated_by: null,
        updated_at: instant(minDate(`${year + 1}-01-15`, today), 90),
      });
    }
  });
  const school = (k: string) => {
    const s = schoolByKey.get(k);
    if (!s) throw new Error(`demo seed: unknown school ${k}`);
    return s;
  };

  // users
  const rngUsers = new Rng('demo/users');
  const userById = new Map<string, UsersTable>();
  let grantSerial = 0;
  const addUser = (u: {
    id: string;
    username: string;
    name: string;
    schoolId?: string | null;
    regionId: string | null;
    email?: boolean;
    partnerId?: string;
  }) => {
    const row: UsersTable = {
      id: u.id,
      username: u.username,
      display_name: u.name,
      email: u.email ? `${u.username}@demo.xiaolian.local` : null,
      phone: null,
      password_hash: passwordHash,
      must_change_password: 0,
      password_changed_at: instant(today),
      school_id: u.schoolId ?? null,
      region_id: u.regionId,
      partner_id: u.partnerId ?? null,
      locale: 'zh-CN',
      status: 'active',
      failed_logins: 0,
      locked_until: null,
      oidc_subject: null,
      last_login_at: null,
      created_at: setupAt,
      updated_at: setupAt,
    };
    data.users.push(row);
    userById.set(row.id, row);
    return row;
  };
  const grant = (userId: string, role: Role, scopeId: string | null, subject: string | null = null) => {
    grantSerial++;
    data.grants.push({
      id: `g_${pad(grantSerial, 5)}`,
      user_id: userId,
      role,
      scope_type: ROLE_SCOPE[role],
      scope_id: scopeId,
      subject,
      granted_by: null,
      granted_at: setupAt,
    });
  };

  const a0 = 'a_0001';
  const core0 = school('lcsx');
  const rural = school('qs_smx');
  const teacherSchool = school('cd_xc');
  addUser({ id: 'u_admin', username: 'admin', name: '赵志远', regionId: PROVINCE.id, email: true });
  grant('u_admin', 'platform_admin', null);
  addUser({ id: 'u_bureau', username: 'bureau', name: '王建国', regionId: CITY.id, email: true });
  grant('u_bureau', 'bureau_admin', CITY.id);
  addUser({ id: 'u_secretary', username: 'secretary', name: ALLIANCES[0].secretaryName, schoolId: core0.id, regionId: CITY.id, email: true });
  grant('u_secretary', 'alliance_admin', a0);
  // a council member (理事) of the same group: recommends the applications the secretariat evaluated
  // (separation of duties: the evaluator never also recommends)
  addUser({ id: 'u_council', username: 'council', name: '韩立新', regionId: CITY.id, email: true });
  grant('u_council', 'alliance_admin', a0);
  addUser({ id: 'u_principal', username: 'principal', name: core0.principal!, schoolId: core0.id, regionId: core0.region_id, email: true });
  grant('u_principal', 'school_admin', core0.id);
  addUser({ id: 'u_principal2', username: 'principal2', name: rural.principal!, schoolId: rural.id, regionId: rural.region_id, email: true });
  grant('u_principal2', 'school_admin', rural.id);
  addUser({ id: 'u_teacher', username: 'teacher', name: '陈晓燕', schoolId: teacherSchool.id, regionId: teacherSchool.region_id, email: true });
  grant('u_teacher', 'teacher', teacherSchool.id);
  addUser({ id: 'u_reviewer', username: 'reviewer', name: '周文博', schoolId: core0.id, regionId: core0.region_id, email: true });
  grant('u_reviewer', 'reviewer', a0, 'math');
  addUser({ id: 'u_student', username: 'student', name: '张子涵', schoolId: core0.id, regionId: core0.region_id, email: true });
  grant('u_student', 'student', core0.id);
  addUser({ id: 'u_guardian', username: 'guardian', name: '张伟', schoolId: core0.id, regionId: core0.region_id, email: true });
  grant('u_guardian', 'guardian', core0.id);
  // partner accounts act for their own organisation (科技馆 p_0001, 博物馆 p_0003), both partners of a0
  addUser({ id: 'u_partner', username: 'partner', name: PARTNERS[0].contact, regionId: CITY.id, email: true, partnerId: 'p_0001' });
  grant('u_partner', 'partner', a0);
  addUser({ id: 'u_partner2', username: 'partner2', name: PARTNERS[2].contact, regionId: CITY.id, email: true, partnerId: 'p_0003' });
  grant('u_partner2', 'partner', a0);
  addUser({ id: 'u_evaluator', username: 'evaluator', name: '郑丽华', regionId: CITY.id, email: true });
  grant('u_evaluator', 'evaluator', CITY.id);
  const bureauOf: Record<string, string> = { [CITY.id]: 'u_bureau' };
  for (const d of Object.values(DISTRICTS)) {
    const id = `u_${d.bureauUser}`;
    addUser({ id, username: d.bureauUser, name: d.bureauName, regionId: d.id });
    grant(id, 'bureau_admin', d.id);
    bureauOf[d.id] = id;
  }
  // one school admin (the principal) and three teachers per school
  const schoolAdminOf = new Map<string, string>();
  const teachersOf = new Map<string, UsersTable[]>();
  for (const s of data.schools) {
    const saId = `u_sa_${s.code}`;
    // where a demo account is the principal, the school's second admin is the 教务主任
    const hasDemoPrincipal = s.id === core0.id || s.id === rural.id;
    addUser({ id: saId, username: `sa_${s.code}`, name: hasDemoPrincipal ? personName(rngUsers) : s.principal!, schoolId: s.id, regionId: s.region_id });
    grant(saId, 'school_admin', s.id);
    schoolAdminOf.set(s.id, saId);
    const list: UsersTable[] = [];
    for (let n = 1; n <= 3; n++) {
      const id = `u_t_${s.code}_${n}`;
      list.push(addUser({ id, username: `t_${s.code}_${n}`, name: personName(rngUsers), schoolId: s.id, regionId: s.region_id }));
      grant(id, 'teacher', s.id);
    }
    teachersOf.set(s.id, list);
  }
  // the principal accounts act for their schools
  schoolAdminOf.set(core0.id, 'u_principal');
  schoolAdminOf.set(rural.id, 'u_principal2');

  // partners
  PARTNERS.forEach((p, i) => {
    data.partners.push({
      id: `p_${pad(i + 1, 4)}`,
      region_id: CITY.id,
      name: p.name,
      kind: p.kind,
      contact: p.contact,
      phone: `0799-${8000000 + i * 1111 + 345}`,
      description: p.description,
      created_at: setupAt,
    });
  });

  const build = { data, today, Y, setupDay, school, addUser, grant, userById, bureauOf, schoolAdminOf, teachersOf };
  const { allianceIds, secretaryOf } = buildAlliances(build);
  buildApplications(build, allianceIds, secretaryOf);

  return data;
}
