/**
 * Row validation: the same zod rules as the schools and users APIs (SchoolCreate, UserCreate), plus what
 * only a spreadsheet needs — vocabulary labels, numbers typed as text, duplicates inside the file and
 * against the database.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/index.js';
import type { OrgSnapshot, SchoolRef } from '../org/directory.js';
import { zodIssueToField, type RawFieldError } from '../../platform/errors.js';
import { SchoolCreate } from '../org/schools/schema.js';
import { UserCreate } from '../users/service.js';
import { codeProblems, levelOf, REGION_LEVELS, type RegionLevel } from '../org/regions/codes.js';
import { RegionCode, RegionName } from '../org/regions/schema.js';
import { COLUMNS, KIND_NAMES, type ColumnDef, type ImportKind } from './schema.js';
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
  /** schools: the chosen region; users: the school's region; regions: the region the rows go below (null: anywhere) */
  regionId: string | null;
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

const norm = (s: string) =>
  s
    .replace(/[\s*＊:：]/g, '')
    .replace(/[（(][^）)]*[）)]/g, '')
    .toLowerCase();

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
  if (at.size === 0) throw invalidFile(`第 1 行不是${KIND_NAMES[kind]}导入模板的表头，请使用下载的模板`);
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
    const mapped = zodIssueToField({ keyword: i.code, instancePath: `/${key}`, params: i as never, message: i.message });
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

async function existing(db: Db, table: 'users', column: string, values: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const wanted = [...new Set(values.map((v) => v.toLowerCase()))];
  for (const chunk of inChunks(wanted)) {
    const res = await sql<{
      v: string;
    }>`select ${sql.ref(column)} as v from ${sql.table(table)} where lower(${sql.ref(column)}) in (${sql.join(chunk)})`.execute(db);
    for (const r of res.rows) out.add(String(r.v).toLowerCase());
  }
  return out;
}

/** Every school of the directory (region by region). */
function* schoolsOf(org: OrgSnapshot): Iterable<SchoolRef> {
  for (const r of org.allRegions()) for (const id of org.schoolsInRegion(r.id)) yield org.school(id)!;
}

/** The codes of directory entries, lower-cased (as `existing` answers). */
function codesIn(items: Iterable<{ code: string }>): Set<string> {
  const out = new Set<string>();
  for (const x of items) out.add(x.code.toLowerCase());
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
  let regionId: string | undefined = target.regionId ?? undefined;
  const regionText = text(values.region);
  if (regionText !== undefined) {
    const matches = regions.filter((r) => r.code === regionText || r.name === regionText || r.id === regionText);
    if (matches.length === 1) regionId = matches[0]!.id;
    else {
      regionId = undefined;
      errors.push(
        matches.length > 1
          ? { field: 'region', code: 'invalid', params: { reason: '名称对应多个区域，请填写区域代码' } }
          : { field: 'region', code: 'not_found' },
      );
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

export async function checkSchools(_db: Db, org: OrgSnapshot, target: Target, regions: RegionRef[], raw: { row: number; values: Values }[]) {
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
  // school codes from the directory; the credit code is not in it (TODO: ask the org module), read here
  duplicatesInDb(rows, 'code', code, codesIn(schoolsOf(org)));
  const creditCodes = new Set<string>();
  for (const sc of schoolsOf(org)) if (sc.creditCode) creditCodes.add(sc.creditCode.toLowerCase());
  duplicatesInDb(rows, 'creditCode', credit, creditCodes);
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
  for (const [key, column] of [
    ['username', 'username'],
    ['phone', 'phone'],
    ['email', 'email'],
  ] as const) {
    duplicatesInFile(rows, key, lower(key));
    const vals = rows.map(lower(key)).filter((v): v is string => !!v);
    duplicatesInDb(rows, key, lower(key), await existing(db, 'users', column, vals));
  }
  const valid = rows.filter((r) => r.errors.length === 0).map((r) => parsed.get(r.row)!);
  return { rows, valid };
}

// ---- regions ------------------------------------------------------------------------------------

export interface CheckedRegion {
  row: number;
  code: string;
  name: string;
  level: RegionLevel;
  /** the parent's code: an existing region or another row of the file; null for a province */
  parentCode: string | null;
}

/** An existing region rows may name as their parent. */
export interface ExistingRegion {
  id: string;
  code: string;
  name: string;
  level: RegionLevel;
  parent_id: string | null;
}

/**
 * Region rows: the same code rules as the regions API (codes.ts), parents either existing regions or rows
 * of the same file, sibling names unique, and every row within what the actor may add to:
 * `mayAddUnder(parentId)` for an existing parent (null: a province), `within` the import's region.
 */
export async function checkRegions(
  org: OrgSnapshot,
  raw: { row: number; values: Values }[],
  mayAddUnder: (parentId: string | null) => Promise<boolean>,
  within: Set<string> | null,
) {
  const rows: StoredRow[] = raw.map((r) => ({ row: r.row, values: r.values, errors: [] }));
  const code = (r: StoredRow) => text(r.values.code);
  const parentOf = (r: StoredRow) => text(r.values.parent) ?? null;
  for (const r of rows) {
    const res = RegionCode.safeParse(code(r));
    if (code(r) === undefined) r.errors.push({ field: 'code', code: 'required' });
    else if (!res.success)
      addZodIssues(
        r.errors,
        res.error.issues.map((i) => ({ ...i, path: ['code'] })),
      );
    else if (!levelOf(res.data)) r.errors.push({ field: 'code', code: 'region_code' });
    const name = RegionName.safeParse(text(r.values.name));
    if (text(r.values.name) === undefined) r.errors.push({ field: 'name', code: 'required' });
    else if (!name.success)
      addZodIssues(
        r.errors,
        name.error.issues.map((i) => ({ ...i, path: ['name'] })),
      );
  }
  duplicatesInFile(rows, 'code', code);
  duplicatesInDb(rows, 'code', code, codesIn(org.allRegions()));

  // parents named by code: existing regions (the directory) or rows of this file
  const wanted = new Set(rows.map(parentOf).filter((v): v is string => !!v));
  const known = new Map<string, ExistingRegion>();
  for (const x of org.allRegions()) {
    if (wanted.has(x.code)) known.set(x.code, { id: x.id, code: x.code, name: x.name, level: x.level as RegionLevel, parent_id: x.parentId });
  }
  const inFile = new Map<string, StoredRow>();
  for (const r of rows) if (code(r) && !inFile.has(code(r)!)) inFile.set(code(r)!, r);
  // sibling names already taken below the existing parents (and among provinces)
  const parentIds = new Set([...known.values()].map((k) => k.id));
  const taken = new Set<string>();
  for (const x of org.allRegions()) if (x.parentId === null || parentIds.has(x.parentId)) taken.add(`${x.parentId ?? ''}/${x.name}`);
  const allowed = new Map<string | null, boolean>();
  const may = async (parentId: string | null) => {
    if (!allowed.has(parentId)) allowed.set(parentId, (await mayAddUnder(parentId)) && (within === null ? true : parentId !== null && within.has(parentId)));
    return allowed.get(parentId)!;
  };

  // parents first: provinces, then cities, then counties
  const rank = (r: StoredRow) => REGION_LEVELS.indexOf(levelOf(code(r) ?? '') ?? 'district');
  const ordered = [...rows].sort((a, b) => rank(a) - rank(b) || a.row - b.row);
  const namesInFile = new Map<string, number>();
  const valid: CheckedRegion[] = [];
  for (const r of ordered) {
    const c = code(r);
    const level = c ? levelOf(c) : null;
    const pCode = parentOf(r);
    let existingParent: ExistingRegion | undefined;
    if (level && !r.errors.some((e) => e.field === 'code')) {
      existingParent = pCode ? known.get(pCode) : undefined;
      const fileParent = pCode && !existingParent ? inFile.get(pCode) : undefined;
      const parentLevel = existingParent?.level ?? (fileParent ? levelOf(pCode!) : null);
      if (pCode && !existingParent && !fileParent) r.errors.push({ field: 'parent', code: 'not_found' });
      else if (pCode && !parentLevel) r.errors.push({ field: 'parent', code: 'region_code' });
      else {
        for (const e of codeProblems(c!, pCode ? { code: pCode, level: parentLevel! } : null, 'code', 'parent')) r.errors.push(e);
        if (fileParent && fileParent.errors.length > 0) {
          r.errors.push({ field: 'parent', code: 'invalid', params: { reason: `第 ${fileParent.row} 行有误` } });
        } else if (!fileParent && !r.errors.length && !(await may(existingParent?.id ?? null))) {
          r.errors.push({ field: pCode ? 'parent' : 'code', code: 'out_of_scope' });
        }
      }
    }
    const name = text(r.values.name);
    if (name && !r.errors.some((e) => e.field === 'name')) {
      // rows below a parent of this file have no siblings in the database yet
      const dbKey = existingParent ? `${existingParent.id}/${name}` : pCode ? null : `/${name}`;
      const fileKey = `${pCode ?? ''}/${name}`;
      if (dbKey && taken.has(dbKey)) r.errors.push({ field: 'name', code: 'duplicate' });
      else if (namesInFile.has(fileKey)) r.errors.push({ field: 'name', code: 'duplicate_in_file', params: { row: namesInFile.get(fileKey) } });
      else namesInFile.set(fileKey, r.row);
    }
    if (r.errors.length === 0) valid.push({ row: r.row, code: c!, name: name!, level: level!, parentCode: pCode });
  }
  return { rows, valid };
}
