/**
 * Credits (SPEC S3.3), reading an alliance's ledger: accounts with their owners' names, an account's
 * statement (running balance from the opening, counterparts), one transaction. Who reads what: ./policy.ts.
 * Alliances, member schools and partners come from the organization directory.
 */
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { CreditAccountsTable } from '../../db/tables/credits.js';
import type { Db, Tx } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { badRequest, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { directoryOf, type OrgSnapshot } from '../org/directory.js';
import { CREDIT_OWNER_TYPES } from '../../../common/pricing.js';
import { localMidnightIso, nextLocalMidnightIso } from '../../../common/time.js';
import { CreditHooks } from './hooks.js';
import { ownLedgerSchools, readsLedger } from './policy.js';
import type { StatementQuery } from './schema.js';

export interface LedgerAllianceRow {
  id: string;
  regionId: string;
  name: string;
}

export class CreditReads extends CreditHooks {
  // ---- scope -------------------------------------------------------------------------------------

  protected org(): Promise<OrgSnapshot> {
    return directoryOf(this.database).current();
  }

  protected async alliance(id: string): Promise<LedgerAllianceRow> {
    const a = (await this.org()).alliance(id);
    if (!a) throw notFound('alliance');
    return { id: a.id, regionId: a.regionId, name: a.name };
  }

  /**
   * The schools of the alliance's ledger: its active members (the directory) and, with `former`, schools
   * that hold an account in it (members that left keep their account and its history).
   */
  protected async memberSchoolIds(allianceId: string, former = true): Promise<Set<string>> {
    const out = new Set((await this.org()).schoolsOf(allianceId));
    if (former) {
      const held = await this.db
        .selectFrom('credit_accounts')
        .select('owner_id')
        .where('alliance_id', '=', allianceId)
        .where('owner_type', '=', 'school')
        .execute();
      for (const r of held) out.add(r.owner_id);
    }
    return out;
  }

  /** Reads the ledger, or some of its school accounts; otherwise the alliance does not exist for the actor. */
  protected async readable(actor: Actor, allianceId: string): Promise<{ a: LedgerAllianceRow; all: boolean; schools: string[] }> {
    const a = await this.alliance(allianceId);
    if (readsLedger(actor, a)) return { a, all: true, schools: [] };
    const mine = ownLedgerSchools(actor);
    const members = mine.length ? await this.memberSchoolIds(a.id) : new Set<string>();
    const schools = mine.filter((s) => members.has(s));
    if (schools.length === 0) throw notFound('alliance');
    return { a, all: false, schools };
  }

  /** The schools' tags (薄弱校, 农村校…) from the directory. */
  protected async schoolTags(ids: readonly string[]): Promise<Map<string, string[]>> {
    const org = await this.org();
    return new Map(ids.map((id) => [id, org.school(id)?.tags ?? []]));
  }

  // ---- reading -----------------------------------------------------------------------------------

  protected async ownerNames(db: Db | Tx, owners: { owner_type: string; owner_id: string }[]): Promise<Map<string, { name: string; tags: string[] }>> {
    const out = new Map<string, { name: string; tags: string[] }>();
    const ids = (t: string) => [...new Set(owners.filter((o) => o.owner_type === t).map((o) => o.owner_id))];
    const org = await this.org();
    const s = ids('school');
    const tags = await this.schoolTags(s);
    for (const id of s) {
      const ref = org.school(id);
      if (ref) out.set(`school:${id}`, { name: ref.name, tags: tags.get(id) ?? [] });
    }
    for (const id of ids('partner')) {
      const ref = org.partner(id);
      if (ref) out.set(`partner:${id}`, { name: ref.name, tags: [] });
    }
    const u = ids('teacher');
    if (u.length)
      for (const r of await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', u).execute())
        out.set(`teacher:${r.id}`, { name: r.display_name, tags: [] });
    return out;
  }

  protected nameOf(names: Map<string, { name: string; tags: string[] }>, type: string, id: string): string {
    if (type === 'pool' || type === 'issuance') return CREDIT_OWNER_TYPES.label(type);
    return names.get(`${type}:${id}`)?.name ?? id;
  }

  protected accountOut(
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
    let acc: Selectable<CreditAccountsTable> | undefined;
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
    let scope: Awaited<ReturnType<CreditReads['readable']>>;
    try {
      scope = await this.readable(actor, allianceId);
    } catch (e) {
      if (q.accountId) throw notFound('credit_account');
      throw e;
    }
    if (!scope.all && !(ownerType === 'school' && scope.schools.includes(ownerId))) throw notFound(q.accountId ? 'credit_account' : 'school');
    if (!acc) {
      // no movement yet: an empty statement for a school of the alliance
      const members = await this.memberSchoolIds(allianceId);
      if (!members.has(ownerId)) throw badRequest([{ field: 'schoolId', code: 'not_found' }]);
      acc = { id: '', alliance_id: allianceId, owner_type: 'school' as const, owner_id: ownerId, balance: 0, overdraft_limit: null, created_at: nowIso() };
    }
    const fromAt = q.from ? localMidnightIso(q.from) : null;
    const toAt = q.to ? nextLocalMidnightIso(q.to) : null;
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

  protected async transactionDetail(db: Db | Tx, id: string) {
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
    if (!readsLedger(actor, a)) {
      const mine = ownLedgerSchools(actor);
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
}
