import ICAL from 'ical.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeTestEnv, type Client, type TestEnv } from '../../testing.js';
import { expectProblem } from '../../testkit.js';
import { isBookingOverlap } from '../../db/bookings.js';
import { DAY, localParts, type BookingStatus } from '../../../common/facilities.js';

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
/** local date `days` from today (Asia/Shanghai) */
const dayFrom = (days: number) => localParts(Date.now() + days * DAY).date;
/** an instant at local wall time */
const at = (date: string, hm: string) => new Date(Date.parse(`${date}T${hm}:00+08:00`)).toISOString();
/** the next local date ≥ `days` from today that falls on ISO weekday `wd` */
function nextWeekday(days: number, wd: number) {
  for (let d = days; ; d++) if (localParts(Date.now() + d * DAY).weekday === wd) return dayFrom(d);
}

describe('bookings', () => {
  let env: TestEnv;
  let principal: Client; // school admin of 临川市实验小学 s_00001 (core of a_0001)
  let teacher: Client; // teacher of 城东区新城小学 s_00003 (member of a_0001)
  let teacher2: Client; // teacher of s_00002 (member of a_0001)
  let n = 0;

  beforeAll(async () => {
    env = await makeTestEnv();
    principal = await env.login('principal');
    teacher = await env.login('teacher');
    teacher2 = await env.login('t_3390102002_1');
    // plenty of overdraft so that many test bookings can be paid
    const secretary = await env.login('secretary');
    const rules = await secretary.put('/api/alliances/a_0001/credit-rules', { overdraftLimit: 1_000_000 });
    expect(rules.statusCode, rules.body).toBe(200);
  });
  afterAll(async () => env.close());

  async function lab(over: Record<string, unknown> = {}) {
    n++;
    const res = await principal.post('/api/facilities', {
      schoolId: 's_00001',
      type: 'chemistry_lab',
      subject: 'chemistry',
      name: `测试化学实验室${n}`,
      capacity: 48,
      location: `实验楼${n}0${n}`,
      minNoticeHours: 0,
      maxDaysAhead: 200,
      openHours: ALL_WEEK,
      safetyRules: '进入实验室须穿实验服',
      responsibilityTerms: '借用方负责学生安全',
      ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string };
  }
  const body = (facilityId: string, start: string, end: string, over: Record<string, unknown> = {}) => ({
    facilityId,
    start,
    end,
    purpose: '化学分组实验',
    groupSize: 40,
    responsibleTeacher: '陈晓燕',
    acceptTerms: true,
    ...over,
  });
  const db = () => env.database.db;
  const balance = async (schoolId: string) => {
    const r = await db()
      .selectFrom('credit_accounts')
      .select('balance')
      .where('alliance_id', '=', 'a_0001')
      .where('owner_type', '=', 'school')
      .where('owner_id', '=', schoolId)
      .executeTakeFirst();
    return r?.balance ?? 0;
  };
  const txOf = (bookingId: string, kind: string) =>
    db().selectFrom('credit_transactions').selectAll().where('cause_type', '=', 'booking').where('cause_id', '=', bookingId).where('kind', '=', kind).execute();

  it('books a free slot under the shared alliance, charging the booker and paying the host in one go', async () => {
    const f = await lab();
    const d = dayFrom(3);
    const before = { booker: await balance('s_00003'), host: await balance('s_00001') };
    const preview = await teacher.post('/api/bookings/preview', { facilityId: f.id, start: at(d, '19:00'), end: at(d, '21:00') });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().occurrences).toEqual([expect.objectContaining({ status: 'free', clash: null })]);
    expect(preview.json().allianceId).toBe('a_0001');
    expect(preview.json().quote.amount).toBeGreaterThan(0);
    expect(preview.json().terms.safetyRules).toContain('实验服');

    const res = await teacher.post('/api/bookings', body(f.id, at(d, '19:00'), at(d, '21:00')));
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json().bookings[0];
    expect(b).toMatchObject({ status: 'accepted', allianceId: 'a_0001', bookerSchoolId: 's_00003', hostSchoolId: 's_00001' });
    expect(b.chargeAmount).toBe(preview.json().quote.amount);
    expect(await txOf(b.id, 'booking_charge')).toHaveLength(1);
    expect(await balance('s_00003')).toBe(before.booker - b.chargeAmount);
    expect(await balance('s_00001')).toBeGreaterThan(before.host);

    // the same time again: 409 naming the clash; nothing written
    const count = await countRows(env.database, 'bookings');
    const clash = expectProblem(await teacher2.post('/api/bookings', body(f.id, at(d, '20:00'), at(d, '22:00'))), 409, 'booking_conflict');
    expect(clash.detail).toContain(b.id);
    expect(await countRows(env.database, 'bookings')).toBe(count);
    // touching is fine (half-open)
    expect((await teacher2.post('/api/bookings', body(f.id, at(d, '21:00'), at(d, '22:00')))).statusCode).toBe(201);
    // visible in "my bookings", the facility's calendar and reminders only within 24 h
    const mine = (await teacher.get('/api/bookings?scope=mine')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(b.id);
    const cal = (
      await teacher.get(`/api/facilities/${f.id}/availability?from=${encodeURIComponent(at(d, '00:00'))}&to=${encodeURIComponent(at(dayFrom(4), '00:00'))}`)
    ).json();
    expect(cal.busy).toHaveLength(2);
    expect(cal.busy.find((x: { bookingId: string }) => x.bookingId === b.id).mine).toBe(true);
  });

  it('own-school bookings are free', async () => {
    const f = await lab();
    const res = await principal.post('/api/bookings', body(f.id, at(dayFrom(2), '19:00'), at(dayFrom(2), '20:00')));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().bookings[0]).toMatchObject({ status: 'accepted', allianceId: null, chargeAmount: 0 });
  });

  it('refuses every kind of bad input with a 4xx naming the field, writing nothing', async () => {
    const f = await lab({
      openHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '08:00', close: '18:00' })),
      maxDaysAhead: 30,
      weeklyQuotaHours: 2,
      minNoticeHours: 2,
    });
    const mon = nextWeekday(2, 1);
    await principal.post(`/api/facilities/${f.id}/closures`, { startDate: nextWeekday(9, 2), endDate: nextWeekday(9, 2), kind: 'exam', reason: '期中考试' });
    const tue = nextWeekday(9, 2);
    const before = {
      bookings: await countRows(env.database, 'bookings'),
      loans: await countRows(env.database, 'equipment_loans'),
      tx: await countRows(env.database, 'credit_transactions'),
    };
    const cases: [unknown, number, string, string[]][] = [
      [body(f.id, at(mon, '10:00'), at(mon, '09:00')), 400, 'validation_failed', ['end']],
      [body(f.id, at(mon, '10:00'), at(mon, '10:10')), 400, 'validation_failed', ['end']],
      [body(f.id, at(mon, '06:00'), at(mon, '07:00')), 400, 'validation_failed', ['start']],
      [body(f.id, at(tue, '10:00'), at(tue, '11:00')), 400, 'validation_failed', ['start']],
      [body(f.id, at(dayFrom(-1), '10:00'), at(dayFrom(-1), '11:00')), 400, 'validation_failed', ['start']],
      [body(f.id, at(nextWeekday(40, 3), '10:00'), at(nextWeekday(40, 3), '11:00')), 400, 'validation_failed', ['start']],
      [body(f.id, at(mon, '09:00'), at(mon, '12:00')), 400, 'validation_failed', ['start']], // over the weekly quota of 2 h
      [body(f.id, at(mon, '10:00'), at(mon, '11:00'), { acceptTerms: false }), 400, 'validation_failed', ['acceptTerms']],
      [body(f.id, at(mon, '10:00'), at(mon, '11:00'), { groupSize: 500 }), 400, 'validation_failed', ['groupSize']],
      [body(f.id, at(mon, '10:00'), at(mon, '11:00'), { groupSize: -3 }), 400, 'validation_failed', ['groupSize']],
      [body(f.id, at(mon, '10:00'), at(mon, '11:00'), { equipment: [{ equipmentId: 'x', quantity: -1 }] }), 400, 'validation_failed', ['equipment.0.quantity']],
      [
        body(f.id, at(mon, '10:00'), at(mon, '11:00'), { equipment: [{ equipmentId: 'no-such', quantity: 1 }] }),
        400,
        'validation_failed',
        ['equipment.0.equipmentId'],
      ],
      [body('no-such-facility', at(mon, '10:00'), at(mon, '11:00')), 400, 'validation_failed', ['facilityId']],
      [body(f.id, at(mon, '10:00'), at(mon, '11:00'), { recurrence: { until: dayFrom(100) } }), 400, 'validation_failed', ['recurrence.until']],
      [body(f.id, 'tomorrow', at(mon, '11:00')), 400, 'validation_failed', ['start']],
      [body(f.id, at(mon, '23:30'), new Date(Date.parse(at(mon, '23:30')) + 3600_000).toISOString()), 400, 'validation_failed', ['end']],
    ];
    for (const [b, status, code, fields] of cases) {
      const p = expectProblem(await teacher.post('/api/bookings', b), status, code, fields);
      expect(p.errors?.every((e) => e.message.length > 0)).toBe(true);
    }
    // a teacher outside the owner's alliances does not even see the facility
    const outsider = await env.login('t_3390122001_1');
    expectProblem(await outsider.post('/api/bookings', body(f.id, at(mon, '10:00'), at(mon, '11:00'))), 400, 'validation_failed', ['facilityId']);
    // the bureau may look but not book
    expectProblem(await (await env.login('bureau')).post('/api/bookings', body(f.id, at(mon, '10:00'), at(mon, '11:00'))), 403, 'forbidden');
    expect(await countRows(env.database, 'bookings')).toBe(before.bookings);
    expect(await countRows(env.database, 'equipment_loans')).toBe(before.loans);
    expect(await countRows(env.database, 'credit_transactions')).toBe(before.tx);
    // English messages too
    teacher.lang = 'en';
    const en = expectProblem(await teacher.post('/api/bookings', body(f.id, at(mon, '06:00'), at(mon, '07:00'))), 400, 'validation_failed', ['start']);
    expect(en.errors![0]!.message).toMatch(/open hours/);
    teacher.lang = 'zh-CN';
  });

  it('someone who sees a community venue but shares no alliance may book it only at weekends', async () => {
    const admin = await env.login('admin');
    const guardianAlliances = (
      await db().selectFrom('alliance_members').select('alliance_id').where('school_id', '=', 's_00001').where('status', '=', 'active').execute()
    ).map((r) => r.alliance_id);
    const linked = new Set(
      (await db().selectFrom('alliance_partners').select('partner_id').where('alliance_id', 'in', guardianAlliances).execute()).map((r) => r.partner_id),
    );
    const partner = (await db().selectFrom('partners').select('id').where('region_id', '=', 'r_0002').orderBy('id').execute()).find((p) => !linked.has(p.id))!;
    const venue = await admin.post('/api/facilities', {
      partnerId: partner.id,
      type: 'community_venue',
      name: '社区文化站活动室',
      capacity: 60,
      communityOpen: true,
      minNoticeHours: 0,
      openHours: ALL_WEEK,
    });
    expect(venue.statusCode, venue.body).toBe(201);
    const guardian = await env.login('guardian');
    expect((await guardian.get(`/api/facilities/${venue.json().id}`)).statusCode).toBe(200);
    const wed = nextWeekday(2, 3);
    const count = await countRows(env.database, 'bookings');
    expectProblem(await guardian.post('/api/bookings', body(venue.json().id, at(wed, '10:00'), at(wed, '11:00'))), 403, 'community_booking_only');
    expect(await countRows(env.database, 'bookings')).toBe(count);
    const sat = nextWeekday(2, 6);
    const ok = await guardian.post('/api/bookings', body(venue.json().id, at(sat, '10:00'), at(sat, '11:00')));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().bookings[0]).toMatchObject({ allianceId: null, chargeAmount: 0, status: 'accepted' });
  });

  it('the database itself refuses overlapping holding bookings (bypassing the service)', async () => {
    const f = await lab({ bufferMinutes: 15 });
    const d = dayFrom(5);
    const res = await teacher.post('/api/bookings', body(f.id, at(d, '10:00'), at(d, '11:00')));
    expect(res.statusCode, res.body).toBe(201);
    // the buffer: 11:10 is too close
    expectProblem(await teacher2.post('/api/bookings', body(f.id, at(d, '11:10'), at(d, '12:00'))), 409, 'booking_conflict');
    expect((await teacher2.post('/api/bookings', body(f.id, at(d, '11:15'), at(d, '12:00')))).statusCode).toBe(201);

    const start = Date.parse(at(d, '10:30'));
    const row = (id: string, status: BookingStatus) => ({
      id,
      facility_id: f.id,
      alliance_id: null,
      booker_id: 'u_teacher',
      booker_school_id: 's_00003',
      series_id: null,
      start_at: new Date(start).toISOString(),
      end_at: new Date(start + 3600_000).toISOString(),
      start_ms: start,
      end_ms: start + 3600_000,
      block_end_ms: start + 3600_000,
      purpose: 'direct',
      group_size: 1,
      responsible_teacher: 'x',
      status,
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      checked_in_at: null,
      cancelled_at: null,
      cancelled_by: null,
      charge_tx_id: null,
      charge_amount: 0,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    });
    let err: unknown = null;
    try {
      await db().insertInto('bookings').values(row('direct-accepted', 'accepted')).execute();
    } catch (e) {
      err = e;
    }
    expect(err, 'the database accepted an overlapping booking').not.toBeNull();
    expect(isBookingOverlap(err)).toBe(true);
    // a pending request may overlap; turning it into a holding one may not
    await db().insertInto('bookings').values(row('direct-pending', 'pending')).execute();
    err = null;
    try {
      await db().updateTable('bookings').set({ status: 'accepted' }).where('id', '=', 'direct-pending').execute();
    } catch (e) {
      err = e;
    }
    expect(isBookingOverlap(err)).toBe(true);
    // cancelled ones do not hold the time
    await db().updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', 'direct-pending').execute();
    const holding = await sql<{ n: number }>`select count(*) as n from bookings a join bookings b on a.facility_id = b.facility_id and a.id < b.id
      where a.status in ('accepted','checked_in') and b.status in ('accepted','checked_in') and a.start_ms < b.end_ms and b.start_ms < a.end_ms`.execute(db());
    expect(Number(holding.rows[0]!.n)).toBe(0);
  });

  it('weekly bookings for a term: all_or_nothing books none when a date conflicts, all_free books the rest', async () => {
    const f = await lab();
    // the demo calendar may close the school (exam weeks, holidays); this test sets its own closure
    await db().deleteFrom('closures').where('school_id', '=', 's_00001').execute();
    const first = nextWeekday(3, 2);
    const third = localParts(Date.parse(at(first, '12:00')) + 14 * DAY).date;
    const fifth = localParts(Date.parse(at(first, '12:00')) + 28 * DAY).date;
    const until = localParts(Date.parse(at(first, '12:00')) + 49 * DAY).date; // 8 Tuesdays
    expect((await teacher2.post('/api/bookings', body(f.id, at(third, '14:30'), at(third, '15:30')))).statusCode).toBe(201);
    expect(
      (await principal.post(`/api/facilities/${f.id}/closures`, { startDate: fifth, endDate: fifth, kind: 'holiday', reason: '校庆放假' })).statusCode,
    ).toBe(201);
    const req = body(f.id, at(first, '14:00'), at(first, '15:00'), { recurrence: { until } });

    const pres = await teacher.post('/api/bookings/preview', req);
    expect(pres.statusCode, pres.body).toBe(200);
    const preview = pres.json();
    expect(preview.occurrences.map((o: { status: string }) => o.status)).toEqual(['free', 'free', 'conflict', 'free', 'closed', 'free', 'free', 'free']);
    expect(preview.occurrences[2].clash.bookingId).toBeTruthy();
    expect(preview.occurrences[4].closure.reason).toBe('校庆放假');
    expect(preview.free).toBe(6);

    const count = await countRows(env.database, 'bookings');
    const none = expectProblem(await teacher.post('/api/bookings', { ...req, mode: 'all_or_nothing' }), 409, 'booking_rejected_dates');
    expect(none.detail).toContain(third);
    expect(await countRows(env.database, 'bookings')).toBe(count);
    expect(await countRows(env.database, 'booking_series')).toBe(await countRows(env.database, 'booking_series'));

    const some = await teacher.post('/api/bookings', { ...req, mode: 'all_free' });
    expect(some.statusCode, some.body).toBe(201);
    const out = some.json();
    expect(out.bookings).toHaveLength(6);
    expect(out.skipped.map((o: { status: string }) => o.status)).toEqual(['conflict', 'closed']);
    expect(new Set(out.bookings.map((b: { seriesId: string }) => b.seriesId))).toEqual(new Set([out.series.id]));
    expect(
      out.bookings.every((b: { start: string }) => localParts(Date.parse(b.start)).weekday === 2 && localParts(Date.parse(b.start)).minutes === 14 * 60),
    ).toBe(true);
  });

  it('manual policy: pending requests go to the owner’s inbox; approve charges, reject needs a reason', async () => {
    const f = await lab({ policy: 'manual' });
    const d = dayFrom(6);
    const a = (await teacher.post('/api/bookings', body(f.id, at(d, '09:00'), at(d, '10:00')))).json().bookings[0];
    const b = (await teacher2.post('/api/bookings', body(f.id, at(d, '09:30'), at(d, '10:30')))).json().bookings[0];
    expect(a).toMatchObject({ status: 'pending', chargeAmount: 0 });
    expect(b.status).toBe('pending'); // pending requests may overlap each other
    expect(await txOf(a.id, 'booking_charge')).toHaveLength(0);

    const inbox = (await principal.get('/api/bookings/inbox')).json();
    expect(inbox.items.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expectProblem(await teacher.get('/api/bookings/inbox'), 403, 'forbidden');
    expect((await (await env.login('principal2')).get('/api/bookings/inbox')).json().items.map((x: { id: string }) => x.id)).not.toContain(a.id);
    // the booker cannot approve its own request
    expectProblem(await teacher.post(`/api/bookings/${a.id}/approve`), 403, 'forbidden');

    const ok = await principal.post(`/api/bookings/${a.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('accepted');
    expect(ok.json().chargeAmount).toBeGreaterThan(0);
    expect(await txOf(a.id, 'booking_charge')).toHaveLength(1);
    // approving the overlapping one now fails cleanly, naming the accepted booking
    const clash = expectProblem(await principal.post(`/api/bookings/${b.id}/approve`), 409, 'booking_conflict');
    expect(clash.detail).toContain(a.id);
    expect((await db().selectFrom('bookings').select('status').where('id', '=', b.id).executeTakeFirstOrThrow()).status).toBe('pending');
    expect(await txOf(b.id, 'booking_charge')).toHaveLength(0);
    expectProblem(await principal.post(`/api/bookings/${b.id}/reject`, {}), 400, 'validation_failed', ['reason']);
    const rej = await principal.post(`/api/bookings/${b.id}/reject`, { reason: '与已批准的预约冲突' });
    expect(rej.json()).toMatchObject({ status: 'rejected', decisionReason: '与已批准的预约冲突' });
    expectProblem(await principal.post(`/api/bookings/${b.id}/approve`), 409, 'invalid_transition');
    const audits = await db().selectFrom('audit_log').select('action').where('entity_id', 'in', [a.id, b.id]).execute();
    expect(audits.map((x) => x.action)).toEqual(expect.arrayContaining(['booking.approve', 'booking.reject']));
  });

  it('cancellation: timely refunds in full, late refunds by the late rule; the owner may cancel too', async () => {
    const f = await lab({ cancelDeadlineHours: 24 });
    const far = dayFrom(8);
    const timely = (await teacher.post('/api/bookings', body(f.id, at(far, '19:00'), at(far, '20:00')))).json().bookings[0];
    const bal = await balance('s_00003');
    const c = await teacher.post(`/api/bookings/${timely.id}/cancel`, {});
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'cancelled', timely: true, refund: timely.chargeAmount });
    expect(await balance('s_00003')).toBe(bal + timely.chargeAmount);
    expectProblem(await teacher.post(`/api/bookings/${timely.id}/cancel`, {}), 409, 'invalid_transition');

    const soon = new Date(Date.now() + 3 * 3600_000);
    soon.setUTCMinutes(0, 0, 0);
    const late = await teacher.post('/api/bookings', body(f.id, soon.toISOString(), new Date(soon.getTime() + 3600_000).toISOString()));
    expect(late.statusCode, late.body).toBe(201);
    const lc = (await teacher.post(`/api/bookings/${late.json().bookings[0].id}/cancel`, {})).json();
    expect(lc).toMatchObject({ status: 'cancelled', timely: false, refund: 0 });

    // the owner cancels: never the booker's fault, refunded in full; others cannot
    const third = (await teacher.post('/api/bookings', body(f.id, at(far, '21:00'), at(far, '22:00')))).json().bookings[0];
    expectProblem(await teacher2.post(`/api/bookings/${third.id}/cancel`, {}), 404, 'not_found');
    const oc = (await principal.post(`/api/bookings/${third.id}/cancel`, { reason: '实验室临时维修' })).json();
    expect(oc).toMatchObject({ status: 'cancelled', timely: true, refund: third.chargeAmount });
  });

  it('check-in opens an hour before; a no-show is penalized by the alliance rule', async () => {
    const f = await lab();
    // booked in open hours, then moved to start in 30 minutes (whatever the time of day the test runs at)
    const d5 = dayFrom(5);
    const b = (await teacher.post('/api/bookings', body(f.id, at(d5, '10:00'), at(d5, '11:00')))).json().bookings[0];
    const soon = Date.now() + 30 * 60_000;
    await db()
      .updateTable('bookings')
      .set({
        start_ms: soon,
        end_ms: soon + 3600_000,
        block_end_ms: soon + 3600_000,
        start_at: new Date(soon).toISOString(),
        end_at: new Date(soon + 3600_000).toISOString(),
      })
      .where('id', '=', b.id)
      .execute();
    const ci = await principal.post(`/api/bookings/${b.id}/check-in`);
    expect(ci.statusCode, ci.body).toBe(200);
    expect(ci.json().status).toBe('checked_in');
    expect(ci.json().checkedInAt).toBeTruthy();
    expectProblem(await principal.post(`/api/bookings/${b.id}/no-show`), 409, 'invalid_transition');

    const d = dayFrom(4);
    const ns = (await teacher.post('/api/bookings', body(f.id, at(d, '19:00'), at(d, '20:00')))).json().bookings[0];
    // not before it starts
    expectProblem(await principal.post(`/api/bookings/${ns.id}/no-show`), 400, 'validation_failed', ['booking']);
    // time passes: move the booking into the past
    const start = Date.now() - 2 * 3600_000;
    await db()
      .updateTable('bookings')
      .set({
        start_ms: start,
        end_ms: start + 3600_000,
        block_end_ms: start + 3600_000,
        start_at: new Date(start).toISOString(),
        end_at: new Date(start + 3600_000).toISOString(),
      })
      .where('id', '=', ns.id)
      .execute();
    expectProblem(await teacher.post(`/api/bookings/${ns.id}/no-show`), 403, 'forbidden');
    const res = await principal.post(`/api/bookings/${ns.id}/no-show`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('no_show');
    const pen = await txOf(ns.id, 'no_show_penalty');
    expect(pen).toHaveLength(1);
    expect(pen[0]!.amount).toBe(Math.round(ns.chargeAmount * 0.5));
    expect((await db().selectFrom('audit_log').select('action').where('entity_id', '=', ns.id).execute()).map((x) => x.action)).toContain('booking.no_show');
  });

  it('waitlist: a freed slot is offered to the first in line, who books it by accepting', async () => {
    const f = await lab();
    const d = dayFrom(7);
    const held = (await teacher.post('/api/bookings', body(f.id, at(d, '15:00'), at(d, '16:00')))).json().bookings[0];
    const w = await teacher2.post('/api/waitlist', {
      facilityId: f.id,
      start: at(d, '15:00'),
      end: at(d, '16:00'),
      purpose: '候补实验',
      groupSize: 30,
      responsibleTeacher: '李老师',
    });
    expect(w.statusCode, w.body).toBe(201);
    expect(w.json()).toMatchObject({ status: 'waiting', position: 1 });
    expectProblem(await teacher2.post(`/api/waitlist/${w.json().id}/accept`, { acceptTerms: true }), 409, 'invalid_transition');

    await teacher.post(`/api/bookings/${held.id}/cancel`, {});
    const mine = (await teacher2.get('/api/waitlist')).json().items.find((x: { id: string }) => x.id === w.json().id);
    expect(mine.status).toBe('offered');
    expect(Date.parse(mine.offerExpiresAt)).toBeGreaterThan(Date.now());
    expectProblem(await teacher.post(`/api/waitlist/${w.json().id}/accept`, { acceptTerms: true }), 404, 'not_found');
    const acc = await teacher2.post(`/api/waitlist/${w.json().id}/accept`, { acceptTerms: true });
    expect(acc.statusCode, acc.body).toBe(201);
    expect(acc.json().bookings[0]).toMatchObject({ status: 'accepted', bookerSchoolId: 's_00002' });
    expect((await teacher2.get('/api/waitlist')).json().items.find((x: { id: string }) => x.id === w.json().id)).toMatchObject({
      status: 'booked',
      bookingId: acc.json().bookings[0].id,
    });
    // an offer not taken in time passes to the next in line
    const d2 = dayFrom(8);
    const held2 = (await teacher.post('/api/bookings', body(f.id, at(d2, '15:00'), at(d2, '16:00')))).json().bookings[0];
    const first = (
      await teacher2.post('/api/waitlist', {
        facilityId: f.id,
        start: at(d2, '15:00'),
        end: at(d2, '16:00'),
        purpose: '候补一',
        groupSize: 30,
        responsibleTeacher: '李老师',
      })
    ).json();
    const third = await env.login('t_3390102003_1');
    const second = (
      await third.post('/api/waitlist', {
        facilityId: f.id,
        start: at(d2, '15:30'),
        end: at(d2, '16:00'),
        purpose: '候补二',
        groupSize: 30,
        responsibleTeacher: '张老师',
      })
    ).json();
    expect(second).toMatchObject({ status: 'waiting', position: 2 });
    await teacher.post(`/api/bookings/${held2.id}/cancel`, {});
    expect((await third.get('/api/waitlist')).json().items[0].status).toBe('waiting');
    await db()
      .updateTable('waitlist')
      .set({ offer_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', first.id)
      .execute();
    expect((await third.get('/api/waitlist')).json().items.find((x: { id: string }) => x.id === second.id).status).toBe('offered');
    expect((await teacher2.get('/api/waitlist')).json().items.find((x: { id: string }) => x.id === first.id).status).toBe('expired');
    expectProblem(await teacher2.post(`/api/waitlist/${first.id}/accept`, { acceptTerms: true }), 409, 'invalid_transition');
    expect((await third.post(`/api/waitlist/${second.id}/accept`, { acceptTerms: true })).statusCode).toBe(201);
  });

  it('equipment loans never lend more than the stock', async () => {
    const f = await lab();
    const eq = await principal.post(`/api/facilities/${f.id}/equipment`, { type: '显微镜', name: '生物显微镜', quantity: 5, usage: 'lendable' });
    expect(eq.statusCode, eq.body).toBe(201);
    const onsite = (await principal.post(`/api/facilities/${f.id}/equipment`, { type: '通风橱', name: '通风橱', quantity: 2, usage: 'onsite' })).json();
    expectProblem(await principal.post(`/api/facilities/${f.id}/equipment`, { type: 'x', name: 'x', quantity: -1 }), 400, 'validation_failed', ['quantity']);
    const id = eq.json().id;
    const d = dayFrom(9);
    const loan = (from: string, to: string, quantity: number) => teacher.post(`/api/equipment/${id}/loans`, { from: at(d, from), to: at(d, to), quantity });
    expect((await loan('09:00', '12:00', 3)).statusCode).toBe(201);
    const count = await countRows(env.database, 'equipment_loans');
    const over = expectProblem(await loan('11:00', '13:00', 3), 409, 'equipment_unavailable', ['quantity']);
    expect(over.detail).toContain('2');
    expect(await countRows(env.database, 'equipment_loans')).toBe(count);
    expect((await loan('11:00', '13:00', 2)).statusCode).toBe(201);
    expect((await loan('12:00', '13:00', 3)).statusCode).toBe(201);
    expectProblem(
      await teacher.post(`/api/equipment/${onsite.id}/loans`, { from: at(d, '09:00'), to: at(d, '10:00'), quantity: 1 }),
      400,
      'validation_failed',
      ['equipmentId'],
    );
    expectProblem(await loan('14:00', '15:00', 0), 400, 'validation_failed', ['quantity']);

    // with a booking: the equipment of the facility, counted against the same stock; too many → nothing written
    const bookings = await countRows(env.database, 'bookings');
    expectProblem(
      await teacher.post('/api/bookings', body(f.id, at(d, '10:00'), at(d, '11:00'), { equipment: [{ equipmentId: id, quantity: 3 }] })),
      409,
      'equipment_unavailable',
    );
    expect(await countRows(env.database, 'bookings')).toBe(bookings);
    const ok = await teacher.post(
      '/api/bookings',
      body(f.id, at(d, '14:00'), at(d, '15:00'), {
        equipment: [
          { equipmentId: id, quantity: 5 },
          { equipmentId: onsite.id, quantity: 2 },
        ],
      }),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    const detail = (await teacher.get(`/api/bookings/${ok.json().bookings[0].id}`)).json();
    expect(detail.loans.map((l: { quantity: number }) => l.quantity).sort()).toEqual([2, 5]);
    // lowering the stock below what is promised is refused
    expectProblem(await principal.patch(`/api/equipment/${id}`, { quantity: 4 }), 400, 'validation_failed', ['quantity']);
    // cancelling the booking releases its equipment
    await teacher.post(`/api/bookings/${ok.json().bookings[0].id}/cancel`, {});
    expect((await loan('14:00', '15:00', 5)).statusCode).toBe(201);
  });

  it('Idempotency-Key: a retried booking or cancellation takes effect once', async () => {
    const f = await lab();
    const d = dayFrom(10);
    const req = body(f.id, at(d, '19:00'), at(d, '20:00'));
    const key = { 'idempotency-key': `book-${Date.now()}` };
    const first = await teacher.post('/api/bookings', req, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await teacher.post('/api/bookings', req, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().bookings[0].id).toBe(first.json().bookings[0].id);
    const id = first.json().bookings[0].id;
    expect(await db().selectFrom('bookings').select('id').where('facility_id', '=', f.id).execute()).toHaveLength(1);
    expect(await txOf(id, 'booking_charge')).toHaveLength(1);
    expectProblem(await teacher.post('/api/bookings', { ...req, purpose: '别的用途' }, key), 422, 'idempotency_mismatch');

    const ckey = { 'idempotency-key': `cancel-${Date.now()}` };
    const c1 = await teacher.request({ method: 'POST', url: `/api/bookings/${id}/cancel`, json: {}, headers: ckey });
    const c2 = await teacher.request({ method: 'POST', url: `/api/bookings/${id}/cancel`, json: {}, headers: ckey });
    expect(c1.statusCode, c1.body).toBe(200);
    expect(c2.statusCode, c2.body).toBe(200);
    expect(c2.json()).toEqual(c1.json());
    expect(await txOf(id, 'booking_refund')).toHaveLength(1);
  });

  it('concurrent requests for one slot: exactly one wins, the others get a conflict naming it; a concurrently retried key books once', async () => {
    const f = await lab();
    const d = dayFrom(12);
    const res = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        (i % 2 ? teacher : teacher2).post('/api/bookings', body(f.id, at(d, i % 3 ? '19:00' : '19:30'), at(d, i % 3 ? '20:00' : '20:30'))),
      ),
    );
    const won = res.filter((r) => r.statusCode === 201);
    expect(won, res.map((r) => r.statusCode).join(',')).toHaveLength(1);
    const winner = won[0]!.json().bookings[0].id;
    for (const r of res.filter((x) => x.statusCode !== 201)) expect(expectProblem(r, 409, 'booking_conflict').detail).toContain(winner);
    const rows = await db().selectFrom('bookings').select(['id', 'status']).where('facility_id', '=', f.id).execute();
    expect(rows).toEqual([{ id: winner, status: 'accepted' }]);
    expect(await txOf(winner, 'booking_charge')).toHaveLength(1);

    const key = { 'idempotency-key': `race-${Date.now()}` };
    const same = await Promise.all(Array.from({ length: 8 }, () => teacher.post('/api/bookings', body(f.id, at(d, '09:00'), at(d, '10:00')), key)));
    expect(same.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(same.map((r) => r.json().bookings[0].id)).size).toBe(1);
    expect(await db().selectFrom('bookings').select('id').where('facility_id', '=', f.id).execute()).toHaveLength(2);
    expect(await txOf(same[0]!.json().bookings[0].id, 'booking_charge')).toHaveLength(1);
  });

  it('reminders list the next 24 hours; the school calendar shows its bookings', async () => {
    const f = await lab();
    const soon = new Date(Date.now() + 5 * 3600_000);
    soon.setUTCSeconds(0, 0);
    const b = (await teacher.post('/api/bookings', body(f.id, soon.toISOString(), new Date(soon.getTime() + 3600_000).toISOString()))).json().bookings[0];
    const later = (await teacher.post('/api/bookings', body(f.id, at(dayFrom(6), '20:00'), at(dayFrom(6), '21:00')))).json().bookings[0];
    const rem = (await teacher.get('/api/bookings/reminders')).json().items.map((x: { id: string }) => x.id);
    expect(rem).toContain(b.id);
    expect(rem).not.toContain(later.id);
    const school = (await principal.get(`/api/bookings?scope=school&facilityId=${f.id}`)).json().items.map((x: { id: string }) => x.id);
    expect(school).toEqual([b.id, later.id]);
    expectProblem(await teacher.get('/api/bookings?scope=school&schoolId=s_00001'), 400, 'validation_failed', ['query.schoolId']);
    expect((await teacher2.get(`/api/bookings?scope=facility&facilityId=${f.id}`)).json().total).toBe(2);
  });

  it('iCalendar feeds by private token, parsed by ical.js', async () => {
    const f = await lab();
    const d = dayFrom(11);
    const b = (await teacher.post('/api/bookings', body(f.id, at(d, '14:00'), at(d, '15:30'), { purpose: '酸碱中和实验' }))).json().bookings[0];
    const tok = await teacher.post('/api/calendar/tokens', { kind: 'teacher', id: 'u_teacher' });
    expect(tok.statusCode, tok.body).toBe(201);
    const url = new URL(tok.json().url);
    expectProblem(await teacher.post('/api/calendar/tokens', { kind: 'teacher', id: 'u_principal' }), 400, 'validation_failed', ['id']);
    expectProblem(await teacher.post('/api/calendar/tokens', { kind: 'school', id: 's_00046' }), 400, 'validation_failed', ['id']);
    // stored hashed only
    const token = url.pathname
      .split('/')
      .pop()!
      .replace(/\.ics$/, '');
    expect(await db().selectFrom('calendar_tokens').select('id').where('id', '=', token).executeTakeFirst()).toBeUndefined();

    const feed = await env.anon().get(url.pathname);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toMatch(/text\/calendar/);
    const comp = new ICAL.Component(ICAL.parse(feed.body));
    ICAL.TimezoneService.register(comp.getFirstSubcomponent('vtimezone')!);
    const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const ev = events.find((e) => e.uid === b.id)!;
    expect(ev, feed.body).toBeDefined();
    expect(ev.summary).toContain('酸碱中和实验');
    expect(ev.location).toContain(f.name);
    expect(ev.component.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Asia/Shanghai');
    expect(ev.startDate.toJSDate().toISOString()).toBe(b.start);
    expect(ev.endDate.toJSDate().toISOString()).toBe(b.end);
    expect(ev.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(comp.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');

    // facility and school feeds too; unknown tokens are 404
    const ft = (await principal.post('/api/calendar/tokens', { kind: 'facility', id: f.id })).json();
    expect((await env.anon().get(new URL(ft.url).pathname)).body).toContain(`UID:${b.id}`);
    const st = (await principal.post('/api/calendar/tokens', { kind: 'school', id: 's_00001' })).json();
    expect((await env.anon().get(new URL(st.url).pathname)).body).toContain(`UID:${b.id}`);
    expectProblem(await env.anon().get('/api/calendar/feed/not-a-real-token-at-all.ics'), 404, 'not_found');
  });
});
