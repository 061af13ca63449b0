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
import type { BookingStatus, ClosureKind } from '../../common/facilities.js';
import { DEMO_ACCOUNTS } from './demo-data.js';
import { insertBatched } from './insert.js';
import { Rng, addDays, maxDate, pad } from './random.js';
import { seedLedger, type SeedBooking } from './facilities-ledger.js';

type Row<T extends keyof DB> = Insertable<DB[T]>;

export const TERM = { name: '2026-2027学年第一学期', from: '2026-09-01', to: '2027-01-22' };
/** the booking platform went live after the National Day holiday: the bookings' history starts here */
export const LIVE_SINCE = '2026-10-19';

/** Demo accounts for the booking walkthrough (and its browser test). */
export const FACILITY_DEMO_ACCOUNTS = [
  { username: 'rural_teacher', role: 'teacher', note: '青山县石门镇中学化学教师（临川一中城乡教育共同体成员校，农村校）' },
  { username: 'principal_1z', role: 'school_admin', note: '临川市第一中学教务主任（共同体核心校，化学实验室的审批人）' },
];
for (const a of FACILITY_DEMO_ACCOUNTS) if (!DEMO_ACCOUNTS.some((x) => x.username === a.username)) DEMO_ACCOUNTS.push(a);

const TZ = 8 * 3600_000;
const DAY = 86_400_000;
const localMs = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00.000Z`) - TZ;
const iso = (ms: number) => new Date(ms).toISOString();
const weekday = (date: string) => {
  const d = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

// ---- what each kind of room looks like ----------------------------------------------------------

interface Kind {
  name: string;
  subject?: string;
  capacity: [number, number];
  hours: 'school' | 'sports' | 'venue';
  equipment: [string, string, number, 'lendable' | 'onsite'][];
  safety: string;
}

const LAB_TERMS =
  '借用方负责本校学生的组织与安全教育，带队教师全程在场；按实验室规则操作，因违规操作造成的仪器损坏由借用方照价赔偿；发生意外须立即报告场馆方并启动应急预案。';
const ROOM_TERMS = '借用方负责本校学生的组织与安全，使用后恢复原状、关闭电源门窗；设备损坏须当场登记，由借用方照价赔偿。';
const SPORTS_TERMS = '借用方负责学生运动前的健康询问与热身组织，带队教师全程在场；运动伤害由借用方按学校安全事故处理办法处理，场馆方提供急救箱与AED。';

const KINDS: Record<string, Kind> = {
  chemistry_lab: {
    name: '化学实验室',
    subject: 'chemistry',
    capacity: [48, 56],
    hours: 'school',
    equipment: [
      ['fume_hood', '通风橱', 8, 'onsite'],
      ['balance', '电子天平（0.01g）', 24, 'lendable'],
      ['goggles', '护目镜', 60, 'lendable'],
      ['titration', '酸碱滴定实验套装', 30, 'lendable'],
    ],
    safety: '进入实验室须穿实验服、佩戴护目镜；危险化学品由本校实验员统一发放，严禁私自带出；实验结束后清洗器皿、关闭水电气，废液倒入指定回收桶。',
  },
  physics_lab: {
    name: '物理实验室',
    subject: 'physics',
    capacity: [48, 56],
    hours: 'school',
    equipment: [
      ['oscilloscope', '数字示波器', 12, 'lendable'],
      ['power', '学生电源', 30, 'lendable'],
      ['optics', '光学实验箱', 25, 'onsite'],
    ],
    safety: '通电实验须经教师检查线路后方可接通电源；不得带电改接线路；使用激光器材时禁止直视光束。',
  },
  biology_lab: {
    name: '生物实验室',
    subject: 'biology',
    capacity: [48, 56],
    hours: 'school',
    equipment: [
      ['microscope', '双目显微镜', 30, 'lendable'],
      ['slides', '永久装片套装', 20, 'lendable'],
      ['incubator', '恒温培养箱', 2, 'onsite'],
    ],
    safety: '显微镜须双手持镜、轻拿轻放；生物样本按规定处理，解剖器械用后清点归还。',
  },
  science_lab: {
    name: '科学实验室',
    subject: 'science',
    capacity: [40, 50],
    hours: 'school',
    equipment: [
      ['science_kit', '小学科学探究实验箱', 20, 'lendable'],
      ['magnifier', '放大镜', 50, 'lendable'],
      ['model', '天体运行模型', 2, 'onsite'],
    ],
    safety: '学生在教师指导下操作；酒精灯由教师点燃和熄灭；实验用品用后清点归位。',
  },
  computer_room: {
    name: '计算机教室',
    subject: 'it',
    capacity: [45, 55],
    hours: 'school',
    equipment: [
      ['pc', '学生计算机', 50, 'onsite'],
      ['robot', '编程机器人套件', 20, 'lendable'],
    ],
    safety: '禁止饮食；不得私自安装软件或更改系统设置；下课前按要求关机。',
  },
  maker_space: {
    name: '创客空间',
    subject: 'general_tech',
    capacity: [30, 40],
    hours: 'school',
    equipment: [
      ['printer3d', '3D打印机', 6, 'onsite'],
      ['laser', '激光切割机', 1, 'onsite'],
      ['arduino', '开源硬件套件', 40, 'lendable'],
    ],
    safety: '激光切割机、3D打印机须由持证教师操作；使用手工工具须佩戴防护手套。',
  },
  smart_classroom: {
    name: '智慧教室',
    capacity: [48, 56],
    hours: 'school',
    equipment: [
      ['board', '交互式智慧黑板', 1, 'onsite'],
      ['tablet', '学生平板', 50, 'onsite'],
    ],
    safety: '平板使用后放回充电柜；不得拆卸设备。',
  },
  recording_studio: {
    name: '录播教室',
    capacity: [40, 50],
    hours: 'school',
    equipment: [
      ['recorder', '常态化录播系统', 1, 'onsite'],
      ['mic', '无线麦克风', 6, 'lendable'],
    ],
    safety: '录播设备由信息中心教师操作；课例视频的使用遵守联盟资源共享协议。',
  },
  library: {
    name: '图书馆',
    capacity: [80, 120],
    hours: 'school',
    equipment: [['ereader', '电子阅览终端', 20, 'onsite']],
    safety: '保持安静；图书借阅按本馆制度办理，损坏或遗失照价赔偿。',
  },
  gym: {
    name: '体育馆',
    subject: 'pe',
    capacity: [120, 300],
    hours: 'sports',
    equipment: [
      ['basketball', '篮球', 40, 'lendable'],
      ['volleyball', '排球', 30, 'lendable'],
      ['pingpong', '乒乓球台', 8, 'onsite'],
    ],
    safety: '穿运动鞋入场；器材用后归还器材室；禁止在场馆内进食和攀爬篮球架。',
  },
  track_field: {
    name: '田径场',
    subject: 'pe',
    capacity: [300, 800],
    hours: 'sports',
    equipment: [
      ['hurdle', '跨栏架', 40, 'lendable'],
      ['timer', '电子计时器', 4, 'lendable'],
    ],
    safety: '雷雨天气停止使用；投掷项目须划定安全区并有教师监护。',
  },
  swimming_pool: {
    name: '游泳馆',
    subject: 'pe',
    capacity: [60, 80],
    hours: 'sports',
    equipment: [['kickboard', '浮板', 60, 'lendable']],
    safety: '入水前须完成健康确认；救生员在岗方可开放；每名教师带队不超过20名学生。',
  },
  music_room: {
    name: '音乐教室',
    subject: 'music',
    capacity: [40, 50],
    hours: 'school',
    equipment: [
      ['piano', '立式钢琴', 1, 'onsite'],
      ['orff', '奥尔夫乐器套装', 4, 'lendable'],
    ],
    safety: '乐器轻拿轻放，使用后归位。',
  },
  art_room: {
    name: '美术教室',
    subject: 'art',
    capacity: [40, 50],
    hours: 'school',
    equipment: [
      ['easel', '画架', 50, 'lendable'],
      ['kiln', '陶艺电窑', 1, 'onsite'],
    ],
    safety: '陶艺电窑由教师操作；颜料用后封好，清洗水池。',
  },
  dance_room: {
    name: '舞蹈室',
    subject: 'art',
    capacity: [30, 40],
    hours: 'school',
    equipment: [
      ['mirror', '把杆与镜面墙', 1, 'onsite'],
      ['audio', '音响', 2, 'lendable'],
    ],
    safety: '穿舞蹈鞋入内；练习前充分热身。',
  },
  lecture_hall: {
    name: '报告厅',
    capacity: [200, 400],
    hours: 'school',
    equipment: [['projector', '激光投影与音响系统', 1, 'onsite']],
    safety: '按座位入场，保持安全通道畅通；活动结束后关闭设备。',
  },
  labor_base: {
    name: '劳动实践基地',
    subject: 'labor',
    capacity: [40, 60],
    hours: 'school',
    equipment: [['tools', '农具套装', 40, 'lendable']],
    safety: '使用农具注意安全距离；高温天气注意防暑。',
  },
};

function kindsFor(type: string, tags: string[], loc: string, isCore: boolean): string[] {
  const small = tags.includes('small') || loc === 'village';
  const strong = isCore || tags.includes('quality');
  switch (type) {
    case 'teaching_point':
      return ['smart_classroom'];
    case 'kindergarten':
      return small ? ['music_room'] : ['music_room', 'art_room', ...(strong ? ['dance_room'] : [])];
    case 'primary':
      if (small) return ['science_lab', 'track_field'];
      return [
        'science_lab',
        'computer_room',
        'music_room',
        'track_field',
        ...(strong ? ['art_room', 'gym', 'maker_space', 'library', 'recording_studio'] : loc === 'urban' ? ['gym'] : []),
      ];
    case 'junior':
    case 'nine_year':
      return [
        'physics_lab',
        'chemistry_lab',
        'biology_lab',
        'computer_room',
        'gym',
        'track_field',
        ...(type === 'nine_year' ? ['science_lab'] : []),
        ...(strong ? ['maker_space', 'library', 'music_room'] : []),
      ];
    case 'complete_secondary':
    case 'senior':
    case 'twelve_year':
      return [
        'physics_lab',
        'chemistry_lab',
        'biology_lab',
        'computer_room',
        'gym',
        'track_field',
        'library',
        'lecture_hall',
        ...(strong ? ['maker_space', 'recording_studio', 'smart_classroom', 'music_room', 'art_room'] : []),
        ...(strong && type !== 'twelve_year' ? ['swimming_pool'] : []),
      ];
    case 'vocational':
      return ['computer_room', 'maker_space', 'labor_base', 'lecture_hall', 'track_field'];
    case 'special':
      return ['music_room', 'art_room', 'gym', 'smart_classroom'];
    default:
      return ['smart_classroom'];
  }
}

/** bookable slots per local weekday (HH:MM pairs) */
const SLOTS: Record<
  Kind['hours'],
  { open: [string, string]; days: number[]; slots: [string, string][]; weekend?: { open: [string, string]; slots: [string, string][] } }
> = {
  school: {
    open: ['08:00', '17:30'],
    days: [1, 2, 3, 4, 5],
    slots: [
      ['08:00', '11:40'],
      ['14:00', '17:20'],
    ],
  },
  sports: {
    open: ['07:30', '18:00'],
    days: [1, 2, 3, 4, 5],
    slots: [
      ['08:00', '11:40'],
      ['14:00', '17:40'],
    ],
    weekend: {
      open: ['09:00', '17:00'],
      slots: [
        ['09:00', '12:00'],
        ['14:00', '17:00'],
      ],
    },
  },
  venue: {
    open: ['09:00', '17:00'],
    days: [2, 3, 4, 5, 6, 7],
    slots: [
      ['09:00', '11:30'],
      ['13:30', '16:30'],
    ],
  },
};

const PURPOSES: Record<string, string[]> = {
  chemistry_lab: ['九年级化学分组实验：氧气的制取与性质', '酸碱中和滴定分组实验', '高一化学：粗盐提纯', '化学兴趣小组：水的净化'],
  physics_lab: ['八年级物理：测量小灯泡的电功率', '探究凸透镜成像规律', '高二物理：测电源电动势和内阻', '物理竞赛辅导实验'],
  biology_lab: ['七年级生物：观察洋葱表皮细胞', '探究影响酶活性的条件', '显微镜使用训练'],
  science_lab: ['四年级科学：电路连接', '五年级科学：种子发芽实验', '三年级科学：溶解的快与慢', '科学社团：简单机械'],
  computer_room: ['信息科技：图形化编程', '七年级信息科技：数据处理', '编程社团活动', '教师信息技术应用能力培训'],
  maker_space: ['创客社团：智能小车', '3D打印课程', '青少年科创竞赛集训'],
  smart_classroom: ['同步课堂：城乡联合授课', '智慧课堂公开课', '教研组集体备课'],
  recording_studio: ['录制联盟优质课例', '名师工作室课例研讨', '微课录制'],
  library: ['整本书阅读课', '阅读社团活动', '图书馆信息检索课'],
  gym: ['体育课：篮球运球', '校际篮球友谊赛', '排球社团训练', '大课间室内活动'],
  track_field: ['体育课：50米跑', '田径队训练', '校际运动会预赛', '体质健康测试'],
  swimming_pool: ['游泳课：蛙泳', '防溺水安全教育实践课', '游泳队训练'],
  music_room: ['音乐课：合唱训练', '器乐社团排练', '艺术节节目排练'],
  art_room: ['美术课：水彩风景', '陶艺社团', '书画作品展布展'],
  dance_room: ['舞蹈社团训练', '艺术节舞蹈排练'],
  lecture_hall: ['家长会', '联盟联合教研活动', '科普讲座', '学生演讲比赛'],
  labor_base: ['劳动教育：蔬菜种植', '职业体验日'],
  community_venue: ['科技馆研学：少儿科学乐园', '博物馆研学：博物馆里的课堂', '社区志愿服务', '非遗文化体验课'],
};

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
    interface Fac {
      id: string;
      type: string;
      kind: Kind;
      schoolId: string | null;
      partnerId: string | null;
      rate: number;
      manual: boolean;
      community: boolean;
      capacity: number;
      alliances: string[];
    }
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

    // ---- bookings ----
    const bookings: Row<'bookings'>[] = [];
    const forLedger: SeedBooking[] = [];
    let bSerial = 0;
    const pickBooker = (f: Fac, cross: boolean): { userId: string; name: string; schoolId: string; allianceId: string | null } | null => {
      if (f.schoolId && !cross) {
        const t = rngBook.pick(teachersOf.get(f.schoolId) ?? []);
        return t ? { userId: t.id, name: t.display_name, schoolId: f.schoolId, allianceId: null } : null;
      }
      const allianceId = f.alliances.length ? rngBook.pick(f.alliances) : null;
      if (!allianceId) return null;
      const others = (membersOf.get(allianceId) ?? []).filter((sid) => sid !== f.schoolId);
      const sid = others.length ? rngBook.pick(others) : null;
      const t = sid ? rngBook.pick(teachersOf.get(sid) ?? []) : null;
      return t && sid ? { userId: t.id, name: t.display_name, schoolId: sid, allianceId } : null;
    };
    const addBooking = (
      f: Fac,
      date: string,
      slot: [string, string],
      status: BookingStatus,
      booker: NonNullable<ReturnType<typeof pickBooker>>,
      extra: { decidedBy?: string | null } = {},
    ) => {
      const startMs = localMs(date, slot[0]);
      const endMs = localMs(date, slot[1]);
      const id = `bk_${pad(++bSerial, 6)}`;
      // requested 2–14 days ahead; requests for the coming days were made during the past week
      let createdMs = startMs - rngBook.int(2, 14) * DAY - rngBook.int(0, 8) * 3600_000;
      if (createdMs > nowMs - 3600_000) createdMs = nowMs - rngBook.int(1, 7) * DAY + rngBook.int(0, 8) * 3600_000;
      const decided = status !== 'pending';
      const kind = f.type;
      const owner = f.schoolId ? (adminOf.get(f.schoolId) ?? null) : null;
      bookings.push({
        id,
        facility_id: f.id,
        alliance_id: booker.allianceId,
        booker_id: booker.userId,
        booker_school_id: booker.schoolId,
        series_id: null,
        start_at: iso(startMs),
        end_at: iso(endMs),
        start_ms: startMs,
        end_ms: endMs,
        block_end_ms: endMs,
        purpose: rngBook.pick(PURPOSES[kind] ?? PURPOSES.smart_classroom!),
        group_size: rngBook.int(20, Math.min(50, f.capacity)),
        responsible_teacher: booker.name,
        status,
        decided_by: decided && f.manual ? (extra.decidedBy ?? owner) : null,
        decided_at: decided && status !== 'cancelled' ? iso(createdMs + 3 * 3600_000) : null,
        decision_reason: status === 'rejected' ? '该时段本校已安排实验考查，请改约其他时段' : null,
        checked_in_at: status === 'checked_in' ? iso(startMs - 5 * 60_000) : null,
        cancelled_at: status === 'cancelled' ? iso(Math.min(startMs - 2 * DAY, nowMs - 3600_000)) : null,
        cancelled_by: status === 'cancelled' ? booker.userId : null,
        charge_tx_id: null,
        charge_amount: 0,
        created_at: iso(createdMs),
        updated_at: iso(createdMs),
      });
      if (booker.allianceId && booker.schoolId !== f.schoolId) {
        forLedger.push({
          id,
          allianceId: booker.allianceId,
          facilityId: f.id,
          facilityType: f.type,
          hostSchoolId: f.schoolId,
          hostPartnerId: f.partnerId,
          bookerSchoolId: booker.schoolId,
          startAt: iso(startMs),
          endAt: iso(endMs),
          status,
          createdAt: iso(createdMs),
          cancelledAt: status === 'cancelled' ? iso(Math.min(startMs - 2 * DAY, nowMs - 3600_000)) : null,
        });
      }
    };

    const lastPast = addDays(today, -1);
    const futureEnd = addDays(today, 13);
    // at most five weeks of history, whatever `today` is (the seed stays small and fast)
    const historyFrom = maxDate(LIVE_SINCE, addDays(today, -35));
    for (const f of facs) {
      const sl = SLOTS[f.kind.hours];
      const crossShare = f.partnerId ? 1 : f.schoolId && coreOf.has(f.schoolId) ? 0.04 : f.alliances.length ? 0.01 : 0;
      // schools outside every alliance book little through the platform (their own timetable lives elsewhere)
      const rate = f.alliances.length ? f.rate : f.rate * 0.3;
      for (let date = historyFrom; date <= futureEnd; date = addDays(date, 1)) {
        const wd = weekday(date);
        const slots = sl.days.includes(wd) ? sl.slots : wd === 6 && sl.weekend && f.community ? sl.weekend.slots : [];
        if (slots.length === 0 || closedOn(f, date)) continue;
        const past = date <= lastPast;
        // future bookings thin out with the distance from today
        const p = past ? rate : rate * Math.max(0.15, 0.75 - (Date.parse(date) - Date.parse(today)) / DAY / 30);
        for (const slot of slots) {
          if (!rngBook.chance(p)) continue;
          const booker = pickBooker(f, rngBook.chance(past ? crossShare : f.manual ? 0.3 : Math.min(1, crossShare * 2)));
          if (!booker) continue;
          const roll = rngBook.float();
          let status: BookingStatus;
          if (past) status = roll < 0.05 ? 'cancelled' : roll < 0.1 ? 'no_show' : 'checked_in';
          else if (f.manual && booker.schoolId !== f.schoolId) status = roll < 0.5 ? 'pending' : roll < 0.55 ? 'cancelled' : 'accepted';
          else status = roll < 0.05 ? 'cancelled' : 'accepted';
          addBooking(f, date, slot, status, booker);
          // a declined request next to some cross-school bookings (not holding, so it may overlap)
          if (booker.schoolId !== f.schoolId && f.manual && rngBook.chance(0.08)) {
            const other = pickBooker(f, true);
            if (other) addBooking(f, date, slot, 'rejected', other);
          }
        }
      }
    }

    // the walkthrough accounts' own history: 陈晓燕 (teacher, 新城小学) at 市实小's science lab, 谭春燕 at 临川一中
    const sciLab = facs.find((f) => f.schoolId === 's_00001' && f.type === 'science_lab');
    const chem1 = facs.find((f) => f.schoolId === 's_00010' && f.type === 'chemistry_lab');
    const held = (f: Fac, s: number, e: number) =>
      bookings.some(
        (b) => b.facility_id === f.id && ['accepted', 'checked_in', 'pending'].includes(b.status) && Number(b.start_ms) < e && s < Number(b.end_ms),
      );
    const own = (
      f: Fac | undefined,
      user: { userId: string; name: string; schoolId: string; allianceId: string },
      dates: string[],
      slot: [string, string],
      statusOf: (d: string) => BookingStatus,
    ) => {
      if (!f) return;
      for (const d of dates) {
        if (closedOn(f, d) || held(f, localMs(d, slot[0]), localMs(d, slot[1]))) continue;
        addBooking(f, d, slot, statusOf(d), user);
      }
    };
    const weeklyFrom = (start: string, n: number) => Array.from({ length: n }, (_, i) => addDays(start, i * 7));
    own(sciLab, { userId: 'u_teacher', name: '陈晓燕', schoolId: 's_00003', allianceId: 'a_0001' }, weeklyFrom('2026-10-20', 9), ['14:00', '16:00'], (d) =>
      d < today ? (d === '2026-10-27' ? 'no_show' : 'checked_in') : d < addDays(today, 8) ? 'accepted' : 'pending',
    );
    own(
      chem1,
      { userId: 'u_rural_teacher', name: '谭春燕', schoolId: 's_00034', allianceId: 'a_0002' },
      weeklyFrom('2026-10-23', 4),
      ['08:00', '10:00'],
      (d) => (d < today ? 'checked_in' : 'accepted'),
    );

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
