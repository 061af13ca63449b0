/**
 * The installation's time zone, in one place (ARCHITECTURE rule 16).
 *
 * Instants are stored in UTC; calendar dates (YYYY-MM-DD), open hours and "today" are local. The region
 * served is mainland China: Asia/Shanghai, UTC+8, without daylight saving since 1991, so local time is
 * a fixed offset and every conversion below is exact. Nothing else in the code writes `+08:00` or 8 hours.
 */
export const ZONE = { name: 'Asia/Shanghai', offset: '+08:00', offsetMs: 8 * 3_600_000 } as const;

/** Calendar dates are kept as YYYY-MM-DD in the installation's time zone. */
export const DEFAULT_TZ = ZONE.name;

const DAY_MS = 86_400_000;

export function todayIn(tz: string = DEFAULT_TZ, at: Date = new Date()): string {
  if (tz === ZONE.name) return localDate(at.getTime());
  return new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(ms: number | Date): string {
  const t = typeof ms === 'number' ? ms : ms.getTime();
  return new Date(t + ZONE.offsetMs).toISOString().slice(0, 10);
}

/**
 * Epoch ms of local midnight at the start of a YYYY-MM-DD date. Anything but a real calendar date is refused
 * (RangeError), never turned into NaN or a neighbouring day: input reaches this only through the strict
 * `DateStr` type, so a failure here is a bug, not a user's typo.
 */
export function localMidnightMs(date: string): number {
  const utc = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00.000Z`) : Number.NaN;
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== date) throw new RangeError(`not a calendar date: ${JSON.stringify(date).slice(0, 40)}`);
  return utc - ZONE.offsetMs;
}

/** ISO instant (UTC) of local midnight at the start of a date. */
export function localMidnightIso(date: string): string {
  return new Date(localMidnightMs(date)).toISOString();
}

/** ISO instant (UTC) of local midnight at the end of a date (the next day's start). */
export function nextLocalMidnightIso(date: string): string {
  return new Date(localMidnightMs(date) + DAY_MS).toISOString();
}

/** A local wall-clock time as an ISO string with the zone's offset: 2026-12-07T09:00:00+08:00. */
export function localIso(date: string, hm = '00:00'): string {
  return `${date}T${hm}:00${ZONE.offset}`;
}
