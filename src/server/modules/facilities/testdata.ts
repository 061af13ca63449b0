/**
 * Records the route × role test (access.test.ts) needs for facilities & bookings: one facility of a school
 * (open around the clock, auto-approve, far-ahead bookings allowed) with lendable equipment, a closure,
 * an accepted and a pending booking, a kit of the alliance, a waitlist entry and a loan — inserted directly.
 */
import type { Database } from '../../db/index.js';
import { DAY, HOUR, type BookingStatus } from '../../../common/facilities.js';

export interface FacilityTargets {
  facility: string;
  facilitySchool: string;
  equipment: string;
  closure: string;
  /** accepted, booked by the target teacher (u_teacher in scope) */
  booking: string;
  pendingBooking: string;
  kit: string;
  /** owned by the target teacher */
  waitlistEntry: string;
  loan: string;
}

export async function insertFacilityTargets(
  database: Database,
  o: { tag: string; schoolId: string; regionId: string; allianceId: string; booker: string; bookerSchool: string },
): Promise<FacilityTargets> {
  const db = database.db;
  const at = new Date().toISOString();
  const id = (what: string) => `t_${what}_${o.tag}`;
  const f = id('facility');
  await db
    .insertInto('facilities')
    .values({
      id: f,
      school_id: o.schoolId,
      partner_id: null,
      region_id: o.regionId,
      type: 'chemistry_lab',
      subject: 'chemistry',
      name: `权限测试实验室${o.tag}`,
      capacity: 60,
      location: null,
      photos: '[]',
      equipment_text: null,
      safety_rules: '安全规定',
      responsibility_terms: '责任条款',
      community_open: 0,
      policy: 'auto',
      min_minutes: 30,
      max_minutes: 240,
      min_notice_hours: 0,
      max_days_ahead: 400,
      buffer_minutes: 0,
      weekly_quota_hours: null,
      cancel_deadline_hours: 24,
      status: 'active',
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('facility_open_hours')
    .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ id: `${f}_h${weekday}`, facility_id: f, weekday, open: '00:00', close: '24:00' })))
    .execute();
  await db
    .insertInto('equipment')
    .values({
      id: id('equipment'),
      facility_id: f,
      school_id: o.schoolId,
      partner_id: null,
      region_id: o.regionId,
      type: '天平',
      name: '电子天平',
      quantity: 1000,
      status: 'available',
      usage: 'lendable',
      note: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('closures')
    .values({
      id: id('closure'),
      facility_id: f,
      school_id: null,
      start_date: '2099-01-01',
      end_date: '2099-01-02',
      kind: 'repair',
      reason: '检修',
      created_by: null,
      created_at: at,
    })
    .execute();
  const start = Date.now() + 380 * DAY;
  const booking = (bid: string, status: BookingStatus, offset: number) => ({
    id: bid,
    facility_id: f,
    alliance_id: o.bookerSchool === o.schoolId ? null : o.allianceId,
    booker_id: o.booker,
    booker_school_id: o.bookerSchool,
    series_id: null,
    start_at: new Date(start + offset).toISOString(),
    end_at: new Date(start + offset + HOUR).toISOString(),
    start_ms: start + offset,
    end_ms: start + offset + HOUR,
    block_end_ms: start + offset + HOUR,
    purpose: '权限测试',
    group_size: 10,
    responsible_teacher: '测试教师',
    status,
    decided_by: null,
    decided_at: null,
    decision_reason: null,
    checked_in_at: null,
    cancelled_at: null,
    cancelled_by: null,
    charge_tx_id: null,
    charge_amount: 0,
    created_at: at,
    updated_at: at,
  });
  await db
    .insertInto('bookings')
    .values([booking(id('booking'), 'accepted', 0), booking(id('pending'), 'pending', 2 * HOUR)])
    .execute();
  await db
    .insertInto('mobile_kits')
    .values({ id: id('kit'), alliance_id: o.allianceId, kind: 'mobile_lab', name: `流动实验室${o.tag}`, description: null, created_at: at })
    .execute();
  await db
    .insertInto('waitlist')
    .values({
      id: id('waitlist'),
      facility_id: f,
      user_id: o.booker,
      school_id: o.bookerSchool,
      alliance_id: null,
      start_ms: start,
      end_ms: start + HOUR,
      start_at: new Date(start).toISOString(),
      end_at: new Date(start + HOUR).toISOString(),
      purpose: '候补',
      group_size: 10,
      responsible_teacher: '测试教师',
      status: 'waiting',
      offer_expires_at: null,
      booking_id: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('equipment_loans')
    .values({
      id: id('loan'),
      equipment_id: id('equipment'),
      booking_id: null,
      borrower_id: o.booker,
      borrower_school_id: o.bookerSchool,
      quantity: 1,
      from_ms: start,
      to_ms: start + HOUR,
      from_at: new Date(start).toISOString(),
      to_at: new Date(start + HOUR).toISOString(),
      status: 'reserved',
      created_at: at,
      updated_at: at,
    })
    .execute();
  return {
    facility: f,
    facilitySchool: o.schoolId,
    equipment: id('equipment'),
    closure: id('closure'),
    booking: id('booking'),
    pendingBooking: id('pending'),
    kit: id('kit'),
    waitlistEntry: id('waitlist'),
    loan: id('loan'),
  };
}
