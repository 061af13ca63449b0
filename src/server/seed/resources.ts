/**
 * Demo course resources (S2): a few hundred resources with real Chinese titles and small real files
 * (PDFs with Chinese text, DOCX, PNG covers, short MP4s from seed/resource-files.ts), across the demo
 * schools and alliances, in every state of the workflow 上传—审核—共享, with reviews, ratings,
 * comments, favourites, "used in my class" reports and contribution events; published ones indexed for
 * search. Deterministic (seeded PRNG, dates relative to `today`).
 *
 * The vocabulary (topics per subject and stage, title and text templates) is exported for the search
 * benchmark, which generates 200,000 resources from it.
 */
import type { Insertable } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import { toJson } from '../db/index.js';
import { ftsInsertMany, type FtsDoc } from '../db/fts.js';
import type { Storage } from '../platform/storage.js';
import { DOCX_MIME, tidyText } from '../platform/extract.js';
import { SUBJECTS } from '../../common/vocab.js';
import { GRADES, RESOURCE_KINDS, RUBRICS, TEXTBOOK_EDITIONS, type ResourceKind } from '../../common/resources.js';
import { insertBatched } from './insert.js';
import { addDays, instant, pad, Rng } from './random.js';
import { makeCoverPng, makeDocx, makePdf, sampleVideo } from './resource-files.js';

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

export type StageCode = 'primary' | 'junior' | 'senior';

export interface Topic {
  subject: string;
  stage: StageCode;
  grade: string;
  /** the lesson/unit name, e.g. 二次函数的图像与性质 */
  name: string;
  /** words that occur in the text of the files (not necessarily in the title) */
  words: string[];
  chapter: string;
}

/** subject → lines "grade|topic|chapter|word,word,…" */
const TOPIC_LINES: Record<string, string[]> = {
  math: [
    'g1|20以内的进位加法|第八单元|凑十法,计数器,算式',
    'g2|表内乘法|第四单元|乘法口诀,几个几,乘数',
    'g3|分数的初步认识|第八单元|几分之一,分子,分母',
    'g4|平行四边形和梯形|第五单元|平行线,垂线,高',
    'g5|多边形的面积|第六单元|三角形面积,梯形面积,割补法',
    'g6|圆的面积|第五单元|圆周率,半径,直径',
    'g6|鸡兔同笼|数学广角|假设法,列表法,方程',
    'g7|有理数的加减法|第一章|数轴,相反数,绝对值',
    'g7|一元一次方程|第三章|移项,合并同类项,解方程',
    'g8|勾股定理|第十七章|直角三角形,斜边,逆定理',
    'g8|全等三角形|第十二章|边角边,角边角,对应边',
    'g8|一次函数|第十九章|函数图像,正比例函数,斜率',
    'g9|二次函数的图像与性质|第二十二章|抛物线,顶点坐标,对称轴,开口方向,函数',
    'g9|一元二次方程|第二十一章|配方法,求根公式,判别式',
    'g9|圆周角定理|第二十四章|圆心角,弧,弦',
    'g10|函数的单调性|必修一 第三章|增函数,减函数,函数',
    'g10|指数函数与对数函数|必修一 第四章|指数,对数,函数图像',
    'g11|等差数列|选择性必修二 第四章|公差,通项公式,前n项和,函数',
    'g11|空间向量与立体几何|选择性必修一 第一章|法向量,坐标,夹角',
    'g12|导数的概念及其意义|选择性必修二 第五章|瞬时变化率,切线斜率,函数',
  ],
  physics: [
    'g8|声音的产生与传播|第二章|振动,介质,声速',
    'g8|光的折射|第四章|折射角,入射角,透镜',
    'g8|浮力|第十章|阿基米德原理,排开液体,密度',
    'g8|牛顿第一定律|第八章|惯性,力,运动状态',
    'g9|串联和并联电路|第十五章|电路,电流,开关,电路图',
    'g9|欧姆定律|第十七章|电阻,电压,电流,电路',
    'g9|电功率|第十八章|额定功率,电能表,焦耳定律',
    'g9|电与磁|第二十章|磁场,电磁铁,电动机',
    'g10|匀变速直线运动|必修一 第二章|加速度,位移,速度图像',
    'g10|牛顿运动定律|必修一 第四章|受力分析,加速度,质量',
    'g11|闭合电路的欧姆定律|必修三 第十二章|电动势,内阻,电路',
    'g11|机械能守恒定律|必修二 第八章|动能,势能,功',
    'g12|电磁感应|选择性必修二 第二章|楞次定律,感应电流,磁通量',
  ],
  chemistry: [
    'g9|氧气的实验室制取|第二单元|高锰酸钾,催化剂,集气瓶',
    'g9|质量守恒定律|第五单元|化学方程式,反应前后,原子',
    'g9|酸和碱的中和反应|第十单元|酸碱指示剂,pH,盐',
    'g9|金属的化学性质|第八单元|置换反应,活动性顺序,铁',
    'g9|溶液的配制|第九单元|溶质质量分数,溶剂,天平',
    'g10|物质的量|必修一 第二章|摩尔,阿伏加德罗常数,摩尔质量',
    'g10|氧化还原反应|必修一 第一章|电子转移,氧化剂,还原剂',
    'g11|化学反应速率|选择性必修一 第二章|催化剂,浓度,温度',
    'g12|有机化合物的结构|选择性必修三 第一章|同分异构体,官能团,碳原子',
  ],
  biology: [
    'g7|细胞的结构|第二单元|细胞膜,细胞核,显微镜',
    'g7|光合作用|第三单元|叶绿体,二氧化碳,淀粉,实验',
    'g8|生态系统|第一单元|食物链,生产者,分解者',
    'g8|遗传与变异|第七单元|基因,染色体,性状',
    'g7|人体的血液循环|第四单元|心脏,动脉,静脉',
    'g10|细胞呼吸|必修一 第五章|有氧呼吸,线粒体,能量',
    'g11|基因的表达|必修二 第四章|转录,翻译,蛋白质',
  ],
  chinese: [
    'g1|拼音 ɑ o e|汉语拼音|声母,韵母,四声',
    'g3|古诗三首|第一单元|古诗,朗读,意境',
    'g4|观潮|第一单元|钱塘江,描写,顺序',
    'g5|《草船借箭》|第二单元|诸葛亮,人物形象,三国演义',
    'g6|古诗词诵读|第一单元|古诗词,鉴赏,诗词',
    'g7|《春》|第一单元|朱自清,散文,修辞',
    'g7|《论语》十二章|第三单元|孔子,文言文,学而',
    'g8|《背影》|第四单元|朱自清,父爱,细节描写',
    'g8|《桃花源记》|第三单元|陶渊明,文言文,理想社会',
    'g9|《岳阳楼记》|第三单元|范仲淹,先天下之忧而忧,文言文',
    'g9|记叙文写作|写作|记叙文,细节,中考作文',
    'g10|《红楼梦》整本书阅读|第七单元|曹雪芹,人物关系,整本书阅读',
    'g11|古诗词鉴赏|古诗词诵读|意象,意境,炼字,诗词',
    'g12|议论文写作|写作|论点,论据,论证',
  ],
  english: [
    'g3|Unit 1 Hello!|Unit 1|greetings,字母,对话',
    'g5|Unit 3 What would you like?|Unit 3|food,drink,情景对话',
    "g7|Unit 1 My name's Gina.|Unit 1|be动词,自我介绍,词汇",
    'g8|一般过去时|语法|过去式,规则动词,时间状语',
    'g8|英语阅读理解策略|阅读|主旨大意,细节理解,推理判断',
    'g9|英语书面表达：书信|写作|书信格式,连接词,中考英语',
    'g10|定语从句|语法|关系代词,先行词,从句',
    'g11|英语听力训练|听力|听力策略,关键词,速记',
  ],
  history: [
    'g7|秦统一中国|第三单元|秦始皇,郡县制,统一文字',
    'g7|丝绸之路|第三单元|张骞,西域,贸易',
    'g8|鸦片战争|第一单元|林则徐,虎门销烟,南京条约',
    'g8|辛亥革命|第三单元|孙中山,武昌起义,中华民国',
    'g9|工业革命|第七单元|瓦特,蒸汽机,工厂制度',
    'g10|中华文明的起源|第一单元|考古,良渚,文明',
  ],
  geography: [
    'g7|地球的运动|第一章|自转,公转,昼夜交替',
    'g8|中国的气候|第二章|季风,气温,降水',
    'g8|中国的河流|第二章|长江,黄河,水文特征',
    'g10|水循环|必修一 第三章|蒸发,径流,降水',
    'g11|人口与城市|必修二 第二章|城镇化,人口迁移,城市功能',
  ],
  morality_law: [
    'g7|友谊的天空|第二单元|友谊,交友,尊重',
    'g8|宪法是根本法|第一单元|宪法,公民权利,法治',
    'g8|做守法的公民|第五单元|法律,违法,预防犯罪',
    'g5|我们的国土 我们的家园|第三单元|国土,民族,家园',
  ],
  science: [
    'g3|植物的一生|第一单元|种子,发芽,生长',
    'g4|简单电路|第二单元|电路,电池,小灯泡,开关',
    'g5|太阳系|第三单元|行星,地球,月相',
    'g6|水的三态变化|第一单元|蒸发,凝结,温度',
  ],
  it: [
    'g5|算法与流程图|第二单元|算法,流程图,顺序结构',
    'g7|数据与编码|第一单元|二进制,编码,数据',
    'g8|Python程序设计入门|第三单元|Python,变量,循环',
    'g10|人工智能初步|必修一 第五章|机器学习,数据集,模型',
  ],
  music: ['g4|《茉莉花》欣赏|第三单元|民歌,旋律,江苏', 'g2|节奏与节拍|第一单元|四分音符,拍子,打击乐'],
  art: ['g3|色彩的冷暖|第二课|冷色,暖色,调色', 'g8|中国山水画|第四单元|笔墨,皴法,留白', 'g5|剪纸艺术|第六课|对称,窗花,民间艺术'],
  pe: ['g4|立定跳远|田径|摆臂,起跳,落地', 'g7|篮球运球|球类|运球,变向,控球', 'g2|广播体操|体操|节拍,队列,动作要领'],
  labor: ['g3|整理与收纳|日常生活劳动|分类,收纳,整理', 'g5|校园种植|生产劳动|播种,浇水,观察记录', 'g8|家常菜烹饪|日常生活劳动|刀工,火候,营养'],
  psychology: ['g6|情绪管理|心理健康|情绪,调节,倾诉', 'g8|学会沟通|心理健康|倾听,表达,同伴关系'],
  calligraphy: ['g4|楷书基本笔画|书法练习|横,竖,撇捺,笔画'],
  practice: ['g7|研学旅行：走进湿地|综合实践|湿地,观察,研学', 'g5|社区调查|综合实践|问卷,访谈,调查报告'],
};

function stageOf(grade: string): StageCode {
  const n = Number(grade.slice(1));
  return n <= 6 ? 'primary' : n <= 9 ? 'junior' : 'senior';
}

export const TOPICS: Topic[] = Object.entries(TOPIC_LINES).flatMap(([subject, lines]) =>
  lines.map((l) => {
    const [grade, name, chapter, words] = l.split('|') as [string, string, string, string];
    return { subject, stage: stageOf(grade), grade, name, chapter, words: words.split(',') };
  }),
);

const subjectLabel = (s: string) => SUBJECTS.label(s);
const gradeLabel = (g: string) => GRADES.label(g);

/** Title templates per kind ({t} topic, {g} grade, {s} subject). */
const TITLES: Record<ResourceKind, string[]> = {
  lesson_video: ['《{t}》课例（{g}）', '{t} 课堂实录', '{t} 公开课课例', '{t} 示范课'],
  lesson_plan: ['《{t}》教学设计', '{t} 教案', '{t} 第一课时教学设计', '《{t}》大单元教学设计'],
  courseware: ['{t} 课件', '《{t}》教学课件', '{t} 复习课件'],
  micro_lesson: ['{t} 微课', '5分钟微课：{t}', '{t} 重难点微课'],
  exam: ['{t} 单元测试卷', '{t} 课时练习', '{g}{s} {t} 分层作业设计', '{t} 期中复习题'],
  school_course: ['校本课程：{t}拓展', '{s}校本课程 —— 走进{t}', '{t} 校本课程资源包'],
  case_collection: ['{s}教学案例集：{t}', '{t} 教学案例与反思', '{g}{s}优秀案例集'],
  research: ['“{t}”教学中的问题链设计研究', '基于核心素养的{t}教学实践研究', '{t} 教研成果：同课异构报告'],
};

const DESCRIPTIONS = [
  '本资源围绕“{t}”设计，紧扣课程标准，包含教学目标、重难点分析和课堂活动，适合{g}{s}教师直接用于课堂或集体备课参考。',
  '由集团骨干教师开发，经学科组研讨修改。{t}部分设计了分层任务，兼顾基础薄弱学生和学有余力的学生。',
  '{s}学科组联合教研成果，{t}一课采用问题驱动，配套练习与评价量表，农村学校可结合本校学情调整使用。',
  '适用于{g}，可用于新授课或复习课。资源说明了{t}的教学流程、板书设计和课后作业设计。',
];

const PARAGRAPHS = [
  '一、教学目标：理解{t}的基本概念，掌握{w1}和{w2}的关系，能运用所学知识解决实际问题，发展学科核心素养。',
  '二、教学重点与难点：重点是{w1}；难点是{w2}与{w3}的综合运用。教学中通过小组合作和动手操作突破难点。',
  '三、学情分析：{g}学生已具备一定的基础，但对{w2}的理解容易停留在表面，需要借助具体情境和直观演示。',
  '四、教学过程：（一）情境导入，提出问题；（二）自主探究{w1}；（三）合作交流，归纳{w3}；（四）当堂检测，分层练习。',
  '五、板书设计：{t} —— {w1} / {w2} / {w3}。',
  '六、作业设计：基础题巩固{w1}，提高题综合运用{w2}，拓展题联系生活实际，落实“双减”要求，控制作业总量。',
  '七、教学反思：本课{w3}环节学生参与度高，{w2}部分个别学生仍有困难，下一课时需要补充针对性练习。',
];

const COMMENTS = [
  '设计很实用，已在我们班试用，学生反馈很好。',
  '课件条理清晰，重难点突出，感谢分享！',
  '作业分层做得好，适合我们农村学校的学情。',
  '视频清晰，教学节奏把握得很好，值得学习。',
  '建议补充一些课后拓展练习。',
  '集体备课时参考了这份资源，很有启发。',
  '板书设计很有特色，借鉴了。',
  '试题难度适中，答案解析详细。',
];

const RETURN_COMMENTS = [
  '教学目标表述需更具体，请对照课标修改后再提交。',
  '课件中部分图片版权不明，请替换后重新提交。',
  '作业量偏大，不符合“双减”要求，请精简。',
  '视频声音偏小，请重新录制或处理后提交。',
];

function fill(template: string, t: Topic, rng: Rng): string {
  const w = rng.shuffle(t.words);
  return template
    .replaceAll('{t}', t.name)
    .replaceAll('{g}', gradeLabel(t.grade))
    .replaceAll('{s}', subjectLabel(t.subject))
    .replaceAll('{w1}', w[0] ?? t.name)
    .replaceAll('{w2}', w[1] ?? w[0] ?? t.name)
    .replaceAll('{w3}', w[2] ?? w[0] ?? t.name);
}

export interface GeneratedResource {
  kind: ResourceKind;
  topic: Topic;
  title: string;
  description: string;
  tags: string[];
  chapter: string;
  edition: string;
  difficulty: string;
  /** paragraphs of the main document */
  paragraphs: string[];
}

const KIND_WEIGHTS: [ResourceKind, number][] = [
  ['lesson_plan', 26],
  ['courseware', 20],
  ['exam', 16],
  ['micro_lesson', 12],
  ['lesson_video', 10],
  ['case_collection', 5],
  ['research', 6],
  ['school_course', 5],
];

function weighted<T>(rng: Rng, items: [T, number][]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let x = rng.float() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1]![0];
}

/** One resource's metadata and text from the vocabulary (used by the demo seed and the search benchmark). */
export function generateResource(rng: Rng, topics: readonly Topic[] = TOPICS, paragraphs = 4, force?: { topic: Topic; kind: ResourceKind }): GeneratedResource {
  const topic = force?.topic ?? rng.pick(topics);
  const kind = force?.kind ?? weighted(rng, KIND_WEIGHTS);
  const title = fill(rng.pick(TITLES[kind]), topic, rng);
  const description = fill(rng.pick(DESCRIPTIONS), topic, rng);
  const tags = [...new Set([subjectLabel(topic.subject), gradeLabel(topic.grade), ...rng.sample(topic.words, 2)])];
  const start = rng.int(0, PARAGRAPHS.length - paragraphs);
  const paras = PARAGRAPHS.slice(start, start + paragraphs).map((p) => fill(p, topic, rng));
  const edition = topic.subject === 'english' ? rng.pick(['pep', 'waiyan']) : rng.pick(['tongbian', 'pep', 'pep', 'bnu', 'sujiao']);
  return {
    kind,
    topic,
    title,
    description,
    tags,
    chapter: topic.chapter,
    edition,
    difficulty: rng.pick(['basic', 'medium', 'medium', 'advanced']),
    paragraphs: paras,
  };
}

// ---------------------------------------------------------------------------------------------
// Demo seed
// ---------------------------------------------------------------------------------------------

/** Published demo resources whose words are found inside their files (欧姆定律 → 电路, 等差数列 → 函数). */
const SHOWCASE: { topic: string; kind: ResourceKind }[] = [
  { topic: '二次函数的图像与性质', kind: 'lesson_plan' },
  { topic: '串联和并联电路', kind: 'courseware' },
  { topic: '欧姆定律', kind: 'lesson_plan' },
  { topic: '等差数列', kind: 'lesson_plan' },
  { topic: '古诗词鉴赏', kind: 'micro_lesson' },
  { topic: '光合作用', kind: 'lesson_video' },
];

/** The demo account 陈晓燕 (username teacher). */
const DEMO_TEACHER = 'u_teacher';

type Status = 'draft' | 'submitted' | 'in_review' | 'returned' | 'published' | 'withdrawn' | 'archived' | 'revising';

const STATUS_WEIGHTS: [Status, number][] = [
  ['published', 64],
  ['draft', 8],
  ['submitted', 4],
  ['in_review', 7],
  ['returned', 6],
  ['withdrawn', 3],
  ['archived', 4],
  ['revising', 4],
];

const STAGES_OF_TYPE: Record<string, StageCode[]> = {
  primary: ['primary'],
  junior: ['junior'],
  senior: ['senior'],
  nine_year: ['primary', 'junior'],
  complete_secondary: ['junior', 'senior'],
  twelve_year: ['primary', 'junior', 'senior'],
  teaching_point: ['primary'],
  special: ['primary'],
};

export interface SeedResourcesSummary {
  resources: number;
  files: number;
  indexed: number;
  ms: number;
}

interface FileSpec {
  role: string;
  name: string;
  mime: string;
  body: Buffer;
  text: string | null;
}

function filesFor(kind: ResourceKind, g: GeneratedResource, n: number, pdfOnly = false): FileSpec[] {
  const pdf = (title: string, paras: string[], role = 'main', name = `${title}.pdf`): FileSpec => ({
    role,
    name: safeName(name),
    mime: 'application/pdf',
    body: makePdf({ title, paragraphs: paras }),
    text: tidyText([title, ...paras].join('\n\n')),
  });
  if (pdfOnly && kind !== 'lesson_video' && kind !== 'micro_lesson') return [pdf(g.title, g.paragraphs)];
  switch (kind) {
    case 'lesson_video':
    case 'micro_lesson': {
      const video = sampleVideo(n);
      if (video) return [{ role: 'main', name: safeName(`${g.title}.mp4`), mime: 'video/mp4', body: video, text: null }];
      return [pdf(g.title, g.paragraphs)];
    }
    case 'courseware':
      return n % 4 === 0 ? [{ role: 'main', name: safeName(`${g.title}.png`), mime: 'image/png', body: cover(n), text: null }] : [pdf(g.title, g.paragraphs)];
    case 'lesson_plan':
    case 'case_collection':
      if (n % 3 === 0) {
        return [
          {
            role: 'main',
            name: safeName(`${g.title}.docx`),
            mime: DOCX_MIME,
            body: makeDocx({ title: g.title, paragraphs: g.paragraphs }),
            text: tidyText([g.title, ...g.paragraphs].join('\n\n')),
          },
        ];
      }
      return [pdf(g.title, g.paragraphs)];
    case 'school_course':
      return [
        pdf(`${g.title} 课程纲要`, [`课程目标：${g.description}`, ...g.paragraphs.slice(0, 2)], 'outline', '课程纲要.pdf'),
        pdf(`第1课时 ${g.topic.name}`, g.paragraphs.slice(1), 'lesson', '第1课时.pdf'),
        { role: 'material', name: '活动材料封面.png', mime: 'image/png', body: cover(n + 3), text: null },
      ];
    default:
      return [pdf(g.title, g.paragraphs)];
  }
}

const covers = new Map<number, Buffer>();
/** A cover image; 24 variants (colour × chart), made once. */
function cover(n: number): Buffer {
  const k = n % 24;
  let png = covers.get(k);
  if (!png) {
    const bars = [0, 1, 2, 3, 4, 5].map((i) => (((k + 2) * (i + 3) * 37) % 85) / 100 + 0.15);
    png = makeCoverPng({ colour: k, bars });
    covers.set(k, png);
  }
  return png;
}

/** File names as a user would give them, without characters that are awkward in downloads. */
const safeName = (s: string) =>
  s
    .replace(/[\\/:*?"<>|《》“”]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);

/**
 * Seeds the demo resources into a database that has the demo region (run by seedDemo). Files are
 * stored first, then all rows go in one transaction (a failure leaves only unreferenced files).
 */
export async function seedResources(database: Database, storage: Storage, opts: { today: string; count?: number }): Promise<SeedResourcesSummary> {
  const started = Date.now();
  const { db, dialect } = database;
  const today = opts.today;
  const count = opts.count ?? 320;
  if (await db.selectFrom('resources').select('id').limit(1).executeTakeFirst()) return { resources: 0, files: 0, indexed: 0, ms: 0 };

  // ---- the region as seeded ----
  const regions = await db.selectFrom('regions').select(['id', 'level', 'parent_id']).execute();
  const cityOf = new Map(regions.map((r) => [r.id, r.level === 'district' && r.parent_id ? r.parent_id : r.id]));
  const schools = await db.selectFrom('schools').select(['id', 'type', 'region_id', 'name']).orderBy('id').execute();
  const members = await db
    .selectFrom('alliance_members as m')
    .innerJoin('alliances as a', 'a.id', 'm.alliance_id')
    .select(['m.school_id', 'm.alliance_id'])
    .where('m.status', '=', 'active')
    .where('a.status', '=', 'active')
    .orderBy('m.alliance_id')
    .orderBy('m.school_id')
    .execute();
  const grants = await db.selectFrom('role_grants').select(['user_id', 'role', 'scope_id', 'subject']).orderBy('id').execute();
  const allianceOf = new Map<string, string>();
  const schoolsOf = new Map<string, string[]>();
  for (const m of members) {
    if (!allianceOf.has(m.school_id)) allianceOf.set(m.school_id, m.alliance_id);
    schoolsOf.set(m.alliance_id, [...(schoolsOf.get(m.alliance_id) ?? []), m.school_id]);
  }
  const teachersOf = new Map<string, string[]>();
  const reviewersOf = new Map<string, { user: string; subject: string | null }[]>();
  const adminsOf = new Map<string, string[]>();
  for (const g of grants) {
    if (!g.scope_id) continue;
    if (g.role === 'teacher') teachersOf.set(g.scope_id, [...(teachersOf.get(g.scope_id) ?? []), g.user_id]);
    if (g.role === 'reviewer') reviewersOf.set(g.scope_id, [...(reviewersOf.get(g.scope_id) ?? []), { user: g.user_id, subject: g.subject }]);
    if (g.role === 'alliance_admin') adminsOf.set(g.scope_id, [...(adminsOf.get(g.scope_id) ?? []), g.user_id]);
  }
  const eligible = schools.filter((s) => allianceOf.has(s.id) && STAGES_OF_TYPE[s.type] && (teachersOf.get(s.id)?.length ?? 0) > 0);
  if (!eligible.length) return { resources: 0, files: 0, indexed: 0, ms: Date.now() - started };
  const schoolById = new Map(schools.map((s) => [s.id, s]));
  // the first alliance (the demo's 教育集团) gets half of everything; its core school is prolific
  const firstAlliance = members[0]!.alliance_id;
  const inFirst = eligible.filter((s) => allianceOf.get(s.id) === firstAlliance);

  // the demo account "teacher" authors some (my resources, returned work, uses by others)
  const demoTeacherGrant = grants.find((g) => g.user_id === DEMO_TEACHER && g.role === 'teacher');
  const demoTeacherSchool = demoTeacherGrant ? (eligible.find((s) => s.id === demoTeacherGrant.scope_id) ?? null) : null;

  const rng = new Rng('demo/resources');
  const rows = {
    resources: [] as Insertable<DB['resources']>[],
    authors: [] as Insertable<DB['resource_authors']>[],
    versions: [] as Insertable<DB['resource_versions']>[],
    files: [] as Insertable<DB['resource_files']>[],
    reviews: [] as Insertable<DB['resource_reviews']>[],
    assignments: [] as Insertable<DB['resource_review_assignments']>[],
    history: [] as Insertable<DB['resource_status_history']>[],
    ratings: [] as Insertable<DB['resource_ratings']>[],
    comments: [] as Insertable<DB['resource_comments']>[],
    favourites: [] as Insertable<DB['resource_favourites']>[],
    uses: [] as Insertable<DB['resource_uses']>[],
    contributions: [] as Insertable<DB['resource_contributions']>[],
    rewards: [] as Insertable<DB['resource_use_rewards']>[],
    notifications: [] as Insertable<DB['resource_notifications']>[],
  };
  const blobs: { key: string; body: Buffer; fileIndex: number }[] = [];
  const fts: FtsDoc[] = [];
  const serial = { hist: 0, file: 0, ver: 0, misc: 0 };
  const hid = (p: string) => `${p}_${pad(++serial.misc, 6)}`;

  for (let i = 0; i < count; i++) {
    const id = `rs_${pad(i + 1, 5)}`;
    // school: half in the first alliance (a third of those at its core school), the rest anywhere
    let school = rng.chance(0.5) ? rng.pick(inFirst.length ? inFirst : eligible) : rng.pick(eligible);
    if (i % 6 === 0 && inFirst.length) school = inFirst[0]!;
    const demoTeacher = i % 16 === 1 && demoTeacherSchool ? demoTeacherSchool : null;
    if (demoTeacher) school = demoTeacher;
    // the first few are fixed showcase resources (published) at a school of the right stage
    const show = SHOWCASE[i];
    const showTopic = show ? TOPICS.find((t) => t.name === show.topic) : undefined;
    if (show && showTopic) {
      const fits = (s: (typeof eligible)[number]) => STAGES_OF_TYPE[s.type]!.includes(showTopic.stage);
      school = inFirst.find(fits) ?? eligible.find(fits) ?? school;
    }
    const stages = STAGES_OF_TYPE[school.type]!;
    const topics = TOPICS.filter((t) => stages.includes(t.stage));
    const g = generateResource(rng, topics, 4, show && showTopic && stages.includes(showTopic.stage) ? { topic: showTopic, kind: show.kind } : undefined);
    const teachers = teachersOf.get(school.id)!;
    const author = demoTeacher ? DEMO_TEACHER : rng.pick(teachers);
    const alliance = allianceOf.get(school.id)!;
    let status: Status = show ? 'published' : weighted(rng, STATUS_WEIGHTS);
    const created = addDays(today, -rng.int(12, 420));
    const at = (day: string, minutes: number) => instant(day, 60 + (minutes % 600));
    const createdAt = at(created, i * 7);
    const reviewers = reviewersOf.get(alliance) ?? [];
    const subjectReviewer = reviewers.find((r) => r.subject === g.topic.subject && r.user !== author) ?? reviewers.find((r) => r.user !== author);
    const decider = subjectReviewer?.user ?? (adminsOf.get(alliance) ?? [])[0] ?? null;
    if (!decider && status !== 'draft') status = 'submitted';
    if (status === 'in_review' && !subjectReviewer) status = 'submitted';
    const visibility = weighted(rng, [
      ['alliance', 55],
      ['region', 25],
      ['public', 12],
      ['school', 8],
    ] as [string, number][]);
    const licence = weighted(rng, [
      ['cc_by_nc_sa', 30],
      ['alliance_only', 25],
      ['cc_by', 15],
      ['cc_by_nc', 15],
      ['cc_by_sa', 8],
      ['cc_by_nc_nd', 7],
    ] as [string, number][]);

    // versions: v1 (+ v2 when a published resource is being revised)
    const v1 = `rv_${pad(++serial.ver, 6)}`;
    const submittedDay = addDays(created, rng.int(0, 4));
    const decidedDay = addDays(submittedDay, rng.int(1, 6));
    const wasPublished = ['published', 'withdrawn', 'archived', 'revising'].includes(status);
    rows.versions.push({
      id: v1,
      resource_id: id,
      number: 1,
      note: null,
      created_by: author,
      created_at: createdAt,
      published_at: wasPublished ? at(decidedDay, i) : null,
    });
    let v2: string | null = null;
    const reviseDay = addDays(decidedDay, rng.int(5, 30));
    if (status === 'revising') {
      v2 = `rv_${pad(++serial.ver, 6)}`;
      rows.versions.push({
        id: v2,
        resource_id: id,
        number: 2,
        note: '根据使用反馈补充了分层练习',
        created_by: author,
        created_at: at(reviseDay, i),
        published_at: null,
      });
    }

    // files
    const hasFiles = !(status === 'draft' && i % 3 === 0);
    const specs = hasFiles ? filesFor(g.kind, g, i, !!show) : [];
    const texts: string[] = [];
    for (const [vid, list] of [[v1, specs], ...(v2 ? [[v2, specs.slice(0, 1)]] : [])] as [string, FileSpec[]][]) {
      list.forEach((f, pos) => {
        const fid = `rf_${pad(++serial.file, 6)}`;
        const key = `resources/${id}/${fid}`;
        rows.files.push({
          id: fid,
          resource_id: id,
          version_id: vid,
          role: f.role,
          position: pos,
          storage_key: key,
          name: f.name,
          mime: f.mime,
          size: 0,
          sha256: '',
          text: f.text,
          text_extracted: f.text !== null ? 1 : 0,
          pdf_key: null,
          created_at: vid === v1 ? createdAt : at(reviseDay, i),
        });
        blobs.push({ key, body: f.body, fileIndex: rows.files.length - 1 });
        if (vid === v1 && f.text) texts.push(f.text);
      });
    }

    // workflow
    const hist = (from: string | null, to: string, step: string, actor: string | null, day: string, comment: string | null = null) =>
      rows.history.push({ resource_id: id, from_status: from, to_status: to, step, actor_id: actor, comment, at: at(day, ++serial.hist) });
    hist(null, 'draft', 'create', author, created);
    let finalStatus: string = status === 'revising' ? 'in_review' : status;
    let reviewer: string | null = null;
    let submittedAt: string | null = null;
    let publishedAt: string | null = null;
    if (status !== 'draft') {
      submittedAt = at(submittedDay, i + 30);
      hist('draft', 'submitted', 'submit', author, submittedDay);
      const assignee = subjectReviewer?.user ?? null;
      if (assignee) {
        hist('submitted', 'in_review', 'assign', null, submittedDay);
        reviewer = assignee;
      }
      const scores = Object.fromEntries(RUBRICS[g.kind].map((r) => [r.code, status === 'returned' ? rng.int(2, 3) : rng.int(4, 5)]));
      const vals = Object.values(scores);
      const average = Math.round((vals.reduce((a, b) => a + b, 0) / vals.length) * 100) / 100;
      if (status === 'returned') {
        const comment = rng.pick(RETURN_COMMENTS);
        rows.reviews.push({
          id: hid('rr'),
          resource_id: id,
          version_id: v1,
          reviewer_id: decider!,
          scores: toJson(scores),
          average,
          decision: 'return',
          comment,
          created_at: at(decidedDay, i),
        });
        if (assignee)
          rows.assignments.push({
            id: hid('ra'),
            resource_id: id,
            version_id: v1,
            reviewer_id: assignee,
            assigned_at: submittedAt,
            done_at: at(decidedDay, i),
            decision: 'return',
          });
        hist(assignee ? 'in_review' : 'submitted', 'returned', 'return', decider, decidedDay, comment);
        rows.notifications.push({
          user_id: author,
          kind: 'returned',
          resource_id: id,
          title: `资源被退回修改：${g.title}`,
          body: comment,
          created_at: at(decidedDay, i),
          read_at: null,
        });
        reviewer = decider;
      } else if (status === 'in_review' || status === 'submitted') {
        if (assignee) {
          rows.assignments.push({
            id: hid('ra'),
            resource_id: id,
            version_id: v1,
            reviewer_id: assignee,
            assigned_at: submittedAt,
            done_at: null,
            decision: null,
          });
          rows.notifications.push({
            user_id: assignee,
            kind: 'assigned',
            resource_id: id,
            title: `待审核：${g.title}`,
            body: `${subjectLabel(g.topic.subject)} · ${RESOURCE_KINDS.label(g.kind)}`,
            created_at: submittedAt,
            read_at: null,
          });
          finalStatus = 'in_review';
        } else {
          finalStatus = 'submitted';
        }
      } else {
        // published (then maybe withdrawn / archived / revised)
        publishedAt = at(decidedDay, i);
        rows.reviews.push({
          id: hid('rr'),
          resource_id: id,
          version_id: v1,
          reviewer_id: decider!,
          scores: toJson(scores),
          average,
          decision: 'publish',
          comment: average >= 4.5 ? '优秀资源，建议集团内推广使用。' : null,
          created_at: publishedAt,
        });
        if (assignee)
          rows.assignments.push({
            id: hid('ra'),
            resource_id: id,
            version_id: v1,
            reviewer_id: assignee,
            assigned_at: submittedAt,
            done_at: publishedAt,
            decision: 'publish',
          });
        hist(assignee ? 'in_review' : 'submitted', 'published', 'publish', decider, decidedDay);
        rows.notifications.push({
          user_id: author,
          kind: 'published',
          resource_id: id,
          title: `资源已发布：${g.title}`,
          body: null,
          created_at: publishedAt,
          read_at: publishedAt,
        });
        reviewer = decider;
        if (status === 'withdrawn' || status === 'archived') {
          const day = addDays(decidedDay, rng.int(10, 60));
          hist('published', status, status === 'withdrawn' ? 'withdraw' : 'archive', author, day, status === 'archived' ? '教材版本更新，归档旧版' : null);
        }
        if (status === 'revising') {
          hist('published', 'submitted', 'submit', author, reviseDay, '第2版：补充分层练习');
          reviewer = assignee;
          if (assignee) {
            hist('submitted', 'in_review', 'assign', null, reviseDay);
            rows.assignments.push({
              id: hid('ra'),
              resource_id: id,
              version_id: v2,
              reviewer_id: assignee,
              assigned_at: at(reviseDay, i),
              done_at: null,
              decision: null,
            });
          } else {
            finalStatus = 'submitted';
          }
        }
      }
    }

    // use and feedback (only what others could see: live resources)
    const live = wasPublished && status !== 'withdrawn' && status !== 'archived';
    const liveOnce = wasPublished; // withdrawn/archived ones were used while they were published
    let ratingSum = 0;
    let ratingCount = 0;
    let uses = 0;
    let views = 0;
    let downloads = 0;
    if (liveOnce && publishedAt) {
      const peers = (schoolsOf.get(alliance) ?? []).filter((s) => s !== school.id);
      const pool = [...new Set(peers.flatMap((s) => teachersOf.get(s) ?? []))].filter((u) => u !== author);
      const popularity = school.id === inFirst[0]?.id ? 1.6 : 1;
      const raters = rng.sample(pool, Math.min(pool.length, Math.round(rng.int(0, 7) * popularity)));
      const publishedDay = decidedDay;
      const span = Math.max(1, Math.round((Date.parse(today) - Date.parse(publishedDay)) / 86_400_000) - 1);
      for (const u of raters) {
        const stars = weighted(rng, [
          [5, 45],
          [4, 35],
          [3, 15],
          [2, 5],
        ] as [number, number][]);
        const day = addDays(publishedDay, rng.int(1, span));
        rows.ratings.push({ resource_id: id, user_id: u, stars, created_at: at(day, stars), updated_at: at(day, stars) });
        ratingSum += stars;
        ratingCount++;
      }
      for (const u of rng.sample(pool, Math.min(pool.length, rng.int(0, 2)))) {
        const day = addDays(publishedDay, rng.int(1, span));
        rows.comments.push({
          id: hid('rc'),
          resource_id: id,
          user_id: u,
          body: rng.pick(COMMENTS),
          created_at: at(day, 5),
          deleted_at: null,
          deleted_by: null,
        });
      }
      for (const u of rng.sample(pool, Math.min(pool.length, rng.int(0, 3)))) {
        rows.favourites.push({ resource_id: id, user_id: u, created_at: at(addDays(publishedDay, rng.int(1, span)), 9) });
      }
      const users = rng.sample(pool, Math.min(pool.length, Math.round(rng.int(0, 5) * popularity)));
      for (const u of users) {
        const day = addDays(publishedDay, rng.int(1, span));
        const useId = hid('ru');
        const userSchool = [...teachersOf.entries()].find(([, list]) => list.includes(u))?.[0] ?? null;
        rows.uses.push({
          id: useId,
          resource_id: id,
          version_id: v1,
          user_id: u,
          school_id: userSchool,
          class_note: rng.chance(0.5) ? `${gradeLabel(g.topic.grade)}${rng.int(1, 8)}班` : null,
          used_on: day,
          created_at: at(day, 11),
        });
        uses++;
        if (userSchool && userSchool !== school.id) {
          rows.contributions.push({
            id: hid('rk'),
            resource_id: id,
            use_id: useId,
            owner_school_id: school.id,
            author_id: author,
            using_school_id: userSchool,
            alliance_id: alliance,
            at: at(day, 11),
            transaction_id: null,
            amount: 0,
          });
          // the one reward per user and resource is taken (migration 009)
          rows.rewards.push({ resource_id: id, user_id: u, use_id: useId, created_at: at(day, 11) });
        }
      }
      views = ratingCount + uses + rng.int(3, 60);
      downloads = Math.min(views, uses + rng.int(0, 15));
    }

    rows.resources.push({
      id,
      kind: g.kind,
      title: g.title,
      description: g.description,
      subject: g.topic.subject,
      stage: g.topic.stage,
      grade: g.topic.grade,
      textbook_edition: TEXTBOOK_EDITIONS.codes.includes(g.edition as never) ? g.edition : null,
      chapter: g.chapter,
      difficulty: g.difficulty,
      tags: toJson(g.tags),
      language: g.topic.subject === 'english' ? 'bilingual' : 'zh',
      licence,
      visibility,
      alliance_id: alliance,
      school_id: school.id,
      region_id: cityOf.get(schoolById.get(school.id)!.region_id) ?? school.region_id,
      created_by: author,
      status: finalStatus,
      current_version_id: wasPublished ? v1 : null,
      draft_version_id: wasPublished ? v2 : v1,
      reviewer_id: reviewer,
      submitted_at: submittedAt,
      published_at: publishedAt,
      views,
      downloads,
      uses,
      rating_sum: ratingSum,
      rating_count: ratingCount,
      created_at: createdAt,
      updated_at: rows.history[rows.history.length - 1]!.at!,
    });
    rows.authors.push({ id: hid('rau'), resource_id: id, user_id: author, name: '', position: 0 });
    if (live) {
      fts.push({ id, title: g.title, body: [g.description, g.tags.join(' '), g.chapter, ...texts].filter(Boolean).join('\n') });
    }
  }

  // author display names
  const names = new Map(
    (
      await db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('id', 'in', [...new Set(rows.authors.map((a) => a.user_id!))])
        .execute()
    ).map((u) => [u.id, u.display_name]),
  );
  for (const a of rows.authors) a.name = names.get(a.user_id!) ?? '';

  // files first (a failed transaction leaves only unreferenced files, never rows without files)
  let next = 0;
  const worker = async () => {
    while (next < blobs.length) {
      const b = blobs[next++]!;
      const stored = await storage.put(b.key, b.body);
      rows.files[b.fileIndex]!.size = stored.size;
      rows.files[b.fileIndex]!.sha256 = stored.sha256;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  await db.transaction().execute(async (tx) => {
    await insertBatched(tx, 'resources', rows.resources, 200);
    await insertBatched(tx, 'resource_authors', rows.authors);
    await insertBatched(tx, 'resource_versions', rows.versions);
    await insertBatched(tx, 'resource_files', rows.files, 200);
    await insertBatched(tx, 'resource_reviews', rows.reviews);
    await insertBatched(tx, 'resource_review_assignments', rows.assignments);
    await insertBatched(tx, 'resource_status_history', rows.history);
    await insertBatched(tx, 'resource_ratings', rows.ratings);
    await insertBatched(tx, 'resource_comments', rows.comments);
    await insertBatched(tx, 'resource_favourites', rows.favourites);
    await insertBatched(tx, 'resource_uses', rows.uses);
    await insertBatched(tx, 'resource_contributions', rows.contributions);
    await insertBatched(tx, 'resource_use_rewards', rows.rewards);
    await insertBatched(tx, 'resource_notifications', rows.notifications);
    await ftsInsertMany(tx, dialect, fts);
  });
  return { resources: rows.resources.length, files: rows.files.length, indexed: fts.length, ms: Date.now() - started };
}
