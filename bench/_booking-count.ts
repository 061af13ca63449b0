/**
 * `npx tsx bench/_booking-count.ts`: how many SQL statements one booking request runs (SQLite, in
 * process, demo data): every better-sqlite3 statement execution is counted while a teacher of a member
 * school books free one-hour slots of another school's lab, with an Idempotency-Key.
 */
import SQLite from 'better-sqlite3';
import { makeTestEnv } from '../src/server/testing.js';
import { addDays, localParts, localToMs } from '../src/common/facilities.js';

let count = 0;
const probe = new SQLite(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
for (const m of ['run', 'get', 'all', 'iterate']) {
  const orig = proto[m]!;
  proto[m] = function (this: unknown, ...a: unknown[]) {
    count++;
    return orig.apply(this, a);
  };
}
probe.close();

const env = await makeTestEnv({ env: { DATABASE_URL: '', CACHE_CHECK_MS: '500' } });
try {
  const principal = await env.login('principal');
  const secretary = await env.login('secretary');
  await secretary.post('/api/alliances/a_0001/credit-grants', { type: 'extra', amount: 100_000, reason: '计数用追加积分' });
  const f = await principal.post('/api/facilities', {
    schoolId: 's_00001',
    type: 'chemistry_lab',
    name: '计数化学实验室',
    capacity: 40,
    policy: 'auto',
    minNoticeHours: 0,
  });
  const facilityId = f.json().id as string;
  const teacher = await env.login('teacher');
  const closures = await env.database.db.selectFrom('closures').select(['start_date', 'end_date']).where('school_id', '=', 's_00001').execute();
  const days: string[] = [];
  for (let d = addDays(localParts(Date.now()).date, 2); days.length < 10; d = addDays(d, 1)) {
    if (localParts(localToMs(d, 720)).weekday <= 5 && !closures.some((c) => c.start_date <= d && d <= c.end_date)) days.push(d);
  }
  const book = (i: number, key: string) => {
    const s = localToMs(days[Math.floor(i / 8)], 8 * 60 + (i % 8) * 60);
    return teacher.post(
      '/api/bookings',
      {
        facilityId,
        allianceId: 'a_0001',
        start: new Date(s).toISOString(),
        end: new Date(s + 3600_000).toISOString(),
        purpose: '计数',
        groupSize: 20,
        responsibleTeacher: '王老师',
        acceptTerms: true,
      },
      { 'idempotency-key': key },
    );
  };
  await book(0, 'warm');
  const N = 40;
  count = 0;
  for (let i = 1; i <= N; i++) {
    const r = await book(i, `count-${i}`);
    if (r.statusCode !== 201) throw new Error(r.body);
  }
  const accepted = count / N;
  count = 0;
  for (let i = 1; i <= N; i++) {
    const s = localToMs(days[Math.floor(i / 8)], 8 * 60 + (i % 8) * 60 + 30);
    const r = await teacher.post(
      '/api/bookings',
      {
        facilityId,
        allianceId: 'a_0001',
        start: new Date(s).toISOString(),
        end: new Date(s + 3600_000).toISOString(),
        purpose: '计数',
        groupSize: 20,
        responsibleTeacher: '王老师',
        acceptTerms: true,
      },
      { 'idempotency-key': `clash-${i}` },
    );
    if (r.statusCode !== 409) throw new Error(r.body);
  }
  console.log(JSON.stringify({ statementsPerAcceptedBooking: accepted, statementsPerConflict: count / N }));
} finally {
  await env.close();
}
