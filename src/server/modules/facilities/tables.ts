/** Table types owned by this module: facilities, equipment, calendars, bookings, loans, waitlist (S3.1–S3.2). See db/schema.ts for the conventions. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FacilityTables {}
