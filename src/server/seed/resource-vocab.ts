/**
 * The vocabulary of the demo resources: topics per subject and stage, title, description and text templates,
 * comments, and `generateResource`, which makes one resource's metadata and text from them. The demo seed
 * (seed/resources.ts) and the search benchmark (bench/search.ts, 200,000 resources) both use it.
 */
import { SUBJECTS } from '../../common/vocab.js';
import { GRADES, type ResourceKind } from '../../common/resources.js';
import type { Rng } from './random.js';

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

export const subjectLabel = (s: string) => SUBJECTS.label(s);
export const gradeLabel = (g: string) => GRADES.label(g);

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

export const COMMENTS = [
  '设计很实用，已在我们班试用，学生反馈很好。',
  '课件条理清晰，重难点突出，感谢分享！',
  '作业分层做得好，适合我们农村学校的学情。',
  '视频清晰，教学节奏把握得很好，值得学习。',
  '建议补充一些课后拓展练习。',
  '集体备课时参考了这份资源，很有启发。',
  '板书设计很有特色，借鉴了。',
  '试题难度适中，答案解析详细。',
];

export const RETURN_COMMENTS = [
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

export function weighted<T>(rng: Rng, items: [T, number][]): T {
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
