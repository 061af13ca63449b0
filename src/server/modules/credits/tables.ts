/** Table types owned by this module: the credit ledger: accounts, transactions, entries, alliance rules (S3.3). See db/schema.ts for the conventions. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CreditTables {}
