/**
 * Credits (SPEC S3.3): the booking hooks other modules call inside their own transactions,
 * and the alliance's ledger administration (rules, grants, adjustments, balances, statements).
 * Every movement goes through ledger.post: one balanced transaction per cause, idempotent.
 */
import type { z } from 'zod';
import type { Database, Db, Tx } from '../../db/index.js';
import { fromJson, nowIso, toJson } from '../../db/index.js';
import { audit, changes, type AuditEntry, type AuditSource } from '../../platform/audit.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { runIdempotent } from '../../platform/idempotency.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { policy } from '../../platform/policy.js';
import {
  CREDIT_OWNER_TYPES,
  noShowPenaltyOf,
  quoteBooking,
  refundOf,
  splitCharge,
  startingGrantOf,
  withDefaults,
  type CreditRules,
  type PriceQuote,
} from '../../../common/pricing.js';
import { FACILITY_TYPES } from '../../../common/facilities.js';
import { accountOf, issuanceOf, poolOf, post, postedFor, type Owner, type OwnerType } from './ledger.js';
import { loadRules } from './rules.js';
import type { AdjustmentInput, CreditRulesUpdate, GrantInput, StatementQuery } from './schema.js';

export interface BookingForCredits {
  id: string; // booking id (the cause)
  allianceId: string | null; // the alliance under which the booking is made; null = own school / community
  facilityId: string;
  facilityType: string; // code from FACILITY_TYPES
  hostSchoolId: string | null; // owner school, or null when a partner venue
  hostPartnerId: string | null; // owner partner (community venue)
  bookerSchoolId: string | null; // the booking teacher's school
  startAt: string;
  endAt: string; // ISO UTC
}
/** the price of a booking (the pure quote of common/pricing.ts) */
export type Quote = PriceQuote;
export interface LedgerResult {
  transactionId: string | null;
  amount: number;
}
const NONE: LedgerResult = { transactionId: null, amount: 0 };

const school = (id: string): Owner => ({ type: 'school', id });
/** The acting user's id for `created_by` (none for the installation itself). */
const actorIdOf = (src: AuditSource): string | null => (src?.actor && !src.actor.system ? src.actor.userId : null);

/** A booking's local time for memos: 2026-11-24 09:00–11:00 (Asia/Shanghai). */
function localSpan(startAt: string, endAt: string, offsetMin: number): string {
  const f = (iso: string) => new Date(Date.parse(iso) + offsetMin * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  const s = f(startAt);
  const e = f(endAt);
  return s.slice(0, 10) === e.slice(0, 10) ? `${s}–${e.slice(11)}` : `${s}–${e}`;
}

/** Asia/Shanghai date → UTC instant of its midnight. */
const localMidnight = (date: string) => new Date(Date.parse(`${date}T00:00:00.000+08:00`)).toISOString();
const nextLocalMidnight = (date: string) => new Date(Date.parse(`${date}T00:00:00.000+08:00`) + 86_400_000).toISOString();

interface AllianceRow {
  id: string;
  region_id: string;
  name: string;
}

export class CreditService {
  constructor(private readonly database: Database) {}
  private get db(): Db {
    return this.database.db;
  }

  // ---- the booking hooks (called inside the caller's transaction) --------------------------------

  async quote(db: Db | Tx, b: BookingForCredits): Promise<Quote> {
    const rules = b.allianceId ? (await loadRules(db, b.allianceId)).rules : withDefaults(null);
    return quoteBooking(rules, b);
  }

  /**
   * Charges the booker, credits the host's share (the rest to the alliance pool); one balanced transaction,
   * cause = ('booking', b.id). Throws 409 insufficient_credits beyond the overdraft limit. Free (own school,
   * no alliance) → { transactionId: null, amount: 0 }. Idempotent per cause.
   */
  async chargeBooking(tx: Tx, src: AuditSource, b: BookingForCredits): Promise<LedgerResult> {
    if (!b.allianceId || !b.bookerSchoolId) return NONE;
    const res = await this.chargeWith(tx, src, b, (await loadRules(tx, b.allianceId)).rules);
    if (res.audit) await audit(tx, src, res.audit);
    return { transactionId: res.transactionId, amount: res.amount };
  }

  /**
   * The charge with the alliance's rules already read (the booking path reads them with the facility), and
   * its audit entry returned for the caller to write with its own (one insert). `transactionId` may be given
   * so that the booking row can carry it before the charge is posted.
   */
  async chargeWith(
    tx: Tx,
    src: AuditSource,
    b: BookingForCredits,
    rules: CreditRules,
    transactionId?: string,
  ): Promise<LedgerResult & { audit: AuditEntry | null }> {
    if (!b.allianceId || !b.bookerSchoolId) return { ...NONE, audit: null };
    const q = quoteBooking(rules, b);
    if (q.free || q.amount <= 0) return { ...NONE, audit: null };
    const host: Owner = b.hostSchoolId ? school(b.hostSchoolId) : b.hostPartnerId ? { type: 'partner', id: b.hostPartnerId } : poolOf(b.allianceId);
    const split = splitCharge(q.amount, rules.hostSharePct);
    const booker = school(b.bookerSchoolId);
    const res = await post(tx, this.database.dialect, {
      id: transactionId,
      allianceId: b.allianceId,
      kind: 'booking_charge',
      causeType: 'booking',
      causeId: b.id,
      memo: `${FACILITY_TYPES.label(b.facilityType)} ${localSpan(b.startAt, b.endAt, rules.utcOffsetMinutes)}（${q.hours} 小时，高峰 ${q.peakHours} 小时）`,
      createdBy: actorIdOf(src),
      legs: [
        { owner: booker, amount: -q.amount },
        { owner: host, amount: split.host },
        { owner: poolOf(b.allianceId), amount: split.pool },
      ],
      limited: [{ owner: booker, limit: rules.overdraftLimit }],
    });
    const entry: AuditEntry | null = res.replay
      ? null
      : {
          action: 'credit.booking_charge',
          entityType: 'credit_transaction',
          entityId: res.transactionId,
          allianceId: b.allianceId,
          schoolId: b.bookerSchoolId,
          detail: { bookingId: b.id, amount: q.amount, host: split.host, pool: split.pool },
        };
    return { transactionId: res.transactionId, amount: res.amount, audit: entry };
  }

  /** The amount a booking would be charged (pure, with the rules at hand). */
  quoteWith(rules: CreditRules, b: BookingForCredits): Quote {
    return quoteBooking(rules, b);
  }

  /** The entries of the booking's charge, by role (booker paid, host and pool received). */
  private async chargeOf(tx: Tx, allianceId: string, bookingId: string, chargeTxId?: string | null) {
    const charge = chargeTxId ? { id: chargeTxId } : await postedFor(tx, allianceId, 'booking_charge', 'booking', bookingId);
    if (!charge) return null;
    const entries = await tx
      .selectFrom('credit_entries as e')
      .innerJoin('credit_accounts as a', 'a.id', 'e.account_id')
      .select(['e.amount', 'a.owner_type', 'a.owner_id'])
      .where('e.transaction_id', '=', charge.id)
      .execute();
    const booker = entries.find((e) => e.amount < 0);
    const pool = entries.find((e) => e.owner_type === 'pool' && e.amount > 0);
    const host = entries.find((e) => e.amount > 0 && e.owner_type !== 'pool');
    if (!booker) return null;
    return {
      id: charge.id,
      booker: { owner: { type: booker.owner_type as OwnerType, id: booker.owner_id }, amount: -booker.amount },
      host: host ? { owner: { type: host.owner_type as OwnerType, id: host.owner_id }, amount: host.amount } : null,
      pool: pool?.amount ?? 0,
    };
  }

  /** Reverses the charge by the alliance's refund rule (timely: refundTimelyPct; late: refundLatePct). */
  async refundBooking(
    tx: Tx,
    req: AuditSource,
    b: BookingForCredits,
    opts: { timely: boolean; chargeTxId?: string | null; rules?: CreditRules },
  ): Promise<LedgerResult> {
    if (!b.allianceId) return NONE;
    if (opts.chargeTxId === null) return NONE; // the booking carries no charge
    const charge = await this.chargeOf(tx, b.allianceId, b.id, opts.chargeTxId);
    if (!charge) return NONE;
    const rules = opts.rules ?? (await loadRules(tx, b.allianceId)).rules;
    const pct = opts.timely ? rules.refundTimelyPct : rules.refundLatePct;
    const r = refundOf({ booker: charge.booker.amount, host: charge.host?.amount ?? 0, pool: charge.pool }, pct);
    if (r.booker <= 0) return NONE;
    const legs = [
      { owner: charge.booker.owner, amount: r.booker },
      { owner: poolOf(b.allianceId), amount: -r.pool },
    ];
    if (charge.host) legs.push({ owner: charge.host.owner, amount: -r.host });
    const res = await post(tx, this.database.dialect, {
      allianceId: b.allianceId,
      kind: 'booking_refund',
      causeType: 'booking',
      causeId: b.id,
      memo: `${opts.timely ? '按时取消退还' : '逾期取消退还'} ${pct}%`,
      createdBy: actorIdOf(req),
      legs,
    });
    if (!res.replay) {
      await audit(tx, req, {
        action: 'credit.booking_refund',
        entityType: 'credit_transaction',
        entityId: res.transactionId,
        allianceId: b.allianceId,
        schoolId: b.bookerSchoolId,
        detail: { bookingId: b.id, timely: opts.timely, pct, amount: r.booker },
      });
    }
    return { transactionId: res.transactionId, amount: res.amount };
  }

  /** The no-show penalty by the alliance's rule, paid to the alliance pool; the host keeps its share. */
  async penalizeNoShow(tx: Tx, req: AuditSource, b: BookingForCredits): Promise<LedgerResult> {
    if (!b.allianceId) return NONE;
    const charge = await this.chargeOf(tx, b.allianceId, b.id);
    if (!charge) return NONE;
    const rules = (await loadRules(tx, b.allianceId)).rules;
    const penalty = noShowPenaltyOf(rules, charge.booker.amount);
    if (penalty <= 0) return NONE;
    const res = await post(tx, this.database.dialect, {
      allianceId: b.allianceId,
      kind: 'no_show_penalty',
      causeType: 'booking',
      causeId: b.id,
      memo:
        rules.noShowPenalty.mode === 'percent'
          ? `未到场扣除（预约费用的 ${rules.noShowPenalty.value}%）`
          : `未到场扣除（固定 ${rules.noShowPenalty.value} 积分）`,
      createdBy: actorIdOf(req),
      legs: [
        { owner: charge.booker.owner, amount: -penalty },
        { owner: poolOf(b.allianceId), amount: penalty },
      ],
    });
    if (!res.replay) {
      await audit(tx, req, {
        action: 'credit.no_show_penalty',
        entityType: 'credit_transaction',
        entityId: res.transactionId,
        allianceId: b.allianceId,
        schoolId: b.bookerSchoolId,
        detail: { bookingId: b.id, amount: penalty },
      });
    }
    return { transactionId: res.transactionId, amount: res.amount };
  }

  /**
   * For the resources module (S2 contributions): claims the one reward a user's use of a resource may earn,
   * ever (issue 4). True for the first claim; false for every later one, also for a concurrent twin (the
   * primary key (resource_id, user_id) decides: on PostgreSQL the twin waits for the winner's commit).
   */
  async claimResourceReward(tx: Tx, e: { resourceId: string; userId: string; useId: string }): Promise<boolean> {
    const res = await tx
      .insertInto('resource_use_rewards')
      .values({ resource_id: e.resourceId, user_id: e.userId, use_id: e.useId, created_at: nowIso() })
      .onConflict((oc) => oc.columns(['resource_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** For the resources module (S2 contributions): pays the owner school (and author points) for a use by another school. */
  async rewardResourceUse(
    tx: Tx,
    req: AuditSource,
    e: { eventId: string; allianceId: string; resourceId: string; ownerSchoolId: string; authorUserId: string | null; userSchoolId: string },
  ): Promise<LedgerResult> {
    if (e.ownerSchoolId === e.userSchoolId) return NONE;
    const rules = (await loadRules(tx, e.allianceId)).rules;
    const toSchool = rules.resourceUseReward;
    const toAuthor = e.authorUserId ? rules.resourceAuthorReward : 0;
    if (toSchool + toAuthor <= 0) return NONE;
    const legs = [
      { owner: issuanceOf(e.allianceId), amount: -(toSchool + toAuthor) },
      { owner: school(e.ownerSchoolId), amount: toSchool },
    ];
    if (e.authorUserId && toAuthor > 0) legs.push({ owner: { type: 'teacher', id: e.authorUserId }, amount: toAuthor });
    const res = await post(tx, this.database.dialect, {
      allianceId: e.allianceId,
      kind: 'resource_reward',
      causeType: 'resource_use',
      causeId: e.eventId,
      memo: `资源被其他学校使用（资源 ${e.resourceId}）`,
      createdBy: actorIdOf(req),
      legs,
    });
    return { transactionId: res.transactionId, amount: res.amount };
  }

  /** For the teacher-exchange module (S4): credits the sending school per exchange day. */
  async rewardTeacherExchange(
    tx: Tx,
    req: AuditSource,
    e: { exchangeId: string; allianceId: string; senderSchoolId: string; days: number },
  ): Promise<LedgerResult> {
    const rules = (await loadRules(tx, e.allianceId)).rules;
    const amount = Math.max(0, Math.round(e.days * rules.teacherExchangeDayReward));
    if (amount <= 0) return NONE;
    const res = await post(tx, this.database.dialect, {
      allianceId: e.allianceId,
      kind: 'teacher_exchange',
      causeType: 'teacher_exchange',
      causeId: e.exchangeId,
      memo: `教师交流 ${e.days} 天`,
      createdBy: actorIdOf(req),
      legs: [
        { owner: issuanceOf(e.allianceId), amount: -amount },
        { owner: school(e.senderSchoolId), amount },
      ],
    });
    return { transactionId: res.transactionId, amount: res.amount };
  }

  // ---- scope -------------------------------------------------------------------------------------

  private async alliance(id: string): Promise<AllianceRow> {
    const a = await this.db.selectFrom('alliances').select(['id', 'region_id', 'name']).where('id', '=', id).executeTakeFirst();
    if (!a) throw notFound('alliance');
    return a;
  }

  /** the whole ledger: platform, the region's bureau and evaluators, the alliance's secretariat */
  private readsLedger(actor: Actor, a: AllianceRow): boolean {
    return actor.isPlatformAdmin || actor.readRegions.has(a.region_id) || actor.adminAlliances.has(a.id);
  }

  /** the schools whose own accounts the actor reads (school admins), among the alliance's accounts */
  private ownSchools(actor: Actor): string[] {
    return [...actor.adminSchools];
  }

  private async memberSchoolIds(allianceId: string, onlyActive = true): Promise<Set<string>> {
    let q = this.db.selectFrom('alliance_members').select('school_id').where('alliance_id', '=', allianceId);
    if (onlyActive) q = q.where('status', '=', 'active');
    return new Set((await q.execute()).map((r) => r.school_id));
  }

  /** Reads the ledger, or some of its school accounts; otherwise the alliance does not exist for the actor. */
  private async readable(actor: Actor, allianceId: string): Promise<{ a: AllianceRow; all: boolean; schools: string[] }> {
    const a = await this.alliance(allianceId);
    if (this.readsLedger(actor, a)) return { a, all: true, schools: [] };
    const members = await this.memberSchoolIds(a.id, false);
    const mine = this.ownSchools(actor).filter((s) => members.has(s));
    if (mine.length === 0) throw notFound('alliance');
    return { a, all: false, schools: mine };
  }

  private async manageable(actor: Actor, allianceId: string): Promise<AllianceRow> {
    const a = await this.alliance(allianceId);
    if (!policy.manageAlliance(actor, a)) {
      if (policy.readAlliance(actor, a)) throw new AppError(403, 'forbidden');
      throw notFound('alliance');
    }
    return a;
  }

  // ---- rules -------------------------------------------------------------------------------------

  async getRules(ctx: Ctx, allianceId: string) {
    const { actor } = ctx;
    const a = await this.alliance(allianceId);
    if (!(this.readsLedger(actor, a) || actor.memberAlliances.has(a.id))) throw notFound('alliance');
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
        regionId: a.region_id,
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
    const members = await this.db
      .selectFrom('alliance_members as m')
      .innerJoin('schools as s', 's.id', 'm.school_id')
      .select(['s.id', 's.name', 's.tags', 's.location'])
      .where('m.alliance_id', '=', a.id)
      .where('m.status', '=', 'active')
      .orderBy('s.id')
      .execute();
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
            const g = startingGrantOf(rules, { tags: fromJson<string[]>(s.tags, []), location: s.location });
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
          regionId: a.region_id,
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
      if (body.ownerType === 'school') ok = (await this.memberSchoolIds(a.id, false)).has(body.ownerId);
      else if (body.ownerType === 'partner') {
        ok = !!(await this.db
          .selectFrom('alliance_partners')
          .select('partner_id')
          .where('alliance_id', '=', a.id)
          .where('partner_id', '=', body.ownerId)
          .executeTakeFirst());
      } else {
        const u = await this.db.selectFrom('users').select('school_id').where('id', '=', body.ownerId).executeTakeFirst();
        ok = !!u?.school_id && (await this.memberSchoolIds(a.id, false)).has(u.school_id);
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
          regionId: a.region_id,
          allianceId: a.id,
          schoolId: body.ownerType === 'school' ? body.ownerId : null,
          detail: { ownerType: body.ownerType, ownerId: body.ownerId, amount: body.amount, reason: body.reason },
        });
        return this.transactionDetail(tx, res.transactionId);
      },
    );
    return stored;
  }

  // ---- reading -----------------------------------------------------------------------------------

  private async ownerNames(db: Db | Tx, owners: { owner_type: string; owner_id: string }[]): Promise<Map<string, { name: string; tags: string[] }>> {
    const out = new Map<string, { name: string; tags: string[] }>();
    const ids = (t: string) => [...new Set(owners.filter((o) => o.owner_type === t).map((o) => o.owner_id))];
    const s = ids('school');
    if (s.length)
      for (const r of await db.selectFrom('schools').select(['id', 'name', 'tags']).where('id', 'in', s).execute())
        out.set(`school:${r.id}`, { name: r.name, tags: fromJson<string[]>(r.tags, []) });
    const p = ids('partner');
    if (p.length)
      for (const r of await db.selectFrom('partners').select(['id', 'name']).where('id', 'in', p).execute())
        out.set(`partner:${r.id}`, { name: r.name, tags: [] });
    const u = ids('teacher');
    if (u.length)
      for (const r of await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', u).execute())
        out.set(`teacher:${r.id}`, { name: r.display_name, tags: [] });
    return out;
  }

  private nameOf(names: Map<string, { name: string; tags: string[] }>, type: string, id: string): string {
    if (type === 'pool' || type === 'issuance') return CREDIT_OWNER_TYPES.label(type);
    return names.get(`${type}:${id}`)?.name ?? id;
  }

  private accountOut(
    names: Map<string, { name: string; tags: string[] }>,
    a: { id: string; alliance_id: string; owner_type: string; owner_id: string; balance: number; overdraft_limit: number | null },
  ) {
    return {
      id: a.id,
      allianceId: a.alliance_id,
      ownerType: a.owner_type,
      ownerId: a.owner_id,
      ownerName: this.nameOf(names, a.owner_type, a.owner_id),
      balance: Number(a.balance),
      overdraftLimit: a.overdraft_limit,
      tags: names.get(`${a.owner_type}:${a.owner_id}`)?.tags ?? [],
    };
  }

  async accounts(ctx: Ctx, allianceId: string) {
    const { actor } = ctx;
    const { a, all, schools } = await this.readable(actor, allianceId);
    let q = this.db.selectFrom('credit_accounts').selectAll().where('alliance_id', '=', a.id);
    if (!all) q = q.where('owner_type', '=', 'school').where('owner_id', 'in', schools);
    const rows = await q.orderBy('owner_type').orderBy('owner_id').execute();
    const names = await this.ownerNames(this.db, rows);
    const items = rows.map((r) => this.accountOut(names, r));
    const order: Record<string, number> = { school: 0, partner: 1, teacher: 2, pool: 3, issuance: 4 };
    items.sort((x, y) => order[x.ownerType]! - order[y.ownerType]! || x.ownerName.localeCompare(y.ownerName, 'zh-CN'));
    return { items, total: items.length };
  }

  async statement(ctx: Ctx, q: z.infer<typeof StatementQuery>, limit = 10_000) {
    const { actor } = ctx;
    let acc;
    if (q.accountId) {
      acc = await this.db.selectFrom('credit_accounts').selectAll().where('id', '=', q.accountId).executeTakeFirst();
      if (!acc) throw notFound('credit_account');
    } else {
      const fields = [
        !q.allianceId && { field: 'allianceId', code: 'required' as const },
        !q.schoolId && { field: 'schoolId', code: 'required' as const },
      ].filter(Boolean);
      if (fields.length) throw badRequest(fields as never);
      acc = await this.db
        .selectFrom('credit_accounts')
        .selectAll()
        .where('alliance_id', '=', q.allianceId!)
        .where('owner_type', '=', 'school')
        .where('owner_id', '=', q.schoolId!)
        .executeTakeFirst();
    }
    const allianceId = acc?.alliance_id ?? q.allianceId!;
    const ownerType = acc?.owner_type ?? 'school';
    const ownerId = acc?.owner_id ?? q.schoolId!;
    let scope;
    try {
      scope = await this.readable(actor, allianceId);
    } catch (e) {
      if (q.accountId) throw notFound('credit_account');
      throw e;
    }
    if (!scope.all && !(ownerType === 'school' && scope.schools.includes(ownerId))) throw notFound(q.accountId ? 'credit_account' : 'school');
    if (!acc) {
      // no movement yet: an empty statement for a school of the alliance
      const members = await this.memberSchoolIds(allianceId, false);
      if (!members.has(ownerId)) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
      acc = { id: '', alliance_id: allianceId, owner_type: 'school', owner_id: ownerId, balance: 0, overdraft_limit: null, created_at: nowIso() };
    }
    const fromAt = q.from ? localMidnight(q.from) : null;
    const toAt = q.to ? nextLocalMidnight(q.to) : null;
    let opening = 0;
    if (fromAt && acc.id) {
      const o = await this.db
        .selectFrom('credit_entries as e')
        .innerJoin('credit_transactions as t', 't.id', 'e.transaction_id')
        .select((eb) => eb.fn.sum<number>('e.amount').as('s'))
        .where('e.account_id', '=', acc.id)
        .where('t.created_at', '<', fromAt)
        .executeTakeFirst();
      opening = Number(o?.s ?? 0);
    }
    let lq = this.db
      .selectFrom('credit_entries as e')
      .innerJoin('credit_transactions as t', 't.id', 'e.transaction_id')
      .select(['t.id', 't.created_at', 't.kind', 't.cause_type', 't.cause_id', 't.memo', 'e.amount'])
      .where('e.account_id', '=', acc.id);
    if (fromAt) lq = lq.where('t.created_at', '>=', fromAt);
    if (toAt) lq = lq.where('t.created_at', '<', toAt);
    const rows = await lq
      .orderBy('t.created_at')
      .orderBy('t.id')
      .limit(limit + 1)
      .execute();
    const truncated = rows.length > limit;
    if (truncated) rows.pop();
    const txIds = [...new Set(rows.map((r) => r.id))];
    const others: { transaction_id: string; amount: number; owner_type: string; owner_id: string }[] = [];
    for (let i = 0; i < txIds.length; i += 500) {
      others.push(
        ...(await this.db
          .selectFrom('credit_entries as e')
          .innerJoin('credit_accounts as a', 'a.id', 'e.account_id')
          .select(['e.transaction_id', 'e.amount', 'a.owner_type', 'a.owner_id'])
          .where('e.transaction_id', 'in', txIds.slice(i, i + 500))
          .where('e.account_id', '!=', acc.id)
          .execute()),
      );
    }
    const names = await this.ownerNames(this.db, [...others, acc]);
    const byTx = new Map<string, typeof others>();
    for (const o of others) byTx.set(o.transaction_id, [...(byTx.get(o.transaction_id) ?? []), o]);
    let balance = opening;
    let credits = 0;
    let debits = 0;
    const items = rows.map((r) => {
      const amount = Number(r.amount);
      balance += amount;
      if (amount > 0) credits += amount;
      else debits -= amount;
      return {
        transactionId: r.id,
        at: r.created_at,
        kind: r.kind,
        causeType: r.cause_type,
        causeId: r.cause_id,
        memo: r.memo,
        amount,
        balance,
        counterparts: (byTx.get(r.id) ?? []).map((o) => ({
          ownerType: o.owner_type,
          ownerId: o.owner_id,
          ownerName: this.nameOf(names, o.owner_type, o.owner_id),
          amount: Number(o.amount),
        })),
      };
    });
    return {
      account: this.accountOut(names, acc),
      allianceName: scope.a.name,
      from: q.from ?? null,
      to: q.to ?? null,
      opening,
      closing: balance,
      credits,
      debits,
      items,
      truncated,
    };
  }

  private async transactionDetail(db: Db | Tx, id: string) {
    const t = await db
      .selectFrom('credit_transactions as t')
      .leftJoin('users as u', 'u.id', 't.created_by')
      .selectAll('t')
      .select('u.display_name as created_by_name')
      .where('t.id', '=', id)
      .executeTakeFirst();
    if (!t) throw notFound('credit_transaction');
    const entries = await db
      .selectFrom('credit_entries as e')
      .innerJoin('credit_accounts as a', 'a.id', 'e.account_id')
      .select(['e.account_id', 'e.amount', 'a.owner_type', 'a.owner_id'])
      .where('e.transaction_id', '=', id)
      .orderBy('e.amount')
      .execute();
    const names = await this.ownerNames(db, entries);
    return {
      id: t.id,
      allianceId: t.alliance_id,
      kind: t.kind,
      causeType: t.cause_type,
      causeId: t.cause_id,
      amount: Number(t.amount),
      memo: t.memo,
      createdBy: t.created_by,
      createdByName: t.created_by_name ?? null,
      createdAt: t.created_at,
      entries: entries.map((e) => ({
        accountId: e.account_id,
        ownerType: e.owner_type,
        ownerId: e.owner_id,
        ownerName: this.nameOf(names, e.owner_type, e.owner_id),
        amount: Number(e.amount),
      })),
    };
  }

  /** One transaction: readable by the ledger's readers, and by school admins whose school it touches. */
  async transaction(ctx: Ctx, id: string) {
    const { actor } = ctx;
    const t = await this.db.selectFrom('credit_transactions').select(['id', 'alliance_id']).where('id', '=', id).executeTakeFirst();
    if (!t) throw notFound('credit_transaction');
    const a = await this.alliance(t.alliance_id);
    if (!this.readsLedger(actor, a)) {
      const mine = this.ownSchools(actor);
      const touches =
        mine.length > 0 &&
        !!(await this.db
          .selectFrom('credit_entries as e')
          .innerJoin('credit_accounts as c', 'c.id', 'e.account_id')
          .select('e.id')
          .where('e.transaction_id', '=', id)
          .where('c.owner_type', '=', 'school')
          .where('c.owner_id', 'in', mine)
          .executeTakeFirst());
      if (!touches) throw notFound('credit_transaction');
    }
    return this.transactionDetail(this.db, id);
  }

  /** A per-account overdraft limit (null = the alliance's rule); school, partner and teacher accounts. */
  async setOverdraft(ctx: Ctx, accountId: string, limit: number | null) {
    const { actor } = ctx;
    const acc = await this.db.selectFrom('credit_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    if (!acc) throw notFound('credit_account');
    const a = await this.alliance(acc.alliance_id);
    if (!policy.manageAlliance(actor, a)) {
      if (this.readsLedger(actor, a)) throw new AppError(403, 'forbidden');
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
        regionId: a.region_id,
        allianceId: a.id,
        schoolId: acc.owner_type === 'school' ? acc.owner_id : null,
        detail: { from: acc.overdraft_limit, to: limit },
      });
    });
    const names = await this.ownerNames(this.db, [acc]);
    return this.accountOut(names, { ...acc, overdraft_limit: limit });
  }

  /** The account of a school in an alliance (created empty if missing); for seeds and tests. */
  async ensureSchoolAccount(tx: Tx, allianceId: string, schoolId: string) {
    return accountOf(tx, allianceId, school(schoolId));
  }
}
