/** Table types owned by this module: the credit ledger: accounts, transactions, entries, alliance rules (S3.3). See db/schema.ts for the conventions. */

/** The alliance's credit rules (JSON of a partial `CreditRules`, filled with defaults when read). */
export interface CreditRulesTable {
  alliance_id: string;
  rules: string; // JSON Partial<CreditRules>
  updated_by: string | null;
  updated_at: string;
}

/** One account of one owner inside one alliance's ledger. */
export interface CreditAccountsTable {
  id: string;
  alliance_id: string;
  owner_type: string; // school | partner | teacher | pool | issuance
  /** school / partner / user id; the alliance id for pool and issuance */
  owner_id: string;
  /** cached sum of the account's entries (updated in the same transaction as the entries) */
  balance: number;
  /** per-account override of the alliance's overdraft limit (null = the rule) */
  overdraft_limit: number | null;
  created_at: string;
}

/** One balanced movement, tied to its cause; at most one per (alliance, kind, cause). */
export interface CreditTransactionsTable {
  id: string;
  alliance_id: string;
  kind: string; // booking_charge | booking_refund | no_show_penalty | grant | adjustment | resource_reward | teacher_exchange
  cause_type: string; // booking | starting_grant | request | resource_use | teacher_exchange | adjustment
  cause_id: string;
  /** gross amount moved (the sum of the positive entries) */
  amount: number;
  memo: string | null;
  /** sha-256 of the request that caused it, where an Idempotency-Key named the cause */
  request_hash: string | null;
  created_by: string | null;
  created_at: string;
}

export interface CreditEntriesTable {
  id: string;
  transaction_id: string;
  account_id: string;
  /** signed: positive = credit to the account */
  amount: number;
}

/**
 * One reward per user and resource, ever (issue 4): the claim is written before anything is paid, and the
 * primary key (resource_id, user_id) makes a second claim, also a concurrent one, pay nothing.
 */
export interface ResourceUseRewardsTable {
  resource_id: string;
  user_id: string;
  /** the use that earned the reward */
  use_id: string;
  created_at: string;
}

export interface CreditTables {
  resource_use_rewards: ResourceUseRewardsTable;
  credit_rules: CreditRulesTable;
  credit_accounts: CreditAccountsTable;
  credit_transactions: CreditTransactionsTable;
  credit_entries: CreditEntriesTable;
}
