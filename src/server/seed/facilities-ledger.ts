/**
 * The demo ledger (SPEC S3.3) behind the demo bookings: each alliance's credit rules, starting grants
 * (with the extra grants for 薄弱校/农村校), and every cross-school booking charged, refunded or penalized
 * through CreditService — so balances, statements and `xiaolian check` see a real ledger. Transactions
 * are dated like their cause (the booking's creation, cancellation or end), not like the seed run.
 */
import type { Database, Tx } from '../db/index.js';
import { CreditService, type BookingForCredits } from '../modules/credits/service.js';
import { accountOf, issuanceOf, post } from '../modules/credits/ledger.js';
import { startingGrantOf, withDefaults, type CreditRules } from '../../common/pricing.js';

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
    await tx.insertInto('credit_rules').values({ alliance_id: allianceId, rules: JSON.stringify(rules), updated_by: null, updated_at: input.setupAt }).execute();
    for (const schoolId of input.membersOf.get(allianceId) ?? []) {
      const s = tagsOf.get(schoolId);
      if (!s) continue;
      const g = startingGrantOf(rules, { tags: s.tags, location: s.location });
      if (g.amount <= 0) continue;
      const parts = [`起始积分 ${g.base}`, g.weakExtra ? `薄弱校加发 ${g.weakExtra}` : '', g.ruralExtra ? `农村校加发 ${g.ruralExtra}` : ''].filter(Boolean);
      const res = await post(tx, dialect, {
        allianceId, kind: 'grant', causeType: 'starting_grant', causeId: schoolId, memo: parts.join('，'), createdBy: null,
        legs: [{ owner: issuanceOf(allianceId), amount: -g.amount }, { owner: { type: 'school', id: schoolId }, amount: g.amount }],
      });
      dated.push([res.transactionId, input.setupAt]);
    }
  }

  const byTime = [...input.bookings].filter((b) => b.status !== 'rejected' && b.status !== 'pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  let extra = 0;
  for (const b of byTime) {
    // a school about to run past its overdraft limit receives the alliance's 追加积分 first
    const q = await svc.quote(tx, b);
    if (q.free || q.amount <= 0) continue;
    const rules = withDefaults({ ...(RULES[b.allianceId!] ?? {}) });
    const acc = await accountOf(tx, b.allianceId!, { type: 'school', id: b.bookerSchoolId! });
    if (acc.balance - q.amount < -rules.overdraftLimit + 100) {
      const res = await post(tx, dialect, {
        allianceId: b.allianceId!, kind: 'grant', causeType: 'request', causeId: `seed-extra-${++extra}`, memo: '学期中追加积分（薄弱校帮扶）', createdBy: null,
        legs: [{ owner: issuanceOf(b.allianceId!), amount: -1000 }, { owner: { type: 'school', id: b.bookerSchoolId! }, amount: 1000 }],
      });
      dated.push([res.transactionId, b.createdAt]);
    }
    const charge = await svc.chargeBooking(tx, null, b);
    if (!charge.transactionId) continue;
    dated.push([charge.transactionId, b.createdAt]);
    await tx.updateTable('bookings').set({ charge_tx_id: charge.transactionId, charge_amount: charge.amount }).where('id', '=', b.id).execute();
    if (b.status === 'cancelled') {
      const r = await svc.refundBooking(tx, null, b, { timely: true });
      if (r.transactionId) dated.push([r.transactionId, b.cancelledAt ?? b.createdAt]);
    } else if (b.status === 'no_show') {
      const p = await svc.penalizeNoShow(tx, null, b);
      if (p.transactionId) dated.push([p.transactionId, b.endAt]);
    }
  }
  for (const [id, at] of dated) {
    await tx.updateTable('credit_transactions').set({ created_at: at }).where('id', '=', id).execute();
    // the ledger's audit entries carry the seed's wall-clock time; date them like their transactions
    await tx.updateTable('audit_log').set({ at }).where('entity_id', '=', id).execute();
  }
  return dated.length;
}
