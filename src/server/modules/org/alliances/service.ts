/**
 * Alliances (联盟 / 教育集团): founding, the list and the detail, changes of the alliance itself, the
 * timeline. Governance, milestones and assessments are in `governance.ts`, charters and agreements in
 * `documents.ts`, partners in `partners.ts`; the rows of `alliance_members` are written by
 * `../memberships/members.ts` only. Who may do what is `../policy.ts`.
 *
 * Region trees, region and core-school names, member and partner counts come from the organization
 * directory's snapshot: `GET /api/alliances` is one count and one page.
 */
import type { z } from 'zod';
import type { Database, Db } from '../../../db/index.js';
import { containsText, fromJson, isUniqueViolation } from '../../../db/index.js';
import type { AlliancesTable } from '../../../db/schema.js';
import { audit, changes } from '../../../platform/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { inScope } from '../../../platform/scope.js';
import { alliancePhases, currentPhase, reassessment } from '../../../../common/org.js';
import { localDate } from '../../../../common/time.js';
import type { ALLIANCE_KINDS, ALLIANCE_PATTERNS, BODY_KINDS } from '../../../../common/vocab.js';
import { directoryOf, type OrgSnapshot } from '../directory.js';
import { addMember, changeCore, changeKind } from '../memberships/members.js';
import { allianceReadScope, orgPolicy } from '../policy.js';
import type { AllianceCreate, AllianceQuery, AllianceUpdate } from './schema.js';
import { describe } from './timeline-text.js';

type AllianceKind = (typeof ALLIANCE_KINDS.codes)[number];
type AlliancePattern = (typeof ALLIANCE_PATTERNS.codes)[number];
type BodyKind = (typeof BODY_KINDS.codes)[number];

export class AllianceService {
  constructor(private readonly database: Database) {}
  get db(): Db {
    return this.database.db;
  }
  get directory() {
    return directoryOf(this.database);
  }

  async list(ctx: Ctx, q: z.infer<typeof AllianceQuery>) {
    const org = await this.directory.current();
    const scope = allianceReadScope(ctx.actor);
    let qb = this.db.selectFrom('alliances as a').where((eb) => inScope(eb, scope, { regions: 'a.region_id', alliances: 'a.id' }));
    if (q.regionId) {
      const within = [...org.regionsUnder([q.regionId])];
      if (within.length === 0) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      qb = qb.where('a.region_id', 'in', within);
    }
    if (q.kind) qb = qb.where('a.kind', '=', q.kind);
    if (q.pattern) qb = qb.where('a.pattern', '=', q.pattern);
    if (q.q) qb = qb.where(containsText(this.database.dialect, 'a.name', q.q));
    const [{ total }, rows] = await Promise.all([
      qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      qb
        .selectAll('a')
        .select((eb) => [
          eb
            .selectFrom('assessments as s')
            .select('s.result')
            .whereRef('s.alliance_id', '=', 'a.id')
            .orderBy('s.assessed_on', 'desc')
            .orderBy('s.created_at', 'desc')
            .orderBy('s.id', 'desc')
            .limit(1)
            .as('last_result'),
        ])
        .orderBy('a.region_id')
        .orderBy('a.name')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
    ]);
    const today = localDate(ctx.now);
    return {
      items: rows.map((a) => this.summary(org, a, org.membersOf(a.id).length, a.last_result ?? null, today)),
      total: Number(total),
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** The list's and the detail's common part; names and the partner count from the snapshot. */
  private summary(org: OrgSnapshot, a: AlliancesTable, members: number, lastResult: string | null, today: string) {
    const re = reassessment(a.founded_on, a.last_assessed_on, lastResult, today);
    return {
      id: a.id,
      name: a.name,
      kind: a.kind as AllianceKind,
      pattern: a.pattern as AlliancePattern,
      status: a.status,
      regionId: a.region_id,
      regionName: org.region(a.region_id)?.name ?? '',
      coreSchool: { id: a.core_school_id, name: org.school(a.core_school_id)?.name ?? '' },
      memberCount: members,
      partnerCount: org.partnersOf(a.id).length,
      phase: currentPhase(a.cycle_start_on, today),
      reassessmentDue: re.overdue || re.weak,
    };
  }

  /** The alliance if the actor may read it; "not found" otherwise. */
  async getVisible(ctx: Ctx, id: string) {
    const a = await this.db.selectFrom('alliances').selectAll().where('id', '=', id).executeTakeFirst();
    if (!a || !orgPolicy.readAlliance(ctx.actor, a)) throw notFound('alliance');
    return a;
  }

  async getManageable(ctx: Ctx, id: string) {
    const a = await this.getVisible(ctx, id);
    if (!orgPolicy.manageAlliance(ctx.actor, a)) throw forbidden();
    return a;
  }

  async detail(ctx: Ctx, id: string) {
    const org = await this.directory.current();
    const a = await this.getVisible(ctx, id);
    // charters, agreements, the governance bodies' people and assessment comments are the alliance's
    // internals: members and overseers only (the same rule as the timeline), not the whole region
    const internals = orgPolicy.readAllianceInternals(ctx.actor, a);
    const db = this.db;
    const [members, partners, bodies, bodyMembers, documents, milestones, assessments] = await Promise.all([
      db
        .selectFrom('alliance_members as m')
        .innerJoin('schools as s', 's.id', 'm.school_id')
        .select(['m.id', 'm.school_id', 's.name', 's.location', 's.tags', 'm.role', 'm.status', 'm.joined_on', 'm.exited_on', 'm.exit_reason'])
        .where('m.alliance_id', '=', id)
        .orderBy('m.status')
        .orderBy('m.role')
        .orderBy('m.joined_on')
        .execute(),
      db
        .selectFrom('alliance_partners as ap')
        .innerJoin('partners as p', 'p.id', 'ap.partner_id')
        .select(['p.id', 'p.name', 'p.kind', 'ap.offers', 'ap.joined_on'])
        .where('ap.alliance_id', '=', id)
        .orderBy('p.name')
        .execute(),
      db.selectFrom('governance_bodies').selectAll().where('alliance_id', '=', id).orderBy('created_at').execute(),
      internals
        ? db
            .selectFrom('body_members as bm')
            .innerJoin('governance_bodies as b', 'b.id', 'bm.body_id')
            .select(['bm.id', 'bm.body_id', 'bm.person_name', 'bm.position', 'bm.school_id', 'bm.term_start', 'bm.term_end'])
            .where('b.alliance_id', '=', id)
            .orderBy('bm.created_at')
            .execute()
        : [],
      internals ? db.selectFrom('documents').selectAll().where('alliance_id', '=', id).orderBy('kind').orderBy('created_at').execute() : [],
      db.selectFrom('milestones').selectAll().where('alliance_id', '=', id).orderBy('due_on').execute(),
      db
        .selectFrom('assessments')
        .selectAll()
        .where('alliance_id', '=', id)
        .orderBy('assessed_on', 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),
    ]);
    const today = localDate(ctx.now);
    const active = members.filter((m) => m.status === 'active').length;
    const schoolName = (sid: string | null) => (sid ? (org.school(sid)?.name ?? null) : null);
    return {
      ...this.summary(org, a, active, assessments[0]?.result ?? null, today),
      partnerCount: partners.length,
      description: a.description,
      foundedOn: a.founded_on,
      cycleStartOn: a.cycle_start_on,
      members: members.map((m) => ({
        id: m.id,
        schoolId: m.school_id,
        schoolName: m.name,
        location: m.location,
        tags: fromJson<string[]>(m.tags, []),
        role: m.role,
        status: m.status,
        joinedOn: m.joined_on,
        exitedOn: m.exited_on,
        exitReason: m.exit_reason,
      })),
      partners: partners.map((p) => ({ partnerId: p.id, name: p.name, kind: p.kind, offers: p.offers, joinedOn: p.joined_on })),
      bodies: bodies.map((b) => ({
        id: b.id,
        kind: b.kind as BodyKind,
        name: b.name,
        subject: b.subject,
        hostSchool: b.host_school_id ? { id: b.host_school_id, name: schoolName(b.host_school_id) ?? '' } : null,
        members: bodyMembers
          .filter((m) => m.body_id === b.id)
          .map((m) => ({
            id: m.id,
            personName: m.person_name,
            position: m.position,
            schoolName: schoolName(m.school_id),
            termStart: m.term_start,
            termEnd: m.term_end,
          })),
      })),
      documents: documents.map((d) => ({ id: d.id, kind: d.kind, title: d.title, currentVersion: d.current_version, updatedAt: d.updated_at })),
      milestones: milestones.map((m) => ({ id: m.id, phase: m.phase, title: m.title, dueOn: m.due_on, doneOn: m.done_on })),
      assessments: assessments.map((s) => ({ id: s.id, assessedOn: s.assessed_on, score: s.score, result: s.result, comment: internals ? s.comment : null })),
      cycle: { phases: alliancePhases(a.cycle_start_on), current: currentPhase(a.cycle_start_on, today) },
      reassessment: reassessment(a.founded_on, a.last_assessed_on, assessments[0]?.result ?? null, today),
    };
  }

  /** 400 unless the school lies in the region or below it. */
  private schoolInRegion(org: OrgSnapshot, schoolId: string, regionId: string, field: string) {
    const s = org.school(schoolId);
    if (!s || !org.regionsUnder([regionId]).has(s.regionId))
      throw badRequest([{ field, code: 'invalid', params: { reason: '学校不存在或不在联盟所属区域内' } }]);
    return s;
  }

  async create(ctx: Ctx, input: z.infer<typeof AllianceCreate>) {
    const { actor } = ctx;
    const org = await this.directory.current();
    const region = org.region(input.regionId);
    if (!region || !orgPolicy.readRegion(actor, region.id)) throw badRequest([{ field: 'regionId', code: 'not_found' }]);
    if (!orgPolicy.createAlliance(actor, region.id)) throw forbidden();
    this.schoolInRegion(org, input.coreSchoolId, input.regionId, 'coreSchoolId');
    const id = newId();
    const now = ctx.now.toISOString();
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('alliances')
          .values({
            id,
            region_id: input.regionId,
            name: input.name,
            kind: input.kind,
            pattern: input.pattern,
            core_school_id: input.coreSchoolId,
            description: input.description ?? null,
            status: 'active',
            founded_on: input.foundedOn,
            cycle_start_on: input.cycleStartOn,
            last_assessed_on: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await addMember(tx, { allianceId: id, schoolId: input.coreSchoolId, allianceKind: input.kind, role: 'core', joinedOn: input.foundedOn, now });
        await audit(tx, ctx, {
          action: 'alliance.create',
          entityType: 'alliance',
          entityId: id,
          regionId: input.regionId,
          allianceId: id,
          detail: { name: input.name, kind: input.kind, pattern: input.pattern },
        });
      });
    } catch (err) {
      throw mapConstraint(err);
    }
    this.directory.invalidate();
    return this.detail(ctx, id);
  }

  async update(ctx: Ctx, id: string, input: z.infer<typeof AllianceUpdate>) {
    const a = await this.getManageable(ctx, id);
    const patch: Partial<AlliancesTable> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.kind !== undefined) patch.kind = input.kind;
    if (input.pattern !== undefined) patch.pattern = input.pattern;
    if (input.foundedOn !== undefined) patch.founded_on = input.foundedOn;
    if (input.cycleStartOn !== undefined) patch.cycle_start_on = input.cycleStartOn;
    if (input.description !== undefined) patch.description = input.description;
    if (input.status !== undefined) patch.status = input.status;
    try {
      await this.db.transaction().execute(async (tx) => {
        if (input.coreSchoolId && input.coreSchoolId !== a.core_school_id) {
          await changeCore(tx, id, input.coreSchoolId);
          patch.core_school_id = input.coreSchoolId;
        }
        if (patch.kind && patch.kind !== a.kind) await changeKind(tx, id, patch.kind);
        await tx
          .updateTable('alliances')
          .set({ ...patch, updated_at: ctx.now.toISOString() })
          .where('id', '=', id)
          .execute();
        await audit(tx, ctx, {
          action: 'alliance.update',
          entityType: 'alliance',
          entityId: id,
          regionId: a.region_id,
          allianceId: id,
          detail: changes(a as never, patch as never),
        });
      });
    } catch (err) {
      throw mapConstraint(err);
    }
    this.directory.invalidate();
    return this.detail(ctx, id);
  }

  async timeline(ctx: Ctx, id: string) {
    const a = await this.getVisible(ctx, id);
    if (!orgPolicy.readAllianceInternals(ctx.actor, a)) throw notFound('alliance');
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['at', 'action', 'actor_name', 'detail'])
      .where('alliance_id', '=', id)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    return { items: rows.map((r) => ({ at: r.at, action: r.action, actorName: r.actor_name, text: describe(r.action, fromJson(r.detail, {}), ctx.lang) })) };
  }
}

function mapConstraint(err: unknown) {
  if (!isUniqueViolation(err)) return err;
  const text = String((err as Error).message);
  if (/one_fusion|alliance_members\.school_id/.test(text)) {
    return conflict('该学校已属于一个融合型教育集团', [{ field: 'coreSchoolId', code: 'invalid', params: { reason: '一所学校最多属于一个融合型集团' } }]);
  }
  if (/name/.test(text)) return new AppError(409, 'duplicate', { field: '联盟名称' }, [{ field: 'name', code: 'duplicate' }]);
  return err;
}
