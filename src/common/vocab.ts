/**
 * Stable codes (stored in the database) with their zh-CN and English labels (SPEC Appendix A).
 * Shared by the server (validation, Excel import/export) and the web app (labels, filters).
 */
export interface Term {
  code: string;
  zh: string;
  en: string;
}

export function vocab<const T extends readonly Term[]>(terms: T) {
  const codes = terms.map((t) => t.code) as unknown as [T[number]['code'], ...T[number]['code'][]];
  const byCode = new Map(terms.map((t) => [t.code, t] as const));
  const byZh = new Map(terms.map((t) => [t.zh, t] as const));
  return {
    terms,
    codes,
    label: (code: string, lang: 'zh' | 'en' = 'zh') => byCode.get(code)?.[lang] ?? code,
    /** Accepts a code, a zh-CN label or an English label (Excel import). */
    parse: (input: string): T[number]['code'] | undefined => {
      const s = input.trim();
      return (byCode.get(s) ?? byZh.get(s) ?? terms.find((t) => t.en.toLowerCase() === s.toLowerCase()))?.code;
    },
  };
}

export const ROLES = vocab([
  { code: 'platform_admin', zh: '平台管理员', en: 'Platform admin' },
  { code: 'bureau_admin', zh: '教育局管理员', en: 'Bureau admin' },
  { code: 'alliance_admin', zh: '联盟秘书处/理事', en: 'Alliance secretary / council' },
  { code: 'school_admin', zh: '学校管理员', en: 'School admin' },
  { code: 'teacher', zh: '教师', en: 'Teacher' },
  { code: 'reviewer', zh: '审核员', en: 'Reviewer' },
  { code: 'student', zh: '学生', en: 'Student' },
  { code: 'guardian', zh: '家长', en: 'Guardian' },
  { code: 'partner', zh: '合作方', en: 'Partner' },
  { code: 'evaluator', zh: '第三方评估', en: 'Evaluator' },
] as const);
export type Role = (typeof ROLES.codes)[number];

/** The scope each role is granted in. */
export const ROLE_SCOPE: Record<Role, 'installation' | 'region' | 'alliance' | 'school'> = {
  platform_admin: 'installation',
  bureau_admin: 'region',
  alliance_admin: 'alliance',
  school_admin: 'school',
  teacher: 'school',
  reviewer: 'alliance',
  student: 'school',
  guardian: 'school',
  partner: 'alliance',
  evaluator: 'region',
};

export const REGION_LEVELS = vocab([
  { code: 'province', zh: '省', en: 'Province' },
  { code: 'city', zh: '市', en: 'City' },
  { code: 'district', zh: '区/县', en: 'District / county' },
] as const);

export const SCHOOL_TYPES = vocab([
  { code: 'primary', zh: '小学', en: 'Primary school' },
  { code: 'junior', zh: '初级中学', en: 'Junior secondary' },
  { code: 'nine_year', zh: '九年一贯制学校', en: '9-year school' },
  { code: 'complete_secondary', zh: '完全中学', en: 'Complete secondary' },
  { code: 'senior', zh: '高级中学', en: 'Senior secondary' },
  { code: 'twelve_year', zh: '十二年一贯制学校', en: '12-year school' },
  { code: 'vocational', zh: '中等职业学校', en: 'Vocational school' },
  { code: 'special', zh: '特殊教育学校', en: 'Special education' },
  { code: 'kindergarten', zh: '幼儿园', en: 'Kindergarten' },
  { code: 'teaching_point', zh: '教学点', en: 'Teaching point' },
] as const);
export type SchoolType = (typeof SCHOOL_TYPES.codes)[number];

export const OWNERSHIP = vocab([
  { code: 'public', zh: '公办', en: 'Public' },
  { code: 'private', zh: '民办', en: 'Private' },
] as const);

export const LOCATIONS = vocab([
  { code: 'urban', zh: '城区', en: 'Urban' },
  { code: 'county_town', zh: '县城', en: 'County town' },
  { code: 'township', zh: '乡镇', en: 'Township' },
  { code: 'village', zh: '村', en: 'Village' },
] as const);

export const SCHOOL_TAGS = vocab([
  { code: 'quality', zh: '优质校', en: 'High-quality' },
  { code: 'weak', zh: '薄弱校', en: 'Under-resourced' },
  { code: 'new', zh: '新建校', en: 'Newly built' },
  { code: 'suburban', zh: '城郊校', en: 'Suburban' },
  { code: 'rural', zh: '农村校', en: 'Rural' },
  { code: 'small', zh: '小规模学校', en: 'Small school' },
] as const);

export const ALLIANCE_KINDS = vocab([
  { code: 'fusion', zh: '融合型', en: 'Merged (one legal person)' },
  { code: 'aggregation', zh: '聚合型', en: 'Aggregated (close cooperation)' },
  { code: 'union', zh: '联合型', en: 'Federated (project-based)' },
] as const);

export const ALLIANCE_PATTERNS = vocab([
  { code: 'mother_child', zh: '母子式', en: 'Parent–new school' },
  { code: 'mentor', zh: '师徒式', en: 'Mentor–weak school' },
  { code: 'partner', zh: '伙伴式', en: 'Peer partners' },
  { code: 'urban_rural', zh: '城乡结对', en: 'Urban–rural pairing' },
] as const);

export const PARTNER_KINDS = vocab([
  { code: 'enterprise', zh: '企业', en: 'Enterprise' },
  { code: 'university', zh: '高校', en: 'University' },
  { code: 'museum', zh: '场馆', en: 'Museum / venue' },
  { code: 'community', zh: '社区', en: 'Community' },
  { code: 'foundation', zh: '基金会', en: 'Foundation' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const);

export const BODY_KINDS = vocab([
  { code: 'council', zh: '理事会', en: 'Council' },
  { code: 'supervisory', zh: '监事会', en: 'Supervisory board' },
  { code: 'foundation', zh: '基金会', en: 'Foundation' },
  { code: 'secretariat', zh: '秘书处', en: 'Secretariat' },
  { code: 'experts', zh: '专家委员会', en: 'Expert committee' },
  { code: 'subject_group', zh: '学科工作组', en: 'Subject group' },
] as const);

export const DOCUMENT_KINDS = vocab([
  { code: 'charter', zh: '章程', en: 'Charter' },
  { code: 'agreement', zh: '合作协议', en: 'Cooperation agreement' },
  { code: 'development', zh: '发展协议书', en: 'Development agreement' },
  { code: 'other', zh: '其他文件', en: 'Other' },
] as const);

export const PHASES = vocab([
  { code: 'preparation', zh: '准备期', en: 'Preparation' },
  { code: 'implementation', zh: '实施期', en: 'Implementation' },
  { code: 'deepening', zh: '深化期', en: 'Deepening' },
] as const);

export const APPLICATION_STATUS = vocab([
  { code: 'submitted', zh: '待联盟评估', en: 'Awaiting evaluation' },
  { code: 'evaluated', zh: '待理事会推荐', en: 'Awaiting council' },
  { code: 'recommended', zh: '待教育局审批', en: 'Awaiting bureau' },
  { code: 'approved', zh: '已批准', en: 'Approved' },
  { code: 'rejected', zh: '未通过', en: 'Rejected' },
  { code: 'withdrawn', zh: '已撤回', en: 'Withdrawn' },
] as const);
export type ApplicationStatus = (typeof APPLICATION_STATUS.codes)[number];
/** An application still on its way (evaluation → council → bureau). */
export const OPEN_APPLICATION_STATUSES = ['submitted', 'evaluated', 'recommended'] as const;

export const ASSESSMENT_RESULTS = vocab([
  { code: 'excellent', zh: '优秀', en: 'Excellent' },
  { code: 'good', zh: '良好', en: 'Good' },
  { code: 'pass', zh: '合格', en: 'Pass' },
  { code: 'weak', zh: '薄弱', en: 'Weak' },
] as const);

export const SUBJECTS = vocab([
  { code: 'morality_law', zh: '道德与法治', en: 'Morality and Law' },
  { code: 'politics', zh: '思想政治', en: 'Politics' },
  { code: 'chinese', zh: '语文', en: 'Chinese' },
  { code: 'math', zh: '数学', en: 'Mathematics' },
  { code: 'english', zh: '英语', en: 'English' },
  { code: 'japanese', zh: '日语', en: 'Japanese' },
  { code: 'russian', zh: '俄语', en: 'Russian' },
  { code: 'history', zh: '历史', en: 'History' },
  { code: 'geography', zh: '地理', en: 'Geography' },
  { code: 'science', zh: '科学', en: 'Science' },
  { code: 'physics', zh: '物理', en: 'Physics' },
  { code: 'chemistry', zh: '化学', en: 'Chemistry' },
  { code: 'biology', zh: '生物学', en: 'Biology' },
  { code: 'it', zh: '信息科技', en: 'Information technology' },
  { code: 'general_tech', zh: '通用技术', en: 'General technology' },
  { code: 'pe', zh: '体育与健康', en: 'PE and Health' },
  { code: 'music', zh: '音乐', en: 'Music' },
  { code: 'art', zh: '美术', en: 'Fine arts' },
  { code: 'labor', zh: '劳动', en: 'Labour education' },
  { code: 'practice', zh: '综合实践活动', en: 'Integrated practice' },
  { code: 'psychology', zh: '心理健康', en: 'Mental health' },
  { code: 'calligraphy', zh: '书法', en: 'Calligraphy' },
] as const);

/** Structured agreement terms the platform can check (SPEC S1: charters and agreements). */
export const TERM_KINDS = vocab([
  { code: 'key_teacher_exchange_pct', zh: '核心校每年派出骨干教师比例(%)', en: 'Key teachers sent per year (%)' },
  { code: 'joint_research_per_month', zh: '每学科组每月联合教研次数', en: 'Joint research sessions per subject group per month' },
  { code: 'cost_share_per_student', zh: '生均分担经费(元/生/年)', en: 'Cost share per student (CNY/student/year)' },
  { code: 'teacher_exchange_pct', zh: '教师交流比例(%)', en: 'Teacher exchange ratio (%)' },
  { code: 'facility_open_hours_per_week', zh: '设施每周开放时长(小时)', en: 'Facility open hours per week' },
  { code: 'student_activity_coverage_pct', zh: '学生跨校活动覆盖率(%)', en: 'Student cross-school coverage (%)' },
] as const);

/** The seven resource indicators of 县域义务教育优质均衡 (per school, per year). */
export const RESOURCE_INDICATORS = vocab([
  { code: 'teachers_above_degree_per100', zh: '每百名学生拥有高于规定学历教师数', en: 'Teachers above required degree per 100 students' },
  { code: 'key_teachers_per100', zh: '每百名学生拥有县级及以上骨干教师数', en: 'County-level key teachers per 100 students' },
  { code: 'pe_art_teachers_per100', zh: '每百名学生拥有体育、艺术专任教师数', en: 'PE and arts teachers per 100 students' },
  { code: 'teaching_area_per_student', zh: '生均教学及辅助用房面积(㎡)', en: 'Teaching space per student (m²)' },
  { code: 'sports_area_per_student', zh: '生均体育运动场馆面积(㎡)', en: 'Sports space per student (m²)' },
  { code: 'equipment_value_per_student', zh: '生均教学仪器设备值(元)', en: 'Teaching equipment value per student (CNY)' },
  { code: 'multimedia_rooms_per100', zh: '每百名学生拥有网络多媒体教室数', en: 'Networked multimedia classrooms per 100 students' },
] as const);
