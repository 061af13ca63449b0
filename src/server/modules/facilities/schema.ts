/** Request and response schemas of the facilities & bookings API (S3.1–S3.2). The web app imports these. */
import { z } from 'zod';
import {
  BOOKING_POLICIES,
  BOOKING_STATUSES,
  CLOSURE_KINDS,
  EQUIPMENT_STATUSES,
  EQUIPMENT_USAGE,
  FACILITY_STATUSES,
  FACILITY_TYPES,
  LOAN_STATUSES,
  OCCURRENCE_STATUSES,
  WAITLIST_STATUSES,
} from '../../../common/facilities.js';
import { SUBJECTS } from '../../../common/vocab.js';
import { Instant, rangeCheck } from '../../platform/input.js';
import { DateStr, Id, Line, Page, paginated, Para } from '../org/schools/schema.js';

/** Mobile kits of an alliance (db/tables/facilities.ts KitKind). */
const KitKind = z.enum(['mobile_lab', 'mobile_sports_kit']);
/** What an iCalendar feed follows (db/tables/facilities.ts CalendarFeedKind). */
const FeedKind = z.enum(['facility', 'school', 'teacher']);

export { Id, DateStr, Instant, paginated };
export const Hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);

export const OpenHourIn = z
  .strictObject({ weekday: z.number().int().min(1).max(7), open: Hm, close: Hm })
  .refine((h) => h.open < h.close, { message: 'open < close', path: ['close'] });
export const OpenHoursPut = z.strictObject({ hours: z.array(OpenHourIn).max(50) });

const Text = Line;
const PolicyFields = {
  policy: z.enum(BOOKING_POLICIES.codes),
  minMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  maxMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  minNoticeHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  maxDaysAhead: z.number().int().min(1).max(400),
  bufferMinutes: z.number().int().min(0).max(240),
  weeklyQuotaHours: z.number().int().min(1).max(168).nullable(),
  cancelDeadlineHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30),
};
const FacilityFields = {
  type: z.enum(FACILITY_TYPES.codes),
  subject: z.enum(SUBJECTS.codes).nullable(),
  name: Text(60).min(2),
  capacity: z.number().int().min(0).max(100_000),
  location: Text(100).nullable(),
  photos: z.array(Line(300)).max(20),
  equipmentText: Para(4000).nullable(),
  safetyRules: Para(4000).nullable(),
  responsibilityTerms: Para(4000).nullable(),
  communityOpen: z.boolean(),
  status: z.enum(FACILITY_STATUSES.codes),
  ...PolicyFields,
};
const opt = <T extends Record<string, z.ZodType>>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> };

export const FacilityCreate = z.strictObject({
  /** owner: a school, or a partner (community venue) */
  schoolId: Id.optional(),
  partnerId: Id.optional(),
  ...opt(FacilityFields),
  type: FacilityFields.type,
  name: FacilityFields.name,
  capacity: FacilityFields.capacity,
  openHours: z.array(OpenHourIn).max(50).optional(),
});
export const FacilityUpdate = z.strictObject(opt(FacilityFields));

export const FacilityQuery = z
  .strictObject({
    type: z.enum(FACILITY_TYPES.codes).optional(),
    subject: z.enum(SUBJECTS.codes).optional(),
    schoolId: Id.optional(),
    partnerId: Id.optional(),
    allianceId: Id.optional(),
    q: Line(60).optional(),
    communityOpen: z.enum(['1', '0']).optional(),
    freeFrom: Instant.optional(),
    freeTo: Instant.optional(),
    nearSchoolId: Id.optional(),
    ...Page,
  })
  .superRefine(rangeCheck('freeFrom', 'freeTo', 31, true));

export const FacilitySummary = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  subject: z.string().nullable(),
  capacity: z.number(),
  location: z.string().nullable(),
  schoolId: z.string().nullable(),
  schoolName: z.string().nullable(),
  partnerId: z.string().nullable(),
  partnerName: z.string().nullable(),
  regionId: z.string(),
  policy: z.enum(BOOKING_POLICIES.codes),
  communityOpen: z.boolean(),
  status: z.enum(FACILITY_STATUSES.codes),
  distanceKm: z.number().nullable(),
});

export const OpenHourOut = z.object({ weekday: z.number(), open: z.string(), close: z.string() });
export const ClosureOut = z.object({
  id: z.string(),
  facilityId: z.string().nullable(),
  schoolId: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string(),
  kind: z.enum(CLOSURE_KINDS.codes),
  reason: z.string().nullable(),
});
export const EquipmentOut = z.object({
  id: z.string(),
  facilityId: z.string().nullable(),
  type: z.string(),
  name: z.string(),
  quantity: z.number(),
  status: z.enum(EQUIPMENT_STATUSES.codes),
  usage: z.enum(EQUIPMENT_USAGE.codes),
  note: z.string().nullable(),
});
export const FacilityDetail = FacilitySummary.extend({
  photos: z.array(z.string()),
  equipmentText: z.string().nullable(),
  safetyRules: z.string().nullable(),
  responsibilityTerms: z.string().nullable(),
  minMinutes: z.number(),
  maxMinutes: z.number(),
  minNoticeHours: z.number(),
  maxDaysAhead: z.number(),
  bufferMinutes: z.number(),
  weeklyQuotaHours: z.number().nullable(),
  cancelDeadlineHours: z.number(),
  openHours: z.array(OpenHourOut),
  closures: z.array(ClosureOut),
  equipment: z.array(EquipmentOut),
  /** alliances of the owner (the booker chooses one of those shared with the own school) */
  alliances: z.array(z.object({ id: z.string(), name: z.string() })),
  canManage: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const EquipmentCreate = z.strictObject({
  type: Text(40).min(1),
  name: Text(60).min(1),
  quantity: z.number().int().min(0).max(100_000),
  status: z.enum(EQUIPMENT_STATUSES.codes).default('available'),
  usage: z.enum(EQUIPMENT_USAGE.codes).default('onsite'),
  note: Para(500).nullable().optional(),
});
export const EquipmentUpdate = z.strictObject(
  opt({
    type: Text(40).min(1),
    name: Text(60).min(1),
    quantity: z.number().int().min(0).max(100_000),
    status: z.enum(EQUIPMENT_STATUSES.codes),
    usage: z.enum(EQUIPMENT_USAGE.codes),
    note: Para(500).nullable(),
  }),
);

export const ClosureCreate = z
  .strictObject({
    startDate: DateStr,
    endDate: DateStr,
    kind: z.enum(CLOSURE_KINDS.codes),
    reason: Text(200).nullable().optional(),
  })
  .superRefine(rangeCheck('startDate', 'endDate', 366));
export const TermCreate = z.strictObject({ name: Text(40).min(2), startDate: DateStr, endDate: DateStr }).superRefine(rangeCheck('startDate', 'endDate', 366));
export const TermOut = z.object({ id: z.string(), schoolId: z.string(), name: z.string(), startDate: z.string(), endDate: z.string() });

export const KitCreate = z.strictObject({
  kind: KitKind,
  name: Text(60).min(2),
  description: Para(1000).nullable().optional(),
});
export const RotationCreate = z
  .strictObject({ schoolId: Id, fromDate: DateStr, toDate: DateStr, note: Text(200).nullable().optional() })
  .superRefine(rangeCheck('fromDate', 'toDate', 366));
export const RotationOut = z.object({
  id: z.string(),
  kitId: z.string(),
  schoolId: z.string(),
  schoolName: z.string(),
  fromDate: z.string(),
  toDate: z.string(),
  note: z.string().nullable(),
});
export const KitOut = z.object({
  id: z.string(),
  allianceId: z.string(),
  kind: KitKind,
  name: z.string(),
  description: z.string().nullable(),
  rotations: z.array(RotationOut),
  /** where the kit is today */
  currentSchoolId: z.string().nullable(),
});

// ---- bookings ----------------------------------------------------------------------------

export const EquipmentRequest = z.strictObject({ equipmentId: Id, quantity: z.number().int().min(1).max(10_000) });
const BookingCore = {
  facilityId: Id,
  allianceId: Id.nullable().optional(),
  start: Instant,
  end: Instant,
  /** weekly; `until` defaults to the end of the host school's term that holds the first date */
  recurrence: z.strictObject({ until: DateStr.optional() }).optional(),
};
export const BookingCreate = z.strictObject({
  ...BookingCore,
  purpose: Text(200).min(1),
  groupSize: z.number().int().min(1).max(100_000),
  responsibleTeacher: Text(30).min(1),
  acceptTerms: z.boolean(),
  mode: z.enum(['all_free', 'all_or_nothing']).default('all_or_nothing'),
  equipment: z.array(EquipmentRequest).max(20).default([]),
});

/** the booking form as far as it is filled in (the other fields are ignored by the preview) */
export const BookingPreview = z.strictObject({
  ...BookingCore,
  ...BookingCreate.omit({ facilityId: true, allianceId: true, start: true, end: true, recurrence: true }).partial().shape,
});

export const QuoteOut = z.object({
  amount: z.number(),
  hours: z.number(),
  peakHours: z.number(),
  free: z.boolean(),
  reason: z.string(),
  ratePerHour: z.number(),
  peakRatePerHour: z.number(),
});
export const OccurrenceOut = z.object({
  start: z.string(),
  end: z.string(),
  status: z.enum(OCCURRENCE_STATUSES.codes),
  clash: z.object({ bookingId: z.string(), start: z.string(), end: z.string() }).nullable(),
  closure: z.object({ kind: z.string(), reason: z.string().nullable(), startDate: z.string(), endDate: z.string() }).nullable(),
});
export const PreviewOut = z.object({
  occurrences: z.array(OccurrenceOut),
  free: z.number(),
  allianceId: z.string().nullable(),
  quote: QuoteOut.nullable(),
  policy: z.string(),
  terms: z.object({ safetyRules: z.string().nullable(), responsibilityTerms: z.string().nullable() }),
});

export const LoanOut = z.object({
  id: z.string(),
  equipmentId: z.string(),
  equipmentName: z.string(),
  bookingId: z.string().nullable(),
  quantity: z.number(),
  from: z.string(),
  to: z.string(),
  status: z.enum(LOAN_STATUSES.codes),
});
export const BookingOut = z.object({
  id: z.string(),
  facilityId: z.string(),
  facilityName: z.string(),
  facilityType: z.string(),
  hostSchoolId: z.string().nullable(),
  hostPartnerId: z.string().nullable(),
  allianceId: z.string().nullable(),
  bookerId: z.string(),
  bookerName: z.string(),
  bookerSchoolId: z.string().nullable(),
  seriesId: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  purpose: z.string(),
  groupSize: z.number(),
  responsibleTeacher: z.string(),
  status: z.enum(BOOKING_STATUSES.codes),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  chargeAmount: z.number(),
  createdAt: z.string(),
});
export const BookingDetail = BookingOut.extend({ loans: z.array(LoanOut) });
export const BookingCreated = z.object({
  series: z.object({ id: z.string(), until: z.string(), mode: z.string() }).nullable(),
  bookings: z.array(BookingOut),
  /** occurrences left out (all_free) */
  skipped: z.array(OccurrenceOut),
});
export const BookingListQuery = z
  .strictObject({
    scope: z.enum(['mine', 'school', 'facility']).default('mine'),
    facilityId: Id.optional(),
    schoolId: Id.optional(),
    status: z.enum(BOOKING_STATUSES.codes).optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    ...Page,
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .superRefine(rangeCheck('from', 'to'));
/** reasons are short paragraphs (the web form is a text area) */
export const DecideBody = z.strictObject({ reason: Para(200).min(1).optional() });
export const RejectBody = z.strictObject({ reason: Para(200).min(1) });

export const AvailabilityQuery = z.strictObject({ from: Instant, to: Instant }).superRefine(rangeCheck('from', 'to', 400, true));
export const AvailabilityOut = z.object({
  facilityId: z.string(),
  busy: z.array(z.object({ bookingId: z.string(), start: z.string(), end: z.string(), status: z.string(), mine: z.boolean() })),
  openHours: z.array(OpenHourOut),
  closures: z.array(ClosureOut),
  bufferMinutes: z.number(),
});

export const WaitlistCreate = z.strictObject({
  facilityId: Id,
  allianceId: Id.nullable().optional(),
  start: Instant,
  end: Instant,
  purpose: Text(200).min(1),
  groupSize: z.number().int().min(1).max(100_000),
  responsibleTeacher: Text(30).min(1),
});
export const WaitlistOut = z.object({
  id: z.string(),
  facilityId: z.string(),
  facilityName: z.string(),
  start: z.string(),
  end: z.string(),
  status: z.enum(WAITLIST_STATUSES.codes),
  offerExpiresAt: z.string().nullable(),
  bookingId: z.string().nullable(),
  position: z.number().nullable(),
  createdAt: z.string(),
});
export const WaitlistAccept = z.strictObject({ acceptTerms: z.boolean() });

export const LoanCreate = z.strictObject({ quantity: z.number().int().min(1).max(10_000), from: Instant, to: Instant });

export const CalendarTokenCreate = z.strictObject({ kind: FeedKind, id: Id });
export const CalendarTokenOut = z.object({ url: z.string(), kind: FeedKind, id: z.string() });
