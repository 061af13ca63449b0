/**
 * The demo alliances as rows (seed/demo-data.ts runs it after the region, schools and accounts): members and
 * exits, partners, governance bodies, charters and agreements with their Markdown files, the current cycle's
 * milestones, assessments, and the membership applications with their decisions. Same input, same rows.
 */
import type { ApplicationDecisionsTable, GovernanceBodiesTable, SchoolsTable, UsersTable } from '../db/schema.js';
import { SUBJECTS, type Role } from '../../common/vocab.js';
import { ALLIANCES, APPLICATIONS, MILESTONES, PARTNERS, type AllianceSpec } from './demo-alliances.js';
import type { DemoData } from './demo-data.js';
import { CITY, DISTRICTS, type SchoolSpec } from './demo-schools.js';
import { Rng, addDays, addMonths, addYears, instant, maxDate, minDate, monthStart, pad, personName, yearOf } from './random.js';
import { agreementMarkdown, charterMarkdown, type AgreementTerm } from './texts.js';

/** What the alliance rows are built from: the rows so far and the helpers of seed/demo-data.ts. */
export interface DemoBuild {
  data: DemoData;
  today: string;
  /** today's year */
  Y: number;
  /** the day the platform went live */
  setupDay: string;
  school: (k: string) => SchoolsTable & { spec: SchoolSpec };
  addUser: (u: {
    id: string;
    username: string;
    name: string;
    schoolId?: string | null;
    regionId: string | null;
    email?: boolean;
    partnerId?: string;
  }) => UsersTable;
  grant: (userId: string, role: Role, scopeId: string | null, subject?: string | null) => void;
  userById: Map<string, UsersTable>;
  /** region id → its bureau account */
  bureauOf: Record<string, string>;
  /** school id → the account acting for the school (its principal) */
  schoolAdminOf: Map<string, string>;
  teachersOf: Map<string, UsersTable[]>;
}

/** Every alliance with its members, partners, governance, documents, milestones and assessments. */
export function buildAlliances(b: DemoBuild): { allianceIds: string[]; secretaryOf: Map<string, string> } {
  const { data, today, Y, setupDay, school, addUser, grant, bureauOf, schoolAdminOf, teachersOf } = b;
  // alliances
  const rngAll = new Rng('demo/alliances');
  const regionIdOf = (r: AllianceSpec['region']) => (r === 'CITY' ? CITY.id : DISTRICTS[r].id);
  let memberSerial = 0;
  let bodySerial = 0;
  let bodyMemberSerial = 0;
  let docSerial = 0;
  let versionSerial = 0;
  let milestoneSerial = 0;
  let assessmentSerial = 0;
  const allianceIds: string[] = [];
  const secretaryOf = new Map<string, string>();
  const approvedJoins = new Map<string, { school: string; on: string }[]>();
  // approved applications turn into memberships
  APPLICATIONS.forEach((a) => {
    if (a.status !== 'approved') return;
    const on = addDays(today, -a.daysAgo + 24);
    const list = approvedJoins.get(String(a.alliance)) ?? [];
    list.push({ school: a.school, on });
    approvedJoins.set(String(a.alliance), list);
  });

  ALLIANCES.forEach((a, ai) => {
    const id = `a_${pad(ai + 1, 4)}`;
    allianceIds.push(id);
    const regionId = regionIdOf(a.region);
    const cycleStart = monthStart(today, -a.cycleMonthsAgo);
    const founded = a.foundedYearsAgo ? minDate(`${Y - a.foundedYearsAgo}-09-01`, cycleStart) : cycleStart;
    const assessed = a.assessments.map(([monthsAgo, score]) => ({ on: addDays(monthStart(today, -monthsAgo), 14), score }));
    const last = assessed.length ? assessed[assessed.length - 1].on : null;
    const core = school(a.core);
    const createdAt = instant(maxDate(founded, setupDay), 120);
    data.alliances.push({
      id,
      region_id: regionId,
      name: a.name,
      kind: a.kind,
      pattern: a.pattern,
      core_school_id: core.id,
      description: a.description,
      status: 'active',
      founded_on: founded,
      cycle_start_on: cycleStart,
      last_assessed_on: last,
      created_at: createdAt,
      updated_at: instant(maxDate(last ?? founded, maxDate(cycleStart, setupDay)), 120),
    });

    // secretary account for every alliance (the demo `secretary` runs the first one)
    let secretaryId = 'u_secretary';
    if (ai > 0) {
      secretaryId = `u_sec_${id}`;
      addUser({ id: secretaryId, username: `sec_${id}`, name: a.secretaryName, schoolId: core.id, regionId });
      grant(secretaryId, 'alliance_admin', id);
    }
    secretaryOf.set(id, secretaryId);

    // members
    const joinedOn = (k: string) => maxDate(founded, `${school(k).founded_year}-09-01`);
    const addMember = (k: string, role: 'core' | 'member', on: string, exit?: { on: string; reason: string; by: string }) => {
      memberSerial++;
      data.members.push({
        id: `m_${pad(memberSerial, 5)}`,
        alliance_id: id,
        school_id: school(k).id,
        alliance_kind: a.kind,
        role,
        status: exit ? 'exited' : 'active',
        joined_on: on,
        exited_on: exit?.on ?? null,
        exit_reason: exit?.reason ?? null,
        exit_by: exit?.by ?? null,
        created_at: instant(maxDate(on, setupDay), 150),
      });
    };
    addMember(a.core, 'core', founded);
    for (const k of a.members) addMember(k, 'member', joinedOn(k));
    for (const e of a.exited ?? []) {
      const exitOn = monthStart(today, -e.monthsAgo);
      addMember(e.k, 'member', joinedOn(e.k) < exitOn ? joinedOn(e.k) : founded, {
        on: exitOn,
        reason: e.reason,
        by: e.by === 'bureau' ? bureauOf[regionId] : secretaryId,
      });
    }
    for (const j of approvedJoins.get(String(ai)) ?? []) addMember(j.school, 'member', j.on);

    // partners
    PARTNERS.forEach((p, pi) => {
      for (const [allianceIndex, offers] of p.offers) {
        if (allianceIndex !== ai) continue;
        data.alliancePartners.push({
          alliance_id: id,
          partner_id: `p_${pad(pi + 1, 4)}`,
          offers,
          joined_on: minDate(addMonths(maxDate(founded, setupDay), rngAll.int(0, 3)), today),
        });
      }
    });

    // governance
    const termStart = cycleStart;
    const termEnd = addYears(termStart, 3);
    const bodyAt = instant(maxDate(termStart, setupDay), 180);
    const memberSchools = a.members.map(school);
    const addBody = (kind: GovernanceBodiesTable['kind'], name: string, subject: string | null = null, host: string | null = null) => {
      bodySerial++;
      const bid = `gb_${pad(bodySerial, 4)}`;
      data.bodies.push({ id: bid, alliance_id: id, kind, name, subject, host_school_id: host, created_at: bodyAt });
      return bid;
    };
    const addBodyMember = (bodyId: string, person: string, position: string, schoolId: string | null, userId: string | null = null) => {
      bodyMemberSerial++;
      data.bodyMembers.push({
        id: `bm_${pad(bodyMemberSerial, 5)}`,
        body_id: bodyId,
        person_name: person,
        user_id: userId,
        school_id: schoolId,
        position,
        term_start: termStart,
        term_end: termEnd,
        created_at: bodyAt,
      });
    };
    const council = addBody('council', '理事会');
    addBodyMember(council, core.principal!, '理事长', core.id, schoolAdminOf.get(core.id) ?? null);
    for (const [mi, m] of memberSchools.entries()) addBodyMember(council, m.principal!, mi === 0 ? '副理事长' : '理事', m.id, schoolAdminOf.get(m.id) ?? null);
    const supervisory = addBody('supervisory', '监事会');
    addBodyMember(supervisory, personName(rngAll), '监事长', null);
    for (const m of memberSchools.slice(0, 2)) addBodyMember(supervisory, personName(rngAll), '监事', m.id);
    if (a.kind === 'fusion') {
      const foundation = addBody('foundation', `${a.name.replace(/教育集团$/, '')}教育发展基金会`);
      addBodyMember(foundation, personName(rngAll), '理事长', null);
      addBodyMember(foundation, personName(rngAll), '秘书长', core.id);
    }
    const secretariat = addBody('secretariat', '秘书处');
    addBodyMember(secretariat, a.secretaryName, '秘书长', core.id, secretaryId);
    addBodyMember(secretariat, personName(rngAll), '副秘书长', memberSchools[0]?.id ?? core.id);
    addBodyMember(secretariat, personName(rngAll), '干事', core.id);
    const experts = addBody('experts', '专家委员会');
    addBodyMember(experts, personName(rngAll), '主任委员', null);
    addBodyMember(experts, personName(rngAll), '委员', null);
    addBodyMember(experts, teachersOf.get(core.id)![0].display_name, '委员', core.id, teachersOf.get(core.id)![0].id);
    const hosts = [core, ...memberSchools];
    a.subjects.forEach((subject, si) => {
      const host = hosts[si % hosts.length];
      const label = SUBJECTS.label(subject);
      const g = addBody('subject_group', `${label}学科工作组`, subject, host.id);
      const hostTeacher = teachersOf.get(host.id)![si % 3];
      addBodyMember(g, hostTeacher.display_name, '组长', host.id, hostTeacher.id);
      const other = hosts[(si + 1) % hosts.length];
      addBodyMember(g, teachersOf.get(other.id)![(si + 1) % 3].display_name, '副组长', other.id, teachersOf.get(other.id)![(si + 1) % 3].id);
      addBodyMember(g, personName(rngAll), '成员', hosts[(si + 2) % hosts.length].id);
    });

    // documents: charter (1–2 versions) and a 3-year agreement, each version with a Markdown file
    const memberNames = memberSchools.map((m) => m.name);
    const docBy = ai === 0 ? 'u_secretary' : secretaryId;
    const regionName = a.region === 'CITY' ? CITY.name : `${CITY.name}${DISTRICTS[a.region].name}`;
    docSerial++;
    const charterId = `d_${pad(docSerial, 4)}`;
    const charterDates = a.charterVersions === 2 ? [founded, cycleStart === founded ? addMonths(founded, 3) : cycleStart] : [founded];
    data.documents.push({
      id: charterId,
      alliance_id: id,
      kind: 'charter',
      title: `${a.name}章程`,
      current_version: charterDates.length,
      created_by: docBy,
      created_at: instant(maxDate(founded, setupDay), 200),
      updated_at: instant(maxDate(charterDates[charterDates.length - 1], setupDay), 200),
    });
    charterDates.forEach((from, vi) => {
      const version = vi + 1;
      versionSerial++;
      const vid = `dv_${pad(versionSerial, 4)}`;
      const body = charterMarkdown({
        allianceName: a.name,
        kind: a.kind,
        pattern: a.pattern,
        coreSchool: core.name,
        members: memberNames,
        regionName,
        foundedOn: founded,
        version,
        effectiveFrom: from,
        costShare: a.costShare,
      });
      const key = `documents/${charterId}/v${version}.md`;
      data.files.push({ key, body: Buffer.from(body, 'utf8'), versionId: vid });
      const terms: AgreementTerm[] = [
        { kind: 'key_teacher_exchange_pct', op: '>=', value: 10, unit: '%' },
        { kind: 'joint_research_per_month', op: '>=', value: 2 },
      ];
      if (version > 1) terms.push({ kind: 'cost_share_per_student', op: 'between', value: a.costShare[0], value2: a.costShare[1], unit: '元/生/年' });
      data.versions.push({
        id: vid,
        document_id: charterId,
        version,
        file_key: key,
        file_name: version > 1 ? `${a.name}章程（修订）.md` : `${a.name}章程.md`,
        file_size: null,
        mime: 'text/markdown; charset=utf-8',
        sha256: null,
        terms: JSON.stringify(terms),
        effective_from: from,
        effective_to: vi + 1 < charterDates.length ? addDays(charterDates[vi + 1], -1) : null,
        note: version > 1 ? '增加成员校动态调整条款，明确经费分担标准' : '理事会审议通过',
        created_by: docBy,
        created_at: instant(maxDate(from, setupDay), 210),
      });
    });
    docSerial++;
    const agreementId = `d_${pad(docSerial, 4)}`;
    const agreementTo = addDays(addYears(cycleStart, 3), -1);
    const agreementTitle = `${a.name}${a.agreementKind === 'development' ? '发展协议书' : '合作协议'}（${yearOf(cycleStart)}—${yearOf(cycleStart) + 3}年）`;
    data.documents.push({
      id: agreementId,
      alliance_id: id,
      kind: a.agreementKind,
      title: agreementTitle,
      current_version: 1,
      created_by: docBy,
      created_at: instant(maxDate(cycleStart, setupDay), 220),
      updated_at: instant(maxDate(cycleStart, setupDay), 220),
    });
    versionSerial++;
    const avid = `dv_${pad(versionSerial, 4)}`;
    const akey = `documents/${agreementId}/v1.md`;
    data.files.push({
      key: akey,
      body: Buffer.from(
        agreementMarkdown({
          title: agreementTitle,
          allianceName: a.name,
          coreSchool: core.name,
          members: memberNames,
          from: cycleStart,
          to: agreementTo,
          terms: a.terms,
        }),
        'utf8',
      ),
      versionId: avid,
    });
    data.versions.push({
      id: avid,
      document_id: agreementId,
      version: 1,
      file_key: akey,
      file_name: `${a.agreementKind === 'development' ? '发展协议书' : '合作协议'}.md`,
      file_size: null,
      mime: 'text/markdown; charset=utf-8',
      sha256: null,
      terms: JSON.stringify(a.terms),
      effective_from: cycleStart,
      effective_to: agreementTo,
      note: '三年期协议',
      created_by: docBy,
      created_at: instant(maxDate(cycleStart, setupDay), 230),
    });

    // milestones of the current cycle
    const rngMs = new Rng(`demo/milestones/${ai}`);
    const forcedLate = ai === 3 ? 2 : ai === 0 ? 1 : 0; // open, overdue milestones
    const overdue = MILESTONES.map(([, months]) => addMonths(cycleStart, months)).filter((due) => due < today);
    MILESTONES.forEach(([phase, months, title], mi) => {
      const due = addMonths(cycleStart, months);
      let done: string | null = null;
      if (due < today) {
        const lastOverdue = overdue.length - mi <= forcedLate; // the latest overdue ones stay open
        if (lastOverdue) {
          done = null;
        } else if (rngMs.chance(0.2)) {
          done = minDate(addDays(due, rngMs.int(8, 40)), addDays(today, -1)); // done, but late
        } else {
          done = addDays(due, -rngMs.int(0, 20));
        }
      } else if (addDays(due, -45) < today && rngMs.chance(0.3)) {
        done = minDate(addDays(due, -rngMs.int(10, 40)), addDays(today, -1)); // done ahead of time
      }
      milestoneSerial++;
      data.milestones.push({
        id: `ms_${pad(milestoneSerial, 4)}`,
        alliance_id: id,
        phase,
        title,
        due_on: due,
        done_on: done,
        created_at: instant(maxDate(cycleStart, setupDay), 240),
      });
    });

    // assessments
    for (const { on, score } of assessed) {
      assessmentSerial++;
      const result = score >= 90 ? 'excellent' : score >= 80 ? 'good' : score >= 60 ? 'pass' : 'weak';
      const comment = {
        excellent: '资源共享与教师交流成效显著，成员校质量整体提升，建议总结推广。',
        good: '机制运行规范，联合教研常态化；成员校间发展仍不均衡。',
        pass: '基本完成年度任务，课程共享与学生跨校活动覆盖面偏小。',
        weak: '骨干教师交流比例未达协议要求，联合教研流于形式，限期整改并于下次复评重点核查。',
      }[result];
      data.assessments.push({
        id: `as_${pad(assessmentSerial, 4)}`,
        alliance_id: id,
        assessed_on: on,
        score,
        result,
        comment,
        assessed_by: 'u_evaluator',
        created_at: instant(on, 300),
      });
    }
  });
  return { allianceIds, secretaryOf };
}

/** The membership applications in every status, with their decisions. */
export function buildApplications(b: DemoBuild, allianceIds: string[], secretaryOf: Map<string, string>): void {
  const { data, today, school, userById, bureauOf, schoolAdminOf } = b;
  // membership applications and their decisions
  let decisionSerial = 0;
  APPLICATIONS.forEach((app, i) => {
    const allianceId = allianceIds[app.alliance];
    const alliance = data.alliances[app.alliance];
    const s = school(app.school);
    const appId = `ma_${pad(i + 1, 4)}`;
    const applicant = schoolAdminOf.get(s.id)!;
    const secretary = secretaryOf.get(allianceId)!;
    const councilChair = schoolAdminOf.get(alliance.core_school_id)!;
    const bureau = bureauOf[alliance.region_id];
    const submitted = addDays(today, -app.daysAgo);
    const steps: { step: ApplicationDecisionsTable['step']; decision: 'pass' | 'fail'; actor: string; comment: string | null }[] = [
      { step: 'submit', decision: 'pass', actor: applicant, comment: null },
    ];
    const pass = {
      evaluate: { step: 'evaluate' as const, decision: 'pass' as const, actor: secretary, comment: '经实地评估，申请校办学条件和合作意愿符合联盟要求。' },
      recommend: { step: 'recommend' as const, decision: 'pass' as const, actor: councilChair, comment: '理事会审议同意，推荐报教育局审批。' },
      approve: { step: 'approve' as const, decision: 'pass' as const, actor: bureau, comment: '同意加入。' },
    };
    if (app.status === 'evaluated') steps.push(pass.evaluate);
    if (app.status === 'recommended') steps.push(pass.evaluate, pass.recommend);
    if (app.status === 'approved') steps.push(pass.evaluate, pass.recommend, pass.approve);
    if (app.status === 'rejected') {
      if (app.rejectedAt === 'approve') steps.push(pass.evaluate, pass.recommend);
      steps.push({ step: 'reject', decision: 'fail', actor: app.rejectedAt === 'approve' ? bureau : secretary, comment: app.rejectComment ?? null });
    }
    if (app.status === 'withdrawn') steps.push({ step: 'withdraw', decision: 'pass', actor: applicant, comment: '学校调整工作计划，主动撤回申请。' });
    const stepDays = [0, 7, 15, 24];
    let at = '';
    steps.forEach((st, si) => {
      decisionSerial++;
      const day = addDays(submitted, app.status === 'withdrawn' && si > 0 ? 5 : stepDays[Math.min(si, 3)]);
      at = instant(minDate(day, today), 60 + si * 37 + i);
      data.decisions.push({
        id: `ad_${pad(decisionSerial, 4)}`,
        application_id: appId,
        step: st.step,
        decision: st.decision,
        comment: st.comment,
        actor_id: st.actor,
        actor_name: userById.get(st.actor)?.display_name ?? null,
        ip: null,
        at,
      });
    });
    data.applications.push({
      id: appId,
      alliance_id: allianceId,
      school_id: s.id,
      status: app.status,
      reason: app.reason,
      applied_by: applicant,
      created_at: instant(submitted, 60 + i),
      updated_at: at,
    });
  });
}
