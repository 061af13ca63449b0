/** Bookings (S3.2): the answer shapes of a booking and of an equipment loan. */
import type { BookingStatus } from '../../../common/facilities.js';
import type { BookingsTable } from '../../db/tables/facilities.js';

export type BookingRow = BookingsTable & {
  facility_name: string;
  facility_type: string;
  host_school_id: string | null;
  host_partner_id: string | null;
  booker_name: string;
};

export function bookingOut(r: BookingRow) {
  return {
    id: r.id,
    facilityId: r.facility_id,
    facilityName: r.facility_name,
    facilityType: r.facility_type,
    hostSchoolId: r.host_school_id,
    hostPartnerId: r.host_partner_id,
    allianceId: r.alliance_id,
    bookerId: r.booker_id,
    bookerName: r.booker_name,
    bookerSchoolId: r.booker_school_id,
    seriesId: r.series_id,
    start: r.start_at,
    end: r.end_at,
    purpose: r.purpose,
    groupSize: r.group_size,
    responsibleTeacher: r.responsible_teacher,
    status: r.status as BookingStatus,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    checkedInAt: r.checked_in_at,
    cancelledAt: r.cancelled_at,
    chargeAmount: r.charge_amount,
    createdAt: r.created_at,
  };
}

export function loanOut(r: {
  id: string;
  equipment_id: string;
  equipment_name: string;
  booking_id: string | null;
  quantity: number;
  from_at: string;
  to_at: string;
  status: string;
}) {
  return {
    id: r.id,
    equipmentId: r.equipment_id,
    equipmentName: r.equipment_name,
    bookingId: r.booking_id,
    quantity: r.quantity,
    from: r.from_at,
    to: r.to_at,
    status: r.status as 'reserved' | 'out' | 'returned' | 'cancelled',
  };
}
