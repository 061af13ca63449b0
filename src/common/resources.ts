/**
 * Course resource library (SPEC S2): vocabularies, per-kind rules (file types, size limits, quality
 * rubric) and the workflow "上传—审核—共享" as plain functions. Shared by the server and the web app.
 */
import { localMidnightIso } from './time.js';
import { vocab } from './vocab.js';

export const RESOURCE_KINDS = vocab([
  { code: 'lesson_video', zh: '课例', en: 'Recorded lesson' },
  { code: 'lesson_plan', zh: '教学设计/教案', en: 'Lesson plan' },
  { code: 'courseware', zh: '课件', en: 'Courseware' },
  { code: 'micro_lesson', zh: '微课', en: 'Micro-lesson' },
  { code: 'exam', zh: '试题/试卷', en: 'Questions / test paper' },
  { code: 'school_course', zh: '校本课程', en: 'School-based course' },
  { code: 'case_collection', zh: '案例集', en: 'Case collection' },
  { code: 'research', zh: '教研成果', en: 'Teaching research' },
] as const);
export type ResourceKind = (typeof RESOURCE_KINDS.codes)[number];

export const LICENCES = vocab([
  { code: 'cc_by', zh: 'CC BY（署名）', en: 'CC BY' },
  { code: 'cc_by_sa', zh: 'CC BY-SA（署名-相同方式共享）', en: 'CC BY-SA' },
  { code: 'cc_by_nc', zh: 'CC BY-NC（署名-非商业性使用）', en: 'CC BY-NC' },
  { code: 'cc_by_nc_sa', zh: 'CC BY-NC-SA（署名-非商业性使用-相同方式共享）', en: 'CC BY-NC-SA' },
  { code: 'cc_by_nd', zh: 'CC BY-ND（署名-禁止演绎）', en: 'CC BY-ND' },
  { code: 'cc_by_nc_nd', zh: 'CC BY-NC-ND（署名-非商业性使用-禁止演绎）', en: 'CC BY-NC-ND' },
  { code: 'alliance_only', zh: '联盟内使用, 禁止转载', en: 'Alliance use only, no redistribution' },
] as const);
export type Licence = (typeof LICENCES.codes)[number];

export const VISIBILITY = vocab([
  { code: 'school', zh: '本校', en: 'Own school' },
  { code: 'alliance', zh: '联盟', en: 'Alliance' },
  { code: 'region', zh: '区域', en: 'Region' },
  { code: 'public', zh: '公开', en: 'Public' },
] as const);
export type Visibility = (typeof VISIBILITY.codes)[number];

export const RESOURCE_STATUS = vocab([
  { code: 'draft', zh: '草稿', en: 'Draft' },
  { code: 'submitted', zh: '已提交', en: 'Submitted' },
  { code: 'in_review', zh: '审核中', en: 'In review' },
  { code: 'published', zh: '已发布', en: 'Published' },
  { code: 'returned', zh: '已退回', en: 'Returned' },
  { code: 'withdrawn', zh: '已撤回', en: 'Withdrawn' },
  { code: 'archived', zh: '已归档', en: 'Archived' },
] as const);
export type ResourceStatus = (typeof RESOURCE_STATUS.codes)[number];

export const STAGES = vocab([
  { code: 'primary', zh: '小学', en: 'Primary' },
  { code: 'junior', zh: '初中', en: 'Junior secondary' },
  { code: 'senior', zh: '高中', en: 'Senior secondary' },
] as const);
export type Stage = (typeof STAGES.codes)[number];

export const GRADES = vocab([
  { code: 'g1', zh: '一年级', en: 'Grade 1' },
  { code: 'g2', zh: '二年级', en: 'Grade 2' },
  { code: 'g3', zh: '三年级', en: 'Grade 3' },
  { code: 'g4', zh: '四年级', en: 'Grade 4' },
  { code: 'g5', zh: '五年级', en: 'Grade 5' },
  { code: 'g6', zh: '六年级', en: 'Grade 6' },
  { code: 'g7', zh: '七年级', en: 'Grade 7' },
  { code: 'g8', zh: '八年级', en: 'Grade 8' },
  { code: 'g9', zh: '九年级', en: 'Grade 9' },
  { code: 'g10', zh: '高一', en: 'Senior 1' },
  { code: 'g11', zh: '高二', en: 'Senior 2' },
  { code: 'g12', zh: '高三', en: 'Senior 3' },
] as const);
export type Grade = (typeof GRADES.codes)[number];

/** The stage a grade belongs to. */
export function stageOfGrade(grade: string): Stage | null {
  const n = Number(grade.replace(/^g/, ''));
  if (!Number.isInteger(n) || n < 1 || n > 12) return null;
  return n <= 6 ? 'primary' : n <= 9 ? 'junior' : 'senior';
}

export const TEXTBOOK_EDITIONS = vocab([
  { code: 'tongbian', zh: '统编版', en: 'Unified (MOE)' },
  { code: 'pep', zh: '人教版', en: 'PEP' },
  { code: 'bnu', zh: '北师大版', en: 'BNU' },
  { code: 'sujiao', zh: '苏教版', en: 'Jiangsu Education' },
  { code: 'hujiao', zh: '沪教版', en: 'Shanghai Education' },
  { code: 'waiyan', zh: '外研版', en: 'FLTRP' },
  { code: 'xiangjiao', zh: '湘教版', en: 'Hunan Education' },
  { code: 'zhejiao', zh: '浙教版', en: 'Zhejiang Education' },
  { code: 'lujiao', zh: '鲁教版', en: 'Shandong Education' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const);

export const DIFFICULTY = vocab([
  { code: 'basic', zh: '基础', en: 'Basic' },
  { code: 'medium', zh: '中等', en: 'Intermediate' },
  { code: 'advanced', zh: '提高', en: 'Advanced' },
] as const);

export const RESOURCE_LANGUAGES = vocab([
  { code: 'zh', zh: '中文', en: 'Chinese' },
  { code: 'en', zh: '英文', en: 'English' },
  { code: 'bilingual', zh: '双语', en: 'Bilingual' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const);

/** Parts of a file set: `main` for single-file resources; 校本课程 packages name their parts. */
export const FILE_ROLES = vocab([
  { code: 'main', zh: '主文件', en: 'Main file' },
  { code: 'outline', zh: '课程纲要', en: 'Course outline' },
  { code: 'lesson', zh: '课时', en: 'Lesson' },
  { code: 'material', zh: '材料', en: 'Material' },
  { code: 'case', zh: '实践案例', en: 'Practice case' },
] as const);
export type FileRole = (typeof FILE_ROLES.codes)[number];

// ---- file types ---------------------------------------------------------------------------------

/** File families recognised by content. */
export type FileFamily = 'pdf' | 'word' | 'slides' | 'sheet' | 'text' | 'image' | 'video' | 'audio';

/** Sniffed mime → family (only these mimes are accepted at all). */
export const MIME_FAMILY: Record<string, FileFamily> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'word',
  'application/msword': 'word',
  'application/x-cfb': 'word', // legacy .doc/.ppt/.xls container; refined by extension
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'slides',
  'application/vnd.ms-powerpoint': 'slides',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'sheet',
  'application/vnd.ms-excel': 'sheet',
  'text/plain': 'text',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'video/mp4': 'video',
  'video/webm': 'video',
  'video/quicktime': 'video',
  'audio/mpeg': 'audio',
  'audio/mp4': 'audio',
  'audio/x-m4a': 'audio',
};

export const FAMILY_LABELS: Record<FileFamily, { zh: string; en: string }> = {
  pdf: { zh: 'PDF', en: 'PDF' },
  word: { zh: 'Word 文档', en: 'Word documents' },
  slides: { zh: '演示文稿', en: 'presentations' },
  sheet: { zh: '电子表格', en: 'spreadsheets' },
  text: { zh: '纯文本', en: 'plain text' },
  image: { zh: '图片', en: 'images' },
  video: { zh: '视频（MP4/WebM）', en: 'video (MP4/WebM)' },
  audio: { zh: '音频', en: 'audio' },
};

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface KindRules {
  families: readonly FileFamily[];
  /** largest single file, bytes */
  maxBytes: number;
  /** more than one file part (校本课程 packages) */
  package: boolean;
}

const DOCS: FileFamily[] = ['pdf', 'word', 'text', 'image'];
export const KIND_RULES: Record<ResourceKind, KindRules> = {
  lesson_video: { families: ['video', 'pdf', 'word', 'slides', 'image'], maxBytes: 2 * GiB, package: false },
  micro_lesson: { families: ['video', 'pdf', 'image', 'audio'], maxBytes: 1 * GiB, package: false },
  lesson_plan: { families: DOCS, maxBytes: 100 * MiB, package: false },
  courseware: { families: ['slides', 'pdf', 'word', 'image', 'video', 'audio'], maxBytes: 200 * MiB, package: false },
  exam: { families: DOCS, maxBytes: 50 * MiB, package: false },
  school_course: { families: ['pdf', 'word', 'slides', 'sheet', 'text', 'image', 'video', 'audio'], maxBytes: 2 * GiB, package: true },
  case_collection: { families: DOCS, maxBytes: 100 * MiB, package: false },
  research: { families: [...DOCS, 'slides', 'sheet'], maxBytes: 100 * MiB, package: false },
};

/** The largest file any kind accepts (route-level multipart limit). */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(KIND_RULES).map((r) => r.maxBytes));

export function formatBytes(n: number): string {
  if (n >= GiB) return `${+(n / GiB).toFixed(1)} GB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Whether a sniffed mime is acceptable for the kind; returns the family or null. */
export function acceptedFamily(kind: ResourceKind, mime: string): FileFamily | null {
  const fam = MIME_FAMILY[mime];
  return fam && KIND_RULES[kind].families.includes(fam) ? fam : null;
}

/** What a browser can show inline (PDF, images, video, audio, text). */
export function previewable(mime: string): boolean {
  const fam = MIME_FAMILY[mime];
  return fam === 'pdf' || fam === 'image' || fam === 'video' || fam === 'audio' || fam === 'text';
}

/** Office documents, previewable once converted to PDF. */
export function convertible(mime: string): boolean {
  const fam = MIME_FAMILY[mime];
  return fam === 'word' || fam === 'slides' || fam === 'sheet';
}

// ---- quality rubric (质量标准) ------------------------------------------------------------------

export interface RubricItem {
  code: string;
  zh: string;
  en: string;
}

const COMMON: RubricItem[] = [
  { code: 'accuracy', zh: '科学性：内容正确，无知识性错误', en: 'Accuracy: no factual errors' },
  { code: 'standards', zh: '规范性：符合课程标准，表述规范', en: 'Standards: follows the curriculum standard' },
  { code: 'ethics', zh: '思想性：导向正确，无版权问题', en: 'Integrity: sound values, no copyright issues' },
];

export const RUBRICS: Record<ResourceKind, RubricItem[]> = {
  lesson_video: [
    ...COMMON,
    { code: 'objectives', zh: '教学目标明确，重难点突出', en: 'Clear objectives and focus' },
    { code: 'process', zh: '教学过程完整，师生互动充分', en: 'Complete process, real interaction' },
    { code: 'av_quality', zh: '画面清晰、声音清楚', en: 'Clear picture and sound' },
  ],
  micro_lesson: [
    ...COMMON,
    { code: 'focus', zh: '主题聚焦一个知识点', en: 'Focused on one point' },
    { code: 'length', zh: '时长适宜（一般 5–10 分钟）', en: 'Suitable length (5–10 min)' },
    { code: 'av_quality', zh: '画面清晰、声音清楚', en: 'Clear picture and sound' },
  ],
  lesson_plan: [
    ...COMMON,
    { code: 'objectives', zh: '教学目标具体可测', en: 'Concrete objectives' },
    { code: 'design', zh: '教学环节设计合理，可操作', en: 'Sound, workable design' },
    { code: 'assessment', zh: '有学习评价设计', en: 'Includes assessment' },
  ],
  courseware: [
    ...COMMON,
    { code: 'design', zh: '版面清晰，重点突出', en: 'Clear layout' },
    { code: 'usability', zh: '可直接用于课堂', en: 'Ready for class use' },
  ],
  exam: [
    ...COMMON,
    { code: 'coverage', zh: '覆盖课标要求的知识点', en: 'Covers the required points' },
    { code: 'difficulty', zh: '难度梯度合理', en: 'Reasonable difficulty' },
    { code: 'answers', zh: '附参考答案与评分标准', en: 'Answers and marking scheme' },
  ],
  school_course: [
    ...COMMON,
    { code: 'outline', zh: '课程纲要完整（目标、内容、实施、评价）', en: 'Complete course outline' },
    { code: 'lessons', zh: '课时资料齐全', en: 'Lessons complete' },
    { code: 'practice', zh: '有实践案例', en: 'Practice cases included' },
  ],
  case_collection: [
    ...COMMON,
    { code: 'typical', zh: '案例典型、有代表性', en: 'Typical, representative cases' },
    { code: 'reflection', zh: '有分析与反思', en: 'Analysis and reflection' },
  ],
  research: [
    ...COMMON,
    { code: 'innovation', zh: '有创新，可推广', en: 'Innovative and transferable' },
    { code: 'evidence', zh: '有实证或实践效果', en: 'Evidence of effect' },
  ],
};

export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

/**
 * Checks a review's scores against the kind's rubric: every item scored 1–5, no unknown item.
 * Returns the problems by item code (empty when valid) and the average.
 */
export function checkScores(
  kind: ResourceKind,
  scores: Record<string, number>,
): { errors: { item: string; reason: 'missing' | 'unknown' | 'range' }[]; average: number } {
  const items = RUBRICS[kind];
  const known = new Set(items.map((i) => i.code));
  const errors: { item: string; reason: 'missing' | 'unknown' | 'range' }[] = [];
  for (const i of items) if (scores[i.code] === undefined) errors.push({ item: i.code, reason: 'missing' });
  for (const [k, v] of Object.entries(scores)) {
    if (!known.has(k)) errors.push({ item: k, reason: 'unknown' });
    else if (!Number.isInteger(v) || v < SCORE_MIN || v > SCORE_MAX) errors.push({ item: k, reason: 'range' });
  }
  const vals = items.map((i) => scores[i.code]).filter((v): v is number => typeof v === 'number');
  const average = vals.length ? Math.round((vals.reduce((a, b) => a + b, 0) / vals.length) * 100) / 100 : 0;
  return { errors, average };
}

// ---- workflow -----------------------------------------------------------------------------------

export const WORKFLOW_STEPS = vocab([
  { code: 'submit', zh: '提交审核', en: 'submit' },
  { code: 'assign', zh: '分配审核员', en: 'assign' },
  { code: 'publish', zh: '审核通过并发布', en: 'publish' },
  { code: 'return', zh: '退回修改', en: 'return' },
  { code: 'withdraw', zh: '撤回', en: 'withdraw' },
  { code: 'archive', zh: '归档', en: 'archive' },
  { code: 'edit', zh: '修改', en: 'edit' },
] as const);
export type WorkflowStep = (typeof WORKFLOW_STEPS.codes)[number];

const TRANSITIONS: Record<WorkflowStep, Partial<Record<ResourceStatus, ResourceStatus>>> = {
  submit: { draft: 'submitted', returned: 'submitted', withdrawn: 'submitted', published: 'submitted' },
  assign: { submitted: 'in_review', in_review: 'in_review' },
  publish: { submitted: 'published', in_review: 'published' },
  return: { submitted: 'returned', in_review: 'returned' },
  withdraw: { submitted: 'withdrawn', in_review: 'withdrawn', published: 'withdrawn', returned: 'withdrawn' },
  archive: { draft: 'archived', published: 'archived', returned: 'archived', withdrawn: 'archived' },
  // metadata and files change only while nobody is reviewing them
  edit: { draft: 'draft', returned: 'returned', withdrawn: 'withdrawn', published: 'published' },
};

/** The status after `step`, or null when the step is not allowed in `status`. */
export function nextStatus(status: ResourceStatus, step: WorkflowStep): ResourceStatus | null {
  return TRANSITIONS[step][status] ?? null;
}

/** Steps open in a status (for buttons). */
export function stepsFrom(status: ResourceStatus): WorkflowStep[] {
  return WORKFLOW_STEPS.codes.filter((s) => nextStatus(status, s) !== null);
}

// ---- access by visibility and licence -----------------------------------------------------------

export interface ReachFacts {
  /** the actor belongs to the owning school */
  sameSchool: boolean;
  /** the actor belongs to the resource's alliance */
  sameAlliance: boolean;
  /** the actor is in the owning school's region (any school of the region, or its bureau/evaluator) */
  sameRegion: boolean;
  /** signed in at all */
  signedIn: boolean;
}

/** Whether a published resource of `visibility` reaches an actor with these facts. */
export function visibleTo(visibility: Visibility, f: ReachFacts): boolean {
  switch (visibility) {
    case 'school':
      return f.sameSchool;
    case 'alliance':
      return f.sameSchool || f.sameAlliance;
    case 'region':
      return f.sameSchool || f.sameAlliance || f.sameRegion;
    case 'public':
      return f.signedIn;
  }
}

/** "联盟内使用, 禁止转载": download (a copy leaving the platform) only inside the alliance. */
export function downloadAllowed(licence: Licence, f: ReachFacts): boolean {
  if (licence === 'alliance_only') return f.sameSchool || f.sameAlliance;
  return true;
}

/** The instants [from, to) of a catalogue month YYYY-MM (China time); null when invalid. */
export function monthRange(month: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  // months begin at local midnight (the installation's time zone, common/time.ts)
  const next = mo === 12 ? `${y + 1}-01` : `${m[1]}-${String(mo + 1).padStart(2, '0')}`;
  return { from: localMidnightIso(`${m[1]}-${m[2]}-01`), to: localMidnightIso(`${next}-01`) };
}
