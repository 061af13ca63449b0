import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import 'dayjs/locale/zh-cn';
import { ZONE } from '../../common/time';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The installation's time zone (src/common/time.ts). */
export const TZ = ZONE.name;

/** An ISO instant shown in Beijing time. */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.tz(TZ).format('YYYY-MM-DD HH:mm') : iso;
}

/** A YYYY-MM-DD date (or an instant) as a date. */
export function fmtDate(s: string | null | undefined): string {
  if (!s) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const d = dayjs(s);
  return d.isValid() ? d.tz(TZ).format('YYYY-MM-DD') : s;
}

export function fmtNum(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return n.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtSize(bytes: number | null | undefined): string {
  if (!bytes && bytes !== 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function todayStr(): string {
  return dayjs().tz(TZ).format('YYYY-MM-DD');
}

export { dayjs };
