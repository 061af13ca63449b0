/** The alliance timeline's wording: one line per audited action, in Chinese or English. */

const ACTION_TEXT: Record<string, { zh: string; en: string }> = {
  'alliance.create': { zh: '成立联盟', en: 'Alliance founded' },
  'alliance.update': { zh: '修改联盟信息', en: 'Alliance updated' },
  'alliance.assess': { zh: '完成联盟评估', en: 'Alliance assessed' },
  'alliance.partner_add': { zh: '合作方加入', en: 'Partner joined' },
  'governance.body_create': { zh: '设立治理机构', en: 'Governance body created' },
  'governance.member_add': { zh: '任命治理机构成员', en: 'Body member appointed' },
  'milestone.create': { zh: '新增里程碑', en: 'Milestone added' },
  'milestone.done': { zh: '完成里程碑', en: 'Milestone completed' },
  'milestone.reopen': { zh: '重新打开里程碑', en: 'Milestone reopened' },
  'document.create': { zh: '上传文件', en: 'Document uploaded' },
  'document.version': { zh: '上传文件新版本', en: 'New document version' },
  'application.submit': { zh: '提交入盟申请', en: 'Membership application submitted' },
  'application.evaluate': { zh: '联盟评估', en: 'Alliance evaluation' },
  'application.recommend': { zh: '理事会推荐', en: 'Council recommendation' },
  'application.approve': { zh: '教育局审批通过，成为成员校', en: 'Approved by the bureau: new member' },
  'application.reject': { zh: '入盟申请未通过', en: 'Membership application rejected' },
  'application.withdraw': { zh: '撤回入盟申请', en: 'Application withdrawn' },
  'member.exit': { zh: '成员校退出', en: 'Member school left' },
};

export function describe(action: string, d: Record<string, unknown>, lang: 'zh' | 'en'): string {
  const base = ACTION_TEXT[action]?.[lang] ?? action;
  const what = [d.name, d.school, d.title, d.partner, d.person, d.reason, d.comment].filter((x) => typeof x === 'string' && x).join(' · ');
  return what ? `${base}：${what}` : base;
}
