import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';
import { columnTypes } from '../index.js';

/**
 * Facilities, equipment, calendars, bookings, loans, waitlist, calendar tokens, idempotency keys (S3.1–S3.2).
 *
 * The invariant "two holding bookings of one facility never overlap" lives in the database:
 *  - PostgreSQL: an exclusion constraint over the half-open range [start_ms, block_end_ms) (btree_gist);
 *  - SQLite: BEFORE INSERT / UPDATE triggers that abort on an overlapping holding booking (writers are
 *    serialized by BEGIN IMMEDIATE, so the check and the write are atomic).
 * block_end_ms = end_ms + the facility's buffer, so the buffer between bookings is guarded too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('facilities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 0`))
    .addColumn('location', 'text')
    .addColumn('photos', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('equipment_text', 'text')
    .addColumn('safety_rules', 'text')
    .addColumn('responsibility_terms', 'text')
    .addColumn('community_open', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('policy', 'text', (c) => c.notNull().check(sql`policy in ('auto','manual')`))
    .addColumn('min_minutes', 'integer', (c) => c.notNull().check(sql`min_minutes > 0`))
    .addColumn('max_minutes', 'integer', (c) => c.notNull().check(sql`max_minutes >= min_minutes`))
    .addColumn('min_notice_hours', 'integer', (c) => c.notNull().check(sql`min_notice_hours >= 0`))
    .addColumn('max_days_ahead', 'integer', (c) => c.notNull().check(sql`max_days_ahead > 0`))
    .addColumn('buffer_minutes', 'integer', (c) => c.notNull().check(sql`buffer_minutes >= 0`))
    .addColumn('weekly_quota_hours', 'integer', (c) => c.check(sql`weekly_quota_hours is null or weekly_quota_hours > 0`))
    .addColumn('cancel_deadline_hours', 'integer', (c) => c.notNull().check(sql`cancel_deadline_hours >= 0`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','suspended','retired')`))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('facilities_owner', sql`(school_id is null) <> (partner_id is null)`)
    .execute();
  await db.schema.createIndex('facilities_school').on('facilities').columns(['school_id', 'type']).execute();
  await db.schema.createIndex('facilities_region').on('facilities').columns(['region_id', 'type']).execute();
  await db.schema.createIndex('facilities_partner').on('facilities').column('partner_id').execute();

  await db.schema
    .createTable('facility_open_hours')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('open', 'text', (c) => c.notNull())
    .addColumn('close', 'text', (c) => c.notNull())
    .addCheckConstraint('open_hours_order', sql`open < close`)
    .execute();
  await db.schema.createIndex('open_hours_facility').on('facility_open_hours').columns(['facility_id', 'weekday']).execute();

  await db.schema
    .createTable('closures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.references('facilities.id').onDelete('cascade'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('exam','repair','holiday')`))
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('closures_target', sql`(facility_id is null) <> (school_id is null)`)
    .addCheckConstraint('closures_order', sql`start_date <= end_date`)
    .execute();
  await db.schema.createIndex('closures_facility').on('closures').columns(['facility_id', 'end_date']).execute();
  await db.schema.createIndex('closures_school').on('closures').columns(['school_id', 'end_date']).execute();

  await db.schema
    .createTable('school_terms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('terms_order', sql`start_date <= end_date`)
    .execute();
  await db.schema.createIndex('terms_school').on('school_terms').columns(['school_id', 'start_date']).execute();

  await db.schema
    .createTable('equipment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.references('facilities.id'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('available','repair','scrapped')`))
    .addColumn('usage', 'text', (c) => c.notNull().check(sql`usage in ('lendable','onsite')`))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('equipment_facility').on('equipment').column('facility_id').execute();
  await db.schema.createIndex('equipment_school').on('equipment').column('school_id').execute();

  await db.schema
    .createTable('mobile_kits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mobile_lab','mobile_sports_kit')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('kit_rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kit_id', 'text', (c) => c.notNull().references('mobile_kits.id').onDelete('cascade'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('rotations_order', sql`from_date <= to_date`)
    .execute();
  await db.schema.createIndex('rotations_kit').on('kit_rotations').columns(['kit_id', 'from_date']).execute();

  await db.schema
    .createTable('booking_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('booker_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('until_date', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('all_free','all_or_nothing')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('alliance_id', 'text', (c) => c.references('alliances.id'))
    .addColumn('booker_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('booker_school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('series_id', 'text', (c) => c.references('booking_series.id'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('start_ms', t.bigint, (c) => c.notNull())
    .addColumn('end_ms', t.bigint, (c) => c.notNull())
    .addColumn('block_end_ms', t.bigint, (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('group_size', 'integer', (c) => c.notNull().check(sql`group_size > 0`))
    .addColumn('responsible_teacher', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','accepted','checked_in','rejected','cancelled','no_show')`))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('checked_in_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('charge_tx_id', 'text')
    .addColumn('charge_amount', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('bookings_order', sql`start_ms < end_ms and end_ms <= block_end_ms`)
    .execute();
  await db.schema.createIndex('bookings_facility_time').on('bookings').columns(['facility_id', 'start_ms']).execute();
  await db.schema.createIndex('bookings_booker').on('bookings').columns(['booker_id', 'start_ms']).execute();
  await db.schema.createIndex('bookings_school').on('bookings').columns(['booker_school_id', 'start_ms']).execute();
  await db.schema.createIndex('bookings_series').on('bookings').column('series_id').execute();

  if (dialect === 'postgres') {
    // installed in `public` so the operator class resolves whatever the search_path (tests use a schema each)
    await sql`create extension if not exists btree_gist with schema public`.execute(db);
    await sql`alter table bookings add constraint bookings_no_overlap exclude using gist (
      facility_id public.gist_text_ops with =,
      int8range(start_ms, block_end_ms, '[)') with &&
    ) where (status in ('accepted','checked_in'))`.execute(db);
  } else {
    const clash = (ref: string) =>
      sql.raw(`select raise(abort, 'booking_overlap') where exists (
      select 1 from bookings b where b.facility_id = ${ref}.facility_id and b.id <> ${ref}.id
        and b.status in ('accepted','checked_in') and b.start_ms < ${ref}.block_end_ms and ${ref}.start_ms < b.block_end_ms)`);
    await sql`create trigger bookings_no_overlap_insert before insert on bookings
      when new.status in ('accepted','checked_in')
      begin ${clash('new')}; end`.execute(db);
    await sql`create trigger bookings_no_overlap_update before update of status, start_ms, block_end_ms, facility_id on bookings
      when new.status in ('accepted','checked_in')
      begin ${clash('new')}; end`.execute(db);
  }

  await db.schema
    .createTable('equipment_loans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('equipment_id', 'text', (c) => c.notNull().references('equipment.id'))
    .addColumn('booking_id', 'text', (c) => c.references('bookings.id'))
    .addColumn('borrower_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('borrower_school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('from_ms', t.bigint, (c) => c.notNull())
    .addColumn('to_ms', t.bigint, (c) => c.notNull())
    .addColumn('from_at', 'text', (c) => c.notNull())
    .addColumn('to_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('reserved','out','returned','cancelled')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('loans_order', sql`from_ms < to_ms`)
    .execute();
  await db.schema.createIndex('loans_equipment').on('equipment_loans').columns(['equipment_id', 'from_ms']).execute();
  await db.schema.createIndex('loans_booking').on('equipment_loans').column('booking_id').execute();

  await db.schema
    .createTable('waitlist')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('alliance_id', 'text', (c) => c.references('alliances.id'))
    .addColumn('start_ms', t.bigint, (c) => c.notNull())
    .addColumn('end_ms', t.bigint, (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('group_size', 'integer', (c) => c.notNull())
    .addColumn('responsible_teacher', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('waiting','offered','booked','expired','withdrawn')`))
    .addColumn('offer_expires_at', 'text')
    .addColumn('booking_id', 'text', (c) => c.references('bookings.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('waitlist_facility').on('waitlist').columns(['facility_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('waitlist_user').on('waitlist').columns(['user_id', 'status']).execute();

  await db.schema
    .createTable('calendar_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('facility','school','teacher')`))
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
}
