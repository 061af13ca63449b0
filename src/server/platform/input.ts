/**
 * Input is hostile (ARCHITECTURE rule 14): the zod primitives every route schema builds on.
 *
 * - `DateStr`: a real calendar date `YYYY-MM-DD`, years 2000–2100 (no 2026-02-30, no 0001-01-01, no +010000).
 * - `Instant`: `YYYY-MM-DDTHH:MM[:SS[.sss]](Z|±HH:MM)`, a real date in the same years, hours 00–23 (no T24:00).
 * - `MonthStr`: `YYYY-MM` in the same years.
 * - `Line(max)`: single-line text, trimmed: no control characters (NUL, CR, LF, TAB …) and no bidi overrides.
 * - `Para(max)`: multi-line text, trimmed: line breaks and tabs allowed, other controls
 *   and bidi overrides refused.
 * - `Id`: an opaque record id.
 * Each refusal carries the field code the error handler shows (`invalid_date`, `control_characters`, …).
 */
import { z } from 'zod';

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-](\d{2}):(\d{2}))$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** True when y-m-d names a real day within the supported years. */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function isDateStr(s: string): boolean {
  const m = DATE_RE.exec(s);
  return !!m && isRealDate(+m[1]!, +m[2]!, +m[3]!);
}

export function isInstant(s: string): boolean {
  const m = INSTANT_RE.exec(s);
  if (!m) return false;
  if (!isRealDate(+m[1]!, +m[2]!, +m[3]!)) return false;
  if (+m[4]! > 23 || +m[5]! > 59 || (m[6] !== undefined && +m[6] > 59)) return false;
  if (m[9] !== undefined && (+m[9] > 14 || +m[10]! > 59)) return false;
  return true;
}

export function isMonthStr(s: string): boolean {
  const m = MONTH_RE.exec(s);
  return !!m && isRealDate(+m[1]!, +m[2]!, 1);
}

/** Control characters (C0, DEL, C1) and the bidi embedding / override / isolate marks. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

export function isCleanLine(s: string): boolean {
  return !CONTROL.test(s) && !BIDI.test(s);
}
export function isCleanText(s: string): boolean {
  return !CONTROL_EXCEPT_NEWLINE_TAB.test(s) && !BIDI.test(s);
}

/** A custom issue whose field code the error handler shows (see `zodIssueToField`). */
const issue = (fieldCode: string, message: string) => ({ message, params: { fieldCode } });

export const DateStr = z.string().refine(isDateStr, issue('invalid_date', 'invalid date'));
export const Instant = z.string().refine(isInstant, issue('invalid_instant', 'invalid instant'));
export const MonthStr = z.string().refine(isMonthStr, issue('invalid_month', 'invalid month'));

/** Single-line text, trimmed, at most `max` characters. */
export const Line = (max: number) => z.string().trim().max(max).refine(isCleanLine, issue('control_characters', 'control or bidi characters'));

/** Multi-line text (LF, CR and TAB allowed), trimmed, at most `max` characters. */
export const Para = (max: number) => z.string().trim().max(max).refine(isCleanText, issue('control_characters', 'control or bidi characters'));

/** An opaque record id (letters, digits, '-' and '_'). */
export const Id = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[\w-]+$/);

// ---- lists, ranges and loops --------------------------------------------------------------------

/** The largest page any list returns. */
export const MAX_PAGE_SIZE = 100;
/** The longest date range a report, statement or log query spans (about two years). */
export const MAX_RANGE_DAYS = 731;
/** An upper bound for any loop that walks days of a user-given range (a safety net behind the schema checks). */
export const MAX_LOOP_DAYS = 800;

/** Page and page size of a list query (page size at most `maxPageSize`). */
export const PageOf = (defaultSize = 20, maxPageSize = MAX_PAGE_SIZE) => ({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(maxPageSize).default(defaultSize),
});

const dayNumber = (s: string) => Math.floor(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s) / 86_400_000);
const msOf = (s: string) => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);

/**
 * An object-level check for a range of two fields (dates or instants): `to` not before `from` (`before_from`),
 * and at most `maxDays` days apart (`range_too_long`). Both errors name the `to` field. Fields left out
 * (optional) are not checked; fields that failed their own check are skipped.
 *
 *     z.strictObject({ from: DateStr.optional(), to: DateStr.optional() }).superRefine(rangeCheck('from', 'to', 731))
 */
export function rangeCheck(fromKey: string, toKey: string, maxDays = MAX_RANGE_DAYS, strict = false) {
  return (o: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const from = o[fromKey];
    const to = o[toKey];
    if (typeof from !== 'string' || typeof to !== 'string') return;
    const valid = (s: string) => (s.length === 10 ? isDateStr(s) : isInstant(s));
    if (!valid(from) || !valid(to)) return;
    const a = msOf(from);
    const b = msOf(to);
    if (strict ? b <= a : b < a) {
      ctx.addIssue({ code: 'custom', path: [toKey], message: 'before from', params: { fieldCode: 'before_from' } });
      return;
    }
    const days = from.length === 10 && to.length === 10 ? dayNumber(to) - dayNumber(from) : (b - a) / 86_400_000;
    if (days > maxDays) {
      ctx.addIssue({ code: 'custom', path: [toKey], message: 'range too long', params: { fieldCode: 'range_too_long', max: maxDays } });
    }
  };
}
