/** Table types owned by this module: facilities, equipment, calendars, bookings, loans, waitlist (S3.1–S3.2). See db/schema.ts for the conventions. */
import type {
  BookingPolicyCode,
  BookingStatus,
  ClosureKind,
  EquipmentStatus,
  EquipmentUsage,
  FacilityStatus,
  LoanStatus,
  WaitlistStatus,
} from '../../../common/facilities.js';

/** Kinds of an iCalendar feed link. */
export type CalendarFeedKind = 'facility' | 'school' | 'teacher';
/** Mobile kits of an alliance. */
export type KitKind = 'mobile_lab' | 'mobile_sports_kit';
/** How a weekly series treats occurrences that cannot be booked. */
export type SeriesMode = 'all_free' | 'all_or_nothing';

export interface FacilitiesTable {
  id: string;
  /** owner: a school, or a partner (community venue); exactly one is set */
  school_id: string | null;
  partner_id: string | null;
  /** region of the owner (scope of bureau / evaluator) */
  region_id: string;
  type: string; // FACILITY_TYPES
  subject: string | null; // SUBJECTS code (labs)
  name: string;
  capacity: number;
  location: string | null; // building / room
  photos: string; // JSON string[] (storage keys)
  equipment_text: string | null;
  safety_rules: string | null;
  responsibility_terms: string | null;
  /** open to guardians / the community at weekends (学校资源向社区开放) */
  community_open: number;
  policy: BookingPolicyCode;
  min_minutes: number;
  max_minutes: number;
  min_notice_hours: number;
  max_days_ahead: number;
  buffer_minutes: number;
  weekly_quota_hours: number | null;
  cancel_deadline_hours: number;
  status: FacilityStatus;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface FacilityOpenHoursTable {
  id: string;
  facility_id: string;
  weekday: number; // 1..7
  open: string; // HH:MM
  close: string; // HH:MM
}

export interface ClosuresTable {
  id: string;
  /** one of: a facility, or a whole school */
  facility_id: string | null;
  school_id: string | null;
  start_date: string;
  end_date: string;
  kind: ClosureKind;
  reason: string | null;
  created_by: string | null;
  created_at: string;
}

export interface SchoolTermsTable {
  id: string;
  school_id: string;
  name: string; // 2026-2027学年第一学期
  start_date: string;
  end_date: string;
  created_at: string;
}

export interface EquipmentTable {
  id: string;
  facility_id: string | null;
  school_id: string | null;
  partner_id: string | null;
  region_id: string;
  type: string;
  name: string;
  quantity: number;
  status: EquipmentStatus;
  usage: EquipmentUsage;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface MobileKitsTable {
  id: string;
  alliance_id: string;
  kind: KitKind;
  name: string;
  description: string | null;
  created_at: string;
}

export interface KitRotationsTable {
  id: string;
  kit_id: string;
  school_id: string;
  from_date: string;
  to_date: string;
  note: string | null;
  created_at: string;
}

export interface BookingSeriesTable {
  id: string;
  facility_id: string;
  booker_id: string;
  until_date: string;
  mode: SeriesMode;
  created_at: string;
}

export interface BookingsTable {
  id: string;
  facility_id: string;
  alliance_id: string | null;
  booker_id: string;
  booker_school_id: string | null;
  series_id: string | null;
  start_at: string;
  end_at: string;
  start_ms: number;
  end_ms: number;
  /** end_ms + the facility's buffer at booking time: the database keeps [start_ms, block_end_ms) apart */
  block_end_ms: number;
  purpose: string;
  group_size: number;
  responsible_teacher: string;
  status: BookingStatus;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  checked_in_at: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  charge_tx_id: string | null;
  charge_amount: number;
  created_at: string;
  updated_at: string;
}

export interface EquipmentLoansTable {
  id: string;
  equipment_id: string;
  booking_id: string | null;
  borrower_id: string;
  borrower_school_id: string | null;
  quantity: number;
  from_ms: number;
  to_ms: number;
  from_at: string;
  to_at: string;
  status: LoanStatus;
  created_at: string;
  updated_at: string;
}

export interface WaitlistTable {
  id: string;
  facility_id: string;
  user_id: string;
  school_id: string | null;
  alliance_id: string | null;
  start_ms: number;
  end_ms: number;
  start_at: string;
  end_at: string;
  purpose: string;
  group_size: number;
  responsible_teacher: string;
  status: WaitlistStatus;
  offer_expires_at: string | null;
  booking_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface CalendarTokensTable {
  /** sha-256 of the secret token */
  id: string;
  user_id: string;
  kind: CalendarFeedKind;
  target_id: string;
  created_at: string;
  last_used_at: string | null;
}

export interface IdempotencyKeysTable {
  key: string;
  user_id: string;
  route: string;
  request_hash: string;
  status: number;
  response: string; // JSON
  created_at: string;
}

export interface FacilityTables {
  facilities: FacilitiesTable;
  facility_open_hours: FacilityOpenHoursTable;
  closures: ClosuresTable;
  school_terms: SchoolTermsTable;
  equipment: EquipmentTable;
  mobile_kits: MobileKitsTable;
  kit_rotations: KitRotationsTable;
  booking_series: BookingSeriesTable;
  bookings: BookingsTable;
  equipment_loans: EquipmentLoansTable;
  waitlist: WaitlistTable;
  calendar_tokens: CalendarTokensTable;
  idempotency_keys: IdempotencyKeysTable;
}
