/**
 * Membership lifecycle ([001] 青岛 审核机制): apply → 联盟评估 → 理事会推荐 → 教育局审批 → member;
 * exit on the alliance's or bureau's motion, with a reason. Every decision is recorded with who, when,
 * why and from where; the state change, the decision and the audit entry commit together. The rows of
 * `alliance_members` themselves are written by `members.ts` only.
 */
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../../db/index.js';
import { isUniqueViolation } from '../../../db/index.js';
import type { ApplicationDecisionsTable, MembershipApplicationsTable } from '../../../db/schema.js';
import { transition } from '../../../db/transition.js';
import { audit } from '../../../platform/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { inScope } from '../../../platform/scope.js';
import { localDate } from '../../../../common/time.js';
import { APPLICATION_STATUS, OPEN_APPLICATION_STATUSES, type ApplicationStatus } from '../../../../common/vocab.js';
import { directoryOf, type OrgSnapshot } from '../directory.js';
import { applicationReadScope, orgPolicy } from '../policy.js';
import { activeMembership, addMember, assertNoOtherFusion, exitMember } from './members.js';
import type { ApplicationCreate, ApplicationQuery } from './schema.js';

export type Step = 'evaluate' | 'recommend' | 'approve' | 'withdraw';

/** The status an application must be in for each step, and where a pass / a fail leads. */
export const TRANSITIONS: Record<Step, { from: ApplicationStatus | 'open'; pass: ApplicationStatus; fail: ApplicationStatus }> = {
  evaluate: { from: 'submitted', pass: 'evaluated', fail: 'rejected' },
  recommend: { from: 'evaluated', pass: 'recommended', fail: 'rejected' },
  approve: { from: 'recommended', pass: 'approved', fail: 'rejected' },
  withdraw: { from: 'open', pass: 'withdrawn', fail: 'withdrawn' },
};
const OPEN: readonly ApplicationStatus[] = OPEN_APPLICATION_STATUSES;

const STEP_NAMES: Record<Step, string> = { evaluate: '联盟评估', recommend: '理事会推荐', approve: '教育局审批', withdraw: '撤回' };

type Decision = Pick<ApplicationDecisionsTable, 'application_id' | 'step' | 'decision' | 'comment' | 'actor_name' | 'at'>;

function toOut(org: OrgSnapshot, r: MembershipApplicationsTable, decisions: readonly Decision[]) {
  return {
    id: r.id,
    allianceId: r.alliance_id,
    allianceName: org.alliance(r.alliance_id)?.name ?? '',
    schoolId: r.school_id,
    schoolName: org.school(r.school_id)?.name ?? '',
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    decisions: decisions
      .filter((d) => d.application_id === r.id)
      .map((d) => ({ step: d.step, decision: d.decision, comment: d.comment, actorName: d.actor_name, at: d.at })),
  };
}

export class MembershipService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }
  private get directory() {
    return directoryOf(this.database);
  }

  async list(ctx: Ctx, q: z.infer<typeof ApplicationQuery>) {
    const org = await this.directory.current();
    const scope = applicationReadScope(ctx.actor, org);
    let qb = this.db.selectFrom('membership_applications as p').where((eb) => inScope(eb, scope, { alliances: 'p.alliance_id', schools: 'p.school_id' }));
    if (q.status) qb = qb.where('p.status', '=', q.status);
    if (q.allianceId) qb = qb.where('p.alliance_id', '=', q.allianceId);
    if (q.schoolId) qb = qb.where('p.school_id', '=', q.schoolId);
    const [{ total }, rows] = await Promise.all([
      qb.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      qb
        .selectAll('p')
        .orderBy('p.updated_at', 'desc')
        .orderBy('p.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
    ]);
    const decisions = await this.decisionsOf(rows.map((r) => r.id));
    return { items: rows.map((r) => toOut(org, r, decisions)), total: Number(total), page: q.page, pageSize: q.pageSize };
  }

  private async decisionsOf(ids: string[]): Promise<Decision[]> {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('application_decisions')
      .select(['application_id', 'step', 'decision', 'comment', 'actor_name', 'at'])
      .where('application_id', 'in', ids)
      .orderBy('at')
      .execute();
  }

  async get(ctx: Ctx, id: string) {
    const org = await this.directory.current();
    const p = await this.db.selectFrom('membership_applications').selectAll().where('id', '=', id).executeTakeFirst();
    const a = p && org.alliance(p.alliance_id);
    if (!p || !a || !orgPolicy.readApplication(ctx.actor, { id: a.id, region_id: a.regionId }, p.school_id)) throw notFound('application');
    return toOut(org, p, await this.decisionsOf([p.id]));
  }

  async apply(ctx: Ctx, input: z.infer<typeof ApplicationCreate>) {
    const { actor } = ctx;
    const org = await this.directory.current();
    const school = org.school(input.schoolId);
    if (!school || !(actor.isPlatformAdmin || actor.schools.has(school.id))) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
    if (!orgPolicy.applyForSchool(actor, school.id)) throw forbidden();
    const id = newId();
    try {
      await this.db.transaction().execute(async (tx) => {
        // the alliance and the membership are read inside the write transaction (a dissolution or an admission a moment ago counts)
        const a = await tx.selectFrom('alliances').selectAll().where('id', '=', input.allianceId).executeTakeFirst();
        if (!a || !orgPolicy.readAlliance(actor, a)) throw badRequest([{ field: 'allianceId', code: 'not_found' }]);
        if (a.status !== 'active') throw conflict('该联盟已解散', [{ field: 'allianceId', code: 'invalid', params: { reason: '联盟已解散' } }]);
        if (await activeMembership(tx, a.id, school.id))
          throw conflict('该校已是联盟成员', [{ field: 'schoolId', code: 'invalid', params: { reason: '已是成员校' } }]);
        if (a.kind === 'fusion') await assertNoOtherFusion(tx, school.id, a.id);
        const now = ctx.now.toISOString();
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
        await this.record(tx, ctx, id, 'submit', 'pass', input.reason, now);
        await audit(tx, ctx, {
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
    return this.get(ctx, id);
  }

  private async record(tx: Tx, ctx: Ctx, applicationId: string, step: string, decision: 'pass' | 'fail', comment: string | null, at: string) {
    await tx
      .insertInto('application_decisions')
      .values({
        id: newId(),
        application_id: applicationId,
        step,
        decision,
        comment,
        actor_id: ctx.actor.userId,
        actor_name: ctx.actor.displayName,
        ip: ctx.ip,
        at,
      })
      .execute();
  }

  /** One step of the review. The status is re-read inside the write transaction, so two reviewers never both act. */
  async decide(ctx: Ctx, id: string, step: Step, decision: 'pass' | 'fail', comment: string | null) {
    const { actor } = ctx;
    const org = await this.directory.current();
    let admitted = false;
    try {
      await this.db.transaction().execute(async (tx) => {
        const p = await tx.selectFrom('membership_applications').selectAll().where('id', '=', id).executeTakeFirst();
        if (!p) throw notFound('application');
        const a = await tx.selectFrom('alliances').selectAll().where('id', '=', p.alliance_id).executeTakeFirstOrThrow();
        if (!orgPolicy.readApplication(actor, a, p.school_id)) throw notFound('application');
        const allowed =
          step === 'approve'
            ? orgPolicy.bureauStep(actor, a)
            : step === 'withdraw'
              ? orgPolicy.applyForSchool(actor, p.school_id)
              : orgPolicy.allianceStep(actor, a);
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
          throw new AppError(409, 'invalid_transition', { status: APPLICATION_STATUS.label(p.status, ctx.lang), step: STEP_NAMES[step] });
        }
        if (decision === 'fail' && step !== 'withdraw' && !comment) throw badRequest([{ field: 'comment', code: 'required' }]);
        const next = decision === 'pass' ? t.pass : t.fail;
        const now = ctx.now.toISOString();
        const recordedStep = step !== 'withdraw' && decision === 'fail' ? 'reject' : step;
        // compare-and-set on the status read: of two concurrent decisions one wins, the other gets 409 and writes nothing
        await transition(
          tx,
          'membership_applications',
          id,
          p.status,
          { status: next, updated_at: now },
          (cur) => new AppError(409, 'invalid_transition', { status: APPLICATION_STATUS.label(cur ?? p.status, ctx.lang), step: STEP_NAMES[step] }),
        );
        await this.record(tx, ctx, id, recordedStep, decision, comment, now);
        if (next === 'approved') {
          await addMember(tx, { allianceId: a.id, schoolId: p.school_id, allianceKind: a.kind, role: 'member', joinedOn: localDate(ctx.now.getTime()), now });
          admitted = true;
        }
        await audit(tx, ctx, {
          action: `application.${recordedStep}`,
          entityType: 'application',
          entityId: id,
          regionId: a.region_id,
          allianceId: a.id,
          schoolId: p.school_id,
          detail: { school: org.school(p.school_id)?.name ?? '', step, decision, comment, from: p.status, to: next },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('该校已属于一个融合型教育集团，不能再加入另一个');
      throw err;
    }
    if (admitted) this.directory.invalidate();
    return this.get(ctx, id);
  }

  /** A member leaves on the alliance's or the bureau's motion, with a reason. The core school cannot. */
  async exit(ctx: Ctx, allianceId: string, schoolId: string, reason: string) {
    const { actor } = ctx;
    const org = await this.directory.current();
    const al = org.alliance(allianceId);
    const a = al && { id: al.id, region_id: al.regionId };
    if (!a || !orgPolicy.readAlliance(actor, a)) throw notFound('alliance');
    if (!orgPolicy.exitMember(actor, a)) throw forbidden();
    const today = localDate(ctx.now.getTime());
    const schoolName = org.school(schoolId)?.name ?? '';
    const m = await this.db.transaction().execute(async (tx) => {
      const row = await exitMember(tx, { allianceId, schoolId, reason, by: actor.userId, on: today });
      await audit(tx, ctx, {
        action: 'member.exit',
        entityType: 'alliance',
        entityId: allianceId,
        regionId: a.region_id,
        allianceId,
        schoolId,
        detail: { school: schoolName, reason },
      });
      return row;
    });
    this.directory.invalidate();
    return {
      id: m.id,
      schoolId,
      schoolName,
      role: m.role,
      status: 'exited' as const,
      joinedOn: m.joined_on,
      exitedOn: today,
      exitReason: reason,
    };
  }
}
