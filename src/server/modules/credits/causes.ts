/**
 * `xiaolian check` for money against its causes (issue 5): the ledger may balance perfectly and still
 * hold credits on bookings that should never have been charged. Recomputed from the bookings:
 *
 * - pending / rejected bookings carry no charge, refund or penalty;
 * - accepted / checked-in / no-show bookings with a price are charged exactly once, for the amount the
 *   booking records, and are never refunded; a no-show carries the penalty its rules ask for;
 * - a cancelled booking that was charged is refunded per the rules (timely: refundTimelyPct, late:
 *   refundLatePct; the owner cancelling is always timely), never more than was paid, and never penalized;
 * - every booking transaction names an existing booking of the same alliance;
 * - a resource pays its owner for a user's use at most once (issue 4).
 *
 * Amounts that depend on rules are compared exactly only when the alliance's rules were not changed
 * after the event; otherwise only the bounds are checked (the rules in force then are not kept).
 */
import { sql } from 'kysely';
import type { Db, Tx } from '../../db/index.js';
import { cancellationTimely } from '../../../common/facilities.js';
import { noShowPenaltyOf, quoteBooking, refundOf, withDefaults, type CreditRules } from '../../../common/pricing.js';
import { fromJson } from '../../db/index.js';

interface Row {
  id: string;
  status: string;
  alliance_id: string;
  booker_id: string;
  booker_school_id: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  decided_at: string | null;
  start_ms: number;
  start_at: string;
  end_at: string;
  charge_amount: number;
  charge_tx_id: string | null;
  cancel_deadline_hours: number;
  facility_type: string;
  host_school_id: string | null;
  charge_id: string | null;
  charge_gross: number | null;
  refund_id: string | null;
  refund_gross: number | null;
  refund_at: string | null;
  penalty_id: string | null;
  penalty_gross: number | null;
  penalty_at: string | null;
}

const CHUNK = 500;

export async function checkMoneyCauses(db: Db | Tx): Promise<string[]> {
  const problems: string[] = [];

  // rules per alliance, and when they last changed
  const rulesRows = await db.selectFrom('credit_rules').select(['alliance_id', 'rules', 'updated_at']).execute();
  const rulesOf = new Map<string, { rules: CreditRules; updatedAt: string }>(
    rulesRows.map((r) => [r.alliance_id, { rules: withDefaults(fromJson<Partial<CreditRules>>(r.rules, {})), updatedAt: r.updated_at }]),
  );
  const rules = (a: string) => rulesOf.get(a)?.rules ?? withDefaults(null);
  /** the rules today were the rules at `at` */
  const stable = (a: string, at: string | null) => !rulesOf.has(a) || (at != null && rulesOf.get(a)!.updatedAt <= at);

  const tx = (alias: string, kind: string) =>
    sql`left join credit_transactions ${sql.raw(alias)} on ${sql.raw(alias)}.cause_type = 'booking' and ${sql.raw(alias)}.cause_id = b.id and ${sql.raw(alias)}.kind = ${kind} and ${sql.raw(alias)}.alliance_id = b.alliance_id`;
  const rows = (
    await sql<Row>`
    select b.id, b.status, b.alliance_id, b.booker_id, b.booker_school_id, b.cancelled_by, b.cancelled_at, b.decided_at, b.start_ms, b.start_at, b.end_at,
           b.charge_amount, b.charge_tx_id, f.cancel_deadline_hours, f.type as facility_type, f.school_id as host_school_id,
           c.id as charge_id, c.amount as charge_gross, r.id as refund_id, r.amount as refund_gross, r.created_at as refund_at,
           p.id as penalty_id, p.amount as penalty_gross, p.created_at as penalty_at
    from bookings b
    join facilities f on f.id = b.facility_id
    ${tx('c', 'booking_charge')}
    ${tx('r', 'booking_refund')}
    ${tx('p', 'no_show_penalty')}
    where b.alliance_id is not null`.execute(db)
  ).rows;

  // the charge's legs of cancelled bookings (a refund is computed from the actual charge)
  const chargeIds = rows.filter((r) => r.status === 'cancelled' && r.charge_id).map((r) => r.charge_id!);
  const legs = new Map<string, { booker: number; host: number; pool: number }>();
  for (let i = 0; i < chargeIds.length; i += CHUNK) {
    const entries = await db
      .selectFrom('credit_entries as e')
      .innerJoin('credit_accounts as a', 'a.id', 'e.account_id')
      .select(['e.transaction_id', 'e.amount', 'a.owner_type'])
      .where('e.transaction_id', 'in', chargeIds.slice(i, i + CHUNK))
      .execute();
    for (const e of entries) {
      const l = legs.get(e.transaction_id) ?? { booker: 0, host: 0, pool: 0 };
      const amount = Number(e.amount);
      if (amount < 0) l.booker += -amount;
      else if (e.owner_type === 'pool') l.pool += amount;
      else l.host += amount;
      legs.set(e.transaction_id, l);
    }
  }

  for (const b of rows) {
    const charged = b.charge_id ? Number(b.charge_gross) : 0;
    const refunded = b.refund_id ? Number(b.refund_gross) : 0;
    const name = `booking ${b.id} (${b.status})`;
    if (b.refund_id && !b.charge_id) problems.push(`${name}: refunded ${refunded} credits without a charge`);
    if (b.penalty_id && !b.charge_id) problems.push(`${name}: penalized ${Number(b.penalty_gross)} credits without a charge`);
    switch (b.status) {
      case 'pending':
      case 'rejected':
        if (b.charge_id && refunded < charged)
          problems.push(`${name}: charged ${charged} credits (refunded ${refunded}), but a ${b.status} booking costs nothing`);
        break;
      case 'accepted':
      case 'checked_in':
      case 'no_show': {
        if (b.refund_id) problems.push(`${name}: refunded ${refunded} credits, but the booking was not cancelled`);
        if (b.charge_id) {
          if (Number(b.charge_amount) !== charged)
            problems.push(`${name}: records a charge of ${Number(b.charge_amount)} credits but the ledger charged ${charged}`);
          if (b.charge_tx_id !== b.charge_id) problems.push(`${name}: points at charge ${b.charge_tx_id ?? 'none'} but the ledger's charge is ${b.charge_id}`);
        } else if (Number(b.charge_amount) > 0) {
          problems.push(`${name}: records a charge of ${Number(b.charge_amount)} credits that the ledger does not have`);
        } else if (stable(b.alliance_id, b.decided_at)) {
          const q = quoteBooking(rules(b.alliance_id), {
            facilityType: b.facility_type,
            startAt: b.start_at,
            endAt: b.end_at,
            allianceId: b.alliance_id,
            hostSchoolId: b.host_school_id,
            bookerSchoolId: b.booker_school_id,
          });
          if (!q.free && q.amount > 0) problems.push(`${name}: costs ${q.amount} credits but was never charged`);
        }
        if (
          b.status === 'no_show' &&
          b.charge_id &&
          !b.penalty_id &&
          stable(b.alliance_id, b.decided_at) &&
          noShowPenaltyOf(rules(b.alliance_id), charged) > 0
        ) {
          problems.push(`${name}: no-show without the penalty of ${noShowPenaltyOf(rules(b.alliance_id), charged)} credits`);
        }
        if (b.status !== 'no_show' && b.penalty_id) problems.push(`${name}: penalized ${Number(b.penalty_gross)} credits, but the booking is not a no-show`);
        break;
      }
      case 'cancelled': {
        if (b.penalty_id) problems.push(`${name}: penalized ${Number(b.penalty_gross)} credits, but the booking was cancelled`);
        if (!b.charge_id) break;
        if (refunded > charged) problems.push(`${name}: refunded ${refunded} credits, more than the ${charged} charged`);
        const cancelledMs = b.cancelled_at ? Date.parse(b.cancelled_at) : NaN;
        if (!Number.isFinite(cancelledMs)) {
          problems.push(`${name}: charged ${charged} credits, cancelled without a cancellation time`);
          break;
        }
        const at = b.refund_at ?? b.cancelled_at;
        if (!stable(b.alliance_id, at)) break;
        const r = rules(b.alliance_id);
        const timely = b.cancelled_by !== b.booker_id || cancellationTimely(Number(b.start_ms), cancelledMs, b.cancel_deadline_hours);
        const pct = timely ? r.refundTimelyPct : r.refundLatePct;
        const expected = refundOf(legs.get(b.charge_id) ?? { booker: charged, host: 0, pool: 0 }, pct).booker;
        if (expected !== refunded) {
          problems.push(
            `${name}: charged ${charged} credits and refunded ${refunded}, but a ${timely ? 'timely' : 'late'} cancellation refunds ${pct}% = ${expected}`,
          );
        }
        break;
      }
      default:
        problems.push(`${name}: unknown status`);
    }
  }

  // booking transactions must name a booking of their alliance
  const orphans = await sql<{ id: string; kind: string; cause_id: string }>`
    select t.id, t.kind, t.cause_id from credit_transactions t
    where t.cause_type = 'booking'
      and not exists (select 1 from bookings b where b.id = t.cause_id and b.alliance_id = t.alliance_id)`.execute(db);
  for (const o of orphans.rows) problems.push(`credit transaction ${o.id} (${o.kind}) names booking ${o.cause_id}, which is not a booking of its alliance`);

  // a resource pays for a user's use at most once
  const repeated = await sql<{ resource_id: string; user_id: string; n: number }>`
    select u.resource_id, u.user_id, count(*) as n
    from resource_contributions c join resource_uses u on u.id = c.use_id
    where c.transaction_id is not null
    group by u.resource_id, u.user_id
    having count(*) > 1`.execute(db);
  for (const r of repeated.rows) problems.push(`resource ${r.resource_id} paid its owner ${Number(r.n)} times for uses by user ${r.user_id} (at most once)`);

  return problems;
}
