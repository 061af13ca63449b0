/**
 * Credits (SPEC S3.3): the service other modules and the routes use. Its parts, by concern: hooks.ts (the
 * movements other modules cause inside their transactions), reading.ts (accounts, statements,
 * transactions), admin.ts (rules, grants, adjustments, overdraft limits); ledger.ts is the double-entry core,
 * policy.ts who may do what.
 */
import { CreditAdmin } from './admin.js';

export type { BookingForCredits, LedgerResult, Quote } from './hooks.js';

export class CreditService extends CreditAdmin {}
