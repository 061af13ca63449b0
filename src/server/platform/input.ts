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
export const Line = (max: number) =>
  z.string().trim().max(max).refine(isCleanLine, issue('control_characters', 'control or bidi characters'));

/** Multi-line text (LF, CR and TAB allowed), trimmed, at most `max` characters. */
export const Para = (max: number) =>
  z.string().trim().max(max).refine(isCleanText, issue('control_characters', 'control or bidi characters'));

/** An opaque record id (letters, digits, '-' and '_'). */
export const Id = z.string().min(1).max(40).regex(/^[\w-]+$/);
