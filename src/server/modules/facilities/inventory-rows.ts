/**
 * Row readers and output shapes shared by the facility, calendar, equipment and booking services: open
 * hours, closures of a facility and its school, the term holding a date, the equipment stock lent out.
 */
import type { Db, Tx } from '../../db/index.js';
import type { ClosuresTable, EquipmentTable } from '../../db/tables/facilities.js';

export const closureOut = (c: Pick<ClosuresTable, 'id' | 'facility_id' | 'school_id' | 'start_date' | 'end_date' | 'kind' | 'reason'>) => ({
  id: c.id,
  facilityId: c.facility_id,
  schoolId: c.school_id,
  startDate: c.start_date,
  endDate: c.end_date,
  kind: c.kind,
  reason: c.reason,
});

export const equipmentOut = (e: EquipmentTable) => ({
  id: e.id,
  facilityId: e.facility_id,
  type: e.type,
  name: e.name,
  quantity: e.quantity,
  status: e.status,
  usage: e.usage,
  note: e.note,
});

/** The facility's weekly open hours. */
export function openHoursOf(db: Db | Tx, facilityId: string) {
  return db
    .selectFrom('facility_open_hours')
    .select(['weekday', 'open', 'close'])
    .where('facility_id', '=', facilityId)
    .orderBy('weekday')
    .orderBy('open')
    .execute();
}

/** Closures of the facility and of its school that end on or after `fromDate` (and start by `toDate`). */
export function closuresOf(db: Db | Tx, f: { id: string; school_id: string | null }, fromDate: string, toDate?: string) {
  let qb = db
    .selectFrom('closures')
    .selectAll()
    .where((eb) => {
      const ors = [eb('facility_id', '=', f.id)];
      if (f.school_id) ors.push(eb('school_id', '=', f.school_id));
      return eb.or(ors);
    })
    .where('end_date', '>=', fromDate);
  if (toDate) qb = qb.where('start_date', '<=', toDate);
  return qb.orderBy('start_date').execute();
}

/** The term of the school that holds the date (the default end of a weekly series). */
export async function termOn(db: Db | Tx, schoolId: string | null, date: string) {
  if (!schoolId) return undefined;
  return db
    .selectFrom('school_terms')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('start_date', '<=', date)
    .where('end_date', '>=', date)
    .executeTakeFirst();
}

/** The largest quantity of the equipment lent at any moment of [fromMs, toMs) (holding loans). */
export async function peakLent(db: Db | Tx, equipmentId: string, fromMs: number, toMs: number): Promise<number> {
  const loans = await db
    .selectFrom('equipment_loans')
    .select(['from_ms', 'to_ms', 'quantity'])
    .where('equipment_id', '=', equipmentId)
    .where('status', 'in', ['reserved', 'out'])
    .where('from_ms', '<', toMs)
    .where('to_ms', '>', fromMs)
    .execute();
  const points = loans.flatMap((l) => [
    { t: Math.max(Number(l.from_ms), fromMs), d: l.quantity },
    { t: Number(l.to_ms), d: -l.quantity },
  ]);
  points.sort((a, b) => a.t - b.t || a.d - b.d);
  let cur = 0;
  let peak = 0;
  for (const p of points) {
    cur += p.d;
    peak = Math.max(peak, cur);
  }
  return peak;
}
