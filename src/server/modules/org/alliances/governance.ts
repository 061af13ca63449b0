/**
 * An alliance's governance (理事会、监事会、秘书处、学科组… with their members and terms), its milestones and
 * the bureau's 2-yearly assessment (动态调整). Every change is audited and answers the alliance's detail.
 */
import type { z } from 'zod';
import type { Tx } from '../../../db/index.js';
import { audit } from '../../../platform/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { badRequest, forbidden, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { localDate } from '../../../../common/time.js';
import { activeMembership } from '../memberships/members.js';
import { orgPolicy } from '../policy.js';
import type { AssessmentCreate, BodyCreate, BodyMemberCreate, MilestoneCreate } from './schema.js';
import type { AllianceService } from './service.js';

/** 400 naming `field` unless the school is an active member (read inside the write transaction). */
async function assertMember(tx: Tx, allianceId: string, schoolId: string, field: string) {
  if (!(await activeMembership(tx, allianceId, schoolId))) throw badRequest([{ field, code: 'invalid', params: { reason: '须为联盟成员校' } }]);
}

export class GovernanceService {
  constructor(private readonly alliances: AllianceService) {}
  private get db() {
    return this.alliances.db;
  }

  async addBody(ctx: Ctx, id: string, input: z.infer<typeof BodyCreate>) {
    const a = await this.alliances.getManageable(ctx, id);
    if (input.kind === 'subject_group' && !input.subject) throw badRequest([{ field: 'subject', code: 'required' }]);
    const bodyId = newId();
    await this.db.transaction().execute(async (tx) => {
      if (input.hostSchoolId) await assertMember(tx, id, input.hostSchoolId, 'hostSchoolId');
      await tx
        .insertInto('governance_bodies')
        .values({
          id: bodyId,
          alliance_id: id,
          kind: input.kind,
          name: input.name,
          subject: input.subject ?? null,
          host_school_id: input.hostSchoolId ?? null,
          created_at: ctx.now.toISOString(),
        })
        .execute();
      await audit(tx, ctx, {
        action: 'governance.body_create',
        entityType: 'body',
        entityId: bodyId,
        regionId: a.region_id,
        allianceId: id,
        detail: { kind: input.kind, name: input.name },
      });
    });
    return this.alliances.detail(ctx, id);
  }

  async addBodyMember(ctx: Ctx, bodyId: string, input: z.infer<typeof BodyMemberCreate>) {
    const body = await this.db.selectFrom('governance_bodies').select(['id', 'alliance_id', 'name']).where('id', '=', bodyId).executeTakeFirst();
    if (!body) throw notFound('body');
    const a = await this.alliances.getVisible(ctx, body.alliance_id).catch(() => {
      throw notFound('body');
    });
    if (!orgPolicy.manageAlliance(ctx.actor, a)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      if (input.schoolId) await assertMember(tx, a.id, input.schoolId, 'schoolId');
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
          created_at: ctx.now.toISOString(),
        })
        .execute();
      await audit(tx, ctx, {
        action: 'governance.member_add',
        entityType: 'body',
        entityId: bodyId,
        regionId: a.region_id,
        allianceId: a.id,
        detail: { body: body.name, person: input.personName, position: input.position, termStart: input.termStart, termEnd: input.termEnd },
      });
    });
    return this.alliances.detail(ctx, a.id);
  }

  // ---- milestones and assessments -------------------------------------------------------------
  async addMilestone(ctx: Ctx, id: string, input: z.infer<typeof MilestoneCreate>) {
    const a = await this.alliances.getManageable(ctx, id);
    await this.db.transaction().execute(async (tx) => {
      const mid = newId();
      await tx
        .insertInto('milestones')
        .values({ id: mid, alliance_id: id, phase: input.phase, title: input.title, due_on: input.dueOn, done_on: null, created_at: ctx.now.toISOString() })
        .execute();
      await audit(tx, ctx, { action: 'milestone.create', entityType: 'milestone', entityId: mid, regionId: a.region_id, allianceId: id, detail: input });
    });
    return this.alliances.detail(ctx, id);
  }

  async updateMilestone(ctx: Ctx, milestoneId: string, doneOn: string | null) {
    const m = await this.db.selectFrom('milestones').selectAll().where('id', '=', milestoneId).executeTakeFirst();
    if (!m) throw notFound('milestone');
    const a = await this.alliances.getVisible(ctx, m.alliance_id).catch(() => {
      throw notFound('milestone');
    });
    if (!orgPolicy.manageAlliance(ctx.actor, a)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('milestones').set({ done_on: doneOn }).where('id', '=', milestoneId).execute();
      await audit(tx, ctx, {
        action: doneOn ? 'milestone.done' : 'milestone.reopen',
        entityType: 'milestone',
        entityId: milestoneId,
        regionId: a.region_id,
        allianceId: a.id,
        detail: { title: m.title, doneOn },
      });
    });
    return this.alliances.detail(ctx, a.id);
  }

  /** 动态调整: the bureau (or platform) records the 2-yearly assessment. */
  async addAssessment(ctx: Ctx, id: string, input: z.infer<typeof AssessmentCreate>) {
    const a = await this.alliances.getVisible(ctx, id);
    if (!orgPolicy.assessAlliance(ctx.actor, a)) throw forbidden();
    if (input.assessedOn > localDate(ctx.now)) throw badRequest([{ field: 'assessedOn', code: 'invalid', params: { reason: '不能晚于今天' } }]);
    const now = ctx.now.toISOString();
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
          assessed_by: ctx.actor.userId,
          created_at: now,
        })
        .execute();
      if (!a.last_assessed_on || input.assessedOn > a.last_assessed_on) {
        await tx.updateTable('alliances').set({ last_assessed_on: input.assessedOn, updated_at: now }).where('id', '=', id).execute();
      }
      await audit(tx, ctx, { action: 'alliance.assess', entityType: 'alliance', entityId: id, regionId: a.region_id, allianceId: id, detail: input });
    });
    this.alliances.directory.invalidate();
    return this.alliances.detail(ctx, id);
  }
}
