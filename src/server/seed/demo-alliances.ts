/**
 * The demo alliances, partners, membership applications and milestones, as specs (seed/demo-alliance-rows.ts
 * builds the rows). Schools are named by their short key in seed/demo-schools.ts.
 */
import type { DISTRICTS } from './demo-schools.js';
import type { AgreementTerm } from './texts.js';

// ---- alliances --------------------------------------------------------------------------------

export interface AllianceSpec {
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

export const ALLIANCES: AllianceSpec[] = [
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

export interface PartnerSpec {
  name: string;
  kind: 'enterprise' | 'university' | 'museum' | 'community' | 'foundation' | 'other';
  contact: string;
  description: string;
  /** alliance index → what the partner offers */
  offers: [number, string][];
}

export const PARTNERS: PartnerSpec[] = [
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

export type AppStatus = 'submitted' | 'evaluated' | 'recommended' | 'approved' | 'rejected' | 'withdrawn';
export interface ApplicationSpec {
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

export const APPLICATIONS: ApplicationSpec[] = [
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

export const MILESTONES: ['preparation' | 'implementation' | 'deepening', number, string][] = [
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
