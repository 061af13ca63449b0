/**
 * The demo ledger (SPEC S3.3) behind the demo bookings: each alliance's credit rules, starting grants
 * (with the extra grants for 薄弱校/农村校), and every cross-school booking charged, refunded or penalized
 * through CreditService — so balances, statements and `xiaolian check` see a real ledger. Transactions
 * are dated like their cause (the booking's creation, cancellation or end), not like the seed run.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database, Tx } from '../db/index.js';
import type { DB } from '../db/schema.js';
import { CreditService, type BookingForCredits } from '../modules/credits/service.js';
import { issuanceOf, post } from '../modules/credits/ledger.js';
import { quoteBooking, startingGrantOf, withDefaults, type CreditRules } from '../../common/pricing.js';

export interface SeedBooking extends BookingForCredits {
  status: string;
  createdAt: string;
  cancelledAt: string | null;
}

interface LedgerInput {
  today: string;
  setupAt: string;
  schools: { id: string; tags: string[]; location: string }[];
  alliances: string[];
  membersOf: Map<string, string[]>;
  partnerLinks: { alliance_id: string; partner_id: string }[];
  bookings: SeedBooking[];
}

/** Per-alliance variations on the default rules (the rest are the platform defaults). */
const RULES: Record<string, Partial<CreditRules>> = {
  a_0001: { hostSharePct: 80, startingGrant: 1500, weakExtraGrant: 500, ruralExtraGrant: 500 },
  a_0002: { hostSharePct: 70, startingGrant: 1200, weakExtraGrant: 600, ruralExtraGrant: 800, overdraftLimit: 300 },
  a_0003: { hostSharePct: 75, startingGrant: 1000 },
  a_0004: { startingGrant: 1000, ruralExtraGrant: 600, weakExtraGrant: 400 },
};

export async function seedLedger(tx: Tx, database: Database, input: LedgerInput): Promise<number> {
  const svc = new CreditService(database);
  const dialect = database.dialect;
  const dated: [string, string][] = [];
  const tagsOf = new Map(input.schools.map((s) => [s.id, s]));

  for (const allianceId of input.alliances) {
    const rules = withDefaults({ ...(RULES[allianceId] ?? {}) });
    await tx
      .insertInto('credit_rules')
      .values({ alliance_id: allianceId, rules: JSON.stringify(rules), updated_by: null, updated_at: input.setupAt })
      .execute();
    for (const schoolId of input.membersOf.get(allianceId) ?? []) {
      const s = tagsOf.get(schoolId);
      if (!s) continue;
      const g = startingGrantOf(rules, { tags: s.tags, location: s.location });
      if (g.amount <= 0) continue;
      const parts = [`起始积分 ${g.base}`, g.weakExtra ? `薄弱校加发 ${g.weakExtra}` : '', g.ruralExtra ? `农村校加发 ${g.ruralExtra}` : ''].filter(Boolean);
      await post(tx, dialect, {
        allianceId,
        kind: 'grant',
        causeType: 'starting_grant',
        causeId: schoolId,
        memo: parts.join('，'),
        createdBy: null,
        legs: [
          { owner: issuanceOf(allianceId), amount: -g.amount },
          { owner: { type: 'school', id: schoolId }, amount: g.amount },
        ],
      });
    }
  }

  const byTime = [...input.bookings].filter((b) => b.status !== 'rejected' && b.status !== 'pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  // a pessimistic running balance per (alliance, school): grants minus charges and penalties, income ignored —
  // so a school is topped up before a charge could ever pass its overdraft limit (which would abort the seed)
  const low = new Map<string, number>();
  for (const [allianceId, schools] of input.membersOf) {
    const rules = withDefaults({ ...(RULES[allianceId] ?? {}) });
    for (const sid of schools) {
      const s = tagsOf.get(sid);
      low.set(`${allianceId}|${sid}`, s ? startingGrantOf(rules, { tags: s.tags, location: s.location }).amount : 0);
    }
  }
  let extra = 0;
  for (const b of byTime) {
    const rules = withDefaults({ ...(RULES[b.allianceId!] ?? {}) });
    const q = quoteBooking(rules, b);
    if (q.free || q.amount <= 0) continue;
    const k = `${b.allianceId}|${b.bookerSchoolId}`;
    const cost = q.amount * (b.status === 'no_show' ? 2 : 1);
    if ((low.get(k) ?? 0) - cost < -rules.overdraftLimit + 100) {
      const res = await post(tx, dialect, {
        allianceId: b.allianceId!,
        kind: 'grant',
        causeType: 'request',
        causeId: `seed-extra-${++extra}`,
        memo: '学期中追加积分（薄弱校帮扶）',
        createdBy: null,
        legs: [
          { owner: issuanceOf(b.allianceId!), amount: -1000 },
          { owner: { type: 'school', id: b.bookerSchoolId! }, amount: 1000 },
        ],
      });
      dated.push([res.transactionId, b.createdAt]);
      low.set(k, (low.get(k) ?? 0) + 1000);
    }
    low.set(k, (low.get(k) ?? 0) - cost);
    const charge = await svc.chargeBooking(tx, null, b);
    if (!charge.transactionId) continue;
    if (b.status === 'cancelled') await svc.refundBooking(tx, null, b, { timely: true });
    else if (b.status === 'no_show') await svc.penalizeNoShow(tx, null, b);
  }
  // the bookings carry their charge (one statement)
  const charges = (eb: ExpressionBuilder<DB, 'bookings'>) =>
    eb
      .selectFrom('credit_transactions as t')
      .whereRef('t.cause_id', '=', 'bookings.id')
      .where('t.cause_type', '=', 'booking')
      .where('t.kind', '=', 'booking_charge');
  await tx
    .updateTable('bookings')
    .set((eb) => ({ charge_tx_id: charges(eb).select('t.id'), charge_amount: charges(eb).select('t.amount') }))
    .where('id', 'in', (eb) =>
      eb.selectFrom('credit_transactions as t').select('t.cause_id').where('t.cause_type', '=', 'booking').where('t.kind', '=', 'booking_charge'),
    )
    .execute();
  // transactions are dated like their cause, and so are the ledger's audit entries (set-based: a few statements)
  await tx.updateTable('credit_transactions').set({ created_at: input.setupAt }).where('cause_type', '=', 'starting_grant').execute();
  const from = (column: 'created_at' | 'cancelled_at' | 'end_at', kind: string) =>
    tx
      .updateTable('credit_transactions')
      .set((eb) => ({
        created_at: eb
          .selectFrom('bookings as b')
          .select(`b.${column}` as 'b.created_at')
          .whereRef('b.id', '=', 'credit_transactions.cause_id'),
      }))
      .where('cause_type', '=', 'booking')
      .where('kind', '=', kind)
      .execute();
  await from('created_at', 'booking_charge');
  await from('cancelled_at', 'booking_refund');
  await from('end_at', 'no_show_penalty');
  for (const [id, at] of dated) await tx.updateTable('credit_transactions').set({ created_at: at }).where('id', '=', id).execute();
  await tx
    .updateTable('audit_log')
    .set((eb) => ({ at: eb.selectFrom('credit_transactions as t').select('t.created_at').whereRef('t.id', '=', 'audit_log.entity_id') }))
    .where('entity_type', '=', 'credit_transaction')
    .execute();
  const n = await tx
    .selectFrom('credit_transactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(n?.n ?? 0);
}
