/**
 * Credits (SPEC S3.3): the hooks other modules call inside their own transactions — a booking's charge,
 * refund and no-show penalty, the resource-use reward, the teacher-exchange reward. Every movement goes
 * through ledger.post: one balanced transaction per cause, idempotent.
 */
import type { Database, Db, Tx } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { audit, type AuditEntry, type AuditSource } from '../../platform/audit.js';
import { noShowPenaltyOf, quoteBooking, refundOf, splitCharge, withDefaults, type CreditRules, type PriceQuote } from '../../../common/pricing.js';
import { FACILITY_TYPES } from '../../../common/facilities.js';
import { accountOf, issuanceOf, poolOf, post, postedFor, type Owner, type OwnerType } from './ledger.js';
import { loadRules } from './rules.js';

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

export const school = (id: string): Owner => ({ type: 'school', id });
/** The acting user's id for `created_by` (none for the installation itself). */
const actorIdOf = (src: AuditSource): string | null => (src?.actor && !src.actor.system ? src.actor.userId : null);

/** A booking's local time for memos: 2026-11-24 09:00–11:00 (in the alliance's rules' UTC offset). */
function localSpan(startAt: string, endAt: string, offsetMin: number): string {
  const f = (iso: string) => new Date(Date.parse(iso) + offsetMin * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  const s = f(startAt);
  const e = f(endAt);
  return s.slice(0, 10) === e.slice(0, 10) ? `${s}–${e.slice(11)}` : `${s}–${e}`;
}

export class CreditHooks {
  constructor(protected readonly database: Database) {}
  protected get db(): Db {
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

  /** The account of a school in an alliance (created empty if missing); for seeds and tests. */
  async ensureSchoolAccount(tx: Tx, allianceId: string, schoolId: string) {
    return accountOf(tx, allianceId, school(schoolId));
  }
}
