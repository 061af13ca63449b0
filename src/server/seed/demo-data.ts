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
import { ROLE_SCOPE, SUBJECTS, type Role } from '../../common/vocab.js';
import { Rng, addDays, addMonths, addYears, creditCode, instant, maxDate, minDate, monthStart, pad, personName, schoolCode, yearOf } from './random.js';
import { indicatorValues, schoolSize } from './profiles.js';
import { agreementMarkdown, charterMarkdown, type AgreementTerm } from './texts.js';

export const DEFAULT_TODAY = '2026-11-23';

// ---- regions ----------------------------------------------------------------------------------

interface DistrictInfo {
  id: string;
  code: string;
  name: string;
  /** prefix of addresses and of school names in the county */
  prefix: string;
  lat: number;
  lng: number;
  bureauUser: string;
  bureauName: string;
}

const PROVINCE = { id: 'r_0001', code: '390000', name: '江北省' };
const CITY = { id: 'r_0002', code: '390100', name: '临川市' };
const DISTRICTS: Record<'CD' | 'QS' | 'HK', DistrictInfo> = {
  CD: { id: 'r_0003', code: '390102', name: '城东区', prefix: '临川市城东区', lat: 30.2, lng: 117.5, bureauUser: 'bureau_cd', bureauName: '韩立新' },
  QS: { id: 'r_0004', code: '390121', name: '青山县', prefix: '临川市青山县', lat: 30.4, lng: 117.2, bureauUser: 'bureau_qs', bureauName: '邓春生' },
  HK: { id: 'r_0005', code: '390122', name: '河口县', prefix: '临川市河口县', lat: 30.0, lng: 117.8, bureauUser: 'bureau_hk', bureauName: '蔡丽娟' },
};

// ---- schools ----------------------------------------------------------------------------------

interface SchoolSpec {
  /** short key used by the alliance and application specs below */
  k: string;
  name: string;
  d: keyof typeof DISTRICTS;
  type: string;
  loc: 'urban' | 'county_town' | 'township' | 'village';
  own?: 'public' | 'private';
  tags?: string[];
  founded: number;
  short?: string;
  /** town (镇/乡) and village (村) for township and village schools */
  town?: string;
  village?: string;
  principal?: string;
}

const SCHOOLS: SchoolSpec[] = [
  // 城东区 (urban district; the city-level schools are located here too)
  { k: 'lcsx', name: '临川市实验小学', short: '市实小', d: 'CD', type: 'primary', loc: 'urban', tags: ['quality'], founded: 1912, principal: '孙明华' },
  { k: 'lcsx_dh', name: '临川市实验小学东湖校区', short: '市实小东湖校区', d: 'CD', type: 'primary', loc: 'urban', tags: ['new'], founded: 2021 },
  { k: 'cd_xc', name: '城东区新城小学', d: 'CD', type: 'primary', loc: 'urban', tags: ['new', 'suburban'], founded: 2022 },
  { k: 'cd_bj', name: '城东区滨江小学', d: 'CD', type: 'primary', loc: 'urban', founded: 1986 },
  { k: 'cd_jfl', name: '城东区解放路小学', d: 'CD', type: 'primary', loc: 'urban', tags: ['quality'], founded: 1951 },
  { k: 'cd_dh', name: '城东区东湖小学', d: 'CD', type: 'primary', loc: 'urban', founded: 1978 },
  { k: 'cd_ml', name: '城东区马岭小学', d: 'CD', type: 'primary', loc: 'urban', tags: ['suburban', 'weak'], founded: 1965 },
  { k: 'lcwgy', name: '临川市外国语学校', short: '市外国语', d: 'CD', type: 'twelve_year', loc: 'urban', own: 'private', tags: ['quality'], founded: 2003 },
  { k: 'lcby', name: '临川市博雅实验学校', d: 'CD', type: 'nine_year', loc: 'urban', own: 'private', founded: 2010 },
  { k: 'lc1z', name: '临川市第一中学', short: '临川一中', d: 'CD', type: 'complete_secondary', loc: 'urban', tags: ['quality'], founded: 1902 },
  { k: 'lc2z', name: '临川市第二中学', short: '临川二中', d: 'CD', type: 'senior', loc: 'urban', tags: ['quality'], founded: 1928 },
  { k: 'lc3z', name: '临川市第三中学', short: '临川三中', d: 'CD', type: 'complete_secondary', loc: 'urban', founded: 1956 },
  { k: 'cd_1c', name: '城东区第一初级中学', d: 'CD', type: 'junior', loc: 'urban', tags: ['quality'], founded: 1960 },
  { k: 'cd_2c', name: '城东区第二初级中学', d: 'CD', type: 'junior', loc: 'urban', founded: 1972 },
  { k: 'cd_3c', name: '城东区第三初级中学', d: 'CD', type: 'junior', loc: 'urban', tags: ['weak', 'suburban'], founded: 1983 },
  { k: 'cd_dhc', name: '城东区东湖初级中学', d: 'CD', type: 'junior', loc: 'urban', tags: ['new'], founded: 2020 },
  { k: 'cd_sy', name: '城东区实验学校', d: 'CD', type: 'nine_year', loc: 'urban', founded: 1995 },
  { k: 'lczz', name: '临川市职业中等专业学校', short: '临川职专', d: 'CD', type: 'vocational', loc: 'urban', tags: ['quality'], founded: 1980 },
  { k: 'lchx', name: '临川市华信职业学校', d: 'CD', type: 'vocational', loc: 'urban', own: 'private', founded: 2008 },
  { k: 'lctj', name: '临川市特殊教育学校', d: 'CD', type: 'special', loc: 'urban', founded: 1988 },
  { k: 'lcjg', name: '临川市机关幼儿园', d: 'CD', type: 'kindergarten', loc: 'urban', tags: ['quality'], founded: 1952 },
  { k: 'cd_syy', name: '城东区实验幼儿园', d: 'CD', type: 'kindergarten', loc: 'urban', founded: 1985 },
  { k: 'cd_dhy', name: '城东区东湖幼儿园', d: 'CD', type: 'kindergarten', loc: 'urban', tags: ['new'], founded: 2021 },
  { k: 'lcqmx', name: '临川市启明星幼儿园', d: 'CD', type: 'kindergarten', loc: 'urban', own: 'private', founded: 2012 },
  // 青山县
  { k: 'qs_sx', name: '青山县实验小学', d: 'QS', type: 'primary', loc: 'county_town', tags: ['quality'], founded: 1940 },
  { k: 'qs_cg2', name: '青山县城关第二小学', d: 'QS', type: 'primary', loc: 'county_town', founded: 1975 },
  { k: 'qs_cgzx', name: '青山县城关镇中心小学', d: 'QS', type: 'primary', loc: 'county_town', founded: 1958 },
  { k: 'qs_1z', name: '青山县第一中学', d: 'QS', type: 'complete_secondary', loc: 'county_town', tags: ['quality'], founded: 1923 },
  { k: 'qs_2z', name: '青山县第二中学', d: 'QS', type: 'junior', loc: 'county_town', founded: 1968 },
  { k: 'qs_zg', name: '青山县职业高级中学', d: 'QS', type: 'vocational', loc: 'county_town', founded: 1984 },
  { k: 'qs_tj', name: '青山县特殊教育学校', d: 'QS', type: 'special', loc: 'county_town', tags: ['small'], founded: 2012 },
  { k: 'qs_cgy', name: '青山县城关幼儿园', d: 'QS', type: 'kindergarten', loc: 'county_town', founded: 1980 },
  { k: 'qs_smx', name: '青山县石门镇中心小学', d: 'QS', type: 'primary', loc: 'township', tags: ['rural'], founded: 1956, town: '石门镇', principal: '刘德福' },
  { k: 'qs_smz', name: '青山县石门镇中学', d: 'QS', type: 'junior', loc: 'township', tags: ['rural', 'weak'], founded: 1969, town: '石门镇' },
  { k: 'qs_smy', name: '青山县石门镇中心幼儿园', d: 'QS', type: 'kindergarten', loc: 'township', tags: ['rural'], founded: 2014, town: '石门镇' },
  {
    k: 'qs_smc',
    name: '青山县石门村教学点',
    d: 'QS',
    type: 'teaching_point',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1958,
    town: '石门镇',
    village: '石门村',
  },
  {
    k: 'qs_hl',
    name: '青山县石门镇黄岭村小学',
    d: 'QS',
    type: 'primary',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1963,
    town: '石门镇',
    village: '黄岭村',
  },
  { k: 'qs_bsx', name: '青山县白沙乡中心小学', d: 'QS', type: 'primary', loc: 'township', tags: ['rural', 'weak'], founded: 1962, town: '白沙乡' },
  { k: 'qs_bsy', name: '青山县白沙乡中心幼儿园', d: 'QS', type: 'kindergarten', loc: 'township', tags: ['rural', 'new'], founded: 2020, town: '白沙乡' },
  {
    k: 'qs_zl',
    name: '青山县白沙乡竹林村小学',
    d: 'QS',
    type: 'primary',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1965,
    town: '白沙乡',
    village: '竹林村',
  },
  { k: 'qs_ltx', name: '青山县龙潭镇中心小学', d: 'QS', type: 'primary', loc: 'township', tags: ['rural'], founded: 1957, town: '龙潭镇' },
  { k: 'qs_ltz', name: '青山县龙潭镇中学', d: 'QS', type: 'junior', loc: 'township', tags: ['rural'], founded: 1970, town: '龙潭镇' },
  { k: 'qs_lt9', name: '青山县龙潭镇九年一贯制学校', d: 'QS', type: 'nine_year', loc: 'township', tags: ['rural'], founded: 1972, town: '龙潭镇' },
  {
    k: 'qs_ty',
    name: '青山县龙潭镇桃源村教学点',
    d: 'QS',
    type: 'teaching_point',
    loc: 'village',
    tags: ['rural', 'small'],
    founded: 1960,
    town: '龙潭镇',
    village: '桃源村',
  },
  {
    k: 'qs_mz',
    name: '青山县白沙乡茅竹村幼儿园',
    d: 'QS',
    type: 'kindergarten',
    loc: 'village',
    tags: ['rural', 'small'],
    founded: 2018,
    town: '白沙乡',
    village: '茅竹村',
  },
  // 河口县
  { k: 'hk_1x', name: '河口县第一小学', d: 'HK', type: 'primary', loc: 'county_town', tags: ['quality'], founded: 1930 },
  { k: 'hk_2x', name: '河口县第二小学', d: 'HK', type: 'primary', loc: 'county_town', founded: 1978 },
  { k: 'hk_1z', name: '河口县第一中学', d: 'HK', type: 'complete_secondary', loc: 'county_town', tags: ['quality'], founded: 1938 },
  { k: 'hk_2z', name: '河口县第二中学', d: 'HK', type: 'senior', loc: 'county_town', founded: 1958 },
  { k: 'hk_cgc', name: '河口县城关初级中学', d: 'HK', type: 'junior', loc: 'county_town', founded: 1970 },
  { k: 'hk_zj', name: '河口县职业技术学校', d: 'HK', type: 'vocational', loc: 'county_town', founded: 1985 },
  { k: 'hk_tj', name: '河口县特殊教育学校', d: 'HK', type: 'special', loc: 'county_town', tags: ['small', 'new'], founded: 2019 },
  { k: 'hk_syy', name: '河口县实验幼儿园', d: 'HK', type: 'kindergarten', loc: 'county_town', founded: 1983 },
  { k: 'hk_yc', name: '河口县育才学校', d: 'HK', type: 'twelve_year', loc: 'county_town', own: 'private', founded: 2015 },
  { k: 'hk_yl9', name: '河口县杨柳乡九年一贯制学校', d: 'HK', type: 'nine_year', loc: 'township', tags: ['rural', 'weak'], founded: 1968, town: '杨柳乡' },
  { k: 'hk_ylx', name: '河口县杨柳乡中心小学', d: 'HK', type: 'primary', loc: 'township', tags: ['rural', 'weak'], founded: 1960, town: '杨柳乡' },
  { k: 'hk_yly', name: '河口县杨柳乡中心幼儿园', d: 'HK', type: 'kindergarten', loc: 'township', tags: ['rural'], founded: 2016, town: '杨柳乡' },
  {
    k: 'hk_gq',
    name: '河口县杨柳乡高桥村小学',
    d: 'HK',
    type: 'primary',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1966,
    town: '杨柳乡',
    village: '高桥村',
  },
  {
    k: 'hk_sq',
    name: '河口县杨柳乡石桥村教学点',
    d: 'HK',
    type: 'teaching_point',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1961,
    town: '杨柳乡',
    village: '石桥村',
  },
  { k: 'hk_dkx', name: '河口县渡口镇中心小学', d: 'HK', type: 'primary', loc: 'township', tags: ['rural'], founded: 1955, town: '渡口镇' },
  { k: 'hk_dkc', name: '河口县渡口镇初级中学', d: 'HK', type: 'junior', loc: 'township', tags: ['rural'], founded: 1966, town: '渡口镇' },
  { k: 'hk_dky', name: '河口县渡口镇中心幼儿园', d: 'HK', type: 'kindergarten', loc: 'township', tags: ['rural'], founded: 2015, town: '渡口镇' },
  {
    k: 'hk_lw',
    name: '河口县渡口镇柳湾村教学点',
    d: 'HK',
    type: 'teaching_point',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1959,
    town: '渡口镇',
    village: '柳湾村',
  },
  {
    k: 'hk_sz',
    name: '河口县渡口镇沙洲村小学',
    d: 'HK',
    type: 'primary',
    loc: 'village',
    tags: ['rural', 'small'],
    founded: 1964,
    town: '渡口镇',
    village: '沙洲村',
  },
];

const ROADS = ['人民路', '解放路', '建设路', '文化路', '东湖路', '滨江大道', '新华路', '学府路', '青年路', '中山路', '育才路', '光明路'];

// ---- alliances --------------------------------------------------------------------------------

interface AllianceSpec {
  name: string;
  kind: 'fusion' | 'aggregation' | 'union';
  pattern: 'mother_child' | 'mentor' | 'partner' | 'urban_rural';
  region: 'CITY' | keyof typeof DISTRICTS;
  core: string;
  members: string[];
  exited?: { k: string; monthsAgo: number; reason: string; by: 'bureau' | 'secretary' }[];
  /** months before today of the first day of the current 3-year cycle */
  cycleMonthsAgo: number;
  /** years before today's year that the alliance was founded (1 September) */
  foundedYearsAgo?: number;
  /** months ago and score of each assessment, oldest first */
  assessments: [number, number][];
  subjects: string[];
  description: string;
  charterVersions: 1 | 2;
  agreementKind: 'agreement' | 'development';
  terms: AgreementTerm[];
  costShare: [number, number];
  secretaryName: string;
}

const ALLIANCES: AllianceSpec[] = [
  {
    name: '临川市实验小学教育集团',
    kind: 'fusion',
    pattern: 'mother_child',
    region: 'CITY',
    core: 'lcsx',
    members: ['lcsx_dh', 'cd_xc', 'cd_ml', 'qs_cg2'],
    exited: [{ k: 'cd_dh', monthsAgo: 16, reason: '学区划片调整，改由城东区实验学校统筹帮扶', by: 'bureau' }],
    cycleMonthsAgo: 14,
    foundedYearsAgo: 11,
    assessments: [
      [29, 84.5],
      [5, 91],
    ],
    subjects: ['chinese', 'math', 'english'],
    description: '以临川市实验小学为龙头，“一长多校、统一法人”的紧密型融合集团，统一管理、统一师资调配、统一教学质量评价，带动新建校和城郊薄弱校快速成长。',
    charterVersions: 2,
    agreementKind: 'agreement',
    terms: [
      { kind: 'key_teacher_exchange_pct', op: '>=', value: 10, unit: '%', note: '以上一学年末骨干教师数为基数' },
      { kind: 'joint_research_per_month', op: '>=', value: 2, note: '每个学科工作组' },
      { kind: 'cost_share_per_student', op: 'between', value: 20, value2: 30, unit: '元/生/年' },
      { kind: 'teacher_exchange_pct', op: '>=', value: 15, unit: '%' },
    ],
    costShare: [20, 30],
    secretaryName: '李秀梅',
  },
  {
    name: '临川一中城乡教育共同体',
    kind: 'aggregation',
    pattern: 'urban_rural',
    region: 'CITY',
    core: 'lc1z',
    members: ['qs_2z', 'qs_smz', 'hk_yl9', 'qs_ltz'],
    exited: [{ k: 'hk_cgc', monthsAgo: 20, reason: '已纳入河口县第一中学县域共同体，经理事会同意退出', by: 'secretary' }],
    cycleMonthsAgo: 26,
    foundedYearsAgo: 7,
    assessments: [
      [32, 82],
      [8, 92.5],
    ],
    subjects: ['math', 'physics', 'english'],
    description: '临川一中与青山、河口两县农村初中城乡结对，通过同步课堂、骨干教师送教和学生研学营缩小城乡差距。',
    charterVersions: 2,
    agreementKind: 'agreement',
    terms: [
      { kind: 'key_teacher_exchange_pct', op: '>=', value: 10, unit: '%' },
      { kind: 'joint_research_per_month', op: '>=', value: 2 },
      { kind: 'student_activity_coverage_pct', op: '>=', value: 60, unit: '%', note: '农村成员校学生参加跨校研学' },
      { kind: 'cost_share_per_student', op: 'between', value: 20, value2: 25, unit: '元/生/年' },
    ],
    costShare: [20, 25],
    secretaryName: '何志强',
  },
  {
    name: '城东区初中学科联盟',
    kind: 'union',
    pattern: 'partner',
    region: 'CD',
    core: 'cd_1c',
    members: ['cd_2c', 'cd_3c', 'cd_dhc', 'cd_sy'],
    cycleMonthsAgo: 2,
    assessments: [],
    subjects: ['math', 'chemistry'],
    description: '城东区初中校以学科为纽带组成的松散型伙伴联盟，围绕中考命题研究、实验教学和作业设计开展项目化合作。',
    charterVersions: 1,
    agreementKind: 'agreement',
    terms: [
      { kind: 'joint_research_per_month', op: '>=', value: 2 },
      { kind: 'facility_open_hours_per_week', op: '>=', value: 6, unit: '小时', note: '理化生实验室' },
    ],
    costShare: [15, 20],
    secretaryName: '高雅琴',
  },
  {
    name: '青山县师徒结对发展共同体',
    kind: 'aggregation',
    pattern: 'mentor',
    region: 'QS',
    core: 'qs_sx',
    members: ['qs_smx', 'qs_bsx', 'qs_zl', 'qs_ltx'],
    cycleMonthsAgo: 20,
    foundedYearsAgo: 4,
    assessments: [[27, 58.5]],
    subjects: ['chinese', 'math', 'science'],
    description: '青山县实验小学与乡镇、村小“师徒结对”，名师工作室带徒、薄弱学科送教下乡，重点提升农村小学语文、数学和科学教学质量。',
    charterVersions: 2,
    agreementKind: 'development',
    terms: [
      { kind: 'key_teacher_exchange_pct', op: '>=', value: 10, unit: '%' },
      { kind: 'teacher_exchange_pct', op: '>=', value: 12, unit: '%' },
      { kind: 'joint_research_per_month', op: '>=', value: 2 },
      { kind: 'cost_share_per_student', op: 'between', value: 20, value2: 30, unit: '元/生/年' },
    ],
    costShare: [20, 30],
    secretaryName: '曾晓红',
  },
  {
    name: '河口县第一小学教育集团',
    kind: 'fusion',
    pattern: 'mentor',
    region: 'HK',
    core: 'hk_1x',
    members: ['hk_2x', 'hk_dkx', 'hk_ylx', 'hk_gq'],
    cycleMonthsAgo: 8,
    assessments: [],
    subjects: ['chinese', 'math'],
    description: '河口县第一小学牵头的县域融合型教育集团，实行“一个法人、统一管理、经费统筹、教师统一调配”，兜底帮扶乡村薄弱小学。',
    charterVersions: 1,
    agreementKind: 'development',
    terms: [
      { kind: 'key_teacher_exchange_pct', op: '>=', value: 15, unit: '%' },
      { kind: 'teacher_exchange_pct', op: '>=', value: 20, unit: '%' },
      { kind: 'cost_share_per_student', op: 'between', value: 25, value2: 30, unit: '元/生/年' },
    ],
    costShare: [25, 30],
    secretaryName: '彭文静',
  },
  {
    name: '临川市职业教育集团',
    kind: 'union',
    pattern: 'partner',
    region: 'CITY',
    core: 'lczz',
    members: ['lchx', 'qs_zg', 'hk_zj'],
    cycleMonthsAgo: 29,
    foundedYearsAgo: 9,
    assessments: [
      [54, 72],
      [30, 80],
    ],
    subjects: ['it', 'general_tech'],
    description: '中职学校与园区企业、高职院校组成的产教融合联盟，共建实训基地、共享“双师型”教师、开展中高职贯通培养。',
    charterVersions: 1,
    agreementKind: 'agreement',
    terms: [
      { kind: 'facility_open_hours_per_week', op: '>=', value: 12, unit: '小时', note: '实训基地' },
      { kind: 'teacher_exchange_pct', op: '>=', value: 10, unit: '%' },
      { kind: 'student_activity_coverage_pct', op: '>=', value: 80, unit: '%', note: '学生企业实践覆盖率' },
    ],
    costShare: [20, 30],
    secretaryName: '杜宏伟',
  },
  {
    name: '临川市学前教育共同体',
    kind: 'aggregation',
    pattern: 'mentor',
    region: 'CITY',
    core: 'lcjg',
    members: ['cd_syy', 'cd_dhy', 'qs_cgy', 'qs_smy', 'hk_syy', 'hk_yly'],
    cycleMonthsAgo: 11,
    foundedYearsAgo: 3,
    assessments: [[10, 71]],
    subjects: ['art', 'music', 'pe'],
    description: '以临川市机关幼儿园为核心的城乡幼儿园共同体，推进游戏化课程、保教质量评估和乡镇园园长跟岗培训。',
    charterVersions: 1,
    agreementKind: 'agreement',
    terms: [
      { kind: 'joint_research_per_month', op: '>=', value: 1 },
      { kind: 'teacher_exchange_pct', op: '>=', value: 10, unit: '%' },
    ],
    costShare: [15, 20],
    secretaryName: '汪美玲',
  },
  {
    name: '临川市特殊教育资源联盟',
    kind: 'union',
    pattern: 'urban_rural',
    region: 'CITY',
    core: 'lctj',
    members: ['qs_tj', 'hk_tj'],
    cycleMonthsAgo: 4,
    assessments: [],
    subjects: ['psychology', 'pe'],
    description: '市特殊教育学校牵头，与县特教学校和普通学校资源教室结对，开展送教上门、康复训练和随班就读巡回指导。',
    charterVersions: 1,
    agreementKind: 'agreement',
    terms: [
      { kind: 'joint_research_per_month', op: '>=', value: 1 },
      { kind: 'facility_open_hours_per_week', op: '>=', value: 8, unit: '小时', note: '康复训练室' },
    ],
    costShare: [10, 20],
    secretaryName: '钟慧敏',
  },
];

// ---- partners ---------------------------------------------------------------------------------

interface PartnerSpec {
  name: string;
  kind: 'enterprise' | 'university' | 'museum' | 'community' | 'foundation' | 'other';
  contact: string;
  description: string;
  /** alliance index → what the partner offers */
  offers: [number, string][];
}

const PARTNERS: PartnerSpec[] = [
  {
    name: '临川科技馆',
    kind: 'museum',
    contact: '吴海涛',
    description: '市级综合性科技馆，设有少儿科学乐园和创客工坊。',
    offers: [
      [0, '提供科技馆研学场地，每学期开放4次集团专场'],
      [2, '共建初中物理、化学实验拓展课程基地'],
    ],
  },
  {
    name: '江北师范大学',
    kind: 'university',
    contact: '严守仁',
    description: '省属师范大学，教育学院、学前教育学院对口支持临川市基础教育。',
    offers: [
      [1, '派出学科教学论专家指导城乡联合教研'],
      [3, '师范生顶岗支教与乡村骨干教师研修'],
      [6, '学前教育学院专家驻园指导游戏化课程'],
    ],
  },
  {
    name: '临川市博物馆',
    kind: 'museum',
    contact: '秦雅琴',
    description: '国家二级博物馆，馆藏地方历史文物与非遗展品。',
    offers: [
      [0, '开设“博物馆里的课堂”研学课程'],
      [1, '为农村学生提供免费讲解与研学路线'],
    ],
  },
  {
    name: '江北智造科技有限公司',
    kind: 'enterprise',
    contact: '陆振宇',
    description: '智能制造装备企业，省级专精特新企业。',
    offers: [
      [5, '派出工程师担任科创导师，共建智能制造实训室'],
      [2, '赞助青少年科创竞赛器材'],
    ],
  },
  {
    name: '临川市青少年发展基金会',
    kind: 'foundation',
    contact: '苏淑芬',
    description: '市级公募基金会，关注城乡教育均衡与留守儿童成长。',
    offers: [
      [1, '设立城乡教师交流专项奖励基金，每年20万元'],
      [3, '资助乡村学校图书角与科学实验器材'],
      [4, '资助乡村小学“营养午餐+阅读”项目'],
    ],
  },
  {
    name: '城东区东湖街道社区',
    kind: 'community',
    contact: '梁桂英',
    description: '街道社区服务中心，下辖8个社区。',
    offers: [
      [6, '提供社区托育与家庭教育指导站'],
      [2, '开放社区文化站作为学生志愿服务基地'],
    ],
  },
  {
    name: '临川电子信息产业园',
    kind: 'enterprise',
    contact: '熊家豪',
    description: '市级电子信息产业园区，入驻企业60余家。',
    offers: [[5, '每年提供顶岗实习岗位300个，共建订单班']],
  },
  {
    name: '江北农业职业技术学院',
    kind: 'university',
    contact: '段继平',
    description: '国家优质高职院校。',
    offers: [
      [5, '开展中高职贯通“3+2”培养，开放农业实训基地'],
      [3, '提供劳动教育与自然研学基地'],
    ],
  },
  {
    name: '临川市残疾人康复中心',
    kind: 'other',
    contact: '孟凤英',
    description: '市残联直属康复机构。',
    offers: [[7, '派出康复治疗师参与送教上门，捐赠康复训练设备']],
  },
];

// ---- membership applications ------------------------------------------------------------------

type AppStatus = 'submitted' | 'evaluated' | 'recommended' | 'approved' | 'rejected' | 'withdrawn';
interface ApplicationSpec {
  alliance: number;
  school: string;
  status: AppStatus;
  /** days before today the application was submitted */
  daysAgo: number;
  reason: string;
  /** for rejected: the step that failed */
  rejectedAt?: 'evaluate' | 'approve';
  rejectComment?: string;
}

const APPLICATIONS: ApplicationSpec[] = [
  {
    alliance: 0,
    school: 'qs_smx',
    status: 'submitted',
    daysAgo: 3,
    reason: '我校为乡镇中心小学，英语、科学专任教师紧缺，希望加入集团共享优质课程和名师资源，参与联合教研。',
  },
  { alliance: 1, school: 'qs_lt9', status: 'submitted', daysAgo: 6, reason: '我校初中部数学、物理学科薄弱，希望通过城乡共同体开展同步课堂和送教活动。' },
  { alliance: 3, school: 'qs_cgzx', status: 'submitted', daysAgo: 9, reason: '希望与县实验小学师徒结对，提升青年教师课堂教学能力。' },
  { alliance: 6, school: 'hk_dky', status: 'submitted', daysAgo: 2, reason: '我园为乡镇中心幼儿园，希望学习游戏化课程建设经验。' },
  {
    alliance: 1,
    school: 'cd_3c',
    status: 'evaluated',
    daysAgo: 21,
    reason: '我校为城郊薄弱初中，生源以进城务工人员随迁子女为主，希望加入共同体共享一中优质教研资源。',
  },
  { alliance: 2, school: 'lc3z', status: 'evaluated', daysAgo: 15, reason: '我校初中部希望参与学科联盟的中考命题研究和实验教学合作。' },
  { alliance: 3, school: 'qs_smc', status: 'evaluated', daysAgo: 18, reason: '教学点仅有3名教师，急需同步课堂和送教支持。' },
  { alliance: 6, school: 'qs_bsy', status: 'evaluated', daysAgo: 25, reason: '新建乡镇幼儿园，教师均为新入职，希望获得跟岗培训机会。' },
  { alliance: 0, school: 'cd_bj', status: 'recommended', daysAgo: 40, reason: '我校与实验小学同在东湖片区，希望加入集团实行统一管理，共享师资与课程。' },
  { alliance: 3, school: 'qs_ty', status: 'recommended', daysAgo: 35, reason: '教学点缺少音乐、美术教师，希望通过共同体获得送教和线上课程。' },
  { alliance: 4, school: 'hk_sz', status: 'recommended', daysAgo: 30, reason: '村小规模小、教师老龄化，申请并入县一小教育集团统一管理。' },
  { alliance: 1, school: 'hk_dkc', status: 'approved', daysAgo: 150, reason: '我校希望借助城乡共同体提升中考质量，开展学生研学活动。' },
  { alliance: 3, school: 'qs_hl', status: 'approved', daysAgo: 200, reason: '申请加入共同体，与县实验小学结对帮扶。' },
  { alliance: 7, school: 'cd_jfl', status: 'approved', daysAgo: 60, reason: '我校设有资源教室，随班就读学生12名，希望获得特教学校巡回指导。' },
  {
    alliance: 0,
    school: 'lcwgy',
    status: 'rejected',
    daysAgo: 120,
    reason: '希望加入集团开展课程共建。',
    rejectedAt: 'evaluate',
    rejectComment: '民办学校独立法人，不符合融合型集团“统一法人”要求，建议申请加入联合型学科联盟。',
  },
  {
    alliance: 4,
    school: 'hk_yc',
    status: 'rejected',
    daysAgo: 90,
    reason: '希望加入集团共享县一小的管理经验。',
    rejectedAt: 'approve',
    rejectComment: '融合型集团成员须为公办学校，不予批准。',
  },
  { alliance: 2, school: 'lcby', status: 'withdrawn', daysAgo: 70, reason: '申请参与初中学科联盟项目合作。' },
  { alliance: 6, school: 'lcqmx', status: 'withdrawn', daysAgo: 45, reason: '希望加入学前教育共同体参与保教质量评估。' },
];

// ---- milestones -------------------------------------------------------------------------------

const MILESTONES: ['preparation' | 'implementation' | 'deepening', number, string][] = [
  ['preparation', 1, '审议通过章程，签订合作协议'],
  ['preparation', 2, '组建理事会、监事会与秘书处'],
  ['preparation', 4, '完成成员校办学条件与资源普查'],
  ['preparation', 6, '制定三年发展规划与年度工作计划'],
  ['implementation', 9, '启动首轮骨干教师交流轮岗'],
  ['implementation', 12, '建立学科工作组联合教研常态机制'],
  ['implementation', 15, '共享课程资源库与设施预约上线'],
  ['implementation', 18, '开展学生跨校研学与社团活动'],
  ['implementation', 24, '完成中期评估并公布结果'],
  ['deepening', 28, '形成特色课程群并在成员校推广'],
  ['deepening', 32, '总结提炼典型经验，形成案例集'],
  ['deepening', 36, '完成周期总结评估，制定下一周期规划'],
];

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

  // alliances
  const rngAll = new Rng('demo/alliances');
  const regionIdOf = (r: AllianceSpec['region']) => (r === 'CITY' ? CITY.id : DISTRICTS[r].id);
  let memberSerial = 0;
  let bodySerial = 0;
  let bodyMemberSerial = 0;
  let docSerial = 0;
  let versionSerial = 0;
  let milestoneSerial = 0;
  let assessmentSerial = 0;
  const allianceIds: string[] = [];
  const secretaryOf = new Map<string, string>();
  const approvedJoins = new Map<string, { school: string; on: string }[]>();
  // approved applications turn into memberships
  APPLICATIONS.forEach((a) => {
    if (a.status !== 'approved') return;
    const on = addDays(today, -a.daysAgo + 24);
    const list = approvedJoins.get(String(a.alliance)) ?? [];
    list.push({ school: a.school, on });
    approvedJoins.set(String(a.alliance), list);
  });

  ALLIANCES.forEach((a, ai) => {
    const id = `a_${pad(ai + 1, 4)}`;
    allianceIds.push(id);
    const regionId = regionIdOf(a.region);
    const cycleStart = monthStart(today, -a.cycleMonthsAgo);
    const founded = a.foundedYearsAgo ? minDate(`${Y - a.foundedYearsAgo}-09-01`, cycleStart) : cycleStart;
    const assessed = a.assessments.map(([monthsAgo, score]) => ({ on: addDays(monthStart(today, -monthsAgo), 14), score }));
    const last = assessed.length ? assessed[assessed.length - 1].on : null;
    const core = school(a.core);
    const createdAt = instant(maxDate(founded, setupDay), 120);
    data.alliances.push({
      id,
      region_id: regionId,
      name: a.name,
      kind: a.kind,
      pattern: a.pattern,
      core_school_id: core.id,
      description: a.description,
      status: 'active',
      founded_on: founded,
      cycle_start_on: cycleStart,
      last_assessed_on: last,
      created_at: createdAt,
      updated_at: instant(maxDate(last ?? founded, maxDate(cycleStart, setupDay)), 120),
    });

    // secretary account for every alliance (the demo `secretary` runs the first one)
    let secretaryId = 'u_secretary';
    if (ai > 0) {
      secretaryId = `u_sec_${id}`;
      addUser({ id: secretaryId, username: `sec_${id}`, name: a.secretaryName, schoolId: core.id, regionId });
      grant(secretaryId, 'alliance_admin', id);
    }
    secretaryOf.set(id, secretaryId);

    // members
    const joinedOn = (k: string) => maxDate(founded, `${school(k).founded_year}-09-01`);
    const addMember = (k: string, role: 'core' | 'member', on: string, exit?: { on: string; reason: string; by: string }) => {
      memberSerial++;
      data.members.push({
        id: `m_${pad(memberSerial, 5)}`,
        alliance_id: id,
        school_id: school(k).id,
        alliance_kind: a.kind,
        role,
        status: exit ? 'exited' : 'active',
        joined_on: on,
        exited_on: exit?.on ?? null,
        exit_reason: exit?.reason ?? null,
        exit_by: exit?.by ?? null,
        created_at: instant(maxDate(on, setupDay), 150),
      });
    };
    addMember(a.core, 'core', founded);
    for (const k of a.members) addMember(k, 'member', joinedOn(k));
    for (const e of a.exited ?? []) {
      const exitOn = monthStart(today, -e.monthsAgo);
      addMember(e.k, 'member', joinedOn(e.k) < exitOn ? joinedOn(e.k) : founded, {
        on: exitOn,
        reason: e.reason,
        by: e.by === 'bureau' ? bureauOf[regionId] : secretaryId,
      });
    }
    for (const j of approvedJoins.get(String(ai)) ?? []) addMember(j.school, 'member', j.on);

    // partners
    PARTNERS.forEach((p, pi) => {
      for (const [allianceIndex, offers] of p.offers) {
        if (allianceIndex !== ai) continue;
        data.alliancePartners.push({
          alliance_id: id,
          partner_id: `p_${pad(pi + 1, 4)}`,
          offers,
          joined_on: minDate(addMonths(maxDate(founded, setupDay), rngAll.int(0, 3)), today),
        });
      }
    });

    // governance
    const termStart = cycleStart;
    const termEnd = addYears(termStart, 3);
    const bodyAt = instant(maxDate(termStart, setupDay), 180);
    const memberSchools = a.members.map(school);
    const addBody = (kind: GovernanceBodiesTable['kind'], name: string, subject: string | null = null, host: string | null = null) => {
      bodySerial++;
      const bid = `gb_${pad(bodySerial, 4)}`;
      data.bodies.push({ id: bid, alliance_id: id, kind, name, subject, host_school_id: host, created_at: bodyAt });
      return bid;
    };
    const addBodyMember = (bodyId: string, person: string, position: string, schoolId: string | null, userId: string | null = null) => {
      bodyMemberSerial++;
      data.bodyMembers.push({
        id: `bm_${pad(bodyMemberSerial, 5)}`,
        body_id: bodyId,
        person_name: person,
        user_id: userId,
        school_id: schoolId,
        position,
        term_start: termStart,
        term_end: termEnd,
        created_at: bodyAt,
      });
    };
    const council = addBody('council', '理事会');
    addBodyMember(council, core.principal!, '理事长', core.id, schoolAdminOf.get(core.id) ?? null);
    memberSchools.forEach((m, mi) => addBodyMember(council, m.principal!, mi === 0 ? '副理事长' : '理事', m.id, schoolAdminOf.get(m.id) ?? null));
    const supervisory = addBody('supervisory', '监事会');
    addBodyMember(supervisory, personName(rngAll), '监事长', null);
    for (const m of memberSchools.slice(0, 2)) addBodyMember(supervisory, personName(rngAll), '监事', m.id);
    if (a.kind === 'fusion') {
      const foundation = addBody('foundation', `${a.name.replace(/教育集团$/, '')}教育发展基金会`);
      addBodyMember(foundation, personName(rngAll), '理事长', null);
      addBodyMember(foundation, personName(rngAll), '秘书长', core.id);
    }
    const secretariat = addBody('secretariat', '秘书处');
    addBodyMember(secretariat, a.secretaryName, '秘书长', core.id, secretaryId);
    addBodyMember(secretariat, personName(rngAll), '副秘书长', memberSchools[0]?.id ?? core.id);
    addBodyMember(secretariat, personName(rngAll), '干事', core.id);
    const experts = addBody('experts', '专家委员会');
    addBodyMember(experts, personName(rngAll), '主任委员', null);
    addBodyMember(experts, personName(rngAll), '委员', null);
    addBodyMember(experts, teachersOf.get(core.id)![0].display_name, '委员', core.id, teachersOf.get(core.id)![0].id);
    const hosts = [core, ...memberSchools];
    a.subjects.forEach((subject, si) => {
      const host = hosts[si % hosts.length];
      const label = SUBJECTS.label(subject);
      const g = addBody('subject_group', `${label}学科工作组`, subject, host.id);
      const hostTeacher = teachersOf.get(host.id)![si % 3];
      addBodyMember(g, hostTeacher.display_name, '组长', host.id, hostTeacher.id);
      const other = hosts[(si + 1) % hosts.length];
      addBodyMember(g, teachersOf.get(other.id)![(si + 1) % 3].display_name, '副组长', other.id, teachersOf.get(other.id)![(si + 1) % 3].id);
      addBodyMember(g, personName(rngAll), '成员', hosts[(si + 2) % hosts.length].id);
    });

    // documents: charter (1–2 versions) and a 3-year agreement, each version with a Markdown file
    const memberNames = memberSchools.map((m) => m.name);
    const docBy = ai === 0 ? 'u_secretary' : secretaryId;
    const regionName = a.region === 'CITY' ? CITY.name : `${CITY.name}${DISTRICTS[a.region].name}`;
    docSerial++;
    const charterId = `d_${pad(docSerial, 4)}`;
    const charterDates = a.charterVersions === 2 ? [founded, cycleStart === founded ? addMonths(founded, 3) : cycleStart] : [founded];
    data.documents.push({
      id: charterId,
      alliance_id: id,
      kind: 'charter',
      title: `${a.name}章程`,
      current_version: charterDates.length,
      created_by: docBy,
      created_at: instant(maxDate(founded, setupDay), 200),
      updated_at: instant(maxDate(charterDates[charterDates.length - 1], setupDay), 200),
    });
    charterDates.forEach((from, vi) => {
      const version = vi + 1;
      versionSerial++;
      const vid = `dv_${pad(versionSerial, 4)}`;
      const body = charterMarkdown({
        allianceName: a.name,
        kind: a.kind,
        pattern: a.pattern,
        coreSchool: core.name,
        members: memberNames,
        regionName,
        foundedOn: founded,
        version,
        effectiveFrom: from,
        costShare: a.costShare,
      });
      const key = `documents/${charterId}/v${version}.md`;
      data.files.push({ key, body: Buffer.from(body, 'utf8'), versionId: vid });
      const terms: AgreementTerm[] = [
        { kind: 'key_teacher_exchange_pct', op: '>=', value: 10, unit: '%' },
        { kind: 'joint_research_per_month', op: '>=', value: 2 },
      ];
      if (version > 1) terms.push({ kind: 'cost_share_per_student', op: 'between', value: a.costShare[0], value2: a.costShare[1], unit: '元/生/年' });
      data.versions.push({
        id: vid,
        document_id: charterId,
        version,
        file_key: key,
        file_name: version > 1 ? `${a.name}章程（修订）.md` : `${a.name}章程.md`,
        file_size: null,
        mime: 'text/markdown; charset=utf-8',
        sha256: null,
        terms: JSON.stringify(terms),
        effective_from: from,
        effective_to: vi + 1 < charterDates.length ? addDays(charterDates[vi + 1], -1) : null,
        note: version > 1 ? '增加成员校动态调整条款，明确经费分担标准' : '理事会审议通过',
        created_by: docBy,
        created_at: instant(maxDate(from, setupDay), 210),
      });
    });
    docSerial++;
    const agreementId = `d_${pad(docSerial, 4)}`;
    const agreementTo = addDays(addYears(cycleStart, 3), -1);
    const agreementTitle = `${a.name}${a.agreementKind === 'development' ? '发展协议书' : '合作协议'}（${yearOf(cycleStart)}—${yearOf(cycleStart) + 3}年）`;
    data.documents.push({
      id: agreementId,
      alliance_id: id,
      kind: a.agreementKind,
      title: agreementTitle,
      current_version: 1,
      created_by: docBy,
      created_at: instant(maxDate(cycleStart, setupDay), 220),
      updated_at: instant(maxDate(cycleStart, setupDay), 220),
    });
    versionSerial++;
    const avid = `dv_${pad(versionSerial, 4)}`;
    const akey = `documents/${agreementId}/v1.md`;
    data.files.push({
      key: akey,
      body: Buffer.from(
        agreementMarkdown({
          title: agreementTitle,
          allianceName: a.name,
          coreSchool: core.name,
          members: memberNames,
          from: cycleStart,
          to: agreementTo,
          terms: a.terms,
        }),
        'utf8',
      ),
      versionId: avid,
    });
    data.versions.push({
      id: avid,
      document_id: agreementId,
      version: 1,
      file_key: akey,
      file_name: `${a.agreementKind === 'development' ? '发展协议书' : '合作协议'}.md`,
      file_size: null,
      mime: 'text/markdown; charset=utf-8',
      sha256: null,
      terms: JSON.stringify(a.terms),
      effective_from: cycleStart,
      effective_to: agreementTo,
      note: '三年期协议',
      created_by: docBy,
      created_at: instant(maxDate(cycleStart, setupDay), 230),
    });

    // milestones of the current cycle
    const rngMs = new Rng(`demo/milestones/${ai}`);
    const forcedLate = ai === 3 ? 2 : ai === 0 ? 1 : 0; // open, overdue milestones
    const overdue = MILESTONES.map(([, months]) => addMonths(cycleStart, months)).filter((due) => due < today);
    MILESTONES.forEach(([phase, months, title], mi) => {
      const due = addMonths(cycleStart, months);
      let done: string | null = null;
      if (due < today) {
        const lastOverdue = overdue.length - mi <= forcedLate; // the latest overdue ones stay open
        if (lastOverdue) {
          done = null;
        } else if (rngMs.chance(0.2)) {
          done = minDate(addDays(due, rngMs.int(8, 40)), addDays(today, -1)); // done, but late
        } else {
          done = addDays(due, -rngMs.int(0, 20));
        }
      } else if (addDays(due, -45) < today && rngMs.chance(0.3)) {
        done = minDate(addDays(due, -rngMs.int(10, 40)), addDays(today, -1)); // done ahead of time
      }
      milestoneSerial++;
      data.milestones.push({
        id: `ms_${pad(milestoneSerial, 4)}`,
        alliance_id: id,
        phase,
        title,
        due_on: due,
        done_on: done,
        created_at: instant(maxDate(cycleStart, setupDay), 240),
      });
    });

    // assessments
    for (const { on, score } of assessed) {
      assessmentSerial++;
      const result = score >= 90 ? 'excellent' : score >= 80 ? 'good' : score >= 60 ? 'pass' : 'weak';
      const comment = {
        excellent: '资源共享与教师交流成效显著，成员校质量整体提升，建议总结推广。',
        good: '机制运行规范，联合教研常态化；成员校间发展仍不均衡。',
        pass: '基本完成年度任务，课程共享与学生跨校活动覆盖面偏小。',
        weak: '骨干教师交流比例未达协议要求，联合教研流于形式，限期整改并于下次复评重点核查。',
      }[result];
      data.assessments.push({
        id: `as_${pad(assessmentSerial, 4)}`,
        alliance_id: id,
        assessed_on: on,
        score,
        result,
        comment,
        assessed_by: 'u_evaluator',
        created_at: instant(on, 300),
      });
    }
  });

  // membership applications and their decisions
  let decisionSerial = 0;
  APPLICATIONS.forEach((app, i) => {
    const allianceId = allianceIds[app.alliance];
    const alliance = data.alliances[app.alliance];
    const s = school(app.school);
    const appId = `ma_${pad(i + 1, 4)}`;
    const applicant = schoolAdminOf.get(s.id)!;
    const secretary = secretaryOf.get(allianceId)!;
    const councilChair = schoolAdminOf.get(alliance.core_school_id)!;
    const bureau = bureauOf[alliance.region_id];
    const submitted = addDays(today, -app.daysAgo);
    const steps: { step: ApplicationDecisionsTable['step']; decision: 'pass' | 'fail'; actor: string; comment: string | null }[] = [
      { step: 'submit', decision: 'pass', actor: applicant, comment: null },
    ];
    const pass = {
      evaluate: { step: 'evaluate' as const, decision: 'pass' as const, actor: secretary, comment: '经实地评估，申请校办学条件和合作意愿符合联盟要求。' },
      recommend: { step: 'recommend' as const, decision: 'pass' as const, actor: councilChair, comment: '理事会审议同意，推荐报教育局审批。' },
      approve: { step: 'approve' as const, decision: 'pass' as const, actor: bureau, comment: '同意加入。' },
    };
    if (app.status === 'evaluated') steps.push(pass.evaluate);
    if (app.status === 'recommended') steps.push(pass.evaluate, pass.recommend);
    if (app.status === 'approved') steps.push(pass.evaluate, pass.recommend, pass.approve);
    if (app.status === 'rejected') {
      if (app.rejectedAt === 'approve') steps.push(pass.evaluate, pass.recommend);
      steps.push({ step: 'reject', decision: 'fail', actor: app.rejectedAt === 'approve' ? bureau : secretary, comment: app.rejectComment ?? null });
    }
    if (app.status === 'withdrawn') steps.push({ step: 'withdraw', decision: 'pass', actor: applicant, comment: '学校调整工作计划，主动撤回申请。' });
    const stepDays = [0, 7, 15, 24];
    let at = '';
    steps.forEach((st, si) => {
      decisionSerial++;
      const day = addDays(submitted, app.status === 'withdrawn' && si > 0 ? 5 : stepDays[Math.min(si, 3)]);
      at = instant(minDate(day, today), 60 + si * 37 + i);
      data.decisions.push({
        id: `ad_${pad(decisionSerial, 4)}`,
        application_id: appId,
        step: st.step,
        decision: st.decision,
        comment: st.comment,
        actor_id: st.actor,
        actor_name: userById.get(st.actor)?.display_name ?? null,
        ip: null,
        at,
      });
    });
    data.applications.push({
      id: appId,
      alliance_id: allianceId,
      school_id: s.id,
      status: app.status,
      reason: app.reason,
      applied_by: applicant,
      created_at: instant(submitted, 60 + i),
      updated_at: at,
    });
  });

  return data;
}
