/**
 * Membership lifecycle ([001] 青岛 审核机制): apply → 联盟评估 → 理事会推荐 → 教育局审批 → member;
 * exit on the alliance's or bureau's motion, with a reason. Every decision is recorded with who, when,
 * why and from where; the state change, the decision and the audit entry commit together.
 */
import type { ApplicationStatus } from '../../../../common/vocab.js';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../../db/index.js';
import { isUniqueViolation, nowIso } from '../../../db/index.js';
import { transition } from '../../../db/transition.js';
import type { AlliancesTable } from '../../../db/schema.js';
import { audit } from '../../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { policy, type Actor } from '../../../platform/policy.js';
import { todayIn } from '../../../../common/time.js';
import { APPLICATION_STATUS, OPEN_APPLICATION_STATUSES } from '../../../../common/vocab.js';
import type { ApplicationCreate, ApplicationQuery } from './schema.js';

export type Step = 'evaluate' | 'recommend' | 'approve' | 'withdraw';

/** The status an application must be in for each step, and where a pass / a fail leads. */
export const TRANSITIONS: Record<Step, { from: ApplicationStatus | 'open'; pass: ApplicationStatus; fail: ApplicationStatus }> = {
  evaluate: { from: 'submitted', pass: 'evaluated', fail: 'rejected' },
  recommend: { from: 'evaluated', pass: 'recommended', fail: 'rejected' },
  approve: { from: 'recommended', pass: 'approved', fail: 'rejected' },
  withdraw: { from: 'open', pass: 'withdrawn', fail: 'withdrawn' },
};
const OPEN: readonly string[] = OPEN_APPLICATION_STATUSES;

const STEP_NAMES: Record<Step, string> = { evaluate: '联盟评估', recommend: '理事会推荐', approve: '教育局审批', withdraw: '撤回' };

export class MembershipService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }

  private scope<QB extends { where: any }>(qb: QB, actor: Actor): QB {
    if (actor.isPlatformAdmin) return qb;
    return qb.where((eb: any) => {
      const ors = [];
      if (actor.readRegions.size) ors.push(eb('a.region_id', 'in', [...actor.readRegions]));
      if (actor.adminAlliances.size) ors.push(eb('a.id', 'in', [...actor.adminAlliances]));
      if (actor.schools.size) ors.push(eb('p.school_id', 'in', [...actor.schools]));
      return ors.length ? eb.or(ors) : eb.lit(false);
    });
  }

  async list(actor: Actor, q: z.infer<typeof ApplicationQuery>) {
    let qb = this.db
      .selectFrom('membership_applications as p')
      .innerJoin('alliances as a', 'a.id', 'p.alliance_id')
      .innerJoin('schools as s', 's.id', 'p.school_id');
    qb = this.scope(qb, actor);
    if (q.status) qb = qb.where('p.status', '=', q.status);
    if (q.allianceId) qb = qb.where('p.alliance_id', '=', q.allianceId);
    if (q.schoolId) qb = qb.where('p.school_id', '=', q.schoolId);
    const { total } = await qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await qb
      .selectAll('p')
      .select(['a.name as alliance_name', 's.name as school_name'])
      .orderBy('p.updated_at', 'desc')
      .orderBy('p.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    const decisions = rows.length
      ? await this.db
          .selectFrom('application_decisions')
          .selectAll()
          .where(
            'application_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('at')
          .execute()
      : [];
    return {
      items: rows.map((r) => ({
        id: r.id,
        allianceId: r.alliance_id,
        allianceName: r.alliance_name,
        schoolId: r.school_id,
        schoolName: r.school_name,
        status: r.status as 'submitted',
        reason: r.reason,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        decisions: decisions
          .filter((d) => d.application_id === r.id)
          .map((d) => ({ step: d.step, decision: d.decision, comment: d.comment, actorName: d.actor_name, at: d.at })),
      })),
      total: Number(total),
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  private async load(tx: Db | Tx, actor: Actor, id: string) {
    const p = await tx.selectFrom('membership_applications').selectAll().where('id', '=', id).executeTakeFirst();
    if (!p) throw notFound('application');
    const a = await tx.selectFrom('alliances').selectAll().where('id', '=', p.alliance_id).executeTakeFirstOrThrow();
    if (!policy.readApplication(actor, a, p.school_id)) throw notFound('application');
    return { p, a };
  }

  async get(actor: Actor, id: string) {
    const { p } = await this.load(this.db, actor, id);
    const res = await this.list(actor, { allianceId: p.alliance_id, schoolId: p.school_id, page: 1, pageSize: 100 });
    return res.items.find((i) => i.id === id)!;
  }

  async apply(req: FastifyRequest, actor: Actor, input: z.infer<typeof ApplicationCreate>) {
    const id = newId();
    try {
      await this.db.transaction().execute(async (tx) => {
        const school = await tx.selectFrom('schools').select(['id', 'name', 'region_id']).where('id', '=', input.schoolId).executeTakeFirst();
        if (!school || !(actor.isPlatformAdmin || actor.schools.has(school.id))) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
        if (!policy.applyForSchool(actor, school.id)) throw forbidden();
        const a = await tx.selectFrom('alliances').selectAll().where('id', '=', input.allianceId).executeTakeFirst();
        if (!a || !policy.readAlliance(actor, a)) throw badRequest([{ field: 'allianceId', code: 'not_found' }]);
        if (a.status !== 'active') throw conflict('该联盟已解散', [{ field: 'allianceId', code: 'invalid', params: { reason: '联盟已解散' } }]);
        const member = await tx
          .selectFrom('alliance_members')
          .select('id')
          .where('alliance_id', '=', a.id)
          .where('school_id', '=', school.id)
          .where('status', '=', 'active')
          .executeTakeFirst();
        if (member) throw conflict('该校已是联盟成员', [{ field: 'schoolId', code: 'invalid', params: { reason: '已是成员校' } }]);
        if (a.kind === 'fusion') await this.assertNoOtherFusion(tx, school.id, a.id);
        const now = nowIso();
        await tx
          .insertInto('membership_applications')
          .values({
            id,
            alliance_id: a.id,
            school_id: school.id,
            status: 'submitted',
            reason: input.reason,
            applied_by: actor.userId,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await tx
          .insertInto('application_decisions')
          .values({
            id: newId(),
            application_id: id,
            step: 'submit',
            decision: 'pass',
            comment: input.reason,
            actor_id: actor.userId,
            actor_name: actor.displayName,
            ip: req.ip,
            at: now,
          })
          .execute();
        await audit(tx, req, {
          action: 'application.submit',
          entityType: 'application',
          entityId: id,
          regionId: a.region_id,
          allianceId: a.id,
          schoolId: school.id,
          detail: { school: school.name, reason: input.reason },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('该校已有一份进行中的申请', [{ field: 'allianceId', code: 'duplicate' }]);
      throw err;
    }
    return this.get(actor, id);
  }

  private async assertNoOtherFusion(tx: Db | Tx, schoolId: string, allianceId: string) {
    const other = await tx
      .selectFrom('alliance_members')
      .select('alliance_id')
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      .where('alliance_kind', '=', 'fusion')
      .where('alliance_id', '!=', allianceId)
      .executeTakeFirst();
    if (other)
      throw conflict('该校已属于一个融合型教育集团，不能再加入另一个', [
        { field: 'schoolId', code: 'invalid', params: { reason: '一所学校最多属于一个融合型集团' } },
      ]);
  }

  /** One step of the review. The status is re-read inside the write transaction, so two reviewers never both act. */
  async decide(req: FastifyRequest, actor: Actor, id: string, step: Step, decision: 'pass' | 'fail', comment: string | null) {
    try {
      await this.db.transaction().execute(async (tx) => {
        const { p, a } = await this.load(tx, actor, id);
        const allowed =
          step === 'approve' ? policy.bureauStep(actor, a) : step === 'withdraw' ? policy.applyForSchool(actor, p.school_id) : policy.allianceStep(actor, a);
        if (!allowed) throw forbidden();
        if (step === 'recommend') {
          // separation of duties: whoever evaluated the application does not also recommend it
          const evaluatedBySame = await tx
            .selectFrom('application_decisions')
            .select('id')
            .where('application_id', '=', id)
            .where('step', '=', 'evaluate')
            .where('actor_id', '=', actor.userId)
            .executeTakeFirst();
          if (evaluatedBySame) throw new AppError(403, 'separation_of_duties');
        }
        const t = TRANSITIONS[step];
        const inState = t.from === 'open' ? OPEN.includes(p.status) : p.status === t.from;
        if (!inState) {
          throw new AppError(409, 'invalid_transition', { status: APPLICATION_STATUS.label(p.status, req.lang), step: STEP_NAMES[step] });
        }
        if (decision === 'fail' && step !== 'withdraw' && !comment) throw badRequest([{ field: 'comment', code: 'required' }]);
        const next = decision === 'pass' ? t.pass : t.fail;
        const now = nowIso();
        const recordedStep = step !== 'withdraw' && decision === 'fail' ? 'reject' : step;
        // compare-and-set on the status read: of two concurrent decisions one wins, the other gets 409 and writes nothing
        await transition(
          tx,
          'membership_applications',
          id,
          p.status,
          { status: next, updated_at: now },
          (cur) => new AppError(409, 'invalid_transition', { status: APPLICATION_STATUS.label(cur ?? p.status, req.lang), step: STEP_NAMES[step] }),
        );
        await tx
          .insertInto('application_decisions')
          .values({
            id: newId(),
            application_id: id,
            step: recordedStep,
            decision,
            comment,
            actor_id: actor.userId,
            actor_name: actor.displayName,
            ip: req.ip,
            at: now,
          })
          .execute();
        const school = await tx.selectFrom('schools').select('name').where('id', '=', p.school_id).executeTakeFirstOrThrow();
        if (next === 'approved') await this.admit(tx, a, p.school_id);
        await audit(tx, req, {
          action: `application.${recordedStep}`,
          entityType: 'application',
          entityId: id,
          regionId: a.region_id,
          allianceId: a.id,
          schoolId: p.school_id,
          detail: { school: school.name, step, decision, comment, from: p.status, to: next },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('该校已属于一个融合型教育集团，不能再加入另一个');
      throw err;
    }
    return this.get(actor, id);
  }

  private async admit(tx: Tx, a: AlliancesTable, schoolId: string) {
    if (a.kind === 'fusion') await this.assertNoOtherFusion(tx, schoolId, a.id);
    await tx
      .insertInto('alliance_members')
      .values({
        id: newId(),
        alliance_id: a.id,
        school_id: schoolId,
        alliance_kind: a.kind,
        role: 'member',
        status: 'active',
        joined_on: todayIn(),
        exited_on: null,
        exit_reason: null,
        exit_by: null,
        created_at: nowIso(),
      })
      .execute();
  }

  /** A member leaves on the alliance's or the bureau's motion, with a reason. The core school cannot. */
  async exit(req: FastifyRequest, actor: Actor, allianceId: string, schoolId: string, reason: string) {
    return this.db.transaction().execute(async (tx) => {
      const a = await tx.selectFrom('alliances').selectAll().where('id', '=', allianceId).executeTakeFirst();
      if (!a || !policy.readAlliance(actor, a)) throw notFound('alliance');
      if (!policy.exitMember(actor, a)) throw forbidden();
      const m = await tx
        .selectFrom('alliance_members as m')
        .innerJoin('schools as s', 's.id', 'm.school_id')
        .select(['m.id', 'm.role', 's.name', 'm.joined_on'])
        .where('m.alliance_id', '=', allianceId)
        .where('m.school_id', '=', schoolId)
        .where('m.status', '=', 'active')
        .executeTakeFirst();
      if (!m) throw notFound('member');
      if (m.role === 'core') throw conflict('核心校不能退出；请先更换核心校', [{ field: 'schoolId', code: 'invalid', params: { reason: '核心校' } }]);
      const today = todayIn();
      await transition(tx, 'alliance_members', m.id, 'active', { status: 'exited', exited_on: today, exit_reason: reason, exit_by: actor.userId }, () =>
        notFound('member'),
      );
      await audit(tx, req, {
        action: 'member.exit',
        entityType: 'alliance',
        entityId: allianceId,
        regionId: a.region_id,
        allianceId,
        schoolId,
        detail: { school: m.name, reason },
      });
      return { id: m.id, schoolId, schoolName: m.name, role: m.role, status: 'exited', joinedOn: m.joined_on, exitedOn: today, exitReason: reason };
    });
  }
}
