/**
 * City-scale booking data on top of `xiaolian seed --scale province`: for the alliances of the first
 * cities, two bookable facilities per member school (a lab or special room, and a sports / meeting
 * venue; auto-approve, Mon–Fri 08:00–18:00, up to 400 days ahead), one teacher account per chosen school
 * (the benchmark's clients), all written in bulk straight into the database. Credit rules and starting
 * grants are then set through the HTTP API (bench/booking.ts), so the ledger is the real one.
 */
import { sql } from 'kysely';
import type { Database } from '../src/server/db/index.js';
import type { FacilitiesTable, FacilityOpenHoursTable } from '../src/server/db/tables/facilities.js';
import type { RoleGrantsTable, UsersTable } from '../src/server/db/schema.js';
import { insertBatched } from '../src/server/seed/insert.js';

export interface BookingSeed {
  facilities: { id: string; schoolId: string; type: string }[];
  /** alliance → its member schools (only the alliances used) */
  alliances: Map<string, string[]>;
  /** facilities by school */
  bySchool: Map<string, string[]>;
  teachers: { username: string; schoolId: string; allianceId: string }[];
  schools: number;
}

const LAB_BY_SCHOOL_TYPE: Record<string, string[]> = {
  primary: ['science_lab', 'computer_room', 'music_room', 'art_room', 'library'],
  teaching_point: ['science_lab', 'library'],
  junior: ['physics_lab', 'chemistry_lab', 'biology_lab', 'computer_room', 'maker_space'],
  nine_year: ['science_lab', 'physics_lab', 'maker_space', 'computer_room'],
  complete_secondary: ['physics_lab', 'chemistry_lab', 'biology_lab', 'recording_studio', 'smart_classroom'],
  senior: ['physics_lab', 'chemistry_lab', 'biology_lab', 'recording_studio', 'smart_classroom'],
  twelve_year: ['chemistry_lab', 'maker_space', 'smart_classroom'],
  vocational: ['computer_room', 'maker_space', 'labor_base'],
  special: ['music_room', 'art_room'],
  kindergarten: ['dance_room', 'art_room'],
};
const VENUES = ['gym', 'track_field', 'lecture_hall', 'meeting_room'];
const TYPE_ZH: Record<string, string> = {
  science_lab: '科学实验室',
  computer_room: '计算机教室',
  music_room: '音乐教室',
  art_room: '美术教室',
  library: '图书馆',
  physics_lab: '物理实验室',
  chemistry_lab: '化学实验室',
  biology_lab: '生物实验室',
  maker_space: '创客空间',
  recording_studio: '录播教室',
  smart_classroom: '智慧教室',
  labor_base: '劳动实践基地',
  dance_room: '舞蹈室',
  gym: '体育馆',
  track_field: '田径场',
  lecture_hall: '报告厅',
  meeting_room: '会议室',
};

export async function seedBookingData(database: Database, opts: { minFacilities: number; teachers: number }): Promise<BookingSeed> {
  const db = database.db;
  const now = new Date().toISOString();
  const alliances = await db
    .selectFrom('alliances as a')
    .innerJoin('alliance_members as m', 'm.alliance_id', 'a.id')
    .innerJoin('schools as s', 's.id', 'm.school_id')
    .select(['a.id as allianceId', 's.id as schoolId', 's.type', 's.region_id', 's.name'])
    .where('a.id', 'like', 'pa_%')
    .where('m.status', '=', 'active')
    .orderBy('a.id')
    .orderBy('s.id')
    .execute();
  const byAlliance = new Map<string, typeof alliances>();
  for (const r of alliances) {
    const list = byAlliance.get(r.allianceId) ?? [];
    list.push(r);
    byAlliance.set(r.allianceId, list);
  }
  // take whole alliances until their member schools carry enough facilities (2 per school)
  const chosen = new Map<string, string[]>();
  const schools = new Map<string, (typeof alliances)[number]>();
  for (const [allianceId, members] of byAlliance) {
    if (schools.size * 2 >= opts.minFacilities) break;
    chosen.set(
      allianceId,
      members.map((m) => m.schoolId),
    );
    for (const m of members) schools.set(m.schoolId, m);
  }

  const facilities: FacilitiesTable[] = [];
  const hours: FacilityOpenHoursTable[] = [];
  const bySchool = new Map<string, string[]>();
  let serial = 0;
  for (const s of schools.values()) {
    const labs = LAB_BY_SCHOOL_TYPE[s.type] ?? ['smart_classroom'];
    const types = [labs[serial % labs.length], VENUES[serial % VENUES.length]];
    for (const type of types) {
      serial++;
      const id = `bf_${String(serial).padStart(6, '0')}`;
      facilities.push({
        id,
        school_id: s.schoolId,
        partner_id: null,
        region_id: s.region_id,
        type,
        subject: null,
        name: `${s.name}${TYPE_ZH[type] ?? type}`.slice(0, 60),
        capacity: type === 'gym' || type === 'track_field' || type === 'lecture_hall' ? 300 : 48,
        location: null,
        photos: '[]',
        equipment_text: null,
        safety_rules: '进入实验室须遵守安全操作规程。',
        responsibility_terms: '预约方负责带队教师的安全管理责任。',
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
        created_at: now,
        updated_at: now,
      });
      for (let weekday = 1; weekday <= 5; weekday++) hours.push({ id: `${id}_h${weekday}`, facility_id: id, weekday, open: '08:00', close: '18:00' });
      const list = bySchool.get(s.schoolId) ?? [];
      list.push(id);
      bySchool.set(s.schoolId, list);
    }
  }

  // one teacher per school, spread over the chosen alliances (round-robin), with the province password
  const hash = (await db.selectFrom('users').select('password_hash').where('username', '=', 'bench_city').executeTakeFirstOrThrow()).password_hash;
  const teacherRows: UsersTable[] = [];
  const grants: RoleGrantsTable[] = [];
  const teachers: BookingSeed['teachers'] = [];
  const used = new Set<string>();
  const queues = [...chosen.entries()].map(([a, list]) => ({ a, list: [...list] }));
  for (let round = 0; teachers.length < opts.teachers && round < 100; round++) {
    for (const q of queues) {
      if (teachers.length >= opts.teachers) break;
      const schoolId = q.list.find((x) => !used.has(x));
      if (!schoolId) continue;
      used.add(schoolId);
      const n = teachers.length + 1;
      const id = `bu_t_${String(n).padStart(4, '0')}`;
      const username = `bench_t${String(n).padStart(4, '0')}`;
      const s = schools.get(schoolId)!;
      teacherRows.push({
        id,
        username,
        display_name: `压测教师${n}`,
        email: null,
        phone: null,
        password_hash: hash,
        must_change_password: 0,
        password_changed_at: now,
        school_id: schoolId,
        region_id: s.region_id,
        locale: 'zh-CN',
        status: 'active',
        failed_logins: 0,
        locked_until: null,
        oidc_subject: null,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      });
      grants.push({
        id: `bg_${String(n).padStart(5, '0')}`,
        user_id: id,
        role: 'teacher',
        scope_type: 'school',
        scope_id: schoolId,
        subject: null,
        granted_by: null,
        granted_at: now,
      });
      teachers.push({ username, schoolId, allianceId: q.a });
    }
  }

  await db.transaction().execute(async (tx) => {
    await insertBatched(tx, 'facilities', facilities);
    await insertBatched(tx, 'facility_open_hours', hours);
    await insertBatched(tx, 'users', teacherRows);
    await insertBatched(tx, 'role_grants', grants);
  });
  await sql`analyze`.execute(db);
  return {
    facilities: facilities.map((f) => ({ id: f.id, schoolId: f.school_id!, type: f.type })),
    alliances: chosen,
    bySchool,
    teachers,
    schools: schools.size,
  };
}
