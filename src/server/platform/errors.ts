/**
 * Errors as RFC 9457 problem+json: a stable `code`, the failing fields, and a message in the user's
 * language (zh-CN by default, English when Accept-Language prefers it).
 */
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
    zh: '用户名或密码错误；连续 {max} 次错误后账号将锁定 {minutes} 分钟',
    en: 'Wrong username or password; after {max} failures in a row the account is locked for {minutes} minutes',
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
  import_has_invalid_rows: { zh: '有 {count} 行数据有误，未导入任何数据；请修正后重新上传，或选择“仅导入有效行”', en: '{count} rows are invalid; nothing was imported. Fix them and upload again, or choose to import only the valid rows' },
  import_done: { zh: '该批次已处理', en: 'This import has already been processed' },
  internal: { zh: '服务器内部错误，请稍后再试', en: 'Internal server error' },
  // ---- facilities & bookings (S3.1–S3.2) ----
  // ---- credits (S3.3) ----
  // ---- resources (S2) ----
  // ---- search & files (S2) ----
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
  invalid_date: { zh: '日期格式应为 YYYY-MM-DD', en: 'must be a date YYYY-MM-DD' },
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
  // ---- credits (S3.3) ----
  // ---- resources (S2) ----
  // ---- search & files (S2) ----
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
  // ---- credits (S3.3) ----
  // ---- resources (S2) ----
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

export const badRequest = (fields: RawFieldError[], code: ErrorCode = 'validation_failed', params = {}) =>
  new AppError(400, code, params, fields);
export const notFound = (entity: keyof typeof ENTITY_NAMES) => new AppError(404, 'not_found', { entity });
export const forbidden = () => new AppError(403, 'forbidden');
export const conflict = (reason: string, fields: RawFieldError[] = []) => new AppError(409, 'conflict', { reason }, fields);
export const duplicate = (field: string, label: string) =>
  new AppError(409, 'duplicate', { field: label }, [{ field, code: 'duplicate' }]);

export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  // first listed language wins (q-values are rarely used by browsers for the first entry)
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/** Translate zod issues (through fastify-type-provider-zod's validation array) to field errors. */
export function zodIssueToField(issue: {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}, prefix = ''): RawFieldError[] {
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
    case 'custom':
      return [{ field: base, code: 'invalid', params: { reason: issue.message ?? '' } }];
    default:
      return [{ field: base, code: 'invalid', params: { reason: issue.message ?? issue.keyword } }];
  }
}
