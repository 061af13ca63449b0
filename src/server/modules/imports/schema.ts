import { z } from 'zod';
import { LOCATIONS, OWNERSHIP, ROLE_SCOPE, ROLES, SCHOOL_TAGS, SCHOOL_TYPES, type Term } from '../../../common/vocab.js';
import { Id, Page } from '../org/schools/schema.js';

export const IMPORT_KINDS = ['schools', 'users', 'regions'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUS = ['previewed', 'committed', 'discarded'] as const;

/** A controlled vocabulary as the import sees it (see common/vocab.ts). */
export interface Vocab {
  terms: readonly Term[];
  parse(input: string): string | undefined;
}

/** One spreadsheet column: its stable key (used in errors), its Chinese header and what it accepts. */
export interface ColumnDef {
  key: string;
  label: string;
  en: string;
  required: boolean;
  /** what the 说明 sheet says about the column */
  hint: string;
  example: string | number;
  vocab?: Vocab;
  /** several vocabulary values in one cell, separated by 、,，;； */
  multi?: boolean;
  /** stored as text in the template so Excel keeps leading zeros and long digit strings */
  text?: boolean;
}

/** Roles an import may hand out: the school-scoped ones. */
export const IMPORT_ROLES: Vocab = {
  terms: ROLES.terms.filter((t) => ROLE_SCOPE[t.code] === 'school'),
  parse(input: string) {
    const code = ROLES.parse(input);
    return code && ROLE_SCOPE[code] === 'school' ? code : undefined;
  },
};

const labels = (v: Vocab) => v.terms.map((t) => t.zh).join('、');

export const COLUMNS: Record<ImportKind, ColumnDef[]> = {
  schools: [
    {
      key: 'code',
      label: '学校标识码',
      en: 'School code',
      required: true,
      text: true,
      hint: '10 位数字（教育部学校标识码），不可与已有学校重复',
      example: '3901029901',
    },
    { key: 'name', label: '学校名称', en: 'Name', required: true, hint: '2–60 个字', example: '临川市城东区示例小学' },
    { key: 'shortName', label: '学校简称', en: 'Short name', required: false, hint: '不超过 20 个字', example: '城东示例小学' },
    {
      key: 'creditCode',
      label: '统一社会信用代码',
      en: 'Credit code',
      required: false,
      text: true,
      hint: '18 位数字或大写字母（不含 I、O、S、V、Z），不可重复',
      example: '12390102MB1234567X',
    },
    { key: 'type', label: '学校类型', en: 'Type', required: true, vocab: SCHOOL_TYPES, hint: `可选：${labels(SCHOOL_TYPES)}`, example: '小学' },
    { key: 'ownership', label: '办学性质', en: 'Ownership', required: true, vocab: OWNERSHIP, hint: `可选：${labels(OWNERSHIP)}`, example: '公办' },
    { key: 'location', label: '所在地类型', en: 'Location', required: true, vocab: LOCATIONS, hint: `可选：${labels(LOCATIONS)}`, example: '城区' },
    { key: 'region', label: '所属区域', en: 'Region', required: false, hint: '区域代码或名称，须在导入时所选区域之内；留空则为所选区域', example: '' },
    {
      key: 'tags',
      label: '学校标签',
      en: 'Tags',
      required: false,
      vocab: SCHOOL_TAGS,
      multi: true,
      hint: `可多选，用“、”分隔：${labels(SCHOOL_TAGS)}`,
      example: '新建校、城郊校',
    },
    { key: 'address', label: '地址', en: 'Address', required: false, hint: '不超过 200 个字', example: '临川市城东区示例路 1 号' },
    { key: 'lat', label: '纬度', en: 'Latitude', required: false, hint: '-90 至 90 的小数', example: 30.21 },
    { key: 'lng', label: '经度', en: 'Longitude', required: false, hint: '-180 至 180 的小数', example: 117.52 },
    { key: 'principal', label: '校长', en: 'Principal', required: false, hint: '不超过 30 个字', example: '李明' },
    { key: 'phone', label: '联系电话', en: 'Phone', required: false, text: true, hint: '5–20 位数字，可含 +、- 和空格', example: '0799-6123456' },
    { key: 'foundedYear', label: '建校年份', en: 'Founded', required: false, hint: '1800–2100 的整数', example: 2020 },
    { key: 'students', label: '在校生数', en: 'Students', required: false, hint: '0–100000 的整数，留空为 0', example: 860 },
    { key: 'teachers', label: '教职工数', en: 'Teachers', required: false, hint: '0–10000 的整数，留空为 0', example: 52 },
    { key: 'classes', label: '班级数', en: 'Classes', required: false, hint: '0–2000 的整数，留空为 0', example: 18 },
  ],
  users: [
    {
      key: 'username',
      label: '用户名',
      en: 'Username',
      required: true,
      text: true,
      hint: '3–40 位字母、数字、下划线、点或连字符，不可与已有用户重复',
      example: 'zhang.wei01',
    },
    { key: 'displayName', label: '姓名', en: 'Name', required: true, hint: '2–30 个字', example: '张伟' },
    { key: 'role', label: '角色', en: 'Role', required: true, vocab: IMPORT_ROLES, hint: `可选：${labels(IMPORT_ROLES)}`, example: '教师' },
    { key: 'phone', label: '手机号', en: 'Mobile', required: false, text: true, hint: '11 位手机号，不可重复', example: '13800138000' },
    { key: 'email', label: '邮箱', en: 'Email', required: false, hint: '不可重复', example: 'zhang.wei01@example.edu.cn' },
  ],
  regions: [
    {
      key: 'code',
      label: '区域代码',
      en: 'Code',
      required: true,
      text: true,
      example: '361000',
      hint: '6 位行政区划代码（GB/T 2260）：省级 PP0000、地市级 PPCC00、区县级 PPCCXX，不可与已有区域重复',
    },
    { key: 'name', label: '区域名称', en: 'Name', required: true, hint: '2–40 个字，同一上级下不可重名', example: '抚州市' },
    {
      key: 'parent',
      label: '上级区域代码',
      en: 'Parent code',
      required: false,
      text: true,
      example: '360000',
      hint: '省级留空；其他填上级的区域代码（已有区域或本文件中的行）。下级代码须以上级代码开头：省下 2 位、市下 4 位；直辖市的区可直接填省级代码',
    },
  ],
};

export const KIND_NAMES: Record<ImportKind, string> = { schools: '学校', users: '用户', regions: '区域' };

// ---- API ----------------------------------------------------------------------------------------

export const KindQuery = z.strictObject({ kind: z.enum(IMPORT_KINDS) });
export const UploadQuery = z.strictObject({ kind: z.enum(IMPORT_KINDS), regionId: Id.optional(), schoolId: Id.optional() });
export const ImportListQuery = z.strictObject({ kind: z.enum(IMPORT_KINDS).optional(), status: z.enum(IMPORT_STATUS).optional(), ...Page });
export const CommitBody = z.strictObject({ onlyValid: z.boolean().optional() }).nullish();

export const CellValue = z.union([z.string(), z.number(), z.null()]);
export const ImportRowOut = z.object({
  row: z.number().int(),
  valid: z.boolean(),
  values: z.record(z.string(), CellValue),
  errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
});

export const ImportSummary = z.object({
  id: z.string(),
  kind: z.enum(IMPORT_KINDS),
  status: z.enum(IMPORT_STATUS),
  fileName: z.string(),
  regionId: z.string().nullable(),
  schoolId: z.string().nullable(),
  total: z.number().int(),
  validCount: z.number().int(),
  invalidCount: z.number().int(),
  importedCount: z.number().int().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export const ImportOut = ImportSummary.extend({
  columns: z.array(z.object({ key: z.string(), label: z.string() })),
  rows: z.array(ImportRowOut),
  /** users only, in the commit response only: the one-time initial passwords */
  initialPasswords: z.array(z.object({ username: z.string(), password: z.string() })).optional(),
});
