/**
 * Errors as RFC 9457 problem+json: a stable `code`, the failing fields, and a message in the user's
 * language (zh-CN by default, English when Accept-Language prefers it).
 */
import { ZONE } from '../../common/time.js';
export type Lang = 'zh' | 'en';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

type Msg = { zh: string; en: string };

/** Stable error codes with their messages. `{x}` placeholders are filled from `params`. */
export const MESSAGES = {
  validation_failed: { zh: '提交的数据有误，请检查标出的字段', en: 'Some fields are invalid' },
  malformed_json: { zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  unsupported_media_type: { zh: '不支持的内容类型', en: 'Unsupported content type' },
  payload_too_large: { zh: '上传内容过大', en: 'The upload is too large' },
  unauthenticated: { zh: '请先登录', en: 'Please sign in' },
  session_expired: { zh: '登录已过期，请重新登录', en: 'Your session has expired, please sign in again' },
  csrf_failed: { zh: '请求校验失败（CSRF），请刷新页面后重试', en: 'Request verification failed (CSRF); reload and retry' },
  forbidden: { zh: '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  not_found: { zh: '未找到该{entity}', en: '{entity} not found' },
  route_not_found: { zh: '接口不存在', en: 'No such endpoint' },
  invalid_credentials: {
    zh: '用户名或密码错误；连续多次错误后需等待一段时间才能再试',
    en: 'Wrong username or password; after repeated failures you have to wait before trying again',
  },
  too_many_attempts: {
    zh: '登录尝试过于频繁，请 {seconds} 秒后再试',
    en: 'Too many sign-in attempts; try again in {seconds} seconds',
  },
  account_disabled: { zh: '账号已停用', en: 'This account is disabled' },
  password_change_required: { zh: '请先修改初始密码', en: 'Please change your initial password first' },
  weak_password: { zh: '密码不符合要求，请按提示修改', en: 'The password does not meet the policy' },
  wrong_password: { zh: '当前密码不正确', en: 'The current password is wrong' },
  duplicate: { zh: '{field}已存在', en: '{field} already exists' },
  conflict: { zh: '操作与当前状态冲突：{reason}', en: 'Conflicts with the current state: {reason}' },
  invalid_transition: { zh: '当前状态（{status}）下不能执行“{step}”', en: 'Cannot {step} while {status}' },
  sso_disabled: { zh: '未启用统一身份认证', en: 'Single sign-on is not configured' },
  sso_failed: { zh: '统一身份认证登录失败：{reason}', en: 'Single sign-on failed: {reason}' },
  sso_no_account: { zh: '统一身份认证账号未关联本平台用户', en: 'No local account matches this single sign-on identity' },
  invalid_file: { zh: '无法识别上传的文件：{reason}', en: 'The uploaded file cannot be read: {reason}' },
  import_has_invalid_rows: {
    zh: '有 {count} 行数据有误，未导入任何数据；请修正后重新上传，或选择“仅导入有效行”',
    en: '{count} rows are invalid; nothing was imported. Fix them and upload again, or choose to import only the valid rows',
  },
  import_done: { zh: '该批次已处理', en: 'This import has already been processed' },
  internal: { zh: '服务器内部错误，请稍后再试', en: 'Internal server error' },
  // ---- operations (database away, instance shutting down: 503 with Retry-After) ----
  database_unavailable: { zh: '数据库暂时无法连接，请稍后重试', en: 'The database is temporarily unreachable; please retry shortly' },
  shutting_down: { zh: '本服务实例正在重启，请稍后重试', en: 'This instance is shutting down; please retry' },
  // ---- facilities & bookings (S3.1–S3.2) ----
  booking_conflict: { zh: '该时段已被占用：{clash}', en: 'The time is taken: {clash}' },
  booking_rejected_dates: {
    zh: '有 {count} 个日期不可预约（{dates}），按“全部或不预约”未预约任何日期',
    en: '{count} dates are not bookable ({dates}); with "all or nothing" nothing was booked',
  },
  no_common_alliance: { zh: '您所在学校与该设施的所属方没有共同的联盟，不能预约', en: 'Your school shares no alliance with the owner of this facility' },
  equipment_unavailable: { zh: '器材“{name}”在该时段仅剩 {left} 件可借', en: 'Only {left} of "{name}" are free at that time' },
  idempotency_mismatch: { zh: '同一个 Idempotency-Key 已用于另一请求', en: 'This Idempotency-Key was used for a different request' },
  offer_expired: { zh: '该空档的保留时间已过', en: 'The offered slot has expired' },
  // ---- credits (S3.3) ----
  insufficient_credits: {
    zh: '积分不足：本次需要 {amount} 积分，当前余额 {balance}，透支额度 {limit}',
    en: 'Not enough credits: this needs {amount}, the balance is {balance} and the overdraft limit {limit}',
  },
  // ---- resources (S2) ----
  file_type_not_allowed: {
    zh: '文件类型不符合要求（按文件内容识别），此类资源可上传：{allowed}',
    en: 'File type not allowed (judged by content); this kind accepts: {allowed}',
  },
  upload_incomplete: { zh: '上传未完成（连接中断），未保存任何内容，请重新上传', en: 'The upload was cut off; nothing was stored, please upload again' },
  invalid_file_name: { zh: '文件名无效：不能包含路径、“..”或控制字符', en: 'Invalid file name: no paths, ".." or control characters' },
  preview_unavailable: { zh: '此文件暂不支持在线预览，请下载后查看', en: 'This file cannot be previewed online; please download it' },
  licence_forbids_download: {
    zh: '该资源的许可为“联盟内使用, 禁止转载”，仅联盟成员校可下载',
    en: 'This resource is licensed for use inside its alliance only; it cannot be downloaded from outside',
  },
  range_not_satisfiable: { zh: '请求的字节范围无效', en: 'Requested range not satisfiable' },
  use_limit_reached: { zh: '今天已登记 {max} 次“用于我的课堂”，请明天再登记', en: 'You have reported {max} classroom uses today; please report more tomorrow' },
  user_quota_exceeded: {
    zh: '超出个人存储配额 {quota}（已用 {used}，本次上传 {size}），未保存任何内容；请删除不用的文件或联系管理员',
    en: 'Over your personal storage quota of {quota} ({used} used, this upload {size}); nothing was stored. Delete unused files or ask an administrator',
  },
  school_quota_exceeded: {
    zh: '超出本校存储配额 {quota}（已用 {used}，本次上传 {size}），未保存任何内容；请联系学校管理员',
    en: "Over the school's storage quota of {quota} ({used} used, this upload {size}); nothing was stored. Ask the school administrator",
  },
  // ---- search & files (S2) ----
  // ---- regions (first run) ----
  region_in_use: {
    zh: '区域“{name}”下还有 {children} 个下级区域、{schools} 所学校、{others} 项其他数据（联盟、用户、授权等），不能删除',
    en: 'Region "{name}" still has {children} sub-regions, {schools} schools and {others} other records (alliances, users, grants…); it cannot be deleted',
  },
  region_code_locked: {
    zh: '区域“{name}”已有下级区域，其代码以本区域代码开头，不能修改代码',
    en: 'Region "{name}" has sub-regions whose codes start with its code; its code cannot be changed',
  },
  // ---- access (who may do what) ----
  separation_of_duties: {
    zh: '职责分离：完成联盟评估的人不能再作理事会推荐，请由另一位理事会成员推荐',
    en: 'Separation of duties: whoever evaluated the application cannot also give the council recommendation',
  },
  community_booking_only: {
    zh: '学生和家长只能在周末预约向社区开放的场馆（社区开放时段不消耗学校积分）',
    en: 'Students and guardians may book only community-open venues at weekends (community bookings never charge a school)',
  },
} satisfies Record<string, Msg>;
export type ErrorCode = keyof typeof MESSAGES;

/** Field-level messages (validation). */
export const FIELD_MESSAGES = {
  required: { zh: '必填', en: 'is required' },
  invalid_type: { zh: '类型错误，应为{expected}', en: 'must be {expected}' },
  too_long: { zh: '不能超过 {max} 个字符', en: 'must be at most {max} characters' },
  too_short: { zh: '至少 {min} 个字符', en: 'must be at least {min} characters' },
  too_big: { zh: '不能大于 {max}', en: 'must be at most {max}' },
  too_small: { zh: '不能小于 {min}', en: 'must be at least {min}' },
  invalid_value: { zh: '取值无效，可选值：{options}', en: 'must be one of: {options}' },
  invalid_format: { zh: '格式不正确', en: 'has an invalid format' },
  invalid_date: { zh: '应为 2000–2100 年间真实存在的日期（YYYY-MM-DD）', en: 'must be a real date YYYY-MM-DD between 2000 and 2100' },
  invalid_instant: {
    zh: `应为 2000–2100 年间的有效时间（YYYY-MM-DDTHH:MM，带时区，如 ${ZONE.offset}）`,
    en: `must be a valid time YYYY-MM-DDTHH:MM with a time zone (e.g. ${ZONE.offset}), years 2000–2100`,
  },
  invalid_month: { zh: '应为 2000–2100 年间的月份（YYYY-MM）', en: 'must be a month YYYY-MM between 2000 and 2100' },
  control_characters: { zh: '不能包含控制字符、换行或文字方向控制符', en: 'must not contain control characters, line breaks or bidi marks' },
  range_too_long: { zh: '时间范围不能超过 {max} 天', en: 'the range may span at most {max} days' },
  too_many_items: { zh: '最多 {max} 项', en: 'at most {max} entries' },
  unknown_field: { zh: '不允许的字段', en: 'is not an allowed field' },
  duplicate: { zh: '已存在', en: 'already exists' },
  duplicate_in_file: { zh: '与第 {row} 行重复', en: 'duplicates row {row}' },
  not_found: { zh: '不存在或无权访问', en: 'does not exist or is not accessible' },
  invalid: { zh: '无效：{reason}', en: 'is invalid: {reason}' },
  out_of_scope: { zh: '超出您的管理范围', en: 'is outside your scope' },
  password_too_short: { zh: '至少 10 个字符', en: 'must have at least 10 characters' },
  password_too_long: { zh: '不能超过 128 个字符', en: 'must have at most 128 characters' },
  password_too_simple: { zh: '需包含小写字母、大写字母、数字、符号中的至少三类', en: 'must mix three of: lower case, upper case, digits, symbols' },
  password_contains_username: { zh: '不能包含用户名', en: 'must not contain the username' },
  password_same_as_current: { zh: '不能与当前密码相同', en: 'must differ from the current password' },
  // ---- facilities & bookings (S3.1–S3.2) ----
  end_before_start: { zh: '结束时间必须晚于开始时间', en: 'must be after the start' },
  booking_too_short: { zh: '预约时长不能少于 {min} 分钟', en: 'the booking must last at least {min} minutes' },
  booking_too_long: { zh: '预约时长不能超过 {max} 分钟', en: 'the booking may last at most {max} minutes' },
  too_late_notice: { zh: '至少需提前 {hours} 小时预约', en: 'must be booked at least {hours} hours ahead' },
  too_far_ahead: { zh: '最多只能预约 {days} 天以内的时段', en: 'may be at most {days} days ahead' },
  in_past: { zh: '不能预约已过去的时间', en: 'lies in the past' },
  outside_open_hours: { zh: '不在开放时间内（{hours}）', en: 'is outside the open hours ({hours})' },
  in_closure: { zh: '{date} 闭馆：{reason}', en: 'closed on {date}: {reason}' },
  over_quota: { zh: '超出本校每周 {hours} 小时的预约限额（{week} 这一周）', en: "exceeds your school's weekly quota of {hours} hours (week of {week})" },
  over_capacity: { zh: '超过场地容量 {capacity} 人', en: 'exceeds the capacity of {capacity}' },
  must_accept_terms: { zh: '须阅读并同意安全规定与责任条款', en: 'the safety rules and responsibility terms must be accepted' },
  not_lendable: { zh: '该器材仅限场内使用或不可用', en: 'this equipment is on-site only or not available' },
  before_from: { zh: '必须晚于开始日期', en: 'must be after the start date' },
  not_bookable: { zh: '该设施当前不开放预约', en: 'this facility is not open for booking' },
  loan_too_long: { zh: '借用期限最长 {days} 天', en: 'a loan may last at most {days} days' },
  // ---- credits (S3.3) ----
  // ---- resources (S2) ----
  rubric_item_missing: { zh: '缺少该项评分', en: 'score missing' },
  rubric_item_unknown: { zh: '不属于该类资源的质量标准', en: "is not an item of this kind's rubric" },
  rubric_item_range: { zh: '评分应为 1–5 的整数', en: 'must be an integer 1–5' },
  // ---- search & files (S2) ----
  // ---- regions (first run) ----
  region_code: {
    zh: '应为 6 位行政区划代码（GB/T 2260）：省级以 0000 结尾，地市级以 00 结尾，区县级后两位不为 00',
    en: 'must be a 6-digit GB/T 2260 division code: a province ends in 0000, a city in 00, a county in neither',
  },
  region_code_prefix: { zh: '应以上级区域代码的前 {n} 位“{prefix}”开头', en: "must start with {prefix}, the first {n} digits of the parent's code" },
  region_province_no_parent: { zh: '省级区域没有上级区域', en: 'a province has no parent region' },
  region_parent_province: { zh: '地市级区域的上级应为省级区域', en: 'the parent of a city must be a province' },
  region_parent_city: {
    zh: '区县级区域的上级应为地市级区域（直辖市、省直辖县级单位可直接隶属省级区域）',
    en: 'the parent of a county must be a city (or a province-level municipality / province)',
  },
  region_code_level: { zh: '区域级别不能改变：应为 {pattern} 形式的代码', en: 'the level cannot change: the code must look like {pattern}' },
  // ---- access (who may do what) ----
  partner_account_required: { zh: '该账号未关联合作方机构，不能授予合作方角色', en: 'the account is not linked to a partner organisation' },
  partner_not_in_alliance: { zh: '该账号所属的合作方机构不是此联盟的合作方', en: "the account's partner organisation does not work with this alliance" },
  tag_reserved: { zh: '“{tag}”标签只能由教育局设置', en: 'the tag "{tag}" is set by the education bureau only' },
  province_level_only: { zh: '省级合作方只能由省级管理员登记', en: 'province-level partners are registered by province-level administrators only' },
} satisfies Record<string, Msg>;
export type FieldCode = keyof typeof FIELD_MESSAGES;

const TYPE_NAMES: Record<string, Msg> = {
  string: { zh: '文本', en: 'a string' },
  number: { zh: '数字', en: 'a number' },
  int: { zh: '整数', en: 'an integer' },
  boolean: { zh: '布尔值', en: 'a boolean' },
  array: { zh: '数组', en: 'an array' },
  object: { zh: '对象', en: 'an object' },
};

export const ENTITY_NAMES: Record<string, Msg> = {
  school: { zh: '学校', en: 'School' },
  alliance: { zh: '联盟', en: 'Alliance' },
  region: { zh: '区域', en: 'Region' },
  user: { zh: '用户', en: 'User' },
  application: { zh: '申请', en: 'Application' },
  document: { zh: '文件', en: 'Document' },
  body: { zh: '治理机构', en: 'Governance body' },
  partner: { zh: '合作方', en: 'Partner' },
  milestone: { zh: '里程碑', en: 'Milestone' },
  grant: { zh: '授权', en: 'Role grant' },
  import: { zh: '导入批次', en: 'Import' },
  member: { zh: '成员', en: 'Member' },
  resource: { zh: '资源', en: 'Resource' },
  // ---- facilities & bookings (S3.1–S3.2) ----
  facility: { zh: '设施', en: 'Facility' },
  booking: { zh: '预约', en: 'Booking' },
  equipment: { zh: '器材', en: 'Equipment' },
  closure: { zh: '闭馆安排', en: 'Closure' },
  term: { zh: '学期', en: 'Term' },
  kit: { zh: '流动实验室/器材箱', en: 'Mobile kit' },
  rotation: { zh: '轮转安排', en: 'Rotation' },
  waitlist: { zh: '候补', en: 'Waitlist entry' },
  loan: { zh: '借用记录', en: 'Loan' },
  calendar: { zh: '日历订阅', en: 'Calendar feed' },
  // ---- credits (S3.3) ----
  credit_account: { zh: '积分账户', en: 'Credit account' },
  credit_transaction: { zh: '积分交易', en: 'Credit transaction' },
  // ---- resources (S2) ----
  resource_file: { zh: '资源文件', en: 'Resource file' },
  resource_comment: { zh: '评论', en: 'Comment' },
  notification: { zh: '通知', en: 'Notification' },
};

function fill(template: string, params: Record<string, unknown>, lang: Lang): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (k === 'expected' && typeof v === 'string') return TYPE_NAMES[v]?.[lang] ?? v;
    if (k === 'entity' && typeof v === 'string') return ENTITY_NAMES[v]?.[lang] ?? v;
    if (Array.isArray(v)) return v.join(lang === 'zh' ? '、' : ', ');
    return v == null ? '' : String(v);
  });
}

export function message(code: ErrorCode, lang: Lang, params: Record<string, unknown> = {}): string {
  return fill(MESSAGES[code][lang], params, lang);
}

export function fieldMessage(code: string, lang: Lang, params: Record<string, unknown> = {}): string {
  const m = (FIELD_MESSAGES as Record<string, Msg>)[code];
  return m ? fill(m[lang], params, lang) : code;
}

/** A field error before localization. */
export interface RawFieldError {
  field: string;
  code: FieldCode;
  params?: Record<string, unknown>;
}

export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ErrorCode,
    public readonly params: Record<string, unknown> = {},
    public readonly fields: RawFieldError[] = [],
  ) {
    super(code);
  }
}

export const badRequest = (fields: RawFieldError[], code: ErrorCode = 'validation_failed', params = {}) => new AppError(400, code, params, fields);
export const notFound = (entity: keyof typeof ENTITY_NAMES) => new AppError(404, 'not_found', { entity });
export const forbidden = () => new AppError(403, 'forbidden');
export const conflict = (reason: string, fields: RawFieldError[] = []) => new AppError(409, 'conflict', { reason }, fields);
export const duplicate = (field: string, label: string) => new AppError(409, 'duplicate', { field: label }, [{ field, code: 'duplicate' }]);

export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  // first listed language wins (q-values are rarely used by browsers for the first entry)
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/** Translate zod issues (through fastify-type-provider-zod's validation array) to field errors. */
export function zodIssueToField(
  issue: {
    keyword: string;
    instancePath: string;
    params: Record<string, unknown>;
    message?: string;
  },
  prefix = '',
): RawFieldError[] {
  const path = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean);
  const base = [prefix, ...path].filter(Boolean).join('.');
  const p = issue.params;
  switch (issue.keyword) {
    case 'invalid_type': {
      const missing = typeof issue.message === 'string' && /received undefined/.test(issue.message);
      return [{ field: base, code: missing ? 'required' : 'invalid_type', params: { expected: p.expected } }];
    }
    case 'too_big':
      return [{ field: base, code: p.origin === 'string' ? 'too_long' : 'too_big', params: { max: p.maximum } }];
    case 'too_small':
      if (p.origin === 'string' && p.minimum === 1) return [{ field: base, code: 'required' }];
      return [{ field: base, code: p.origin === 'string' ? 'too_short' : 'too_small', params: { min: p.minimum } }];
    case 'invalid_value':
      return [{ field: base, code: 'invalid_value', params: { options: (p.values as unknown[]) ?? [] } }];
    case 'unrecognized_keys':
      return ((p.keys as string[]) ?? []).map((k) => ({ field: [base, k].filter(Boolean).join('.'), code: 'unknown_field' as const }));
    case 'invalid_format':
      return [{ field: base, code: p.format === 'regex' && String(p.pattern).includes('\\d{4}-') ? 'invalid_date' : 'invalid_format' }];
    case 'custom': {
      // platform/input.ts primitives name their field code
      const { fieldCode, ...params } = (p.params as { fieldCode?: string } | undefined) ?? {};
      if (fieldCode && fieldCode in FIELD_MESSAGES) return [{ field: base, code: fieldCode as FieldCode, ...(Object.keys(params).length ? { params } : {}) }];
      return [{ field: base, code: 'invalid', params: { reason: issue.message ?? '' } }];
    }
    default:
      return [{ field: base, code: 'invalid', params: { reason: issue.message ?? issue.keyword } }];
  }
}
