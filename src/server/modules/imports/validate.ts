/**
 * Row validation: the same zod rules as the schools and users APIs (SchoolCreate, UserCreate), plus what
 * only a spreadsheet needs — vocabulary labels, numbers typed as text, duplicates inside the file and
 * against the database.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/index.js';
import { zodIssueToField, type RawFieldError } from '../../platform/errors.js';
import { SchoolCreate } from '../schools/schema.js';
import { UserCreate } from '../users/service.js';
import { COLUMNS, type ColumnDef, type ImportKind } from './schema.js';
import { invalidFile, type Cell, type Table } from './parse.js';

export type Values = Record<string, Cell>;

/** One row as stored in imports.rows (errors unlocalized). */
export interface StoredRow {
  row: number;
  values: Values;
  errors: RawFieldError[];
}

/** What the rows are checked against. */
export interface Target {
  kind: ImportKind;
  /** schools: the chosen region; users: the school's region */
  regionId: string;
  schoolId: string | null;
}

export interface CheckedSchool {
  row: number;
  input: z.infer<typeof SchoolCreate>;
}
export interface CheckedUser {
  row: number;
  input: z.infer<typeof UserCreate>;
  role: string;
}

// ---- header -------------------------------------------------------------------------------------

const norm = (s: string) => s.replace(/[\s*＊:：]/g, '').replace(/[（(][^）)]*[）)]/g, '').toLowerCase();

/** Maps the header row onto the kind's columns: accepts the Chinese header, the key or the English name. */
export function mapTable(kind: ImportKind, table: Table): { row: number; values: Values }[] {
  const defs = COLUMNS[kind];
  const byName = new Map<string, ColumnDef>();
  for (const d of defs) for (const n of [d.label, d.key, d.en]) byName.set(norm(n), d);
  const at = new Map<string, number>();
  table.header.forEach((h, i) => {
    if (h == null) return;
    const d = byName.get(norm(String(h)));
    if (!d) return; // columns the import does not know are ignored
    if (at.has(d.key)) throw invalidFile(`表头“${d.label}”出现了两次`);
    at.set(d.key, i);
  });
  const missing = defs.filter((d) => d.required && !at.has(d.key));
  if (at.size === 0) throw invalidFile(`第 1 行不是${kind === 'schools' ? '学校' : '用户'}导入模板的表头，请使用下载的模板`);
  if (missing.length) throw invalidFile(`缺少必需的列：${missing.map((d) => d.label).join('、')}`);
  if (table.rows.length === 0) throw invalidFile('文件中没有数据行');
  return table.rows.map((r) => {
    const values: Values = {};
    for (const d of defs) values[d.key] = at.has(d.key) ? (r.cells[at.get(d.key)!] ?? null) : null;
    return { row: r.row, values };
  });
}

// ---- cell conversion ----------------------------------------------------------------------------

type Errs = RawFieldError[];

function text(v: Cell): string | undefined {
  if (v == null) return undefined;
  const s = typeof v === 'number' ? (Number.isInteger(v) ? v.toFixed(0) : String(v)) : v.trim();
  return s === '' ? undefined : s;
}

function number(v: Cell, key: string, errors: Errs, int: boolean): number | undefined {
  if (v == null) return undefined;
  const n = typeof v === 'number' ? v : Number(v.replace(/[,，\s]/g, ''));
  if (typeof v === 'string' && v.trim() === '') return undefined;
  if (!Number.isFinite(n) || (int && !Number.isInteger(n))) {
    errors.push({ field: key, code: 'invalid_type', params: { expected: int ? 'int' : 'number' } });
    return undefined;
  }
  return n;
}

function vocabValue(d: ColumnDef, v: Cell, errors: Errs): string | undefined {
  const s = text(v);
  if (s === undefined) {
    if (d.required) errors.push({ field: d.key, code: 'required' });
    return undefined;
  }
  const code = d.vocab!.parse(s);
  if (!code) errors.push({ field: d.key, code: 'invalid_value', params: { vocab: d.key } });
  return code;
}

function vocabList(d: ColumnDef, v: Cell, errors: Errs): string[] | undefined {
  const s = text(v);
  if (s === undefined) return undefined;
  const out: string[] = [];
  for (const part of s.split(/[、,，;；/\s]+/).filter(Boolean)) {
    const code = d.vocab!.parse(part);
    if (!code) {
      errors.push({ field: d.key, code: 'invalid_value', params: { vocab: d.key } });
      return undefined;
    }
    if (!out.includes(code)) out.push(code);
  }
  return out;
}

/** Adds zod's findings for fields that have no error yet; `rename` maps schema paths to column keys. */
function addZodIssues(errors: Errs, issues: z.core.$ZodIssue[], rename: Record<string, string> = {}) {
  const seen = new Set(errors.map((e) => e.field));
  for (const i of issues) {
    const head = String(i.path[0] ?? '');
    const key = rename[head] ?? head;
    if (seen.has(key)) continue;
    const mapped = zodIssueToField({ keyword: i.code, instancePath: '/' + key, params: i as never, message: i.message });
    for (const f of mapped) errors.push(f);
    seen.add(key);
  }
}

const inChunks = <T>(xs: T[], n = 500): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** Flags later rows that repeat an earlier row's value (compared case-insensitively). */
function duplicatesInFile(rows: StoredRow[], key: string, get: (r: StoredRow) => string | undefined) {
  const first = new Map<string, number>();
  for (const r of rows) {
    const v = get(r)?.toLowerCase();
    if (!v) continue;
    const prev = first.get(v);
    if (prev != null) {
      if (!r.errors.some((e) => e.field === key)) r.errors.push({ field: key, code: 'duplicate_in_file', params: { row: prev } });
    } else first.set(v, r.row);
  }
}

async function existing(db: Db, table: 'schools' | 'users', column: string, values: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const wanted = [...new Set(values.map((v) => v.toLowerCase()))];
  for (const chunk of inChunks(wanted)) {
    const res = await sql<{ v: string }>`select ${sql.ref(column)} as v from ${sql.table(table)} where lower(${sql.ref(column)}) in (${sql.join(chunk)})`.execute(db);
    for (const r of res.rows) out.add(String(r.v).toLowerCase());
  }
  return out;
}

function duplicatesInDb(rows: StoredRow[], key: string, get: (r: StoredRow) => string | undefined, found: Set<string>) {
  for (const r of rows) {
    const v = get(r)?.toLowerCase();
    if (v && found.has(v) && !r.errors.some((e) => e.field === key)) r.errors.push({ field: key, code: 'duplicate' });
  }
}

// ---- schools ------------------------------------------------------------------------------------

/** Regions rows may name: the chosen region and everything below it. */
export interface RegionRef {
  id: string;
  code: string;
  name: string;
}

function schoolInput(values: Values, target: Target, regions: RegionRef[], errors: Errs) {
  const defs = Object.fromEntries(COLUMNS.schools.map((d) => [d.key, d]));
  let regionId: string | undefined = target.regionId;
  const regionText = text(values.region);
  if (regionText !== undefined) {
    const matches = regions.filter((r) => r.code === regionText || r.name === regionText || r.id === regionText);
    if (matches.length === 1) regionId = matches[0]!.id;
    else {
      regionId = undefined;
      errors.push(matches.length > 1
        ? { field: 'region', code: 'invalid', params: { reason: '名称对应多个区域，请填写区域代码' } }
        : { field: 'region', code: 'not_found' });
    }
  }
  const creditCode = text(values.creditCode)?.toUpperCase();
  return {
    regionId,
    code: text(values.code),
    creditCode: creditCode ?? null,
    name: text(values.name),
    shortName: text(values.shortName) ?? null,
    type: vocabValue(defs.type!, values.type ?? null, errors),
    ownership: vocabValue(defs.ownership!, values.ownership ?? null, errors),
    location: vocabValue(defs.location!, values.location ?? null, errors),
    tags: vocabList(defs.tags!, values.tags ?? null, errors) ?? [],
    address: text(values.address) ?? null,
    lat: number(values.lat ?? null, 'lat', errors, false) ?? null,
    lng: number(values.lng ?? null, 'lng', errors, false) ?? null,
    principal: text(values.principal) ?? null,
    phone: text(values.phone) ?? null,
    foundedYear: number(values.foundedYear ?? null, 'foundedYear', errors, true) ?? null,
    students: number(values.students ?? null, 'students', errors, true),
    teachers: number(values.teachers ?? null, 'teachers', errors, true),
    classes: number(values.classes ?? null, 'classes', errors, true),
  };
}

export async function checkSchools(db: Db, target: Target, regions: RegionRef[], raw: { row: number; values: Values }[]) {
  const rows: StoredRow[] = raw.map((r) => ({ row: r.row, values: r.values, errors: [] }));
  const parsed = new Map<number, z.infer<typeof SchoolCreate>>();
  for (const r of rows) {
    const input = schoolInput(r.values, target, regions, r.errors);
    const res = SchoolCreate.safeParse(input);
    if (res.success) parsed.set(r.row, res.data);
    else addZodIssues(r.errors, res.error.issues, { regionId: 'region' });
  }
  const code = (r: StoredRow) => text(r.values.code);
  const credit = (r: StoredRow) => text(r.values.creditCode);
  duplicatesInFile(rows, 'code', code);
  duplicatesInFile(rows, 'creditCode', credit);
  duplicatesInDb(rows, 'code', code, await existing(db, 'schools', 'code', rows.map(code).filter((v): v is string => !!v)));
  duplicatesInDb(rows, 'creditCode', credit, await existing(db, 'schools', 'credit_code', rows.map(credit).filter((v): v is string => !!v)));
  const valid: CheckedSchool[] = rows.filter((r) => r.errors.length === 0).map((r) => ({ row: r.row, input: parsed.get(r.row)! }));
  return { rows, valid };
}

// ---- users --------------------------------------------------------------------------------------

export async function checkUsers(db: Db, target: Target, raw: { row: number; values: Values }[]) {
  const defs = Object.fromEntries(COLUMNS.users.map((d) => [d.key, d]));
  const rows: StoredRow[] = raw.map((r) => ({ row: r.row, values: r.values, errors: [] }));
  const parsed = new Map<number, CheckedUser>();
  for (const r of rows) {
    const role = vocabValue(defs.role!, r.values.role ?? null, r.errors);
    const input = {
      username: text(r.values.username),
      displayName: text(r.values.displayName),
      schoolId: target.schoolId,
      email: text(r.values.email)?.toLowerCase() ?? null,
      phone: text(r.values.phone) ?? null,
    };
    const res = UserCreate.safeParse(input);
    if (!res.success) addZodIssues(r.errors, res.error.issues);
    else if (role) parsed.set(r.row, { row: r.row, input: res.data, role });
  }
  const lower = (k: string) => (r: StoredRow) => text(r.values[k] ?? null)?.toLowerCase();
  for (const [key, column] of [['username', 'username'], ['phone', 'phone'], ['email', 'email']] as const) {
    duplicatesInFile(rows, key, lower(key));
    const vals = rows.map(lower(key)).filter((v): v is string => !!v);
    duplicatesInDb(rows, key, lower(key), await existing(db, 'users', column, vals));
  }
  const valid = rows.filter((r) => r.errors.length === 0).map((r) => parsed.get(r.row)!);
  return { rows, valid };
}
