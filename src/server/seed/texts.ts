/** Markdown texts of the demo charters and agreements (UTF-8, zh-CN). */
import { ALLIANCE_KINDS, ALLIANCE_PATTERNS, TERM_KINDS } from '../../common/vocab.js';

export interface AgreementTerm {
  kind: string;
  op: '>=' | '<=' | '=' | 'between';
  value: number;
  value2?: number;
  unit?: string;
  note?: string;
}

export interface CharterInput {
  allianceName: string;
  kind: string;
  pattern: string;
  coreSchool: string;
  members: string[];
  regionName: string;
  foundedOn: string;
  version: number;
  effectiveFrom: string;
  costShare: [number, number];
}

const cnDate = (d: string): string => {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

export function charterMarkdown(c: CharterInput): string {
  const kindZh = ALLIANCE_KINDS.label(c.kind);
  const patternZh = ALLIANCE_PATTERNS.label(c.pattern);
  const fusion = c.kind === 'fusion';
  const revised = c.version > 1 ? `（${cnDate(c.effectiveFrom)}修订，第${c.version}版）` : '';
  const lines = [
    `# ${c.allianceName}章程${revised}`,
    '',
    '## 第一章 总则',
    '',
    `第一条 为推进${c.regionName}义务教育优质均衡发展，扩大优质教育资源覆盖面，根据国家和省有关集团化办学、学校联盟建设的政策要求，结合本地实际，制定本章程。`,
    `第二条 本${fusion ? '集团' : '联盟'}名称为“${c.allianceName}”，办学形式为${kindZh}，结对模式为${patternZh}，成立于${cnDate(c.foundedOn)}。`,
    `第三条 本${fusion ? '集团' : '联盟'}以${c.coreSchool}为核心校（领衔校），成员校包括：${c.members.join('、') || '（待吸纳）'}。`,
    '第四条 坚持“资源共享、优势互补、协同发展、共同提高”的原则，实行理念共享、管理共进、教学共研、师资共育、文化共建、质量共评。',
    '',
    '## 第二章 组织机构',
    '',
    '第五条 设立理事会，为最高决策机构。理事长由核心校校长担任，理事由各成员校校长担任，每届任期三年。',
    '第六条 设立监事会，对理事会决议执行情况和经费使用情况进行监督，监事长由教育行政部门推荐人选担任。',
    '第七条 理事会下设秘书处，负责日常事务、会议组织、信息报送和平台运行；秘书长由理事会聘任。',
    '第八条 设立专家委员会和若干学科工作组（学科教研中心），由承办学校牵头开展联合教研、课程建设和质量评价。',
    '',
    '## 第三章 成员校的权利与义务',
    '',
    '第九条 成员校有权共享课程资源、专用教室、实验室和体育艺术场馆，有权参加联合教研、跨校培训和评优活动。',
    '第十条 成员校应按计划选派教师交流轮岗，核心校每年派出骨干教师比例不低于本校骨干教师总数的10%。',
    '第十一条 各学科工作组每月开展联合教研活动不少于2次，成员校应保证教师参加。',
    '第十二条 成员校应如实填报办学条件和质量数据，按时完成阶段性目标任务，接受年度考核与两年一次的复评。',
    '第十三条 新成员加入须经本人申请、联盟评估、理事会推荐和教育局审批；成员校退出须说明理由并经理事会或教育局决定。',
    '',
    '## 第四章 经费',
    '',
    `第十四条 运行经费由财政专项资金、成员校按在校生人数分担经费和社会捐助构成，分担标准为每生每年${c.costShare[0]}—${c.costShare[1]}元。`,
    '第十五条 经费实行专账管理、专款专用，主要用于联合教研、教师交流补助、课程开发和学生跨校活动，每年向理事会和监事会报告使用情况。',
    '第十六条 资源提供方按共享积分规则获得激励，积分结果纳入学校年度考核和教师评优评先。',
    '',
    '## 第五章 附则',
    '',
    '第十七条 本章程经理事会审议通过，报教育行政部门备案后施行。',
    '第十八条 本章程的修订由理事会三分之二以上理事同意。',
    `第十九条 本章程由${c.allianceName}理事会负责解释，自${cnDate(c.effectiveFrom)}起施行。`,
    '',
  ];
  if (c.version > 1) {
    lines.splice(lines.indexOf('## 第四章 经费') - 1, 0, '第十三条之一 建立成员校动态调整机制：连续两次复评为“薄弱”的成员校，由理事会提出整改意见或调整建议。');
  }
  return lines.join('\n');
}

const opText = (t: AgreementTerm): string => {
  const unit = t.unit ?? '';
  if (t.op === 'between') return `${t.value}—${t.value2}${unit}`;
  const op = { '>=': '不低于', '<=': '不高于', '=': '为' }[t.op];
  return `${op}${t.value}${unit}`;
};

export function agreementMarkdown(a: {
  title: string;
  allianceName: string;
  coreSchool: string;
  members: string[];
  from: string;
  to: string;
  terms: AgreementTerm[];
}): string {
  return [
    `# ${a.title}`,
    '',
    `甲方（核心校）：${a.coreSchool}`,
    `乙方（成员校）：${a.members.join('、') || '（待吸纳）'}`,
    '',
    `为深化${a.allianceName}建设，促进优质教育资源共建共享，经各方协商一致，签订本协议。`,
    '',
    '## 一、合作期限',
    '',
    `自${cnDate(a.from)}起至${cnDate(a.to)}止，共三年。`,
    '',
    '## 二、量化目标',
    '',
    ...a.terms.map((t, i) => `${i + 1}. ${TERM_KINDS.label(t.kind).replace(/\(.*\)$/, '')}${opText(t)}${t.note ? `（${t.note}）` : ''}。`),
    '',
    '## 三、双方责任',
    '',
    '1. 甲方负责输出管理经验、课程资源和骨干教师，牵头组织联合教研与质量监测。',
    '2. 乙方负责选派教师跟岗学习，开放本校特色资源，按时报送办学数据。',
    '',
    '## 四、考核与调整',
    '',
    '每学年末由理事会组织考核，考核结果报教育局备案；未达成目标的，由秘书处督促整改。',
    '',
  ].join('\n');
}
