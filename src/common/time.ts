/** Calendar dates are kept as YYYY-MM-DD in the school's time zone (Asia/Shanghai by default). */
export const DEFAULT_TZ = 'Asia/Shanghai';

export function todayIn(tz = DEFAULT_TZ, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
