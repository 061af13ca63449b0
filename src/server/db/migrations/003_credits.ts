import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Credits (S3.3): a double-entry ledger per alliance. Every transaction's entries sum to zero: checked in
 * code on both databases, and on PostgreSQL additionally by a deferred constraint trigger that runs at
 * commit, so no code path can commit an unbalanced transaction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('credit_rules')
    .addColumn('alliance_id', 'text', (c) => c.primaryKey().references('alliances.id').onDelete('cascade'))
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('credit_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('owner_type', 'text', (c) => c.notNull().check(sql`owner_type in ('school','partner','teacher','pool','issuance')`))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('balance', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overdraft_limit', 'integer', (c) => c.check(sql`overdraft_limit is null or overdraft_limit >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('credit_accounts_owner', ['alliance_id', 'owner_type', 'owner_id'])
    .execute();
  await db.schema.createIndex('credit_accounts_owner_id').on('credit_accounts').columns(['owner_id', 'owner_type']).execute();

  await db.schema
    .createTable('credit_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('booking_charge','booking_refund','no_show_penalty','grant','adjustment','resource_reward','teacher_exchange')`),
    )
    .addColumn('cause_type', 'text', (c) => c.notNull())
    .addColumn('cause_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn('memo', 'text')
    .addColumn('request_hash', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('credit_transactions_cause', ['alliance_id', 'kind', 'cause_type', 'cause_id'])
    .execute();
  await db.schema.createIndex('credit_transactions_cause_id').on('credit_transactions').columns(['cause_type', 'cause_id']).execute();
  await db.schema.createIndex('credit_transactions_alliance_at').on('credit_transactions').columns(['alliance_id', 'created_at']).execute();

  await db.schema
    .createTable('credit_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('credit_transactions.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('credit_accounts.id'))
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount <> 0`))
    .execute();
  await db.schema.createIndex('credit_entries_tx').on('credit_entries').column('transaction_id').execute();
  await db.schema.createIndex('credit_entries_account').on('credit_entries').columns(['account_id', 'transaction_id']).execute();

  if (dialect === 'postgres') {
    // at commit: every transaction touched by the committing database transaction sums to zero
    await sql`
      create or replace function credit_entries_balanced() returns trigger language plpgsql as $$
      declare
        tid text;
        s bigint;
      begin
        tid := coalesce(new.transaction_id, old.transaction_id);
        if tg_op = 'DELETE' then tid := old.transaction_id; end if;
        select coalesce(sum(amount), 0) into s from credit_entries where transaction_id = tid;
        if s <> 0 then
          raise exception 'credit transaction % is unbalanced (entries sum to %)', tid, s using errcode = '23514';
        end if;
        return null;
      end $$`.execute(db);
    await sql`
      create constraint trigger credit_entries_balanced
      after insert or update or delete on credit_entries
      deferrable initially deferred
      for each row execute function credit_entries_balanced()`.execute(db);
  }
}
