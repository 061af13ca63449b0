/**
 * The double-entry core: accounts, balanced postings, and the check that recomputes everything.
 * Nothing outside this file writes credit_accounts.balance, credit_transactions or credit_entries.
 */
import { sql } from 'kysely';
import type { Db, Tx } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { newId } from '../../platform/ids.js';
import { AppError } from '../../platform/errors.js';

export type OwnerType = 'school' | 'partner' | 'teacher' | 'pool' | 'issuance';
export type TxKind = 'booking_charge' | 'booking_refund' | 'no_show_penalty' | 'grant' | 'adjustment' | 'resource_reward' | 'teacher_exchange';

export interface Owner {
  type: OwnerType;
  id: string;
}

export interface Leg {
  owner: Owner;
  amount: number;
}

export interface Posting {
  /** the transaction's id when the caller needs it before posting (a booking row carrying its charge) */
  id?: string;
  allianceId: string;
  kind: TxKind;
  causeType: string;
  causeId: string;
  memo?: string | null;
  createdBy?: string | null;
  requestHash?: string | null;
  legs: Leg[];
  /**
   * accounts whose debit must stay within their overdraft limit (the booker of a charge); others may go
   * below it (penalties, refunds taken back from a host, adjustments by the alliance)
   */
  limited?: { owner: Owner; limit: number }[];
}

export interface Posted {
  transactionId: string;
  amount: number;
  /** true when the cause had been posted before (a retry): nothing new was written */
  replay: boolean;
  requestHash: string | null;
}

export const poolOf = (allianceId: string): Owner => ({ type: 'pool', id: allianceId });
export const issuanceOf = (allianceId: string): Owner => ({ type: 'issuance', id: allianceId });

/** The account of an owner in an alliance's ledger, created on first use (race-safe on both databases). */
export async function accountOf(tx: Tx | Db, allianceId: string, owner: Owner): Promise<{ id: string; balance: number; overdraft_limit: number | null }> {
  const find = () =>
    tx
      .selectFrom('credit_accounts')
      .select(['id', 'balance', 'overdraft_limit'])
      .where('alliance_id', '=', allianceId)
      .where('owner_type', '=', owner.type)
      .where('owner_id', '=', owner.id)
      .executeTakeFirst();
  const found = await find();
  if (found) return found;
  await tx
    .insertInto('credit_accounts')
    .values({ id: newId(), alliance_id: allianceId, owner_type: owner.type, owner_id: owner.id, balance: 0, overdraft_limit: null, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['alliance_id', 'owner_type', 'owner_id']).doNothing())
    .execute();
  return (await find())!;
}

/** A transaction already posted for this cause, if any. */
export async function postedFor(tx: Tx | Db, allianceId: string, kind: TxKind, causeType: string, causeId: string) {
  return tx
    .selectFrom('credit_transactions')
    .select(['id', 'amount', 'request_hash'])
    .where('alliance_id', '=', allianceId)
    .where('kind', '=', kind)
    .where('cause_type', '=', causeType)
    .where('cause_id', '=', causeId)
    .executeTakeFirst();
}

/**
 * Writes one balanced transaction: the transaction row, its entries and the cached balances, inside the
 * caller's database transaction. A cause posted before returns the earlier transaction (idempotent).
 * A limited debit beyond its overdraft limit throws 409 `insufficient_credits`; the caller's database
 * transaction then rolls back and nothing is written.
 */
export async function post(tx: Tx, dialect: 'sqlite' | 'postgres', p: Posting): Promise<Posted> {
  // merge legs of one owner, drop zeros
  const merged = new Map<string, Leg>();
  for (const l of p.legs) {
    if (!Number.isSafeInteger(l.amount)) throw new Error(`ledger: amount ${l.amount} is not an integer`);
    const key = `${l.owner.type}:${l.owner.id}`;
    const cur = merged.get(key);
    merged.set(key, { owner: l.owner, amount: (cur?.amount ?? 0) + l.amount });
  }
  const legs = [...merged.values()].filter((l) => l.amount !== 0);
  const sum = legs.reduce((s, l) => s + l.amount, 0);
  if (sum !== 0) throw new Error(`ledger: unbalanced transaction ${p.kind} ${p.causeType}:${p.causeId} (sum ${sum})`);
  if (legs.length === 0) throw new Error('ledger: empty transaction');

  const gross = legs.reduce((s, l) => s + Math.max(l.amount, 0), 0);
  const id = p.id ?? newId();
  const inserted = await tx
    .insertInto('credit_transactions')
    .values({
      id,
      alliance_id: p.allianceId,
      kind: p.kind,
      cause_type: p.causeType,
      cause_id: p.causeId,
      amount: gross,
      memo: p.memo ?? null,
      request_hash: p.requestHash ?? null,
      created_by: p.createdBy ?? null,
      created_at: nowIso(),
    })
    .onConflict((oc) => oc.columns(['alliance_id', 'kind', 'cause_type', 'cause_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
    // a concurrent request posted the same cause first
    const other = (await postedFor(tx, p.allianceId, p.kind, p.causeType, p.causeId))!;
    return { transactionId: other.id, amount: other.amount, replay: true, requestHash: other.request_hash };
  }

  // accounts created and locked one by one in one global order, so concurrent postings on PostgreSQL
  // always take their row locks in the same order and never deadlock each other; the alliance's pool and
  // issuance accounts (touched by most postings) come last, to hold their locks for the shortest time
  const hot = (o: Owner) => (o.type === 'pool' || o.type === 'issuance' ? '1' : '0');
  const ordered = [...legs].sort((a, b) => {
    const ka = `${hot(a.owner)}:${a.owner.type}:${a.owner.id}`;
    const kb = `${hot(b.owner)}:${b.owner.type}:${b.owner.id}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const accounts: { leg: Leg; accountId: string }[] = [];
  for (const leg of ordered) {
    const lim = p.limited?.find((x) => x.owner.type === leg.owner.type && x.owner.id === leg.owner.id);
    const limit = lim && leg.amount < 0 ? lim.limit : null;
    // one statement in the common case: the account exists and (for a limited debit) can afford it
    const apply = (where: { id?: string }) => {
      let q = tx.updateTable('credit_accounts').set((eb) => ({ balance: eb('balance', '+', leg.amount) }));
      q = where.id
        ? q.where('id', '=', where.id)
        : q.where('alliance_id', '=', p.allianceId).where('owner_type', '=', leg.owner.type).where('owner_id', '=', leg.owner.id);
      if (limit != null) q = q.where(sql<boolean>`balance + ${leg.amount} >= -coalesce(overdraft_limit, ${limit})`);
      return q.returning('id').executeTakeFirst();
    };
    let done = await apply({});
    if (!done) {
      // a new account, or a debit beyond the overdraft limit
      const acc = await accountOf(tx, p.allianceId, leg.owner);
      done = await apply({ id: acc.id });
      if (!done) {
        const now = await tx.selectFrom('credit_accounts').select(['balance', 'overdraft_limit']).where('id', '=', acc.id).executeTakeFirstOrThrow();
        throw new AppError(409, 'insufficient_credits', { amount: -leg.amount, balance: Number(now.balance), limit: now.overdraft_limit ?? limit });
      }
    }
    accounts.push({ leg, accountId: done.id });
  }
  await tx
    .insertInto('credit_entries')
    .values(accounts.map(({ leg, accountId }) => ({ id: newId(), transaction_id: id, account_id: accountId, amount: leg.amount })))
    .execute();
  // The legs were checked to sum to zero above and go in as ONE insert (all or none). PostgreSQL checks the
  // balance again at commit with a deferred constraint trigger; SQLite is not asked again (no re-sum).
  void dialect;
  return { transactionId: id, amount: gross, replay: false, requestHash: p.requestHash ?? null };
}

export interface LedgerCheck {
  accounts: number;
  transactions: number;
  entries: number;
  /** human-readable drift; empty when the ledger is consistent */
  problems: string[];
}

/**
 * `xiaolian check` for the ledger: every cached balance equals the sum of its entries, every transaction
 * sums to zero and stays inside one alliance, every alliance's accounts sum to zero.
 */
export async function checkLedger(db: Db | Tx): Promise<LedgerCheck> {
  const problems: string[] = [];
  const drift = await sql<{ id: string; alliance_id: string; owner_type: string; owner_id: string; balance: number; recomputed: number }>`
    select a.id, a.alliance_id, a.owner_type, a.owner_id, a.balance, coalesce(e.s, 0) as recomputed
    from credit_accounts a
    left join (select account_id, sum(amount) as s from credit_entries group by account_id) e on e.account_id = a.id
    where a.balance <> coalesce(e.s, 0)`.execute(db);
  for (const r of drift.rows) {
    problems.push(
      `credit account ${r.id} (${r.owner_type} ${r.owner_id} in alliance ${r.alliance_id}): balance ${r.balance} but entries sum to ${Number(r.recomputed)}`,
    );
  }
  const unbalanced = await sql<{ id: string; s: number | null; n: number }>`
    select t.id, sum(e.amount) as s, count(e.id) as n
    from credit_transactions t left join credit_entries e on e.transaction_id = t.id
    group by t.id
    having count(e.id) = 0 or sum(e.amount) <> 0`.execute(db);
  for (const r of unbalanced.rows) {
    problems.push(Number(r.n) === 0 ? `credit transaction ${r.id} has no entries` : `credit transaction ${r.id} is unbalanced: entries sum to ${Number(r.s)}`);
  }
  const crossing = await sql<{ id: string }>`
    select distinct t.id from credit_transactions t
    join credit_entries e on e.transaction_id = t.id
    join credit_accounts a on a.id = e.account_id
    where a.alliance_id <> t.alliance_id`.execute(db);
  for (const r of crossing.rows) problems.push(`credit transaction ${r.id} has entries in another alliance's ledger`);
  const alliances = await sql<{ alliance_id: string; cached: number; entries: number }>`
    select a.alliance_id, sum(a.balance) as cached, coalesce(sum(e.s), 0) as entries
    from credit_accounts a
    left join (select account_id, sum(amount) as s from credit_entries group by account_id) e on e.account_id = a.id
    group by a.alliance_id
    having sum(a.balance) <> 0 or coalesce(sum(e.s), 0) <> 0`.execute(db);
  for (const r of alliances.rows) {
    problems.push(`alliance ${r.alliance_id}: credit accounts sum to ${Number(r.cached)} (entries ${Number(r.entries)}), expected 0`);
  }
  const counts = await sql<{ a: number; t: number; e: number }>`
    select (select count(*) from credit_accounts) as a, (select count(*) from credit_transactions) as t, (select count(*) from credit_entries) as e`.execute(
    db,
  );
  const c = counts.rows[0]!;
  return { accounts: Number(c.a), transactions: Number(c.t), entries: Number(c.e), problems };
}
