/**
 * `npx tsx bench/_booking-count.ts [postgres-url]`: how many SQL statements one booking request runs (in
 * process, demo data, SQLite or PostgreSQL): every statement is counted while a teacher of a member
 * school books free one-hour slots of another school's lab, with an Idempotency-Key.
 */
import { recordStatements } from '../src/server/db/index.js';
import { makeTestEnv } from '../src/server/testing.js';
import { addDays, localParts, localToMs } from '../src/common/facilities.js';

/**
 * Statements per accepted booking and per refused (conflicting) one, recorded by the database's statement
 * recorder (every statement: Kysely's, precompiled ones, the directory's own, begin/commit), with the
 * production cache settings (the directory checks its version at most every 500 ms). `databaseUrl` empty:
 * SQLite; otherwise PostgreSQL (a fresh schema).
 */
export async function countBookingStatements(databaseUrl: string) {
  // makeTestEnv gives PostgreSQL a fresh schema when DATABASE_URL is set in the environment
  const saved = process.env.DATABASE_URL;
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  else delete process.env.DATABASE_URL;
  const env = await makeTestEnv({ env: { DATABASE_URL: databaseUrl, CACHE_CHECK_MS: '500' } }).finally(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });
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
    const ok = await recordStatements(env.database, async () => {
      for (let i = 1; i <= N; i++) {
        const r = await book(i, `count-${i}`);
        if (r.statusCode !== 201) throw new Error(r.body);
      }
    });
    const clash = await recordStatements(env.database, async () => {
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
    });
    return {
      statementsPerAcceptedBooking: ok.statements.length / N,
      statementsPerConflict: clash.statements.length / N,
      sample: ok.statements.slice(0, ok.statements.length / N),
    };
  } finally {
    await env.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? '';
  const r = await countBookingStatements(url);
  console.log(JSON.stringify({ statementsPerAcceptedBooking: r.statementsPerAcceptedBooking, statementsPerConflict: r.statementsPerConflict }));
  console.log(r.sample.join(';\n'));
}
