/**
 * Credits (SPEC S3.3), administering an alliance's ledger: its rules, grants (starting and extra),
 * adjustments and per-account overdraft limits. Who may: ./policy.ts (`managesLedger`).
 */
import type { z } from 'zod';
import { nowIso, toJson } from '../../db/index.js';
import { audit, changes } from '../../platform/audit.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { runIdempotent } from '../../platform/idempotency.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { startingGrantOf, withDefaults, type CreditRules } from '../../../common/pricing.js';
import { FACILITY_TYPES } from '../../../common/facilities.js';
import { issuanceOf, post, type Owner } from './ledger.js';
import { loadRules } from './rules.js';
import { school } from './hooks.js';
import { CreditReads, type LedgerAllianceRow } from './reading.js';
import { managesLedger, readsLedger, seesAlliance } from './policy.js';
import type { AdjustmentInput, CreditRulesUpdate, GrantInput } from './schema.js';

export class CreditAdmin extends CreditReads {
  private async manageable(actor: Actor, allianceId: string): Promise<LedgerAllianceRow> {
    const a = await this.alliance(allianceId);
    if (!managesLedger(actor, a)) {
      if (seesAlliance(actor, a)) throw new AppError(403, 'forbidden');
      throw notFound('alliance');
    }
    return a;
  }

  // ---- rules -------------------------------------------------------------------------------------

  async getRules(ctx: Ctx, allianceId: string) {
    const { actor } = ctx;
    const a = await this.alliance(allianceId);
    if (!(readsLedger(actor, a) || actor.memberAlliances.has(a.id))) throw notFound('alliance');
    const r = await loadRules(this.db, a.id);
    return { allianceId: a.id, ...r };
  }

  async putRules(ctx: Ctx, allianceId: string, body: z.infer<typeof CreditRulesUpdate>) {
    const { actor } = ctx;
    const a = await this.manageable(actor, allianceId);
    const rules = await this.db.transaction().execute(async (tx) => {
      const before = (await loadRules(tx, a.id)).rules;
      const after: CreditRules = withDefaults({ ...before, ...body });
      const unknown = Object.keys(after.rates).filter((t) => !(FACILITY_TYPES.codes as readonly string[]).includes(t));
      if (unknown.length)
        throw badRequest(unknown.map((t) => ({ field: `rates.${t}`, code: 'invalid_value' as const, params: { options: FACILITY_TYPES.codes } })));
      const now = nowIso();
      await tx
        .insertInto('credit_rules')
        .values({ alliance_id: a.id, rules: toJson(after), updated_by: actor.userId, updated_at: now })
        .onConflict((oc) => oc.column('alliance_id').doUpdateSet({ rules: toJson(after), updated_by: actor.userId, updated_at: now }))
        .execute();
      await audit(tx, ctx, {
        action: 'credit.rules_update',
        entityType: 'alliance',
        entityId: a.id,
        regionId: a.regionId,
        allianceId: a.id,
        detail: changes(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>),
      });
      return after;
    });
    return { allianceId: a.id, rules, custom: true, updatedAt: nowIso(), updatedBy: actor.userId };
  }

  // ---- grants and adjustments --------------------------------------------------------------------

  async grant(ctx: Ctx, allianceId: string, body: z.infer<typeof GrantInput>, key: string | undefined) {
    const { actor } = ctx;
    const a = await this.manageable(actor, allianceId);
    // the alliance's active members (the directory), with the 薄弱校 / 农村校 tags the rules pay extra for
    const org = await this.org();
    const ids = org.schoolsOf(a.id).sort();
    const tags = await this.schoolTags(ids);
    const members = ids.map((id) => {
      const s = org.school(id);
      return { id, name: s?.name ?? id, tags: tags.get(id) ?? [], location: s?.location ?? '' };
    });
    let targets = members;
    if (body.schoolId) {
      targets = members.filter((m) => m.id === body.schoolId);
      if (targets.length === 0)
        throw badRequest([{ field: 'schoolId', code: 'invalid', params: { reason: '不是本联盟的在盟成员校 / not an active member of this alliance' } }]);
    }
    const stored = await runIdempotent(
      this.db,
      { key, userId: actor.userId, route: `POST /api/alliances/${a.id}/credit-grants`, body, status: 201 },
      async (tx) => {
        const rules = (await loadRules(tx, a.id)).rules;
        const granted: { schoolId: string; schoolName: string; amount: number; transactionId: string }[] = [];
        const skipped: { schoolId: string; schoolName: string }[] = [];
        if (body.type === 'starting') {
          for (const s of targets) {
            const g = startingGrantOf(rules, { tags: s.tags, location: s.location });
            if (g.amount <= 0) {
              skipped.push({ schoolId: s.id, schoolName: s.name });
              continue;
            }
            const parts = [`起始积分 ${g.base}`, g.weakExtra ? `薄弱校加发 ${g.weakExtra}` : '', g.ruralExtra ? `农村校加发 ${g.ruralExtra}` : ''].filter(
              Boolean,
            );
            const res = await post(tx, this.database.dialect, {
              allianceId: a.id,
              kind: 'grant',
              causeType: 'starting_grant',
              causeId: s.id,
              memo: parts.join('，'),
              createdBy: actor.userId,
              legs: [
                { owner: issuanceOf(a.id), amount: -g.amount },
                { owner: school(s.id), amount: g.amount },
              ],
            });
            if (res.replay) skipped.push({ schoolId: s.id, schoolName: s.name });
            else granted.push({ schoolId: s.id, schoolName: s.name, amount: g.amount, transactionId: res.transactionId });
          }
        } else {
          for (const s of targets) {
            // one transaction per school, so each school's statement links to its own grant
            const res = await post(tx, this.database.dialect, {
              allianceId: a.id,
              kind: 'grant',
              causeType: 'request',
              causeId: newId(),
              memo: body.reason,
              createdBy: actor.userId,
              legs: [
                { owner: issuanceOf(a.id), amount: -body.amount },
                { owner: school(s.id), amount: body.amount },
              ],
            });
            granted.push({ schoolId: s.id, schoolName: s.name, amount: body.amount, transactionId: res.transactionId });
          }
        }
        const total = granted.reduce((x, g) => x + g.amount, 0);
        await audit(tx, ctx, {
          action: 'credit.grant',
          entityType: 'alliance',
          entityId: a.id,
          regionId: a.regionId,
          allianceId: a.id,
          schoolId: body.schoolId ?? null,
          detail: {
            type: body.type,
            reason: body.type === 'extra' ? body.reason : null,
            total,
            granted: granted.map((g) => [g.schoolId, g.amount]),
            skipped: skipped.length,
          },
        });
        return { granted, skipped, total };
      },
    );
    return stored;
  }

  async adjust(ctx: Ctx, allianceId: string, body: z.infer<typeof AdjustmentInput>, key: string | undefined) {
    const { actor } = ctx;
    const a = await this.manageable(actor, allianceId);
    // the owner must belong to the alliance (member school, linked partner, teacher of a member school), or hold an account already
    const has = await this.db
      .selectFrom('credit_accounts')
      .select('id')
      .where('alliance_id', '=', a.id)
      .where('owner_type', '=', body.ownerType)
      .where('owner_id', '=', body.ownerId)
      .executeTakeFirst();
    if (!has) {
      let ok = false;
      if (body.ownerType === 'school') ok = (await this.memberSchoolIds(a.id)).has(body.ownerId);
      else if (body.ownerType === 'partner') {
        ok = (await this.org()).partnersOf(a.id).includes(body.ownerId);
      } else {
        const u = await this.db.selectFrom('users').select('school_id').where('id', '=', body.ownerId).executeTakeFirst();
        ok = !!u?.school_id && (await this.memberSchoolIds(a.id)).has(u.school_id);
      }
      if (!ok) throw badRequest([{ field: 'ownerId', code: 'not_found' }]);
    }
    const stored = await runIdempotent(
      this.db,
      { key, userId: actor.userId, route: `POST /api/alliances/${a.id}/credit-adjustments`, body, status: 201 },
      async (tx) => {
        const owner: Owner = { type: body.ownerType, id: body.ownerId };
        const res = await post(tx, this.database.dialect, {
          allianceId: a.id,
          kind: 'adjustment',
          causeType: 'adjustment',
          causeId: newId(),
          memo: body.reason,
          createdBy: actor.userId,
          legs: [
            { owner, amount: body.amount },
            { owner: issuanceOf(a.id), amount: -body.amount },
          ],
        });
        await audit(tx, ctx, {
          action: 'credit.adjustment',
          entityType: 'credit_transaction',
          entityId: res.transactionId,
          regionId: a.regionId,
          allianceId: a.id,
          schoolId: body.ownerType === 'school' ? body.ownerId : null,
          detail: { ownerType: body.ownerType, ownerId: body.ownerId, amount: body.amount, reason: body.reason },
        });
        return this.transactionDetail(tx, res.transactionId);
      },
    );
    return stored;
  }

  /** A per-account overdraft limit (null = the alliance's rule); school, partner and teacher accounts. */
  async setOverdraft(ctx: Ctx, accountId: string, limit: number | null) {
    const { actor } = ctx;
    const acc = await this.db.selectFrom('credit_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    if (!acc) throw notFound('credit_account');
    const a = await this.alliance(acc.alliance_id);
    if (!managesLedger(actor, a)) {
      if (readsLedger(actor, a)) throw new AppError(403, 'forbidden');
      throw notFound('credit_account');
    }
    if (acc.owner_type === 'pool' || acc.owner_type === 'issuance') {
      throw badRequest([
        { field: 'overdraftLimit', code: 'invalid', params: { reason: '联盟公共积分池和发行账户没有透支额度 / pool and issuance accounts have no limit' } },
      ]);
    }
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('credit_accounts').set({ overdraft_limit: limit }).where('id', '=', acc.id).execute();
      await audit(tx, ctx, {
        action: 'credit.overdraft_limit',
        entityType: 'credit_account',
        entityId: acc.id,
        regionId: a.regionId,
        allianceId: a.id,
        schoolId: acc.owner_type === 'school' ? acc.owner_id : null,
        detail: { from: acc.overdraft_limit, to: limit },
      });
    });
    const names = await this.ownerNames(this.db, [acc]);
    return this.accountOut(names, { ...acc, overdraft_limit: limit });
  }
}
