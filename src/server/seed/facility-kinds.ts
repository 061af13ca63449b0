/**
 * What each kind of room looks like in the demo (capacity, open hours, equipment, safety rules and the
 * borrower's responsibility terms), which kinds a school has by its type and strength, the bookable slots
 * and the purposes teachers write. Used by seed/facilities.ts and seed/facility-bookings.ts.
 */

export interface Kind {
  name: string;
  subject?: string;
  capacity: [number, number];
  hours: 'school' | 'sports' | 'venue';
  equipment: [string, string, number, 'lendable' | 'onsite'][];
  safety: string;
}

export const LAB_TERMS =
  '借用方负责本校学生的组织与安全教育，带队教师全程在场；按实验室规则操作，因违规操作造成的仪器损坏由借用方照价赔偿；发生意外须立即报告场馆方并启动应急预案。';
export const ROOM_TERMS = '借用方负责本校学生的组织与安全，使用后恢复原状、关闭电源门窗；设备损坏须当场登记，由借用方照价赔偿。';
export const SPORTS_TERMS = '借用方负责学生运动前的健康询问与热身组织，带队教师全程在场；运动伤害由借用方按学校安全事故处理办法处理，场馆方提供急救箱与AED。';

export const KINDS: Record<string, Kind> = {
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

export function kindsFor(type: string, tags: string[], loc: string, isCore: boolean): string[] {
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
export const SLOTS: Record<
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

export const PURPOSES: Record<string, string[]> = {
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

/** A facility as the booking generator sees it. */
export interface Fac {
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
