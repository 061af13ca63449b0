import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../../db/index.js';
import { containsText, fromJson, isUniqueViolation, nowIso, toJson } from '../../../db/index.js';
import type { AlliancesTable } from '../../../db/schema.js';
import { audit, changes } from '../../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound, zodIssueToField } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { policy, regionAncestors, regionDescendants, type Actor } from '../../../platform/policy.js';
import { FileTooLargeError, safeFileName, type Storage } from '../../../platform/storage.js';
import { alliancePhases, currentPhase, reassessment } from '../../../../common/org.js';
import { todayIn } from '../../../../common/time.js';
import { DOCUMENT_KINDS } from '../../../../common/vocab.js';
import {
  type AllianceCreate,
  type AllianceQuery,
  type AllianceUpdate,
  type AlliancePartnerAdd,
  type AssessmentCreate,
  type BodyCreate,
  type BodyMemberCreate,
  DocumentFields,
  type MilestoneCreate,
  type PartnerCreate,
  Terms,
  VersionFields,
} from './schema.js';

const MAX_DOC_BYTES = 20 * 1024 * 1024;

/** Accepted document formats, recognised by their first bytes (not by the file name). */
function sniff(head: Buffer): string | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'application/msword';
  // UTF-8 text (Markdown / plain text) without NUL bytes
  if (!head.includes(0) && new TextDecoder('utf-8', { fatal: false }).decode(head).indexOf('\uFFFD') === -1) return 'text/plain; charset=utf-8';
  return null;
}

export class AllianceService {
  constructor(
    private readonly database: Database,
    private readonly storage: Storage,
  ) {}
  private get db(): Db {
    return this.database.db;
  }

  scope<QB extends { where: any }>(qb: QB, actor: Actor): QB {
    if (actor.isPlatformAdmin) return qb;
    return qb.where((eb: any) => {
      const ors = [];
      if (actor.readRegions.size) ors.push(eb('a.region_id', 'in', [...actor.readRegions]));
      if (actor.memberAlliances.size) ors.push(eb('a.id', 'in', [...actor.memberAlliances]));
      if (actor.homeRegionChain.size) ors.push(eb('a.region_id', 'in', [...actor.homeRegionChain]));
      return ors.length ? eb.or(ors) : eb.lit(false);
    });
  }

  async list(actor: Actor, q: z.infer<typeof AllianceQuery>) {
    let qb = this.db.selectFrom('alliances as a').innerJoin('regions as r', 'r.id', 'a.region_id').innerJoin('schools as c', 'c.id', 'a.core_school_id');
    qb = this.scope(qb, actor);
    if (q.regionId) {
      const within = [...(await regionDescendants(this.db, [q.regionId]))];
      if (within.length === 0) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      qb = qb.where('a.region_id', 'in', within);
    }
    if (q.kind) qb = qb.where('a.kind', '=', q.kind);
    if (q.pattern) qb = qb.where('a.pattern', '=', q.pattern);
    if (q.q) qb = qb.where(containsText(this.database.dialect, 'a.name', q.q));
    const { total } = await qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await qb
      .selectAll('a')
      .select(['r.name as region_name', 'c.name as core_name'])
      .select((eb) => [
        eb
          .selectFrom('alliance_members as m')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('m.alliance_id', '=', 'a.id')
          .where('m.status', '=', 'active')
          .as('member_count'),
        eb.selectFrom('alliance_partners as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.alliance_id', '=', 'a.id').as('partner_count'),
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
      .execute();
    const today = todayIn();
    return {
      items: rows.map((a) => ({
        ...this.summary(
          a,
          a.region_name,
          { id: a.core_school_id, name: a.core_name },
          Number(a.member_count),
          Number(a.partner_count),
          a.last_result ?? null,
          today,
        ),
      })),
      total: Number(total),
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  private summary(
    a: AlliancesTable,
    regionName: string,
    core: { id: string; name: string },
    members: number,
    partners: number,
    lastResult: string | null,
    today: string,
  ) {
    const re = reassessment(a.founded_on, a.last_assessed_on, lastResult, today);
    return {
      id: a.id,
      name: a.name,
      kind: a.kind as 'fusion',
      pattern: a.pattern as 'partner',
      status: a.status,
      regionId: a.region_id,
      regionName,
      coreSchool: core,
      memberCount: members,
      partnerCount: partners,
      phase: currentPhase(a.cycle_start_on, today),
      reassessmentDue: re.overdue || re.weak,
    };
  }

  /** The alliance if the actor may read it; "not found" otherwise. */
  async getVisible(actor: Actor, id: string) {
    const a = await this.db.selectFrom('alliances').selectAll().where('id', '=', id).executeTakeFirst();
    if (!a || !policy.readAlliance(actor, a)) throw notFound('alliance');
    return a;
  }

  async getManageable(actor: Actor, id: string) {
    const a = await this.getVisible(actor, id);
    if (!policy.manageAlliance(actor, a)) throw forbidden();
    return a;
  }

  async detail(actor: Actor, id: string) {
    const a = await this.getVisible(actor, id);
    // charters, agreements, the governance bodies' people and assessment comments are the alliance's
    // internals: members and overseers only (the same rule as the timeline), not the whole region
    const internals = policy.readAllianceInternals(actor, a);
    const db = this.db;
    const [region, core, members, partners, bodies, bodyMembers, documents, milestones, assessments] = await Promise.all([
      db.selectFrom('regions').select('name').where('id', '=', a.region_id).executeTakeFirstOrThrow(),
      db.selectFrom('schools').select(['id', 'name']).where('id', '=', a.core_school_id).executeTakeFirstOrThrow(),
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
      db
        .selectFrom('governance_bodies as b')
        .leftJoin('schools as s', 's.id', 'b.host_school_id')
        .select(['b.id', 'b.kind', 'b.name', 'b.subject', 'b.host_school_id', 's.name as host_name'])
        .where('b.alliance_id', '=', id)
        .orderBy('b.created_at')
        .execute(),
      db
        .selectFrom('body_members as bm')
        .innerJoin('governance_bodies as b', 'b.id', 'bm.body_id')
        .leftJoin('schools as s', 's.id', 'bm.school_id')
        .select(['bm.id', 'bm.body_id', 'bm.person_name', 'bm.position', 's.name as school_name', 'bm.term_start', 'bm.term_end'])
        .where('b.alliance_id', '=', id)
        .orderBy('bm.created_at')
        .execute(),
      db.selectFrom('documents').selectAll().where('alliance_id', '=', id).orderBy('kind').orderBy('created_at').execute(),
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
    const today = todayIn();
    const active = members.filter((m) => m.status === 'active').length;
    return {
      ...this.summary(a, region.name, core, active, partners.length, assessments[0]?.result ?? null, today),
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
        kind: b.kind as 'council',
        name: b.name,
        subject: b.subject,
        hostSchool: b.host_school_id ? { id: b.host_school_id, name: b.host_name ?? '' } : null,
        members: bodyMembers
          .filter((m) => internals && m.body_id === b.id)
          .map((m) => ({
            id: m.id,
            personName: m.person_name,
            position: m.position,
            schoolName: m.school_name,
            termStart: m.term_start,
            termEnd: m.term_end,
          })),
      })),
      documents: documents
        .filter(() => internals)
        .map((d) => ({ id: d.id, kind: d.kind, title: d.title, currentVersion: d.current_version, updatedAt: d.updated_at })),
      milestones: milestones.map((m) => ({ id: m.id, phase: m.phase, title: m.title, dueOn: m.due_on, doneOn: m.done_on })),
      assessments: assessments.map((s) => ({ id: s.id, assessedOn: s.assessed_on, score: s.score, result: s.result, comment: internals ? s.comment : null })),
      cycle: { phases: alliancePhases(a.cycle_start_on), current: currentPhase(a.cycle_start_on, today) },
      reassessment: reassessment(a.founded_on, a.last_assessed_on, assessments[0]?.result ?? null, today),
    };
  }

  private async schoolInRegion(tx: Db | Tx, schoolId: string, regionId: string, field: string) {
    const s = await tx.selectFrom('schools').select(['id', 'region_id']).where('id', '=', schoolId).executeTakeFirst();
    const regions = await regionDescendants(tx as Db, [regionId]);
    if (!s || !regions.has(s.region_id)) throw badRequest([{ field, code: 'invalid', params: { reason: '学校不存在或不在联盟所属区域内' } }]);
    return s;
  }

  async create(req: FastifyRequest, actor: Actor, input: z.infer<typeof AllianceCreate>) {
    const region = await this.db.selectFrom('regions').select('id').where('id', '=', input.regionId).executeTakeFirst();
    if (!region || !policy.readRegion(actor, region.id)) throw badRequest([{ field: 'regionId', code: 'not_found' }]);
    if (!policy.createAlliance(actor, region.id)) throw forbidden();
    const id = newId();
    const now = nowIso();
    try {
      await this.db.transaction().execute(async (tx) => {
        await this.schoolInRegion(tx, input.coreSchoolId, input.regionId, 'coreSchoolId');
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
        await tx
          .insertInto('alliance_members')
          .values({
            id: newId(),
            alliance_id: id,
            school_id: input.coreSchoolId,
            alliance_kind: input.kind,
            role: 'core',
            status: 'active',
            joined_on: input.foundedOn,
            exited_on: null,
            exit_reason: null,
            exit_by: null,
            created_at: now,
          })
          .execute();
        await audit(tx, req, {
          action: 'alliance.create',
          entityType: 'alliance',
          entityId: id,
          regionId: input.regionId,
          allianceId: id,
          detail: { name: input.name, kind: input.kind, pattern: input.pattern },
        });
      });
    } catch (err) {
      throw this.mapConstraint(err);
    }
    return this.detail(actor, id);
  }

  private mapConstraint(err: unknown) {
    if (!isUniqueViolation(err)) return err;
    const text = String((err as Error).message);
    if (/one_fusion|alliance_members\.school_id/.test(text)) {
      return conflict('该学校已属于一个融合型教育集团', [{ field: 'coreSchoolId', code: 'invalid', params: { reason: '一所学校最多属于一个融合型集团' } }]);
    }
    if (/name/.test(text)) return new AppError(409, 'duplicate', { field: '联盟名称' }, [{ field: 'name', code: 'duplicate' }]);
    return err;
  }

  async update(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof AllianceUpdate>) {
    const a = await this.getManageable(actor, id);
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
          const m = await tx
            .selectFrom('alliance_members')
            .select('id')
            .where('alliance_id', '=', id)
            .where('school_id', '=', input.coreSchoolId)
            .where('status', '=', 'active')
            .executeTakeFirst();
          if (!m) throw badRequest([{ field: 'coreSchoolId', code: 'invalid', params: { reason: '核心校必须是联盟的现有成员' } }]);
          await tx
            .updateTable('alliance_members')
            .set({ role: 'member' })
            .where('alliance_id', '=', id)
            .where('role', '=', 'core')
            .where('status', '=', 'active')
            .execute();
          await tx.updateTable('alliance_members').set({ role: 'core' }).where('id', '=', m.id).execute();
          patch.core_school_id = input.coreSchoolId;
        }
        if (patch.kind && patch.kind !== a.kind) {
          await tx.updateTable('alliance_members').set({ alliance_kind: patch.kind }).where('alliance_id', '=', id).execute();
        }
        await tx
          .updateTable('alliances')
          .set({ ...patch, updated_at: nowIso() })
          .where('id', '=', id)
          .execute();
        await audit(tx, req, {
          action: 'alliance.update',
          entityType: 'alliance',
          entityId: id,
          regionId: a.region_id,
          allianceId: id,
          detail: changes(a as never, patch as never),
        });
      });
    } catch (err) {
      throw this.mapConstraint(err);
    }
    return this.detail(actor, id);
  }

  async timeline(actor: Actor, id: string, lang: 'zh' | 'en') {
    const a = await this.getVisible(actor, id);
    if (!policy.readAllianceInternals(actor, a)) throw notFound('alliance');
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['at', 'action', 'actor_name', 'detail'])
      .where('alliance_id', '=', id)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    return { items: rows.map((r) => ({ at: r.at, action: r.action, actorName: r.actor_name, text: describe(r.action, fromJson(r.detail, {}), lang) })) };
  }

  // ---- partners -------------------------------------------------------------------------------
  async listPartners(actor: Actor, regionId?: string) {
    let qb = this.db.selectFrom('partners').selectAll();
    if (regionId) {
      const within = [...(await regionDescendants(this.db, [regionId]))];
      if (within.length === 0) return { items: [] };
      qb = qb.where('region_id', 'in', within);
    }
    if (!actor.isPlatformAdmin) {
      // an alliance's managers see the partners they may add: those of the alliance's region and above
      const managed = actor.adminAlliances.size
        ? await this.db
            .selectFrom('alliances')
            .select('region_id')
            .where('id', 'in', [...actor.adminAlliances])
            .execute()
        : [];
      const above = managed.length ? await regionAncestors(this.db, [...new Set(managed.map((m) => m.region_id))]) : new Set<string>();
      const visible = [...actor.readRegions, ...actor.homeRegionChain, ...above];
      qb = qb.where((eb) =>
        eb.or([
          eb('region_id', 'in', visible.length ? visible : ['-']),
          eb(
            'id',
            'in',
            eb
              .selectFrom('alliance_partners')
              .select('partner_id')
              .where('alliance_id', 'in', actor.memberAlliances.size ? [...actor.memberAlliances] : ['-']),
          ),
        ]),
      );
    }
    const rows = await qb.orderBy('name').limit(500).execute();
    return {
      items: rows.map((p) => ({ id: p.id, regionId: p.region_id, name: p.name, kind: p.kind, contact: p.contact, phone: p.phone, description: p.description })),
    };
  }

  async createPartner(req: FastifyRequest, actor: Actor, input: z.infer<typeof PartnerCreate>) {
    const region = await this.db.selectFrom('regions').select(['id', 'level']).where('id', '=', input.regionId).executeTakeFirst();
    if (!region || !(policy.readRegion(actor, region.id) || actor.homeRegionChain.has(region.id) || actor.adminAlliances.size > 0))
      throw badRequest([{ field: 'regionId', code: 'not_found' }]);
    // the bureau of the region, or an alliance secretary whose alliance lies in the region — but a
    // province-level partner is registered by province-level administrators only
    const ownAllianceHere =
      actor.adminAlliances.size && region.level !== 'province'
        ? await this.db
            .selectFrom('alliances')
            .select('id')
            .where('id', 'in', [...actor.adminAlliances])
            .where('region_id', 'in', [...(await regionDescendants(this.db, [region.id]))])
            .executeTakeFirst()
        : undefined;
    if (!actor.isPlatformAdmin && !actor.bureauRegions.has(region.id) && !ownAllianceHere) {
      if (region.level === 'province') throw badRequest([{ field: 'regionId', code: 'province_level_only' }]);
      throw forbidden();
    }
    const id = newId();
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('partners')
          .values({
            id,
            region_id: input.regionId,
            name: input.name,
            kind: input.kind,
            contact: input.contact ?? null,
            phone: input.phone ?? null,
            description: input.description ?? null,
            created_at: nowIso(),
          })
          .execute();
        await audit(tx, req, {
          action: 'partner.create',
          entityType: 'partner',
          entityId: id,
          regionId: input.regionId,
          detail: { name: input.name, kind: input.kind },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(409, 'duplicate', { field: '合作方名称' }, [{ field: 'name', code: 'duplicate' }]);
      throw err;
    }
    return {
      id,
      regionId: input.regionId,
      name: input.name,
      kind: input.kind,
      contact: input.contact ?? null,
      phone: input.phone ?? null,
      description: input.description ?? null,
    };
  }

  async addPartner(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof AlliancePartnerAdd>) {
    const a = await this.getManageable(actor, id);
    const p = await this.db.selectFrom('partners').select(['id', 'region_id', 'name']).where('id', '=', input.partnerId).executeTakeFirst();
    const chain = await regionDescendants(this.db, [p?.region_id ?? '-']);
    const up = await regionAncestors(this.db, [a.region_id]);
    if (!p || !(chain.has(a.region_id) || up.has(p.region_id))) throw badRequest([{ field: 'partnerId', code: 'not_found' }]);
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('alliance_partners')
          .values({ alliance_id: id, partner_id: p.id, offers: input.offers ?? null, joined_on: todayIn() })
          .execute();
        await audit(tx, req, {
          action: 'alliance.partner_add',
          entityType: 'alliance',
          entityId: id,
          regionId: a.region_id,
          allianceId: id,
          detail: { partner: p.name, offers: input.offers },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('该合作方已加入联盟', [{ field: 'partnerId', code: 'duplicate' }]);
      throw err;
    }
    return this.detail(actor, id);
  }

  // ---- governance -----------------------------------------------------------------------------
  async addBody(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof BodyCreate>) {
    const a = await this.getManageable(actor, id);
    if (input.kind === 'subject_group' && !input.subject) throw badRequest([{ field: 'subject', code: 'required' }]);
    const bodyId = newId();
    await this.db.transaction().execute(async (tx) => {
      if (input.hostSchoolId) await this.activeMember(tx, id, input.hostSchoolId, 'hostSchoolId');
      await tx
        .insertInto('governance_bodies')
        .values({
          id: bodyId,
          alliance_id: id,
          kind: input.kind,
          name: input.name,
          subject: input.subject ?? null,
          host_school_id: input.hostSchoolId ?? null,
          created_at: nowIso(),
        })
        .execute();
      await audit(tx, req, {
        action: 'governance.body_create',
        entityType: 'body',
        entityId: bodyId,
        regionId: a.region_id,
        allianceId: id,
        detail: { kind: input.kind, name: input.name },
      });
    });
    return this.detail(actor, id);
  }

  private async activeMember(tx: Db | Tx, allianceId: string, schoolId: string, field: string) {
    const m = await tx
      .selectFrom('alliance_members')
      .select('id')
      .where('alliance_id', '=', allianceId)
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!m) throw badRequest([{ field, code: 'invalid', params: { reason: '须为联盟成员校' } }]);
  }

  async addBodyMember(req: FastifyRequest, actor: Actor, bodyId: string, input: z.infer<typeof BodyMemberCreate>) {
    const body = await this.db.selectFrom('governance_bodies').select(['id', 'alliance_id', 'name']).where('id', '=', bodyId).executeTakeFirst();
    if (!body) throw notFound('body');
    const a = await this.getVisible(actor, body.alliance_id).catch(() => {
      throw notFound('body');
    });
    if (!policy.manageAlliance(actor, a)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      if (input.schoolId) await this.activeMember(tx, a.id, input.schoolId, 'schoolId');
      if (input.userId) {
        const u = await tx.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst();
        if (!u) throw badRequest([{ field: 'userId', code: 'not_found' }]);
      }
      const mid = newId();
      await tx
        .insertInto('body_members')
        .values({
          id: mid,
          body_id: bodyId,
          person_name: input.personName,
          user_id: input.userId ?? null,
          school_id: input.schoolId ?? null,
          position: input.position,
          term_start: input.termStart,
          term_end: input.termEnd ?? null,
          created_at: nowIso(),
        })
        .execute();
      await audit(tx, req, {
        action: 'governance.member_add',
        entityType: 'body',
        entityId: bodyId,
        regionId: a.region_id,
        allianceId: a.id,
        detail: { body: body.name, person: input.personName, position: input.position, termStart: input.termStart, termEnd: input.termEnd },
      });
    });
    return this.detail(actor, a.id);
  }

  // ---- milestones and assessments -------------------------------------------------------------
  async addMilestone(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof MilestoneCreate>) {
    const a = await this.getManageable(actor, id);
    await this.db.transaction().execute(async (tx) => {
      const mid = newId();
      await tx
        .insertInto('milestones')
        .values({ id: mid, alliance_id: id, phase: input.phase, title: input.title, due_on: input.dueOn, done_on: null, created_at: nowIso() })
        .execute();
      await audit(tx, req, { action: 'milestone.create', entityType: 'milestone', entityId: mid, regionId: a.region_id, allianceId: id, detail: input });
    });
    return this.detail(actor, id);
  }

  async updateMilestone(req: FastifyRequest, actor: Actor, milestoneId: string, doneOn: string | null) {
    const m = await this.db.selectFrom('milestones').selectAll().where('id', '=', milestoneId).executeTakeFirst();
    if (!m) throw notFound('milestone');
    const a = await this.getVisible(actor, m.alliance_id).catch(() => {
      throw notFound('milestone');
    });
    if (!policy.manageAlliance(actor, a)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('milestones').set({ done_on: doneOn }).where('id', '=', milestoneId).execute();
      await audit(tx, req, {
        action: doneOn ? 'milestone.done' : 'milestone.reopen',
        entityType: 'milestone',
        entityId: milestoneId,
        regionId: a.region_id,
        allianceId: a.id,
        detail: { title: m.title, doneOn },
      });
    });
    return this.detail(actor, a.id);
  }

  /** 动态调整: the bureau (or platform) records the 2-yearly assessment. */
  async addAssessment(req: FastifyRequest, actor: Actor, id: string, input: z.infer<typeof AssessmentCreate>) {
    const a = await this.getVisible(actor, id);
    if (!policy.bureauStep(actor, a)) throw forbidden();
    if (input.assessedOn > todayIn()) throw badRequest([{ field: 'assessedOn', code: 'invalid', params: { reason: '不能晚于今天' } }]);
    await this.db.transaction().execute(async (tx) => {
      const sid = newId();
      await tx
        .insertInto('assessments')
        .values({
          id: sid,
          alliance_id: id,
          assessed_on: input.assessedOn,
          score: input.score,
          result: input.result,
          comment: input.comment ?? null,
          assessed_by: actor.userId,
          created_at: nowIso(),
        })
        .execute();
      if (!a.last_assessed_on || input.assessedOn > a.last_assessed_on) {
        await tx.updateTable('alliances').set({ last_assessed_on: input.assessedOn, updated_at: nowIso() }).where('id', '=', id).execute();
      }
      await audit(tx, req, { action: 'alliance.assess', entityType: 'alliance', entityId: id, regionId: a.region_id, allianceId: id, detail: input });
    });
    return this.detail(actor, id);
  }

  // ---- documents --------------------------------------------------------------------------------
  async document(actor: Actor, docId: string) {
    const d = await this.db.selectFrom('documents').selectAll().where('id', '=', docId).executeTakeFirst();
    if (!d) throw notFound('document');
    const a = await this.getVisible(actor, d.alliance_id).catch(() => {
      throw notFound('document');
    });
    if (!policy.readAllianceInternals(actor, a)) throw notFound('document');
    const versions = await this.db
      .selectFrom('document_versions as v')
      .leftJoin('users as u', 'u.id', 'v.created_by')
      .selectAll('v')
      .select('u.display_name')
      .where('v.document_id', '=', docId)
      .orderBy('v.version', 'desc')
      .execute();
    return {
      id: d.id,
      allianceId: d.alliance_id,
      kind: d.kind as 'charter',
      title: d.title,
      currentVersion: d.current_version,
      updatedAt: d.updated_at,
      versions: versions.map((v) => ({
        version: v.version,
        fileName: v.file_name,
        fileSize: v.file_size,
        mime: v.mime,
        sha256: v.sha256,
        terms: fromJson<unknown[]>(v.terms, []),
        effectiveFrom: v.effective_from,
        effectiveTo: v.effective_to,
        note: v.note,
        createdAt: v.created_at,
        createdByName: v.display_name,
      })),
    };
  }

  async documentFile(actor: Actor, docId: string, version: number) {
    await this.document(actor, docId);
    const v = await this.db.selectFrom('document_versions').selectAll().where('document_id', '=', docId).where('version', '=', version).executeTakeFirst();
    if (!v?.file_key) throw notFound('document');
    return { stream: this.storage.get(v.file_key), name: v.file_name ?? 'document', mime: v.mime ?? 'application/octet-stream', size: v.file_size };
  }

  /**
   * Reads a multipart document upload: text fields first, then one `file` part, streamed to storage.
   * Returns the validated fields and the stored file; on any error the stored file is removed.
   */
  async receiveUpload<S extends typeof DocumentFields | typeof VersionFields>(req: FastifyRequest, schema: S, keyPrefix: string) {
    if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
    const raw: Record<string, string> = {};
    let stored: { key: string; size: number; sha256: string; name: string; mime: string } | null = null;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'field') {
          raw[part.fieldname] = String(part.value);
          continue;
        }
        const file = part as MultipartFile;
        if (file.fieldname !== 'file' || stored) {
          file.file.resume();
          throw badRequest([{ field: file.fieldname, code: 'unknown_field' }]);
        }
        const key = `${keyPrefix}/${newId()}.bin`;
        let put;
        try {
          put = await this.storage.put(key, file.file, { maxBytes: MAX_DOC_BYTES });
        } catch (err) {
          if (err instanceof FileTooLargeError)
            throw new AppError(413, 'payload_too_large', {}, [{ field: 'file', code: 'too_big', params: { max: '20 MB' } }]);
          throw err;
        }
        if (file.file.truncated) {
          await this.storage.delete(key);
          throw new AppError(413, 'payload_too_large', {}, [{ field: 'file', code: 'too_big', params: { max: '20 MB' } }]);
        }
        stored = { ...put, name: safeFileName(file.filename), mime: '' };
        const head = await readHead(this.storage, key);
        const mime = sniff(head);
        if (!mime || put.size === 0) {
          await this.storage.delete(key);
          stored = null;
          throw badRequest([{ field: 'file', code: 'invalid', params: { reason: '仅支持 PDF、Word 文档或文本文件' } }]);
        }
        stored.mime = mime.startsWith('text/') && /\.md$/i.test(stored.name) ? 'text/markdown; charset=utf-8' : mime;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        throw badRequest(
          parsed.error.issues.flatMap((i) =>
            zodIssueToField({ keyword: i.code, instancePath: `/${i.path.join('/')}`, params: i as never, message: i.message }),
          ),
        );
      }
      const fields = parsed.data as z.infer<S>;
      let terms: unknown;
      try {
        terms = JSON.parse(fields.terms);
      } catch {
        throw badRequest([{ field: 'terms', code: 'invalid_format' }]);
      }
      const t = Terms.safeParse(terms);
      if (!t.success) {
        throw badRequest(
          t.error.issues.flatMap((i) =>
            zodIssueToField({ keyword: i.code, instancePath: `/${i.path.join('/')}`, params: i as never, message: i.message }, 'terms'),
          ),
        );
      }
      if (fields.effectiveFrom && fields.effectiveTo && fields.effectiveTo < fields.effectiveFrom) {
        throw badRequest([{ field: 'effectiveTo', code: 'invalid', params: { reason: '结束日期早于开始日期' } }]);
      }
      if (!stored) throw badRequest([{ field: 'file', code: 'required' }]);
      return { fields, terms: t.data, file: stored };
    } catch (err) {
      if (stored) await this.storage.delete(stored.key);
      throw err;
    }
  }

  async createDocument(req: FastifyRequest, actor: Actor, allianceId: string) {
    const a = await this.getManageable(actor, allianceId);
    const docId = newId();
    const { fields, terms, file } = await this.receiveUpload(req, DocumentFields, `documents/${allianceId}`);
    const f = fields as z.infer<typeof DocumentFields>;
    try {
      await this.db.transaction().execute(async (tx) => {
        const now = nowIso();
        await tx
          .insertInto('documents')
          .values({
            id: docId,
            alliance_id: allianceId,
            kind: f.kind,
            title: f.title,
            current_version: 1,
            created_by: actor.userId,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await this.insertVersion(tx, docId, 1, f, terms, file, actor.userId);
        await audit(tx, req, {
          action: 'document.create',
          entityType: 'document',
          entityId: docId,
          regionId: a.region_id,
          allianceId,
          detail: { title: f.title, kind: DOCUMENT_KINDS.label(f.kind), fileName: file.name, sha256: file.sha256, terms },
        });
      });
    } catch (err) {
      await this.storage.delete(file.key);
      throw err;
    }
    return this.document(actor, docId);
  }

  async addVersion(req: FastifyRequest, actor: Actor, docId: string) {
    const d = await this.db.selectFrom('documents').selectAll().where('id', '=', docId).executeTakeFirst();
    if (!d) throw notFound('document');
    const a = await this.getVisible(actor, d.alliance_id).catch(() => {
      throw notFound('document');
    });
    if (!policy.manageAlliance(actor, a)) throw forbidden();
    const { fields, terms, file } = await this.receiveUpload(req, VersionFields, `documents/${a.id}`);
    try {
      await this.db.transaction().execute(async (tx) => {
        // the version number is taken inside the write transaction: two uploads never share one
        const cur = await tx.selectFrom('documents').select('current_version').where('id', '=', docId).executeTakeFirstOrThrow();
        const version = cur.current_version + 1;
        await this.insertVersion(tx, docId, version, fields, terms, file, actor.userId);
        await tx.updateTable('documents').set({ current_version: version, updated_at: nowIso() }).where('id', '=', docId).execute();
        await audit(tx, req, {
          action: 'document.version',
          entityType: 'document',
          entityId: docId,
          regionId: a.region_id,
          allianceId: a.id,
          detail: { title: d.title, version, fileName: file.name, sha256: file.sha256, terms },
        });
      });
    } catch (err) {
      await this.storage.delete(file.key);
      if (isUniqueViolation(err)) throw conflict('版本号冲突，请重试');
      throw err;
    }
    return this.document(actor, docId);
  }

  private async insertVersion(
    tx: Tx,
    docId: string,
    version: number,
    f: z.infer<typeof VersionFields>,
    terms: unknown,
    file: { key: string; size: number; sha256: string; name: string; mime: string },
    userId: string,
  ) {
    await tx
      .insertInto('document_versions')
      .values({
        id: newId(),
        document_id: docId,
        version,
        file_key: file.key,
        file_name: file.name,
        file_size: file.size,
        mime: file.mime,
        sha256: file.sha256,
        terms: toJson(terms),
        effective_from: f.effectiveFrom ?? null,
        effective_to: f.effectiveTo ?? null,
        note: f.note ?? null,
        created_by: userId,
        created_at: nowIso(),
      })
      .execute();
  }
}

async function readHead(storage: Storage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of storage.get(key)) {
    chunks.push(c as Buffer);
    n += (c as Buffer).length;
    if (n >= 512) break;
  }
  return Buffer.concat(chunks).subarray(0, 512);
}

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

function describe(action: string, d: Record<string, unknown>, lang: 'zh' | 'en'): string {
  const base = ACTION_TEXT[action]?.[lang] ?? action;
  const what = [d.name, d.school, d.title, d.partner, d.person, d.reason, d.comment].filter((x) => typeof x === 'string' && x).join(' · ');
  return what ? `${base}：${what}` : base;
}
