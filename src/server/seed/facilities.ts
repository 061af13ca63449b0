/**
 * Demo facilities, equipment, calendars and a season of bookings (SPEC S3), on top of the demo region.
 *
 * Every demo school gets facilities that fit its type (小学: 科学实验室, 计算机教室, 音乐/美术教室, 体育场地;
 * 中学: 理化生实验室…; core and 优质 schools more and better), partner venues (科技馆, 博物馆, 社区文化站),
 * open hours, the 2026-2027 第一学期 calendar with 国庆/元旦 holidays and exam weeks, two mobile kits that
 * rotate, past bookings since the term began (checked in, some no-shows, some cancelled) and future ones
 * (accepted, and pending in the owners' inboxes), with the credit ledger written through CreditService.
 * One gym (青山县第二中学) is deliberately idle (< 15 % used).
 *
 * Deterministic: ids, times and choices derive from `today` and seeded PRNG streams (seed/random.ts);
 * only the ledger's own ids/timestamps come from CreditService.
 */
import type { Insertable } from 'kysely';
import type { Database, Tx } from '../db/index.js';
import type { DB } from '../db/schema.js';
import type { ClosureKind } from '../../common/facilities.js';
import { DEMO_ACCOUNTS } from './demo-data.js';
import { insertBatched } from './insert.js';
import { Rng, addDays, pad } from './random.js';
import { seedLedger } from './facilities-ledger.js';
import { LIVE_SINCE, localMs, seedBookingRows } from './facility-bookings.js';
import { KINDS, LAB_TERMS, ROOM_TERMS, SLOTS, SPORTS_TERMS, kindsFor, type Fac, type Kind } from './facility-kinds.js';

export { LIVE_SINCE };

type Row<T extends keyof DB> = Insertable<DB[T]>;

export const TERM = { name: '2026-2027学年第一学期', from: '2026-09-01', to: '2027-01-22' };

/** Demo accounts for the booking walkthrough (and its browser test). */
export const FACILITY_DEMO_ACCOUNTS = [
  { username: 'rural_teacher', role: 'teacher', note: '青山县石门镇中学化学教师（临川一中城乡教育共同体成员校，农村校）' },
  { username: 'principal_1z', role: 'school_admin', note: '临川市第一中学教务主任（共同体核心校，化学实验室的审批人）' },
];
for (const a of FACILITY_DEMO_ACCOUNTS) if (!DEMO_ACCOUNTS.some((x) => x.username === a.username)) DEMO_ACCOUNTS.push(a);

// ---- reading what the region seed wrote -------------------------------------------------------------

async function context(tx: Tx) {
  const [schools, alliances, members, partnerLinks, partners, teachers, admins] = await Promise.all([
    tx
      .selectFrom('schools')
      .select(['id', 'name', 'short_name', 'region_id', 'type', 'location', 'tags'])
      .where('region_id', 'in', ['r_0003', 'r_0004', 'r_0005'])
      .orderBy('id')
      .execute(),
    tx.selectFrom('alliances').select(['id', 'core_school_id', 'region_id']).orderBy('id').execute(),
    tx.selectFrom('alliance_members').select(['alliance_id', 'school_id']).where('status', '=', 'active').orderBy('id').execute(),
    tx.selectFrom('alliance_partners').select(['alliance_id', 'partner_id']).orderBy('alliance_id').orderBy('partner_id').execute(),
    tx.selectFrom('partners').select(['id', 'name', 'region_id']).where('region_id', '=', 'r_0002').orderBy('id').execute(),
    tx
      .selectFrom('users as u')
      .innerJoin('role_grants as g', 'g.user_id', 'u.id')
      .select(['u.id', 'u.display_name', 'g.scope_id'])
      .where('g.role', '=', 'teacher')
      .where('g.scope_type', '=', 'school')
      .orderBy('u.id')
      .execute(),
    tx.selectFrom('role_grants').select(['user_id', 'scope_id']).where('role', '=', 'school_admin').orderBy('user_id').execute(),
  ]);
  return { schools, alliances, members, partnerLinks, partners, teachers, admins };
}

export interface FacilitySeedSummary {
  facilities: number;
  bookings: number;
  transactions: number;
  ms: number;
}

/** the summary of the last run in this process (benchmarks and tests read it) */
export let lastFacilitySeed: FacilitySeedSummary | null = null;

export async function seedFacilities(database: Database, today: string): Promise<FacilitySeedSummary> {
  const started = Date.now();
  const setupAt = `${addDays(TERM.from, -20)}T01:00:00.000Z`;
  const nowMs = localMs(today, '08:00');
  const rng = new Rng('demo/facilities');
  const rngBook = new Rng('demo/bookings');

  return database.db.transaction().execute(async (tx) => {
    const c = await context(tx);
    const coreOf = new Set(c.alliances.map((a) => a.core_school_id));
    const alliancesOf = new Map<string, string[]>();
    for (const m of c.members) alliancesOf.set(m.school_id, [...(alliancesOf.get(m.school_id) ?? []), m.alliance_id]);
    const membersOf = new Map<string, string[]>();
    for (const m of c.members) membersOf.set(m.alliance_id, [...(membersOf.get(m.alliance_id) ?? []), m.school_id]);
    const teachersOf = new Map<string, { id: string; display_name: string }[]>();
    for (const t of c.teachers) if (t.scope_id) teachersOf.set(t.scope_id, [...(teachersOf.get(t.scope_id) ?? []), t]);

    // demo accounts of the walkthrough
    const model = await tx.selectFrom('users').selectAll().where('id', '=', 'u_teacher').executeTakeFirstOrThrow();
    const users: Row<'users'>[] = [
      {
        ...model,
        id: 'u_rural_teacher',
        username: 'rural_teacher',
        display_name: '谭春燕',
        email: 'rural_teacher@demo.xiaolian.local',
        school_id: 's_00034',
        region_id: 'r_0004',
      },
      {
        ...model,
        id: 'u_principal_1z',
        username: 'principal_1z',
        display_name: '邱建华',
        email: 'principal_1z@demo.xiaolian.local',
        school_id: 's_00010',
        region_id: 'r_0003',
      },
    ];
    await insertBatched(tx, 'users', users);
    await insertBatched(tx, 'role_grants', [
      {
        id: 'g_f0001',
        user_id: 'u_rural_teacher',
        role: 'teacher',
        scope_type: 'school',
        scope_id: 's_00034',
        subject: 'chemistry',
        granted_by: null,
        granted_at: model.created_at,
      },
      {
        id: 'g_f0002',
        user_id: 'u_principal_1z',
        role: 'school_admin',
        scope_type: 'school',
        scope_id: 's_00010',
        subject: null,
        granted_by: null,
        granted_at: model.created_at,
      },
    ]);
    teachersOf.set('s_00034', [{ id: 'u_rural_teacher', display_name: '谭春燕' }, ...(teachersOf.get('s_00034') ?? [])]);

    // ---- inventory ----
    const facilities: Row<'facilities'>[] = [];
    const hours: Row<'facility_open_hours'>[] = [];
    const equipment: Row<'equipment'>[] = [];
    const adminOf = new Map<string, string>();
    for (const a of c.admins) if (a.scope_id && !adminOf.has(a.scope_id)) adminOf.set(a.scope_id, a.user_id);
    const facs: Fac[] = [];
    let fSerial = 0;
    let hSerial = 0;
    let eSerial = 0;
    const addFacility = (f: Omit<Fac, 'id' | 'capacity'> & { name: string; regionId: string; location: string }) => {
      const id = `fac_${pad(++fSerial, 4)}`;
      const k = f.kind;
      const sl = SLOTS[k.hours];
      const capacity = rng.int(k.capacity[0], k.capacity[1]);
      facilities.push({
        id,
        school_id: f.schoolId,
        partner_id: f.partnerId,
        region_id: f.regionId,
        type: f.type,
        subject: k.subject ?? null,
        name: f.name,
        capacity,
        location: f.location,
        photos: '[]',
        equipment_text: k.equipment.map(([, name, qty]) => `${name}×${qty}`).join('、') || null,
        safety_rules: k.safety,
        responsibility_terms: f.type.endsWith('_lab') || f.type === 'maker_space' ? LAB_TERMS : k.hours === 'sports' ? SPORTS_TERMS : ROOM_TERMS,
        community_open: f.community ? 1 : 0,
        policy: f.manual ? 'manual' : 'auto',
        min_minutes: 60,
        max_minutes: k.hours === 'venue' ? 180 : 240,
        min_notice_hours: 24,
        max_days_ahead: 180,
        buffer_minutes: 0,
        weekly_quota_hours: f.schoolId && coreOf.has(f.schoolId) ? 12 : null,
        cancel_deadline_hours: 24,
        status: 'active',
        created_by: null,
        created_at: setupAt,
        updated_at: setupAt,
      });
      for (const d of sl.days) hours.push({ id: `foh_${pad(++hSerial, 5)}`, facility_id: id, weekday: d, open: sl.open[0], close: sl.open[1] });
      if (sl.weekend && f.community)
        hours.push({ id: `foh_${pad(++hSerial, 5)}`, facility_id: id, weekday: 6, open: sl.weekend.open[0], close: sl.weekend.open[1] });
      for (const [code, name, qty, usage] of k.equipment) {
        const n = Math.max(1, Math.round(qty * (f.rate > 0.3 ? 1 : rng.range(0.4, 0.8))));
        equipment.push({
          id: `eq_${pad(++eSerial, 5)}`,
          facility_id: id,
          school_id: f.schoolId,
          partner_id: f.partnerId,
          region_id: f.regionId,
          type: code,
          name,
          quantity: n,
          status: rng.chance(0.06) ? 'repair' : 'available',
          usage,
          note: null,
          created_at: setupAt,
          updated_at: setupAt,
        });
      }
      facs.push({ ...f, id, capacity });
      return id;
    };

    for (const s of c.schools) {
      const tags = JSON.parse(s.tags) as string[];
      const isCore = coreOf.has(s.id);
      const strong = isCore || tags.includes('quality');
      const rural = tags.includes('rural') || s.location === 'village' || s.location === 'township';
      const list = kindsFor(s.type, tags, s.location, isCore);
      const building = rng.pick(['实验楼', '综合楼', '科技楼', '艺体楼']);
      for (const [i, type] of list.entries()) {
        const kind = KINDS[type]!;
        // the failing gym of the seeds: 青山县第二中学 (a member of the 城乡共同体)
        const idleGym = s.id === 's_00029' && type === 'gym';
        const base = strong ? rng.range(0.55, 0.8) : rural ? rng.range(0.25, 0.42) : rng.range(0.35, 0.55);
        const rate = idleGym ? 0.05 : base;
        const short = s.short_name ?? s.name;
        const name = type === 'chemistry_lab' && s.id === 's_00010' ? '临川一中化学实验室（一）' : `${short}${kind.name}`;
        addFacility({
          type,
          kind,
          schoolId: s.id,
          partnerId: null,
          rate,
          regionId: s.region_id,
          name,
          location: kind.hours === 'sports' ? (type === 'track_field' ? '校园东侧' : '体艺馆') : `${building}${rng.int(1, 4)}楼${pad(i + 1, 2)}室`,
          manual: isCore && (type.endsWith('_lab') || type === 'recording_studio' || type === 'swimming_pool'),
          community: kind.hours === 'sports' && strong,
          alliances: alliancesOf.get(s.id) ?? [],
        });
        // the core secondary school has a second chemistry lab
        if (type === 'chemistry_lab' && s.id === 's_00010') {
          addFacility({
            type,
            kind,
            schoolId: s.id,
            partnerId: null,
            rate: 0.35,
            regionId: s.region_id,
            name: '临川一中化学实验室（二）',
            location: `${building}3楼05室`,
            manual: true,
            community: false,
            alliances: alliancesOf.get(s.id) ?? [],
          });
        }
      }
    }
    // partners' community venues
    const venueKind = (name: string): Kind => ({
      name,
      capacity: [60, 150],
      hours: 'venue',
      equipment: [],
      safety: '听从讲解员安排，参观时保持队列，不触摸展品；每10名学生至少1名带队教师。',
    });
    const partnerAlliances = (pid: string) => c.partnerLinks.filter((l) => l.partner_id === pid).map((l) => l.alliance_id);
    const venues: [string, string, string, number][] = [
      ['p_0001', '临川科技馆少儿科学乐园', '临川科技馆二层', 0.2],
      ['p_0001', '临川科技馆创客工坊', '临川科技馆三层', 0.15],
      ['p_0003', '临川市博物馆研学教室', '临川市博物馆一层东厅', 0.15],
      ['p_0006', '东湖街道社区文化站', '东湖街道社区服务中心二楼', 0.1],
    ];
    for (const [pid, name, location, rate] of venues) {
      if (!c.partners.some((p) => p.id === pid)) continue;
      const kind = venueKind(name);
      const id = addFacility({
        type: 'community_venue',
        kind,
        schoolId: null,
        partnerId: pid,
        rate,
        regionId: 'r_0002',
        name,
        location,
        manual: false,
        community: true,
        alliances: partnerAlliances(pid),
      });
      equipment.push({
        id: `eq_${pad(++eSerial, 5)}`,
        facility_id: id,
        school_id: null,
        partner_id: pid,
        region_id: 'r_0002',
        type: 'guide',
        name: '讲解器',
        quantity: 40,
        status: 'available',
        usage: 'onsite',
        note: null,
        created_at: setupAt,
        updated_at: setupAt,
      });
    }

    // ---- calendars ----
    const terms: Row<'school_terms'>[] = c.schools.map((s, i) => ({
      id: `term_${pad(i + 1, 5)}`,
      school_id: s.id,
      name: TERM.name,
      start_date: TERM.from,
      end_date: TERM.to,
      created_at: setupAt,
    }));
    const closures: Row<'closures'>[] = [];
    let cSerial = 0;
    const closure = (target: { school_id?: string; facility_id?: string }, from: string, to: string, kind: ClosureKind, reason: string) =>
      closures.push({
        id: `cl_${pad(++cSerial, 5)}`,
        facility_id: target.facility_id ?? null,
        school_id: target.school_id ?? null,
        start_date: from,
        end_date: to,
        kind,
        reason,
        created_by: null,
        created_at: setupAt,
      });
    for (const s of c.schools) {
      const secondary = !['primary', 'kindergarten', 'teaching_point'].includes(s.type);
      closure({ school_id: s.id }, '2026-10-01', '2026-10-07', 'holiday', '国庆节、中秋节假期');
      if (s.type !== 'kindergarten') {
        closure({ school_id: s.id }, secondary ? '2026-11-09' : '2026-11-12', secondary ? '2026-11-11' : '2026-11-13', 'exam', '期中考试');
        closure({ school_id: s.id }, '2027-01-18', '2027-01-22', 'exam', '期末考试周');
      }
      closure({ school_id: s.id }, '2027-01-01', '2027-01-03', 'holiday', '元旦假期');
    }
    const repairGym = facs.find((f) => f.schoolId === 's_00001' && f.type === 'gym');
    if (repairGym) closure({ facility_id: repairGym.id }, '2026-12-14', '2026-12-18', 'repair', '体育馆木地板翻新');
    const closedDays = new Set<string>();
    for (const cl of closures) for (let d = cl.start_date; d <= cl.end_date; d = addDays(d, 1)) closedDays.add(`${cl.facility_id ?? cl.school_id}|${d}`);
    const closedOn = (f: Fac, date: string) => closedDays.has(`${f.id}|${date}`) || (f.schoolId != null && closedDays.has(`${f.schoolId}|${date}`));

    // ---- mobile kits ----
    const kits: Row<'mobile_kits'>[] = [];
    const rotations: Row<'kit_rotations'>[] = [];
    const kitSpecs: [string, 'mobile_lab' | 'mobile_sports_kit', string, string][] = [
      ['a_0002', 'mobile_lab', '流动理化生实验室（临川一中）', '一辆实验车载物理、化学、生物分组实验器材各一套，由临川一中实验员随车，每两周轮换一所成员校。'],
      ['a_0004', 'mobile_sports_kit', '移动体育器材箱（青山县实验小学）', '含软式排球、跳绳、敏捷梯、体能训练器材，供村小和乡镇小学体育课轮流使用。'],
    ];
    let rSerial = 0;
    kitSpecs.forEach(([allianceId, kind, name, description], i) => {
      const members = (membersOf.get(allianceId) ?? []).filter((sid) => sid !== c.alliances.find((a) => a.id === allianceId)?.core_school_id);
      if (members.length === 0) return;
      const kitId = `kit_${pad(i + 1, 3)}`;
      kits.push({ id: kitId, alliance_id: allianceId, kind, name, description, created_at: setupAt });
      let from = '2026-09-07';
      for (let n = 0; from < TERM.to; n++) {
        const to = addDays(from, 11);
        rotations.push({
          id: `rot_${pad(++rSerial, 4)}`,
          kit_id: kitId,
          school_id: members[n % members.length]!,
          from_date: from,
          to_date: to < TERM.to ? to : TERM.to,
          note: null,
          created_at: setupAt,
        });
        from = addDays(from, 14);
      }
    });

    // ---- bookings (seed/facility-bookings.ts) ----
    const { bookings, forLedger } = seedBookingRows({ today, nowMs, rngBook, facs, coreOf, teachersOf, membersOf, adminOf, closedOn });

    await insertBatched(tx, 'facilities', facilities);
    await insertBatched(tx, 'facility_open_hours', hours);
    await insertBatched(tx, 'equipment', equipment);
    await insertBatched(tx, 'school_terms', terms);
    await insertBatched(tx, 'closures', closures);
    await insertBatched(tx, 'mobile_kits', kits);
    await insertBatched(tx, 'kit_rotations', rotations);
    // holding bookings first in time order is not needed: the seed never overlaps two holding bookings
    await insertBatched(tx, 'bookings', bookings, 400);

    const transactions = await seedLedger(tx, database, {
      today,
      setupAt,
      schools: c.schools.map((s) => ({ id: s.id, tags: JSON.parse(s.tags) as string[], location: s.location })),
      alliances: c.alliances.map((a) => a.id),
      membersOf,
      partnerLinks: c.partnerLinks,
      bookings: forLedger,
    });
    lastFacilitySeed = { facilities: facilities.length, bookings: bookings.length, transactions, ms: Date.now() - started };
    return lastFacilitySeed;
  });
}
